"""NumPy indexing as primitives: ``index`` (gather) and the scatters behind ``x.at[idx]``.

An index is split into a static, hashable ``spec`` (one item per index entry,
covering every dimension of the operand, Ellipsis already expanded) and the
integer index arrays, which are extra operands (so they may be traced, e.g.
labels under ``jit``).  Spec items:

- ``("s", start, stop, step)``: a slice, normalized by ``slice.indices`` (a
  negative ``stop`` means "run past index 0" for negative steps);
- ``("i", k)``: a static integer, already wrapped to ``0 <= k < dim``;
- ``("n",)``: ``None`` (a new axis of size 1);
- ``("a",)``: the next integer index array among the operands.

The results follow NumPy's advanced indexing (integers count as advanced
indices as soon as one array is present; the broadcast index shape goes where the
first advanced entry is when they are adjacent in the index, else in front;
``None`` breaks adjacency).  Negative array entries wrap as in NumPy.
Out-of-range array entries raise ``IndexError`` eagerly (NumPy); under ``jit``
they follow ``jax.numpy``: a gather clamps them into range, a scatter drops them.

``index_add`` accumulates at duplicate indices (``np.add.at``); it is also the
transpose of ``index``.  With duplicates, ``index_set`` keeps one of the values
(NumPy: the last; XLA: unspecified).

The scatters take one optional parameter, ``unique_indices`` (``x.at[idx]``'s hint
that no two index entries address the same element; present only when True, so
unhinted jaxprs print as before).  Values never depend on it; ``jit`` hands it to
XLA, and the derivative of ``at[].multiply`` in its updates needs it for traced
indices, which cannot be checked (JAX trusts the hint the same way).
"""
from __future__ import annotations

import functools

import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import INTS

# --------------------------------------------------------------------- traceable helpers


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def index(x, arrays, spec: tuple):
    """``x[idx]`` for the index described by ``spec`` and the integer ``arrays``.

    >>> import numpy as np
    >>> index(np.arange(6).reshape(2, 3), [np.array([2, 0])], (("s", 0, 2, 1), ("a",)))
    array([[2, 0],
           [5, 3]])
    """
    return bind(index_p, x, *arrays, spec=spec)


def scatter(prim: Primitive, x, v, arrays, spec: tuple, *, unique_indices: bool = False):
    """``x`` updated by the scatter ``prim`` with ``v`` at ``x[idx]``; ``unique_indices``
    promises that no two index entries address the same element (it is not checked).

    >>> import numpy as np
    >>> scatter(index_mul_p, np.ones(3), np.full(2, 3.0), [np.array([2, 0])], (("a",),),
    ...         unique_indices=True)
    array([3., 1., 3.])
    """
    return bind(prim, x, v, *arrays, spec=spec, **_hint(unique_indices))


def _hint(unique_indices: bool) -> dict:
    return {"unique_indices": True} if unique_indices else {}


def index_add(x, v, arrays, spec: tuple):
    """``x`` with ``v`` added at ``x[idx]`` (duplicates accumulate).

    >>> import numpy as np
    >>> index_add(np.zeros(3), np.ones(2), [np.array([1, 1])], (("a",),))
    array([0., 2., 0.])
    """
    return bind(index_add_p, x, v, *arrays, spec=spec)


def index_set(x, v, arrays, spec: tuple):
    """``x`` with ``x[idx]`` replaced by ``v``.

    >>> import numpy as np
    >>> index_set(np.zeros(3), np.float64(5.0), [], (("i", 2),))
    array([0., 0., 5.])
    """
    return bind(index_set_p, x, v, *arrays, spec=spec)


# --------------------------------------------------------------------- the index layout


def _mk_slice(start: int, stop: int, step: int) -> slice:
    return slice(start, stop if stop >= 0 else None, step)


def _slice_len(start: int, stop: int, step: int) -> int:
    return len(range(start, stop, step))


