"""Helpers that turn short per-argument formulas into a primitive's rule slots.

The models are autograd's ``defvjp`` and autodidax's ``jvp_rules[sin_p]``: a rule
reads like the math, one lambda per argument.

- ``defjvp(prim, f0, f1, ...)``: ``f_i(t_i, ans, *args, **params)`` is the output
  tangent contributed by argument ``i`` (``None`` for a non-differentiable one).
- ``defvjp(prim, f0, f1, ...)``: ``f_i(g, ans, *args, **params)`` is the cotangent of
  argument ``i``; with ``unbroadcast=True`` it is summed back to the argument's
  shape (NumPy broadcasting in elementwise primitives).
- ``def_elementwise_batch(prim)``: elementwise primitives batch by aligning the
  batch axes at the front.
"""
from __future__ import annotations

import numpy as np

from ..core import bind
from ..core.dtypes import FLOATS


def defjvp(prim, *per_arg) -> None:
    def jvp(primals, tangents, ans, **params):
        out = None
        for f, t in zip(per_arg, tangents):
            if t is None or f is None:
                continue
            c = f(t, ans, *primals, **params)
            out = c if out is None else _tangent_ops.add_any(out, c)
        return out
    prim.jvp = jvp


def defvjp(prim, *per_arg, unbroadcast: bool = False) -> None:
    def vjp(g, ans, args, needs, **params):
        cts = []
        for i, (f, need) in enumerate(zip(per_arg, needs)):
            if not need or f is None:
                cts.append(None)
                continue
            ct = f(g, ans, *args, **params)
            if unbroadcast:
                ct = unbroadcast_to(ct, np.shape(args[i]) if not hasattr(args[i], "aval")
                                    else args[i].aval.shape)
            cts.append(ct)
        return cts
    prim.vjp = vjp


def _shape(x):
    return x.aval.shape if hasattr(x, "aval") else np.shape(x)


def unbroadcast_to(ct, shape: tuple):
    """Sum ``ct`` over the axes NumPy broadcasting added to reach its shape."""
    from .reductions import reduce_sum  # noqa: PLC0415 (families reference each other)
    from .shapes import reshape
    cshape = _shape(ct)
    if cshape == tuple(shape):
        return ct
    lead = len(cshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and cshape[i + lead] != 1)
    if axes:
        ct = reduce_sum(ct, axes)
    if _shape(ct) != tuple(shape):
        ct = reshape(ct, tuple(shape))
    return ct


def move_axis_to_front(x, d: int | None, size: int | None = None):
    """Move batch axis ``d`` of ``x`` to position 0 (broadcasting when ``d`` is None)."""
    from .shapes import broadcast_in_dim, transpose
    shape = _shape(x)
    if d is None:
        return broadcast_in_dim(x, (size,) + tuple(shape), tuple(range(1, len(shape) + 1)))
    if d == 0:
        return x
    perm = (d,) + tuple(i for i in range(len(shape)) if i != d)
    return transpose(x, perm)


def def_elementwise_batch(prim) -> None:
    """Batching for NumPy-broadcasting elementwise primitives: batch axes go to the
    front and per-example ranks are aligned so broadcasting stays per example."""
    from .shapes import reshape

    def batch(args, dims, **params):
        ranks = [len(_shape(a)) - (d is not None) for a, d in zip(args, dims)]
        rank = max(ranks)
        new = []
        for a, d, r in zip(args, dims, ranks):
            if d is None:
                new.append(a)
                continue
            a = move_axis_to_front(a, d)
            if r < rank:
                s = _shape(a)
                a = reshape(a, (s[0],) + (1,) * (rank - r) + tuple(s[1:]))
            new.append(a)
        out = bind(prim, *new, **params)
        if prim.multiple_results:
            return out, [0] * len(out)
        return out, 0
    prim.batch = batch


def is_float_value(x) -> bool:
    dt = x.aval.dtype if hasattr(x, "aval") else np.result_type(x)
    return dt in FLOATS


from . import tangents as _tangent_ops  # noqa: E402  (it uses the helpers above)
