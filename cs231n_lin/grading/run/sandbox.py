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
``"user"`` (root, bubblewrap cannot run: the explicit fallback, ``--sandbox user``)
    :mod:`~cs231n_lin.grading.run.sandbox_launch` runs the command as the submission's own uid with
    an empty capability bounding set; secrets are protected only by file permissions and the
    network is NOT isolated. ``/tmp`` is emulated: ``TMPDIR``, ``IPYTHONDIR``, ``MPLCONFIGDIR``
    and every environment value under ``/tmp`` point into a private directory of the run's
    scratch. The launcher is a child subreaper: every process of that uid is killed and reaped
    after each run, and the uid is checked empty before the next submission.
``"none"`` (not root, no bubblewrap)
    resource limits only: student code runs as the grader's user. The grader refuses this mode
    unless the instructor asks for it explicitly, and marks such results as unprotected.

Always: ``RLIMIT_CPU``, ``RLIMIT_AS``, ``RLIMIT_NPROC``, ``RLIMIT_FSIZE``, ``RLIMIT_NOFILE``,
``RLIMIT_CORE = 0``, no new privileges, a new session. Time is judged in CPU time: with
``cpu_budget`` the grader sums the CPU time of every process of the sandbox from outside while it
runs and stops it at the budget, so machine load cannot stop a run early; ``limits.wall`` is
only a safety net against a hung machine (:attr:`RunResult.stopped` says which one stopped a
run). The sandbox uid is unique per submission (:func:`begin_submission`). CPU time and peak
memory of the whole sandbox are read from outside (``wait4``'s resource usage), never from
inside it. :func:`preflight` checks that a mode can start Python at all before anything is graded.
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
from dataclasses import asdict
from pathlib import Path

from cs231n_lin.grading.run.sandbox_base import (  # noqa: F401 - re-exported: the sandbox's API
    LAUNCHER,
    REAPER,
    Limits,
    RunResult,
    python_paths,
)
from cs231n_lin.grading.run.sandbox_clock import read_capped, tree_cpu_seconds, wait  # noqa: F401 - re-exported

UID_BASE = 200_000
MODES = ("bwrap", "user", "none")
PROTECTS = {
    "bwrap": "hidden tests, reference and host files invisible; no network; processes and /tmp private; "
             "all processes gone after each run",
    "user": "other users' files by permissions; private TMPDIR, IPYTHONDIR and MPLCONFIGDIR; all "
            "processes of the submission's uid killed and reaped after each run; NOT the network, NOT "
            "files readable by every user",
    "none": "nothing but resource limits (student code runs as the grader's user): unprotected",
}
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
        elif os.geteuid() == 0 and _uid_can_run_python(sandbox_uid()):
            mode = "user"
        _MODE_CACHE["mode"] = mode
    return _MODE_CACHE["mode"]


class GraderError(ValueError):
    """The grader cannot grade here at all (a problem for the instructor, never a student's fault)."""


_PREFLIGHT: dict[str, str | None] = {}


def preflight(mode: str, secrets: list[str] = ()) -> str | None:
    """None if ``mode`` can start this Python in a sandbox here, else why not (for the instructor).

    Run once per mode and process, before anything is graded in a mode the instructor forced: a
    sandbox that cannot start Python would otherwise look like every submission's own failure.
    In the ``user`` mode (file permissions are the only wall) it also checks that the sandbox uid
    cannot read ``secrets`` (the reference package, the hidden tests) or any file under them.
    """
    if mode not in MODES:
        raise ValueError(f"sandbox mode must be one of {MODES}; got {mode!r}")
    if mode == "user" and secrets and os.geteuid() == 0:
        files = [str(f) for s in secrets for f in [Path(s), *sorted(Path(s).rglob("*.py"))[:50]]]
        exposed = readable_by(sandbox_uid(), files)
        if exposed:
            return (f"in the 'user' sandbox mode student code runs as another user of this machine, and "
                    f"it could read the reference solution or hidden tests ({exposed[0]}, ...). Make them "
                    "unreadable to other users first (chmod -R o-rwx " + " ".join(map(str, secrets))
                    + "), or use the bwrap mode.")
    if mode == "bwrap" and _MODE_CACHE.get("mode") == "bwrap":
        return None                     # detect_mode already started Python in bubblewrap here
    if mode not in _PREFLIGHT:
        why = None
        begin_submission()              # a uid of its own (a forked grader inherits its parent's)
        if mode == "user" and os.geteuid() != 0:
            why = "the 'user' sandbox mode needs root (it runs student code as a fresh uid)"
        elif mode == "bwrap" and shutil.which("bwrap") is None:
            why = "bubblewrap (bwrap) is not installed"
        else:
            with tempfile.TemporaryDirectory(prefix="cs231n-preflight-") as box:
                os.chmod(box, 0o755)
                code = "import numpy; print('ok')"
                try:
                    res = run_sandboxed([sys.executable, "-I", "-S", "-c",
                                         f"import sys; sys.path += {python_paths()['site_packages']!r}; "
                                         + code],
                                        sandbox_dir=box, cwd=inside(box, box, mode), limits=Limits(wall=60),
                                        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"}, mode=mode)
                except OSError as exc:
                    res = RunResult(None, False, "", str(exc), 0.0, mode)
            if res.returncode != 0 or res.stdout.strip() != "ok":
                detail = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1][:300]
                why = (f"the {mode!r} sandbox cannot start this Python ({sys.executable}) with numpy: "
                       f"{detail}. Make the Python installation and its site-packages readable and "
                       "executable by other users, or use another sandbox mode.")
        _PREFLIGHT[mode] = why
    return _PREFLIGHT[mode]


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


def inside(path: str, sandbox_dir: str, mode: str) -> str:
    """Translate a host path under ``sandbox_dir`` to the path the sandboxed command sees."""
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(sandbox_dir))
    if rel.startswith(".."):
        raise ValueError(f"{path} is not inside the sandbox directory {sandbox_dir}")
    base = "/sandbox" if mode == "bwrap" else os.path.realpath(sandbox_dir)
    return os.path.normpath(os.path.join(base, rel))


