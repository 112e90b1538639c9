"""Build the lesson notebooks, in English and in Chinese, from their sources in ``notebooks/src/``.

Each ``src/NN_name.py`` is a notebook in jupytext's percent format, read by jupytext: cells
separated by ``# %%`` (code) and ``# %% [markdown]`` lines; markdown lines drop their leading
``# ``, and in code cells a line ``# %magic`` becomes the IPython magic ``%magic`` (so the sources
stay valid Python for ruff). Text before the first marker (a comment saying what the file is) is
not a cell, nor is an empty cell.

A cell marker may carry cell metadata, as ``key=JSON`` pairs::

    # %% tags=["nbval-check-output"]
    checks.svm_naive_loss(svm_loss_naive)

**Two languages, one source.** Every markdown cell is written twice: the English cell, then
directly after it its Chinese twin, marked ``lang="zh"``::

    # %% [markdown]
    # ## The two curves
    # %% [markdown] lang="zh"
    # ## 两条曲线

Chinese lines may be wrapped anywhere after a Chinese character (to keep the sources within the
line length): the build joins such a line with the next one without a space, as Chinese text has
no spaces between words (:func:`join_cjk_lines`); a blank line, a list item, a heading, a table
row, ``$$`` or an HTML comment starts a new line as usual.

Code cells are written once and shared by both notebooks. The English notebook
``notebooks/NN_name.ipynb`` takes the English cells, the Chinese one ``notebooks/zh/NN_name.ipynb``
takes each twin in place of its English cell, so both have the same cells in the same order with
the same ids and tags (an answer cell's ``<!-- BEGIN SOLUTION -->`` region is in both twins). A
markdown cell without its twin, a twin without an English cell before it, or ``lang`` on a code
cell is an error (:func:`split_languages`). The Chinese notebooks run in ``notebooks/zh/``, whose
``cs231n-lin.cfg`` selects Chinese for the check cells' feedback (:mod:`cs231n_lin.i18n`).

A check cell (nbval compares its output with the stored one) is a code cell tagged
``nbval-check-output``; the old ``# NBVAL_CHECK_OUTPUT`` comment is refused, so that the students'
cells carry no marker text.

The build is deterministic: the same sources (and the same package code and environment) give
byte-identical notebooks. Cell ids are ``NN-kkk``; the kernel runs with a fixed hash seed and one
BLAS thread (sums in a fixed order); the notebook metadata written by the kernel (Python version)
is replaced by the built one; per-run timestamps are dropped; a widget view's random model id
becomes one made from its cell id; and in the stored text outputs of cells that nbval does not
compare, wall-clock measurements are replaced by the rules of ``nbval_sanitize.cfg`` (``0.21 s``
becomes ``TIME``), the same rules nbval applies when comparing.

    python notebooks/_build.py            # write notebooks/NN_name.ipynb and notebooks/zh/ (no outputs)
    python notebooks/_build.py --execute  # ... and run them in place so outputs are stored
    python notebooks/_build.py --lang zh  # only the Chinese notebooks
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
#: The languages built, each with the folder its notebooks go to.
LANG_DIRS = {"en": HERE, "zh": HERE / "zh"}
#: Metadata key marking a markdown cell as the translation of the markdown cell just before it.
LANG_KEY = "lang"
CHECK_TAG = "nbval-check-output"
_MARKER = re.compile(r"^# %%(?P<kind>\s*\[markdown\])?(?P<meta>(\s+[A-Za-z_][\w.-]*=\S+)*)\s*$")
_META_PAIR = re.compile(r"([A-Za-z_][\w.-]*)=(\S+)")
_CJK = re.compile(r"[\u2e80-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u201c\u201d]")
_BLOCK_START = re.compile(r"^\s*([*+-]\s|\d+\.\s|#|\||\$\$|<!--|>)")
#: Keys jupytext adds to a cell's metadata to round-trip the text layout (not the lesson's).
_JUPYTEXT_KEYS = frozenset({"lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker", "title",
                            "incorrectly_encoded_metadata"})
#: Environment of the kernel that executes the notebooks (see the module docstring).
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def parse_cells(text: str) -> list[nbformat.NotebookNode]:
    """Notebook cells from percent-format source text (anything before the first marker is ignored).

    Chinese twins (``lang="zh"``) are kept, with ``lang`` in their metadata; see
    :func:`split_languages`.

    Raises
    ------
    ValueError
        When a cell's metadata is not JSON, or a code cell uses the ``# NBVAL_CHECK_OUTPUT`` comment
        instead of the ``nbval-check-output`` tag.
    """
    return [cell for _, cell in _parse_with_lines(text)]


def _parse_with_lines(text: str) -> list[tuple[int, nbformat.NotebookNode]]:
    """``(line of the cell's marker, cell)`` for each non-empty cell, read by jupytext."""
    import jupytext

    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, start=1) if _MARKER.match(line)]
    if not starts:
        return []
    for n in starts:                        # jupytext would take bad metadata as a cell title
        for key, value in _META_PAIR.findall(lines[n - 1]):
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {n}: cell metadata {key}={value} is not JSON ({exc.msg})") from None
    nb = jupytext.reads("\n".join(lines[starts[0] - 1:]) + "\n", fmt="py:percent")
    if len(nb.cells) != len(starts):
        raise ValueError(f"jupytext read {len(nb.cells)} cells where the source has {len(starts)} "
                         "`# %%` markers")
    cells: list[tuple[int, nbformat.NotebookNode]] = []
    for start, read in zip(starts, nb.cells, strict=True):
        meta = {k: v for k, v in read.metadata.items() if k not in _JUPYTEXT_KEYS}
        source = read.source.strip("\n")
        if not source.strip():
            continue
        if read.cell_type == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            if any(ln.strip().lstrip("#").strip() == "NBVAL_CHECK_OUTPUT" for ln in source.splitlines()):
                raise ValueError(f"line {start}: mark a check cell with "
                                 f'`# %% tags=["{CHECK_TAG}"]`, not a # NBVAL_CHECK_OUTPUT comment')
            cell = nbformat.v4.new_code_cell(source)
        cell.metadata.update(meta)
        cells.append((start, cell))
    return cells


