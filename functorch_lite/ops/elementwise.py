"""Elementwise primitives: unary math, binary arithmetic, comparisons, select, casts.

Binary primitives take operands of one dtype (``fnp`` promotes first) and
broadcast like NumPy.  Each rule is one line, the formula visible.
"""
from __future__ import annotations

import functools

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, INTS, bool_
from .rules import def_elementwise_batch, defjvp, defvjp, unbroadcast_to

# --------------------------------------------------------------------- shape/dtype rules


@functools.lru_cache(maxsize=4096)
def broadcast_shapes(name: str, *shapes: tuple) -> tuple:
    """NumPy broadcasting of ``shapes``; a TypeError names the op and the shapes."""
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        d = 1
        for s in shapes:
            k = i - (rank - len(s))
            if k < 0:
                continue
            e = s[k]
            if e != 1:
                if d != 1 and d != e:
                    raise TypeError(
                        f"{name}: operand shapes {' and '.join(str(tuple(s)) for s in shapes)} "
                        "are not compatible for broadcasting (trailing dimensions must be "
                        "equal or 1); reshape or transpose one of them.")
                d = e
        out.append(d)
    return tuple(out)


def _elementwise_aval(name, kinds, out_dtype=None):
    def abstract_eval(*avals):
        a = avals[0]
        dt = a.dtype
        if len(avals) == 1:
            shape = a.shape
            weak = a.weak_type
        elif len(avals) == 2 and avals[1].dtype == dt:
            b = avals[1]
            shape = a.shape if a.shape == b.shape or not b.shape else \
                b.shape if not a.shape else broadcast_shapes(name, a.shape, b.shape)
            weak = a.weak_type and b.weak_type
        else:
            if len({b.dtype for b in avals}) > 1:
                raise TypeError(f"{name}: operands must have one dtype, got "
                                f"{', '.join(b.str_short() for b in avals)}; promote them "
                                "first (fnp functions do this for you).")
            shape = broadcast_shapes(name, *(b.shape for b in avals))
            weak = all(b.weak_type for b in avals)
        if kinds is not None and dt not in kinds:
            raise TypeError(f"{name}: dtype {dt} is not supported (operand "
                            f"{a.str_short()}); convert with .astype(fnp.float32).")
        if out_dtype is not None:
            return ShapedArray.make(shape, out_dtype, False)
        return ShapedArray.make(shape, dt, weak)
    return abstract_eval


_NUM = FLOATS | INTS
_INTEGRAL = INTS | {bool_}


def _broadcast_error(name: str, args) -> None:
    """Raise the TypeError naming ``name`` and the shapes when ``args`` do not broadcast
    (NumPy's own ValueError names neither the operation nor the fix)."""
    if len(args) > 1:
        broadcast_shapes(name, *(tuple(np.shape(a)) for a in args))


def _named_errors(fn, name: str):
    def impl(*args):
        try:
            return fn(*args)
        except ValueError:
            _broadcast_error(name, args)
            raise
    return impl


def _np_cast(fn, name: str = "elementwise op"):
    """Wrap a NumPy ufunc so the result keeps the operands' dtype (NumPy may widen)."""
    def impl(*args):
        try:
            out = fn(*args)
        except ValueError:
            _broadcast_error(name, args)
            raise
        dt = getattr(args[0], "dtype", None)
        if dt is not None and getattr(out, "dtype", dt) != dt:
            out = out.astype(dt)
        return out
    return impl


_KEPT = frozenset({np.dtype(np.float32), np.dtype(np.float64)})  # a ufunc's result dtype
# when all its operands have it (NumPy computes other floats, e.g. bfloat16, elsewhere)


def _same_dtype_ufunc(fn):
    """A ``specialize`` rule: the ufunc ``fn`` itself when every operand is float32, or
    every one float64 (``fn`` then keeps the dtype, so ``_np_cast``'s check and cast
    have nothing to do)."""
    def specialize(*avals):
        dt = avals[0].dtype
        if dt in _KEPT and all(a.dtype == dt for a in avals):
            return fn
        return None
    return specialize


