"""fnp reductions, cumulative ops and sorting against NumPy (values) and jax.numpy (dtypes
and values), under tracing, and the derivative / batching / lowering rules of their
primitives (reduce_max/min/prod/and/or, argmax/argmin, cumsum/cumprod, sort)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ShapedArray, aval_of, eval_jaxpr, trace_flat
from functorch_lite.numpy import reductions as R
from functorch_lite.ops import reductions as ops
from functorch_lite.ops import sorting
from functorch_lite.test_util import check_grads

DTYPES = [np.float32, np.float64, np.int32, np.bool_]
RNG = np.random.default_rng(0)


# ----------------------------------------------------------------------------- strategies

@st.composite
def arrays(draw, dtypes=DTYPES, min_dims=0, max_dims=3, min_side=0, max_side=4):
    dt = np.dtype(draw(st.sampled_from(dtypes)))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                                  max_side=max_side))
    if dt == np.bool_:
        elems = st.booleans()
    elif dt.kind == "i":
        elems = st.integers(-3, 3)
    else:
        elems = st.floats(-2, 2, width=32, allow_subnormal=False)  # XLA flushes subnormals
    return draw(hnp.arrays(dt, shape, elements=elems))


@st.composite
def array_and_axis(draw, dtypes=DTYPES, min_side=0):
    x = draw(arrays(dtypes, min_side=min_side))
    nd = x.ndim
    kind = draw(st.sampled_from(["none", "int", "tuple"] if nd else ["none", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd, nd - 1))
    else:
        axes = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)) if nd else []
        axis = tuple(a - nd if draw(st.booleans()) else a for a in axes)
    return x, axis, draw(st.booleans())


def jax_ref(fn, x, *args, **kw):
    """jax.numpy's answer, in 64-bit mode for float64 inputs (so float64 stays float64)."""
    if np.asarray(x).dtype == np.float64:
        with jax.enable_x64(True):
            return np.asarray(fn(jnp.asarray(x), *args, **kw))
    return np.asarray(fn(jnp.asarray(x), *args, **kw))


def tol(dt):
    return dict(rtol=1e-5, atol=1e-5) if np.dtype(dt) != np.float64 else dict(rtol=1e-12,
                                                                             atol=1e-12)


def traced(f, *args):
    """Trace ``f`` abstractly, then evaluate the jaxpr on ``args``."""
    avals = [ShapedArray(np.shape(a), np.asarray(a).dtype) for a in args]
    jaxpr, consts, _ = trace_flat(lambda *t: [f(*t)], avals)
    return eval_jaxpr(jaxpr, consts, *args)[0]


def check(ours, ref_np, ref_jax, dt_in, check_dtype=True):
    ours = np.asarray(ours)
    if check_dtype:
        assert ours.dtype == ref_jax.dtype, (ours.dtype, ref_jax.dtype)
    assert ours.shape == np.shape(ref_np) == ref_jax.shape
    np.testing.assert_allclose(ours.astype(np.float64), np.asarray(ref_np, np.float64),
                               **tol(dt_in), equal_nan=True)
    np.testing.assert_allclose(ours.astype(np.float64), ref_jax.astype(np.float64),
                               **tol(dt_in), equal_nan=True)


# ----------------------------------------------------------------------------- reductions

@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "all", "any"])
@given(data=array_and_axis())
def test_reductions_match_numpy_and_jax(name, data):
    x, axis, keepdims = data
    ours = getattr(fnp, name)(x, axis=axis, keepdims=keepdims)
    with np.errstate(all="ignore"):
        ref = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    check(ours, ref, jax_ref(getattr(jnp, name), x, axis=axis, keepdims=keepdims), x.dtype)
    np.testing.assert_array_equal(traced(lambda t: getattr(fnp, name)(t, axis=axis,
                                                                      keepdims=keepdims), x),
                                  ours)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@given(data=array_and_axis(min_side=1))
def test_extrema_match_numpy_and_jax(name, data):
    x, axis, keepdims = data
    ours = getattr(fnp, name)(x, axis=axis, keepdims=keepdims)
    ref = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    check(ours, ref, jax_ref(getattr(jnp, name), x, axis=axis, keepdims=keepdims), x.dtype)
    np.testing.assert_array_equal(traced(lambda t: getattr(fnp, name)(t, axis=axis,
                                                                      keepdims=keepdims), x),
                                  ours)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@given(x=arrays(min_side=1, min_dims=1), data=st.data())
