"""Elementwise fnp functions: values against NumPy, dtypes and values against jax.numpy
(hypothesis over shapes, broadcasting, dtypes and Python scalars), tracing, and derivatives
(check_grads to order 2 in both modes, and JAX's conventions at kinks and guarded points)."""
import contextlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ShapedArray, eval_jaxpr, trace_flat
from functorch_lite.test_util import check_grads

F32, F64, I32, B = np.float32, np.float64, np.int32, np.bool_
FLOATS = (F32, F64)
NUMS = (F32, F64, I32)
ALL = (F32, F64, I32, B)
SETTINGS = settings(max_examples=8, deadline=None, derandomize=True)

# name -> (domain per argument, dtypes accepted, differentiable)
# domains: real (-3, 3), pos (0.2, 3), unit (-0.9, 0.9), ge1 (1.1, 3), nz (+-[0.5, 3]),
#          small (-1.2, 1.2), exp (0 .. 4, integer-valued for ints), special (with nan/inf)
UNARY = {
    "negative": ("real", NUMS, True), "positive": ("real", ALL, True),
    "reciprocal": ("nz", NUMS, True), "square": ("real", ALL, True), "sqrt": ("pos", ALL, True),
    "cbrt": ("nz", NUMS, True), "abs": ("nz", ALL, True), "absolute": ("nz", ALL, True),
    "sign": ("real", NUMS, False), "exp": ("real", ALL, True), "exp2": ("real", NUMS, True),
    "expm1": ("real", NUMS, True), "log": ("pos", NUMS, True), "log2": ("pos", NUMS, True),
    "log10": ("pos", NUMS, True), "log1p": ("pos", NUMS, True), "sin": ("real", ALL, True),
    "cos": ("real", NUMS, True), "tan": ("small", NUMS, True), "tanh": ("real", NUMS, True),
    "arcsin": ("unit", FLOATS, True), "arccos": ("unit", FLOATS, True),
    "arctan": ("real", NUMS, True), "arcsinh": ("real", NUMS, True),
    "arccosh": ("ge1", NUMS, True), "arctanh": ("unit", FLOATS, True),
    "sinh": ("real", NUMS, True), "cosh": ("real", NUMS, True), "sinc": ("real", NUMS, True),
    "deg2rad": ("real", NUMS, True), "rad2deg": ("real", NUMS, True),
    "degrees": ("real", NUMS, True), "radians": ("real", NUMS, True),
    "floor": ("real", ALL, False), "ceil": ("real", ALL, False), "round": ("real", NUMS, False),
    "rint": ("real", ALL, False), "isnan": ("special", ALL, False),
    "isinf": ("special", ALL, False), "isfinite": ("special", ALL, False),
    "nan_to_num": ("special", ALL, True), "logical_not": ("real", ALL, False),
}
BINARY = {
    "add": (("real", "real"), ALL, True), "subtract": (("real", "real"), NUMS, True),
    "multiply": (("real", "real"), ALL, True), "divide": (("real", "nz"), ALL, True),
    "true_divide": (("real", "nz"), ALL, True), "floor_divide": (("real", "nz"), NUMS, False),
    "mod": (("real", "nz"), NUMS, True), "remainder": (("real", "nz"), NUMS, True),
    "fmod": (("real", "nz"), NUMS, True), "power": (("pos", "exp"), ALL, True),
    "logaddexp": (("real", "real"), NUMS, True), "arctan2": (("real", "nz"), NUMS, True),
    "hypot": (("nz", "nz"), NUMS, True), "maximum": (("real", "real"), ALL, True),
    "minimum": (("real", "real"), ALL, True), "fmax": (("special", "special"), ALL, True),
    "fmin": (("special", "special"), ALL, True),
    "logical_and": (("real", "real"), ALL, False), "logical_or": (("real", "real"), ALL, False),
    "logical_xor": (("real", "real"), ALL, False), "equal": (("real", "real"), ALL, False),
    "not_equal": (("real", "real"), ALL, False), "less": (("real", "real"), ALL, False),
    "less_equal": (("real", "real"), ALL, False), "greater": (("real", "real"), ALL, False),
    "greater_equal": (("real", "real"), ALL, False),
}
NUMPY_NAME = {"abs": "absolute", "degrees": "rad2deg", "radians": "deg2rad"}

