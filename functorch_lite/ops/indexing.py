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
    def abstract_eval(x, v, *arrs, spec):
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
    def impl(x, v, *arrs, spec):
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
    def batch(args, dims, *, spec):
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
        return bind(prim, x, v, *arrs2, spec=spec2), xdim
    return batch


def _scatter_prim(name, ufunc, method):
    p = Primitive(name)
    p.impl = _scatter_impl(ufunc)
    p.abstract_eval = _scatter_aval(name)
    p.batch = _scatter_batch(p)
    p.lower = lambda x, v, *arrs, spec: getattr(x.at[_jnp_index(spec, arrs)], method)(v)
    return p


index_add_p = _scatter_prim("index_add", np.add, "add")
index_set_p = _scatter_prim("index_set", None, "set")
index_mul_p = _scatter_prim("index_mul", np.multiply, "multiply")
index_min_p = _scatter_prim("index_min", np.minimum, "min")
index_max_p = _scatter_prim("index_max", np.maximum, "max")


def _unbroadcast(ct, v):
    from .rules import unbroadcast_to
    return unbroadcast_to(ct, _shape(v))


def _index_add_jvp(primals, tangents, ans, *, spec):
    from .elementwise import zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tv is None:
        return tx
    return index_add(zeros_like(x) if tx is None else tx, tv, arrs, spec)


def _index_add_vjp(g, ans, args, needs, *, spec):
    x, v, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        cts[0] = g
    if needs[1]:
        cts[1] = _unbroadcast(index(g, arrs, spec), v)
    return cts


def _index_set_jvp(primals, tangents, ans, *, spec):
    from .elementwise import _c, zeros_like
    x, v, *arrs = primals
    tx, tv = tangents[:2]
    if tx is None and tv is None:
        return None
    tx = zeros_like(x) if tx is None else tx
    tv = _c(tx, 0) if tv is None else tv
    return index_set(tx, tv, arrs, spec)


def _index_set_vjp(g, ans, args, needs, *, spec):
    from .elementwise import _c
    x, v, *arrs = args
    cts = [None] * len(args)
    if needs[0]:
        cts[0] = index_set(g, _c(g, 0), arrs, spec)
    if needs[1]:
        cts[1] = _unbroadcast(index(g, arrs, spec), v)
    return cts


index_add_p.jvp = _index_add_jvp
index_add_p.vjp = _index_add_vjp
index_set_p.jvp = _index_set_jvp
index_set_p.vjp = _index_set_vjp
