"""NumPy indexing for ``fnp``: ``getitem`` (``x[idx]``), ``at`` (``x.at[idx].set/add/...``),
``take`` and ``take_along_axis``.

Indices may be ints, slices (negative steps included), ``None``, ``...``, integer
arrays or lists (possibly traced, e.g. labels under ``jit``) and boolean masks.
A boolean mask must be concrete, because the result's shape depends on its
values: a NumPy mask is turned into integer indices with ``np.nonzero``; a traced
mask raises a TypeError that points to ``fnp.where``.

Out-of-range integers raise ``IndexError`` eagerly, as in NumPy; under ``jit``
index arrays follow ``jax.numpy`` (gathers clamp, scatters drop out-of-range
updates).  Negative indices wrap as in NumPy.  ``take`` and ``take_along_axis``
follow ``jax.numpy`` everywhere, eagerly included: out-of-range indices give NaN
(``mode="fill"``) or are clamped/wrapped (``mode="clip"``/``"wrap"``).
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..core import Tracer, value_of
from ..core.dtypes import INTS, bool_
from ..ops import elementwise as ew
from ..ops import indexing as ix
from ..ops import shapes as sh
from ..ops.shapes import reshape
from .promotion import _canon_array, cast, unweak

__all__ = ["getitem", "at", "take", "take_along_axis"]

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


_UPDATE_MODES = (None, "promise_in_bounds", "clip", "drop", "fill")


def _clip_arrays(x_shape: tuple, spec: tuple, arrays: list) -> list:
    """``mode="clip"``: index arrays wrapped once (negatives) and clamped into range."""
    out = []
    for a, n in zip(arrays, ix.array_dim_sizes(x_shape, spec)):
        a = ew.select_n(ew.lt(a, _int_like(a, 0)), a, ew.add(a, _int_like(a, n)))
        out.append(ew.minimum(ew.maximum(a, _int_like(a, 0)), _int_like(a, n - 1)))
    return out


def _int_like(a, v):
    return np.asarray(v, dtype=a.aval.dtype if isinstance(a, Tracer) else np.asarray(a).dtype)


def _drop_out_of_bounds(x, spec: tuple, arrays: list):
    """``mode="drop"`` with concrete index arrays: out-of-range entries are sent to one
    extra slot padded onto their axis, sliced off after the update.  Returns
    ``(x', arrays', undo)``; ``undo`` is None when every index is in range."""
    dims, out, dim = [], [], 0
    for e in spec:
        if e[0] == "n":
            continue
        if e[0] == "a":
            dims.append(dim)
        dim += 1
    shape = tuple(x.aval.shape if isinstance(x, Tracer) else np.shape(x))
    if any(isinstance(a, Tracer) for a in arrays):
        return x, arrays, None  # traced: jit drops them (eagerly NumPy raises, as documented)
    bad = [(a < -shape[d]) | (a >= shape[d]) for a, d in zip(arrays, dims)]
    if not any(b.any() for b in bad):
        return x, arrays, None
    for a, d, b in zip(arrays, dims, bad):
        out.append(np.where(b, shape[d], np.where(a < 0, a + shape[d], a)).astype(a.dtype))
    pad_dims = sorted(set(dims))
    config = [(0, 1 if d in pad_dims else 0, 0) for d in range(len(shape))]
    x = sh.pad(x, np.zeros((), _operand(x).dtype), tuple(config))

    def undo(y):
        return sh.slice(y, (0,) * len(shape), shape)
    return x, out, undo


def _update(prim, x, idx, v, where: str, mode=None, unique_indices: bool = False,
            indices_are_sorted: bool = False):
    """``x`` updated at ``idx`` by ``prim``.  ``indices_are_sorted`` is accepted as a
    hint; ``unique_indices`` goes to the scatter (trusted, as JAX: it lets traced
    indices differentiate ``at[].multiply`` in its updates); ``mode`` as JAX: ``"clip"``
    clamps the indices, ``"drop"``/``"fill"`` drop out-of-range updates (eagerly too),
    None/``"promise_in_bounds"`` is NumPy's ``IndexError`` eagerly and a drop under jit."""
    if mode not in _UPDATE_MODES:
        raise ValueError(f"{where}: mode={mode!r} is not one of "
                         f"{', '.join(repr(m) for m in _UPDATE_MODES)}.")
    x = _operand(x)
    dt = x.dtype
    v = unweak(cast(v, dt))
    spec, arrays = parse_index(tuple(x.shape), idx, where)
    ix.check_update_shape(where, tuple(x.shape), spec, tuple(np.shape(a) if not isinstance(
        a, Tracer) else a.aval.shape for a in arrays), np.shape(v) if not isinstance(
        v, Tracer) else v.aval.shape)
    undo = None
    if arrays and mode == "clip":
        arrays = _clip_arrays(tuple(x.shape), spec, arrays)
    elif arrays and mode in ("drop", "fill"):
        x, arrays, undo = _drop_out_of_bounds(x, spec, arrays)
    out = ix.scatter(prim, x, v, arrays, spec, unique_indices=bool(unique_indices))
    return out if undo is None else undo(out)


