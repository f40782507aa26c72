"""``linear_transpose``: the transpose of a function promised to be linear, as
``jax.linear_transpose``.

The function is traced once, abstractly, at the shapes and dtypes of ``primals``.  For a
linear function the vector-Jacobian product at any point is its transpose, so the
transposed function is reverse mode's own backward pass (``ad.backward_pass``, each
primitive's ``vjp`` rule) run at the point zero.  What this module adds is the check that
the function *is* linear, where JAX raises (its non-linear primitives have no transpose
rule), and JAX's cotangent checks.

Linearity is checked per equation that reads a value depending on the inputs (a *linear*
value): the equation's own ``jvp`` rule is traced with its tangent inputs, and the
tangent it produces must not depend on the primal values of those linear inputs
(``sin``: ``cos(x) * t`` reads ``x``; ``mul`` of two linear values: ``t1 * y + x * t2``
reads both; ``max``/``abs``/``where(x > 0, ...)``: the selection reads ``x``), nor be a
symbolic zero for a float output (``stop_gradient``, ``floor``, ``round``, ``sign``), nor
may a linear value feed an integer or bool result.  Equations holding jaxprs
(``cond``/``switch``, ``scan``/``fori_loop``, ``jit``, ``checkpoint``, custom-derivative
functions) are checked inside their bodies (see ``_structured``).
As in JAX, an *affine* function (``x + 1.0``) is accepted and its constant dropped, and
a ``custom_jvp`` function is transposed as the function itself (its body is inlined; its
rule is not used).  Beyond JAX (which raises there), a ``custom_vjp`` function is
transposed with its ``bwd`` rule.

Known gaps: ``while_loop`` (and ``fori_loop`` with traced bounds) on a linear value is
rejected as non-linear (reverse mode cannot run it anyway; JAX rejects it too); an
equation holding jaxprs in another layout than the three above is checked by its ``jvp``
rule, which sees the whole sub-computation as reading its operands, so a linear one is
rejected (a refusal, never a wrong transpose).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from jax.tree_util import Partial, tree_flatten, tree_unflatten

from ..core import (ClosedJaxpr, Eqn, Jaxpr, Literal, Var, aval_of, eval_jaxpr_env, interpreting,
                    trace_flat)
from ..core.dtypes import FLOATS, INTS
from ..core.tracebacks import api_boundary
from ..ops.elementwise import convert_element_type
from .ad import backward_pass, concrete_value
from .api_util import check_callable, flatten_fun


def _not_linear(eqn, why: str) -> TypeError:
    return TypeError(
        f"linear_transpose: the function is not linear in its inputs: primitive "
        f"'{eqn.prim.name}' {why}. linear_transpose only transposes linear functions "
        "(sums, scalings by constants, matmuls with constant matrices, reshapes, "
        "slicing, ...); use fl.vjp for the transpose of the derivative at a point.")


def _depends_on(jaxpr: Jaxpr) -> set:
    """The input variables that ``jaxpr``'s outputs depend on (any path)."""
    live = {v for v in jaxpr.outvars if type(v) is Var}
    for eqn in reversed(jaxpr.eqns):
        if not live.isdisjoint(eqn.outvars):
            live.update(v for v in eqn.invars if type(v) is Var)
    return live.intersection(jaxpr.invars)


def _open(body, n_operands: int) -> Jaxpr | None:
    """``body`` (a Jaxpr or ClosedJaxpr held in an equation's params) as a Jaxpr whose
    invars stand for the equation's ``n_operands`` operands one to one; None if not."""
    if isinstance(body, ClosedJaxpr):  # its consts are constants, not operands
        body = body.jaxpr
        return body if len(body.invars) == n_operands else None
    if not isinstance(body, Jaxpr):
        return None
    if len(body.constvars) + len(body.invars) != n_operands:
        return None
    return Jaxpr([], body.constvars + body.invars, body.eqns, body.outvars)


def _structured(eqn, flags: list) -> list | None:
    """The linearity flags of the outputs of an equation holding sub-jaxprs, found by
    checking the sub-jaxprs (raising if one is not linear), or None if ``eqn`` is not
    one of the three structures known here, told apart by their params:

    - branches (``cond``/``switch``): operand 0 selects the branch, the rest are every
      branch's inputs; an output is linear if it is in some branch;
    - a loop body with ``num_carry`` (``scan``, ``fori_loop``): operands and body
      inputs are ``consts, carry, xs``, body outputs ``carry, ys``; a carry is linear if
      its initial value is or the body makes it so (iterated to a fixed point);
    - a call (``jit``, ``checkpoint``, custom-derivative functions): ``jaxpr`` on
      ``consts + args`` with ``num_consts``, outputs typed as the equation's.
    """
    params, n = eqn.params, len(eqn.invars)
    if "branches" in params:
        if flags[0]:
            raise _not_linear(eqn, "chooses its branch by a value that depends on the inputs")
        outs = None
        for br in params["branches"]:
            body = _open(br, n - 1)
            if body is None:
                return None
            got = check_linear(body, flags[1:])
            outs = got if outs is None else [a or b for a, b in zip(outs, got)]
        return outs
    body = _open(params.get("jaxpr"), n)
    if body is None or not isinstance(params.get("num_consts"), int):
        return None
    if "num_carry" in params:
        nc, nk = params["num_consts"], params["num_carry"]
        while True:
            outs = check_linear(body, flags)
            new = (flags[:nc] + [a or b for a, b in zip(flags[nc:nc + nk], outs[:nk])]
                   + flags[nc + nk:])
            if new == flags:
                return outs
            flags = new
    if [v.aval for v in body.outvars] != [v.aval for v in eqn.outvars]:
        return None
    return check_linear(body, flags)


