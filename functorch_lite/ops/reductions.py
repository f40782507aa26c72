"""Reductions: reduce_sum, reduce_max, reduce_min, reduce_prod, reduce_and, reduce_or,
argmax, argmin, and the cumulative ops cumsum, cumprod.

Every reduction takes ``axes`` (sorted, non-negative, static) and removes those axes.
The derivative rules follow JAX:

- ``reduce_max``/``reduce_min`` send the tangent (cotangent) to the positions equal to
  the extremum, divided by how many there are (ties split evenly);
- ``reduce_prod``/``cumprod`` divide ``ans`` by ordinary entries only: the partials of
  a 0, inf or NaN entry are products of the other entries, so derivatives are exact
  with zeros (second ones too) and agree with JAX's at inf/NaN entries wherever JAX's
  are finite (``reduce_prod``'s first derivatives IEEE-exactly, as JAX's; the README's
  known gaps name the one exception);
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


def _full(x, v):
    """``v`` broadcast to ``x``'s shape and dtype."""
    return _shapes.broadcast_in_dim(_const(x, v), tuple(_shape(x)), ())


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


def _concrete_finite(x, nonzero: bool = False) -> bool:
    """Whether ``x`` is a concrete array of finite (and, with ``nonzero``, nonzero)
    entries, where the rules' plain formulas hold everywhere: a shortcut for eager
    mode (traced values take the general path, which gives the same numbers)."""
    if type(x) is not np.ndarray:
        return False
    return bool(np.isfinite(x).all() and (not nonzero or x.all()))


def _may_be_nonfinite(x) -> bool:
    return _dtype(x) in FLOATS and not _concrete_finite(x)


def _special(x, z):
    """Where ``x`` is 0 (``z``), inf or NaN: the entries a product rule may not divide by."""
    if not _may_be_nonfinite(x):
        return z
    ew = _ew()
    return ew.bitwise_or(z, ew.bitwise_not(ew.is_finite(x)))


def _nonfinite_others(x, axes):
    """For each entry, the product of the OTHER inf/NaN entries of its reduction, with
    its derivative: 1 if there are none; for an inf x_i, the product of all of them
    divided by x_i (its sign: the rest is inf or NaN); for a NaN x_i, the infs' product
    unless another NaN makes it NaN."""
    ew = _ew()
    shape, dt = _shape(x), _dtype(x)
    zero = _const(x, 0)
    ones = ew.ones_like(x)
    nf = ew.bitwise_not(ew.is_finite(x))
    nan = ew.ne(x, x)
    inf = ew.bitwise_and(nf, ew.bitwise_not(nan))

    def others(mask):  # how many other entries of the reduction satisfy ``mask``
        m = _as(mask, dt)
        return ew.sub(_expand(reduce_sum(m, axes), shape, axes), m)

    def prod_of(mask):
        return _expand(reduce_prod(ew.select_n(mask, ones, x), axes), shape, axes)

    all_nf = prod_of(nf)
    at_inf = ew.mul(all_nf, ew.select_n(inf, ones, ew.sign(x)))
    at_nan = ew.select_n(ew.gt(others(nan), zero), prod_of(inf), all_nf)
    out = ew.select_n(nf, all_nf, ew.select_n(nan, at_inf, at_nan))
    return ew.select_n(ew.gt(others(nf), zero), ones, out)


