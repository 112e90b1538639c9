"""The grader's side of the worker: run a submission's code in sandboxed processes, bring back plain data.

The grader never imports student code. The scratch copy comes from :mod:`.scratch` (its names are
re-exported here). :func:`run_tasks` runs ``sandboxed_worker.py`` on it in
the sandbox (:mod:`cs231n_lin.grading.run.sandbox`) and returns one :class:`TaskOutcome` per task,
decoded from JSON and ``np.load(..., allow_pickle=False)`` with every value validated (at most
:data:`MAX_RESULT_BYTES` per task and :data:`MAX_TOTAL_RESULT_BYTES` for all of them). Every run
starts from a fresh read-only copy of the scratch copy at the same paths, and is charged to the
submission's CPU-time :class:`~cs231n_lin.grading.run.budget.Budget`. If the worker dies or is stopped
in a task, that task fails and a fresh worker runs the remaining ones.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cs231n_lin.grading.run import sandbox
from cs231n_lin.grading.run.budget import IDLE_RUN, Budget, safety_wall, why_stopped
from cs231n_lin.grading.run.sandbox import Limits
from cs231n_lin.grading.run.scratch import (  # noqa: F401 - re-exported: the scratch copy's API
    MAX_FILES,
    MAX_SUBMISSION_BYTES,
    PACKAGE,
    SKIP_DIRS,
    SubmissionError,
    chown_tree,
    find_package_root,
    hidden_paths,
    make_sandbox_dir,
    prepare_scratch,
    reference_package,
    remove_sandbox_dir,
    scratch_is_limited,
    student_files,
)

MAX_RESULT_BYTES = 64 * 1024**2  # per task: bytes of the result files, and declared bytes of its arrays
MAX_TOTAL_RESULT_BYTES = 512 * 1024**2  # all the tasks of one worker call together
MIN_RUN_CPU = 2.0   # CPU seconds below which a run is not started (the worker's start-up needs ~1.5 s)

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


def read_regular(path: Path, cap: int = MAX_RESULT_BYTES) -> bytes:
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


def _read_outcome(out_dir: Path, task: Task, total: list[int] | None = None) -> TaskOutcome | None:
    """One task's outcome; ``total[0]`` counts the bytes read (file and declared array sizes) over
    all the tasks of a call, capped at :data:`MAX_TOTAL_RESULT_BYTES`."""
    jpath, npath = out_dir / f"{task.id}.json", out_dir / f"{task.id}.npz"
    if not os.path.lexists(jpath):
        return None
    total = total if total is not None else [0]
    try:
        room = max(0, min(MAX_RESULT_BYTES, MAX_TOTAL_RESULT_BYTES - total[0]))
        raw = read_regular(jpath, room)
        total[0] += len(raw)
        data = json.loads(raw.decode("utf-8", errors="replace"))
        arrays = {}
        if os.path.lexists(npath):
            room = max(0, min(MAX_RESULT_BYTES, MAX_TOTAL_RESULT_BYTES - total[0]))
            blob = read_regular(npath, room)
            arrays = load_npz_capped(blob, room)
            total[0] += len(blob) + sum(a.nbytes for a in arrays.values())
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

    return Path(importlib.import_module(f"cs231n_lin.grading.run.{name}").__file__)


def _fresh_run_dir(pristine: Path, sandbox_dir: Path) -> tuple[Path, Path]:
    """``sandbox_dir/run`` made anew: a copy of the pristine scratch copy (hard links: the files belong
    to the grader and are read-only in the sandbox) and an empty ``io/``. Every run, judged or
    timed, sees the same paths."""
    run_dir = sandbox_dir / "run"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir()
    run_dir.chmod(0o755)
    sub = run_dir / "submission"
    try:
        shutil.copytree(pristine, sub, copy_function=os.link, symlinks=True)
    except OSError:                       # another file system: copy
        shutil.rmtree(sub, ignore_errors=True)
        shutil.copytree(pristine, sub, symlinks=True)
    (run_dir / "io").mkdir()
    for d in (run_dir / "io", sub):
        d.chmod(0o755)
    return run_dir, sub


def _store_inputs(tasks: list[Task], path: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Write every input array once (an array object used by several tasks is stored once and
    shared: loaded once by the driver, not copied, not returned); the keys per task."""
    keys: dict[int, str] = {}
    arrays: dict[str, np.ndarray] = {}
    users: dict[str, int] = {}
    per_task = {}
    for t in tasks:
        mine = {}
        for name, a in t.arrays.items():
            key = keys.setdefault(id(a), f"a{len(keys)}")
            arrays.setdefault(key, np.asarray(a))
            users[key] = users.get(key, 0) + 1
            mine[name] = key
        per_task[t.id] = mine
    np.savez(path, **arrays)
    return per_task, sorted(k for k, n in users.items() if n > 1)