def elementwise(name: str, np_fn, lower_fn, nargs: int, kinds=_NUM, out_dtype=None,
                keep_dtype: bool = True) -> Primitive:
    p = Primitive(name)
    p.impl = (_np_cast(np_fn, name) if keep_dtype and out_dtype is None
              else _named_errors(np_fn, name))
    if keep_dtype and out_dtype is None and isinstance(np_fn, np.ufunc):
        p.specialize = _same_dtype_ufunc(np_fn)
    p.abstract_eval = _elementwise_aval(name, kinds, out_dtype)
    p.lower = lower_fn
    def_elementwise_batch(p)
    if out_dtype is not None:  # comparisons etc.: not differentiable
        p.jvp = lambda primals, tangents, ans, **params: None
        defvjp(p, *([None] * nargs))
    return p


def unary(name, np_fn, lower_fn, kinds=FLOATS):
    return elementwise(name, np_fn, lower_fn, 1, kinds)


def binary(name, np_fn, lower_fn, kinds=_NUM):
    return elementwise(name, np_fn, lower_fn, 2, kinds)


def comparison(name, np_fn, lower_fn):
    return elementwise(name, np_fn, lower_fn, 2, None, out_dtype=bool_)


# --------------------------------------------------------------------- traceable helpers
# Rules call primitives through these one-liners, so rules trace like user code.

def neg(x): return bind(neg_p, x)
def add(x, y): return bind(add_p, x, y)
def sub(x, y): return bind(sub_p, x, y)
def mul(x, y): return bind(mul_p, x, y)
def div(x, y): return bind(div_p, x, y)
def sin(x): return bind(sin_p, x)
def cos(x): return bind(cos_p, x)
def exp(x): return bind(exp_p, x)
def log(x): return bind(log_p, x)
def sqrt(x): return bind(sqrt_p, x)
def rsqrt(x): return bind(rsqrt_p, x)
def sign(x): return bind(sign_p, x)
def cosh(x): return bind(cosh_p, x)
def sinh(x): return bind(sinh_p, x)
def eq(x, y): return bind(eq_p, x, y)
def ne(x, y): return bind(ne_p, x, y)
def select_n(pred, *cases): return bind(select_n_p, pred, *cases)
def integer_pow(x, y): return bind(integer_pow_p, x, y=y)
def pow(x, y): return bind(pow_p, x, y)  # noqa: A001
def floor(x): return bind(floor_p, x)
def rem(x, y): return bind(rem_p, x, y)
def lt(x, y): return bind(lt_p, x, y)
def le(x, y): return bind(le_p, x, y)
def gt(x, y): return bind(gt_p, x, y)
def ge(x, y): return bind(ge_p, x, y)
def maximum(x, y): return bind(max_p, x, y)
def minimum(x, y): return bind(min_p, x, y)
def absolute(x): return bind(abs_p, x)
def log1p(x): return bind(log1p_p, x)
def is_finite(x): return bind(is_finite_p, x)
def logaddexp(x, y): return bind(logaddexp_p, x, y)
def bitwise_and(x, y): return bind(and_p, x, y)
def bitwise_or(x, y): return bind(or_p, x, y)
def bitwise_xor(x, y): return bind(xor_p, x, y)
def bitwise_not(x): return bind(not_p, x)
def shift_right_logical(x, y): return bind(shift_right_logical_p, x, y)
def convert_element_type(x, new_dtype, weak_type=False):
    return bind(convert_element_type_p, x, new_dtype=np.dtype(new_dtype), weak_type=weak_type)


def _c(x, v):
    """The Python scalar ``v`` as a constant of ``x``'s dtype (a literal when traced).

    A 0-d array, not a NumPy scalar: ``np.float64`` subclasses Python's ``float`` and
    would be taken for a weakly typed float32 Python scalar."""
    return np.asarray(v, dtype=getattr(x, "dtype", None) or np.result_type(x))


