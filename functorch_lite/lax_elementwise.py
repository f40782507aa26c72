"""``fl.lax``'s elementwise functions, checked as ``jax.lax`` checks them.

``jax.lax`` does not promote: the operands of a binary function share one dtype and
rank, and each function takes only the dtypes XLA defines it for (``tanh`` of an int
is an error, not an int).  An eager bind runs the NumPy impl directly, which would
otherwise cast or broadcast silently, so every wrapper checks its operands before
binding.  A Python scalar has JAX's default dtype (float32, int32, bool) and, as in
``jax.lax``, must match the other operands' (``add(x_f16, 2.0)`` raises); against a
64-bit array a Python scalar is 64-bit, as in JAX with x64 enabled.

>>> import functorch_lite as fl, numpy as np
>>> fl.lax.add(np.array([1.0, 2.0], np.float32), 1.0)
array([2., 3.], dtype=float32)
"""
from __future__ import annotations

import enum
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from .core import Primitive, Tracer, aval_of
from .core.dtypes import FLOATS, INTS
from .numpy.promotion import to_operand, unweak
from .ops import elementwise as ew
from .ops import gamma as _gamma
from .ops import incomplete as inc
from .ops import special as sp

# ----------------------------------------------------------------------------- operand checks


def _operand(x: Any) -> Any:
    """``x`` as a tracer or NumPy value (lists, Python scalars and jax.Arrays converted
    with JAX's default dtypes)."""
    if isinstance(x, Tracer):
        return x
    return unweak(to_operand(x))


def _is_py_scalar(x: Any) -> bool:
    return isinstance(x, (bool, int, float)) and not isinstance(x, np.generic)


def _kind(dt: np.dtype) -> str:
    """'b' bool, 'i' integer, 'f' floating (bfloat16 included), '?' anything else."""
    return "b" if dt == np.bool_ else "i" if dt in INTS else "f" if dt in FLOATS else "?"


def _scalar_as(name: str, argname: str, v: Any, dt: np.dtype, others: str) -> np.ndarray:
    """The Python scalar ``v`` as dtype ``dt``, where ``jax.lax`` accepts it: a Python
    scalar has its default dtype (bool, int32, float32; or int64/float64 against a 64-bit
    array, as JAX with x64 enabled) and must equal the other operands' (no promotion)."""
    k = _kind(dt)
    if isinstance(v, bool):
        fits = k == "b"
    elif isinstance(v, int):
        fits = dt in _PY_INT
    else:
        fits = dt in _PY_FLOAT
    if fits:
        try:
            return np.asarray(v, dtype=dt)
        except OverflowError:
            raise TypeError(f"{name}: {argname}={v!r} does not fit the dtype {dt} of "
                            f"{others}.") from None
    raise TypeError(f"{name}: {argname}={v!r} is a Python {type(v).__name__}, whose dtype "
                    f"({_PY_DEFAULT[type(v)]}) differs from the dtype {dt} of {others}; "
                    "fl.lax does not promote (as jax.lax): pass an array of that dtype, "
                    f"e.g. np.asarray({v!r}, np.{dt}), or use the fl.numpy function, which "
                    "promotes.")


_PY_INT = frozenset({np.dtype(np.int32), np.dtype(np.int64)})
_PY_FLOAT = frozenset({np.dtype(np.float32), np.dtype(np.float64)})
_PY_DEFAULT = {bool: "bool", int: "int32", float: "float32"}


def _one_dtype_error(name: str, named: Sequence[tuple[str, Any]]) -> TypeError:
    desc = ", ".join(f"{n} is {aval_of(v).str_short()}" for n, v in named)
    return TypeError(f"{name}: the operands must have one dtype, but {desc}; cast them "
                     "with .astype(...) first (the fl.numpy functions promote for you).")


