"""Sorting: ``sort``, a multiple-results primitive in the manner of ``jax.lax.sort``.

``sort(*operands, dimension, is_stable, num_keys)`` sorts the first ``num_keys``
operands lexicographically along ``dimension`` and carries the other operands along
with the same permutation.  So ``argsort(x)`` is ``sort(x, iota)[1]``, and neither
derivative needs a gather:

- JVP: the tangents are sorted along with the keys (they follow the permutation);
- VJP: with ``perm = sort(keys, iota)[-1]``, sorting ``(perm, g)`` by ``perm``
  puts ``g[p]`` back at position ``perm[p]``, which un-permutes the cotangent.

Ordering follows ``jax.lax.sort`` / NumPy's stable sort: NaNs go last, ``-0.0`` and
``0.0`` compare equal, equal keys keep their original order.
"""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import int32
from .rules import move_axis_to_front


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def sort(*operands, dimension: int = -1, is_stable: bool = True, num_keys: int = 1) -> list:
    """Sort ``operands`` along ``dimension`` by the first ``num_keys`` of them; returns
    the list of sorted operands (as ``jax.lax.sort`` on a tuple).  The internal, variadic
    form: ``fl.lax.sort`` has JAX's signature (one array in, one array out; a tuple in, a
    tuple out) and checks its arguments.

    >>> keys, vals = sort(np.array([3., 1., 2.]), np.array([0, 1, 2], np.int32))
    >>> keys, vals
    (array([1., 2., 3.]), array([1, 2, 0], dtype=int32))
    """
    if not operands:
        raise TypeError("sort: needs at least one operand")
    shapes = [tuple(_shape(o)) for o in operands]
    if len(set(shapes)) != 1:
        raise TypeError(f"sort: all operands must have one shape, got shapes {shapes}; "
                        "broadcast them first.")
    nd = len(shapes[0])
    if not -nd <= dimension < nd:
        raise TypeError(f"sort: dimension {dimension} is out of range for operands of shape "
                        f"{tuple(_shape(operands[0]))}")
    return bind(sort_p, *operands, dimension=dimension % nd, is_stable=bool(is_stable),
                num_keys=int(num_keys))


def permutation(*keys, dimension: int):
    """The stable sorting permutation of ``keys`` along ``dimension`` (int32): the
    original index of each sorted position (``argsort``).

    >>> permutation(np.array([3., 1., 2.]), dimension=0)
    array([1, 2, 0], dtype=int32)
    """
    from .shapes import broadcasted_iota
    shape = tuple(_shape(keys[0]))
    iota = broadcasted_iota(int32, shape, dimension)
    return sort(*keys, iota, dimension=dimension, num_keys=len(keys))[-1]


def unpermute(perm, values: list, dimension: int) -> list:
    """Inverse of applying ``perm``: result[perm[p]] = values[p] along ``dimension``."""
    return sort(perm, *values, dimension=dimension, num_keys=1)[1:]


sort_p = Primitive("sort", multiple_results=True)


def _sort_aval(*avals, dimension, is_stable, num_keys):
    shapes = {a.shape for a in avals}
    if len(shapes) != 1:
        raise TypeError("sort: all operands must have one shape, got "
                        + ", ".join(a.str_short() for a in avals))
    if not 1 <= num_keys <= len(avals):
        raise TypeError(f"sort: num_keys={num_keys} must be between 1 and the number of "
                        f"operands ({len(avals)})")
    if not 0 <= dimension < avals[0].ndim:
        raise TypeError(f"sort: dimension {dimension} is out of range for operands "
                        f"{avals[0].str_short()}")
    return [ShapedArray(a.shape, a.dtype, a.weak_type) for a in avals]


def _sort_key(k: np.ndarray) -> np.ndarray:
    # lexsort compares with NumPy's order (NaN last, -0.0 == 0.0): the order of lax.sort
    # on these values.  bfloat16 keys are compared as float32 (lexsort has no bfloat16).
    if k.dtype.kind == "V" or k.dtype.name == "bfloat16":
        return k.astype(np.float32)
    return k


def _sort_impl(*operands, dimension, is_stable, num_keys):
    ops = [np.asarray(o) for o in operands]
    if ops[0].ndim == 0 or ops[0].shape[dimension] <= 1:
        return [o.copy() for o in ops]
    keys = [_sort_key(np.moveaxis(k, dimension, -1)) for k in ops[:num_keys]]
    # np.lexsort sorts by the last key first, and is stable
    perm = np.lexsort(keys[::-1], axis=-1) if num_keys > 1 else \
        np.argsort(keys[0], axis=-1, kind="stable")
    perm = np.moveaxis(perm, -1, dimension)
    return [np.take_along_axis(o, perm, axis=dimension) for o in ops]


def _sort_jvp(primals, tangents, ans, *, dimension, is_stable, num_keys):
    live = [i for i, t in enumerate(tangents) if t is not None]
    if not live:
        return [None] * len(primals)
    keys = list(primals[:num_keys])
    moved = sort(*keys, *[tangents[i] for i in live], dimension=dimension,
                 num_keys=num_keys)[num_keys:]
    out = [None] * len(primals)
    for i, t in zip(live, moved):
        out[i] = t
    return out


def _sort_vjp(g, ans, args, needs, *, dimension, is_stable, num_keys):
    live = [i for i, (c, n) in enumerate(zip(g, needs)) if n and c is not None]
    out = [None] * len(args)
    if not live:
        return out
    perm = permutation(*args[:num_keys], dimension=dimension)
    for i, c in zip(live, unpermute(perm, [g[i] for i in live], dimension)):
        out[i] = c
    return out


def _sort_batch(args, dims, *, dimension, is_stable, num_keys):
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    moved = [move_axis_to_front(a, d, size) for a, d in zip(args, dims)]
    outs = bind(sort_p, *moved, dimension=dimension + 1, is_stable=is_stable,
                num_keys=num_keys)
    return outs, [0] * len(outs)


def _sort_lower(*operands, dimension, is_stable, num_keys):
    return list(lax.sort(tuple(operands), dimension=dimension, is_stable=is_stable,
                         num_keys=num_keys))


sort_p.impl = _sort_impl
sort_p.abstract_eval = _sort_aval
sort_p.jvp = _sort_jvp
sort_p.vjp = _sort_vjp
sort_p.batch = _sort_batch
sort_p.lower = _sort_lower
