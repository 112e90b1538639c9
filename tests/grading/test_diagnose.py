"""diagnose() names mistakes from outcomes; the oracle for "correct" is the reference package."""

from __future__ import annotations

import copy
import doctest
import warnings

import numpy as np
import pytest

import cs231n_lin.classifiers as reference
from cs231n_lin.checks.tolerances import scaled_error, tolerance
from cs231n_lin.grading.judge import diagnose as diag
from cs231n_lin.grading.judge import variants
from cs231n_lin.grading.judge.diagnose import diagnose, diagnose_keys, summarize
from cs231n_lin.grading.run.probes import LOSS_FUNCTIONS, probe_cases, run_probe

PROBES = probe_cases()
LOSS_PROBES = [p for p in PROBES if p.function in LOSS_FUNCTIONS]


def _ref(probe):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_probe(reference, probe)


def _probe(name):
    return next(p for p in PROBES if p.name == name)


def _keys(probe, outcome):
    return [k for k, _ in diagnose_keys(probe, outcome)]


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
def test_reference_gets_no_diagnosis(probe):
    outcome = _ref(probe)
    assert outcome["ok"], outcome["error"]
    assert diagnose(probe, outcome) == []


@pytest.mark.parametrize("probe", LOSS_PROBES, ids=lambda p: p.name)
def test_grader_formulas_agree_with_the_reference_package(probe):
    loss, dW = diag.reference_loss(probe.function, probe.kwargs)
    out = _ref(probe)
    tol = tolerance(probe.kwargs["W"].dtype)
    assert abs(loss - out["loss"]) <= tol * max(1.0, abs(loss))
    assert scaled_error(out["dW"], dW) <= tol


@pytest.mark.parametrize("probe", LOSS_PROBES, ids=lambda p: p.name)
def test_every_single_variant_is_named_when_it_differs(probe):
    """Feed each one-mistake variant back as a student's answer: the diagnosis names it."""
    loss_cands, grad_cands = variants.candidates(probe.function, probe.kwargs)
    ref_loss, ref_dW = loss_cands[0][1], grad_cands[0][1]
    tol = tolerance(probe.kwargs["W"].dtype)
    dtype = str(probe.kwargs["W"].dtype)
    checked = 0
    for target, cands in (("loss", loss_cands), ("dW", grad_cands)):
        for parts, value in cands:
            if len(parts) != 1:
                continue
            ref_value = ref_loss if target == "loss" else ref_dW
            if not np.all(np.isfinite(value)) or scaled_error(value, ref_value) <= 100 * tol:
                continue                   # the mistake is invisible on this probe
            twins = [p for p, v in cands if len(p) == 1 and p != parts and scaled_error(v, value) <= tol]
            outcome = {"ok": True, "loss": ref_loss, "dW": ref_dW.astype(dtype), "dtype": dtype,
                       "error": None, "inputs_modified": False}
            outcome["loss" if target == "loss" else "dW"] = value if target == "loss" else value.astype(dtype)
            keys = " ".join(_keys(probe, outcome))
            assert parts[0] in keys or any(t[0] in keys for t in twins), (target, parts, keys)
            checked += 1
    assert checked >= 5


def _outcome_for(probe, **changes):
    out = _ref(probe)
    out.update(changes)
    return out


def test_not_averaged_names_n_for_different_sizes():
    for name in ("svm_loss_naive/basic", "svm_loss_naive/delta", "softmax_loss_vectorized/many"):
        probe = _probe(name)
        out = _ref(probe)
        N = probe.kwargs["X"].shape[0]
        assert N in (13, 40)
        W, reg = probe.kwargs["W"], probe.kwargs["reg"]
        R, dR = reg * np.sum(W * W), 2 * reg * W
        summed = {"loss": (out["loss"] - R) * N + R, "dW": (out["dW"] - dR) * N + dR}
        msgs = diagnose(probe, _outcome_for(probe, **summed))
        assert any("divide by N" in m and f"N = {N}" in m for m in msgs), msgs
    # everything (regularization too) N times too large: not a computed variant, but the
    # generic messages still point at N
    probe = _probe("svm_loss_naive/delta")
    out = _ref(probe)
    msgs = " ".join(diagnose(probe, _outcome_for(probe, loss=out["loss"] * 40, dW=out["dW"] * 40)))
    assert msgs.count("N = 40") == 2, msgs