def _inline_custom_jvp(jaxpr: Jaxpr) -> Jaxpr:
    """``jaxpr`` with every ``custom_jvp`` call (a call holding a ``jvp`` rule) replaced by
    its body: as in JAX, ``linear_transpose`` transposes the function itself, not its
    custom derivative rule."""
    def is_custom_jvp(e):
        return "jvp" in e.params and _open(e.params.get("jaxpr"), len(e.invars)) is not None
    if not any(map(is_custom_jvp, jaxpr.eqns)):
        return jaxpr
    sub: dict = {}  # an outer call's outvars -> the inlined body's results

    def rd(v):
        return sub.get(v, v) if type(v) is Var else v
    eqns = []
    for e in jaxpr.eqns:
        if not is_custom_jvp(e):
            eqns.append(Eqn(e.prim, [rd(v) for v in e.invars], e.outvars, e.params))
            continue
        body = _inline_custom_jvp(_open(e.params["jaxpr"], len(e.invars)))
        env = {bv: rd(v) for bv, v in zip(body.invars, e.invars)}

        def rb(v, env=env):
            return env.get(v, v) if type(v) is Var else v
        for be in body.eqns:  # fresh variables: a body may be inlined more than once
            outs = [Var(v.aval) for v in be.outvars]
            eqns.append(Eqn(be.prim, [rb(v) for v in be.invars], outs, be.params))
            env.update(zip(be.outvars, outs))
        sub.update((v, rb(bo)) for v, bo in zip(e.outvars, body.outvars))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, [rd(v) for v in jaxpr.outvars])


def _probe(eqn, lin_idx: list) -> None:
    """Raise unless ``eqn`` is linear in its inputs at ``lin_idx`` (see the module doc)."""
    prim, params, n = eqn.prim, eqn.params, len(eqn.invars)
    lits = {i: v.val for i, v in enumerate(eqn.invars) if type(v) is Literal}
    zero_out: list = []

    def tangent_map(*xs):
        primals = [lits[i] if i in lits else xs[i] for i in range(n)]
        tangents: list = [None] * n
        for j, i in enumerate(lin_idx):
            tangents[i] = xs[n + j]
        ans = prim.bind(*primals, **params)
        out = prim.jvp(primals, tangents, ans, **params)
        if not prim.multiple_results:
            if out is None and eqn.outvars[0].aval.dtype in FLOATS:
                zero_out.append(True)
            out = [out]
        return [t for t in out if t is not None]

    avals = [v.aval for v in eqn.invars]
    try:
        with interpreting():
            jaxpr, _, _ = trace_flat(tangent_map, avals + [avals[i] for i in lin_idx], None,
                                     dce=True, name="linear_transpose")
    except NotImplementedError as e:
        raise _not_linear(eqn, f"has no derivative rule to decide linearity with ({e})") \
            from None
    if zero_out:
        raise _not_linear(eqn, "has a zero derivative but a non-zero value (it is not the "
                               "linear map its derivative describes)")
    read = _depends_on(jaxpr)
    for i in lin_idx:
        if jaxpr.invars[i] in read:
            raise _not_linear(eqn, f"is applied to a value that depends on the inputs "
                                   f"({avals[i].str_short()}), and its derivative depends on "
                                   "that value")


def check_linear(jaxpr: Jaxpr, linear_in: list, linear: set | None = None) -> list:
    """Raise a TypeError unless ``jaxpr`` is linear (affine) in the invars flagged by
    ``linear_in``; returns the flags of its outvars (which depend on those invars).
    The variables found linear are added to ``linear`` when given."""
    if linear is None:
        linear = set()
    linear.update(v for v, f in zip(jaxpr.invars, linear_in) if f)
    used = {v for e in jaxpr.eqns for v in e.invars if type(v) is Var}
    used.update(v for v in jaxpr.outvars if type(v) is Var)
    for eqn in jaxpr.eqns:
        lin_idx = [i for i, v in enumerate(eqn.invars) if type(v) is Var and v in linear]
        if not lin_idx:
            continue
        out_flags = _structured(eqn, [i in lin_idx for i in range(len(eqn.invars))])
        if out_flags is None:
            _probe(eqn, lin_idx)
            out_flags = [True] * len(eqn.outvars)
        for v, f in zip(eqn.outvars, out_flags):
            if not f:
                continue
            if v.aval.dtype not in FLOATS:
                if v in used:
                    raise _not_linear(eqn, f"turns a value that depends on the inputs into "
                                           f"the {v.aval.str_short()} result of a "
                                           "non-linear (integer or bool) computation")
                continue
            linear.add(v)
    return [type(v) is Var and v in linear for v in jaxpr.outvars]


