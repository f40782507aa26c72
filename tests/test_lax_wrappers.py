"""fl.lax's primitive wrappers match jax.lax's, eagerly and under fl.jit."""
import jax
import numpy as np
import pytest

import functorch_lite as fl

R = np.random.default_rng(3)
A = R.standard_normal((2, 3)).astype(np.float32)
B = R.standard_normal((3, 4)).astype(np.float32)
C = R.standard_normal((2, 3)).astype(np.float32)

CASES = [
    ("dot_general", lambda lax: lambda a, b: lax.dot_general(a, b, (((1,), (0,)), ((), ()))),
     (A, B)),
    ("max", lambda lax: lambda a, c: lax.max(a, c), (A, C)),
    ("min", lambda lax: lambda a, c: lax.min(a, c), (A, C)),
    ("reduce_max", lambda lax: lambda a: lax.reduce_max(a, (1,)), (A,)),
    ("reduce_sum", lambda lax: lambda a: lax.reduce_sum(a, (0,)), (A,)),
    ("broadcast_in_dim", lambda lax: lambda a: lax.broadcast_in_dim(a, (4, 2, 3), (1, 2)), (A,)),
    ("transpose", lambda lax: lambda a: lax.transpose(a, (1, 0)), (A,)),
    ("reshape", lambda lax: lambda a: lax.reshape(a, (3, 2)), (A,)),
    ("rev", lambda lax: lambda a: lax.rev(a, (0,)), (A,)),
    ("concatenate", lambda lax: lambda a, c: lax.concatenate([a, c], 0), (A, C)),
    ("pad", lambda lax: lambda a: lax.pad(a, np.float32(0), ((1, 0, 0), (0, 2, 1))), (A,)),
    ("select_n", lambda lax: lambda a, c: lax.select_n(a > 0, a, c), (A, C)),
    ("integer_pow", lambda lax: lambda a: lax.integer_pow(a, 3), (A,)),
    ("exp", lambda lax: lambda a: lax.exp(a), (A,)),
]


@pytest.mark.parametrize("name,make,args", CASES, ids=[c[0] for c in CASES])
def test_lax_wrapper_matches_jax(name, make, args):
    ref = np.asarray(make(jax.lax)(*args))
    for out in (make(fl.lax)(*args), fl.jit(make(fl.lax))(*args)):
        out = np.asarray(out)
        assert out.dtype == ref.dtype and out.shape == ref.shape
        np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


# ----------------------------------------------------------------------------- dynamic slicing

M = R.standard_normal((4, 5)).astype(np.float32)
U = R.standard_normal((2, 3)).astype(np.float32)
STARTS = [(1, 2), (-1, 0), (3, 4), (-7, 9), (0, -2)]  # in range, negative, clamped


@pytest.mark.parametrize("starts", STARTS)
@pytest.mark.parametrize("traced", [False, True])
def test_dynamic_slice_and_update_match_jax(starts, traced):
    # traced: the starts are int32 arrays fed through fl.jit (a minibatch offset in a loop)
    def run(lax, jit):
        def f(m, u, s0, s1):
            st = (s0, s1)
            return (lax.dynamic_slice(m, st, (2, 3)), lax.dynamic_update_slice(m, u, st),
                    lax.dynamic_slice_in_dim(m, s0, 2, axis=0),
                    lax.dynamic_update_slice_in_dim(m, u[:, :1], s1, axis=1))
        if traced:
            return jit(f)(M, U, np.int32(starts[0]), np.int32(starts[1]))
        return f(M, U, starts[0], starts[1])
    got = run(fl.lax, fl.jit)
    want = run(jax.lax, jax.jit)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_dynamic_slice_differentiates_and_batches_as_jax():
    def loss(lax, np_):
        def f(m, u, i):
            blk = lax.dynamic_slice(lax.dynamic_update_slice(m, u * 2.0, (i, 1)), (i, 0), (2, 4))
            return np_.sum(np_.tanh(blk) * np_.arange(4.0))
        return f
    import jax.numpy as jnp
    import functorch_lite.numpy as fnp
    i = np.int32(2)
    for argnums in (0, 1):
        np.testing.assert_allclose(fl.grad(loss(fl.lax, fnp), argnums)(M, U, i),
                                   jax.grad(loss(jax.lax, jnp), argnums)(M, U, i), rtol=1e-5)
    idx = np.array([0, 3, -1, 2], np.int32)  # one start per example (clamped, negative)
    got = fl.vmap(fl.grad(loss(fl.lax, fnp)), in_axes=(None, None, 0))(M, U, idx)
    want = jax.vmap(jax.grad(loss(jax.lax, jnp)), in_axes=(None, None, 0))(M, U, idx)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("call,match", [
    (lambda: fl.lax.dynamic_slice(M, (1,), (2, 2)), "one start index and one size per"),
    (lambda: fl.lax.dynamic_slice(M, (0, 0), (5, 2)), "slice sizes \\(5, 2\\) must lie"),
    (lambda: fl.lax.dynamic_slice(M, (0.5, 0), (1, 1)), "start indices must be integers"),
    (lambda: fl.lax.dynamic_update_slice(M, U.astype(np.float64), (0, 0)), "dtype and rank"),
])
def test_dynamic_slice_errors_name_the_problem(call, match):
    with pytest.raises(TypeError, match=match):
        call()
