"""Primitives that call a sub-jaxpr: ``custom_jvp_call``, ``custom_vjp_call``, ``remat``.

Operands are ``(*consts, *args)``; ``num_consts`` says where the closure's
constants end.  The bodies are differentiated, batched and lowered through the
hooks in ``core.interpreters``.
"""
from __future__ import annotations

import numpy as np

import jax.dtypes

from ..core import (Jaxpr, Primitive, aval_of, discarding_effects, eval_jaxpr, interpreters,
                    trace_flat)
from ..core.dtypes import FLOATS
from .rules import move_axis_to_front
from .tangents import zeros


def _body(jaxpr, nc):
    return lambda *a: eval_jaxpr(jaxpr, list(a[:nc]), *a[nc:])


_aval = aval_of


def _instantiate(gs, avals):
    return [zeros(a) if g is None else g for g, a in zip(gs, avals)]


def _call_prim(name: str) -> Primitive:
    p = Primitive(name, multiple_results=True)
    p.impl = lambda *args, jaxpr, num_consts, **_: eval_jaxpr(jaxpr, list(args[:num_consts]),
                                                              *args[num_consts:])
    p.abstract_eval = lambda *avals, jaxpr, **_: jaxpr.out_avals
    p.lower = lambda *args, jaxpr, num_consts, **_: interpreters.lower_jaxpr(
        jaxpr, list(args[:num_consts]), *args[num_consts:])

    def batch(args, dims, *, jaxpr, num_consts, **_):
        return _batch_call(jaxpr, num_consts, args, dims, _batch_size(args, dims))
    p.batch = batch
    return p


def _batch_size(args, dims) -> int:
    return next(_aval(a).shape[d] for a, d in zip(args, dims) if d is not None)


def _batch_call(jaxpr, nc, args, dims, size):
    """The call's body evaluated on batched operands: ``(outs, out_dims)``."""
    if all(d is None for d in dims[:nc]):
        return interpreters.batch_jaxpr(jaxpr, list(args[:nc]), list(args[nc:]),
                                        list(dims[nc:]), size)
    # a batched closure constant: the constvars become ordinary (batched) inputs
    opened = Jaxpr([], list(jaxpr.constvars) + list(jaxpr.invars), jaxpr.eqns, jaxpr.outvars)
    return interpreters.batch_jaxpr(opened, [], list(args), list(dims), size)


# ----------------------------------------------------------------------------- custom_jvp

custom_jvp_call_p = _call_prim("custom_jvp_call")


def _custom_jvp_jvp(primals, tangents, ans, *, jaxpr, num_consts, jvp, **_):
    nc = num_consts
    if any(t is not None for t in tangents[:nc]):
        raise TypeError("a custom_jvp function closes over a value that is being "
                        "differentiated; pass that value as an argument instead.")
    ts = _instantiate(tangents[nc:], [_aval(p) for p in primals[nc:]])
    _, touts = jvp(list(primals[nc:]), ts)
    return touts


class _Transposing:
    """How deep the code runs inside the transpose of a custom rule's tangent map."""

    depth = 0


def _custom_jvp_vjp(g, ans, args, needs, *, jaxpr, num_consts, jvp, **_):
    # The tangent map t -> jvp(primals, t)[1] is linear: its VJP is its transpose.
    nc = num_consts
    if _Transposing.depth:
        # this call sits inside a tangent map being transposed, applied to (linear)
        # tangent values: it is transposed as the plain call of its body, as JAX transposes
        # custom_jvp_call (transposing its rule instead would recurse when the rule calls
        # the function on its tangents, as a linear function's rule does)
        return _remat_vjp(g, ans, args, needs, jaxpr=jaxpr, num_consts=nc)
    if any(needs[:nc]):
        raise TypeError("a custom_jvp function closes over a value that is being "
                        "differentiated; pass that value as an argument instead.")
    primals = list(args[nc:])
    avals = [_aval(p) for p in primals]

    def tangent_map(*ts):
        return jvp(primals, list(ts))[1]
    zero_ts = [zeros(a) for a in avals]
    _Transposing.depth += 1
    try:
        with discarding_effects():  # the rule's primal part already ran (and printed)
            _, f_vjp = interpreters.vjp(tangent_map, *zero_ts)
        cts = f_vjp(_instantiate(g, [_aval(a) for a in ans]))
    finally:
        _Transposing.depth -= 1
    return [None] * nc + [c if a.dtype in FLOATS else None for c, a in zip(cts, avals)]


def _custom_jvp_primal(*args, jaxpr, num_consts, jvp, **_):
    primals = list(args[num_consts:])
    return list(jvp(primals, [zeros(_aval(p)) for p in primals])[0])


custom_jvp_call_p.jvp = _custom_jvp_jvp
custom_jvp_call_p.vjp = _custom_jvp_vjp
custom_jvp_call_p.ad_primal = _custom_jvp_primal


# ----------------------------------------------------------------------------- batching
# A batched custom_jvp/custom_vjp call stays a custom call: its body is the batched body
# and its rules are the user's rules under vmap, so grad(vmap(f)) still uses the rule.
# Batched operands move their batch axis to the front; every output is batched at 0.

def _canonical(args, dims, size):
    args = [a if d is None else move_axis_to_front(a, d) for a, d in zip(args, dims)]
    return args, [None if d is None else 0 for d in dims]


