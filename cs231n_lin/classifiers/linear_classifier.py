"""Linear classifiers trained by minibatch SGD, as scikit-learn estimators.

``LinearSVM`` and ``Softmax`` differ only in the loss they minimize; everything else
(label encoding, the bias trick, the SGD loop, prediction) lives in :class:`LinearClassifier`.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from cs231n_lin._validation import check_scalar
from cs231n_lin.classifiers.registry import get_loss
from cs231n_lin.classifiers.softmax import log_softmax, softmax


def _check_integer(value, name: str, minimum: int) -> int:
    """``value`` as an int ``>= minimum``, or a ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


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

    @property
    def loss_name(self) -> str:
        """The registered loss (:mod:`cs231n_lin.classifiers.registry`) this estimator minimizes."""
        raise NotImplementedError("use LinearSVM or Softmax")

    def _loss_kwargs(self) -> dict:
        """Keyword arguments of the registered loss besides ``W, X, y, reg`` (e.g. ``delta``)."""
        return {}

    def loss(self, W: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient on a minibatch; ``y`` holds class indices.

        The registered loss :meth:`loss_name`, block by block for batches of more than 512 rows
        so that ``X`` is read from memory once (:mod:`cs231n_lin.classifiers.chunked`); smaller
        batches go straight to its vectorized function.
        """
        return get_loss(self.loss_name).chunked_loss(W, X, y, self.reg, **self._loss_kwargs())

    def _check_params(self) -> None:
        """Raise ``ValueError`` naming the first bad parameter (checked at ``fit``, as sklearn does)."""
        if check_scalar(self.learning_rate, "learning_rate") == 0:
            raise ValueError("learning_rate must be > 0; got 0")
        check_scalar(self.reg, "reg")
        _check_integer(self.num_iters, "num_iters", 0)
        _check_integer(self.batch_size, "batch_size", 1)
        for name in ("fit_intercept", "verbose"):
            if not isinstance(getattr(self, name), bool | numbers.Integral):
                raise ValueError(f"{name} must be True or False; got {getattr(self, name)!r}")
        state = self.random_state
        if not (state is None or isinstance(state, np.random.Generator | np.random.RandomState)
                or (isinstance(state, numbers.Integral) and not isinstance(state, bool))):
            raise ValueError(
                f"random_state must be None, an int or a numpy Generator/RandomState; got {state!r}"
            )

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
        self._check_params()
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

    @property
    def loss_name(self) -> str:
        return "squared_hinge" if self.squared else "hinge"

    def _loss_kwargs(self) -> dict:
        return {"delta": self.delta}

    def _check_params(self) -> None:
        super()._check_params()
        check_scalar(self.delta, "delta")
        if not isinstance(self.squared, bool | np.bool_):
            raise ValueError(f"squared must be True or False; got {self.squared!r}")


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

    @property
    def loss_name(self) -> str:
        return "softmax"

    def predict_proba(self, X) -> np.ndarray:
        """Softmax probabilities of the classes, shape (N, C)."""
        return softmax(self._scores(X), axis=1)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log-probabilities of the classes, shape (N, C), computed without underflow."""
        return log_softmax(self._scores(X), axis=1)
