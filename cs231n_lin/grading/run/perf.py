"""Performance feedback for the vectorized losses.

A vectorized loss needs exactly two large operations: the scores ``X @ W`` (N x C) and the
gradient ``X.T @ G`` (D x C); everything else touches N x C arrays only. So the yardstick is
those two products on the same shapes, timed in the same run (interleaved, median of repeats),
which makes the ratio meaningful on any machine, loaded or not.

Besides time, :func:`measure` records two things that do not depend on timing and explain a
slow implementation:

- peak extra memory during one call (``tracemalloc``; numpy reports its buffers to it),
  relative to the size of ``X``: >= 0.5 means an N x D temporary (a copy of X or a product
  with it);
- Python lines executed per example (``sys.settrace`` on two sizes): >= 0.5 means a Python
  loop over the examples.

:func:`measure` runs inside the worker (it calls the student's function); :func:`feedback`
runs in the grader on the returned numbers.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["feedback", "judge", "measure", "outside_points", "reference_cpu"]

LOOP_LINES_PER_EXAMPLE = 0.5      # >= this many Python lines per extra example: a loop over N
TEMP_MEMORY_RATIO = 0.5           # >= this many X-sizes of temporaries: an N x D intermediate
MIN_SAMPLE_SECONDS = 0.02        # one timing sample of the two products lasts at least this long
MAX_ROUND_SECONDS = 1.0          # ... unless the student's function would take longer than this
LOOP_MAX_FRACTION = 0.5           # a loop over N is not vectorized, however fast it happens to run


def _problem(N: int, D: int, C: int, dtype, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D)).astype(dtype)
    W = (0.01 * rng.standard_normal((D, C))).astype(dtype)
    y = rng.integers(0, C, size=N)
    return W, X, y


def _count_lines(fn: Callable[[], Any]) -> int:
    """Number of Python 'line' events while ``fn()`` runs (all Python code, library code included)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(old)
    return count


def measure(
    loss_fn: Callable[..., Any], *, N: int = 4000, D: int = 1000, C: int = 10, dtype: str = "float64",
    repeats: int = 5, reg: float = 1e-3, seed: int = 0,
) -> dict[str, Any]:
    """Time ``loss_fn(W, X, y, reg)`` against ``X @ W`` plus ``X.T @ G`` on the same shapes.

    Parameters
    ----------
    loss_fn : callable
        A vectorized loss ``(W, X, y, reg) -> (loss, dW)`` (the student's).
    N, D, C : int
        Problem size: ``X`` is (N, D), ``W`` is (D, C).
    dtype : str
        ``"float64"`` or ``"float32"``.
    repeats : int
        Timed rounds (after one warm-up call), interleaved.
    reg : float
        Regularization strength passed to ``loss_fn``.
    seed : int
        Seed of the random problem.

    Returns
    -------
    dict
        ``ratio`` (loss time / time of the two products: the smaller of the median of the
        interleaved per-round ratios and fastest / fastest sample; each sample batched to last
        >= 20 ms; one BLAS thread), ``ratio_median``, ``extra_memory_ratio``
        (peak memory allocated during one call / ``X.nbytes``), ``lines_per_example`` (Python
        lines executed per additional example), ``seconds``, ``matmul_seconds`` (per call),
        ``calls_per_sample``, ``N``, ``D``,
        ``C``, ``dtype``, and ``error`` (None, or ``"<ExcType>: <msg>"`` if ``loss_fn`` raised;
        then the numbers are None).
    """
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1; got {repeats}")
    result: dict[str, Any] = {"N": N, "D": D, "C": C, "dtype": str(np.dtype(dtype)), "error": None,
                              "ratio": None, "ratio_median": None, "extra_memory_ratio": None,
                              "lines_per_example": None,
                              "seconds": None, "matmul_seconds": None}
    W, X, y = _problem(N, D, C, dtype, seed)
    G = np.random.default_rng(seed + 1).standard_normal((N, C)).astype(dtype)

    def products():
        X @ W
        X.T @ G

    def timed(fn, k: int) -> float:
        t0 = time.perf_counter()
        for _ in range(k):
            fn()
        return (time.perf_counter() - t0) / k

    def student():
        loss_fn(W, X, y, reg)

    with _single_threaded_blas():
        return _measure(result, student, products, timed, X, W, y, loss_fn, reg, repeats, C, dtype, seed)


def _single_threaded_blas():
    """One BLAS thread while timing: on a loaded machine multi-threaded BLAS has huge tail
    latencies (ratios swung from 0.03 to 60 for the same code); one thread is stable and is
    what the ratio is about anyway (the same products, the same library)."""
    try:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=1)
    except Exception:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()