# broadcast-compatible shape pairs (few shapes, so jax's per-shape compilations are reused)
SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((2, 3), ()), ((), ())]


def values(rng, domain, shape, dtype):
    """Random values of ``dtype`` in ``domain`` (a float, int or bool array of ``shape``)."""
    dtype = np.dtype(dtype)
    if dtype == B:
        return rng.integers(0, 2, shape).astype(B) | (domain in ("pos", "nz", "ge1"))
    if dtype.kind == "i":
        lo, hi = {"pos": (1, 4), "nz": (1, 4), "ge1": (1, 4), "exp": (0, 5)}.get(domain, (-4, 5))
        v = rng.integers(lo, hi, shape)
        if domain == "nz":
            v = v * rng.choice([-1, 1], shape)
        return v.astype(dtype)
    lo, hi = {"real": (-3, 3), "pos": (0.2, 3), "unit": (-0.9, 0.9), "ge1": (1.1, 3),
              "nz": (0.5, 3), "small": (-1.2, 1.2), "exp": (-2, 2), "special": (-3, 3)}[domain]
    v = rng.uniform(lo, hi, shape)
    if domain == "nz":
        v = v * rng.choice([-1, 1], shape)
    if domain == "special" and v.size:
        flat = v.reshape(-1)
        flat[rng.integers(0, 4, flat.size) == 0] = np.nan
        flat[rng.integers(0, 5, flat.size) == 0] = np.inf
        flat[rng.integers(0, 5, flat.size) == 0] = -np.inf
    return np.asarray(v, dtype)


def as_python_scalar(a):
    """The array ``a`` (0-d) as the Python scalar of its kind: a weakly typed operand."""
    return {"f": float, "i": int, "b": bool}[a.dtype.kind](a)


def jax_mode(args):
    """jax in 64-bit mode when a float64 array is involved (else jax would truncate it)."""
    use64 = any(isinstance(a, np.ndarray) and a.dtype == F64 for a in args)
    return jax.enable_x64(True) if use64 else contextlib.nullcontext()


def tolerance(dtype, name):
    loose = name in ("tan", "sinh", "cosh", "exp2", "expm1", "sinc", "power", "arccosh",
                     "cbrt", "log10", "log2", "arctanh", "logaddexp", "hypot")
    if np.dtype(dtype) == F64:
        return dict(rtol=1e-9, atol=1e-12)
    return dict(rtol=3e-5 if loose else 2e-6, atol=2e-6)


def check_against_references(name, args):
    ours = getattr(fnp, name)(*args)
    assert isinstance(ours, (np.ndarray, np.generic)), type(ours)
    with jax_mode(args):
        ref = getattr(jnp, name)(*args)
        ref_dtype, ref_val = ref.dtype, np.asarray(ref)
    assert ours.dtype == ref_dtype, (name, [getattr(a, "dtype", type(a)) for a in args])
    assert np.shape(ours) == ref_val.shape
    tol = tolerance(ours.dtype, name)
    np.testing.assert_allclose(np.asarray(ours, np.float64), ref_val.astype(np.float64), **tol)
    # NumPy: in float64 for float results (numpy's own promotion differs from JAX's)
    np_fn = getattr(np, NUMPY_NAME.get(name, name))
    if ours.dtype.kind == "f":
        ref_dtype = ours.dtype if name == "nan_to_num" else F64  # its defaults: finfo.max
        np_args = [np.asarray(a, ref_dtype) for a in args]
        with np.errstate(all="ignore"):
            expect = np_fn(*np_args)
        np.testing.assert_allclose(np.asarray(ours, F64), expect, **tol)
    elif name == "positive" and ours.dtype == B:  # numpy has no bool loop for it
        expect = args[0]
    else:
        with np.errstate(all="ignore"):
            expect = np_fn(*args)
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(expect).astype(ours.dtype))
    return ours


