"""Array creation: ``array asarray zeros ones full *_like arange linspace eye``, the
grids and index sets (``meshgrid indices tri tril_indices diag_indices ix_``), the log
and geometric ranges, ``vander``, and the index tricks ``s_ index_exp mgrid ogrid r_ c_``.

Dtypes follow JAX: Python floats give float32, Python ints int32, and explicit
64-bit NumPy inputs stay 64-bit.  With concrete arguments these functions return
NumPy arrays (a constant when used inside a trace); ``array``/``asarray`` of lists
holding traced arrays stack them, and ``full``/``linspace`` accept traced values.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Tracer, dtypes, value_of
from ..core.errors import concretization_error
from ..ops import elementwise as ew
from ..ops import shapes as sh
from ..ops.rules import _shape
from .promotion import _canon_array, cast, dtype_weak, unweak

__all__ = ["array", "asarray", "zeros", "ones", "full", "empty", "zeros_like", "ones_like",
           "full_like", "empty_like", "arange", "linspace", "eye", "identity",
           "meshgrid", "indices", "tri", "tril_indices", "triu_indices", "tril_indices_from",
           "triu_indices_from", "diag_indices", "diag_indices_from", "ix_", "logspace",
           "geomspace", "vander", "s_", "index_exp", "mgrid", "ogrid", "r_", "c_"]

_PY_TYPES = {float: dtypes.DEFAULT_FLOAT, int: dtypes.DEFAULT_INT, bool: dtypes.bool_}


def canonical_dtype(dtype, where: str) -> np.dtype | None:
    """A user's ``dtype=`` argument as a supported NumPy dtype (``float`` -> float32, as JAX)."""
    if dtype is None:
        return None
    if dtype in _PY_TYPES:
        return _PY_TYPES[dtype]
    return dtypes.check_supported(dtype, where)


def _shape_arg(shape, where: str) -> tuple:
    if isinstance(shape, Tracer):
        shape = value_of(shape)
        if shape is None:
            raise TypeError(f"{where}: the shape must be static (Python ints), got a traced "
                            "array; pass it as a static argument.")
    try:
        shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: shape {shape!r} must be an int or a sequence of ints") from e
    if any(d < 0 for d in shape):
        raise ValueError(f"{where}: negative dimensions are not allowed (shape {shape})")
    return shape


def _leaves(x) -> list:
    out, stack = [], [x]
    while stack:
        e = stack.pop()
        if isinstance(e, (list, tuple)):
            stack.extend(e)
        else:
            out.append(e)
    return out


def _has_tracer(x) -> bool:
    return any(isinstance(e, Tracer) for e in _leaves(x))


def _build(x, dt: np.dtype, weak: bool):
    """A (possibly traced) array of dtype ``dt`` from nested lists holding tracers."""
    if isinstance(x, (list, tuple)):
        parts = [_build(e, dt, weak) for e in x]
        if not parts:
            return np.zeros((0,), dt)
        shapes = {tuple(np.shape(p)) if not isinstance(p, Tracer) else p.shape for p in parts}
        if len(shapes) != 1:
            raise ValueError(f"array: the nested sequence is ragged (elements of shapes "
                             f"{sorted(shapes)}); all elements must have one shape.")
        shape = shapes.pop()
        rows = [sh.reshape(p, (1,) + shape) for p in parts]
        return sh.concatenate(rows, 0)
    return unweak(cast(x, dt, weak))


