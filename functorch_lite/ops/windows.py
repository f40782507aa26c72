"""Windowed reductions (pooling): ``reduce_window_sum``, ``reduce_window_max``,
``reduce_window_min``, and the two helpers of the max/min derivatives,
``select_and_gather_add`` and ``select_and_scatter_add`` (as in JAX).

Every primitive takes the static window parameters ``window_dimensions``,
``window_strides``, ``padding`` (one ``(low, high)`` pair per axis; negative crops),
``base_dilation`` and ``window_dilation``.  Eagerly the operand is dilated and padded
with the reduction's identity and read through a strided window view (no copy per
window); under ``jit`` the primitives lower to ``jax.lax.reduce_window`` (the
derivative helpers to JAX's own derivatives of it, so XLA sees JAX's ops).

The derivative rules follow JAX:

- ``reduce_window_sum`` is linear: its tangent is the windowed sum of the tangent, its
  cotangent the windowed sum of the stride-dilated, padded cotangent (a transposed
  convolution with a window of ones);
- ``reduce_window_max``/``min`` pass on the tangent of ONE element per window, the first
  extremal one in row-major window order (``select_and_gather_add``); where a window's
  extremum is the identity itself (a window of -inf for max) the tangent is 0, as JAX's
  reduction starts from the identity.  The cotangent goes back to that first extremal
  element (``select_and_scatter_add``, with the padding holding the identity).  As in
  JAX, reverse mode with ``window_dilation`` raises ``NotImplementedError``.

Where this differs from JAX (on CPU): reverse-mode ties match JAX's exactly; eager
forward-mode ties match for 1-D and unpadded windows, but XLA's CPU reduction scans some
padded multi-dimensional windows in another order, so there a tie may pick another of
the equal entries (under ``jit`` the rule lowers to JAX's own op and agrees).  A NaN in a
window: the first NaN is chosen (XLA's comparison-based choice may pick another entry).
Negative padding with base dilation, and rank-0 operands, are differentiable here in
reverse mode (JAX's rule fails on the first; XLA's CPU compiler aborts on the second).
"""
from __future__ import annotations

import functools

import jax
import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, INTS, bool_
from . import shapes as sh
from .reductions import _identity

_PARAMS = ("window_dimensions", "window_strides", "padding", "base_dilation",
           "window_dilation")


def _shape(x) -> tuple:
    return tuple(x.aval.shape) if hasattr(x, "aval") else np.shape(x)


def _dtype(x):
    return x.aval.dtype if hasattr(x, "aval") else np.result_type(x)


def _dilate(d: int, k: int) -> int:
    return 0 if d == 0 else (d - 1) * k + 1


# ----------------------------------------------------------------------------- shape rule

