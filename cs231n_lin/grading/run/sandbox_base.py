"""What every part of the sandbox shares: the limits of a run, what a run returns, where the launcher
and this grader's Python are. No logic of its own (``sandbox.py`` runs, ``sandbox_bwrap.py`` builds
bubblewrap's command line, ``sandbox_clock.py`` watches a run from outside)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LAUNCHER", "REAPER", "Limits", "RunResult", "python_paths"]

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
    """What came back from one sandboxed run (``cpu_seconds``/``max_rss`` measured from outside).

    ``timed_out`` is True when the grader stopped the run: ``stopped`` says why, ``"cpu"`` (the
    run's CPU budget: the submission's doing), ``"idle"`` (its processes neither ran nor waited
    for a CPU for ``idle`` seconds: code that sleeps or blocks) or ``"wall"`` (the wall-clock
    safety limit: a hung machine; not the student's fault).
    """

    returncode: int | None
    timed_out: bool
    stdout: str
    stderr: str
    seconds: float
    mode: str
    notes: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0
    max_rss: int = 0
    stopped: str | None = None  # "cpu" (CPU budget), "idle" (waited, not computing) or "wall", else None


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