def array(object: Any, dtype: Any = None, copy: bool = True, order: str | None = "K",
          ndmin: int = 0) -> Any:
    """An array from ``object`` (array, scalar, nested lists), with JAX's dtype defaults.

    Lists may hold traced arrays: they are stacked.

    >>> array([1.0, 2.0]).dtype
    dtype('float32')
    >>> array([1, 2]).dtype, array(np.zeros(2)).dtype
    (dtype('int32'), dtype('float64'))
    """
    dt = canonical_dtype(dtype, "array")
    if isinstance(object, Tracer):
        out = object if dt is None or object.dtype == dt else ew.convert_element_type(object, dt)
    elif isinstance(object, (list, tuple)) and _has_tracer(object):
        leaves = _leaves(object)
        if dt is None:
            dt, weak = dtypes.result_type(*(dtype_weak(e) for e in leaves))
        else:
            weak = False
        out = _build(object, dt, weak)
    elif isinstance(object, (list, tuple)):
        out = _list_array(object, dt)
    else:
        out = _canon_array(object)
        if dt is not None and out.dtype != dt:
            out = out.astype(dt)
        elif copy:
            out = np.array(out, copy=True)
    nd = out.ndim if not isinstance(out, Tracer) else out.aval.ndim
    if ndmin > nd:
        out = sh.reshape(out, (1,) * (ndmin - nd) + tuple(out.shape))
    return out


def _list_array(x, dt):
    if dt is not None:
        return np.array(x, dtype=dt)
    leaves = _leaves(x)
    if all(type(e) in (bool, int, float) for e in leaves):
        return _canon_array(x)
    # explicit NumPy/jax values among the leaves keep their dtype; Python scalars are weak
    dt, _ = dtypes.result_type(*(dtype_weak(e) for e in leaves))
    return np.array(x, dtype=dt)


def asarray(a: Any, dtype: Any = None, order: str | None = None, *, copy: bool | None = None
            ) -> Any:
    """``a`` as an array (no copy when it already is one of the right dtype).

    >>> asarray(3).dtype
    dtype('int32')
    """
    return array(a, dtype=dtype, copy=bool(copy))


def zeros(shape: Any, dtype: Any = None) -> np.ndarray:
    """An array of zeros (float32 by default).

    >>> zeros(3)
    array([0., 0., 0.], dtype=float32)
    """
    return np.zeros(_shape_arg(shape, "zeros"), canonical_dtype(dtype, "zeros")
                    or dtypes.DEFAULT_FLOAT)


def ones(shape: Any, dtype: Any = None) -> np.ndarray:
    """An array of ones (float32 by default).

    >>> ones((2,), dtype=int)
    array([1, 1], dtype=int32)
    """
    return np.ones(_shape_arg(shape, "ones"), canonical_dtype(dtype, "ones")
                   or dtypes.DEFAULT_FLOAT)


