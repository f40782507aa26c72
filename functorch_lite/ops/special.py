"""Primitives of ``jax.lax`` that the other families lack: the error functions ``erf``,
``erfc``, ``erf_inv``, XLA's ``round`` (half away from zero), ``nextafter``, ``logaddexp2``,
the float-bit operations ``signbit`` and ``frexp``, ``clamp`` (with JAX's derivative at the
bounds) and the running extrema ``cummax`` / ``cummin``.

- ``erf``: d/dx erf(x) = 2/sqrt(pi) exp(-x^2); ``erfc = 1 - erf`` has the opposite
  slope; ``erf_inv``: d/dx erf_inv(x) = sqrt(pi)/2 exp(erf_inv(x)^2).  Eagerly they
  are SciPy's (a jax dependency), in float64 rounded to the input's dtype.
- ``round_away_from_zero``, like ``floor``, has a zero derivative; ``nextafter`` has
  no derivative rule (as in JAX, differentiating it raises).
- ``logaddexp2``: d/dx = 2**(x - out), with ``logaddexp``'s limits at infinities.
- ``signbit`` (bool) has no derivative; ``frexp(x) = (m, e)`` with ``x = m * 2**e``:
  as JAX's custom rule, ``dm/dx = 2**-e`` and ``e`` has none.
- ``clamp(lo, x, hi) = min(max(x, lo), hi)``; as JAX's rule, the tangent of ``x``
  passes where ``lo < x < hi``, that of ``lo`` where ``x < lo < hi``, that of ``hi``
  where ``hi < x`` (so at a tie the derivative is 0: one side of the kink).
- ``cummax``/``cummin``: the derivative is that of JAX's parallel prefix scan
  (``associative_scan``) of ``max``/``min``, as in JAX, so ties split their tangent
  the way JAX's do.  The scan is written with this library's primitives, so the rules
  trace, differentiate again, batch and lower like any user code.
"""
from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import Primitive, ShapedArray, bind, interpreters
from ..core.dtypes import FLOATS, INTS, bool_
from . import shapes as sh
from .elementwise import (_c, add, binary, bitwise_and, convert_element_type, elementwise, eq,
                          exp, exp2_p, gt, logaddexp, lt, maximum, minimum, mul, neg, select_n,
                          sub, unary)
from .reductions import _cum_aval, _dtype
from .rules import def_elementwise_batch, defjvp, defvjp, move_axis_to_front

# ----------------------------------------------------------------------------- erf


def _scipy_special(name: str):
    """SciPy's ``name`` in float64, rounded to the input's float dtype (correctly rounded
    in low precision).  jax depends on scipy; it is imported on first use."""
    def impl(x):
        import scipy.special
        fn = getattr(scipy.special, name)
        x = np.asarray(x)
        if x.dtype not in FLOATS:  # the shape/dtype rule then explains (eager binds skip it)
            raise TypeError(f"{name}: dtype {x.dtype} is not supported")
        if x.dtype == np.float64:
            return fn(x)
        return fn(x.astype(np.float64)).astype(x.dtype)
    return impl


erf_p = unary("erf", _scipy_special("erf"), lax.erf)
erfc_p = unary("erfc", _scipy_special("erfc"), lax.erfc)
erf_inv_p = unary("erf_inv", _scipy_special("erfinv"), lax.erf_inv)


def erf(x):
    """The error function, elementwise (as ``jax.lax.erf``).

    >>> erf(np.array([0.0, 1.0]))
    array([0.        , 0.84270079])
    """
    return bind(erf_p, x)


def _erf_slope(x):
    return mul(_c(x, 2.0 / np.sqrt(np.pi)), exp(neg(mul(x, x))))


def _erf_inv_slope(ans):
    return mul(_c(ans, np.sqrt(np.pi) / 2.0), exp(mul(ans, ans)))


defjvp(erf_p, lambda t, ans, x: mul(t, _erf_slope(x)))
defvjp(erf_p, lambda g, ans, x: mul(g, _erf_slope(x)))
defjvp(erfc_p, lambda t, ans, x: neg(mul(t, _erf_slope(x))))
defvjp(erfc_p, lambda g, ans, x: neg(mul(g, _erf_slope(x))))
defjvp(erf_inv_p, lambda t, ans, x: mul(t, _erf_inv_slope(ans)))
defvjp(erf_inv_p, lambda g, ans, x: mul(g, _erf_inv_slope(ans)))


def erfc(x):
    """The complementary error function ``1 - erf(x)``, elementwise (as ``jax.lax.erfc``).

    >>> erfc(np.array([0.0, 1.0]))
    array([1.        , 0.15729921])
    """
    return bind(erfc_p, x)


