"""Tests of the digits splits (and load_dataset's default) against scikit-learn's raw digits."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from cs231n_lin.data import DATASET_ENV, DIGITS_CLASSES, dataset_name, load_dataset, load_digits_splits


@pytest.fixture(scope="module")
def data():
    return load_digits_splits(seed=0)


@pytest.fixture(scope="module")
def raw():
    return load_digits()


def pixels(data, part):
    """Rows of ``X_part`` back in raw pixel values 0..16."""
    X = getattr(data, f"X_{part}").astype(np.float64) + data.mean_image
    values = X * 16.0
    np.testing.assert_allclose(values, np.rint(values), atol=1e-4)
    return np.rint(values).astype(int)


def test_shapes_and_dtypes(data):
    expected = {"train": 1297, "val": 200, "test": 300, "dev": 100}
    for part, n in expected.items():
        X, y = getattr(data, f"X_{part}"), getattr(data, f"y_{part}")
        assert X.shape == (n, 64)
        assert X.dtype == np.float32
        assert y.shape == (n,)
        assert np.issubdtype(y.dtype, np.integer)
        assert set(np.unique(y)) <= set(range(10))
    assert data.image_shape == (8, 8)
    assert data.class_names == DIGITS_CLASSES == tuple("0123456789")
    assert data.name == "digits"


def test_splits_cover_the_raw_digits_exactly_once(data, raw):
    # as multisets of (pixels, label) rows: disjoint and covering even if two images are identical
    ours = np.vstack([np.column_stack([pixels(data, p), getattr(data, f"y_{p}")])
                      for p in ("train", "val", "test")])
    theirs = np.column_stack([raw.data.astype(int), raw.target])
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(np.unique(ours, axis=0, return_counts=True)[1],
                                  np.unique(theirs, axis=0, return_counts=True)[1])
    np.testing.assert_array_equal(np.unique(ours, axis=0), np.unique(theirs, axis=0))


def test_mean_subtracted_and_scaled(data, raw):
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0.0, atol=1e-5)
    assert data.mean_image.shape == (64,)
    assert 0.0 <= data.mean_image.min() and data.mean_image.max() <= 1.0   # pixels scaled to [0, 1]


def test_dev_rows_are_training_rows(data):
    train_rows = {row.tobytes(): label for row, label in zip(data.X_train, data.y_train, strict=True)}
    for row, label in zip(data.X_dev, data.y_dev, strict=True):
        assert train_rows[row.tobytes()] == label


def test_seed_reproducibility(data):
    again = load_digits_splits(seed=0)
    other = load_digits_splits(seed=1)
    np.testing.assert_array_equal(again.X_train, data.X_train)
    np.testing.assert_array_equal(again.y_test, data.y_test)
    assert not np.array_equal(other.y_test, data.y_test)


def test_load_dataset_defaults_to_digits(monkeypatch, data):
    monkeypatch.delenv(DATASET_ENV, raising=False)
    assert dataset_name() == "digits"
    np.testing.assert_array_equal(load_dataset(seed=0).X_val, data.X_val)
    monkeypatch.setenv(DATASET_ENV, "digits")
    assert dataset_name() == "digits"


def test_unknown_dataset_is_named(monkeypatch):
    with pytest.raises(ValueError, match=r"unknown dataset 'mnist'.*CS231N_LIN_DATASET"):
        load_dataset("mnist")
    monkeypatch.setenv(DATASET_ENV, "nope")
    with pytest.raises(ValueError, match=r"unknown dataset 'nope'"):
        dataset_name()