def empty(shape: Any, dtype: Any = None) -> np.ndarray:
    """As JAX, an array of zeros (there is no uninitialized memory here).

    >>> empty(2)
    array([0., 0.], dtype=float32)
    """
    return zeros(shape, dtype)


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with ``fill_value`` (broadcast; may be traced).
    The dtype is ``dtype`` or that of ``fill_value`` (``1.0`` -> float32).

    >>> full((2,), 7)
    array([7, 7], dtype=int32)
    """
    shape = _shape_arg(shape, "full")
    fill = array(fill_value, dtype=dtype, copy=False)
    if isinstance(fill, Tracer):
        from .shapes import broadcast_to
        return broadcast_to(fill, shape)
    return np.array(np.broadcast_to(fill, shape))


def _like(a, dtype, shape, where):
    dt = canonical_dtype(dtype, where) or dtype_weak(a)[0]
    if shape is None:
        shape = a.aval.shape if isinstance(a, Tracer) else np.shape(a)
    return dt, _shape_arg(shape, where)


def _filled_like(a, value, dtype, shape, where):
    dt, shape = _like(a, dtype, shape, where)
    if isinstance(a, Tracer):
        # a constant of the tracer's shape: one broadcast of a scalar, never np.* on a tracer
        return sh.broadcast_in_dim(np.asarray(value, dt)[()], shape, ())
    return np.full(shape, value, dt)


def zeros_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """Zeros with the shape and dtype of ``a`` (works on traced arrays).

    >>> zeros_like(np.ones(2, np.int32))
    array([0, 0], dtype=int32)
    """
    return _filled_like(a, 0, dtype, shape, "zeros_like")


def ones_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """Ones with the shape and dtype of ``a``.

    >>> ones_like([1.0, 2.0])
    array([1., 1.], dtype=float32)
    """
    return _filled_like(a, 1, dtype, shape, "ones_like")


def empty_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """As JAX: ``zeros_like``.

    >>> empty_like(np.ones(2)).dtype
    dtype('float64')
    """
    return zeros_like(a, dtype, shape)


def full_like(a: Any, fill_value: Any, dtype: Any = None, shape: Any = None) -> Any:
    """An array like ``a`` filled with ``fill_value`` (which may be traced).

    >>> full_like(np.zeros(2, np.float32), 3)
    array([3., 3.], dtype=float32)
    """
    dt, shape = _like(a, dtype, shape, "full_like")
    return full(shape, fill_value, dt)


def _static_number(x, where: str):
    if isinstance(x, Tracer):
        v = value_of(x)
        if v is None:
            raise concretization_error(x, where)
        return np.asarray(v)[()]
    return x


def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> np.ndarray:
    """Evenly spaced values in ``[start, stop)`` (static arguments), as ``jnp.arange``:
    int32 for Python ints, float32 for Python floats.

    >>> arange(5)
    array([0, 1, 2, 3, 4], dtype=int32)
    >>> arange(0.0, 1.0, 0.25)
    array([0.  , 0.25, 0.5 , 0.75], dtype=float32)
    """
    args = [_static_number(a, "fnp.arange") for a in (start, stop, step) if a is not None]
    dt = canonical_dtype(dtype, "arange")
    if dt is None:
        dt, _ = dtypes.result_type(*(dtype_weak(a) for a in args))
    if stop is None:
        return np.arange(args[0], dtype=dt)
    return np.arange(*args, dtype=dt)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
             retstep: bool = False, dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced samples from ``start`` to ``stop`` (which may be arrays or
    traced values, differentiably), computed as ``jnp.linspace`` does.

    >>> linspace(0.0, 1.0, 5)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    num = int(_static_number(num, "fnp.linspace"))
    if num < 0:
        raise ValueError(f"linspace: number of samples, {num}, must be non-negative.")
    dt = canonical_dtype(dtype, "linspace")
    if dt is None:
        dt = dtypes.float_of(dtypes.result_type(dtype_weak(start), dtype_weak(stop))[0])
    cdt = dtypes.float_of(dt)
    start = unweak(cast(start, cdt))
    stop = unweak(cast(stop, cdt))
    s_shape = tuple(start.shape) if isinstance(start, Tracer) else np.shape(start)
    e_shape = tuple(stop.shape) if isinstance(stop, Tracer) else np.shape(stop)
    bounds = list(ew.broadcast_shapes("linspace", s_shape, e_shape))
    nb = len(bounds)
    start = sh.broadcast_in_dim(start, tuple(bounds), tuple(range(nb - len(s_shape), nb)))
    stop = sh.broadcast_in_dim(stop, tuple(bounds), tuple(range(nb - len(e_shape), nb)))
    axis = nb + axis + 1 if axis < 0 else axis
    if not 0 <= axis <= nb:
        raise ValueError(f"linspace: axis {axis} is out of bounds for a result of rank {nb + 1}")
    expanded = bounds[:axis] + [1] + bounds[axis:]
    div = num - 1 if endpoint else num
    if num > 1:
        delta = ew.div(ew.sub(stop, start), np.asarray(div, cdt)[()])
        iota_shape = [1] * len(expanded)
        iota_shape[axis] = div
        step = ew.div(sh.reshape(sh.iota(cdt, div), tuple(iota_shape)), np.asarray(div, cdt)[()])
        s2, e2 = sh.reshape(start, tuple(expanded)), sh.reshape(stop, tuple(expanded))
        out = ew.add(ew.mul(s2, ew.sub(np.asarray(1, cdt)[()], step)), ew.mul(e2, step))
        if endpoint:
            out = sh.concatenate([out, e2], axis)
    elif num == 1:
        delta = np.asarray(np.nan, cdt)[()] if endpoint else ew.sub(stop, start)
        out = sh.reshape(start, tuple(expanded))
    else:
        delta = np.asarray(np.nan, cdt)[()]
        out = np.zeros(tuple(bounds[:axis] + [0] + bounds[axis:]), cdt)
    if dt in dtypes.INTS or dt == dtypes.bool_:
        if dt != dtypes.bool_:
            out = ew.floor(out)
        out = ew.convert_element_type(out, dt)
    elif dt != cdt:
        out = ew.convert_element_type(out, dt)
    return (out, delta) if retstep else out


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> np.ndarray:
    """A 2-D array with ones on the ``k``-th diagonal (float32 by default).

    >>> eye(2)
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    return np.eye(int(N), None if M is None else int(M), int(k),
                  dtype=canonical_dtype(dtype, "eye") or dtypes.DEFAULT_FLOAT)


