"""The loss registry: a new loss is one entry plus its functions, and every user picks it up.

The toy loss registered here is a one-vs-rest logistic loss,
``L_i = sum_j log(1 + exp(-t_ij s_ij))`` with ``t_ij = +1`` for the correct class and ``-1`` for
the others. Its functions are written below with the same decorator as the course's losses;
the oracles are numeric gradients and its closed form, never the registry itself.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import cs231n_lin.classifiers.linear_svm as linear_svm
from cs231n_lin._validation import validated_loss
from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_classifier import LinearClassifier
from cs231n_lin.classifiers.registry import (
    LossSpec,
    canonical_name,
    get_loss,
    loss_names,
    losses_of_function,
    register,
    unregister,
)
from cs231n_lin.data import make_blobs_2d
from cs231n_lin.explore import ExplorerFigure, ExplorerState, loss_report_html
from cs231n_lin.gradient_check import eval_numerical_gradient, rel_error
from cs231n_lin.vis import loss_of_margin, per_example_losses, plot_losses_vs_margin


def _signs(y, C):
    t = -np.ones((len(y), C))
    t[np.arange(len(y)), y] = 1.0
    return t


@validated_loss()
def ovr_logistic_loss_vectorized(W, X, y, reg):
    t = _signs(y, W.shape[1])
    z = -t * (X @ W)
    data_loss = np.sum(np.logaddexp(0.0, z)) / X.shape[0]
    dscores = -t / (1.0 + np.exp(-z))                      # d log(1 + e^z) / ds = sigmoid(z) * dz/ds
    return data_loss + reg * np.sum(W * W), X.T @ dscores / X.shape[0] + 2 * reg * W


@validated_loss(scan_X=True)
def ovr_logistic_loss_naive(W, X, y, reg):
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(X.shape[0]):
        s = X[i] @ W
        for j in range(W.shape[1]):
            t = 1.0 if j == y[i] else -1.0
            loss += np.logaddexp(0.0, -t * s[j])
            dW[:, j] += -t / (1.0 + np.exp(t * s[j])) * X[i]
    n = X.shape[0]
    return loss / n + reg * np.sum(W * W), dW / n + 2 * reg * W


TOY = LossSpec(
    name="ovr_logistic", label="one-vs-rest logistic", kind="probability",
    vectorized=ovr_logistic_loss_vectorized, naive=ovr_logistic_loss_naive,
    aliases=("one-vs-rest",), margin_formula="log(1 + e^(−m)) + log 2",
)


def closed_form(scores, y):
    return np.logaddexp(0.0, -_signs(y, scores.shape[1]) * scores).sum(axis=1)


@pytest.fixture
def toy():
    register(TOY)
    yield TOY
    unregister(TOY.name)


def problem(n=40, d=3, c=4, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((d, c)).astype(dtype), rng.standard_normal((n, d)).astype(dtype),
            rng.integers(0, c, n))


# --- the toy loss itself is right (so that what follows tests the registry, not the toy) ---------

def test_toy_loss_functions_agree_with_numeric_gradients():
    W, X, y = problem()
    loss, dW = ovr_logistic_loss_vectorized(W, X, y, 0.1)
    assert loss == pytest.approx(closed_form(X @ W, y).mean() + 0.1 * np.sum(W * W), rel=1e-12)
    numeric = eval_numerical_gradient(lambda w: ovr_logistic_loss_vectorized(w, X, y, 0.1)[0], W.copy())
    assert rel_error(dW, numeric) < 1e-7
    naive_loss, naive_dW = ovr_logistic_loss_naive(W, X, y, 0.1)
    assert naive_loss == pytest.approx(loss, rel=1e-12) and rel_error(naive_dW, dW) < 1e-10


# --- one registry entry, and every user sees it ----------------------------------------------------

def test_registering_adds_the_loss_and_unregistering_removes_it(toy):
    assert loss_names()[-1] == "ovr_logistic" and loss_names()[:3] == ("hinge", "squared_hinge", "softmax")
    assert canonical_name("One-Vs-Rest") == "ovr_logistic" and get_loss("one-vs-rest") is toy
    assert losses_of_function("ovr_logistic_loss_vectorized") == (toy,)
    unregister("one-vs-rest")
    assert "ovr_logistic" not in loss_names()
    with pytest.raises(ValueError, match="loss must be one of"):
        get_loss("ovr_logistic")
    register(TOY)                                   # the fixture removes it again


def test_the_explorer_state_uses_the_new_loss(toy):
    X, y = make_blobs_2d(30, 3, seed=0)
    state = ExplorerState(X, y, loss="one-vs-rest", reg=0.05, learning_rate=0.05, seed=1)
    assert state.loss == "ovr_logistic" and state.spec is toy
    report = state.evaluate()
    Xb = np.hstack([X, np.ones((len(X), 1))])
    loss, dWb = ovr_logistic_loss_vectorized(state.Wb, Xb, y, 0.05)
    assert report.loss == loss
    np.testing.assert_array_equal(np.vstack([report.dW, report.db]), dWb)
    np.testing.assert_allclose(report.per_point, closed_form(Xb @ state.Wb, y), rtol=1e-12)
    assert state.step(20).loss < loss
    assert "one-vs-rest logistic" in state.summary() and "Δ" not in state.summary()
    assert "one-vs-rest logistic" in loss_report_html(state)
    assert ExplorerFigure(state, resolution=20).to_png().startswith(b"\x89PNG")
    plt.close("all")


def test_the_explorer_widget_offers_the_new_loss(toy):
    pytest.importorskip("ipywidgets")
    from cs231n_lin.explore import Explorer

    X, y = make_blobs_2d(20, 3, seed=0)
    app = Explorer(ExplorerState(X, y, seed=0), resolution=20)
    assert ("one-vs-rest logistic", "ovr_logistic") in app.loss_menu.options
    app.loss_menu.value = "ovr_logistic"
    assert app.state.loss == "ovr_logistic" and app.delta_slider.disabled
    assert "one-vs-rest logistic" in app.loss_html.value
    plt.close("all")


def test_vis_draws_and_computes_the_new_loss(toy):
    rng = np.random.default_rng(3)
    scores, y = rng.standard_normal((25, 4)), rng.integers(0, 4, 25)
    np.testing.assert_allclose(per_example_losses(scores, y, "ovr_logistic"), closed_form(scores, y),
                               rtol=1e-12)
    m = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(loss_of_margin(m, "ovr_logistic"), np.logaddexp(0, -m) + np.log(2),
                               rtol=1e-12)
    ax = plot_losses_vs_margin()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 4 and labels[-1].startswith("one-vs-rest logistic")
    plt.close("all")


def test_the_chunked_path_and_an_estimator_use_the_new_loss(toy):
    W, X, y = problem(n=203, dtype=np.float32)
    loss, dW = toy.loss(W, X, y, 0.01)
    loss_c, dW_c = toy.chunked_loss(W, X, y, 0.01, block=16)
    assert isinstance(loss_c, float) and dW_c.dtype == np.float32
    assert loss_c == pytest.approx(loss, rel=2e-5)
    np.testing.assert_allclose(dW_c, dW, rtol=2e-4, atol=2e-5 * np.abs(dW).max())
    assert toy.naive_loss(W, X, y, 0.01)[0] == pytest.approx(loss, rel=1e-5)

    class OneVsRest(LinearClassifier):
        loss_name = "ovr_logistic"

    X2, y2 = make_blobs_2d(150, 3, seed=1)
    clf = OneVsRest(num_iters=300, learning_rate=0.1, random_state=0).fit(X2, y2)
    assert clf.loss_history_[-20:].mean() < clf.loss_history_[:20].mean()
    assert clf.score(X2, y2) > 0.8


# --- the registry itself --------------------------------------------------------------------------

def test_the_registry_calls_the_function_it_names_and_computes_nothing_itself(monkeypatch):
    # A stand-in vectorized SVM whose loss is a sentinel: what the registry returns is exactly that.
    calls = []

    def sentinel(W, X, y, reg, delta=1.0, squared=False):
        calls.append((X.shape, reg, delta, squared))
        return 100.0 + X[0, 0], np.zeros_like(W)

    monkeypatch.setattr(linear_svm, "svm_loss_vectorized", sentinel)
    scores = np.arange(6.0).reshape(3, 2)
    per = get_loss("squared_hinge").per_example_losses(scores, np.array([0, 1, 0]), delta=0.5)
    np.testing.assert_array_equal(per, 100.0 + scores[:, 0])
    assert calls == [((1, 2), 0.0, 0.5, True)] * 3
    assert LinearSVM(reg=0.0).loss(np.zeros((2, 2)), np.ones((4, 2)), np.zeros(4, int))[0] == 101.0


def test_builtin_losses_and_their_kinds():
    assert {s.kind for s in losses_of_function("svm_loss_vectorized")} == {"margin"}
    assert [s.name for s in losses_of_function("svm_loss_naive")] == ["hinge", "squared_hinge"]
    assert [s.kind for s in losses_of_function("softmax_loss_naive")] == ["probability"]
    assert get_loss("cross-entropy").name == "softmax" and not get_loss("softmax").uses_delta
    assert get_loss("svm").options == {"squared": False} and get_loss("l2-svm").options == {"squared": True}


@pytest.mark.parametrize("spec_kwargs, match", [
    ({"kind": "ranking"}, "kind must be one of"),
    ({"name": " "}, "name must be a non-empty string"),
    ({"vectorized": None}, "vectorized is required"),
])
def test_bad_specs_are_refused(spec_kwargs, match):
    kwargs = {"name": "x", "label": "x", "kind": "margin", "vectorized": "m:f", **spec_kwargs}
    with pytest.raises(ValueError, match=match):
        LossSpec(**kwargs)


def test_a_taken_name_or_alias_is_refused(toy):
    with pytest.raises(ValueError, match="already registered"):
        register(LossSpec(name="other", label="x", kind="margin", vectorized="m:f", aliases=("SVM",)))
    assert "other" not in loss_names()
    with pytest.raises(ValueError, match="spec must be a LossSpec"):
        register("hinge")
    with pytest.raises(LookupError, match="no naive function"):
        LossSpec(name="y", label="y", kind="margin", vectorized="m:f").naive_fn()
