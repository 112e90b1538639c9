"""The chunked losses equal the plain vectorized ones up to float rounding."""

import tracemalloc

import numpy as np
import pytest

from cs231n_lin.classifiers import LinearSVM, Softmax, softmax_loss_vectorized, svm_loss_vectorized
from cs231n_lin.classifiers.chunked import DEFAULT_BLOCK, softmax_loss_chunked, svm_loss_chunked

PAIRS = {
    "svm_hinge": (svm_loss_vectorized, svm_loss_chunked, {}),
    "svm_squared": (svm_loss_vectorized, svm_loss_chunked, {"squared": True, "delta": 0.5}),
    "softmax": (softmax_loss_vectorized, softmax_loss_chunked, {}),
}
TOL = {np.float32: 2e-5, np.float64: 1e-12}


def problem(n, d=37, c=5, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dtype)
    W = (0.1 * rng.standard_normal((d, c))).astype(dtype)
    y = rng.integers(0, c, size=n)
    return W, X, y


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block", [1, 7, 64, 202])
def test_chunked_equals_vectorized(name, dtype, block):
    vectorized, chunked, kwargs = PAIRS[name]
    W, X, y = problem(203, dtype=dtype)               # 203 is not a multiple of any block above
    W0, X0, y0 = W.copy(), X.copy(), y.copy()
    loss, dW = vectorized(W, X, y, 0.01, **kwargs)
    loss_c, dW_c = chunked(W, X, y, 0.01, block=block, **kwargs)
    assert isinstance(loss_c, float)
    assert dW_c.dtype == dtype and dW_c.shape == W.shape
    assert loss_c == pytest.approx(loss, rel=TOL[dtype])
    np.testing.assert_allclose(dW_c, dW, rtol=TOL[dtype] * 10, atol=TOL[dtype] * np.abs(dW).max())
    for a, b in ((W, W0), (X, X0), (y, y0)):                  # inputs are never modified
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", PAIRS)
def test_one_block_is_exactly_the_vectorized_loss(name):
    vectorized, chunked, kwargs = PAIRS[name]
    W, X, y = problem(DEFAULT_BLOCK, dtype=np.float32)
    loss, dW = vectorized(W, X, y, 0.01, **kwargs)
    loss_c, dW_c = chunked(W, X, y, 0.01, **kwargs)
    assert loss_c == loss
    np.testing.assert_array_equal(dW_c, dW)


@pytest.mark.parametrize("block", [0, -3, 2.5, True, "64"])
def test_bad_block_is_rejected(block):
    W, X, y = problem(10)
    with pytest.raises(ValueError, match="block"):
        svm_loss_chunked(W, X, y, 0.0, block=block)
    with pytest.raises(ValueError, match="block"):
        softmax_loss_chunked(W, X, y, 0.0, block=block)


def test_bad_input_is_checked_on_the_whole_array():
    W, X, y = problem(50)
    with pytest.raises(ValueError, match="y has 49 labels"):
        svm_loss_chunked(W, X, y[:49], 0.0, block=8)
    y_bad = y.copy()
    y_bad[-1] = 99                                              # only the last block sees it
    with pytest.raises(ValueError, match="found label 99"):
        softmax_loss_chunked(W, X, y_bad, 0.0, block=8)
    with pytest.raises(ValueError, match="delta"):
        svm_loss_chunked(W, X, y, 0.0, delta=-1.0, block=8)
    X_nan = X.copy()
    X_nan[-1, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        svm_loss_chunked(W, X_nan, y, 0.0, block=8)


@pytest.mark.parametrize("chunked", [svm_loss_chunked, softmax_loss_chunked])
def test_chunked_allocates_no_n_by_d_temporary(chunked):
    W, X, y = problem(8192, d=257, c=10, dtype=np.float32)     # X is 8 MB
    tracemalloc.start()
    try:
        chunked(W, X, y, 0.01, block=256)
        extra = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert extra < 0.1 * X.nbytes


class _PlainSVM(LinearSVM):
    def loss(self, W, X, y):
        return svm_loss_vectorized(W, X, y, self.reg, delta=self.delta, squared=self.squared)


class _PlainSoftmax(Softmax):
    def loss(self, W, X, y):
        return softmax_loss_vectorized(W, X, y, self.reg)


@pytest.mark.parametrize(("ours", "plain"), [(LinearSVM, _PlainSVM), (Softmax, _PlainSoftmax)])
@pytest.mark.parametrize("batch_size", [200, 1500])
def test_estimators_train_as_with_the_plain_vectorized_loss(ours, plain, batch_size):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((600, 12))
    y = rng.integers(0, 4, size=600)
    params = {"num_iters": 30, "batch_size": batch_size, "learning_rate": 0.05, "random_state": 0}
    a = ours(**params).fit(X, y)
    b = plain(**params).fit(X, y)
    np.testing.assert_allclose(a.W_, b.W_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.loss_history_, b.loss_history_, rtol=1e-10)