@functools.lru_cache(maxsize=4096)
def index_layout(x_shape: tuple, spec: tuple, arr_shapes: tuple,
                 name: str = "index") -> tuple:
    """``(out_shape, adv_pos, adv_shape)`` of ``x[idx]``.

    ``adv_pos`` is where the broadcast shape of the advanced indices (``adv_shape``)
    starts in the output, or None without advanced indices.
    """
    n_consumed = sum(1 for s in spec if s[0] != "n")
    if n_consumed != len(x_shape):
        raise TypeError(f"{name}: the index spec covers {n_consumed} dimensions but the "
                        f"operand has shape {tuple(x_shape)}")
    n_arrays = sum(1 for s in spec if s[0] == "a")
    if n_arrays != len(arr_shapes):
        raise TypeError(f"{name}: the index spec names {n_arrays} index arrays but "
                        f"{len(arr_shapes)} were given")
    adv_items = [i for i, s in enumerate(spec) if s[0] == "a" or (n_arrays and s[0] == "i")]
    it = iter(arr_shapes)
    adv_shapes = [next(it) if spec[i][0] == "a" else () for i in adv_items]
    try:
        adv_shape = tuple(np.broadcast_shapes(*adv_shapes)) if adv_items else ()
    except ValueError:
        raise IndexError(f"{name}: shape mismatch: the index arrays of shapes "
                         f"{', '.join(str(tuple(s)) for s in adv_shapes)} cannot be broadcast "
                         "together") from None
    contiguous = adv_items == list(range(adv_items[0], adv_items[-1] + 1)) if adv_items else True
    out: list = []
    adv_pos = None
    dim = 0
    for i, s in enumerate(spec):
        k = s[0]
        if k == "n":
            out.append(1)
            continue
        size = x_shape[dim]
        dim += 1
        if i in adv_items:
            if s[0] == "i" and not 0 <= s[1] < size:
                raise IndexError(f"{name}: index {s[1]} is out of bounds for axis {dim - 1} "
                                 f"with size {size}")
            if contiguous and adv_pos is None:
                adv_pos = len(out)
                out.extend(adv_shape)
        elif k == "s":
            out.append(_slice_len(*s[1:]))
        elif k == "i":
            if not 0 <= s[1] < size:
                raise IndexError(f"{name}: index {s[1]} is out of bounds for axis {dim - 1} "
                                 f"with size {size}")
        else:
            raise TypeError(f"{name}: unknown index spec item {s!r}")
    if adv_items and not contiguous:
        adv_pos = 0
        out = list(adv_shape) + out
    return tuple(out), adv_pos, adv_shape


def _np_index(spec: tuple, arrays) -> tuple:
    it = iter(arrays)
    out = []
    for s in spec:
        k = s[0]
        if k == "s":
            out.append(_mk_slice(*s[1:]))
        elif k == "i":
            out.append(s[1])
        elif k == "n":
            out.append(None)
        else:
            out.append(next(it))
    return tuple(out)


def _check_arrays(name, arr_avals):
    for a in arr_avals:
        if a.dtype not in INTS:
            raise TypeError(f"{name}: index arrays must have an integer dtype, got "
                            f"{a.str_short()}; boolean masks are converted to integer indices "
                            "by fnp indexing (concrete masks only).")


# --------------------------------------------------------------------- index (gather)

index_p = Primitive("index")


def _index_aval(x, *arrs, spec):
    _check_arrays("index", arrs)
    out, _, _ = index_layout(x.shape, spec, tuple(a.shape for a in arrs))
    return ShapedArray(out, x.dtype, x.weak_type)


def _index_impl(x, *arrs, spec):
    out = np.asarray(x)[_np_index(spec, arrs)]
    return out if type(out) is np.ndarray else np.asarray(out)  # 0-d arrays, not scalars


def _index_jvp(primals, tangents, ans, *, spec):
    t = tangents[0]
    return None if t is None else index(t, primals[1:], spec)


def _index_vjp(g, ans, args, needs, *, spec):
    from .elementwise import zeros_like
    x, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        if _concrete(arrs):  # traced indices: the scatter drops what the gather clamped
            mask, arrs = _landed(_shape(x), spec, arrs, winner=False)
            g = _where_landed(mask, g)
        cts[0] = index_add(zeros_like(x), g, arrs, spec)
    return cts


def _jnp_index(spec, arrs):
    return _np_index(spec, arrs)  # the same tuple works for jax.numpy


index_p.impl = _index_impl
index_p.abstract_eval = _index_aval
index_p.jvp = _index_jvp
index_p.vjp = _index_vjp
index_p.lower = lambda x, *arrs, spec: x[_jnp_index(spec, arrs)]

# --------------------------------------------------------------------- batching helpers


def _batch_size(args, dims) -> int:
    for a, d in zip(args, dims):
        if d is not None:
            return _shape(a)[d]
    raise ValueError("batching rule called without a batched operand")


