"""Array creation: ``array asarray zeros ones full *_like arange linspace eye``.

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
from .promotion import _canon_array, cast, dtype_weak, unweak

__all__ = ["array", "asarray", "zeros", "ones", "full", "empty", "zeros_like", "ones_like",
           "full_like", "empty_like", "arange", "linspace", "eye", "identity"]

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