def _measure(result, student, products, timed, X, W, y, loss_fn, reg, repeats, C, dtype, seed):
    try:
        t_student = timed(student, 1)              # warm-up (and: does it run at all?)
        t_products = min(timed(products, 1) for _ in range(3))
        # Batch k calls per sample so that one sample of the products lasts >= MIN_SAMPLE_SECONDS
        # (short samples are mostly timer and scheduler noise), without spending more than
        # MAX_ROUND_SECONDS on the student's function per round.
        k = max(1, min(math.ceil(MIN_SAMPLE_SECONDS / max(t_products, 1e-9)),
                       int(MAX_ROUND_SECONDS / max(t_student, 1e-9)), 100))
        t_fn, t_mm, ratios = [], [], []
        for r in range(repeats):
            # interleaved, alternating who goes first; the ratio of each round compares two
            # timings taken moments apart, under the same machine load
            if r % 2 == 0:
                a, b = timed(student, k), timed(products, k)
            else:
                b, a = timed(products, k), timed(student, k)
            t_fn.append(a)
            t_mm.append(b)
            ratios.append(a / max(b, 1e-12))
        was_tracing = tracemalloc.is_tracing()
        if not was_tracing:
            tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        loss_fn(W, X, y, reg)
        peak = tracemalloc.get_traced_memory()[1]
        if not was_tracing:
            tracemalloc.stop()
        n1, n2 = 50, 250                            # line counts on two small problems
        W1, X1, y1 = _problem(n1, 8, C, dtype, seed + 2)
        W2, X2, y2 = _problem(n2, 8, C, dtype, seed + 2)
        lines1 = _count_lines(lambda: loss_fn(W1, X1, y1, reg))
        lines2 = _count_lines(lambda: loss_fn(W2, X2, y2, reg))
    except Exception as exc:  # the student's code failed: no measurement
        result["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        return result
    result.update(
        # Load on a shared machine only ever adds time, to either side: of the two estimates
        # (median of the per-round ratios; fastest sample over fastest sample, as timeit does)
        # the smaller one is the less disturbed, and it gives the student the benefit of the doubt.
        ratio=min(statistics.median(ratios), min(t_fn) / max(min(t_mm), 1e-12)),
        ratio_median=statistics.median(ratios),
        seconds=statistics.median(t_fn),
        matmul_seconds=statistics.median(t_mm), calls_per_sample=k,
        extra_memory_ratio=max(peak - base, 0) / X.nbytes,
        lines_per_example=max(lines2 - lines1, 0) / (n2 - n1),
    )
    return result


def _points(ratio: float, threshold: float) -> float:
    """1 up to ``threshold``, then down linearly in log(ratio), 0 at 10 x threshold."""
    if ratio <= threshold:
        return 1.0
    return max(0.0, 1.0 - math.log(ratio / threshold) / math.log(10.0))


def feedback(measurement: dict[str, Any], threshold: float = 3.0, *, name: str = "loss") -> tuple[float, str]:
    """Points fraction and a message for a student from a :func:`measure` result.

    Parameters
    ----------
    measurement : dict
        What :func:`measure` returned.
    threshold : float, default=3.0
        Full marks up to this many times the time of the two matrix products; the fraction
        then falls linearly in log(ratio), reaching 0 at ``10 * threshold``. A Python loop over
        the examples gets at most half the points whatever its time (at grading sizes a loop
        can hide in timing noise, but it is not a vectorized implementation).
    name : str
        The function's name, for the message.

    Returns
    -------
    (float, str)
        Fraction of the performance points in [0, 1] and the explanation.
    """
    if threshold <= 0:
        raise ValueError(f"threshold must be > 0; got {threshold}")
    if measurement.get("error"):
        return 0.0, f"Could not time your {name}: it raised {measurement['error']}."
    ratio = float(measurement["ratio"])
    mem = float(measurement.get("extra_memory_ratio") or 0.0)
    lines = float(measurement.get("lines_per_example") or 0.0)
    N, D = measurement.get("N", "N"), measurement.get("D", "D")
    fraction = _points(ratio, threshold)
    if lines >= LOOP_LINES_PER_EXAMPLE:
        fraction = min(fraction, LOOP_MAX_FRACTION)
    head = (f"Your {name} takes {ratio:.1f}x the time of the two matrix products it needs (X @ W and "
            f"X.T @ G, N={N}, D={D}) and allocates {mem:.2g}x the size of X in temporaries")
    causes = []
    if lines >= LOOP_LINES_PER_EXAMPLE:
        causes.append(f"it looks like a Python loop over the examples ({lines:.1f} Python lines run per "
                      "example): replace the loop by operations on the whole (N, C) score matrix")
    if mem >= TEMP_MEMORY_RATIO:
        causes.append("look for an N x D intermediate (e.g. X * something[:, None], a copy of X such as "
                      "np.hstack or X[mask], or building dW from X column by column): only X @ W and "
                      "X.T @ dscores should touch X")
    if not causes and ratio > threshold:
        causes.append("the extra time goes into extra passes over the N x C arrays (e.g. np.exp computed "
                      "twice, fancy-indexing copies, one-hot matrices) or a Python loop over the classes")
    verdict = (f"full marks up to {threshold:g}x" if fraction == 1.0
               else f"{fraction:.0%} of the points (full marks up to {threshold:g}x)")
    message = f"{head}: {verdict}."
    if causes:
        message += " " + "; ".join(c[0].upper() + c[1:] for c in causes) + "."
    return fraction, message


# ------------------------------------------------------------------------------ points, from outside

OUTSIDE_BANDS = 10        # the half band ends at OUTSIDE_BANDS x threshold (CPU time swings ~2x under load)
OUTSIDE_CALLS = 300       # calls per timed sandbox run: the reference's take ~1-2 s of CPU, >> start-up noise
_REFERENCE: dict[str, dict[str, float]] = {}


def problem_arrays(spec: dict[str, Any]) -> dict[str, np.ndarray]:
    """The timed problem of a ``perf`` case (the same W, X, y as :func:`measure` builds)."""
    W, X, y = _problem(spec.get("N", 4000), spec.get("D", 1000), spec.get("C", 10),
                       spec.get("dtype", "float64"), spec.get("seed", 0))
    return {"W": W, "X": X, "y": y}


def reference_cpu(case: dict[str, Any], run) -> dict[str, float]:
    """CPU seconds of the reference's start-up (0 calls) and of ``calls`` calls, measured once per process.

    ``run(calls)`` runs the reference's function ``calls`` times in the same kind of sandboxed
    process as the student's and returns its :class:`~cs231n_lin.grading.run.sandbox.RunResult`.
    """
    key = repr((case["module"], case["function"], sorted(case["perf"].items())))
    if key not in _REFERENCE:
        calls = int(case["perf"].get("calls", OUTSIDE_CALLS))
        base = run(0).cpu_seconds        # CPU time, not wall: one run each is steady enough
        full = run(calls).cpu_seconds
        _REFERENCE[key] = {"base": base, "per_call": max(full - base, 1e-6) / calls, "calls": calls}
    return _REFERENCE[key]


def outside_points(ratio: float, threshold: float) -> float:
    """Wide bands, so machine load cannot move a grade: 1 up to ``threshold`` x the reference's CPU
    time, 0.5 up to ``OUTSIDE_BANDS * threshold``, else 0 (the same code measured 5x and 10x under
    different loads: a band must be wider than that)."""
    if ratio <= threshold:
        return 1.0
    return 0.5 if ratio <= OUTSIDE_BANDS * threshold else 0.0


def judge(outcome, outside: dict[str, Any] | None, *, threshold: float = 3.0) -> tuple[float, str]:
    """Points fraction and message of a ``perf`` check.

    ``outside`` holds the student's CPU time per call as the grader measured it from outside the
    sandbox (``per_call``, or ``error``) and the reference's (``ref_per_call``); only these carry
    points. ``outcome.measurement`` (measured inside the student's process by :func:`measure`)
    only adds the likely cause to the message.
    """
    if threshold <= 0:
        raise ValueError(f"threshold must be > 0; got {threshold}")
    if not outside or outside.get("error"):
        why = (outside or {}).get("error") or "no measurement"
        return 0.0, f"Your loss could not be timed: {why}."
    ratio = float(outside["per_call"]) / max(float(outside["ref_per_call"]), 1e-9)
    fraction = outside_points(ratio, threshold)
    message = (f"Your loss uses {ratio:.1f}x the CPU time of the reference implementation: "
               + ("full marks" if fraction == 1.0 else f"{fraction:.0%} of the points")
               + f" (full marks up to {threshold:g}x, half up to {OUTSIDE_BANDS * threshold:g}x).")
    inside = getattr(outcome, "measurement", None) or {}
    if fraction < 1.0 and inside and not inside.get("error") and inside.get("ratio") is not None:
        try:
            _, hint = feedback(inside, threshold)
        except (TypeError, ValueError, KeyError):
            hint = ""
        causes = hint.split(". ", 1)[1] if ". " in hint else ""
        if causes:
            message += " Likely cause: " + causes
    return fraction, message