def _move_axis(x, src: int, dst: int):
    from .shapes import transpose
    if src == dst:
        return x
    perm = [i for i in range(len(_shape(x))) if i != src]
    perm.insert(dst, src)
    return transpose(x, tuple(perm))


def _batched_index(x, dx, arrs, das, spec, size, force_x: bool):
    """Rewrite ``x[idx]`` for batched operands so that the per-example layout of the
    result is unchanged.  Returns ``(x', x_dim, arrays', spec', out_dim)``: ``x'`` is
    batched at ``x_dim`` (or None) and ``x'[idx']`` at ``out_dim``.  With ``force_x``
    (scatters) ``x'`` is always batched."""
    from .rules import move_axis_to_front
    from .shapes import reshape
    if dx is None and force_x:
        x, dx = move_axis_to_front(x, None, size), 0
    if all(d is None for d in das):
        # a leading full slice for the batch axis keeps the advanced block where it was
        x = _move_axis(x, dx, 0)
        spec2 = (("s", 0, size, 1),) + spec
        _, adv_pos, adv_shape = index_layout(_shape(x), spec2, tuple(_shape(a) for a in arrs))
        out_dim = 0 if adv_pos is None or adv_pos > 0 else len(adv_shape)
        return x, 0, list(arrs), spec2, out_dim
    # batched index arrays: their batch axis leads the broadcast index shape
    ranks = [len(_shape(a)) - (d is not None) for a, d in zip(arrs, das)]
    r = max(ranks)
    new = []
    for a, d, k in zip(arrs, das, ranks):
        if d is not None:
            a = move_axis_to_front(a, d)
            s = _shape(a)
            if k < r:
                a = reshape(a, (s[0],) + (1,) * (r - k) + tuple(s[1:]))
        new.append(a)
    if dx is None:
        _, adv_pos, _ = index_layout(_shape(x), spec, tuple(_shape(a) for a in new))
        return x, None, new, spec, adv_pos
    # x batched too: index its batch axis with an arange placed just before the first
    # advanced entry (so adjacent advanced entries stay adjacent)
    adv = [i for i, e in enumerate(spec) if e[0] in "ai"]
    contiguous = adv == list(range(adv[0], adv[-1] + 1))
    pos = adv[0] if contiguous else 0
    xdim = sum(1 for e in spec[:pos] if e[0] != "n")
    k = sum(1 for e in spec[:pos] if e[0] == "a")
    x = _move_axis(x, dx, xdim)
    ar = np.arange(size, dtype=np.int32).reshape((size,) + (1,) * r)
    spec2 = spec[:pos] + (("a",),) + spec[pos:]
    arrs2 = new[:k] + [ar] + new[k:]
    _, adv_pos, _ = index_layout(_shape(x), spec2, tuple(_shape(a) for a in arrs2))
    return x, xdim, arrs2, spec2, adv_pos


def _index_batch(args, dims, *, spec):
    x, *arrs = args
    dx, *das = dims
    size = _batch_size(args, dims)
    x, _, arrs, spec2, out_dim = _batched_index(x, dx, arrs, das, spec, size, force_x=False)
    return index(x, arrs, spec2), out_dim


index_p.batch = _index_batch

# --------------------------------------------------------------------- scatters


def _scatter_aval(name):
    def abstract_eval(x, v, *arrs, spec, unique_indices=False):
        _check_arrays(name, arrs)
        if x.dtype != v.dtype:
            raise TypeError(f"{name}: the update {v.str_short()} must have the operand's dtype "
                            f"({x.str_short()}); cast it first (x.at[...] does this).")
        check_update_shape(name, x.shape, spec, tuple(a.shape for a in arrs), v.shape)
        return ShapedArray(x.shape, x.dtype, x.weak_type)
    return abstract_eval


def check_update_shape(name: str, x_shape: tuple, spec: tuple, arr_shapes: tuple,
                       v_shape: tuple) -> None:
    """Raise a TypeError unless ``v_shape`` broadcasts to the shape of ``x[idx]``."""
    out, _, _ = index_layout(tuple(x_shape), spec, arr_shapes, name)
    if len(v_shape) > len(out) or any(d not in (1, e) for d, e in zip(v_shape[::-1], out[::-1])):
        raise TypeError(f"{name}: the update of shape {tuple(v_shape)} cannot be broadcast to "
                        f"the indexed shape {out} of an operand of shape {tuple(x_shape)}")