def check_traced(name, args):
    """trace_flat abstractly, then eval_jaxpr: same value, dtype and shape as eagerly."""
    fn = getattr(fnp, name)
    arrays = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def f(*ts):
        full = list(args)
        for i, t in zip(arrays, ts):
            full[i] = t
        return [fn(*full)]
    avals = [ShapedArray(args[i].shape, args[i].dtype) for i in arrays]
    jaxpr, consts, _ = trace_flat(f, avals)
    (out,) = eval_jaxpr(jaxpr, consts, *[args[i] for i in arrays])
    eager = fn(*args)
    assert jaxpr.outvars[0].aval.dtype == np.asarray(eager).dtype
    assert jaxpr.outvars[0].aval.shape == np.shape(eager)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(eager))


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(shape=st.sampled_from([(), (3,), (2, 3)]), data=st.data(), seed=st.integers(0, 2**16))
def test_unary(name, shape, data, seed):
    domain, dtypes, _ = UNARY[name]
    dtype = data.draw(st.sampled_from(dtypes))
    x = values(np.random.default_rng(seed), domain, shape, dtype)
    check_against_references(name, (x,))
    check_traced(name, (x,))


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=st.sampled_from(SHAPES), data=st.data(), seed=st.integers(0, 2**16))
def test_binary(name, shapes, data, seed):
    domains, dtypes, _ = BINARY[name]
    dt1 = data.draw(st.sampled_from(dtypes))
    dt2 = data.draw(st.sampled_from(dtypes))
    if name == "power" and np.dtype(dt2).kind in "ib" and np.dtype(dt1).kind not in "ib":
        dt2 = dt1  # float ** int array: jax keeps the int exponent unpromoted (same values)
    rng = np.random.default_rng(seed)
    args = [values(rng, d, s, t) for d, s, t in zip(domains, shapes, (dt1, dt2))]
    # sometimes one operand is a Python scalar (weakly typed), never both
    which = data.draw(st.sampled_from([None, 0, 1]))
    if which is not None and args[which].shape == ():
        args[which] = as_python_scalar(args[which])
    if name in ("floor_divide", "mod", "remainder", "fmod") and not isinstance(args[1], bool):
        if np.dtype(getattr(args[1], "dtype", type(args[1]))) == B:
            args[1] = np.ones_like(args[1])  # x // False: a division by zero
    check_against_references(name, args)
    check_traced(name, args)


# --------------------------------------------------------------------- dtype rules


@pytest.mark.parametrize("fn, args, dtype", [
    ("multiply", (np.ones(3, F32), 2.0), F32),
    ("multiply", (np.ones(3, I32), 2.0), F32),
    ("multiply", (np.ones(3, I32), 2), I32),
    ("add", (np.ones(3, F32), np.ones(3, F64)), F64),
    ("add", (np.ones(3, I32), np.ones(3, F32)), F32),
    ("add", (np.ones(3, B), np.ones(3, B)), B),
    ("add", (np.ones(3, B), 1), I32),
    ("add", (np.ones(3, np.float16), 1.0), np.float16),
    ("add", ([1.0, 2.0], 1), F32),
    ("sqrt", (np.ones(3, I32),), F32),
    ("sqrt", (np.ones(3, F64),), F64),
    ("sin", (2,), F32),
    ("floor_divide", (np.ones(3, I32), 2), I32),
    ("mod", (np.ones(3, I32), 2), I32),
    ("floor_divide", (np.ones(3, I32), 2.0), F32),
    ("true_divide", (np.ones(3, I32), np.ones(3, I32)), F32),
    ("power", (np.ones(3, I32), 2), I32),
    ("power", (np.ones(3, B), 2), I32),
    ("power", (np.ones(3, I32), 2.5), F32),
    ("power", (np.ones(3, F32), np.ones(3, I32)), F32),
    ("square", (np.ones(3, B),), I32),
    ("less", (np.ones(3, I32), 2.5), B),
    ("where", (np.ones(3, B), np.ones(3, I32), np.ones(3, F32)), F32),
    ("where", (np.ones(3, B), np.ones(3, I32), 2.5), F32),
    ("where", (np.ones(3, I32), 1, 2), I32),
    ("clip", (np.ones(3, I32), 0.5, 2), F32),
    ("clip", (np.ones(3, F32), 0, 1), F32),
    ("rint", (np.ones(3, I32),), F32),
    ("floor", (np.ones(3, I32),), I32),
    ("round", (np.ones(3, I32),), I32),
    ("abs", (np.ones(3, B),), B),
    ("abs", (np.ones(3, np.uint8),), np.uint8),
    ("maximum", (np.ones(3, B), np.zeros(3, B)), B),
    ("nan_to_num", (np.ones(3, I32),), I32),
    ("isinf", (np.ones(3, I32),), B),
    ("logical_and", (np.ones(3, I32), np.ones(3, F32)), B),
    ("reciprocal", (np.ones(3, I32),), F32),
])
def test_result_dtypes_match_jax(fn, args, dtype):
    ours = getattr(fnp, fn)(*args)
    with jax_mode(args):  # jax.numpy takes no lists: give it the array fnp makes of one
        ref = getattr(jnp, fn)(*[np.asarray(a, F32) if isinstance(a, list) else a for a in args])
    assert np.asarray(ours).dtype == np.dtype(dtype) == ref.dtype
    np.testing.assert_allclose(np.asarray(ours, F64), np.asarray(ref, F64))


