"""Reductions: reduce_sum, reduce_max, reduce_min, reduce_prod, reduce_and, reduce_or,
argmax, argmin, and the cumulative ops cumsum, cumprod.

Every reduction takes ``axes`` (sorted, non-negative, static) and removes those axes.
The derivative rules follow JAX:

- ``reduce_max``/``reduce_min`` send the tangent (cotangent) to the positions equal to
  the extremum, divided by how many there are (ties split evenly);
- ``reduce_prod``/``cumprod`` are exact with zeros in the input (no ``ans / x``
  division by zero); second derivatives of ``reduce_prod`` are exact too;
- ``reduce_and``/``reduce_or``/``argmax``/``argmin`` are not differentiable.
"""
from __future__ import annotations

import functools

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, INTS, bool_
from .rules import defjvp, defvjp


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def _dtype(x):
    return x.aval.dtype if hasattr(x, "aval") else np.result_type(x)


def _ew():
    from . import elementwise  # noqa: PLC0415 (the families reference each other)
    return elementwise


def _const(x, v):
    """``v`` as a 0-d constant of ``x``'s dtype (strongly typed, never weak)."""
    return np.asarray(v, dtype=_dtype(x))


# ----------------------------------------------------------------------------- traceable API

def reduce_sum(x, axes: tuple):
    return bind(reduce_sum_p, x, axes=tuple(sorted(axes)))


def reduce_max(x, axes: tuple):
    """Maximum over ``axes`` (as ``jax.lax.reduce_max``).

    >>> reduce_max(np.array([[1., 5.], [3., 2.]]), (1,))
    array([5., 3.])
    """
    return bind(reduce_max_p, x, axes=tuple(sorted(axes)))


def reduce_min(x, axes: tuple):
    """Minimum over ``axes`` (as ``jax.lax.reduce_min``).

    >>> reduce_min(np.array([[1., 5.], [3., 2.]]), (1,))
    array([1., 2.])
    """
    return bind(reduce_min_p, x, axes=tuple(sorted(axes)))


def reduce_prod(x, axes: tuple):
    """Product over ``axes`` (as ``jax.lax.reduce_prod``).

    >>> reduce_prod(np.array([[1., 5.], [3., 2.]]), (0,))
    array([ 3., 10.])
    """
    return bind(reduce_prod_p, x, axes=tuple(sorted(axes)))


def reduce_and(x, axes: tuple):
    """Logical AND of a bool array over ``axes``.

    >>> reduce_and(np.array([[True, False], [True, True]]), (1,))
    array([False,  True])
    """
    return bind(reduce_and_p, x, axes=tuple(sorted(axes)))


def reduce_or(x, axes: tuple):
    """Logical OR of a bool array over ``axes``.

    >>> reduce_or(np.array([[True, False], [False, False]]), (1,))
    array([ True, False])
    """
    return bind(reduce_or_p, x, axes=tuple(sorted(axes)))


