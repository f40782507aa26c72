"""Reductions, cumulative ops and sorting for ``fnp``, with ``jax.numpy``'s dtypes.

``axis`` may be an int, a tuple of ints (negative ones count from the end), or
None (all axes); ``keepdims`` keeps the reduced axes with size 1.  Result dtypes
follow ``jax.numpy``: ``sum``/``prod`` of bool and small ints give the default
int (int32), ``mean``/``var``/``std``/``average`` of ints give float32, ``argmax``,
``argmin`` and ``argsort`` give int32; float16/bfloat16 are accumulated in float32.
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..core import Tracer, bind, dtypes
from ..ops import elementwise as ew
from ..ops import reductions as red
from ..ops import shapes as sh
from ..ops import sorting as srt
from .promotion import cast, dtype_weak, promote_args, unweak

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std", "argmax",
           "argmin", "all", "any", "average", "cumsum", "cumprod", "diff", "sort", "argsort"]

_HALF = (dtypes.float16, dtypes.bfloat16)


# ----------------------------------------------------------------------------- helpers

def _shape(x) -> tuple:
    if type(x) is Tracer:
        return x.aval.shape
    return x.shape if hasattr(x, "shape") else np.shape(x)


def _dtype(x) -> np.dtype:
    if type(x) is Tracer:
        return x.aval.dtype
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def _cast(x, dt: np.dtype):
    return x if _dtype(x) == dt else cast(x, dt)


def _operand(a, name: str):
    """``a`` as an operand (NumPy array/scalar or tracer), lists and scalars converted."""
    (x,) = promote_args(name, a)
    return unweak(x)


def _canon_dtype(dtype, name: str) -> np.dtype:
    """A ``dtype=`` argument as JAX reads it (Python ``float`` is float32, ``int`` int32)."""
    if dtype is float:
        return dtypes.DEFAULT_FLOAT
    if dtype is int:
        return dtypes.DEFAULT_INT
    if dtype is bool:
        return dtypes.bool_
    return dtypes.check_supported(dtype, f"{name}(dtype=...)")


def _unsupported(name: str, **kw) -> None:
    for k, v in kw.items():
        if v is not None:
            raise NotImplementedError(f"fnp.{name}: the argument {k}= is not supported "
                                      f"(functions return new arrays; leave {k}=None).")


def _axis_error(name: str, axis, shape: tuple) -> np.exceptions.AxisError:
    return np.exceptions.AxisError(
        f"fnp.{name}: axis {axis} is out of bounds for an array of shape {shape} "
        f"(ndim {len(shape)}); valid axes are {-len(shape)}..{len(shape) - 1}.")


def _norm_axis(name: str, axis, shape: tuple) -> int:
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"fnp.{name}: axis must be an int, got {axis!r}") from None
    nd = len(shape)
    if not -nd <= ax < nd:
        raise _axis_error(name, axis, shape)
    return ax % nd


def _norm_axes(name: str, axis, shape: tuple) -> tuple:
    """``axis`` (None, int or tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(len(shape)))
    if isinstance(axis, (tuple, list)):
        axes = tuple(_norm_axis(name, a, shape) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"fnp.{name}: repeated axis in axis={tuple(axis)} for an array "
                             f"of shape {shape}")
        return tuple(sorted(axes))
    return (_norm_axis(name, axis, shape),)


def _keep(y, shape: tuple, axes: tuple, keepdims: bool):
    if not keepdims or not axes:
        return y
    return sh.reshape(y, tuple(1 if i in axes else d for i, d in enumerate(shape)))


def _count(shape: tuple, axes: tuple) -> int:
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def _compute_dtype(dt: np.dtype) -> np.dtype:
    """Accumulate float16/bfloat16 in float32 (as ``jax.numpy``)."""
    return dtypes.float32 if dt in _HALF else dt