def join_cjk_lines(text: str) -> str:
    """``text`` with each line that ends in a Chinese character joined to the next line.

    The next line is not joined when it is blank or starts a Markdown block (list item, heading,
    table row, ``$$``, HTML comment, quote).
    """
    out: list[str] = []
    for line in text.split("\n"):
        if (out and out[-1] and _CJK.match(out[-1][-1]) and line.strip()
                and not _BLOCK_START.match(line)):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def split_languages(text: str) -> dict[str, list[nbformat.NotebookNode]]:
    """The cells of each language of :data:`LANG_DIRS`, from one source text.

    Returns
    -------
    dict
        ``{"en": cells, "zh": cells}``: the same number of cells, code cells shared, each English
        markdown cell replaced by its twin in ``"zh"``; no cell keeps the ``lang`` key.

    Raises
    ------
    ValueError
        Naming the source line, when a markdown cell has no twin, a twin follows no English
        markdown cell, a twin's language is unknown, or a code cell carries ``lang``.
    """
    out: dict[str, list[nbformat.NotebookNode]] = {lang: [] for lang in LANG_DIRS}
    pending: tuple[int, nbformat.NotebookNode] | None = None    # English markdown awaiting its twin

    def missing_twin(line: int) -> ValueError:
        return ValueError(f"line {line}: this markdown cell has no Chinese twin; follow it with a "
                          f'`# %% [markdown] lang="zh"` cell')

    for line, cell in _parse_with_lines(text):
        lang = cell.metadata.pop(LANG_KEY, None)
        if lang is None:
            if pending is not None:
                raise missing_twin(pending[0])
            if cell.cell_type == "markdown":
                pending = (line, cell)
            else:
                for cells in out.values():
                    cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            raise ValueError(f"line {line}: `lang` marks a markdown twin; code cells are shared "
                             f"by both languages and take no `lang`")
        if lang not in LANG_DIRS or lang == "en":
            raise ValueError(f"line {line}: lang={json.dumps(lang)} is not a translation language "
                             f"(expected one of {sorted(set(LANG_DIRS) - {'en'})})")
        if pending is None:
            raise ValueError(f"line {line}: a {lang} markdown cell must directly follow the English "
                             f"markdown cell it translates")
        en_cell = pending[1]
        if set(cell.metadata) != set(en_cell.metadata):
            raise ValueError(f"line {line}: the twins must carry the same cell metadata "
                             f"({sorted(en_cell.metadata)} vs {sorted(cell.metadata)})")
        cell.source = join_cjk_lines(cell.source)
        out["en"].append(en_cell)
        out[lang].append(cell)
        pending = None
    if pending is not None:
        raise missing_twin(pending[0])
    return out


