"""Catalogue of plausible student bugs (mutants) and correct-but-different implementations.

Each entry is a small source edit of the reference package: a list of ``(old, new)`` snippet
replacements in one file under ``cs231n_lin/classifiers/``. ``apply_to`` checks that every
``old`` snippet occurs exactly once, so an edit of the reference that makes a mutant stale
fails loudly instead of silently testing the unmodified code.

``keyword`` is a phrase the diagnosis of a bug must contain (case-insensitive); correct
alternatives have ``keyword=None`` and must get full marks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

SVM = "cs231n_lin/classifiers/linear_svm.py"
SOFTMAX = "cs231n_lin/classifiers/softmax.py"
CLASSIFIER = "cs231n_lin/classifiers/linear_classifier.py"


@dataclass(frozen=True)
class Mutant:
    """One edited copy of the reference: ``edits`` applied to ``file``."""

    name: str
    file: str
    edits: tuple[tuple[str, str], ...]
    keyword: str | None           # None: a correct alternative implementation

    @property
    def correct(self) -> bool:
        return self.keyword is None

    def apply_to(self, root: Path) -> None:
        """Apply the edits to the copy of the package under ``root`` (in place)."""
        path = Path(root) / self.file
        text = path.read_text()
        for old, new in self.edits:
            count = text.count(old)
            if count != 1:
                raise AssertionError(
                    f"mutant {self.name}: snippet occurs {count} times in {self.file} (expected once):\n{old}"
                )
            text = text.replace(old, new)
        path.write_text(text)


def make_copy(mutant: Mutant, repo: Path, dest: Path) -> Path:
    """A submission-like copy of ``repo``'s package (without grader files) with ``mutant`` applied."""
    dest = Path(dest)
    shutil.copytree(Path(repo) / "cs231n_lin", dest / "cs231n_lin",
                    ignore=shutil.ignore_patterns("grading"))
    mutant.apply_to(dest)
    return dest


def M(name: str, file: str, keyword: str | None, *edits: tuple[str, str]) -> Mutant:
    return Mutant(name, file, tuple(edits), keyword)


_NAIVE_END = (
    "    loss = loss / num_train + reg * np.sum(W * W)\n"
    "    dW = dW / num_train + 2 * reg * W\n"
)
_SVM_VEC_DW = "    dW = X.T @ dscores / num_train + 2 * reg * W                 # (D, C)\n"
_SVM_NAIVE_INNER = (
    "                dW[:, j] += slope * X[i]\n"
    "                dW[:, y[i]] -= slope * X[i]\n"
)
_SM_VEC_SHIFT = "    scores = scores - np.max(scores, axis=1, keepdims=True)           # per-row shift\n"
_SM_VEC_DW = "    dW = X.T @ dscores / num_train + 2 * reg * W\n"
_SM_NAIVE_SHIFT = (
    "        scores = scores - np.max(scores)            # numeric stability: the largest score is 0\n"
)
_SGD_STEP = "            W -= self.learning_rate * grad                            # the SGD step\n"
_PREDICT = "        return self.classes_[np.argmax(scores, axis=1)]\n"

