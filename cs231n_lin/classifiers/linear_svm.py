"""Multiclass SVM (Weston-Watkins hinge) loss and its gradient, naive and vectorized.

For one example with scores ``s = x @ W`` and correct class ``y``::

    L_i = sum_{j != y} max(0, s_j - s_y + delta)          (hinge)
    L_i = sum_{j != y} max(0, s_j - s_y + delta) ** 2     (squared hinge, L2-SVM)

and the full loss is ``mean_i L_i + reg * sum(W * W)``.

Both functions return the gradient ``dW`` too: notebook 1 (hinge) and notebook 2 (squared
hinge) ask you to derive it on paper before you write it here.
"""

from __future__ import annotations

import numpy as np

from cs231n_lin._validation import validated_loss


@validated_loss(scan_X=True, nonnegative=("delta",))
def svm_loss_naive(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0,
    squared: bool = False,
) -> tuple[float, np.ndarray]:
    """Multiclass SVM loss with explicit loops (the reference to check against).

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights, one column per class.
    X : ndarray of shape (N, D)
        A minibatch of N examples (with the bias column, if used).
    y : ndarray of shape (N,)
        Integer labels; ``y[i] = c`` means ``X[i]`` has class ``c`` in ``[0, C)``.
    reg : float
        L2 regularization strength (``>= 0``).
    delta : float, default=1.0
        The margin the correct score must win by (``>= 0``).
    squared : bool, default=False
        Use the squared hinge (L2-SVM) instead of the hinge.

    Returns
    -------
    loss : float
        ``mean_i L_i + reg * sum(W * W)``.
    dW : ndarray of shape (D, C)
        Gradient of ``loss`` with respect to ``W``, same dtype as ``W``.

    Examples
    --------
    >>> import numpy as np
    >>> W = np.zeros((2, 3)); X = np.ones((4, 2)); y = np.array([0, 1, 2, 0])
    >>> svm_loss_naive(W, X, y, reg=0.0)[0]   # every margin is exactly delta
    2.0
    """
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros(W.shape, dtype=np.float64)
    for i in range(num_train):
        scores = X[i] @ W
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            # BEGIN SOLUTION
            margin = scores[j] - correct_class_score + delta
            if margin > 0:
                # dL_i/ds_j is 1 for the hinge and 2 * margin for the squared hinge.
                slope = 2.0 * margin if squared else 1.0
                loss += margin**2 if squared else margin
                dW[:, j] += slope * X[i]
                dW[:, y[i]] -= slope * X[i]
            # END SOLUTION
    # Average over the examples, then add the regularization term and its gradient.
    # BEGIN SOLUTION
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    # END SOLUTION
    return loss, dW


@validated_loss(nonnegative=("delta",))
def svm_loss_vectorized(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0,
    squared: bool = False,
) -> tuple[float, np.ndarray]:
    """Multiclass SVM loss without Python loops; same inputs and outputs as :func:`svm_loss_naive`.

    The only large operations should be the two matrix products ``X @ W`` (N x C scores)
    and ``X.T @ dS`` (D x C gradient); every other temporary is N x C.
    """
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W                                               # (N, C)
    # BEGIN SOLUTION
    # HINT: scores is (N, C); every temporary you need can be (N, C) too, and dW is (D, C) like W.
    # HINT: Useful: integer indexing a[rows, y] (one entry per row), broadcasting an (N, 1) column,
    # HINT: np.maximum, boolean arrays and .astype, .sum(axis=...), and one more matrix product.
    # HINT: As in svm_loss_naive: average over the N examples, and regularize the loss and dW.
    margins = scores - scores[rows, y][:, None] + delta          # (N, C)
    margins[rows, y] = 0.0                                       # j == y_i does not count
    np.maximum(margins, 0.0, out=margins)
    if squared:
        data_loss = np.sum(margins * margins) / num_train
        dscores = 2.0 * margins                                  # dL/ds_j = 2 max(0, m_j)
    else:
        data_loss = np.sum(margins) / num_train
        dscores = (margins > 0).astype(scores.dtype)             # dL/ds_j = 1[m_j > 0]
    dscores[rows, y] = -dscores.sum(axis=1)                      # the correct class gets pushed up
    loss = data_loss + reg * np.sum(W * W)
    dW = X.T @ dscores / num_train + 2 * reg * W                 # (D, C)
    # END SOLUTION
    return loss, dW