def test_weak_types_under_tracing():
    def dtypes_of(f, *avals):
        jaxpr, _, _ = trace_flat(lambda *a: [f(*a)], list(avals))
        return jaxpr.outvars[0].aval.dtype
    f32, i32, f64 = ShapedArray((3,), F32), ShapedArray((3,), I32), ShapedArray((3,), F64)
    assert dtypes_of(lambda x: fnp.multiply(x, 2.0), f32) == F32
    assert dtypes_of(lambda x: fnp.multiply(x, 2.0), i32) == F32
    assert dtypes_of(lambda x: fnp.multiply(x, 2), i32) == I32
    assert dtypes_of(lambda x, y: fnp.add(x, y), f32, f64) == F64
    assert dtypes_of(lambda x: fnp.power(x, 2), i32) == I32
    assert dtypes_of(lambda x: fnp.where(x > 0, x, 0.0), f32) == F32
    assert dtypes_of(lambda x: fnp.sqrt(x), i32) == F32


@pytest.mark.parametrize("fn, bad", [("subtract", True), ("negative", True), ("sign", True),
                                     ("round", True)])
def test_bool_rejected_like_jax(fn, bad):
    args = (np.array([True, False]),) * (2 if fn == "subtract" else 1)
    with pytest.raises((TypeError, ValueError)):
        getattr(jnp, fn)(*args)
    with pytest.raises(TypeError, match=fn):
        getattr(fnp, fn)(*args)


def test_integer_negative_power_raises():
    with pytest.raises(TypeError, match="negative powers"):
        fnp.power(np.array([2, 3], I32), -1)
    np.testing.assert_allclose(fnp.power(np.array([2.0, 4.0], F32), -1), [0.5, 0.25])


# --------------------------------------------------------------------- ternary and friends


@SETTINGS
@given(shapes=st.sampled_from([((3,), (3,), (3,)), ((2, 3), (3,), ()), ((2, 1), (1, 3), (3,)),
                               ((), (2, 3), (2, 3))]),
       dts=st.tuples(st.sampled_from(ALL), st.sampled_from(ALL)), seed=st.integers(0, 999))
def test_where(shapes, dts, seed):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 3, shapes[0]).astype(I32)  # non-bool condition means != 0
    x, y = values(rng, "real", shapes[1], dts[0]), values(rng, "real", shapes[2], dts[1])
    ours = fnp.where(c, x, y)
    with jax_mode((x, y)):
        ref = jnp.where(c, x, y)
    assert ours.dtype == ref.dtype
    assert ours.shape == ref.shape == np.where(c, x, y).shape
    np.testing.assert_array_equal(ours, np.asarray(ref))
    check_traced("where", (c, x, y))
    check_traced("where", (c > 0, x, 1.5))


