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
        if out is not None and len(primals) > 1:
            out = broadcast_to_shape(out, _shape(ans))  # x + C: C's shape counts too
        return out
    prim.jvp = jvp


def broadcast_to_shape(t, shape: tuple):
    """``t`` broadcast (NumPy rules, trailing dimensions aligned) to ``shape``."""
    tshape = _shape(t)
    if tshape == shape:
        return t
    lead = len(shape) - len(tshape)
    return _shapes.broadcast_in_dim(t, shape, tuple(range(lead, len(shape))))


def defvjp(prim, *per_arg, unbroadcast: bool = False) -> None:
    rules = [(i, f) for i, f in enumerate(per_arg) if f is not None]
    n = len(per_arg)

    def vjp(g, ans, args, needs, **params):
        cts = [None] * n
        for i, f in rules:
            if needs[i]:
                cts[i] = f(g, ans, *args, **params)
        return cts

    def vjp_unbroadcast(g, ans, args, needs, **params):
        cts = [None] * n
        for i, f in rules:
            if needs[i]:
                ct = f(g, ans, *args, **params)
                try:
                    shape, ct_shape = args[i].shape, ct.shape
                except AttributeError:  # a Python scalar
                    shape, ct_shape = _shape(args[i]), _shape(ct)
                if ct_shape != shape:  # the operand was broadcast: sum the added axes
                    ct = unbroadcast_to(ct, shape)
                cts[i] = ct
        return cts
    prim.vjp = vjp_unbroadcast if unbroadcast else vjp


def _shape(x) -> tuple:
    """The shape of an array, tracer, NumPy scalar or Python scalar."""
    s = getattr(x, "shape", None)
    return s if s is not None else np.shape(x)


def unbroadcast_to(ct, shape: tuple):
    """Sum ``ct`` over the axes NumPy broadcasting added to reach its shape."""
    cshape = _shape(ct)
    shape = tuple(shape)
    if cshape == shape:
        return ct
    lead = len(cshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and cshape[i + lead] != 1)
    if axes:
        ct = _reductions.reduce_sum(ct, axes)
    if _shape(ct) != shape:
        ct = _shapes.reshape(ct, shape)
    return ct


def move_axis_to_front(x, d: int | None, size: int | None = None):
    """Move batch axis ``d`` of ``x`` to position 0 (broadcasting when ``d`` is None)."""
    shape = _shape(x)
    if d is None:
        return _shapes.broadcast_in_dim(x, (size,) + tuple(shape), tuple(range(1, len(shape) + 1)))
    if d == 0:
        return x
    perm = (d,) + tuple(i for i in range(len(shape)) if i != d)
    return _shapes.transpose(x, perm)


def def_elementwise_batch(prim) -> None:
    """Batching for NumPy-broadcasting elementwise primitives: batch axes go to the
    front and per-example ranks are aligned so broadcasting stays per example."""
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
                a = _shapes.reshape(a, (s[0],) + (1,) * (rank - r) + tuple(s[1:]))
            new.append(a)
        out = bind(prim, *new, **params)
        if prim.multiple_results:
            return out, [0] * len(out)
        return out, 0
    prim.batch = batch


def is_float_value(x) -> bool:
    dt = x.aval.dtype if hasattr(x, "aval") else np.result_type(x)
    return dt in FLOATS


# the families use the helpers above, so they are bound after them
from . import reductions as _reductions  # noqa: E402
from . import shapes as _shapes  # noqa: E402
from . import tangents as _tangent_ops  # noqa: E402
