"""Shape primitives: broadcast_in_dim, reshape, transpose, ...

Every primitive here is linear, so its VJP is its transpose.
"""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from .rules import defjvp, defvjp


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


def _bid_impl(x, *, shape, broadcast_dimensions):
    x = np.asarray(x)
    expanded = [1] * len(shape)
    for i, d in enumerate(broadcast_dimensions):
        expanded[d] = x.shape[i]
    return np.broadcast_to(x.reshape(expanded), shape)


def _bid_aval(a, *, shape, broadcast_dimensions):
    if len(broadcast_dimensions) != a.ndim or any(
            a.shape[i] not in (1, shape[d]) for i, d in enumerate(broadcast_dimensions)):
        raise TypeError(f"broadcast_in_dim: cannot broadcast operand {a.str_short()} to shape "
                        f"{shape} with broadcast_dimensions={broadcast_dimensions}")
    return ShapedArray(shape, a.dtype, a.weak_type)


def _bid_transpose(g, ans, x, *, shape, broadcast_dimensions):
    from .reductions import reduce_sum
    xshape = _shape(x)
    summed = tuple(d for d in range(len(shape)) if d not in broadcast_dimensions)
    expanded = tuple(d for i, d in enumerate(broadcast_dimensions)
                     if xshape[i] == 1 and shape[d] != 1)
    ct = reduce_sum(g, summed + expanded) if summed or expanded else g
    return reshape(ct, xshape) if _shape(ct) != tuple(xshape) else ct


def _bid_batch(args, dims, *, shape, broadcast_dimensions):
    (x,), (d,) = args, dims
    from .rules import move_axis_to_front
    x = move_axis_to_front(x, d)
    b = _shape(x)[0]
    return broadcast_in_dim(x, (b,) + tuple(shape),
                            (0,) + tuple(i + 1 for i in broadcast_dimensions)), 0


broadcast_in_dim_p.impl = _bid_impl
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
    from .rules import move_axis_to_front
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
