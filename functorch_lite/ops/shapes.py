"""Shape primitives: broadcast_in_dim, reshape, transpose, ...

Every primitive here is linear, so its VJP is its transpose.
"""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from .rules import defjvp, defvjp, move_axis_to_front


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def broadcast_in_dim(x, shape: tuple, broadcast_dimensions: tuple):
    return bind(broadcast_in_dim_p, x, shape=tuple(shape),
                broadcast_dimensions=tuple(broadcast_dimensions))


def reshape(x, new_sizes: tuple):
    return bind(reshape_p, x, new_sizes=tuple(new_sizes))


def transpose(x, permutation: tuple):
    return bind(transpose_p, x, permutation=tuple(permutation))


# --- broadcast_in_dim: operand dim i goes to output dim broadcast_dimensions[i]
broadcast_in_dim_p = Primitive("broadcast_in_dim")


def _prod_small(shape) -> bool:
    n = 1
    for d in shape:
        n *= d
    return n <= 4096


def _bid_impl(x, *, shape, broadcast_dimensions):
    x = np.asarray(x)
    if not x.shape and _prod_small(shape):  # a scalar to a small array: fill (cheaper)
        out = np.empty(shape, x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x.reshape(_expanded(x.shape, shape, broadcast_dimensions)), shape)


def _expanded(xshape, shape, broadcast_dimensions) -> tuple:
    """The operand's shape with size-1 axes where ``shape`` has axes it lacks."""
    expanded = [1] * len(shape)
    for i, d in enumerate(broadcast_dimensions):
        expanded[d] = xshape[i]
    return tuple(expanded)


def _bid_aval(a, *, shape, broadcast_dimensions):
    if len(broadcast_dimensions) != a.ndim or any(
            a.shape[i] not in (1, shape[d]) for i, d in enumerate(broadcast_dimensions)):
        raise TypeError(f"broadcast_in_dim: cannot broadcast operand {a.str_short()} to shape "
                        f"{shape} with broadcast_dimensions={broadcast_dimensions}")
    return ShapedArray(shape, a.dtype, a.weak_type)


def _bid_transpose(g, ans, x, *, shape, broadcast_dimensions):
    reduce_sum = _reductions.reduce_sum
    xshape = _shape(x)
    summed = tuple(d for d in range(len(shape)) if d not in broadcast_dimensions)
    expanded = tuple(d for i, d in enumerate(broadcast_dimensions)
                     if xshape[i] == 1 and shape[d] != 1)
    ct = reduce_sum(g, summed + expanded) if summed or expanded else g
    return reshape(ct, xshape) if _shape(ct) != tuple(xshape) else ct


def _bid_batch(args, dims, *, shape, broadcast_dimensions):
    (x,), (d,) = args, dims
    x = move_axis_to_front(x, d)
    b = _shape(x)[0]
    return broadcast_in_dim(x, (b,) + tuple(shape),
                            (0,) + tuple(i + 1 for i in broadcast_dimensions)), 0


def _bid_specialize(a, *, shape, broadcast_dimensions):
    """``_bid_impl`` with its branch taken and the operand's expanded shape made once."""
    if not a.shape and _prod_small(shape):
        dt = a.dtype

        def fill(x):
            out = np.empty(shape, dt)
            out[...] = x
            return out
        return fill
    expanded = _expanded(a.shape, shape, broadcast_dimensions)
    return lambda x: np.broadcast_to(np.reshape(x, expanded), shape)


broadcast_in_dim_p.impl = _bid_impl
broadcast_in_dim_p.specialize = _bid_specialize
broadcast_in_dim_p.abstract_eval = _bid_aval
broadcast_in_dim_p.lower = lambda x, *, shape, broadcast_dimensions: lax.broadcast_in_dim(
    x, shape, broadcast_dimensions)
broadcast_in_dim_p.batch = _bid_batch
defjvp(broadcast_in_dim_p, lambda t, ans, x, **p: broadcast_in_dim(t, **p))
defvjp(broadcast_in_dim_p, _bid_transpose)

# --- reshape
reshape_p = Primitive("reshape")