def identity(n: int, dtype: Any = None) -> np.ndarray:
    """The ``n`` x ``n`` identity matrix (float32 by default).

    >>> identity(1)
    array([[1.]], dtype=float32)
    """
    return eye(n, dtype=dtype)



# --------------------------------------------------------------------- grids and index sets

def _operand(x):
    return x if isinstance(x, Tracer) else _canon_array(x)


def meshgrid(*xi: Any, copy: bool = True, sparse: bool = False, indexing: str = "xy"
             ) -> list:
    """Coordinate grids from 1-D arrays (a list): ``indexing="xy"`` (Cartesian, the first
    two axes swapped) or ``"ij"`` (matrix); ``sparse=True`` keeps size-1 axes instead of
    broadcasting.

    >>> X, Y = meshgrid(array([1, 2, 3]), array([10, 20]))
    >>> X
    array([[1, 2, 3],
           [1, 2, 3]], dtype=int32)
    >>> [g.shape for g in meshgrid(zeros(3), zeros(2), indexing="ij", sparse=True)]
    [(3, 1), (1, 2)]
    """
    if not copy:
        raise ValueError("meshgrid: copy=False is not supported (as jax.numpy, arrays are "
                         "immutable); use copy=True.")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    args = [_operand(x) for x in xi]
    shapes = [_shape(a) for a in args]
    if any(len(s) != 1 for s in shapes):
        raise ValueError(f"meshgrid: every argument must be 1-D, got shapes {shapes}; "
                         "ravel them first.")
    swap = indexing == "xy" and len(args) >= 2
    if swap:
        args[0], args[1] = args[1], args[0]
    full_shape = tuple(_shape(a)[0] for a in args)
    out = []
    for i, a in enumerate(args):
        shp = tuple(d if j == i else 1 for j, d in enumerate(full_shape)) if sparse \
            else full_shape
        out.append(sh.broadcast_in_dim(a, shp, (i,)))
    if swap:
        out[0], out[1] = out[1], out[0]
    return out


def _static_dims(dims, where: str) -> tuple:
    try:
        return tuple(int(_static_number(d, where)) for d in dims)
    except TypeError as e:
        raise TypeError(f"{where}: dimensions {dims!r} must be a sequence of ints") from e


def indices(dimensions: Any, dtype: Any = None, sparse: bool = False) -> Any:
    """The index grids of an array of shape ``dimensions``: one ``(len(dims), *dims)``
    array (int32 by default), or a tuple of broadcastable arrays with ``sparse=True``.

    >>> indices((2, 3))[1]
    array([[0, 1, 2],
           [0, 1, 2]], dtype=int32)
    >>> [i.shape for i in indices((2, 3), sparse=True)]
    [(2, 1), (1, 3)]
    """
    dims = _static_dims(dimensions, "indices")
    dt = canonical_dtype(int if dtype is None else dtype, "indices")
    out = np.indices(dims, dtype=dt, sparse=sparse)
    return tuple(out) if sparse else out


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> np.ndarray:
    """Ones at and below the ``k``-th diagonal of an ``N`` x ``M`` array (float32 by
    default).

    >>> tri(2, 3, dtype=int)
    array([[1, 0, 0],
           [1, 1, 0]], dtype=int32)
    """
    N, k = int(_static_number(N, "tri")), int(_static_number(k, "tri"))
    M = N if M is None else int(_static_number(M, "tri"))
    return np.tri(N, M, k, dtype=canonical_dtype(dtype, "tri") or dtypes.DEFAULT_FLOAT)


