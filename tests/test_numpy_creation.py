"""fnp array creation: dtypes against jax.numpy, values against NumPy/jax.numpy, lists
holding traced arrays, the *_like functions and linspace under tracing and
differentiation."""
import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ShapedArray, aval_of, eval_jaxpr, trace_flat
from functorch_lite.numpy import creation as C
from functorch_lite.ops import elementwise as ew
from functorch_lite.ops.reductions import reduce_sum
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(1)


def _total(x):
    return reduce_sum(x, tuple(range(len(x.shape))))


def _same(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    assert isinstance(got, np.ndarray)
    assert got.shape == ref.shape
    assert got.dtype == ref.dtype, (got.dtype, ref.dtype)
    np.testing.assert_array_equal(got, ref)


# ----------------------------------------------------------------------------- array

PY_DATA = [1.0, 3, True, [1.0, 2.0], [1, 2], [True, False], [True, 1], [1, 2.5],
           [[1, 2], [3, 4]], [[1.5], [2.0]], (1, 2.0), [], [[]]]


@pytest.mark.parametrize("data", PY_DATA, ids=[repr(d) for d in PY_DATA])
def test_array_python_data_matches_jax(data):
    for f in (fnp.array, fnp.asarray):
        got = f(data)
        _same(got, jnp.asarray(data))
        assert isinstance(got, np.ndarray)


NP_DATA = [np.arange(3.0), np.arange(3, dtype=np.int64), np.float64(2.5), np.float32(1.5),
           np.ones((2, 2), np.float16), np.array([True]), np.int8(3),
           np.ones(2, ml_dtypes.bfloat16)]


@pytest.mark.parametrize("data", NP_DATA, ids=[f"{np.asarray(d).dtype}{np.shape(d)}"
                                               for d in NP_DATA])
def test_array_numpy_data_keeps_dtype(data):
    got = fnp.array(data)
    with jax.enable_x64(True):
        ref = jnp.asarray(data)
    _same(got, ref)
    assert got.dtype == np.asarray(data).dtype


def test_array_mixed_lists_and_dtype_argument():
    # explicit 64-bit values among Python scalars keep 64 bits; Python scalars are weak
    _same(fnp.array([np.float64(1.0), 2.0]), np.array([1.0, 2.0]))
    _same(fnp.array([np.float16(1.0), 2.0]), np.array([1.0, 2.0], np.float16))
    _same(fnp.array([np.int8(1), 2]), np.array([1, 2], np.int8))
    for dt, ref in [(float, jnp.float32), (int, jnp.int32), (bool, jnp.bool_),
                    (np.float16, jnp.float16), ("float32", jnp.float32)]:
        _same(fnp.array([1, 0], dtype=dt), jnp.array([1, 0], dtype=ref))
    x = fnp.array([0.1, 1e-20], dtype=np.float64)  # no detour through float32
    _same(x, np.array([0.1, 1e-20]))
    _same(fnp.asarray(np.arange(3.0), dtype=np.float32), np.arange(3.0, dtype=np.float32))
    _same(fnp.array(3.0, ndmin=2), np.array([[3.0]], np.float32))
    _same(fnp.array(jnp.arange(3)), np.arange(3, dtype=np.int32))


def test_array_copy_semantics():
    x = np.arange(3.0)
    assert fnp.asarray(x) is x
    y = fnp.array(x)
    assert y is not x and not np.shares_memory(x, y)


def test_array_unsupported_dtype():
    with pytest.raises(TypeError, match="complex"):
        fnp.array([1j])
    with pytest.raises(TypeError, match="not supported"):
        fnp.zeros(2, dtype=np.complex64)


def _trace_eval(f, *args):
    avals = [aval_of(a) for a in args]
    jaxpr, consts, _ = trace_flat(lambda *xs: [f(*xs)], avals)
    return jaxpr, eval_jaxpr(jaxpr, consts, *args)[0]


def test_array_of_tracers_stacks():
    x = np.float32(1.5)
    y = np.arange(3, dtype=np.float32)
    f = lambda x, y: fnp.array([[x, 2.0, x], y])
    jaxpr, out = _trace_eval(f, x, y)
    _same(out, np.array([[1.5, 2.0, 1.5], [0.0, 1.0, 2.0]], np.float32))
    assert jaxpr.outvars[0].aval == ShapedArray((2, 3), np.float32)
    # dtypes: Python scalars weak, an int tracer with a float gives float32
    _, out = _trace_eval(lambda i: fnp.array([i, 2.5]), np.int32(3))
    _same(out, np.array([3.0, 2.5], np.float32))
    _, out = _trace_eval(lambda h: fnp.asarray([h, 2.5]), np.float16(3))
    _same(out, np.array([3.0, 2.5], np.float16))
    _, out = _trace_eval(lambda x: fnp.array([x, x], dtype=np.float64), x)
    _same(out, np.array([1.5, 1.5]))
    _, out = _trace_eval(lambda x: fnp.array(x, ndmin=1), x)
    _same(out, np.array([1.5], np.float32))
    with pytest.raises(ValueError, match="ragged"):
        _trace_eval(lambda x: fnp.array([[x, x], [x]]), x)


def test_array_of_tracers_differentiates():
    f = lambda x, y: _total(fnp.multiply(fnp.array([[x, y], [y, 3.0]]),
                                         np.array([[1.0, 2.0], [3.0, 4.0]])))
    gx, gy = fl.grad(f, argnums=(0, 1))(1.0, 2.0)
    assert (float(gx), float(gy)) == (1.0, 5.0)
    with jax.enable_x64(True):
        ref = jax.grad(lambda x, y: jnp.sum(jnp.array([[x, y], [y, 3.0]]) * jnp.array(
            [[1.0, 2.0], [3.0, 4.0]])), argnums=(0, 1))(np.float64(1.0), np.float64(2.0))
    np.testing.assert_allclose([gx, gy], ref)
    check_grads(lambda x, y: fnp.array([[x, y], [y, 3.0]]), (np.float64(1.0), np.float64(2.0)),
                order=2)
    check_grads(lambda v: fnp.array([v, fnp.multiply(v, v)]), (np.arange(3.0),), order=2)


# ----------------------------------------------------------------------------- filled arrays

def test_zeros_ones_full_empty_match_jax():
    for f in ("zeros", "ones", "empty"):
        for shape in (3, (2, 3), (), [0, 2]):
            for dt in (None, np.int32, float, np.float64, bool):
                got = getattr(fnp, f)(shape, dt)
                with jax.enable_x64(dt is np.float64):
                    ref = getattr(jnp, f)(shape, dt)
                _same(got, ref)
                assert got.flags.writeable
    for fill, dt in [(1, None), (2.5, None), (True, None), (np.float64(2.0), None),
                     (1, np.float32), (np.arange(3), None), ([1.0, 2.0, 3.0], None)]:
        got = fnp.full((2, 3), fill, dt)
        with jax.enable_x64(isinstance(fill, np.generic | np.ndarray)
                            and np.asarray(fill).dtype.itemsize == 8):
            ref = jnp.full((2, 3), jnp.asarray(fill) if isinstance(fill, list) else fill, dt)
        _same(got, ref)


def test_like_functions_match_jax():
    for a in (np.ones((2, 3), np.float32), np.arange(4), [1.0, 2.0], 3, np.float64(1.0),
              np.array([True, False])):
        for dt in (None, np.int32, np.float32):
            for f, args in (("zeros_like", ()), ("ones_like", ()), ("full_like", (7,)),
                            ("empty_like", ())):
                got = getattr(fnp, f)(a, *args, dtype=dt)
                with jax.enable_x64(isinstance(a, np.generic | np.ndarray)
                                    and np.asarray(a).dtype.itemsize == 8):
                    ref = getattr(jnp, f)(jnp.asarray(a), *args, dtype=dt)
                _same(got, ref)
    _same(fnp.zeros_like(np.ones(2), shape=(3, 1)), np.zeros((3, 1)))
    _same(fnp.full_like(np.ones(2, np.int32), 2.7), np.full(2, 2, np.int32))


def test_like_functions_under_tracing():
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    for f, ref in ((fnp.zeros_like, np.zeros_like(x)), (fnp.ones_like, np.ones_like(x)),
                   (lambda x: fnp.full_like(x, 4), np.full_like(x, 4)),
                   (lambda x: fnp.zeros_like(x, dtype=np.int32), np.zeros((2, 3), np.int32))):
        jaxpr, out = _trace_eval(f, x)
        _same(out, ref)
        assert jaxpr.outvars[0].aval.shape == (2, 3)
    # the fill value of full / full_like may be traced (and is differentiable)
    jaxpr, out = _trace_eval(lambda v: fnp.full((2, 2), v), np.float32(3.0))
    _same(out, np.full((2, 2), 3.0, np.float32))
    _, out = _trace_eval(lambda x, v: fnp.full_like(x, v), x, np.float64(3.0))
    _same(out, np.full((2, 3), 3.0, np.float32))
    g = fl.grad(lambda v: _total(fnp.full((2, 3), v)))(np.float32(1.0))
    assert float(g) == 6.0
    g = fl.grad(lambda x: _total(fnp.add(x, fnp.zeros_like(x))))(x)
    _same(g, np.ones_like(x))
    check_grads(lambda v: fnp.full((2, 2), v), (np.float64(0.5),), order=2)
    out = fl.vmap(lambda v: fnp.full((3,), v))(np.arange(2.0))
    _same(out, np.array([[0.0] * 3, [1.0] * 3]))
    out = fl.vmap(fnp.ones_like)(x)
    _same(np.asarray(out), np.ones_like(x))


@given(st.lists(st.integers(0, 4), max_size=3),
       st.sampled_from([None, np.float32, np.float64, np.int32, np.bool_, np.uint8]),
       st.sampled_from(["zeros", "ones", "full"]))
def test_hyp_filled(shape, dt, name):
    args = (shape, 3) if name == "full" else (shape,)
    got = getattr(fnp, name)(*args, dtype=dt)
    ref = getattr(np, name)(*args, dtype=dt or (np.int32 if name == "full" else np.float32))
    _same(got, ref)
    with jax.enable_x64(dt is np.float64):
        spec = jax.eval_shape(lambda: getattr(jnp, name)(*args, dtype=dt))
    assert (got.shape, got.dtype) == (spec.shape, spec.dtype)


# ----------------------------------------------------------------------------- ranges

ARANGE = [(5,), (2, 10, 3), (0, 1, 0.1), (5.0,), (10, 0, -2), (1, 2.5, 0.5), (0.5, 3.7, 0.3),
          (-3, 4), (0,), (3, 1), (0, 10, 3.3)]


@pytest.mark.parametrize("args", ARANGE, ids=[repr(a) for a in ARANGE])
def test_arange_matches_jax(args):
    _same(fnp.arange(*args), jnp.arange(*args))
    _same(fnp.arange(*args, dtype=float), jnp.arange(*args, dtype=float))
    np.testing.assert_allclose(fnp.arange(*args), np.arange(*args), rtol=1e-6)


def test_arange_dtypes():
    with jax.enable_x64(True):
        _same(fnp.arange(np.float64(3.0)), jnp.arange(np.float64(3.0)))
        _same(fnp.arange(0, 1, 0.1, dtype=np.float64), jnp.arange(0, 1, 0.1, dtype=np.float64))
    _same(fnp.arange(5, dtype=np.float32), jnp.arange(5, dtype=np.float32))
    _same(fnp.arange(np.int32(4)), np.arange(4, dtype=np.int32))
    # concrete traced bounds (under grad) are fine; abstract ones are an error
    jaxpr, consts, _ = trace_flat(lambda k: [fnp.arange(k)], [ShapedArray((), np.int32)],
                                  [np.int32(3)])
    _same(eval_jaxpr(jaxpr, consts, np.int32(3))[0], np.arange(3, dtype=np.int32))
    with pytest.raises(fl.ConcretizationTypeError, match="arange"):
        trace_flat(lambda k: [fnp.arange(k)], [ShapedArray((), np.int32)])


LINSPACE = [dict(start=0.0, stop=1.0, num=7), dict(start=2, stop=10, num=5),
            dict(start=0.0, stop=1.0, num=5, endpoint=False), dict(start=1.0, stop=3.0, num=1),
            dict(start=1.0, stop=3.0, num=1, endpoint=False), dict(start=1.0, stop=3.0, num=0),
            dict(start=0, stop=10, num=5, dtype=np.int32), dict(start=-1.0, stop=1.0, num=4,
                                                                 dtype=np.float16),
            dict(start=np.array([0.0, 1.0], np.float32), stop=np.array([[2.0], [4.0]]), num=3),
            dict(start=np.array([0.0, 1.0], np.float32), stop=4.0, num=3, axis=-1),
            dict(start=np.array([0.0, 1.0], np.float32), stop=4.0, num=3, axis=1),
            dict(start=np.float64(0.0), stop=1.0, num=11),
            dict(start=0.0, stop=1.0, num=5, retstep=True),
            dict(start=0.0, stop=np.arange(3.0), num=4, retstep=True)]


@pytest.mark.parametrize("kw", LINSPACE, ids=[repr(sorted(k.items())) for k in LINSPACE])
def test_linspace_matches_jax(kw):
    got = fnp.linspace(**kw)
    x64 = any(np.asarray(v).dtype == np.float64 and isinstance(v, np.ndarray | np.generic)
              for v in kw.values())
    with jax.enable_x64(x64):
        ref = jnp.linspace(**kw)
    ref_np = np.linspace(**kw)
    if kw.get("retstep"):
        got, step = got
        ref, rstep = ref
        ref_np = ref_np[0]
        np.testing.assert_allclose(step, rstep, rtol=1e-6)
        assert np.asarray(step).dtype == rstep.dtype
    assert isinstance(got, np.ndarray)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(got, ref_np, rtol=3e-3, atol=1e-6)


def test_linspace_traced_bounds():
    f = lambda a, b: fnp.linspace(a, b, 5)
    _, out = _trace_eval(f, np.float32(1.0), np.float32(3.0))
    _same(out, fnp.linspace(1.0, 3.0, 5))
    check_grads(lambda a, b: fnp.linspace(a, b, 4), (np.float64(1.0), np.arange(2.0)), order=2)
    check_grads(lambda a, b: fnp.linspace(a, b, 4, endpoint=False, axis=-1),
                (np.arange(2.0), np.float64(3.0)), order=2)
    got = fl.grad(lambda a, b: _total(ew.mul(fnp.linspace(a, b, 6), np.arange(6.0))),
                  argnums=(0, 1))(np.float64(1.0), np.float64(2.0))
    with jax.enable_x64(True):
        ref = jax.grad(lambda a, b: jnp.sum(jnp.linspace(a, b, 6) * jnp.arange(6.0)),
                       argnums=(0, 1))(np.float64(1.0), np.float64(2.0))
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    out = fl.vmap(lambda b: fnp.linspace(0.0, b, 3))(np.array([1.0, 2.0], np.float32))
    _same(np.asarray(out), np.array([[0, 0.5, 1], [0, 1, 2]], np.float32))
    with pytest.raises(ValueError, match="non-negative"):
        fnp.linspace(0.0, 1.0, -1)


def test_eye_identity_match_jax():
    for args in [(3,), (2, 4), (4, 2, 1), (3, 3, -2), (3, None, 5), (0,)]:
        for dt in (None, np.int32, bool):
            _same(fnp.eye(*args, dtype=dt), jnp.eye(*args, dtype=dt))
    _same(fnp.identity(2), jnp.identity(2))
    with jax.enable_x64(True):
        _same(fnp.eye(2, dtype=np.float64), jnp.eye(2, dtype=np.float64))


def test_shape_arguments_checked():
    with pytest.raises(ValueError, match="negative dimensions"):
        fnp.zeros((2, -1))
    with pytest.raises(TypeError, match="shape"):
        fnp.ones("abc")
    with pytest.raises(TypeError, match="static"):
        trace_flat(lambda n: [fnp.zeros(n)], [ShapedArray((), np.int32)])


def test_exports():
    for name in C.__all__:
        assert getattr(fnp, name) is getattr(C, name)
