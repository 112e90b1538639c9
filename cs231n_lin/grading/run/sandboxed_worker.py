"""The program that runs INSIDE the sandbox: imports the student's code and calls it.

Standard library and numpy only (it is copied into the sandbox and run as
``python -I -S driver.py CONFIG``). It decides nothing: it calls what the task list says and
writes back plain data -- JSON for scalars and structure, ``.npz`` (no object arrays, so no
pickle) for arrays. The student's code shares this process and may tamper with it; that is why
every judgement happens in the grader, which validates each value it reads back.
"""

import json
import os
import sys
import time

MAIN_PID = os.getpid()
MAX_DEPTH = 3
MAX_ITEMS = 16


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:500]}"


def _encode(value, arrays: dict, key: str, np, depth: int = 0) -> dict:
    """Describe ``value`` as JSON; arrays go into ``arrays`` under ``key``."""
    if value is None:
        return {"kind": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"kind": "bool", "value": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"kind": "int", "value": int(value), "type": type(value).__name__}
    if isinstance(value, (float, np.floating)):
        return {"kind": "float", "value": float(value), "type": type(value).__name__}
    if isinstance(value, np.ndarray):
        arr = np.asarray(value)
        if arr.dtype.hasobject or arr.dtype.kind not in "biufU":
            return {"kind": "other", "type": f"ndarray of dtype {arr.dtype}"}
        arrays[key] = np.ascontiguousarray(arr)
        return {"kind": "array", "key": key}
    if isinstance(value, str):
        return {"kind": "str", "value": str.__str__(value)[:2000]}
    if isinstance(value, dict) and depth < MAX_DEPTH and len(value) <= 64:
        return {"kind": "dict", "items": {str(k)[:100]: _encode(v, arrays, f"{key}_{i}", np, depth + 1)
                                          for i, (k, v) in enumerate(value.items())}}
    if isinstance(value, (tuple, list)) and depth < MAX_DEPTH and len(value) <= MAX_ITEMS:
        items = [_encode(v, arrays, f"{key}_{i}", np, depth + 1) for i, v in enumerate(value)]
        return {"kind": "tuple" if isinstance(value, tuple) else "list", "items": items}
    return {"kind": "other", "type": type(value).__name__[:100]}


