"""The Array API aliases, further elementwise ufuncs (trunc, signbit, copysign, nextafter,
spacing, float_power, ldexp, frexp, modf, heaviside, logaddexp2, gcd, lcm, bit shifts and
counts), closeness/equality predicates and dtype utilities, against jax.numpy: values,
dtypes (weak Python scalars included), shapes and broadcasting, eagerly and under fl.jit;
derivatives against jax.grad / jax.jvp; fl.vmap; and the errors for bad input."""
import contextlib

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import dtypes as core_dtypes

F16, F32, F64 = np.float16, np.float32, np.float64
BF16 = ml_dtypes.bfloat16
I8, I32, I64, U8, U32, U64, B = np.int8, np.int32, np.int64, np.uint8, np.uint32, np.uint64, \
    np.bool_

# --------------------------------------------------------------------- helpers


def jax_mode(args):
    """jax in 64-bit mode when a 64-bit array is involved (else jax would truncate it)."""
    wide = any(isinstance(a, np.ndarray) and a.dtype.itemsize == 8 for a in args)
    return jax.enable_x64(True) if wide else contextlib.nullcontext()


def arr(values, dtype):
    with np.errstate(all="ignore"):
        return np.asarray(np.asarray(values, np.float64) if np.dtype(dtype).kind == "f" or
                          dtype is BF16 else values).astype(dtype)


def tolerance(dtype):
    dtype = np.dtype(dtype)
    if dtype in (np.dtype(F16), np.dtype(BF16)):
        return dict(rtol=1e-2, atol=1e-3)
    if dtype == F64:
        return dict(rtol=1e-12, atol=1e-15)
    return dict(rtol=2e-6, atol=1e-7)


