"""Tests of the SGD-trained estimators LinearSVM and Softmax: scikit-learn's checks and our contract."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.classifiers.linear_classifier import LinearClassifier
from cs231n_lin.data import load_dataset
from cs231n_lin.hyperparams import defaults_for

ESTIMATORS = [LinearSVM, Softmax]


@parametrize_with_checks([LinearSVM(random_state=0), Softmax(random_state=0)])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def blobs(n=150, centers=3, seed=0):
    X, y = make_blobs(n_samples=n, centers=centers, n_features=4, random_state=seed)
    return X, y


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", seed=0)


# --- fitting ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", ESTIMATORS)
def test_string_labels(cls):
    X, y = blobs()
    names = np.array(["cat", "dog", "ship"])[y]
    clf = cls(random_state=0, num_iters=300).fit(X, names)
    assert list(clf.classes_) == ["cat", "dog", "ship"]
    pred = clf.predict(X)
    assert set(pred) <= {"cat", "dog", "ship"}
    assert clf.score(X, names) > 0.9
    # the same model as with integer labels: only the names differ
    clf_int = cls(random_state=0, num_iters=300).fit(X, y)
    np.testing.assert_array_equal(clf.W_, clf_int.W_)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_loss_history_shape_and_trend(cls):
    X, y = blobs()
    clf = cls(random_state=0, num_iters=400, learning_rate=1e-2, batch_size=50).fit(X, y)
    h = clf.loss_history_
    assert h.shape == (400,)
    assert np.isfinite(h).all()
    assert h[-40:].mean() < 0.5 * h[:40].mean()


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_verbose_prints_progress(cls, capsys):
    X, y = blobs()
    cls(random_state=0, num_iters=250, verbose=True).fit(X, y)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("iteration")]
    assert [line.split(":")[0] for line in lines] == [
        "iteration 0 / 250", "iteration 100 / 250", "iteration 200 / 250", "iteration 249 / 250"
    ]
    assert all("loss" in line for line in lines)
    cls(random_state=0, num_iters=250).fit(X, y)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_random_state_reproducibility(cls):
    X, y = blobs()
    a = cls(random_state=7, num_iters=50).fit(X, y).W_
    b = cls(random_state=7, num_iters=50).fit(X, y).W_
    c = cls(random_state=8, num_iters=50).fit(X, y).W_
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # a numpy Generator is accepted, and a fresh one seeded 7 draws what the seed 7 draws
    g = cls(random_state=np.random.default_rng(7), num_iters=50).fit(X, y).W_
    np.testing.assert_array_equal(a, g)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_weight_shapes(cls, fit_intercept):
    X, y = blobs(centers=5)
    clf = cls(random_state=0, num_iters=20, fit_intercept=fit_intercept).fit(X, y)
    assert clf.W_.shape == ((4 + 1, 5) if fit_intercept else (4, 5))
    assert clf.n_features_in_ == 4
    assert clf.loss_history_.shape == (20,)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_float32_training_keeps_float32_weights(cls):
    X, y = blobs()
    clf = cls(random_state=0, num_iters=20).fit(X.astype(np.float32), y)
    assert clf.W_.dtype == np.float32


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_decision_function_shapes_and_agreement_with_predict(cls):
    X, y = blobs(centers=4)
    clf = cls(random_state=0, num_iters=100).fit(X, y)
    scores = clf.decision_function(X)
    assert scores.shape == (len(X), 4)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[scores.argmax(axis=1)])
    # the scores are X @ W + b with the bias row last
    np.testing.assert_allclose(scores, X @ clf.W_[:-1] + clf.W_[-1])

    Xb, yb = blobs(centers=2)
    labels = np.array(["no", "yes"])[yb]
    binary = cls(random_state=0, num_iters=100).fit(Xb, labels)
    d = binary.decision_function(Xb)
    assert d.shape == (len(Xb),)
    np.testing.assert_array_equal(binary.predict(Xb), np.where(d > 0, "yes", "no"))


def test_predict_proba_rows_sum_to_one_and_agree_with_predict():
    X, y = blobs(centers=4)
    clf = Softmax(random_state=0, num_iters=200).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 4)
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), rtol=1e-9, atol=1e-12)


def test_svm_options_reach_the_loss():
    X, y = blobs()
    W = np.random.default_rng(0).standard_normal((5, 3))
    Xb = np.hstack([X, np.ones((len(X), 1))])
    plain = LinearSVM(reg=0.0).loss(W, Xb, y)[0]
    assert LinearSVM(reg=0.0, delta=2.0).loss(W, Xb, y)[0] > plain
    assert LinearSVM(reg=0.0, squared=True).loss(W, Xb, y)[0] != plain
    assert LinearSVM(reg=1.0).loss(W, Xb, y)[0] == pytest.approx(plain + np.sum(W * W))
    with pytest.raises(NotImplementedError, match="LinearSVM or Softmax"):
        LinearClassifier().loss(W, Xb, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_one_class_is_an_error(cls):
    X, _ = blobs()
    with pytest.raises(ValueError, match=r"at least 2 classes; got 1 class"):
        cls(num_iters=5).fit(X, np.zeros(len(X), dtype=int))


@pytest.mark.parametrize("name, value", [("learning_rate", 0.0), ("reg", -1.0), ("batch_size", 0),
                                         ("num_iters", -1), ("random_state", "seed")])
def test_bad_parameters_name_themselves(name, value):
    X, y = blobs()
    with pytest.raises(ValueError, match=name):
        Softmax(**{name: value}).fit(X, y)


# --- on the real data ---------------------------------------------------------------------------

def test_softmax_on_digits_matches_logistic_regression(digits):
    clf = Softmax(random_state=0, **defaults_for("digits", "softmax")).fit(digits.X_train, digits.y_train)
    ours = clf.score(digits.X_test, digits.y_test)
    theirs = LogisticRegression(max_iter=5000).fit(digits.X_train, digits.y_train).score(
        digits.X_test, digits.y_test
    )
    assert ours >= theirs - 0.01, f"Softmax {ours:.3f} vs LogisticRegression {theirs:.3f}"
    assert ours <= theirs + 0.01 + 1e-12, f"Softmax {ours:.3f} vs LogisticRegression {theirs:.3f}"


@pytest.mark.parametrize("model", ["svm", "svm_squared"])
def test_svm_on_digits_learns(digits, model):
    kwargs = defaults_for("digits", model)
    clf = LinearSVM(random_state=0, squared=(model == "svm_squared"), **kwargs)
    clf.fit(digits.X_train, digits.y_train)
    assert clf.score(digits.X_val, digits.y_val) > 0.9


@pytest.mark.parametrize("cls, name, value", [
    (LinearSVM, "delta", -0.5), (LinearSVM, "squared", "yes"), (Softmax, "fit_intercept", None),
    (Softmax, "learning_rate", "fast"), (Softmax, "num_iters", 2.5), (Softmax, "random_state", True),
])
def test_more_bad_parameters_name_themselves(cls, name, value):
    X, y = blobs()
    with pytest.raises(ValueError, match=name):
        cls(**{name: value}).fit(X, y)


def test_no_private_module_of_another_library_is_imported():
    import ast
    import inspect

    import cs231n_lin.classifiers.linear_classifier as module

    imported = [node.module for node in ast.walk(ast.parse(inspect.getsource(module)))
                if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(ast.parse(inspect.getsource(module)))
                 if isinstance(node, ast.Import) for alias in node.names]
    private = [m for m in imported if not m.startswith(("cs231n_lin", "__future__"))
               and any(part.startswith("_") for part in m.split("."))]
    assert "sklearn.utils.validation" in imported and private == []
