"""Runs notebooks in the sandbox with nbclient; writes what each code cell did (copied there by nbgrade).

Runs as ``python -I nb_execute.py OUT_DIR KERNEL_NAME CELL_TIMEOUT NOTEBOOK...``, writing
``OUT_DIR/<notebook name>.json`` for each notebook (one runner for all, two notebooks at a
time). The kernel is started from the kernelspec ``KERNEL_NAME`` (``nb_kernel_launch.py``, which
drops to the sandbox uid before any student code runs). nbclient's public ``on_cell_executed``
hook records each cell's ``execute_reply`` status, so an exception hidden by an overridden
``showtraceback`` still counts.
Nothing here carries points: the grader uses it for the student's feedback only.
"""

import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

MAX_TEXT = 4000


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


def run_one(nb_path: str, out_path: str, kernel: str, timeout: str) -> None:
    nb = nbformat.read(nb_path, as_version=4)
    status: dict[int, str] = {}

    def executed(cell, cell_index, execute_reply):
        status[cell_index] = str(execute_reply.get("content", {}).get("status", "?"))

    client = NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), allow_errors=True,
                            on_cell_executed=executed, resources={"metadata": {"path": os.getcwd()}})
    stopped = None
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as exc:
        stopped = f"{type(exc).__name__}: {str(exc)[:300]}"
    except Exception as exc:  # noqa: BLE001 - reported to the grader as a stopped run
        stopped = f"{type(exc).__name__}: {str(exc)[:300]}"
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    cells = [{"index": k, "id": str(c.get("id", "")), "status": status.get(i),
              "text": _text(c.get("outputs", []))}
             for k, (i, c) in enumerate(code)]  # "index" counts code cells only
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"cells": cells, "stopped": stopped}, f)
    os.replace(tmp, out_path)


PARALLEL = 2  # notebooks run at the same time (one process each; the machine has few cores)


def main(out_dir: str, kernel: str, timeout: str, *notebooks: str) -> None:
    running: set[int] = set()
    for path in notebooks:
        if len(running) >= PARALLEL:
            running.discard(os.wait()[0])
        pid = os.fork()
        if pid == 0:
            try:
                run_one(path, os.path.join(out_dir, os.path.basename(path) + ".json"), kernel, timeout)
            finally:
                os._exit(0)
        running.add(pid)
    while running:
        running.discard(os.wait()[0])


if __name__ == "__main__":
    main(*sys.argv[1:])
