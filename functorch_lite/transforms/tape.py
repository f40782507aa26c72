"""Compiled backward passes for eager reverse mode (a cached tape).

Eager ``grad``/``vjp`` trace the function at its values on every call, so Python
control flow on values keeps working.  The backward pass then walks the equations
in reverse through each primitive's ``vjp`` rule (``ad.backward_pass``).  Those
rules are Python functions over traceable operations, so the walk costs a few
microseconds per equation on top of the NumPy work.

What the walk computes depends only on the *structure* of the forward jaxpr:

- its primitives, parameters, wiring and literal values;
- the abstract values of its inputs;
- which output cotangents are given.

It does not depend on the values.  So when a structure comes back (the second
call of a training step), the walk is traced once, abstractly, into a
straight-line backward jaxpr.  Later calls run that jaxpr as a loop of NumPy
``impl`` calls over a list of registers.  The result is the same computation, in
the same order, without the rules' Python.

Only plain structures are compiled: every parameter must be a number, string,
dtype or tuple of those.  Equations that hold sub-jaxprs or user functions keep
the walk:

- control flow, ``jit`` calls, ``checkpoint``;
- custom rules, whose user code runs on each call as in JAX;
- callbacks and other effects.

So does anything traced or not a NumPy value (nesting, ``vmap``).
"""
from __future__ import annotations

import gc

import numpy as np

from ..core import Literal, Var, trace_flat
from ..core.ir import eqn_has_effects

COMPILE_AFTER = 2    # compile a structure the second time it is differentiated
MAX_ENTRIES = 256    # structures remembered (oldest dropped first)

_tapes: dict = {}    # signature -> _Tape, or None when it cannot be compiled
_seen: dict = {}     # signature -> times seen before compiling

_BOOL, _FLOAT, _DTYPE, _SCALAR, _LIT = (object() for _ in range(5))  # tags: True == 1,
# 0.0 == -0.0 and np.dtype("f4") == "f4" in Python, but not in a program


class _Uncacheable(Exception):
    pass


_PLAIN = frozenset({int, str, type(None)})  # equal only to themselves among parameters
_frozen_tuples: dict = {}  # id(tuple) -> (tuple, key): the rules' parameter tuples are
# mostly made once and reused (dimension numbers, axes), so their keys are too