BUGS: list[Mutant] = [
    # ---------------- svm_loss_naive ----------------
    M("svm_naive_not_averaged", SVM, "divide by N",
      (_NAIVE_END, "    loss = loss + reg * np.sum(W * W)\n    dW = dW + 2 * reg * W\n")),
    M("svm_naive_reg_grad_factor1", SVM, "regularization gradient is reg * W",
      ("    dW = dW / num_train + 2 * reg * W\n", "    dW = dW / num_train + reg * W\n")),
    M("svm_naive_reg_missing_in_loss", SVM, "no regularization term",
      ("    loss = loss / num_train + reg * np.sum(W * W)\n", "    loss = loss / num_train\n")),
    M("svm_naive_reg_l1", SVM, "L1",
      (_NAIVE_END, "    loss = loss / num_train + reg * np.sum(np.abs(W))\n"
                   "    dW = dW / num_train + reg * np.sign(W)\n")),
    M("svm_naive_counts_correct_class", SVM, "the correct class in the hinge sum",
      ("            if j == y[i]:\n                continue\n", "")),
    M("svm_naive_delta_hardcoded", SVM, "delta ignored",
      ("margin = scores[j] - correct_class_score + delta", "margin = scores[j] - correct_class_score + 1")),
    M("svm_naive_squared_no_factor2", SVM, "missing its factor 2",
      ("slope = 2.0 * margin if squared else 1.0", "slope = margin if squared else 1.0")),
    M("svm_naive_squared_ignored", SVM, "plain hinge",
      ("slope = 2.0 * margin if squared else 1.0", "slope = 1.0"),
      ("loss += margin**2 if squared else margin", "loss += margin")),
    M("svm_naive_squared_grad_slope1", SVM, "slope 1",
      ("slope = 2.0 * margin if squared else 1.0", "slope = 1.0")),
    M("svm_naive_no_correct_class_grad", SVM, "pushes the correct class up",
      ("                dW[:, y[i]] -= slope * X[i]\n", "")),
    M("svm_naive_sign_flipped", SVM, "opposite sign",
      (_SVM_NAIVE_INNER,
       "                dW[:, j] -= slope * X[i]\n                dW[:, y[i]] += slope * X[i]\n")),
    # ---------------- svm_loss_vectorized ----------------
    M("svm_vec_counts_correct_class", SVM, "the correct class in the hinge sum",
      ("    margins[rows, y] = 0.0                                       # j == y_i does not count\n", "")),
    M("svm_vec_loss_not_averaged", SVM, "divide by N",
      ("        data_loss = np.sum(margins) / num_train\n", "        data_loss = np.sum(margins)\n")),
    M("svm_vec_grad_not_averaged", SVM, "divide by N",
      (_SVM_VEC_DW, "    dW = X.T @ dscores + 2 * reg * W\n")),
    M("svm_vec_grad_divided_twice", SVM, "divided by N twice",
      (_SVM_VEC_DW, "    dW = X.T @ dscores / num_train / num_train + 2 * reg * W\n")),
    M("svm_vec_np_mean", SVM, "N * C",
      ("        data_loss = np.sum(margins) / num_train\n", "        data_loss = np.mean(margins)\n")),
    M("svm_vec_reg_half", SVM, "0.5 * reg",
      ("    loss = data_loss + reg * np.sum(W * W)\n", "    loss = data_loss + 0.5 * reg * np.sum(W * W)\n")),
    M("svm_vec_reg_grad_missing", SVM, "no regularization gradient",
      (_SVM_VEC_DW, "    dW = X.T @ dscores / num_train\n")),
    M("svm_vec_squared_no_factor2", SVM, "missing its factor 2",
      ("        dscores = 2.0 * margins ", "        dscores = 1.0 * margins ")),
    M("svm_vec_squared_ignored", SVM, "plain hinge",
      ("    if squared:\n        data_loss", "    if False:\n        data_loss")),
    M("svm_vec_delta_hardcoded", SVM, "delta ignored",
      ("scores[rows, y][:, None] + delta ", "scores[rows, y][:, None] + 1.0 ")),
    M("svm_vec_no_correct_class_grad", SVM, "pushes the correct class up",
      ("    dscores[rows, y] = -dscores.sum(axis=1)", "    dscores[rows, y] = 0 * dscores.sum(axis=1)")),
    M("svm_vec_transposed_grad", SVM, "transpose",
      (_SVM_VEC_DW, "    dW = dscores.T @ X / num_train + 2 * reg * W.T\n")),
    M("svm_vec_modifies_W", SVM, "in place",
      (_SVM_VEC_DW, "    dW = W\n    dW *= 2 * reg\n    dW += X.T @ dscores / num_train\n")),
    # the validated_loss decorator names a loss that is not one number
    M("svm_vec_loss_is_array", SVM, "must be one number",
      ("        data_loss = np.sum(margins) / num_train\n",
       "        data_loss = np.sum(margins, axis=(0, 1), keepdims=True) / num_train\n")),
    # ---------------- softmax_loss_naive ----------------
    M("softmax_naive_no_shift", SOFTMAX, "max-shift",
      (_SM_NAIVE_SHIFT,
       "")),
    M("softmax_naive_no_onehot", SOFTMAX, "one-hot",
      ("dW[:, j] += (p_j - (j == y[i])) * X[i]", "dW[:, j] += p_j * X[i]")),
    M("softmax_naive_not_averaged", SOFTMAX, "divide by N",
      (_NAIVE_END, "    loss = loss + reg * np.sum(W * W)\n    dW = dW + 2 * reg * W\n")),
    M("softmax_naive_reg_grad_missing", SOFTMAX, "no regularization gradient",
      ("    dW = dW / num_train + 2 * reg * W\n", "    dW = dW / num_train\n")),
    M("softmax_naive_log_of_probability", SOFTMAX, "log(0)",
      ("        loss += np.log(total) - scores[y[i]]\n",
       "        loss -= np.log(exp_scores[y[i]] / total)\n")),
    M("softmax_naive_log_prob_no_shift", SOFTMAX, "max-shift",
      (_SM_NAIVE_SHIFT, ""),
      ("        loss += np.log(total) - scores[y[i]]\n",
       "        loss -= np.log(exp_scores[y[i]] / total)\n")),
    M("softmax_naive_loss_sign", SOFTMAX, "wrong sign",
      ("        loss += np.log(total) - scores[y[i]]\n", "        loss += scores[y[i]] - np.log(total)\n")),
    M("softmax_naive_reg_double", SOFTMAX, "belongs to the gradient",
      ("    loss = loss / num_train + reg * np.sum(W * W)\n",
       "    loss = loss / num_train + 2 * reg * np.sum(W * W)\n")),
    # ---------------- softmax_loss_vectorized ----------------
    M("softmax_vec_max_axis0", SOFTMAX, "wrong axis",
      (_SM_VEC_SHIFT, "    scores = scores - np.max(scores, axis=0, keepdims=True)\n")),
    M("softmax_vec_no_shift", SOFTMAX, "max-shift",
      (_SM_VEC_SHIFT, "")),
    M("softmax_vec_no_onehot", SOFTMAX, "one-hot",
      ("    dscores[rows, y] -= 1.0 ", "    dscores[rows, y] -= 0.0 ")),
    M("softmax_vec_reg_grad_factor1", SOFTMAX, "regularization gradient is reg * W",
      (_SM_VEC_DW, "    dW = X.T @ dscores / num_train + reg * W\n")),
    M("softmax_vec_grad_sign", SOFTMAX, "opposite sign",
      (_SM_VEC_DW, "    dW = -(X.T @ dscores) / num_train + 2 * reg * W\n")),
    M("softmax_vec_unnormalized", SOFTMAX, "not normalized",
      ("    log_probs = scores - log_norm\n", "    log_probs = scores + 0 * log_norm\n")),
    # ---------------- softmax / log_softmax ----------------
    M("softmax_fn_no_shift", SOFTMAX, "max-shift",
      ("        shifted = scores - np.max(scores, axis=axis, keepdims=True)   # max of each row becomes 0\n",
       "        shifted = scores\n")),
    M("softmax_fn_not_normalized", SOFTMAX, "not normalized",
      ("    return exp / np.sum(exp, axis=axis, keepdims=True)\n", "    return exp\n")),
    M("softmax_fn_axis_hardcoded", SOFTMAX, "ignores the axis",
      ("        shifted = scores - np.max(scores, axis=axis, keepdims=True)   # max of each row becomes 0\n"
       "    exp = np.exp(shifted)\n    return exp / np.sum(exp, axis=axis, keepdims=True)\n",
       "        shifted = scores - np.max(scores, axis=-1, keepdims=True)\n"
       "    exp = np.exp(shifted)\n    return exp / np.sum(exp, axis=-1, keepdims=True)\n")),
    M("log_softmax_log_of_softmax", SOFTMAX, "underflow",
      ("    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))\n",
       "    return np.log(np.exp(shifted) / np.sum(np.exp(shifted), axis=axis, keepdims=True))\n")),
    M("log_softmax_no_shift", SOFTMAX, "max-shift",
      ("        shifted = scores - np.max(scores, axis=axis, keepdims=True)\n    return shifted - np.log(",
       "        shifted = scores\n    return shifted - np.log(")),
    # ---------------- LinearClassifier.fit / predict ----------------
    M("fit_gradient_ascent", CLASSIFIER, "up the gradient",
      (_SGD_STEP, "            W += self.learning_rate * grad\n")),
    M("fit_no_learning_rate", CLASSIFIER, "learning rate is missing",
      (_SGD_STEP, "            W -= grad\n")),
    M("fit_update_lost", CLASSIFIER, "never changes W",
      (_SGD_STEP, "            W_new = W - self.learning_rate * grad  # noqa: F841\n")),
    M("fit_original_labels", CLASSIFIER, "indices",
      ("loss, grad = self.loss(W, X_batch, y_index[idx])", "loss, grad = self.loss(W, X_batch, y[idx])")),
    M("fit_labels_of_other_rows", CLASSIFIER, "SAME indices",
      ("loss, grad = self.loss(W, X_batch, y_index[idx])",
       "loss, grad = self.loss(W, X_batch, y_index[rng.integers(0, num_train, size=self.batch_size)])")),
    M("fit_no_bias_column", CLASSIFIER, "bias",
      ("            X_batch = self._with_bias(X[idx])\n", "            X_batch = X[idx]\n")),
    M("predict_argmin", CLASSIFIER, "lowest score",
      (_PREDICT, "        return self.classes_[np.argmin(scores, axis=1)]\n")),
    M("predict_returns_index", CLASSIFIER, "classes_[index]",
      (_PREDICT, "        return np.argmax(scores, axis=1)\n")),
    M("predict_wrong_axis", CLASSIFIER, "axis=1",
      (_PREDICT, "        return self.classes_[np.argmax(scores, axis=0)]\n")),
]

