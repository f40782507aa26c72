"""Set operations on 1-D arrays (``union1d intersect1d setdiff1d setxor1d``) and the Array
API's ``unique_*`` functions, as ``jax.numpy``'s.

Each sorts the candidates once and marks the wanted ones with a mask; the result is the
masked elements in sorted order.  Its length depends on the values, so without the static
``size=`` it needs concrete inputs (eagerly, or under ``grad`` of concrete values) and
raises a ``ConcretizationTypeError`` naming ``size`` under ``jit``/``vmap``; with it the
first ``size`` elements are kept, padded with ``fill_value`` (defaults as JAX's: the
smallest element of the result for ``intersect1d``/``setxor1d``/``union1d``, 0 for
``setdiff1d``).
"""
from __future__ import annotations

import operator
from typing import Any, NamedTuple

import numpy as np

from .. import numpy as fnp
from ..core import dtypes
from .misc_more import _arr, _concrete
from .statistics import _flat_nonzero

__all__ = ["union1d", "intersect1d", "setdiff1d", "setxor1d", "unique_all", "unique_counts",
           "unique_inverse", "unique_values"]

_INT = dtypes.DEFAULT_INT


def _promote_flat(name: str, *xs):
    arrs = [fnp.ravel(_arr(x, name)) for x in xs]
    dt = fnp.result_type(*arrs)
    return [fnp.asarray(a, dt) for a in arrs]


def _sorted_first(x):
    """(stable sorting permutation, sorted values, mask of each value's first copy); NaNs
    count as one value, as ``unique``'s ``equal_nan=True``."""
    perm = fnp.argsort(x, stable=True)
    s = fnp.take(x, perm)
    ne = s[1:] != s[:-1]
    if fnp.issubdtype(s.dtype, fnp.floating):
        ne = ne & fnp.logical_not(fnp.isnan(s[1:]) & fnp.isnan(s[:-1]))
    first = fnp.concatenate([fnp.ones(1, bool), ne]) if s.shape[0] else fnp.zeros(0, bool)
    return perm, s, first


def _select(name: str, vals, mask, size, fill_value, default_fill: str):
    """``vals[mask]``; with ``size``, the first ``size`` of them padded with the fill
    (``default_fill``: "min" for the smallest selected value, else 0)."""
    if size is None:
        m = _concrete(mask, name)
        return fnp.take(vals, np.flatnonzero(m).astype(_INT)), None, None
    size = operator.index(size)
    if size < 0:
        raise ValueError(f"fnp.{name}: size must be non-negative, got {size}.")
    idx, count = _flat_nonzero(mask, size, name)
    keep = fnp.arange(size) < count
    out = fnp.take(vals, idx) if vals.shape[0] else fnp.zeros(size, vals.dtype)
    if fill_value is None:
        if default_fill == "min":
            big = fnp.where(mask, vals, _top(vals.dtype)) if vals.shape[0] else vals
            fill = fnp.where(count > 0, fnp.min(big, initial=_top(vals.dtype)),
                             np.zeros((), vals.dtype))
        else:
            fill = np.zeros((), vals.dtype)
    else:
        fill = fnp.asarray(fill_value, vals.dtype)
    return fnp.where(keep, out, fill), idx, keep


def _top(dt):
    dt = np.dtype(dt)
    if dt == np.bool_:
        return np.bool_(True)
    if dt.kind in "iu":
        return np.iinfo(dt).max
    return np.asarray(np.inf, dt)[()]


def union1d(ar1: Any, ar2: Any, *, size: int | None = None, fill_value: Any = None) -> Any:
    """The sorted unique values in ``ar1`` or ``ar2`` (both flattened), as
    ``jax.numpy.union1d``; ``size``/``fill_value`` as :func:`fnp.unique` (default fill:
    the smallest value).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.union1d(fnp.array([3, 1]), fnp.array([2, 1]))
    array([1, 2, 3], dtype=int32)
    """
    a, b = _promote_flat("union1d", ar1, ar2)
    if size is None:
        _concrete(a, "union1d"), _concrete(b, "union1d")
    return fnp.unique(fnp.concatenate([a, b]), size=size, fill_value=fill_value)


def intersect1d(ar1: Any, ar2: Any, assume_unique: bool = False, return_indices: bool = False,
                *, size: int | None = None, fill_value: Any = None) -> Any:
    """The sorted unique values in both ``ar1`` and ``ar2`` (flattened), as
    ``jax.numpy.intersect1d``; with ``return_indices`` also the index of each value's first
    occurrence in ``ar1`` and in ``ar2`` (padding: the lengths of ``ar1``/``ar2``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.intersect1d(fnp.array([4, 1, 3, 1]), fnp.array([3, 1, 7]), return_indices=True)
    (array([1, 3], dtype=int32), array([1, 2], dtype=int32), array([1, 0], dtype=int32))
    >>> fnp.intersect1d(fnp.array([4, 1]), fnp.array([1, 7]), size=3, fill_value=-1)
    array([ 1, -1, -1], dtype=int32)
    """
    a, b = _promote_flat("intersect1d", ar1, ar2)
    perm1, s1, first = _sorted_first(a)
    mask = first & fnp.isin(s1, b) if a.shape[0] and b.shape[0] else \
        fnp.zeros(a.shape[0], bool)
    vals, idx, keep = _select("intersect1d", s1, mask, size, fill_value, "min")
    if not return_indices:
        return vals
    if b.shape[0] == 0 or a.shape[0] == 0:
        n = vals.shape[0]
        return vals, fnp.full(n, a.shape[0], _INT), fnp.full(n, b.shape[0], _INT)
    perm2, s2, _ = _sorted_first(b)
    if idx is None:
        chosen = np.flatnonzero(_concrete(mask, "intersect1d")).astype(_INT)
        i1 = fnp.asarray(fnp.take(perm1, chosen), _INT)
        pos = fnp.searchsorted(s2, vals)
        i2 = fnp.asarray(fnp.take(perm2, fnp.clip(pos, 0, b.shape[0] - 1)), _INT)
        return vals, i1, i2
    i1 = fnp.where(keep, fnp.take(perm1, idx), a.shape[0])
    pos = fnp.searchsorted(s2, fnp.take(s1, idx))
    i2 = fnp.where(keep, fnp.take(perm2, fnp.clip(pos, 0, b.shape[0] - 1)), b.shape[0])
    return vals, fnp.asarray(i1, _INT), fnp.asarray(i2, _INT)


