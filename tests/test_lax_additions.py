"""fl.lax additions and fixes against jax.lax: sort's JAX signature, cond's non-bool
predicates, and select, clamp, square, logistic, erf, cummax/cummin, top_k, the cumulative
ops' default axis, reshape's dimensions, dynamic_slice with an array of starts and pad
with a Python padding value.  Each is checked eagerly, under fl.jit, fl.vmap and fl.grad
(where JAX differentiates), values and gradients."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

R = np.random.default_rng(7)
X = R.standard_normal((3, 5)).astype(np.float32)
V = R.standard_normal((3, 5)).astype(np.float32)
KEYS = np.array([[2, 1, 2, 0, 1], [1, 1, 0, 0, 2], [0, 2, 2, 1, 0]], np.int32)  # ties


def assert_same(got, want, rtol=1e-6, atol=1e-6):
    """Same tree structure (tuples vs single arrays), dtypes, shapes and values."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, tuple) and len(got) == len(want), type(got)
        for g, w in zip(got, want):
            assert_same(g, w, rtol, atol)
        return
    assert not isinstance(got, (tuple, list)), f"expected one array, got {type(got)}"
    g, w = np.asarray(got), np.asarray(want)
    assert g.dtype == w.dtype and g.shape == w.shape, (g.dtype, g.shape, w.dtype, w.shape)
    np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)


def eager_and_jit(make, *args, **tol):
    """``make(lax)`` run by jax.lax is the reference for fl.lax eagerly and under fl.jit."""
    want = make(jax.lax)(*args)
    assert_same(make(fl.lax)(*args), want, **tol)
    assert_same(fl.jit(make(fl.lax))(*args), want, **tol)


# ----------------------------------------------------------------------------- sort

@pytest.mark.parametrize("dimension", [-1, 0, 1])
def test_sort_single_operand_returns_an_array(dimension):
    eager_and_jit(lambda lax: lambda x: lax.sort(x, dimension=dimension), X)
    assert isinstance(fl.lax.sort(X), np.ndarray)


@pytest.mark.parametrize("num_keys", [1, 2])
@pytest.mark.parametrize("dimension", [-1, 0])
def test_sort_tuple_is_lexicographic_and_permutes_the_rest(num_keys, dimension):
    second = (KEYS * 7 % 3).astype(np.int32)
    def make(lax):
        return lambda k, s, v: lax.sort((k, s, v), dimension=dimension, num_keys=num_keys)
    eager_and_jit(make, KEYS, second, V)
    # a list of operands is a sequence too, and is_stable is passed along
    assert_same(fl.lax.sort([KEYS, V], is_stable=True), jax.lax.sort([KEYS, V]))
    assert_same(fl.lax.sort_key_val(KEYS, V, dimension=0), jax.lax.sort_key_val(KEYS, V, 0))


def test_sort_unstable_sorts_the_keys():
    keys = np.array([3., 1., 2., 0.], np.float32)  # distinct keys: one right order
    assert_same(fl.lax.sort((keys, V[0, :4]), is_stable=False),
                jax.lax.sort((keys, V[0, :4]), is_stable=False))


def test_sort_gradient_flows_to_the_permuted_operands():
    w = R.standard_normal((3, 5)).astype(np.float32)
    def loss(lax, np_):
        def f(k, v):
            ks, vs = lax.sort((k, v), num_keys=1)
            return np_.sum(ks * w) + np_.sum(np_.sin(vs) * w * w)
        return f
    k = X.copy()
    for argnums in (0, 1):
        assert_same(fl.grad(loss(fl.lax, fnp), argnums)(k, V),
                    jax.grad(loss(jax.lax, jnp), argnums)(k, V))
    assert_same(fl.grad(lambda x: fnp.sum(fl.lax.sort(x, dimension=0) * w))(X),
                jax.grad(lambda x: jnp.sum(jax.lax.sort(x, dimension=0) * w))(X))


def test_sort_under_vmap():
    f = lambda lax: lambda k, v: lax.sort((k, v), num_keys=1)
    assert_same(fl.vmap(f(fl.lax))(KEYS, V), jax.vmap(f(jax.lax))(KEYS, V))
    g = lambda lax: lambda x: lax.sort(x, dimension=0)
    assert_same(fl.vmap(g(fl.lax), in_axes=1)(X), jax.vmap(g(jax.lax), in_axes=1)(X))


