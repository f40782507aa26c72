"""Set operations and unique_*, histograms, polynomials against jax.numpy: values and dtypes
eagerly and under fl.jit (with the static size= where jnp needs it), derivatives against
jax.grad, fl.vmap, and the errors for bad input."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ConcretizationTypeError
from tests.compare import same
from tests.test_numpy_extra_functions import both, grad_both

RNG = np.random.default_rng(1)
A = np.array([5, 1, 3, 1, 9, 3, 7], np.int32)
B = np.array([3, 4, 7, 7, 0], np.int32)
AF = np.array([2.5, -1.0, 2.5, 0.0, 4.0], np.float32)
BF = np.array([0.0, 4.0, 8.0], np.float32)


# ----------------------------------------------------------------------------- sets

@pytest.mark.parametrize("name", ["union1d", "intersect1d", "setdiff1d", "setxor1d"])
def test_set_operations_eager(name):
    for a, b in [(A, B), (A, AF)]:
        same(getattr(fnp, name)(a, b), getattr(jnp, name)(a, b))
    for a, b in [(AF, BF), (A, A[:0]), (A[:0], A[:0]), (A.reshape(7, 1), B), (B, B)]:
        same(getattr(fnp, name)(a, b), numpy_set(name, a, b))


def numpy_set(name, a, b):
    """NumPy's values with jnp's dtype (setdiff1d keeps ar1's, the others promote)."""
    dt = a.dtype if name == "setdiff1d" else np.dtype(jnp.result_type(a, b))
    return getattr(np, name)(a, b).astype(dt)


def padded(full, size, fill):
    """jax.numpy's rule for ``size=``: the first ``size`` results, padded with ``fill``
    (default: the smallest result, 0 when there is none; 0 for setdiff1d)."""
    full = np.asarray(full)
    if fill is None:
        fill = full.min() if full.size else 0
    out = np.full(size, fill, full.dtype)
    out[:min(size, full.size)] = full[:size]
    return out


@pytest.mark.parametrize("name", ["union1d", "intersect1d", "setdiff1d", "setxor1d"])
def test_set_operations_with_size_under_jit(name):
    for a, b in [(A, B), (AF, BF), (B, B)]:
        full = numpy_set(name, a, b)
        for size in (1, 4, 9):
            for fill in (None, -5):
                ours = getattr(fnp, name)(a, b, size=size, fill_value=fill)
                rule_fill = 0 if name == "setdiff1d" and fill is None else fill
                same(ours, padded(full, size, rule_fill))
    both(lambda a, b: getattr(fnp, name)(a, b, size=9),
         lambda a, b: getattr(jnp, name)(a, b, size=9), A, B)
    same(getattr(fnp, name)(AF, BF, size=2, fill_value=1.5),
         getattr(jnp, name)(AF, BF, size=2, fill_value=1.5))
    with pytest.raises(ConcretizationTypeError, match="size"):
        fl.jit(getattr(fnp, name))(A, B)


def test_set_operations_with_nans_as_jax():
    # NaNs: one per input (unique's equal_nan), never equal to each other in setxor1d
    a = np.array([1.0, np.nan, 2.0, np.nan], np.float32)
    b = np.array([np.nan, 2.0, 5.0], np.float32)
    names = ["union1d", "intersect1d", "setdiff1d", "setxor1d"]
    ref = jax.jit(lambda a, b: [getattr(jnp, n)(a, b, size=5) for n in names])(a, b)
    for n, r in zip(names, ref):
        same(getattr(fnp, n)(a, b, size=5), r)
    same(fnp.setxor1d(a, b), np.array([1.0, 5.0, np.nan, np.nan], np.float32))
    same(fnp.setdiff1d(a, b), np.array([1.0, np.nan], np.float32))


def test_intersect1d_return_indices():
    same_tuple(fnp.intersect1d(A, B, return_indices=True),
               jnp.intersect1d(A, B, return_indices=True))
    for a, b in [(AF, BF), (A, A[:0]), (B, A)]:
        v, i1, i2 = np.intersect1d(a, b, return_indices=True)
        same_tuple(fnp.intersect1d(a, b, return_indices=True),
                   (v, i1.astype(np.int32), i2.astype(np.int32)))
    for size, a, b in [(1, AF, BF), (5, A, B)]:
        both(lambda a, b: fnp.intersect1d(a, b, return_indices=True, size=size),
             lambda a, b: jnp.intersect1d(a, b, return_indices=True, size=size), a, b,
             jit=size == 5)


def same_tuple(ours, ref):
    assert len(ours) == len(ref)
    for o, r in zip(ours, ref):
        same(o, r)


def test_set_operation_gradient_flows_to_selected_values():
    # the values are differentiable: the gradient goes to the first copy of each value
    g = fl.grad(lambda a: fnp.sum(fnp.setdiff1d(a, BF) ** 2))(AF)
    r = jax.grad(lambda a: jnp.sum(jnp.setdiff1d(a, BF, size=2) ** 2))(AF)
    same(g, r)


def test_unique_array_api():
    x = np.array([[3, 1, 3], [2, 1, 7]], np.int32)
    same_tuple(fnp.unique_all(x), jnp.unique_all(x))
    same_tuple(fnp.unique_counts(x), [r.astype(np.int32) for r in np.unique_counts(x)])
    same_tuple(fnp.unique_inverse(x), [r.astype(np.int32) for r in np.unique_inverse(x)])
    same(fnp.unique_values(x), jnp.unique_values(x))
    r = fnp.unique_all(x)
    assert r._fields == ("values", "indices", "inverse_indices", "counts")
    nan = np.array([1.0, np.nan, np.nan, 1.0], np.float32)
    same(fnp.unique_values(nan), jnp.unique_values(nan))
    both(lambda x: tuple(fnp.unique_all(x, size=6, fill_value=0)),
         lambda x: tuple(jnp.unique_all(x, size=6, fill_value=0)), x)
    same_tuple(fnp.unique_counts(x, size=3), jnp.unique_counts(x, size=3))
    with pytest.raises(ConcretizationTypeError, match="size"):
        fl.jit(fnp.unique_values)(x)


# ----------------------------------------------------------------------------- histograms

def like_numpy(fn_ours, fn_np, fn_ref, *args, rtol=1e-5):
    """Ours (eager) has jnp's dtypes and shapes (from jax.eval_shape, no compilation) and
    NumPy's values."""
    shapes = jax.tree_util.tree_leaves(jax.eval_shape(fn_ref, *args))
    vals = jax.tree_util.tree_leaves(fn_np(*args))
    ours = jax.tree_util.tree_leaves(fn_ours(*args))
    assert len(ours) == len(shapes) == len(vals)
    for o, sd, v in zip(ours, shapes, vals):
        same(o, np.asarray(v).astype(sd.dtype).reshape(sd.shape), rtol=rtol, atol=1e-6)


DATA = RNG.normal(size=40).astype(np.float32)
W = RNG.uniform(size=40).astype(np.float32)


@pytest.mark.parametrize("kw", [{}, {"bins": 4, "range": (-1.0, 1.0)},
                                {"bins": np.array([-2.0, -0.5, 0.0, 3.0], np.float32)},
                                {"bins": 3, "range": (2.0, 2.0), "density": True}])
def test_histogram(kw):
    # NumPy's values (which jnp's follow) with jnp's dtypes and shapes, to save compilations
    like_numpy(lambda x: fnp.histogram(x, **kw), lambda x: np.histogram(x, **kw),
               lambda x: jnp.histogram(x, **kw), DATA)
    like_numpy(lambda x, w: fnp.histogram(x, weights=w, **kw),
               lambda x, w: np.histogram(x, weights=w, **kw),
               lambda x, w: jnp.histogram(x, weights=w, **kw), DATA, W)
    like_numpy(lambda x: fnp.histogram_bin_edges(x, kw.get("bins", 10), kw.get("range")),
               lambda x: np.histogram_bin_edges(x, kw.get("bins", 10), kw.get("range")),
               lambda x: jnp.histogram_bin_edges(x, kw.get("bins", 10), kw.get("range")), DATA)


def test_histogram_against_jax_under_jit():
    both(lambda x, w: fnp.histogram(x, 7, weights=w, density=True),
         lambda x, w: jnp.histogram(x, 7, weights=w, density=True), DATA, W, rtol=1e-5)
    both(lambda x: fnp.histogram(x, 4, range=(-1.0, 1.0)),
         lambda x: jnp.histogram(x, 4, range=(-1.0, 1.0)), DATA, rtol=1e-5)


def test_histogram_grads_vmap_and_ints():
    grad_both(lambda w: fnp.histogram(DATA, 5, weights=w)[0] * np.arange(5),
              lambda w: jnp.histogram(DATA, 5, weights=w)[0] * jnp.arange(5), W)
    grad_both(lambda w: fnp.histogram(DATA, 5, weights=w, density=True)[0] ** 2,
              lambda w: jnp.histogram(DATA, 5, weights=w, density=True)[0] ** 2, W)
    batch = DATA.reshape(4, 10)
    o = fl.vmap(lambda x: fnp.histogram(x, 3, range=(-2.0, 2.0))[0])(batch)
    r = jax.jit(jax.vmap(lambda x: jnp.histogram(x, 3, range=(-2.0, 2.0))[0]))(batch)
    same(o, r)
    xi = np.array([0, 1, 1, 5, 9], np.int32)
    like_numpy(lambda x: fnp.histogram(x, 3), lambda x: np.histogram(x, 3),
               lambda x: jnp.histogram(x, 3), xi)


def test_histogram_errors():
    with pytest.raises(ValueError, match="weights"):
        fnp.histogram(DATA, weights=W[:3])
    with pytest.raises(NotImplementedError, match="string"):
        fnp.histogram(DATA, bins="auto")
    with pytest.raises(ValueError, match="range"):
        fnp.histogram(DATA, range=(0.0, 1.0, 2.0))
    with pytest.raises(ConcretizationTypeError, match="static"):
        fl.jit(lambda x, b: fnp.histogram(x, b))(DATA, np.int32(3))


def test_histogram2d_and_dd():
    x, y = DATA[:20], DATA[20:]
    for kw in [{}, {"bins": (2, 4)}, {"bins": [np.array([-1.0, 0.0, 1.0], np.float32), 3]},
               {"bins": 2, "range": [(-1, 1), (-2, 1)], "density": True}]:
        like_numpy(lambda x, y: fnp.histogram2d(x, y, **kw),
                   lambda x, y: np.histogram2d(x, y, **kw),
                   lambda x, y: jnp.histogram2d(x, y, **kw), x, y)
    both(lambda x, y, w: fnp.histogram2d(x, y, 3, weights=w),
         lambda x, y, w: jnp.histogram2d(x, y, 3, weights=w), x, y, W[:20], rtol=1e-5)
    s = RNG.normal(size=(30, 3)).astype(np.float32)
    both(lambda s: fnp.histogramdd(s, bins=(2, 3, 2)),
         lambda s: jnp.histogramdd(s, bins=(2, 3, 2)), s)
    both(lambda s, w: fnp.histogramdd(s, bins=2, weights=w, density=True),
         lambda s, w: jnp.histogramdd(s, bins=2, weights=w, density=True), s, W[:30],
         rtol=1e-5)
    grad_both(lambda w: fnp.histogramdd(s, 2, weights=w)[0] * np.arange(8).reshape(2, 2, 2),
              lambda w: jnp.histogramdd(s, 2, weights=w)[0] * jnp.arange(8).reshape(2, 2, 2),
              W[:30])
    with pytest.raises(ValueError, match="one weight for each sample"):
        fnp.histogramdd(s, weights=W)
    with pytest.raises(ValueError, match="one bin specification"):
        fnp.histogramdd(s, bins=(2, 3))


# ----------------------------------------------------------------------------- polynomials

P = np.array([1.5, -2.0, 0.5, 3.0], np.float32)
Q = np.array([2.0, 1.0], np.float32)


def test_polyval():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    both(fnp.polyval, jnp.polyval, P, x, rtol=1e-5)
    both(fnp.polyval, jnp.polyval, np.array([1, 2, 3], np.int32), np.array([2, -1], np.int32))
    both(fnp.polyval, jnp.polyval, np.stack([P, P * 2], 1), x[:1, :2], rtol=1e-5)
    grad_both(fnp.polyval, jnp.polyval, P, x)
    g = fl.grad(fnp.polyval, argnums=1)(P, np.float32(0.7))
    same(g, jax.grad(jnp.polyval, argnums=1)(P, np.float32(0.7)), rtol=1e-5)
    same(fl.vmap(fnp.polyval, (None, 0))(P, x[0]), jax.vmap(jnp.polyval, (None, 0))(P, x[0]),
         rtol=1e-5)


@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul"])
def test_poly_arithmetic(name):
    for a, b in [(P, Q), (Q, P), (np.array([1, 2], np.int32), np.array([3], np.int32))]:
        both(getattr(fnp, name), getattr(jnp, name), a, b, rtol=1e-6)
    grad_both(getattr(fnp, name), getattr(jnp, name), P, Q)


def test_polydiv_polyder_polyint():
    both(fnp.polydiv, jnp.polydiv, P, Q, rtol=1e-5, atol=1e-6)
    both(fnp.polydiv, jnp.polydiv, Q, P, rtol=1e-5, atol=1e-6)
    grad_both(lambda u: fnp.polydiv(u, Q)[0], lambda u: jnp.polydiv(u, Q)[0], P)
    for m in (0, 1, 2, 5):
        both(lambda p: fnp.polyder(p, m), lambda p: jnp.polyder(p, m), P)
        both(lambda p: fnp.polyint(p, m), lambda p: jnp.polyint(p, m), P, rtol=1e-6)
    k = np.array([1.0, 2.0], np.float32)
    both(lambda p: fnp.polyint(p, 2, k=k), lambda p: jnp.polyint(p, 2, k=k), P)
    same(fnp.polyder(np.array([1, 2, 3], np.int32)), jnp.polyder(jnp.array([1, 2, 3])))
    grad_both(lambda p: fnp.polyint(p, 2, k=3.0), lambda p: jnp.polyint(p, 2, k=3.0), P)
    with pytest.raises(ValueError, match="non-negative"):
        fnp.polyder(P, -1)
    with pytest.raises(ValueError, match="length 1 or m"):
        fnp.polyint(P, 2, k=[1.0, 2.0, 3.0])


def test_polyfit():
    x = np.linspace(-1, 2, 12).astype(np.float32)
    y = (2 * x ** 3 - x + 0.5 + 0.01 * RNG.normal(size=12)).astype(np.float32)
    for deg in (0, 3):
        both(lambda x, y: fnp.polyfit(x, y, deg), lambda x, y: jnp.polyfit(x, y, deg), x, y,
             rtol=2e-4, atol=2e-4, jit=deg == 3)
    w = RNG.uniform(0.5, 2, size=12).astype(np.float32)
    both(lambda x, y, w: fnp.polyfit(x, y, 2, w=w), lambda x, y, w: jnp.polyfit(x, y, 2, w=w),
         x, y, w, rtol=2e-4, atol=2e-4, jit=False)
    y2 = np.stack([y, -y], 1)
    both(lambda x, y: fnp.polyfit(x, y, 2), lambda x, y: jnp.polyfit(x, y, 2), x, y2,
         rtol=2e-4, atol=2e-4, jit=False)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    same(fnp.polyfit(x64, y64, 3), np.polyfit(x64, y64, 3), rtol=1e-9, atol=1e-10)
    g = fl.grad(lambda y: fnp.sum(fnp.polyfit(x, y, 2) * np.array([1.0, 2.0, 3.0])))(y)
    r = jax.grad(lambda y: jnp.sum(jnp.polyfit(x, y, 2) * jnp.array([1.0, 2.0, 3.0])))(y)
    same(g, r, rtol=1e-3, atol=1e-4)
    with pytest.raises(TypeError, match="same length"):
        fnp.polyfit(x, y[:3], 1)
    with pytest.raises(ValueError, match="deg >= 0"):
        fnp.polyfit(x, y, -1)
    with pytest.raises(TypeError, match="rcond must be a concrete float"):
        fl.jit(lambda r: fnp.polyfit(x, y, 1, rcond=r))(np.float32(1e-3))
    with pytest.raises(ValueError, match="must exceed order"):
        fnp.polyfit(x[:3], y[:3], 2, cov=True)


def test_polyfit_full_cov_and_rank_deficient_fits_as_jnp():
    x = np.linspace(-1, 2, 12).astype(np.float32)
    y = (2 * x ** 3 - x + 0.5 + 0.01 * RNG.normal(size=12)).astype(np.float32)
    y2 = np.stack([y, -2 * y], 1)
    for kw in ({"full": True}, {"cov": True}, {"cov": "unscaled"}, {"rcond": 1e-2}):
        for yy in (y, y2):
            ours, ref = fnp.polyfit(x, yy, 2, **kw), jnp.polyfit(x, yy, 2, **kw)
            for o, r in zip(*((ours, ref) if isinstance(ours, tuple) else ((ours,), (ref,)))):
                same(o, r, rtol=5e-4, atol=5e-5)
    # rank deficient: equal x values (JAX's minimum-norm coefficients), eager and jit
    xr = np.array([1.0, 1.0, 2.0, 2.0, 2.0], np.float32)
    both(lambda x, y: fnp.polyfit(x, y, 3), lambda x, y: jnp.polyfit(x, y, 3), xr, y[:5],
         rtol=1e-3, atol=1e-4)
    both(lambda y: fnp.polyfit(np.ones(5, np.float32), y, 1),
         lambda y: jnp.polyfit(jnp.ones(5), y, 1), y[:5], rtol=1e-4, atol=1e-5)
    rank = fnp.polyfit(xr, y[:5], 3, full=True)[2]
    assert int(rank) == int(jnp.polyfit(xr, y[:5], 3, full=True)[2]) == 2


def test_poly():
    z = np.array([1.0, -2.0, 0.5], np.float32)
    both(fnp.poly, jnp.poly, z, rtol=1e-6)
    grad_both(fnp.poly, jnp.poly, z)
    same(fnp.poly(np.zeros(0, np.float32)), jnp.poly(jnp.zeros(0)))
    with pytest.raises(NotImplementedError, match="square matrix"):
        fnp.poly(np.eye(2, dtype=np.float32))
