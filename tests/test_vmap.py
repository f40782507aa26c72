"""fl.vmap against jax.vmap over a corpus, per-example gradients, jacobians via vmap, errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

R = np.random.default_rng(1)
A = R.standard_normal((4, 3)).astype(np.float32)
B = R.standard_normal((4, 3)).astype(np.float32)
M = R.standard_normal((3, 5)).astype(np.float32)
V = R.standard_normal(3).astype(np.float32)
I = np.array([2, 0, 1, 2], np.int32)

# (program written against a numpy namespace, args, in_axes, out_axes)
CORPUS = [
    (lambda np_: lambda x: np_.sin(x) * 2.0 + 1.0, (A,), 0, 0),
    (lambda np_: lambda x, y: x * y - y, (A, B), 0, 0),
    (lambda np_: lambda x, y: x + y, (A, V), (0, None), 0),
    (lambda np_: lambda x, y: np_.maximum(x, y), (A, B.T), (0, 1), 0),
    (lambda np_: lambda x: np_.where(x > 0, x, -x), (A,), 0, 0),
    (lambda np_: lambda x: np_.sum(x), (A,), 0, 0),
    (lambda np_: lambda x: np_.max(x, axis=0), (A,), 1, 0),
    (lambda np_: lambda x: np_.mean(x, keepdims=True), (A,), 0, 0),
    (lambda np_: lambda x: np_.argmax(x), (A,), 0, 0),
    (lambda np_: lambda x: np_.cumsum(x), (A,), 0, 0),
    (lambda np_: lambda x: np_.sort(x), (A,), 0, 0),
    (lambda np_: lambda x, m: x @ m, (A, M), (0, None), 0),
    (lambda np_: lambda x, m: x @ m, (A, np.stack([M] * 4)), (0, 0), 0),
    (lambda np_: lambda x, y: np_.dot(x, y), (A, B), 0, 0),
    (lambda np_: lambda x, y: np_.outer(x, y), (A, B), 0, 1),
    (lambda np_: lambda x: np_.einsum("i,i->", x, x), (A,), 0, 0),
    (lambda np_: lambda x: x.reshape(3, 1) * x, (A,), 0, 0),
    (lambda np_: lambda x: x.T, (A,), 0, 0),
    (lambda np_: lambda x: np_.transpose(x), (np.stack([A, B]),), 1, 2),
    (lambda np_: lambda x: np_.concatenate([x, x * 2.0]), (A,), 0, 0),
    (lambda np_: lambda x, y: np_.stack([x, y]), (A, V), (0, None), 0),
    (lambda np_: lambda x: x[1:], (A,), 0, 0),
    (lambda np_: lambda x: x[::-1], (A,), 0, 0),
    (lambda np_: lambda x, i: x[i], (A, I), 0, 0),
    (lambda np_: lambda x, i: np_.asarray(x)[i], (V, I), (None, 0), 0),
    (lambda np_: lambda x: np_.pad(x, (1, 2)), (A,), 0, 0),
    (lambda np_: lambda x: x.astype(np_.int32), (A * 3,), 0, 0),
    (lambda np_: lambda x: np_.expand_dims(x, 0).squeeze(0), (A,), 0, 0),
    (lambda np_: lambda x: np_.broadcast_to(x, (2, 3)), (A,), 0, 0),
    (lambda np_: lambda x: x.at[0].add(5.0), (A,), 0, 0),
    (lambda np_: lambda x: np_.tril(np_.outer(x, x)), (A,), 0, 0),
    (lambda np_: lambda d: {"a": d["a"] * 2.0, "b": d["b"].sum()}, ({"a": A, "b": B},), 0, 0),
    (lambda np_: lambda x: np_.sin(x), (A,), -1, -1),
]


@pytest.mark.parametrize("i", range(len(CORPUS)))
def test_vmap_matches_jax(i):
    prog, args, in_axes, out_axes = CORPUS[i]
    ours = fl.vmap(prog(fnp), in_axes=in_axes, out_axes=out_axes)(*args)
    ref = jax.vmap(prog(jnp), in_axes=in_axes, out_axes=out_axes)(*args)
    for a, b in zip(jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(ref)):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)


def test_nested_vmap_and_unbatched_stays_unbatched():
    f = lambda x, y: fnp.dot(x, y)
    out = fl.vmap(fl.vmap(f, in_axes=(0, None)), in_axes=(None, 0))(A, B)
    ref = jax.vmap(jax.vmap(jnp.dot, in_axes=(0, None)), in_axes=(None, 0))(A, B)
    np.testing.assert_allclose(out, ref, rtol=1e-5)
    jaxpr = fl.make_jaxpr(fl.vmap(lambda x, c: x * 2.0 + c * c, in_axes=(0, None)))(A, V)
    # c * c is computed once on the unbatched (3,) value: no broadcast of c to (4, 3)
    shapes = [str(e.outvars[0].aval.shape) for e in jaxpr.eqns if e.prim.name == "mul"]
    assert "(3,)" in shapes


def mlp_loss(params, x, y):
    h = fnp.tanh(x @ params["W1"] + params["b1"])
    return fnp.sum((h @ params["W2"] - y) ** 2)


def test_per_example_grads_equal_loop():
    params = {"W1": R.standard_normal((3, 6)).astype(np.float32),
              "b1": np.zeros(6, np.float32),
              "W2": R.standard_normal((6, 2)).astype(np.float32)}
    x = R.standard_normal((8, 3)).astype(np.float32)
    y = R.standard_normal((8, 2)).astype(np.float32)
    g = fl.vmap(fl.grad(mlp_loss), in_axes=(None, 0, 0))(params, x, y)
    for n in range(8):
        gn = fl.grad(mlp_loss)(params, x[n], y[n])
        for k in params:
            np.testing.assert_allclose(g[k][n], gn[k], rtol=1e-4, atol=1e-5)
    gj = fl.jit(fl.vmap(fl.grad(mlp_loss), in_axes=(None, 0, 0)))(params, x, y)
    for k in params:
        np.testing.assert_allclose(np.asarray(gj[k]), g[k], rtol=1e-4, atol=1e-5)
    # grad of vmap
    gv = fl.grad(lambda p: fnp.sum(fl.vmap(mlp_loss, in_axes=(None, 0, 0))(p, x, y)))(params)
    gr = jax.grad(lambda p: jnp.sum(jax.vmap(
        lambda p, x, y: jnp.sum((jnp.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] - y) ** 2),
        in_axes=(None, 0, 0))(p, x, y)))(params)
    for k in params:
        np.testing.assert_allclose(gv[k], gr[k], rtol=1e-4, atol=1e-5)


def test_vmap_of_jvp():
    f = lambda x: fnp.sin(x) * x
    ts = np.eye(3, dtype=np.float32)
    out = fl.vmap(lambda t: fl.jvp(f, (V,), (t,))[1])(ts)
    ref = jax.vmap(lambda t: jax.jvp(lambda x: jnp.sin(x) * x, (V,), (t,))[1])(ts)
    np.testing.assert_allclose(out, ref, rtol=1e-6)


@pytest.mark.parametrize("n", [3, 9])
def test_jacobians_match_jax_without_per_basis_loop(n):
    x = np.linspace(-1, 1, n).astype(np.float32)
    f = lambda np_: (lambda x: np_.sin(x) * np_.sum(x ** 2))
    for ours, ref in ((fl.jacfwd, jax.jacfwd), (fl.jacrev, jax.jacrev),
                      (fl.hessian, jax.hessian)):
        np.testing.assert_allclose(ours(f(fnp))(x), ref(f(jnp))(x), rtol=1e-4, atol=1e-5)


def test_jacobian_equation_count_independent_of_size():
    f = lambda x: fnp.sin(x) * fnp.sum(x ** 2)
    for tr in (fl.jacfwd, fl.jacrev, fl.hessian):
        n3 = len(fl.make_jaxpr(tr(f))(np.ones(3, np.float32)).eqns)
        n30 = len(fl.make_jaxpr(tr(f))(np.ones(30, np.float32)).eqns)
        assert n3 == n30, (tr, n3, n30)


def test_vmap_errors():
    with pytest.raises(ValueError, match="inconsistent sizes"):
        fl.vmap(lambda x, y: x + y)(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="out of range"):
        fl.vmap(fnp.sin, in_axes=2)(np.ones((3, 4)))
    with pytest.raises(ValueError, match="out_axes=None"):
        fl.vmap(fnp.sin, out_axes=None)(np.ones(3))
    with pytest.raises(ValueError, match="axis_size"):
        fl.vmap(lambda x: x, in_axes=None)(np.ones(3))
    assert fl.vmap(lambda x: x * 2.0, in_axes=None, axis_size=2)(np.ones(3)).shape == (2, 3)


def _custom_pair(lib, np_):
    """A custom_jvp and a custom_vjp function whose rules deliberately differ from the
    derivative of their bodies, so a test can tell whether the rule was used."""
    @lib.custom_jvp
    def f(x, y):
        return np_.sin(x) * y

    @f.defjvp
    def f_jvp(p, t):
        (x, y), (tx, ty) = p, t
        return f(x, y), 3.0 * tx * y + 2.0 * ty

    @lib.custom_vjp
    def g(x, w):
        return np_.tanh(x) * w
    g.defvjp(lambda x, w: (g(x, w), (x, w)), lambda r, c: (5.0 * c * r[1], 7.0 * c * r[0]))
    return f, g


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("in_axes", [(0, None), (0, 0), (1, None)])
def test_custom_rules_survive_vmap(which, in_axes):
    """vmap of a custom_jvp/custom_vjp function is again a custom call: grad(vmap(f)),
    vmap(grad(f)), jit(grad(vmap(f))) and jvp(vmap(f)) use the rule, as in JAX."""
    fn, jfn = _custom_pair(fl, fnp)[which], _custom_pair(jax, jnp)[which]
    x = np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32)
    y = np.linspace(0.5, 2, 3).astype(np.float32) if in_axes[1] is None else x * 0.5 + 1.0
    if in_axes[0] == 1:  # examples along axis 1 of x
        x = x.T.copy()

    def loss(a, b):
        return fnp.sum(fl.vmap(fn, in_axes=in_axes)(a, b) ** 2)

    def jloss(a, b):
        return jnp.sum(jax.vmap(jfn, in_axes=in_axes)(a, b) ** 2)
    got = fl.grad(loss, argnums=(0, 1))(x, y)
    want = jax.grad(jloss, argnums=(0, 1))(x, y)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fl.jit(fl.grad(loss))(x, y), want[0], rtol=1e-5, atol=1e-6)
    per_ex = fl.vmap(fl.grad(lambda a, b: fnp.sum(fn(a, b))), in_axes=in_axes)(x, y)
    jper_ex = jax.vmap(jax.grad(lambda a, b: jnp.sum(jfn(a, b))), in_axes=in_axes)(x, y)
    np.testing.assert_allclose(per_ex, jper_ex, rtol=1e-5, atol=1e-6)
    if which == 0:
        t = (np.ones_like(x), np.full_like(y, 0.5))
        _, tout = fl.jvp(fl.vmap(fn, in_axes=in_axes), (x, y), t)
        _, jtout = jax.jvp(jax.vmap(jfn, in_axes=in_axes), (x, y), t)
        np.testing.assert_allclose(tout, jtout, rtol=1e-5, atol=1e-6)


def test_keyword_arguments_are_mapped_over_axis_0_as_in_jax():
    f = lambda x, b: x * b + 1.0
    x = np.arange(6.0, dtype=np.float32).reshape(3, 2)
    b = np.linspace(0, 1, 6).astype(np.float32).reshape(3, 2)
    np.testing.assert_allclose(fl.vmap(f, in_axes=(1,))(x.T.copy(), b=b),
                               jax.vmap(f, in_axes=(1,))(x.T.copy(), b=b), rtol=1e-6)
    with pytest.raises(ValueError, match=r"keyword argument b of shape \(4, 2\)"):
        fl.vmap(f)(x, b=np.ones((4, 2), np.float32))


@pytest.mark.parametrize("const", [1.5, 2, True])
def test_constant_outputs_take_jax_dtypes(const):
    # a Python constant returned by the function is broadcast in its IR dtype
    # (float32/int32/bool as jax.vmap), not NumPy's float64/int64
    xs = np.ones((3, 2), np.float32)
    got = fl.vmap(lambda x: (x[0], const))(xs)[1]
    want = jax.vmap(lambda x: (x[0], const))(xs)[1]
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, np.asarray(want))
