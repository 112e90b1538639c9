"""Training on digits: our SGD estimators beside scikit-learn's, time and test accuracy."""

from __future__ import annotations

from benchmarks.rows import ratio_row
from benchmarks.timing import interleaved_medians
from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.data import load_dataset
from cs231n_lin.hyperparams import defaults_for


def _models(seed: int, quick: bool) -> dict:
    from sklearn.linear_model import LogisticRegression, SGDClassifier

    def ours(cls, model, **extra):
        params = defaults_for("digits", model)
        if quick:
            params["num_iters"] = 20
        return lambda: cls(random_state=seed, **extra, **params)

    return {
        "Softmax": ours(Softmax, "softmax"),
        "LinearSVM (hinge)": ours(LinearSVM, "svm"),
        "LinearSVM (squared hinge)": ours(LinearSVM, "svm_squared", squared=True),
        # the same configurations as `cs231n-lin demo`
        "sklearn LogisticRegression": lambda: LogisticRegression(max_iter=5000),
        "sklearn SGDClassifier(hinge)": lambda: SGDClassifier(loss="hinge", random_state=seed),
    }


def fit_on_digits(repeats: int, *, quick: bool = False, seed: int = 0) -> list[dict]:
    """Median fit time and test accuracy of each model, and Softmax vs LogisticRegression."""
    data = load_dataset("digits", seed=seed)
    makers = _models(seed, quick)
    fitted = {}

    def fit(name):
        model = makers[name]()
        model.fit(data.X_train, data.y_train)
        fitted[name] = model

    medians = interleaved_medians({name: lambda n=name: fit(n) for name in makers}, repeats)
    accuracy = {name: float(model.score(data.X_test, data.y_test)) for name, model in fitted.items()}
    rows = [
        ratio_row(f"fit_seconds/{name}", f"digits: {name} fit time (s), test accuracy {accuracy[name]:.3f}",
                  medians[name], None, None, unit="s", test_accuracy=accuracy[name])
        for name in makers
    ]
    ours, theirs = "Softmax", "sklearn LogisticRegression"
    rows.append(ratio_row(
        "fit_time_ratio/softmax_over_logreg", "digits: Softmax fit time / LogisticRegression fit time",
        medians[ours] / medians[theirs], "<=", 1.0,
    ))
    rows.append(ratio_row(
        "accuracy_ratio/softmax_over_logreg", "digits: Softmax test accuracy / LogisticRegression's",
        accuracy[ours] / accuracy[theirs], ">=", 1.0,
        softmax=accuracy[ours], logistic_regression=accuracy[theirs],
    ))
    return rows