def erf_inv(x):
    """The inverse of ``erf`` on ``(-1, 1)``, elementwise (as ``jax.lax.erf_inv``):
    +-inf at +-1, NaN outside.

    >>> erf_inv(np.array([0.0, 0.5]))
    array([0.        , 0.47693628])
    """
    return bind(erf_inv_p, x)

# ----------------------------------------------------------------------------- rounding, nextafter


def _round_away_from_zero(x):
    """Round half away from zero (XLA's ``round``; NumPy's rounds half to even)."""
    x = np.asarray(x)
    t = np.trunc(x)
    with np.errstate(invalid="ignore"):  # inf - inf: the NaN is not selected
        return np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t).astype(x.dtype)


round_away_p = unary("round_away_from_zero", _round_away_from_zero,
                     lambda x: lax.round(x, lax.RoundingMethod.AWAY_FROM_ZERO))
defjvp(round_away_p, None)  # piecewise constant
defvjp(round_away_p, None)


def _nextafter(x, y):
    """C's nextafter: ``y`` itself where ``x == y`` (NumPy's float16 loop returns ``x``,
    so ``nextafter(-0.0, 0.0)`` would keep the minus sign)."""
    x, y = np.asarray(x), np.asarray(y)
    return np.where(x == y, y, np.nextafter(x, y))[()]


# nextafter has no derivative rule, as in JAX (differentiating it raises).
nextafter_p = elementwise("nextafter", _nextafter,
                          lambda x, y: lax.nextafter(*jnp.broadcast_arrays(x, y)), 2, FLOATS)

# ----------------------------------------------------------------------------- float bits

# signbit reads the sign bit, so -0.0 and a negative NaN count as negative (x < 0 cannot
# tell); a bool result, not differentiable.
signbit_p = elementwise("signbit", np.signbit, jnp.signbit, 1, FLOATS, out_dtype=bool_)

# frexp splits x into a mantissa in [0.5, 1) (signed) and an int32 exponent.  As JAX's
# custom rule, the mantissa's derivative is 2**-e and the exponent has none.
frexp_p = Primitive("frexp", multiple_results=True)


def _frexp_impl(x):
    x = np.asarray(x)
    m, e = np.frexp(x)
    return [np.asarray(m, x.dtype), np.asarray(e, np.int32)]


def _frexp_aval(a):
    if a.dtype not in FLOATS:
        raise TypeError(f"frexp: dtype {a.dtype} is not supported (operand {a.str_short()}); "
                        "convert with .astype(fnp.float32).")
    return [ShapedArray.make(a.shape, a.dtype), ShapedArray.make(a.shape, np.dtype(np.int32))]


def _frexp_scale(e, like):
    """2**-e in the mantissa's dtype: the mantissa's slope."""
    return bind(exp2_p, convert_element_type(neg(e), _dtype(like)))


def _frexp_jvp(primals, tangents, ans):
    (t,) = tangents
    return [None if t is None else mul(t, _frexp_scale(ans[1], ans[0])), None]


def _frexp_vjp(g, ans, args, needs):
    gm = g[0]
    return [None if gm is None or not needs[0] else mul(gm, _frexp_scale(ans[1], ans[0]))]


frexp_p.impl = _frexp_impl
frexp_p.abstract_eval = _frexp_aval
frexp_p.jvp = _frexp_jvp
frexp_p.vjp = _frexp_vjp
frexp_p.lower = lambda x: list(jnp.frexp(x))
def_elementwise_batch(frexp_p)


# logaddexp2 = log2(2**x + 2**y), NumPy's eagerly; d/dx = 2**(x - ans), with logaddexp's
# limits where that is inf - inf (ans = +inf: 1 for x = +inf, else 0; a tie of -infs: 1/2).
logaddexp2_p = binary("logaddexp2", np.logaddexp2, jnp.logaddexp2, FLOATS)


def _logaddexp2_weight(x, ans):
    w = select_n(eq(ans, _c(ans, np.inf)), bind(exp2_p, sub(x, ans)),
                 select_n(eq(x, ans), _c(ans, 0), _c(ans, 1)))
    return select_n(eq(ans, _c(ans, -np.inf)), w, _c(ans, 0.5))


defjvp(logaddexp2_p, lambda t, ans, x, y: mul(t, _logaddexp2_weight(x, ans)),
       lambda t, ans, x, y: mul(t, _logaddexp2_weight(y, ans)))
defvjp(logaddexp2_p, lambda g, ans, x, y: mul(g, _logaddexp2_weight(x, ans)),
       lambda g, ans, x, y: mul(g, _logaddexp2_weight(y, ans)), unbroadcast=True)


# ----------------------------------------------------------------------------- clamp

clamp_p = Primitive("clamp")


