"""Preprocessing used by every dataset: flatten, scale, subtract the mean image, bias trick."""

from __future__ import annotations

import numpy as np


def flatten_images(images: np.ndarray, dtype=np.float32, scale: float = 1.0) -> np.ndarray:
    """Reshape ``(N, ...)`` images to rows ``(N, D)`` of ``dtype``, divided by ``scale``.

    Writes into one new array: no intermediate copy in another dtype.
    """
    images = np.asarray(images)
    if images.ndim < 2:
        raise ValueError(f"images must have shape (N, ...); got {images.shape}")
    out = np.empty((images.shape[0], int(np.prod(images.shape[1:]))), dtype=dtype)
    out[...] = images.reshape(images.shape[0], -1)
    if scale != 1.0:
        out /= scale
    return out


def subtract_mean(X_train: np.ndarray, *others: np.ndarray) -> np.ndarray:
    """Subtract the training mean image from ``X_train`` and each array of ``others``, in place.

    Returns
    -------
    mean_image : ndarray of shape (D,)
        The mean of ``X_train`` before subtraction.
    """
    mean_image = X_train.mean(axis=0)
    for X in (X_train, *others):
        X -= mean_image.astype(X.dtype)
    return mean_image


def add_bias(X: np.ndarray) -> np.ndarray:
    """The bias trick: append a column of ones, ``(N, D) -> (N, D + 1)``.

    With it, ``[x, 1] @ W`` folds the bias into the last row of ``W``.
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, D); got shape {X.shape}")
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