def is_check(cell: nbformat.NotebookNode) -> bool:
    """True for a code cell tagged ``nbval-check-output``."""
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def build_notebook(src: Path, lang: str = "en") -> nbformat.NotebookNode:
    """The notebook (without outputs) for one source file in ``lang``, with stable cell ids.

    The cell ids (``NN-kkk``) and tags are the same in every language.
    """
    if lang not in LANG_DIRS:
        raise ValueError(f"lang: {lang!r} is not one of {sorted(LANG_DIRS)}")
    nb = nbformat.v4.new_notebook()
    try:
        nb.cells = split_languages(src.read_text(encoding="utf-8"))[lang]
    except ValueError as exc:
        raise ValueError(f"{src.name}: {exc}") from None
    for k, cell in enumerate(nb.cells):
        cell.id = f"{src.stem[:2]}-{k:03d}"
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    if lang != "en":
        nb.metadata["cs231n_lin"] = {"lang": lang}
    return nb


def sanitize_rules(cfg: Path = HERE / "nbval_sanitize.cfg") -> list[tuple[re.Pattern, str]]:
    """The ``(regex, replacement)`` pairs of an nbval sanitize file, in file order."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(cfg, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def sanitize_outputs(nb: nbformat.NotebookNode, rules: list[tuple[re.Pattern, str]]) -> None:
    """Apply ``rules`` to the stored text outputs of every code cell that is not a check cell.

    A widget's view also gets a model id made from its cell id (the kernel draws a random one,
    and no widget state is stored for it to refer to).
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for k, out in enumerate(cell.get("outputs", [])):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = f"{cell.get('id', 'cell')}-widget-{k}"
        if is_check(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out.text
                for regex, repl in rules:
                    text = regex.sub(repl, text)
                out.text = text


def execute_deterministically(nb: nbformat.NotebookNode, cwd: Path = HERE
                              ) -> tuple[nbformat.NotebookNode, float]:
    """Run ``nb`` (a built notebook) in ``cwd`` with :data:`KERNEL_ENV`; the built metadata is kept."""
    from cs231n_lin.notebook_run import execute_notebook

    saved = {key: os.environ.get(key) for key in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)      # the kernel inherits this process's environment
    try:
        executed, seconds = execute_notebook(nb, cwd=cwd)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    executed.metadata = nb.metadata
    sanitize_outputs(executed, sanitize_rules())
    return executed, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="run each notebook and store its outputs")
    parser.add_argument("--lang", choices=sorted(LANG_DIRS), action="append",
                        help="build only this language (repeatable; default: all)")
    parser.add_argument("names", nargs="*", help="only these sources (stems, e.g. 01_svm_hinge_loss)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from cs231n_lin._io import atomic_write_text
    from cs231n_lin.notebook_run import notebook_text

    sources = sorted(SRC.glob("[0-9][0-9]_*.py"))
    if args.names:
        unknown = set(args.names) - {s.stem for s in sources}
        if unknown:
            parser.error(f"no source named {', '.join(sorted(unknown))} in {SRC}")
        sources = [s for s in sources if s.stem in args.names]
    langs = args.lang or list(LANG_DIRS)
    for src in sources:
        for lang in langs:
            nb = build_notebook(src, lang)
            folder = LANG_DIRS[lang]
            folder.mkdir(exist_ok=True)
            target = folder / f"{src.stem}.ipynb"
            if args.execute:
                nb, seconds = execute_deterministically(nb, cwd=folder)
                print(f"{target.relative_to(HERE)}: executed in {seconds:.1f} s")
            atomic_write_text(target, notebook_text(nb))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
