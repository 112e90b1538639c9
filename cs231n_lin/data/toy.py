"""Small 2-D datasets for plotting decision boundaries."""

from __future__ import annotations

import numpy as np


def make_blobs_2d(n_per_class: int = 50, num_classes: int = 3, spread: float = 0.6,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs with centers on a circle of radius 2.

    Returns
    -------
    X : ndarray of shape (n_per_class * num_classes, 2)
    y : ndarray of shape (n_per_class * num_classes,), integers in [0, num_classes)
    """
    if n_per_class < 1 or num_classes < 2:
        raise ValueError("need n_per_class >= 1 and num_classes >= 2")
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(num_classes) / num_classes
    centers = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(num_classes), n_per_class)
    X = centers[y] + spread * rng.standard_normal((len(y), 2))
    return X, y


def make_spirals(n_per_class: int = 100, num_classes: int = 3, noise: float = 0.2,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms: a set no linear classifier separates well (on purpose).

    Returns
    -------
    X : ndarray of shape (n_per_class * num_classes, 2)
    y : ndarray of shape (n_per_class * num_classes,)
    """
    if n_per_class < 1 or num_classes < 2:
        raise ValueError("need n_per_class >= 1 and num_classes >= 2")
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), num_classes)
    y = np.repeat(np.arange(num_classes), n_per_class)
    theta = (y * 4.0 + radius * 4.0) + noise * rng.standard_normal(len(y))
    X = np.column_stack([radius * np.sin(theta), radius * np.cos(theta)])
    return X, y