def _reshape_aval(a, *, new_sizes):
    if int(np.prod(new_sizes, dtype=np.int64)) != a.size:
        raise TypeError(f"reshape: cannot reshape {a.str_short()} ({a.size} elements) to "
                        f"shape {tuple(new_sizes)}")
    return ShapedArray(new_sizes, a.dtype, a.weak_type)


reshape_p.impl = lambda x, *, new_sizes: np.reshape(x, new_sizes)
reshape_p.abstract_eval = _reshape_aval
reshape_p.lower = lambda x, *, new_sizes: lax.reshape(x, new_sizes)


def _reshape_batch(args, dims, *, new_sizes):
    x = move_axis_to_front(args[0], dims[0])
    return reshape(x, (_shape(x)[0],) + tuple(new_sizes)), 0


reshape_p.batch = _reshape_batch
defjvp(reshape_p, lambda t, ans, x, *, new_sizes: reshape(t, new_sizes))
defvjp(reshape_p, lambda g, ans, x, *, new_sizes: reshape(g, _shape(x)))

# --- transpose
transpose_p = Primitive("transpose")


def _transpose_aval(a, *, permutation):
    if sorted(permutation) != list(range(a.ndim)):
        raise TypeError(f"transpose: permutation {permutation} is not a permutation of the "
                        f"axes of {a.str_short()}")
    return ShapedArray(tuple(a.shape[i] for i in permutation), a.dtype, a.weak_type)


transpose_p.impl = lambda x, *, permutation: np.transpose(x, permutation)
transpose_p.abstract_eval = _transpose_aval
transpose_p.lower = lambda x, *, permutation: lax.transpose(x, permutation)
transpose_p.batch = lambda args, dims, *, permutation: (
    transpose(args[0], _batched_perm(permutation, dims[0])), dims[0])


def _batched_perm(perm, d):
    shifted = [p + (p >= d) for p in perm]
    shifted.insert(d, d)
    return tuple(shifted)


defjvp(transpose_p, lambda t, ans, x, *, permutation: transpose(t, permutation))
defvjp(transpose_p, lambda g, ans, x, *, permutation: transpose(g, tuple(np.argsort(permutation))))


# ============================================================================ more shape ops
# squeeze, expand_dims, slice, rev, concatenate, pad, iota.  All but iota are linear in
# their array operands, so each VJP is the transpose (slice <-> pad, rev <-> rev, ...).

def _ew():
    from . import elementwise  # noqa: PLC0415 (the families reference each other)
    return elementwise


def _dtype(x):
    return x.aval.dtype if hasattr(x, "aval") else np.result_type(x)


def _norm_dims(dims, ndim: int, name: str) -> tuple:
    out = []
    for d in dims:
        d = int(d)
        if not -ndim <= d < ndim:
            raise TypeError(f"{name}: dimension {d} is out of range for an operand of rank "
                            f"{ndim}")
        out.append(d % ndim if ndim else d)
    return tuple(out)


def squeeze(x, dimensions: tuple):
    """Remove the size-1 ``dimensions`` of ``x`` (as ``jax.lax.squeeze``).

    >>> squeeze(np.zeros((1, 3, 1)), (0, 2)).shape
    (3,)
    """
    dims = _norm_dims(dimensions, len(_shape(x)), "squeeze")
    if not dims:
        return x
    return bind(squeeze_p, x, dimensions=tuple(sorted(set(dims))))


def expand_dims(x, dimensions: tuple):
    """Insert size-1 axes at ``dimensions`` (positions in the result), via ``reshape``.

    >>> expand_dims(np.zeros(3), (0, 2)).shape
    (1, 3, 1)
    """
    shape = list(_shape(x))
    nd = len(shape) + len(dimensions)
    dims = sorted(_norm_dims(dimensions, nd, "expand_dims"))
    if len(set(dims)) != len(dims):
        raise TypeError(f"expand_dims: repeated dimension in {tuple(dimensions)}")
    for d in dims:
        shape.insert(d, 1)
    return reshape(x, tuple(shape))


