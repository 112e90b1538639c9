"""The launcher of the weaker sandbox modes (``namespaces``, ``user``, ``none``); standard library only.

Run as ``python -I -S sandbox_launch.py CONFIG`` by :func:`cs231n_lin.grading.sandbox.run_sandboxed`
when bubblewrap is not available. ``namespaces`` (root with ``unshare``) builds a chroot in a fresh
read-only tmpfs with new mount/network/PID/IPC/UTS namespaces; ``user`` and ``none`` only set the
resource limits, drop to the sandbox uid (``user``) and ``exec`` the command. The strong mode
(``bwrap``) does not use this file: bubblewrap builds the sandbox from flags.
"""

import json
import os
import signal
import sys
import tempfile

# Linux constants (linux/sched.h, linux/mount.h, linux/prctl.h, linux/sockios.h).
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


# ---------------------------------------------------------------------------------------------

def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    def enc(s):
        return None if s is None else s.encode()

    _check(libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _loopback_up() -> None:
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, ifr))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _bind(libc, src: str, root: str, *, readonly: bool, target: str | None = None, device: bool = False
          ) -> None:
    dst = root + (target or src)
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "a").close()
    _mount(libc, src, dst, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | (0 if device else MS_NODEV) | (MS_RDONLY if readonly else 0)
    _mount(libc, None, dst, None, flags)


def _build_root(libc, cfg: dict) -> None:
    """Mount the minimal root described in the module docstring at ``cfg['root']`` and chroot."""
    root = cfg["root"]
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=16m")
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"):
        src = "/" + name
        if os.path.islink(src):
            os.symlink(os.readlink(src), root + src)
        elif os.path.isdir(src):
            _bind(libc, src, root, readonly=True)
    # The private /tmp comes before the read-only binds: a grader installed under /tmp (say, a
    # checkout in /tmp/x with its venv) must stay visible on top of it, not be covered by it.
    size = int(cfg["limits"]["tmp_size"])
    os.makedirs(root + "/tmp", exist_ok=True)
    _mount(libc, "tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={size}")
    bound = ["/usr", "/etc"]
    for src in cfg["ro_binds"]:
        if os.path.exists(src) and not any(src == b or src.startswith(b + "/") for b in bound):
            _bind(libc, src, root, readonly=True)
            bound.append(src)
    for hidden in cfg["hide"]:
        if os.path.exists(root + hidden):  # only present if inside a bound directory
            _mount(libc, "tmpfs", root + hidden, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY,
                   "size=4k,mode=555")
    # /dev with a few harmless nodes
    dev = root + "/dev"
    os.makedirs(dev, exist_ok=True)
    _mount(libc, "tmpfs", dev, "tmpfs", MS_NOSUID, "mode=755,size=1m")
    for node in ("null", "zero", "full", "random", "urandom"):
        if os.path.exists("/dev/" + node):
            _bind(libc, "/dev/" + node, root, readonly=False, device=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, dev + "/" + name)
    os.makedirs(root + "/dev/shm", exist_ok=True)
    _mount(libc, "tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={size}")
    os.makedirs(root + "/proc", exist_ok=True)
    _mount(libc, "proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _bind(libc, cfg["sandbox_dir"], root, readonly=False, target="/sandbox")
    _mount(libc, None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=755")
    os.chdir(root)
    os.chroot(".")


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
        pairs.append((resource.RLIMIT_NPROC, (_processes_of(os.getuid()) + int(lim["nproc"]),) * 2))
    for which, value in pairs:
        resource.setrlimit(which, value)


def _drop_and_exec(libc, cfg: dict) -> None:
    """In the process that becomes the command: limits, unprivileged user, then exec."""
    _set_limits(cfg)
    os.umask(0o022)
    if cfg["drop"]:
        os.setgroups([])
        os.setgid(cfg["gid"])
        os.setuid(cfg["uid"])
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir(cfg["cwd"])
    os.execve(cfg["argv"][0], cfg["argv"], cfg["env"])


def _init(libc, cfg: dict) -> None:
    """PID 1 of the new PID namespace: build the root, start the command, reap, exit with its status."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(137)
    _loopback_up()
    _build_root(libc, cfg)
    child = os.fork()
    if child == 0:
        try:
            _drop_and_exec(libc, cfg)
        except BaseException as exc:  # noqa: BLE001 - report anything that stops the exec
            os.write(2, f"sandbox: could not start the command: {exc}\n".encode())
        os._exit(127)
    status = 0
    while True:
        try:
            pid, st = os.waitpid(-1, 0)
        except ChildProcessError:
            break
        if pid == child:
            status = st
            break
    # Leaving kills every other process of the namespace.
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _launch(cfg: dict) -> None:
    libc = _libc()
    # If the grader dies, so does the launcher, and with it (PDEATHSIG below / PID namespace) the sandbox.
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(137)
    if cfg["mode"] == "namespaces":
        _check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS),
               "unshare")
        child = os.fork()
        if child == 0:
            try:
                _init(libc, cfg)
            except BaseException as exc:  # noqa: BLE001
                os.write(2, f"sandbox: could not build the sandbox: {exc}\n".encode())
            os._exit(126)
        _, status = os.waitpid(child, 0)
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
    _drop_and_exec(libc, cfg)


def _probe() -> int:
    """Exit 0 and print ``namespaces`` if namespaces and mounts work here."""
    libc = _libc()
    try:
        _check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS),
               "unshare")
        child = os.fork()
        if child == 0:
            try:
                _loopback_up()
                _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
                d = tempfile.mkdtemp(prefix="cs231n-probe-")
                try:
                    _mount(libc, "tmpfs", d, "tmpfs", 0, "size=1m")
                    _mount(libc, "proc", d, "proc", 0)
                finally:
                    libc.umount2(d.encode(), 2)
                    libc.umount2(d.encode(), 2)
                    os.rmdir(d)
            except BaseException:  # noqa: BLE001
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(child, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            print("namespaces")
            return 0
    except OSError:
        pass
    print("unavailable")
    return 1


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
    if sys.argv[1:] == ["--probe"]:
        sys.exit(_probe())
    if sys.argv[1:2] == ["--reaper"]:
        _reaper(sys.argv[3:])
    with open(sys.argv[1]) as f:
        _launch(json.load(f))
