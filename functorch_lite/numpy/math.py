"""Elementwise ``fnp`` functions: arithmetic, transcendental math, rounding, comparisons, logic.

Each function promotes its inputs as ``jax.numpy`` does (``promotion.promote_args``:
float32 default, weak Python scalars, 64-bit inputs kept) and binds primitives of
``ops.elementwise``.  Where ``jax.numpy`` composes several ``lax`` operations
(``remainder``, ``floor_divide``, ``hypot``, ``sinc``, ``nan_to_num``, ...) the same
composition is written here, so values, dtypes and derivatives agree with JAX:
``maximum`` splits the gradient of a tie in halves, ``abs'(0) == 0``, ``x ** 2`` is an
``integer_pow`` whose derivative at 0 is finite, ``logaddexp`` never overflows.
"""
from __future__ import annotations

import operator
from typing import Any

import ml_dtypes
import numpy as np

from ..core import Tracer, Weak, bind
from ..core.dtypes import DEFAULT_FLOAT, DEFAULT_INT, FLOATS, INTS, bool_, float16, float32
from ..ops import elementwise as ew
from ..ops import reductions as red
from ..ops import special as sp
from ..ops.rules import _shape
from ..ops.shapes import broadcast_in_dim
from .promotion import cast, dtype_weak, promote_args, unweak

Array = Any       # numpy.ndarray eagerly, a Tracer under a transformation
ArrayLike = Any   # arrays, jax.Arrays, Python scalars and (nested) lists of numbers

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "divmod", "mod",
    "remainder", "fmod", "negative", "positive", "reciprocal", "power", "pow", "square",
    "sqrt", "cbrt", "abs", "absolute", "sign", "exp", "exp2", "expm1", "log", "log2", "log10",
    "log1p", "logaddexp", "sin", "cos", "tan", "tanh", "arcsin", "arccos", "arctan", "arctan2",
    "arcsinh", "arccosh", "arctanh", "sinh", "cosh", "hypot", "sinc", "deg2rad", "rad2deg",
    "degrees", "radians", "maximum", "minimum", "fmax", "fmin", "where", "select", "clip",
    "floor", "ceil", "round", "around", "rint", "isnan", "isinf", "isfinite", "isposinf",
    "isneginf", "nan_to_num", "logical_and", "logical_or", "logical_not", "logical_xor",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "bitwise_and",
    "bitwise_or", "bitwise_xor", "bitwise_not", "invert",
    # Array API names and further NumPy ufuncs
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "fabs", "bitwise_invert",
    "left_shift", "bitwise_left_shift", "right_shift", "bitwise_right_shift", "bitwise_count",
    "trunc", "signbit", "copysign", "nextafter", "spacing", "float_power", "ldexp", "frexp",
    "modf", "heaviside", "logaddexp2", "gcd", "lcm", "isclose", "allclose", "array_equal",
    "array_equiv",
]

_UNSIGNED = frozenset(d for d in INTS if d.kind == "u")

# --------------------------------------------------------------------- small helpers


def _dtype(x) -> np.dtype:
    if isinstance(x, Tracer):
        return x.aval.dtype
    if isinstance(x, Weak):
        return x.val.dtype
    return np.result_type(x)


def _is_bool(x) -> bool:
    return getattr(x, "dtype", None) == bool_


def _const(x, v):
    """``v`` as a (strong) constant of ``x``'s dtype: a literal when traced."""
    return np.asarray(v, dtype=_dtype(x))[()]


def _args(name: str, *xs, to_float: bool = False) -> list:
    """Promoted operands without weak wrappers, for functions that compute with them."""
    return [unweak(x) for x in promote_args(name, *xs, to_float=to_float)]


def _numeric_args(name: str, *xs) -> list:
    """jax's ``promote_args_numeric``: bool operands become the default int."""
    out = _args(name, *xs)
    if _is_bool(out[0]):
        out = [cast(o, DEFAULT_INT) for o in out]
    return out


def _to_bool(x):
    return x if _is_bool(x) else ew.ne(x, _const(x, 0))


def _full_bool(x, value: bool):
    shape = x.aval.shape if isinstance(x, Tracer) else np.shape(x)
    return broadcast_in_dim(np.bool_(value), tuple(shape), ())


def _where(c, x, y):
    """``x`` where ``c`` else ``y`` (operands already of one dtype)."""
    return ew.select_n(c, y, x)


def _no_bool(name: str, x) -> None:
    if _is_bool(x):
        raise TypeError(f"fnp.{name} does not accept dtype bool; convert the input first, "
                        f"e.g. fnp.{name}(x.astype(fnp.int32)).")


def _unary_float(prim, name: str, example: str, result: str):
    def f(x: ArrayLike, /) -> Array:
        (x,) = promote_args(name, x, to_float=True)
        return bind(prim, x)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"""Elementwise ``{name}``, as ``jax.numpy.{name}`` (integers and bools promote to
    float32, float64 stays float64).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.{name}({example})
    {result}
    """
    return f


def _comparison(prim, name: str, symbol: str):
    def f(x: ArrayLike, y: ArrayLike, /) -> Array:
        x, y = promote_args(name, x, y)
        return bind(prim, x, y)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"""Elementwise ``x {symbol} y`` as a bool array (operands promoted as in JAX).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.{name}([1, 2, 3], 2)
    {np.array_repr(getattr(np, name)(np.array([1, 2, 3]), 2))}
    """
    return f


# --------------------------------------------------------------------- arithmetic


