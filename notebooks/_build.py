"""Build the lesson notebooks from their percent-format sources in ``notebooks/src/``.

Each ``src/NN_name.py`` is a sequence of cells separated by ``# %%`` (code) and
``# %% [markdown]`` lines; markdown lines drop their leading ``# ``, and in code cells a line
``# %magic`` becomes the IPython magic ``%magic`` (so the sources stay valid Python for ruff).

A cell marker may carry cell metadata the way jupytext writes it, as ``key=JSON`` pairs::

    # %% tags=["nbval-check-output"]
    checks.svm_naive_loss(svm_loss_naive)

A check cell (nbval compares its output with the stored one) is a code cell tagged
``nbval-check-output``; the old ``# NBVAL_CHECK_OUTPUT`` comment is refused, so that the students'
cells carry no marker text.

The build is deterministic: the same sources (and the same package code and environment) give
byte-identical notebooks. Cell ids are ``NN-kkk``; the kernel runs with a fixed hash seed and one
BLAS thread (sums in a fixed order); the notebook metadata written by the kernel (Python version)
is replaced by the built one; per-run timestamps are dropped; and in the stored text outputs of
cells that nbval does not compare, wall-clock measurements are replaced by the rules of
``nbval_sanitize.cfg`` (``0.21 s`` becomes ``TIME``), the same rules nbval applies when comparing.

    python notebooks/_build.py            # write notebooks/NN_name.ipynb (no outputs)
    python notebooks/_build.py --execute  # ... and run them in place so outputs are stored
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
CHECK_TAG = "nbval-check-output"
_MARKER = re.compile(r"^# %%(?P<kind>\s*\[markdown\])?(?P<meta>(\s+[A-Za-z_][\w.-]*=\S+)*)\s*$")
_META_PAIR = re.compile(r"([A-Za-z_][\w.-]*)=(\S+)")
_MAGIC = re.compile(r"^# (%(?!%).*)$")
#: Environment of the kernel that executes the notebooks (see the module docstring).
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def _parse_metadata(text: str, line_no: int) -> dict:
    meta = {}
    for key, value in _META_PAIR.findall(text):
        try:
            meta[key] = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {line_no}: cell metadata {key}={value} is not JSON ({exc.msg})") from None
    return meta


def parse_cells(text: str) -> list[nbformat.NotebookNode]:
    """Notebook cells from percent-format source text (anything before the first marker is ignored).

    Raises
    ------
    ValueError
        When a cell's metadata is not JSON, or a code cell uses the ``# NBVAL_CHECK_OUTPUT`` comment
        instead of the ``nbval-check-output`` tag.
    """
    cells: list[nbformat.NotebookNode] = []
    kind, meta, start, lines = None, {}, 0, []

    def flush() -> None:
        if kind is None:
            return
        blank = (lambda ln: not ln.strip("# ")) if kind == "markdown" else (lambda ln: not ln.strip())
        while lines and blank(lines[-1]):
            lines.pop()
        while lines and blank(lines[0]):
            lines.pop(0)
        if not lines:
            return
        if kind == "markdown":
            body = "\n".join(ln[2:] if ln.startswith("# ") else ln.lstrip("#") for ln in lines)
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            if any(ln.strip().lstrip("#").strip() == "NBVAL_CHECK_OUTPUT" for ln in lines):
                raise ValueError(f"line {start}: mark a check cell with "
                                 f'`# %% tags=["{CHECK_TAG}"]`, not a # NBVAL_CHECK_OUTPUT comment')
            cell = nbformat.v4.new_code_cell("\n".join(_MAGIC.sub(r"\1", ln) for ln in lines))
        cell.metadata.update(meta)
        cells.append(cell)

    for line_no, line in enumerate(text.splitlines(), start=1):
        m = _MARKER.match(line)
        if m:
            flush()
            kind = "markdown" if m.group("kind") else "code"
            meta, start, lines = _parse_metadata(m.group("meta"), line_no), line_no, []
        else:
            lines.append(line)
    flush()
    return cells


def is_check(cell: nbformat.NotebookNode) -> bool:
    """True for a code cell tagged ``nbval-check-output``."""
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def build_notebook(src: Path) -> nbformat.NotebookNode:
    """The notebook (without outputs) for one source file, with stable cell ids."""
    nb = nbformat.v4.new_notebook()
    try:
        nb.cells = parse_cells(src.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{src.name}: {exc}") from None
    for k, cell in enumerate(nb.cells):
        cell.id = f"{src.stem[:2]}-{k:03d}"
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def sanitize_rules(cfg: Path = HERE / "nbval_sanitize.cfg") -> list[tuple[re.Pattern, str]]:
    """The ``(regex, replacement)`` pairs of an nbval sanitize file, in file order."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(cfg, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def sanitize_outputs(nb: nbformat.NotebookNode, rules: list[tuple[re.Pattern, str]]) -> None:
    """Apply ``rules`` to the stored text outputs of every code cell that is not a check cell."""
    for cell in nb.cells:
        if cell.cell_type != "code" or is_check(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out.text
                for regex, repl in rules:
                    text = regex.sub(repl, text)
                out.text = text


def execute_deterministically(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, float]:
    """Run ``nb`` (a built notebook) with :data:`KERNEL_ENV`; the built metadata is kept."""
    from cs231n_lin.notebook_run import execute_notebook

    saved = {key: os.environ.get(key) for key in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)      # the kernel inherits this process's environment
    try:
        executed, seconds = execute_notebook(nb, cwd=HERE)
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
    for src in sources:
        nb = build_notebook(src)
        target = HERE / f"{src.stem}.ipynb"
        if args.execute:
            nb, seconds = execute_deterministically(nb)
            print(f"{target.name}: executed in {seconds:.1f} s")
        atomic_write_text(target, notebook_text(nb))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