def assert_same(ours, ref, exact=False):
    """Same structure, dtype, shape and values (NaNs equal; signed zeros told apart)."""
    if isinstance(ref, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert_same(o, r, exact)
        return
    ref = np.asarray(ref)
    o = np.asarray(ours)
    assert o.dtype == ref.dtype, (o.dtype, ref.dtype)
    assert o.shape == ref.shape, (o.shape, ref.shape)
    if o.dtype.kind in "iub":
        np.testing.assert_array_equal(o, ref)
        return
    o64, r64 = o.astype(F64), ref.astype(F64)
    if exact:
        np.testing.assert_array_equal(o64, r64)
    else:
        np.testing.assert_allclose(o64, r64, **tolerance(o.dtype))
    zero = r64 == 0
    np.testing.assert_array_equal(np.signbit(o64[zero]), np.signbit(r64[zero]))


def jit_call(fn, args):
    """``fn(*args)`` under fl.jit: arrays are jit arguments, Python scalars are closed over
    (so they stay weakly typed)."""
    idx = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def f(*arrays):
        full = list(args)
        for i, a in zip(idx, arrays):
            full[i] = a
        return fn(*full)
    return fl.jit(f)(*[args[i] for i in idx])


def check(name, *args, exact=False, kwargs=None):
    """fnp.name against jnp.name, eagerly and under fl.jit."""
    kwargs = kwargs or {}
    ours_fn = getattr(fnp, name)
    with jax_mode(args):
        ref = getattr(jnp, name)(*args, **kwargs)
    ref = tuple(np.asarray(r) for r in ref) if isinstance(ref, tuple) else np.asarray(ref)
    eager = ours_fn(*args, **kwargs)
    assert isinstance(eager, (tuple, np.ndarray, np.generic)), type(eager)
    assert_same(eager, ref, exact)
    jitted = jit_call(lambda *a: ours_fn(*a, **kwargs), args)
    if isinstance(jitted, tuple):
        jitted = tuple(np.asarray(j) for j in jitted)
    assert_same(jitted, ref, exact)
    return eager


# no subnormals: XLA on CPU flushes them to zero (test_subnormals checks them against NumPy)
SPECIAL = [-np.inf, -2.5, -1.0, -0.5, -0.0, 0.0, 0.3, 1.0, 1.7, 3.0, 8.0, 0.75, -3.0,
           np.inf, np.nan, -np.nan]
REAL = [-2.5, -1.0, -0.3, -0.0, 0.0, 0.4, 1.0, 2.75]
UNIT = [-0.9, -0.3, -0.0, 0.0, 0.5, 0.99]
INT_VALUES = {I8: [-128, -7, -1, 0, 1, 6, 100, 127], U8: [0, 1, 6, 100, 128, 255],
              I32: [-2**31, -1000, -7, -1, 0, 1, 6, 12345, 2**31 - 1],
              U32: [0, 1, 6, 12345, 2**31, 2**32 - 1], B: [True, False, True]}


def values_for(domain, dtype):
    if np.dtype(dtype).kind in "iub" and dtype is not BF16:
        if domain == "unit":
            return arr([0, 0, 1], dtype) if dtype != B else arr([True, False], B)
        if domain == "ge1":
            return arr([1, 2, 3, 10], dtype)
        return arr(INT_VALUES.get(dtype, INT_VALUES[I32]), dtype)
    return arr({"special": SPECIAL, "real": REAL, "unit": UNIT,
                "ge1": [1.0, 1.5, 3.0, 10.0]}[domain], dtype)


# --------------------------------------------------------------------- unary functions

FLOATS_ALL = (F32, F64, F16, BF16)
UNARY = {
    # name: (domain, dtypes)
    "acos": ("unit", (F32, F64, F16, I32)), "asin": ("unit", (F32, F64, F16)),
    "atanh": ("unit", (F32, F64)), "acosh": ("ge1", (F32, F64, I32)),
    "asinh": ("real", (F32, F64, I32, B)), "atan": ("real", (F32, F64, I32)),
    "fabs": ("special", FLOATS_ALL + (I32, I8, U8, B)),
    "trunc": ("special", FLOATS_ALL + (I32, I8, U8, B)),
    "signbit": ("special", FLOATS_ALL + (I32, I8, U8, U32, B)),
    "spacing": ("real", (F32, F64, F16, I32)),
    "bitwise_invert": ("real", (I8, I32, U8, U32, B)),
    "bitwise_count": ("real", (I8, I32, U8, U32, B)),
    "frexp": ("special", FLOATS_ALL + (I32,)),
    "modf": ("special", (F32, F64, F16, I32)),
    "isreal": ("real", (F32, I32, B)), "iscomplex": ("real", (F32, I32, B)),
}
EXACT = {"fabs", "trunc", "signbit", "spacing", "bitwise_invert", "bitwise_count", "frexp",
         "modf", "copysign", "nextafter", "heaviside", "ldexp"}


@pytest.mark.parametrize("name, dtype", [(n, d) for n, (_, ds) in UNARY.items() for d in ds],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_unary_matches_jax(name, dtype):
    domain, _ = UNARY[name]
    x = values_for(domain, dtype)
    if name == "spacing":  # XLA on CPU flushes subnormal results (see test_subnormals)
        x = x[np.abs(x.astype(F64)) > 1e-3]
    check(name, x, exact=name in EXACT)
    check(name, x.reshape(2, -1) if x.size % 2 == 0 else x[:, None], exact=name in EXACT)


def test_subnormals():
    """Eagerly subnormals are NumPy's (exact); XLA on CPU flushes them to zero, so there
    jax.numpy (and fl.jit) give e.g. frexp(1e-40) == (0.5, -149) and ldexp(1, -140) == 0."""
    x = arr([-1e-40, 1e-40, -3e-39, 1e-45], F32)
    m, e = fnp.frexp(x)
    ref_m, ref_e = np.frexp(x)
    assert_same((m, e), (ref_m, ref_e.astype(I32)), exact=True)
    assert_same(fnp.modf(x), np.modf(x), exact=True)
    assert_same(fnp.ldexp(arr([1.0, -1.5], F32), arr([-140, -130], I32)),
                np.ldexp(arr([1.0, -1.5], F32), arr([-140, -130], I32)), exact=True)
    assert_same(fnp.heaviside(x, np.float32(0.5)), np.heaviside(x, np.float32(0.5)), exact=True)
    assert_same(fnp.copysign(arr([1e-40, 1e-40], F32), arr([-1e-40, 1.0], F32)),
                np.copysign(arr([1e-40, 1e-40], F32), arr([-1e-40, 1.0], F32)), exact=True)
    assert_same(fnp.spacing(arr([0.0, 1e-40, -1e-40], F32)),
                np.spacing(arr([0.0, 1e-40, -1e-40], F32)), exact=True)
    assert fnp.spacing(np.float32(-0.0)) < 0  # as jax.numpy's formula (NumPy: > 0)
    assert_same(fnp.trunc(x), np.trunc(x), exact=True)


def test_signbit_of_signed_zeros_and_nans():
    """The sign bit: -0.0 and a negative NaN count (x < 0 misses both), eagerly and jitted."""
    x = arr([-1e-40, 1e-40, -0.0, 0.0, -np.nan, np.nan], F32)
    expect = [True, False, True, False, True, False]
    np.testing.assert_array_equal(fnp.signbit(x), expect)
    np.testing.assert_array_equal(np.asarray(fl.jit(fnp.signbit)(x)), expect)
    np.testing.assert_array_equal(fnp.signbit(x.astype(BF16)), expect)


@pytest.mark.parametrize("name, x", [
    ("trunc", 2.5), ("trunc", -3), ("signbit", -1), ("signbit", -0.0), ("fabs", -2),
    ("bitwise_count", 7), ("bitwise_count", True), ("frexp", 3), ("modf", -2.25),
    ("spacing", 1.0), ("bitwise_invert", 5), ("acos", 0.5), ("isreal", 2.0)])
def test_unary_python_scalars(name, x):
    """A lone Python scalar: JAX's default dtypes (float32, int32)."""
    check(name, x, exact=name in EXACT)


def test_aliases_are_the_numpy_functions():
    assert (fnp.acos, fnp.acosh, fnp.asin, fnp.asinh, fnp.atan, fnp.atan2, fnp.atanh) == \
        (fnp.arccos, fnp.arccosh, fnp.arcsin, fnp.arcsinh, fnp.arctan, fnp.arctan2, fnp.arctanh)
    assert fnp.bitwise_invert is fnp.invert and fnp.pow is fnp.power


# --------------------------------------------------------------------- binary functions

SHIFTS = {I8: [-1, 0, 1, 3, 7, 8, 9], U8: [0, 1, 3, 7, 8, 9, 200],
          I32: [-1, 0, 1, 5, 31, 32, 33], U32: [0, 1, 5, 31, 32, 33, 4000]}
# (no INT_MIN: jax.numpy's gcd loops forever on it; test_gcd_of_int_min checks ours)
GCD_VALUES = {I8: ([12, -18, 0, 0, 7, -127, 100], [8, 12, 5, 0, -21, 6, 75]),
              U8: ([12, 18, 0, 0, 7, 255, 100], [8, 12, 5, 0, 21, 51, 75]),
              I32: ([12, -18, 0, 0, 7, 1071, -4096], [8, 12, 5, 0, -21, 462, 1024]),
              U32: ([12, 18, 0, 0, 7, 1071, 4096], [8, 12, 5, 0, 21, 462, 1024])}


def binary_cases():
    f = lambda v, d: arr(v, d)  # noqa: E731
    sp = SPECIAL
    sp2 = sp[5:] + sp[:5]
    cases = []
    for d in (F32, F64, F16, BF16):
        cases += [("copysign", f(sp, d), f(sp2, d)), ("nextafter", f(REAL, d), f(REAL[::-1], d)),
                  ("heaviside", f(sp, d), f(sp2, d)), ("logaddexp2", f(sp, d), f(sp2, d))]
    for d in (F32, F64, F16):
        cases += [("atan2", f(REAL, d), f(REAL[::-1], d)),
                  ("float_power", f([0.5, 1.0, 2.0, 3.0, 0.0, -2.0], d),
                   f([-1.5, 0.0, 2.0, 0.5, 3.0, 2.0], d)),
                  ("ldexp", f([0.0, -0.0, np.inf, np.nan, 1.5, -3.0, 0.7, 2.0], d),
                   f([3, -2, 1, 0, 5, -1, 20, -20], I32)),
                  ("isclose", f([1.0, 1.0, np.nan, np.inf, -np.inf, 0.0, 1e-9], d),
                   f([1.0 + 1e-6, 1.1, np.nan, np.inf, np.inf, 1e-9, 0.0], d))]
    cases += [
        ("copysign", f([1, -2, 3], I32), f([-1.0, 1.0, -0.0], F32)),
        ("copysign", f([1, -2, 3], I32), f([-1, 0, 2], I32)),
        ("copysign", f([1, -2, 3], F16), -1.0), ("copysign", 2.0, f([-1, 1], F32)),
        ("float_power", f([1, 2, 3], I32), f([2, 0, 3], I32)),
        ("float_power", f([1, 2, 3], I8), 2), ("float_power", f([1, 2, 3], F16), 0.5),
        ("float_power", f([1.5, 2.0], F64), f([2, 3], I32)),
        ("ldexp", f([1.5, 2.0, 0.25], F32), f([2, -3, 127], I8)),
        ("ldexp", f([1.5, 2.0], F32), f([2, 200], U8)), ("ldexp", f([1, 3], I32), f([2, 3], I32)),
        ("ldexp", f([1.5, 2.0], F16), 3), ("ldexp", f([1.5, 1e-30, 3e38], F32), f([130, 200, -300],
                                                                                  I32)),
        ("ldexp", 3.0, f([1, 2], I32)),
        ("heaviside", f([-1, 0, 2], I32), 0.5), ("heaviside", f([-1.0, 0.0], F16), 0.5),
        ("logaddexp2", f([1, 2], I32), f([3, 2], I32)), ("logaddexp2", f([1.0, 800.0], F32), 1.0),
        ("logaddexp2", f([0.0, 1e4], F64), f([-1e4, 1e4], F64)),
        ("atan2", f([1, -2], I32), 2.0), ("nextafter", f([1, 2], I32), 0.0),
        ("nextafter", f([1.0, 0.0], F32), np.inf),
        ("isclose", f([1, 2, 3], I32), f([1, 2, 4], I32)), ("isclose", f([1.0, 2.0], F16), 1.0),
        ("isclose", f([1.0, 2.0], F64), f([1.0, 2.0 + 1e-12], F32)),
    ]
    for d, counts in SHIFTS.items():
        x = arr(INT_VALUES[d][:len(counts)] if len(INT_VALUES[d]) >= len(counts) else
                (INT_VALUES[d] * 2)[:len(counts)], d)
        c = arr(counts, d)
        for n in ("left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift"):
            cases += [(n, x, c), (n, x, 3)]
    cases += [("left_shift", arr([1, -3], I8), arr([2, 4], U8)),
              ("right_shift", arr([True, False], B), arr([0, 1], I32)),
              ("left_shift", 3, arr([1, 2], I32))]
    for d, (a, b) in GCD_VALUES.items():
        cases += [("gcd", arr(a, d), arr(b, d)), ("lcm", arr(a, d)[:6], arr(b, d)[:6]),
                  ("gcd", arr(a, d), 6), ("lcm", arr(a, d)[:6], 4)]
    cases += [("gcd", arr([12, -18], I8), arr([8, 200], U8)), ("gcd", 12, arr([8, 9], I32)),
              ("lcm", arr([4, 6], I8), arr([6, 10], I32))]
    return cases


def _case_id(case):
    name, *args = case
    return name + "-" + "-".join(a.dtype.name if isinstance(a, np.ndarray) else type(a).__name__
                                 for a in args)


@pytest.mark.parametrize("case", binary_cases(), ids=_case_id)
def test_binary_matches_jax(case):
    name, x1, x2 = case
    check(name, x1, x2, exact=name in EXACT)


@pytest.mark.parametrize("name, x1, x2", [
    ("copysign", arr(REAL[:3], F32).reshape(3, 1), arr([-1.0, 2.0], F32)),
    ("heaviside", arr(REAL[:4], F32).reshape(2, 2, 1), arr([0.5, 1.0, 0.0], F32)),
    ("logaddexp2", arr(REAL[:3], F32).reshape(3, 1), arr([-1.0, 2.0], F32)),
    ("ldexp", arr(REAL[:3], F32).reshape(3, 1), arr([-1, 2], I32)),
    ("ldexp", arr(2.0, F32), arr([[-1, 2]], I32)),
    ("float_power", arr([1.0, 2.0], F32), arr([[1.0], [2.0], [0.5]], F32)),
    ("gcd", arr([[12], [18]], I32), arr([8, 9, 0], I32)),
    ("lcm", arr([[12], [18]], I32), arr([8, 9, 0], I32)),
    ("right_shift", arr([[-16], [16]], I32), arr([0, 1, 2], I32)),
    ("isclose", arr([[1.0], [2.0]], F32), arr([1.0, 2.0], F32)),
    ("nextafter", arr([[1.0], [2.0]], F32), arr([0.0, 3.0], F32)),
])
def test_broadcasting(name, x1, x2):
    check(name, x1, x2, exact=name in EXACT)


@pytest.mark.parametrize("kwargs", [dict(rtol=0.2), dict(atol=0.5), dict(rtol=0.0, atol=0.0),
                                    dict(equal_nan=True), dict(rtol=1e-3, equal_nan=True)])
def test_isclose_allclose_options(kwargs):
    a = arr([1.0, 1.1, np.nan, np.inf, 0.0, -3.0], F32)
    b = arr([1.05, 1.0, np.nan, np.inf, 0.3, -3.0001], F32)
    check("isclose", a, b, kwargs=kwargs)
    check("allclose", a, b, kwargs=kwargs)
    check("allclose", a[:2], a[:2], kwargs=kwargs)
    check("allclose", arr([1, 2], I32), arr([1, 2], I32), kwargs=kwargs)


def test_isclose_traced_tolerances():
    a, b = arr([1.0, 1.3], F32), arr([1.1, 1.0], F32)
    f = fl.jit(lambda a, b, r: fnp.isclose(a, b, rtol=r, atol=0.0))
    for r in (0.05, 0.2, 0.5):
        np.testing.assert_array_equal(np.asarray(f(a, b, np.float32(r))),
                                      jnp.isclose(a, b, rtol=r, atol=0.0))


@pytest.mark.parametrize("a1, a2, equal_nan", [
    (arr([1, 2], I32), arr([1, 2], I32), False), (arr([1, 2], I32), arr([1, 3], I32), False),
    (arr([1, 2], I32), arr([[1, 2]], I32), False), (arr([1.0, np.nan], F32),
                                                     arr([1.0, np.nan], F32), False),
    (arr([1.0, np.nan], F32), arr([1.0, np.nan], F32), True),
    (arr([1.0, 2.0], F32), arr([1, 2], I32), False), (arr(3.0, F32), 3, False),
    (arr([], F32), arr([], F32), False), (arr([1, 2], I8), arr([1, 2], U8), True),
])
def test_array_equal(a1, a2, equal_nan):
    check("array_equal", a1, a2, kwargs=dict(equal_nan=equal_nan))


@pytest.mark.parametrize("a1, a2", [
    (arr([1, 2], I32), arr([[1, 2], [1, 2]], I32)), (arr([1, 2], I32), arr([[1, 2], [1, 3]], I32)),
    (arr([1, 2], I32), arr([1, 2, 3], I32)), (arr(1.0, F32), arr([1.0, 1.0], F32)),
    (arr([1.0], F32), 1.0), (arr([[1.0, np.nan]], F32), arr([1.0, np.nan], F32)),
])
def test_array_equiv(a1, a2):
    if np.broadcast_shapes is not None and _broadcasts(a1, a2):
        check("array_equiv", a1, a2)
    else:  # jax.numpy raises a TypeError here (it catches only ValueError); NumPy says False
        assert_same(fnp.array_equiv(a1, a2), np.array(np.array_equiv(a1, a2)))
        assert_same(jit_call(fnp.array_equiv, (a1, a2)), np.array(False))


def _broadcasts(a1, a2):
    try:
        np.broadcast_shapes(np.shape(a1), np.shape(a2))
        return True
    except ValueError:
        return False


def test_gcd_of_int_min():
    """|INT_MIN| is not representable; the loop runs in the unsigned dtype, so it ends and
    agrees with NumPy (jax.numpy's never ends)."""
    for d in (I8, I32):
        lo = np.iinfo(d).min
        a, b = arr([lo, lo, lo, 6], d), arr([6, 0, lo, lo], d)
        assert_same(fnp.gcd(a, b), np.gcd(a, b))
        assert_same(np.asarray(fl.jit(fnp.gcd)(a, b)), np.gcd(a, b))


def test_lists_are_accepted():
    assert_same(fnp.array_equal([1, 2], [1, 2]), jnp.array_equal(np.array([1, 2]),
                                                                np.array([1, 2])))
    assert_same(fnp.gcd([12, 18], [8, 12]), jnp.gcd(np.array([12, 18], I32),
                                                   np.array([8, 12], I32)))
    assert_same(fnp.copysign([1.0, 2.0], -1.0), jnp.copysign(np.array([1.0, 2.0], F32), -1.0))


# --------------------------------------------------------------------- shape aliases


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_concat(axis):
    xs = [arr(np.arange(6).reshape(2, 3), F32), arr(np.arange(6).reshape(2, 3), I32)]
    if axis == 1 or axis == -1:
        xs[1] = xs[1][:, :2]
    check_list = (lambda *a: fnp.concat(list(a), axis=axis))
    ref = jnp.concat(xs, axis=axis)
    assert_same(check_list(*xs), ref)
    assert_same(jit_call(check_list, xs), ref)


@pytest.mark.parametrize("axes", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_permute_dims(axes):
    x = arr(np.arange(24).reshape(2, 3, 4), F32)
    check("permute_dims", x, kwargs=dict(axes=axes), exact=True)


def test_permute_dims_negative_axes():
    """Negative axes count from the end, as in NumPy (jax.numpy rejects them)."""
    x = arr(np.arange(24).reshape(2, 3, 4), F32)
    assert_same(fnp.permute_dims(x, (-1, 0, 1)), np.transpose(x, (-1, 0, 1)), exact=True)


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3), (1, 2, 3, 5)])
def test_matrix_transpose(shape):
    check("matrix_transpose", arr(np.arange(np.prod(shape)).reshape(shape), F32), exact=True)