@pytest.mark.parametrize("call,exc,match", [
    (lambda: fl.lax.sort(X, num_keys=2), ValueError, "num_keys=2 must equal 1"),
    (lambda: fl.lax.sort((X, V), num_keys=3), ValueError, "between 1 and the number"),
    (lambda: fl.lax.sort((X, V[:, :2])), TypeError, r"one shape.*\(3, 5\).*\(3, 2\)"),
    (lambda: fl.lax.sort(np.float32(1)), ValueError, "scalar has nothing to sort"),
    (lambda: fl.lax.sort(X, dimension=2), ValueError, r"dimension=2 .* \(3, 5\)"),
    (lambda: fl.lax.sort(()), TypeError, "empty sequence"),
])
def test_sort_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ----------------------------------------------------------------------------- cond

PREDS = [True, False, -1, 0, 2, 0.5, -0.0, float("nan"), np.int32(3), np.uint8(2),
         np.float32(0.0), np.array(-2, np.int8)]


def _branchy(lax):
    return lambda p, x: lax.cond(p, lambda x: x + 1.0, lambda x: x * 3.0, x)


@pytest.mark.parametrize("pred", PREDS, ids=repr)
def test_cond_number_predicate_means_nonzero(pred):
    x = np.float32(2.0)
    want = _branchy(jax.lax)(pred, x)
    assert_same(_branchy(fl.lax)(pred, x), want)
    assert_same(fl.jit(_branchy(fl.lax))(pred, x), want)


@pytest.mark.parametrize("preds", [np.array([-1, 0, 2, 3, 1], np.int32),
                                   np.array([-0.5, 0., 2., np.nan, 0.], np.float32),
                                   np.array([True, False, True, False, False])])
def test_cond_batched_predicate(preds):
    xs = np.arange(5, dtype=np.float32)
    assert_same(fl.vmap(_branchy(fl.lax))(preds, xs), jax.vmap(_branchy(jax.lax))(preds, xs))
    assert_same(fl.jit(fl.vmap(_branchy(fl.lax)))(preds, xs),
                jax.vmap(_branchy(jax.lax))(preds, xs))


def test_cond_float_predicate_differentiates():
    f = lambda lax: lambda x: lax.cond(x, lambda y: y * y, lambda y: 3.0 * y, x)
    for x in (0.5, 0.0, -2.0):
        assert_same(fl.grad(f(fl.lax))(np.float32(x)), jax.grad(f(jax.lax))(np.float32(x)))


def test_batched_cond_clamps_an_out_of_range_index_like_the_unbatched_one():
    branches = [lambda x: x, lambda x: 2.0 * x, lambda x: -x]
    def run(i, x):  # binds cond with the raw index (switch clamps before it binds)
        return fl.lax._switch(i, branches, (x,), ["b0", "b1", "b2"], "switch")
    idx = np.array([-3, 0, 1, 2, 9], np.int32)
    xs = np.arange(1.0, 6.0, dtype=np.float32)
    eager = np.stack([run(np.int32(i), x) for i, x in zip(idx, xs)])
    np.testing.assert_array_equal(fl.vmap(run)(idx, xs), eager)
    np.testing.assert_array_equal(eager, [1., 2., 6., -4., -5.])


@pytest.mark.parametrize("pred,match", [
    (np.complex64(1j), "bool or real number"),
    (None, "None"),
    ("yes", "bool or real number"),
    (np.array([True]), r"scalar, got shape \(1,\)"),
])
def test_cond_rejects_what_jax_rejects(pred, match):
    with pytest.raises(TypeError):
        _branchy(jax.lax)(pred, np.float32(1))
    with pytest.raises(TypeError, match=match):
        _branchy(fl.lax)(pred, np.float32(1))


def test_cond_traced_predicate_is_compared_to_zero():
    text = str(fl.make_jaxpr(_branchy(fl.lax))(np.int32(2), np.float32(1)))
    assert "ne a 0" in text and "convert_element_type" in text


# ----------------------------------------------------------------------------- select