def clamp(lo, x, hi):
    """``min(max(x, lo), hi)``; ``lo``/``hi`` are scalars or of ``x``'s shape, all of one
    dtype (as ``jax.lax.clamp``).

    >>> clamp(np.float64(0), np.array([-1., 0.5, 2.]), np.float64(1))
    array([0. , 0.5, 1. ])
    """
    return bind(clamp_p, lo, x, hi)


def _shape(x) -> tuple:
    return tuple(x.aval.shape) if hasattr(x, "aval") else np.shape(x)


def _clamp_aval(lo, x, hi):
    for name, b in (("min", lo), ("max", hi)):
        if b.shape not in ((), x.shape):
            raise TypeError(f"clamp: {name} must be a scalar or have the operand's shape "
                            f"{x.shape}, got {b.str_short()} for operand {x.str_short()}; "
                            "broadcast it (fnp.broadcast_to) or use fnp.clip, which broadcasts.")
    if lo.dtype != x.dtype or hi.dtype != x.dtype:
        raise TypeError(f"clamp: min, x and max must have one dtype, got {lo.str_short()}, "
                        f"{x.str_short()} and {hi.str_short()}; cast them with .astype.")
    if x.dtype not in FLOATS and x.dtype not in INTS:
        raise TypeError(f"clamp: dtype {x.dtype} is not supported (operand {x.str_short()}); "
                        "clamp numbers.")
    return ShapedArray(x.shape, x.dtype, x.weak_type and lo.weak_type and hi.weak_type)


def _clamp_impl(lo, x, hi):
    x = np.asarray(x)
    return np.asarray(np.minimum(np.maximum(x, lo), hi), dtype=x.dtype)


def _where(mask, t):
    """``t`` where ``mask``, else 0 (``t`` may be a scalar: it broadcasts to the mask)."""
    return select_n(mask, _c(t, 0), t)


# one mask per argument: where its tangent passes to the output (JAX's clamp rule)
def _lo_mask(lo, x, hi): return bitwise_and(gt(lo, x), lt(lo, hi))
def _x_mask(lo, x, hi): return bitwise_and(gt(x, lo), lt(x, hi))
def _hi_mask(lo, x, hi): return lt(hi, x)


defjvp(clamp_p, lambda t, ans, lo, x, hi: _where(_lo_mask(lo, x, hi), t),
       lambda t, ans, lo, x, hi: _where(_x_mask(lo, x, hi), t),
       lambda t, ans, lo, x, hi: _where(_hi_mask(lo, x, hi), t))
defvjp(clamp_p, lambda g, ans, lo, x, hi: _where(_lo_mask(lo, x, hi), g),
       lambda g, ans, lo, x, hi: _where(_x_mask(lo, x, hi), g),
       lambda g, ans, lo, x, hi: _where(_hi_mask(lo, x, hi), g), unbroadcast=True)


def _clamp_batch(args, dims):
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    x, dx = args[1], dims[1]
    x = move_axis_to_front(x, dx, size)  # broadcast when only a bound is batched
    shape = _shape(x)
    new = []
    for a, d in ((args[0], dims[0]), (args[2], dims[2])):
        if d is None and not _shape(a):
            new.append(a)  # an unbatched scalar bound stays a scalar
            continue
        a = move_axis_to_front(a, d, size)  # an unbatched x-shaped bound: broadcast
        if _shape(a) != shape:  # a batched scalar bound
            a = sh.broadcast_in_dim(a, shape, (0,))
        new.append(a)
    return bind(clamp_p, new[0], x, new[1]), 0


clamp_p.impl = _clamp_impl
clamp_p.abstract_eval = _clamp_aval
clamp_p.batch = _clamp_batch
clamp_p.lower = lambda lo, x, hi: lax.clamp(lo, x, hi)

# ----------------------------------------------------------------------------- cummax, cummin


def associative_scan(combine, x, axis: int, reverse: bool = False):
    """Inclusive prefix scan of ``x`` along ``axis`` with the associative ``combine``, by
    the same recursion (pairs, then odd/even interleave) as ``jax.lax.associative_scan``.

    >>> associative_scan(maximum, np.array([1., 3., 2., 5.]), 0)
    array([1., 3., 3., 5.])
    """
    if reverse:
        x = sh.rev(x, (axis,))
    out = _prefix_scan(combine, x, axis)
    return sh.rev(out, (axis,)) if reverse else out


def _prefix_scan(combine, e, axis):
    n = _shape(e)[axis]
    if n < 2:
        return e
    reduced = combine(sh.slice_in_dim(e, 0, n - 1, 2, axis), sh.slice_in_dim(e, 1, n, 2, axis))
    odd = _prefix_scan(combine, reduced, axis)
    rest = sh.slice_in_dim(e, 2, n, 2, axis)
    if n % 2 == 0:
        even = combine(sh.slice_in_dim(odd, 0, _shape(odd)[axis] - 1, 1, axis), rest)
    else:
        even = combine(odd, rest)
    even = sh.concatenate([sh.slice_in_dim(e, 0, 1, 1, axis), even], axis)
    return _interleave(even, odd, axis)