def setdiff1d(ar1: Any, ar2: Any, assume_unique: bool = False, *, size: int | None = None,
              fill_value: Any = None) -> Any:
    """The sorted unique values of ``ar1`` that are not in ``ar2`` (both flattened), as
    ``jax.numpy.setdiff1d`` (default fill with ``size``: 0).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.setdiff1d(fnp.array([5, 1, 3, 1]), fnp.array([3]))
    array([1, 5], dtype=int32)
    """
    a = fnp.ravel(_arr(ar1, "setdiff1d"))
    b = fnp.ravel(_arr(ar2, "setdiff1d"))
    if a.shape[0] == 0:
        fill = 0 if fill_value is None else fill_value
        return fnp.full(size or 0, fill, a.dtype)
    _, s, first = _sorted_first(a)
    mask = first & fnp.logical_not(fnp.isin(s, b)) if b.shape[0] else first
    return _select("setdiff1d", s, mask, size, fill_value, "zero")[0]


def setxor1d(ar1: Any, ar2: Any, assume_unique: bool = False, *, size: int | None = None,
             fill_value: Any = None) -> Any:
    """The sorted unique values in exactly one of ``ar1`` and ``ar2`` (flattened), as
    ``jax.numpy.setxor1d``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.setxor1d(fnp.array([1, 2, 3]), fnp.array([2, 3, 4, 4]))
    array([1, 4], dtype=int32)
    """
    a, b = _promote_flat("setxor1d", ar1, ar2)
    # the unique values of each (a NaN of each counts once, and NaN != NaN, as in JAX),
    # sorted together with the repeated copies moved to the end
    _, sa, fa = _sorted_first(a)
    _, sb, fb = _sorted_first(b)
    vals = fnp.concatenate([sa, sb])
    valid = fnp.concatenate([fa, fb])
    n = vals.shape[0]
    if n == 0:
        return _select("setxor1d", vals, valid, size, fill_value, "min")[0]
    order = fnp.lexsort([vals, fnp.logical_not(valid)])
    aux, ok = fnp.take(vals, order), fnp.take(valid, order)
    differs = aux[1:] != aux[:-1]
    yes = fnp.ones(1, bool)
    mask = ok & fnp.concatenate([yes, differs]) & \
        fnp.concatenate([differs | fnp.logical_not(ok[1:]), yes])
    return _select("setxor1d", aux, mask, size, fill_value, "min")[0]


class _UniqueAllResult(NamedTuple):
    values: Any
    indices: Any
    inverse_indices: Any
    counts: Any


class _UniqueCountsResult(NamedTuple):
    values: Any
    counts: Any


class _UniqueInverseResult(NamedTuple):
    values: Any
    inverse_indices: Any


def unique_all(x: Any, /, *, size: int | None = None,
               fill_value: Any = None) -> _UniqueAllResult:
    """The unique values with first indices, inverse indices and counts (a named tuple),
    as ``jax.numpy.unique_all`` (NaNs are not merged).

    >>> import functorch_lite.numpy as fnp
    >>> r = fnp.unique_all(fnp.array([3, 1, 3]))
    >>> r.values, r.indices
    (array([1, 3], dtype=int32), array([1, 0], dtype=int32))
    >>> r.inverse_indices, r.counts
    (array([1, 0, 1], dtype=int32), array([1, 2], dtype=int32))
    """
    v, i, inv, c = fnp.unique(_arr(x, "unique_all"), return_index=True, return_inverse=True,
                              return_counts=True, equal_nan=False, size=size,
                              fill_value=fill_value)
    return _UniqueAllResult(v, i, inv, c)


def unique_counts(x: Any, /, *, size: int | None = None,
                  fill_value: Any = None) -> _UniqueCountsResult:
    """The unique values and their counts (a named tuple), as ``jax.numpy.unique_counts``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unique_counts(fnp.array([3, 1, 3])).counts
    array([1, 2], dtype=int32)
    """
    v, c = fnp.unique(_arr(x, "unique_counts"), return_counts=True, equal_nan=False,
                      size=size, fill_value=fill_value)
    return _UniqueCountsResult(v, c)


def unique_inverse(x: Any, /, *, size: int | None = None,
                   fill_value: Any = None) -> _UniqueInverseResult:
    """The unique values and each element's index into them (``x``'s shape), as
    ``jax.numpy.unique_inverse``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unique_inverse(fnp.array([3, 1, 3])).inverse_indices
    array([1, 0, 1], dtype=int32)
    """
    v, inv = fnp.unique(_arr(x, "unique_inverse"), return_inverse=True, equal_nan=False,
                        size=size, fill_value=fill_value)
    return _UniqueInverseResult(v, inv)


def unique_values(x: Any, /, *, size: int | None = None, fill_value: Any = None) -> Any:
    """The sorted unique values, as ``jax.numpy.unique_values``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unique_values(fnp.array([3, 1, 3]))
    array([1, 3], dtype=int32)
    """
    return fnp.unique(_arr(x, "unique_values"), equal_nan=False, size=size,
                      fill_value=fill_value)
