"""Watching a sandboxed run from outside: its process tree's CPU time, activity and the stop at a limit.

Used by :func:`cs231n_lin.grading.run.sandbox.run_sandboxed`: :func:`wait` polls ``/proc`` for the CPU
time of every process of the run (dead ones included, through their parents' ``cutime``) and the
time its live processes waited for a CPU (``/proc/PID/schedstat``), and stops the run at its CPU
budget, after ``idle`` seconds without activity, or at the wall-clock safety limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cs231n_lin.grading.run.sandbox_base import Limits

_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(top: int) -> float:
    """CPU seconds used so far by process ``top`` and all its descendants, dead ones included
    (a reaped child's time is in its parent's ``cutime``; every orphan of a sandbox is re-parented
    to a process of the sandbox: its PID 1 under bwrap, the subreaper launcher otherwise)."""
    return _tree(top)[0]


def _tree(top: int) -> tuple[float, float]:
    """(CPU seconds of ``top``'s tree as :func:`tree_cpu_seconds`, plus the seconds its live processes
    spent waiting for a CPU (``/proc/PID/schedstat``): time a loaded machine took from them)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
            except (OSError, IndexError, ValueError):
                continue
    total, frontier, seen = 0, {top}, set()
    while frontier:
        seen |= frontier
        total += sum(stats[p][1] for p in frontier if p in stats)
        frontier = {p for p, (ppid, _) in stats.items() if ppid in frontier and p not in seen}
    waited = 0.0
    for pid in seen:
        try:
            with open(f"/proc/{pid}/schedstat") as f:
                waited += int(f.read().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            pass
    return total / _TICK, waited


def wait(proc: subprocess.Popen, limits: Limits, started, cpu_budget: float | None = None,
          idle: float | None = None):
    """Wait for ``proc`` with ``wait4`` (its resource usage, descendants included); stop it at its CPU
    budget (polled from outside) or at the wall-clock safety limit.

    Returns (status, usage, stopped, the CPU seconds of the process tree last polled)."""
    now = time.monotonic()
    deadline = now + (limits.wall if started is None else limits.startup + limits.wall)
    cpu_cap = None if cpu_budget is None else (cpu_budget if started is None else float(limits.startup))
    begun = started is None
    delay, next_poll, polled = 0.005, now + 0.2, 0.0
    activity: list[tuple[float, float]] = [(now, 0.0)]     # (time, CPU + CPU-wait seconds) samples
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return status, usage, None, polled
        now = time.monotonic()
        stopped = None
        if not begun and started():
            begun = True
            deadline = min(deadline, now + limits.wall)
            if cpu_budget is not None:
                polled = tree_cpu_seconds(proc.pid)
                cpu_cap = polled + cpu_budget
        if (cpu_cap is not None or idle is not None) and now >= next_poll:
            next_poll = now + 0.2
            polled, waited = _tree(proc.pid)
            if cpu_cap is not None and polled >= cpu_cap:
                stopped = "cpu"
            if idle is not None:
                activity.append((now, polled + waited))
                while len(activity) > 2 and activity[1][0] <= now - idle:
                    activity.pop(0)
                if activity[0][0] <= now - idle and activity[-1][1] - activity[0][1] < 0.02 * idle:
                    stopped = "idle"
        if now >= deadline:
            stopped = "wall"
        if stopped:
            polled = max(polled, tree_cpu_seconds(proc.pid))
            _kill_tree(proc.pid)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return None, usage, stopped, polled
        time.sleep(delay)
        delay = min(0.05, delay * 1.5)


def read_capped(path: str, cap: int) -> str:
    with open(path, "rb") as f:
        data = f.read(cap + 1)
    text = data[:cap].decode("utf-8", errors="replace")
    if len(data) > cap:
        text += f"\n[... output truncated after {cap} bytes ...]"
    return text


def _kill_tree(top: int) -> None:
    """SIGKILL ``top``'s process group and every descendant of ``top`` (children first found)."""
    from cs231n_lin.grading.run.sandbox_launch import processes

    for pid in [top] + processes(parent=top):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.killpg(top, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
