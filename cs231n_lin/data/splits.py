"""A dataset split into train / val / test / dev, ready for the loss functions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cs231n_lin.data.preprocess import flatten_images, subtract_mean
from cs231n_lin.i18n import tr


@dataclass
class Splits:
    """Preprocessed splits of an image dataset.

    ``X_*`` are float rows ``(N, D)`` with the training mean image subtracted (no bias
    column: use :func:`cs231n_lin.data.add_bias` for the loss functions). ``X_dev`` is a
    small random subset of ``X_train`` for quick experiments.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    X_dev: np.ndarray
    y_dev: np.ndarray
    mean_image: np.ndarray
    image_shape: tuple[int, ...]
    class_names: tuple[str, ...]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def summary(self) -> str:
        """One line per split with its shape, e.g. for a notebook check cell."""
        lines = [tr(f"{self.name}: {self.num_classes} classes, images {self.image_shape}",
                    f"{self.name}：{self.num_classes} 个类别，图像形状 {self.image_shape}")]
        for part in ("train", "val", "test", "dev"):
            X = getattr(self, f"X_{part}")
            lines.append(f"  X_{part}: {X.shape} {X.dtype}")
        return "\n".join(lines)


def split_images(
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    class_names: tuple[str, ...],
    *,
    num_val: int,
    num_test: int,
    num_dev: int,
    scale: float,
    seed: int = 0,
    dtype=np.float32,
) -> Splits:
    """Shuffle with ``seed``, cut off test and val, pick dev from train, and preprocess."""
    n = len(images)
    if num_val + num_test >= n:
        raise ValueError(f"num_val + num_test = {num_val + num_test} leaves no training data of {n}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    test, val, train = np.split(order, [num_test, num_test + num_val])
    dev = rng.choice(len(train), size=min(num_dev, len(train)), replace=False)
    X_train = flatten_images(images[train], dtype, scale)
    X_val = flatten_images(images[val], dtype, scale)
    X_test = flatten_images(images[test], dtype, scale)
    mean_image = subtract_mean(X_train, X_val, X_test)
    labels = np.asarray(labels, dtype=np.int64)
    return Splits(
        name=name,
        X_train=X_train, y_train=labels[train],
        X_val=X_val, y_val=labels[val],
        X_test=X_test, y_test=labels[test],
        X_dev=X_train[dev], y_dev=labels[train][dev],
        mean_image=mean_image,
        image_shape=tuple(images.shape[1:]),
        class_names=tuple(class_names),
    )