class _IndexUpdateRef:
    """``x.at[idx]``: functional updates of ``x`` at ``idx``, as in JAX (the keyword
    arguments ``indices_are_sorted``, ``unique_indices`` and ``mode`` as there)."""

    __slots__ = ("x", "idx")

    def __init__(self, x, idx):
        self.x = x
        self.idx = idx

    def __repr__(self) -> str:
        return f"_IndexUpdateRef({self.x!r}, {self.idx!r})"

    def get(self, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None, fill_value: Any = None) -> Any:
        """``x[idx]``; ``mode="clip"`` clamps out-of-range indices, ``"fill"`` gives
        ``fill_value`` (NaN for floats) there, as ``jax.numpy``."""
        if mode in (None, "promise_in_bounds"):
            return getitem(self.x, self.idx)
        if mode not in ("clip", "fill", "drop"):
            raise ValueError(f"at[].get: mode={mode!r} is not one of None, "
                             "'promise_in_bounds', 'clip', 'fill'.")
        x = _operand(self.x)
        spec, arrays = parse_index(tuple(x.shape), self.idx, "at[].get")
        if not arrays:
            return ix.index(x, arrays, spec)
        clipped = _clip_arrays(tuple(x.shape), spec, arrays)
        out = ix.index(x, clipped, spec)
        if mode == "clip":
            return out
        # fill: where any index was out of range (clipping changed it), the fill value
        mask, _ = ix.landing_mask(tuple(x.shape), spec, arrays, winner=False)
        if mask is None:
            return out
        fill = _default_fill(x.dtype) if fill_value is None else fill_value
        return ew.select_n(mask, np.broadcast_to(np.asarray(fill, x.dtype),
                                                 _shape_of(out)), out)

    def set(self, values, **kw) -> Any:
        """A copy of ``x`` with ``x[idx] = values`` (``values`` cast to ``x.dtype``)."""
        return _update(ix.index_set_p, self.x, self.idx, values, "at[].set", **kw)

    def add(self, values, **kw) -> Any:
        """A copy of ``x`` with ``values`` added at ``idx``; duplicate indices accumulate."""
        return _update(ix.index_add_p, self.x, self.idx, values, "at[].add", **kw)

    def subtract(self, values, **kw) -> Any:
        """A copy of ``x`` with ``values`` subtracted at ``idx`` (duplicates accumulate)."""
        return _update(ix.index_add_p, self.x, self.idx, ew.neg(cast(values, _operand(
            self.x).dtype)), "at[].subtract", **kw)

    def multiply(self, values, **kw) -> Any:
        """A copy of ``x`` multiplied by ``values`` at ``idx`` (duplicates accumulate)."""
        return _update(ix.index_mul_p, self.x, self.idx, values, "at[].multiply", **kw)

    mul = multiply

    def divide(self, values, **kw) -> Any:
        """A copy of ``x`` divided by ``values`` at ``idx``: ``x / ones.at[idx].multiply(v)``,
        as JAX (duplicates divide in turn)."""
        x = _operand(self.x)
        ones = ew.ones_like(x)
        return ew.div(x, _update(ix.index_mul_p, ones, self.idx, values, "at[].divide", **kw))

    def power(self, values, **kw) -> Any:
        """A copy of ``x`` raised to ``values`` at ``idx``: ``x ** ones.at[idx].multiply(v)``,
        as JAX (duplicate exponents multiply)."""
        x = _operand(self.x)
        ones = ew.ones_like(x)
        return ew.pow(x, _update(ix.index_mul_p, ones, self.idx, values, "at[].power", **kw))

    def min(self, values, **kw) -> Any:
        """A copy of ``x`` with ``x[idx] = minimum(x[idx], values)``."""
        return _update(ix.index_min_p, self.x, self.idx, values, "at[].min", **kw)

    def max(self, values, **kw) -> Any:
        """A copy of ``x`` with ``x[idx] = maximum(x[idx], values)``."""
        return _update(ix.index_max_p, self.x, self.idx, values, "at[].max", **kw)


