"""NumPy indexing for ``fnp``: ``getitem`` (``x[idx]``), ``at`` (``x.at[idx].set/add/...``)
and ``take``.

Indices may be ints, slices (negative steps included), ``None``, ``...``, integer
arrays or lists (possibly traced, e.g. labels under ``jit``) and boolean masks.
A boolean mask must be concrete, because the result's shape depends on its
values: a NumPy mask is turned into integer indices with ``np.nonzero``; a traced
mask raises a TypeError that points to ``fnp.where``.

Out-of-range integers raise ``IndexError`` eagerly, as in NumPy; under ``jit``
index arrays follow ``jax.numpy`` (gathers clamp, scatters drop out-of-range
updates).  Negative indices wrap as in NumPy.
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..core import Tracer, bind, value_of
from ..core.dtypes import INTS, bool_
from ..ops import indexing as ix
from ..ops.shapes import reshape
from .promotion import _canon_array, cast, unweak

__all__ = ["getitem", "at", "take"]

# index entries NumPy handles exactly as fnp does (no tracers can hide in them)
_EAGER = frozenset((int, slice, type(None), type(Ellipsis), np.ndarray, np.int8, np.int16,
                    np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64))


def _operand(x):
    return x if isinstance(x, Tracer) else _canon_array(x)


def _is_bool(e) -> bool:
    return isinstance(e, (bool, np.bool_))


def _as_index_array(e, where: str):
    """A concrete index entry as an integer or boolean NumPy array."""
    arr = np.asarray(e)
    if arr.dtype == bool_ or arr.dtype in INTS:
        return arr
    if arr.size == 0 and arr.dtype == np.float64:  # x[[]]: an empty integer index
        return arr.astype(np.int32)
    raise IndexError(f"{where}: only integers, slices (`:`), ellipsis (`...`), None, and "
                     f"integer or boolean arrays are valid indices, got {e!r:.60} of dtype "
                     f"{arr.dtype}.")


def _classify(e, where: str):
    """One index entry as ('n'|'e'|'i'|'s'|'a'|'b', payload)."""
    if e is None:
        return "n", None
    if e is Ellipsis:
        return "e", None
    if isinstance(e, slice):
        return "s", e
    if _is_bool(e):
        raise IndexError(f"{where}: a Python/NumPy bool scalar is not supported as an index; "
                         "use None for a new axis or a boolean array mask.")
    if isinstance(e, (int, np.integer)):
        return "i", int(e)
    if isinstance(e, Tracer):
        dt = e.aval.dtype
        if dt == bool_:
            val = value_of(e)
            if val is None:
                raise TypeError(
                    f"{where}: a traced boolean mask {e.aval.str_short()} cannot be used as an "
                    "index under jit/vmap/make_jaxpr: the result's shape would depend on the "
                    "mask's values. Use fnp.where(mask, x, 0) (or a masked sum) instead, or "
                    "pass the mask as a concrete NumPy array.")
            return "b", np.asarray(val)
        if dt not in INTS:
            raise IndexError(f"{where}: index arrays must be integers or booleans, got a traced "
                             f"{e.aval.str_short()}; use .astype(fnp.int32).")
        return "a", e
    arr = _as_index_array(e, where)
    if arr.dtype == bool_:
        return "b", arr
    if arr.ndim == 0:
        return "i", int(arr)
    return "a", arr


def parse_index(shape: tuple, idx, where: str = "index") -> tuple[tuple, list]:
    """Split a NumPy index for an array of ``shape`` into ``(spec, index_arrays)``.

    >>> parse_index((4, 5), (1, slice(None, None, -2)))
    ((('i', 1), ('s', 4, -1, -2)), [])
    """
    if not isinstance(idx, tuple):
        idx = (idx,)
    items = [_classify(e, where) for e in idx]
    n_ell = sum(1 for k, _ in items if k == "e")
    if n_ell > 1:
        raise IndexError(f"{where}: an index can only have a single ellipsis ('...')")
    consumed = sum(e.ndim if k == "b" else 1 for k, e in items if k in "isab")
    ndim = len(shape)
    if consumed > ndim:
        raise IndexError(f"{where}: too many indices for array: array is {ndim}-dimensional, "
                         f"but {consumed} were indexed (shape {tuple(shape)})")
    fill = [("s", slice(None))] * (ndim - consumed)
    if n_ell:
        at = next(i for i, (k, _) in enumerate(items) if k == "e")
        items = items[:at] + fill + items[at + 1:]
    else:
        items = items + fill
    spec: list = []
    arrays: list = []
    dim = 0
    for k, e in items:
        if k == "n":
            spec.append(("n",))
            continue
        if k == "b":
            m = e.shape
            if tuple(shape[dim:dim + len(m)]) != tuple(m):
                raise IndexError(f"{where}: boolean index of shape {m} does not match the "
                                 f"indexed dimensions {tuple(shape[dim:dim + len(m)])} of the "
                                 f"array of shape {tuple(shape)}")
            for nz in np.nonzero(e):
                spec.append(("a",))
                arrays.append(nz.astype(np.int32) if nz.size < 2 ** 31 else nz)
            dim += len(m)
            continue
        size = shape[dim]
        if k == "i":
            if not -size <= e < size:
                raise IndexError(f"{where}: index {e} is out of bounds for axis {dim} with "
                                 f"size {size} (array shape {tuple(shape)})")
            spec.append(("i", e + size if e < 0 else e))
        elif k == "s":
            parts = [None if p is None else operator.index(p) for p in (e.start, e.stop, e.step)]
            if parts[2] == 0:
                raise ValueError(f"{where}: slice step cannot be zero")
            spec.append(("s",) + slice(*parts).indices(size))
        else:
            spec.append(("a",))
            arrays.append(e)
        dim += 1
    return tuple(spec), arrays


def getitem(x, idx) -> Any:
    """``x[idx]`` with NumPy semantics (the ``[]`` operator of traced arrays).

    >>> import numpy as np
    >>> getitem(np.arange(10), slice(None, None, -3))
    array([9, 6, 3, 0])
    >>> getitem(np.arange(6).reshape(2, 3), (np.array([1, 0]), np.array([2, 2])))
    array([5, 2])
    """
    if type(x) is np.ndarray and (type(idx) in _EAGER or (
            type(idx) is tuple and all(type(e) in _EAGER for e in idx))):
        out = x[idx]  # the eager fast path: NumPy's indexing is the specification
        return out if type(out) is np.ndarray else np.asarray(out)
    x = _operand(x)
    spec, arrays = parse_index(tuple(x.shape), idx, "getitem")
    return ix.index(x, arrays, spec)


def _update(prim, x, idx, v, where: str):
    x = _operand(x)
    dt = x.dtype
    v = unweak(cast(v, dt))
    spec, arrays = parse_index(tuple(x.shape), idx, where)
    ix.check_update_shape(where, tuple(x.shape), spec, tuple(np.shape(a) if not isinstance(
        a, Tracer) else a.aval.shape for a in arrays), np.shape(v) if not isinstance(
        v, Tracer) else v.aval.shape)
    return bind(prim, x, v, *arrays, spec=spec)


class _IndexUpdateRef:
    """``x.at[idx]``: functional updates of ``x`` at ``idx``, as in JAX."""

    __slots__ = ("x", "idx")

    def __init__(self, x, idx):
        self.x = x
        self.idx = idx

    def __repr__(self) -> str:
        return f"_IndexUpdateRef({self.x!r}, {self.idx!r})"

    def get(self) -> Any:
        """``x[idx]``."""
        return getitem(self.x, self.idx)

    def set(self, values) -> Any:
        """A copy of ``x`` with ``x[idx] = values`` (``values`` cast to ``x.dtype``)."""
        return _update(ix.index_set_p, self.x, self.idx, values, "at[].set")

    def add(self, values) -> Any:
        """A copy of ``x`` with ``values`` added at ``idx``; duplicate indices accumulate."""
        return _update(ix.index_add_p, self.x, self.idx, values, "at[].add")

    def multiply(self, values) -> Any:
        """A copy of ``x`` multiplied by ``values`` at ``idx`` (duplicates accumulate)."""
        return _update(ix.index_mul_p, self.x, self.idx, values, "at[].multiply")

    mul = multiply

    def min(self, values) -> Any:
        """A copy of ``x`` with ``x[idx] = minimum(x[idx], values)``."""
        return _update(ix.index_min_p, self.x, self.idx, values, "at[].min")

    def max(self, values) -> Any:
        """A copy of ``x`` with ``x[idx] = maximum(x[idx], values)``."""
        return _update(ix.index_max_p, self.x, self.idx, values, "at[].max")


class _IndexUpdateHelper:
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __getitem__(self, idx) -> _IndexUpdateRef:
        return _IndexUpdateRef(self.x, idx)

    def __repr__(self) -> str:
        return f"_IndexUpdateHelper({self.x!r})"


def at(x) -> _IndexUpdateHelper:
    """JAX's ``x.at`` for any array: ``at(x)[idx].set(v)``, ``.add(v)``, ``.get()``,
    ``.multiply(v)``, ``.min(v)``, ``.max(v)`` return updated copies.

    >>> import numpy as np
    >>> at(np.zeros(3))[np.array([0, 0, 2])].add(1.0)
    array([2., 0., 1.])
    """
    return _IndexUpdateHelper(x)


def take(a, indices, axis: int | None = None) -> Any:
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array when None),
    as ``numpy.take``.  Eagerly, out-of-range indices raise ``IndexError`` (NumPy);
    under ``jit`` they follow ``jax.numpy`` indexing (clamped).

    >>> import numpy as np
    >>> take(np.array([[1, 2], [3, 4]]), [1, 0], axis=1)
    array([[2, 1],
           [4, 3]])
    """
    a = _operand(a)
    if axis is None:
        a = reshape(a, (int(np.prod(a.shape, dtype=np.int64)),))
        axis = 0
    nd = len(a.shape)
    if not -nd <= axis < nd:
        raise ValueError(f"take: axis {axis} is out of bounds for an array of shape "
                         f"{tuple(a.shape)}")
    axis %= nd
    if not isinstance(indices, Tracer):
        indices = _as_index_array(indices, "take")
        if indices.dtype == bool_:
            raise IndexError("take: indices must be integers, got a boolean array; use "
                             "fnp.nonzero or a boolean index x[mask] instead.")
    return getitem(a, (slice(None),) * axis + (indices,))

