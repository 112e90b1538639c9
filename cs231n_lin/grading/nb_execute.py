"""Runs notebooks in the sandbox with nbclient; writes what each code cell did (copied there by nbgrade).

Runs as ``python -I nb_execute.py OUT_DIR KERNEL_NAME CELL_TIMEOUT NOTEBOOK...``, writing
``OUT_DIR/<notebook name>.json`` for each notebook. The kernel is started from the kernelspec
``KERNEL_NAME`` (``nb_kernel_launch.py``, which drops to the sandbox uid before any student code
runs). nbclient's public ``on_cell_executed`` hook records each cell's ``execute_reply`` status, so
an exception hidden by an overridden ``showtraceback`` still counts.

The notebooks run one after the other in ONE kernel: starting a kernel and importing numpy,
scikit-learn and matplotlib costs far more than the few cells the grader runs (see
``nb_select``). Before each notebook a reset cell (:data:`RESET`, not reported) clears the user
namespace (what ``%reset -f`` does, without its slow garbage collection) and puts back the
interpreter state a notebook may change (working directory, ``sys.path``, numpy's print options,
warning filters, open matplotlib figures), so each notebook starts as in a fresh kernel apart
from the modules already imported. A
notebook that stops the kernel (a cell time-out, a crash) is reported as stopped, and the
notebooks after it run in a new kernel.
"""

import json
import os
import sys

import nbformat
from nbclient import NotebookClient

MAX_TEXT = 4000
PART = "cs231n_part"  # cell metadata: which notebook of the run a cell belongs to (-1: a reset cell)

RESET = """\
def _cs231n_fresh_start(ip):
    import os, sys, types, warnings

    import numpy

    state = sys.modules.get("_cs231n_fresh_state")
    if state is None:
        state = types.ModuleType("_cs231n_fresh_state")
        state.cwd, state.path = os.getcwd(), list(sys.path)
        state.printoptions, state.filters = numpy.get_printoptions(), list(warnings.filters)
        sys.modules["_cs231n_fresh_state"] = state
    os.chdir(state.cwd)
    sys.path[:] = state.path
    numpy.set_printoptions(**state.printoptions)
    warnings.filters[:] = state.filters
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    for name in [k for k in ip.user_ns if k not in ip.user_ns_hidden]:
        del ip.user_ns[name]


_cs231n_fresh_start(get_ipython())
"""


def _text(outputs) -> str:
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(str(out.get("text", "")))
        elif kind in ("execute_result", "display_data"):
            parts.append(str(out.get("data", {}).get("text/plain", "")) + "\n")
        elif kind == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}\n")
    return "".join(parts)[:MAX_TEXT]


def _write(out_path: str, cells: list, status: dict, stopped) -> None:
    report = [{"index": k, "id": str(c.get("id", "")), "status": status.get(i),
               "text": _text(c.get("outputs", []))}
              for k, (i, c) in enumerate(cells)]  # "index" counts the notebook's code cells only
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"cells": report, "stopped": stopped}, f)
    os.replace(tmp, out_path)


def run_in_one_kernel(paths: list, out_paths: list, kernel: str, timeout: int) -> int:
    """Run ``paths`` in order in one kernel; returns how many were run (the last one may have stopped it)."""
    combined = nbformat.v4.new_notebook()
    owner: list = []
    for part, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        if part == 0:
            combined.metadata = nb.metadata
        reset = nbformat.v4.new_code_cell(RESET)
        reset.metadata[PART] = -1
        combined.cells.append(reset)
        owner.append(-1)
        for cell in nb.cells:
            combined.cells.append(cell)
            owner.append(part)
    status: dict = {}
    current = {"index": 0}

    def starting(cell, cell_index):
        current["index"] = cell_index

    def executed(cell, cell_index, execute_reply):
        status[cell_index] = str(execute_reply.get("content", {}).get("status", "?"))

    client = NotebookClient(combined, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            on_cell_execute=starting, on_cell_executed=executed,
                            resources={"metadata": {"path": os.getcwd()}})
    stopped, stop_part, last = None, len(paths), len(paths) - 1
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 - a time-out, a dead kernel: reported as a stopped run
        stopped = f"{type(exc).__name__}: {str(exc)[:300]}"
        at = current["index"]
        stop_part = owner[at] if owner[at] >= 0 else next((p for p in owner[at:] if p >= 0), 0)
        # the kernel never ran a cell: starting another is no use, every notebook stopped
        last = stop_part if status else len(paths) - 1
    for part in range(last + 1):
        cells = [(i, c) for i, c in enumerate(combined.cells) if owner[i] == part and c.cell_type == "code"]
        _write(out_paths[part], cells, status, stopped if part >= stop_part else None)
    return last + 1


def main(out_dir: str, kernel: str, timeout: str, *notebooks: str) -> None:
    pending = list(notebooks)
    while pending:
        outs = [os.path.join(out_dir, os.path.basename(p) + ".json") for p in pending]
        done = run_in_one_kernel(pending, outs, kernel, int(timeout))
        pending = pending[done:]


if __name__ == "__main__":
    main(*sys.argv[1:])