def _load(path: str, name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


_NOTEBOOKS: dict = {}


def _notebook_namespace(params: dict) -> dict:
    """The names a notebook's solution cells define (run once per notebook, after its imports)."""
    name = params["notebook"]
    if name not in _NOTEBOOKS:
        ns = {"__name__": "__notebook__"}
        errors = []
        for i, src in enumerate([params.get("imports", "")] + list(params.get("cells", []))):
            try:
                exec(compile(src, f"<{name} solution cell {i}>", "exec"), ns)
            except BaseException as exc:  # noqa: BLE001 - a failing cell may still have defined the function
                errors.append(exc)
        _NOTEBOOKS[name] = (ns, errors)
    return _NOTEBOOKS[name][0]


def _notebook_name(params: dict, name: str):
    """``name`` from the notebook's namespace; if it is not there, the error of the cell that should
    have defined it (a stub's "not written yet", a deleted cell's message, the student's error)."""
    ns = _notebook_namespace(params)
    if name in ns:
        return ns[name]
    errors = _NOTEBOOKS[params["notebook"]][1]
    if errors:
        raise errors[0]
    raise NameError(f"{name} is not defined by your notebook's solution cells")


def _visible(task, target, args, np):
    """The task table's visible checks, run by the same runner as ``cs231n-lin check`` (the check
    cells' calls on the student's code): ``{task id: (passed, not_written, what, details, cause,
    key)}``. Only ever lowers a grade: points are judged by the grader on the hidden cases."""
    import io

    from cs231n_lin import i18n
    from cs231n_lin.selfcheck import runner

    stream = io.StringIO()
    r = runner.Runner(stream)
    plan = task["params"]["plan"]
    with i18n.using_lang(task["params"].get("lang", "en")):    # the feedback in the student's language
        for item in plan.get("package", []):
            r.run_package(item)
        for item in plan.get("notebooks", []):
            try:
                r.run_notebook(item)
            except Exception:  # noqa: BLE001 - the items of that notebook stay unreported
                pass
    out = {}
    for line in stream.getvalue().splitlines():
        event = json.loads(line)
        if "result" in event:
            res = event["result"]
            f = (res.get("failures") or [{}])[0]
            keyed = next((x for x in res.get("failures") or [] if x.get("likely_cause")), f)
            out[event["id"]] = (bool(res.get("passed")), bool(res.get("not_written")), str(f.get("what", "")),
                                str(f.get("details", "")), str(keyed.get("likely_cause") or ""),
                                str(keyed.get("key") or ""))
    return out


def _fit_recorded(task, target, args, np):
    from cs231n_lin.checks.estimators import record_fit

    rec = record_fit(target, args["X"], args["y"], args["G"], **task.get("params", {}))
    return {k: (list(v) if isinstance(v, list) else v) for k, v in rec.items()}


def _predict_weights(task, target, args, np):
    est = target(fit_intercept=True)
    est.W_, est.classes_ = args["W"], args["classes"]
    est.n_features_in_, est.loss_history_ = args["X"].shape[1], np.zeros(1)
    return est.predict(args["X"])


def _nbvalue(task, target, args, np):
    return tuple(_notebook_name(task["params"], name) for name in task["params"]["names"])


def _nbsearch(task, target, args, np):
    from cs231n_lin.checks.lesson01 import run_search, search_tables

    tables = search_tables(int(task["params"]["seed"]))
    out, fits = run_search(_notebook_name(task["params"], "search_hyperparameters"), *tables)
    results, best = out
    pairs = [(float(k[0]), float(k[1]), float(v[0]), float(v[1])) for k, v in list(results.items())[:256]]
    return (np.array(pairs, dtype=float).reshape(-1, 4), np.array([float(b) for b in best]),
            np.array([[float(x) for x in f] for f in fits[:256]], dtype=float).reshape(-1, 3))


_TABLE_KINDS = {"visible": _visible, "fit_recorded": _fit_recorded, "predict_weights": _predict_weights,
                "nbvalue": _nbvalue, "nbsearch": _nbsearch}


_SHARED: dict = {}


def _argument(inputs, key: str, shared, np):
    """A fresh copy of an input array; an array shared by several calls is loaded once and passed as is."""
    if key in shared:
        if key not in _SHARED:
            _SHARED[key] = np.array(inputs[key])
        return _SHARED[key]
    return np.array(inputs[key])


def _run_task(task: dict, inputs, modules: dict, out_dir: str, helpers: dict, np, shared=()) -> None:
    perf, probes = helpers.get("perf"), helpers.get("probes")
    arrays: dict = {}
    result = {"id": task["id"], "ok": False, "error": None}
    args = {name: _argument(inputs, key, shared, np) for name, key in task.get("arrays", {}).items()}
    args.update(task.get("scalars", {}))
    start = time.perf_counter()
    try:
        kind = task["kind"]
        module = modules.get(task["module"])
        if isinstance(module, BaseException):
            raise ImportError(f"importing {task['module']} failed: {_error(module)}")
        target = (getattr(module, task["name"]) if kind not in ("probe", "nbfunc", "nbvalue", "nbsearch",
                                                                 "visible") else None)
        if kind == "nbfunc":
            value = _notebook_name(task["params"], task["name"])(**args)
        elif kind == "call":
            value = target(**args)
        elif kind == "fit_predict":
            est = target(**task.get("params", {}))
            est.fit(args["X_train"], args["y_train"])
            value = est.predict(args["X_test"])
        elif kind == "fit_weights":
            est = target(**task.get("params", {}))
            est.fit(args["X_train"], args["y_train"])
            value = est.W_
        elif kind == "perf":
            value = perf.measure(target, **task["perf"])
        elif kind in _TABLE_KINDS:
            value = _TABLE_KINDS[kind](task, target, args, np)
        elif kind == "probe":
            value = probes.run_probe(module, probes.Probe(task["params"]["probe_name"], task["name"], args))
        else:
            raise ValueError(f"unknown task kind {kind!r}")
        result["returned"] = _encode(value, arrays, "ret", np)
        result["ok"] = True
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are student errors too
        result["error"] = _error(exc)
    if os.getpid() != MAIN_PID:  # a process forked by the student's code must not report anything
        os._exit(0)
    result["seconds"] = time.perf_counter() - start
    if task["kind"] == "call":
        after = {}
        for name, val in args.items():
            if isinstance(val, np.ndarray) and task["arrays"].get(name) not in shared:
                arrays["after_" + name] = val
                after[name] = "after_" + name
        result["inputs_after"] = after
    path = os.path.join(out_dir, task["id"])
    np.savez(path + ".tmp.npz", **arrays)
    os.replace(path + ".tmp.npz", path + ".npz")
    with open(path + ".json.tmp", "w") as f:
        json.dump(result, f)
    os.replace(path + ".json.tmp", path + ".json")


def main(config_path: str) -> None:
    with open(config_path) as f:
        cfg = json.load(f)
    sys.path[:0] = [cfg["submission"]]
    sys.path.extend(cfg["site_packages"])
    os.chdir(cfg["submission"])
    import numpy as np

    helpers = {name: _load(path, "grader_" + name) for name, path in cfg.get("helpers", {}).items()}
    inputs = np.load(cfg["inputs"], allow_pickle=False)
    out_dir = cfg["out_dir"]
    modules: dict = {}
    for name in cfg["modules"]:
        try:
            modules[name] = __import__(name, fromlist=["_"])
        except BaseException as exc:  # noqa: BLE001
            modules[name] = exc
    with open(os.path.join(out_dir, "imports.json"), "w") as f:
        json.dump({n: (_error(m) if isinstance(m, BaseException) else None) for n, m in modules.items()},
                  f)
    shared = set(cfg.get("shared", []))
    for task in cfg["tasks"]:
        _run_task(task, inputs, modules, out_dir, helpers, np, shared)


if __name__ == "__main__":
    main(sys.argv[1])
