"""vmap and jit corners checked against JAX: unbatched Python scalars keep JAX's dtypes,
jitted closures over tracers of an enclosing transformation, and the argument errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

X = np.arange(3.0, dtype=np.float32)


def _same(a, b):
    for p, q in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)):
        p, q = np.asarray(p), np.asarray(q)
        assert p.dtype == q.dtype and p.shape == q.shape, (p.dtype, q.dtype, p.shape, q.shape)
        np.testing.assert_allclose(p, q, rtol=1e-6)


def _bodies(lib, np_):
    lax = lib.lax
    return {
        "mul": lambda x, s: x * s,
        "stack": lambda x, s: np_.stack([x, s]),
        "fori": lambda x, s: lax.fori_loop(0, 2, lambda i, c: c + s, x),
        "while": lambda x, s: lax.while_loop(lambda c: c[0] < 2, lambda c: (c[0] + 1, c[1] * s),
                                             (0, x))[1],
        "scan": lambda x, s: lax.scan(lambda c, _: (c + s, c), x, None, length=2),
        "switch": lambda x, s: lax.switch(1, [lambda: x - s, lambda: x + s]),
        "cond": lambda x, s: lax.cond(x > 1.0, lambda: x * s, lambda: s + 0.0 * x),
    }


@pytest.mark.parametrize("name", list(_bodies(fl, fnp)))
@pytest.mark.parametrize("scalar", [2.0, 2])
def test_unbatched_python_scalars_keep_jax_dtypes(name, scalar):
    ours = fl.vmap(_bodies(fl, fnp)[name], in_axes=(0, None))(X, scalar)
    theirs = jax.vmap(_bodies(jax, jnp)[name], in_axes=(0, None))(X, scalar)
    _same(ours, theirs)


def test_jit_closing_over_an_enclosing_tracer():
    _same(fl.vmap(lambda y: fl.jit(lambda z: z + y)(1.0))(X),
          jax.vmap(lambda y: jax.jit(lambda z: z + y)(1.0))(X))
    _same(fl.jit(fl.vmap(lambda y: fl.jit(lambda z: z * y)(2.0)))(X),
          jax.jit(jax.vmap(lambda y: jax.jit(lambda z: z * y)(2.0)))(X))
    _same(fl.grad(lambda y: fl.jit(lambda z: fnp.sin(z * y))(2.0))(3.0),
          jax.grad(lambda y: jax.jit(lambda z: jnp.sin(z * y))(2.0))(3.0))
    # the closure is traced again for each new enclosing tracer (no stale constants)
    inner = fl.jit(lambda z: z)
    f = lambda y: fl.jit(lambda z: inner(z) * y)(2.0)  # noqa: E731
    _same(fl.vmap(f)(X), 2.0 * X)
    _same(fl.vmap(f)(X + 1), 2.0 * (X + 1))
    assert "jit" in str(fl.make_jaxpr(lambda y: fl.jit(lambda z: z * y)(2.0))(3.0))


@pytest.mark.parametrize("in_axes", [{"a": 0}, True, "0", 1.0])
def test_vmap_rejects_in_axes_that_jax_rejects(in_axes):
    with pytest.raises(TypeError, match="in_axes must be an int, None, or a tuple"):
        fl.vmap(lambda d: d, in_axes=in_axes)
    with pytest.raises(TypeError):
        jax.vmap(lambda d: d, in_axes=in_axes)({"a": X})


def test_vmap_error_messages_name_outputs_and_argument_paths():
    with pytest.raises(ValueError, match="out_axes .* tree prefix of the outputs' structure"):
        fl.vmap(lambda a: (a, a), out_axes=(0, 0, 0))(X)
    with pytest.raises(ValueError, match=r"in_axes=2 is out of range for argument 0\['a'\] of "
                                         r"shape \(3,\)"):
        fl.vmap(lambda d: d["a"], in_axes=({"a": 2},))({"a": X})
    with pytest.raises(TypeError, match="in_axes entries must be int or None, got True"):
        fl.vmap(lambda a: a, in_axes=(True,))(X)


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian",
                                  "vmap", "jit", "checkpoint", "make_jaxpr"])
def test_transformations_reject_non_callables_when_wrapping(name):
    with pytest.raises(TypeError, match=f"{name}: expected a callable to transform, got 3"):
        getattr(fl, name)(3)
