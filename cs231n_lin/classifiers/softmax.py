"""Softmax classifier: probabilities, log-probabilities and the cross-entropy loss.

Scores are unnormalized log-probabilities. For one example with scores ``s`` and correct
class ``y``::

    p_j = exp(s_j) / sum_k exp(s_k)
    L_i = -log p_y = -s_y + log sum_k exp(s_k)

Notebook 3 asks for the losses and their gradients, notebook 4 for ``softmax`` and
``log_softmax`` that stay finite for any finite scores.
"""

from __future__ import annotations

import numpy as np

from cs231n_lin._validation import validated_loss


def _as_float_scores(scores) -> np.ndarray:
    """``scores`` as a non-empty, finite float array (integers become float64), or ``ValueError``.

    Not :func:`cs231n_lin._validation.check_scores`, which checks the ``X @ W`` of a loss.
    """
    scores = np.asarray(scores)
    if not np.issubdtype(scores.dtype, np.floating):
        scores = scores.astype(np.float64)
    if scores.size == 0:
        raise ValueError("scores is empty")
    if not np.isfinite(scores).all():
        raise ValueError("scores contains NaN or infinity")
    return scores


def log_softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log of :func:`softmax`, computed stably (log-sum-exp with a max shift).

    Parameters
    ----------
    scores : array-like
        Any finite real numbers, e.g. of shape (N, C).
    axis : int, default=-1
        The axis over which the probabilities sum to one.

    Returns
    -------
    ndarray of the same shape as ``scores``
        ``scores - logsumexp(scores, axis)``; float dtype of the input (float64 for integers).
    """
    scores = _as_float_scores(scores)
    # BEGIN SOLUTION
    with np.errstate(over="ignore"):  # the shift can only overflow towards -inf, which is harmless
        shifted = scores - np.max(scores, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    # END SOLUTION


def softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax probabilities along ``axis``; never NaN or inf for finite input.

    Parameters
    ----------
    scores : array-like
        Any finite real numbers, e.g. of shape (N, C).
    axis : int, default=-1
        The axis over which the probabilities sum to one.

    Returns
    -------
    ndarray of the same shape as ``scores``
        Non-negative, summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax([123.0, 456.0, 789.0]).round(3)   # exp(789) alone would overflow
    array([0., 0., 1.])
    """
    scores = _as_float_scores(scores)
    # BEGIN SOLUTION
    # HINT: np.max(..., axis=axis, keepdims=True) keeps a length-1 axis, so it broadcasts against scores.
    with np.errstate(over="ignore"):
        shifted = scores - np.max(scores, axis=axis, keepdims=True)   # max of each row becomes 0
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)
    # END SOLUTION


@validated_loss(scan_X=True)
def softmax_loss_naive(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    """Softmax (cross-entropy) loss with explicit loops.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights, one column per class.
    X : ndarray of shape (N, D)
        A minibatch of N examples.
    y : ndarray of shape (N,)
        Integer labels in ``[0, C)``.
    reg : float
        L2 regularization strength (``>= 0``).

    Returns
    -------
    loss : float
        ``mean_i L_i + reg * sum(W * W)``.
    dW : ndarray of shape (D, C)
        Gradient of ``loss`` with respect to ``W``, same dtype as ``W``.

    Examples
    --------
    >>> import numpy as np
    >>> loss, dW = softmax_loss_naive(np.zeros((2, 4)), np.ones((3, 2)), np.array([0, 1, 3]), 0.0)
    >>> round(loss, 6) == round(float(np.log(4)), 6)   # uniform probabilities: -log(1/C)
    True
    """
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros(W.shape, dtype=np.float64)
    for i in range(num_train):
        scores = X[i] @ W
        # BEGIN SOLUTION
        scores = scores - np.max(scores)            # numeric stability: the largest score is 0
        exp_scores = np.exp(scores)
        total = np.sum(exp_scores)
        loss += np.log(total) - scores[y[i]]
        for j in range(num_classes):
            p_j = exp_scores[j] / total
            dW[:, j] += (p_j - (j == y[i])) * X[i]
        # END SOLUTION
    # BEGIN SOLUTION
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    # END SOLUTION
    return loss, dW


@validated_loss()
def softmax_loss_vectorized(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    """Softmax loss without Python loops; same inputs and outputs as :func:`softmax_loss_naive`.

    Finite for any finite scores, including float32 scores of 1e4.
    """
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W                                                    # (N, C)
    # BEGIN SOLUTION
    # HINT: scores is (N, C); np.sum(..., axis=1, keepdims=True) gives an (N, 1) column that broadcasts.
    # HINT: scores[rows, y] picks each row's correct score; dscores (N, C) gives dW = X.T @ dscores (D, C).
    scores = scores - np.max(scores, axis=1, keepdims=True)           # per-row shift
    log_norm = np.log(np.sum(np.exp(scores), axis=1, keepdims=True))  # (N, 1)
    log_probs = scores - log_norm
    data_loss = -np.sum(log_probs[rows, y]) / num_train
    dscores = np.exp(log_probs)                                       # p_j
    dscores[rows, y] -= 1.0                                           # p_j - 1[j == y_i]
    loss = data_loss + reg * np.sum(W * W)
    dW = X.T @ dscores / num_train + 2 * reg * W
    # END SOLUTION
    return loss, dW