def _ct_matches(aval, ct) -> bool:
    c = aval_of(ct)
    if c.shape != aval.shape:
        return False
    # a Python float is weakly typed: it takes the float dtype of the output (JAX)
    return c.dtype == aval.dtype or (c.weak_type and c.dtype in FLOATS and aval.dtype in FLOATS)


def _cast(x, dtype):
    return x if aval_of(x).dtype == dtype else convert_element_type(x, dtype)


@api_boundary
def linear_transpose(fun: Callable, *primals: Any, reduce_axes: tuple = ()) -> Callable:
    """The transpose of the linear function ``fun``, as ``jax.linear_transpose``.

    ``primals`` only give the shapes and dtypes (arrays, scalars or
    ``fl.ShapeDtypeStruct``, in pytrees).  The result maps a cotangent shaped like
    ``fun(*primals)`` to a tuple with one cotangent per primal, in the primals' dtypes.
    It is a ``jax.tree_util.Partial`` (a pytree), so it can be passed into ``jit``.

    >>> import functorch_lite as fl, numpy as np
    >>> scalar = fl.ShapeDtypeStruct((), np.float32)
    >>> f_t = fl.linear_transpose(lambda x, y: 0.5 * x - 0.5 * y, scalar, scalar)
    >>> f_t(1.0)
    (np.float32(0.5), np.float32(-0.5))
    >>> fl.linear_transpose(lambda x: x.sum(), np.zeros(3, np.float32))(2.0)
    (array([2., 2., 2.], dtype=float32),)
    """
    check_callable(fun, "linear_transpose")
    if reduce_axes:
        raise NotImplementedError("reduce_axes argument to transpose is deprecated")
    p_flat, in_tree = tree_flatten(primals)
    in_avals = [aval_of(x) for x in p_flat]
    store: dict = {}
    jaxpr, consts, _ = trace_flat(flatten_fun(fun, in_tree, store), in_avals, None, dce=True,
                                  name=f"linear_transpose({getattr(fun, '__name__', 'fun')})")
    out_tree = store["out_tree"]
    out_avals = [v.aval for v in jaxpr.outvars]
    in_dtypes = [a.dtype for a in in_avals]
    out_dtypes = [a.dtype for a in out_avals]
    if not all(d in FLOATS for d in in_dtypes + out_dtypes):
        if all(d in INTS for d in in_dtypes + out_dtypes):
            raise NotImplementedError(
                "linear_transpose of an integer -> integer function is not supported by "
                "functorch_lite (reverse mode carries float cotangents only); compute in "
                "floating point and round the result.")
        raise TypeError("linear_transpose only supports [float or complex] -> "
                        "[float or complex], and integer -> integer functions, "
                        f"but got {in_dtypes} -> {out_dtypes}.")
    jaxpr = _inline_custom_jvp(jaxpr)
    linear: set = set()
    check_linear(jaxpr, [True] * len(jaxpr.invars), linear)
    # the vjp rules run at the point zero, where every value depending on the inputs is
    # zero; the rules of the linear equations read only their other (constant) operands,
    # so equations all of whose outputs are linear are not computed.  The others are:
    # their outputs that do not depend on the inputs (a scan's constant carry) are read.
    skip = {id(e) for e in jaxpr.eqns if e.outvars and all(v in linear for v in e.outvars)}

    def forward_at_zero(eqn, invals):
        if id(eqn) not in skip:
            return eqn.prim.bind(*invals, **eqn.params)
        zs = [np.zeros(v.aval.shape, v.aval.dtype) for v in eqn.outvars]
        return zs if eqn.prim.multiple_results else zs[0]
    zero_in = [np.zeros(a.shape, a.dtype) for a in in_avals]

    @api_boundary
    def transposed_fun(consts: list, out_cotangent: Any) -> tuple:
        ct_flat, ct_tree = tree_flatten(out_cotangent)
        if ct_tree != out_tree:
            raise TypeError("linear_transpose: cotangent tree does not match function "
                            f"output, expected {out_tree} but got {ct_tree}")
        if not all(map(_ct_matches, out_avals, ct_flat)):
            got = [aval_of(c).str_short() for c in ct_flat]
            raise TypeError("linear_transpose: cotangent type does not match function "
                            f"output, expected {[a.str_short() for a in out_avals]} but got "
                            f"{got}; pass cotangents of the outputs' shapes and dtypes.")
        ct_flat = [_cast(concrete_value(c, a), a.dtype) for c, a in zip(ct_flat, out_avals)]
        env = eval_jaxpr_env(jaxpr, consts, zero_in, forward_at_zero)
        cts = backward_pass(jaxpr, env, ct_flat)
        cts = [np.zeros(a.shape, a.dtype) if c is None else _cast(c, a.dtype)
               for c, a in zip(cts, in_avals)]
        return tuple(tree_unflatten(in_tree, cts))
    transposed_fun.__name__ = f"transpose({getattr(fun, '__name__', 'fun')})"
    return Partial(transposed_fun, list(consts))
