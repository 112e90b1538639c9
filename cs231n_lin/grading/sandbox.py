"""Run one command in a sandbox: bubblewrap where it works, weaker fallbacks where it does not.

Modes, strongest first (``mode``; :data:`PROTECTS` says what each one protects):

``"bwrap"`` (bubblewrap works here: root, or unprivileged user namespaces)
    bubblewrap (``bwrap``, the sandbox under Flatpak) builds the sandbox from flags: new user,
    mount, network (loopback only), PID, IPC, UTS and cgroup namespaces (``--unshare-all``), a
    new session, ``--die-with-parent``, a root holding only ``/usr``, ``/lib*``, ``/etc`` and the
    Python installation read-only, a private ``/proc`` and ``/dev``, a size-limited private
    ``/tmp``, and the scratch copy at ``/sandbox``. The grader's repository (hidden tests,
    reference solution) is not there; the reference package is covered by an empty read-only
    tmpfs if it sits inside a bound directory. When bwrap exits or is killed, its PID namespace
    dies with every process in it. Run as root, bwrap itself starts as the submission's own uid.
``"namespaces"`` (root with ``unshare``, but no working bwrap)
    the same idea, hand-built in :mod:`cs231n_lin.grading.sandbox_launch` (kept as a fallback).
``"user"`` (root, no namespaces)
    the command runs as the submission's own uid; secrets are protected only by file
    permissions and the network is not isolated. Every process of that uid is killed after each
    run and the uid is checked empty before the next submission.
``"none"`` (not root, no namespaces)
    resource limits only: student code runs as the grader's user. The grader refuses this mode
    unless the instructor asks for it explicitly, and marks such results as unprotected.

Always: ``RLIMIT_CPU``, ``RLIMIT_AS``, ``RLIMIT_NPROC``, ``RLIMIT_FSIZE``, ``RLIMIT_NOFILE``,
``RLIMIT_CORE = 0``, no new privileges, a new session, and a wall-clock limit enforced here. The
sandbox uid is unique per submission (:func:`begin_submission`). CPU time and peak memory of the
whole sandbox are read from outside (``wait4``'s resource usage), never from inside it.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

UID_BASE = 200_000
MODES = ("bwrap", "namespaces", "user", "none")
PROTECTS = {
    "bwrap": "hidden tests, reference and host files invisible; no network; processes and /tmp private; "
             "all processes gone after each run",
    "namespaces": "as bwrap (hand-written fallback)",
    "user": "other users' files by permissions; all processes of the submission's uid killed after "
            "each run; NOT the network, NOT files readable by every user",
    "none": "nothing but resource limits (student code runs as the grader's user): unprotected",
}
LAUNCHER = Path(__file__).with_name("sandbox_launch.py")
REAPER = "/run/cs231n-reaper.py"  # where the bwrap mode shows LAUNCHER inside the sandbox


@dataclass
class Limits:
    """Resource limits of one sandboxed run.

    Parameters
    ----------
    wall : float
        Seconds of wall-clock time before the whole sandbox is killed.
    cpu : int
        CPU seconds per process (``RLIMIT_CPU``).
    memory : int
        Bytes of address space per process (``RLIMIT_AS``).
    nproc : int
        Processes and threads of the sandbox uid (``RLIMIT_NPROC``).
    fsize : int
        Largest file the sandbox may write, in bytes (``RLIMIT_FSIZE``).
    output_cap : int
        Bytes of stdout and of stderr kept by the grader.
    tmp_size : int
        Size of the private ``/tmp``, bytes.
    startup : float
        Extra seconds allowed before the command reports that it has started (interpreter start
        and imports, slow on a loaded machine); only used with ``run_sandboxed(started=...)``.
    scratch_size : int
        Size of the tmpfs holding one submission's scratch copy (when the grader can mount one).
    """

    wall: float = 60.0
    cpu: int = 60
    memory: int = 3 * 1024**3
    nproc: int = 64
    fsize: int = 64 * 1024**2
    output_cap: int = 16 * 1024
    tmp_size: int = 256 * 1024**2
    startup: float = 30.0
    scratch_size: int = 512 * 1024**2


@dataclass
class RunResult:
    """What came back from one sandboxed run (``cpu_seconds``/``max_rss`` measured from outside)."""

    returncode: int | None
    timed_out: bool
    stdout: str
    stderr: str
    seconds: float
    mode: str
    notes: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0
    max_rss: int = 0


# ------------------------------------------------------------------------------ the submission's uid

_UIDS = itertools.count()
_CURRENT: dict[str, int] = {}


def sandbox_uid() -> int:
    """The unprivileged uid student code of the current submission runs as."""
    if "uid" not in _CURRENT:
        begin_submission()
    return _CURRENT["uid"]


def begin_submission() -> int:
    """Pick a fresh uid for the next submission (unique among live graders) and check it is unused."""
    for _ in range(64):
        uid = UID_BASE + os.getpid() * 64 + next(_UIDS) % 64
        if os.geteuid() != 0 or not processes_of(uid):
            _CURRENT["uid"] = uid
            return uid
    raise RuntimeError("no free sandbox uid: processes of earlier submissions are still alive")


def processes_of(uid: int) -> list[int]:
    """PIDs of the live processes owned by ``uid`` (zombies, already dead, are not counted)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid != uid:
                    continue
                with open(f"/proc/{entry}/stat", "rb") as f:
                    state = f.read().rsplit(b")", 1)[1].split()[0]
                if state not in (b"Z", b"X"):
                    pids.append(int(entry))
            except (OSError, IndexError):
                pass
    return pids