def _prod_partials(ans, x, axes):
    """d prod(x) / d x_i = prod_{j != i} x_j, without dividing by 0, inf or NaN.

    - an ordinary entry: ``ans / x_i`` (as ``ans`` carries its own derivative,
      differentiating this again stays exact);
    - a special entry (0, inf, NaN): the product P' of the ordinary entries times that
      of the other special entries.  Of the other zeros: 1 if none, the other zero if
      one (numerically 0, but with the right derivative), else 0; of the other
      infs/NaNs: ``_nonfinite_others``.  So first derivatives are IEEE-exact (JAX's),
      and second derivatives exact with any number of zeros;
    - with one entry the partial is 1; with two, simply the other entry (exact at every
      order, as JAX's ``x0 * x1``).
    """
    shape = _shape(x)
    n = int(np.prod([shape[a] for a in axes]))
    if n <= 1:
        return _ew().ones_like(x)
    if n == 2:
        return _shapes.rev(x, tuple(axes))
    ew = _ew()
    if _concrete_finite(x, nonzero=True):
        return ew.div(_expand(ans, shape, axes), x)
    dt = _dtype(x)
    zero, one = _const(x, 0), _const(x, 1)
    z = ew.eq(x, zero)
    special = _special(x, z)
    zf = _as(z, dt)
    x_safe = ew.select_n(special, x, one)
    n_other_zeros = ew.sub(_expand(reduce_sum(zf, axes), shape, axes), zf)
    p_safe = _expand(reduce_prod(x_safe, axes), shape, axes)
    zero_vals = ew.select_n(z, ew.zeros_like(x), x)  # 0 everywhere, derivative at the zeros
    other_zero = ew.sub(_expand(reduce_sum(zero_vals, axes), shape, axes), zero_vals)
    one_zero = ew.select_n(ew.eq(n_other_zeros, one), ew.zeros_like(x), other_zero)
    others = ew.select_n(ew.eq(n_other_zeros, zero), one_zero, ew.ones_like(x))
    if special is not z:
        # 1 at the ordinary entries, so that no 0 * inf enters a second derivative
        others = ew.select_n(special, ew.ones_like(x),
                             ew.mul(others, _nonfinite_others(x, axes)))
    return ew.select_n(special, ew.div(_expand(ans, shape, axes), x_safe),
                       ew.mul(p_safe, others))


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


def _cumprod_parts(x, axis, reverse):
    """The pieces of d cumprod(x)_k / d x_i (i up to k), exact with 0, inf and NaN.

    For an ordinary x_i the partial is ``ans_k / x_i``.  For a special x_i (0, inf or
    NaN) it is ``C_k`` (running product of the ordinary entries) times the product of
    the other special entries up to k: 1 while x_i is the only one (``c1 = C_k`` there),
    the other one while there are two (``c2 = C_k`` there; ``other``: the other of the
    line's first two special entries, with its derivative), and beyond that 0 if the
    others are all zeros, else inf or NaN (see ``_cumprod_vjp``).
    """
    ew = _ew()
    dt = _dtype(x)
    one, two = _const(x, 1), _const(x, 2)
    line = (axis,)
    special = _special(x, ew.eq(x, _const(x, 0)))
    x_safe = ew.select_n(special, x, one)
    c_safe = cumprod(x_safe, axis, reverse)
    rank = cumsum(_as(special, dt), axis, reverse)  # at a special entry, which one it is
    in1, in2 = ew.eq(rank, one), ew.eq(rank, two)  # up to k, one / two special entries
    is1, is2 = ew.bitwise_and(special, in1), ew.bitwise_and(special, in2)
    zeros = ew.zeros_like(x)
    first = _expand(reduce_sum(ew.select_n(is1, zeros, x), line), _shape(x), line)
    second = _expand(reduce_sum(ew.select_n(is2, zeros, x), line), _shape(x), line)
    other = ew.select_n(is1, ew.select_n(is2, zeros, first), second)
    c1 = ew.select_n(in1, zeros, c_safe)
    c2 = ew.select_n(in2, zeros, c_safe)
    return special, x_safe, other, in2, c1, c2


def _scan_pair(x, axis, reverse):
    """The two entries of a line of length 2, first and second in the scan's order."""
    i, j = (1, 0) if reverse else (0, 1)
    return (_shapes.slice_in_dim(x, i, i + 1, axis=axis),
            _shapes.slice_in_dim(x, j, j + 1, axis=axis))


def _join_pair(first, second, axis, reverse):
    return _shapes.concatenate([second, first] if reverse else [first, second], axis)