def test_generic_same_factor_and_regularization_part():
    probe = _probe("svm_loss_vectorized/reg")
    out = _ref(probe)
    msgs = diagnose(probe, _outcome_for(probe, dW=out["dW"] * 3.0))
    assert any("same factor 3 in every entry" in m for m in msgs), msgs
    W, reg = probe.kwargs["W"], probe.kwargs["reg"]
    msgs = diagnose(probe, _outcome_for(probe, dW=out["dW"] + 0.37 * reg * W))
    assert any("regularization part" in m and "0.37" in m for m in msgs), msgs
    assert any(m.startswith("Your loss is correct but dW is not") for m in msgs)


def test_generic_loss_difference_names_the_numbers():
    probe = _probe("softmax_loss_naive/basic")
    out = _ref(probe)
    msgs = diagnose(probe, _outcome_for(probe, loss=out["loss"] + 0.123))
    assert any(f"{out['loss'] + 0.123:.6g}" in m and "correct loss" in m for m in msgs), msgs


def test_errors_dtype_inputs_and_types_are_explained():
    probe = _probe("svm_loss_vectorized/float32")
    msgs = diagnose(probe, {"ok": False, "loss": None, "dW": None, "dtype": "", "inputs_modified": False,
                            "error": "NotImplementedError: write me"})
    assert msgs == ["svm_loss_vectorized is not implemented yet (it raised NotImplementedError)."]
    out = _ref(probe)
    msgs = " ".join(diagnose(probe, _outcome_for(probe, dW=out["dW"].astype(np.float64), dtype="float64")))
    assert "float32 in, float32 out" in msgs
    msgs = " ".join(diagnose(probe, _outcome_for(probe, inputs_modified=True, modified_inputs=["X"])))
    assert "changed X in place" in msgs
    msgs = " ".join(diagnose(probe, _outcome_for(probe, loss_type="ndarray(1,)")))
    assert "not a Python float" in msgs
    msgs = " ".join(diagnose(probe, _outcome_for(probe, dW=out["dW"].T.copy())))
    assert "transpose" in msgs


def test_stability_message_depends_on_which_probe_failed():
    err = {"ok": False, "loss": None, "dW": None, "dtype": "", "inputs_modified": False,
           "error": "ValueError: the loss or its gradient is not finite although W and X are"}
    high = " ".join(diagnose(_probe("softmax_loss_vectorized/high_scores"), err))
    wide = " ".join(diagnose(_probe("softmax_loss_vectorized/wide_scores"), err))
    assert "max-shift" in high and "log(0)" not in high
    assert "log(0)" in wide and "overflows" not in wide
    nan = _outcome_for(_probe("softmax_loss_naive/high_scores_float32"), loss=float("nan"))
    assert "max-shift" in " ".join(diagnose(_probe("softmax_loss_naive/high_scores_float32"), nan))


def test_softmax_function_variants():
    probe = _probe("softmax/axis0")
    scores = probe.kwargs["scores"]
    e = np.exp(scores - scores.max(axis=0))
    assert "not normalized" in " ".join(diagnose(probe, _outcome_for(probe, output=e)))
    rowwise = np.exp(scores - scores.max(axis=1, keepdims=True))
    rowwise /= rowwise.sum(axis=1, keepdims=True)
    assert "ignores the axis" in " ".join(diagnose(probe, _outcome_for(probe, output=rowwise)))
    large = _probe("softmax/large")
    nan = np.full_like(large.kwargs["scores"], np.nan)
    assert "max-shift" in " ".join(diagnose(large, _outcome_for(large, output=nan)))
    wide = _probe("log_softmax/wide")
    with np.errstate(divide="ignore"):
        logp = np.log(reference.softmax.softmax(wide.kwargs["scores"]))
    assert "underflow" in " ".join(diagnose(wide, _outcome_for(wide, output=logp)))


def test_fit_step_variants():
    probe = _probe("Softmax.fit/steps")
    out = _ref(probe)
    lr = probe.kwargs["learning_rate"]
    G = out["grad_steps"]
    for step, key in ((lr * G, "fit.ascent"), (-G, "fit.no_lr"), (0 * G, "fit.no_update"),
                      (-0.5 * lr * G, "fit.step")):
        bad = copy.deepcopy(out)
        bad["W_steps"] = out["W_steps"][0] + np.concatenate([0 * G[:1], np.cumsum(step, axis=0)])
        assert key in _keys(probe, bad), key
    assert _keys(probe, out) == []
    bad = copy.deepcopy(out)
    bad["batch_sizes"] = out["batch_sizes"] + 1
    assert "fit.batch_size" in _keys(probe, bad)


