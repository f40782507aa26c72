"""Shape manipulation: reshape, transpose, stacking, splitting, padding, diagonals, ...

Everything here is built from the linear shape primitives of ``ops/shapes.py``
(``reshape``, ``transpose``, ``broadcast_in_dim``, ``squeeze``, ``slice``, ``rev``,
``concatenate``, ``pad``) plus ``iota``/``select_n`` for triangles, so each function
differentiates, batches and lowers through those primitives' rules.
"""
from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core import Tracer, bind, dtypes, value_of
from ..ops import elementwise as ew
from ..ops import shapes as sh
from ..ops.reductions import reduce_sum
from .promotion import _canon_array, cast, dtype_weak, unweak

__all__ = ["shape", "ndim", "size", "transpose", "swapaxes", "moveaxis", "reshape", "ravel",
           "squeeze", "expand_dims", "broadcast_to", "atleast_1d", "atleast_2d", "atleast_3d",
           "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "append",
           "split", "array_split", "hsplit", "vsplit", "dsplit", "tile", "repeat", "roll",
           "tril", "triu", "pad", "flip", "fliplr", "flipud", "diag", "diagonal", "trace",
           "rot90", "broadcast_arrays", "broadcast_shapes", "diagflat", "ediff1d", "unstack",
           "delete", "insert", "resize", "rollaxis", "unravel_index", "ravel_multi_index",
           "put_along_axis", "block", "fill_diagonal", "trim_zeros"]


# --------------------------------------------------------------------- helpers

def _arr(x):
    """An operand: tracers as they are, everything else as a NumPy array (JAX dtypes)."""
    return x if isinstance(x, Tracer) else _canon_array(x)


def _shp(x) -> tuple:
    return tuple(x.aval.shape) if isinstance(x, Tracer) else np.shape(x)


def _axis(axis, nd: int, where: str) -> int:
    try:
        a = int(axis)
    except TypeError as e:
        raise TypeError(f"{where}: axis {axis!r} must be an integer") from e
    if not -nd <= a < nd:
        raise ValueError(f"{where}: axis {a} is out of bounds for an array of dimension {nd}; "
                         f"valid axes are {-nd}..{nd - 1}" if nd else
                         f"{where}: axis {a} is out of bounds for an array of dimension 0 (a "
                         "scalar has no axes)")
    return a % nd


def _axes(axis, nd: int, where: str) -> tuple:
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    out = tuple(_axis(a, nd, where) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"{where}: repeated axis in {axis!r} (for an array of dimension "
                         f"{nd}); each axis may appear only once")
    return out


def _static_int(x, where: str) -> int:
    if isinstance(x, Tracer):
        v = value_of(x)
        if v is None:
            from ..core.errors import concretization_error
            raise concretization_error(x, where)
        x = v
    return int(x)


def _promote_all(where: str, xs: Sequence, dtype=None) -> list:
    """JAX's dtype promotion of a list of operands (no rank promotion)."""
    xs = [x if isinstance(x, (Tracer, bool, int, float)) else _canon_array(x) for x in xs]
    if dtype is not None:
        from .creation import canonical_dtype
        dt, weak = canonical_dtype(dtype, where), False
    else:
        dt, weak = dtypes.result_type(*(dtype_weak(x) for x in xs))
    return [_as_array(unweak(cast(x, dt, weak))) for x in xs]


def _as_array(x):
    return np.asarray(x) if isinstance(x, np.generic) else x


def _seq(arrays, where: str) -> list:
    if isinstance(arrays, (list, tuple)):
        return list(arrays)
    if isinstance(arrays, Tracer) or hasattr(arrays, "shape"):
        a = _arr(arrays)
        if not _shp(a):
            raise TypeError(f"{where}: expected a sequence of arrays, got a 0-d array")
        return [sh.squeeze(sh.slice_in_dim(a, i, i + 1, 1, 0), (0,)) for i in range(_shp(a)[0])]
    return list(arrays)


# --------------------------------------------------------------------- basic properties

def shape(a: Any) -> tuple:
    """The shape of ``a`` (works on traced arrays and lists).

    >>> shape([[1, 2, 3]])
    (1, 3)
    """
    return _shp(a) if isinstance(a, Tracer) else np.shape(a)


def ndim(a: Any) -> int:
    """The number of dimensions of ``a``.

    >>> ndim(np.zeros((2, 3)))
    2
    """
    return len(shape(a))


def size(a: Any, axis: int | None = None) -> int:
    """The number of elements of ``a`` (along ``axis`` when given).

    >>> size(np.zeros((2, 3))), size(np.zeros((2, 3)), 1)
    (6, 3)
    """
    s = shape(a)
    if axis is None:
        return int(np.prod(s, dtype=np.int64))
    return s[_axis(axis, len(s), "size")]


# --------------------------------------------------------------------- axes and reshapes