def zeros_like(x):
    shape = x.aval.shape if hasattr(x, "aval") else np.shape(x)
    return _shapes.broadcast_in_dim(_c(x, 0), tuple(shape), ())


def ones_like(x):
    shape = x.aval.shape if hasattr(x, "aval") else np.shape(x)
    return _shapes.broadcast_in_dim(_c(x, 1), tuple(shape), ())


# --------------------------------------------------------------------- unary math

neg_p = unary("neg", np.negative, lax.neg, _NUM)
sin_p = unary("sin", np.sin, lax.sin)
cos_p = unary("cos", np.cos, lax.cos)
tan_p = unary("tan", np.tan, lax.tan)
asin_p = unary("asin", np.arcsin, lax.asin)
acos_p = unary("acos", np.arccos, lax.acos)
atan_p = unary("atan", np.arctan, lax.atan)
sinh_p = unary("sinh", np.sinh, lax.sinh)
cosh_p = unary("cosh", np.cosh, lax.cosh)
tanh_p = unary("tanh", np.tanh, lax.tanh)
asinh_p = unary("asinh", np.arcsinh, lax.asinh)
acosh_p = unary("acosh", np.arccosh, lax.acosh)
atanh_p = unary("atanh", np.arctanh, lax.atanh)
exp_p = unary("exp", np.exp, lax.exp)
exp2_p = unary("exp2", np.exp2, lax.exp2)
expm1_p = unary("expm1", np.expm1, lax.expm1)
log_p = unary("log", np.log, lax.log)
log1p_p = unary("log1p", np.log1p, lax.log1p)
sqrt_p = unary("sqrt", np.sqrt, lax.sqrt)
rsqrt_p = unary("rsqrt", lambda x: 1 / np.sqrt(x), lax.rsqrt)
cbrt_p = unary("cbrt", np.cbrt, lax.cbrt)
logistic_p = unary("logistic", lambda x: 0.5 * np.tanh(0.5 * x) + 0.5, lax.logistic)
abs_p = unary("abs", np.abs, lax.abs, _NUM)
sign_p = unary("sign", np.sign, lax.sign, _NUM)
floor_p = unary("floor", np.floor, lax.floor)
ceil_p = unary("ceil", np.ceil, lax.ceil)
round_p = unary("round", np.round, lambda x: lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN))
is_finite_p = elementwise("is_finite", np.isfinite, lax.is_finite, 1, FLOATS, out_dtype=bool_)
not_p = unary("not", lambda x: np.logical_not(x) if x.dtype == bool_ else np.invert(x),
              lax.bitwise_not, _INTEGRAL)
integer_pow_p = Primitive("integer_pow")
_power = _np_cast(np.power, "integer_pow")


def _square(x):
    return np.multiply(x, x)


def _integer_pow_impl(x, *, y):
    if y == 2:
        return _square(x)  # the square of a loss: one multiply, no pow loop
    return _power(x, np.asarray(y, dtype=np.asarray(x).dtype))


_ipow_aval = _elementwise_aval("integer_pow", _NUM)
integer_pow_p.impl = _integer_pow_impl
integer_pow_p.specialize = lambda a, *, y: _square if y == 2 and a.dtype in _KEPT else None
integer_pow_p.abstract_eval = lambda a, *, y: _ipow_aval(a)
integer_pow_p.lower = lambda x, *, y: lax.integer_pow(x, y)
integer_pow_p.batch = lambda args, dims, *, y: (integer_pow(args[0], y), dims[0])

