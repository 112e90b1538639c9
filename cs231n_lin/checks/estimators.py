"""Named checks of the estimator code students write: the SGD step of ``fit`` and ``predict``.

``sgd_step(cls)`` trains a subclass of the student's class whose ``loss`` returns a fixed,
known gradient and records every minibatch, so the step, the minibatch and the labels are
judged on their own, whatever state the student's loss functions are in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cs231n_lin.checks._core import Checker, named_check
from cs231n_lin.checks._data import case
from cs231n_lin.checks.messages import message

__all__ = ["judge_fit", "predict", "record_fit", "sgd_step", "training_data"]

_N, _BATCH = 40, 6


def record_fit(cls: type, X: np.ndarray, y: np.ndarray, G: np.ndarray, **params: Any) -> dict[str, Any]:
    """Train a subclass of ``cls`` whose ``loss`` returns the constant gradient ``G`` and records
    each call: ``{"W": weights before each step, "X": minibatches, "y": their labels, "final": W_,
    "history": loss_history_, "returned": the losses returned}`` (arrays; lists where ragged)."""
    calls: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    returned: list[float] = []

    class Recorder(cls):  # type: ignore[misc, valid-type]
        def loss(self, W, X, y):
            calls.append((np.array(W, dtype=np.float64), np.array(X), np.array(y)))
            value = float(len(calls)) + 0.25
            returned.append(value)
            return value, G.astype(np.asarray(W).dtype)

    Recorder.__name__ = Recorder.__qualname__ = cls.__name__
    est = Recorder(**params)
    est.fit(X, y)
    final = getattr(est, "W_", None)
    return {"W": [c[0] for c in calls], "X": [c[1] for c in calls], "y": [c[2] for c in calls],
            "final": None if final is None else np.asarray(final, dtype=np.float64),
            "history": np.asarray(getattr(est, "loss_history_", []), dtype=np.float64),
            "returned": np.asarray(returned)}


def training_data(N: int, D: int, C: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X whose first feature is the row number (to recognise rows), string labels, their indices."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D)).round(3)
    X[:, 0] = np.arange(N)
    names = np.array([f"class_{chr(ord('a') + k)}" for k in range(C)])
    index = rng.permutation(np.arange(N) % C)
    return X, names[index], index


def judge_fit(rec: dict[str, Any], *, G: np.ndarray, lr: float, steps: int, batch: int, D: int,
              y_index: np.ndarray, name: str) -> list[tuple[str, str | None, dict]]:
    """What is wrong in a recorded training run (:func:`record_fit`), as ``(what, key, context)``.

    Judged from the rule itself, not from stored weights: ``steps`` minibatches of ``batch`` rows
    of X with the bias column and the labels of the same rows, and each step
    ``W <- W - learning_rate * G``. Used by the check cell and, on the grader's inputs, by ``grade``.
    """
    out: list[tuple[str, str | None, dict]] = []
    Ws, Xs, ys = rec["W"], rec["X"], rec["y"]
    N, C = len(y_index), G.shape[1]
    if not Ws:
        return [(f"{name}.fit never computed a minibatch loss", "fit.no_loss", {})]
    if len(Ws) != steps:
        return [(f"{name}.fit computed the loss {len(Ws)} times in {steps} iterations", "fit.calls",
                 {"k": len(Ws), "num_iters": steps})]
    for Xb, yb in zip(Xs, ys, strict=True):
        Xb, yb = np.asarray(Xb), np.asarray(yb)
        if Xb.ndim != 2 or Xb.shape[0] != batch:
            return [(f"a minibatch has shape {Xb.shape}; batch_size is {batch}", "fit.batch_size",
                     {"got": Xb.shape[0] if Xb.ndim else 0, "batch_size": batch})]
        if Xb.shape[1] == D:
            return [("the minibatch has no bias column", "fit.no_bias", {})]
        if yb.shape != (batch,) or yb.dtype.kind not in "iu" or yb.min() < 0 or yb.max() >= C:
            return [("the minibatch labels are not class indices 0..C-1", "fit.labels", {})]
        rows = Xb[:, 0].round().astype(int)
        if rows.min() < 0 or rows.max() >= N or not np.array_equal(yb, y_index[rows]):
            return [("the minibatch labels do not belong to its rows of X", "fit.minibatch_mismatch", {})]
    if steps > 1 and all(np.array_equal(Xs[0], Xb) for Xb in Xs[1:]):
        out.append(("every step uses the same minibatch", "fit.not_random", {}))
    final = rec["final"]
    if final is None:
        return out + [(f"{name}.fit did not store the weights in self.W_", None, {})]
    trajectory = np.array([*Ws, final], dtype=np.float64)
    if trajectory.shape[1:] != G.shape:
        return out + [(f"W has shape {trajectory.shape[1:]}, but the gradient has shape {G.shape}", None, {})]
    taken = np.diff(trajectory, axis=0)
    if not np.allclose(taken, -lr * G, rtol=1e-6, atol=1e-12):
        k = float(np.sum(taken * -G)) / float(np.sum(G * G) * len(taken))
        key = "fit.step"
        for mistake, c in (("fit.ascent", -lr), ("fit.no_lr", 1.0), ("fit.no_update", 0.0)):
            if np.allclose(taken, -c * G, rtol=1e-6, atol=1e-12):
                key = mistake
        out.append(("the weights after each step are not W - learning_rate * grad", key, {"c": k, "lr": lr}))
    history = np.asarray(rec["history"], dtype=np.float64)
    if history.shape != (steps,) or not np.allclose(history, rec["returned"]):
        out.append(("loss_history_ is not the minibatch loss of each step", "fit.history", {}))
    return out


@named_check("sgd_step")
def sgd_step(ck: Checker, cls: type) -> None:
    """Train ``cls`` for a few steps with a recorded, constant gradient and judge each step."""
    c = case("fit")
    inp = c["inputs"]
    D, C, steps, lr = int(inp["D"]), int(inp["C"]), int(inp["num_iters"]), float(inp["learning_rate"])
    G = np.array(inp["G"], dtype=np.float64)
    name = cls.__name__
    X, y, y_index = training_data(_N, D, C, 11)
    rec = ck.call(record_fit, cls, X, y, G, label=f"{name}.fit", learning_rate=lr, num_iters=steps,
                  batch_size=_BATCH, random_state=int(inp["random_state"]), reg=0.3)
    for what, key, ctx in judge_fit(rec, G=G, lr=lr, steps=steps, batch=_BATCH, D=D, y_index=y_index,
                                    name=name):
        ck.fail(what, key=key, cause=message(key, cls=name, **ctx) if key else None,
                stop=key in _STOPS)


_STOPS = ("fit.no_loss", "fit.calls", "fit.batch_size", "fit.no_bias", "fit.labels", "fit.minibatch_mismatch")


@named_check("predict")
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
            ck.fail(f"predict returned {got[:4].tolist()}..., which are not the labels of the highest scores",
                    key=key,
                    cause=message(key, cls=name), stop=True)
    bad = int(np.sum(got.astype(str) != expected))
    ck.fail(f"predict is wrong for {bad} of {len(expected)} examples", key="predict.other",
            cause=message("predict.other", cls=name, bad=bad, n=len(expected)))