def reap_uid(uid: int) -> None:
    """Kill every process of ``uid`` (as that uid, so nothing else is reached) and check none is left."""
    if os.geteuid() != 0 or uid == 0:
        return
    for _ in range(40):
        if not processes_of(uid):
            return
        pid = os.fork()
        if pid == 0:
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.05)
    if processes_of(uid):
        raise RuntimeError(f"processes of sandbox uid {uid} survived SIGKILL")


# ------------------------------------------------------------------------------ which mode works here

_MODE_CACHE: dict[str, str] = {}


def detect_mode() -> str:
    """The strongest mode that works on this machine (probed once per process)."""
    if "mode" not in _MODE_CACHE:
        mode = "none"
        if bwrap_works():
            mode = "bwrap"
        elif os.geteuid() == 0:
            mode = "namespaces" if namespaces_work() else "user"
            if mode == "user" and not _uid_can_run_python(sandbox_uid()):
                mode = "none"
        _MODE_CACHE["mode"] = mode
    return _MODE_CACHE["mode"]


def namespaces_work() -> bool:
    """Whether the hand-written namespaces fallback (:mod:`sandbox_launch`) works here (root only)."""
    try:
        probe = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), "--probe"],
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0 and probe.stdout.strip() == "namespaces"


def bwrap_works() -> bool:
    """Whether ``bwrap`` exists and can start this Python in a sandbox (as the sandbox uid if root)."""
    if shutil.which("bwrap") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="cs231n-probe-") as box:
        os.chmod(box, 0o755)
        try:
            res = run_sandboxed([sys.executable, "-I", "-S", "-c", "print('ok')"], sandbox_dir=box,
                                cwd="/sandbox", limits=Limits(wall=30), mode="bwrap")
        except OSError:
            return False
    return res.returncode == 0 and res.stdout.strip() == "ok"


def _uid_can_run_python(uid: int) -> bool:
    """Whether ``uid`` (without namespaces) can run this Python and read its site-packages."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            ok = os.access(os.path.realpath(sys.executable), os.X_OK) and all(
                os.access(p, os.R_OK | os.X_OK) for p in python_paths()["binds"])
            os._exit(0 if ok else 1)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def readable_by(uid: int, paths: list[str]) -> list[str]:
    """Which of ``paths`` ``uid`` could read (to warn about secrets in the weaker modes)."""
    if os.geteuid() != 0:
        return [p for p in paths if os.access(p, os.R_OK)]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            os.setgid(uid)
            os.setuid(uid)
            os.write(w, json.dumps([p for p in paths if os.access(p, os.R_OK)]).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        return list(json.loads(data or b"[]"))
    except ValueError:
        return []


def python_paths() -> dict:
    """Where this grader's Python lives: what the sandbox must see read-only to run it."""
    import sysconfig

    paths = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p:
            paths.add(os.path.realpath(p))
    site = [os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)
            and ("site-packages" in p or "dist-packages" in p)]
    paths.update(site)
    roots = sorted(paths)
    keep = [p for p in roots if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in roots)]
    return {"binds": keep, "site_packages": list(dict.fromkeys(site)), "executable": sys.executable}


def inside(path: str, sandbox_dir: str, mode: str) -> str:
    """Translate a host path under ``sandbox_dir`` to the path the sandboxed command sees."""
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(sandbox_dir))
    if rel.startswith(".."):
        raise ValueError(f"{path} is not inside the sandbox directory {sandbox_dir}")
    base = "/sandbox" if mode in ("bwrap", "namespaces") else os.path.realpath(sandbox_dir)
    return os.path.normpath(os.path.join(base, rel))


# ------------------------------------------------------------------------------ running

