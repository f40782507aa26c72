"""Tracing: the trace stack, tracers, and turning a Python function into a jaxpr.

One kind of trace records equations.  Nesting works by levels: a primitive
applied to tracers of several traces is recorded in the innermost one, and a
tracer of an outer trace met there is lifted into the inner jaxpr as a constant
input (a closure).  When every input of an equation has a concrete value (the
AD transformations trace with the primal values), the equation is also
evaluated at once, so Python control flow on those values works, as in JAX
under ``grad`` on concrete inputs.
"""
from __future__ import annotations

import gc

import numpy as np

from . import dtypes
from .avals import ShapedArray, Weak, aval_of_value
from .errors import TracerArrayConversionError, UnexpectedTracerError, concretization_error
from .ir import ClosedJaxpr, Jaxpr, Literal, Var, dce_jaxpr
from .keys import same_atoms, same_params
from .ir import params_have_effects as _params_have_effects

_stack: list = []


class Tracer:
    """A traced array: its abstract value, its trace, its IR variable and, when
    known, its concrete value.  Operators and methods are installed by
    ``functorch_lite.numpy``."""

    __slots__ = ("aval", "_trace", "_var", "val", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, trace: Trace, var: Var, val=None):
        self.aval = var.aval
        self._trace = trace
        self._var = var
        self.val = val

    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: len(self.aval.shape))
    size = property(lambda self: self.aval.size)
    weak_type = property(lambda self: self.aval.weak_type)

    def __len__(self) -> int:
        if not self.aval.shape:
            raise TypeError("len() of a 0-d traced array")
        return self.aval.shape[0]

    def __repr__(self) -> str:
        v = "" if self.val is None else f" with value {np.asarray(self.val)!r}"
        return f"Traced<{self.aval.str_short()}>(level={self._trace.level}){v}"

    def _concrete(self, what: str):
        if not self._trace.active:
            raise UnexpectedTracerError(_escaped_msg(self))
        if self.val is None:
            raise concretization_error(self, what)
        return self.val

    def __bool__(self) -> bool:
        return bool(self._concrete("bool()"))

    def _int_like(self, what: str, conv):
        v = self._concrete(what)
        if self.aval.dtype in dtypes.FLOATS:
            raise TypeError(
                f"{what} on a traced float array {self.aval.str_short()} would cut it out of "
                "the transformation (its derivative would be silently lost). Keep it an array, "
                "or use fl.lax.stop_gradient(x) and convert outside the transformed function.")
        return conv(v)

    def __int__(self) -> int:
        # as JAX: truncation is piecewise constant, so no derivative is lost
        return int(self._concrete("int()"))

    def item(self, *args):
        """The concrete value as a Python scalar (as JAX, only where the value is known:
        under ``grad``/``jvp`` of concrete inputs, not under ``jit``/``vmap``)."""
        return np.asarray(self._concrete("item()")).item(*args)

    def tolist(self):
        return self._int_like("tolist()", lambda v: np.asarray(v).tolist())

    def __index__(self) -> int:
        return self._int_like("__index__ (use as an index or size)", int)

    def __float__(self) -> float:
        return self._int_like("float()", float)

    def __complex__(self):
        return self._int_like("complex()", complex)

    def __array__(self, dtype=None, copy=None):
        raise TracerArrayConversionError(
            f"np.asarray()/np.array() (or another NumPy function) was called on a traced "
            f"array {self.aval.str_short()}. NumPy cannot see inside a transformation: use "
            "the functorch_lite.numpy (fnp) function of the same name instead.")

    def __hash__(self):
        raise TypeError(f"traced array {self.aval.str_short()} is unhashable; "
                        "static arguments must be hashable Python values.")

    def __iter__(self):
        if not self.aval.shape:
            raise TypeError("iteration over a 0-d traced array")
        return (self[i] for i in range(self.aval.shape[0]))


def _escaped_msg(t: Tracer) -> str:
    return (f"a traced array {t.aval.str_short()} created by {t._trace.name} escaped that "
            "transformation (it was stored in a global, a closure or an attribute, and used "
            "after the transformed function returned). Return it from the function instead "
            "of storing it.")