# --------------------------------------------------------------------- derivatives


def grads_match(ours, theirs, args, argnums=0, rtol=2e-6):
    g = fl.grad(ours, argnums=argnums)(*args)
    r = jax.grad(theirs, argnums=argnums)(*args)
    for a, b in zip(g if isinstance(g, tuple) else (g,), r if isinstance(r, tuple) else (r,)):
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-6)


GRAD_POINTS = {
    "copysign": [(1.5, -2.0), (-0.7, 3.0), (0.0, -1.0), (0.0, 2.0), (-2.0, -0.0), (2.0, 0.0)],
    "float_power": [(1.5, 2.0), (2.0, -0.5), (0.5, 3.3), (3.0, 0.0)],
    "ldexp": [(1.5, 3), (-0.7, -2), (0.0, 4), (3.0, 0)],
    "heaviside": [(1.5, 0.5), (-2.0, 0.5), (0.0, 0.25), (0.0, 2.0)],
    "logaddexp2": [(1.0, 2.0), (1.0, 1.0), (-3.0, 4.0), (100.0, -100.0), (-np.inf, 2.0)],
    "atan2": [(1.0, 2.0), (-0.5, 0.3)],
}


@pytest.mark.parametrize("name, point", [(n, p) for n, ps in GRAD_POINTS.items() for p in ps])
def test_binary_grads_match_jax(name, point):
    x1, x2 = np.float32(point[0]), point[1]
    x2 = np.int32(x2) if name == "ldexp" else np.float32(x2)
    ours, theirs = getattr(fnp, name), getattr(jnp, name)
    argnums = 0 if name == "ldexp" else (0, 1)
    grads_match(ours, theirs, (x1, x2), argnums)
    # and under jit, and of a broadcast (vector) operand
    gj = fl.jit(fl.grad(ours, argnums=argnums))(x1, x2)
    grads = jax.grad(theirs, argnums=argnums)(x1, x2)
    np.testing.assert_allclose(np.asarray(gj), np.asarray(grads), rtol=1e-6)
    xs = np.full(3, x1, F32)
    grads_match(lambda v, y: fnp.sum(ours(v, y)), lambda v, y: jnp.sum(theirs(v, y)), (xs, x2),
                argnums)