def _scatter_impl(ufunc):
    def impl(x, v, *arrs, spec, unique_indices=False):
        out = np.array(x, copy=True)
        idx = _np_index(spec, arrs)
        if ufunc is None:
            out[idx] = v
        elif not arrs:  # basic indexing: no duplicates, the in-place op is exact
            out[idx] = ufunc(out[idx], v)
        else:
            ufunc.at(out, idx, v)
        return out
    return impl


def _scatter_batch(prim):
    def batch(args, dims, *, spec, unique_indices=False):
        from .rules import move_axis_to_front
        from .shapes import reshape
        x, v, *arrs = args
        dx, dv, *das = dims
        size = _batch_size(args, dims)
        x, xdim, arrs2, spec2, p = _batched_index(x, dx, arrs, das, spec, size, force_x=True)
        full, _, _ = index_layout(_shape(x), spec2, tuple(_shape(a) for a in arrs2))
        per = full[:p] + full[p + 1:]  # the per-example indexed shape
        if dv is None:
            s = _shape(v)
            padded = (1,) * (len(per) - len(s)) + tuple(s)
            v = reshape(v, padded[:p] + (1,) + padded[p:])
        else:
            v = move_axis_to_front(v, dv)
            s = _shape(v)
            v = reshape(v, (size,) + (1,) * (len(per) - len(s) + 1) + tuple(s[1:]))
            v = _move_axis(v, 0, p)
        # the batch axis is indexed by a full slice or an arange: unique stays unique
        return scatter(prim, x, v, arrs2, spec2, unique_indices=unique_indices), xdim
    return batch


def _scatter_prim(name, ufunc, method):
    p = Primitive(name)
    p.impl = _scatter_impl(ufunc)
    p.abstract_eval = _scatter_aval(name)
    p.batch = _scatter_batch(p)
    p.lower = lambda x, v, *arrs, spec, unique_indices=False: getattr(
        x.at[_jnp_index(spec, arrs)], method)(v, unique_indices=unique_indices)
    return p


index_add_p = _scatter_prim("index_add", np.add, "add")
index_set_p = _scatter_prim("index_set", None, "set")
index_mul_p = _scatter_prim("index_mul", np.multiply, "multiply")
index_min_p = _scatter_prim("index_min", np.minimum, "min")
index_max_p = _scatter_prim("index_max", np.maximum, "max")


def _unbroadcast(ct, v):
    from .rules import unbroadcast_to
    return unbroadcast_to(ct, _shape(v))


# --------------------------------------------------------------------- where updates land
# A scatter's derivative with respect to its updates is the gathered cotangent, but only
# for update elements that reach the result: under ``jit`` an out-of-bounds update is
# dropped (and the gather back would clamp), and with duplicate indices ``set`` keeps one
# value.  ``_landed`` is a bool mask over the indexed shape ``x[idx]`` (None: everything
# lands).  Concrete index arrays get it in NumPy (out-of-bounds entries clamped so the
# eager ops accept them); traced ones get it traced, decided as the scatter itself decides.


def _concrete(arrs) -> bool:
    return all(type(a) is np.ndarray for a in arrs)


def array_dim_sizes(x_shape: tuple, spec: tuple) -> list:
    sizes, dim = [], 0
    for s in spec:
        if s[0] == "n":
            continue
        if s[0] == "a":
            sizes.append(x_shape[dim])
        dim += 1
    return sizes


