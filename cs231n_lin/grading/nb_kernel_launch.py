"""Kernel launcher used by ``nbgrade`` (standard library only): drop to the sandbox uid, start ipykernel.

Called by jupyter_client inside the sandbox with ``SETTINGS.json CONNECTION_FILE``: copies the
connection file to a file the sandbox uid owns, applies the resource limits, and runs the kernel
through util-linux ``setpriv`` (the sandbox uid, no groups, no new privileges, no inheritable
capabilities and an empty capability bounding set: as the worker). The kernel's Python starts
isolated (``-I -S``: no ``PYTHONPATH``, no ``site``, so no ``sitecustomize.py``, no ``.pth`` file
and no editable-install finder runs) and imports ipykernel from the installation's
site-packages BEFORE the submission's folder is put on ``sys.path``, so a student's
``ipykernel_launcher.py``, ``ipykernel/`` or ``sitecustomize.py`` cannot replace the kernel.
``/tmp`` paths of the kernel's environment are moved into the run's private ``TMPDIR``.
"""

import ctypes
import json
import os
import resource
import sys
import sysconfig

PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24

# The kernel's first code: stdlib only is on sys.path (-I -S); add site-packages, import the kernel,
# then the submission's folders (PYTHONPATH of the kernel's settings), after the standard library.
BOOT = """
import json, sys
cfg = json.loads(sys.argv.pop(1))
stdlib = [p for p in sys.path if p]
sys.path[:] = stdlib + cfg["site"]
from ipykernel import kernelapp
sys.path[len(stdlib):len(stdlib)] = cfg["path"]
kernelapp.launch_new_instance()
"""


def site_packages(python: str) -> list:
    """The site-packages of ``python`` (this interpreter, or the venv it belongs to)."""
    venv = os.path.dirname(os.path.dirname(python))
    if os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        found = [os.path.join(venv, lib, version, "site-packages") for lib in ("lib", "lib64")]
        found = [p for p in found if os.path.isdir(p)]
        if found:
            return found
    paths = sysconfig.get_paths()
    return list(dict.fromkeys(p for p in (paths.get("purelib"), paths.get("platlib")) if p))


def private_env(env: dict, tmp: str) -> dict:
    """``env`` with ``/tmp`` moved to ``tmp`` (the run's private TMPDIR in the fallback sandbox)."""
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


def main() -> None:
    with open(sys.argv[1]) as f:
        settings = json.load(f)
    conn = sys.argv[2]
    uid = settings["uid"]
    tmp = os.environ.get("TMPDIR") or "/tmp"
    env = private_env(settings["env"], tmp)
    python = settings["python"]
    paths = [p for p in str(settings["env"].get("PYTHONPATH", "")).split(os.pathsep) if p]
    boot = json.dumps({"site": settings.get("site_packages") or site_packages(python), "path": paths})
    argv = [python, "-I", "-S", "-c", BOOT, boot, "-f"]
    libc = ctypes.CDLL(None)
    if uid is not None:
        with open(conn) as f:
            data = f.read()
        conn = os.path.join(tmp, f"kernel-{os.getpid()}.json")
        fd = os.open(conn, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(data)
        os.chown(conn, uid, uid)
        lim = settings["limits"]
        resource.setrlimit(resource.RLIMIT_CPU, (int(lim["cpu"]), int(lim["cpu"]) + 1))
        resource.setrlimit(resource.RLIMIT_AS, (int(lim["memory"]),) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(lim["fsize"]),) * 2)
        resource.setrlimit(resource.RLIMIT_NPROC, (int(lim["nproc"]),) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        os.chdir(settings["cwd"])
    except OSError:
        os.chdir(tmp)
    argv.append(conn)
    if uid is not None and os.path.exists("/usr/bin/setpriv"):
        argv = ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--"] + argv
    elif uid is not None:   # no setpriv: the same steps by hand
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last = int(f.read())
        for cap in range(last + 1):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()