def test_argextrema_match_numpy_and_jax(name, x, data):
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    keepdims = data.draw(st.booleans())
    ours = getattr(fnp, name)(x, axis=axis, keepdims=keepdims)
    ref = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    ref_j = np.asarray(getattr(jnp, name)(jnp.asarray(x), axis=axis, keepdims=keepdims))
    assert np.asarray(ours).dtype == np.int32 == ref_j.dtype
    np.testing.assert_array_equal(ours, ref)
    np.testing.assert_array_equal(ours, ref_j)
    np.testing.assert_array_equal(traced(lambda t: getattr(fnp, name)(t, axis=axis,
                                                                      keepdims=keepdims), x),
                                  ours)


@given(data=array_and_axis(dtypes=[np.int32, np.bool_, np.float32, np.float64]))
def test_sum_prod_with_dtype_and_initial(data):
    x, axis, keepdims = data
    for dt in (np.float32, np.int32):
        ours = fnp.sum(x, axis=axis, dtype=dt, keepdims=keepdims, initial=2)
        ref = np.sum(x.astype(dt), axis=axis, keepdims=keepdims, initial=2)
        ref_j = jax_ref(jnp.sum, x, axis=axis, dtype=dt, keepdims=keepdims, initial=2)
        check(ours, ref.astype(dt), ref_j, x.dtype)
    ours = fnp.prod(x, axis=axis, keepdims=keepdims, initial=3)
    # the reference accumulates in the result dtype: int32 products wrap around, as in JAX
    # (NumPy's default would widen to int64)
    check(ours, np.prod(x, axis=axis, keepdims=keepdims, initial=3,
                        dtype=np.asarray(ours).dtype),
          jax_ref(jnp.prod, x, axis=axis, keepdims=keepdims, initial=3), x.dtype)


@pytest.mark.parametrize("dt", [np.int8, np.uint8, np.int16, np.float16, "bfloat16"])
def test_small_dtypes_follow_jax(dt):
    x = np.arange(6).reshape(2, 3).astype(dt)
    for name in ["sum", "prod", "mean", "var", "max", "cumsum", "cumprod"]:
        ours = getattr(fnp, name)(x, axis=1)
        ref = np.asarray(getattr(jnp, name)(jnp.asarray(x), axis=1))
        assert np.asarray(ours).dtype == ref.dtype, name
        np.testing.assert_allclose(np.asarray(ours, np.float64), ref.astype(np.float64),
                                   rtol=1e-2)


def test_var_std_ddof_and_correction():
    x = RNG.standard_normal((4, 5)).astype(np.float32)
    for ddof in (0, 1, 2):
        for name in ("var", "std"):
            ours = getattr(fnp, name)(x, axis=1, ddof=ddof)
            np.testing.assert_allclose(ours, getattr(np, name)(x, axis=1, ddof=ddof), rtol=1e-5)
            assert ours.dtype == np.float32
    np.testing.assert_allclose(fnp.var(x, correction=1), np.var(x, ddof=1), rtol=1e-5)
    # N - ddof <= 0 gives NaN, as in jax.numpy
    assert np.isnan(fnp.var(np.array([1., 2.]), ddof=2))
    assert np.isnan(jnp.var(jnp.array([1., 2.]), ddof=2))
    assert fnp.var(np.arange(4, dtype=np.int32)).dtype == np.float32


def test_mean_of_nothing_is_nan_and_sum_of_nothing_is_zero():
    x = np.zeros((0, 3), np.float32)
    assert np.isnan(fnp.mean(x))
    np.testing.assert_array_equal(fnp.sum(x, axis=0), np.zeros(3))
    np.testing.assert_array_equal(fnp.prod(x, axis=0), np.ones(3))
    np.testing.assert_array_equal(fnp.all(x, axis=0), [True] * 3)
    np.testing.assert_array_equal(fnp.any(x, axis=0), [False] * 3)
    np.testing.assert_array_equal(fnp.max(x, axis=0, initial=-1.0), [-1.0] * 3)


def test_nan_propagation():
    x = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], np.float32)
    for name in ("max", "min", "sum", "mean", "argmax", "argmin"):
        np.testing.assert_array_equal(getattr(fnp, name)(x, axis=1),
                                      np.asarray(getattr(jnp, name)(jnp.asarray(x), axis=1)))


# ----------------------------------------------------------------------------- average