def test_where_single_argument():
    c = np.array([[True, False], [False, True]])
    idx = fnp.where(c)
    for a, b in zip(idx, jnp.where(c)):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    for a, b in zip(fnp.where(c, size=3, fill_value=-1), jnp.where(c, size=3, fill_value=-1)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="three-argument form"):
        fl.make_jaxpr(lambda x: fnp.where(x > 0))(np.ones(3, F32))
    with pytest.raises(ValueError, match="both or neither"):
        fnp.where(c, 1.0)


@pytest.mark.parametrize("default", [0, 2.5, np.float32(-1.0)])
def test_select(default):
    x = np.linspace(-2, 2, 12, dtype=F32).reshape(3, 4)
    conds = [x < -1, x > 1, np.abs(x) < 0.3]
    choices = [x * 10, x - 100, np.int32(7)]
    ours = fnp.select(conds, choices, default)
    ref = jnp.select(conds, choices, default)
    assert ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, np.asarray(ref))
    np.testing.assert_allclose(ours, np.select(conds, choices, default))
    jaxpr, consts, _ = trace_flat(lambda t: [fnp.select([t < -1, t > 1], [t * 10, t], default)],
                                  [ShapedArray(x.shape, F32)])
    np.testing.assert_allclose(eval_jaxpr(jaxpr, consts, x)[0],
                               np.select([x < -1, x > 1], [x * 10, x], default))
    with pytest.raises(ValueError, match="length"):
        fnp.select([x > 0], [x, x])


@pytest.mark.parametrize("lo, hi", [(-1.0, 1.0), (None, 0.5), (-0.5, None), (0, 1),
                                    (np.array([-1.0, 0.0, -2.0], F32), 1.5)])
@pytest.mark.parametrize("dtype", [F32, F64, I32])
def test_clip(lo, hi, dtype):
    x = (np.arange(-6, 6).reshape(4, 3) / 2).astype(dtype)
    ours = fnp.clip(x, lo, hi)
    with jax_mode((x,)):
        ref = jnp.clip(x, lo, hi)
    assert ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, np.asarray(ref))
    np.testing.assert_allclose(ours, np.clip(x, lo, hi))
    check_traced("clip", (x, lo, hi))


@pytest.mark.parametrize("decimals", [0, 1, 2, -1])
@pytest.mark.parametrize("dtype", [F32, F64, np.float16])
def test_round_decimals(decimals, dtype):
    x = (np.random.default_rng(decimals + 5).uniform(-50, 50, 20)).astype(dtype)
    x[:4] = np.array([0.5, 1.5, 2.5, -0.5], dtype)
    ours = fnp.round(x, decimals)
    with jax_mode((x,)):
        ref = jnp.round(x, decimals)
    assert ours.dtype == ref.dtype == dtype
    np.testing.assert_allclose(np.asarray(ours, F64), np.asarray(ref, F64), rtol=1e-3)
    np.testing.assert_allclose(np.asarray(ours, F64), np.round(x, decimals).astype(F64),
                               rtol=1e-3, atol=10.0 ** -decimals if dtype == np.float16 else 0)
    np.testing.assert_array_equal(fnp.around(x, decimals), ours)


@pytest.mark.parametrize("kw", [{}, {"nan": 1.5}, {"posinf": 9.0, "neginf": -9.0}])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_nan_to_num(kw, dtype):
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0], dtype)
    ours = fnp.nan_to_num(x, **kw)
    with jax_mode((x,)):
        ref = jnp.nan_to_num(x, **kw)
    assert ours.dtype == ref.dtype
    np.testing.assert_array_equal(ours, np.asarray(ref))
    np.testing.assert_array_equal(ours, np.nan_to_num(x, **kw))


def test_special_values():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0], F32)
    for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf"):
        np.testing.assert_array_equal(getattr(fnp, name)(x), getattr(np, name)(x))
    big = np.array([1e30, 3e38, 0.0, np.inf], F32)
    np.testing.assert_allclose(fnp.hypot(big, big), np.asarray(jnp.hypot(big, big)))
    assert np.isfinite(fnp.hypot(big[:1], big[:1])).all()  # no overflow inside
    np.testing.assert_allclose(fnp.logaddexp(np.float32(1e4), np.float32(1e4)), 1e4 + np.log(2))
    ninf = np.array([-np.inf, np.inf, np.nan], F32)
    np.testing.assert_array_equal(fnp.logaddexp(ninf, ninf), np.logaddexp(ninf, ninf))
    np.testing.assert_array_equal(fnp.sinc(np.zeros(2, F32)), [1.0, 1.0])
    np.testing.assert_array_equal(fnp.fmax(ninf, np.float32(1.0)), [1.0, np.inf, 1.0])


