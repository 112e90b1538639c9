"""The bugs of the student walk (issue 11), each written as a student would: the check fails and names it."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM

svm = importlib.import_module("cs231n_lin.classifiers.linear_svm")
sm = importlib.import_module("cs231n_lin.classifiers.softmax")


def svm_loss_naive_no_average(W, X, y, reg, delta=1.0, squared=False):          # (a)
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(X.shape[0]):
        s = X[i] @ W
        for j in range(W.shape[1]):
            m = s[j] - s[y[i]] + delta
            if j != y[i] and m > 0:
                loss += m
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return loss + reg * np.sum(W * W), dW + 2 * reg * W


def svm_loss_naive_reg_not_doubled(W, X, y, reg, delta=1.0, squared=False):     # (b)
    loss, dW = svm.svm_loss_naive(W, X, y, reg, delta)
    return loss, dW - reg * W


def svm_loss_vectorized_correct_class_counted(W, X, y, reg, delta=1.0, squared=False):   # (c)
    S = X @ W
    m = np.maximum(0, S - S[np.arange(len(y)), y][:, None] + delta)
    dS = (m > 0).astype(W.dtype)
    dS[np.arange(len(y)), y] -= dS.sum(axis=1)
    return float(m.sum() / len(y) + reg * np.sum(W * W)), (X.T @ dS / len(y) + 2 * reg * W).astype(W.dtype)


def softmax_no_shift(scores, axis=-1):                                            # (d)
    e = np.exp(np.asarray(scores, dtype=float))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_loss_vectorized_no_shift(W, X, y, reg):                               # (d), in the loss
    S = X @ W
    p = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean() + reg * np.sum(W * W)
    p[np.arange(len(y)), y] -= 1
    return float(loss), X.T @ p / len(y) + 2 * reg * W


def softmax_loss_vectorized_no_onehot(W, X, y, reg):                              # (e)
    S = X @ W
    S = S - S.max(axis=1, keepdims=True)
    p = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean() + reg * np.sum(W * W)
    return float(loss), (X.T @ p / len(y) + 2 * reg * W).astype(W.dtype)


class Ascent(LinearSVM):                                                          # (f)
    def fit(self, X, y):
        self.classes_, y_index = np.unique(y, return_inverse=True)
        rng = self._rng()
        W = 0.001 * rng.standard_normal((X.shape[1] + 1, len(self.classes_)))
        self.loss_history_ = np.zeros(self.num_iters)
        for it in range(self.num_iters):
            idx = rng.integers(0, X.shape[0], size=self.batch_size)
            loss, grad = self.loss(W, self._with_bias(X[idx]), y_index[idx])
            W += self.learning_rate * grad
            self.loss_history_[it] = loss
        self.W_ = W
        return self


class NoReg(Ascent):                                    # calls the loss function itself, without reg
    def fit(self, X, y):
        self.classes_, y_index = np.unique(y, return_inverse=True)
        rng = self._rng()
        W = 0.001 * rng.standard_normal((X.shape[1] + 1, len(self.classes_)))
        self.loss_history_ = np.zeros(self.num_iters)
        for it in range(self.num_iters):
            idx = rng.integers(0, X.shape[0], size=self.batch_size)
            loss, grad = svm.svm_loss_vectorized(W, self._with_bias(X[idx]), y_index[idx], 0.0)
            W -= self.learning_rate * grad
            self.loss_history_[it] = loss
        self.W_ = W
        return self


class WrongMinibatch(Ascent):                           # X and y sampled with different indices
    def fit(self, X, y):
        self.classes_, y_index = np.unique(y, return_inverse=True)
        rng = self._rng()
        W = 0.001 * rng.standard_normal((X.shape[1] + 1, len(self.classes_)))
        self.loss_history_ = np.zeros(self.num_iters)
        for it in range(self.num_iters):
            idx = rng.integers(0, X.shape[0], size=self.batch_size)
            idy = rng.integers(0, X.shape[0], size=self.batch_size)
            loss, grad = self.loss(W, self._with_bias(X[idx]), y_index[idy])
            W -= self.learning_rate * grad
            self.loss_history_[it] = loss
        self.W_ = W
        return self


class PredictIndices(LinearSVM):
    def predict(self, X):
        return np.argmax(self._scores(X), axis=1)


CASES = [
    ("a", checks.svm_naive_loss, svm_loss_naive_no_average, "divide by N"),
    ("b", checks.svm_naive_gradient, svm_loss_naive_reg_not_doubled, "2 * reg * W"),
    ("c", checks.svm_vectorized, svm_loss_vectorized_correct_class_counted, "correct class in the hinge sum"),
    ("d", checks.softmax, softmax_no_shift, "Subtract"),
    ("d-loss", checks.softmax_vectorized, softmax_loss_vectorized_no_shift, "max-shift"),
    ("e", checks.softmax_vectorized, softmax_loss_vectorized_no_onehot, "one-hot term"),
    ("f", checks.sgd_step, Ascent, "moves W UP the gradient"),
    ("sgd-reg", checks.sgd_step, NoReg, "self.loss"),
    ("sgd-minibatch", checks.sgd_step, WrongMinibatch, "SAME indices"),
    ("predict-indices", checks.predict, PredictIndices, "classes_[index]"),
]


@pytest.mark.parametrize(("label", "check", "wrong", "cause"), CASES, ids=[c[0] for c in CASES])
def test_bug_fails_with_a_cause_naming_it(label, check, wrong, cause):
    result = check(wrong)
    assert not result
    text = repr(result)
    assert "Likely cause:" in text and cause in text, text


def test_transposed_W_is_named_as_such():
    W = np.zeros((5, 3))
    with pytest.raises(ValueError, match="did you pass W transposed"):
        svm.svm_loss_naive(W.T, np.ones((4, 5)), np.array([0, 1, 2, 0]), 0.0)

    def transposes(W, X, y, reg, delta=1.0, squared=False):       # a student's code passing W.T on
        return svm.svm_loss_vectorized(W.T, X, y, reg, delta)
    text = repr(checks.svm_vectorized(transposes))
    assert "did you pass W transposed?" in text and "bias column" not in text
