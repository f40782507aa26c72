"""Named regression tests for the bugs the differential fuzzer found.

Each test is the shrunk program the fuzzer printed (or its essence), checked
against JAX.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

import functorch_lite as fl
import functorch_lite.numpy as fnp


def test_add_jvp_broadcasts_tangent():
    """Fixed in ops/rules.py defjvp (the tangent is broadcast to the output's shape)."""
    # fuzz: def program(np, lax, x0, x1): return np.add(x0, x1)  x0: f64[1], x1: int32[2, 1]
    x0 = np.array([0.7])
    c = np.full((2, 1), 1.3)
    for op in (fnp.add, fnp.subtract):
        out, t = fl.jvp(lambda a, op=op: op(a, c), (x0,), (np.ones(1),))
        assert np.shape(t) == np.shape(out) == (2, 1)


def test_add_jvp_broadcast_value_under_sum():
    """Was a wrong value: jvp/jacfwd of sum(a + C) counted a's tangent once (1.0, not 2.0)."""
    x0 = np.array([0.7])
    c = np.full((2, 1), 1.3)
    f = lambda a: fnp.sum(fnp.add(a, c))
    with jax.enable_x64(True):
        want = jax.jvp(lambda a: jnp.sum(a + c), (x0,), (np.ones(1),))[1]
        want_jac = jax.jacfwd(lambda a: jnp.sum(a + c))(x0)
    assert np.allclose(fl.jvp(f, (x0,), (np.ones(1),))[1], want)   # 2.0 (fl gives 1.0)
    np.testing.assert_allclose(fl.jacfwd(f)(x0), want_jac)
    np.testing.assert_allclose(fl.grad(f)(x0), want_jac)             # reverse mode is right


def test_add_vjp_broadcast_is_right():
    """Reverse mode of the same program (was right all along)."""
    x1 = np.array([[1], [2]], np.int32)
    f = lambda a: fnp.sum(fnp.multiply(fnp.add(a, x1), np.array([[1.0], [-2.0]])))
    np.testing.assert_allclose(fl.grad(f)(np.array([0.7])), [-1.0])


def test_vjp_of_take_of_cumsum_is_eager_jax_not_xla():
    """Found by the long fuzz run: jax.jit of this VJP (float64) gives 1 for x[2]; eager JAX
    and the math give 0. The library (eager and fl.jit) gives 0; the fuzzer now lets eager
    JAX judge when jitted JAX disagrees."""
    def prog(np_, x):
        return np_.take(np_.reshape(np_.cumsum(x, axis=0), (3,)),
                        np.array([1], dtype=np.int32), axis=0)
    x, ct = np.array([0.5, 1.0, 1.5]), np.array([0.9])
    want = np.array([0.9, 0.9, 0.0])
    with jax.enable_x64(True):
        eager_jax = jax.vjp(lambda a: prog(jnp, a), jnp.asarray(x))[1](jnp.asarray(ct))[0]
    np.testing.assert_allclose(eager_jax, want)
    np.testing.assert_allclose(fl.vjp(lambda a: prog(fnp, a), x)[1](ct)[0], want)
    pull = fl.jit(lambda a, c: fl.vjp(lambda b: prog(fnp, b), a)[1](c)[0])
    np.testing.assert_allclose(pull(x, ct), want)