def _shape_of(a) -> tuple:
    return tuple(a.aval.shape if isinstance(a, Tracer) else np.shape(a))


def _default_fill(dt):
    dt = np.dtype(dt)
    if dt == bool_:
        return True
    if dt.kind == "i":
        return np.iinfo(dt).min
    if dt.kind == "u":
        return np.iinfo(dt).max
    return np.nan


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


# --------------------------------------------------------------------- take / take_along_axis

_TAKE_MODES = ("fill", "clip", "wrap")
_ALONG_MODES = ("fill", "clip", "promise_in_bounds")


def _index_operand(indices, where: str, bools_as_ints: bool = False):
    """``indices`` as an integer operand (a NumPy array or an integer tracer), widened to
    int32 (int64 for int64/uint32/uint64, which do not fit) so ``idx + n`` cannot wrap."""
    if isinstance(indices, Tracer):
        dt = indices.aval.dtype
        if dt not in INTS:
            raise TypeError(f"{where}: indices must have an integer dtype, got a traced "
                            f"{indices.aval.str_short()}; use indices.astype(fnp.int32).")
    else:
        arr = np.asarray(indices)
        if arr.dtype.kind not in "biu" and arr.size:
            raise TypeError(f"{where}: indices must have an integer dtype, got {arr.dtype} "
                            f"({indices!r:.60}); use indices.astype(int).")
        indices = _as_index_array(indices, where)
        dt = indices.dtype
        if dt == bool_:
            if not bools_as_ints:
                raise TypeError(f"{where}: indices must be integers, got a boolean array; "
                                "use fnp.nonzero(mask) or a boolean index x[mask] instead.")
            indices, dt = indices.astype(np.int32), np.dtype(np.int32)  # as np/jnp.take
    wide = dt in (np.dtype(np.int64), np.dtype(np.uint32), np.dtype(np.uint64))
    return cast(indices, np.dtype(np.int64 if wide else np.int32))


def _shape_of(x) -> tuple:
    return tuple(x.aval.shape) if isinstance(x, Tracer) else np.shape(x)


def _default_fill(dt: np.dtype):
    """JAX's fill for out-of-bounds gathers: NaN for floats, the most negative value of
    signed ints, the largest of unsigned ints, True for bool."""
    if dt == bool_:
        return True
    if dt in INTS:
        info = np.iinfo(dt)
        return info.max if dt.kind == "u" else info.min
    return np.nan


def _fill_scalar(fill_value, dt: np.dtype, where: str) -> np.ndarray:
    v = _default_fill(dt) if fill_value is None else fill_value
    if isinstance(v, Tracer):
        raise TypeError(f"{where}: fill_value must be a static scalar (a Python or NumPy "
                        f"number), got a traced {v.aval.str_short()}; apply "
                        "fnp.where(mask, out, value) to the result instead.")
    if np.ndim(v) != 0:
        raise ValueError(f"{where}: fill_value must be a scalar (the value for out-of-bounds "
                         f"indices), got an array of shape {np.shape(v)}.")
    with np.errstate(invalid="ignore"):
        return np.asarray(v).astype(dt)


def _normalize_indices(idx, n: int, mode: str, wrap_negative: bool):
    """(in-range indices, validity mask or None): the index arithmetic of each mode, done
    with primitives so it also works on traced indices (and eagerly on NumPy ones)."""
    dt = _shape_dtype(idx)
    size, zero, last = dt.type(n), dt.type(0), dt.type(n - 1)
    if mode == "wrap":
        r = ew.rem(idx, size)  # C remainder: bring negative remainders up to [0, n)
        return ew.select_n(ew.lt(r, zero), r, ew.add(r, size)), None
    if wrap_negative:
        idx = ew.select_n(ew.lt(idx, zero), idx, ew.add(idx, size))
    safe = ew.maximum(ew.minimum(idx, last), zero)
    if mode != "fill":
        return safe, None
    valid = ew.bitwise_and(ew.ge(idx, zero), ew.lt(idx, size))
    return safe, valid