@pytest.mark.parametrize("name, points", [
    ("trunc", [-1.7, -0.2, 0.0, 2.5]), ("fabs", [-1.7, 0.0, 2.5]), ("acos", [-0.5, 0.3]),
    ("asinh", [-1.0, 2.0]), ("atanh", [0.2]), ("acosh", [1.5]), ("asin", [0.1]),
    ("atan", [3.0]),
])
def test_unary_grads_match_jax(name, points):
    for p in points:
        grads_match(getattr(fnp, name), getattr(jnp, name), (np.float32(p),))


@pytest.mark.parametrize("x", [-3.5, -0.3, 0.0, 0.75, 5.0, 1e-30])
def test_frexp_and_modf_derivatives(x):
    x = np.float32(x)
    for i in (0, 1):
        # 2**99 is exact here; XLA's exp2 on CPU is a few ulps off for large arguments
        grads_match(lambda v: fnp.frexp(v)[0] * (i + 1), lambda v: jnp.frexp(v)[0] * (i + 1),
                    (x,), rtol=1e-5)
        grads_match(lambda v: fnp.modf(v)[i], lambda v: jnp.modf(v)[i], (x,))
    t = np.float32(0.5)
    (m, e), (dm, de) = fl.jvp(fnp.frexp, (x,), (t,))
    (rm, re), (rdm, _) = jax.jvp(jnp.frexp, (x,), (t,))
    assert_same((m, e), (np.asarray(rm), np.asarray(re)), exact=True)
    np.testing.assert_allclose(np.asarray(dm), np.asarray(rdm), rtol=1e-5)
    assert np.asarray(de).dtype == jax.dtypes.float0


