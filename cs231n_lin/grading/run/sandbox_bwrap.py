"""The bubblewrap command line of the strong sandbox mode, and the limits set before ``exec``-ing it."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

from cs231n_lin.grading.run.sandbox_base import LAUNCHER, REAPER, Limits, python_paths


def bwrap_argv(argv: list[str], *, sandbox_dir: str, cwd: str, env: dict, hide: list[str],
               limits: Limits, uid: int | None = None, drop: bool = True,
               writable: list[str] | None = None) -> list[str]:
    """The ``bwrap`` command line for ``argv`` (see the module docstring).

    Run by root (``uid`` given), bwrap makes no user namespace (it could only map the sandbox
    uid to root outside); it keeps CAP_SETUID/CAP_SETGID for the first command only, which is
    util-linux ``setpriv`` dropping to ``uid`` with no capabilities and no new privileges (or,
    with ``drop=False``, a trusted command that drops privileges itself before running student
    code). Run by another user, bwrap adds a user namespace and the command keeps that user.
    With ``writable`` (host directories under ``sandbox_dir``), ``/sandbox`` is bound read-only
    and only those directories are bound writable on top of it.
    """
    args = ["bwrap", "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox"]
    if uid is None:
        args.insert(1, "--unshare-all")
    else:
        args[1:1] = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                     "--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                     "--cap-add", "CAP_CHOWN"]
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"):
        src = "/" + name
        if os.path.islink(src):
            args += ["--symlink", os.readlink(src), src]
        elif os.path.isdir(src):
            args += ["--ro-bind", src, src]
    args += ["--perms", "1777", "--size", str(int(limits.tmp_size)), "--tmpfs", "/tmp",
             "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm", "--proc", "/proc"]
    bound, made = ["/usr", "/etc"], set()
    for src in python_paths()["binds"]:
        if os.path.exists(src) and not any(src == b or src.startswith(b + "/") for b in bound):
            # bwrap would create the parents 0700 (root-owned): make them traversable first
            parents = [p for p in Path(src).parents if str(p) != "/"][::-1]
            for parent in map(str, parents):
                if parent not in made:
                    args += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            args += ["--ro-bind", src, src]
            bound.append(src)
    for hidden in hide:
        if any(hidden == b or hidden.startswith(b + "/") for b in bound) and os.path.isdir(hidden):
            args += ["--size", "4096", "--tmpfs", hidden, "--remount-ro", hidden]
    box = os.path.realpath(sandbox_dir)
    if writable is None:
        args += ["--bind", box, "/sandbox"]
    else:
        args += ["--ro-bind", box, "/sandbox"]
        for path in writable:
            rel = os.path.relpath(os.path.realpath(path), box)
            if rel.startswith(".."):
                raise ValueError(f"{path} is not inside the sandbox directory {sandbox_dir}")
            args += ["--bind", os.path.join(box, rel), os.path.normpath(os.path.join("/sandbox", rel))]
    args += ["--perms", "0755", "--dir", "/run",
             "--ro-bind", str(LAUNCHER), REAPER,
             "--chdir", cwd, "--clearenv"]
    for k, v in env.items():
        args += ["--setenv", str(k), str(v)]
    if uid is not None and drop:
        args += ["--", "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
    return args + ["--", sys.executable, "-I", "-S", REAPER, "--reaper", "--"] + list(argv)


def limit_self(limits: Limits, nproc: int | None) -> None:
    """In the child before ``exec``: resource limits, no new privileges (the bwrap mode)."""
    cpu = int(limits.cpu) + int(limits.startup)
    for which, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)),
                         (resource.RLIMIT_AS, (int(limits.memory),) * 2),
                         (resource.RLIMIT_FSIZE, (int(limits.fsize),) * 2),
                         (resource.RLIMIT_CORE, (0, 0)), (resource.RLIMIT_NOFILE, (256, 256))):
        resource.setrlimit(which, value)
    if nproc is not None:  # root is exempt; the limit bites once setpriv drops to the sandbox uid
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
