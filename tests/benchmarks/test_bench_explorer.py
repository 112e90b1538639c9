"""The explorer's benchmark function (instructor material: not in the student version)."""

import importlib.util
from pathlib import Path

import pytest


def test_benchmark_function_measures_an_update():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_explorer.py"
    spec = importlib.util.spec_from_file_location("bench_explorer", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ms = bench.measure_explorer_update_ms(n_points=30, repeats=2)
    assert isinstance(ms, float) and 0 < ms < 10_000
    with pytest.raises(ValueError):
        bench.measure_explorer_update_ms(n_points=1)