def _sum_dtype(dt: np.dtype) -> np.dtype:
    """The result dtype of ``sum``/``prod`` without ``dtype=``: bool and ints narrower
    than the default int widen to it (unsigned to uint32)."""
    if dt == dtypes.bool_:
        return dtypes.DEFAULT_INT
    if dt in dtypes.INTS and dt.itemsize < 4:
        return dtypes.uint32 if dt.kind == "u" else dtypes.DEFAULT_INT
    return dt


def _ravel(x):
    return sh.reshape(x, (_count(_shape(x), tuple(range(len(_shape(x))))),))


def _scalar(x, v):
    """The scalar ``v`` as a 0-d constant of ``x``'s dtype (strongly typed, never weak)."""
    return np.asarray(unweak(cast(v, _dtype(x))))


def _where_mask(name: str, where, shape: tuple):
    """The ``where=`` argument as a bool operand of ``shape`` (broadcast if needed)."""
    if isinstance(where, Tracer):
        m = where
    else:
        m = np.asarray(where)
        if m.dtype == object:
            raise TypeError(f"fnp.{name}: where= must be a boolean array, got {where!r:.60}")
    if _dtype(m) != dtypes.bool_:
        raise ValueError(f"fnp.{name}: where must be None or a boolean array, got dtype "
                         f"{_dtype(m)}; pass a mask such as x > 0 (or .astype(bool)).")
    mshape = tuple(_shape(m))
    try:
        ok = tuple(np.broadcast_shapes(mshape, shape)) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"fnp.{name}: the where= mask of shape {mshape} cannot be broadcast "
                         f"to the shape {tuple(shape)} of the reduced array; give it that "
                         "shape or one that broadcasts to it.")
    if mshape != tuple(shape):
        m = sh.broadcast_in_dim(m, tuple(shape), tuple(range(len(shape) - len(mshape),
                                                             len(shape))))
    return m


def _identity(dt: np.dtype, value: float):
    """``value`` (0, 1 or +-inf) as a 0-d constant of ``dt``; +-inf becomes the extreme
    integer for int dtypes and True/False for bool, as ``jax.numpy``'s reductions do."""
    if dt == dtypes.bool_:
        return np.asarray(value > 0, dt)
    if dt in dtypes.INTS and np.isinf(value):
        info = np.iinfo(dt)
        return np.asarray(info.min if value < 0 else info.max, dt)
    return np.asarray(value, dt)


def _masked(name: str, x, where, value: float):
    """``x`` with the elements outside ``where`` replaced by the identity ``value``."""
    if where is None:
        return x
    m = _where_mask(name, where, tuple(_shape(x)))
    return ew.select_n(m, _identity(_dtype(x), value), x)


def _fold(name: str, prim_fn, combine, a, axis, dtype, keepdims, initial, promote: bool,
          where=None, identity: float = 0.0):
    x = _operand(a, name)
    shape = _shape(x)
    axes = _norm_axes(name, axis, shape)
    dt = _canon_dtype(dtype, name) if dtype is not None else \
        (_sum_dtype(_dtype(x)) if promote else _dtype(x))
    x = _masked(name, _cast(x, _compute_dtype(dt)), where, identity)
    y = prim_fn(x, axes)
    if initial is not None:
        y = combine(y, _scalar(y, initial))
    return _keep(_cast(y, dt), shape, axes, keepdims)


# ----------------------------------------------------------------------------- sum / prod

def sum(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,  # noqa: A001
        keepdims: bool = False, initial: Any = None, where: Any = None,
        promote_integers: bool = True) -> Any:
    """Sum of elements over ``axis``, as ``jax.numpy.sum`` (bool/int8 sum to int32);
    only the elements where the boolean ``where`` mask (broadcast to ``a``) is True count.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.sum([[1, 2], [3, 4]], axis=0)
    array([4, 6], dtype=int32)
    >>> fnp.sum([[1, 2], [3, 4]], axis=1, where=[True, False])
    array([1, 3], dtype=int32)
    """
    t = type(a)
    if axis is None and dtype is None and not keepdims and initial is None and out is None \
            and where is None and (t is np.ndarray or (t is Tracer and not a.aval.weak_type)) \
            and a.dtype in dtypes.FLOATS:  # a loss's sum(): what _fold does, minus its checks
        return bind(red.reduce_sum_p, a, axes=_ALL_AXES[a.ndim])
    _unsupported("sum", out=out)
    return _fold("sum", red.reduce_sum, ew.add, a, axis, dtype, keepdims, initial,
                 promote_integers, where, 0.0)