def test_logaddexp2_second_derivatives():
    for p in [(1.0, 2.0), (0.5, -3.0)]:
        args = tuple(np.float32(v) for v in p)
        ours = fl.hessian(lambda v: fnp.logaddexp2(v[0], v[1]))(np.array(args))
        theirs = jax.hessian(lambda v: jnp.logaddexp2(v[0], v[1]))(np.array(args))
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5, atol=1e-7)


def test_float64_grads_stay_float64():
    g = fl.grad(lambda x: fnp.copysign(x, -1.0) + fnp.float_power(x, 2.0) +
                fnp.logaddexp2(x, 1.0))(np.float64(1.5))
    r = jax.jit(jax.grad(lambda x: jnp.copysign(x, -1.0) + jnp.float_power(x, 2.0) +
                         jnp.logaddexp2(x, 1.0)))
    with jax.enable_x64(True):
        ref = r(np.float64(1.5))
    assert np.asarray(g).dtype == F64 == ref.dtype
    np.testing.assert_allclose(g, ref, rtol=1e-12)


def test_nextafter_and_spacing_are_not_differentiable():
    for f in (lambda x: fnp.nextafter(x, 2.0), fnp.spacing):
        with pytest.raises(NotImplementedError, match="nextafter"):
            fl.grad(f)(np.float32(1.0))