def _index_pair(pair) -> tuple:
    return tuple(np.asarray(i, dtypes.DEFAULT_INT) for i in pair)


def tril_indices(n: int, k: int = 0, m: int | None = None) -> tuple:
    """The (row, column) indices of the lower triangle of an ``n`` x ``m`` array (int32).

    >>> tril_indices(2)
    (array([0, 1, 1], dtype=int32), array([0, 0, 1], dtype=int32))
    """
    n, k = int(_static_number(n, "tril_indices")), int(_static_number(k, "tril_indices"))
    m = n if m is None else int(_static_number(m, "tril_indices"))
    return _index_pair(np.tril_indices(n, k, m))


def triu_indices(n: int, k: int = 0, m: int | None = None) -> tuple:
    """The (row, column) indices of the upper triangle of an ``n`` x ``m`` array (int32).

    >>> triu_indices(2)
    (array([0, 0, 1], dtype=int32), array([0, 1, 1], dtype=int32))
    """
    n, k = int(_static_number(n, "triu_indices")), int(_static_number(k, "triu_indices"))
    m = n if m is None else int(_static_number(m, "triu_indices"))
    return _index_pair(np.triu_indices(n, k, m))


def _shape_2d(arr, where: str) -> tuple:
    s = tuple(arr.shape) if hasattr(arr, "shape") else np.shape(arr)
    if len(s) != 2:
        raise ValueError(f"{where}: arr must be 2-D, got shape {s}; use {where[:-5]} with "
                         "explicit sizes for other shapes.")
    return s


def tril_indices_from(arr: Any, k: int = 0) -> tuple:
    """``tril_indices`` for the shape of the 2-D ``arr`` (may be traced: only its shape
    is used).

    >>> tril_indices_from(zeros((2, 3)), k=1)[1]
    array([0, 1, 0, 1, 2], dtype=int32)
    """
    n, m = _shape_2d(arr, "tril_indices_from")
    return tril_indices(n, k, m)


def triu_indices_from(arr: Any, k: int = 0) -> tuple:
    """``triu_indices`` for the shape of the 2-D ``arr``.

    >>> triu_indices_from(zeros((3, 2)))[0]
    array([0, 0, 1], dtype=int32)
    """
    n, m = _shape_2d(arr, "triu_indices_from")
    return triu_indices(n, k, m)


def diag_indices(n: int, ndim: int = 2) -> tuple:
    """``ndim`` copies of ``arange(n)`` (int32): the indices of the main diagonal of an
    ``n`` x ... x ``n`` array.

    >>> diag_indices(2)
    (array([0, 1], dtype=int32), array([0, 1], dtype=int32))
    """
    n, ndim = int(_static_number(n, "diag_indices")), int(_static_number(ndim, "diag_indices"))
    if n < 0 or ndim < 0:
        raise ValueError(f"diag_indices: n={n} and ndim={ndim} must be non-negative")
    return tuple(np.arange(n, dtype=dtypes.DEFAULT_INT) for _ in range(ndim))


def diag_indices_from(arr: Any) -> tuple:
    """``diag_indices`` for ``arr``, which must have at least 2 axes, all of one length.

    >>> len(diag_indices_from(zeros((2, 2, 2))))
    3
    """
    s = tuple(arr.shape) if hasattr(arr, "shape") else np.shape(arr)
    if len(s) < 2:
        raise ValueError(f"diag_indices_from: arr must be at least 2-D, got shape {s}")
    if len(set(s)) != 1:
        raise ValueError(f"diag_indices_from: all dimensions of arr must have one length, got "
                         f"shape {s}; slice it to a square (cube, ...) first.")
    return diag_indices(s[0], len(s))