def test_select_matches_jax():
    eager_and_jit(lambda lax: lambda x, v: lax.select(x > v, x, v), X, V)
    eager_and_jit(lambda lax: lambda x, v: lax.select(True, x, v), X, V)
    eager_and_jit(lambda lax: lambda x: lax.select(x[0, 0] > 0, x, -x), X)
    f = lambda lax, np_: lambda x, v: np_.sum(np_.sin(lax.select(x > 0, x * v, v)))
    for argnums in (0, 1):
        assert_same(fl.grad(f(fl.lax, fnp), argnums)(X, V),
                    jax.grad(f(jax.lax, jnp), argnums)(X, V))
    g = lambda lax: lambda p, x, v: lax.select(p, x, v)
    p = np.array([True, False, True])
    assert_same(fl.vmap(g(fl.lax))(p, X, V), jax.vmap(g(jax.lax))(p, X, V))


@pytest.mark.parametrize("call,match", [
    (lambda: fl.lax.select(X > 0, X, np.float32(0)), r"one shape.*f32\[3,5\].*f32\[\]"),
    (lambda: fl.lax.select(X > 0, X, V.astype(np.float64)), r"one dtype.*on_true.*on_false"),
    (lambda: fl.lax.select(X, X, V), r"pred must be boolean"),
    (lambda: fl.lax.select(np.array([True, False]), X, V), r"pred must be a scalar or"),
])
def test_select_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ----------------------------------------------------------------------------- clamp

TIES = np.array([[0., 1., 1.5, 2., 3.], [-1., 1., 2., 2.5, 1.2], [5., -5., 1., 2., 1.9]],
                np.float32)


def test_clamp_matches_jax():
    eager_and_jit(lambda lax: lambda x: lax.clamp(np.float32(-0.5), x, np.float32(0.5)), X)
    eager_and_jit(lambda lax: lambda x: lax.clamp(-0.5, x, 0.5), X)
    eager_and_jit(lambda lax: lambda lo, x, hi: lax.clamp(lo, x, hi), X - 0.3, V, X + 0.3)
    eager_and_jit(lambda lax: lambda x: lax.clamp(np.int32(0), x, np.int32(1)), KEYS)
    eager_and_jit(lambda lax: lambda x: lax.clamp(np.float32(2), x, np.float32(1)), TIES)


def test_clamp_gradient_is_jaxs_at_the_bounds():
    lo, hi = np.ones_like(TIES), np.full_like(TIES, 2.0)
    lo[2, 4] = 3.0  # lo > hi
    f = lambda lax, np_: lambda lo, x, hi: np_.sum(lax.clamp(lo, x, hi) * np_.arange(5.0))
    assert_same(fl.grad(f(fl.lax, fnp), (0, 1, 2))(lo, TIES, hi),
                jax.grad(f(jax.lax, jnp), (0, 1, 2))(lo, TIES, hi))
    t = R.standard_normal(TIES.shape).astype(np.float32)
    assert_same(fl.jvp(f(fl.lax, fnp), (lo, TIES, hi), (t, t, t)),
                jax.jvp(f(jax.lax, jnp), (lo, TIES, hi), (t, t, t)))
    # scalar bounds (jax's own rule fails there): the cotangents are summed
    g = fl.grad(lambda lo, x, hi: fnp.sum(fl.lax.clamp(lo, x, hi)), (0, 1, 2))(
        np.float32(1), TIES, np.float32(2))
    assert_same(g[0], np.float32(np.sum(TIES < 1)))
    assert_same(g[1], ((TIES > 1) & (TIES < 2)).astype(np.float32))
    assert_same(g[2], np.float32(np.sum(TIES > 2)))


def test_clamp_under_vmap():
    f = lambda lax: lambda lo, x, hi: lax.clamp(lo, x, hi)
    los = np.array([-1., 0., 0.5], np.float32)
    for in_axes in ((0, 0, None), (None, 0, None), (0, None, 0)):
        args = (los if in_axes[0] == 0 else np.float32(-0.5),
                X if in_axes[1] == 0 else X[0],
                los + 1 if in_axes[2] == 0 else np.float32(1))
        assert_same(fl.vmap(f(fl.lax), in_axes=in_axes)(*args),
                    jax.vmap(f(jax.lax), in_axes=in_axes)(*args))
    h = lambda lax, np_: lambda lo, x: np_.sum(lax.clamp(lo, x, lo + 1.0) ** 2)
    assert_same(fl.vmap(fl.grad(h(fl.lax, fnp), (0, 1)))(X - 0.2, V),
                jax.vmap(jax.grad(h(jax.lax, jnp), (0, 1)))(X - 0.2, V))


