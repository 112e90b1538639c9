"""Tests of split_images: disjoint covering splits, dev inside train, mean subtraction, seeds."""

import numpy as np
import pytest

from cs231n_lin.data import Splits, split_images


def index_images(n=60, shape=(2, 3)):
    """Images whose every pixel holds the image's index, so a split row tells where it came from."""
    images = np.repeat(np.arange(n, dtype=np.float64), np.prod(shape)).reshape(n, *shape)
    labels = np.arange(n) % 3
    return images, labels


def split(seed=0, **kwargs):
    images, labels = index_images()
    args = {"num_val": 10, "num_test": 15, "num_dev": 8, "scale": 1.0, "seed": seed} | kwargs
    return split_images("idx", images, labels, ("a", "b", "c"), **args)


def indices(data: Splits, part: str) -> np.ndarray:
    """The original image index of every row of ``X_part`` (undoing the mean subtraction)."""
    X = getattr(data, f"X_{part}").astype(np.float64) + data.mean_image
    assert np.allclose(X, X[:, :1], atol=1e-4), "every pixel of a row should hold the same index"
    return np.rint(X[:, 0]).astype(int)


def test_splits_are_disjoint_and_cover():
    data = split()
    train, val, test = (indices(data, p) for p in ("train", "val", "test"))
    assert (len(train), len(val), len(test)) == (35, 10, 15)
    everything = np.concatenate([train, val, test])
    np.testing.assert_array_equal(np.sort(everything), np.arange(60))    # covers, no repeats
    # the labels travel with their images
    for part, idx in (("train", train), ("val", val), ("test", test)):
        np.testing.assert_array_equal(getattr(data, f"y_{part}"), idx % 3)


def test_dev_is_a_subset_of_train():
    data = split()
    dev, train = indices(data, "dev"), indices(data, "train")
    assert len(dev) == 8
    assert len(set(dev)) == 8
    assert set(dev) <= set(train)
    np.testing.assert_array_equal(data.y_dev, dev % 3)
    # dev is a copy: changing it leaves train alone
    data.X_dev[:] = 123.0
    assert not (data.X_train == 123.0).any()


def test_dev_is_capped_by_the_training_size():
    data = split(num_dev=1000)
    assert len(data.X_dev) == len(data.X_train) == 35


def test_training_mean_is_subtracted():
    data = split()
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(data.mean_image, indices(data, "train").mean(), rtol=1e-6)
    # val and test have the *training* mean removed, not their own
    np.testing.assert_allclose(data.X_val.mean(axis=0) + data.mean_image, indices(data, "val").mean(),
                               rtol=1e-6)


def test_shapes_dtypes_and_metadata():
    data = split()
    for part, n in (("train", 35), ("val", 10), ("test", 15), ("dev", 8)):
        X, y = getattr(data, f"X_{part}"), getattr(data, f"y_{part}")
        assert X.shape == (n, 6)
        assert X.dtype == np.float32
        assert y.shape == (n,)
        assert y.dtype == np.int64
    assert data.image_shape == (2, 3)
    assert data.num_classes == 3
    assert data.class_names == ("a", "b", "c")
    summary = data.summary()
    assert "idx: 3 classes" in summary and "X_dev: (8, 6) float32" in summary
    assert split(dtype=np.float64).X_train.dtype == np.float64


def test_scale_divides_pixels():
    images, labels = index_images()
    data = split_images("idx", images, labels, ("a", "b", "c"), num_val=10, num_test=15, num_dev=8,
                        scale=4.0, seed=0)
    np.testing.assert_allclose(data.mean_image, split().mean_image / 4.0, rtol=1e-6)


def test_seed_reproducibility():
    a, b, c = split(seed=1), split(seed=1), split(seed=2)
    for part in ("train", "val", "test", "dev"):
        np.testing.assert_array_equal(getattr(a, f"X_{part}"), getattr(b, f"X_{part}"))
    assert not np.array_equal(indices(a, "test"), indices(c, "test"))


def test_no_training_data_is_an_error():
    with pytest.raises(ValueError, match=r"num_val \+ num_test = 60 leaves no training data"):
        split(num_val=30, num_test=30)
