"""Turning user inputs into operands: asarray, JAX's dtype promotion, rank promotion.

The eager fast path matters: two NumPy arrays of one dtype go straight through.
"""
from __future__ import annotations

import numpy as np

from ..core import Tracer, Weak, dtypes
from ..ops.elementwise import broadcast_shapes, convert_element_type
from ..ops.shapes import broadcast_in_dim

_SCALARS = (bool, int, float)


def _is_py_scalar(x) -> bool:
    """A Python bool/int/float, not a NumPy scalar (np.float64 subclasses float)."""
    return isinstance(x, _SCALARS) and not isinstance(x, np.generic)


def _canon_array(x) -> np.ndarray:
    """NumPy array for a non-tracer input, with JAX's defaults for Python data."""
    if isinstance(x, np.ndarray):
        dtypes.check_supported(x.dtype, "asarray")
        return x
    if isinstance(x, (list, tuple)):
        if any(isinstance(e, Tracer) for e in _flat(x)):
            raise TypeError("a list containing traced arrays: use fnp.stack / fnp.array, "
                            "which accept them")
        arr = np.asarray(x)
        if arr.dtype == np.float64:
            return arr.astype(np.float32)
        if arr.dtype == np.int64:
            return arr.astype(np.int32)
        return np.asarray(arr, dtype=dtypes.check_supported(arr.dtype, "asarray"))
    if _is_py_scalar(x):
        return np.asarray(x, dtype=dtypes.python_scalar_dtype(x))
    arr = np.asarray(x)  # numpy scalar, jax.Array, ...
    dtypes.check_supported(arr.dtype, "asarray")
    return arr


def _flat(xs):
    for e in xs:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def dtype_weak(x) -> tuple[np.dtype, bool]:
    """(dtype, weak) of any operand."""
    if isinstance(x, Tracer):
        return x.aval.dtype, x.aval.weak_type
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        return dtypes.check_supported(x.dtype, "operand"), False
    if _is_py_scalar(x):
        return dtypes.python_scalar_dtype(x), not isinstance(x, bool)
    if isinstance(x, Weak):
        return x.val.dtype, True
    a = _canon_array(x)
    return a.dtype, bool(getattr(x, "weak_type", False))


def to_operand(x):
    """A tracer, NumPy array or Weak scalar: everything else converted."""
    if isinstance(x, (Tracer, np.ndarray, Weak)):
        return x
    if _is_py_scalar(x):
        return Weak(np.asarray(x, dtype=dtypes.python_scalar_dtype(x))[()]) \
            if not isinstance(x, bool) else np.bool_(x)
    return _canon_array(x)


def cast(x, dt: np.dtype, weak: bool = False):
    """``x`` as dtype ``dt`` (Python scalars become weak scalars of ``dt``)."""
    if _is_py_scalar(x):
        v = np.asarray(x, dtype=dt)[()]
        return Weak(v) if weak else v
    if isinstance(x, Weak):
        return x if x.val.dtype == dt else Weak(x.val.astype(dt))
    if isinstance(x, Tracer):
        if x.aval.dtype == dt:
            return x
        return convert_element_type(x, dt, weak_type=weak)  # the result's weak type, as JAX
    x = _canon_array(x)
    return x if x.dtype == dt else x.astype(dt)


_FLOAT_SET = dtypes.FLOATS
_SUPPORTED = frozenset(dtypes.SUPPORTED)


def _fast_path(args, to_float):
    """The common cases, decided without the lattice: same-dtype arrays/tracers, and an
    array/tracer of float dtype with a Python scalar."""
    if len(args) == 1:
        x = args[0]
        t = type(x)
        if t is Tracer or (t is np.ndarray and x.dtype in _SUPPORTED):
            if not to_float or x.dtype in _FLOAT_SET:
                return args
        return None
    if len(args) != 2:
        return None
    x, y = args
    tx, ty = type(x), type(y)
    if to_float:  # (true divide and friends) only float operands take the fast path below
        dx = x.dtype if tx is np.ndarray or tx is Tracer else None
        dy = y.dtype if ty is np.ndarray or ty is Tracer else None
        if (dx is not None and dx not in _FLOAT_SET) or (dy is not None and dy not in _FLOAT_SET):
            return None
    if tx is np.ndarray:
        if ty is np.ndarray:
            return args if x.dtype == y.dtype and x.dtype in _SUPPORTED else None
        if ty is float and x.dtype in _FLOAT_SET:
            return (x, x.dtype.type(y))
        return None
    if tx is Tracer:
        a = x.aval
        if ty is Tracer:
            b = y.aval
            if a.dtype == b.dtype and a.weak_type == b.weak_type and len(a.shape) == len(b.shape):
                return args
            return None
        if ty is float and a.dtype in _FLOAT_SET:
            return (x, Weak(a.dtype.type(y)))
        if ty is np.ndarray and y.dtype == a.dtype and not a.weak_type \
                and len(y.shape) == len(a.shape):
            return args
        return None
    if tx is float and ty is Tracer and y.aval.dtype in _FLOAT_SET:
        return (Weak(y.aval.dtype.type(x)), y)
    if tx is float and ty is np.ndarray and y.dtype in _FLOAT_SET:
        return (y.dtype.type(x), y)
    if tx is np.ndarray and ty is Tracer:
        b = y.aval
        if x.dtype == b.dtype and not b.weak_type and len(x.shape) == len(b.shape):
            return args
    return None


def promote_args(name: str, *args, to_float: bool = False):
    """JAX's promotion of ``args`` to one dtype, plus rank promotion while tracing.

    Returns the operands ready for a primitive.  With ``to_float``, integer and
    bool results are promoted further to the default float (as ``jnp.sin`` does).
    """
    fast = _fast_path(args, to_float)
    if fast is not None:
        return fast
    pairs = [dtype_weak(a) for a in args]
    dt, weak = dtypes.result_type(*pairs)
    if to_float and dt not in dtypes.FLOATS:
        dt, weak = dtypes.DEFAULT_FLOAT, False
    out = [cast(a, dt, weak) for a in args]
    tracing = any(isinstance(a, Tracer) for a in out)
    if tracing:
        out = [Weak(o) if isinstance(o, np.generic) and w else o for o, (_, w) in zip(out, pairs)]
        if len(out) > 1:  # check with the user's shapes, before rank promotion reshapes them
            broadcast_shapes(name, *(tuple(np.shape(o) if not isinstance(o, (Tracer, Weak))
                                           else (() if isinstance(o, Weak) else o.aval.shape))
                                     for o in out))
        out = promote_ranks(out)
    else:
        out = [o.val if isinstance(o, Weak) else o for o in out]
    return out


def _ndim(x) -> int:
    if isinstance(x, Tracer):
        return x.aval.ndim
    if isinstance(x, Weak):
        return 0
    return np.ndim(x)


def promote_ranks(args: list) -> list:
    """As JAX, give non-scalar operands of lower rank leading 1-dims (broadcast_in_dim)."""
    ranks = [_ndim(a) for a in args]
    r = max(ranks)
    if all(k in (0, r) for k in ranks):
        return args
    out = []
    for a, k in zip(args, ranks):
        if k in (0, r):
            out.append(a)
            continue
        shape = (1,) * (r - k) + tuple(np.shape(a) if not isinstance(a, Tracer) else a.shape)
        out.append(broadcast_in_dim(a, shape, tuple(range(r - k, r))))
    return out


def unweak(x):
    return x.val if isinstance(x, Weak) else x