def transpose(a: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute the axes of ``a`` (reverse them when ``axes`` is None).

    >>> transpose(np.zeros((2, 3, 4)), (1, 0, 2)).shape
    (3, 2, 4)
    """
    a = _arr(a)
    nd = len(_shp(a))
    if axes is None:
        perm = tuple(range(nd - 1, -1, -1))
    else:
        perm = tuple(int(p) for p in axes)
        if len(perm) != nd:
            raise ValueError(f"transpose: axes {tuple(axes)} don't match an array of "
                             f"dimension {nd}")
        perm = _axes(perm, nd, "transpose")
    if perm == tuple(range(nd)):
        return a
    return sh.transpose(a, perm)


def swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    """Interchange two axes.

    >>> swapaxes(np.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    a = _arr(a)
    nd = len(_shp(a))
    i, j = _axis(axis1, nd, "swapaxes"), _axis(axis2, nd, "swapaxes")
    perm = list(range(nd))
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


def moveaxis(a: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> Any:
    """Move axes ``source`` to positions ``destination``, the others keeping their order.

    >>> moveaxis(np.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    a = _arr(a)
    nd = len(_shp(a))
    src = _axes(source, nd, "moveaxis")
    dst = _axes(destination, nd, "moveaxis")
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of "
                         f"elements, got {source!r} and {destination!r}")
    perm = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return transpose(a, perm)


def _resolve_shape(old: tuple, new, where: str) -> tuple:
    new = (new,) if np.ndim(new) == 0 else tuple(new)
    new = tuple(_static_int(d, where) for d in new)
    total = int(np.prod(old, dtype=np.int64))
    if new.count(-1) > 1:
        raise ValueError(f"{where}: can only specify one unknown dimension (-1), got {new}")
    if -1 in new:
        known = int(np.prod([d for d in new if d != -1], dtype=np.int64))
        if known == 0 or total % known:
            raise TypeError(f"{where}: cannot reshape array of shape {old} (size {total}) into "
                            f"shape {new}: the -1 cannot be inferred")
        new = tuple(total // known if d == -1 else d for d in new)
    if any(d < 0 for d in new) or int(np.prod(new, dtype=np.int64)) != total:
        raise TypeError(f"{where}: cannot reshape array of shape {old} (size {total}) into "
                        f"shape {new} (size {int(np.prod(new, dtype=np.int64))}); the sizes "
                        "must match")
    return new


def reshape(a: Any, shape: Any = None, order: str = "C", *, newshape: Any = None) -> Any:
    """``a`` with a new shape of the same size (one entry may be -1).

    >>> reshape(np.arange(6), (2, -1))
    array([[0, 1, 2],
           [3, 4, 5]])
    """
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape: missing the new shape")
    a = _arr(a)
    old = _shp(a)
    new = _resolve_shape(old, shape, "reshape")
    if order == "F":
        return transpose(sh.reshape(transpose(a), new[::-1]))
    if order not in ("C", "A"):
        raise NotImplementedError(f"reshape: order={order!r} is not supported; use 'C' or 'F'")
    if new == old:
        return a
    return sh.reshape(a, new)


def ravel(a: Any, order: str = "C") -> Any:
    """The flattened array.

    >>> ravel(np.ones((2, 2))).shape
    (4,)
    """
    return reshape(a, (-1,), order)


def squeeze(a: Any, axis: int | Sequence[int] | None = None) -> Any:
    """Remove size-1 axes (all of them, or those in ``axis``).

    >>> squeeze(np.zeros((1, 3, 1))).shape
    (3,)
    """
    a = _arr(a)
    s = _shp(a)
    if axis is None:
        axes = tuple(i for i, d in enumerate(s) if d == 1)
    else:
        axes = _axes(axis, len(s), "squeeze")
        for i in axes:
            if s[i] != 1:
                raise ValueError(f"squeeze: cannot select axis {i} of an array of shape {s} "
                                 "to squeeze out: its size is not one")
    return sh.squeeze(a, axes) if axes else a


def expand_dims(a: Any, axis: int | Sequence[int]) -> Any:
    """Insert size-1 axes at the positions ``axis`` of the result.

    >>> expand_dims(np.zeros(3), (0, -1)).shape
    (1, 3, 1)
    """
    a = _arr(a)
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    nd = len(_shp(a)) + len(axes)
    return sh.expand_dims(a, _axes(axes, nd, "expand_dims"))


def broadcast_to(array: Any, shape: Any) -> Any:
    """``array`` broadcast to ``shape`` by NumPy's rules.

    >>> broadcast_to(np.arange(3), (2, 3))
    array([[0, 1, 2],
           [0, 1, 2]])
    """
    a = _arr(array)
    old = _shp(a)
    new = (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)
    k = len(new) - len(old)
    if k < 0 or any(o not in (1, n) for o, n in zip(old, new[k:])):
        raise ValueError(f"broadcast_to: cannot broadcast an array of shape {old} to shape "
                         f"{new} (trailing dimensions must be equal or 1)")
    if new == old:
        return a
    return sh.broadcast_in_dim(a, new, tuple(range(k, len(new))))


def _atleast(arys, n: int, where: str, place) -> Any:
    outs = []
    for x in arys:
        x = _arr(x)
        s = _shp(x)
        outs.append(x if len(s) >= n else sh.reshape(x, place(s)))
    return outs[0] if len(outs) == 1 else outs


def atleast_1d(*arys: Any) -> Any:
    """Views with at least one dimension (a list when given several arrays).

    >>> atleast_1d(1.0).shape
    (1,)
    """
    return _atleast(arys, 1, "atleast_1d", lambda s: (1,))


def atleast_2d(*arys: Any) -> Any:
    """Arrays with at least two dimensions: ``(n,)`` becomes ``(1, n)``.

    >>> atleast_2d(np.zeros(3)).shape
    (1, 3)
    """
    return _atleast(arys, 2, "atleast_2d", lambda s: (1,) * (2 - len(s)) + s)


def atleast_3d(*arys: Any) -> Any:
    """Arrays with at least three dimensions: ``(n,)`` -> ``(1, n, 1)``, ``(n, m)`` ->
    ``(n, m, 1)``.

    >>> atleast_3d(np.zeros((2, 3))).shape
    (2, 3, 1)
    """
    def place(s):
        return {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)]
    return _atleast(arys, 3, "atleast_3d", place)


# --------------------------------------------------------------------- joining

def _concat(where: str, xs: list, axis: int):
    """Concatenate operands of one dtype along ``axis`` with a clear shape error."""
    if not xs:
        raise ValueError(f"{where}: need at least one array to concatenate")
    shapes = [_shp(x) for x in xs]
    s0 = shapes[0]
    if not s0:
        raise ValueError(f"{where}: zero-dimensional arrays cannot be concatenated "
                         f"(operand 0 has shape ())")
    ax = _axis(axis, len(s0), where)
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != len(s0) or any(p != q for k, (p, q) in enumerate(zip(s, s0)) if k != ax):
            raise TypeError(f"{where}: operand {i} has shape {s} but operand 0 has shape {s0}; "
                            f"all dimensions except the concatenation axis {ax} must match "
                            "(reshape, broadcast or transpose the operands first)")
    return sh.concatenate(xs, ax)


def concatenate(arrays: Any, axis: int | None = 0, dtype: Any = None) -> Any:
    """Join arrays along an existing axis (flattened first when ``axis`` is None).

    >>> concatenate([np.zeros(2, np.float32), [1, 2]])
    array([0., 0., 1., 2.], dtype=float32)
    """
    xs = _promote_all("concatenate", _seq(arrays, "concatenate"), dtype)
    if axis is None:
        xs = [ravel(x) for x in xs]
        axis = 0
    return _concat("concatenate", xs, axis)


def stack(arrays: Any, axis: int = 0, out: None = None, dtype: Any = None) -> Any:
    """Join arrays of one shape along a new axis.

    >>> stack([np.zeros(2), np.ones(2)], axis=1).shape
    (2, 2)
    """
    xs = _promote_all("stack", _seq(arrays, "stack"), dtype)
    if not xs:
        raise ValueError("stack: need at least one array to stack")
    s0 = _shp(xs[0])
    for i, x in enumerate(xs[1:], 1):
        if _shp(x) != s0:
            raise ValueError(f"stack: all input arrays must have the same shape; operand {i} "
                             f"has shape {_shp(x)} but operand 0 has shape {s0}")
    ax = _axis(axis, len(s0) + 1, "stack")
    return sh.concatenate([sh.expand_dims(x, (ax,)) for x in xs], ax)


def hstack(tup: Any, dtype: Any = None) -> Any:
    """Stack horizontally: along axis 1 (axis 0 for 1-D arrays).

    >>> hstack([np.zeros(2), np.ones(1)]).shape
    (3,)
    """
    xs = _promote_all("hstack", _seq(tup, "hstack"), dtype)
    xs = [atleast_1d(x) for x in xs]
    return _concat("hstack", xs, 0 if len(_shp(xs[0])) == 1 else 1)


def vstack(tup: Any, dtype: Any = None) -> Any:
    """Stack vertically: along axis 0 after ``atleast_2d``.

    >>> vstack([np.zeros(2), np.ones(2)]).shape
    (2, 2)
    """
    xs = [atleast_2d(x) for x in _promote_all("vstack", _seq(tup, "vstack"), dtype)]
    return _concat("vstack", xs, 0)


def dstack(tup: Any, dtype: Any = None) -> Any:
    """Stack along the third axis after ``atleast_3d``.

    >>> dstack([np.zeros((2, 2)), np.ones((2, 2))]).shape
    (2, 2, 2)
    """
    xs = [atleast_3d(x) for x in _promote_all("dstack", _seq(tup, "dstack"), dtype)]
    return _concat("dstack", xs, 2)


def column_stack(tup: Any) -> Any:
    """Stack 1-D arrays as columns of a 2-D array (2-D arrays are joined as they are).

    >>> column_stack([np.zeros(3), np.ones(3)]).shape
    (3, 2)
    """
    xs = []
    for x in _promote_all("column_stack", _seq(tup, "column_stack")):
        s = _shp(x)
        xs.append(sh.reshape(x, (s[0] if s else 1, 1)) if len(s) < 2 else x)
    return _concat("column_stack", xs, 1)


def append(arr: Any, values: Any, axis: int | None = None) -> Any:
    """``values`` appended to ``arr`` (both flattened when ``axis`` is None).

    >>> append(np.zeros(2, np.int32), [5])
    array([0, 0, 5], dtype=int32)
    """
    return concatenate([arr, values], axis=axis)


# --------------------------------------------------------------------- splitting

def _split_points(n: int, indices_or_sections, where: str, even: bool) -> list:
    if np.ndim(indices_or_sections) == 0:
        k = _static_int(indices_or_sections, where)
        if k <= 0:
            raise ValueError(f"{where}: number of sections must be larger than 0, got {k}")
        if even and n % k:
            raise ValueError(f"{where}: array split does not result in an equal division "
                             f"({n} elements into {k} sections); use array_split")
        each, extra = divmod(n, k)
        sizes = [each + 1] * extra + [each] * (k - extra)
        return list(np.cumsum([0] + sizes))
    idx = [_static_int(i, where) for i in indices_or_sections]
    return [0] + idx + [n]


def _split(ary, indices_or_sections, axis, where, even) -> list:
    a = _arr(ary)
    s = _shp(a)
    ax = _axis(axis, len(s), where)
    n = s[ax]
    pts = _split_points(n, indices_or_sections, where, even)
    out = []
    for st, en in zip(pts[:-1], pts[1:]):
        lo, hi, _ = builtins.slice(int(st), int(en)).indices(n)
        out.append(sh.slice_in_dim(a, lo, max(lo, hi), 1, ax))
    return out


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """Split into equal sections (an int) or at the given indices along ``axis``.

    >>> [p.tolist() for p in split(np.arange(6), [2, 3])]
    [[0, 1], [2], [3, 4, 5]]
    """
    return _split(ary, indices_or_sections, axis, "split", even=True)


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """As ``split``, but sections may differ in size by one.

    >>> [len(p) for p in array_split(np.arange(5), 3)]
    [2, 2, 1]
    """
    return _split(ary, indices_or_sections, axis, "array_split", even=False)


def hsplit(ary: Any, indices_or_sections: Any) -> list:
    """Split along axis 1 (axis 0 for 1-D arrays).

    >>> [p.shape for p in hsplit(np.zeros((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    nd = len(_shp(_arr(ary)))
    if nd == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return _split(ary, indices_or_sections, 1 if nd > 1 else 0, "hsplit", even=True)


def vsplit(ary: Any, indices_or_sections: Any) -> list:
    """Split along axis 0 (arrays of at least 2 dimensions).

    >>> [p.shape for p in vsplit(np.zeros((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    if len(_shp(_arr(ary))) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return _split(ary, indices_or_sections, 0, "vsplit", even=True)


def dsplit(ary: Any, indices_or_sections: Any) -> list:
    """Split along axis 2 (arrays of at least 3 dimensions).

    >>> [p.shape for p in dsplit(np.zeros((1, 1, 4)), 2)]
    [(1, 1, 2), (1, 1, 2)]
    """
    if len(_shp(_arr(ary))) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return _split(ary, indices_or_sections, 2, "dsplit", even=True)


# --------------------------------------------------------------------- repetition and rolls

def tile(A: Any, reps: int | Sequence[int]) -> Any:
    """``A`` repeated ``reps`` times along each axis.

    >>> tile(np.array([1, 2]), (2, 2))
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]])
    """
    a = _arr(A)
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    reps = tuple(_static_int(r, "tile") for r in reps)
    s = _shp(a)
    d = max(len(s), len(reps))
    s = (1,) * (d - len(s)) + s
    reps = (1,) * (d - len(reps)) + reps
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: reps must be non-negative, got {reps}")
    a = sh.reshape(a, s) if s != _shp(a) else a
    if all(r == 1 for r in reps):
        return a
    inter = tuple(x for r, n in zip(reps, s) for x in (r, n))
    b = sh.broadcast_in_dim(a, inter, tuple(range(1, 2 * d, 2)))
    return sh.reshape(b, tuple(r * n for r, n in zip(reps, s)))


def repeat(a: Any, repeats: Any, axis: int | None = None, *,
           total_repeat_length: int | None = None) -> Any:
    """Repeat each element ``repeats`` times (an int, or one static count per element).

    >>> repeat(np.array([1, 2]), 2)
    array([1, 1, 2, 2])
    >>> repeat(np.array([[1, 2]]), [1, 2], axis=1)
    array([[1, 2, 2]])
    """
    a = _arr(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    s = _shp(a)
    ax = _axis(axis, len(s), "repeat")
    n = s[ax]
    if isinstance(repeats, Tracer) and value_of(repeats) is None:
        raise TypeError("repeat: repeats must be static (an int or a concrete array); pass "
                        "it as a static argument of jit")
    reps = np.asarray(value_of(repeats) if isinstance(repeats, Tracer) else repeats)
    if reps.ndim > 1 or (reps.ndim == 1 and reps.size not in (1, n)):
        raise ValueError(f"repeat: repeats of shape {reps.shape} do not match the {n} "
                         f"elements of axis {ax}")
    if np.any(reps < 0):
        raise ValueError("repeat: repeats must be non-negative")
    if reps.size == 1:
        r = int(reps.reshape(()))
        out_shape = s[:ax] + (n, r) + s[ax + 1:]
        dims = tuple(i if i <= ax else i + 1 for i in range(len(s)))
        b = sh.broadcast_in_dim(a, out_shape, dims)
        out = sh.reshape(b, s[:ax] + (n * r,) + s[ax + 1:])
    else:
        parts = []
        for i, r in enumerate(reps.tolist()):
            if r == 0:
                continue
            piece = sh.slice_in_dim(a, i, i + 1, 1, ax)
            ps = _shp(piece)
            parts.append(piece if r == 1 else sh.broadcast_in_dim(
                piece, ps[:ax] + (r,) + ps[ax + 1:], tuple(range(len(ps)))))
        out = sh.concatenate(parts, ax) if parts else sh.slice_in_dim(a, 0, 0, 1, ax)
    if total_repeat_length is not None and _shp(out)[ax] != total_repeat_length:
        raise ValueError(f"repeat: total_repeat_length={total_repeat_length} does not match "
                         f"the {_shp(out)[ax]} repeated elements")
    return out


def roll(a: Any, shift: int | Sequence[int], axis: int | Sequence[int] | None = None) -> Any:
    """Roll elements along ``axis`` by ``shift`` (the flattened array when None); a
    traced ``shift`` (e.g. under ``jit``) becomes a wrapping gather, as in JAX.

    >>> roll(np.arange(5), 2)
    array([3, 4, 0, 1, 2])
    """
    a = _arr(a)
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), _shp(a))
    traced = isinstance(shift, Tracer) or (isinstance(shift, (tuple, list)) and any(
        isinstance(k, Tracer) for k in shift))
    shifts = (shift,) if np.ndim(shift) == 0 else tuple(shift)
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    if not traced:
        shifts = tuple(_static_int(k, "roll") for k in shifts)
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(axes) == 1:
        axes = axes * len(shifts)
    if len(shifts) != len(axes):
        raise ValueError(f"roll: shift {shift!r} and axis {axis!r} must have the same length")
    if traced:
        return _roll_traced(a, shifts, axes)
    nd = len(_shp(a))
    for k, ax in zip(shifts, axes):
        ax = _axis(ax, nd, "roll")
        n = _shp(a)[ax]
        if n == 0 or k % n == 0:
            continue
        k %= n
        a = sh.concatenate([sh.slice_in_dim(a, n - k, n, 1, ax),
                            sh.slice_in_dim(a, 0, n - k, 1, ax)], ax)
    return a


def _roll_traced(a, shifts: tuple, axes: tuple):
    from .indexing import take
    nd = len(_shp(a))
    for k, ax in zip(shifts, axes):
        if np.dtype(getattr(k, "dtype", np.int32)) not in dtypes.INTS:
            raise TypeError(f"roll: shift must be an integer, got dtype {k.dtype}")
        ax = _axis(ax, nd, "roll")
        n = _shp(a)[ax]
        if n:
            a = take(a, np.arange(n, dtype=np.int32) - k, axis=ax, mode="wrap")
    return a


def flip(m: Any, axis: int | Sequence[int] | None = None) -> Any:
    """Reverse the order of elements along ``axis`` (all axes when None).

    >>> flip(np.arange(3))
    array([2, 1, 0])
    """
    a = _arr(m)
    nd = len(_shp(a))
    axes = tuple(range(nd)) if axis is None else _axes(axis, nd, "flip")
    return sh.rev(a, axes) if axes else a


def fliplr(m: Any) -> Any:
    """Reverse along axis 1.

    >>> fliplr(np.array([[1, 2]]))
    array([[2, 1]])
    """
    if len(_shp(_arr(m))) < 2:
        raise ValueError("fliplr: the input must be at least 2-d")
    return flip(m, 1)


def flipud(m: Any) -> Any:
    """Reverse along axis 0.

    >>> flipud(np.array([1, 2]))
    array([2, 1])
    """
    if len(_shp(_arr(m))) < 1:
        raise ValueError("flipud: the input must be at least 1-d")
    return flip(m, 0)


# --------------------------------------------------------------------- triangles, diagonals

def _tri_mask(n: int, m: int, k: int, lower: bool):
    rows = sh.broadcasted_iota(np.int32, (n, m), 0)
    cols = sh.broadcasted_iota(np.int32, (n, m), 1)
    shifted = ew.add(rows, np.int32(k))
    return bind(ew.ge_p, shifted, cols) if lower else bind(ew.le_p, shifted, cols)


def _tri(m, k, lower, where):
    a = _arr(m)
    s = _shp(a)
    if len(s) < 2:
        raise ValueError(f"{where}: the input must be at least 2-d, got shape {s}")
    k = _static_int(k, where)
    mask = _tri_mask(s[-2], s[-1], k, lower)
    zero = np.zeros((), a.dtype)
    return ew.select_n(mask, zero, a)


def tril(m: Any, k: int = 0) -> Any:
    """The lower triangle of the last two axes (zeros above the ``k``-th diagonal).

    >>> tril(np.ones((2, 2), np.int32))
    array([[1, 0],
           [1, 1]], dtype=int32)
    """
    return _tri(m, k, True, "tril")


def triu(m: Any, k: int = 0) -> Any:
    """The upper triangle of the last two axes (zeros below the ``k``-th diagonal).

    >>> triu(np.ones((2, 2), np.int32))
    array([[1, 1],
           [0, 1]], dtype=int32)
    """
    return _tri(m, k, False, "triu")


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The ``offset``-th diagonal of the ``(axis1, axis2)`` planes, as the last axis.

    >>> diagonal(np.arange(9).reshape(3, 3), 1)
    array([1, 5])
    """
    a = _arr(a)
    nd = len(_shp(a))
    if nd < 2:
        raise ValueError(f"diagonal requires an array of at least two dimensions, got {nd}")
    i, j = _axis(axis1, nd, "diagonal"), _axis(axis2, nd, "diagonal")
    if i == j:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    offset = _static_int(offset, "diagonal")
    a = moveaxis(a, (i, j), (-2, -1))
    s = _shp(a)
    n, m = s[-2], s[-1]
    if offset >= 0:
        L = max(0, min(n, m - offset))
        r0, c0 = 0, min(offset, m)
    else:
        L = max(0, min(n + offset, m))
        r0, c0 = min(-offset, n), 0
    lead = s[:-2]
    block = sh.slice(a, (0,) * len(lead) + (r0, c0), lead + (r0 + L, c0 + L))
    # the diagonal of an L x L block is every (L+1)-th element of its flattening
    flat = sh.reshape(block, lead + (L * L,))
    return sh.slice(flat, (0,) * (len(lead) + 1), lead + (L * L,), (1,) * len(lead) + (L + 1,))


def diag(v: Any, k: int = 0) -> Any:
    """The ``k``-th diagonal of a 2-D array, or a 2-D array with the 1-D ``v`` on it.

    >>> diag(np.array([1, 2]))
    array([[1, 0],
           [0, 2]])
    """
    a = _arr(v)
    s = _shp(a)
    k = _static_int(k, "diag")
    if len(s) == 2:
        return diagonal(a, k)
    if len(s) != 1:
        raise ValueError(f"diag: the input must be 1-d or 2-d, got shape {s}")
    L = s[0]
    # interior padding of L zeros between the entries puts them L+1 apart: the diagonal
    square = sh.reshape(sh.pad(a, np.zeros((), a.dtype), [(0, 0, L)]), (L, L))
    if k == 0:
        return square
    z = np.zeros((), a.dtype)
    K = abs(k)
    cfg = [(0, K, 0), (K, 0, 0)] if k > 0 else [(K, 0, 0), (0, K, 0)]
    return sh.pad(square, z, cfg)


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Any:
    """The sum along the ``offset``-th diagonal (bool and small ints sum as int32, as JAX).

    >>> float(trace(np.eye(3)))
    3.0
    """
    d = diagonal(a, offset, axis1, axis2)
    if dtype is not None:
        from .creation import canonical_dtype
        dt = canonical_dtype(dtype, "trace")
    else:
        dt = d.dtype
        if dt == dtypes.bool_ or (dt in dtypes.INTS and dt.itemsize < 4):
            dt = np.dtype(np.uint32) if dt.kind == "u" else dtypes.DEFAULT_INT
    if d.dtype != dt:
        d = ew.convert_element_type(d, dt)
    return reduce_sum(d, (len(_shp(d)) - 1,))


# --------------------------------------------------------------------- padding

def _pad_width(pad_width, nd: int) -> list:
    pw = np.asarray(value_of(pad_width) if isinstance(pad_width, Tracer) else pad_width)
    if pw.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
    try:
        pw = np.broadcast_to(pw, (nd, 2))
    except ValueError as e:
        raise ValueError(f"pad: pad_width {pad_width!r} cannot be broadcast to ({nd}, 2) "
                         "(one (before, after) pair per axis)") from e
    if np.any(pw < 0):
        raise ValueError(f"pad: pad_width must be non-negative, got {pad_width!r}")
    return [(int(b), int(e)) for b, e in pw]


def _pad_axis(x, ax: int, before: int, after: int, mode: str):
    n = _shp(x)[ax]
    if n == 0 and (before or after):
        raise ValueError(f"pad: cannot pad an empty axis {ax} with mode {mode!r}")
    if mode == "reflect" and n == 1:
        mode = "edge"
    if mode == "edge":
        def edge(lo, k):
            piece = sh.slice_in_dim(x, lo, lo + 1, 1, ax)
            s = list(_shp(piece))
            s[ax] = k
            return sh.broadcast_in_dim(piece, tuple(s), tuple(range(len(s))))
        parts = ([edge(0, before)] if before else []) + [x] + \
            ([edge(n - 1, after)] if after else [])
        return sh.concatenate(parts, ax) if len(parts) > 1 else x
    # reflect / symmetric / wrap repeat with a period; pad at most one period at a time
    # (chunks are whole periods but the last, so each side stays aligned with the period)
    chunk = n - 1 if mode == "reflect" else n
    off = 0  # where the original data starts in x
    while before or after:
        c = _shp(x)[ax]
        lb, la = min(before, chunk), min(after, chunk)
        if mode == "reflect":
            left = sh.rev(sh.slice_in_dim(x, 1, 1 + lb, 1, ax), (ax,))
            right = sh.rev(sh.slice_in_dim(x, c - 1 - la, c - 1, 1, ax), (ax,))
        elif mode == "symmetric":
            left = sh.rev(sh.slice_in_dim(x, 0, lb, 1, ax), (ax,))
            right = sh.rev(sh.slice_in_dim(x, c - la, c, 1, ax), (ax,))
        else:  # wrap: the period is the original data, wherever the other side got to
            left = sh.slice_in_dim(x, off + n - lb, off + n, 1, ax)
            right = sh.slice_in_dim(x, off, off + la, 1, ax)
        x = sh.concatenate(([left] if lb else []) + [x] + ([right] if la else []), ax)
        before, after, off = before - lb, after - la, off + lb
    return x


_PAD_KWARGS = {"constant": ("constant_values",), "edge": (), "wrap": (), "empty": (),
               "reflect": ("reflect_type",), "symmetric": ("reflect_type",),
               "linear_ramp": ("end_values",), "maximum": ("stat_length",),
               "minimum": ("stat_length",), "mean": ("stat_length",),
               "median": ("stat_length",)}


def _pad_pairs(values, nd: int, name: str) -> np.ndarray:
    """A static per-axis ``(before, after)`` argument (``stat_length``, ``end_values``) as
    an ``(nd, 2)`` NumPy array; accepts a scalar, ``(v,)``, ``(before, after)``,
    ``((before, after),)`` or one pair per axis, as ``jax.numpy.pad``."""
    if isinstance(values, Tracer) or any(isinstance(v, Tracer) for v in _leaves(values)):
        raise TypeError(f"pad: {name} must be static (Python or NumPy numbers), got a traced "
                        f"value; pass it as a static argument of jit.")
    arr = np.asarray(values)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(f"pad: {name} must be numbers, got {values!r:.60}")
    if arr.shape not in ((nd, 2), (1, 2), (2,), (1,), ()):
        raise ValueError(f"pad: {name} of shape {arr.shape} is not valid for an array of "
                         f"dimension {nd}; give a scalar, a (before, after) pair, or one pair "
                         f"per axis (shape ({nd}, 2)).")
    return np.broadcast_to(arr.reshape(-1, 2) if arr.shape == (2,) else
                           arr.reshape(-1, 1) if arr.ndim < 2 else arr, (nd, 2))


def _leaves(values):
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from _leaves(v)
    else:
        yield values


def _repeat_along(x, ax: int, k: int):
    """``x`` (size 1 along ``ax``) repeated ``k`` times along ``ax``."""
    s = list(_shp(x))
    s[ax] = k
    return sh.broadcast_in_dim(x, tuple(s), tuple(range(len(s))))


def _join(before, x, after, ax: int):
    parts = [p for p in (before, x, after) if _shp(p)[ax]]
    if len(parts) == 1:
        return parts[0]
    return sh.concatenate(parts, ax) if parts else x


def _pad_stat(x, pw: list, mode: str, stat_length):
    """Pad each axis in turn with a statistic (max, min, mean or median) of the first /
    last ``stat_length`` elements along it (all of them by default), as ``jax.numpy.pad``."""
    from . import reductions as red
    from . import statistics
    stat = {"maximum": red.max, "minimum": red.min, "mean": red.mean,
            "median": statistics.median}[mode]
    nd = len(_shp(x))
    lengths = None if stat_length is None else _pad_pairs(stat_length, nd, "stat_length")
    if lengths is not None:
        if lengths.dtype.kind not in "iu":
            raise TypeError(f"pad: stat_length must be integers, got {stat_length!r}")
        if np.any(lengths <= 0):
            raise ValueError(f"pad: stat_length={stat_length!r} must be positive (a statistic "
                             "of no elements has no value); leave stat_length=None to use the "
                             "whole axis.")
    dt = _arr(x).dtype
    for ax, (b, e) in enumerate(pw):
        n = _shp(x)[ax]
        if n == 0:
            if b or e:
                raise ValueError(f"pad: cannot pad the empty axis {ax} with mode {mode!r} "
                                 "(its statistic has no elements); use mode='constant'.")
            continue
        if not (b or e):
            continue
        if lengths is None:
            lo = hi = stat(x, axis=ax, keepdims=True)
        else:
            lb, la = builtins.min(int(lengths[ax][0]), n), builtins.min(int(lengths[ax][1]), n)
            lo = stat(sh.slice_in_dim(x, 0, lb, 1, ax), axis=ax, keepdims=True)
            hi = stat(sh.slice_in_dim(x, n - la, n, 1, ax), axis=ax, keepdims=True)
        if dt in dtypes.INTS:  # an int mean/median rounds (half to even) to the int dtype
            lo, hi = (ew.convert_element_type(bind(ew.round_p, v), dt) if _arr(v).dtype != dt else v
                      for v in (lo, hi))
        elif _arr(lo).dtype != dt:
            lo, hi = (ew.convert_element_type(v, dt) for v in (lo, hi))
        x = _join(_repeat_along(lo, ax, b), x, _repeat_along(hi, ax, e), ax)
    return x


def _pad_linear_ramp(x, pw: list, end_values):
    """Pad each axis with a linear ramp from ``end_values`` to the edge value (excluded),
    as ``jax.numpy.pad``: ``linspace(end, edge, width, endpoint=False)`` in ``x``'s dtype
    (floored for ints)."""
    from .creation import linspace
    nd = len(_shp(x))
    ends = _pad_pairs(end_values, nd, "end_values")
    dt = _arr(x).dtype
    for ax, (b, e) in enumerate(pw):
        n = _shp(x)[ax]
        if n == 0:
            if b or e:
                raise ValueError(f"pad: cannot pad the empty axis {ax} with mode "
                                 "'linear_ramp' (it has no edge value); use mode='constant'.")
            continue
        if not (b or e):
            continue
        first = sh.squeeze(sh.slice_in_dim(x, 0, 1, 1, ax), (ax,))
        last = sh.squeeze(sh.slice_in_dim(x, n - 1, n, 1, ax), (ax,))
        before = linspace(ends[ax][0].item(), first, b, endpoint=False, dtype=dt, axis=ax)
        after = sh.rev(linspace(ends[ax][1].item(), last, e, endpoint=False, dtype=dt,
                                axis=ax), (ax,))
        x = _join(before, x, after, ax)
    return x


def _pad_callable(x, pw: list, func: Callable[..., Any], kwargs: dict):
    """``jax.numpy.pad`` with a callable mode: zero-pad, then for each axis in turn
    replace every 1-D slice along it by ``func(slice, (before, after), axis, kwargs)``,
    mapped over the other axes with ``vmap`` as ``jax.numpy.apply_along_axis`` does."""
    from ..transforms.batching import vmap
    if any(b or e for b, e in pw):
        x = sh.pad(x, np.zeros((), _arr(x).dtype), [(b, e, 0) for b, e in pw])
    for ax in range(len(pw)):
        def along(row, width=pw[ax], ax=ax):
            return func(row, width, ax, kwargs)
        for i in range(1, len(_shp(x)) - ax):
            along = vmap(along, in_axes=i, out_axes=-1)
        for _ in range(ax):
            along = vmap(along, in_axes=0, out_axes=0)
        x = along(x)
    return x


def pad(array: Any, pad_width: Any, mode: str | Callable[..., Any] = "constant",
        **kwargs: Any) -> Any:
    """Pad an array, as ``jax.numpy.pad``.  Modes: ``constant`` (``constant_values``,
    which may be traced), ``edge``, ``reflect``, ``symmetric``, ``wrap``, ``empty``
    (zeros, as JAX), ``maximum``/``minimum``/``mean``/``median`` (the statistic of the
    first/last ``stat_length`` elements of each axis, all by default; for ints the mean
    or median is rounded half to even) and ``linear_ramp`` (from ``end_values``, default
    0, up to the edge value).  Axes are padded in order, so later axes see earlier axes'
    padding, as in NumPy.

    A callable ``mode`` is called as in JAX: ``mode(row, (before, after), iaxis, kwargs)``
    gets each 1-D slice ``row`` along axis ``iaxis`` of the array zero-padded on all
    axes (with the axes before ``iaxis`` already done), ``kwargs`` being the dict of the
    other keyword arguments, and returns the new slice (it does not update ``row`` in
    place, unlike NumPy).  As ``jax.numpy`` it is mapped over the other axes with
    :func:`~functorch_lite.vmap`, so ``row`` is a tracer there, and a concrete NumPy
    array only for an eager 1-D input (write ``fnp.at(row)[...]``, which works on both).

    >>> pad(np.array([1, 2]), (1, 2))
    array([0, 1, 2, 0, 0])
    >>> pad(np.array([1, 2, 3]), 2, mode="reflect")
    array([3, 2, 1, 2, 3, 2, 1])
    >>> pad(np.array([1., 5., 2.]), (2, 1), mode="maximum", stat_length=2)
    array([5., 5., 1., 5., 2., 5.])
    >>> pad(np.array([10, 20, 30, 40]), 2, mode="mean")
    array([25, 25, 10, 20, 30, 40, 25, 25])
    >>> pad(np.array([4., 8.]), (2, 3), mode="linear_ramp", end_values=(0., 2.))
    array([0., 2., 4., 8., 6., 4., 2.])
    >>> pad(np.array([1, 2, 6, 9]), (1, 2), mode="median", stat_length=(2, 3))
    array([2, 1, 2, 6, 9, 6, 6])
    >>> def ends(row, width, iaxis, kwargs):
    ...     from functorch_lite.numpy import at
    ...     row = at(row)[:width[0]].set(kwargs["lo"])
    ...     return at(row)[row.shape[0] - width[1]:].set(kwargs["hi"])
    >>> pad(np.array([[1, 2], [3, 4]]), 1, ends, lo=-1, hi=9)
    array([[-1, -1, -1,  9],
           [-1,  1,  2,  9],
           [-1,  3,  4,  9],
           [-1,  9,  9,  9]])
    """
    a = _arr(array)
    nd = len(_shp(a))
    pw = _pad_width(pad_width, nd)
    if callable(mode):
        return _pad_callable(a, pw, mode, kwargs)
    if not isinstance(mode, str):
        raise TypeError(f"pad: mode must be a string or a callable, got {mode!r:.60}")
    if mode not in _PAD_KWARGS:
        raise ValueError(f"pad: invalid mode={mode!r}; use one of "
                         f"{', '.join(repr(m) for m in _PAD_KWARGS)}")
    unknown = set(kwargs) - set(_PAD_KWARGS[mode])
    if unknown:
        allowed = ", ".join(_PAD_KWARGS[mode]) or "none"
        raise TypeError(f"pad: unsupported keyword(s) {sorted(unknown)} for mode {mode!r} "
                        f"(it takes: {allowed})")
    if mode == "constant":
        cv = kwargs.get("constant_values", 0)
        if isinstance(cv, Tracer) or np.ndim(cv) == 0:
            if isinstance(cv, Tracer) and cv.aval.shape != ():
                raise NotImplementedError("pad: a traced constant_values must be a scalar")
            v = unweak(cast(cv, a.dtype))
            return sh.pad(a, v, [(b, e, 0) for b, e in pw]) if any(b or e for b, e in pw) \
                else a
        cvs = np.broadcast_to(np.asarray(cv), (nd, 2))
        for ax, ((b, e), (vb, ve)) in enumerate(zip(pw, cvs)):
            for lo, hi, val in ((b, 0, vb), (0, e, ve)):
                if lo or hi:
                    cfg = [(0, 0, 0)] * nd
                    cfg[ax] = (lo, hi, 0)
                    a = sh.pad(a, np.asarray(val).astype(a.dtype)[()], cfg)
        return a
    if nd == 0:
        return a  # a scalar has no axes to pad (as jax.numpy)
    if mode == "empty":  # jax.numpy's empty arrays are zeros
        return sh.pad(a, np.zeros((), a.dtype), [(b, e, 0) for b, e in pw]) \
            if any(b or e for b, e in pw) else a
    if mode in ("maximum", "minimum", "mean", "median"):
        return _pad_stat(a, pw, mode, kwargs.get("stat_length"))
    if mode == "linear_ramp":
        return _pad_linear_ramp(a, pw, kwargs.get("end_values", 0))
    if mode in ("reflect", "symmetric") and kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError("pad: only reflect_type='even' is supported")
    for ax, (b, e) in enumerate(pw):
        if b or e:
            a = _pad_axis(a, ax, b, e, mode)
    return a


# --------------------------------------------------------------------- rotations, broadcasting

def rot90(m: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Any:
    """``m`` rotated by ``k`` quarter turns in the plane of ``axes`` (from the first
    towards the second axis), as flips and a transpose.

    >>> rot90(np.array([[1, 2], [3, 4]]))
    array([[2, 4],
           [1, 3]])
    """
    a = _arr(m)
    nd = len(_shp(a))
    if nd < 2:
        raise ValueError(f"rot90: m must have at least 2 dimensions, got shape {_shp(a)}")
    if len(tuple(axes)) != 2:
        raise ValueError(f"rot90: axes must be a pair of axes, got {axes!r}")
    ax1, ax2 = (_axis(x, nd, "rot90") for x in axes)
    if ax1 == ax2:
        raise ValueError(f"rot90: the two axes must differ, got axes={tuple(axes)}")
    k = _static_int(k, "rot90") % 4
    if k == 0:
        return a
    if k == 2:
        return flip(a, (ax1, ax2))
    perm = list(range(nd))
    perm[ax1], perm[ax2] = perm[ax2], perm[ax1]
    return transpose(flip(a, ax2), perm) if k == 1 else flip(transpose(a, perm), ax2)


def broadcast_shapes(*shapes: Any) -> tuple:
    """The shape NumPy broadcasting gives arrays of ``shapes`` (ints count as 1-D shapes).

    >>> broadcast_shapes((2, 1), (3,), 1)
    (2, 3)
    """
    if not shapes:
        return ()
    shapes = tuple((int(s),) if np.ndim(s) == 0 else tuple(int(d) for d in s) for s in shapes)
    try:
        return ew.broadcast_shapes("broadcast_shapes", *shapes)
    except TypeError as e:
        raise ValueError(str(e)) from None


def broadcast_arrays(*args: Any) -> list:
    """The arrays broadcast to one shape (a list; dtypes are kept).

    >>> [a.shape for a in broadcast_arrays(np.zeros((2, 1)), np.zeros(3))]
    [(2, 3), (2, 3)]
    """
    xs = [_arr(x) for x in args]
    try:
        shape = ew.broadcast_shapes("broadcast_arrays", *(_shp(x) for x in xs)) if xs else ()
    except TypeError as e:
        raise ValueError(str(e)) from None
    return [broadcast_to(x, shape) for x in xs]


def diagflat(v: Any, k: int = 0) -> Any:
    """A 2-D array with the flattened ``v`` on its ``k``-th diagonal.

    >>> diagflat(np.array([[1, 2]]), 1)
    array([[0, 1, 0],
           [0, 0, 2],
           [0, 0, 0]])
    """
    return diag(ravel(v), k)


def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Any:
    """Differences of consecutive elements of the flattened ``ary``, with ``to_begin`` /
    ``to_end`` (cast to its dtype) joined on.

    >>> ediff1d(np.array([1, 4, 9]), to_begin=[0], to_end=99)
    array([ 0,  3,  5, 99])
    """
    a = ravel(_arr(ary))
    n = _shp(a)[0]
    parts = [ew.sub(sh.slice_in_dim(a, 1, max(n, 1), 1, 0),
                    sh.slice_in_dim(a, 0, max(n - 1, 0), 1, 0))]
    for extra, at_start in ((to_begin, True), (to_end, False)):
        if extra is not None:
            e = ravel(unweak(cast(_arr(extra), a.dtype)))
            parts = [e] + parts if at_start else parts + [e]
    return sh.concatenate(parts, 0) if len(parts) > 1 else parts[0]


def unstack(x: Any, /, *, axis: int = 0) -> tuple:
    """The slices of ``x`` along ``axis``, as a tuple (the inverse of ``stack``).

    >>> unstack(np.array([[1, 2], [3, 4]]), axis=1)
    (array([1, 3]), array([2, 4]))
    """
    a = _arr(x)
    s = _shp(a)
    if not s:
        raise ValueError("unstack: x must have at least one dimension, got a 0-d array")
    ax = _axis(axis, len(s), "unstack")
    return tuple(sh.squeeze(sh.slice_in_dim(a, i, i + 1, 1, ax), (ax,)) for i in range(s[ax]))


def _flat_or_axis(arr, axis, where):
    a = _arr(arr)
    if axis is None:
        return ravel(a), 0
    return a, _axis(axis, len(_shp(a)), where)


def _static_obj(obj, where: str) -> np.ndarray:
    if isinstance(obj, Tracer):
        v = value_of(obj)
        if v is None:
            raise TypeError(f"{where}: obj must be static (Python ints, a slice or a NumPy "
                            "array), got a traced array; pass it as a static argument of jit.")
        obj = v
    return np.asarray(obj)


def _take_static(a, ax: int, idx: np.ndarray):
    from .indexing import getitem
    return getitem(a, (builtins.slice(None),) * ax + (idx.astype(np.int32),))


def delete(arr: Any, obj: Any, axis: int | None = None, *,
           assume_unique_indices: bool = False) -> Any:
    """``arr`` without the entries ``obj`` (an int, a slice, or static int/bool arrays)
    along ``axis`` (of the flattened array when None).

    >>> delete(np.array([1, 2, 3, 4]), [0, 2])
    array([2, 4])
    >>> delete(np.arange(6).reshape(2, 3), 1, axis=1)
    array([[0, 2],
           [3, 5]])
    """
    a, ax = _flat_or_axis(arr, axis, "delete")
    n = _shp(a)[ax]
    if isinstance(obj, builtins.slice):
        keep = np.ones(n, bool)
        keep[obj] = False
        return _take_static(a, ax, np.nonzero(keep)[0])
    o = _static_obj(obj, "delete")
    if o.ndim == 0 and o.dtype.kind in "iu":
        i = int(o)
        if not -n <= i < n:
            raise IndexError(f"delete: index {i} is out of bounds for axis {ax} of size {n}")
        i %= n
        return sh.concatenate([sh.slice_in_dim(a, 0, i, 1, ax),
                               sh.slice_in_dim(a, i + 1, n, 1, ax)], ax)
    if o.dtype == np.bool_:
        if o.shape != (n,):
            raise ValueError(f"delete: a boolean obj must have shape ({n},) (the length of "
                             f"axis {ax}), got shape {o.shape}")
        keep = ~o
    elif o.dtype.kind in "iu" or o.size == 0:
        o = o.astype(np.int64).ravel()
        if np.any((o < -n) | (o >= n)):
            raise IndexError(f"delete: indices {o.tolist()} are out of bounds for axis {ax} "
                             f"of size {n}")
        keep = np.ones(n, bool)
        keep[o] = False
    else:
        raise TypeError(f"delete: obj must be integers or booleans, got dtype {o.dtype}")
    return _take_static(a, ax, np.nonzero(keep)[0])


def insert(arr: Any, obj: Any, values: Any, axis: int | None = None) -> Any:
    """``arr`` with ``values`` inserted before the static indices ``obj`` along ``axis``
    (of the flattened array when None); differentiable in ``arr`` and ``values``.

    >>> insert(np.array([1, 2, 3]), 1, 9)
    array([1, 9, 2, 3])
    >>> insert(np.zeros((2, 2), np.int32), [0, 2], [7, 8], axis=1)
    array([[7, 0, 0, 8],
           [7, 0, 0, 8]], dtype=int32)
    """
    a, ax = _flat_or_axis(arr, axis, "insert")
    s = _shp(a)
    n = s[ax]
    if isinstance(obj, builtins.slice):
        idx = np.arange(*obj.indices(n))
    else:
        idx = _static_obj(obj, "insert")
    if idx.ndim > 1:
        raise ValueError(f"insert: obj must be a slice, a scalar or 1-D, got shape {idx.shape}")
    if idx.dtype.kind not in "iu":
        if idx.size:
            raise TypeError(f"insert: obj must be integers, got dtype {idx.dtype}")
        idx = idx.astype(np.int64)
    vals = _arr(values)
    vals = unweak(cast(vals, a.dtype))
    vals = _as_array(vals)
    vs = _shp(vals)
    if len(vs) < len(s):
        vals = sh.reshape(vals, (1,) * (len(s) - len(vs)) + vs)
    if idx.size == 1:
        if idx.ndim == 0:
            vals = moveaxis(vals, 0, ax)
        idx = np.full(_shp(vals)[ax], idx.ravel()[0])
    k = idx.shape[0]
    target = s[:ax] + (k,) + s[ax + 1:]
    try:
        vals = broadcast_to(vals, target)
    except ValueError as e:
        raise ValueError(f"insert: values of shape {_shp(vals)} cannot be broadcast to "
                         f"{target} ({k} entries along axis {ax})") from e
    if np.any((idx < -n) | (idx > n)):
        raise IndexError(f"insert: indices {idx.tolist()} are out of bounds for axis {ax} of "
                         f"size {n} (valid: {-n}..{n})")
    idx = np.where(idx < 0, idx + n, idx)
    order = np.argsort(idx, kind="stable")
    val_pos = np.empty(k, np.int64)
    val_pos[order] = idx[order] + np.arange(k)
    arr_pos = np.setdiff1d(np.arange(n + k), val_pos)
    source = np.empty(n + k, np.int64)  # output position -> index into [arr, values]
    source[arr_pos] = np.arange(n)
    source[val_pos] = n + np.arange(k)
    return _take_static(sh.concatenate([a, vals], ax), ax, source)


def resize(a: Any, new_shape: Any) -> Any:
    """The flattened ``a`` repeated (or cut) to fill ``new_shape``.

    >>> resize(np.array([1, 2, 3]), (2, 2))
    array([[1, 2],
           [3, 1]])
    """
    x = ravel(_arr(a))
    new = (int(new_shape),) if np.ndim(new_shape) == 0 else tuple(int(d) for d in new_shape)
    if any(d < 0 for d in new):
        raise ValueError(f"resize: all entries of new_shape must be non-negative, got {new}")
    size, n = int(np.prod(new, dtype=np.int64)), _shp(x)[0]
    if size == 0 or n == 0:
        return np.zeros(new, x.dtype)
    x = tile(x, -(-size // n))
    return sh.reshape(sh.slice_in_dim(x, 0, size, 1, 0), new)


def rollaxis(a: Any, axis: int, start: int = 0) -> Any:
    """Roll ``axis`` backwards until it lies before position ``start`` (prefer
    ``moveaxis``).

    >>> rollaxis(np.zeros((2, 3, 4)), 2).shape
    (4, 2, 3)
    """
    x = _arr(a)
    nd = len(_shp(x))
    ax = _axis(axis, nd, "rollaxis")
    start = _static_int(start, "rollaxis")
    if not -nd <= start <= nd:
        raise ValueError(f"rollaxis: start={start} must satisfy {-nd} <= start <= {nd}")
    start = start + nd if start < 0 else start
    if start > ax:
        start -= 1
    return moveaxis(x, ax, start)


# --------------------------------------------------------------------- flat indices

def unravel_index(indices: Any, shape: Any) -> tuple:
    """The multi-index of the flat ``indices`` into an array of ``shape``; as
    ``jnp.unravel_index``, out-of-range indices are clamped.

    >>> unravel_index(np.array([5, 1], np.int32), (2, 3))
    (array([1, 0], dtype=int32), array([2, 1], dtype=int32))
    """
    from .math import floor_divide, greater, less, remainder, where
    idx = _arr(indices)
    if idx.dtype not in dtypes.INTS:
        raise TypeError(f"unravel_index: indices must be integers, got dtype {idx.dtype}")
    dims = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    dims = tuple(_static_int(d, "unravel_index") for d in dims)
    out = [None] * len(dims)
    for i in reversed(range(len(dims))):
        out[i] = remainder(idx, dims[i])
        idx = floor_divide(idx, dims[i])
    hi = greater(idx, 0)
    lo = less(idx, -1)
    return tuple(where(hi, np.asarray(d - 1, o.dtype), where(lo, np.zeros((), o.dtype), o))
                 for d, o in zip(dims, out))


def ravel_multi_index(multi_index: Sequence[Any], dims: Sequence[int], mode: str = "raise",
                      order: str = "C", *, dtype: Any = None) -> Any:
    """Flat indices from a tuple of index arrays into an array of shape ``dims``;
    ``mode="raise"`` needs concrete indices (use ``"clip"`` or ``"wrap"`` under ``jit``).

    >>> ravel_multi_index((np.array([1, 0]), np.array([2, 1])), (2, 3))
    array([5, 1])
    """
    from .math import clip, remainder
    dims = tuple(_static_int(d, "ravel_multi_index") for d in dims)
    if len(multi_index) != len(dims):
        raise ValueError(f"ravel_multi_index: got {len(multi_index)} index arrays for "
                         f"{len(dims)} dims {dims}; give one per dimension.")
    if mode not in ("raise", "clip", "wrap"):
        raise ValueError(f"ravel_multi_index: invalid mode={mode!r}; use 'raise', 'clip' or "
                         "'wrap'")
    if order not in ("C", "F"):
        raise ValueError(f"ravel_multi_index: invalid order={order!r}; use 'C' or 'F'")
    idx = [_arr(i) for i in multi_index]
    for j, i in enumerate(idx):
        if i.dtype not in dtypes.INTS:
            raise TypeError(f"ravel_multi_index: index array {j} has dtype {i.dtype}; only "
                            "integer indices are allowed")
    if dtype is None:
        dt = dtypes.result_type((dtypes.DEFAULT_INT, True), *(dtype_weak(i) for i in idx))[0]
    else:
        from .creation import canonical_dtype
        dt = canonical_dtype(dtype, "ravel_multi_index")
        if dt not in dtypes.INTS:
            raise ValueError(f"ravel_multi_index: dtype={dt} is not an integer type")
    if mode == "raise":
        for j, (i, d) in enumerate(zip(idx, dims)):
            v = value_of(i) if isinstance(i, Tracer) else i
            if v is None:
                raise TypeError("ravel_multi_index: mode='raise' needs concrete indices, but "
                                f"index array {j} is traced (e.g. under jit); use "
                                "mode='clip' or mode='wrap'.")
            if np.any((np.asarray(v) < 0) | (np.asarray(v) >= d)):
                raise ValueError(f"ravel_multi_index: index array {j} has entries out of "
                                 f"range for a dimension of size {d}; use mode='clip' or "
                                 "'wrap'.")
    elif mode == "clip":
        idx = [clip(i, 0, d - 1) for i, d in zip(idx, dims)]
    else:
        idx = [remainder(i, d) for i, d in zip(idx, dims)]
    strides = np.cumprod((1,) + dims[:-1]) if order == "F" else \
        np.cumprod((1,) + dims[1:][::-1])[::-1]
    out = np.zeros((), dt)
    for i, st in zip(idx, strides):
        i = i if _arr(i).dtype == dt else ew.convert_element_type(i, dt)
        out = ew.add(out, ew.mul(i, np.asarray(int(st), dt)))
    return out


# --------------------------------------------------------------------- functional updates

def put_along_axis(arr: Any, indices: Any, values: Any, axis: int | None,
                   inplace: bool = True, *, mode: str | None = None) -> Any:
    """``arr`` with ``values`` written at ``indices`` along ``axis`` (the functional
    counterpart of ``take_along_axis``); as ``jax.numpy``, pass ``inplace=False``.

    >>> put_along_axis(np.zeros((2, 2), np.int32), np.array([[1], [0]]), 5, axis=1,
    ...                inplace=False)
    array([[0, 5],
           [5, 0]], dtype=int32)
    """
    from .indexing import at
    if inplace:
        raise ValueError("put_along_axis: arrays are immutable, so it cannot modify arr in "
                         "place; pass inplace=False to get the updated array back.")
    a = _arr(arr)
    shape0 = _shp(a)
    if axis is None:
        a, ax = ravel(a), 0
    else:
        ax = _axis(axis, len(shape0), "put_along_axis")
    ind = _arr(indices)
    s, si = _shp(a), _shp(ind)
    if len(s) != len(si):
        raise ValueError(f"put_along_axis: arr (shape {s}) and indices (shape {si}) must "
                         "have the same number of dimensions")
    if ind.dtype not in dtypes.INTS:
        raise TypeError(f"put_along_axis: indices must be integers, got dtype {ind.dtype}")
    vals = _arr(values)
    try:
        vals = broadcast_to(vals, si)
    except ValueError as e:
        raise ValueError(f"put_along_axis: values of shape {_shp(vals)} cannot be broadcast "
                         f"to the indices' shape {si}") from e
    idx = []
    for d in range(len(s)):
        if d == ax:
            idx.append(ind)
        else:
            shp = [1] * len(s)
            shp[d] = s[d]
            idx.append(np.arange(s[d], dtype=np.int32).reshape(shp))
    out = at(a)[tuple(idx)].set(vals, mode=mode)
    return reshape(out, shape0) if axis is None else out


def fill_diagonal(a: Any, val: Any, wrap: bool = False, *, inplace: bool = True) -> Any:
    """``a`` with ``val`` (a scalar, or values cycled) on its main diagonal; as
    ``jax.numpy``, pass ``inplace=False``.

    >>> fill_diagonal(np.zeros((2, 3), np.int32), 7, inplace=False)
    array([[7, 0, 0],
           [0, 7, 0]], dtype=int32)
    """
    from .indexing import at
    if inplace:
        raise ValueError("fill_diagonal: arrays are immutable, so it cannot modify a in "
                         "place; pass inplace=False to get the updated array back.")
    if wrap:
        raise NotImplementedError("fill_diagonal: wrap=True is not supported (as jax.numpy); "
                                  "use wrap=False.")
    x = _arr(a)
    s = _shp(x)
    if len(s) < 2:
        raise ValueError(f"fill_diagonal: a must be at least 2-D, got shape {s}")
    if len(s) > 2 and len(set(s)) != 1:
        raise ValueError(f"fill_diagonal: all dimensions of a must have one length when it "
                         f"has more than 2, got shape {s}")
    n = builtins.min(s)
    v = _arr(val)
    if _shp(v):
        v = ravel(v)
        if _shp(v)[0] == 0:
            raise ValueError("fill_diagonal: val must not be empty")
        v = resize(v, (n,))
    idx = tuple(np.arange(n, dtype=np.int32) for _ in s)
    return at(x)[idx].set(v)


def block(arrays: Any) -> Any:
    """An array assembled from nested lists of blocks: the innermost lists are joined
    along the last axis, the next ones along the one before, and so on.

    >>> block([[np.eye(2, dtype=np.int32), np.zeros((2, 1), np.int32)],
    ...        [np.ones((1, 3), np.int32)]])
    array([[1, 0, 0],
           [0, 1, 0],
           [1, 1, 1]], dtype=int32)
    """
    leaves, depths = [], set()

    def walk(x, depth, path):
        if isinstance(x, tuple):
            raise TypeError(f"block: arrays{path} is a tuple; only lists may nest blocks")
        if isinstance(x, list):
            if not x:
                raise ValueError(f"block: arrays{path} is an empty list")
            for i, e in enumerate(x):
                walk(e, depth + 1, f"{path}[{i}]")
        else:
            leaves.append(x)
            depths.add(depth)

    walk(arrays, 0, "")
    if len(depths) != 1:
        raise ValueError(f"block: the lists are nested to different depths {sorted(depths)}; "
                         "every block must sit at the same depth.")
    depth = depths.pop()
    xs = _promote_all("block", leaves)
    promoted = iter(xs)
    nd = builtins.max([depth] + [len(_shp(x)) for x in xs])

    def build(x, level):
        if isinstance(x, list):
            return _concat("block", [build(e, level + 1) for e in x], -(depth - level))
        v = next(promoted)
        s = _shp(v)
        return sh.reshape(v, (1,) * (nd - len(s)) + s) if len(s) < nd else v

    return build(arrays, 0)


def trim_zeros(filt: Any, trim: str = "fb", axis: int | Sequence[int] | None = None) -> Any:
    """``filt`` with its leading (``"f"``) and/or trailing (``"b"``) zeros removed; the
    result's shape depends on the values, so ``filt`` must be concrete (not under ``jit``
    or ``vmap``).

    >>> trim_zeros(np.array([0, 0, 1, 2, 0]))
    array([1, 2])
    """
    x = _arr(filt)
    v = value_of(x) if isinstance(x, Tracer) else x
    if v is None:
        raise TypeError("trim_zeros: the size of the result depends on the values of filt, "
                        "so it cannot be traced (under jit or vmap); call it outside the "
                        "transformation, or use fnp.where with a mask of static shape.")
    v = np.asarray(v)
    nd = v.ndim
    axes = set(range(nd)) if axis is None else set(_axes(axis, nd, "trim_zeros"))
    t = trim.lower()
    if not axes or ("f" not in t and "b" not in t):
        return x
    sl = []
    for ax in range(nd):
        if ax not in axes:
            sl.append(builtins.slice(None))
            continue
        mask = np.any(v != 0, axis=tuple(i for i in range(nd) if i != ax))
        if not mask.any():
            sl.append(builtins.slice(0, 0))
            continue
        lo = int(mask.argmax()) if "f" in t else 0
        hi = v.shape[ax] - int(mask[::-1].argmax()) if "b" in t else v.shape[ax]
        sl.append(builtins.slice(lo, hi))
    return sh.slice(x, tuple(q.start or 0 for q in sl),
                    tuple(v.shape[i] if q.stop is None else q.stop for i, q in enumerate(sl)))
