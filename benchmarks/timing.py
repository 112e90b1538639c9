"""Timing and machine-description helpers shared by the benchmark sections."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

BLAS_ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def interleaved_medians(funcs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time in seconds of each function, timed in round-robin rounds.

    Timing the candidates one after another inside each round (instead of all repeats of one,
    then all of the next) spreads a noisy neighbour's load over all of them, so the ratios of
    the medians are fairer on a shared machine. Every function is called once before timing.
    """
    for f in funcs.values():
        f()
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, f in funcs.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def extra_peak_bytes(f: Callable[[], object]) -> int:
    """Peak bytes allocated while ``f()`` runs, beyond what was allocated before.

    numpy reports its array buffers to :mod:`tracemalloc`, so this counts every temporary
    array of ``f`` (the inputs, allocated before the call, are not counted).
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        f()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(0, peak - before)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine_info() -> dict:
    """numpy / scikit-learn versions, the BLAS numpy uses (threadpoolctl), cores and load."""
    import sklearn
    from threadpoolctl import threadpool_info

    blas = [
        {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                   "threading_layer", "filepath")}
        for info in threadpool_info() if info.get("user_api") == "blas"
    ]
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit_learn": sklearn.__version__,
        "blas": blas,
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "blas_env": {name: os.environ.get(name) for name in BLAS_ENV_VARS},
        "platform": platform.platform(),
        "git_commit": _git_commit(),
    }