def add(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x + y`` with broadcasting; for bools it is logical or (as in JAX).

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.add(np.ones(2, np.float32), 2.0)   # the Python scalar is weakly typed
    array([3., 3.], dtype=float32)
    """
    x, y = promote_args("add", x, y)
    return ew.bitwise_or(x, y) if _is_bool(x) else ew.add(x, y)


def subtract(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x - y`` with broadcasting (not defined for bools).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.subtract([3, 4], 1)
    array([2, 3], dtype=int32)
    """
    x, y = promote_args("subtract", x, y)
    _no_bool("subtract", x)
    return ew.sub(x, y)


def multiply(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x * y`` with broadcasting; for bools it is logical and (as in JAX).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.multiply([1, 2], 2.5)
    array([2.5, 5. ], dtype=float32)
    """
    x, y = promote_args("multiply", x, y)
    return ew.bitwise_and(x, y) if _is_bool(x) else ew.mul(x, y)


def true_divide(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 / x2``; integers and bools promote to float32 first.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.true_divide([1, 3], 2)
    array([0.5, 1.5], dtype=float32)
    """
    x1, x2 = promote_args("true_divide", x1, x2, to_float=True)
    return ew.div(x1, x2)


def divide(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Alias of :func:`true_divide`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.divide(1, 4)
    np.float32(0.25)
    """
    return true_divide(x1, x2)


def _int_floor_divide(x1, x2):
    q = ew.div(x1, x2)
    if _dtype(x1) in _UNSIGNED:
        return q
    zero = _const(x1, 0)
    fix = ew.bitwise_and(ew.ne(ew.sign(x1), ew.sign(x2)), ew.ne(ew.rem(x1, x2), zero))
    return _where(fix, ew.sub(q, _const(q, 1)), q)


def _float_divmod(x1, x2):
    # CPython's float_divmod, as jax.numpy writes it
    mod = ew.rem(x1, x2)
    x1c = _where(ew.eq(x2, _const(x2, 0)), x1, ew.sub(x1, mod))
    div = ew.div(x1c, x2)
    fix = ew.bitwise_and(ew.ne(mod, _const(mod, 0)), ew.ne(ew.sign(x2), ew.sign(mod)))
    mod = _where(fix, ew.add(mod, x2), mod)
    div = _where(fix, ew.sub(div, _const(div, 1)), div)
    return bind(ew.round_p, div), mod


def floor_divide(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 // x2`` (rounding toward minus infinity); integers stay integers.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.floor_divide([7, -7], 2)
    array([ 3, -4], dtype=int32)
    """
    x1, x2 = _numeric_args("floor_divide", x1, x2)
    if _dtype(x1) in INTS:
        return _int_floor_divide(x1, x2)
    return _float_divmod(x1, x2)[0]


def remainder(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 % x2`` with the sign of ``x2`` (Python's ``%``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.remainder([7, -7], 3)
    array([1, 2], dtype=int32)
    """
    x1, x2 = _numeric_args("remainder", x1, x2)
    zero = _const(x1, 0)
    if _dtype(x2) in INTS:  # x % 0 is 0 for integers, as in NumPy
        x2 = _where(ew.eq(x2, zero), _const(x2, 1), x2)
    trunc = ew.rem(x1, x2)
    plus = ew.bitwise_and(ew.ne(ew.lt(trunc, zero), ew.lt(x2, zero)), ew.ne(trunc, zero))
    return _where(plus, ew.add(trunc, x2), trunc)


mod = remainder


def divmod(x1: ArrayLike, x2: ArrayLike, /) -> tuple[Array, Array]:  # noqa: A001
    """``(x1 // x2, x1 % x2)`` elementwise.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.divmod([7, -7], 2)
    (array([ 3, -4], dtype=int32), array([1, 1], dtype=int32))
    """
    a, b = _numeric_args("divmod", x1, x2)
    if _dtype(a) in INTS:
        return floor_divide(a, b), remainder(a, b)
    return _float_divmod(a, b)


def fmod(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise C remainder ``x1 - x2 * trunc(x1 / x2)`` (the sign of ``x1``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.fmod([7, -7], 3)
    array([ 1, -1], dtype=int32)
    """
    x1, x2 = _numeric_args("fmod", x1, x2)
    if _dtype(x2) in INTS:
        x2 = _where(ew.eq(x2, _const(x2, 0)), _const(x2, 1), x2)
    return ew.rem(x1, x2)


def negative(x: ArrayLike, /) -> Array:
    """Elementwise ``-x``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.negative([1.0, -2.0])
    array([-1.,  2.], dtype=float32)
    """
    (x,) = promote_args("negative", x)
    _no_bool("negative", x)
    return ew.neg(x)


def positive(x: ArrayLike, /) -> Array:
    """Elementwise ``+x`` (the input as an array).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.positive([1, -2])
    array([ 1, -2], dtype=int32)
    """
    (x,) = promote_args("positive", x)
    return x


def reciprocal(x: ArrayLike, /) -> Array:
    """Elementwise ``1 / x`` (an ``integer_pow`` with exponent -1); ints promote to float.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.reciprocal([2.0, 4.0])
    array([0.5 , 0.25], dtype=float32)
    """
    (x,) = promote_args("reciprocal", x, to_float=True)
    return ew.integer_pow(x, -1)


def _concrete_int(x) -> int | None:
    if isinstance(x, (Tracer, list, tuple, float)):
        return None
    try:
        return operator.index(x)
    except TypeError:
        return None


def _pow_int_int(x1, x2):
    # binary exponentiation over the 6 low bits of the exponent, as jax.numpy
    zero, one = _const(x2, 0), _const(x2, 1)
    acc = _where(ew.bitwise_and(ew.eq(x1, zero), ew.ne(x2, zero)), zero, one)
    for _ in range(6):
        bit = ew.ne(ew.bitwise_and(x2, one), zero)
        acc = _where(bit, ew.mul(acc, x1), acc)
        x1 = ew.mul(x1, x1)
        x2 = ew.shift_right_logical(x2, one)
    return acc


def power(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 ** x2``.

    As in JAX, a concrete integer exponent (``x ** 2``) becomes ``integer_pow`` (exact
    repeated multiplication, derivative finite at 0); integer bases with integer
    exponents stay integers; otherwise the operands are promoted and ``pow`` applied.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.power([1.5, 2.0], 2)
    array([2.25, 4.  ], dtype=float32)
    >>> fnp.power(2, [3, 4])
    array([ 8, 16], dtype=int32)
    """
    k = _concrete_int(x2)
    if k is not None:
        (x1,) = _numeric_args("power", x1)
        if k < 0 and _dtype(x1) in INTS:
            raise TypeError(f"fnp.power: integers cannot be raised to negative powers, got "
                            f"an integer base ({_dtype(x1)}) and exponent {k}; convert the "
                            "base to float first.")
        return ew.integer_pow(x1, k)
    a, b = _numeric_args("power", x1, x2)
    if _dtype(a) in INTS:
        return _pow_int_int(a, b)
    return ew.pow(a, b)


pow = power  # noqa: A001


def square(x: ArrayLike, /) -> Array:
    """Elementwise ``x * x`` (``integer_pow(x, 2)``); integers stay integers.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.square([2, -3])
    array([4, 9], dtype=int32)
    """
    (x,) = _numeric_args("square", x)
    return ew.integer_pow(x, 2)


def absolute(x: ArrayLike, /) -> Array:
    """Elementwise ``|x|`` (unsigned and bool inputs are returned as they are).

    The derivative at 0 is 0, as in JAX.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.absolute([-1.5, 2.0])
    array([1.5, 2. ], dtype=float32)
    """
    (x,) = promote_args("absolute", x)
    if _is_bool(x) or _dtype(x) in _UNSIGNED:
        return x
    return ew.absolute(x)


abs = absolute  # noqa: A001


def sign(x: ArrayLike, /) -> Array:
    """Elementwise sign: -1, 0 or 1 (NaN for NaN), in the input's dtype.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.sign([-2.0, 0.0, 3.0])
    array([-1.,  0.,  1.], dtype=float32)
    """
    (x,) = promote_args("sign", x)
    _no_bool("sign", x)
    return ew.sign(x)


# --------------------------------------------------------------------- transcendental

sqrt = _unary_float(ew.sqrt_p, "sqrt", "[4.0, 9.0]", "array([2., 3.], dtype=float32)")
cbrt = _unary_float(ew.cbrt_p, "cbrt", "[8.0, -1.0]", "array([ 2., -1.], dtype=float32)")
exp = _unary_float(ew.exp_p, "exp", "[0.0]", "array([1.], dtype=float32)")
exp2 = _unary_float(ew.exp2_p, "exp2", "[3]", "array([8.], dtype=float32)")
expm1 = _unary_float(ew.expm1_p, "expm1", "[0.0]", "array([0.], dtype=float32)")
log = _unary_float(ew.log_p, "log", "[1.0]", "array([0.], dtype=float32)")
log1p = _unary_float(ew.log1p_p, "log1p", "[0.0]", "array([0.], dtype=float32)")
sin = _unary_float(ew.sin_p, "sin", "[0.0]", "array([0.], dtype=float32)")
cos = _unary_float(ew.cos_p, "cos", "[0.0]", "array([1.], dtype=float32)")
tan = _unary_float(ew.tan_p, "tan", "[0.0]", "array([0.], dtype=float32)")
tanh = _unary_float(ew.tanh_p, "tanh", "[0.0]", "array([0.], dtype=float32)")
arcsin = _unary_float(ew.asin_p, "arcsin", "[0.0]", "array([0.], dtype=float32)")
arccos = _unary_float(ew.acos_p, "arccos", "[1.0]", "array([0.], dtype=float32)")
arctan = _unary_float(ew.atan_p, "arctan", "[0.0]", "array([0.], dtype=float32)")
arcsinh = _unary_float(ew.asinh_p, "arcsinh", "[0.0]", "array([0.], dtype=float32)")
arccosh = _unary_float(ew.acosh_p, "arccosh", "[1.0]", "array([0.], dtype=float32)")
arctanh = _unary_float(ew.atanh_p, "arctanh", "[0.0]", "array([0.], dtype=float32)")
sinh = _unary_float(ew.sinh_p, "sinh", "[0.0]", "array([0.], dtype=float32)")
cosh = _unary_float(ew.cosh_p, "cosh", "[0.0]", "array([1.], dtype=float32)")


def log2(x: ArrayLike, /) -> Array:
    """Elementwise base-2 logarithm ``log(x) / log(2)``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.log2([1.0, 8.0])
    array([0., 3.], dtype=float32)
    """
    (x,) = promote_args("log2", x, to_float=True)
    return ew.div(ew.log(x), _const(x, np.log(2.0)))


def log10(x: ArrayLike, /) -> Array:
    """Elementwise base-10 logarithm ``log(x) * (1 / log(10))``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.log10([1.0, 100.0])
    array([0., 2.], dtype=float32)
    """
    (x,) = promote_args("log10", x, to_float=True)
    return ew.mul(ew.log(x), _const(x, 0.4342944819032518))


def logaddexp(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``log(exp(x1) + exp(x2))`` without overflow.

    A primitive (NumPy's ``logaddexp``); the derivatives (of any order) are
    those of the smooth function, with ``1/2, 1/2`` at ties as in JAX (``(-inf, -inf)``
    included, where JAX gives NaN), ``(1, 0)`` at ``(+inf, finite)``, ``(1, 1)`` at
    ``(+inf, +inf)`` (as JAX), and NaN where an input is NaN.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logaddexp([1000.0], [1000.0])
    array([1000.6932], dtype=float32)
    """
    x1, x2 = _args("logaddexp", x1, x2, to_float=True)
    return ew.logaddexp(x1, x2)


def arctan2(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise angle of the point ``(x2, x1)``, in ``[-pi, pi]``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.arctan2([1.0, 0.0], [0.0, 1.0])
    array([1.5707964, 0.       ], dtype=float32)
    """
    x1, x2 = promote_args("arctan2", x1, x2, to_float=True)
    return bind(ew.atan2_p, x1, x2)


def hypot(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``sqrt(x1**2 + x2**2)``, without overflow or underflow.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.hypot([3.0], [4.0])
    array([5.], dtype=float32)
    """
    x1, x2 = _args("hypot", x1, x2, to_float=True)
    x1, x2 = ew.absolute(x1), ew.absolute(x2)
    inf = _const(x1, np.inf)
    is_inf = ew.bitwise_or(ew.eq(x1, inf), ew.eq(x2, inf))
    big, small = ew.maximum(x1, x2), ew.minimum(x1, x2)
    zero = ew.eq(big, _const(big, 0))
    safe_big = _where(zero, _const(big, 1), big)
    ratio = ew.div(small, safe_big)
    out = _where(zero, big, ew.mul(big, ew.sqrt(ew.add(_const(big, 1),
                                                          ew.integer_pow(ratio, 2)))))
    return _where(is_inf, inf, out)


def sinc(x: ArrayLike, /) -> Array:
    """Elementwise normalized sinc ``sin(pi x) / (pi x)``, with ``sinc(0) = 1``.

    At 0 the value comes from the Maclaurin polynomial, so derivatives of every order
    (up to 8) are exact there and nothing divides by zero.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.sinc([0.0, 0.5])
    array([1.        , 0.63661975], dtype=float32)
    """
    (x,) = _args("sinc", x, to_float=True)
    is_zero = ew.eq(x, _const(x, 0))
    pi_x = ew.mul(_const(x, np.pi), x)
    safe = _where(is_zero, _const(x, 1), pi_x)
    # 1 - t^2/3! + t^4/5! - t^6/7! + t^8/9!  (Horner in t^2)
    t2 = ew.mul(pi_x, pi_x)
    poly = _const(x, 1 / 362880)
    for c in (-1 / 5040, 1 / 120, -1 / 6, 1.0):
        poly = ew.add(ew.mul(poly, t2), _const(x, c))
    return _where(is_zero, poly, ew.div(ew.sin(safe), safe))


def deg2rad(x: ArrayLike, /) -> Array:
    """Elementwise degrees to radians.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.deg2rad(180.0)
    np.float32(3.1415927)
    """
    (x,) = promote_args("deg2rad", x, to_float=True)
    return ew.mul(x, _const(x, np.pi / 180))


def rad2deg(x: ArrayLike, /) -> Array:
    """Elementwise radians to degrees.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.rad2deg(0.5)
    np.float32(28.64789)
    """
    (x,) = promote_args("rad2deg", x, to_float=True)
    return ew.mul(x, _const(x, 180 / np.pi))


radians = deg2rad
degrees = rad2deg

# --------------------------------------------------------------------- max, min, select


def maximum(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise maximum (NaN if either is NaN); a tie splits the gradient in halves.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.maximum([1.0, 5.0], 3.0)
    array([3., 5.], dtype=float32)
    """
    x, y = promote_args("maximum", x, y)
    return ew.bitwise_or(x, y) if _is_bool(x) else ew.maximum(x, y)


def minimum(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise minimum (NaN if either is NaN); a tie splits the gradient in halves.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.minimum([1.0, 5.0], 3.0)
    array([1., 3.], dtype=float32)
    """
    x, y = promote_args("minimum", x, y)
    return ew.bitwise_and(x, y) if _is_bool(x) else ew.minimum(x, y)


def fmax(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise maximum ignoring NaNs (NaN only where both are NaN).

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.fmax([1.0, np.nan], [np.nan, 2.0])
    array([1., 2.], dtype=float32)
    """
    x1, x2 = _args("fmax", x1, x2)
    return _where(ew.bitwise_or(ew.gt(x1, x2), isnan(x2)), x1, x2)


def fmin(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise minimum ignoring NaNs (NaN only where both are NaN).

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.fmin([1.0, np.nan], [np.nan, 2.0])
    array([1., 2.], dtype=float32)
    """
    x1, x2 = _args("fmin", x1, x2)
    return _where(ew.bitwise_or(ew.lt(x1, x2), isnan(x2)), x1, x2)


def _nonzero_eager(condition, size, fill_value) -> tuple:
    if isinstance(condition, Tracer):
        raise TypeError(
            "fnp.where(condition) with a single argument returns the indices of the true "
            "entries, whose number depends on the values of the traced "
            f"{condition.aval.str_short()} condition. Use the three-argument form "
            "fnp.where(condition, x, y), or call "
            "fnp.where(condition) / fnp.nonzero eagerly, outside jit/vmap/make_jaxpr.")
    idx = np.nonzero(np.asarray(condition))
    idx = tuple(i.astype(DEFAULT_INT) for i in idx)
    if size is None:
        return idx
    fills = fill_value if isinstance(fill_value, tuple) else (fill_value,) * len(idx)
    out = []
    for i, f in zip(idx, fills):
        pad = np.full(max(size - len(i), 0), 0 if f is None else f, DEFAULT_INT)
        out.append(np.concatenate([i[:size], pad]))
    return tuple(out)


def where(condition: ArrayLike, x: ArrayLike | None = None, y: ArrayLike | None = None, /, *,
          size: int | None = None, fill_value: Any = None) -> Array:
    """Elementwise ``x if condition else y``, broadcasting all three.

    ``x`` and ``y`` are promoted to one dtype; a non-bool condition means ``!= 0``.
    The gradient flows only into the selected branch, so the guarded form
    ``fnp.where(x > 0, fnp.sqrt(fnp.where(x > 0, x, 1.0)), 0.0)`` has no NaN gradient.
    With only ``condition`` it returns the indices of the true entries (eagerly only).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.where([True, False], [1.0, 2.0], 0.0)
    array([1., 0.], dtype=float32)
    """
    if x is None and y is None:
        return _nonzero_eager(condition, size, fill_value)
    if x is None or y is None:
        raise ValueError("fnp.where: either both or neither of x and y should be given, got "
                         f"x={x!r:.40} and y={y!r:.40}.")
    if size is not None or fill_value is not None:
        raise ValueError("fnp.where: size and fill_value apply only to the one-argument form.")
    (c,) = _args("where", condition)
    x, y = promote_args("where", x, y)
    shapes = [tuple(np.shape(v)) for v in (c, x, y)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise TypeError(f"fnp.where: condition, x and y have shapes {shapes[0]}, {shapes[1]} and "
                        f"{shapes[2]}, which are not compatible for broadcasting (trailing "
                        "dimensions must be equal or 1); reshape or transpose one of them.") \
            from None
    return ew.select_n(_to_bool(c), y, x)


def select(condlist: list, choicelist: list, default: ArrayLike = 0) -> Array:
    """``choicelist[i]`` where ``condlist[i]`` is the first true condition, else ``default``.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> x = np.arange(4.0, dtype=np.float32)
    >>> fnp.select([x < 1, x > 2], [x, x * 10])
    array([ 0.,  0.,  0., 30.], dtype=float32)
    """
    if len(condlist) != len(choicelist):
        raise ValueError(f"fnp.select: condlist must have length equal to choicelist "
                         f"({len(condlist)} vs {len(choicelist)})")
    if len(condlist) == 0:
        raise ValueError("fnp.select: condlist must be non-empty")
    default, *choices = _args("select", default, *choicelist)
    out = default
    for c, v in zip(reversed(condlist), reversed(choices)):
        (c,) = _args("select", c)
        out = ew.select_n(_to_bool(c), out, v)
    return out


def clip(arr: ArrayLike, /, min: ArrayLike | None = None,  # noqa: A002
         max: ArrayLike | None = None) -> Array:  # noqa: A002
    """Elementwise ``minimum(max, maximum(min, arr))``; either bound may be None.

    As in JAX, a value exactly at a bound gets half the gradient.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.clip([-2.0, 0.5, 3.0], -1.0, 1.0)
    array([-1. ,  0.5,  1. ], dtype=float32)
    """
    if min is not None:
        arr = maximum(min, arr)
    if max is not None:
        arr = minimum(max, arr)
    if min is None and max is None:
        (arr,) = promote_args("clip", arr)
    return arr


# --------------------------------------------------------------------- rounding


def floor(x: ArrayLike, /) -> Array:
    """Elementwise floor; integer and bool inputs are returned unchanged.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.floor([-1.5, 1.5])
    array([-2.,  1.], dtype=float32)
    """
    (x,) = promote_args("floor", x)
    return x if _dtype(x) not in FLOATS else ew.floor(x)


def ceil(x: ArrayLike, /) -> Array:
    """Elementwise ceiling; integer and bool inputs are returned unchanged.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.ceil([-1.5, 1.5])
    array([-1.,  2.], dtype=float32)
    """
    (x,) = promote_args("ceil", x)
    return x if _dtype(x) not in FLOATS else bind(ew.ceil_p, x)


def round(a: ArrayLike, decimals: int = 0, out: None = None) -> Array:  # noqa: A001
    """Round to ``decimals`` decimal places, halves to even; integers are unchanged.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.round([0.5, 1.5, 2.567], 1)
    array([0.5, 1.5, 2.6], dtype=float32)
    """
    decimals = operator.index(decimals)
    if out is not None:
        raise NotImplementedError("fnp.round: the 'out' argument is not supported (arrays "
                                  "are immutable); use the returned value.")
    (a,) = _args("round", a)
    dt = _dtype(a)
    if dt in INTS:
        if decimals < 0:
            raise NotImplementedError("fnp.round: integer rounding with decimals < 0 is not "
                                      "implemented; convert to float first.")
        return a
    if dt not in FLOATS:
        raise TypeError(f"fnp.round: dtype {dt} is not supported; convert the input with "
                        ".astype(fnp.float32) first.")
    if decimals == 0:
        return bind(ew.round_p, a)
    info = ml_dtypes.finfo(dt)
    if decimals > np.log10(float(info.max)):
        return a
    x = ew.convert_element_type(a, float32) if dt == float16 else a
    factor = _const(x, 10.0 ** decimals)
    r = ew.div(bind(ew.round_p, ew.mul(x, factor)), factor)
    return ew.convert_element_type(r, dt) if dt == float16 else r


around = round


def rint(x: ArrayLike, /) -> Array:
    """Round to the nearest integer, halves to even; integers become float32 (as JAX).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.rint([0.5, 1.5, -2.5])
    array([ 0.,  2., -2.], dtype=float32)
    """
    (x,) = promote_args("rint", x)
    if _dtype(x) not in FLOATS:
        return cast(x, DEFAULT_FLOAT)
    return bind(ew.round_p, x)


# --------------------------------------------------------------------- floating-point classes


def isnan(x: ArrayLike, /) -> Array:
    """Elementwise ``x != x``: True where ``x`` is NaN.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isnan([1.0, np.nan])
    array([False,  True])
    """
    (x,) = promote_args("isnan", x)
    return ew.ne(x, x)


def isinf(x: ArrayLike, /) -> Array:
    """Elementwise: True where ``x`` is plus or minus infinity.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isinf([1.0, -np.inf])
    array([False,  True])
    """
    (x,) = promote_args("isinf", x)
    if _dtype(x) not in FLOATS:
        return _full_bool(x, False)
    return ew.eq(ew.absolute(x), _const(x, np.inf))


def isposinf(x: ArrayLike, /) -> Array:
    """Elementwise: True where ``x`` is plus infinity.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isposinf([np.inf, -np.inf])
    array([ True, False])
    """
    (x,) = promote_args("isposinf", x)
    if _dtype(x) not in FLOATS:
        return _full_bool(x, False)
    return ew.eq(x, _const(x, np.inf))


def isneginf(x: ArrayLike, /) -> Array:
    """Elementwise: True where ``x`` is minus infinity.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isneginf([np.inf, -np.inf])
    array([False,  True])
    """
    (x,) = promote_args("isneginf", x)
    if _dtype(x) not in FLOATS:
        return _full_bool(x, False)
    return ew.eq(x, _const(x, -np.inf))


def isfinite(x: ArrayLike, /) -> Array:
    """Elementwise: True where ``x`` is neither infinite nor NaN.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isfinite([1.0, np.inf, np.nan])
    array([ True, False, False])
    """
    (x,) = promote_args("isfinite", x)
    if _dtype(x) not in FLOATS:
        return _full_bool(x, True)
    return ew.is_finite(x)


def nan_to_num(x: ArrayLike, copy: bool = True, nan: ArrayLike = 0.0,
               posinf: ArrayLike | None = None, neginf: ArrayLike | None = None) -> Array:
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: the
    largest finite values of the dtype); integer inputs are returned unchanged.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.nan_to_num([np.nan, np.inf, 1.0], posinf=9.0)
    array([0., 9., 1.], dtype=float32)
    """
    del copy
    (x,) = _args("nan_to_num", x)
    dt = _dtype(x)
    if dt not in FLOATS:
        return x
    info = ml_dtypes.finfo(dt)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    out = _where(ew.ne(x, x), _const(x, nan), x)
    out = _where(ew.eq(out, _const(x, np.inf)), _const(x, posinf), out)
    return _where(ew.eq(out, _const(x, -np.inf)), _const(x, neginf), out)


# --------------------------------------------------------------------- logic and comparisons


def logical_and(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x and y`` of the truth values (``!= 0``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logical_and([1, 0, 2], [1, 1, 0])
    array([ True, False, False])
    """
    x, y = _args("logical_and", x, y)
    return ew.bitwise_and(_to_bool(x), _to_bool(y))


def logical_or(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x or y`` of the truth values (``!= 0``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logical_or([1, 0, 0], [0, 0, 3.0])
    array([ True, False,  True])
    """
    x, y = _args("logical_or", x, y)
    return ew.bitwise_or(_to_bool(x), _to_bool(y))


def logical_xor(x: ArrayLike, y: ArrayLike, /) -> Array:
    """Elementwise ``x != y`` of the truth values (``!= 0``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logical_xor([1, 0, 2], [1, 1, 0])
    array([False,  True,  True])
    """
    x, y = _args("logical_xor", x, y)
    return ew.bitwise_xor(_to_bool(x), _to_bool(y))


def logical_not(x: ArrayLike, /) -> Array:
    """Elementwise ``not x`` of the truth value (``!= 0``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logical_not([0.0, 2.0])
    array([ True, False])
    """
    (x,) = _args("logical_not", x)
    return ew.bitwise_not(_to_bool(x))


def _bitwise(prim, name: str, symbol: str):
    def f(x: ArrayLike, y: ArrayLike, /) -> Array:
        x, y = promote_args(name, x, y)
        return bind(prim, x, y)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"""Elementwise ``x {symbol} y`` of integer or bool arrays (operator ``{symbol}``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.{name}([12, 10], 6)
    {np.array_repr(getattr(np, name)(np.array([12, 10], np.int32), 6))}
    """
    return f


bitwise_and = _bitwise(ew.and_p, "bitwise_and", "&")
bitwise_or = _bitwise(ew.or_p, "bitwise_or", "|")
bitwise_xor = _bitwise(ew.xor_p, "bitwise_xor", "^")


def invert(x: ArrayLike, /) -> Array:
    """Elementwise bitwise not of an integer or bool array (the ``~`` operator).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.invert([True, False])
    array([False,  True])
    """
    (x,) = promote_args("invert", x)
    return ew.bitwise_not(x)


bitwise_not = invert

equal = _comparison(ew.eq_p, "equal", "==")
not_equal = _comparison(ew.ne_p, "not_equal", "!=")
less = _comparison(ew.lt_p, "less", "<")
less_equal = _comparison(ew.le_p, "less_equal", "<=")
greater = _comparison(ew.gt_p, "greater", ">")
greater_equal = _comparison(ew.ge_p, "greater_equal", ">=")

# --------------------------------------------------------------------- Array API names

acos, acosh, asin, asinh = arccos, arccosh, arcsin, arcsinh
atan, atan2, atanh = arctan, arctan2, arctanh
bitwise_invert = invert


def fabs(x: ArrayLike, /) -> Array:
    """Elementwise ``|x|`` as a float (integers and bools promote to float32 first).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.fabs([-2, 3])
    array([2., 3.], dtype=float32)
    """
    (x,) = promote_args("fabs", x, to_float=True)
    return ew.absolute(x)


# --------------------------------------------------------------------- bit shifts and counts


def _check_shapes(name: str, *xs) -> None:
    """A TypeError naming ``fnp.name`` when the operands do not broadcast (composed
    functions would otherwise report the inner primitive's name)."""
    shapes = [_shape(x) for x in xs]
    if len(set(shapes)) > 1:
        ew.broadcast_shapes(f"fnp.{name}", *shapes)


def _integer_args(name: str, names: tuple, xs: tuple, what: str) -> list:
    """Operands promoted as ``jax.numpy`` does for bit operations (bools become int32),
    with an error naming the argument whose dtype is not an integer."""
    for argname, x in zip(names, xs):
        dt, _ = dtype_weak(x)
        if dt not in INTS and dt != bool_:
            raise TypeError(f"fnp.{name}: {argname} has dtype {dt}, but {what} needs integer (or "
                      f"bool) operands; convert it first, e.g. {argname}.astype(fnp.int32).")
    return _numeric_args(name, *xs)


def left_shift(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 << x2`` of integers (bools count as int32); shifting by the bit
    width or more gives 0, as in XLA.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.left_shift(np.array([1, 96], np.uint8), 2)   # 96 * 4 wraps around
    array([  4, 128], dtype=uint8)
    """
    x1, x2 = _integer_args("left_shift", ("x1", "x2"), (x1, x2), "a bit shift")
    return bind(ew.shift_left_p, x1, x2)


def right_shift(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 >> x2`` of integers: arithmetic (sign-filling) for signed dtypes,
    logical for unsigned ones, as in JAX.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.right_shift([-8, 8], 2)
    array([-2,  2], dtype=int32)
    >>> fnp.right_shift(np.array([255], np.uint8), 4)
    array([15], dtype=uint8)
    """
    x1, x2 = _integer_args("right_shift", ("x1", "x2"), (x1, x2), "a bit shift")
    prim = ew.shift_right_logical_p if _dtype(x1) in _UNSIGNED else ew.shift_right_arithmetic_p
    return bind(prim, x1, x2)


bitwise_left_shift, bitwise_right_shift = left_shift, right_shift  # the Array API names


def bitwise_count(x: ArrayLike, /) -> Array:
    """The number of 1 bits in ``|x|``, as uint8 (NumPy's and JAX's convention).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.bitwise_count([0, 7, -7, 255])
    array([0, 3, 3, 8], dtype=uint8)
    """
    (x,) = _integer_args("bitwise_count", ("x",), (x,), "bitwise_count")
    if _dtype(x) not in _UNSIGNED:
        x = ew.absolute(x)
    return ew.convert_element_type(bind(ew.population_count_p, x), np.uint8)


# --------------------------------------------------------------------- floating-point parts


def trunc(x: ArrayLike, /) -> Array:
    """Round toward zero; integer and bool inputs are returned unchanged (as JAX).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.trunc([-1.7, 1.7])
    array([-1.,  1.], dtype=float32)
    """
    (x,) = _args("trunc", x)
    if _dtype(x) not in FLOATS:
        return x
    return _where(ew.lt(x, _const(x, 0)), bind(ew.ceil_p, x), ew.floor(x))


def signbit(x: ArrayLike, /) -> Array:
    """Elementwise: True where the sign bit is set (``-0.0`` and ``-nan`` included).

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.signbit([-1.0, -0.0, 0.0, 2.0])
    array([ True,  True, False, False])
    """
    (x,) = _args("signbit", x)
    dt = _dtype(x)
    if dt == bool_:
        return _full_bool(x, False)
    if dt in INTS:
        return ew.lt(x, _const(x, 0))
    return bind(sp.signbit_p, x)


def _copysign(x1, x2):
    a = ew.absolute(x1)
    return _where(signbit(x2), ew.neg(a), a)


def copysign(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``|x1|`` with the sign (bit) of ``x2``; the result is a float.

    The derivative with respect to ``x1`` is ``+-1`` (``x2``'s sign, and ``+1`` at
    ``x1 == 0``, as JAX's ``abs``); with respect to ``x2`` it is 0.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.copysign([1.0, -2.0, 3.0], [-1.0, 1.0, -0.0])
    array([-1.,  2., -3.], dtype=float32)
    """
    _check_shapes("copysign", x1, x2)
    return _copysign(*_args("copysign", x1, x2, to_float=True))


def nextafter(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """The next float after ``x1`` in the direction of ``x2`` (no derivative, as JAX).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nextafter(1.0, 2.0)
    np.float32(1.0000001)
    """
    x1, x2 = promote_args("nextafter", x1, x2, to_float=True)
    return bind(sp.nextafter_p, x1, x2)


def spacing(x: ArrayLike, /) -> Array:
    """The distance from ``x`` to the next float away from zero (``eps`` at 1.0).

    As JAX (no derivative: ``nextafter`` has none).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.spacing([1.0, -1.0])
    array([ 1.1920929e-07, -1.1920929e-07], dtype=float32)
    """
    (x,) = _args("spacing", x, to_float=True)
    inf = _const(x, np.inf)
    if _dtype(x) == float16:  # NumPy's float16 spacing always steps up, and so does JAX's
        return ew.sub(bind(sp.nextafter_p, x, inf), x)
    out = ew.sub(bind(sp.nextafter_p, x, _copysign(inf, x)), x)
    tiny = _const(x, ml_dtypes.finfo(_dtype(x)).smallest_subnormal)
    return _where(ew.eq(out, _const(x, 0)), _copysign(tiny, x), out)


def float_power(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 ** x2`` computed in floating point (integers promote to float32;
    float64 stays float64), as ``jax.numpy.float_power``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.float_power([2, 4], [3, 0.5])
    array([8., 2.], dtype=float32)
    """
    x1, x2 = promote_args("float_power", x1, x2, to_float=True)
    return ew.pow(x1, x2)


def frexp(x: ArrayLike, /) -> tuple[Array, Array]:
    """Split ``x`` into a mantissa ``m`` (``0.5 <= |m| < 1``, or 0) and an int32 exponent
    ``e`` with ``x == m * 2**e``; infinities and NaN come back as they are, with ``e = 0``.

    The mantissa's derivative is ``2**-e``, as JAX's.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.frexp([8.0, -3.0, 0.0])
    (array([ 0.5 , -0.75,  0.  ], dtype=float32), array([4, 2, 0], dtype=int32))
    """
    (x,) = _args("frexp", x, to_float=True)
    m, e = bind(sp.frexp_p, x)
    return m, e


def ldexp(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``x1 * 2**x2`` for an integer exponent ``x2``, without overflow in the
    intermediate (written as JAX's: through :func:`frexp`).  The result has ``x1``'s
    (float) dtype; where ``x1`` is 0 or infinite it is ``x1`` (derivative 1 there).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.ldexp([1.0, 0.75], [3, -1])
    array([8.   , 0.375], dtype=float32)
    """
    dt2, _ = dtype_weak(x2)
    if dt2 not in INTS and dt2 != bool_:
        raise ValueError(f"fnp.ldexp: the exponent x2 has dtype {dt2}, but it must be an "
                         f"integer; round it first, e.g. x2.astype(fnp.int32) (or use "
                         f"x1 * fnp.exp2(x2) for a float exponent).")
    _check_shapes("ldexp", x1, x2)
    (x1,) = _args("ldexp", x1, to_float=True)
    (x2,) = _args("ldexp", x2)
    dt = _dtype(x1)
    m, e = bind(sp.frexp_p, x1)
    e = ew.add(ew.convert_element_type(e, dt), cast(x2, dt))
    zero = _const(x1, 0)
    pos = ew.gt(e, zero)
    m = _where(pos, ew.mul(m, _const(x1, 2)), m)
    e = _where(pos, ew.sub(e, _const(x1, 1)), e)
    out = ew.mul(m, ew.pow(_const(x1, 2), e))
    keep = ew.bitwise_or(isinf(x1), ew.eq(x1, zero))
    return _where(keep, x1, out)


def modf(x: ArrayLike, /, out: None = None) -> tuple[Array, Array]:
    """``(x - trunc(x), trunc(x))``: the fractional and integral parts, each with ``x``'s
    sign, as floats.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.modf([2.5, -1.25])
    (array([ 0.5 , -0.25], dtype=float32), array([ 2., -1.], dtype=float32))
    """
    if out is not None:
        raise NotImplementedError("fnp.modf: the 'out' argument is not supported (arrays are "
                                  "immutable); use the returned tuple.")
    (x,) = _args("modf", x, to_float=True)
    whole = _where(ew.ge(x, _const(x, 0)), ew.floor(x), bind(ew.ceil_p, x))
    return ew.sub(x, whole), whole


def heaviside(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """The Heaviside step: 0 where ``x1 < 0``, 1 where ``x1 > 0``, ``x2`` where ``x1 == 0``
    (NaN where ``x1`` is NaN); a float.  The derivative flows only into ``x2`` at zeros.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.heaviside([-1.0, 0.0, 2.0], 0.5)
    array([0. , 0.5, 1. ], dtype=float32)
    """
    _check_shapes("heaviside", x1, x2)
    x1, x2 = _args("heaviside", x1, x2, to_float=True)
    zero, one = _const(x1, 0), _const(x1, 1)
    at_zero = _where(ew.ne(x1, x1), x1, x2)
    return _where(ew.lt(x1, zero), zero, _where(ew.gt(x1, zero), one, at_zero))


def logaddexp2(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Elementwise ``log2(2**x1 + 2**x2)`` without overflow.

    The derivatives are ``2**(x - out)``, split in halves at ties, as JAX's rule (at
    ``(+inf, finite)`` they are ``(1, 0)``, where JAX's rule gives ``(1, 2**x2)``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.logaddexp2([1.0, 1000.0], [1.0, 0.0])
    array([   2., 1000.], dtype=float32)
    """
    x1, x2 = promote_args("logaddexp2", x1, x2, to_float=True)
    return bind(sp.logaddexp2_p, x1, x2)


# --------------------------------------------------------------------- gcd and lcm


def _broadcast_pair(name: str, x1, x2) -> tuple:
    s1, s2 = _shape(x1), _shape(x2)
    shape = ew.broadcast_shapes(f"fnp.{name}", s1, s2)

    def to(x, s):
        return x if s == shape else broadcast_in_dim(x, shape, tuple(range(len(shape) - len(s),
                                                                            len(shape))))
    return to(x1, s1), to(x2, s2)


def _integer_pair(name: str, x1, x2) -> list:
    d1, d2 = dtype_weak(x1)[0], dtype_weak(x2)[0]
    x1, x2 = _args(name, x1, x2)
    if _dtype(x1) not in INTS:
        raise ValueError(f"fnp.{name}: the arguments must be integers, got x1 of dtype {d1} "
                         f"and x2 of dtype {d2}; convert them first, e.g. "
                         f"x1.astype(fnp.int32).")
    return [x1, x2]


def _gcd_cond(carry):
    _, b = carry
    nonzero = ew.ne(b, _const(b, 0))
    return red.reduce_or(nonzero, tuple(range(len(_shape(nonzero)))))


def _gcd_body(carry):
    a, b = carry
    zero = _const(b, 0)
    nz = ew.ne(b, zero)
    a, b = _where(nz, b, a), _where(nz, ew.rem(a, _where(nz, b, _const(b, 1))), zero)
    swap = ew.lt(a, b)
    return _where(swap, b, a), _where(swap, a, b)


def gcd(x1: ArrayLike, x2: ArrayLike) -> Array:
    """Elementwise greatest common divisor of ``|x1|`` and ``|x2|`` (integers; gcd(0, 0)
    is 0), by Euclid's algorithm in a ``while_loop``, as ``jax.numpy.gcd`` (which, unlike
    this one, loops forever when an operand is the dtype's minimum, e.g. int8 -128).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.gcd([12, -18, 0], 8)
    array([4, 2, 8], dtype=int32)
    """
    from ..lax import while_loop  # fl.lax imports this package
    x1, x2 = _integer_pair("gcd", x1, x2)
    x1, x2 = _broadcast_pair("gcd", x1, x2)
    dt = _dtype(x1)
    if dt in _UNSIGNED:
        return while_loop(_gcd_cond, _gcd_body, (x1, x2))[0]
    # |x| as the unsigned dtype of the same width, so |INT_MIN| is right and the loop ends
    # (jax.numpy's signed loop never ends when an operand is INT_MIN)
    udt = np.dtype(f"u{dt.itemsize}")
    a, b = (ew.convert_element_type(ew.absolute(x), udt) for x in (x1, x2))
    return ew.convert_element_type(while_loop(_gcd_cond, _gcd_body, (a, b))[0], dt)


def lcm(x1: ArrayLike, x2: ArrayLike) -> Array:
    """Elementwise least common multiple of ``|x1|`` and ``|x2|`` (integers; 0 when either
    is 0), as ``jax.numpy.lcm``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.lcm([4, 6, 0], 6)
    array([12,  6,  0], dtype=int32)
    """
    x1, x2 = _integer_pair("lcm", x1, x2)
    x1, x2 = absolute(x1), absolute(x2)
    d = gcd(x1, x2)
    is_zero = ew.eq(d, _const(d, 0))
    safe = _where(is_zero, _const(d, 1), d)
    return _where(is_zero, _const(d, 0), ew.mul(x1, floor_divide(x2, safe)))


# --------------------------------------------------------------------- closeness and equality


def _all(x):
    return red.reduce_and(x, tuple(range(len(_shape(x)))))


def isclose(a: ArrayLike, b: ArrayLike, rtol: ArrayLike = 1e-05, atol: ArrayLike = 1e-08,
            equal_nan: bool = False) -> Array:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (or ``a == b``), as a bool array.

    Inputs promote to float as in JAX; infinities are close only to themselves, NaNs
    to nothing unless ``equal_nan``.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isclose([1.0, 1.0, np.nan], [1.0 + 1e-6, 1.1, np.nan], equal_nan=True)
    array([ True, False,  True])
    """
    _check_shapes("isclose", a, b)
    a, b = _args("isclose", a, b, to_float=True)
    dt = _dtype(a)
    rtol, atol = unweak(cast(rtol, dt)), unweak(cast(atol, dt))
    with np.errstate(invalid="ignore"):  # inf - inf, 0 * inf: those entries use a == b
        in_range = ew.le(ew.absolute(ew.sub(a, b)), ew.add(atol, ew.mul(rtol, ew.absolute(b))))
    out = ew.bitwise_or(ew.eq(a, b), ew.bitwise_and(isfinite(b), in_range))
    if equal_nan:
        out = ew.bitwise_or(out, ew.bitwise_and(ew.ne(a, a), ew.ne(b, b)))
    return out


def allclose(a: ArrayLike, b: ArrayLike, rtol: ArrayLike = 1e-05, atol: ArrayLike = 1e-08,
             equal_nan: bool = False) -> Array:
    """Whether :func:`isclose` holds everywhere (a bool scalar array).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.allclose([1.0, 2.0], [1.0, 2.0 + 1e-7])
    array(True)
    """
    return _all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1: ArrayLike, a2: ArrayLike, equal_nan: bool = False) -> Array:
    """Whether ``a1`` and ``a2`` have one shape and equal elements (a bool scalar array);
    with ``equal_nan``, NaNs in the same places count as equal.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.array_equal([1, 2], [1, 2]), fnp.array_equal([1, 2], [[1, 2]])
    (array(True), array(False))
    >>> fnp.array_equal([np.nan], [np.nan], equal_nan=True)
    array(True)
    """
    a1, a2 = (_args("array_equal", v)[0] if isinstance(v, (list, tuple)) else v
              for v in (a1, a2))
    if _shape(a1) != _shape(a2):
        return np.array(False)
    eq = equal(a1, a2)
    if equal_nan:
        eq = ew.bitwise_or(eq, ew.bitwise_and(isnan(a1), isnan(a2)))
    return _all(eq)


def array_equiv(a1: ArrayLike, a2: ArrayLike) -> Array:
    """Whether ``a1`` and ``a2`` broadcast together and are equal everywhere (a bool
    scalar array; False when their shapes do not broadcast).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.array_equiv([1, 2], [[1, 2], [1, 2]]), fnp.array_equiv([1, 2], [1, 2, 3])
    (array(True), array(False))
    """
    a1, a2 = (_args("array_equiv", v)[0] if isinstance(v, (list, tuple)) else v
              for v in (a1, a2))
    try:
        np.broadcast_shapes(_shape(a1), _shape(a2))
    except ValueError:
        return np.array(False)
    return _all(equal(a1, a2))