def _shape_dtype(x) -> np.dtype:
    return x.aval.dtype if isinstance(x, Tracer) else x.dtype


def _apply_fill(out, valid, dims: tuple, fill_value, where: str):
    """``out`` with ``fill_value`` where ``valid`` (laid out on ``dims`` of ``out``) is False."""
    if valid is None or (not isinstance(valid, Tracer) and bool(np.all(valid))):
        return out  # nothing out of bounds (known eagerly): no select in the program
    out_shape = _shape_of(out)
    if _shape_of(valid) != out_shape:
        valid = sh.broadcast_in_dim(valid, out_shape, dims)
    return ew.select_n(valid, _fill_scalar(fill_value, _shape_dtype(out), where), out)


def _check_mode(where: str, mode, allowed: tuple) -> str:
    if mode is None:
        return "fill"
    if mode == "raise":
        raise NotImplementedError(f"{where}: mode='raise' is not supported (as in jax.numpy: "
                                  "a compiled program cannot raise on bad indices); use "
                                  f"mode={' or '.join(repr(m) for m in allowed)}.")
    if not isinstance(mode, str) or mode not in allowed:
        raise ValueError(f"{where}: invalid mode={mode!r}; use one of "
                         f"{', '.join(repr(m) for m in allowed)} (None means 'fill').")
    return mode