# One line per primitive: the derivative, then the cotangent formula.
defjvp(neg_p, lambda t, ans, x: neg(t))
defvjp(neg_p, lambda g, ans, x: neg(g))
defjvp(sin_p, lambda t, ans, x: mul(t, cos(x)))
defvjp(sin_p, lambda g, ans, x: mul(g, cos(x)))
defjvp(cos_p, lambda t, ans, x: neg(mul(t, sin(x))))
defvjp(cos_p, lambda g, ans, x: neg(mul(g, sin(x))))
defjvp(tan_p, lambda t, ans, x: mul(t, add(_c(ans, 1), mul(ans, ans))))
defvjp(tan_p, lambda g, ans, x: mul(g, add(_c(ans, 1), mul(ans, ans))))
defjvp(asin_p, lambda t, ans, x: mul(t, rsqrt(sub(_c(x, 1), mul(x, x)))))
defvjp(asin_p, lambda g, ans, x: mul(g, rsqrt(sub(_c(x, 1), mul(x, x)))))
defjvp(acos_p, lambda t, ans, x: neg(mul(t, rsqrt(sub(_c(x, 1), mul(x, x))))))
defvjp(acos_p, lambda g, ans, x: neg(mul(g, rsqrt(sub(_c(x, 1), mul(x, x))))))
defjvp(atan_p, lambda t, ans, x: div(t, add(_c(x, 1), mul(x, x))))
defvjp(atan_p, lambda g, ans, x: div(g, add(_c(x, 1), mul(x, x))))
defjvp(sinh_p, lambda t, ans, x: mul(t, cosh(x)))
defvjp(sinh_p, lambda g, ans, x: mul(g, cosh(x)))
defjvp(cosh_p, lambda t, ans, x: mul(t, sinh(x)))
defvjp(cosh_p, lambda g, ans, x: mul(g, sinh(x)))
defjvp(tanh_p, lambda t, ans, x: mul(t, sub(_c(ans, 1), mul(ans, ans))))
defvjp(tanh_p, lambda g, ans, x: mul(g, sub(_c(ans, 1), mul(ans, ans))))
defjvp(asinh_p, lambda t, ans, x: mul(t, rsqrt(add(mul(x, x), _c(x, 1)))))
defvjp(asinh_p, lambda g, ans, x: mul(g, rsqrt(add(mul(x, x), _c(x, 1)))))
defjvp(acosh_p, lambda t, ans, x: mul(t, rsqrt(mul(sub(x, _c(x, 1)), add(x, _c(x, 1))))))
defvjp(acosh_p, lambda g, ans, x: mul(g, rsqrt(mul(sub(x, _c(x, 1)), add(x, _c(x, 1))))))
defjvp(atanh_p, lambda t, ans, x: div(t, sub(_c(x, 1), mul(x, x))))
defvjp(atanh_p, lambda g, ans, x: div(g, sub(_c(x, 1), mul(x, x))))
defjvp(exp_p, lambda t, ans, x: mul(t, ans))
defvjp(exp_p, lambda g, ans, x: mul(g, ans))
defjvp(exp2_p, lambda t, ans, x: mul(t, mul(ans, _c(ans, np.log(2)))))
defvjp(exp2_p, lambda g, ans, x: mul(g, mul(ans, _c(ans, np.log(2)))))
defjvp(expm1_p, lambda t, ans, x: mul(t, add(ans, _c(ans, 1))))
defvjp(expm1_p, lambda g, ans, x: mul(g, add(ans, _c(ans, 1))))
defjvp(log_p, lambda t, ans, x: div(t, x))
defvjp(log_p, lambda g, ans, x: div(g, x))
defjvp(log1p_p, lambda t, ans, x: div(t, add(x, _c(x, 1))))
defvjp(log1p_p, lambda g, ans, x: div(g, add(x, _c(x, 1))))
defjvp(sqrt_p, lambda t, ans, x: div(t, mul(_c(ans, 2), ans)))
defvjp(sqrt_p, lambda g, ans, x: div(g, mul(_c(ans, 2), ans)))
defjvp(rsqrt_p, lambda t, ans, x: mul(t, mul(_c(x, -0.5), div(ans, x))))
defvjp(rsqrt_p, lambda g, ans, x: mul(g, mul(_c(x, -0.5), div(ans, x))))
defjvp(cbrt_p, lambda t, ans, x: mul(t, mul(_c(x, 1 / 3), integer_pow(ans, -2))))
defvjp(cbrt_p, lambda g, ans, x: mul(g, mul(_c(x, 1 / 3), integer_pow(ans, -2))))
defjvp(logistic_p, lambda t, ans, x: mul(t, mul(ans, sub(_c(ans, 1), ans))))
defvjp(logistic_p, lambda g, ans, x: mul(g, mul(ans, sub(_c(ans, 1), ans))))
def _abs_slope(x):
    """+1 for x >= 0 and -1 below: abs'(0) = 1, as JAX's select(x >= 0, t, -t)."""
    return select_n(bind(ge_p, x, _c(x, 0)), _c(x, -1), _c(x, 1))