@pytest.mark.parametrize("call,match", [
    (lambda: fl.lax.clamp(np.zeros(2, np.float32), X, 1.0), r"min must be a scalar or.*\(3, 5\)"),
    (lambda: fl.lax.clamp(np.float64(0), X, np.float32(1)), r"one dtype.*min is f64"),
    (lambda: fl.lax.clamp(0.5, KEYS, 2),
     r"min=0.5 is a Python float, whose dtype \(float32\) differs.*int32"),
])
def test_clamp_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ------------------------------------------------------------------ square, logistic, erf

UNARY = ["square", "logistic", "erf"]
GRID = np.linspace(-3, 3, 13).astype(np.float32)


@pytest.mark.parametrize("name", UNARY)
def test_unary_matches_jax(name):
    eager_and_jit(lambda lax: getattr(lax, name), GRID, rtol=2e-6)
    eager_and_jit(lambda lax: getattr(lax, name), X, rtol=2e-6)
    with jax.enable_x64(True):
        x64 = GRID.astype(np.float64)
        want = getattr(jax.lax, name)(x64)
        assert_same(getattr(fl.lax, name)(x64), want, rtol=1e-14, atol=1e-15)
        assert_same(fl.jit(getattr(fl.lax, name))(x64), want, rtol=1e-14, atol=1e-15)
    assert_same(fl.vmap(getattr(fl.lax, name))(X), jax.vmap(getattr(jax.lax, name))(X),
                rtol=2e-6)


@pytest.mark.parametrize("name", UNARY)
def test_unary_derivatives_match_jax(name):
    f = lambda lax, np_: lambda x: np_.sum(getattr(lax, name)(x) * np_.cos(x))
    assert_same(fl.grad(f(fl.lax, fnp))(GRID), jax.grad(f(jax.lax, jnp))(GRID), rtol=1e-5)
    h = lambda lax: lambda x: getattr(lax, name)(x)
    for x in (-1.5, 0.0, 0.7):  # second derivatives (erf'' = -2x erf')
        got = fl.grad(fl.grad(h(fl.lax)))(np.float32(x))
        assert_same(got, jax.grad(jax.grad(h(jax.lax)))(np.float32(x)), rtol=1e-5)
    assert_same(fl.vmap(fl.grad(h(fl.lax)))(GRID), jax.vmap(jax.grad(h(jax.lax)))(GRID),
                rtol=1e-5)


def test_erf_low_precision_and_python_scalars():
    for dt in (np.float16, jnp.bfloat16):
        x = GRID.astype(dt)
        assert_same(fl.lax.erf(x), jax.lax.erf(x), rtol=1e-2, atol=1e-2)
    assert_same(fl.lax.erf(0.5), np.float32(jax.lax.erf(0.5)))
    assert_same(fl.lax.logistic(0.5), np.float32(jax.lax.logistic(0.5)))
    assert_same(fl.lax.square(3), np.int32(9))


@pytest.mark.parametrize("name", ["logistic", "erf"])
def test_unary_float_only(name):
    with pytest.raises(TypeError):
        getattr(jax.lax, name)(KEYS)
    with pytest.raises(TypeError, match=fr"{name}: x must be a floating-point array.*i32"):
        getattr(fl.lax, name)(KEYS)
    with pytest.raises(TypeError, match=name):
        fl.jit(getattr(fl.lax, name))(KEYS)


# ----------------------------------------------------------------------------- cumulative ops

CUM = ["cumsum", "cumprod", "cummax", "cummin"]


@pytest.mark.parametrize("name", CUM)
def test_cumulative_default_axis_is_zero(name):
    eager_and_jit(lambda lax: getattr(lax, name), X, rtol=1e-5)


@pytest.mark.parametrize("name", CUM)
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumulative_matches_jax(name, axis, reverse):
    def make(lax):
        return lambda x: getattr(lax, name)(x, axis=axis, reverse=reverse)
    eager_and_jit(make, X, rtol=1e-5)
    eager_and_jit(make, KEYS)
    xs = np.stack([X, V], axis=2)  # batched along the last axis
    assert_same(fl.vmap(make(fl.lax), in_axes=2)(xs), jax.vmap(make(jax.lax), in_axes=2)(xs),
                rtol=1e-5)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin_propagate_nan(name):
    x = np.array([1., np.nan, 2., -1.], np.float32)
    eager_and_jit(lambda lax: lambda x: getattr(lax, name)(x), x)
    eager_and_jit(lambda lax: lambda x: getattr(lax, name)(x, reverse=True), x)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("reverse", [False, True])
