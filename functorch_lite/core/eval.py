"""Evaluating a jaxpr: one loop over its equations, each applied with ``bind``.

Evaluation is itself the way transformations compose: with concrete inputs
every equation runs its NumPy impl; with tracers of an outer trace the
equations are recorded there.
"""
from __future__ import annotations

from .ir import ClosedJaxpr, Jaxpr, Literal
from .primitive import bind
from .tracing import interpreting


def eval_jaxpr_env(jaxpr: Jaxpr, consts: list, args: list, apply=None) -> dict:
    """Evaluate ``jaxpr`` and return the environment mapping every Var to its value.
    ``apply(eqn, invals)``, when given, evaluates each equation instead of ``bind``
    (for an interpreter that substitutes some equations)."""
    with interpreting([*consts, *args]):
        return _eval_loop(jaxpr, consts, args, apply)


def _eval_loop(jaxpr: Jaxpr, consts: list, args: list, apply) -> dict:
    env = dict(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in jaxpr.eqns:
        invals = [v.val if type(v) is Literal else env[v] for v in eqn.invars]
        if apply is None:
            out = bind(eqn.prim, *invals, **eqn.params)
        else:
            out = apply(eqn, invals)
        if eqn.prim.multiple_results:
            env.update(zip(eqn.outvars, out))
        else:
            env[eqn.outvars[0]] = out
    return env


def eval_jaxpr(jaxpr: Jaxpr | ClosedJaxpr, consts: list, *args) -> list:
    """Evaluate ``jaxpr`` on ``consts`` and ``args``; returns the list of outputs.

    >>> import numpy as np, functorch_lite as fl, functorch_lite.numpy as fnp
    >>> cj = fl.make_jaxpr(lambda x: fnp.sin(x) * 2.0)(1.0)
    >>> eval_jaxpr(cj.jaxpr, cj.consts, np.float32(0.0))
    [np.float32(0.0)]
    """
    if isinstance(jaxpr, ClosedJaxpr):
        consts, args = jaxpr.consts, (consts, *args)
        jaxpr = jaxpr.jaxpr
    env = eval_jaxpr_env(jaxpr, consts, list(args))
    return [v.val if type(v) is Literal else env[v] for v in jaxpr.outvars]


def read(env: dict, v):
    return v.val if type(v) is Literal else env[v]
