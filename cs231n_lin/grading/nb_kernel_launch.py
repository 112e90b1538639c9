"""Kernel launcher used by ``nbgrade`` (standard library only): drop to the sandbox uid, start ipykernel.

Called by jupyter_client as root inside the sandbox with ``SETTINGS.json CONNECTION_FILE``; copies
the connection file to a file the sandbox uid owns, applies the resource limits, drops
privileges, and execs ``python -m ipykernel_launcher``.
"""

import ctypes
import json
import os
import resource
import sys

PR_SET_NO_NEW_PRIVS = 38


def main() -> None:
    with open(sys.argv[1]) as f:
        settings = json.load(f)
    conn = sys.argv[2]
    uid = settings["uid"]
    if uid is not None:
        with open(conn) as f:
            data = f.read()
        conn = f"/tmp/kernel-{os.getpid()}.json"
        fd = os.open(conn, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(data)
        os.chown(conn, uid, uid)
        lim = settings["limits"]
        resource.setrlimit(resource.RLIMIT_CPU, (int(lim["cpu"]), int(lim["cpu"]) + 1))
        resource.setrlimit(resource.RLIMIT_AS, (int(lim["memory"]),) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(lim["fsize"]),) * 2)
        resource.setrlimit(resource.RLIMIT_NPROC, (int(lim["nproc"]),) * 2)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    ctypes.CDLL(None).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    try:
        os.chdir(settings["cwd"])
    except OSError:
        os.chdir("/tmp")
    python = settings["python"]
    os.execve(python, [python, "-m", "ipykernel_launcher", "-f", conn], settings["env"])


if __name__ == "__main__":
    main()