def test_cummax_cummin_gradients_match_jax_including_ties(name, reverse):
    w = np.arange(1.0, 8.0, dtype=np.float32)
    xs = [np.array([1., 1., 1., 0., 1., 2., 2.], np.float32),  # ties: JAX splits them
          np.array([3., -1., 4., 1., 5., 9., 2.], np.float32),
          R.standard_normal(7).astype(np.float32)]
    f = lambda lax, np_: lambda x: np_.sum(getattr(lax, name)(x, reverse=reverse) * w)
    # jax's references run under jax.jit, each compiled once: op by op, its prefix scan
    # would compile dozens of tiny programs
    jax_grad = jax.jit(jax.grad(f(jax.lax, jnp)))
    jax_jvp = jax.jit(lambda x, t: jax.jvp(f(jax.lax, jnp), (x,), (t,)))
    t = np.linspace(-1, 1, 7).astype(np.float32)
    for x in xs:
        assert_same(fl.grad(f(fl.lax, fnp))(x), jax_grad(x))
        assert_same(fl.jvp(f(fl.lax, fnp), (x,), (t,)), jax_jvp(x, t))
    g = lambda lax, np_: lambda x: np_.sum(np_.sin(getattr(lax, name)(x, axis=1)))
    want = jax.jit(jax.grad(g(jax.lax, jnp)))(X)
    assert_same(fl.grad(g(fl.lax, fnp))(X), want, rtol=1e-5)
    assert_same(fl.jit(fl.grad(g(fl.lax, fnp)))(X), want, rtol=1e-5)
    xs = np.stack([X, V])
    assert_same(fl.vmap(fl.grad(g(fl.lax, fnp)))(xs),
                jax.jit(jax.vmap(jax.grad(g(jax.lax, jnp))))(xs), rtol=1e-5)


@pytest.mark.parametrize("name", CUM)
def test_cumulative_errors(name):
    with pytest.raises(ValueError):
        getattr(jax.lax, name)(X, axis=-1)
    with pytest.raises(ValueError, match=fr"{name}: axis=-1 .* \(3, 5\).*axis=1"):
        getattr(fl.lax, name)(X, axis=-1)
    with pytest.raises(ValueError, match=r"axis=2 is out of bounds"):
        getattr(fl.lax, name)(X, axis=2)
    with pytest.raises(TypeError, match=fr"{name}: operand must be a number array.*bool"):
        getattr(fl.lax, name)(X > 0)


# ----------------------------------------------------------------------------- top_k

TOPK = np.array([[1., 3., 3., np.nan, -0., 0., 2.], [0., -0., 0., -0., 5., 5., -1.]],
                np.float32)


@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_top_k_matches_jax(k):
    eager_and_jit(lambda lax: lambda x: tuple(lax.top_k(x, k)), TOPK)
    eager_and_jit(lambda lax: lambda x: tuple(lax.top_k(x, k)), KEYS.repeat(2, 1)[:, :7])
    eager_and_jit(lambda lax: lambda x: tuple(lax.top_k(x, min(k, 3), axis=0)), X)
    assert_same(fl.vmap(lambda x: fl.lax.top_k(x, k))(TOPK),
                tuple(jax.vmap(lambda x: jax.lax.top_k(x, k))(TOPK)))


def test_top_k_returns_a_pair_of_values_and_int32_indices():
    vals, idx = fl.lax.top_k(np.array([1., 3., 2., 3.], np.float32), 2)
    np.testing.assert_array_equal(vals, [3., 3.])
    assert idx.dtype == np.int32
    np.testing.assert_array_equal(idx, [1, 3])