CORRECT: list[Mutant] = [
    M("svm_vec_einsum", SVM, None,
      ("    scores = X @ W                                               # (N, C)\n",
       "    scores = np.einsum('nd,dc->nc', X, W, optimize=True)\n"),
      (_SVM_VEC_DW,
       "    dW = np.einsum('nd,nc->dc', X, dscores, optimize=True) / num_train + 2 * reg * W\n")),
    M("svm_vec_boolean_masks", SVM, None,
      ("    margins = scores - scores[rows, y][:, None] + delta          # (N, C)\n"
       "    margins[rows, y] = 0.0                                       # j == y_i does not count\n"
       "    np.maximum(margins, 0.0, out=margins)\n",
       "    correct = np.zeros(scores.shape, dtype=bool)\n"
       "    correct[rows, y] = True\n"
       "    raw = scores - scores[correct][:, None] + delta\n"
       "    margins = np.where(~correct & (raw > 0), raw, np.zeros_like(raw))\n")),
    M("softmax_vec_log_softmax_helper", SOFTMAX, None,
      ("    scores = scores - np.max(scores, axis=1, keepdims=True)           # per-row shift\n"
       "    log_norm = np.log(np.sum(np.exp(scores), axis=1, keepdims=True))  # (N, 1)\n"
       "    log_probs = scores - log_norm\n",
       "    log_probs = log_softmax(scores, axis=1)\n")),
    M("softmax_vec_probs_then_onehot_matrix", SOFTMAX, None,
      ("    dscores = np.exp(log_probs)                                       # p_j\n"
       "    dscores[rows, y] -= 1.0                                           # p_j - 1[j == y_i]\n",
       "    onehot = np.eye(W.shape[1], dtype=scores.dtype)[y]\n"
       "    dscores = softmax(scores, axis=1) - onehot\n")),
    M("svm_naive_float32_internal", SVM, None,
      ("    loss = 0.0\n    dW = np.zeros(W.shape, dtype=np.float64)\n    for i in range(num_train):\n"
       "        scores = X[i] @ W\n        correct_class_score = scores[y[i]]\n",
       "    loss = W.dtype.type(0)\n    dW = np.zeros_like(W)\n    for i in range(num_train):\n"
       "        scores = X[i] @ W\n        correct_class_score = scores[y[i]]\n")),
    M("svm_naive_classes_outer_loop", SVM, None,
      ("    for i in range(num_train):\n        scores = X[i] @ W\n"
       "        correct_class_score = scores[y[i]]\n"
       "        for j in range(num_classes):\n            if j == y[i]:\n                continue\n",
       "    for j, i in [(j, i) for j in range(num_classes) for i in range(num_train)]:\n"
       "        scores = X[i] @ W\n        correct_class_score = scores[y[i]]\n"
       "        if True:\n            if j == y[i]:\n                continue\n")),
    M("softmax_naive_vector_per_example", SOFTMAX, None,
      ("        for j in range(num_classes):\n"
       "            p_j = exp_scores[j] / total\n"
       "            dW[:, j] += (p_j - (j == y[i])) * X[i]\n",
       "        dscore = exp_scores / total\n"
       "        dscore[y[i]] -= 1.0\n"
       "        dW += np.outer(X[i], dscore)\n")),
    M("fit_rng_choice_sampling", CLASSIFIER, None,
      ("            idx = rng.integers(0, num_train, size=self.batch_size)    # sample with replacement\n",
       "            idx = rng.choice(num_train, size=self.batch_size, replace=True)\n"),
      (_SGD_STEP, "            W = W - self.learning_rate * grad\n")),
    M("predict_take", CLASSIFIER, None,
      (_PREDICT, "        return np.take(self.classes_, scores.argmax(axis=-1))\n")),
    # float64 arithmetic on float32 inputs: the validated_loss decorator returns dW in W's dtype
    M("svm_naive_float64_out", SVM, None,
      ("    dW = dW / num_train + 2 * reg * W\n    # END SOLUTION\n    return loss, dW\n",
       "    dW = dW / num_train + 2 * reg * W\n    # END SOLUTION\n    return float(loss), dW\n")),
    M("softmax_vec_float64_out", SOFTMAX, None,
      ("    scores = X @ W                                                    # (N, C)\n",
       "    scores = X.astype(np.float64) @ W.astype(np.float64)\n"),
      (_SM_VEC_DW, "    dW = X.T.astype(np.float64) @ dscores / num_train + 2 * reg * W\n")),
]