@given(x=arrays(dtypes=[np.float32, np.float64, np.int32], min_dims=1, min_side=1),
       data=st.data())
def test_average_matches_numpy_and_jax(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    full = data.draw(st.booleans())
    wshape = x.shape if full else (x.shape[axis],)
    w = data.draw(hnp.arrays(np.float32, wshape, elements=st.floats(0.5, 2, width=32)))
    keepdims = data.draw(st.booleans())
    ours, wsum = fnp.average(x, axis=axis, weights=w, returned=True, keepdims=keepdims)
    ref, ref_wsum = np.average(x, axis=axis, weights=w, returned=True, keepdims=keepdims)
    with jax.enable_x64(x.dtype == np.float64):  # float64 stays float64, as here
        ref_j, ref_jw = jnp.average(jnp.asarray(x), axis=axis, weights=jnp.asarray(w),
                                    returned=True, keepdims=keepdims)
    assert ours.dtype == ref_j.dtype and wsum.dtype == ref_jw.dtype
    np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(wsum, np.broadcast_to(ref_wsum, np.shape(ref)), rtol=1e-5)
    np.testing.assert_allclose(ours, ref_j, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(traced(lambda t, u: fnp.average(t, axis=axis, weights=u,
                                                               keepdims=keepdims), x, w),
                               ours, rtol=1e-6)


def test_average_without_weights_and_errors():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    avg, n = fnp.average(x, axis=1, returned=True)
    ref, ref_n = jnp.average(jnp.asarray(x), axis=1, returned=True)
    np.testing.assert_allclose(avg, ref)
    np.testing.assert_allclose(n, ref_n)
    assert avg.dtype == ref.dtype and n.dtype == ref_n.dtype
    with pytest.raises(ValueError, match="axis must be specified"):
        fnp.average(x, weights=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="weights of shape"):
        fnp.average(x, axis=0, weights=[1.0, 2.0, 3.0])


# ----------------------------------------------------------------------------- cumulative

@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@given(x=arrays(), data=st.data())
def test_cumulative_match_numpy_and_jax(name, x, data):
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
    ours = getattr(fnp, name)(x, axis=axis)
    ref = getattr(np, name)(x, axis=axis)
    check(ours, ref, jax_ref(getattr(jnp, name), x, axis=axis), x.dtype)
    np.testing.assert_array_equal(traced(lambda t: getattr(fnp, name)(t, axis=axis), x), ours)


def test_cumulative_dtype_argument():
    x = np.array([[1, 2], [3, 4]], np.int32)
    ours = fnp.cumsum(x, axis=0, dtype=np.float32)
    assert ours.dtype == jnp.cumsum(jnp.asarray(x), axis=0, dtype=jnp.float32).dtype
    np.testing.assert_array_equal(ours, [[1, 2], [4, 6]])
    np.testing.assert_array_equal(ops.cumsum(np.array([1., 2., 3.]), 0, reverse=True),
                                  [6., 5., 3.])
    np.testing.assert_array_equal(ops.cumprod(np.array([1., 2., 3.]), 0, reverse=True),
                                  [6., 6., 3.])


@given(x=arrays(min_dims=1), data=st.data())
def test_diff_matches_numpy_and_jax(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    n = data.draw(st.integers(0, 3))
    ours = fnp.diff(x, n=n, axis=axis)
    ref = np.diff(x, n=n, axis=axis)
    check(ours, ref, jax_ref(jnp.diff, x, n=n, axis=axis), x.dtype)
    np.testing.assert_array_equal(traced(lambda t: fnp.diff(t, n=n, axis=axis), x), ours)


def test_diff_prepend_append():
    x = np.arange(5, dtype=np.int32)
    ours = fnp.diff(x, prepend=2.5, append=np.array([1, 2], np.int32))
    ref = jnp.diff(jnp.asarray(x), prepend=2.5, append=jnp.array([1, 2]))
    assert ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, ref)
    y = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(fnp.diff(y, axis=0, prepend=1.0),
                               np.diff(y, axis=0, prepend=1.0))
    with pytest.raises(ValueError, match="at least one dimensional"):
        fnp.diff(np.float32(1.0))
    with pytest.raises(ValueError, match="non-negative"):
        fnp.diff(x, n=-1)


# ----------------------------------------------------------------------------- sorting

@given(x=arrays(), data=st.data())
def test_sort_argsort_match_numpy_and_jax(x, data):
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
    descending = data.draw(st.booleans())
    ours = fnp.sort(x, axis=axis, descending=descending)
    ref = np.sort(x, axis=axis, kind="stable")
    if descending:
        ref = np.flip(ref, axis=-1 if axis is None else axis)
    check(ours, ref, jax_ref(jnp.sort, x, axis=axis, descending=descending), x.dtype)
    idx = fnp.argsort(x, axis=axis, descending=descending)
    ref_j = np.asarray(jnp.argsort(jnp.asarray(x), axis=axis, descending=descending))
    assert np.asarray(idx).dtype == np.int32
    np.testing.assert_array_equal(idx, ref_j)
    if not descending:
        np.testing.assert_array_equal(idx, np.argsort(x, axis=axis, kind="stable"))
    np.testing.assert_array_equal(
        traced(lambda t: fnp.argsort(t, axis=axis, descending=descending), x), idx)
    np.testing.assert_array_equal(
        traced(lambda t: fnp.sort(t, axis=axis, descending=descending), x), ours)


def test_sort_nans_last_and_stable_ties():
    x = np.array([0.0, -0.0, 0.0, np.nan, -1.0, 3.0, -np.nan, -1.0], np.float32)
    np.testing.assert_array_equal(fnp.argsort(x), np.asarray(jnp.argsort(jnp.asarray(x))))
    np.testing.assert_array_equal(fnp.sort(x), np.asarray(jnp.sort(jnp.asarray(x))))
    np.testing.assert_array_equal(fnp.argsort(x, descending=True),
                                  np.asarray(jnp.argsort(jnp.asarray(x), descending=True)))


def test_sort_primitive_multiple_operands():
    keys = np.array([[2, 1, 2, 1], [0, 0, 1, 1]], np.int32)
    second = np.array([[5., 4., 3., 2.], [1., 2., 3., 4.]], np.float32)
    vals = np.arange(8, dtype=np.int32).reshape(2, 4)
    ours = sorting.sort(keys, second, vals, dimension=1, num_keys=2)
    ref = jax.lax.sort((jnp.asarray(keys), jnp.asarray(second), jnp.asarray(vals)),
                       dimension=1, num_keys=2)
    for o, r in zip(ours, ref):
        np.testing.assert_array_equal(o, r)
        assert o.dtype == r.dtype
    # multiple sort keys under jit and vmap
    jitted = fl.jit(lambda a, b, c: sorting.sort(a, b, c, dimension=1, num_keys=2))(
        keys, second, vals)
    for o, r in zip(jitted, ref):
        np.testing.assert_array_equal(o, r)
    vm = fl.vmap(lambda a, b, c: sorting.sort(a, b, c, dimension=0, num_keys=2))(
        keys, second, vals)
    for o, r in zip(vm, ref):
        np.testing.assert_array_equal(o, r)


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize("name", ["sum", "mean", "max", "var", "all", "argmax", "cumsum",
                                  "sort", "argsort", "diff", "prod", "std"])
def test_axis_out_of_range_names_function_axis_and_shape(name):
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(np.exceptions.AxisError) as e:
        getattr(fnp, name)(x, axis=2)
    msg = str(e.value)
    assert name in msg and "axis 2" in msg and "(2, 3)" in msg
    assert isinstance(e.value, ValueError)


def test_other_errors():
    with pytest.raises(ValueError, match="zero-size array"):
        fnp.max(np.zeros((0, 2), np.float32))
    with pytest.raises(ValueError, match="empty sequence"):
        fnp.argmax(np.zeros((2, 0), np.float32), axis=1)
    with pytest.raises(ValueError, match="repeated axis"):
        fnp.sum(np.zeros((2, 3)), axis=(0, -2))
    with pytest.raises(ValueError, match="initial"):  # as jnp: a masked max needs initial=
        fnp.max(np.zeros(3), where=np.ones(3, bool))
    with pytest.raises(TypeError, match="reduce_and"):  # dtype rules are checked when tracing
        fl.make_jaxpr(lambda t: ops.reduce_and(t, (0,)))(np.zeros(3, np.float32))
    with pytest.raises(TypeError, match="one shape"):
        sorting.sort(np.zeros(3), np.zeros(4))


def test_lists_and_scalars_accepted():
    assert fnp.sum([1, 2, 3]).dtype == np.int32
    assert fnp.mean([1.0, 2.0]).dtype == np.float32
    assert fnp.max(3.0) == 3.0
    np.testing.assert_array_equal(fnp.sort([[3, 1], [0, -2]]), [[1, 3], [-2, 0]])


# ----------------------------------------------------------------------------- derivatives

def _rand(*shape):
    return RNG.standard_normal(shape)


GRAD_CASES = {
    "sum": lambda x: fnp.sum(x * x, axis=1),
    "mean": lambda x: fnp.mean(fnp.sin(x), axis=(0, 2)),
    "prod": lambda x: fnp.prod(x, axis=1),
    "prod_all": lambda x: fnp.prod(x),
    "max": lambda x: fnp.max(x * x, axis=2),
    "min": lambda x: fnp.min(fnp.sin(x), axis=(0, 1), keepdims=True),
    "var": lambda x: fnp.var(x, axis=1),
    "std": lambda x: fnp.std(x, axis=2, ddof=1),
    "cumsum": lambda x: fnp.cumsum(x * x, axis=1),
    "cumprod": lambda x: fnp.cumprod(x, axis=2),
    "sort": lambda x: fnp.sort(x * x, axis=1),
    "sort_desc": lambda x: fnp.sort(fnp.sin(x), axis=-1, descending=True),
    "average": lambda x: fnp.average(x, axis=1, weights=np.array([1., 2., 3.])),
    "diff": lambda x: fnp.diff(x * x, axis=2),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_check_grads_order2_both_modes(name):
    x = _rand(2, 3, 4)
    check_grads(GRAD_CASES[name], (x,), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_grads_match_jax(name):
    x = _rand(2, 3, 4)
    f = GRAD_CASES[name]
    u = _rand(*np.shape(f(x)))
    ours = fl.vjp(f, x)[1](u)[0]
    with jax.enable_x64(True):
        jf = _as_jax(name)
        ref = jax.vjp(jf, jnp.asarray(x))[1](jnp.asarray(u))[0]
        t = _rand(*x.shape)
        ref_t = jax.jvp(jf, (jnp.asarray(x),), (jnp.asarray(t),))[1]
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fl.jvp(f, (x,), (t,))[1], ref_t, rtol=1e-9, atol=1e-12)


def _as_jax(name):
    src = {
        "sum": lambda x: jnp.sum(x * x, axis=1),
        "mean": lambda x: jnp.mean(jnp.sin(x), axis=(0, 2)),
        "prod": lambda x: jnp.prod(x, axis=1),
        "prod_all": lambda x: jnp.prod(x),
        "max": lambda x: jnp.max(x * x, axis=2),
        "min": lambda x: jnp.min(jnp.sin(x), axis=(0, 1), keepdims=True),
        "var": lambda x: jnp.var(x, axis=1),
        "std": lambda x: jnp.std(x, axis=2, ddof=1),
        "cumsum": lambda x: jnp.cumsum(x * x, axis=1),
        "cumprod": lambda x: jnp.cumprod(x, axis=2),
        "sort": lambda x: jnp.sort(x * x, axis=1),
        "sort_desc": lambda x: jnp.sort(jnp.sin(x), axis=-1, descending=True),
        "average": lambda x: jnp.average(x, axis=1, weights=jnp.array([1., 2., 3.])),
        "diff": lambda x: jnp.diff(x * x, axis=2),
    }
    return src[name]


def test_max_min_split_ties_evenly_like_jax():
    x = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [0.0, -1.0, 0.0, 5.0, 1.0]], np.float32)
    for ffn, jfn in ((fnp.max, jnp.max), (fnp.min, jnp.min), (fnp.amax, jnp.amax)):
        for axis in (None, 0, 1):
            g = fl.grad(lambda t, ffn=ffn, axis=axis: fnp.sum(ffn(t, axis=axis) * 1.5))(x)
            ref = jax.grad(lambda t, jfn=jfn, axis=axis: jnp.sum(jfn(t, axis=axis) * 1.5))(x)
            np.testing.assert_allclose(g, ref)
            t = np.arange(10, dtype=np.float32).reshape(2, 5)
            _, tan = fl.jvp(lambda t, ffn=ffn, axis=axis: ffn(t, axis=axis), (x,), (t,))
            _, ref_t = jax.jvp(lambda t, jfn=jfn, axis=axis: jfn(t, axis=axis), (x,), (t,))
            np.testing.assert_allclose(tan, ref_t, rtol=1e-6)
    g = fl.grad(fnp.max)(np.array([1.0, 3.0, 3.0, 2.0, 3.0]))
    np.testing.assert_allclose(g, [0, 1 / 3, 1 / 3, 0, 1 / 3])


@pytest.mark.parametrize("x", [
    [0.0, 3.0, 2.0, -1.5],
    [0.0, 3.0, 0.0, -1.5],
    [0.0, 0.0, 0.0, 2.0],
    [1.5, 0.0, 2.0, 0.0, 0.5],
])
def test_prod_derivatives_with_zeros_match_jax(x):
    x = np.array(x)
    with jax.enable_x64(True):
        ref_g = jax.grad(jnp.prod)(jnp.asarray(x))
        ref_h = jax.hessian(jnp.prod)(jnp.asarray(x))
    np.testing.assert_allclose(fl.grad(fnp.prod)(x), ref_g, atol=1e-12)
    np.testing.assert_allclose(fl.hessian(fnp.prod)(x), ref_h, atol=1e-12)
    np.testing.assert_allclose(fl.jacrev(fl.grad(fnp.prod))(x), ref_h, atol=1e-12)
    check_grads(fnp.prod, (x,), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("x", [
    [2.0, 0.0, 3.0, 0.0, 2.0],
    [0.0, 1.5, -2.0, 0.5],
    [1.5, 0.0, 0.0, 0.0, 2.0],
])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumprod_derivatives_with_zeros_match_jax(x, reverse):
    x = np.array(x)

    def f(t):
        return fnp.cumprod(t[::-1])[::-1] if reverse else fnp.cumprod(t)

    def jf(t):
        return jnp.cumprod(t[::-1])[::-1] if reverse else jnp.cumprod(t)

    def fp(t):  # the primitive's own reverse flag
        return ops.cumprod(t, 0, reverse=reverse)

    with jax.enable_x64(True):
        ref_j = jax.jacrev(jf)(jnp.asarray(x))
        ref_h = jax.hessian(lambda t: jnp.sum(jf(t) * jnp.arange(1.0, len(x) + 1)))(
            jnp.asarray(x))
    w = np.arange(1.0, len(x) + 1)
    for fn in (f, fp):
        np.testing.assert_allclose(fl.jacrev(fn)(x), ref_j, atol=1e-12)
        np.testing.assert_allclose(fl.jacfwd(fn)(x), ref_j, atol=1e-12)
        np.testing.assert_allclose(fl.hessian(lambda t, fn=fn: fnp.sum(fn(t) * w))(x), ref_h,
                                   atol=1e-12)
    check_grads(fp, (x,), order=2, modes=("fwd", "rev"))


def test_sort_gradient_unpermutes_the_cotangent():
    x = np.array([[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 4.0, 0.0]])
    w = np.arange(4.0)
    g = fl.grad(lambda t: fnp.sum(fnp.sort(t, axis=1) * w))(x)
    ref = jax.grad(lambda t: jnp.sum(jnp.sort(t, axis=1) * w))(x)
    np.testing.assert_allclose(g, ref)
    keys = np.array([2, 1, 2, 1], np.int32)
    vals = np.array([1.0, 2.0, 3.0, 4.0])

    def carried(v):
        return fnp.sum(sorting.sort(keys, v, dimension=0)[1] * w)
    np.testing.assert_allclose(fl.grad(carried)(vals), [2.0, 0.0, 3.0, 1.0])


def test_non_differentiable_outputs():
    x = _rand(3, 4)
    assert fl.grad(lambda t: fnp.sum(t * fnp.argmax(t, axis=1)[:, None]))(x).shape == x.shape
    assert fl.grad(lambda t: fnp.sum(fnp.where(fnp.all(t > 0, axis=1)[:, None], t, 0.0))
                   if hasattr(fnp, "where") else fnp.sum(t))(x).shape == x.shape
    _, t = fl.jvp(lambda t: fnp.argsort(t, axis=1), (x,), (x,))
    assert t.dtype == jax.dtypes.float0


# ----------------------------------------------------------------------------- vmap and jit

BATCH_CASES = {
    "sum": lambda x: fnp.sum(x, axis=0),
    "max": lambda x: fnp.max(x, axis=(0, 1), keepdims=True),
    "min": lambda x: fnp.min(x, axis=-1),
    "prod": lambda x: fnp.prod(x, axis=1),
    "mean": lambda x: fnp.mean(x),
    "var": lambda x: fnp.var(x, axis=0),
    "argmax": lambda x: fnp.argmax(x, axis=1),
    "argmin": lambda x: fnp.argmin(x),
    "all": lambda x: fnp.all(x > 0, axis=0),
    "any": lambda x: fnp.any(x > 0, axis=(0, 1)),
    "cumsum": lambda x: fnp.cumsum(x, axis=0),
    "cumprod": lambda x: fnp.cumprod(x, axis=1),
    "sort": lambda x: fnp.sort(x, axis=0),
    "argsort": lambda x: fnp.argsort(x, axis=1, descending=True),
    "diff": lambda x: fnp.diff(x, axis=0),
}


def _as_jax_batch(name):
    return {
        "sum": lambda x: jnp.sum(x, axis=0),
        "max": lambda x: jnp.max(x, axis=(0, 1), keepdims=True),
        "min": lambda x: jnp.min(x, axis=-1),
        "prod": lambda x: jnp.prod(x, axis=1),
        "mean": lambda x: jnp.mean(x),
        "var": lambda x: jnp.var(x, axis=0),
        "argmax": lambda x: jnp.argmax(x, axis=1),
        "argmin": lambda x: jnp.argmin(x),
        "all": lambda x: jnp.all(x > 0, axis=0),
        "any": lambda x: jnp.any(x > 0, axis=(0, 1)),
        "cumsum": lambda x: jnp.cumsum(x, axis=0),
        "cumprod": lambda x: jnp.cumprod(x, axis=1),
        "sort": lambda x: jnp.sort(x, axis=0),
        "argsort": lambda x: jnp.argsort(x, axis=1, descending=True),
        "diff": lambda x: jnp.diff(x, axis=0),
    }[name]


@pytest.mark.parametrize("name", sorted(BATCH_CASES))
def test_vmap_and_jit_match_jax(name):
    x = np.round(RNG.standard_normal((3, 4, 5)), 1).astype(np.float32)  # ties included
    f, jf = BATCH_CASES[name], _as_jax_batch(name)
    for in_axes in (0, 1, 2):
        ours = fl.vmap(f, in_axes=in_axes)(x)
        ref = jax.vmap(jf, in_axes=in_axes)(x)
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)
        assert np.asarray(ours).dtype == ref.dtype
    ours = fl.jit(f)(x)
    ref = jax.jit(jf)(x)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["sum", "max", "prod", "var", "cumsum", "cumprod", "sort"])
