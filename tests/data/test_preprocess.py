"""Tests of flatten_images, subtract_mean and add_bias."""

import numpy as np
import pytest

from cs231n_lin.data import add_bias, flatten_images, subtract_mean


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_add_bias(dtype):
    X = np.arange(12, dtype=dtype).reshape(4, 3)
    before = X.copy()
    Xb = add_bias(X)
    assert Xb.shape == (4, 4)
    assert Xb.dtype == dtype
    np.testing.assert_array_equal(Xb[:, :3], X)
    np.testing.assert_array_equal(Xb[:, 3], 1.0)
    np.testing.assert_array_equal(X, before)
    # the bias trick: [x, 1] @ [[W], [b]] == x @ W + b
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((3, 2)), rng.standard_normal(2)
    np.testing.assert_allclose(Xb @ np.vstack([W, b]), X @ W + b, rtol=1e-6)


def test_add_bias_needs_2d():
    with pytest.raises(ValueError, match=r"X must be 2-D"):
        add_bias(np.ones(3))


def test_flatten_images():
    images = np.arange(2 * 4 * 4 * 3, dtype=np.uint8).reshape(2, 4, 4, 3)
    X = flatten_images(images, scale=2.0)
    assert X.shape == (2, 48)
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, images.reshape(2, -1) / 2.0)
    assert flatten_images(images, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match=r"images must have shape \(N, \.\.\.\)"):
        flatten_images(np.ones(3))


def test_subtract_mean_in_place():
    rng = np.random.default_rng(0)
    train, val = rng.random((20, 5)), rng.random((7, 5))
    train0, val0 = train.copy(), val.copy()
    mean = subtract_mean(train, val)
    np.testing.assert_allclose(mean, train0.mean(axis=0))
    np.testing.assert_allclose(train, train0 - mean)
    np.testing.assert_allclose(val, val0 - mean)
    np.testing.assert_allclose(train.mean(axis=0), 0.0, atol=1e-12)