def test_predict_variants():
    probe = _probe("LinearSVM.predict/given_W")
    kw = probe.kwargs
    S = kw["X"] @ kw["W"][:-1] + kw["W"][-1]
    idx = _outcome_for(probe, output=np.argmax(S, axis=1))
    assert "classes_[index]" in " ".join(diagnose(probe, idx))
    low = _outcome_for(probe, output=kw["classes"][np.argmin(S, axis=1)])
    assert "LOWEST" in " ".join(diagnose(probe, low))


def test_summarize_reports_each_mistake_once_per_function():
    results = []
    for probe in LOSS_PROBES:
        out = _ref(probe)
        results.append((probe, dict(out, inputs_modified=True, modified_inputs=["W"])))
    grouped = summarize(results)
    assert set(grouped) == set(LOSS_FUNCTIONS)
    for msgs in grouped.values():
        assert len(msgs) == 1 and "changed W in place" in msgs[0]


def test_docstring_example_runs():
    result = doctest.testmod(diag, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


# ---------------------------------------------------------------------------- the loss registry

def _ovr_logistic(W, X, y, reg):
    """One-vs-rest logistic loss (a loss the grader has no formulas for)."""
    t = -np.ones((X.shape[0], W.shape[1]))
    t[np.arange(len(y)), y] = 1.0
    z = -t * (X @ W)
    dscores = -t / (1.0 + np.exp(-z))
    return (float(np.sum(np.logaddexp(0.0, z)) / len(y) + reg * np.sum(W * W)),
            X.T @ dscores / len(y) + 2 * reg * W)


def _svm_named_toy(W, X, y, reg, delta=1.0):
    """A loss registered as kind "margin" whose name starts with "svm" but which is not the
    course's hinge (3 x the one-vs-rest logistic loss): formulas the grader does not have."""
    loss, dW = _ovr_logistic(W, X, y, reg)
    return 3.0 * loss, 3.0 * dW


@pytest.fixture
def toy_losses():
    from cs231n_lin.classifiers.registry import LossSpec, register, unregister

    specs = [LossSpec(name="toy_ovr", label="toy one-vs-rest", kind="probability", vectorized=_ovr_logistic),
             LossSpec(name="toy_svm", label="toy margin", kind="margin", vectorized=_svm_named_toy)]
    for s in specs:
        register(s)
    yield specs
    for s in specs:
        unregister(s.name)


def test_family_comes_from_the_registry_not_the_name(toy_losses):
    kw = _probe("softmax_loss_vectorized/basic").kwargs
    # the course's losses: the registry maps each function to its formulas
    for function in LOSS_FUNCTIONS:
        svm = variants._variants_of(function) is variants._svm_variants
        assert svm == function.startswith("svm"), function
    # a registered toy loss of either kind, whatever its name: no SVM or softmax formulas
    for function in ("_ovr_logistic", "_svm_named_toy"):
        assert diag.is_loss_function(function)
        assert variants._variants_of(function) is None
        assert variants.candidates(function, kw) == ([], [])
        with pytest.raises(ValueError, match="no formulas"):
            diag.reference_loss(function, kw)
    # an unregistered name is no loss at all
    assert not diag.is_loss_function("svm_loss_made_up")
    assert variants._variants_of("svm_loss_made_up") is None


def test_registered_toy_loss_gets_no_svm_or_softmax_misdiagnosis(toy_losses):
    base = _probe("softmax_loss_vectorized/reg")
    for spec, fn in ((toy_losses[0], _ovr_logistic), (toy_losses[1], _svm_named_toy)):
        name = spec.function_names()[0]
        kw = {k: v for k, v in base.kwargs.items() if k in ("W", "X", "y", "reg")}
        probe = diag.Probe(f"{name}/reg", name, kw)
        loss, dW = fn(kw["W"].copy(), kw["X"].copy(), kw["y"].copy(), kw["reg"])
        correct = {"ok": True, "loss": loss, "dW": dW, "dtype": str(dW.dtype), "error": None,
                   "inputs_modified": False}
        # before the registry decided the family, both were judged against the softmax or the
        # hinge formulas and got a "Likely cause" for a correct answer
        assert diagnose(probe, correct) == []
        # the checks that need no formula still apply
        assert "transpose" in " ".join(diagnose(probe, dict(correct, dW=dW.T.copy())))
        assert "changed X in place" in " ".join(diagnose(probe, dict(correct, modified_inputs=["X"])))
        nan = diagnose(probe, dict(correct, loss=float("nan")))
        assert len(nan) == 1 and ("finite" in nan[0] or "max-shift" in nan[0]), nan
