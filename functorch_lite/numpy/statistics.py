"""Order statistics, NaN-ignoring reductions, set operations and searching for ``fnp``.

Each function is written with ``fnp``'s own traceable functions (``sort``, ``where``,
``take_along_axis``, ...), so it runs eagerly and under ``jit``, ``grad`` and ``vmap``
with the derivatives those give, which are ``jax.numpy``'s: ``quantile`` sends the
gradient through the sorting permutation to the one or two order statistics it
interpolates, the ``nan*`` reductions give NaN entries a zero gradient.

Functions whose output shape depends on the values (``unique``, ``nonzero``,
``argwhere``, ``flatnonzero``, ``bincount``) take ``jax.numpy``'s static ``size=``
(``bincount``: ``length=``) argument; without it they need concrete values, so they
work eagerly and under ``grad`` of concrete inputs, and raise a
``ConcretizationTypeError`` naming the argument under ``jit``/``vmap``.
"""
from __future__ import annotations

import operator
import builtins
from typing import Any

import numpy as np

from .. import numpy as fnp
from ..core import ConcretizationTypeError, Tracer, dtypes
from ..ops import sorting as srt
from .reductions import _canon_dtype, _dtype, _norm_axes, _norm_axis, _operand, _shape, \
    _sum_dtype, _unsupported

__all__ = ["median", "quantile", "percentile", "nanmedian", "nanquantile", "nanpercentile",
           "nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd",
           "nanargmax", "nanargmin", "nancumsum", "nancumprod", "ptp", "count_nonzero",
           "cumulative_sum", "cumulative_prod", "cov", "corrcoef", "searchsorted",
           "digitize", "interp", "trapezoid", "bincount", "unique", "nonzero", "argwhere",
           "flatnonzero", "isin", "lexsort", "partition", "argpartition"]

_INT = dtypes.DEFAULT_INT


# ----------------------------------------------------------------------------- helpers

def _is_float(x) -> bool:
    return _dtype(x) in dtypes.FLOATS


def _float_operand(a, name: str):
    x = _operand(a, name)
    return x if _is_float(x) else fnp.asarray(x, dtypes.float_of(_dtype(x)))


def _concrete(x, name: str, arg: str, example: str) -> np.ndarray:
    """The value of ``x`` when it is known (eagerly, or under ``grad`` of concrete
    inputs); under ``jit``/``vmap`` the output shape would depend on it, so say which
    static argument to pass instead."""
    if isinstance(x, Tracer):
        if x.val is None:
            raise ConcretizationTypeError(
                f"fnp.{name}: the size of the result depends on the values of its input "
                f"{x.aval.str_short()}, which are not known under jit/vmap. Pass the static "
                f"argument {arg}= (e.g. {example}), as with jax.numpy.{name}.")
        return np.asarray(x.val)
    return np.asarray(x)


def _arr(y):
    """An eager NumPy scalar (from indexing or arithmetic on 0-d arrays) as a 0-d array,
    as the other reductions return."""
    return np.asarray(y) if isinstance(y, np.generic) else y


# ----------------------------------------------------------------------------- NaN reductions