@functools.lru_cache(maxsize=1024)
def window_shape(name: str, shape: tuple, window_dimensions: tuple, window_strides: tuple,
                 padding: tuple, base_dilation: tuple, window_dilation: tuple) -> tuple:
    """The output shape of a windowed reduction of an operand of ``shape``, or a
    TypeError naming what is inconsistent."""
    n = len(shape)
    named = (("window_dimensions", window_dimensions), ("window_strides", window_strides),
             ("padding", padding), ("base_dilation", base_dilation),
             ("window_dilation", window_dilation))
    for what, v in named:
        if len(v) != n:
            raise TypeError(f"{name}: {what} {v} needs one entry per dimension of the operand "
                            f"(shape {shape}, rank {n}), got {len(v)}.")
    for what, v in named:
        if what != "padding" and any(k < 1 for k in v):
            raise TypeError(f"{name}: {what} must be positive integers, got {v}.")
    out = []
    for d, w, s, (lo, hi), b, r in zip(shape, window_dimensions, window_strides, padding,
                                       base_dilation, window_dilation):
        p = _dilate(d, b) + lo + hi
        if p < 0:
            raise TypeError(f"{name}: padding {padding} crops more than the (dilated) operand "
                            f"of shape {shape} holds.")
        span = _dilate(w, r)
        out.append(0 if p < span else (p - span) // s + 1)
    return tuple(out)


def _params_shape(name, a, params):
    return window_shape(name, tuple(a.shape), *(params[k] for k in _PARAMS))


# ----------------------------------------------------------------------------- NumPy kernels

def _padded(x, fill, padding, base_dilation):
    """``x`` dilated (holes between entries) and edge-padded, both with ``fill``."""
    config = tuple((lo, hi, b - 1) for (lo, hi), b in zip(padding, base_dilation))
    if all(c == (0, 0, 0) for c in config):
        return np.ascontiguousarray(x)
    return np.ascontiguousarray(sh._pad_impl(x, np.asarray(fill, x.dtype),
                                             padding_config=config))


def _view(p, out_shape, window_dimensions, window_strides, window_dilation):
    """The read-only view ``v[o..., w...] = p[o * stride + w * dilation]``."""
    st = p.strides
    strides = tuple(s * k for s, k in zip(st, window_strides)) + \
        tuple(s * k for s, k in zip(st, window_dilation))
    return np.lib.stride_tricks.as_strided(p, tuple(out_shape) + tuple(window_dimensions),
                                           strides, writeable=False)


def _windows(x, fill, *, window_dimensions, window_strides, padding, base_dilation,
             window_dilation):
    x = np.asarray(x)
    out = window_shape("reduce_window", x.shape, window_dimensions, window_strides, padding,
                       base_dilation, window_dilation)
    p = _padded(x, fill, padding, base_dilation)
    return _view(p, out, window_dimensions, window_strides, window_dilation), out


def _window_axes(n: int) -> tuple:
    return tuple(range(n, 2 * n))


def _sum_impl(x, **params):
    x = np.asarray(x)
    if x.dtype not in _NUMBERS:  # eager binds skip the shape/dtype rule: it explains
        reduce_window_sum_p.abstract_eval(ShapedArray(x.shape, x.dtype), **params)
    v, _ = _windows(x, 0, **params)
    acc = np.float32 if x.dtype in FLOATS and x.dtype.itemsize < 4 else x.dtype
    return np.asarray(np.add.reduce(v, axis=_window_axes(x.ndim), dtype=acc), x.dtype)


def _chooser_impl(largest: bool):
    def impl(x, **params):
        x = np.asarray(x)
        if x.dtype not in _NUMBERS and x.dtype != bool_:
            raise TypeError(f"reduce_window_{'max' if largest else 'min'}: the operand must "
                            f"have a bool or number dtype, got {x.dtype}.")
        ident = _identity(x.dtype, not largest)
        v, _ = _windows(x, ident, **params)
        fn = np.max if largest else np.min
        return np.asarray(fn(v, axis=_window_axes(x.ndim), initial=ident), x.dtype)
    return impl


def _select_identity(select: str, dtype):
    return _identity(np.dtype(dtype), select == "min")


def _first_extremum(v, select: str, n: int):
    """Per window, the flat index of its first extremal entry (row-major window order)."""
    flat = v.reshape(v.shape[:n] + (int(np.prod(v.shape[n:], dtype=np.int64)),))
    return (np.argmax if select == "max" else np.argmin)(flat, axis=-1), flat


# ----------------------------------------------------------------------------- traceable API

def reduce_window_sum(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):
    """Windowed sums (the sum-pooling primitive; see ``fl.lax.reduce_window``).

    >>> reduce_window_sum(np.arange(5.0), (2,), (2,), ((0, 1),), (1,), (1,))
    array([1., 5., 4.])
    """
    return bind(reduce_window_sum_p, x, **_norm(window_dimensions, window_strides, padding,
                                               base_dilation, window_dilation))


def reduce_window_max(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):
    """Windowed maxima (the max-pooling primitive; see ``fl.lax.reduce_window``).

    >>> reduce_window_max(np.array([1., 3., 2., 0.]), (2,), (1,), ((0, 0),), (1,), (1,))
    array([3., 3., 2.])
    """
    return bind(reduce_window_max_p, x, **_norm(window_dimensions, window_strides, padding,
                                               base_dilation, window_dilation))


def reduce_window_min(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):
    """Windowed minima (see ``fl.lax.reduce_window``).

    >>> reduce_window_min(np.array([1., 3., 2., 0.]), (2,), (1,), ((0, 0),), (1,), (1,))
    array([1., 2., 0.])
    """
    return bind(reduce_window_min_p, x, **_norm(window_dimensions, window_strides, padding,
                                               base_dilation, window_dilation))


def _norm(window_dimensions, window_strides, padding, base_dilation, window_dilation) -> dict:
    return dict(window_dimensions=tuple(int(d) for d in window_dimensions),
                window_strides=tuple(int(d) for d in window_strides),
                padding=tuple((int(lo), int(hi)) for lo, hi in padding),
                base_dilation=tuple(int(d) for d in base_dilation),
                window_dilation=tuple(int(d) for d in window_dilation))


def select_and_gather_add(t, x, select: str, **params):
    """Per window of ``x``, the entry of ``t`` at the first maximum (``select="max"``)
    or minimum of ``x``: the tangent of max/min pooling."""
    return bind(select_and_gather_add_p, t, x, select=select,
                **{k: tuple(params[k]) for k in _PARAMS})


def select_and_scatter_add(g, x, select: str, window_dimensions, window_strides, padding):
    """``g`` (one entry per window) added into an ``x``-shaped array of zeros at each
    window's first maximum/minimum of ``x``: the cotangent of max/min pooling."""
    return bind(select_and_scatter_add_p, g, x, select=select,
                window_dimensions=tuple(window_dimensions),
                window_strides=tuple(window_strides), padding=tuple(padding))


# ----------------------------------------------------------------------------- shared rules

def _window_aval(name, kinds):
    def abstract_eval(a, **params):
        if a.dtype not in kinds:
            what = "a number dtype" if bool_ not in kinds else "a bool or number dtype"
            raise TypeError(f"{name}: the operand must have {what}, got {a.str_short()}; "
                            "convert it first (e.g. .astype(fnp.float32)).")
        return ShapedArray(_params_shape(name, a, params), a.dtype, a.weak_type)
    return abstract_eval


def _with_unit_window(d: int, params: dict) -> dict:
    """The window parameters with a size-1, stride-1, unpadded window at axis ``d``."""
    one = {"window_dimensions": 1, "window_strides": 1, "padding": (0, 0),
           "base_dilation": 1, "window_dilation": 1}
    return {k: tuple(params[k][:d]) + (one[k],) + tuple(params[k][d:]) for k in _PARAMS}


def _window_batch(prim):
    def batch(args, dims, **params):
        d = dims[0]
        return bind(prim, args[0], **_with_unit_window(d, params)), d
    return batch


def _lower(jax_op, largest=None):
    def lower(x, **params):
        dt = np.dtype(x.dtype)
        init = np.asarray(0 if largest is None else _identity(dt, not largest), dt)
        return lax.reduce_window(x, init, jax_op, params["window_dimensions"],
                                 params["window_strides"], params["padding"],
                                 params["base_dilation"], params["window_dilation"])
    return lower


_NUMBERS = frozenset(FLOATS) | frozenset(INTS)

# ----------------------------------------------------------------------------- reduce_window_sum

reduce_window_sum_p = Primitive("reduce_window_sum")
reduce_window_sum_p.impl = _sum_impl
reduce_window_sum_p.abstract_eval = _window_aval("reduce_window_sum", _NUMBERS)
reduce_window_sum_p.lower = _lower(lax.add)
reduce_window_sum_p.batch = _window_batch(reduce_window_sum_p)
reduce_window_sum_p.jvp = lambda primals, tangents, ans, **p: (
    None if tangents[0] is None else bind(reduce_window_sum_p, tangents[0], **p))


def _conv_transpose_padding(in_shape, out_shape, params):
    """The padding that turns the windowed sum's cotangent back into the operand's
    shape (JAX's ``_conv_general_vjp_lhs_padding``)."""
    pads = []
    for d, o, w, s, (lo, _), b, r in zip(in_shape, out_shape, *(params[k] for k in _PARAMS)):
        before = _dilate(w, r) - lo - 1
        after = _dilate(d, b) + _dilate(w, r) - 1 - _dilate(o, s) - before
        pads.append((before, after, s - 1))
    return pads


def _sum_vjp(g, ans, args, needs, **params):
    if not needs[0]:
        return [None]
    x = args[0]
    in_shape, out_shape = _shape(x), _shape(g)
    from .elementwise import _c, zeros_like
    if 0 in in_shape or 0 in out_shape:
        return [zeros_like(x)]
    padded = sh.pad(g, _c(g, 0), _conv_transpose_padding(in_shape, out_shape, params))
    n = len(in_shape)
    return [bind(reduce_window_sum_p, padded, window_dimensions=params["window_dimensions"],
                 window_strides=params["base_dilation"], padding=((0, 0),) * n,
                 base_dilation=(1,) * n, window_dilation=params["window_dilation"])]


reduce_window_sum_p.vjp = _sum_vjp

# ----------------------------------------------------------------------------- max / min


def _chooser_rules(prim, select):
    def jvp(primals, tangents, ans, **params):
        t = tangents[0]
        return None if t is None else select_and_gather_add(t, primals[0], select, **params)

    def vjp(g, ans, args, needs, **params):
        if not needs[0]:
            return [None]
        return [_gather_transpose(g, args[0], select, params)]
    prim.jvp, prim.vjp = jvp, vjp


def _gather_transpose(g, x, select, params):
    """The cotangent of ``select_and_gather_add(t, x)`` with respect to ``t`` (JAX's
    rule: base dilation by identity holes around a ``select_and_scatter_add``)."""
    if any(r != 1 for r in params["window_dilation"]):
        raise NotImplementedError(
            "VJP not implemented for select_and_gather (MaxPool) with window dilation, got "
            f"window_dilation={params['window_dilation']} (as in JAX); use forward mode "
            "(fl.jvp / fl.jacfwd) or window_dilation=None.")
    bd = params["base_dilation"]
    dilated = any(b != 1 for b in bd)
    xd = x
    if dilated:
        ident = np.asarray(_select_identity(select, _dtype(x)))
        xd = sh.pad(x, ident, [(0, 0, b - 1) for b in bd])
    out = select_and_scatter_add(g, xd, select, params["window_dimensions"],
                                 params["window_strides"], params["padding"])
    if dilated:
        shp = _shape(out)
        out = sh.slice(out, (0,) * len(shp), shp, tuple(bd))
    return out


reduce_window_max_p = Primitive("reduce_window_max")
reduce_window_max_p.impl = _chooser_impl(largest=True)
reduce_window_max_p.abstract_eval = _window_aval("reduce_window_max", _NUMBERS | {bool_})
reduce_window_max_p.lower = _lower(lax.max, largest=True)
reduce_window_max_p.batch = _window_batch(reduce_window_max_p)
_chooser_rules(reduce_window_max_p, "max")

reduce_window_min_p = Primitive("reduce_window_min")
reduce_window_min_p.impl = _chooser_impl(largest=False)
reduce_window_min_p.abstract_eval = _window_aval("reduce_window_min", _NUMBERS | {bool_})
reduce_window_min_p.lower = _lower(lax.min, largest=False)
reduce_window_min_p.batch = _window_batch(reduce_window_min_p)
_chooser_rules(reduce_window_min_p, "min")

# -------------------------------------------------------------------------- select_and_gather_add


def _gather_impl(t, x, *, select, **params):
    x, t = np.asarray(x), np.asarray(t)
    n = x.ndim
    ident = _select_identity(select, x.dtype)
    vx, out = _windows(x, ident, **params)
    vt, _ = _windows(t, 0, **params)
    idx, flat = _first_extremum(vx, select, n)
    best = np.take_along_axis(flat, idx[..., None], -1)[..., 0]
    res = np.take_along_axis(vt.reshape(flat.shape), idx[..., None], -1)[..., 0]
    # JAX's reduction starts from the identity, which wins a tie with it
    return np.where(best == ident, np.zeros((), t.dtype), res).astype(t.dtype)


def _gather_aval(t, x, *, select, **params):
    if t.shape != x.shape or t.dtype != x.dtype:
        raise TypeError(f"select_and_gather_add: tangents {t.str_short()} and operand "
                        f"{x.str_short()} must have one shape and dtype.")
    return ShapedArray(_params_shape("select_and_gather_add", x, params), t.dtype, t.weak_type)


def _gather_jvp(primals, tangents, ans, *, select, **params):
    tt = tangents[0]
    return None if tt is None else select_and_gather_add(tt, primals[1], select, **params)


def _gather_vjp(g, ans, args, needs, *, select, **params):
    return [_gather_transpose(g, args[1], select, params) if needs[0] else None, None]


def _front(args, dims):
    from .rules import move_axis_to_front
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    return [move_axis_to_front(a, d, size) for a, d in zip(args, dims)]


def _gather_batch(args, dims, *, select, **params):
    t, x = _front(args, dims)
    return select_and_gather_add(t, x, select, **_with_unit_window(0, params)), 0


def _jax_reducer(select):
    return lax.max if select == "max" else lax.min


def _gather_lower(t, x, *, select, **params):
    dt = np.dtype(x.dtype)
    init = np.asarray(_select_identity(select, dt), dt)
    if x.ndim == 0:  # one window holding the one entry
        return jnp.where(x == init, jnp.zeros_like(t), t)

    def pool(x):
        return lax.reduce_window(x, init, _jax_reducer(select), params["window_dimensions"],
                                 params["window_strides"], params["padding"],
                                 params["base_dilation"], params["window_dilation"])
    return jax.jvp(pool, (x,), (t,))[1]


select_and_gather_add_p = Primitive("select_and_gather_add")
select_and_gather_add_p.impl = _gather_impl
select_and_gather_add_p.abstract_eval = _gather_aval
select_and_gather_add_p.jvp = _gather_jvp
select_and_gather_add_p.vjp = _gather_vjp
select_and_gather_add_p.batch = _gather_batch
select_and_gather_add_p.lower = _gather_lower

# -------------------------------------------------------------------------- select_and_scatter_add


def _unit_params(n, window_dimensions, window_strides, padding):
    return dict(window_dimensions=window_dimensions, window_strides=window_strides,
                padding=padding, base_dilation=(1,) * n, window_dilation=(1,) * n)


def _scatter_impl(g, x, *, select, window_dimensions, window_strides, padding):
    x, g = np.asarray(x), np.asarray(g)
    n = x.ndim
    if n == 0:  # one window holding the one entry
        return g.copy()
    params = _unit_params(n, window_dimensions, window_strides, padding)
    ident = _select_identity(select, x.dtype)
    p = _padded(x, ident, padding, (1,) * n)
    vx, out = _windows(x, ident, **params)
    idx, _ = _first_extremum(vx, select, n)
    offs = np.unravel_index(idx, tuple(window_dimensions)) if n else ()
    grid = np.indices(out, sparse=True) if n else ()
    pos = tuple(o * s + w for o, s, w in zip(grid, window_strides, offs))
    acc = np.float32 if g.dtype in FLOATS and g.dtype.itemsize < 4 else g.dtype
    ct = np.zeros(p.shape, acc)
    np.add.at(ct, tuple(np.broadcast_to(q, out) for q in pos), g.astype(acc))
    res = np.zeros(x.shape, g.dtype)  # crop the padding back off (a negative pad crops x)
    src, dst = [], []
    for d, m, (lo, _) in zip(x.shape, p.shape, padding):
        j0, j1 = max(0, -lo), min(d, m - lo)
        j1 = max(j0, j1)
        dst.append(slice(j0, j1))
        src.append(slice(j0 + lo, j1 + lo))
    res[tuple(dst)] = ct[tuple(src)]
    return res


def _scatter_aval(g, x, *, select, window_dimensions, window_strides, padding):
    n = len(x.shape)
    out = window_shape("select_and_scatter_add", tuple(x.shape), window_dimensions,
                       window_strides, padding, (1,) * n, (1,) * n)
    if tuple(g.shape) != out or g.dtype != x.dtype:
        raise TypeError(f"select_and_scatter_add: source {g.str_short()} must have the window "
                        f"shape {out} and the dtype of the operand {x.str_short()}.")
    return ShapedArray(tuple(x.shape), g.dtype, g.weak_type)


def _scatter_jvp(primals, tangents, ans, *, select, window_dimensions, window_strides,
                 padding):
    tg = tangents[0]
    return None if tg is None else select_and_scatter_add(
        tg, primals[1], select, window_dimensions, window_strides, padding)


def _scatter_vjp(g, ans, args, needs, *, select, window_dimensions, window_strides, padding):
    if not needs[0]:
        return [None, None]
    n = len(_shape(args[1]))
    return [select_and_gather_add(g, args[1], select, **_unit_params(
        n, window_dimensions, window_strides, padding)), None]


def _scatter_batch(args, dims, *, select, window_dimensions, window_strides, padding):
    g, x = _front(args, dims)
    return select_and_scatter_add(g, x, select, (1,) + tuple(window_dimensions),
                                  (1,) + tuple(window_strides),
                                  ((0, 0),) + tuple(padding)), 0


def _scatter_lower(g, x, *, select, window_dimensions, window_strides, padding):
    if x.ndim == 0:  # (XLA's CPU compiler aborts on a rank-0 select-and-scatter)
        return g
    dt = np.dtype(x.dtype)
    init = np.asarray(_select_identity(select, dt), dt)

    # JAX's CPU/GPU rule slices with the padding, which fails for a negative (cropping)
    # one: crop x here, and give the cropped entries a zero cotangent
    crop = [(max(-lo, 0), max(-hi, 0)) for lo, hi in padding]
    pads = [(max(lo, 0), max(hi, 0)) for lo, hi in padding]
    xc = x
    if any(c != (0, 0) for c in crop):
        xc = lax.slice(x, [a for a, _ in crop], [d - b for d, (_, b) in zip(x.shape, crop)])

    def pool(x):
        return lax.reduce_window(x, init, _jax_reducer(select), window_dimensions,
                                 window_strides, pads)
    ct = jax.vjp(pool, xc)[1](g)[0]
    if xc is not x:
        ct = lax.pad(ct, np.zeros((), ct.dtype), [(a, b, 0) for a, b in crop])
    return ct


select_and_scatter_add_p = Primitive("select_and_scatter_add")
select_and_scatter_add_p.impl = _scatter_impl
select_and_scatter_add_p.abstract_eval = _scatter_aval
select_and_scatter_add_p.jvp = _scatter_jvp
select_and_scatter_add_p.vjp = _scatter_vjp
select_and_scatter_add_p.batch = _scatter_batch
select_and_scatter_add_p.lower = _scatter_lower

__all__ = ["reduce_window_sum", "reduce_window_max", "reduce_window_min",
           "select_and_gather_add", "select_and_scatter_add", "window_shape"]