def test_integer_division_matches_numpy_signs():
    a = np.arange(-7, 8, dtype=I32)[:, None]
    b = np.array([-3, -2, -1, 1, 2, 3], I32)
    for name in ("floor_divide", "remainder", "fmod"):
        np.testing.assert_array_equal(getattr(fnp, name)(a, b), getattr(np, name)(a, b))
        np.testing.assert_array_equal(getattr(fnp, name)(a, b),
                                      np.asarray(getattr(jnp, name)(a, b)))
    q, r = fnp.divmod(a, b)
    np.testing.assert_array_equal(q * b + r, np.broadcast_to(a, q.shape))
    np.testing.assert_array_equal(fnp.remainder(a, 0), np.asarray(jnp.remainder(a, 0)))
    af = a.astype(F32) + 0.25
    qf, rf = fnp.divmod(af, b.astype(F32))
    np.testing.assert_allclose(qf, np.floor_divide(af, b.astype(F32)))
    np.testing.assert_allclose(rf, np.remainder(af, b.astype(F32)), atol=1e-6)


def test_integer_powers():
    x = np.arange(-3, 4, dtype=I32)[:, None]
    e = np.arange(0, 6, dtype=I32)
    np.testing.assert_array_equal(fnp.power(x, e), np.power(x, e))
    np.testing.assert_array_equal(fnp.power(x, e), np.asarray(jnp.power(x, e)))
    for k in range(-3, 6):
        xf = np.linspace(-2, 2, 9, dtype=F32)
        np.testing.assert_allclose(fnp.power(xf, k), np.asarray(jnp.power(xf, k)), rtol=1e-6)
    assert "integer_pow" in str(fl.make_jaxpr(lambda t: fnp.power(t, 3))(1.0))
    assert "integer_pow" in str(fl.make_jaxpr(lambda t: fnp.square(t))(1.0))


# --------------------------------------------------------------------- derivatives

DIFF_UNARY = sorted(n for n, (_, dts, d) in UNARY.items() if d)
DIFF_BINARY = sorted(n for n, (_, dts, d) in BINARY.items() if d)


def float_args(name, shapes, seed, dtype=F64):
    rng = np.random.default_rng(seed)
    if name in UNARY:
        dom = UNARY[name][0]
        return [values(rng, "real" if dom == "special" else dom, shapes[0], dtype)]
    doms = BINARY[name][0]
    doms = ["real" if d == "special" else "pos" if d == "exp" else d for d in doms]
    args = [values(rng, d, s, dtype) for d, s in zip(doms, shapes)]
    if name in ("mod", "remainder", "fmod"):  # stay away from the jumps: x1 / x2 is
        # at least 0.1 from an integer
        args[0] = np.floor(args[0]) + rng.uniform(0.3, 0.7, np.shape(args[0]))
        args[1] = rng.choice([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0], np.shape(args[1]))
    return [np.asarray(a, dtype) for a in args]


@pytest.mark.parametrize("name", DIFF_UNARY + DIFF_BINARY)
def test_check_grads_order2(name):
    fn = getattr(fnp, name)
    for shapes, seed in [(((3,), (3,)), 1), (((2, 3), (3,)), 2)]:
        args = float_args(name, shapes, seed)
        check_grads(fn, args, order=2, modes=("fwd", "rev"))


def _vjp_ones(f, args):
    out, pullback = f(*args)
    return pullback(np.ones(np.shape(out), np.asarray(out).dtype))


