"""The launcher of the fallback sandbox modes (``user``, ``none``) and the bwrap mode's PID 1; stdlib only.

``python -I -S sandbox_launch.py CONFIG`` (run by :func:`cs231n_lin.grading.run.sandbox.run_sandboxed`
when bubblewrap cannot run): the launcher becomes a child subreaper, starts the command in a child
(resource limits, no new privileges, and in the ``user`` mode the submission's own uid with an
empty capability bounding set), waits for it, then kills every process that is left (in the
``user`` mode every process of that uid, wherever it went) and reaps them all. Orphans of the
command are re-parented to the launcher, so the CPU time the grader reads with ``wait4`` covers
every process the submission started.

``python -I -S sandbox_launch.py --reaper -- ARGV...`` is PID 1 inside bubblewrap's PID namespace.
"""

import json
import os
import signal
import sys
import time

PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
PR_SET_CHILD_SUBREAPER = 36


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def processes(uid=None, parent=None) -> list:
    """Live (not zombie) PIDs owned by ``uid``, or the descendants of ``parent``."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                owner = os.stat(f"/proc/{entry}").st_uid
            except (OSError, IndexError):
                continue
            stats[int(entry)] = (fields[0], int(fields[1]), owner)
    if uid is not None:
        return [p for p, (state, _, owner) in stats.items() if owner == uid and state not in (b"Z", b"X")]
    found, frontier = [], {parent}
    while frontier:
        kids = {p for p, (_, ppid, _) in stats.items() if ppid in frontier and p not in found}
        found.extend(kids)
        frontier = kids
    return [p for p in found if stats[p][0] not in (b"Z", b"X")]


def _drop_bounding_set(libc) -> None:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last = int(f.read())
    except (OSError, ValueError):
        last = 40
    for cap in range(last + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


def _set_limits(cfg: dict) -> None:
    import resource

    lim = cfg["limits"]
    cpu = int(lim["cpu"]) + int(lim.get("startup", 0))
    pairs = [
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, (int(lim["memory"]),) * 2),
        (resource.RLIMIT_FSIZE, (int(lim["fsize"]),) * 2),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_NOFILE, (256, 256)),
    ]
    if cfg["drop"]:
        pairs.append((resource.RLIMIT_NPROC, (int(lim["nproc"]),) * 2))
    elif os.geteuid() != 0:
        # same uid as the grader: allow this many processes more than the uid already has
        mine = len(processes(uid=os.getuid()))
        pairs.append((resource.RLIMIT_NPROC, (mine + int(lim["nproc"]),) * 2))
    for which, value in pairs:
        resource.setrlimit(which, value)


def _drop_and_exec(libc, cfg: dict) -> None:
    """In the process that becomes the command: limits, unprivileged user, then exec."""
    _set_limits(cfg)
    os.umask(0o022)
    if cfg["drop"]:
        _drop_bounding_set(libc)
        os.setgroups([])
        os.setgid(cfg["gid"])
        os.setuid(cfg["uid"])
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir(cfg["cwd"])
    os.execve(cfg["argv"][0], cfg["argv"], cfg["env"])


def _kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid``, sent as that uid (so nothing else is reached)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _launch(cfg: dict) -> None:
    libc = _libc()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)   # the grader dies: so does the sandbox
    if os.getppid() == 1:
        os._exit(137)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    child = os.fork()
    if child == 0:
        try:
            _drop_and_exec(libc, cfg)
        except BaseException as exc:  # noqa: BLE001 - report anything that stops the exec
            os.write(2, f"sandbox: could not start the command: {exc}\n".encode())
        os._exit(127)
    status = 0
    while True:
        pid, st = os.waitpid(-1, 0)
        if pid == child:
            status = st
            break
    # everything left is killed and reaped here (orphans were re-parented to this subreaper)
    for _ in range(100):
        left = processes(uid=cfg["uid"]) if cfg["drop"] else processes(parent=os.getpid())
        if not left:
            break
        if cfg["drop"]:
            _kill_uid(cfg["uid"])
        else:
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        time.sleep(0.01)
        _reap_all()
    _reap_all()
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _reaper(argv: list) -> None:
    """PID 1 of bwrap's PID namespace (``--as-pid-1``): run ``argv``, reap everything, exit with its status.

    Every process of the sandbox ends up reaped here, so the resource usage the grader reads with
    ``wait4`` from outside covers all of them (CPU time, peak memory). Not dumpable, so student
    code of the same uid cannot ptrace it; as PID 1 it ignores signals sent from inside.
    """
    libc = _libc()
    libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            os.execvp(argv[0], argv)
        except BaseException as exc:  # noqa: BLE001
            os.write(2, f"sandbox: could not start the command: {exc}\n".encode())
        os._exit(127)
    status = 0
    while True:
        pid, st = os.waitpid(-1, 0)
        if pid == child:
            status = st
            break
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reaper"]:
        _reaper(sys.argv[3:])
    with open(sys.argv[1]) as f:
        _launch(json.load(f))