def _batched_body(jaxpr, nc, args, dims, size):
    """The call's jaxpr batched: (consts, new_jaxpr, num_consts) for the canonical args."""
    def body(*a):
        outs, odims = _batch_call(jaxpr, nc, a, dims, size)
        return [move_axis_to_front(o, d, size) for o, d in zip(outs, odims)]
    bj, bconsts, _ = trace_flat(body, [_aval(a) for a in args], None, dce=True,
                                name="vmap of a custom rule call")
    opened = Jaxpr(list(bj.constvars) + list(bj.invars[:nc]), list(bj.invars[nc:]),
                   bj.eqns, bj.outvars)
    return list(bconsts) + list(args[:nc]), opened, len(bconsts) + nc


def _custom_jvp_batch(args, dims, *, jaxpr, num_consts, jvp, **params):
    size = _batch_size(args, dims)
    args, dims = _canonical(args, dims, size)
    consts, bjaxpr, bnc = _batched_body(jaxpr, num_consts, args, dims, size)
    pdims = list(dims[num_consts:])

    def batched_jvp(primals, tangents):
        outs, touts = interpreters.vmap(lambda p, t: tuple(jvp(list(p), list(t))),
                                        in_axes=(pdims, pdims), out_axes=0,
                                        axis_size=size)(list(primals), list(tangents))
        return list(outs), list(touts)
    batched_jvp.__name__ = f"vmap({getattr(jvp, '__name__', 'jvp')})"
    outs = custom_jvp_call_p.bind(*consts, *args[num_consts:], jaxpr=bjaxpr, num_consts=bnc,
                                  jvp=batched_jvp, **params)
    return outs, [0] * len(outs)


def _custom_vjp_batch(args, dims, *, jaxpr, num_consts, fwd, bwd, **params):
    size = _batch_size(args, dims)
    args, dims = _canonical(args, dims, size)
    consts, bjaxpr, bnc = _batched_body(jaxpr, num_consts, args, dims, size)
    pdims = list(dims[num_consts:])

    def batched_fwd(primals):
        outs, res = interpreters.vmap(lambda p: fwd(list(p)), in_axes=(pdims,), out_axes=0,
                                      axis_size=size)(list(primals))
        return list(outs), res

    def batched_bwd(res, cts):
        got = interpreters.vmap(lambda r, c: list(bwd(r, list(c))), in_axes=(0, 0),
                                out_axes=0, axis_size=size)(res, list(cts))
        # an unbatched input fed every example: its cotangent is the sum over the batch
        return [g if d is not None else _sum_batch(g) for g, d in zip(got, pdims)]
    batched_fwd.__name__ = f"vmap({getattr(fwd, '__name__', 'fwd')})"
    batched_bwd.__name__ = f"vmap({getattr(bwd, '__name__', 'bwd')})"
    outs = custom_vjp_call_p.bind(*consts, *args[num_consts:], jaxpr=bjaxpr, num_consts=bnc,
                                  fwd=batched_fwd, bwd=batched_bwd, **params)
    return outs, [0] * len(outs)


def _sum_batch(g):
    from .reductions import reduce_sum
    return reduce_sum(g, (0,))


custom_jvp_call_p.batch = _custom_jvp_batch

# ----------------------------------------------------------------------------- custom_vjp

custom_vjp_call_p = _call_prim("custom_vjp_call")


def _custom_vjp_jvp(primals, tangents, ans, **_):
    raise TypeError("can't apply forward-mode autodiff (jvp, jacfwd, hessian) to a custom_vjp "
                    "function; use reverse mode (grad, vjp, jacrev), or define a custom_jvp.")


def _custom_vjp_vjp(g, ans, args, needs, *, jaxpr, num_consts, fwd, bwd, **_):
    nc = num_consts
    if any(needs[:nc]):
        raise TypeError("a custom_vjp function closes over a value that is being "
                        "differentiated; pass that value as an argument instead.")
    with discarding_effects():  # fwd already ran in the forward pass
        _, res = fwd(list(args[nc:]))
    cts = bwd(res, _instantiate(g, [_aval(a) for a in ans]))
    return [None] * nc + list(cts)


custom_vjp_call_p.jvp = _custom_vjp_jvp
custom_vjp_call_p.ad_primal = lambda *args, num_consts, fwd, **_: list(
    fwd(list(args[num_consts:]))[0])
custom_vjp_call_p.vjp = _custom_vjp_vjp
custom_vjp_call_p.batch = _custom_vjp_batch

# ----------------------------------------------------------------------------- remat

remat_p = _call_prim("remat")


def _remat_jvp(primals, tangents, ans, *, jaxpr, num_consts, **_):
    ts = _instantiate(tangents, [_aval(p) for p in primals])
    ts = [t if _aval(p).dtype in FLOATS else np.zeros(_aval(p).shape, jax.dtypes.float0)
          for p, t in zip(primals, ts)]
    _, touts = interpreters.jvp(_body(jaxpr, num_consts), tuple(primals), tuple(ts))
    return touts


def _remat_vjp(g, ans, args, needs, *, jaxpr, num_consts, **_):
    # The forward pass is recomputed here, in the backward pass: only the inputs were kept.
    _, f_vjp = interpreters.vjp(_body(jaxpr, num_consts), *args)
    cts = f_vjp(_instantiate(g, [_aval(a) for a in ans]))
    return [c if n else None for c, n in zip(cts, needs)]


remat_p.jvp = _remat_jvp
remat_p.vjp = _remat_vjp