def _one_dtype(name: str, named: Sequence[tuple[str, Any]]) -> list:
    """The operands ``named`` (``(argument name, value)`` pairs) of one dtype: typed ones
    must agree, Python scalars take their dtype."""
    typed = {n: _operand(v) for n, v in named if not _is_py_scalar(v)}
    dts = {aval_of(v).dtype for v in typed.values()}
    if len(dts) > 1:
        raise _one_dtype_error(name, list(typed.items()))
    dt = dts.pop() if dts else None
    others = " and ".join(typed)
    out = [typed[n] if n in typed else
           _operand(v) if dt is None else _scalar_as(name, n, v, dt, others)
           for n, v in named]
    if dt is None and len({aval_of(v).dtype for v in out}) > 1:  # Python scalars only
        raise _one_dtype_error(name, [(n, v) for (n, _), v in zip(named, out)])
    return out


def _check_kind(name: str, argname: str, x: Any, kinds: str, what: str, fix: str) -> None:
    a = aval_of(x)
    if _kind(a.dtype) not in kinds:
        raise TypeError(f"{name}: {argname} must be {what}, got {a.str_short()}; {fix}")


_FLOAT_FIX = "convert it with .astype(fnp.float32)."
_KIND_WORDS = {"f": "floating-point", "i": "signed integer", "u": "unsigned integer",
               "b": "bool"}


def _kind4(dt: np.dtype) -> str:
    """``_kind`` with unsigned integers apart ('u')."""
    k = _kind(dt)
    return "u" if k == "i" and dt.kind == "u" else k