# --------------------------------------------------------------------- vmap


def test_vmap():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3)).astype(F32)
    y = rng.normal(size=(4, 3)).astype(F32)
    i = rng.integers(-50, 50, (4, 3)).astype(I32)
    j = rng.integers(0, 40, (4, 3)).astype(I32)
    cases = [
        (fnp.copysign, jnp.copysign, (x, y), 0), (fnp.heaviside, jnp.heaviside, (x, y), 0),
        (fnp.logaddexp2, jnp.logaddexp2, (x, y), (0, None)),
        (fnp.ldexp, jnp.ldexp, (x, i % 7), 0), (fnp.frexp, jnp.frexp, (x,), 1),
        (fnp.modf, jnp.modf, (x,), 0), (fnp.gcd, jnp.gcd, (i, j), 0),
        (fnp.lcm, jnp.lcm, (i % 13, j), (0, None)),
        (fnp.right_shift, jnp.right_shift, (i, j % 8), (0, None)),
        (fnp.bitwise_count, jnp.bitwise_count, (i,), 1),
        (fnp.signbit, jnp.signbit, (x,), 0), (fnp.trunc, jnp.trunc, (x,), 1),
        (fnp.isclose, jnp.isclose, (x, x + 1e-6), 0),
        (fnp.allclose, jnp.allclose, (x, x + 1e-6), 0),
        (fnp.array_equal, jnp.array_equal, (x, y), 0),
        (fnp.matrix_transpose, jnp.matrix_transpose,
         (rng.normal(size=(4, 2, 3)).astype(F32),), 0),
    ]
    for ours, theirs, args, axes in cases:
        got = fl.vmap(ours, in_axes=axes)(*args)
        ref = jax.vmap(theirs, in_axes=axes)(*args)
        if isinstance(ref, tuple):
            assert_same(tuple(np.asarray(g) for g in got), tuple(np.asarray(r) for r in ref))
        else:
            assert_same(np.asarray(got), np.asarray(ref))


def test_vmap_of_grad():
    x = np.linspace(-2, 2, 5).astype(F32)
    y = np.linspace(1, -1, 5).astype(F32)
    for ours, theirs in [(fnp.copysign, jnp.copysign), (fnp.logaddexp2, jnp.logaddexp2),
                         (fnp.float_power, jnp.float_power)]:
        a = np.abs(x) + 0.5 if ours is fnp.float_power else x
        got = fl.vmap(fl.grad(ours, argnums=(0, 1)))(a, y)
        ref = jax.vmap(jax.grad(theirs, argnums=(0, 1)))(a, y)
        for g, r in zip(got, ref):
            np.testing.assert_allclose(np.asarray(g), np.asarray(r), rtol=1e-6, atol=1e-7)


# --------------------------------------------------------------------- dtype utilities

SUPPORTED = core_dtypes.SUPPORTED
U64_SIGNED = {(U64, I8), (U64, np.int16), (U64, I32), (U64, I64)}


def _unsigned64_with_signed(a, b):
    pair = (np.dtype(a).type, np.dtype(b).type)
    return pair in U64_SIGNED or pair[::-1] in U64_SIGNED


@pytest.mark.parametrize("a", SUPPORTED, ids=str)
def test_promote_types_matches_jax(a):
    for b in SUPPORTED:
        ours = fnp.promote_types(a, b)
        assert isinstance(ours, np.dtype)
        # the library's own arithmetic agrees
        assert ours == fnp.add(np.ones(1, a), np.ones(1, b)).dtype
        if _unsigned64_with_signed(a, b):
            assert ours == F32  # the library's lattice: a weak float of the default width
            continue
        with jax.enable_x64(True):
            assert ours == jnp.promote_types(a, b), (a, b)
        assert fnp.result_type(a, b) == ours == fnp.result_type(np.ones(2, a), np.ones(2, b))


