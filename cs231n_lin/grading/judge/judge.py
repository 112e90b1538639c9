"""Judging one case: the student's returned data against the reference's, in the grader's process.

Nothing here runs student code; every value arrives as validated data from the worker
(:class:`cs231n_lin.grading.run.worker.TaskOutcome`). A value of an unexpected type or shape is a
clean zero with feedback, never an exception.
"""

from __future__ import annotations

import numpy as np

from cs231n_lin.checks.tolerances import rel_tolerance
from cs231n_lin.gradient_check import rel_error
from cs231n_lin.grading.run.worker import Opaque, TaskOutcome

CHECK_TITLES = {
    "loss": "loss value", "grad": "gradient dW", "dtype": "dtype preserved",
    "unmodified": "inputs left unchanged", "probs": "probabilities", "logprobs": "log-probabilities",
    "accuracy": "held-out accuracy", "own_loss": "training uses the estimator's own loss",
    "perf": "speed",
}


def _scalar(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(-1)[0])
    return None


def _describe(value) -> str:
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _loss_pair(outcome: TaskOutcome, W: np.ndarray) -> tuple[float | None, np.ndarray | None, str | None]:
    v = outcome.value
    if not (isinstance(v, (tuple, list)) and len(v) == 2):
        return None, None, f"should return a tuple (loss, dW); it returned {_describe(v)}"
    loss, dW = _scalar(v[0]), v[1]
    if loss is None:
        return None, None, f"the loss should be a number; it is {_describe(v[0])}"
    if not (isinstance(dW, np.ndarray) and dW.dtype.kind == "f"):
        return loss, None, f"dW should be a floating-point array; it is {_describe(dW)}"
    if dW.shape != W.shape:
        return loss, None, f"dW should have the shape of W {W.shape}; it has shape {dW.shape}"
    return loss, dW, None


def check(name: str, case: dict, inputs: dict, expected, outcome: TaskOutcome, perf_threshold: float
          ) -> tuple[float, str]:
    """Fraction of the points earned (0..1) and feedback for one check of one case.

    Never raises because of what the student's code returned: anything the checks did not
    foresee is a zero with a message (a tampered worker can send any well-formed data).
    """
    try:
        frac, msg = _check(name, case, inputs, expected, outcome, perf_threshold)
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, OverflowError) as exc:
        return 0.0, (f"{case['function']} returned data of an unexpected kind, so it could not be "
                     f"checked ({type(exc).__name__})")
    return float(min(1.0, max(0.0, frac))), str(msg)


def _check(name: str, case: dict, inputs: dict, expected, outcome: TaskOutcome, perf_threshold: float
           ) -> tuple[float, str]:
    fn = case["function"]
    if name == "perf":
        from cs231n_lin.grading.run import perf

        return perf.judge(outcome, expected, threshold=perf_threshold)
    if not outcome.ok:
        if (outcome.error or "").startswith("NotImplementedError"):
            return 0.0, f"{fn} is not implemented yet (it raised NotImplementedError)"
        return 0.0, f"{fn} did not finish: {outcome.error}"
    if name == "unmodified":
        for arg, original in inputs.items():
            after = outcome.inputs_after.get(arg)
            if after is None or after.shape != original.shape or not np.array_equal(after, original,
                                                                                        equal_nan=True):
                return 0.0, f"{fn} changed its input {arg!r} in place; work on copies instead"
        return 1.0, "inputs unchanged"
    if name in ("probs", "logprobs"):
        v = outcome.value
        s = inputs["scores"]
        axis = case.get("kwargs", {}).get("axis", -1)
        if not (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == s.shape):
            return 0.0, (f"{fn} should return a float array of the shape of scores {s.shape}; "
                         f"got {_describe(v)}")
        if not np.isfinite(v).all():
            return 0.0, (f"{fn} returned NaN or infinity for finite scores: shift by the maximum along "
                         "the axis before exp" + (" and do not take the log of a probability that "
                                                  "underflowed to 0" if name == "logprobs" else ""))
        probs = np.exp(v) if name == "logprobs" else v
        if not np.allclose(probs.sum(axis=axis), 1.0, atol=1e-6):
            return 0.0, f"the probabilities do not sum to 1 along axis {axis}"
        if not np.allclose(v, expected, rtol=1e-6, atol=1e-9):
            return 0.0, f"the values are not the {fn} of the scores"
        return 1.0, "correct"
    if name == "accuracy":
        v = outcome.value
        y_test = inputs["y_test"]
        if not (isinstance(v, np.ndarray) and v.shape == y_test.shape):
            return 0.0, f"predict should return an array of shape {y_test.shape}; got {_describe(v)}"
        matches = np.asarray(v == y_test) if v.dtype.kind in "iuf" else np.zeros(y_test.shape, bool)
        acc = float(np.mean(matches)) if matches.shape == y_test.shape else 0.0
        if acc + 1e-12 >= expected - case.get("accuracy_margin", 0.05):
            return 1.0, f"held-out accuracy {acc:.3f}"
        return 0.0, (f"held-out accuracy {acc:.3f} is too low for these settings: check the SGD step "
                     "(sample a minibatch, compute the loss and gradient, step against the gradient) "
                     "and predict (the class with the highest score)")
    if name == "own_loss":
        v = outcome.value
        if not (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == expected.shape):
            return 0.0, f"W_ after fit should be a float array of shape {expected.shape}; got {_describe(v)}"
        if not np.isfinite(v).all() or rel_error(v, expected) > case.get("tolerance", 0.05):
            return 0.0, ("the weights after a few SGD steps are not those of this estimator's loss: "
                         "fit must step along the gradient of self.loss (the estimator's own loss)")
        return 1.0, "fit steps along the estimator's own loss"
    W = inputs["W"]
    loss, dW, problem = _loss_pair(outcome, W)
    ref_loss, ref_dW = expected
    tol = rel_tolerance(W.dtype)
    if name == "loss":
        if loss is None:
            return 0.0, problem
        if not np.isfinite(loss):
            return 0.0, "the loss is NaN or infinite for these (finite) inputs: is the computation stable?"
        if abs(loss - ref_loss) > tol * max(1.0, abs(ref_loss)):
            return 0.0, "the loss is not the correct value for these inputs"
        return 1.0, "correct"
    if name == "grad":
        if dW is None:
            return 0.0, problem
        if not np.isfinite(dW).all():
            return 0.0, "dW contains NaN or infinity"
        if rel_error(dW, ref_dW) > tol:
            return 0.0, "dW is not the gradient of the loss for these inputs"
        return 1.0, "correct"
    if name == "dtype":
        if dW is None:
            return 0.0, problem
        if dW.dtype != W.dtype:
            return 0.0, f"W is {W.dtype} but dW came back as {dW.dtype}: keep the input's dtype"
        return 1.0, f"dW is {dW.dtype}"
    raise ValueError(f"unknown check {name!r}")


