"""Datasets: digits (offline default), CIFAR-10 (fetched once), toy 2-D sets, and preprocessing helpers."""

from __future__ import annotations

import os

from cs231n_lin.data.cifar10 import CIFAR10_CLASSES, load_cifar10, load_cifar10_splits
from cs231n_lin.data.digits import DIGITS_CLASSES, load_digits_splits
from cs231n_lin.data.preprocess import add_bias, flatten_images, subtract_mean
from cs231n_lin.data.splits import Splits, split_images
from cs231n_lin.data.toy import make_blobs_2d, make_spirals

DATASET_ENV = "CS231N_LIN_DATASET"
DATASETS = ("digits", "cifar10")


def dataset_name(name: str | None = None) -> str:
    """``name``, else ``$CS231N_LIN_DATASET``, else ``"digits"``; checked against the known names."""
    name = name or os.environ.get(DATASET_ENV) or "digits"
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r} (from {DATASET_ENV}?); choose one of {DATASETS}")
    return name


def load_dataset(name: str | None = None, *, seed: int = 0) -> Splits:
    """The preprocessed splits of the dataset ``name`` (default: the ``CS231N_LIN_DATASET`` switch)."""
    name = dataset_name(name)
    if name == "cifar10":
        # From $CS231N_LIN_DATA_DIR (default datasets/cache); sizes from $CS231N_LIN_NUM_TRAIN etc.
        return load_cifar10_splits(seed=seed)
    return load_digits_splits(seed=seed)


__all__ = [
    "CIFAR10_CLASSES",
    "DATASETS",
    "DATASET_ENV",
    "DIGITS_CLASSES",
    "Splits",
    "add_bias",
    "dataset_name",
    "flatten_images",
    "load_cifar10",
    "load_cifar10_splits",
    "load_dataset",
    "load_digits_splits",
    "make_blobs_2d",
    "make_spirals",
    "split_images",
    "subtract_mean",
]