defjvp(abs_p, lambda t, ans, x: mul(t, _abs_slope(x)))
defvjp(abs_p, lambda g, ans, x: mul(g, _abs_slope(x)))
for _p in (sign_p, floor_p, ceil_p, round_p):  # piecewise constant: zero derivative
    defjvp(_p, None)
    defvjp(_p, None)
defjvp(not_p, None)
defvjp(not_p, None)
def _ipow_slope(x, y):
    """d/dx x**y = y * x**(y-1), with x**1 = x (no copy) and x**0 = 1."""
    return _c(x, y) if y == 1 else mul(_c(x, y), x if y == 2 else integer_pow(x, y - 1))


defjvp(integer_pow_p, lambda t, ans, x, *, y: mul(t, _ipow_slope(x, y)) if y != 0
       else zeros_like(t))
defvjp(integer_pow_p, lambda g, ans, x, *, y: mul(g, _ipow_slope(x, y)) if y != 0
       else zeros_like(g))

# --------------------------------------------------------------------- binary arithmetic


def _int_div(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype in INTS:
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.abs(x) // np.where(y == 0, 1, np.abs(y))
        return (q * (np.sign(x) * np.sign(y))).astype(x.dtype)
    return np.true_divide(x, y)


add_p = binary("add", np.add, jnp.add)
sub_p = binary("sub", np.subtract, jnp.subtract)
mul_p = binary("mul", np.multiply, jnp.multiply)
div_p = binary("div", _int_div, lambda x, y: jnp.true_divide(x, y) if jnp.issubdtype(
    x.dtype, jnp.floating) else lax.div(*jnp.broadcast_arrays(x, y)))
div_p.specialize = _same_dtype_ufunc(np.true_divide)  # _int_div on floats
rem_p = binary("rem", np.fmod, lambda x, y: lax.rem(*jnp.broadcast_arrays(x, y)))
pow_p = binary("pow", np.power, jnp.power, FLOATS)
max_p = binary("max", np.maximum, jnp.maximum)
min_p = binary("min", np.minimum, jnp.minimum)
atan2_p = binary("atan2", np.arctan2, jnp.arctan2, FLOATS)
logaddexp_p = binary("logaddexp", np.logaddexp, jnp.logaddexp, FLOATS)
and_p = binary("and", np.bitwise_and, jnp.bitwise_and, _INTEGRAL)
or_p = binary("or", np.bitwise_or, jnp.bitwise_or, _INTEGRAL)
xor_p = binary("xor", np.bitwise_xor, jnp.bitwise_xor, _INTEGRAL)


def _shift_right_logical(x, y):
    """XLA's logical right shift: the bits as unsigned, counts >= the width give 0."""
    x, y = np.asarray(x), np.asarray(y)
    udt = np.dtype(f"u{x.dtype.itemsize}")
    ux, uy = x.view(udt), y.astype(x.dtype).view(udt)
    too_far = uy >= 8 * x.dtype.itemsize
    out = np.where(too_far, udt.type(0), ux >> np.where(too_far, udt.type(0), uy))
    return np.asarray(out, dtype=udt).view(x.dtype)


shift_right_logical_p = binary("shift_right_logical", _shift_right_logical,
                               lambda x, y: lax.shift_right_logical(*jnp.broadcast_arrays(x, y)),
                               INTS)


def _shift_count(x, y):
    """``y`` as an unsigned count of ``x``'s width, and where it is at least the width
    (XLA: a negative count, read as unsigned, is too far as well)."""
    x, y = np.asarray(x), np.asarray(y)
    udt = np.dtype(f"u{x.dtype.itemsize}")
    uy = y.astype(x.dtype).view(udt)
    too_far = uy >= 8 * x.dtype.itemsize
    return x, np.where(too_far, udt.type(0), uy).astype(x.dtype), too_far


def _shift_left(x, y):
    """XLA's left shift: counts >= the width give 0."""
    x, count, too_far = _shift_count(x, y)
    return np.asarray(np.where(too_far, x.dtype.type(0), x << count), dtype=x.dtype)


def _shift_right_arithmetic(x, y):
    """XLA's arithmetic right shift: the bits as signed (unsigned ones too), counts >=
    the width fill with the sign bit."""
    x, count, too_far = _shift_count(x, y)
    sdt = np.dtype(f"i{x.dtype.itemsize}")
    sx, count = x.view(sdt), count.view(sdt)
    out = np.where(too_far, sx >> (8 * x.dtype.itemsize - 1), sx >> count)
    return np.asarray(out, dtype=sdt).view(x.dtype)


def _population_count(x):
    """The number of set bits of each integer (of its two's-complement bits)."""
    x = np.asarray(x)
    return np.bitwise_count(x.view(f"u{x.dtype.itemsize}")).astype(x.dtype)


def _clz(x):
    """The number of leading zero bits of each integer in its dtype's width."""
    x = np.asarray(x)
    ux = x.view(f"u{x.dtype.itemsize}").copy()
    count = np.zeros(x.shape, np.int64)
    step = 4 * x.dtype.itemsize
    while step:  # binary search for the highest set bit
        high = (ux >> step) == 0
        count += np.where(high, step, 0)
        ux = np.where(high, ux, ux >> step)
        step //= 2
    count += ux == 0  # the last bit itself
    return count.astype(x.dtype)


def _broadcast_lower(f):
    return lambda x, y: f(*jnp.broadcast_arrays(x, y))


shift_left_p = binary("shift_left", _shift_left, _broadcast_lower(lax.shift_left), INTS)
shift_right_arithmetic_p = binary("shift_right_arithmetic", _shift_right_arithmetic,
                                  _broadcast_lower(lax.shift_right_arithmetic), INTS)
population_count_p = unary("population_count", _population_count, lax.population_count, INTS)
clz_p = unary("clz", _clz, lax.clz, INTS)
eq_p = comparison("eq", np.equal, jnp.equal)
ne_p = comparison("ne", np.not_equal, jnp.not_equal)
lt_p = comparison("lt", np.less, jnp.less)
le_p = comparison("le", np.less_equal, jnp.less_equal)
gt_p = comparison("gt", np.greater, jnp.greater)
ge_p = comparison("ge", np.greater_equal, jnp.greater_equal)


def _balanced_eq(x, z, y):
    """1 where x alone attains z, 1/2 where x and y tie, else 0 (JAX's tie split)."""
    one, half, zero = _c(z, 1), _c(z, 0.5), _c(z, 0)
    return select_n(eq(x, z), zero, select_n(eq(y, z), one, half))


def _replace_zero(x):
    return select_n(eq(x, _c(x, 0)), x, _c(x, 1))


def _logaddexp_weight(x, ans):
    """d logaddexp / dx = exp(x - ans), with the limits where that is inf - inf: at
    ans = +inf, 1 for x = +inf else 0; at (-inf, -inf) a tie, 1/2 each (JAX: NaN)."""
    at_inf = eq(ans, _c(ans, np.inf))
    w = select_n(at_inf, exp(sub(x, ans)), select_n(eq(x, ans), _c(ans, 0), _c(ans, 1)))
    return select_n(eq(ans, _c(ans, -np.inf)), w, _c(ans, 0.5))


def _pow_dx(x, y):
    # y * x**(y-1), and 0 where y == 0: x**0 is constant, so 0**0 gets derivative 0 (JAX
    # does this for integer exponents only and gives NaN for a float 0.0; ours is finite)
    return select_n(eq(y, _c(y, 0)), mul(y, pow(x, sub(y, _c(y, 1)))), _c(y, 0))


defjvp(logaddexp_p, lambda t, ans, x, y: mul(t, _logaddexp_weight(x, ans)),
       lambda t, ans, x, y: mul(t, _logaddexp_weight(y, ans)))
defvjp(logaddexp_p, lambda g, ans, x, y: mul(g, _logaddexp_weight(x, ans)),
       lambda g, ans, x, y: mul(g, _logaddexp_weight(y, ans)), unbroadcast=True)
defjvp(add_p, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
defvjp(add_p, lambda g, ans, x, y: g, lambda g, ans, x, y: g, unbroadcast=True)
defjvp(sub_p, lambda t, ans, x, y: t, lambda t, ans, x, y: neg(t))
defvjp(sub_p, lambda g, ans, x, y: g, lambda g, ans, x, y: neg(g), unbroadcast=True)
defjvp(mul_p, lambda t, ans, x, y: mul(t, y), lambda t, ans, x, y: mul(x, t))
defvjp(mul_p, lambda g, ans, x, y: mul(g, y), lambda g, ans, x, y: mul(x, g), unbroadcast=True)
defjvp(div_p, lambda t, ans, x, y: div(t, y), lambda t, ans, x, y: neg(mul(t, div(ans, y))))
defvjp(div_p, lambda g, ans, x, y: div(g, y), lambda g, ans, x, y: neg(mul(g, div(ans, y))),
       unbroadcast=True)
defjvp(rem_p, lambda t, ans, x, y: t,
       lambda t, ans, x, y: neg(mul(t, mul(sign(div(x, y)), floor(bind(abs_p, div(x, y)))))))
defvjp(rem_p, lambda g, ans, x, y: g,
       lambda g, ans, x, y: neg(mul(g, mul(sign(div(x, y)), floor(bind(abs_p, div(x, y)))))),
       unbroadcast=True)
defjvp(pow_p, lambda t, ans, x, y: mul(t, _pow_dx(x, y)),
       lambda t, ans, x, y: mul(t, mul(log(_replace_zero(x)), ans)))
defvjp(pow_p, lambda g, ans, x, y: mul(g, _pow_dx(x, y)),
       lambda g, ans, x, y: mul(g, mul(log(_replace_zero(x)), ans)), unbroadcast=True)
defjvp(max_p, lambda t, ans, x, y: mul(t, _balanced_eq(x, ans, y)),
       lambda t, ans, x, y: mul(t, _balanced_eq(y, ans, x)))
defvjp(max_p, lambda g, ans, x, y: mul(g, _balanced_eq(x, ans, y)),
       lambda g, ans, x, y: mul(g, _balanced_eq(y, ans, x)), unbroadcast=True)
defjvp(min_p, lambda t, ans, x, y: mul(t, _balanced_eq(x, ans, y)),
       lambda t, ans, x, y: mul(t, _balanced_eq(y, ans, x)))
defvjp(min_p, lambda g, ans, x, y: mul(g, _balanced_eq(x, ans, y)),
       lambda g, ans, x, y: mul(g, _balanced_eq(y, ans, x)), unbroadcast=True)
defjvp(atan2_p, lambda t, ans, x, y: mul(t, div(y, add(mul(x, x), mul(y, y)))),
       lambda t, ans, x, y: neg(mul(t, div(x, add(mul(x, x), mul(y, y))))))
defvjp(atan2_p, lambda g, ans, x, y: mul(g, div(y, add(mul(x, x), mul(y, y)))),
       lambda g, ans, x, y: neg(mul(g, div(x, add(mul(x, x), mul(y, y))))), unbroadcast=True)
for _p in (and_p, or_p, xor_p, shift_right_logical_p, shift_left_p, shift_right_arithmetic_p):
    defjvp(_p, None, None)
    defvjp(_p, None, None)
for _p in (population_count_p, clz_p):
    defjvp(_p, None)
    defvjp(_p, None)

# --------------------------------------------------------------------- select and casts

select_n_p = Primitive("select_n")


def _select_impl(pred, *cases):
    if len(cases) == 2 and np.asarray(pred).dtype == bool_:
        return np.where(pred, cases[1], cases[0])
    return np.choose(np.asarray(pred, dtype=np.int32), np.broadcast_arrays(*cases))


def _select_aval(pred, *cases):
    if pred.dtype != bool_ and pred.dtype not in INTS:
        raise TypeError(f"select_n: the predicate must be bool or int, got {pred.str_short()}")
    dts = {c.dtype for c in cases}
    if len(dts) != 1:
        raise TypeError("select_n: cases must have one dtype, got "
                        + ", ".join(c.str_short() for c in cases))
    shape = broadcast_shapes("select_n", pred.shape, *(c.shape for c in cases))
    return ShapedArray(shape, cases[0].dtype, all(c.weak_type for c in cases))


def _select_jvp(primals, tangents, ans, **params):
    pred, *cases = primals
    ts = tangents[1:]
    if all(t is None for t in ts):
        return None
    ts = [zeros_like(c) if t is None else t for c, t in zip(cases, ts)]
    return select_n(pred, *ts)


def _select_vjp(g, ans, args, needs, **params):
    pred, *cases = args
    zero = zeros_like(g)
    cts = [None]
    for i, (c, need) in enumerate(zip(cases, needs[1:])):
        if not need:
            cts.append(None)
            continue
        branches = [zero] * len(cases)
        branches[i] = g
        shape = c.aval.shape if hasattr(c, "aval") else np.shape(c)
        cts.append(unbroadcast_to(select_n(pred, *branches), shape))
    return cts


select_n_p.impl = _named_errors(_select_impl, "select_n")
select_n_p.abstract_eval = _select_aval
select_n_p.jvp = _select_jvp
select_n_p.vjp = _select_vjp
select_n_p.lower = lambda pred, *cases: lax.select_n(pred, *jnp.broadcast_arrays(*cases)) \
    if np.shape(pred) == jnp.broadcast_shapes(*(jnp.shape(c) for c in cases)) else \
    lax.select_n(*jnp.broadcast_arrays(pred, *cases))
def_elementwise_batch(select_n_p)

convert_element_type_p = Primitive("convert_element_type")
convert_element_type_p.impl = lambda x, *, new_dtype, weak_type: np.asarray(x).astype(new_dtype)
convert_element_type_p.abstract_eval = lambda a, *, new_dtype, weak_type: ShapedArray(
    a.shape, new_dtype, weak_type)
convert_element_type_p.lower = lambda x, *, new_dtype, weak_type: lax.convert_element_type(
    x, new_dtype)


def _convert_tangent(t, ans, x, *, new_dtype, weak_type):
    if new_dtype not in FLOATS:
        return None
    src = t.aval.dtype if hasattr(t, "aval") else np.asarray(t).dtype
    return convert_element_type(t, new_dtype, weak_type) if src != new_dtype else t


def _convert_cotangent(g, ans, x, *, new_dtype, weak_type):
    src = x.aval.dtype if hasattr(x, "aval") else np.asarray(x).dtype
    if src not in FLOATS or new_dtype not in FLOATS:
        return None
    return convert_element_type(g, src) if src != new_dtype else g


defjvp(convert_element_type_p, _convert_tangent)
defvjp(convert_element_type_p, _convert_cotangent)
convert_element_type_p.batch = lambda args, dims, **p: (bind(convert_element_type_p, args[0], **p),
                                                        dims[0])

stop_gradient_p = Primitive("stop_gradient")
stop_gradient_p.impl = lambda x: x
stop_gradient_p.abstract_eval = lambda a: a
stop_gradient_p.lower = lax.stop_gradient
stop_gradient_p.zero_derivative = True
stop_gradient_p.batch = lambda args, dims: (bind(stop_gradient_p, args[0]), dims[0])
defjvp(stop_gradient_p, None)
defvjp(stop_gradient_p, None)

from . import shapes as _shapes  # noqa: E402  (shapes uses this module's helpers)