@pytest.mark.parametrize("a", SUPPORTED, ids=str)
def test_weak_python_types_and_scalars(a):
    x = np.ones(2, a)
    for w in (int, float):
        ours = fnp.result_type(x, w(1))
        assert ours == fnp.promote_types(a, w) == fnp.result_type(a, w)
        assert ours == fnp.add(x, w(1)).dtype
        # JAX without x64 agrees except that it shrinks explicit 64-bit dtypes; with x64
        # it agrees on those, except that then a Python float alone would be float64
        wide = np.dtype(a).itemsize == 8 and not (np.dtype(a).kind in "iu" and w is float)
        with jax.enable_x64(wide):
            assert ours == jnp.result_type(x, w(1)), (a, w)


@pytest.mark.parametrize("args, expected", [
    ((1.0,), F32), ((1,), I32), ((True,), B), ((1, 1.0), F32), ((None,), F32),
    ((np.float16, 1.0), F16), ((np.float64,), F64), (("bfloat16", float), BF16),
    ((np.ones(2, np.int8), 300), I8), ((np.ones(2, I32), np.ones(2, F16)), F16),
    ((float,), F32), ((int, np.uint8), U8), ((bool, bool), B), ((np.int64(3), 1), I64),
    ((np.float64, np.int64, np.float32), F64),
])
def test_result_type(args, expected):
    assert fnp.result_type(*args) == np.dtype(expected)


def test_result_type_of_tracers_and_weak_tracers():
    def f(x):
        assert fnp.result_type(x, 2.0) == F16
        assert fnp.result_type(x * 1, np.int8) == F16
        return x
    fl.jit(f)(np.ones(2, F16))
    fl.vmap(f)(np.ones(2, F16))
    fl.grad(lambda x: f(x).sum())(np.ones(2, F16))


def test_can_cast_matches_numpy():
    for a in SUPPORTED:
        for b in SUPPORTED:
            for casting in ("safe", "same_kind", "unsafe", "no", "equiv"):
                assert fnp.can_cast(a, b, casting) == jnp.can_cast(a, b, casting), (a, b)
    assert fnp.can_cast(np.ones(2, F16), F32) and not fnp.can_cast(np.ones(2, F32), F16)
    assert fl.jit(lambda x: fnp.zeros(()) + fnp.can_cast(x, I32))(np.ones(2, I8)) == 1


@pytest.mark.parametrize("d", [F16, BF16, F32, F64])
def test_finfo(d):
    ours, ref = fnp.finfo(d), jnp.finfo(d)
    for attr in ("eps", "max", "min", "tiny", "smallest_normal", "smallest_subnormal",
                 "resolution", "bits", "nmant", "nexp", "maxexp", "minexp", "dtype"):
        assert getattr(ours, attr) == getattr(ref, attr), attr
    assert fnp.finfo(np.ones(2, d)).eps == ref.eps
    assert fnp.finfo(float).dtype == F32  # dtype=float means float32 here, as everywhere


@pytest.mark.parametrize("d", [I8, np.int16, I32, I64, U8, np.uint16, U32, U64])
def test_iinfo(d):
    ours, ref = fnp.iinfo(d), jnp.iinfo(d)
    assert (ours.min, ours.max, ours.bits, ours.dtype) == (ref.min, ref.max, ref.bits, ref.dtype)
    assert fnp.iinfo(np.ones(2, d)).max == ref.max

    def f(x):  # a tracer's dtype counts
        assert fnp.iinfo(x).max == ref.max
        return x
    fl.jit(f)(np.zeros((), d))


HIERARCHY = ["generic", "number", "inexact", "floating", "integer", "signedinteger",
             "unsignedinteger", "bool", "bool_", "float_", "int_", "uint", "single", "double",
             "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
             "uint8", "uint16", "uint32", "uint64"]


def test_scalar_type_names():
    for n in ("generic", "number", "inexact", "floating", "integer", "signedinteger",
              "unsignedinteger", "dtype"):
        assert getattr(fnp, n) is getattr(jnp, n)
    for n in ("bool", "float_", "int_", "uint", "single", "double"):
        assert np.dtype(getattr(fnp, n)) == np.dtype(getattr(jnp, n)), n
    assert fnp.bool is np.bool_ and fnp.dtype("float32") == F32
    # as the other fnp dtype names these are NumPy's types: 64-bit stays 64-bit
    assert fnp.float_(1.5).dtype == F64 and fnp.single(1.5).dtype == F32


@pytest.mark.parametrize("a", HIERARCHY)
def test_issubdtype_matches_jax(a):
    for b in HIERARCHY + ["float", "int"]:
        ta = getattr(fnp, a)
        tb = {"float": float, "int": int}.get(b) or getattr(fnp, b)
        assert fnp.issubdtype(ta, tb) == jnp.issubdtype(getattr(jnp, a), tb if b in (
            "float", "int") else getattr(jnp, b)), (a, b)
    assert fnp.issubdtype(np.dtype(getattr(fnp, a)) if a not in HIERARCHY[:7] else
                          getattr(fnp, a), getattr(fnp, a))


