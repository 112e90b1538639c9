"""The grader's side of the worker: run a submission's code in sandboxed processes, bring back plain data.

The grader never imports student code. The scratch copy comes from :mod:`.scratch` (its names are
re-exported here). :func:`run_tasks` runs ``sandboxed_worker.py`` on it in
the sandbox (:mod:`cs231n_lin.grading.sandbox`) and returns one :class:`TaskOutcome` per task,
decoded from JSON and ``np.load(..., allow_pickle=False)`` with every value validated. If the
worker dies or times out in a task, that task fails and a fresh worker runs the remaining ones.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cs231n_lin.grading import sandbox
from cs231n_lin.grading.sandbox import Limits
from cs231n_lin.grading.scratch import (  # noqa: F401 - re-exported: the scratch copy's API
    MAX_FILES,
    MAX_SUBMISSION_BYTES,
    PACKAGE,
    SKIP_DIRS,
    SubmissionError,
    _chown_tree,
    _hidden_paths,
    find_package_root,
    make_sandbox_dir,
    prepare_scratch,
    reference_package,
    remove_sandbox_dir,
    scratch_is_limited,
    student_files,
)

MAX_RESULT_BYTES = 64 * 1024**2  # per task: bytes of the result files, and declared bytes of its arrays

@dataclass
class Task:
    """One call the worker makes.

    ``kind`` is ``"call"`` (``module.name(**arrays, **scalars)``), ``"fit_predict"``
    (``module.name(**params).fit(X_train, y_train).predict(X_test)``), ``"perf"``
    (``perf.measure(module.name, **perf)``) or ``"probe"`` (``probes.run_probe(module,
    Probe(params["probe_name"], name, arrays | scalars))``, the diagnose helper's interface).
    """

    id: str
    kind: str
    module: str
    name: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    scalars: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    perf: dict = field(default_factory=dict)


@dataclass
class TaskOutcome:
    """What the worker reported for one task, validated.

    ``value`` is built only of ``None``, ``bool``, ``int``, ``float``, numeric/str ndarrays,
    tuples/lists of those, and :class:`Opaque` (anything else the student returned).
    ``crash`` is set when the worker process died or timed out during this task.
    """

    id: str
    ok: bool
    error: str | None = None
    value: object = None
    inputs_after: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    measurement: dict[str, float] = field(default_factory=dict)
    crash: str | None = None


@dataclass(frozen=True)
class Opaque:
    """A returned object of a type the grader does not accept (only its type name is known)."""

    type_name: str


# ------------------------------------------------------------------------------ running

def _decode(desc, arrays, depth=0):
    if not isinstance(desc, dict) or depth > 4:
        return Opaque("malformed")
    kind = desc.get("kind")
    if kind == "none":
        return None
    if kind == "bool" and isinstance(desc.get("value"), bool):
        return desc["value"]
    if kind == "int" and type(desc.get("value")) is int:
        return desc["value"]
    if kind == "float" and type(desc.get("value")) in (float, int):
        return float(desc["value"])
    if kind == "array" and isinstance(desc.get("key"), str) and desc["key"] in arrays:
        arr = arrays[desc["key"]]
        return arr if isinstance(arr, np.ndarray) and arr.dtype.kind in "biufU" else Opaque("array")
    if kind == "str" and isinstance(desc.get("value"), str):
        return desc["value"]
    if kind == "dict" and isinstance(desc.get("items"), dict):
        return {str(k): _decode(v, arrays, depth + 1) for k, v in list(desc["items"].items())[:64]}
    if kind in ("tuple", "list") and isinstance(desc.get("items"), list):
        items = [_decode(d, arrays, depth + 1) for d in desc["items"][:16]]
        return tuple(items) if kind == "tuple" else list(items)
    if kind == "other":
        return Opaque(str(desc.get("type", "?"))[:100])
    return Opaque("malformed")


def _read_regular(path: Path, cap: int = MAX_RESULT_BYTES) -> bytes:
    """Bytes of a regular file written by the sandbox: no symlink followed, at most ``cap`` bytes."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(cap + 1)
    finally:
        os.close(fd)
    if len(data) > cap:
        raise ValueError("result too large")
    return data


def load_npz_capped(data: bytes, cap: int, max_members: int = 64) -> dict[str, np.ndarray]:
    """Arrays of an ``.npz`` written by the sandbox, every size checked BEFORE anything is inflated.

    The zip directory's uncompressed sizes and each member's ``.npy`` header (shape and dtype,
    read with :mod:`numpy.lib.format`) must stay within ``cap`` bytes in total; no pickles.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise ValueError(f"{len(infos)} arrays; at most {max_members}")
        if sum(i.file_size for i in infos) > cap:
            raise ValueError("the arrays declare more bytes than allowed")
        out = {}
        for info in infos:
            with zf.open(info) as f:
                version = np.lib.format.read_magic(f)
                header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                          else np.lib.format.read_array_header_2_0)
                shape, _, dtype = header(f)
                if dtype.hasobject or int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > cap:
                    raise ValueError("an array declares an object dtype or too many bytes")
            with zf.open(info) as f:
                out[info.filename.removesuffix(".npy")] = np.lib.format.read_array(f, allow_pickle=False)
        return out


def _read_outcome(out_dir: Path, task: Task) -> TaskOutcome | None:
    jpath, npath = out_dir / f"{task.id}.json", out_dir / f"{task.id}.npz"
    if not os.path.lexists(jpath):
        return None
    try:
        data = json.loads(_read_regular(jpath).decode("utf-8", errors="replace"))
        arrays = {}
        if os.path.lexists(npath):
            arrays = load_npz_capped(_read_regular(npath), MAX_RESULT_BYTES)
        if not isinstance(data, dict) or data.get("id") != task.id:
            raise ValueError("wrong id")
    except Exception as exc:  # noqa: BLE001 - anything unreadable is the submission's fault
        return TaskOutcome(task.id, ok=False,
                           error=f"the worker's result could not be read ({type(exc).__name__})")
    after = {}
    for name, key in (data.get("inputs_after") or {}).items():
        if isinstance(key, str) and isinstance(arrays.get(key), np.ndarray):
            after[str(name)] = arrays[key]
    value = _decode(data.get("returned"), arrays)
    measurement = {}
    if task.kind == "perf" and isinstance(value, dict):
        measurement = {k: v for k, v in value.items() if v is None or isinstance(v, (str, int, float))}
    seconds = data.get("seconds")
    return TaskOutcome(
        id=task.id, ok=data.get("ok") is True,
        error=str(data["error"])[:600] if data.get("error") is not None else None,
        value=value, inputs_after=after,
        seconds=float(seconds) if type(seconds) in (int, float) and math.isfinite(seconds) else 0.0,
        measurement=measurement,
    )


def _helper_module(name: str) -> Path:
    """Source file of ``cs231n_lin.grading.<name>``, a helper copied into the sandbox as a plain file
    (so it may import only the standard library and numpy: ``perf``, ``probes``)."""
    import importlib

    return Path(importlib.import_module(f"cs231n_lin.grading.{name}").__file__)


def run_tasks(
    submission_dir: Path, sandbox_dir: Path, tasks: list[Task], *, limits: Limits,
    mode: str | None = None, max_restarts: int = 8, deadline: float | None = None,
) -> tuple[dict[str, TaskOutcome], list[str]]:
    """Run ``tasks`` on the scratch copy ``submission_dir`` (inside ``sandbox_dir``).

    Returns the outcomes by task id and notes for the student (crashes, timeouts, import errors).
    ``deadline`` (a ``time.monotonic()`` value) bounds all the worker runs together: restarts
    after a crash or a timeout share it, they do not multiply it.
    """
    mode = mode or sandbox.detect_mode()
    uid = sandbox.sandbox_uid()
    io_dir = sandbox_dir / "io"
    io_dir.mkdir()
    driver = io_dir / "driver.py"
    shutil.copyfile(Path(__file__).with_name("sandboxed_worker.py"), driver)
    helpers = {}
    for kind, name in (("perf", "perf"), ("probe", "probes")):
        if any(t.kind == kind for t in tasks):
            src = _helper_module(name)
            shutil.copyfile(src, io_dir / f"grader_{name}.py")
            helpers[name] = sandbox.inside(str(io_dir / f"grader_{name}.py"), str(sandbox_dir), mode)
    arrays = {f"{t.id}__{name}": np.asarray(a) for t in tasks for name, a in t.arrays.items()}
    np.savez(io_dir / "inputs.npz", **arrays)
    is_root = os.geteuid() == 0
    if is_root:
        _chown_tree(submission_dir, uid)
    outcomes: dict[str, TaskOutcome] = {}
    notes: list[str] = []
    remaining = list(tasks)
    paths = sandbox.python_paths()
    run = 0
    while remaining:
        left = float("inf") if deadline is None else deadline - time.monotonic()
        if left < 1.0:
            for task in remaining:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, crash="out of time",
                                                error="not run: your submission used up its time budget")
            notes.append(f"{len(remaining)} calls were not run: the submission used up its time budget.")
            break
        if left >= limits.wall + limits.startup:
            run_limits = limits
        else:  # start-up and run together must fit in what is left of the budget
            startup = min(limits.startup, left / 2)
            run_limits = Limits(**{**limits.__dict__, "startup": startup,
                                   "wall": min(limits.wall, left - startup)})
        out_dir = io_dir / f"out{run}"
        out_dir.mkdir()
        if is_root:
            os.chown(out_dir, uid, uid)
        else:
            out_dir.chmod(0o777)
        config = {
            "submission": sandbox.inside(str(submission_dir), str(sandbox_dir), mode),
            "site_packages": paths["site_packages"],
            "inputs": sandbox.inside(str(io_dir / "inputs.npz"), str(sandbox_dir), mode),
            "out_dir": sandbox.inside(str(out_dir), str(sandbox_dir), mode),
            "helpers": helpers,
            "modules": sorted({t.module for t in remaining}),
            "tasks": [{"id": t.id, "kind": t.kind, "module": t.module, "name": t.name,
                       "arrays": {n: f"{t.id}__{n}" for n in t.arrays}, "scalars": t.scalars,
                       "params": t.params, "perf": t.perf} for t in remaining],
        }
        cfg_path = io_dir / f"config{run}.json"
        cfg_path.write_text(json.dumps(config))
        result = sandbox.run_sandboxed(
            [paths["executable"], "-I", "-S", sandbox.inside(str(driver), str(sandbox_dir), mode),
             sandbox.inside(str(cfg_path), str(sandbox_dir), mode)],
            sandbox_dir=str(sandbox_dir), cwd=config["submission"], limits=run_limits, mode=mode,
            env=_worker_env(), hide=_hidden_paths(),
            started=lambda d=out_dir: os.path.lexists(d / "imports.json"),
        )
        imported = os.path.lexists(out_dir / "imports.json") and not out_dir.is_symlink()
        done = []
        for task in remaining:
            outcome = _read_outcome(out_dir, task)
            if outcome is None:
                break
            outcomes[task.id] = outcome
            done.append(task)
        remaining = remaining[len(done):]
        if not remaining:
            break
        why = _why(result, run_limits)
        if not imported:
            notes.append(f"Importing your code {why}; nothing could be run.")
            for task in remaining:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, error=f"importing your code {why}",
                                                crash=why)
            break
        culprit = remaining.pop(0)
        outcomes[culprit.id] = TaskOutcome(culprit.id, ok=False, error=f"the worker {why} during this call",
                                           crash=why)
        notes.append(f"{culprit.module}.{culprit.name}: the worker {why}.")
        # the same function would most likely do it again: skip its other calls, keep the rest
        # (by function name: probes reach the same function through cs231n_lin.classifiers)
        fn = culprit.name.split(".")[0]
        for task in remaining:
            if task.name.split(".")[0] == fn:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, crash=why,
                                                error=f"not run: an earlier call of {fn} {why}")
        remaining = [t for t in remaining if t.name.split(".")[0] != fn]
        run += 1
        if run > max_restarts and remaining:
            for task in remaining:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, crash=why,
                                                error="not run: the worker crashed or timed out too often")
            notes.append(f"{len(remaining)} calls were not run: the worker crashed or timed out "
                          f"{run} times.")
            break
    return outcomes, notes


def run_repeat(submission_dir: Path, sandbox_dir: Path, task: Task, calls: int, *, limits: Limits,
               mode: str | None = None) -> sandbox.RunResult:
    """Run ``task``'s function ``calls`` times in a sandbox of its own; CPU time is read from outside.

    The returned :class:`~cs231n_lin.grading.sandbox.RunResult` carries ``cpu_seconds`` and
    ``max_rss`` of the whole sandbox as the grader's ``wait4`` saw them; nothing the code inside
    reports is used.
    """
    mode = mode or sandbox.detect_mode()
    io_dir = Path(tempfile.mkdtemp(prefix="io-repeat-", dir=sandbox_dir))
    io_dir.chmod(0o755)
    shutil.copyfile(Path(__file__).with_name("sandboxed_worker.py"), io_dir / "driver.py")
    np.savez(io_dir / "inputs.npz", **{f"{task.id}__{n}": np.asarray(a) for n, a in task.arrays.items()})
    out_dir = io_dir / "out"
    out_dir.mkdir()
    if os.geteuid() == 0:
        _chown_tree(submission_dir, sandbox.sandbox_uid())
        os.chown(out_dir, sandbox.sandbox_uid(), sandbox.sandbox_uid())
    else:
        out_dir.chmod(0o777)
    paths = sandbox.python_paths()
    ins = (lambda p: sandbox.inside(str(p), str(sandbox_dir), mode))  # noqa: E731
    config = {"submission": ins(submission_dir), "site_packages": paths["site_packages"],
              "inputs": ins(io_dir / "inputs.npz"), "out_dir": ins(out_dir), "helpers": {},
              "modules": [task.module],
              "tasks": [{"id": task.id, "kind": "repeat", "module": task.module, "name": task.name,
                         "arrays": {n: f"{task.id}__{n}" for n in task.arrays}, "scalars": task.scalars,
                         "params": {"calls": int(calls)}}]}
    (io_dir / "config.json").write_text(json.dumps(config))
    return sandbox.run_sandboxed(
        [paths["executable"], "-I", "-S", ins(io_dir / "driver.py"), ins(io_dir / "config.json")],
        sandbox_dir=str(sandbox_dir), cwd=config["submission"], limits=limits, mode=mode,
        env=_worker_env(), hide=_hidden_paths())


def _why(result: sandbox.RunResult, limits: Limits) -> str:
    if result.timed_out:
        return f"ran out of time (limit {limits.wall:g} s)"
    rc = result.returncode
    if rc is not None and rc > 128:
        sig = rc - 128
        names = {9: "was killed (SIGKILL; memory or process limit?)", 24: "used too much CPU time (SIGXCPU)",
                 25: "wrote too much output (SIGXFSZ)", 11: "crashed (segmentation fault)"}
        return names.get(sig, f"was killed by signal {sig}")
    return f"exited early (exit code {rc})"


def _worker_env() -> dict:
    return {
        "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "USER": "student", "LOGNAME": "student",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/mpl", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


__all__ = ["Limits", "Opaque", "SubmissionError", "Task", "TaskOutcome", "find_package_root",
           "make_sandbox_dir", "prepare_scratch", "remove_sandbox_dir", "run_tasks", "student_files"]