def _landed(x_shape: tuple, spec: tuple, arrs: list, winner: bool):
    """``(mask, arrays)``: the mask of landing update elements and index arrays safe to
    use in the rules (concrete out-of-bounds entries clamped)."""
    from .elementwise import bitwise_and, eq, ge, lt
    from .shapes import broadcast_in_dim, reshape
    if not arrs:
        return None, arrs
    out, adv_pos, adv_shape = index_layout(tuple(x_shape), spec, tuple(_shape(a) for a in arrs))
    block = (1,) * adv_pos + tuple(adv_shape) + (1,) * (len(out) - adv_pos - len(adv_shape))
    sizes = array_dim_sizes(tuple(x_shape), spec)
    if _concrete(arrs):
        inb = np.ones((), bool)
        for a, n in zip(arrs, sizes):
            inb = inb & (a >= -n) & (a < n)
        if not inb.all():
            arrs = [np.clip(a, -n, n - 1) for a, n in zip(arrs, sizes)]
        mask = np.broadcast_to(inb.reshape(block), out)
        if winner:  # NumPy's rule: the last of the duplicates (the largest id) wins
            ids = np.arange(int(np.prod(out)), dtype=np.int64).reshape(out)
            idx = _np_index(spec, arrs)
            tgt = np.full(x_shape, -1, np.int64)
            np.maximum.at(tgt, idx, np.where(mask, ids, -1))
            mask = mask & (tgt[idx] == ids)
        return (None if mask.all() else mask), arrs
    if winner:  # scatter ids as the values were scattered; the ids that come back won
        ids = np.arange(int(np.prod(out)), dtype=np.int32).reshape(out)
        tgt = index_set(np.full(x_shape, -1, np.int32), ids, arrs, spec)
        return eq(index(tgt, arrs, spec), ids), arrs
    inb = None
    for a, n in zip(arrs, sizes):
        ok = bitwise_and(ge(a, np.asarray(-n, a.dtype)), lt(a, np.asarray(n, a.dtype)))
        inb = ok if inb is None else bitwise_and(inb, ok)
    shape = _shape(inb)
    inb = reshape(inb, block[:adv_pos] + (1,) * (len(adv_shape) - len(shape)) + tuple(shape)
                  + block[adv_pos + len(adv_shape):])
    return broadcast_in_dim(inb, out, tuple(range(len(out)))), arrs


landing_mask = _landed  # for x.at[idx].get(mode="fill") in fnp


def _where_landed(mask, g):
    from .elementwise import select_n, zeros_like
    return g if mask is None else select_n(mask, zeros_like(g), g)


def _gather_updates_ct(g, v, x_shape, arrs, spec, winner: bool):
    """The cotangent of a scatter's updates ``v``: ``g[idx]`` where the update landed."""
    mask, arrs = _landed(x_shape, spec, arrs, winner)
    return _unbroadcast(_where_landed(mask, index(g, arrs, spec)), v)


def _index_add_jvp(primals, tangents, ans, *, spec, unique_indices=False):
    from .elementwise import zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tv is None:
        return tx
    return index_add(zeros_like(x) if tx is None else tx, tv, arrs, spec)


def _index_add_vjp(g, ans, args, needs, *, spec, unique_indices=False):
    x, v, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        cts[0] = g
    if needs[1]:
        cts[1] = _gather_updates_ct(g, v, _shape(x), arrs, spec, winner=False)
    return cts


def _index_set_jvp(primals, tangents, ans, *, spec, unique_indices=False):
    from .elementwise import _c, zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tx is None and tv is None:
        return None
    tx = zeros_like(x) if tx is None else tx
    tv = _c(tx, 0) if tv is None else tv
    return index_set(tx, tv, arrs, spec)


def _dropping_set(g, x_shape, arrs, spec, value):
    """``g`` set to ``value`` at ``idx``, out-of-bounds concrete entries dropped."""
    from .elementwise import _c, select_n
    mask, safe = _landed(x_shape, spec, arrs, winner=False) if _concrete(arrs) else (None, 0)
    if mask is None:
        return index_set(g, _c(g, value), arrs, spec)
    # concrete indices with out-of-bounds entries (only under jit): drop them by hand
    keep = np.zeros(x_shape, bool)
    np.logical_or.at(keep, _np_index(spec, safe), mask)
    return select_n(keep, g, np.broadcast_to(_c(g, value), x_shape))


def _index_set_vjp(g, ans, args, needs, *, spec, unique_indices=False):
    x, v, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        cts[0] = _dropping_set(g, _shape(x), arrs, spec, 0)
    if needs[1]:
        cts[1] = _gather_updates_ct(g, v, _shape(x), arrs, spec, winner=True)
    return cts


index_add_p.jvp = _index_add_jvp
index_add_p.vjp = _index_add_vjp
index_set_p.jvp = _index_set_jvp
index_set_p.vjp = _index_set_vjp


# --------------------------------------------------------------------- at[].min / .max / .multiply


def _extremal_coefs(x, v, ans, arrs, spec):
    """Derivative weights of ``x.at[idx].max(v)`` (or min): every value equal to the
    result shares its derivative evenly, as in JAX.  Returns ``(cx, cv, arrs)``:
    weights over ``x``, over the indexed shape, and safe index arrays."""
    from .elementwise import convert_element_type, div, eq, select_n, zeros_like
    from .elementwise import add as add_
    dt = _dtype(x)
    mask, arrs = _landed(_shape(x), spec, arrs, winner=False)
    won = eq(v, index(ans, arrs, spec))
    won = convert_element_type(won if mask is None else select_n(mask, np.zeros((), bool), won),
                               dt)
    kept = convert_element_type(eq(x, ans), dt)
    n = add_(index_add(zeros_like(x), won, arrs, spec), kept)  # >= 1 wherever ans is finite
    return div(kept, n), div(won, index(n, arrs, spec)), arrs