def run_tasks(
    submission_dir: Path, sandbox_dir: Path, tasks: list[Task], *, limits: Limits,
    mode: str | None = None, max_restarts: int = 8, budget: Budget | None = None,
    runs: list | None = None, modules: list[str] | None = None,
) -> tuple[dict[str, TaskOutcome], list[str]]:
    """Run ``tasks`` on the scratch copy ``submission_dir`` (inside ``sandbox_dir``).

    Each sandboxed run starts from a fresh read-only copy of ``submission_dir`` at the same paths
    (judged and timed runs cannot be told apart by their surroundings). Returns the outcomes by
    task id and notes for the student (crashes, limits, import errors). ``budget`` (CPU seconds)
    bounds all the runs together: restarts after a crash or a stop share it. Each run's
    :class:`~cs231n_lin.grading.run.sandbox.RunResult` is appended to ``runs`` if given;
    ``modules`` overrides the modules imported before the first task.
    """
    mode = mode or sandbox.detect_mode()
    budget = budget if budget is not None else Budget()
    is_root = os.geteuid() == 0
    uid = sandbox.sandbox_uid()
    outcomes: dict[str, TaskOutcome] = {}
    notes: list[str] = []
    remaining = list(tasks)
    paths = sandbox.python_paths()
    total = [0]                 # bytes of results read back so far, all tasks together
    run = 0
    while remaining or (run == 0 and modules is not None):
        left = budget.left()
        if left < MIN_RUN_CPU or budget.idle_left() < 1.0:
            if not remaining:
                break
            why = (f"used up its CPU-time budget ({budget.describe()})" if left < MIN_RUN_CPU else
                   f"waited without computing for {budget.idle_used:.0f} s in all (a sleep, input() or "
                   "a lock?) and reached the time limit for waiting")
            first = remaining[0]
            # one stop is one limit: recorded once (here, unless the run it happened in was)
            outcomes[first.id] = TaskOutcome(first.id, ok=False, crash=why,
                                             error=("not run: it " if budget.stops else "your submission ")
                                             + f"{why} before this call")
            for task in remaining[1:]:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, crash=why, error=f"not run: it {why}")
            notes.append(f"{len(remaining)} calls were not run: your submission {why}.")
            if not budget.stops:
                budget.record(first.name.split(".")[0], f"your submission {why}", "timeout")
            break
        startup = min(float(limits.startup), left / 2)
        cpu = min(float(limits.cpu), left - startup)
        run_limits = Limits(**{**limits.__dict__, "startup": startup, "wall": safety_wall(cpu + startup)})
        run_dir, sub = _fresh_run_dir(submission_dir, sandbox_dir)
        io_dir = run_dir / "io"
        shutil.copyfile(Path(__file__).with_name("sandboxed_worker.py"), io_dir / "driver.py")
        helpers = {}
        for kind, name in (("perf", "perf"), ("probe", "probes")):
            if any(t.kind == kind for t in remaining):
                shutil.copyfile(_helper_module(name), io_dir / f"grader_{name}.py")
                helpers[name] = sandbox.inside(str(io_dir / f"grader_{name}.py"), str(run_dir), mode)
        keys, shared = _store_inputs(remaining, io_dir / "inputs.npz")
        out_dir = io_dir / "out"
        out_dir.mkdir()
        if is_root:
            os.chown(out_dir, uid, uid)
        else:
            out_dir.chmod(0o777)
        ins = (lambda p, r=run_dir: sandbox.inside(str(p), str(r), mode))  # noqa: E731
        config = {
            "submission": ins(sub), "site_packages": paths["site_packages"],
            "inputs": ins(io_dir / "inputs.npz"), "out_dir": ins(out_dir), "helpers": helpers,
            "shared": shared,
            "modules": modules if modules is not None else sorted({t.module for t in remaining}),
            "tasks": [{"id": t.id, "kind": t.kind, "module": t.module, "name": t.name,
                       "arrays": keys[t.id], "scalars": t.scalars,
                       "params": t.params, "perf": t.perf} for t in remaining],
        }
        (io_dir / "config.json").write_text(json.dumps(config))
        result = sandbox.run_sandboxed(
            [paths["executable"], "-I", "-S", ins(io_dir / "driver.py"), ins(io_dir / "config.json")],
            sandbox_dir=str(run_dir), cwd=config["submission"], limits=run_limits, mode=mode,
            env=_worker_env(), hide=hidden_paths(), cpu_budget=cpu, writable=[str(out_dir)],
            idle=min(IDLE_RUN, budget.idle_left()),
            started=lambda d=out_dir: os.path.lexists(d / "imports.json"),
        )
        budget.charge(result.cpu_seconds)
        if result.stopped == "idle":
            budget.idle_used += min(IDLE_RUN, budget.idle_left())
        if runs is not None:
            runs.append(result)
        imported = os.path.lexists(out_dir / "imports.json") and not out_dir.is_symlink()
        done = []
        for task in remaining:
            outcome = _read_outcome(out_dir, task, total)
            if outcome is None:
                break
            outcomes[task.id] = outcome
            done.append(task)
        remaining = remaining[len(done):]
        if not remaining:
            break
        why = _why(result, cpu if imported else startup, run_limits)
        if result.stopped == "cpu" and (cpu < limits.cpu or budget.left() < MIN_RUN_CPU):
            why = f"used up its CPU-time budget ({budget.describe()})"
        if not imported:
            notes.append(f"Importing your code {why}; nothing could be run.")
            for task in remaining:
                outcomes[task.id] = TaskOutcome(task.id, ok=False, error=f"importing your code {why}",
                                                crash=why)
            budget.record("import", f"importing your code {why}", _kind(result))
            break
        culprit = remaining.pop(0)
        outcomes[culprit.id] = TaskOutcome(culprit.id, ok=False, error=f"the worker {why} during this call",
                                           crash=why)
        notes.append(f"{culprit.module}.{culprit.name}: the worker {why}.")
        if result.stopped:
            budget.record(culprit.name.split(".")[0], f"the worker {why}", _kind(result))
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


def _kind(result: sandbox.RunResult) -> str:
    return {"wall": "grader", None: "crash"}.get(result.stopped, "timeout")


def _why(result: sandbox.RunResult, cpu: float, limits: Limits) -> str:
    if result.stopped:
        return why_stopped(result.stopped, cpu, limits.wall + (limits.startup or 0))
    rc = result.returncode
    if rc is not None and rc > 128:
        sig = rc - 128
        names = {9: "was killed (SIGKILL; memory or process limit?)", 24: "used too much CPU time (SIGXCPU)",
                 25: "wrote too much output (SIGXFSZ)", 11: "crashed (segmentation fault)"}
        return names.get(sig, f"was killed by signal {sig}")
    if rc is None:
        return "stopped without an exit status"
    if rc == 0:
        return "ended before reporting every result"
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