_ALL_AXES = tuple(tuple(range(n)) for n in range(65))


def prod(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
         keepdims: bool = False, initial: Any = None, where: Any = None,
         promote_integers: bool = True) -> Any:
    """Product of elements over ``axis``, as ``jax.numpy.prod``; elements outside the
    boolean ``where`` mask count as 1.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.prod([[1., 2.], [3., 4.]], axis=1)
    array([ 2., 12.], dtype=float32)
    >>> fnp.prod([[1., 2.], [3., 4.]], axis=1, where=[[True, False], [True, True]])
    array([ 1., 12.], dtype=float32)
    """
    _unsupported("prod", out=out)
    return _fold("prod", red.reduce_prod, ew.mul, a, axis, dtype, keepdims, initial,
                 promote_integers, where, 1.0)


# ----------------------------------------------------------------------------- max / min

def _extremum(name: str, prim_fn, combine, a, axis, keepdims, initial, where, identity):
    x = _operand(a, name)
    shape = _shape(x)
    axes = _norm_axes(name, axis, shape)
    if where is not None and initial is None:
        raise ValueError(f"fnp.{name}: reduction operation {name} does not have an identity, "
                         "so to use a where mask one has to specify 'initial' (the result "
                         f"where the mask selects nothing), e.g. fnp.{name}(x, where=mask, "
                         f"initial={'-' if identity < 0 else ''}fnp.inf).")
    if initial is None and _count(shape, axes) == 0 and shape:
        raise ValueError(f"fnp.{name}: zero-size array (shape {shape}) to reduction operation "
                         f"{name} which has no identity; pass initial=... or a non-empty axis.")
    y = prim_fn(_masked(name, x, where, identity), axes)
    if initial is not None:
        y = combine(y, _scalar(y, initial))
    return _keep(y, shape, axes, keepdims)