PRIVATE_TMP = ".tmp"  # the user/none modes' stand-in for a private /tmp, inside the sandbox directory


def private_env(env: dict, tmp: str) -> dict:
    """``env`` with ``/tmp`` replaced by the private directory ``tmp`` (TMPDIR, IPYTHONDIR,
    MPLCONFIGDIR there unless set elsewhere): the fallback modes have no private ``/tmp``."""
    box = os.path.dirname(tmp.rstrip("/")) + "/"    # the sandbox directory (it may sit in /tmp)
    out = {}
    for key, value in env.items():
        value = str(value)
        if tmp != "/tmp" and (value == "/tmp" or value.startswith("/tmp/")) and not value.startswith(box):
            value = tmp + value[len("/tmp"):]
        out[key] = value
    out["TMPDIR"] = tmp
    for key, sub in (("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")):
        out.setdefault(key, os.path.join(tmp, sub))
    return out


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
    cpu_budget: float | None = None,
    writable: list[str] | None = None,
    idle: float | None = None,
) -> RunResult:
    """Run ``argv`` in a sandbox and wait for it.

    Parameters
    ----------
    argv : list of str
        The command; paths inside it must be valid inside the sandbox (use :func:`inside`).
    sandbox_dir : str
        Host directory with the scratch copy; the only directory the command sees besides a
        private ``/tmp`` (at ``/sandbox`` in the bwrap mode).
    cwd : str
        Working directory (inside the sandbox).
    limits : Limits
        Resource limits; ``limits.wall`` is the safety clock (``RunResult.stopped == "wall"``).
    env : dict, optional
        The whole environment of the command (nothing is inherited).
    hide : list of str
        Host paths to cover with an empty directory if they sit inside a bound directory.
    mode : str, optional
        Force a mode other than :func:`detect_mode`'s.
    drop_privileges : bool
        In the ``user`` mode, run the command as the sandbox uid (``False`` only for a command
        that drops privileges itself, like the notebook kernel launcher). In the bwrap mode
        everything runs as the sandbox uid.
    started : callable, optional
        ``started()`` says whether the command is past its start-up: until then the run may use
        ``limits.startup`` seconds (CPU, and wall on top of ``limits.wall``), and ``cpu_budget``
        counts from there.
    cpu_budget : float, optional
        CPU seconds of the whole sandbox (every process, summed from outside while it runs);
        the run is stopped there (``RunResult.stopped == "cpu"``).
    writable : list of str, optional
        Host directories under ``sandbox_dir`` the command may write; the rest of ``sandbox_dir``
        is read-only (bwrap: read-only bind; ``user``: the files belong to root). ``None``: the
        whole ``sandbox_dir`` is writable.
    idle : float, optional
        Stop the run (``RunResult.stopped == "idle"``) once its processes have neither run nor
        waited for a CPU for this many seconds in a row: code that sleeps or blocks, whatever
        the machine's load (time spent waiting for a busy CPU counts as activity).
    """
    mode = mode or detect_mode()
    if mode not in MODES:
        raise ValueError(f"sandbox mode must be one of {MODES}; got {mode!r}")
    root = os.geteuid() == 0
    uid = sandbox_uid()
    hide = [os.path.realpath(h) for h in hide]
    env = dict(env or {})
    with tempfile.TemporaryDirectory(prefix="cs231n-launch-") as tmp:
        os.chmod(tmp, 0o700)
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        kwargs: dict = {}
        if mode == "bwrap":
            from cs231n_lin.grading.run.sandbox_bwrap import bwrap_argv, limit_self

            env = private_env(env, "/tmp")
            cmd = bwrap_argv(argv, sandbox_dir=sandbox_dir, cwd=cwd, env=env, hide=hide, limits=limits,
                             uid=uid if root else None, drop=drop_privileges, writable=writable)
            kwargs["preexec_fn"] = lambda: limit_self(limits, int(limits.nproc) if root else None)
        else:
            drop = drop_privileges and root and mode != "none"
            private = os.path.join(os.path.realpath(sandbox_dir), PRIVATE_TMP)
            if os.path.lexists(private):
                shutil.rmtree(private) if os.path.isdir(private) and not os.path.islink(private) \
                    else os.unlink(private)
            os.mkdir(private, 0o700)
            if root and mode != "none":
                os.chown(private, uid, uid)
            config = {"mode": mode, "argv": argv, "env": private_env(env, private), "cwd": cwd,
                      "uid": uid, "gid": uid, "drop": drop, "limits": asdict(limits)}
            config_path = os.path.join(tmp, "config.json")
            with open(config_path, "w") as f:
                json.dump(config, f)
            cmd = [sys.executable, "-I", "-S", str(LAUNCHER), config_path]
        start = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True, close_fds=True, **kwargs)
            status, usage, stopped, polled = wait(proc, limits, started, cpu_budget, idle)
            _kill_everything(proc)
            if root and mode != "none":
                reap_uid(uid)
        seconds = time.monotonic() - start
        stdout, stderr = read_capped(out_path, limits.output_cap), read_capped(err_path, limits.output_cap)
    rc = None
    if status is not None:
        rc = os.waitstatus_to_exitcode(status)
        rc = 128 - rc if rc < 0 else rc
    # a killed sandbox's processes may die unreaped by it: the last CPU time polled counts then
    cpu = max((usage.ru_utime + usage.ru_stime) if usage is not None else 0.0, polled)
    return RunResult(returncode=None if stopped else rc, timed_out=stopped is not None, stdout=stdout,
                     stderr=stderr, seconds=seconds, mode=mode, cpu_seconds=cpu,
                     max_rss=int(usage.ru_maxrss) * 1024 if usage is not None else 0, stopped=stopped)


def _kill_everything(proc: subprocess.Popen) -> None:
    """Kill what is left of the launcher's session (the PID namespace, if any, is already gone)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