class Trace:
    """Records the equations of one function being traced (one level)."""

    __slots__ = ("level", "active", "eqns", "invars", "constvars", "consts",
                 "_const_ids", "env", "name", "run_effects", "guide")

    def __init__(self, level: int, name: str = "a transformation"):
        self.level = level
        self.name = name  # what opened the trace, for error messages ("jit(f)", "vmap(f)")
        self.active = True
        self.eqns: list = []
        self.invars: list = []
        self.constvars: list = []
        self.consts: list = []
        self._const_ids: dict = {}
        self.env: dict = {}  # Var -> concrete value, when known
        # Whether effects (debug.print) run while tracing, on the concrete values: only in
        # a differentiation trace of concrete inputs that no enclosing trace replays.
        # Elsewhere they run when the jaxpr is executed (jit), batched (vmap) or replayed.
        self.run_effects = False
        # A jaxpr this trace is expected to repeat (the previous call of the same
        # function, see ``trace_flat``): while the equations match it one by one, its
        # variables and equations are reused, so a repeated trace is the very same jaxpr.
        self.guide = None

    def new_arg(self, aval: ShapedArray, val=None) -> Tracer:
        guide = self.guide  # trace_flat checked that the input avals match
        v = Var(aval) if guide is None else guide.invars[len(self.invars)]
        self.invars.append(v)
        if val is not None:
            self.env[v] = val
        return Tracer(self, v, val)

    def _const_var(self, x, aval: ShapedArray, val):
        key = id(x)
        v = self._const_ids.get(key)
        if v is None:
            guide, k = self.guide, len(self.constvars)
            if guide is not None and k < len(guide.constvars) and guide.constvars[k].aval == aval:
                v = guide.constvars[k]  # a fresh variable to this trace all the same
            else:
                v = Var(aval)
            self._const_ids[key] = v
            self.constvars.append(v)
            self.consts.append(x)
            if val is not None:
                self.env[v] = val
        return v

    def to_atom(self, a):
        """The IR atom (Var or Literal) and concrete value (or None) of an operand."""
        if type(a) is Weak:
            lit = a.literal
            if lit is None:
                lit = a.literal = Literal(a.val, ShapedArray.make((), a.val.dtype, True))
            return lit, a.val
        if isinstance(a, Tracer):
            if a._trace is self:
                return a._var, a.val
            t = a._trace
            if t.level >= self.level or not t.active:
                raise UnexpectedTracerError(_escaped_msg(a))
            self.run_effects = False  # a closure: the enclosing trace replays this one
            return self._const_var(a, a.aval, a.val), a.val
        aval = aval_of_value(a)
        if not aval.shape and not hasattr(a, "sharding"):
            return Literal(a, aval), a
        return self._const_var(a, aval, a), a

    def process(self, prim, args, params):
        if not self.active:
            raise UnexpectedTracerError(_escaped_msg(next(a for a in args if isinstance(a, Tracer)
                                                          and a._trace is self)))
        invars = []
        avals = []
        vals = []
        concrete = True
        for a in args:
            if type(a) is Tracer and a._trace is self:  # the common case, inline
                invars.append(a._var)
                avals.append(a.aval)
                val = a.val
            else:
                atom, val = self.to_atom(a)
                invars.append(atom)
                avals.append(atom.aval)
            if val is None:
                concrete = False
            vals.append(val)
        same = None if self.guide is None else self._follow(prim, invars, params)
        if same is None:
            out_aval = prim.abstract_eval(*avals, **params)
        if prim.multiple_results:
            out_val = None
            mute = False
            if concrete and not self.run_effects and (prim.effectful or
                                                      _params_have_effects(params)):
                # values for Python control flow only: the effect runs when this jaxpr
                # is executed or replayed, not here
                if prim.effectful:
                    concrete = False
                else:
                    mute = True
                    _effects.mute += 1
            if concrete:
                impl = prim.impl
                prev = _effects.current
                if prim.ad_primal is not None and self._differentiated(args):
                    impl = prim.ad_primal  # custom rules: the rule's primal output (JAX)
                    _effects.current = None  # the user's rule runs eagerly, on the values
                try:
                    out_val = impl(*vals, **params)
                finally:
                    _effects.current = prev
                    if mute:
                        _effects.mute -= 1
            if same is None:
                outvars = [Var(a) for a in out_aval]
                self.eqns.append(_Eqn(prim, invars, outvars, params))
            else:
                outvars = same.outvars
                self.eqns.append(same)
            if out_val is None:
                return [Tracer(self, v) for v in outvars]
            env = self.env
            for v, o in zip(outvars, out_val):
                env[v] = o
            return [Tracer(self, v, o) for v, o in zip(outvars, out_val)]
        if same is None:
            outvar = Var(out_aval)
            self.eqns.append(_Eqn(prim, invars, [outvar], params))
        else:
            outvar = same.outvars[0]
            self.eqns.append(same)
        if concrete:
            out_val = prim.impl(*vals, **params)
            self.env[outvar] = out_val
            return Tracer(self, outvar, out_val)
        return Tracer(self, outvar)

    def _follow(self, prim, invars: list, params: dict):
        """The guide's next equation when this one repeats it (same primitive, operands
        and parameters, hence the same abstract values out); else None, and the guide is
        dropped: the rest of the trace makes its own variables."""
        eqns = self.guide.eqns
        k = len(self.eqns)
        if k < len(eqns):
            e = eqns[k]
            # list == compares Vars and Literals by identity, in C: the common case
            if e.prim is prim and (e.invars == invars or same_atoms(e.invars, invars)) \
                    and ((not params and not e.params) or same_params(e.params, params)):
                return e
        self.guide = None
        return None

    def _differentiated(self, args) -> bool:
        """Whether a float argument depends on this (value-carrying, differentiating)
        trace's inputs."""
        return any(isinstance(a, Tracer) and a._trace is self and a.aval.dtype in dtypes.FLOATS
                   for a in args)

    def finish(self, outs: list, dce: bool = False) -> tuple[Jaxpr, list]:
        """Close the trace: the jaxpr with ``outs`` as outputs, and the const values."""
        outvars = []
        for o in outs:
            atom, val = self.to_atom(o)
            outvars.append(atom)
        g = self.guide
        if g is not None and len(self.eqns) == len(g.eqns) and same_atoms(g.outvars, outvars) \
                and len(self.constvars) == len(g.constvars):
            return g, self.consts  # every variable and equation repeated: the same program
        jaxpr = Jaxpr(self.constvars, self.invars, self.eqns, outvars)
        if dce:
            jaxpr = dce_jaxpr(jaxpr)
        return jaxpr, self.consts