@pytest.mark.parametrize("name", DIFF_UNARY + DIFF_BINARY)
def test_derivatives_match_jax(name):
    args = float_args(name, ((2, 3), (3,)), 3, F32)
    ours = fl.vjp(getattr(fnp, name), *args)
    ref = jax.vjp(getattr(jnp, name), *args)
    for a, b in zip(_vjp_ones(lambda *a: ours, args), _vjp_ones(lambda *a: ref, args)):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)
    tangents = tuple(np.full(np.shape(a), 0.5, F32) for a in args)
    _, t_ours = fl.jvp(getattr(fnp, name), tuple(args), tangents)
    _, t_ref = jax.jvp(getattr(jnp, name), tuple(args), tangents)
    np.testing.assert_allclose(t_ours, np.asarray(t_ref), rtol=1e-4, atol=1e-5)


def test_check_grads_where_clip_select():
    x = np.array([-1.3, 0.4, 2.2], F64)
    y = np.array([0.7, -0.2, 1.1], F64)
    check_grads(lambda a, b: fnp.where(a > 0, a * b, fnp.sin(b)), (x, y), order=2)
    check_grads(lambda a: fnp.clip(a, -1.0, 1.0), (x,), order=2)
    check_grads(lambda a, b: fnp.select([a < 0, a > 2], [a * b, b], a), (x, y), order=2)


def grad_(f, *args, argnums=0):
    return np.asarray(fl.grad(f, argnums=argnums)(*args))


@pytest.mark.parametrize("fn", ["maximum", "minimum"])
def test_max_min_ties_split_gradient(fn):
    f = getattr(fnp, fn)
    for argnums in (0, 1):
        assert grad_(f, 1.5, 1.5, argnums=argnums) == 0.5
        assert grad_(f, 1.5, 1.5, argnums=argnums) == jax.grad(getattr(jnp, fn), argnums)(1.5, 1.5)
    assert grad_(lambda x: fnp.clip(x, 0.0, 1.0), 1.0) == 0.5 == jax.grad(
        lambda x: jnp.clip(x, 0.0, 1.0))(1.0)
    assert grad_(lambda x: fnp.fmax(x, 1.0), 1.0) == jax.grad(lambda x: jnp.fmax(x, 1.0))(1.0)


def test_abs_derivative_at_zero_is_one_like_jax():
    assert grad_(fnp.abs, 0.0) == 1.0 == float(jax.grad(jnp.abs)(0.0))
    assert grad_(lambda x: abs(x), 0.0) == 1.0
    assert grad_(fnp.abs, -2.0) == -1.0
    assert grad_(fnp.abs, 3.0) == 1.0


def test_guarded_where_has_no_nan_gradient():
    safe_sqrt = lambda x: fnp.where(x > 0, fnp.sqrt(fnp.where(x > 0, x, 1.0)), 0.0)
    safe_log = lambda x: fnp.where(x > 0, fnp.log(fnp.where(x > 0, x, 1.0)), 0.0)
    for f in (safe_sqrt, safe_log):
        assert grad_(f, 0.0) == 0.0
        assert grad_(f, -1.0) == 0.0
        assert grad_(fl.grad(f), 0.0) == 0.0
    np.testing.assert_allclose(grad_(safe_sqrt, 4.0), 0.25)
    jf = lambda x: jnp.where(x > 0, jnp.sqrt(jnp.where(x > 0, x, 1.0)), 0.0)
    assert jax.grad(jf)(0.0) == grad_(safe_sqrt, 0.0)


# JAX differentiates pow(x, y) with a float y as y * x ** (y - 1) everywhere, so the second
# derivative of x ** 1.0 at 0 is 0 * 0 ** -1 = NaN there; ours selects 0 where y == 0 (as
# JAX does for integer exponents): a finite value where JAX has NaN.
NAN_IN_JAX = "nan in jax"