def test_jit_of_grad_and_vmap_of_grad(name):
    x = RNG.standard_normal((3, 4, 5))

    def loss(t):
        return fnp.sum(fnp.sin(BATCH_CASES[name](t)))

    def jloss(t):
        return jnp.sum(jnp.sin(_as_jax_batch(name)(t)))

    with jax.enable_x64(True):
        ref = jax.grad(jloss)(x)
        ref_v = jax.vmap(jax.grad(jloss))(x)
    np.testing.assert_allclose(fl.jit(fl.grad(loss))(x), ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fl.vmap(fl.grad(loss))(x), ref_v, rtol=1e-9, atol=1e-12)


def test_lowered_primitives_keep_dtypes():
    x = np.array([[1, 5, 5], [3, 2, 0]], np.int32)
    b = x > 2
    assert fl.jit(lambda t: ops.reduce_max(t, (1,)))(x).dtype == np.int32
    assert fl.jit(lambda t: ops.reduce_and(t, (0,)))(b).dtype == np.bool_
    assert fl.jit(lambda t: ops.argmax(t, 1))(x).dtype == np.int32
    np.testing.assert_array_equal(fl.jit(lambda t: ops.argmax(t, 1))(x), [1, 0])
    np.testing.assert_array_equal(fl.jit(lambda t: ops.reduce_prod(t, (0, 1)))(x), 0)
    assert aval_of(fl.jit(lambda t: ops.cumprod(t, 1, reverse=True))(x)).dtype == np.int32
    np.testing.assert_array_equal(fl.jit(lambda t: ops.cumprod(t, 1, reverse=True))(x),
                                  [[25, 25, 5], [0, 0, 0]])


def test_make_jaxpr_shows_the_primitives():
    text = str(fl.make_jaxpr(lambda t: fnp.argsort(fnp.max(t, axis=0)))(np.ones((2, 3))))
    assert "reduce_max" in text and "sort" in text


def test_reductions_module_exports():
    for name in R.__all__:
        assert getattr(fnp, name) is getattr(R, name)
