"""scikit-learn's handwritten digits (8x8 grey images, 10 classes): the offline default data."""

from __future__ import annotations

from sklearn.datasets import load_digits

from cs231n_lin.data.splits import Splits, split_images

DIGITS_CLASSES = tuple(str(d) for d in range(10))


def load_digits_splits(seed: int = 0, num_val: int = 200, num_test: int = 300,
                       num_dev: int = 100) -> Splits:
    """The 1797 digits split into train (1297) / val (200) / test (300), plus a dev subset.

    Pixels (0..16) are scaled to [0, 1] and the training mean image is subtracted.
    """
    digits = load_digits()
    return split_images(
        "digits", digits.images, digits.target, DIGITS_CLASSES,
        num_val=num_val, num_test=num_test, num_dev=num_dev, scale=16.0, seed=seed,
    )