KINDS = ["bool", "signed integer", "unsigned integer", "integral", "real floating",
         "complex floating", "numeric"]


@pytest.mark.parametrize("d", SUPPORTED, ids=str)
def test_isdtype_matches_jax(d):
    for k in KINDS + [F32, I8, BF16, ("bool", "real floating"), (U8, "signed integer")]:
        assert fnp.isdtype(d, k) == jnp.isdtype(d, k), (d, k)


@pytest.mark.parametrize("x", [1, 1.0, True, np.float32(2), np.array(2.0), np.ones(2), [1.0],
                               (1, 2), "a", None, jnp.ones(()), jnp.ones(3), 1j])
def test_type_predicates(x):
    assert fnp.isscalar(x) == jnp.isscalar(x)
    assert fnp.iscomplexobj(x) == jnp.iscomplexobj(x)
    assert fnp.isrealobj(x) == jnp.isrealobj(x)


def test_type_predicates_of_tracers():
    def f(x):
        assert not fnp.isscalar(x) and fnp.isscalar(x.sum())
        assert fnp.isrealobj(x) and not fnp.iscomplexobj(x)
        return fnp.isreal(x), fnp.iscomplex(x)
    r, c = fl.jit(f)(np.ones(3, F32))
    np.testing.assert_array_equal(np.asarray(r), [True] * 3)
    np.testing.assert_array_equal(np.asarray(c), [False] * 3)


# --------------------------------------------------------------------- errors


@pytest.mark.parametrize("call, exc, words", [
    (lambda: fnp.left_shift(np.ones(2, F32), 1), TypeError, ["left_shift", "x1", "float32",
                                                             "astype"]),
    (lambda: fnp.right_shift(np.ones(2, I32), 1.0), TypeError, ["right_shift", "x2", "float32"]),
    (lambda: fnp.bitwise_count(np.ones(2, F64)), TypeError, ["bitwise_count", "float64"]),
    (lambda: fnp.gcd(np.ones(2, F32), 2), ValueError, ["gcd", "integers", "float32"]),
    (lambda: fnp.lcm(np.ones(2, B), np.ones(2, B)), ValueError, ["lcm", "integers", "bool"]),
    (lambda: fnp.ldexp(np.ones(2, F32), 2.5), ValueError, ["ldexp", "x2", "integer"]),
    (lambda: fnp.ldexp(np.ones(2, F32), np.ones(3, I32)), TypeError, ["ldexp", "(2,)", "(3,)"]),
    (lambda: fnp.copysign(np.ones(2), np.ones(3)), TypeError, ["copysign", "(2,)", "(3,)"]),
    (lambda: fnp.heaviside(np.ones(2), np.ones(3)), TypeError, ["heaviside", "broadcast"]),
    (lambda: fnp.isclose(np.ones(2), np.ones(3)), TypeError, ["isclose", "(2,)", "(3,)"]),
    (lambda: fnp.gcd(np.ones(2, I32), np.ones(3, I32)), TypeError, ["gcd", "(2,)", "(3,)"]),
    (lambda: fnp.matrix_transpose(np.ones(3)), ValueError, ["matrix_transpose", "ndim=1"]),
    (lambda: fnp.permute_dims(np.ones((2, 3)), (0,)), ValueError, ["axes", "dimension 2"]),
    (lambda: fnp.modf(np.ones(2), out=np.ones(2)), NotImplementedError, ["modf", "out"]),
    (lambda: fnp.result_type(), ValueError, ["result_type", "at least one"]),
    (lambda: fnp.result_type(complex), TypeError, ["result_type", "complex"]),
    (lambda: fnp.result_type("float128"), TypeError, ["result_type", "dtype"]),
    (lambda: fnp.promote_types(np.ones(2), float), TypeError, ["promote_types", "a=",
                                                               "not a dtype", "result_type"]),
    (lambda: fnp.can_cast(1.0, F32), TypeError, ["can_cast", "Python scalar"]),
    (lambda: fnp.can_cast(F32, F16, casting="nope"), ValueError, ["can_cast", "casting"]),
    (lambda: fnp.finfo(I32), ValueError, ["finfo", "int32", "iinfo"]),
    (lambda: fnp.finfo(1.0), TypeError, ["finfo", "Python scalar"]),
    (lambda: fnp.iinfo(F32), ValueError, ["iinfo", "float32", "finfo"]),
    (lambda: fnp.isdtype(F32, "floating"), ValueError, ["isdtype", "floating", "real floating"]),
    (lambda: fnp.issubdtype([1], fnp.floating), TypeError, ["issubdtype", "arg1"]),
    (lambda: fnp.isreal(np.ones(2, np.complex64)), TypeError, ["isreal", "complex"]),
    (lambda: fl.jit(fnp.left_shift)(np.ones(2, F32), np.ones(2, I32)), TypeError,
     ["left_shift", "x1", "float32"]),
    (lambda: fl.jit(lambda x: fnp.gcd(x, 2))(np.ones(2, F32)), ValueError, ["gcd", "integers"]),
])
def test_errors_name_the_argument_and_the_fix(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for w in words:
        assert w in msg, (w, msg)