def test_top_k_differentiates_in_the_values():
    w = np.array([1., 2., 3.], np.float32)
    f = lambda lax, np_: lambda x: np_.sum(np_.tanh(lax.top_k(x, 3)[0]) * w)
    x = np.array([[1., 3., 3., 0., 2.], [0.5, -1., 4., 4., 4.]], np.float32)
    assert_same(fl.grad(f(fl.lax, fnp))(x), jax.grad(f(jax.lax, jnp))(x), rtol=1e-5)
    assert_same(fl.jit(fl.grad(f(fl.lax, fnp)))(x), jax.grad(f(jax.lax, jnp))(x), rtol=1e-5)
    assert_same(fl.vmap(fl.grad(f(fl.lax, fnp)))(x), jax.vmap(jax.grad(f(jax.lax, jnp)))(x),
                rtol=1e-5)


@pytest.mark.parametrize("call,exc,match", [
    (lambda: fl.lax.top_k(X, 6), ValueError, r"k=6 must lie between 0 and the size 5"),
    (lambda: fl.lax.top_k(X, -1), ValueError, r"k=-1"),
    (lambda: fl.lax.top_k(np.float32(1), 1), ValueError, r"scalar"),
    (lambda: fl.lax.top_k(X, 1.5), TypeError, r"k must be an int"),
    (lambda: fl.jit(lambda x, k: fl.lax.top_k(x, k))(X, 2), TypeError, r"static"),
])
def test_top_k_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ----------------------------------------------------------------------------- reshape

@pytest.mark.parametrize("dims", [None, (0, 1), (1, 0)])
def test_reshape_with_dimensions_matches_jax(dims):
    eager_and_jit(lambda lax: lambda x: lax.reshape(x, (5, 3), dimensions=dims), X)
    eager_and_jit(lambda lax: lambda x: lax.reshape(x, 15, dimensions=dims), X)
    w = np.arange(15.0, dtype=np.float32).reshape(5, 3)
    f = lambda lax, np_: lambda x: np_.sum(lax.reshape(x, (5, 3), dims) ** 2 * w)
    assert_same(fl.grad(f(fl.lax, fnp))(X), jax.grad(f(jax.lax, jnp))(X), rtol=1e-5)
    g = lambda lax: lambda x: lax.reshape(x, (5,), dims if dims is None else (0,))
    assert_same(fl.vmap(g(fl.lax))(X), jax.vmap(g(jax.lax))(X))


@pytest.mark.parametrize("call,match", [
    (lambda: fl.lax.reshape(X, (-1,)), r"non-negative.*\(-1,\).*fnp.reshape"),
    (lambda: fl.lax.reshape(X, (15,), dimensions=(0, 0)), r"permutation.*\(0, 0\).*\(3, 5\)"),
    (lambda: fl.lax.reshape(X, (2, 2)), r"^reshape.*\(2, 2\)"),
])
def test_reshape_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ----------------------------------------------------------------------------- dynamic_slice

M = R.standard_normal((4, 5)).astype(np.float32)


@pytest.mark.parametrize("starts", [[1, 2], [3, 4], [-1, -7]])
@pytest.mark.parametrize("kind", ["numpy", "jax"])
def test_dynamic_slice_accepts_an_array_of_starts(starts, kind):
    st = np.array(starts, np.int32) if kind == "numpy" else jnp.array(starts, jnp.int32)
    u = np.ones((2, 3), np.float32)
    want = jax.lax.dynamic_slice(M, st, (2, 3))
    assert_same(fl.lax.dynamic_slice(M, st, (2, 3)), want)
    assert_same(fl.jit(lambda m, s: fl.lax.dynamic_slice(m, s, (2, 3)))(M, st), want)
    want_u = jax.lax.dynamic_update_slice(M, u, st)
    assert_same(fl.lax.dynamic_update_slice(M, u, st), want_u)
    assert_same(fl.jit(fl.lax.dynamic_update_slice)(M, u, st), want_u)


def test_dynamic_slice_array_starts_batch_and_differentiate():
    starts = np.array([[0, 0], [1, 2], [3, 4], [-1, 1]], np.int32)
    f = lambda lax, np_: lambda m, s: np_.sum(np_.sin(lax.dynamic_slice(m, s, (2, 3))))
    assert_same(fl.vmap(fl.grad(f(fl.lax, fnp)), in_axes=(None, 0))(M, starts),
                jax.vmap(jax.grad(f(jax.lax, jnp)), in_axes=(None, 0))(M, starts), rtol=1e-5)
    s = lambda lax: lambda s: lax.dynamic_slice(M, s, (2, 3))
    assert_same(fl.vmap(s(fl.lax))(starts), jax.vmap(s(jax.lax))(starts))


