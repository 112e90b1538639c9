"""Named checks of the estimator code students write: the SGD step of ``fit`` and ``predict``.

``sgd_step(cls)`` trains a subclass of the student's class whose ``loss`` returns a fixed,
known gradient and records every minibatch, so the step, the minibatch and the labels are
judged on their own, whatever state the student's loss functions are in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cs231n_lin.checks._core import Checker, named_check
from cs231n_lin.checks._data import best_variant, case
from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import scaled_error

__all__ = ["predict", "sgd_step"]

_N, _BATCH = 40, 6


def _training_data(D: int, C: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X whose first feature is the row number (to recognise rows), string labels, their indices."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(_N, D)).round(3)
    X[:, 0] = np.arange(_N)
    names = np.array([f"class_{chr(ord('a') + k)}" for k in range(C)])
    index = rng.permutation(np.arange(_N) % C)
    return X, names[index], index


@named_check("fit: the SGD step and the minibatch")
def sgd_step(ck: Checker, cls: type) -> None:
    """Train ``cls`` for a few steps with a recorded, constant gradient and judge each step."""
    c = case("fit")
    inp = c["inputs"]
    D, C, steps, lr = int(inp["D"]), int(inp["C"]), int(inp["num_iters"]), float(inp["learning_rate"])
    G = np.array(inp["G"], dtype=np.float64)
    calls: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    returned: list[float] = []

    class Recorder(cls):  # type: ignore[misc, valid-type]
        def loss(self, W, X, y):
            calls.append((np.array(W, dtype=np.float64), np.array(X), np.array(y)))
            value = float(len(calls)) + 0.25
            returned.append(value)
            return value, G.astype(np.asarray(W).dtype)

    Recorder.__name__ = Recorder.__qualname__ = cls.__name__
    name = cls.__name__
    X, y, y_index = _training_data(D, C)
    est = Recorder(learning_rate=lr, num_iters=steps, batch_size=_BATCH,
                   random_state=int(inp["random_state"]), reg=0.3)
    ck.call(est.fit, X, y, label=f"{name}.fit")
    if not calls:
        ck.fail(f"{name}.fit never computed a minibatch loss", key="fit.no_loss",
                cause=message("fit.no_loss", cls=name), stop=True)
    if len(calls) != steps:
        ck.fail(f"{name}.fit computed the loss {len(calls)} times in {steps} iterations", key="fit.calls",
                cause=message("fit.calls", cls=name, k=len(calls), num_iters=steps), stop=True)
    for _, Xb, yb in calls:
        if Xb.ndim != 2 or Xb.shape[0] != _BATCH:
            ck.fail(f"a minibatch has shape {Xb.shape}; batch_size is {_BATCH}", key="fit.batch_size",
                    cause=message("fit.batch_size", cls=name, got=Xb.shape[0] if Xb.ndim else 0,
                                  batch_size=_BATCH), stop=True)
        if Xb.shape[1] == D:
            ck.fail("the minibatch has no bias column", key="fit.no_bias",
                    cause=message("fit.no_bias", cls=name), stop=True)
        if yb.shape != (_BATCH,) or yb.dtype.kind not in "iu":
            ck.fail(f"the minibatch labels are {yb.dtype} of shape {yb.shape}", key="fit.labels",
                    cause=message("fit.labels", cls=name), stop=True)
        rows = Xb[:, 0].round().astype(int)
        if yb.min() < 0 or yb.max() >= C:
            ck.fail("the minibatch labels are not class indices 0..C-1", key="fit.labels",
                    cause=message("fit.labels", cls=name), stop=True)
        if rows.min() < 0 or rows.max() >= _N or not np.array_equal(yb, y_index[rows]):
            ck.fail("the minibatch labels do not belong to its rows of X", key="fit.minibatch_mismatch",
                    cause=message("fit.minibatch_mismatch", cls=name), stop=True)
    if steps > 1 and all(np.array_equal(calls[0][1], Xb) for _, Xb, _ in calls[1:]):
        ck.fail("every step uses the same minibatch", key="fit.not_random",
                cause=message("fit.not_random", cls=name))
    final = getattr(est, "W_", None)
    if final is None:
        ck.fail(f"{name}.fit did not store the weights in self.W_", stop=True)
    trajectory = np.array([W for W, _, _ in calls] + [np.asarray(final, dtype=np.float64)])
    expected = np.asarray(c["correct"])
    if trajectory.shape != expected.shape:
        ck.fail(f"W has shape {trajectory.shape[1:]}, expected {expected.shape[1:]}", stop=True)
    if scaled_error(trajectory, expected) > 1e-9:
        parts = best_variant(trajectory, c["variants"], 1e-9)
        if parts:
            key = parts[0]
            cause = message(key, cls=name)
        else:
            steps_taken = np.diff(trajectory, axis=0)
            k = float(np.sum(steps_taken * -G)) / float(np.sum(G * G) * len(steps_taken))
            key, cause = "fit.step", message("fit.step", cls=name, c=k, lr=lr)
        ck.fail("the weights after each step are not W - learning_rate * grad", key=key, cause=cause)
    history = np.asarray(getattr(est, "loss_history_", []), dtype=np.float64)
    if history.shape != (steps,) or not np.allclose(history, returned):
        ck.fail("loss_history_ is not the minibatch loss of each step", key="fit.history",
                cause=message("fit.history", cls=name))


@named_check("predict: the label with the highest score")
def predict(ck: Checker, cls: type) -> None:
    """``cls.predict`` on a fitted estimator with stored weights and string labels."""
    c = case("predict")
    inp = c["inputs"]
    X = np.array(inp["X"], dtype=np.float64)
    est: Any = cls(fit_intercept=True)
    est.W_ = np.array(inp["W"], dtype=np.float64)
    est.classes_ = np.array(inp["classes"])
    est.n_features_in_ = X.shape[1]
    est.loss_history_ = np.zeros(1)
    name = cls.__name__
    expected = np.asarray(c["correct"])

    def explain(exc: BaseException) -> tuple[str, str]:
        return "predict.shape", message("predict.shape", cls=name, got="(an error)", expected=expected.shape)

    got = ck.call(est.predict, X, label=f"{name}.predict", on_error=explain)
    got = np.asarray(got)
    if got.shape != expected.shape:
        ck.fail(f"predict returned shape {got.shape}, expected {expected.shape}", key="predict.shape",
                cause=message("predict.shape", cls=name, got=got.shape, expected=expected.shape), stop=True)
    if np.array_equal(got.astype(str), expected) and got.dtype.kind in "UO":
        return
    for key, values in c["variants"]:
        if np.array_equal(got.astype(str), np.asarray(values).astype(str)):
            ck.fail(f"predict returned {got[:4].tolist()}..., expected {expected[:4].tolist()}...", key=key,
                    cause=message(key, cls=name), stop=True)
    bad = int(np.sum(got.astype(str) != expected))
    ck.fail(f"predict is wrong for {bad} of {len(expected)} examples", key="predict.other",
            cause=message("predict.other", cls=name, bad=bad, n=len(expected)))
