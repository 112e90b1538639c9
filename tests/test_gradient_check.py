"""Tests of the numeric gradient tools: exact on quadratics, x always restored, errors reported."""

import numpy as np
import pytest

from cs231n_lin.gradient_check import eval_numerical_gradient, grad_check_sparse, rel_error


def quadratic(seed=0, shape=(3, 4)):
    """f(x) = 0.5 <x, A x> + <b, x> over x of ``shape`` (flattened), with exact gradient A x + b."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    M = rng.standard_normal((n, n))
    A = M + M.T
    b = rng.standard_normal(n)

    def f(x):
        v = x.ravel()
        return 0.5 * v @ A @ v + b @ v

    def grad(x):
        return (A @ x.ravel() + b).reshape(x.shape)

    x = rng.standard_normal(shape)
    return f, grad, x


def test_numerical_gradient_of_a_quadratic_is_exact():
    f, grad, x = quadratic()
    numeric = eval_numerical_gradient(f, x)
    assert numeric.shape == x.shape
    assert numeric.dtype == np.float64
    # centered differences are exact for quadratics; only rounding (~eps * |f| / h) is left
    np.testing.assert_allclose(numeric, grad(x), rtol=0, atol=1e-8)
    assert rel_error(numeric, grad(x)) < 1e-7


def test_numerical_gradient_of_a_non_contiguous_view():
    f, grad, x = quadratic(1, shape=(3, 4))
    big = np.zeros((3, 8))
    big[:, ::2] = x
    view = big[:, ::2]
    np.testing.assert_allclose(eval_numerical_gradient(f, view), grad(x), atol=1e-8)
    assert not big[:, 1::2].any()


def test_x_is_restored_afterwards():
    f, _, x = quadratic()
    before = x.tobytes()
    eval_numerical_gradient(f, x)
    assert x.tobytes() == before
    grad_check_sparse(f, x, np.zeros_like(x), num_checks=7, seed=0)
    assert x.tobytes() == before


class Boom(RuntimeError):
    pass


def failing_after(calls, f):
    """``f``, but raising on call number ``calls`` (counting from 1): while ``x`` is perturbed."""
    count = {"n": 0}

    def g(x):
        count["n"] += 1
        if count["n"] == calls:
            raise Boom
        return f(x)

    return g


@pytest.mark.parametrize("calls", [1, 2, 6])
def test_x_is_restored_even_when_f_raises(calls):
    f, grad, x = quadratic()
    before = x.tobytes()
    with pytest.raises(Boom):
        eval_numerical_gradient(failing_after(calls, f), x)
    assert x.tobytes() == before
    with pytest.raises(Boom):
        grad_check_sparse(failing_after(calls, f), x, grad(x), num_checks=5, seed=0)
    assert x.tobytes() == before


def test_grad_check_sparse_accepts_a_right_gradient_and_detects_a_wrong_one():
    f, grad, x = quadratic(2)
    errors = grad_check_sparse(f, x, grad(x), num_checks=12, seed=0)
    assert errors.shape == (12,)
    assert errors.max() < 1e-7
    wrong = grad(x) * 1.5                          # e.g. a factor slipped in
    bad = grad_check_sparse(f, x, wrong, num_checks=12, seed=0)
    assert bad.shape == (12,)
    assert bad.min() > 0.1                         # |1.5g - g| / (2.5|g|) = 0.2


def checked_entries(num_checks, seed, shape=(5, 6)):
    """The entries of x that grad_check_sparse perturbs, in order."""
    x = np.zeros(shape)
    seen = []

    def f(v):
        seen.append(tuple(int(i) for i in np.argwhere(v != 0)[0]))
        return float(v.sum())

    grad_check_sparse(f, x, np.ones(shape), num_checks=num_checks, seed=seed)
    return seen[::2]                               # two calls (x + h, x - h) per checked entry


def test_grad_check_sparse_seed_reproducibility():
    a = checked_entries(20, seed=3)
    assert len(a) == 20
    assert a == checked_entries(20, seed=3)
    assert a != checked_entries(20, seed=4)
    assert len(set(a)) > 5                         # random entries, not always the same one


def test_grad_check_sparse_zero_gradient_gives_zero_error():
    errors = grad_check_sparse(lambda v: 3.0, np.ones((2, 2)), np.zeros((2, 2)), num_checks=4, seed=0)
    np.testing.assert_array_equal(errors, 0.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"x": [1.0, 2.0]}, r"x must be a floating-point numpy array"),
    ({"x": np.array([1, 2])}, r"x must be a floating-point numpy array"),
    ({"analytic_grad": np.zeros(3)}, r"analytic_grad must have the shape of x"),
    ({"num_checks": 0}, r"num_checks must be >= 1"),
])
def test_grad_check_sparse_bad_input(kwargs, match):
    args = {"f": lambda v: 0.0, "x": np.zeros(2), "analytic_grad": np.zeros(2)} | kwargs
    with pytest.raises(ValueError, match=match):
        grad_check_sparse(**args)


def test_eval_numerical_gradient_bad_x():
    with pytest.raises(ValueError, match=r"x must be a floating-point numpy array"):
        eval_numerical_gradient(lambda v: 0.0, [1.0, 2.0])


@pytest.mark.parametrize("a, b, expected", [
    ([1.0], [3.0], 2.0 / 4.0),                     # |a - b| / (|a| + |b|)
    ([-1.0], [1.0], 1.0),                          # opposite signs: the worst case
    ([0.0, 2.0], [0.0, 2.0], 0.0),
    ([1.0, 10.0], [1.0, 12.0], 2.0 / 22.0),        # the largest elementwise error
    ([0.0], [1e-10], 1e-10 / 1e-8),                # tiny values: the denominator is at least 1e-8
    ([[1.0, 2.0]], [[1.0, 2.0 + 4e-6]], 4e-6 / (4.0 + 4e-6)),
])
def test_rel_error_formula(a, b, expected):
    assert rel_error(a, b) == pytest.approx(expected, rel=1e-12)
    assert rel_error(b, a) == pytest.approx(expected, rel=1e-12)
    assert type(rel_error(a, b)) is float


def test_rel_error_shapes():
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match=r"a and b must have the same shape"):
        rel_error(np.zeros(3), np.zeros((3, 1)))
