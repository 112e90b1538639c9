"""Build the lesson notebooks from their percent-format sources in ``notebooks/src/``.

Each ``src/NN_name.py`` is a sequence of cells separated by ``# %%`` (code) and
``# %% [markdown]`` lines; markdown lines drop their leading ``# ``, and in code cells a line
``# %magic`` becomes the IPython magic ``%magic`` (so the sources stay valid Python for ruff).

    python notebooks/_build.py            # write notebooks/NN_name.ipynb (no outputs)
    python notebooks/_build.py --execute  # ... and run them in place so outputs are stored
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
_MARKER = re.compile(r"^# %%(?P<kind>\s*\[markdown\])?\s*$")
_MAGIC = re.compile(r"^# (%(?!%).*)$")


def parse_cells(text: str) -> list[nbformat.NotebookNode]:
    """Notebook cells from percent-format source text (anything before the first marker is ignored)."""
    cells: list[nbformat.NotebookNode] = []
    kind, lines = None, []

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
            cells.append(nbformat.v4.new_markdown_cell(body))
        else:
            body = "\n".join(_MAGIC.sub(r"\1", ln) for ln in lines)
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        m = _MARKER.match(line)
        if m:
            flush()
            kind, lines = ("markdown" if m.group("kind") else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def build_notebook(src: Path) -> nbformat.NotebookNode:
    """The notebook (without outputs) for one source file, with stable cell ids."""
    nb = nbformat.v4.new_notebook()
    nb.cells = parse_cells(src.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb.cells):
        cell.id = f"{src.stem[:2]}-{k:03d}"
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="run each notebook and store its outputs")
    parser.add_argument("names", nargs="*", help="only these sources (stems, e.g. 01_svm_hinge_loss)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from cs231n_lin._io import atomic_write_text
    from cs231n_lin.notebook_run import execute_notebook, notebook_text

    sources = sorted(SRC.glob("[0-9][0-9]_*.py"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names]
    for src in sources:
        nb = build_notebook(src)
        target = HERE / f"{src.stem}.ipynb"
        if args.execute:
            nb, seconds = execute_notebook(nb, cwd=HERE)
            print(f"{target.name}: executed in {seconds:.1f} s")
        atomic_write_text(target, notebook_text(nb))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