def test_dynamic_slice_starts_of_bad_rank():
    with pytest.raises(TypeError, match=r"start_indices must be .* 1-D array.*\(1, 2\)"):
        fl.lax.dynamic_slice(M, np.array([[1, 2]]), (2, 3))
    with pytest.raises(TypeError, match=r"one start index and one size per"):
        fl.lax.dynamic_slice(M, np.array([1, 2, 3]), (2, 3))


# ----------------------------------------------------------------------------- pad

@pytest.mark.parametrize("cfg", [[(1, 2, 0), (0, 0, 1)], [(-1, 2, 1), (2, -3, 2)]])
def test_pad_accepts_a_python_padding_value(cfg):
    eager_and_jit(lambda lax: lambda x: lax.pad(x, 0.5, cfg), M)
    eager_and_jit(lambda lax: lambda x: lax.pad(x, 7, cfg), KEYS[:, :4])
    eager_and_jit(lambda lax: lambda x: lax.pad(x, np.float32(-1), cfg), M)
    f = lambda lax, np_: lambda x, v: np_.sum(np_.sin(lax.pad(x, v, cfg)))
    assert_same(fl.grad(f(fl.lax, fnp), (0, 1))(M, np.float32(0.5)),
                jax.grad(f(jax.lax, jnp), (0, 1))(M, np.float32(0.5)), rtol=1e-5)
    g = lambda lax: lambda x: lax.pad(x, 1.5, cfg[1:])
    assert_same(fl.vmap(g(fl.lax))(M), jax.vmap(g(jax.lax))(M))


@pytest.mark.parametrize("call,match", [
    (lambda: fl.lax.pad(KEYS, 0.5, [(1, 0, 0)] * 2), r"padding_value=0.5 .*int32"),
    (lambda: fl.lax.pad(M, np.float64(0), [(1, 0, 0)] * 2), r"padding_value must be .*f64"),
    (lambda: fl.lax.pad(M, 0.0, [(1, 0, 0)]), r"one \(low, high, interior\) triple"),
    (lambda: fl.lax.pad(M, 0.0, [(1, 0), (0, 0)]), r"one \(low, high, interior\) triple"),
])
def test_pad_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ----------------------------------------------------------------------------- second order

def test_second_derivatives_compose_with_jax_references():
    x = np.array([1., 3., 2., 3., 0.5], np.float32)
    def f(lax, np_):
        def g(x):
            return (np_.sum(np_.sin(lax.top_k(x, 3)[0]) ** 2)
                    + np_.sum(lax.erf(x) ** 3 + lax.clamp(0.5, x, 2.5) ** 2)
                    + np_.sum(np_.sin(lax.cummax(x)) ** 2)
                    + np_.sum(np_.sin(lax.sort((x, x * x))[1]) * np_.arange(5.0)))
        return g
    want = jax.jit(jax.hessian(f(jax.lax, jnp)))(x)
    assert_same(fl.hessian(f(fl.lax, fnp))(x), want, rtol=1e-5, atol=1e-5)
    assert_same(fl.jit(fl.hessian(f(fl.lax, fnp)))(x), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("unroll", [None, 1, 2, True, False])
def test_fori_loop_unroll_matches_jax(unroll):
    body = lambda i, x: x * 1.5 + i  # noqa: E731
    want = jax.lax.fori_loop(0, 5, body, np.float32(1.0), unroll=unroll)
    np.testing.assert_allclose(fl.lax.fori_loop(0, 5, body, np.float32(1.0), unroll=unroll),
                               want, rtol=1e-6)
    np.testing.assert_allclose(
        fl.jit(fl.grad(lambda x: fl.lax.fori_loop(0, 5, body, x, unroll=unroll)))(1.0),
        jax.grad(lambda x: jax.lax.fori_loop(0, 5, body, x, unroll=unroll))(1.0), rtol=1e-6)


def test_fori_loop_unroll_needs_static_bounds():
    with pytest.raises(ValueError, match="unroll can be given only with static"):
        fl.jit(lambda n: fl.lax.fori_loop(0, n, lambda i, x: x + 1, 0, unroll=2))(3)