def nansum(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
           keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """Sum over ``axis`` treating NaNs as zero, as ``jax.numpy.nansum``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nansum([[1., fnp.nan], [3., 4.]], axis=1)
    array([1., 7.], dtype=float32)
    """
    _unsupported("nansum", out=out)
    x = _operand(a, "nansum")
    if _is_float(x):
        x = fnp.where(fnp.isnan(x), fnp.zeros((), _dtype(x)), x)
    return fnp.sum(x, axis, dtype, keepdims=keepdims, initial=initial, where=where)


def nanprod(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
            keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """Product over ``axis`` treating NaNs as one, as ``jax.numpy.nanprod``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanprod([2., fnp.nan, 3.])
    array(6., dtype=float32)
    """
    _unsupported("nanprod", out=out)
    x = _operand(a, "nanprod")
    if _is_float(x):
        x = fnp.where(fnp.isnan(x), fnp.ones((), _dtype(x)), x)
    return fnp.prod(x, axis, dtype, keepdims=keepdims, initial=initial, where=where)


def _nan_extremum(name: str, fn, fill: float, a, axis, keepdims, initial, where):
    x = _operand(a, name)
    if not _is_float(x):
        return fn(x, axis, keepdims=keepdims, initial=initial, where=where)
    nan = fnp.isnan(x)
    y = fn(fnp.where(nan, np.asarray(fill, _dtype(x)), x), axis, keepdims=keepdims,
           initial=initial, where=where)
    if initial is not None:
        return y
    return fnp.where(fnp.all(nan, axis, keepdims=keepdims), np.asarray(np.nan, _dtype(x)), y)


def nanmax(a: Any, axis: int | tuple | None = None, out: None = None, keepdims: bool = False,
           initial: Any = None, where: Any = None) -> Any:
    """Maximum over ``axis`` ignoring NaNs (NaN where a slice is all NaN), as
    ``jax.numpy.nanmax``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanmax([[1., fnp.nan], [fnp.nan, fnp.nan]], axis=1)
    array([ 1., nan], dtype=float32)
    """
    _unsupported("nanmax", out=out)
    return _nan_extremum("nanmax", fnp.max, -np.inf, a, axis, keepdims, initial, where)


def nanmin(a: Any, axis: int | tuple | None = None, out: None = None, keepdims: bool = False,
           initial: Any = None, where: Any = None) -> Any:
    """Minimum over ``axis`` ignoring NaNs (NaN where a slice is all NaN), as
    ``jax.numpy.nanmin``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanmin([3., fnp.nan, 2.])
    array(2., dtype=float32)
    """
    _unsupported("nanmin", out=out)
    return _nan_extremum("nanmin", fnp.min, np.inf, a, axis, keepdims, initial, where)


def nanmean(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
            keepdims: bool = False, where: Any = None) -> Any:
    """Mean over ``axis`` of the non-NaN elements (NaN where there are none), as
    ``jax.numpy.nanmean``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanmean([[1., fnp.nan, 3.], [fnp.nan, fnp.nan, fnp.nan]], axis=1)
    array([ 2., nan], dtype=float32)
    """
    _unsupported("nanmean", out=out)
    x = _operand(a, "nanmean")
    if not _is_float(x):
        return fnp.mean(x, axis, dtype, keepdims=keepdims, where=where)
    dt = _canon_dtype(dtype, "nanmean") if dtype is not None else _dtype(x)
    count = fnp.sum(fnp.logical_not(fnp.isnan(x)), axis, dtype=dt, keepdims=keepdims,
                    where=where)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _arr(nansum(x, axis, dtype=dt, keepdims=keepdims, where=where) / count)


def nanvar(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
           ddof: int = 0, keepdims: bool = False, where: Any = None) -> Any:
    """Variance over ``axis`` of the non-NaN elements, dividing by ``count - ddof`` (NaN
    where that is not positive), as ``jax.numpy.nanvar``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanvar([1., fnp.nan, 3.])
    array(1., dtype=float32)
    """
    _unsupported("nanvar", out=out)
    x = _float_operand(a, "nanvar")
    dt = _canon_dtype(dtype, "nanvar") if dtype is not None else _dtype(x)
    comp = dtypes.float32 if dt in (dtypes.float16, dtypes.bfloat16) else dt
    x = fnp.asarray(x, comp) if _dtype(x) != comp else x
    nan = fnp.isnan(x)
    mu = nanmean(x, axis, keepdims=True, where=where)
    centered = fnp.where(nan, np.asarray(0, comp), x - mu)  # (the double where: no NaN grads)
    n = fnp.sum(fnp.logical_not(nan), axis, keepdims=keepdims, where=where) - ddof
    bad = n <= 0
    ss = fnp.sum(centered * centered, axis, keepdims=keepdims, where=where)
    y = fnp.where(bad, np.asarray(np.nan, comp), ss) / \
        fnp.asarray(fnp.where(bad, 1, n), comp)
    return _arr(fnp.asarray(y, dt) if _dtype(y) != dt else y)


def nanstd(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
           ddof: int = 0, keepdims: bool = False, where: Any = None) -> Any:
    """Standard deviation over ``axis`` ignoring NaNs: ``sqrt(nanvar(...))``, as
    ``jax.numpy.nanstd``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanstd([1., fnp.nan, 3.])
    array(1., dtype=float32)
    """
    _unsupported("nanstd", out=out)
    return _arr(fnp.sqrt(nanvar(a, axis, dtype, ddof=ddof, keepdims=keepdims, where=where)))


def _nan_arg(name: str, fn, fill: float, a, axis, keepdims):
    x = _operand(a, name)
    if not _is_float(x):
        return fn(x, axis, keepdims=keepdims)
    nan = fnp.isnan(x)
    y = fn(fnp.where(nan, np.asarray(fill, _dtype(x)), x), axis, keepdims=keepdims)
    return fnp.where(fnp.all(nan, axis, keepdims=bool(keepdims)), np.asarray(-1, _INT), y)


def nanargmax(a: Any, axis: int | None = None, out: None = None,
              keepdims: bool | None = None) -> Any:
    """Index of the first maximum along ``axis`` ignoring NaNs (-1 for an all-NaN slice,
    as ``jax.numpy.nanargmax``; NumPy raises there).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanargmax([1., fnp.nan, 3.])
    array(2, dtype=int32)
    """
    _unsupported("nanargmax", out=out)
    return _nan_arg("nanargmax", fnp.argmax, -np.inf, a, axis, keepdims)


def nanargmin(a: Any, axis: int | None = None, out: None = None,
              keepdims: bool | None = None) -> Any:
    """Index of the first minimum along ``axis`` ignoring NaNs (-1 for an all-NaN slice),
    as ``jax.numpy.nanargmin``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanargmin([[fnp.nan, 2.], [fnp.nan, fnp.nan]], axis=1)
    array([ 1, -1], dtype=int32)
    """
    _unsupported("nanargmin", out=out)
    return _nan_arg("nanargmin", fnp.argmin, np.inf, a, axis, keepdims)


def nancumsum(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """Running sum along ``axis`` treating NaNs as zero, as ``jax.numpy.nancumsum``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nancumsum([1., fnp.nan, 2.])
    array([1., 1., 3.], dtype=float32)
    """
    _unsupported("nancumsum", out=out)
    x = _operand(a, "nancumsum")
    if _is_float(x):
        x = fnp.where(fnp.isnan(x), np.asarray(0, _dtype(x)), x)
    return fnp.cumsum(x, axis, dtype)


def nancumprod(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """Running product along ``axis`` treating NaNs as one, as ``jax.numpy.nancumprod``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nancumprod([2., fnp.nan, 3.])
    array([2., 2., 6.], dtype=float32)
    """
    _unsupported("nancumprod", out=out)
    x = _operand(a, "nancumprod")
    if _is_float(x):
        x = fnp.where(fnp.isnan(x), np.asarray(1, _dtype(x)), x)
    return fnp.cumprod(x, axis, dtype)


# ----------------------------------------------------------------------------- simple reductions

def ptp(a: Any, axis: int | tuple | None = None, out: None = None,
        keepdims: bool = False) -> Any:
    """Peak to peak: ``max - min`` over ``axis``, as ``jax.numpy.ptp``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.ptp([[1., 5.], [3., 2.]], axis=1)
    array([4., 1.], dtype=float32)
    """
    _unsupported("ptp", out=out)
    x = _operand(a, "ptp")
    if _dtype(x) == dtypes.bool_:
        raise TypeError("fnp.ptp: a has dtype bool, which has no subtraction (as in "
                        "jax.numpy); use fnp.any(a, axis) & ~fnp.all(a, axis), or cast a to int.")
    return _arr(fnp.max(x, axis, keepdims=keepdims) - fnp.min(x, axis, keepdims=keepdims))


def count_nonzero(a: Any, axis: int | tuple | None = None, keepdims: bool = False) -> Any:
    """Number of nonzero (true) elements over ``axis``, int32, as
    ``jax.numpy.count_nonzero``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.count_nonzero([[0, 1, 2], [0, 0, 3]], axis=1)
    array([2, 1], dtype=int32)
    """
    x = _operand(a, "count_nonzero")
    return fnp.sum(x != np.asarray(0, _dtype(x)), axis, dtype=_INT, keepdims=keepdims)


def _cumulative_axis(name: str, x, axis) -> int:
    shape = _shape(x)
    if len(shape) == 0:
        raise ValueError(f"fnp.{name}: the input must be at least 1-D, got a 0-d array; "
                         f"use fnp.atleast_1d(x) first.")
    if axis is None:
        if len(shape) > 1:
            raise ValueError(f"fnp.{name}: axis must be given for an input of shape {shape} "
                             "(ndim > 1); pass axis=..., or ravel the input first.")
        return 0
    return _norm_axis(name, axis, shape)


def _with_initial(y, ax: int, value):
    s = list(_shape(y))
    s[ax] = 1
    return fnp.concatenate([fnp.full(tuple(s), value, _dtype(y)), y], axis=ax)


def cumulative_sum(x: Any, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Any:
    """Running sum along ``axis`` (which may be omitted for 1-D input), with a leading
    0 when ``include_initial``, as ``jax.numpy.cumulative_sum``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.cumulative_sum(fnp.array([1, 2, 3]), include_initial=True)
    array([0, 1, 3, 6], dtype=int32)
    """
    v = _operand(x, "cumulative_sum")
    ax = _cumulative_axis("cumulative_sum", v, axis)
    dt = _canon_dtype(dtype, "cumulative_sum") if dtype is not None else _sum_dtype(_dtype(v))
    y = fnp.cumsum(v, ax, dt)
    return _with_initial(y, ax, 0) if include_initial else y


def cumulative_prod(x: Any, /, *, axis: int | None = None, dtype: Any = None,
                    include_initial: bool = False) -> Any:
    """Running product along ``axis`` (which may be omitted for 1-D input), with a
    leading 1 when ``include_initial``, as ``jax.numpy.cumulative_prod``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.cumulative_prod(fnp.array([1., 2., 3.]), include_initial=True)
    array([1., 1., 2., 6.], dtype=float32)
    """
    v = _operand(x, "cumulative_prod")
    ax = _cumulative_axis("cumulative_prod", v, axis)
    y = fnp.cumprod(v, ax, dtype)
    return _with_initial(y, ax, 1) if include_initial else y


# ----------------------------------------------------------------------------- quantiles

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")


def _quantile_weights(name: str, weights, method: str, x, shape: tuple, axes: tuple, axis):
    """``weights`` as a float array of ``x``'s shape (or None)."""
    if weights is None:
        return None
    if method != "inverted_cdf":
        raise NotImplementedError(f"fnp.{name}: method={method!r} does not support weights; "
                                  "only method='inverted_cdf' does (as in jax.numpy).")
    w = _operand(weights, name)
    w = fnp.asarray(w, _dtype(x)) if _dtype(w) != _dtype(x) else w
    wshape = tuple(_shape(w))
    if wshape == tuple(shape):
        return w
    if axis is None:
        raise ValueError(f"fnp.{name}: weights of shape {wshape} must have a's shape {shape} "
                         "when axis is None.")
    if wshape != tuple(shape[d] for d in axes):
        raise ValueError(f"fnp.{name}: weights of shape {wshape} must have a's shape {shape} "
                         f"or the shape {tuple(shape[d] for d in axes)} of the reduced axes.")
    w = fnp.reshape(w, tuple(s if d in axes else 1 for d, s in enumerate(shape)))
    return fnp.broadcast_to(w, shape)


def _inverted_cdf(xs, ws, q1, count, squash_nans: bool):
    """The smallest sorted value whose cumulative weight reaches ``q`` of the total (NaN
    where a weight is negative or NaN, or, as ``jax.numpy``, where the slice has a NaN
    (``quantile``) or only NaNs (``nanquantile``))."""
    dt = _dtype(xs)
    zero = np.asarray(0, dt)
    nan_data = fnp.isnan(xs)
    bad_w = (ws < zero) | fnp.isnan(ws)
    cum = fnp.cumsum(fnp.where(bad_w | nan_data, zero, ws), axis=-1)  # (rest, n)
    target = q1 * cum[..., -1:]  # (rest, nq)
    idx = fnp.sum(cum[..., None, :] < target[..., :, None], axis=-1, dtype=_INT)
    limit = fnp.asarray(count - 1, _INT)
    idx = fnp.maximum(0, fnp.minimum(idx, limit))
    y = fnp.take_along_axis(xs, idx, axis=-1)
    bad = fnp.any(bad_w, axis=-1, keepdims=True)
    bad = bad | (count == 0 if squash_nans else fnp.any(nan_data, axis=-1, keepdims=True))
    return fnp.where(bad, np.asarray(np.nan, dt), y)


def _quantile(name: str, a, q, axis, method: str, keepdims: bool, squash_nans: bool,
              weights=None):
    if method not in _METHODS:
        raise ValueError(f"fnp.{name}: method={method!r} is not supported; use one of "
                         f"{', '.join(map(repr, _METHODS))}.")
    x = _float_operand(a, name)
    dt = _dtype(x)
    qv = _operand(q, name)
    if len(_shape(qv)) > 1:
        raise ValueError(f"fnp.{name}: q must be a scalar or 1-D, got shape {_shape(qv)}; "
                         "ravel it and reshape the result.")
    qv = fnp.asarray(qv, dt) if _dtype(qv) != dt else qv
    shape = _shape(x)
    axes = _norm_axes(name, axis, shape)
    w = _quantile_weights(name, weights, method, x, shape, axes, axis)
    if method == "inverted_cdf" and w is None:
        w = fnp.ones(shape, dt)
    kept = [d for d in range(len(shape)) if d not in axes]
    n = int(np.prod([shape[d] for d in axes]))
    rest = tuple(shape[d] for d in kept)

    def last(v):  # the reduced entries in one last axis
        return fnp.reshape(fnp.transpose(v, (*kept, *axes)), (*rest, n))

    x = last(x)
    q1 = fnp.reshape(qv, (-1,))  # (nq,)
    nq = _shape(q1)[0]
    nan = fnp.isnan(x)
    if squash_nans:
        count = fnp.sum(fnp.logical_not(nan), axis=-1, dtype=dt)[..., None]  # (rest, 1)
    else:
        x = fnp.where(fnp.any(nan, axis=-1, keepdims=True), np.asarray(np.nan, dt), x)
        count = fnp.full(rest + (1,), n, dt)
    if n == 0:
        y = fnp.full(rest + (nq,), np.nan, dt)
    elif method == "inverted_cdf":
        xs, ws = srt.sort(x, last(w), dimension=len(rest), num_keys=1)  # NaNs last
        y = _inverted_cdf(xs, ws, q1, count, squash_nans)
    else:
        x = fnp.sort(x, axis=-1)  # NaNs last
        pos = q1 * (count - 1)  # (rest, nq)
        low, high = fnp.floor(pos), fnp.ceil(pos)
        w_high = pos - low
        w_low = 1 - w_high
        top = count - 1
        zero = np.asarray(0, dt)
        lo_v = fnp.take_along_axis(
            x, fnp.asarray(fnp.maximum(zero, fnp.minimum(low, top)), _INT), axis=-1)
        hi_v = fnp.take_along_axis(
            x, fnp.asarray(fnp.maximum(zero, fnp.minimum(high, top)), _INT), axis=-1)
        if method == "linear":
            y = lo_v * w_low + hi_v * w_high
        elif method == "lower":
            y = lo_v
        elif method == "higher":
            y = hi_v
        elif method == "nearest":
            y = fnp.where(w_high <= 0.5, lo_v, hi_v)
        else:
            y = (lo_v + hi_v) * 0.5
    if keepdims:
        y = fnp.reshape(y, tuple(1 if d in axes else s for d, s in enumerate(shape)) + (nq,))
    y = fnp.moveaxis(y, -1, 0)
    return _arr(y[0]) if len(_shape(qv)) == 0 else y


def quantile(a: Any, q: Any, axis: int | tuple | None = None, out: None = None,
             overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
             *, weights: Any = None, interpolation: None = None) -> Any:
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or 1-D) over ``axis``, as
    ``jax.numpy.quantile``: the result has ``q``'s shape in front; a slice holding a NaN
    gives NaN.  ``method`` is one of ``'linear' 'lower' 'higher' 'midpoint' 'nearest'
    'inverted_cdf'``; only ``'inverted_cdf'`` takes ``weights`` (``a``'s shape, or the
    reduced axes' shape).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.quantile(fnp.array([[1., 2., 3., 4.], [4., 0., 8., 2.]]), 0.5, axis=1)
    array([2.5, 3. ], dtype=float32)
    >>> fnp.quantile(fnp.arange(5.), fnp.array([0.1, 0.9]), method="lower")
    array([0., 3.], dtype=float32)
    """
    _unsupported("quantile", out=out, interpolation=interpolation)
    return _quantile("quantile", a, q, axis, method, keepdims, False, weights)


def nanquantile(a: Any, q: Any, axis: int | tuple | None = None, out: None = None,
                overwrite_input: bool = False, method: str = "linear",
                keepdims: bool = False, *, weights: Any = None,
                interpolation: None = None) -> Any:
    """:func:`quantile` of the non-NaN elements (NaN for an all-NaN slice), as
    ``jax.numpy.nanquantile``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanquantile(fnp.array([1., fnp.nan, 3.]), 0.5)
    array(2., dtype=float32)
    """
    _unsupported("nanquantile", out=out, interpolation=interpolation)
    return _quantile("nanquantile", a, q, axis, method, keepdims, True, weights)


def _percent(q):
    return (q if isinstance(q, Tracer) else np.asarray(q)) / 100 if not isinstance(
        q, (int, float)) else q / 100


def percentile(a: Any, q: Any, axis: int | tuple | None = None, out: None = None,
               overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
               *, weights: Any = None, interpolation: None = None) -> Any:
    """The ``q``-th percentiles (``q`` in [0, 100]): ``quantile(a, q / 100, ...)``, as
    ``jax.numpy.percentile``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.percentile(fnp.array([1., 2., 3., 4., 5.]), 25)
    array(2., dtype=float32)
    """
    _unsupported("percentile", out=out, interpolation=interpolation)
    return _quantile("percentile", a, _percent(q), axis, method, keepdims, False,
                     weights)


def nanpercentile(a: Any, q: Any, axis: int | tuple | None = None, out: None = None,
                  overwrite_input: bool = False, method: str = "linear",
                  keepdims: bool = False, *, weights: Any = None,
                  interpolation: None = None) -> Any:
    """:func:`percentile` of the non-NaN elements, as ``jax.numpy.nanpercentile``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanpercentile(fnp.array([1., fnp.nan, 5.]), 50)
    array(3., dtype=float32)
    """
    _unsupported("nanpercentile", out=out, interpolation=interpolation)
    return _quantile("nanpercentile", a, _percent(q), axis, method, keepdims, True,
                     weights)


def median(a: Any, axis: int | tuple | None = None, out: None = None,
           overwrite_input: bool = False, keepdims: bool = False) -> Any:
    """Median over ``axis`` (the mean of the two middle values for an even count; NaN for a
    slice holding a NaN), as ``jax.numpy.median``; the gradient goes to the middle
    value(s).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.median(fnp.array([[3., 1., 2.], [4., 8., 6.]]), axis=1)
    array([2., 6.], dtype=float32)
    """
    _unsupported("median", out=out)
    return _quantile("median", a, 0.5, axis, "midpoint", keepdims, False)


def nanmedian(a: Any, axis: int | tuple | None = None, out: None = None,
              overwrite_input: bool = False, keepdims: bool = False) -> Any:
    """Median over ``axis`` of the non-NaN elements, as ``jax.numpy.nanmedian``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nanmedian(fnp.array([3., fnp.nan, 1., 2.]))
    array(2., dtype=float32)
    """
    _unsupported("nanmedian", out=out)
    return _quantile("nanmedian", a, 0.5, axis, "midpoint", keepdims, True)


# ----------------------------------------------------------------------------- covariance

def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False,
        ddof: int | None = None, fweights: Any = None, aweights: Any = None,
        dtype: Any = None) -> Any:
    """Covariance matrix of the variables in the rows of ``m`` (columns when
    ``rowvar=False``), with ``y``'s variables appended, as ``jax.numpy.cov``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.cov(fnp.array([[0., 1., 2.], [2., 1., 0.]]))
    array([[ 1., -1.],
           [-1.,  1.]], dtype=float32)
    """
    x = _float_operand(m, "cov")
    if len(_shape(x)) > 2:
        raise ValueError(f"fnp.cov: m has more than 2 dimensions (shape {_shape(x)}); pass "
                         "a 1-D or 2-D array of variables.")
    X = fnp.atleast_2d(x)
    if not rowvar and len(_shape(x)) != 1:
        X = X.T
    if y is not None:
        yv = _float_operand(y, "cov")
        if len(_shape(yv)) > 2:
            raise ValueError(f"fnp.cov: y has more than 2 dimensions (shape {_shape(yv)}).")
        Y = fnp.atleast_2d(yv)
        if not rowvar and _shape(Y)[0] != 1:
            Y = Y.T
        if _shape(Y)[1] != _shape(X)[1]:
            raise ValueError(f"fnp.cov: m and y must have the same number of observations, "
                             f"got {_shape(X)[1]} and {_shape(Y)[1]} (shapes {_shape(x)} and "
                             f"{_shape(yv)}).")
        dt = np.promote_types(_dtype(X), _dtype(Y))
        X = fnp.concatenate([fnp.asarray(X, dt), fnp.asarray(Y, dt)], axis=0)
    if dtype is not None:
        X = fnp.asarray(X, _canon_dtype(dtype, "cov"))
    nvar, nobs = _shape(X)
    if nvar == 0:
        return fnp.zeros((0, 0), _dtype(X))
    if nobs == 0:
        return fnp.full(() if nvar == 1 else (nvar, nvar), np.nan, _dtype(X))
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    for wname, wv in (("fweights", fweights), ("aweights", aweights)):
        if wv is None:
            continue
        wv = _operand(wv, "cov")
        if len(_shape(wv)) != 1 or _shape(wv)[0] != nobs:
            raise ValueError(f"fnp.cov: {wname} must be 1-D with one weight per observation "
                             f"({nobs}), got shape {_shape(wv)}.")
        if wname == "fweights" and _dtype(wv) not in dtypes.INTS:
            raise TypeError(f"fnp.cov: fweights must be integers, got dtype {_dtype(wv)}; "
                            "use aweights for real-valued weights.")
        wv = fnp.abs(wv)
        w = wv if w is None else w * wv
    if w is None:
        avg = fnp.mean(X, axis=1)
        f = nobs - ddof
    else:
        w = fnp.asarray(w, _dtype(X))
        w_sum = fnp.sum(w)
        avg = fnp.sum(X * w, axis=1) / w_sum
        if ddof == 0:
            f = w_sum
        elif aweights is None:
            f = w_sum - ddof
        else:
            f = w_sum - ddof * fnp.sum(w * fnp.abs(fnp.asarray(aweights, _dtype(X)))) / w_sum
    Xc = X - avg[:, None]
    XT = Xc.T if w is None else (Xc * w).T
    with np.errstate(invalid="ignore", divide="ignore"):
        c = fnp.dot(Xc, XT) / f
    return _arr(fnp.squeeze(c))


def corrcoef(x: Any, y: Any = None, rowvar: bool = True, dtype: Any = None) -> Any:
    """Pearson correlation coefficients ``cov / (std_i std_j)``, clipped to [-1, 1], as
    ``jax.numpy.corrcoef``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.corrcoef(fnp.array([[0., 1., 2.], [4., 2., 0.]]))
    array([[ 1., -1.],
           [-1.,  1.]], dtype=float32)
    """
    c = cov(x, y, rowvar, dtype=dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        if len(_shape(c)) == 0:
            return _arr(c / c)
        d = fnp.sqrt(fnp.diagonal(c))
        c = c / d[:, None] / d[None, :]
    return fnp.clip(c, -1, 1)


# ----------------------------------------------------------------------------- searching

def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None, *,
                 method: str = "scan") -> Any:
    """Indices (int32) where inserting ``v`` keeps the sorted 1-D ``a`` sorted: the first
    such place (``side='left'``) or the last (``'right'``), as ``jax.numpy.searchsorted``
    (NaNs order last): a binary search, or with ``method='compare_all'`` one comparison
    of every pair (``'scan'``, ``'scan_unrolled'`` and ``'sort'`` all search).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.searchsorted(fnp.array([1., 2., 2., 3.]), fnp.array([2., 0.5, 9.]), side="right")
    array([3, 0, 4], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"fnp.searchsorted: side must be 'left' or 'right', got {side!r}.")
    if method not in ("scan", "scan_unrolled", "sort", "compare_all"):
        raise ValueError(f"fnp.searchsorted: unknown method={method!r}; use 'scan', "
                         "'scan_unrolled', 'sort' or 'compare_all'.")
    av, vv = _operand(a, "searchsorted"), _operand(v, "searchsorted")
    if len(_shape(av)) != 1:
        raise ValueError(f"fnp.searchsorted: a must be 1-D, got shape {_shape(av)}; ravel it "
                         "or search each row separately (fl.vmap).")
    if sorter is not None:
        av = fnp.take(av, _operand(sorter, "searchsorted"))
    dt = np.promote_types(_dtype(av), _dtype(vv)) if _dtype(av) != _dtype(vv) else _dtype(av)
    av, vv = fnp.asarray(av, dt), fnp.asarray(vv, dt)
    floats = dt in dtypes.FLOATS

    def before(x, y):  # whether x goes before y: x < y (left), x <= y (right), NaN last
        if side == "left":
            hit = x < y
            return hit | (fnp.isnan(y) & fnp.logical_not(fnp.isnan(x))) if floats else hit
        hit = x <= y
        return hit | fnp.isnan(y) if floats else hit

    n = _shape(av)[0]
    if method == "compare_all" or n == 0:
        return fnp.sum(before(av, vv[..., None]), axis=-1, dtype=_INT)
    # binary search: ceil(log2(n + 1)) halvings of [lo, hi), each one gather
    lo = fnp.zeros(_shape(vv), _INT)
    hi = fnp.full(_shape(vv), n, _INT)
    for _ in range(int(n).bit_length()):
        mid = (lo + hi) // 2
        right = before(fnp.take(av, fnp.minimum(mid, n - 1)), vv) & (mid < hi)
        lo = fnp.where(right, mid + 1, lo)
        hi = fnp.where(right, hi, mid)
    return lo


def digitize(x: Any, bins: Any, right: bool = False, *, method: str | None = None) -> Any:
    """Index (int32) of the bin of each ``x`` among the monotonic 1-D ``bins``, as
    ``jax.numpy.digitize``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.digitize(fnp.array([0.5, 1., 2.5]), fnp.array([1., 2., 3.]))
    array([0, 1, 2], dtype=int32)
    """
    xv, b = _operand(x, "digitize"), _operand(bins, "digitize")
    if len(_shape(b)) != 1:
        raise ValueError(f"fnp.digitize: bins must be 1-D, got shape {_shape(b)}.")
    if _shape(b)[0] == 0:
        return fnp.zeros(_shape(xv), _INT)
    side = "left" if right else "right"
    kw = {} if method is None else {"method": method}
    return fnp.where(b[-1] >= b[0], searchsorted(b, xv, side, **kw),
                     _shape(b)[0] - searchsorted(b[::-1], xv, side, **kw))


def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
           period: Any = None) -> Any:
    """One-dimensional piecewise-linear interpolation of the points ``(xp, fp)`` (``xp``
    increasing) at ``x``, as ``jax.numpy.interp``; ``left``/``right`` (default ``fp[0]``,
    ``fp[-1]``, or ``'extrapolate'``) beyond the ends; ``period`` for periodic ``xp``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.interp(fnp.array([0.5, 1.5, 9.]), fnp.array([0., 1., 2.]), fnp.array([0., 10., 0.]))
    array([5., 5., 0.], dtype=float32)
    """
    xv, xpv, fpv = (_operand(t, "interp") for t in (x, xp, fp))
    if _shape(xpv) != _shape(fpv) or len(_shape(xpv)) != 1:
        raise ValueError(f"fnp.interp: xp and fp must be 1-D arrays of one size, got shapes "
                         f"{_shape(xpv)} and {_shape(fpv)}.")
    for nm, side in (("left", left), ("right", right)):
        if isinstance(side, str) and side != "extrapolate":
            raise ValueError(f"fnp.interp: the only valid string for {nm}= is 'extrapolate', "
                             f"got {side!r}.")
    dt = dtypes.float_of(np.promote_types(_dtype(xv), _dtype(xpv)))
    xv, xpv = fnp.asarray(xv, dt), fnp.asarray(xpv, dt)
    fpv = fnp.asarray(fpv, dtypes.float_of(_dtype(fpv)))
    if period is not None:
        if np.ndim(period) != 0:
            raise ValueError(f"fnp.interp: period must be a scalar, got {period!r}.")
        period = fnp.abs(period)
        xv, xpv = xv % period, xpv % period
        xpv, fpv = srt.sort(xpv, fpv, dimension=0, num_keys=1)
        xpv = fnp.concatenate([xpv[-1:] - period, xpv, xpv[:1] + period])
        fpv = fnp.concatenate([fpv[-1:], fpv, fpv[:1]])
    n = _shape(xpv)[0]
    i = fnp.clip(searchsorted(xpv, xv, side="right"), 1, n - 1)
    f_lo, f_hi = fnp.take(fpv, i - 1), fnp.take(fpv, i)
    x_lo, x_hi = fnp.take(xpv, i - 1), fnp.take(xpv, i)
    dx = x_hi - x_lo
    eps = np.spacing(np.finfo(dt).eps)
    dx0 = fnp.abs(dx) <= eps  # (no NaN gradients where two xp coincide)
    f = fnp.where(dx0, f_lo, f_lo + ((xv - x_lo) / fnp.where(dx0, 1, dx)) * (f_hi - f_lo))
    if period is None:
        if not isinstance(left, str):
            f = fnp.where(xv < xpv[0], fpv[0] if left is None else left, f)
        if not isinstance(right, str):
            f = fnp.where(xv > xpv[-1], fpv[-1] if right is None else right, f)
    return _arr(f)


def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Any:
    """Integral of ``y`` along ``axis`` by the trapezoidal rule, at sample points ``x``
    (or spaced ``dx``), as ``jax.numpy.trapezoid``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.trapezoid(fnp.array([1., 2., 3.]), dx=0.5)
    array(2., dtype=float32)
    """
    yv = _float_operand(y, "trapezoid")
    ax = _norm_axis("trapezoid", axis, _shape(yv))
    if x is None:
        d = _operand(dx, "trapezoid")
        if len(_shape(d)) > 0:
            d = fnp.moveaxis(fnp.reshape(d, (1,) * (len(_shape(yv)) - len(_shape(d)))
                                         + tuple(_shape(d))), ax, -1)
    else:
        xv = _float_operand(x, "trapezoid")
        if len(_shape(xv)) == 1:
            if _shape(xv)[0] != _shape(yv)[ax]:
                raise ValueError(f"fnp.trapezoid: x of shape {_shape(xv)} must have the length "
                                 f"{_shape(yv)[ax]} of y's axis {axis} (y shape {_shape(yv)}).")
            d = fnp.diff(xv)
        else:
            d = fnp.moveaxis(fnp.diff(xv, axis=ax), ax, -1)
    yv = fnp.moveaxis(yv, ax, -1)
    d_shape = _shape(d)
    if len(d_shape) == 0 or d_shape[-1] == 1:
        d0 = d if len(d_shape) == 0 else d[..., 0]
        return _arr(d0 * (fnp.sum(yv, -1) - 0.5 * (yv[..., 0] + yv[..., -1])))
    return _arr(0.5 * fnp.sum(d * (yv[..., 1:] + yv[..., :-1]), -1))


# ----------------------------------------------------------------------------- value-sized outputs

def bincount(x: Any, weights: Any = None, minlength: int = 0, *,
             length: int | None = None) -> Any:
    """Count of each value in the non-negative int array ``x`` (weighted by ``weights``), as
    ``jax.numpy.bincount``: negative values count as 0, and with ``length`` (static,
    needed under ``jit``) values beyond it are dropped.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.bincount(fnp.array([0, 1, 1, 3]))
    array([1, 2, 0, 1], dtype=int32)
    >>> fnp.bincount(fnp.array([0, 1, 1, 3]), length=2)
    array([1, 2], dtype=int32)
    """
    xv = _operand(x, "bincount")
    if _dtype(xv) == dtypes.bool_:
        xv = fnp.asarray(xv, _INT)
    if _dtype(xv) not in dtypes.INTS:
        raise TypeError(f"fnp.bincount: x must have an integer dtype, got {_dtype(xv)}; "
                        "cast it with x.astype(fnp.int32).")
    if len(_shape(xv)) != 1:
        raise ValueError(f"fnp.bincount: x must be 1-D, got shape {_shape(xv)}.")
    minlength = operator.index(minlength)
    if minlength < 0:
        raise ValueError(f"fnp.bincount: minlength must be non-negative, got {minlength}.")
    if length is None:
        vals = _concrete(xv, "bincount", "length", "length=10")
        length = builtins.max(minlength, int(vals.max()) + 1 if vals.size else 0)
    length = operator.index(length)
    if weights is None:
        w = fnp.ones(_shape(xv), _INT)
    else:
        w = _operand(weights, "bincount")
        if _shape(w) != _shape(xv):
            raise ValueError(f"fnp.bincount: weights of shape {_shape(w)} must have x's shape "
                             f"{_shape(xv)}.")
    return fnp.at(fnp.zeros(length, _dtype(w)))[fnp.maximum(xv, 0)].add(w, mode="drop")



def _flat_nonzero(mask, size: int | None, name: str):
    """(first ``size`` positions of True in the 1-D bool ``mask``, padded with 0; count)."""
    n = _shape(mask)[0]
    count = fnp.sum(mask, dtype=_INT)
    if size is None:
        size = int(_concrete(mask, name, "size", "size=10").sum())
    size = operator.index(size)
    if n == 0:
        return fnp.zeros(size, _INT), count
    order = fnp.argsort(fnp.asarray(fnp.logical_not(mask), _INT))  # stable: True first
    if size > n:
        order = fnp.concatenate([order, fnp.zeros(size - n, _INT)])
    idx = order[:size]
    return fnp.where(fnp.arange(size) < count, idx, 0), count


def nonzero(a: Any, *, size: int | None = None, fill_value: Any = None) -> tuple:
    """Indices (int32, one array per dimension) of the nonzero elements, as
    ``jax.numpy.nonzero``; with static ``size`` (needed under ``jit``) the first ``size``
    are kept, padded with ``fill_value`` (default 0).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.nonzero(fnp.array([[0, 3], [4, 0]]))
    (array([0, 1], dtype=int32), array([1, 0], dtype=int32))
    >>> fnp.nonzero(fnp.array([0, 5, 0]), size=2, fill_value=-1)
    (array([ 1, -1], dtype=int32),)
    """
    x = _operand(a, "nonzero")
    shape = _shape(x)
    if len(shape) == 0:
        raise ValueError("fnp.nonzero: calling nonzero on a 0-d array is not allowed; use "
                         "fnp.atleast_1d(a) first.")
    mask = fnp.reshape(x != np.asarray(0, _dtype(x)), (-1,))
    flat, count = _flat_nonzero(mask, size, "nonzero")
    size = _shape(flat)[0]
    out = []
    stride = int(np.prod(shape))
    for d in shape:
        stride //= d
        out.append(flat // stride % d if d else flat)
    if fill_value is not None:
        fills = fill_value if isinstance(fill_value, (tuple, list)) else (fill_value,) * len(out)
        if len(fills) != len(out):
            raise ValueError(f"fnp.nonzero: fill_value must be a scalar or a tuple of "
                             f"{len(out)} (one per dimension of shape {shape}), got "
                             f"{fill_value!r}.")
        keep = fnp.arange(size) < count
        out = [fnp.where(keep, o, fnp.asarray(f, _INT)) for o, f in zip(out, fills)]
    return tuple(out)


def flatnonzero(a: Any, *, size: int | None = None, fill_value: Any = None) -> Any:
    """Indices (int32) of the nonzero elements of the flattened ``a``, as
    ``jax.numpy.flatnonzero`` (``size``/``fill_value`` as in :func:`nonzero`).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.flatnonzero(fnp.array([[0, 3], [4, 0]]))
    array([1, 2], dtype=int32)
    """
    x = _operand(a, "flatnonzero")
    return nonzero(fnp.reshape(x, (-1,)), size=size, fill_value=fill_value)[0]


def argwhere(a: Any, *, size: int | None = None, fill_value: Any = None) -> Any:
    """Indices (int32) of the nonzero elements, one row per element, as
    ``jax.numpy.argwhere`` (``size``/``fill_value`` as in :func:`nonzero`).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.argwhere(fnp.array([[0, 3], [4, 0]]))
    array([[0, 1],
           [1, 0]], dtype=int32)
    """
    x = _operand(a, "argwhere")
    nd = len(_shape(x))
    cols = nonzero(fnp.reshape(x, (-1,)) if nd == 0 else x, size=size, fill_value=fill_value)
    out = fnp.stack(cols, axis=1)
    return out[:, :0] if nd == 0 else out


def unique(ar: Any, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None, *, equal_nan: bool = True,
           size: int | None = None, fill_value: Any = None, sorted: bool = True) -> Any:
    """The sorted unique elements of the flattened ``ar`` (the unique slices along
    ``axis`` when given), as ``jax.numpy.unique``; with
    ``return_index``/``return_inverse``/``return_counts`` also the first index of each, the
    index of each element's unique value, and the counts.  With static ``size`` (needed
    under ``jit``) the result is cut or padded to it with ``fill_value`` (default: the
    minimum).  NaNs count as one value unless ``equal_nan=False``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unique(fnp.array([3, 1, 3, 2]))
    array([1, 2, 3], dtype=int32)
    >>> fnp.unique(fnp.array([3, 1, 3]), return_counts=True, size=3, fill_value=0)
    (array([1, 3, 0], dtype=int32), array([1, 2, 0], dtype=int32))
    """
    x = _operand(ar, "unique")
    in_shape = tuple(_shape(x))
    if axis is None:
        x2 = fnp.reshape(x, (-1, 1))
        ax = None
    else:
        ax = _norm_axis("unique", axis, in_shape)
        x2 = fnp.moveaxis(x, ax, 0)
        x2 = fnp.reshape(x2, (in_shape[ax], -1)) if len(in_shape) > 1 else x2[:, None]
    n, m = _shape(x2)
    if n == 0 and size and fill_value is None:
        raise ValueError("fnp.unique: for an empty input with size > 0, fill_value must be "
                         "given.")
    if m == 0:
        raise ValueError(f"fnp.unique: the slices along axis={axis} of the input of shape "
                         f"{in_shape} are empty; nothing to compare.")
    # rows in lexicographic order (the first column the primary key), stably
    perm = srt.permutation(*(x2[:, j] for j in range(m)), dimension=0) if n else \
        fnp.zeros(0, _INT)
    s = fnp.take(x2, perm, axis=0)
    if n:
        ne = s[1:] != s[:-1]
        if _is_float(s) and equal_nan:
            ne = ne & fnp.logical_not(fnp.isnan(s[1:]) & fnp.isnan(s[:-1]))
        mask = fnp.concatenate([fnp.ones(1, bool), fnp.any(ne, axis=1)])
    else:
        mask = fnp.zeros(0, bool)
    ind, count = _flat_nonzero(mask, size, "unique")
    size = _shape(ind)[0]
    values = fnp.take(s, ind, axis=0) if n else fnp.zeros((size, m), _dtype(x))
    if fill_value is not None:
        values = fnp.where((fnp.arange(size) < count)[:, None], values,
                           fnp.asarray(fill_value, _dtype(values)))
    if ax is None:
        values = fnp.reshape(values, (size,))
    else:
        rest = in_shape[:ax] + in_shape[ax + 1:]
        values = fnp.moveaxis(fnp.reshape(values, (size, *rest)), 0, ax)
    ret = [values]
    if return_index:
        ret.append(fnp.take(perm, ind) if n else fnp.zeros(size, _INT))
    if return_inverse:
        inv = fnp.zeros(n, _INT)
        if n:
            inv = fnp.at(inv)[perm].set(fnp.cumsum(fnp.asarray(mask, _INT)) - 1)
        ret.append(fnp.reshape(inv, in_shape) if ax is None else inv)
    if return_counts:
        if n:
            bounds, _ = _flat_nonzero(mask, size + 1, "unique")
            tail = bounds[1:]
            bounds = fnp.concatenate([bounds[:1], fnp.where(tail > 0, tail, n)])
            ret.append(bounds[1:] - bounds[:-1])
        else:
            ret.append(fnp.zeros(size, _INT))
    return ret[0] if len(ret) == 1 else tuple(ret)


# ----------------------------------------------------------------------------- sets and orders

def isin(element: Any, test_elements: Any, assume_unique: bool = False, invert: bool = False,
         *, method: str = "auto") -> Any:
    """Whether each element of ``element`` is among ``test_elements`` (bool, ``element``'s
    shape), as ``jax.numpy.isin``; ``invert=True`` negates it.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.isin(fnp.array([1, 2, 3]), fnp.array([3, 1]))
    array([ True, False,  True])
    """
    e, t = _operand(element, "isin"), _operand(test_elements, "isin")
    hit = fnp.any(e[..., None] == fnp.reshape(t, (-1,)), axis=-1)
    return fnp.logical_not(hit) if invert else hit


def lexsort(keys: Any, axis: int = -1) -> Any:
    """Indirect stable sort (int32 indices) by several keys along ``axis``, the *last* key
    the primary one, as ``jax.numpy.lexsort``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.lexsort([fnp.array([1, 0, 2]), fnp.array([0, 0, 1])])
    array([1, 0, 2], dtype=int32)
    """
    ks = list(keys) if isinstance(keys, (list, tuple)) else \
        [_operand(keys, "lexsort")[i] for i in range(_shape(_operand(keys, "lexsort"))[0])]
    if not ks:
        raise TypeError("fnp.lexsort: need a sequence of keys with len > 0.")
    ks = [_operand(k, "lexsort") for k in ks]
    shapes = {tuple(_shape(k)) for k in ks}
    if len(shapes) != 1:
        raise ValueError(f"fnp.lexsort: all keys must have one shape, got "
                         f"{[tuple(_shape(k)) for k in ks]}; broadcast them first.")
    shape = shapes.pop()
    if len(shape) == 0:
        raise TypeError("fnp.lexsort: the keys must be at least 1-D, got 0-d arrays.")
    ax = _norm_axis("lexsort", axis, shape)
    return srt.permutation(*ks[::-1], dimension=ax)


def _partition_parts(name: str, a, kth, axis):
    x = _operand(a, name)
    ax = _norm_axis(name, axis, _shape(x))
    n = _shape(x)[ax]
    k = operator.index(kth)
    if not -n <= k < n:
        raise ValueError(f"fnp.{name}: kth={kth} is out of bounds for axis {axis} of length "
                         f"{n} (shape {_shape(x)}).")
    return fnp.moveaxis(x, ax, -1), ax, k % n


def partition(a: Any, kth: int, axis: int = -1) -> Any:
    """``a`` rearranged along ``axis`` so that position ``kth`` holds the value it would
    have sorted, smaller ones before and larger after, as ``jax.numpy.partition`` (the
    first ``kth + 1`` ascending, the rest descending, as JAX's ``top_k`` leaves them).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.partition(fnp.array([5., 1., 4., 2., 3.]), 1)
    array([1., 2., 5., 4., 3.], dtype=float32)
    """
    x, ax, k = _partition_parts("partition", a, kth, axis)
    s = fnp.sort(x, axis=-1)
    out = fnp.concatenate([s[..., :k + 1], fnp.flip(s[..., k + 1:], -1)], axis=-1)
    return fnp.moveaxis(out, -1, ax)


def argpartition(a: Any, kth: int, axis: int = -1) -> Any:
    """Indices (int32) that partition ``a`` along ``axis`` around ``kth`` (see
    :func:`partition`), as ``jax.numpy.argpartition`` (the indices after ``kth`` in
    increasing order).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.argpartition(fnp.array([5., 1., 4., 2., 3.]), 1)
    array([1, 3, 0, 2, 4], dtype=int32)
    """
    x, ax, k = _partition_parts("argpartition", a, kth, axis)
    perm = fnp.argsort(x, axis=-1)
    out = fnp.concatenate([perm[..., :k + 1], fnp.sort(perm[..., k + 1:], axis=-1)], axis=-1)
    return fnp.moveaxis(out, -1, ax)

