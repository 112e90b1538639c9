"""The probes are deterministic, small, separate the hypotheses, and run_probe reports faithfully."""

from __future__ import annotations

import json

import numpy as np

import cs231n_lin.classifiers as reference
from cs231n_lin.grading.run.probes import LOSS_FUNCTIONS, Probe, probe_cases, run_probe

PROBES = probe_cases()


def test_probes_are_deterministic_and_uniquely_named():
    again = probe_cases()
    assert [p.name for p in PROBES] == [p.name for p in again]
    assert len({p.name for p in PROBES}) == len(PROBES)
    for a, b in zip(PROBES, again, strict=True):
        assert a.kwargs.keys() == b.kwargs.keys()
        for k in a.kwargs:
            assert np.array_equal(a.kwargs[k], b.kwargs[k])


def test_probes_are_small_and_plain():
    for p in PROBES:
        for k, v in p.kwargs.items():
            assert isinstance(v, np.ndarray | float | int | bool), (p.name, k, type(v))
        if p.function in LOSS_FUNCTIONS:
            N, D = p.kwargs["X"].shape
            C = p.kwargs["W"].shape[1]
            assert N <= 50 and D <= 20 and C <= 6
            assert D != C, "D == C would hide a transposed dW"


def test_every_student_function_is_probed_with_the_separating_cases():
    functions = {p.function for p in PROBES}
    assert set(LOSS_FUNCTIONS) <= functions
    assert {"softmax", "log_softmax", "LinearSVM.fit", "Softmax.fit", "LinearSVM.predict"} <= functions
    for fn in LOSS_FUNCTIONS:
        mine = [p for p in PROBES if p.function == fn]
        sizes = {p.kwargs["X"].shape[0] for p in mine}
        assert len(sizes) >= 3, "several N so a missing 1/N shows as a changing factor"
        assert any(p.kwargs["reg"] == 0 for p in mine) and any(p.kwargs["reg"] >= 0.5 for p in mine)
        assert any(p.kwargs["W"].dtype == np.float32 for p in mine)
        if fn.startswith("svm"):
            assert any(p.kwargs["delta"] != 1.0 for p in mine)
            assert any(p.kwargs["squared"] for p in mine)
        else:
            tops = [float((p.kwargs["X"].astype(float) @ p.kwargs["W"].astype(float)).max()) for p in mine]
            assert max(tops) > 709, "a probe where exp overflows without the max-shift"


def test_svm_probes_have_no_kinks():
    for p in PROBES:
        if p.function.startswith("svm"):
            W, X, y = (p.kwargs[k].astype(np.float64) for k in ("W", "X", "y"))
            y = y.astype(int)
            S = X @ W
            m = S - S[np.arange(len(y)), y][:, None] + p.kwargs["delta"]
            m[np.arange(len(y)), y] = 1.0
            assert np.min(np.abs(m)) > 1e-3, p.name


def test_run_probe_reports_in_place_changes_errors_and_loss_types():
    probe = next(p for p in PROBES if p.name == "svm_loss_vectorized/basic")

    def modifies_x(W, X, y, reg, delta=1.0, squared=False):
        X *= 2.0
        return reference.svm_loss_vectorized(W, X, y, reg, delta, squared)

    def array_loss(W, X, y, reg, delta=1.0, squared=False):
        loss, dW = reference.svm_loss_vectorized(W, X, y, reg, delta, squared)
        return np.array([loss]), dW

    def broken(W, X, y, reg, delta=1.0, squared=False):
        raise IndexError("index 9 is out of bounds")

    out = run_probe({"svm_loss_vectorized": modifies_x}, probe)
    assert out["ok"] and out["inputs_modified"] and out["modified_inputs"] == ["X"]
    fresh = next(p for p in probe_cases() if p.name == probe.name)
    assert np.array_equal(probe.kwargs["X"], fresh.kwargs["X"]), "the probe itself is untouched"
    out = run_probe({"svm_loss_vectorized": array_loss}, probe)
    assert out["loss_type"] == "ndarray(1,)" and isinstance(out["loss"], float)
    out = run_probe({"svm_loss_vectorized": broken}, probe)
    assert not out["ok"] and out["error"] == "IndexError: index 9 is out of bounds"
    assert not out["inputs_modified"]


def test_outcomes_are_plain_data():
    for p in PROBES:
        out = run_probe(reference, p)
        for k, v in out.items():
            if isinstance(v, np.ndarray):
                assert v.dtype.kind in "fiub", (p.name, k)
            else:
                json.dumps(v)


def test_fit_probe_records_every_sgd_step():
    probe = next(p for p in PROBES if p.function == "LinearSVM.fit")
    out = run_probe(reference, probe)
    k = probe.kwargs["num_iters"]
    assert out["num_loss_calls"] == k
    assert out["W_steps"].shape[0] == k + 1 and out["grad_steps"].shape[0] == k
    steps = np.diff(out["W_steps"], axis=0)
    assert np.allclose(steps, -probe.kwargs["learning_rate"] * out["grad_steps"])
    assert np.allclose(out["loss_history"], out["loss_steps"])


def test_unknown_function_is_an_error_not_a_crash():
    out = run_probe({}, Probe("x", "svm_loss_naive", {}))
    assert not out["ok"] and out["error"].startswith("KeyError")


def test_softmax_probes_find_the_function_in_its_module():
    """The package attribute ``cs231n_lin.classifiers.softmax`` is the module (not hidden by the
    function); the probes call the function ``softmax`` defined in it."""
    import types

    from cs231n_lin.classifiers.softmax import softmax

    assert isinstance(reference.softmax, types.ModuleType)
    assert reference.softmax.softmax is softmax
    probe = next(p for p in PROBES if p.function == "softmax")
    out = run_probe(reference, probe)
    assert out["ok"], out["error"]
    assert np.array_equal(out["output"], softmax(**probe.kwargs))
    # a namespace dict (a notebook's globals) still maps the name to the function itself
    assert run_probe({"softmax": softmax}, probe)["ok"]