def ix_(*args: Any) -> tuple:
    """Open-mesh index arrays from 1-D sequences: ``x[ix_(rows, cols)]`` is the
    cross-product sub-array.

    >>> r, c = ix_(array([0, 1]), array([2, 0, 1]))
    >>> r.shape, c.shape
    ((2, 1), (1, 3))
    """
    n = len(args)
    out = []
    for i, a in enumerate(args):
        a = _operand(a)
        s = _shape(a)
        if len(s) != 1:
            raise ValueError(f"ix_: argument {i} must be 1-D, got shape {s}")
        if a.dtype == dtypes.bool_:
            raise NotImplementedError(f"ix_: boolean argument {i} is not supported (as "
                                      "jax.numpy); pass fnp.nonzero-style integer indices.")
        shp = tuple(s[0] if j == i else 1 for j in range(n))
        if s[0] == 0:
            out.append(np.zeros(shp, dtypes.DEFAULT_INT))
        else:
            out.append(sh.broadcast_in_dim(a, shp, (i,)))
    return tuple(out)


# --------------------------------------------------------------------- log / geometric ranges

def _range_dtypes(start, stop, dtype, where: str):
    dt = canonical_dtype(dtype, where)
    if dt is None:
        dt = dtypes.float_of(dtypes.result_type(dtype_weak(start), dtype_weak(stop))[0])
    return dt, dtypes.float_of(dt)


def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: Any = 10.0,
             dtype: Any = None, axis: int = 0) -> Any:
    """``base ** linspace(start, stop, num)``, as ``jnp.logspace`` (differentiable in
    ``start`` and ``stop``).

    >>> logspace(0.0, 2.0, 3)
    array([  1.,  10., 100.], dtype=float32)
    """
    from .math import power
    dt, cdt = _range_dtypes(start, stop, dtype, "logspace")
    lin = linspace(unweak(cast(start, cdt)), unweak(cast(stop, cdt)), num, endpoint=endpoint,
                   axis=axis)
    out = power(base, lin)
    return out if _operand(out).dtype == dt else ew.convert_element_type(out, dt)


def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0) -> Any:
    """Numbers spaced evenly on a log scale from ``start`` to ``stop`` (both nonzero and of
    one sign), as ``jnp.geomspace``.

    >>> geomspace(1.0, 8.0, 4).round(3)
    array([1., 2., 4., 8.], dtype=float32)
    """
    from .math import divide, log10, multiply, sign
    dt, cdt = _range_dtypes(start, stop, dtype, "geomspace")
    start, stop = unweak(cast(start, cdt)), unweak(cast(stop, cdt))
    sgn = sign(start)
    res = multiply(sgn, logspace(log10(divide(start, sgn)), log10(divide(stop, sgn)), num,
                                 endpoint=endpoint, dtype=cdt, axis=0))
    nd = len(_shape(res))
    ax = axis + nd if axis < 0 else axis
    if not 0 <= ax < nd:
        raise ValueError(f"geomspace: axis {axis} is out of bounds for a result of rank {nd}")
    if ax:
        res = sh.transpose(res, (*range(1, ax + 1), 0, *range(ax + 1, nd)))
    return res if _operand(res).dtype == dt else ew.convert_element_type(res, dt)


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Any:
    """The Vandermonde matrix of the 1-D ``x``: columns ``x**(N-1), ..., x, 1`` (reversed
    with ``increasing=True``); differentiable in ``x``.

    >>> vander(array([1, 2, 3]), 3)
    array([[1, 1, 1],
           [4, 2, 1],
           [9, 3, 1]], dtype=int32)
    """
    from .math import power
    x = _operand(x)
    s = _shape(x)
    if len(s) != 1:
        raise ValueError(f"vander: x must be 1-D, got shape {s}; ravel it first.")
    N = s[0] if N is None else int(_static_number(N, "vander"))
    if N < 0:
        raise ValueError(f"vander: N must be non-negative, got {N}")
    exps = np.arange(N, dtype=x.dtype)
    if not increasing:
        exps = exps[::-1].copy()
    return power(sh.reshape(x, (s[0], 1)), exps.reshape(1, N))


