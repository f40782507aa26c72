"""Derivatives of the scatters behind ``x.at[idx]`` against JAX: only update elements that
land get a cotangent (duplicates under ``set``: the one that wins; out-of-bounds under
``jit``: dropped), ties of ``.min``/``.max`` split evenly, ``.multiply`` by unique indices."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

X = np.arange(1.0, 5.0, dtype=np.float32)
W = np.arange(1.0, 5.0, dtype=np.float32)  # weights so that each output position counts
X2 = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3)
W2 = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3)


def _pair(method, idx, w, *, kw=None):
    """The same loss for both libraries: ``sum(x.at[idx].method(v) * w)``."""
    kw = kw or {}

    def ours(x, v):
        return (getattr(fnp.at(x)[idx], method)(v, **kw) * w).sum()

    def theirs(x, v):
        return (getattr(jnp.asarray(x).at[idx], method)(v, **kw) * w).sum()
    return ours, theirs


def _close(a, b):
    for p, q in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)):
        np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=1e-6, atol=1e-6)


# (method, x, w, index, v): duplicates, broadcast updates, 2-d operands, basic indexing
CASES = [
    ("set", X, W, np.array([0, 0]), np.array([5.0, 6.0], np.float32)),
    ("set", X, W, np.array([1, 1, 2]), np.float32(3.0)),
    ("set", X, W, np.array([3, -1, 0]), np.array([1.0, 2.0, 3.0], np.float32)),
    ("set", X2, W2, (np.array([1, 1]), slice(None)), np.ones((2, 3), np.float32)),
    ("set", X2, W2, (slice(None), np.array([2, 0, 2])), np.ones((1, 3), np.float32)),
    ("set", X, W, slice(1, 3), np.array([7.0, 8.0], np.float32)),
    ("add", X, W, np.array([0, 0, 3]), np.array([1.0, 2.0, 3.0], np.float32)),
    ("max", X, W, np.array([1, 1, 2]), np.array([2.0, 0.5, 3.0], np.float32)),
    ("max", X, W, np.array([0, 0]), np.array([1.0, 1.0], np.float32)),  # a three-way tie
    ("min", X, W, np.array([1, 1, 2]), np.array([2.0, 0.5, 3.0], np.float32)),
    ("min", X2, W2, (0, np.array([2, 2])), np.array([3.0, 3.0], np.float32)),
    ("max", X, W, 1, np.float32(2.0)),
]


@pytest.mark.parametrize("mode", ["eager", "jit", "vmap"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[3]!r}".replace("\n", ""))
def test_scatter_grads_match_jax(case, mode):
    method, x, w, idx, v = case
    ours, theirs = _pair(method, idx, w)
    expect = jax.grad(theirs, argnums=(0, 1))(x, v)
    g = fl.grad(ours, argnums=(0, 1))
    if mode == "eager":
        got = g(x, v)
    elif mode == "jit":
        got = fl.jit(g)(x, v)
    else:
        xs, vs = np.stack([x, 2 * x]), np.stack([v, v + 1])
        got = fl.vmap(g)(xs, vs)
        expect = jax.vmap(jax.grad(theirs, argnums=(0, 1)))(xs, vs)
    _close(got, expect)


@pytest.mark.parametrize("case", CASES[6:], ids=lambda c: f"{c[0]}-{c[3]!r}".replace("\n", ""))
def test_scatter_jvp_matches_jax(case):
    method, x, w, idx, v = case
    ours, theirs = _pair(method, idx, w)
    tx, tv = np.linspace(-1, 1, x.size, dtype=np.float32).reshape(x.shape), np.ones_like(v)
    _close(fl.jvp(ours, (x, v), (tx, tv)), jax.jvp(theirs, (x, v), (tx, tv)))


@pytest.mark.parametrize("method", ["set", "add"])
def test_out_of_bounds_updates_get_no_gradient_under_jit(method):
    # traced and constant index arrays: jit drops the out-of-bounds update (as jax)
    ours, theirs = _pair(method, np.array([5, 1, -9]), W)
    v = np.array([1.0, 2.0, 3.0], np.float32)
    expect = jax.jit(jax.grad(theirs, argnums=(0, 1)))(X, v)
    _close(fl.jit(fl.grad(ours, argnums=(0, 1)))(X, v), expect)

    def traced_ours(x, v, i):
        return (getattr(fnp.at(x)[i], method)(v) * W).sum()

    def traced_theirs(x, v, i):
        return (getattr(jnp.asarray(x).at[i], method)(v) * W).sum()
    i = np.array([5, 1, -9])
    _close(fl.jit(fl.grad(traced_ours, argnums=(0, 1)))(X, v, i),
           jax.jit(jax.grad(traced_theirs, argnums=(0, 1)))(X, v, i))


@pytest.mark.parametrize("const", [True, False])
def test_out_of_bounds_gather_gradient_under_jit(const):
    # the forward gather clamps, its transpose drops: jax gives no gradient there
    i = np.array([5, -7, 1])
    if const:
        got = fl.jit(fl.grad(lambda x: (x[i] * W[:3]).sum()))(X)
        want = jax.jit(jax.grad(lambda x: (x[i] * W[:3]).sum()))(X)
    else:
        got = fl.jit(fl.grad(lambda x, i: (x[i] * W[:3]).sum()))(X, i)
        want = jax.jit(jax.grad(lambda x, i: (x[i] * W[:3]).sum()))(X, i)
    _close(got, want)


def test_out_of_bounds_eagerly_is_numpys_index_error():
    with pytest.raises(IndexError):
        fl.grad(lambda x: x[np.array([5])].sum())(X)


def test_multiply_derivatives_with_unique_indices_match_jax():
    i = np.array([1, 3])
    v = np.array([2.0, -3.0], np.float32)
    ours, _ = _pair("multiply", i, W)
    _, theirs = _pair("multiply", i, W, kw={"unique_indices": True})
    _close(fl.grad(ours, argnums=(0, 1))(X, v), jax.grad(theirs, argnums=(0, 1))(X, v))
    _close(fl.jit(fl.grad(ours, argnums=(0, 1)))(X, v), jax.grad(theirs, argnums=(0, 1))(X, v))
    t = (np.ones_like(X), np.ones_like(v))
    _close(fl.jvp(ours, (X, v), t), jax.jvp(theirs, (X, v), t))


def test_multiply_x_derivative_with_duplicates_matches_jax():
    i = np.array([1, 1, 2])
    v = np.array([2.0, -3.0, 4.0], np.float32)
    ours, theirs = _pair("multiply", i, W)
    _close(fl.grad(ours)(X, v), jax.grad(theirs)(X, v))


def test_multiply_update_derivative_with_duplicates_raises_like_jax():
    ours, _ = _pair("multiply", np.array([1, 1]), W)
    with pytest.raises(NotImplementedError, match="unique indices.*repeat"):
        fl.grad(ours, argnums=1)(X, np.array([2.0, 3.0], np.float32))
    with pytest.raises(NotImplementedError, match="traced index arrays"):
        fl.jit(fl.grad(lambda v, i: fnp.at(X)[i].multiply(v).sum()))(
            np.array([2.0, 3.0], np.float32), np.array([0, 1]))


# ----------------------------------------------------------------------------- modes and kwargs

OOB = np.array([1, 5, -1, -9])
V4 = np.array([10.0, 20.0, 30.0, 40.0], np.float32)


@pytest.mark.parametrize("mode", ["clip", "drop", "fill"])
@pytest.mark.parametrize("method", ["set", "add", "multiply", "min", "max"])
def test_update_modes_match_jax_eagerly_and_under_jit(method, mode):
    want = getattr(jnp.asarray(X).at[OOB], method)(V4, mode=mode)
    _close(getattr(fnp.at(X)[OOB], method)(V4, mode=mode), want)
    _close(fl.jit(lambda x, v: getattr(fnp.at(x)[OOB], method)(v, mode=mode))(X, V4), want)
    _close(fl.jit(lambda x, v, i: getattr(fnp.at(x)[i], method)(v, mode=mode))(X, V4, OOB), want)


def test_update_mode_gradients_match_jax():
    for mode in ("clip", "drop"):
        ours, theirs = _pair("add", OOB, W, kw={"mode": mode})
        _close(fl.grad(ours, argnums=(0, 1))(X, V4), jax.grad(theirs, argnums=(0, 1))(X, V4))


@pytest.mark.parametrize("mode", ["clip", "fill"])
def test_get_modes_match_jax(mode):
    want = jnp.asarray(X).at[OOB].get(mode=mode)
    _close(fnp.at(X)[OOB].get(mode=mode), want)
    _close(fl.jit(lambda x, i: fnp.at(x)[i].get(mode=mode))(X, OOB), want)
    _close(fnp.at(X)[OOB].get(mode="fill", fill_value=-1.0),
           jnp.asarray(X).at[OOB].get(mode="fill", fill_value=-1.0))


@pytest.mark.parametrize("method", ["divide", "power", "subtract"])
def test_divide_power_subtract_match_jax(method):
    i = np.array([2, 2, 0])
    v = np.array([2.0, 3.0, 0.5], np.float32)
    _close(getattr(fnp.at(X)[i], method)(v), getattr(jnp.asarray(X).at[i], method)(v))
    u = np.array([1, 3])  # unique indices: differentiable in x and (as JAX) in v
    kw = {"unique_indices": True}
    ours = lambda x, v: (getattr(fnp.at(x)[u], method)(v, **kw) * W).sum()  # noqa: E731
    theirs = lambda x, v: (getattr(jnp.asarray(x).at[u], method)(v, **kw) * W).sum()  # noqa
    _close(fl.grad(ours, argnums=(0, 1))(X, v[:2]), jax.grad(theirs, argnums=(0, 1))(X, v[:2]))


def test_update_hints_are_accepted_and_bad_modes_rejected():
    got = fnp.at(X)[np.array([0, 1])].add(1.0, indices_are_sorted=True, unique_indices=True,
                                          mode="promise_in_bounds")
    _close(got, X + np.array([1, 1, 0, 0], np.float32))
    with pytest.raises(ValueError, match="mode='wrap' is not one of"):
        fnp.at(X)[np.array([0])].set(1.0, mode="wrap")
    with pytest.raises(ValueError, match="mode='wrap' is not one of"):
        fnp.at(X)[np.array([0])].get(mode="wrap")


# ------------------------------------------------- the unique_indices hint with traced indices

UNIQUE = {"unique_indices": True}
VU = np.array([2.0, -3.0], np.float32)
IU = np.array([3, 1])


def _traced_pair(method, w=W, **kw):
    """``sum(x.at[i].method(v) * w)`` with the indices ``i`` an argument (traced)."""
    def ours(x, v, i):
        return (getattr(fnp.at(x)[i], method)(v, **kw) * w).sum()

    def theirs(x, v, i):
        return (getattr(jnp.asarray(x).at[i], method)(v, **kw) * w).sum()
    return ours, theirs


@pytest.mark.parametrize("method", ["multiply", "divide", "power"])
def test_unique_hint_makes_traced_update_derivatives_match_jax(method):
    # JAX trusts the hint: the derivative in v of a scatter-multiply is allowed
    ours, theirs = _traced_pair(method, **UNIQUE)
    want = jax.grad(theirs, argnums=(0, 1))(X, VU, IU)
    _close(fl.jit(fl.grad(ours, argnums=(0, 1)))(X, VU, IU), want)
    _close(fl.grad(lambda x, v: fl.jit(ours)(x, v, IU), argnums=(0, 1))(X, VU), want)
    t = (np.linspace(-1, 1, 4, dtype=np.float32), np.ones_like(VU))
    _close(fl.jit(lambda x, v, i: fl.jvp(lambda x, v: ours(x, v, i), (x, v), t))(X, VU, IU),
           jax.jvp(lambda x, v: theirs(x, v, IU), (X, VU), t))


@pytest.mark.parametrize("method", ["multiply", "divide", "power"])
def test_unique_hint_under_vmap_of_grad_with_batched_indices(method):
    ours, theirs = _traced_pair(method, **UNIQUE)
    vs, idx = np.stack([VU, VU + 1.5]), np.array([[3, 1], [0, 2]])
    want = jax.vmap(jax.grad(theirs, argnums=(0, 1)), (None, 0, 0))(X, vs, idx)
    _close(fl.vmap(fl.grad(ours, argnums=(0, 1)), (None, 0, 0))(X, vs, idx), want)
    _close(fl.jit(fl.vmap(fl.grad(ours, argnums=(0, 1)), (None, 0, 0)))(X, vs, idx), want)


def test_unique_hint_second_derivative_and_2d_index_match_jax():
    ours, theirs = _traced_pair("multiply", **UNIQUE)
    h = fl.jit(fl.hessian(ours, argnums=1))(X, VU, IU)
    _close(h, jax.hessian(theirs, argnums=1)(X, VU, IU))

    def ours2(x, v, i):
        return (fnp.at(x)[:, i].multiply(v, unique_indices=True) * W2).sum()

    def theirs2(x, v, i):
        return (jnp.asarray(x).at[:, i].multiply(v, unique_indices=True) * W2).sum()
    v2, i2 = np.array([[2.0], [-1.0]], np.float32), np.array([2, 0])
    _close(fl.jit(fl.grad(ours2, argnums=(0, 1)))(X2, v2, i2),
           jax.grad(theirs2, argnums=(0, 1))(X2, v2, i2))


@pytest.mark.parametrize("method", ["multiply", "divide", "power"])
def test_traced_update_derivative_without_the_hint_still_raises(method):
    ours, _ = _traced_pair(method)
    with pytest.raises(NotImplementedError, match="traced index arrays"):
        fl.jit(fl.grad(ours, argnums=1))(X, VU, IU)


def test_unique_hint_is_a_scatter_parameter_printed_and_lowered():
    jaxpr = str(fl.make_jaxpr(lambda x, v, i: fnp.at(x)[i].multiply(v, unique_indices=True))(
        X, VU, IU))
    assert "index_mul[" in jaxpr and "unique_indices=True" in jaxpr
    plain = str(fl.make_jaxpr(lambda x, v, i: fnp.at(x)[i].multiply(v))(X, VU, IU))
    assert "unique_indices" not in plain  # no hint, no parameter: jaxprs print as before
    # jit hands the hint to XLA's scatter
    from functorch_lite.ops import indexing as ix
    lowered = jax.make_jaxpr(lambda x, v, i: ix.index_mul_p.lower(
        x, v, i, spec=(("a",),), unique_indices=True))(X, VU, IU)
    assert "unique_indices=True" in str(lowered)
    _close(fl.jit(lambda x, v, i: fnp.at(x)[i].multiply(v, unique_indices=True))(X, VU, IU),
           jnp.asarray(X).at[IU].multiply(VU, unique_indices=True))