def _dtype(x):
    return x.aval.dtype if hasattr(x, "aval") else np.result_type(x)


def _extremal_jvp(primals, tangents, ans, *, spec, unique_indices=False):
    from .elementwise import add, mul, zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tx is None and tv is None:
        return None
    cx, cv, arrs = _extremal_coefs(x, v, ans, arrs, spec)
    out = None if tx is None else mul(cx, tx)
    if tv is not None:
        tv_part = index_add(zeros_like(x), mul(cv, tv), arrs, spec)
        out = tv_part if out is None else add(out, tv_part)
    return out


def _extremal_vjp(g, ans, args, needs, *, spec, unique_indices=False):
    from .elementwise import mul
    x, v, *arrs = args
    cts = [None] * len(args)
    cx, cv, arrs = _extremal_coefs(x, v, ans, arrs, spec)
    if needs[0]:
        cts[0] = mul(g, cx)
    if needs[1]:
        cts[1] = _unbroadcast(mul(index(g, arrs, spec), cv), v)
    return cts


def _require_unique(x_shape: tuple, spec: tuple, arrs: list, hinted: bool) -> None:
    """The updates' derivative of ``at[].multiply`` is implemented for unique indices
    only (as in JAX).  Concrete indices are checked, hint or not; traced ones cannot
    be, so they need the ``unique_indices=True`` hint, which is trusted (as JAX)."""
    if not arrs:
        return
    msg = ("the derivative of x.at[idx].multiply (also .divide and .power) with respect to "
           "the update values is implemented only for unique indices")
    if not _concrete(arrs):
        if hinted:
            return
        raise NotImplementedError(f"{msg}, and traced index arrays cannot be checked; pass "
                                  "unique_indices=True to x.at[idx].multiply if they are "
                                  "unique (it is trusted, as in JAX), pass the indices as a "
                                  "concrete (NumPy) array, or differentiate with respect to x "
                                  "only.")
    mask, safe = _landed(tuple(x_shape), spec, arrs, winner=False)
    counts = np.zeros(x_shape, np.int64)
    out, _, _ = index_layout(tuple(x_shape), spec, tuple(np.shape(a) for a in safe))
    np.add.at(counts, _np_index(spec, safe), np.ones(out, np.int64) if mask is None else mask)
    if (counts > 1).any():
        raise NotImplementedError(f"{msg}; these indices repeat. Combine the repeated updates "
                                  "first (e.g. multiply them together) or use unique indices.")


def _index_mul_jvp(primals, tangents, ans, *, spec, unique_indices=False):
    from .elementwise import add, mul, zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tx is None and tv is None:
        return None
    out = None if tx is None else index_mul(tx, v, arrs, spec, unique_indices=unique_indices)
    if tv is not None:
        _require_unique(_shape(x), spec, arrs, unique_indices)
        tv_part = mul(x, index_add(zeros_like(x), tv, arrs, spec))
        out = tv_part if out is None else add(out, tv_part)
    return out


def _index_mul_vjp(g, ans, args, needs, *, spec, unique_indices=False):
    from .elementwise import mul
    x, v, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        cts[0] = index_mul(g, v, arrs, spec, unique_indices=unique_indices)
    if needs[1]:
        _require_unique(_shape(x), spec, arrs, unique_indices)
        cts[1] = _gather_updates_ct(mul(g, x), v, _shape(x), arrs, spec, winner=False)
    return cts


def index_mul(x, v, arrays, spec: tuple, *, unique_indices: bool = False):
    """``x`` multiplied by ``v`` at ``x[idx]`` (duplicates multiply in turn);
    ``unique_indices`` as in :func:`scatter`.

    >>> import numpy as np
    >>> index_mul(np.ones(3), np.full(2, 3.0), [np.array([1, 1])], (("a",),))
    array([1., 9., 1.])
    """
    return scatter(index_mul_p, x, v, arrays, spec, unique_indices=unique_indices)


index_max_p.jvp = index_min_p.jvp = _extremal_jvp
index_max_p.vjp = index_min_p.vjp = _extremal_vjp
index_mul_p.jvp = _index_mul_jvp
index_mul_p.vjp = _index_mul_vjp
