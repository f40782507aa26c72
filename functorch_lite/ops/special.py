"""Primitives of ``jax.lax`` that the other families lack: the error function ``erf``,
``clamp`` (with JAX's derivative at the bounds) and the running extrema ``cummax`` /
``cummin``.

- ``erf``: d/dx erf(x) = 2/sqrt(pi) exp(-x^2).
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
import numpy as np

from ..core import Primitive, ShapedArray, bind, interpreters
from ..core.dtypes import FLOATS, INTS
from . import shapes as sh
from .elementwise import (_c, add, bitwise_and, exp, gt, lt, maximum, minimum, mul, neg,
                          select_n, unary)
from .reductions import _cum_aval
from .rules import defjvp, defvjp, move_axis_to_front

# ----------------------------------------------------------------------------- erf


def _erf_np(x):
    from scipy.special import erf as _erf  # jax depends on scipy; imported on first use
    x = np.asarray(x)
    if x.dtype not in FLOATS:  # the shape/dtype rule then explains (eager binds skip it)
        raise TypeError(f"erf: dtype {x.dtype} is not supported")
    if x.dtype == np.float64:
        return _erf(x)
    return _erf(x.astype(np.float64)).astype(x.dtype)  # correctly rounded in low precision


erf_p = unary("erf", _erf_np, lax.erf)


def erf(x):
    """The error function, elementwise (as ``jax.lax.erf``).

    >>> erf(np.array([0.0, 1.0]))
    array([0.        , 0.84270079])
    """
    return bind(erf_p, x)


def _erf_slope(x):
    return mul(_c(x, 2.0 / np.sqrt(np.pi)), exp(neg(mul(x, x))))


defjvp(erf_p, lambda t, ans, x: mul(t, _erf_slope(x)))
defvjp(erf_p, lambda g, ans, x: mul(g, _erf_slope(x)))

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
