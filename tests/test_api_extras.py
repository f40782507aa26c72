"""The smaller JAX top-level API: eval_shape, ShapeDtypeStruct, disable_jit,
block_until_ready, device_put/device_get, jacobian, float0 — against jax."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

X = np.arange(6.0, dtype=np.float32).reshape(2, 3)


def _structs(tree):
    return jax.tree_util.tree_map(lambda s: (s.shape, s.dtype, s.weak_type), tree)


@pytest.mark.parametrize("make,args,kwargs", [
    (lambda np_: lambda x: x.sum(axis=0) * 2.0, (X,), {}),
    (lambda np_: lambda x, y: (x @ y, {"a": np_.tanh(y)}), (X, X.T), {}),
    (lambda np_: lambda x: (x, 1.0, 2), (X,), {}),  # Python scalars: weak types
    (lambda np_: lambda x, *, k: np_.concatenate([x, x * k]), (X,), {"k": 3.0}),
    (lambda np_: lambda x: x.astype(np_.int32)[None], (X,), {}),
    (lambda np_: lambda x: x, (jax.ShapeDtypeStruct((4, 5), np.float32),), {}),
    (lambda np_: lambda x: x.reshape(-1)[:3] > 0, (jax.ShapeDtypeStruct((2, 5), jnp.float16),),
     {}),
])
def test_eval_shape_matches_jax(make, args, kwargs):
    out = fl.eval_shape(make(fnp), *args, **kwargs)
    ref = jax.eval_shape(make(jnp), *args, **kwargs)
    assert jax.tree_util.tree_structure(out) == jax.tree_util.tree_structure(ref)
    assert _structs(out) == _structs(ref)
    assert all(isinstance(s, fl.ShapeDtypeStruct) for s in jax.tree_util.tree_leaves(out))


def test_eval_shape_computes_nothing_and_composes():
    calls = []

    def f(x):
        calls.append(type(x).__name__)
        return fnp.sin(x) ** 2

    s = fl.eval_shape(fl.grad(lambda x: f(x).sum()), X)
    assert (s.shape, s.dtype) == ((2, 3), np.float32)
    assert calls == ["Tracer"]  # traced once, abstractly
    with pytest.raises(TypeError, match="eval_shape: expected a callable"):
        fl.eval_shape(3, X)
    with pytest.raises(TypeError, match="could not broadcast|broadcast"):
        fl.eval_shape(lambda x: x + np.ones(4, np.float32), X)


def test_disable_jit_runs_python():
    seen = []

    @fl.jit
    def f(x):
        seen.append(type(x).__name__)
        return x * 2.0

    with fl.disable_jit():
        out = f(X)
        out2 = f(X)
    assert isinstance(out, np.ndarray) and seen == ["ndarray", "ndarray"]
    np.testing.assert_array_equal(out, X * 2)
    np.testing.assert_array_equal(out2, X * 2)
    out3 = f(X)  # compiled again once the context ends
    assert isinstance(out3, jax.Array) and seen[-1] == "Tracer"
    # nests, and config.update("jax_disable_jit", ...) is the same switch, as in JAX
    with fl.disable_jit(), fl.disable_jit(False):
        assert isinstance(f(X), jax.Array)
    fl.config.update("jax_disable_jit", True)
    try:
        assert isinstance(f(X), np.ndarray)
    finally:
        fl.config.update("jax_disable_jit", False)
    # a Python branch on a value works only without jit
    g = fl.jit(lambda x: x if float(x.sum()) > 0 else -x)
    with fl.disable_jit():
        np.testing.assert_array_equal(g(X), X)
    with pytest.raises(fl.ConcretizationTypeError):
        g(X)


def test_device_helpers():
    y = fl.jit(lambda x: x * 2.0)(X)
    assert fl.block_until_ready(y) is y
    tree = {"a": y, "b": [X, 1.0]}
    assert fl.block_until_ready(tree) is tree
    on_dev = fl.device_put({"w": X})
    assert isinstance(on_dev["w"], jax.Array)
    np.testing.assert_array_equal(fl.grad(lambda w: (w ** 2).sum())(on_dev["w"]), 2 * X)
    back = fl.device_get({"w": on_dev["w"], "y": y})
    assert isinstance(back["w"], np.ndarray) and isinstance(back["y"], np.ndarray)
    np.testing.assert_array_equal(back["y"], X * 2)


def test_jacobian_is_jacrev_and_float0_is_jax_float0():
    f = lambda x: fnp.sin(x) * x.sum()  # noqa: E731
    g = lambda x: jnp.sin(x) * x.sum()  # noqa: E731
    np.testing.assert_allclose(fl.jacobian(f)(X[0]), jax.jacobian(g)(X[0]), rtol=1e-6)
    assert fl.float0 == jax.dtypes.float0
    _, f_vjp = fl.vjp(lambda x, n: x * 2.0, X, np.int32(3))
    assert f_vjp(np.ones_like(X))[1].dtype == fl.float0
