"""The stored expected outputs of the visible checks (``fingerprints.json``) and matching against them.

The file holds, for each fixed visible input, the correct output and the outputs of known
mistakes, keyed by diagnosis key (``"avg_sum+reg_factor1"`` is two mistakes at once). It is
written by the instructor's ``cs231n_lin.grading.judge.fingerprints`` from the reference formulas;
nothing here computes an answer.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

from cs231n_lin.checks.tolerances import scaled_error

DATA_PATH = Path(__file__).resolve().parent / "fingerprints.json"


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    with open(DATA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def case(name: str) -> dict[str, Any]:
    """The stored case ``name`` (inputs, ``correct`` and ``variants``)."""
    try:
        return _load()["cases"][name]
    except KeyError:
        raise ValueError(f"no stored check case named {name!r}") from None


def best_variant(value: Any, variants: list, tol: float) -> tuple[str, ...] | None:
    """The parts of the simplest stored mistake within ``tol`` of ``value``, or None."""
    best: tuple[int, float, tuple[str, ...]] | None = None
    for key, expected in variants:
        err = scaled_error(value, expected)
        if err <= tol:
            parts = tuple(key.split("+"))
            cand = (len(parts), err, parts)
            if best is None or cand[:2] < best[:2]:
                best = cand
    return None if best is None else best[2]


def as_array(values: Any, dtype: Any = np.float64) -> np.ndarray:
    return np.array(values, dtype=dtype)
