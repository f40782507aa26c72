"""Reductions: reduce_sum, reduce_max, reduce_min, reduce_prod, argmax, ..."""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from .rules import defjvp, defvjp


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def reduce_sum(x, axes: tuple):
    return bind(reduce_sum_p, x, axes=tuple(sorted(axes)))


def _reduce_aval(name):
    def abstract_eval(a, *, axes):
        for ax in axes:
            if not 0 <= ax < a.ndim:
                raise TypeError(f"{name}: axis {ax} is out of range for operand {a.str_short()}")
        return ShapedArray(tuple(d for i, d in enumerate(a.shape) if i not in axes), a.dtype,
                           a.weak_type)
    return abstract_eval


def _reduce_batch(prim):
    def batch(args, dims, *, axes, **params):
        d = dims[0]
        new_axes = tuple(a + (a >= d) for a in axes)
        out_d = d - sum(1 for a in new_axes if a < d)
        return bind(prim, args[0], axes=tuple(sorted(new_axes)), **params), out_d
    return batch


reduce_sum_p = Primitive("reduce_sum")
reduce_sum_p.impl = lambda x, *, axes: np.asarray(np.sum(x, axis=axes, dtype=np.asarray(x).dtype))
reduce_sum_p.abstract_eval = _reduce_aval("reduce_sum")
reduce_sum_p.lower = lambda x, *, axes: lax.reduce_sum(x, axes) if axes else x
reduce_sum_p.batch = _reduce_batch(reduce_sum_p)


def _sum_transpose(g, ans, x, *, axes):
    from .shapes import broadcast_in_dim
    shape = _shape(x)
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    return broadcast_in_dim(g, shape, kept)


defjvp(reduce_sum_p, lambda t, ans, x, *, axes: reduce_sum(t, axes))
defvjp(reduce_sum_p, _sum_transpose)
