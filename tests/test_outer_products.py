"""Outer products (dot_general with no contraction, with and without a batch dimension)
take different NumPy/BLAS routes by size and dtype; every route gives JAX's values."""
from __future__ import annotations

import jax
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp


@pytest.mark.parametrize("lhs_shape,rhs_shape", [((5, 40), (5, 3)), ((5, 3), (5, 40)),
                                                  ((5, 4, 6), (5, 3)), ((5, 2), (5, 7, 3))])
def test_batched_outer_products_in_either_layout(lhs_shape, rhs_shape):
    # dot_general with a batch dimension and no contraction; the short-last-axis case is
    # computed with the long axis innermost and returned as a transposed view
    rng = np.random.default_rng(1)
    a = rng.standard_normal(lhs_shape).astype(np.float32)
    c = rng.standard_normal(rhs_shape).astype(np.float32)
    dims = (((), ()), ((0,), (0,)))
    got = fl.lax.dot_general(a, c, dims)
    want = np.asarray(jax.lax.dot_general(a, c, dims))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)


def _ref(a, c, batched):
    if batched:
        return a.reshape(a.shape[0], -1, 1) * c.reshape(c.shape[0], 1, -1)
    return np.multiply.outer(a, c)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # inf * 0, on purpose
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32])
@pytest.mark.parametrize("m,n", [(3, 4), (100, 10), (10, 100), (300, 40)])
@pytest.mark.parametrize("batched", [True, False])
def test_outer_product_routes_are_exact(dtype, m, n, batched):
    # small blocks: NumPy loops; big float32/float64 blocks: BLAS (a zero-padded
    # contraction for the batched case); products are exact, so equality is exact
    rng = np.random.default_rng(m * n)
    lead = (6,) if batched else ()
    a = (rng.standard_normal(lead + (m,)) * 4).astype(dtype)
    c = (rng.standard_normal(lead + (n,)) * 4).astype(dtype)
    a.flat[0], c.flat[1] = 0.0, -0.0
    if np.issubdtype(dtype, np.floating):
        a.flat[2], c.flat[3] = np.inf, np.nan
    dims = (((), ()), ((0,), (0,)) if batched else ((), ()))
    got = fl.lax.dot_general(a, c, dims)
    assert got.dtype == dtype and got.shape == lead + (m, n)
    np.testing.assert_array_equal(got, _ref(a, c, batched).astype(dtype))
    if not batched:  # exact IEEE products, as JAX's: a negative zero keeps its sign
        assert np.signbit(got[0, 1]) == np.signbit(a[0] * c[1])
    if dtype != np.float64:  # jax computes float64 as float32 unless x64 is enabled
        np.testing.assert_array_equal(got, np.asarray(jax.lax.dot_general(a, c, dims)))


def test_per_example_gradients_through_the_blas_route():
    # vmap(grad) of a linear layer: its weight gradient is a big batched outer product
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((200, 30)) * 0.05).astype(np.float32)
    x = rng.standard_normal((9, 200)).astype(np.float32)

    def loss(w, x):
        return fnp.sum(fnp.tanh(x @ w))
    per_ex = fl.vmap(fl.grad(loss), in_axes=(None, 0))(w, x)
    loop = np.stack([fl.grad(loss)(w, xi) for xi in x])
    # the forward matmul sums in another order batched: float32 rounding only
    np.testing.assert_allclose(per_ex, loop, rtol=1e-4, atol=1e-5)
    want = jax.vmap(jax.grad(lambda w, x: jax.numpy.sum(jax.numpy.tanh(x @ w))),
                    in_axes=(None, 0))(w, x)
    np.testing.assert_allclose(per_ex, np.asarray(want), rtol=1e-5, atol=1e-6)