# --------------------------------------------------------------------- index tricks

s_ = np.s_
index_exp = np.index_exp


def _canon_grid(a: np.ndarray) -> np.ndarray:
    return a.astype(dtypes.DEFAULT_FLOAT if a.dtype.kind == "f" else dtypes.DEFAULT_INT)


class _Grid:
    """``mgrid``/``ogrid``: static slices to a dense or open grid (int32 for int slices,
    float32 otherwise; a complex step ``5j`` means 5 points, ends included)."""

    def __init__(self, sparse: bool, name: str):
        self.sparse, self.name = sparse, name

    def __getitem__(self, key):
        keys = key if isinstance(key, tuple) else (key,)
        for k in keys:
            if not isinstance(k, slice) or any(isinstance(v, Tracer)
                                               for v in (k.start, k.stop, k.step)):
                raise TypeError(f"fnp.{self.name}: indices must be static slices like 0:5 or "
                                f"0:1:5j, got {k!r}")
        out = (np.ogrid if self.sparse else np.mgrid)[key]
        if self.sparse:
            return [_canon_grid(np.asarray(o)) for o in out] if isinstance(key, tuple) \
                else _canon_grid(np.asarray(out))
        return _canon_grid(out)

    def __repr__(self):
        return f"fnp.{self.name}"


mgrid = _Grid(False, "mgrid")
"""Dense grids from slices: ``mgrid[0:2, 0:3]`` has shape ``(2, 2, 3)``.

>>> mgrid[0:3]
array([0, 1, 2], dtype=int32)
>>> mgrid[0:2, 0:1:3j].shape
(2, 2, 3)
"""
ogrid = _Grid(True, "ogrid")
"""Open grids from slices: ``ogrid[0:2, 0:3]`` gives arrays of shapes ``(2, 1)`` and
``(1, 3)``.

>>> [g.shape for g in ogrid[0:2, 0:3]]
[(2, 1), (1, 3)]
"""


class _Concatenator:
    """``r_``/``c_``: concatenate slices (as ``arange``/``linspace``), scalars and arrays
    (possibly traced) along an axis; a leading string ``"axis"`` picks the axis."""

    def __init__(self, axis: int, ndmin: int, name: str):
        self.axis, self.ndmin, self.name = axis, ndmin, name

    def __getitem__(self, key):
        from .shapes import concatenate
        items = list(key) if isinstance(key, tuple) else [key]
        axis = self.axis
        if items and isinstance(items[0], str):
            try:
                axis = int(items.pop(0))
            except ValueError as e:
                raise NotImplementedError(
                    f"fnp.{self.name}: only an integer axis directive such as '1' is "
                    f"supported, got {key[0]!r}") from e
        parts = []
        for it in items:
            if isinstance(it, slice):
                it = _canon_grid(np.r_[it])
            a = array(it, copy=False)
            s = _shape(a)
            if len(s) < self.ndmin:
                # as NumPy: 1-D arrays become columns for c_, scalars (1, ..., 1)
                new = (s + (1,) * (self.ndmin - len(s))) if self.ndmin == 2 else \
                    ((1,) * (self.ndmin - len(s)) + s)
                a = sh.reshape(a, new)
            parts.append(a)
        if not parts:
            return np.zeros((0,), dtypes.DEFAULT_FLOAT)
        return concatenate(parts, axis=axis)

    def __repr__(self):
        return f"fnp.{self.name}"


r_ = _Concatenator(0, 1, "r_")
"""Concatenate along the first axis: ``r_[1:3, array([5, 6]), 7]``.

>>> r_[0:3, array([7, 8]), 9]
array([0, 1, 2, 7, 8, 9], dtype=int32)
"""
c_ = _Concatenator(-1, 2, "c_")
"""Stack as columns: ``c_[array([1, 2]), array([3, 4])]`` has shape ``(2, 2)``.

>>> c_[array([1, 2]), array([3, 4])]
array([[1, 3],
       [2, 4]], dtype=int32)
"""