def _cumprod_jvp(t, ans, x, *, axis, reverse):
    # an inf/NaN up to k makes ans_k, so the tangent, non-finite there (as JAX's)
    ew = _ew()
    n = _shape(x)[axis]
    if n <= 2:  # (a, a * b): exact at every order, as JAX's JVP
        if n < 2:
            return t
        (a, b), (ta, tb) = _scan_pair(x, axis, reverse), _scan_pair(t, axis, reverse)
        return _join_pair(ta, ew.add(ew.mul(ta, b), ew.mul(a, tb)), axis, reverse)
    if _concrete_finite(x, nonzero=True):
        return ew.mul(ans, cumsum(ew.div(t, x), axis, reverse))
    special, x_safe, other, in2, c1, c2 = _cumprod_parts(x, axis, reverse)
    zeros = ew.zeros_like(x)
    t_plain = ew.select_n(special, ew.div(t, x_safe), zeros)
    t_special = ew.select_n(special, zeros, t)
    out = ew.mul(ans, cumsum(t_plain, axis, reverse))
    if _may_be_nonfinite(x):  # a special first entry is its own output: the tangent is t
        pos = _shapes.broadcasted_iota(np.dtype(np.int32), tuple(_shape(x)), axis)
        first_pos = ew.eq(pos, np.asarray(_shape(x)[axis] - 1 if reverse else 0, np.int32))
        out = ew.select_n(ew.bitwise_and(first_pos, special), out, zeros)
    out = ew.add(out, ew.mul(c1, cumsum(t_special, axis, reverse)))
    pair = cumsum(ew.mul(t_special, other), axis, reverse)  # t_a x_b + t_b x_a
    return ew.add(out, ew.mul(c2, ew.select_n(in2, zeros, pair)))


def _cumprod_vjp(g, ans, x, *, axis, reverse):
    ew = _ew()
    if _concrete_finite(x, nonzero=True):
        return ew.div(cumsum(ew.mul(g, ans), axis, not reverse), x)
    special, x_safe, other, _, c1, c2 = _cumprod_parts(x, axis, reverse)
    back = not reverse
    ct_plain = ew.div(cumsum(ew.mul(g, ans), axis, back), x_safe)
    ct_special = ew.add(cumsum(ew.mul(g, c1), axis, back),
                        ew.mul(cumsum(ew.mul(g, c2), axis, back), other))
    if _may_be_nonfinite(x):
        # With three or more special entries on the line and an inf/NaN among the
        # others of x_i, some partial of x_i is inf or NaN, so is the sum (which, JAX's
        # scan tree decides; NaN here).  A factor, so derivatives of it are NaN too.
        dt = _dtype(x)
        nf = _as(ew.bitwise_not(ew.is_finite(x)), dt)
        line = (axis,)
        other_nf = ew.sub(_expand(reduce_sum(nf, line), _shape(x), line), nf)
        n_special = _expand(reduce_sum(_as(special, dt), line), _shape(x), line)
        bad = ew.bitwise_and(ew.bitwise_and(special, ew.gt(other_nf, _const(x, 0))),
                             ew.ge(n_special, _const(x, 3)))
        ct_special = ew.mul(ct_special, ew.select_n(bad, ew.ones_like(x), _full(x, np.nan)))
    return ew.select_n(special, ct_plain, ct_special)


cumprod_p = Primitive("cumprod")
cumprod_p.impl = _cum_impl(np.cumprod)
cumprod_p.abstract_eval = _cum_aval("cumprod")
cumprod_p.lower = lambda x, *, axis, reverse: lax.cumprod(x, axis, reverse)
cumprod_p.batch = _cum_batch(cumprod_p)
defjvp(cumprod_p, _cumprod_jvp)
defvjp(cumprod_p, _cumprod_vjp)

from . import shapes as _shapes  # noqa: E402  (shapes uses this module's helpers)
