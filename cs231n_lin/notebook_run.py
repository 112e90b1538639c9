"""Run the lesson notebooks and export them to HTML (used by ``make notebooks`` and ``cs231n-lin demo``).

Executed copies are written elsewhere; a source notebook is only replaced by ``make notebooks``.
The HTML renders its formulas without a network: MathJax (with its TeX fonts,
:mod:`cs231n_lin.mathjax_offline`) is copied once into ``OUT_DIR/_mathjax/`` and loaded through a
relative URL, so the folder can be moved or zipped as a whole.
"""

from __future__ import annotations

import copy
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cs231n_lin._io import atomic_write_text
from cs231n_lin._paths import PACKAGE_DIR
from cs231n_lin.mathjax_offline import (  # noqa: F401  (kept importable from here)
    MATHJAX_CONFIG,
    MATHJAX_DIRNAME,
    install_mathjax,
    mathjax_source,
)

if TYPE_CHECKING:          # imported where used: nbformat takes seconds to import (jsonschema)
    import nbformat

#: Where the lesson notebooks live in a checkout of the repository.
NOTEBOOK_DIR = PACKAGE_DIR.parent / "notebooks"
#: nbconvert's "lab" page without require.js, which nbconvert fetches from a CDN and which only
#: live widgets need (a widget's state is dropped before export: it cannot run without a kernel).
_OFFLINE_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
)


def offline_html_exporter(mathjax_url: str):
    """An nbconvert ``HTMLExporter`` whose page loads nothing from the network.

    Parameters
    ----------
    mathjax_url : str
        Where the page loads MathJax from, e.g. the relative URL :func:`install_mathjax` returns.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file="cs231n_offline.html.j2",
                        extra_loaders=[DictLoader({"cs231n_offline.html.j2": _OFFLINE_TEMPLATE})],
                        mathjax_url=mathjax_url)


def notebook_text(nb: nbformat.NotebookNode) -> str:
    """The notebook as JSON text, without per-run metadata (timestamps), ending in a newline."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def execute_notebook(nb: nbformat.NotebookNode, *, cwd: str | os.PathLike,
                     timeout: int = 300) -> tuple[nbformat.NotebookNode, float]:
    """Run every cell of a copy of ``nb`` in a fresh kernel (started in ``cwd``).

    Returns
    -------
    nb : NotebookNode
        The executed copy, outputs stored.
    seconds : float
        Wall time of the run.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises; the message shows the cell and the traceback.
    """
    from nbclient import NotebookClient
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from traitlets.config import Config

    nb = copy.deepcopy(nb)
    start = time.perf_counter()
    # The kernel talks to us over Unix sockets in a private folder (IPC transport), not over
    # unencrypted TCP ports (which ipykernel warns about on every start).
    # (Public traitlets configuration of the kernel manager that nbclient makes, starts and stops.)
    with tempfile.TemporaryDirectory(prefix="cs231n-kernel-") as sockets:
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        NotebookClient(nb, timeout=timeout, kernel_name="python3", config=config,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    seconds = time.perf_counter() - start
    merge = CoalesceStreamsPreprocessor()   # join stream pieces, apply "\r" as a terminal would
    for k, cell in enumerate(nb.cells):
        merge.preprocess_cell(cell, {}, k)
    return nb, seconds


def export_notebooks(out_dir: str | os.PathLike, *, src_dir: str | os.PathLike | None = None,
                     names: list[str] | None = None) -> list[dict]:
    """Execute copies of the notebooks in ``src_dir`` and write ``OUT_DIR/NAME.html`` and ``NAME.ipynb``.

    Figures are embedded in the HTML; formulas are rendered by the MathJax copied to
    ``OUT_DIR/_mathjax`` (see :func:`install_mathjax`), so the HTML needs no network. Source
    notebooks are never modified.

    Parameters
    ----------
    out_dir : path
        Destination folder (created).
    src_dir : path, optional
        Folder of ``*.ipynb`` (default: the repository's ``notebooks/``).
    names : list of str, optional
        Only these notebook stems.

    Returns
    -------
    list of dict
        ``{"notebook", "html", "seconds"}`` per notebook, in name order.
    """
    src_dir = Path(src_dir) if src_dir is not None else NOTEBOOK_DIR
    if not src_dir.is_dir():
        raise FileNotFoundError(f"no notebooks folder at {src_dir}; run from a checkout of the repository")
    paths = sorted(p for p in src_dir.glob("*.ipynb") if not p.name.startswith((".", "_")))
    if names:
        paths = [p for p in paths if p.stem in names]
    if not paths:
        raise FileNotFoundError(f"no notebooks (*.ipynb) found in {src_dir}")
    out = Path(out_dir)
    exporter = offline_html_exporter(install_mathjax(out))
    rows = []
    for path in paths:
        import nbformat

        nb = nbformat.read(path, as_version=4)
        executed, seconds = execute_notebook(nb, cwd=src_dir)
        atomic_write_text(out / path.name, notebook_text(executed))
        page = copy.deepcopy(executed)
        page.metadata.pop("widgets", None)
        html, _ = exporter.from_notebook_node(page, resources={"metadata": {"name": path.stem}})
        target = atomic_write_text(out / f"{path.stem}.html", html)
        rows.append({"notebook": path.name, "html": str(target), "seconds": seconds})
    return rows
