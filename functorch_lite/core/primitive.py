"""Primitives and their rule slots.

A primitive states all its rules in one place (its ``ops/`` file):

- ``impl(*arrays, **params)``: the NumPy implementation (eager mode);
- ``abstract_eval(*avals, **params)``: the shape/dtype rule;
- ``jvp(primals, tangents, ans, **params)``: forward mode, ``tangents`` may hold
  ``None`` (a symbolic zero); returns the output tangent (or list of them);
- ``vjp(g, ans, args, needs, **params)``: reverse mode, returns one cotangent (or
  ``None``) per input, computing only those with ``needs[i]`` true;
- ``batch(args, dims, **params)``: vmap, ``dims[i]`` is the batch axis of
  ``args[i]`` or ``None``; returns ``(out, out_dim)``;
- ``lower(*jax_values, **params)``: jit, the same computation with ``jax.lax``;
- ``ad_primal(*args, **params)`` (optional, ``None`` for most): the outputs a
  differentiated equation presents to enclosing transformations.  Calls with
  custom rules use it to present the rule's own primal computation, as JAX does,
  so a second derivative differentiates the rule, not the call again.
- ``specialize(*avals, **params)`` (optional, ``None`` for most): a NumPy function of
  the operands alone that computes ``impl`` for operands of exactly these abstract
  values, without the generic conversions and checks (or ``None`` when it has none
  for them).  Compiled backward passes call it on every step.

A primitive with ``effectful = True`` (debug printing and callbacks) has a side
effect and no outputs.  Dead-code elimination keeps its equations (and any
equation whose sub-jaxpr holds one), and ``bind`` records it in the trace the
calling code runs under even when no operand is traced there, so a staged
program performs the effect at each execution, not once while it is traced.

Rules are written with traceable operations, so their results can themselves be
differentiated, batched or lowered.  A transformation only ever asks a
primitive for its rule; a missing rule raises ``NotImplementedError`` naming the
primitive and the transformation.
"""
from __future__ import annotations

from collections.abc import Callable

_RULES = ("impl", "abstract_eval", "jvp", "vjp", "batch", "lower")
_RULE_TRANSFORM = {"impl": "eager evaluation", "abstract_eval": "tracing",
                   "jvp": "forward-mode differentiation (jvp)",
                   "vjp": "reverse-mode differentiation (vjp/grad)",
                   "batch": "vmap", "lower": "jit"}


def _missing(name: str, rule: str) -> Callable:
    def missing(*args, **kwargs):
        raise NotImplementedError(
            f"primitive '{name}' has no {rule} rule, so {_RULE_TRANSFORM[rule]} of it is "
            f"not supported yet.")
    missing.missing = True
    return missing


class Primitive:
    """A named operation of the IR with one rule per transformation.

    >>> p = Primitive("my_neg")
    >>> p.def_impl(lambda x: -x)
    >>> p.bind(2.0)
    -2.0
    """

    __slots__ = ("name", "multiple_results", "ad_primal", "specialize", "effectful",
                 "zero_derivative") \
        + _RULES

    def __init__(self, name: str, multiple_results: bool = False, effectful: bool = False):
        self.name = name
        self.multiple_results = multiple_results
        self.ad_primal = None
        self.specialize = None
        self.effectful = effectful
        # outputs that never carry a derivative (stop_gradient): reverse mode treats them
        # as constants, so nothing upstream of them is differentiated through them
        self.zero_derivative = False
        for r in _RULES:
            setattr(self, r, _missing(name, r))

    def __repr__(self) -> str:
        return self.name

    def bind(self, *args, **params):
        return bind(self, *args, **params)

    def has_rule(self, rule: str) -> bool:
        return not getattr(getattr(self, rule), "missing", False)

    def def_impl(self, f):
        self.impl = f

    def def_abstract_eval(self, f):
        self.abstract_eval = f

    def def_jvp(self, f):
        self.jvp = f

    def def_vjp(self, f):
        self.vjp = f

    def def_batch(self, f):
        self.batch = f

    def def_lower(self, f):
        self.lower = f


def bind(prim: Primitive, *args, **params):
    """Apply ``prim``: run its NumPy impl at once when no argument is a tracer
    (eager mode), else record an equation in the innermost trace among the args."""
    trace = None
    for a in args:
        if type(a) is Tracer:
            t = a._trace
            if trace is None or t.level > trace.level:
                trace = t
    if prim.effectful:
        if _effects.discard:
            return []  # an effect of a recomputation (see ``discarding_effects``)
        trace = effect_trace(trace)
    elif trace is None and _effects.current is not None and params_have_effects(params):
        trace = effect_trace(None)  # constant operands, effects in its body: staged too
    if trace is None:
        try:
            return prim.impl(*args, **params)
        except Exception:
            _explain_eager_failure(prim, args, params)
            raise
    return trace.process(prim, args, params)


def _explain_eager_failure(prim: Primitive, args, params) -> None:
    """Eager binds skip the shape/dtype rule; when the NumPy impl fails, run the rule so
    the user gets its message (naming the operation, the shapes and the fix) instead of
    NumPy's.  Returns quietly when the rule accepts the input (the impl's error stands)."""
    if not prim.has_rule("abstract_eval"):
        return
    try:
        avals = [aval_of_value(a) for a in args]
    except TypeError:
        return
    prim.abstract_eval(*avals, **params)


from .avals import aval_of_value  # noqa: E402
from .ir import params_have_effects  # noqa: E402
from .tracing import Tracer, _effects, effect_trace  # noqa: E402  (cycle)