def _frozen(v):
    """A hashable key equal only for parameters that give the same program."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is tuple:
        hit = _frozen_tuples.get(id(v))
        if hit is not None and hit[0] is v:
            return hit[1]
        f = tuple([x if type(x) in _PLAIN else _frozen(x) for x in v])
        if len(_frozen_tuples) >= 4 * MAX_ENTRIES:
            _frozen_tuples.clear()
        _frozen_tuples[id(v)] = (v, f)  # holding v: its id names it while it is here
        return f
    if t is bool:
        return (_BOOL, v)
    if t is float:
        return (_FLOAT, v.hex())
    if isinstance(v, np.dtype):
        return (_DTYPE, v)
    if isinstance(v, np.generic) or (t is np.ndarray and not v.shape):
        return (_SCALAR, v.dtype, v.tobytes())
    if t is type and issubclass(v, np.generic):
        return (_DTYPE, np.dtype(v))
    raise _Uncacheable


def _literal_key(lit: Literal):
    key = lit.key
    if key is None:
        a = lit.aval
        key = lit.key = (_LIT, a.shape, a.dtype, a.weak_type, _frozen(lit.val))
    return key


def _signature(jaxpr, cts: list):
    """``(key, variables in canonical order)`` of a forward jaxpr and the given output
    cotangents, or ``(None, None)`` when it cannot be compiled."""
    ids: dict = {}
    order: list = []
    parts: list = [len(jaxpr.constvars), len(jaxpr.invars), len(cts)]
    for c in cts:  # first: under vmap (jacrev) they are traced, and nothing is compiled
        if c is None:
            parts.append(None)
        elif type(c) is np.ndarray or isinstance(c, np.generic):
            parts.append((c.shape, c.dtype))
        else:
            return None, None
    get = ids.get
    try:
        for v in (*jaxpr.constvars, *jaxpr.invars):
            ids[v] = len(order)
            order.append(v)
            a = v.aval
            parts.append((a.shape, a.dtype, a.weak_type))
        for eqn in jaxpr.eqns:
            prim = eqn.prim
            if prim.effectful:
                return None, None
            ins = tuple(map(get, eqn.invars))
            if None in ins:  # literals
                ins = tuple([ids[v] if type(v) is Var else _literal_key(v) for v in eqn.invars])
            params = eqn.params
            parts.append((prim, ins, tuple([(k, p if type(p) in _PLAIN else _frozen(p))
                                            for k, p in params.items()]) if params else ()))
            for v in eqn.outvars:
                ids[v] = len(order)
                order.append(v)
        parts.append(tuple([ids[v] if type(v) is Var else _literal_key(v)
                            for v in jaxpr.outvars]))
    except _Uncacheable:
        return None, None
    return tuple(parts), order


class _Tape:
    """A straight-line backward program over registers: constants (literals included),
    then the forward values it reads, then the given cotangents, then one register
    per equation output."""

    __slots__ = ("consts", "reads", "program", "outs", "n_regs")

    def __init__(self, consts, reads, program, outs, n_regs):
        self.consts = consts      # values of the first registers
        self.reads = reads        # canonical indices of the forward variables it reads
        self.program = program    # (impl, input registers, output register(s), params,
        #                           multiple results, registers to free afterwards)
        self.outs = outs          # per forward input: its cotangent's register or None
        self.n_regs = n_regs

    def run(self, order: list, env: dict, cts: list) -> list | None:
        regs = list(self.consts)
        for i in self.reads:
            x = env.get(order[i])
            if type(x) is not np.ndarray and not isinstance(x, np.generic):
                return None  # unknown, a jax array or another value: walk the rules
            regs.append(x)
        regs.extend([c for c in cts if c is not None])
        regs.extend([None] * (self.n_regs - len(regs)))
        with np.errstate(all="ignore"):  # as the walk (``interpreting``): inf/NaN flow
            for impl, ins, out, params, multi, frees in self.program:
                r = impl(*[regs[i] for i in ins], **params)
                if multi:
                    for o, x in zip(out, r):
                        regs[o] = x
                else:
                    regs[out] = r
                for i in frees:
                    regs[i] = None
        return [None if o is None else regs[o] for o in self.outs]


def _compile(jaxpr, order: list, cts: list) -> _Tape | None:
    """Trace the reverse walk over ``jaxpr`` abstractly into a ``_Tape``."""
    from .ad import _backward_loop
    given = [c is not None for c in cts]
    ct_avals = [ShapedArray(c.shape, c.dtype) for c in cts if c is not None]
    n = len(order)
    zero_out: list = []

    def walk(*args):
        env = dict(zip(order, args[:n]))
        it = iter(args[n:])
        res = _backward_loop(jaxpr, env, [next(it) if g else None for g in given], None)
        zero_out.extend(c is None for c in res)
        return [c for c in res if c is not None]

    b, consts, _ = trace_flat(walk, [v.aval for v in order] + ct_avals, dce=True,
                              name="grad (compiled backward pass)")
    if any(eqn_has_effects(e) for e in b.eqns):
        return None
    for c in consts:
        if type(c) is not np.ndarray and not isinstance(c, np.generic):
            return None
    reg: dict = {}
    values = list(consts)
    reg.update((v, i) for i, v in enumerate(b.constvars))
    lit_reg: dict = {}
    atoms = [v for e in b.eqns for v in e.invars] + list(b.outvars)
    for v in atoms:
        if type(v) is Literal and id(v) not in lit_reg:
            lit_reg[id(v)] = len(values)
            val = v.val
            values.append(val.copy() if type(val) is np.ndarray else val)  # not the user's
    n_const = len(values)
    used = {v for v in atoms if type(v) is Var}
    reads = [i for i, v in enumerate(b.invars[:n]) if v in used]
    for i in reads:
        reg[b.invars[i]] = len(reg) + len(lit_reg)
    for v in b.invars[n:]:
        reg[v] = len(reg) + len(lit_reg)
    for e in b.eqns:
        for v in e.outvars:
            reg[v] = len(reg) + len(lit_reg)

    def slot(v):
        return reg[v] if type(v) is Var else lit_reg[id(v)]

    keep = {v for v in b.outvars if type(v) is Var}
    last_use: dict = {}
    for k, e in enumerate(b.eqns):
        for v in e.invars:
            if type(v) is Var:
                last_use[v] = k
    frees: list = [[] for _ in b.eqns]
    for v, k in last_use.items():
        if v not in keep and reg[v] >= n_const:
            frees[k].append(reg[v])
    program = [(e.prim.impl, tuple([slot(v) for v in e.invars]),
                tuple([reg[v] for v in e.outvars]) if e.prim.multiple_results
                else reg[e.outvars[0]], e.params, e.prim.multiple_results, tuple(frees[k]))
               for k, e in enumerate(b.eqns)]
    outs_iter = iter(b.outvars)
    outs = [None if z else slot(next(outs_iter)) for z in zero_out]
    return _Tape(values, reads, program, outs, len(reg) + len(lit_reg))


def compiled_backward(jaxpr, env: dict, cts: list) -> list | None:
    """The cotangents of ``jaxpr.invars`` (None where zero) from a compiled tape, or
    None when the caller must walk the rules (not compiled yet, or not compilable).
    The cyclic GC is paused meanwhile, as in the walk (``interpreting``): the many
    small acyclic objects would otherwise trigger full rescans on long programs."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _compiled_backward(jaxpr, env, cts)
    finally:
        if paused:
            gc.enable()


def _compiled_backward(jaxpr, env: dict, cts: list) -> list | None:
    key, order = _signature(jaxpr, cts)
    if key is None:
        return None
    tape = _tapes.get(key, False)
    if tape is False:
        n = _seen.get(key, 0) + 1
        if n < COMPILE_AFTER:
            if len(_seen) >= MAX_ENTRIES:
                del _seen[next(iter(_seen))]
            _seen[key] = n
            return None
        _seen.pop(key, None)
        try:
            tape = _compile(jaxpr, order, cts)
        except Exception:  # a rule that needs values: the walk raises or works, as before
            tape = None
        if len(_tapes) >= MAX_ENTRIES:
            del _tapes[next(iter(_tapes))]
        _tapes[key] = tape
    if tape is None:
        return None
    return tape.run(order, env, cts)


def clear() -> None:
    """Forget every compiled backward pass (``fl.clear_caches``)."""
    _tapes.clear()
    _seen.clear()
    _frozen_tuples.clear()


from ..core.avals import ShapedArray  # noqa: E402