def argmax(x, axis: int, index_dtype=np.int32):
    """Index of the first maximum along ``axis`` (NaN counts as the maximum, as NumPy).

    >>> argmax(np.array([[1., 5., 5.], [3., 2., 0.]]), 1)
    array([1, 0], dtype=int32)
    """
    return bind(argmax_p, x, axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def argmin(x, axis: int, index_dtype=np.int32):
    """Index of the first minimum along ``axis`` (NaN counts as the minimum, as NumPy).

    >>> argmin(np.array([[1., 5., 1.], [3., 2., 0.]]), 1)
    array([0, 2], dtype=int32)
    """
    return bind(argmin_p, x, axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def cumsum(x, axis: int, reverse: bool = False):
    """Running sum along ``axis`` (from the end when ``reverse``), as ``jax.lax.cumsum``.

    >>> cumsum(np.array([1., 2., 3.]), 0, reverse=True)
    array([6., 5., 3.])
    """
    return bind(cumsum_p, x, axis=int(axis), reverse=bool(reverse))


def cumprod(x, axis: int, reverse: bool = False):
    """Running product along ``axis`` (from the end when ``reverse``), as ``jax.lax.cumprod``.

    >>> cumprod(np.array([1., 2., 3.]), 0)
    array([1., 2., 6.])
    """
    return bind(cumprod_p, x, axis=int(axis), reverse=bool(reverse))


# ----------------------------------------------------------------------------- shared rules

@functools.lru_cache(maxsize=4096)
def _reduced_shape(name: str, shape: tuple, axes: tuple, operand: str) -> tuple:
    for ax in axes:
        if not 0 <= ax < len(shape):
            raise TypeError(f"{name}: axis {ax} is out of range for operand {operand}")
    if len(set(axes)) != len(axes):
        raise TypeError(f"{name}: repeated axis in {axes} for operand {operand}")
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _reduce_aval(name, kinds=None, out_dtype=None):
    def abstract_eval(a, *, axes, **params):
        try:
            shape = _reduced_shape(name, a.shape, axes, "")
        except TypeError:  # again, with the operand named in the message
            _reduced_shape.__wrapped__(name, a.shape, axes, a.str_short())
            raise
        if kinds is not None and a.dtype not in kinds:
            raise TypeError(f"{name}: dtype {a.dtype} is not supported (operand "
                            f"{a.str_short()}); convert it first (e.g. with .astype).")
        dt = params.get("index_dtype", out_dtype) or a.dtype
        return ShapedArray.make(shape, np.dtype(dt), a.weak_type and dt == a.dtype)
    return abstract_eval


def _reduce_batch(prim):
    def batch(args, dims, *, axes, **params):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - sum(1 for a in new_axes if a < d)
        return bind(prim, args[0], axes=tuple(sorted(new_axes)), **params), out_d
    return batch


def _expand(y, shape, axes):
    """Broadcast a reduction's result ``y`` back to the operand's ``shape``."""
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    return _shapes.broadcast_in_dim(y, tuple(shape), kept)


def _not_differentiable(prim):
    prim.jvp = lambda primals, tangents, ans, **params: None
    prim.vjp = lambda g, ans, args, needs, **params: [None] * len(args)


def _as(x, dtype):
    return _ew().convert_element_type(x, dtype) if _dtype(x) != dtype else x


# ----------------------------------------------------------------------------- reduce_sum

reduce_sum_p = Primitive("reduce_sum")
def _sum_impl(x, *, axes):
    x = np.asarray(x)
    return np.asarray(np.add.reduce(x, axis=axes, dtype=x.dtype))  # np.sum minus its wrapper


reduce_sum_p.impl = _sum_impl
reduce_sum_p.abstract_eval = _reduce_aval("reduce_sum")
reduce_sum_p.lower = lambda x, *, axes: lax.reduce_sum(x, axes) if axes else x
reduce_sum_p.batch = _reduce_batch(reduce_sum_p)
defjvp(reduce_sum_p, lambda t, ans, x, *, axes: reduce_sum(t, axes))
defvjp(reduce_sum_p, lambda g, ans, x, *, axes: _expand(g, _shape(x), axes))

# ----------------------------------------------------------------------------- max / min


def _identity(dtype, largest: bool):
    """The identity of max (the smallest value) or of min (``largest=True``)."""
    if dtype == bool_:
        return np.bool_(largest)
    if dtype in INTS:
        info = np.iinfo(dtype)
        return dtype.type(info.max if largest else info.min)
    return dtype.type(np.inf if largest else -np.inf)


def _chooser_impl(np_fn, largest):
    def impl(x, *, axes):
        x = np.asarray(x)
        return np.asarray(np_fn(x, axis=axes, initial=_identity(x.dtype, largest)))
    return impl


def _chooser_mask(x, ans, axes):
    """Where ``x`` attains the extremum, as ``x``'s float dtype, divided by the count
    of such positions (JAX's even tie split)."""
    ew = _ew()
    shape = _shape(x)
    hit = _as(ew.eq(x, _expand(ans, shape, axes)), _dtype(x))
    counts = reduce_sum(hit, axes)
    return ew.div(hit, _expand(counts, shape, axes))


def _chooser_jvp(t, ans, x, *, axes):
    return reduce_sum(_ew().mul(t, _chooser_mask(x, ans, axes)), axes)


def _chooser_vjp(g, ans, x, *, axes):
    return _ew().mul(_expand(g, _shape(x), axes), _chooser_mask(x, ans, axes))


reduce_max_p = Primitive("reduce_max")
reduce_max_p.impl = _chooser_impl(np.max, largest=False)
reduce_max_p.abstract_eval = _reduce_aval("reduce_max")
reduce_max_p.lower = lambda x, *, axes: lax.reduce_max(x, axes) if axes else x
reduce_max_p.batch = _reduce_batch(reduce_max_p)
defjvp(reduce_max_p, _chooser_jvp)
defvjp(reduce_max_p, _chooser_vjp)

reduce_min_p = Primitive("reduce_min")
reduce_min_p.impl = _chooser_impl(np.min, largest=True)
reduce_min_p.abstract_eval = _reduce_aval("reduce_min")
reduce_min_p.lower = lambda x, *, axes: lax.reduce_min(x, axes) if axes else x
reduce_min_p.batch = _reduce_batch(reduce_min_p)
defjvp(reduce_min_p, _chooser_jvp)
defvjp(reduce_min_p, _chooser_vjp)

# ----------------------------------------------------------------------------- reduce_prod


def _prod_partials(ans, x, axes):
    """d prod(x) / d x_i = prod_{j != i} x_j, without dividing by zero.

    With z the zero entries and P' the product of the nonzero ones:
    - a nonzero entry: ``ans / x_i`` (0 when another entry is zero; as ``ans`` carries
      its own derivative, differentiating this again stays exact);
    - a zero entry: ``P'`` when it is the only zero; with exactly two zeros ``P'`` times
      the other zero (numerically 0, but with the right derivative); else 0.
    So first and second derivatives are exact for any number of zeros.
    """
    ew = _ew()
    shape = _shape(x)
    dt = _dtype(x)
    zero, one = _const(x, 0), _const(x, 1)
    z = ew.eq(x, zero)
    x_safe = ew.select_n(z, x, one)
    n_zero = _expand(reduce_sum(_as(z, dt), axes), shape, axes)
    p_nonzero = _expand(reduce_prod(x_safe, axes), shape, axes)
    zero_vals = ew.select_n(z, ew.zeros_like(x), x)  # 0 everywhere, derivative at the zeros
    others = ew.sub(_expand(reduce_sum(zero_vals, axes), shape, axes), zero_vals)
    two = ew.select_n(ew.eq(n_zero, _const(x, 2)), ew.zeros_like(x), others)
    zero_factor = ew.select_n(ew.eq(n_zero, one), two, ew.ones_like(x))
    return ew.select_n(z, ew.div(_expand(ans, shape, axes), x_safe),
                       ew.mul(p_nonzero, zero_factor))


reduce_prod_p = Primitive("reduce_prod")
reduce_prod_p.impl = lambda x, *, axes: np.asarray(np.prod(x, axis=axes,
                                                           dtype=np.asarray(x).dtype))
reduce_prod_p.abstract_eval = _reduce_aval("reduce_prod")
reduce_prod_p.lower = lambda x, *, axes: lax.reduce_prod(x, axes) if axes else x
reduce_prod_p.batch = _reduce_batch(reduce_prod_p)
defjvp(reduce_prod_p, lambda t, ans, x, *, axes: reduce_sum(
    _ew().mul(t, _prod_partials(ans, x, axes)), axes))
defvjp(reduce_prod_p, lambda g, ans, x, *, axes: _ew().mul(
    _expand(g, _shape(x), axes), _prod_partials(ans, x, axes)))

# ----------------------------------------------------------------------------- and / or

reduce_and_p = Primitive("reduce_and")
reduce_and_p.impl = lambda x, *, axes: np.asarray(np.all(x, axis=axes))
reduce_and_p.abstract_eval = _reduce_aval("reduce_and", kinds={bool_})
reduce_and_p.lower = lambda x, *, axes: lax.reduce_and(x, axes) if axes else x
reduce_and_p.batch = _reduce_batch(reduce_and_p)
_not_differentiable(reduce_and_p)

reduce_or_p = Primitive("reduce_or")
reduce_or_p.impl = lambda x, *, axes: np.asarray(np.any(x, axis=axes))
reduce_or_p.abstract_eval = _reduce_aval("reduce_or", kinds={bool_})
reduce_or_p.lower = lambda x, *, axes: lax.reduce_or(x, axes) if axes else x
reduce_or_p.batch = _reduce_batch(reduce_or_p)
_not_differentiable(reduce_or_p)

# ----------------------------------------------------------------------------- argmax / argmin


def _arg_aval(name):
    base = _reduce_aval(name)

    def abstract_eval(a, *, axes, index_dtype):
        if len(axes) != 1:
            raise TypeError(f"{name}: expects exactly one axis, got axes={axes}")
        out = base(a, axes=axes, index_dtype=index_dtype)
        if a.shape[axes[0]] == 0:
            raise ValueError(f"{name}: attempt to get {name} of an empty sequence (operand "
                             f"{a.str_short()}, axis {axes[0]} has size 0)")
        if index_dtype not in INTS:
            raise TypeError(f"{name}: index_dtype must be an integer dtype, got {index_dtype}")
        return ShapedArray(out.shape, index_dtype, False)
    return abstract_eval


def _arg_impl(np_fn):
    def impl(x, *, axes, index_dtype):
        return np.asarray(np_fn(np.asarray(x), axis=axes[0])).astype(index_dtype)
    return impl


argmax_p = Primitive("argmax")
argmax_p.impl = _arg_impl(np.argmax)
argmax_p.abstract_eval = _arg_aval("argmax")
argmax_p.lower = lambda x, *, axes, index_dtype: lax.argmax(x, axes[0], index_dtype)
argmax_p.batch = _reduce_batch(argmax_p)
_not_differentiable(argmax_p)

argmin_p = Primitive("argmin")
argmin_p.impl = _arg_impl(np.argmin)
argmin_p.abstract_eval = _arg_aval("argmin")
argmin_p.lower = lambda x, *, axes, index_dtype: lax.argmin(x, axes[0], index_dtype)
argmin_p.batch = _reduce_batch(argmin_p)
_not_differentiable(argmin_p)

# ----------------------------------------------------------------------------- cumulative ops


def _cum_aval(name):
    def abstract_eval(a, *, axis, reverse):
        if not 0 <= axis < a.ndim:
            raise TypeError(f"{name}: axis {axis} is out of range for operand {a.str_short()}")
        if a.dtype not in FLOATS and a.dtype not in INTS:
            raise TypeError(f"{name}: dtype {a.dtype} is not supported (operand "
                            f"{a.str_short()}); convert it to a number type first.")
        return ShapedArray(a.shape, a.dtype, a.weak_type)
    return abstract_eval


def _cum_impl(np_fn):
    def impl(x, *, axis, reverse):
        x = np.asarray(x)
        if reverse:
            return np.flip(np_fn(np.flip(x, axis), axis=axis, dtype=x.dtype), axis)
        return np_fn(x, axis=axis, dtype=x.dtype)
    return impl


def _cum_batch(prim):
    def batch(args, dims, *, axis, reverse):
        d = dims[0]
        return bind(prim, args[0], axis=axis + (axis >= d), reverse=reverse), d
    return batch


cumsum_p = Primitive("cumsum")
cumsum_p.impl = _cum_impl(np.cumsum)
cumsum_p.abstract_eval = _cum_aval("cumsum")
cumsum_p.lower = lambda x, *, axis, reverse: lax.cumsum(x, axis, reverse)
cumsum_p.batch = _cum_batch(cumsum_p)
defjvp(cumsum_p, lambda t, ans, x, *, axis, reverse: cumsum(t, axis, reverse))
defvjp(cumsum_p, lambda g, ans, x, *, axis, reverse: cumsum(g, axis, not reverse))


def _cumprod_parts(ans, x, axis, reverse):
    """The pieces of d cumprod(x)_k / d x_i (i up to k), exact with zeros in ``x``.

    For a nonzero x_i the partial is ``ans_k / x_i``.  For a zero x_i it is ``C_k``
    (running product of the nonzero entries) when x_i is the only zero up to k, and
    ``C_k`` times the other zero when there are two (0, with the right derivative).
    """
    ew = _ew()
    dt = _dtype(x)
    zero, one = _const(x, 0), _const(x, 1)
    z = ew.eq(x, zero)
    x_safe = ew.select_n(z, x, one)
    c_safe = cumprod(x_safe, axis, reverse)
    n_zero = cumsum(_as(z, dt), axis, reverse)
    zero_vals = ew.select_n(z, ew.zeros_like(x), x)
    zeros = ew.zeros_like(x)
    c1 = ew.select_n(ew.eq(n_zero, one), zeros, c_safe)
    c2 = ew.select_n(ew.eq(n_zero, _const(x, 2)), zeros, c_safe)
    zsum = cumsum(zero_vals, axis, reverse)
    return z, x_safe, c1, c2, zsum


def _cumprod_jvp(t, ans, x, *, axis, reverse):
    ew = _ew()
    z, x_safe, c1, c2, zsum = _cumprod_parts(ans, x, axis, reverse)
    zeros = ew.zeros_like(x)
    t_nonzero = ew.select_n(z, ew.div(t, x_safe), zeros)
    t_zero = ew.select_n(z, zeros, t)
    s_zero = cumsum(t_zero, axis, reverse)
    out = ew.mul(ans, cumsum(t_nonzero, axis, reverse))
    out = ew.add(out, ew.mul(c1, s_zero))
    two = ew.sub(ew.mul(zsum, s_zero), cumsum(ew.mul(t_zero, x), axis, reverse))
    return ew.add(out, ew.mul(c2, two))


def _cumprod_vjp(g, ans, x, *, axis, reverse):
    ew = _ew()
    z, x_safe, c1, c2, zsum = _cumprod_parts(ans, x, axis, reverse)
    back = not reverse
    ct_nonzero = ew.div(cumsum(ew.mul(g, ans), axis, back), x_safe)
    gc2 = ew.mul(g, c2)
    ct_zero = ew.add(cumsum(ew.mul(g, c1), axis, back),
                     ew.sub(cumsum(ew.mul(gc2, zsum), axis, back),
                            ew.mul(x, cumsum(gc2, axis, back))))
    return ew.select_n(z, ct_nonzero, ct_zero)


cumprod_p = Primitive("cumprod")
cumprod_p.impl = _cum_impl(np.cumprod)
cumprod_p.abstract_eval = _cum_aval("cumprod")
cumprod_p.lower = lambda x, *, axis, reverse: lax.cumprod(x, axis, reverse)
cumprod_p.batch = _cum_batch(cumprod_p)
defjvp(cumprod_p, _cumprod_jvp)
defvjp(cumprod_p, _cumprod_vjp)

from . import shapes as _shapes  # noqa: E402  (shapes uses this module's helpers)