from .ir import Eqn as _Eqn  # noqa: E402


class new_trace:
    """Context manager pushing a fresh trace on the stack (and deactivating it on exit).

    Tracing allocates many small objects that form no cycles; the cyclic garbage
    collector is paused while the outermost trace is open (it would otherwise
    rescan the growing jaxpr again and again, doubling the cost per equation).
    """

    __slots__ = ("trace", "gc_was_enabled", "name", "prev_current")

    def __init__(self, name: str = "a transformation"):
        self.name = name

    def __enter__(self) -> Trace:
        self.trace = Trace(len(_stack) + 1, self.name)
        self.gc_was_enabled = not _stack and gc.isenabled()
        if self.gc_was_enabled:
            gc.disable()
        _stack.append(self.trace)
        self.prev_current = _effects.current
        _effects.current = self.trace  # the user's function runs at this trace's level
        return self.trace

    def __exit__(self, *exc):
        t = _stack.pop()
        t.active = False
        _effects.current = self.prev_current
        if self.gc_was_enabled:
            gc.enable()
        return False


class interpreting:
    """Context for an interpreter's loop over a jaxpr (backward pass, batching, replay):
    NumPy's floating-point warnings are off, as in JAX (inf and NaN flow through
    silently, e.g. from the discarded branch of a where-guarded log), and the cyclic
    GC is paused when no trace already paused it (the loop allocates many acyclic
    objects and would otherwise trigger full rescans, quadratic in program length)."""

    __slots__ = ("gc_was_enabled", "err", "values", "prev_current")

    def __init__(self, values=None):
        # ``values``: the inputs of the jaxpr being evaluated.  Their innermost trace is
        # the level the loop runs at: an effect with no traced operand is recorded there
        self.values = values

    def __enter__(self):
        self.err = np.errstate(all="ignore")
        self.err.__enter__()
        self.gc_was_enabled = not _stack and gc.isenabled()
        if self.gc_was_enabled:
            gc.disable()
        self.prev_current = _effects.current
        if self.values is not None:
            _effects.current = _innermost_trace(self.values)
        return self

    def __exit__(self, *exc):
        _effects.current = self.prev_current
        if self.gc_was_enabled:
            gc.enable()
        self.err.__exit__(*exc)
        return False