def take(a: Any, indices: Any, axis: int | None = None, out: None = None,
         mode: str | None = None, unique_indices: bool = False,
         indices_are_sorted: bool = False, fill_value: Any = None) -> Any:
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array when None),
    as ``jax.numpy.take``.

    Out-of-bounds indices follow ``mode``, eagerly and under every transformation alike:
    ``"fill"`` (the default, ``mode=None``) wraps negative indices once and gives
    ``fill_value`` for the rest (NaN for floats, the most negative int for signed ints,
    the largest for unsigned ints, True for bool); ``"clip"`` clamps into
    ``[0, n - 1]`` (so -1 gives element 0); ``"wrap"`` takes indices modulo ``n``.
    ``unique_indices`` and ``indices_are_sorted`` are accepted hints.

    >>> import numpy as np
    >>> take(np.array([[1, 2], [3, 4]]), [1, 0], axis=1)
    array([[2, 1],
           [4, 3]])
    >>> take(np.array([1., 2., 3.]), [-1, 3])
    array([ 3., nan])
    >>> take(np.array([1., 2., 3.]), [-1, 3], mode="clip")
    array([1., 3.])
    >>> take(np.array([1., 2., 3.]), [-1, 4], mode="wrap")
    array([3., 2.])
    """
    if out is not None:
        raise NotImplementedError("take: the out= argument is not supported (functions "
                                  "return new arrays); leave out=None.")
    del unique_indices, indices_are_sorted  # hints for XLA's gather; values are the same
    mode = _check_mode("take", mode, _TAKE_MODES)
    a = _operand(a)
    if axis is None:
        a = reshape(a, (int(np.prod(a.shape, dtype=np.int64)),))
        axis = 0
    shape = _shape_of(a)
    nd = len(shape)
    axis = operator.index(axis)
    if not -nd <= axis < nd:
        raise ValueError(f"take: axis {axis} is out of bounds for an array of shape "
                         f"{shape}; valid axes are {-nd}..{nd - 1}")
    axis %= nd
    idx = _index_operand(indices, "take", bools_as_ints=True)
    _fill_scalar(fill_value, _shape_dtype(a), "take")  # a bad one fails even when unused
    ishape = _shape_of(idx)
    out_shape = shape[:axis] + ishape + shape[axis + 1:]
    n = shape[axis]
    if n == 0 and int(np.prod(ishape, dtype=np.int64)):
        raise IndexError(f"take: cannot take {ishape} indices from the empty axis {axis} of "
                         f"an array of shape {shape}.")
    if n == 0 or 0 in ishape:
        return np.zeros(out_shape, _shape_dtype(a))
    safe, valid = _normalize_indices(idx, n, mode, wrap_negative=mode == "fill")
    spec = tuple(("a",) if i == axis else ("s", 0, d, 1) for i, d in enumerate(shape))
    out = ix.index(a, [safe], spec)
    return _apply_fill(out, valid, tuple(range(axis, axis + len(ishape))), fill_value, "take")


def take_along_axis(arr: Any, indices: Any, axis: int | None = -1, mode: str | None = None,
                    fill_value: Any = None, *, wrap_negative_indices: bool | None = None) -> Any:
    """Pick ``arr``'s elements along ``axis`` at ``indices`` (of ``arr``'s rank; its other
    dimensions broadcast against ``arr``'s), as ``jax.numpy.take_along_axis``; with
    ``axis=None`` the 1-D ``indices`` index the flattened array.

    Negative indices wrap once (unless ``wrap_negative_indices=False``); indices still
    out of bounds follow ``mode``: ``"fill"`` (the default) gives ``fill_value`` (NaN for
    floats, see :func:`take`), ``"clip"`` clamps them into range
    (``"promise_in_bounds"`` does too).

    >>> import numpy as np
    >>> x = np.array([[10., 30., 20.], [60., 40., 50.]])
    >>> take_along_axis(x, np.array([[0], [2]]), axis=1)
    array([[10.],
           [50.]])
    >>> take_along_axis(x, np.argsort(x, axis=1), axis=1)
    array([[10., 20., 30.],
           [40., 50., 60.]])
    >>> take_along_axis(x, np.array([[-1, 3]]), axis=1)
    array([[20., nan],
           [50., nan]])
    """
    mode = _check_mode("take_along_axis", mode, _ALONG_MODES)
    a = _operand(arr)
    idx = _index_operand(indices, "take_along_axis")
    _fill_scalar(fill_value, _shape_dtype(a), "take_along_axis")
    ishape = _shape_of(idx)
    if axis is None:
        if len(ishape) != 1:
            raise ValueError(f"take_along_axis: with axis=None the indices must be 1-D, got "
                             f"shape {ishape}; flatten them or pass an axis.")
        a = reshape(a, (int(np.prod(_shape_of(a), dtype=np.int64)),))
        axis = 0
    shape = _shape_of(a)
    nd = len(shape)
    if len(ishape) != nd:
        raise ValueError(f"take_along_axis: indices of shape {ishape} must have the same "
                         f"number of dimensions as arr of shape {shape} ({len(ishape)} vs. "
                         f"{nd}); add size-1 axes, e.g. idx[:, None].")
    axis = operator.index(axis)
    if not -nd <= axis < nd:
        raise ValueError(f"take_along_axis: axis {axis} is out of bounds for an array of "
                         f"shape {shape}; valid axes are {-nd}..{nd - 1}")
    axis %= nd
    rest = tuple(1 if i == axis else d for i, d in enumerate(shape))
    try:
        out_shape = tuple(np.broadcast_shapes(ishape, rest))
    except ValueError:
        raise ValueError(f"take_along_axis: indices of shape {ishape} do not broadcast "
                         f"against arr of shape {shape} outside axis {axis} (sizes must be "
                         "equal or 1).") from None
    n = shape[axis]
    if n == 0 or 0 in out_shape:
        return np.zeros(out_shape, _shape_dtype(a))
    wrap = mode != "promise_in_bounds" if wrap_negative_indices is None else \
        bool(wrap_negative_indices)
    safe, valid = _normalize_indices(idx, n, mode, wrap)
    # advanced indexing with one index per axis: an iota along each other axis (a static 0
    # where arr's size-1 axis is broadcast), ``safe`` along ``axis``; all broadcast together
    # to ``out_shape``
    spec, arrays = [], []
    for i, d in enumerate(shape):
        if i == axis:
            spec.append(("a",))
            arrays.append(safe)
        elif d == 1:
            spec.append(("i", 0))
        else:
            spec.append(("a",))
            arrays.append(np.arange(d, dtype=np.int32).reshape(
                tuple(d if j == i else 1 for j in range(nd))))
    out = ix.index(a, arrays, tuple(spec))
    return _apply_fill(out, valid, tuple(range(nd)), fill_value, "take_along_axis")
