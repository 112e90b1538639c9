"""Tests of the toy 2-D datasets."""

import numpy as np
import pytest

from cs231n_lin.data import make_blobs_2d, make_spirals


@pytest.mark.parametrize("make", [make_blobs_2d, make_spirals])
@pytest.mark.parametrize("n, C", [(1, 2), (30, 3), (10, 5)])
def test_shapes_and_labels(make, n, C):
    X, y = make(n, C)
    assert X.shape == (n * C, 2)
    assert y.shape == (n * C,)
    assert np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(np.bincount(y, minlength=C), [n] * C)
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", [make_blobs_2d, make_spirals])
def test_seeds(make):
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_blobs_are_centered_on_a_circle():
    X, y = make_blobs_2d(n_per_class=400, num_classes=4, spread=0.1)
    centers = np.array([X[y == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, atol=0.05)


def test_spirals_stay_in_the_unit_disc():
    X, _ = make_spirals(noise=0.0)
    assert np.linalg.norm(X, axis=1).max() <= 1.0 + 1e-12


@pytest.mark.parametrize("make", [make_blobs_2d, make_spirals])
@pytest.mark.parametrize("n, C", [(0, 3), (5, 1)])
def test_bad_sizes(make, n, C):
    with pytest.raises(ValueError, match=r"n_per_class >= 1 and num_classes >= 2"):
        make(n, C)