def _interleave(a, b, axis):
    """``a[0], b[0], a[1], b[1], ...`` along ``axis`` (``a`` as long as ``b`` or one longer)."""
    same = _shape(a)[axis] == _shape(b)[axis]
    a_pad = [(0, 0, 0)] * len(_shape(a))
    b_pad = [(0, 0, 0)] * len(_shape(b))
    a_pad[axis] = (0, 1 if same else 0, 1)
    b_pad[axis] = (1, 0 if same else 1, 1)
    return add(sh.pad(a, _c(a, 0), a_pad), sh.pad(b, _c(b, 0), b_pad))


def _cum_impl(ufunc):
    def impl(x, *, axis, reverse):
        x = np.asarray(x)
        if x.shape[axis] == 0:
            return x.copy()
        if reverse:
            return np.flip(ufunc.accumulate(np.flip(x, axis), axis=axis), axis)
        return ufunc.accumulate(x, axis=axis)
    return impl


def _cum_rules(prim, combine):
    def scan(x, axis, reverse):
        return [associative_scan(combine, x, axis, reverse)]

    def jvp(primals, tangents, ans, *, axis, reverse):
        (x,), (t,) = primals, tangents
        if t is None:
            return None
        _, touts = interpreters.jvp(lambda x: scan(x, axis, reverse), (x,), (t,))
        return touts[0]

    def vjp(g, ans, args, needs, *, axis, reverse):
        if not needs[0]:
            return [None]
        _, f_vjp = interpreters.vjp(lambda x: scan(x, axis, reverse), args[0])
        return [f_vjp([g])[0]]

    def batch(args, dims, *, axis, reverse):
        d = dims[0]
        return bind(prim, args[0], axis=axis + (axis >= d), reverse=reverse), d

    prim.jvp, prim.vjp, prim.batch = jvp, vjp, batch


cummax_p = Primitive("cummax")
cummax_p.impl = _cum_impl(np.maximum)
cummax_p.abstract_eval = _cum_aval("cummax")
cummax_p.lower = lambda x, *, axis, reverse: lax.cummax(x, axis, reverse)
_cum_rules(cummax_p, maximum)

cummin_p = Primitive("cummin")
cummin_p.impl = _cum_impl(np.minimum)
cummin_p.abstract_eval = _cum_aval("cummin")
cummin_p.lower = lambda x, *, axis, reverse: lax.cummin(x, axis, reverse)
_cum_rules(cummin_p, minimum)


cumlogsumexp_p = Primitive("cumlogsumexp")
cumlogsumexp_p.impl = _cum_impl(np.logaddexp)
_cum_number_aval = _cum_aval("cumlogsumexp")


def _cumlogsumexp_aval(a, *, axis, reverse):
    if a.dtype not in FLOATS:
        raise TypeError(f"cumlogsumexp: dtype {a.dtype} is not supported (operand "
                        f"{a.str_short()}); convert it with .astype(fnp.float32).")
    return _cum_number_aval(a, axis=axis, reverse=reverse)


cumlogsumexp_p.abstract_eval = _cumlogsumexp_aval
cumlogsumexp_p.lower = lambda x, *, axis, reverse: lax.cumlogsumexp(x, axis, reverse)
_cum_rules(cumlogsumexp_p, logaddexp)


def cumlogsumexp(x, axis: int, reverse: bool = False):
    """Running ``log(sum(exp(x)))`` along ``axis`` (from the end when ``reverse``), as
    ``jax.lax.cumlogsumexp``; no overflow for large ``x``.

    >>> cumlogsumexp(np.array([0., 0.]), 0)
    array([0.        , 0.69314718])
    """
    return bind(cumlogsumexp_p, x, axis=int(axis), reverse=bool(reverse))


def cummax(x, axis: int, reverse: bool = False):
    """Running maximum along ``axis`` (from the end when ``reverse``), as ``jax.lax.cummax``.

    >>> cummax(np.array([1., 3., 2.]), 0)
    array([1., 3., 3.])
    """
    return bind(cummax_p, x, axis=int(axis), reverse=bool(reverse))


def cummin(x, axis: int, reverse: bool = False):
    """Running minimum along ``axis`` (from the end when ``reverse``), as ``jax.lax.cummin``.

    >>> cummin(np.array([3., 1., 2.]), 0, reverse=True)
    array([1., 1., 2.])
    """
    return bind(cummin_p, x, axis=int(axis), reverse=bool(reverse))