@pytest.mark.parametrize("f_ours, f_jax", [
    (lambda x: x ** 2, lambda x: x ** 2),
    (lambda x: x ** 1, lambda x: x ** 1),
    (lambda x: x ** 0, lambda x: x ** 0),
    (lambda x: x ** 3, lambda x: x ** 3),
    (lambda x: fnp.power(x, 2.0), lambda x: jnp.power(x, 2.0)),
    (lambda x: fnp.power(x, 1.0), NAN_IN_JAX),
    (lambda x: fnp.power(x, 0.5), lambda x: jnp.power(x, 0.5)),
    (lambda x: fnp.square(x), lambda x: jnp.square(x)),
    (lambda x: fnp.power(2.0, x), lambda x: jnp.power(2.0, x)),
    (lambda x: fnp.power(0.0, x + 1.0), lambda x: jnp.power(0.0, x + 1.0)),
])
def test_power_derivatives_at_zero(f_ours, f_jax):
    if f_jax is NAN_IN_JAX:
        assert grad_(f_ours, 0.0) == 1.0
        assert grad_(fl.grad(f_ours), 0.0) == 0.0
        assert np.isnan(jax.grad(jax.grad(lambda x: jnp.power(x, 1.0)))(0.0))
        return
    g, gj = grad_(f_ours, 0.0), jax.grad(f_jax)(0.0)
    np.testing.assert_allclose(g, gj)
    np.testing.assert_allclose(grad_(fl.grad(f_ours), 0.0), jax.grad(jax.grad(f_jax))(0.0))
    np.testing.assert_allclose(grad_(f_ours, 1.5), jax.grad(f_jax)(1.5), rtol=1e-6)


def test_power_gradient_wrt_exponent():
    f = lambda x, y: fnp.power(x, y)
    for x, y in [(2.0, 3.0), (0.0, 2.0), (1.5, 0.0)]:
        for argnums in (0, 1):
            np.testing.assert_allclose(grad_(f, x, y, argnums=argnums),
                                       jax.grad(jnp.power, argnums)(x, y), rtol=1e-6)


def test_smooth_special_points_match_jax():
    cases = [  # (ours, jax's, point, compare second derivatives too)
        (fnp.logaddexp, jnp.logaddexp, (0.7, 0.7), True),
        (fnp.logaddexp, jnp.logaddexp, (-np.inf, 0.3), False),
        (fnp.sinc, jnp.sinc, (0.0,), True),
        (fnp.hypot, jnp.hypot, (3.0, -4.0), True),
        (fnp.remainder, jnp.remainder, (2.0, 0.7), False),
        (fnp.fmod, jnp.fmod, (-2.0, 0.7), False),
        (fnp.floor_divide, jnp.floor_divide, (2.0, 0.7), False),
        (fnp.nan_to_num, jnp.nan_to_num, (1.5,), False),
        (fnp.arctan2, jnp.arctan2, (0.5, -0.25), True),
    ]
    for f, fj, args, second in cases:
        args = tuple(np.float32(a) for a in args)
        for i in range(len(args)):
            np.testing.assert_allclose(grad_(f, *args, argnums=i), jax.grad(fj, i)(*args),
                                       rtol=1e-5)
            if not second:
                continue
            gg = fl.grad(lambda *a, f=f, i=i: fl.grad(f, argnums=i)(*a), argnums=i)(*args)
            ggj = jax.grad(lambda *a, fj=fj, i=i: jax.grad(fj, i)(*a), i)(*args)
            np.testing.assert_allclose(gg, ggj, rtol=1e-4, atol=1e-6)
    # no NaN from inf - inf: (-inf, -inf) is a tie, split 1/2 each (JAX: NaN)
    assert grad_(fnp.logaddexp, -np.inf, -np.inf) == 0.5
    assert grad_(fnp.logaddexp, -np.inf, -np.inf, argnums=1) == 0.5
    for a, b, want in [(np.inf, 1.0, (1.0, 0.0)), (np.inf, np.inf, (1.0, 1.0)),
                       (-np.inf, np.inf, (0.0, 1.0)), (1.0, -np.inf, (1.0, 0.0))]:
        got = fl.grad(fnp.logaddexp, argnums=(0, 1))(np.float32(a), np.float32(b))
        np.testing.assert_array_equal(got, want)
    assert np.isnan(fl.grad(fnp.logaddexp, argnums=(0, 1))(np.float32(np.nan), 1.0)).all()
    assert grad_(fnp.nan_to_num, np.float32(np.nan)) == 0.0


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "rint", "sign", "floor_divide"])
def test_piecewise_constant_zero_gradient(name):
    f = getattr(fnp, name)
    args = (np.float32(1.3),) if name != "floor_divide" else (np.float32(1.3), np.float32(0.4))
    assert grad_(f, *args) == 0.0