def slice(x, start_indices: tuple, limit_indices: tuple, strides: tuple | None = None):  # noqa: A001
    """``x[start:limit:stride, ...]`` with static bounds (as ``jax.lax.slice``).

    >>> slice(np.arange(10), (1,), (8,), (3,))
    array([1, 4, 7])
    """
    nd = len(_shape(x))
    strides = (1,) * nd if strides is None else tuple(int(s) for s in strides)
    return bind(slice_p, x, start_indices=tuple(int(s) for s in start_indices),
                limit_indices=tuple(int(s) for s in limit_indices), strides=strides)


def slice_in_dim(x, start: int, limit: int, stride: int = 1, axis: int = 0):
    """``slice`` along the single dimension ``axis`` (as ``jax.lax.slice_in_dim``).

    >>> slice_in_dim(np.arange(6).reshape(2, 3), 1, 3, axis=1)
    array([[1, 2],
           [4, 5]])
    """
    shape = _shape(x)
    axis = _norm_dims((axis,), len(shape), "slice_in_dim")[0]
    start_i = [0] * len(shape)
    limit_i = list(shape)
    strides = [1] * len(shape)
    start_i[axis], limit_i[axis], strides[axis] = start, limit, stride
    return slice(x, start_i, limit_i, strides)


def rev(x, dimensions: tuple):
    """Reverse ``x`` along ``dimensions`` (as ``jax.lax.rev``).

    >>> rev(np.arange(3), (0,))
    array([2, 1, 0])
    """
    dims = _norm_dims(dimensions, len(_shape(x)), "rev")
    if not dims:
        return x
    return bind(rev_p, x, dimensions=tuple(sorted(set(dims))))


def concatenate(operands, dimension: int):
    """Join arrays of one dtype and rank along ``dimension`` (as ``jax.lax.concatenate``).

    >>> concatenate([np.zeros(2), np.ones(1)], 0)
    array([0., 0., 1.])
    """
    operands = list(operands)
    if not operands:
        raise TypeError("concatenate: needs at least one operand")
    if len(operands) == 1:
        return operands[0]
    return bind(concatenate_p, *operands, dimension=int(dimension))


def pad(x, padding_value, padding_config):
    """Pad ``x`` with the scalar ``padding_value``; ``padding_config`` holds one
    ``(low, high, interior)`` triple per dimension (low/high may be negative, which crops),
    as ``jax.lax.pad``.

    >>> pad(np.array([1, 2]), np.int64(0), [(1, 2, 1)])
    array([0, 1, 0, 2, 0, 0])
    """
    config = tuple((int(lo), int(hi), int(i)) for lo, hi, i in padding_config)
    return bind(pad_p, x, padding_value, padding_config=config)


def iota(dtype, size: int):
    """``[0, 1, ..., size-1]`` of ``dtype`` (as ``jax.lax.iota``).

    >>> iota(np.int32, 3)
    array([0, 1, 2], dtype=int32)
    """
    return broadcasted_iota(dtype, (int(size),), 0)


def broadcasted_iota(dtype, shape: tuple, dimension: int):
    """An array of ``shape`` counting up along ``dimension`` (as ``jax.lax.broadcasted_iota``).

    >>> broadcasted_iota(np.int32, (2, 3), 1)
    array([[0, 1, 2],
           [0, 1, 2]], dtype=int32)
    """
    shape = tuple(int(d) for d in shape)
    return bind(iota_p, dtype=np.dtype(dtype), shape=shape,
                dimension=_norm_dims((dimension,), len(shape), "iota")[0])


def _zeros_of(x):
    return _ew().zeros_like(x)


# --- squeeze
squeeze_p = Primitive("squeeze")


def _squeeze_aval(a, *, dimensions):
    for d in dimensions:
        if not 0 <= d < a.ndim or a.shape[d] != 1:
            raise TypeError(f"squeeze: cannot squeeze dimension {d} of operand {a.str_short()}"
                            " (only dimensions of size 1 can be removed)")
    return ShapedArray(tuple(s for i, s in enumerate(a.shape) if i not in dimensions),
                       a.dtype, a.weak_type)