def run_sandboxed(
    argv: list[str],
    *,
    sandbox_dir: str,
    cwd: str,
    limits: Limits,
    env: dict | None = None,
    hide: list[str] = (),
    mode: str | None = None,
    drop_privileges: bool = True,
    started=None,
) -> RunResult:
    """Run ``argv`` in a sandbox and wait for it (at most ``limits.wall`` seconds).

    Parameters
    ----------
    argv : list of str
        The command; paths inside it must be valid inside the sandbox (use :func:`inside`).
    sandbox_dir : str
        Host directory with the scratch copy; the only writable directory the command sees
        besides a private ``/tmp`` (at ``/sandbox`` in the bwrap and namespaces modes).
    cwd : str
        Working directory (inside the sandbox).
    limits : Limits
        Resource limits.
    env : dict, optional
        The whole environment of the command (nothing is inherited).
    hide : list of str
        Host paths to cover with an empty directory if they sit inside a bound directory.
    mode : str, optional
        Force a weaker mode than :func:`detect_mode` (tests use this to exercise the fallbacks).
    drop_privileges : bool
        In the ``namespaces`` and ``user`` modes, run the command as the sandbox uid (``False``
        only for a command that drops privileges itself, like the notebook kernel launcher). In
        the bwrap mode everything runs as the sandbox uid.
    started : callable, optional
        ``started()`` says whether the command is past its start-up: until then the clock is
        ``limits.startup`` seconds, and ``limits.wall`` starts afterwards.
    """
    mode = mode or detect_mode()
    if mode not in MODES:
        raise ValueError(f"sandbox mode must be one of {MODES}; got {mode!r}")
    root = os.geteuid() == 0
    uid = sandbox_uid()
    hide = [os.path.realpath(h) for h in hide]
    with tempfile.TemporaryDirectory(prefix="cs231n-launch-") as tmp:
        os.chmod(tmp, 0o700)
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        kwargs: dict = {}
        if mode == "bwrap":
            from cs231n_lin.grading.sandbox_bwrap import bwrap_argv, limit_self

            cmd = bwrap_argv(argv, sandbox_dir=sandbox_dir, cwd=cwd, env=env or {}, hide=hide, limits=limits,
                             uid=uid if root else None, drop=drop_privileges)
            kwargs["preexec_fn"] = lambda: limit_self(limits, int(limits.nproc) if root else None)
        else:
            drop = drop_privileges and root and mode != "none"
            config = {"mode": mode, "argv": argv, "env": env or {}, "cwd": cwd,
                      "root": os.path.join(tmp, "root"),
                      "ro_binds": python_paths()["binds"], "hide": hide,
                      "sandbox_dir": os.path.realpath(sandbox_dir), "uid": uid, "gid": uid, "drop": drop,
                      "limits": asdict(limits)}
            os.mkdir(config["root"])
            config_path = os.path.join(tmp, "config.json")
            with open(config_path, "w") as f:
                json.dump(config, f)
            cmd = [sys.executable, "-I", "-S", str(LAUNCHER), config_path]
        start = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True, close_fds=True, **kwargs)
            status, usage, timed_out = _wait(proc, limits, started)
            _kill_everything(proc)
            if root and mode != "none":
                reap_uid(uid)
        seconds = time.monotonic() - start
        stdout, stderr = _read_capped(out_path, limits.output_cap), _read_capped(err_path, limits.output_cap)
    rc = None
    if status is not None:
        rc = os.waitstatus_to_exitcode(status)
        rc = 128 - rc if rc < 0 else rc
    cpu = (usage.ru_utime + usage.ru_stime) if usage is not None else 0.0
    return RunResult(returncode=None if timed_out else rc, timed_out=timed_out, stdout=stdout,
                     stderr=stderr, seconds=seconds, mode=mode, cpu_seconds=cpu,
                     max_rss=int(usage.ru_maxrss) * 1024 if usage is not None else 0)


def _wait(proc: subprocess.Popen, limits: Limits, started):
    """Wait for ``proc`` with ``wait4`` (its resource usage, descendants included); kill at the deadline."""
    deadline = time.monotonic() + (limits.wall if started is None else limits.startup + limits.wall)
    begun = started is None
    delay = 0.005
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return status, usage, False
        now = time.monotonic()
        if not begun and started():
            begun = True
            deadline = min(deadline, now + limits.wall)
        if now >= deadline:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return None, usage, True
        time.sleep(delay)
        delay = min(0.05, delay * 1.5)


def _read_capped(path: str, cap: int) -> str:
    with open(path, "rb") as f:
        data = f.read(cap + 1)
    text = data[:cap].decode("utf-8", errors="replace")
    if len(data) > cap:
        text += f"\n[... output truncated after {cap} bytes ...]"
    return text


def _kill_everything(proc: subprocess.Popen) -> None:
    """Kill what is left of the launcher's session (the PID namespace, if any, is already gone)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