class _EffectState:
    """Where effectful primitives go.  ``current``: the trace the running code belongs to
    (the trace of the function being traced, or the level of the jaxpr being evaluated;
    None when eager).  ``discard``: > 0 while a transformation recomputes a forward pass
    whose effects already ran (see :func:`discarding_effects`).  ``mute``: > 0 while a
    trace computes values of an equation holding effects only to know them (the effects
    run later, when the jaxpr runs): effect implementations then do nothing."""

    __slots__ = ("current", "discard", "mute")

    def __init__(self):
        self.current = None
        self.discard = 0
        self.mute = 0


_effects = _EffectState()


def _innermost_trace(values):
    trace = None
    for a in values:
        if type(a) is Tracer:
            t = a._trace
            if t.active and (trace is None or t.level > trace.level):
                trace = t
    return trace


def effect_trace(trace):
    """The trace an effectful primitive is recorded in: the innermost of ``trace`` (its
    operands' innermost trace, or None) and the trace the calling code runs at, so an
    effect whose operands are all constants is still staged (as in JAX)."""
    cur = _effects.current
    if cur is not None and cur.active and (trace is None or cur.level > trace.level):
        return cur
    return trace


class discarding_effects:
    """Context in which effectful primitives are dropped, not recorded or run: for a
    transformation rule that recomputes a forward pass whose effects already ran (the
    backward function of a ``jit`` call), so a ``debug.print`` prints once, as in JAX.

    >>> import functorch_lite as fl
    >>> with discarding_effects():
    ...     fl.debug.print("dropped")
    >>> fl.debug.print("printed")
    printed
    """

    __slots__ = ()

    def __enter__(self):
        _effects.discard += 1

    def __exit__(self, *exc):
        _effects.discard -= 1
        return False


def value_of(x):
    """The concrete value behind an operand: itself, a tracer's value, or None."""
    if isinstance(x, Tracer):
        return x.val if x._trace.active else None
    return x


def aval_of(x) -> ShapedArray:
    if isinstance(x, Tracer):
        return x.aval
    return aval_of_value(x)


def is_tracer(x) -> bool:
    return isinstance(x, Tracer)


def trace_flat(fun, in_avals: list, in_vals: list | None = None, dce: bool = False,
               name: str = "a transformation", run_effects: bool = False, guide=None):
    """Trace ``fun(*tracers) -> list`` at ``in_avals`` (with concrete ``in_vals`` when given).

    Returns ``(jaxpr, consts, env)``: ``consts`` are the constvars' values (arrays or
    outer tracers) and ``env`` maps each variable to its concrete value when known.
    ``run_effects``: run effectful equations (debug.print) at once on the concrete
    values, as the eager forward pass of a differentiation does; otherwise they run when
    the jaxpr is evaluated (an enclosing trace replays it, jit executes it, ...).
    ``guide``: a jaxpr of an earlier trace of ``fun`` (``Trace.guide``); when this trace
    repeats it equation for equation, the result is that jaxpr object itself.
    """
    if guide is not None and (dce or len(guide.invars) != len(in_avals) or any(
            v.aval != a for v, a in zip(guide.invars, in_avals))):
        guide = None
    with np.errstate(all="ignore"), new_trace(name) as trace:
        trace.run_effects = run_effects
        trace.guide = guide
        if in_vals is None:
            args = [trace.new_arg(a) for a in in_avals]
        else:
            args = [trace.new_arg(a, v) for a, v in zip(in_avals, in_vals)]
        outs = fun(*args)
        jaxpr, consts = trace.finish(list(outs), dce=dce)
    return jaxpr, consts, trace.env


def closed_call_jaxpr(fun, in_avals: list, name: str = "a control-flow body") -> ClosedJaxpr:
    """Trace ``fun`` abstractly into a ClosedJaxpr (used for control-flow bodies)."""
    jaxpr, consts, _ = trace_flat(fun, in_avals, None, dce=True, name=name)
    return ClosedJaxpr(jaxpr, consts)