def _accepted(kinds: str) -> str:
    words = [_KIND_WORDS[k] for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _checked(name: str, named: Sequence[tuple[str, Any]], kinds: str) -> list:
    """The operands converted and checked: one dtype of the accepted ``kinds``, one rank
    (or a scalar), as jax.lax requires.  Size-1 axes broadcast, as in jax.lax."""
    ops = _one_dtype(name, named) if len(named) > 1 else [_operand(named[0][1])]
    a = aval_of(ops[0])
    if _kind4(a.dtype) not in kinds:
        fix = _FLOAT_FIX if kinds == "f" else "convert it with .astype(...)."
        raise TypeError(f"{name}: dtype {a.dtype} is not accepted ({named[0][0]} is "
                        f"{a.str_short()}); it takes {_accepted(kinds)} arrays: {fix}")
    ranks = {len(aval_of(v).shape) for v in ops} - {0}
    if len(ranks) > 1:
        desc = " and ".join(f"{n} {aval_of(v).str_short()}" for (n, _), v in zip(named, ops))
        raise TypeError(f"{name}: the operands must have one rank (or be scalars), got "
                        f"{desc}; reshape or broadcast one (fnp.expand_dims, "
                        "fnp.broadcast_to), or use the fl.numpy function, which broadcasts.")
    return ops


def _unary(name: str, prim: Primitive, kinds: str, desc: str, example: str,
           shown: str) -> Callable:
    def fn(x: Any) -> Any:
        return prim.bind(*_checked(name, (("x", x),), kinds))
    fn.__doc__ = (f"{desc}, elementwise, as ``jax.lax.{name}`` ({_accepted(kinds)} "
                  f"arrays).\n\n>>> import functorch_lite as fl, numpy as np\n"
                  f">>> fl.lax.{name}({example})\n{shown}\n")
    fn.__name__ = fn.__qualname__ = name
    return fn


def _binary(name: str, prim: Primitive, kinds: str, desc: str, example: str,
            shown: str) -> Callable:
    def fn(x: Any, y: Any) -> Any:
        return prim.bind(*_checked(name, (("x", x), ("y", y)), kinds))
    fn.__doc__ = (f"{desc}, elementwise, as ``jax.lax.{name}``: ``x`` and ``y`` of one "
                  f"dtype ({_accepted(kinds)}) and rank; size-1 axes and scalars "
                  "broadcast, a Python scalar takes the other operand's dtype."
                  f"\n\n>>> import functorch_lite as fl, numpy as np\n"
                  f">>> fl.lax.{name}({example})\n{shown}\n")
    fn.__name__ = fn.__qualname__ = name
    return fn


# ----------------------------------------------------------------------------- the functions
# Each: its name, primitive, accepted kinds (f float, i signed int, u unsigned int,
# b bool), what it computes, and a docstring example with jax.lax's output.

abs = _unary("abs", ew.abs_p, "fi",  # noqa: A001
             "``|x|``", "np.array([-1.5, 2.0], np.float32)", "array([1.5, 2. ], dtype=float32)")
neg = _unary("neg", ew.neg_p, "fiu",
             "``-x``", "np.array([1, -2], np.int32)", "array([-1, 2], dtype=int32)")
sign = _unary("sign", ew.sign_p, "fiu",
              "-1, 0 or 1 by the sign of ``x``", "np.array([-3.0, 0.0, 2.0], np.float32)",
              "array([-1., 0., 1.], dtype=float32)")
floor = _unary("floor", ew.floor_p, "f",
               "the largest integer ``<= x``", "np.array([-1.5, 1.5], np.float32)",
               "array([-2., 1.], dtype=float32)")
ceil = _unary("ceil", ew.ceil_p, "f",
              "the smallest integer ``>= x``", "np.array([-1.5, 1.5], np.float32)",
              "array([-1., 2.], dtype=float32)")
is_finite = _unary("is_finite", ew.is_finite_p, "f",
                   "whether ``x`` is neither infinite nor NaN",
                   "np.array([1.0, np.inf, np.nan], np.float32)", "array([ True, False, False])")
sin = _unary("sin", ew.sin_p, "f",
             "``sin(x)``", "np.array([0.0, 1.0], np.float32)",
             "array([0. , 0.84147...], dtype=float32)")
cos = _unary("cos", ew.cos_p, "f",
             "``cos(x)``", "np.array([0.0, 1.0], np.float32)",
             "array([1. , 0.5403023], dtype=float32)")
tan = _unary("tan", ew.tan_p, "f",
             "``tan(x)``", "np.array([0.0, 1.0], np.float32)",
             "array([0. , 1.5574077], dtype=float32)")
asin = _unary("asin", ew.asin_p, "f",
              "``arcsin(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([0. , 1.5707964], dtype=float32)")
acos = _unary("acos", ew.acos_p, "f",
              "``arccos(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([1.5707964, 0. ], dtype=float32)")
atan = _unary("atan", ew.atan_p, "f",
              "``arctan(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([0. , 0.785398...], dtype=float32)")
sinh = _unary("sinh", ew.sinh_p, "f",
              "``sinh(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([0. , 1.1752012], dtype=float32)")
cosh = _unary("cosh", ew.cosh_p, "f",
              "``cosh(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([1. , 1.54308...], dtype=float32)")  # last digit: CPU-dependent
tanh = _unary("tanh", ew.tanh_p, "f",
              "``tanh(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([0. , 0.7615942], dtype=float32)")
asinh = _unary("asinh", ew.asinh_p, "f",
               "``arcsinh(x)``", "np.array([0.0, 1.0], np.float32)",
               "array([0. , 0.881373...], dtype=float32)")
acosh = _unary("acosh", ew.acosh_p, "f",
               "``arccosh(x)``", "np.array([1.0, 2.0], np.float32)",
               "array([0. , 1.316958], dtype=float32)")
atanh = _unary("atanh", ew.atanh_p, "f",
               "``arctanh(x)``", "np.array([0.0, 0.5], np.float32)",
               "array([0. , 0.54930615], dtype=float32)")
exp = _unary("exp", ew.exp_p, "f",
             "``e**x``", "np.array([0.0, 1.0], np.float32)",
             "array([1. , 2.71828...], dtype=float32)")
exp2 = _unary("exp2", ew.exp2_p, "f",
              "``2**x``", "np.array([0.0, 3.0], np.float32)", "array([1., 8.], dtype=float32)")
expm1 = _unary("expm1", ew.expm1_p, "f",
               "``e**x - 1``, accurate near 0", "np.array([0.0, 1e-7], np.float32)",
               "array([0...e+00, 1...e-07], dtype=float32)")
log = _unary("log", ew.log_p, "f",
             "the natural logarithm", "np.array([1.0, 2.0], np.float32)",
             "array([0. , 0.6931472], dtype=float32)")
log1p = _unary("log1p", ew.log1p_p, "f",
               "``log(1 + x)``, accurate near 0", "np.array([0.0, 1e-7], np.float32)",
               "array([0.0000000e+00, 9.9999994e-08], dtype=float32)")
sqrt = _unary("sqrt", ew.sqrt_p, "f",
              "the square root", "np.array([4.0, 2.0], np.float32)",
              "array([2. , 1.4142135], dtype=float32)")
rsqrt = _unary("rsqrt", ew.rsqrt_p, "f",
               "``1 / sqrt(x)``", "np.array([4.0, 0.25], np.float32)",
               "array([0.5, 2. ], dtype=float32)")
cbrt = _unary("cbrt", ew.cbrt_p, "f",
              "the cube root", "np.array([8.0, -1.0], np.float32)",
              "array([ 2., -1.], dtype=float32)")
erfc = _unary("erfc", sp.erfc_p, "f",
              "``1 - erf(x)``", "np.array([0.0, 1.0], np.float32)",
              "array([1. , 0.157299...], dtype=float32)")
erf_inv = _unary("erf_inv", sp.erf_inv_p, "f",
                 "the inverse error function (+-inf at +-1)", "np.array([0.0, 0.5], np.float32)",
                 "array([0. , 0.47693628], dtype=float32)")
bitwise_not = _unary("bitwise_not", ew.not_p, "iub",
                     "the bitwise (for bools, logical) not", "np.array([0, 5], np.int32)",
                     "array([-1, -6], dtype=int32)")
population_count = _unary("population_count", ew.population_count_p, "iu",
                          "the number of set bits", "np.array([7, -1], np.int32)",
                          "array([ 3, 32], dtype=int32)")
clz = _unary("clz", ew.clz_p, "iu",
             "the number of leading zero bits", "np.array([1, 0], np.int32)",
             "array([31, 32], dtype=int32)")

add = _binary("add", ew.add_p, "fiu",
              "``x + y``", "np.array([1.0, 2.0], np.float32), 1.5",
              "array([2.5, 3.5], dtype=float32)")
sub = _binary("sub", ew.sub_p, "fiu",
              "``x - y``", "np.array([1.0, 2.0], np.float32), 1.5",
              "array([-0.5, 0.5], dtype=float32)")
mul = _binary("mul", ew.mul_p, "fiu",
              "``x * y``", "np.array([1.0, 2.0], np.float32), 1.5",
              "array([1.5, 3. ], dtype=float32)")
div = _binary("div", ew.div_p, "fiu",
              "``x / y`` (integers round toward zero, as C)", "np.array([-7, 7], np.int32), 2",
              "array([-3, 3], dtype=int32)")
rem = _binary("rem", ew.rem_p, "fiu",
              "the remainder of ``x / y`` with the sign of ``x`` (C's fmod)",
              "np.array([-7, 7], np.int32), 2", "array([-1, 1], dtype=int32)")
max = _binary("max", ew.max_p, "fiub",  # noqa: A001
              "the larger of ``x`` and ``y`` (NaN if either is)",
              "np.array([1.0, 3.0], np.float32), 2.0", "array([2., 3.], dtype=float32)")
min = _binary("min", ew.min_p, "fiub",  # noqa: A001
              "the smaller of ``x`` and ``y`` (NaN if either is)",
              "np.array([1.0, 3.0], np.float32), 2.0", "array([1., 2.], dtype=float32)")
atan2 = _binary("atan2", ew.atan2_p, "f",
                "``arctan(x / y)`` in the quadrant of ``(y, x)``",
                "np.array([1.0, -1.0], np.float32), -1.0",
                "array([ 2.3561945, -2.3561945], dtype=float32)")
nextafter = _binary("nextafter", sp.nextafter_p, "f",
                    "the next representable float after ``x`` toward ``y``",
                    "np.array([1.0], np.float32), 2.0", "array([1.0000001], dtype=float32)")
igamma = _binary("igamma", inc.igamma_p, "f",
                 "the regularized lower incomplete gamma function ``P(a=x, x=y)``",
                 "np.array([1.0, 2.0], np.float32), 1.0",
                 "array([0.63212055, 0.26424113], dtype=float32)")
igammac = _binary("igammac", inc.igammac_p, "f",
                  "the regularized upper incomplete gamma function ``Q = 1 - P``",
                  "np.array([1.0, 2.0], np.float32), 1.0",
                  "array([0.36787945, 0.7357589 ], dtype=float32)")
igamma_grad_a = _binary("igamma_grad_a", inc.igamma_grad_a_p, "f",
                        "``dP(a, x)/da``, the derivative of ``igamma`` in ``a`` (``x`` here)",
                        "np.array([1.0], np.float32), 1.0",
                        "array([-0.4317297], dtype=float32)")


def zeta(x: Any, q: Any) -> Any:
    """The Hurwitz zeta function ``sum_n (n + q)^-x`` elementwise, as ``jax.lax.zeta``:
    operands of one floating-point dtype and rank.  It has no derivative rule (as in JAX;
    ``fl.scipy.special.zeta`` differentiates a series expansion).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.zeta(np.array([2.0, 4.0], np.float32), 1.0)
    array([1.644934 , 1.0823232], dtype=float32)
    """
    return _gamma.zeta_p.bind(*_checked("zeta", (("x", x), ("q", q)), "f"))


def betainc(a: Any, b: Any, x: Any) -> Any:
    """The regularized incomplete beta function ``I_x(a, b)`` elementwise, as
    ``jax.lax.betainc``: operands of one floating-point dtype and rank (size-1 axes and
    scalars broadcast).  Only ``x`` has a derivative (as in JAX).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.betainc(2.0, 3.0, np.array([0.25, 0.5], np.float32))
    array([0.26171875, 0.6875    ], dtype=float32)
    """
    return inc.betainc_p.bind(*_checked("betainc", (("a", a), ("b", b), ("x", x)), "f"))


bitwise_and = _binary("bitwise_and", ew.and_p, "iub",
                      "the bitwise (for bools, logical) and", "np.array([6, 3], np.int32), 5",
                      "array([4, 1], dtype=int32)")
bitwise_or = _binary("bitwise_or", ew.or_p, "iub",
                     "the bitwise (for bools, logical) or", "np.array([6, 3], np.int32), 5",
                     "array([7, 7], dtype=int32)")
bitwise_xor = _binary("bitwise_xor", ew.xor_p, "iub",
                      "the bitwise (for bools, logical) exclusive or",
                      "np.array([6, 3], np.int32), 5", "array([3, 6], dtype=int32)")
shift_left = _binary("shift_left", ew.shift_left_p, "iu",
                     "``x << y`` (0 for counts past the width)", "np.array([1, 3], np.int32), 2",
                     "array([ 4, 12], dtype=int32)")
shift_right_arithmetic = _binary("shift_right_arithmetic", ew.shift_right_arithmetic_p, "iu",
                                 "``x >> y`` filling with the sign bit",
                                 "np.array([-8, 8], np.int32), 1", "array([-4, 4], dtype=int32)")
shift_right_logical = _binary("shift_right_logical", ew.shift_right_logical_p, "iu",
                              "``x >> y`` filling with zeros", "np.array([-8, 8], np.int32), 1",
                              "array([2147483644, 4], dtype=int32)")
eq = _binary("eq", ew.eq_p, "fiub",
             "``x == y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([False, True])")
ne = _binary("ne", ew.ne_p, "fiub",
             "``x != y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([ True, False])")
lt = _binary("lt", ew.lt_p, "fiub",
             "``x < y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([ True, False])")
le = _binary("le", ew.le_p, "fiub",
             "``x <= y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([ True, True])")
gt = _binary("gt", ew.gt_p, "fiub",
             "``x > y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([False, False])")
ge = _binary("ge", ew.ge_p, "fiub",
             "``x >= y``", "np.array([1.0, 2.0], np.float32), 2.0", "array([False, True])")


class RoundingMethod(enum.IntEnum):
    """How ``round`` breaks ties, as ``jax.lax.RoundingMethod`` (same values)."""
    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


def round(x: Any, rounding_method: Any = RoundingMethod.AWAY_FROM_ZERO) -> Any:  # noqa: A001
    """``x`` rounded to an integer value, elementwise, as ``jax.lax.round``: ties away
    from zero by default (XLA's rounding, not NumPy's), or to even with
    ``RoundingMethod.TO_NEAREST_EVEN`` (``jax.lax.RoundingMethod`` works too).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.round(np.array([0.5, 1.5, -2.5], np.float32))
    array([ 1.,  2., -3.], dtype=float32)
    >>> fl.lax.round(np.array([0.5, 1.5, -2.5], np.float32), fl.lax.RoundingMethod.TO_NEAREST_EVEN)
    array([ 0.,  2., -2.], dtype=float32)
    """
    try:
        method = RoundingMethod(int(rounding_method))
    except (TypeError, ValueError):
        raise ValueError(f"round: rounding_method must be a RoundingMethod (AWAY_FROM_ZERO or "
                         f"TO_NEAREST_EVEN), got {rounding_method!r}") from None
    (x,) = _checked("round", (("x", x),), "f")
    prim = sp.round_away_p if method == RoundingMethod.AWAY_FROM_ZERO else ew.round_p
    return prim.bind(x)


def pow(x: Any, y: Any) -> Any:  # noqa: A001
    """``x ** y`` elementwise, as ``jax.lax.pow``: ``x`` floating-point, ``y`` of ``x``'s
    dtype or an integer array (converted to ``x``'s dtype), of one rank.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.pow(np.array([2.0, 9.0], np.float32), np.array([3, -1], np.int32))
    array([8.        , 0.11111111], dtype=float32)
    """
    xx = _operand(x)
    _check_kind("pow", "x", xx, "f", "a floating-point array", _FLOAT_FIX)
    if not _is_py_scalar(y):
        yy = _operand(y)
        if _kind(aval_of(yy).dtype) == "i":
            y = ew.convert_element_type(yy, aval_of(xx).dtype)
    return ew.pow_p.bind(*_checked("pow", (("x", xx), ("y", y)), "f"))


def integer_pow(x: Any, y: int) -> Any:
    """``x ** y`` elementwise for a static Python int ``y``, as ``jax.lax.integer_pow``
    (repeated multiplication; integers cannot take negative powers).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.integer_pow(np.array([2.0, -3.0], np.float32), 3)
    array([  8., -27.], dtype=float32)
    """
    if isinstance(y, bool) or not isinstance(y, (int, np.integer)):
        raise TypeError(f"integer_pow: y must be a Python int (a static exponent), got {y!r:.40} "
                        f"of type {type(y).__name__}; use fl.lax.pow for an array exponent.")
    (xx,) = _checked("integer_pow", (("x", x),), "fiu")
    if y < 0 and _kind(aval_of(xx).dtype) == "i":
        raise TypeError(f"integer_pow: integers cannot be raised to negative powers, got "
                        f"{aval_of(xx).str_short()} ** {int(y)}; convert x to a float first.")
    return ew.integer_pow(xx, int(y))

# ----------------------------------------------------------------------------- with their own rules

def select(pred: Any, on_true: Any, on_false: Any) -> Any:
    """``on_true`` where ``pred`` else ``on_false``, elementwise, as ``jax.lax.select``:
    ``on_true`` and ``on_false`` have one shape and dtype, ``pred`` is bool of that shape
    or a scalar (``fnp.where`` broadcasts and promotes; this does neither).

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.array([-1., 2., -3.], np.float32)
    >>> fl.lax.select(x > 0, x, np.zeros(3, np.float32))
    array([0., 2., 0.], dtype=float32)
    """
    p = _operand(pred)
    t, f = _one_dtype("select", (("on_true", on_true), ("on_false", on_false)))
    pa, ta, fa = aval_of(p), aval_of(t), aval_of(f)
    _check_kind("select", "pred", p, "bi", "boolean (or an integer case index)",
                "compare to get a mask, e.g. x > 0.")
    if ta.shape != fa.shape:
        raise TypeError(f"select: on_true and on_false must have one shape, got "
                        f"{ta.str_short()} and {fa.str_short()}; broadcast them "
                        "(fnp.broadcast_to) or use fnp.where, which broadcasts.")
    if pa.shape not in ((), ta.shape):
        raise TypeError(f"select: pred must be a scalar or have the shape {ta.shape} of "
                        f"on_true/on_false, got {pa.str_short()}; broadcast it or use "
                        "fnp.where, which broadcasts.")
    return ew.select_n(p, f, t)


def clamp(min: Any, x: Any, max: Any) -> Any:  # noqa: A002, F811  (jax.lax's names)
    """``x`` clipped to ``[min, max]`` elementwise, as ``jax.lax.clamp``: ``min`` and
    ``max`` are scalars or of ``x``'s shape, all of one dtype (Python scalars take it).
    The derivative is JAX's: ``x``'s passes strictly inside the bounds only.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.clamp(0.0, np.array([-1., 0.5, 2.], np.float32), 1.0)
    array([0. , 0.5, 1. ], dtype=float32)
    """
    lo, xx, hi = _one_dtype("clamp", (("min", min), ("x", x), ("max", max)))
    xa = aval_of(xx)
    for name, b in (("min", lo), ("max", hi)):
        ba = aval_of(b)
        if ba.shape not in ((), xa.shape):
            raise TypeError(f"clamp: {name} must be a scalar or have x's shape {xa.shape}, "
                            f"got {ba.str_short()} for x {xa.str_short()}; broadcast it "
                            "(fnp.broadcast_to) or use fnp.clip, which broadcasts.")
    _check_kind("clamp", "x", xx, "if", "a number array", "clamp numbers, not bools.")
    return sp.clamp(lo, xx, hi)


def square(x: Any) -> Any:
    """``x * x`` elementwise, as ``jax.lax.square``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.square(np.array([1., -2., 3.], np.float32))
    array([1., 4., 9.], dtype=float32)
    """
    x = _operand(x)
    _check_kind("square", "x", x, "if", "a number array", "convert it with .astype.")
    return ew.integer_pow(x, 2)


def logistic(x: Any) -> Any:
    """The logistic sigmoid ``1 / (1 + exp(-x))`` elementwise, as ``jax.lax.logistic``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.logistic(np.array([0., 2.], np.float32))
    array([0.5      , 0.8807971], dtype=float32)
    """
    x = _operand(x)
    _check_kind("logistic", "x", x, "f", "a floating-point array", _FLOAT_FIX)
    return ew.logistic_p.bind(x)


def erf(x: Any) -> Any:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt`` elementwise, as
    ``jax.lax.erf``; its derivative is ``2/sqrt(pi) * exp(-x^2)``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.erf(np.array([0., 0.5, -1.]))
    array([ 0.        ,  0.52049988, -0.84270079])
    """
    x = _operand(x)
    _check_kind("erf", "x", x, "f", "a floating-point array", _FLOAT_FIX)
    return sp.erf(x)
