"""The process in which ``cs231n-lin check`` runs the student's code.

Started as ``python -m cs231n_lin.selfcheck.runner``; the grader runs it inside its sandbox too.

Reads a plan (JSON) on stdin and writes one JSON line per event to its stdout: ``{"start": id}``
before and ``{"id": id, "result": {...}}`` after each check, so that the parent knows which
check was running if the process has to be stopped. What the student's code prints is kept
out of that stream.

Notebook check cells are run without a kernel and without executing the whole notebook: the
imports, ``def`` and ``class`` statements (and literal constants) of the cells above a check
cell, and the student's solution cells in full, are executed, then the check cell itself.
Only when a check cell needs a name those do not define, the notebook's cells above it are
executed in full (matplotlib's Agg backend, in this process only). A check cell that needs a
name a still-unwritten solution cell would define is reported as "not written yet".
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import os
import sys
import time
import traceback
from typing import Any

from cs231n_lin.checks.cells import is_solution_cell

_LIGHT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _strip_magics(src: str) -> str:
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())


def _is_literal_assign(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Assign) or not all(isinstance(t, ast.Name) for t in node.targets):
        return False
    try:
        ast.literal_eval(node.value)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return False
    return True


def _light(tree: ast.Module) -> ast.Module:
    body = [n for n in tree.body if isinstance(n, _LIGHT) or _is_literal_assign(n)]
    return ast.Module(body=body, type_ignores=[])


def _exec(tree: ast.Module, ns: dict[str, Any], filename: str) -> Any:
    """Run a cell like Jupyter: the value of a last bare expression is returned."""
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body[-1].value)
        tree = ast.Module(body=tree.body[:-1], type_ignores=[])
    exec(compile(tree, filename, "exec"), ns)
    if last is not None:
        return eval(compile(last, filename, "eval"), ns)
    return None


def _result_json(value: Any, out: str, name: str) -> dict[str, Any]:
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and hasattr(value, "passed"):
        return to_json()
    failed = [ln.strip() for ln in out.splitlines() if ln.strip().startswith("FAIL")]
    failures = [{"what": f, "details": "", "likely_cause": None, "key": None} for f in failed]
    return {"name": name, "title": name, "passed": not failed, "not_written": False, "failures": failures}


def _error_json(exc: BaseException, name: str, filename: str) -> dict[str, Any]:
    if isinstance(exc, NotImplementedError):
        msg = str(exc) or f"not written yet: code above this check in {filename}"
        what = msg if msg.startswith("not written yet") else f"not written yet: {msg}"
        return {"name": name, "title": name, "passed": False, "not_written": True,
                "failures": [{"what": what, "details": "", "likely_cause": None, "key": None}]}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    where = f"line {frames[-1].lineno} of the cell: {frames[-1].line}" if frames and frames[-1].line else ""
    return {"name": name, "title": name, "passed": False, "not_written": False,
            "failures": [{"what": f"the cell raised {type(exc).__name__}: {exc}", "details": where,
                          "likely_cause": None, "key": None}]}


class Runner:
    def __init__(self, stream: io.TextIOBase):
        self.stream = stream

    def emit(self, event: dict[str, Any]) -> None:
        self.stream.write(json.dumps(event) + "\n")
        self.stream.flush()

    def run_package(self, item: dict[str, Any]) -> None:
        """Evaluate a task's check-cell ``call`` with the package's names (what the notebook imports)."""
        from cs231n_lin import checks

        self.emit({"start": item["id"]})
        t0 = time.perf_counter()
        sink = io.StringIO()
        module_name = ""
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                ns: dict[str, Any] = {"checks": checks}
                for name, target in item["names"].items():
                    module_name, attr = target.split(":")
                    ns[name] = getattr(importlib.import_module(module_name), attr)
                result = eval(compile(item["call"], "<check cell>", "eval"), ns).to_json()  # noqa: S307
        except Exception as exc:  # noqa: BLE001 - e.g. a SyntaxError in the student's file
            path = module_name.replace(".", "/") + ".py"
            detail = ""
            if isinstance(exc, SyntaxError):
                detail = f"line {exc.lineno}: {(exc.text or '').strip()}"
            result = {"name": item["id"], "title": item["id"], "passed": False, "not_written": False,
                      "failures": [{"what": f"{path} cannot be imported: {type(exc).__name__}: {exc}",
                                    "details": detail, "likely_cause": None, "key": None}]}
        self.emit({"id": item["id"], "result": result, "seconds": time.perf_counter() - t0})

    def run_notebook(self, item: dict[str, Any]) -> None:
        os.environ["MPLBACKEND"] = "Agg"          # this process only: nothing else runs here
        with open(item["path"], encoding="utf-8") as fh:
            cells = json.load(fh)["cells"]
        wanted = {int(i): cid for i, cid in item["cells"]}
        ns: dict[str, Any] = {"__name__": "__main__"}
        full = False
        unwritten = ""               # the message of a solution cell that is still a stub
        for index, cell in enumerate(cells):
            if cell.get("cell_type") != "code":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            filename = f"<{os.path.basename(item['path'])} cell {index}>"
            try:
                tree = ast.parse(_strip_magics(src), filename)
            except SyntaxError as exc:
                tree = None
                syntax = exc
            if index not in wanted:
                if tree is not None:
                    whole = full or is_solution_cell(cell)      # the student's own cells run as written
                    error = self._quiet(_exec, tree if whole else _light(tree), ns, filename)
                    if isinstance(error, NotImplementedError) and is_solution_cell(cell):
                        unwritten = str(error) or f"not written yet: a cell of {item['path']}"
                continue
            cid = wanted[index]
            self.emit({"start": cid})
            t0 = time.perf_counter()
            if tree is None:
                result = _error_json(syntax, cid, filename)
            else:
                result = self._check_cell(tree, ns, filename, cid)
                if unwritten and self._needs_full(result):     # it uses what the stub did not define
                    result = _error_json(NotImplementedError(unwritten), cid, filename)
                elif not full and self._needs_full(result):
                    full = True
                    ns = {"__name__": "__main__"}
                    for k, c in enumerate(cells[:index]):
                        if c.get("cell_type") == "code":
                            s = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                            with contextlib.suppress(SyntaxError):
                                t = ast.parse(_strip_magics(s))
                                self._quiet(_exec, t, ns, f"<cell {k}>")
                    result = self._check_cell(tree, ns, filename, cid)
            self.emit({"id": cid, "result": result, "seconds": time.perf_counter() - t0})

    @staticmethod
    def _needs_full(result: dict[str, Any]) -> bool:
        return any("raised NameError" in f["what"] for f in result["failures"])

    @staticmethod
    def _quiet(fn, *args) -> BaseException | None:
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                fn(*args)
        except Exception as exc:  # noqa: BLE001 - the check cell reports what is missing
            return exc
        return None

    def _check_cell(self, tree: ast.Module, ns: dict[str, Any], filename: str, cid: str) -> dict[str, Any]:
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = _exec(tree, ns, filename)
        except Exception as exc:  # noqa: BLE001 - reported as the cell's failure
            return _error_json(exc, cid, filename)
        return _result_json(value, sink.getvalue(), cid)


def main() -> int:
    plan = json.load(sys.stdin)
    stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout = io.StringIO()                   # stray prints never reach the event stream
    runner = Runner(stream)
    for library in ("numpy", "sklearn.base", "sklearn.utils.validation", "cs231n_lin.checks"):
        with contextlib.suppress(Exception):      # libraries, loaded before any check's time starts
            importlib.import_module(library)
    runner.emit({"ready": True})
    for item in plan.get("package", []):
        runner.run_package(item)
    for item in plan.get("notebooks", []):
        try:
            runner.run_notebook(item)
        except Exception as exc:  # noqa: BLE001
            runner.emit({"notebook_error": item["path"], "error": f"{type(exc).__name__}: {exc}"})
    runner.emit({"done": True})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