# Bugs written AFTER the diagnoses, with no computed variant made for them: their diagnosis
# rate is reported separately (it is not gated), as an honest estimate of how the generic
# messages fare on mistakes nobody anticipated. They must still lose points.
HELD_OUT: list[Mutant] = [
    M("svm_vec_margin_reversed", SVM, "regularization part",
      ("scores - scores[rows, y][:, None] + delta ", "scores[rows, y][:, None] - scores + delta ")),
    M("softmax_vec_reg_norm_not_squared", SOFTMAX, "regularization",
      ("    loss = data_loss + reg * np.sum(W * W)\n",
       "    loss = data_loss + reg * np.sqrt(np.sum(W * W))\n")),
    M("softmax_vec_dscores_from_log_probs", SOFTMAX, "dscores",
      ("    dscores = np.exp(log_probs)   ", "    dscores = log_probs.copy()   ")),
    M("fit_full_batch", CLASSIFIER, "batch_size",
      ("idx = rng.integers(0, num_train, size=self.batch_size)",
       "idx = rng.integers(0, num_train, size=num_train)")),
    M("svm_vec_bool_dscores", SVM, "dscores",
      ("        dscores = (margins > 0).astype(scores.dtype)             # dL/ds_j = 1[m_j > 0]\n",
       "        dscores = margins > 0\n")),
]

ALL: list[Mutant] = BUGS + CORRECT
