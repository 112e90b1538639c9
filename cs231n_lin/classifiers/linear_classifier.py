"""Linear classifiers trained by minibatch SGD, as scikit-learn estimators.

``LinearSVM`` and ``Softmax`` differ only in the loss they minimize; everything else
(label encoding, the bias trick, the SGD loop, prediction) lives in :class:`LinearClassifier`.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from cs231n_lin.classifiers.fused import softmax_loss_chunked, svm_loss_chunked
from cs231n_lin.classifiers.softmax import log_softmax, softmax


class LinearClassifier(ClassifierMixin, BaseEstimator):
    """Shared machinery of the SGD-trained linear classifiers; use a subclass.

    Parameters
    ----------
    learning_rate : float, default=1e-2
        SGD step size.
    reg : float, default=1e-4
        L2 regularization strength lambda in ``loss = data_loss + reg * sum(W * W)``.
    num_iters : int, default=1000
        Number of SGD steps (minibatches), not epochs.
    batch_size : int, default=200
        Examples per minibatch, sampled with replacement.
    fit_intercept : bool, default=True
        Append a constant-1 feature (the bias trick); its weights are the last row of ``W_``.
    random_state : int, numpy Generator or None, default=None
        Seeds weight initialization and minibatch sampling.
    verbose : bool, default=False
        Print the loss every 100 iterations.

    Attributes
    ----------
    W_ : ndarray of shape (D, C) or (D + 1, C)
        Learned weights (bias row last when ``fit_intercept``).
    classes_ : ndarray of shape (C,)
        The class labels, sorted; column ``c`` of ``W_`` scores ``classes_[c]``.
    loss_history_ : ndarray of shape (num_iters,)
        The minibatch loss before each step.
    n_features_in_ : int
        Number of features seen in ``fit``.
    """

    _parameter_constraints: dict = {
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "reg": [Interval(numbers.Real, 0, None, closed="left")],
        "num_iters": [Interval(numbers.Integral, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "fit_intercept": ["boolean"],
        "random_state": ["random_state", np.random.Generator],
        "verbose": ["verbose"],
    }

    def __init__(
        self, *, learning_rate=1e-2, reg=1e-4, num_iters=1000, batch_size=200,
        fit_intercept=True, random_state=None, verbose=False,
    ):
        self.learning_rate = learning_rate
        self.reg = reg
        self.num_iters = num_iters
        self.batch_size = batch_size
        self.fit_intercept = fit_intercept
        self.random_state = random_state
        self.verbose = verbose

    def loss(self, W: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient on a minibatch; ``y`` holds class indices. Subclasses define it."""
        raise NotImplementedError("use LinearSVM or Softmax")

    def _rng(self) -> np.random.Generator:
        if isinstance(self.random_state, np.random.Generator):
            return self.random_state
        if isinstance(self.random_state, np.random.RandomState):
            return np.random.default_rng(self.random_state.randint(2**31))
        return np.random.default_rng(self.random_state)

    def fit(self, X, y) -> LinearClassifier:
        """Train by minibatch SGD.

        Parameters
        ----------
        X : array-like of shape (N, D)
            Training data.
        y : array-like of shape (N,)
            Labels of any type (ints, strings, ...).

        Returns
        -------
        self
        """
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], y_numeric=False)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes; got 1 class "
                f"({self.classes_[0]!r})"
            )
        rng = self._rng()
        num_train, dim = X.shape
        if self.fit_intercept:
            dim += 1
        num_classes = len(self.classes_)
        W = (0.001 * rng.standard_normal((dim, num_classes))).astype(X.dtype)
        history = np.empty(self.num_iters)
        for it in range(self.num_iters):
            # BEGIN SOLUTION
            # HINT: A minibatch: batch_size row indices drawn with replacement from rng (rng.integers);
            # HINT: X_batch (batch_size, dim) with the bias column (self._with_bias), labels from y_index.
            # HINT: self.loss(W, X_batch, y_batch) returns (loss, grad), grad of W's shape (dim, C);
            # HINT: then one SGD step on W with self.learning_rate.
            idx = rng.integers(0, num_train, size=self.batch_size)    # sample with replacement
            X_batch = self._with_bias(X[idx])
            loss, grad = self.loss(W, X_batch, y_index[idx])
            W -= self.learning_rate * grad                            # the SGD step
            # END SOLUTION
            history[it] = loss
            if self.verbose and (it % 100 == 0 or it == self.num_iters - 1):
                print(f"iteration {it} / {self.num_iters}: loss {loss:.6f}", file=sys.stdout)
        self.W_ = W
        self.loss_history_ = history
        return self

    def _with_bias(self, X: np.ndarray) -> np.ndarray:
        if not self.fit_intercept:
            return X
        out = np.empty((X.shape[0], X.shape[1] + 1), dtype=X.dtype)   # cheaper than np.hstack
        out[:, :-1] = X
        out[:, -1] = 1
        return out

    def _scores(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        W = self.W_
        if self.fit_intercept:
            return X @ W[:-1] + W[-1]
        return X @ W

    def decision_function(self, X) -> np.ndarray:
        """Class scores ``X @ W + b``.

        Returns
        -------
        ndarray of shape (N, C), or (N,) for two classes
            For two classes, ``s_1 - s_0`` (positive means ``classes_[1]``), as scikit-learn expects.
        """
        scores = self._scores(X)
        if scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def predict(self, X) -> np.ndarray:
        """The label with the highest score, shape (N,)."""
        scores = self._scores(X)                                      # (N, C)
        # BEGIN SOLUTION
        # HINT: Return shape (N,): labels (values of self.classes_), not column indices of scores.
        return self.classes_[np.argmax(scores, axis=1)]
        # END SOLUTION


class LinearSVM(LinearClassifier):
    """Multiclass (Weston-Watkins) linear SVM trained by minibatch SGD.

    Parameters
    ----------
    delta : float, default=1.0
        The margin in the hinge ``max(0, s_j - s_y + delta)``.
    squared : bool, default=False
        Use the squared hinge (L2-SVM).
    learning_rate, reg, num_iters, batch_size, fit_intercept, random_state, verbose
        See :class:`LinearClassifier`.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, y = make_blobs(n_samples=200, centers=3, random_state=0)
    >>> clf = LinearSVM(random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **LinearClassifier._parameter_constraints,
        "delta": [Interval(numbers.Real, 0, None, closed="left")],
        "squared": ["boolean"],
    }

    def __init__(
        self, *, learning_rate=1e-2, reg=1e-4, num_iters=1000, batch_size=200, delta=1.0,
        squared=False, fit_intercept=True, random_state=None, verbose=False,
    ):
        super().__init__(
            learning_rate=learning_rate, reg=reg, num_iters=num_iters, batch_size=batch_size,
            fit_intercept=fit_intercept, random_state=random_state, verbose=verbose,
        )
        self.delta = delta
        self.squared = squared

    def loss(self, W, X, y):
        # A minibatch of <= 512 rows goes straight to svm_loss_vectorized; a larger batch is
        # split into blocks so that X is read from memory once (cs231n_lin.classifiers.fused).
        return svm_loss_chunked(W, X, y, self.reg, delta=self.delta, squared=self.squared)


class Softmax(LinearClassifier):
    """Softmax (multinomial logistic regression) classifier trained by minibatch SGD.

    Parameters
    ----------
    learning_rate, reg, num_iters, batch_size, fit_intercept, random_state, verbose
        See :class:`LinearClassifier`.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, y = make_blobs(n_samples=200, centers=3, random_state=0)
    >>> clf = Softmax(random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).sum(axis=1).round(6)
    array([1., 1.])
    """

    def loss(self, W, X, y):
        # softmax_loss_vectorized itself for minibatches of <= 512 rows (see LinearSVM.loss).
        return softmax_loss_chunked(W, X, y, self.reg)

    def predict_proba(self, X) -> np.ndarray:
        """Softmax probabilities of the classes, shape (N, C)."""
        return softmax(self._scores(X), axis=1)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log-probabilities of the classes, shape (N, C), computed without underflow."""
        return log_softmax(self._scores(X), axis=1)
