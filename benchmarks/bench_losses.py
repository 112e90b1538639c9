"""Loss + gradient benchmarks: naive vs vectorized, vectorized vs the two GEMMs, peak memory."""

from __future__ import annotations

import numpy as np

from benchmarks.rows import ratio_row
from benchmarks.timing import extra_peak_bytes, interleaved_medians
from cs231n_lin.classifiers.chunked import softmax_loss_chunked, svm_loss_chunked
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized

REG = 1e-3

# name -> (naive, vectorized, chunked), each called as f(W, X, y, reg)
LOSSES = {
    "svm_hinge": (
        svm_loss_naive, svm_loss_vectorized, svm_loss_chunked,
    ),
    "svm_squared": (
        lambda W, X, y, reg: svm_loss_naive(W, X, y, reg, squared=True),
        lambda W, X, y, reg: svm_loss_vectorized(W, X, y, reg, squared=True),
        lambda W, X, y, reg: svm_loss_chunked(W, X, y, reg, squared=True),
    ),
    "softmax": (
        softmax_loss_naive, softmax_loss_vectorized, softmax_loss_chunked,
    ),
}


def random_problem(n: int, d: int, c: int, dtype, seed: int = 0):
    """CIFAR-like random data: ``X`` standard normal (with a bias column), small ``W``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32).astype(dtype, copy=False)
    X[:, -1] = 1.0                                        # the bias trick's constant column
    W = (1e-3 * rng.standard_normal((d, c))).astype(dtype)
    y = rng.integers(0, c, size=n)
    return W, X, y


def naive_vs_vectorized(n: int, d: int, c: int, dtype, repeats: int, naive_repeats: int) -> list[dict]:
    """Speed-up of each vectorized loss over its naive loop version (all ``n`` rows, timed fully).

    Also times the two GEMMs alone at this size: ``naive / GEMMs`` is the most any vectorized
    loss could reach, and ``vectorized / GEMMs`` shows how close it gets.
    """
    W, X, y = random_problem(n, d, c, dtype)
    G = np.random.default_rng(1).standard_normal((n, c)).astype(dtype)
    name_dtype = np.dtype(dtype).name
    shape = f"N={n} D={d} C={c} {name_dtype}"
    fast = {"gemm": lambda: (X @ W, X.T @ G)}
    fast.update({name: lambda f=vectorized: f(W, X, y, REG) for name, (_, vectorized, _) in LOSSES.items()})
    fast_s = interleaved_medians(fast, repeats)
    naive_s = interleaved_medians(
        {name: lambda f=naive: f(W, X, y, REG) for name, (naive, _, _) in LOSSES.items()}, naive_repeats
    )
    rows = []
    for name in LOSSES:
        rows.append(ratio_row(
            f"naive_over_vectorized/{name}/{name_dtype}", f"{name} naive / vectorized, {shape}",
            naive_s[name] / fast_s[name], ">=", 200,
            naive_ms=1e3 * naive_s[name], vectorized_ms=1e3 * fast_s[name],
            note=f"naive timed on all {n} rows, median of {naive_repeats}",
        ))
    for name in LOSSES:
        rows.append(ratio_row(
            f"naive_over_gemm/{name}/{name_dtype}",
            f"{name} naive / two GEMMs (the most vectorizing can give), {shape}",
            naive_s[name] / fast_s["gemm"], None, None, gemm_ms=1e3 * fast_s["gemm"],
        ))
    return rows


def vectorized_vs_gemm(n: int, d: int, c: int, dtype, repeats: int) -> list[dict]:
    """Each loss + gradient over the cost of its two matrix products alone, and its peak memory."""
    W, X, y = random_problem(n, d, c, dtype)
    G = np.random.default_rng(1).standard_normal((n, c)).astype(dtype)   # stands in for dscores
    name_dtype = np.dtype(dtype).name
    funcs = {"gemm": lambda: (X @ W, X.T @ G)}
    for name, (_, vectorized, chunked) in LOSSES.items():
        funcs[f"{name}/vectorized"] = lambda f=vectorized: f(W, X, y, REG)
        funcs[f"{name}/chunked"] = lambda f=chunked: f(W, X, y, REG)
    medians = interleaved_medians(funcs, repeats)
    gemm_s = medians["gemm"]
    shape = f"N={n} D={d} C={c} {name_dtype}"
    rows = [ratio_row(
        f"gemm_ms/{name_dtype}", f"two GEMMs X@W + X.T@G (ms, the unit below), {shape}",
        1e3 * gemm_s, None, None, unit="ms", bandwidth_gb_s=2 * X.nbytes / gemm_s / 1e9,
    )]
    for name in LOSSES:
        for kind, target in (("vectorized", 1.10), ("chunked", 0.75)):
            seconds = medians[f"{name}/{kind}"]
            rows.append(ratio_row(
                f"{kind}_over_gemm/{name}/{name_dtype}", f"{name} {kind} / two GEMMs, {shape}",
                seconds / gemm_s, "<=", target, ms=1e3 * seconds, gemm_ms=1e3 * gemm_s,
            ))
    for name in LOSSES:
        for kind, f in (("vectorized", funcs[f"{name}/vectorized"]), ("chunked", funcs[f"{name}/chunked"])):
            extra = extra_peak_bytes(f)
            rows.append(ratio_row(
                f"peak_memory_over_X/{name}/{kind}/{name_dtype}",
                f"{name} {kind}: extra peak memory / size of X, {shape}",
                extra / X.nbytes, "<", 0.1, extra_mb=extra / 2**20, x_mb=X.nbytes / 2**20,
            ))
    return rows