def _squeeze_batch(args, dims, *, dimensions):
    x = move_axis_to_front(args[0], dims[0])
    return squeeze(x, tuple(d + 1 for d in dimensions)), 0


squeeze_p.impl = lambda x, *, dimensions: np.squeeze(x, axis=dimensions)
squeeze_p.abstract_eval = _squeeze_aval
squeeze_p.lower = lambda x, *, dimensions: lax.squeeze(x, dimensions)
squeeze_p.batch = _squeeze_batch
defjvp(squeeze_p, lambda t, ans, x, *, dimensions: squeeze(t, dimensions))
defvjp(squeeze_p, lambda g, ans, x, *, dimensions: reshape(g, _shape(x)))

# --- slice
slice_p = Primitive("slice")


def _slice_len(start: int, limit: int, stride: int) -> int:
    return max(0, -(-(limit - start) // stride))


def _slice_aval(a, *, start_indices, limit_indices, strides):
    if not (len(start_indices) == len(limit_indices) == len(strides) == a.ndim):
        raise TypeError(f"slice: start_indices {start_indices}, limit_indices {limit_indices} "
                        f"and strides {strides} must each have one entry per dimension of the "
                        f"operand {a.str_short()}")
    for s, l, st, d in zip(start_indices, limit_indices, strides, a.shape):
        if not (0 <= s <= l <= d) or st < 1:
            raise TypeError(f"slice: bounds start={start_indices}, limit={limit_indices}, "
                            f"strides={strides} are invalid for operand {a.str_short()} (need "
                            "0 <= start <= limit <= dim and stride >= 1)")
    shape = tuple(_slice_len(s, l, st) for s, l, st in zip(start_indices, limit_indices, strides))
    return ShapedArray(shape, a.dtype, a.weak_type)


def _slice_impl(x, *, start_indices, limit_indices, strides):
    import builtins
    x = np.asarray(x)
    _slice_aval(ShapedArray(x.shape, x.dtype), start_indices=start_indices,  # eager checks
                limit_indices=limit_indices, strides=strides)
    return x[tuple(builtins.slice(s, l, st)
                   for s, l, st in zip(start_indices, limit_indices, strides))]


def _slice_transpose(g, ans, x, *, start_indices, limit_indices, strides):
    # the cotangent is g scattered back into zeros: pad with the gaps between strides
    xshape = _shape(x)
    config = []
    for s, l, st, d in zip(start_indices, limit_indices, strides, xshape):
        n = _slice_len(s, l, st)
        last = s + (n - 1) * st + 1 if n else s
        config.append((s, d - last, st - 1))
    return pad(g, _ew()._c(g, 0), config)


def _slice_batch(args, dims, *, start_indices, limit_indices, strides):
    x = move_axis_to_front(args[0], dims[0])
    b = _shape(x)[0]
    return slice(x, (0,) + start_indices, (b,) + limit_indices, (1,) + strides), 0


slice_p.impl = _slice_impl
slice_p.abstract_eval = _slice_aval
slice_p.lower = lambda x, *, start_indices, limit_indices, strides: lax.slice(
    x, start_indices, limit_indices, strides)
slice_p.batch = _slice_batch
defjvp(slice_p, lambda t, ans, x, **p: slice(t, **p))
defvjp(slice_p, _slice_transpose)

# --- rev
rev_p = Primitive("rev")


def _rev_aval(a, *, dimensions):
    _norm_dims(dimensions, a.ndim, "rev")
    return a


def _rev_batch(args, dims, *, dimensions):
    x = move_axis_to_front(args[0], dims[0])
    return rev(x, tuple(d + 1 for d in dimensions)), 0


rev_p.impl = lambda x, *, dimensions: np.flip(x, dimensions)
rev_p.abstract_eval = _rev_aval
rev_p.lower = lambda x, *, dimensions: lax.rev(x, dimensions)
rev_p.batch = _rev_batch
defjvp(rev_p, lambda t, ans, x, *, dimensions: rev(t, dimensions))
defvjp(rev_p, lambda g, ans, x, *, dimensions: rev(g, dimensions))

# --- concatenate
concatenate_p = Primitive("concatenate")


def _concat_aval(*avals, dimension):
    a0 = avals[0]
    if not 0 <= dimension < a0.ndim:
        raise TypeError(f"concatenate: dimension {dimension} is out of range for operand 0 "
                        f"{a0.str_short()} (concatenate needs arrays of rank >= 1)")
    for i, a in enumerate(avals[1:], 1):
        if a.dtype != a0.dtype:
            raise TypeError(f"concatenate: operand {i} has dtype {a.dtype} but operand 0 has "
                            f"{a0.dtype}; promote them to one dtype first")
        if a.ndim != a0.ndim or any(s != t for k, (s, t) in enumerate(zip(a.shape, a0.shape))
                                    if k != dimension):
            raise TypeError(f"concatenate: operand {i} has shape {a.shape} but operand 0 has "
                            f"{a0.shape}; all dimensions except dimension {dimension} must "
                            "match (reshape or broadcast the operands first)")
    shape = list(a0.shape)
    shape[dimension] = sum(a.shape[dimension] for a in avals)
    return ShapedArray(tuple(shape), a0.dtype, all(a.weak_type for a in avals))


def _concat_jvp(primals, tangents, ans, *, dimension):
    if all(t is None for t in tangents):
        return None
    ts = [_zeros_of(x) if t is None else t for x, t in zip(primals, tangents)]
    return concatenate(ts, dimension)


def _concat_vjp(g, ans, args, needs, *, dimension):
    cts = []
    start = 0
    for x, need in zip(args, needs):
        n = _shape(x)[dimension]
        cts.append(slice_in_dim(g, start, start + n, 1, dimension) if need else None)
        start += n
    return cts


def _concat_batch(args, dims, *, dimension):
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    xs = [move_axis_to_front(a, d, size) for a, d in zip(args, dims)]
    return concatenate(xs, dimension + 1), 0




def _concat_impl(*xs, dimension):
    xs = [np.asarray(x) for x in xs]
    if any(x.dtype != xs[0].dtype for x in xs):  # NumPy would promote silently
        _concat_aval(*(ShapedArray(x.shape, x.dtype) for x in xs), dimension=dimension)
    return np.concatenate(xs, axis=dimension)


concatenate_p.impl = _concat_impl
concatenate_p.abstract_eval = _concat_aval
concatenate_p.lower = lambda *xs, dimension: lax.concatenate(xs, dimension)
concatenate_p.jvp = _concat_jvp
concatenate_p.vjp = _concat_vjp
concatenate_p.batch = _concat_batch

# --- pad: operand and a scalar padding value
pad_p = Primitive("pad")


def _pad_dim(d: int, lo: int, hi: int, interior: int) -> int:
    return lo + hi + d + max(d - 1, 0) * interior


def _pad_aval(a, pv, *, padding_config):
    if pv.shape != () or pv.dtype != a.dtype:
        raise TypeError(f"pad: the padding value must be a scalar of the operand's dtype "
                        f"{a.dtype}, got {pv.str_short()}")
    if len(padding_config) != a.ndim:
        raise TypeError(f"pad: padding_config {padding_config} needs one (low, high, interior) "
                        f"triple per dimension of the operand {a.str_short()}")
    shape = []
    for d, (lo, hi, i) in zip(a.shape, padding_config):
        n = _pad_dim(d, lo, hi, i)
        if i < 0 or n < 0:
            raise TypeError(f"pad: padding_config {padding_config} is invalid for operand "
                            f"{a.str_short()} (interior padding must be >= 0 and negative "
                            "low/high padding cannot remove more than the padded dimension)")
        shape.append(n)
    return ShapedArray(tuple(shape), a.dtype, a.weak_type)


def _pad_impl(x, pv, *, padding_config):
    import builtins
    x = np.asarray(x)
    _pad_aval(ShapedArray(x.shape, x.dtype), ShapedArray(np.shape(pv), np.result_type(pv)),
              padding_config=padding_config)  # the shape checks, eagerly too
    grown = [_pad_dim(d, max(lo, 0), max(hi, 0), i)
             for d, (lo, hi, i) in zip(x.shape, padding_config)]
    out = np.full(grown, pv, dtype=x.dtype)
    out[tuple(builtins.slice(max(lo, 0), max(lo, 0) + _pad_dim(d, 0, 0, i), i + 1)
              for d, (lo, hi, i) in zip(x.shape, padding_config))] = x
    return out[tuple(builtins.slice(max(-lo, 0), n - max(-hi, 0))
                     for n, (lo, hi, i) in zip(grown, padding_config))]


def _pad_jvp(primals, tangents, ans, *, padding_config):
    (x, _), (tx, tpv) = primals, tangents
    if tx is None and tpv is None:
        return None
    tx = _zeros_of(x) if tx is None else tx
    tpv = _ew()._c(tx, 0) if tpv is None else tpv
    return pad(tx, tpv, padding_config)


def _pad_operand_ct(g, padding_config):
    # crop the edges (a pad by the negated low/high), then drop the interior with a stride
    unpadded = pad(g, _ew()._c(g, 0), [(-lo, -hi, 0) for lo, hi, _ in padding_config])
    shape = _shape(unpadded)
    return slice(unpadded, (0,) * len(shape), shape, tuple(i + 1 for _, _, i in padding_config))


def _pad_vjp(g, ans, args, needs, *, padding_config):
    reduce_sum = _reductions.reduce_sum
    ct_x = _pad_operand_ct(g, padding_config) if any(needs) else None
    ct_pv = None
    if needs[1]:
        nd = len(_shape(g))
        ct_pv = _ew().sub(reduce_sum(g, tuple(range(nd))), reduce_sum(ct_x, tuple(range(nd))))
    return [ct_x if needs[0] else None, ct_pv]


def _pad_batch(args, dims, *, padding_config):
    (x, pv), (dx, dpv) = args, dims
    config = ((0, 0, 0),) + tuple(padding_config)
    if dpv is None:
        return pad(move_axis_to_front(x, dx), pv, config), 0
    # a batched padding value: pad with zeros, then select it where the padding is
    ew = _ew()
    size = _shape(pv)[dpv]
    x = move_axis_to_front(x, dx, size)
    padded = pad(x, ew._c(x, 0), config)
    xshape = _shape(x)
    mask = pad(broadcast_in_dim(np.bool_(False), xshape, ()), np.bool_(True), config)
    out_shape = _shape(padded)
    pvb = broadcast_in_dim(move_axis_to_front(pv, dpv), out_shape, (0,))
    return ew.select_n(mask, padded, pvb), 0


pad_p.impl = _pad_impl
pad_p.abstract_eval = _pad_aval
pad_p.lower = lambda x, pv, *, padding_config: lax.pad(x, pv, padding_config)
pad_p.jvp = _pad_jvp
pad_p.vjp = _pad_vjp
pad_p.batch = _pad_batch

# --- iota: no operands, so it always evaluates at once (a constant in any trace)
iota_p = Primitive("iota")


def _iota_impl(*, dtype, shape, dimension):
    expanded = [1] * len(shape)
    expanded[dimension] = shape[dimension]
    r = np.arange(shape[dimension], dtype=dtype).reshape(expanded)
    return np.ascontiguousarray(np.broadcast_to(r, shape))


def _iota_aval(*, dtype, shape, dimension):
    if not 0 <= dimension < len(shape) or any(d < 0 for d in shape):
        raise TypeError(f"iota: dimension {dimension} / shape {shape} are invalid")
    return ShapedArray(shape, dtype, False)


iota_p.impl = _iota_impl
iota_p.abstract_eval = _iota_aval
iota_p.lower = lambda *, dtype, shape, dimension: lax.broadcasted_iota(dtype, shape, dimension)
iota_p.jvp = lambda primals, tangents, ans, **p: None
iota_p.vjp = lambda g, ans, args, needs, **p: []
iota_p.batch = lambda args, dims, **p: (bind(iota_p, **p), None)

from . import reductions as _reductions  # noqa: E402  (it uses this module's helpers)