def max(a: Any, axis: int | tuple | None = None, out: None = None,  # noqa: A001
        keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """Maximum over ``axis``, as ``jax.numpy.max`` (NaN propagates).  Its gradient is
    split evenly among tied maxima, as in JAX.  With a boolean ``where`` mask only the
    selected elements count, and ``initial`` (the result of an empty selection) is
    required.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.max([[1., 5.], [3., 2.]], axis=1)
    array([5., 3.], dtype=float32)
    >>> fnp.max([[1., 5.], [3., 2.]], axis=1, where=[[True, False], [False, False]],
    ...         initial=0.)
    array([1., 0.], dtype=float32)
    """
    _unsupported("max", out=out)
    return _extremum("max", red.reduce_max, _maximum, a, axis, keepdims, initial, where,
                     -np.inf)


def min(a: Any, axis: int | tuple | None = None, out: None = None,  # noqa: A001
        keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """Minimum over ``axis``, as ``jax.numpy.min`` (NaN propagates); ``where`` needs
    ``initial``, as in :func:`max`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.min([[1., 5.], [3., 2.]], axis=1)
    array([1., 2.], dtype=float32)
    >>> fnp.min([[4, 2], [9, 3]], axis=1, where=[True, False], initial=5)
    array([4, 5], dtype=int32)
    """
    _unsupported("min", out=out)
    return _extremum("min", red.reduce_min, _minimum, a, axis, keepdims, initial, where,
                     np.inf)


def _maximum(x, y):
    return bind(ew.max_p, x, y)


def _minimum(x, y):
    return bind(ew.min_p, x, y)


def amax(a: Any, axis: int | tuple | None = None, out: None = None, keepdims: bool = False,
         initial: Any = None, where: Any = None) -> Any:
    """Alias of :func:`max`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.amax([1, 7, 3])
    array(7, dtype=int32)
    """
    return max(a, axis, out, keepdims, initial, where)


def amin(a: Any, axis: int | tuple | None = None, out: None = None, keepdims: bool = False,
         initial: Any = None, where: Any = None) -> Any:
    """Alias of :func:`min`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.amin([1, 7, 3])
    array(1, dtype=int32)
    """
    return min(a, axis, out, keepdims, initial, where)


# ----------------------------------------------------------------------------- mean / var / std

def _mean_parts(name: str, a, axis, dtype):
    """(x cast to the computation dtype, shape, axes, result dtype)."""
    x = _operand(a, name)
    shape = _shape(x)
    axes = _norm_axes(name, axis, shape)
    dt = _canon_dtype(dtype, name) if dtype is not None else dtypes.float_of(_dtype(x))
    comp = _compute_dtype(dtypes.float_of(dt))
    return _cast(x, comp), shape, axes, dt


def _sum_count(name: str, x, shape: tuple, axes: tuple, where):
    """``(sum, count, mask)`` over ``axes``: of all elements (the count a static scalar,
    the mask None) or, with ``where``, of the selected ones (the count a reduction of the
    broadcast mask in ``x``'s dtype, as ``jax.numpy`` counts them)."""
    if where is None:
        s = red.reduce_sum(x, axes)
        return s, _scalar(s, _count(shape, axes)), None
    m = _where_mask(name, where, shape)
    s = red.reduce_sum(ew.select_n(m, _identity(_dtype(x), 0.0), x), axes)
    return s, red.reduce_sum(ew.convert_element_type(m, _dtype(x)), axes), m


def mean(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
         keepdims: bool = False, *, where: Any = None) -> Any:
    """Arithmetic mean over ``axis``, as ``jax.numpy.mean`` (ints give float32; the mean
    of no elements is NaN); with a boolean ``where`` mask, the mean of the selected
    elements.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.mean([[1, 2], [3, 4]], axis=1)
    array([1.5, 3.5], dtype=float32)
    >>> fnp.mean([[1, 2], [3, 4]], axis=1, where=[[True, True], [False, True]])
    array([1.5, 4. ], dtype=float32)
    """
    _unsupported("mean", out=out)
    x, shape, axes, dt = _mean_parts("mean", a, axis, dtype)
    s, count, _ = _sum_count("mean", x, shape, axes, where)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = ew.div(s, count)
    return _keep(_cast(y, dt), shape, axes, keepdims)


def _var(name: str, a, axis, dtype, ddof, where):
    """The variance and (shape, axes, result dtype), as ``jax.numpy.var``: the mean and the
    squared deviations over the selected elements, divided by ``count - ddof`` (NaN where
    that is not positive)."""
    x, shape, axes, dt = _mean_parts(name, a, axis, dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        s, count, m = _sum_count(name, x, shape, axes, where)
        kept = tuple(i for i in range(len(shape)) if i not in axes)
        centered = ew.sub(x, sh.broadcast_in_dim(ew.div(s, count), shape, kept))
        ss = red.reduce_sum(_masked(name, ew.mul(centered, centered), m, 0.0), axes)
        if m is None:  # a static count: the NaN of a non-positive divisor is static too
            denom = _count(shape, axes) - ddof
            y = ew.div(ss, _scalar(ss, denom)) if denom > 0 else ew.mul(ss, _scalar(ss, np.nan))
        else:
            denom = ew.sub(count, _scalar(count, ddof))
            y = ew.select_n(ew.gt(denom, _scalar(denom, 0)), _scalar(ss, np.nan),
                            ew.div(ss, denom))
    return y, shape, axes, dt


def var(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
        ddof: int = 0, keepdims: bool = False, *, where: Any = None,
        correction: int | float | None = None) -> Any:
    """Variance over ``axis``: ``sum((a - mean)**2) / (N - ddof)``, as ``jax.numpy.var``
    (NaN when ``N - ddof <= 0``).  With a boolean ``where`` mask (broadcast to ``a``) the
    mean, the squares and ``N`` count only the selected elements.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.var([[1., 2.], [3., 5.]], axis=1, ddof=1)
    array([0.5, 2. ], dtype=float32)
    >>> fnp.var([[1., 2., 9.], [3., 5., 4.]], axis=1, where=[True, True, False])
    array([0.25, 1.  ], dtype=float32)
    """
    _unsupported("var", out=out)
    ddof = ddof if correction is None else correction
    y, shape, axes, dt = _var("var", a, axis, dtype, ddof, where)
    return _keep(_cast(y, dt), shape, axes, keepdims)


def std(a: Any, axis: int | tuple | None = None, dtype: Any = None, out: None = None,
        ddof: int = 0, keepdims: bool = False, *, where: Any = None,
        correction: int | float | None = None) -> Any:
    """Standard deviation over ``axis``: ``sqrt(var(a, axis, ddof=ddof, where=where))``,
    as ``jax.numpy.std``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.std([[1., 3.], [2., 2.]], axis=1)
    array([1., 0.], dtype=float32)
    >>> fnp.std([[1., 3., 8.], [2., 2., 0.]], axis=1, where=[True, True, False])
    array([1., 0.], dtype=float32)
    """
    _unsupported("std", out=out)
    ddof = ddof if correction is None else correction
    y, shape, axes, dt = _var("std", a, axis, dtype, ddof, where)
    return _keep(_cast(ew.sqrt(y), dt), shape, axes, keepdims)


def average(a: Any, axis: int | tuple | None = None, weights: Any = None,
            returned: bool = False, keepdims: bool = False) -> Any:
    """Weighted average over ``axis``, as ``jax.numpy.average``: ``sum(a * w) / sum(w)``.
    ``weights`` has ``a``'s shape, or is 1-D along the single ``axis``.  With
    ``returned=True`` also returns the sum of the weights (broadcast like the result).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.average([[1., 2., 4.], [0., 0., 4.]], axis=1, weights=[1., 1., 2.])
    array([2.75, 2.  ], dtype=float32)
    """
    if weights is None:
        avg = mean(a, axis, keepdims=keepdims)
        if not returned:
            return avg
        x = _operand(a, "average")
        n = _count(_shape(x), _norm_axes("average", axis, _shape(x)))
        return avg, sh.broadcast_in_dim(_scalar(avg, n), _shape(avg), ())
    x, w = _operand(a, "average"), _operand(weights, "average")
    dt = dtypes.float_of(dtypes.result_type(dtype_weak(x), dtype_weak(w))[0])
    x, w = _cast(x, dt), _cast(w, dt)
    shape, wshape = _shape(x), _shape(w)
    axes = _norm_axes("average", axis, shape)
    if wshape != shape:
        if axis is None:
            raise ValueError(f"fnp.average: axis must be specified when the shapes of a "
                             f"{shape} and weights {wshape} differ.")
        if len(wshape) != 1 or len(axes) != 1 or wshape[0] != shape[axes[0]]:
            raise ValueError(f"fnp.average: weights of shape {wshape} must have a's shape "
                             f"{shape}, or be 1-D with the length of a's single axis={axis}.")
        w = sh.broadcast_in_dim(w, shape, axes)
    comp = _compute_dtype(_dtype(x))
    dt = _dtype(x)
    x, w = _cast(x, comp), _cast(w, comp)
    wsum = red.reduce_sum(w, axes)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = ew.div(red.reduce_sum(ew.mul(x, w), axes), wsum)
    avg = _keep(_cast(avg, dt), shape, axes, keepdims)
    if not returned:
        return avg
    return avg, _keep(_cast(wsum, dt), shape, axes, keepdims)


# ----------------------------------------------------------------------------- argmax / all / any

def _arg(name: str, prim_fn, a, axis, keepdims):
    x = _operand(a, name)
    shape = _shape(x)
    if axis is None:
        x = _ravel(x)
        ax = 0
    else:
        ax = _norm_axis(name, axis, shape)
    if _shape(x)[ax] == 0:
        raise ValueError(f"fnp.{name}: attempt to get {name} of an empty sequence (array of "
                         f"shape {shape}, axis {axis}).")
    y = prim_fn(x, ax, dtypes.DEFAULT_INT)
    if keepdims:
        keep_shape = tuple(1 if axis is None or i == ax else d for i, d in enumerate(shape))
        y = sh.reshape(y, keep_shape)
    return y


def argmax(a: Any, axis: int | None = None, out: None = None,
           keepdims: bool | None = None) -> Any:
    """Index of the first maximum along ``axis`` (of the flattened array when None), int32.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.argmax([[1., 5.], [7., 2.]], axis=1)
    array([1, 0], dtype=int32)
    """
    _unsupported("argmax", out=out)
    return _arg("argmax", red.argmax, a, axis, bool(keepdims))


def argmin(a: Any, axis: int | None = None, out: None = None,
           keepdims: bool | None = None) -> Any:
    """Index of the first minimum along ``axis`` (of the flattened array when None), int32.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.argmin([[1., 5.], [7., 2.]])
    array(0, dtype=int32)
    """
    _unsupported("argmin", out=out)
    return _arg("argmin", red.argmin, a, axis, bool(keepdims))


def _logical(name: str, prim_fn, a, axis, keepdims, where, identity: bool):
    x = _operand(a, name)
    shape = _shape(x)
    axes = _norm_axes(name, axis, shape)
    if _dtype(x) != dtypes.bool_:
        x = ew.ne(x, _scalar(x, 0))
    x = _masked(name, x, where, float(identity))
    return _keep(prim_fn(x, axes), shape, axes, keepdims)


def all(a: Any, axis: int | tuple | None = None, out: None = None,  # noqa: A001
        keepdims: bool = False, *, where: Any = None) -> Any:
    """Whether all elements along ``axis`` are true (nonzero), as ``jax.numpy.all``;
    elements outside the boolean ``where`` mask are ignored (count as True).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.all([[1, 0], [2, 3]], axis=1)
    array([False,  True])
    >>> fnp.all([[1, 0], [2, 3]], axis=1, where=[True, False])
    array([ True,  True])
    """
    _unsupported("all", out=out)
    return _logical("all", red.reduce_and, a, axis, keepdims, where, True)


def any(a: Any, axis: int | tuple | None = None, out: None = None,  # noqa: A001
        keepdims: bool = False, *, where: Any = None) -> Any:
    """Whether any element along ``axis`` is true (nonzero), as ``jax.numpy.any``;
    elements outside the boolean ``where`` mask are ignored (count as False).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.any([[0, 0], [2, 0]], axis=1)
    array([False,  True])
    >>> fnp.any([[0, 0], [2, 0]], axis=1, where=[False, True])
    array([False, False])
    """
    _unsupported("any", out=out)
    return _logical("any", red.reduce_or, a, axis, keepdims, where, False)


# ----------------------------------------------------------------------------- cumulative

def _cumulative(name: str, prim_fn, a, axis, dtype):
    x = _operand(a, name)
    if axis is None:
        x = _ravel(x)
        ax = 0
    else:
        ax = _norm_axis(name, axis, _shape(x))
    dt = _canon_dtype(dtype, name) if dtype is not None else _dtype(x)
    if dt == dtypes.bool_:
        dt = dtypes.DEFAULT_INT
    return prim_fn(_cast(x, dt), ax)


def cumsum(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """Running sum along ``axis`` (of the flattened array when None), as
    ``jax.numpy.cumsum`` (bool counts as int32).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.cumsum([[1, 2], [3, 4]], axis=1)
    array([[1, 3],
           [3, 7]], dtype=int32)
    """
    _unsupported("cumsum", out=out)
    return _cumulative("cumsum", red.cumsum, a, axis, dtype)


def cumprod(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """Running product along ``axis`` (of the flattened array when None), as
    ``jax.numpy.cumprod``.  Its derivatives are exact when ``a`` holds zeros.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.cumprod([1., 2., 3.])
    array([1., 2., 6.], dtype=float32)
    """
    _unsupported("cumprod", out=out)
    return _cumulative("cumprod", red.cumprod, a, axis, dtype)


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """The ``n``-th discrete difference along ``axis``: ``a[1:] - a[:-1]`` repeated
    ``n`` times (``!=`` for bool), as ``jax.numpy.diff``; ``prepend``/``append`` values
    are joined to ``a`` along ``axis`` first (scalars are broadcast).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.diff([1, 4, 9, 16])
    array([3, 5, 7], dtype=int32)
    """
    x = _operand(a, "diff")
    if len(_shape(x)) == 0:
        raise ValueError("fnp.diff requires an input that is at least one dimensional, got a "
                         "0-d array.")
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"fnp.diff: order must be non-negative but got n={n}")
    ax = _norm_axis("diff", axis, _shape(x))
    if n == 0:
        return x
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, x, append) if p is not None]
        parts = [unweak(p) for p in promote_args("diff", *parts)]
        full = []
        for p in parts:
            if len(_shape(p)) == 0:
                s = list(_shape(x))
                s[ax] = 1
                p = sh.broadcast_in_dim(p, tuple(s), ())
            full.append(p)
        x = sh.concatenate(full, ax)
    for _ in range(n):
        length = _shape(x)[ax]
        if length == 0:
            break
        hi = sh.slice_in_dim(x, 1, length, axis=ax)
        lo = sh.slice_in_dim(x, 0, length - 1, axis=ax)
        x = ew.ne(hi, lo) if _dtype(x) == dtypes.bool_ else ew.sub(hi, lo)
    return x


# ----------------------------------------------------------------------------- sorting

def _sort_args(name: str, a, axis, kind, order):
    _unsupported(name, order=order)
    del kind  # every sort here is stable, which satisfies any kind= request
    x = _operand(a, name)
    if axis is None:
        return _ravel(x), 0
    return x, _norm_axis(name, axis, _shape(x))


def sort(a: Any, axis: int | None = -1, *, kind: str | None = None, order: None = None,
         stable: bool = True, descending: bool = False) -> Any:
    """Sorted copy of ``a`` along ``axis`` (the flattened array when None), NaNs last
    (first with ``descending=True``), as ``jax.numpy.sort``.  Differentiable: the
    gradient flows back through the sorting permutation.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.sort([[3., 1., 2.], [0., 5., 4.]])
    array([[1., 2., 3.],
           [0., 4., 5.]], dtype=float32)
    """
    x, ax = _sort_args("sort", a, axis, kind, order)
    y = srt.sort(x, dimension=ax, is_stable=stable)[0]
    return sh.rev(y, (ax,)) if descending else y


def argsort(a: Any, axis: int | None = -1, *, kind: str | None = None, order: None = None,
            stable: bool = True, descending: bool = False) -> Any:
    """Indices (int32) that sort ``a`` along ``axis``, as ``jax.numpy.argsort``; ties keep
    their original order, also with ``descending=True``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.argsort([3., 1., 2., 1.])
    array([1, 3, 2, 0], dtype=int32)
    """
    x, ax = _sort_args("argsort", a, axis, kind, order)
    iota = sh.broadcasted_iota(dtypes.DEFAULT_INT, _shape(x), ax)
    if not descending:
        return srt.sort(x, iota, dimension=ax, is_stable=stable, num_keys=1)[1]
    # reverse, sort stably, reverse back: descending with ties in ascending index order
    idx = srt.sort(sh.rev(x, (ax,)), sh.rev(iota, (ax,)), dimension=ax, is_stable=stable,
                   num_keys=1)[1]
    return sh.rev(idx, (ax,))
