"""Student-facing feedback sentences, one home for all of them, keyed by diagnosis key.

The notebook check cells, ``cs231n-lin check`` and the grader's "Likely cause" text all take
their sentences from here. A key names one mistake (``avg_sum``: the data loss is not divided
by N; ``dW.reg_factor1``: ``reg * W`` instead of ``2 * reg * W``; ...). Templates may use
``{what}`` ("loss", "dW" or "loss and dW"), the verb forms ``{be}``, ``{it}``, ``{it_matches}``,
``{counts}``, ``{subtracts}``, ``{uses}`` that agree with it, and context such as ``{N}``,
``{delta}``, ``{cls}``; :func:`message` fills them in. When the student's language is Chinese
(:func:`cs231n_lin.i18n.current_lang`), :func:`message` takes the sentence under the same key from
:data:`cs231n_lin.checks.messages_zh.MESSAGES_ZH`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MESSAGES", "message"]

MESSAGES: dict[str, str] = {
    "avg_sum": (
        "Your {what} {be} not averaged over the examples: {it_matches} the SUM over the N = {N} examples "
        "(N times too large). Did you forget to divide by N, the number of examples?"
    ),
    "avg_nc": (
        "Your {what} {be} divided by N * C = {NC} instead of N = {N}: np.mean over the whole (N, C) "
        "matrix averages over the classes too. Sum over the classes, then divide by N."
    ),
    "avg_twice": (
        "Your {what} {be} divided by N twice (by N ** 2 = {N2}): divide the data term by N = {N} once."
    ),
    "loss_sign": (
        "The data part of your loss has the wrong sign: each L_i is >= 0 (a sum of hinge terms, or "
        "-log p_y), so the average must be too."
    ),
    "loss.reg_missing": (
        "Your loss has no regularization term: add reg * np.sum(W * W) after averaging the data loss."
    ),
    "dW.reg_missing": (
        "Your dW has no regularization gradient: add the derivative of reg * sum(W * W), "
        "which is 2 * reg * W."
    ),
    "loss.reg_half": (
        "Your regularization term is 0.5 * reg * sum(W * W); this assignment's loss is "
        "data_loss + reg * sum(W * W), without the 0.5."
    ),
    "loss.reg_l1": (
        "Your regularization term is reg * sum(|W|) (an L1 penalty); the loss uses the L2 penalty "
        "reg * sum(W * W)."
    ),
    "loss.reg_double": (
        "Your regularization term is 2 * reg * sum(W * W): the factor 2 belongs to the gradient "
        "(2 * reg * W), not to the loss."
    ),
    "loss.reg_mean": (
        "Your regularization term is divided by N: average only the data loss, then add "
        "reg * sum(W * W)."
    ),
    "dW.reg_factor1": (
        "Your regularization gradient is reg * W, but the derivative of reg * sum(W * W) is "
        "2 * reg * W (the factor 2 is missing)."
    ),
    "dW.reg_l1": (
        "Your regularization gradient is reg * sign(W) (the L1 penalty's); the derivative of "
        "reg * sum(W * W) is 2 * reg * W."
    ),
    "dW.reg_mean": (
        "Your regularization gradient is divided by N: average only the data gradient, then add "
        "2 * reg * W."
    ),
    "dW.reg_4": (
        "Your regularization gradient is 4 * reg * W: the derivative of reg * sum(W * W) is "
        "2 * reg * W (did you double it twice?)."
    ),
    "sign": (
        "Your dW has the right values with the opposite sign (it is the gradient of -loss): "
        "check the sign of the gradient."
    ),
    "data_sign": (
        "The data part of your dW has the opposite sign (the regularization part is right): "
        "a positive margin pushes score j DOWN, so its gradient is +x_i for class j and -x_i for y_i."
    ),
    "svm_counted": (
        "Your {what} {counts} the correct class in the hinge sum: for j == y_i the margin is delta, "
        "so every example adds delta. Skip j == y_i (or set those margins to 0 before the max)."
    ),
    "svm_delta1": (
        "Your {what} {it} delta = 1, but this probe uses delta = {delta:g}: use the delta "
        "argument instead of a hard-coded 1 (delta ignored)."
    ),
    "svm_hinge_for_squared": (
        "With squared=True your {what} {be} the plain hinge: the squared hinge squares each positive "
        "margin, max(0, m) ** 2, and its gradient is 2 * max(0, m)."
    ),
    "svm_sq_no2": (
        "Your squared-hinge gradient is missing its factor 2: d/ds max(0, m) ** 2 = 2 * max(0, m)."
    ),
    "svm_sq_slope1": (
        "Your squared-hinge gradient uses slope 1 for every positive margin (the plain hinge's); "
        "for max(0, m) ** 2 the slope is 2 * max(0, m) (the factor 2 and the margin are missing)."
    ),
    "svm_no_correct_grad": (
        "Your dW never pushes the correct class up: for every positive margin also subtract x_i from "
        "column y_i (dW[:, y_i] -= x_i, or dscores[i, y_i] = -(number of positive margins))."
    ),
    "softmax_axis0": (
        "Your {what} {subtracts} the maximum over the wrong axis (axis=0, over the examples): "
        "subtract each row's own maximum, np.max(scores, axis=1, keepdims=True)."
    ),
    "softmax_norm_axis0": (
        "Your probabilities are normalized over the wrong axis (over the examples, axis=0): "
        "each row must sum to 1 over the classes (axis=1)."
    ),
    "softmax_no_onehot": (
        "Your dW misses the one-hot term: the score gradient is p_j - 1[j == y_i], so subtract 1 "
        "at the correct class (dscores[np.arange(N), y] -= 1)."
    ),
    "softmax_onehot_plus": (
        "Your dW adds the one-hot term instead of subtracting it: the score gradient is "
        "p_j - 1[j == y_i] (dscores[np.arange(N), y] -= 1)."
    ),
    "softmax_unnormalized": (
        "Your {what} {uses} probabilities that are not normalized: p_j = exp(s_j) / sum_k exp(s_k), so "
        "log p_y = shifted_y - log(sum(exp(shifted))) (the log of the sum is missing)."
    ),
    "softmax_no_log": (
        "Your loss uses the probability of the correct class without the log: L_i = -log(p_{{y_i}})."
    ),
}

MESSAGES.update({
    # the SGD step of LinearClassifier.fit
    "fit.ascent": ("{cls}.fit moves W UP the gradient (W += learning_rate * grad): the SGD step is "
                   "W -= learning_rate * grad (gradient descent)."),
    "fit.no_lr": ("{cls}.fit steps by the raw gradient: the SGD step is W -= learning_rate * grad "
                  "(the learning rate is missing)."),
    "fit.no_update": ("{cls}.fit never changes W: apply the update to the W that is used in the next "
                      "step (W -= learning_rate * grad, in place or by re-assigning W)."),
    "fit.step": ("{cls}.fit's step is not W -= learning_rate * grad (it looks like W -= {c:.4g} * grad; "
                 "learning_rate is {lr:g})."),
    "fit.calls": ("{cls}.fit computed the minibatch loss {k} times; it should take one SGD step per "
                  "iteration (num_iters = {num_iters})."),
    "fit.no_loss": ("{cls}.fit never calls self.loss(W, X_batch, y_batch): the minibatch loss and its "
                    "gradient (with the regularization, self.reg) must come from self.loss."),
    "fit.reg_missing": ("{cls}.fit computes the loss without the regularization: call "
                        "self.loss(W, X_batch, y_batch), which adds reg * sum(W * W) (self.reg)."),
    "fit.batch_size": "{cls}.fit uses minibatches of {got} examples; batch_size is {batch_size}.",
    "fit.labels": ("{cls}.fit passes the original labels to the loss: pass class indices 0..C-1 "
                   "(y_index, the position in classes_)."),
    "fit.minibatch_mismatch": ("{cls}.fit's minibatch pairs rows of X with labels of other examples: "
                               "index X and y with the SAME indices (idx = rng.integers(...); "
                               "X[idx], y_index[idx])."),
    "fit.no_bias": ("{cls}.fit passes the minibatch without the bias column: use "
                    "self._with_bias(X[idx]) (the bias trick)."),
    "fit.history": ("{cls}.fit's loss_history_ is not the minibatch loss of each step (store the loss "
                    "returned by self.loss)."),
    "fit.not_random": ("{cls}.fit uses the same minibatch at every step: sample new indices each "
                       "iteration with rng.integers(0, num_train, size=self.batch_size)."),
    # predict
    "predict.indices": ("{cls}.predict returns the column index of the best score: map it to the label "
                        "with self.classes_[index]."),
    "predict.argmin": ("{cls}.predict picks the class with the LOWEST score (argmin): the prediction is "
                       "the argmax of the scores."),
    "predict.shape": ("{cls}.predict returns shape {got}, expected {expected}: take the argmax over the "
                      "classes (axis=1), one label per example."),
    "predict.other": ("{cls}.predict is wrong for {bad} of {n} examples: predict "
                      "classes_[argmax of the scores, axis=1]."),
    # shapes and numerical stability
    "transposed_W": ("W has shape (C, D) where (D, C) is expected: did you pass W transposed? Scores "
                     "are X @ W with W of shape (D, C)."),
    "transposed": ("Your dW has shape {got}, the transpose of W's {expected}: dW must have W's shape "
                   "(D, C); compute it as X.T @ dscores."),
    "dW_shape": "Your dW has shape {got}, but it must have W's shape {expected}.",
    "shapes": ("Check the shapes: X is (N, D), W is (D, C), scores are (N, C) and dW must be (D, C)."),
    "no_shift": ("The {what} is not finite for scores around {top:.4g}: np.exp overflows ({prec} exp "
                 "overflows above ~{emax:g}). Subtract each row's maximum score before np.exp "
                 "(the max-shift); it does not change the result."),
    "log_underflow": ("The {what} is not finite when scores in a row differ by {spread:.4g}: the "
                      "probability of the correct class underflows to 0 and log(0) = -inf. Compute "
                      "log p_y as shifted_y - log(sum(exp(shifted))) (log-sum-exp) instead of log of "
                      "probabilities."),
    "not_finite": ("The {what} is not finite{where}: use the max-shift before np.exp and compute "
                   "log-probabilities as shifted - log(sum(exp(shifted))) so that neither overflow nor "
                   "log(0) can happen."),
    "loss_type": ("Your {function} returns the loss as a numpy array ({got}), not a Python float: sum "
                  "over every axis and return float(loss)."),
    "inputs_modified": ("Your {function} changed {names} in place: inputs must never be modified; work "
                        "on a copy or on new arrays."),
    "dtype": ("For {expected} inputs your {function} returns {got}: the dtype must be preserved "
              "({expected} in, {expected} out), e.g. cast at the end with .astype(W.dtype)."),
    "returns": ("Your {function} must return two things, (loss, dW); it returned {got}."),
    # softmax() and log_softmax()
    "softmax.axis_ignored": ("Your {function} ignores the axis argument: with axis={axis} it returns the "
                             "result for axis=-1. Use axis (with keepdims=True) in every max and sum."),
    "softmax.wrong_axis": ("Your {function} normalizes over the wrong axis: the max and the sum must run "
                           "along axis={axis}."),
    "softmax.not_normalized": ("Your {function} output is not normalized: divide exp(shifted) by its sum "
                               "along the axis (subtract the log of the sum for log_softmax)."),
    "softmax.returns_probs": "Your log_softmax returns the probabilities, not their logs.",
    "softmax.returns_log": "Your softmax returns log-probabilities, not probabilities.",
    "softmax.shift_wrong_axis": ("Your {function} subtracts the maximum over the wrong axis: subtract "
                                 "np.max(scores, axis={axis}, keepdims=True)."),
    "softmax.log_of_softmax": ("Your log_softmax takes the log of probabilities that underflowed to 0 "
                               "(-inf): compute shifted - log(sum(exp(shifted))) instead of "
                               "log(softmax(...))."),
})

_VERBS_SINGULAR = {"be": "is", "it": "matches", "it_matches": "it matches", "counts": "counts",
                   "subtracts": "subtracts", "uses": "uses"}
_VERBS_PLURAL = {"be": "are", "it": "match", "it_matches": "they match", "counts": "count",
                 "subtracts": "subtract", "uses": "use"}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(key: str, what: str = "loss", **ctx: Any) -> str:
    """The sentence for diagnosis ``key`` about ``what`` ("loss", "dW" or "loss and dW").

    ``what``-specific keys (``"dW.reg_missing"``) win over the plain key (``"reg_missing"``);
    an unknown key is returned as is. Missing context fields stay as ``{name}``.

    Examples
    --------
    >>> message("avg_sum", "loss", N=4)[:40]
    'Your loss is not averaged over the examp'
    """
    from cs231n_lin.i18n import current_lang

    if current_lang() == "zh":       # the Chinese sentence under the same key, when there is one
        from cs231n_lin.checks.messages_zh import MESSAGES_ZH, tidy, what_zh

        template = MESSAGES_ZH.get(f"{what}.{key}", MESSAGES_ZH.get(key))
        if template is not None:
            return tidy(template.format_map(_Blank(what=what_zh(what), **ctx)))
    template = MESSAGES.get(f"{what}.{key}", MESSAGES.get(key, key))
    verbs = _VERBS_PLURAL if " and " in what else _VERBS_SINGULAR
    return template.format_map(_Blank(what=what, **verbs, **ctx))
