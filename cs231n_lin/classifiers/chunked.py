"""Chunked single-pass loss and gradient: the vectorized losses, a block of rows at a time.

The cost of a vectorized loss is its two matrix products, ``scores = X @ W`` and
``dW = X.T @ dscores``. With ``C = 10`` classes they do about 2 flops per number of ``X`` they
read, so for an ``X`` larger than the CPU cache (CIFAR-10's 49000 x 3073 float32 is 600 MB) they
wait on memory, not on arithmetic -- and the plain vectorized code reads ``X`` from memory twice.

Here the rows are taken ``block`` at a time (a few hundred rows, a few MB). Each block goes
through the vectorized loss itself, so its scores and its share of the gradient
``X_b.T @ dscores_b`` are computed while the block is still in the cache: ``X`` streams from
memory once. Since the loss is a mean over rows::

    loss = sum_b (N_b / N) * data_loss_b + reg * sum(W * W)
    dW   = sum_b (N_b / N) * d(data_loss_b)/dW + 2 * reg * W

the result equals the plain vectorized one up to float rounding, and the extra memory is one
block's temporaries instead of several N x C arrays. Batches of at most ``block`` rows (SGD
minibatches) go straight to the vectorized loss, unchanged.

Any registered loss has this form: ``registry.get_loss(name).chunked_loss(...)`` (see
:mod:`cs231n_lin.classifiers.registry`); the two functions below are its SVM and softmax entries.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from cs231n_lin._validation import check_scalar, finish_loss

DEFAULT_BLOCK = 512
"""Rows per block: 512 x 3073 float32 is 6 MB (float64 12 MB), which stays in a typical L3 cache
while being large enough that the per-block Python overhead is small (see ``make bench``)."""

LossFn = Callable[..., tuple[float, np.ndarray]]


def _check_block(block) -> int:
    if isinstance(block, bool) or not isinstance(block, numbers.Integral) or block < 1:
        raise ValueError(f"block must be a positive integer number of rows; got {block!r}")
    return int(block)


def chunked_loss(
    loss_fn: LossFn, W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float,
    block: int = DEFAULT_BLOCK, **loss_kwargs,
) -> tuple[float, np.ndarray]:
    """Apply a vectorized loss ``loss_fn(W, X, y, reg, **loss_kwargs)`` block by block.

    Parameters
    ----------
    loss_fn : callable
        A loss with the contract's signature and a mean-over-rows data term, e.g.
        :func:`~cs231n_lin.classifiers.linear_svm.svm_loss_vectorized`.
    W : ndarray of shape (D, C)
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    reg : float
        L2 regularization strength, added once (not per block).
    block : int, default=512
        Rows per block; any positive integer (``N`` need not be a multiple of it).
    **loss_kwargs
        Passed on to ``loss_fn`` (e.g. ``delta``, ``squared``).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C), the dtype of ``W``
    """
    block = _check_block(block)
    X, y, W = np.asarray(X), np.asarray(y), np.asarray(W)
    if X.ndim != 2 or X.shape[0] <= block or y.shape != X.shape[:1]:
        # one block, or inputs that do not fit together: the vectorized loss itself (it names
        # the problem before doing any arithmetic)
        return loss_fn(W, X, y, reg, **loss_kwargs)
    reg = check_scalar(reg, "reg")
    # Everything else (W, the dtypes, label range, finite X) is checked block by block by
    # loss_fn: checking all of X up front would read it from memory one more time.
    num_train = X.shape[0]
    data_loss = 0.0
    dW = np.zeros(W.shape)                          # summed in float64, returned in W's dtype
    for start in range(0, num_train, block):
        X_b, y_b = X[start:start + block], y[start:start + block]    # views: no copy of X
        loss_b, dW_b = loss_fn(W, X_b, y_b, 0.0, **loss_kwargs)       # reg is added once, below
        weight = X_b.shape[0] / num_train                             # N_b / N
        data_loss += weight * loss_b
        dW += weight * dW_b
    dW += 2 * reg * W
    return finish_loss(data_loss + reg * np.sum(W * W), dW, W, X)


def svm_loss_chunked(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0,
    squared: bool = False, block: int = DEFAULT_BLOCK,
) -> tuple[float, np.ndarray]:
    """Multiclass SVM loss and gradient, computed ``block`` rows at a time.

    Same inputs, outputs and checks as
    :func:`~cs231n_lin.classifiers.linear_svm.svm_loss_vectorized` (which it calls on each
    block); equal to it up to float rounding, and faster when ``X`` does not fit in the cache.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        Data (with the bias column, if used).
    y : ndarray of shape (N,)
        Integer labels in ``[0, C)``.
    reg : float
        L2 regularization strength (``>= 0``).
    delta : float, default=1.0
        The hinge margin (``>= 0``).
    squared : bool, default=False
        Use the squared hinge.
    block : int, default=512
        Rows per block (any positive integer).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C), the dtype of ``W``
    """
    from cs231n_lin.classifiers import linear_svm  # looked up at each call: the current function

    check_scalar(delta, "delta")
    return chunked_loss(linear_svm.svm_loss_vectorized, W, X, y, reg, block, delta=delta,
                        **({"squared": True} if squared else {}))


def softmax_loss_chunked(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, block: int = DEFAULT_BLOCK,
) -> tuple[float, np.ndarray]:
    """Softmax loss and gradient, computed ``block`` rows at a time.

    Same inputs, outputs and checks as
    :func:`~cs231n_lin.classifiers.softmax.softmax_loss_vectorized` (which it calls on each
    block); equal to it up to float rounding, and faster when ``X`` does not fit in the cache.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        Data.
    y : ndarray of shape (N,)
        Integer labels in ``[0, C)``.
    reg : float
        L2 regularization strength (``>= 0``).
    block : int, default=512
        Rows per block (any positive integer).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C), the dtype of ``W``
    """
    from cs231n_lin.classifiers import softmax  # looked up at each call: the current function

    return chunked_loss(softmax.softmax_loss_vectorized, W, X, y, reg, block)
