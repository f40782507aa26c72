"""Hooks through which primitives that hold sub-jaxprs (control flow, custom
rules, jit calls) apply a transformation to their body.

``ops/`` may import only ``core``; the transformations in ``transforms/``
register themselves here when the package is imported, so a rule can say
"differentiate my body" without naming the transformation's module.
"""
from __future__ import annotations

from collections.abc import Callable

jvp: Callable | None = None        # jvp(fun, primals, tangents) -> (outs, tangents)
vjp: Callable | None = None        # vjp(fun, *primals) -> (outs, vjp_fn)
vmap: Callable | None = None       # vmap(fun, in_axes, out_axes, axis_size)
lower_jaxpr: Callable | None = None  # lower_jaxpr(closed_jaxpr, *jax_values) -> list
batch_jaxpr: Callable | None = None  # batch_jaxpr(jaxpr, consts, args, dims, size) -> (outs, dims)
