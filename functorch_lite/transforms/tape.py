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
from keyword import iskeyword

import numpy as np

from ..core import Literal, Var, keys, trace_flat
from ..core.avals import ShapedArray
from ..core.ir import eqn_has_effects
from ..core.keys import PLAIN, Unkeyable, literal_key, param_key

COMPILE_AFTER = 2    # compile a structure the second time it is differentiated
MAX_ENTRIES = 256    # structures remembered (oldest dropped first)

_tapes: dict = {}    # signature -> _Tape, or None when it cannot be compiled
_seen: dict = {}     # signature -> times seen before compiling

_generation = 0      # bumped by clear(): a tape remembered on a jaxpr (``Jaxpr.memo``) from
# an earlier generation is looked up again


def _ct_key(cts: list) -> tuple | None:
    """The given output cotangents' shapes and dtypes (None for a zero one), or None when
    one is traced (under vmap, as in jacrev: nothing is compiled)."""
    parts = []
    for c in cts:
        if c is None:
            parts.append(None)
        elif type(c) is np.ndarray or isinstance(c, np.generic):
            parts.append((c.shape, c.dtype))
        else:
            return None
    return tuple(parts)


def _signature(jaxpr, cts: list):
    """``(key, variables in canonical order)`` of a forward jaxpr and the given output
    cotangents, or ``(None, None)`` when it cannot be compiled."""
    ids: dict = {}
    order: list = []
    parts: list = [len(jaxpr.constvars), len(jaxpr.invars), _ct_key(cts)]
    if parts[-1] is None:
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
                ins = tuple([ids[v] if type(v) is Var else literal_key(v) for v in eqn.invars])
            params = eqn.params
            parts.append((prim, ins, tuple([(k, p if type(p) in PLAIN else param_key(p))
                                            for k, p in params.items()]) if params else ()))
            for v in eqn.outvars:
                ids[v] = len(order)
                order.append(v)
        parts.append(tuple([ids[v] if type(v) is Var else literal_key(v)
                            for v in jaxpr.outvars]))
    except Unkeyable:
        return None, None
    return tuple(parts), order


class _Tape:
    """A compiled backward pass: one generated Python function of straight-line code,
    each line one NumPy call of the backward jaxpr (``source`` shows it): the
    primitive's ``specialize`` function for its operands' abstract values where it has
    one, else its ``impl``."""

    __slots__ = ("reads", "fn", "source")

    def __init__(self, reads, fn, source):
        self.reads = reads    # canonical indices of the forward variables it reads
        self.fn = fn          # fn(*read values, *given cotangents) -> input cotangents
        self.source = source

    def run(self, order: list, env: dict, cts: list) -> list | None:
        args = []
        for i in self.reads:
            x = env.get(order[i])
            if type(x) is not np.ndarray and not isinstance(x, np.generic):
                return None  # unknown, a jax array or another value: walk the rules
            args.append(x)
        args.extend([c for c in cts if c is not None])
        with np.errstate(all="ignore"):  # as the walk (``interpreting``): inf/NaN flow
            return self.fn(*args)


def _compile(jaxpr, order: list, cts: list) -> _Tape | None:
    """Trace the reverse walk over ``jaxpr`` abstractly, then write it as Python."""
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
    names: dict = {}      # Var or id(Literal) -> its name in the generated code
    space: dict = {}      # the generated function's globals: impls, params, constants
    for v, c in zip(b.constvars, consts):
        names[v] = f"c{len(space)}"
        space[names[v]] = c
    atoms = [v for e in b.eqns for v in e.invars] + list(b.outvars)
    for v in atoms:
        if type(v) is Literal and id(v) not in names:
            names[id(v)] = f"c{len(space)}"
            val = v.val
            space[names[id(v)]] = val.copy() if type(val) is np.ndarray else val  # not
            # the user's array, which may change
    used = {v for v in atoms if type(v) is Var}
    reads = [i for i, v in enumerate(b.invars[:n]) if v in used]
    args = []
    for v in [b.invars[i] for i in reads] + list(b.invars[n:]):
        names[v] = f"r{len(names)}"
        args.append(names[v])

    def name(v):
        return names[v] if type(v) is Var else names[id(v)]

    keep = {v for v in b.outvars if type(v) is Var}
    last_use: dict = {}
    for k, e in enumerate(b.eqns):
        for v in e.invars:
            if type(v) is Var:
                last_use[v] = k
    dies: dict = {}       # equation index -> variables read for the last time there
    constvars = set(b.constvars)
    for v, k in last_use.items():
        if v not in keep and v not in constvars:
            dies.setdefault(k, []).append(v)
    lines = [f"def backward({', '.join(args)}):"]
    for k, e in enumerate(b.eqns):
        f = f"f{k}"
        spec = e.prim.specialize  # the primitive's NumPy call for exactly these avals
        fast = None if spec is None else spec(*[v.aval for v in e.invars], **e.params)
        space[f] = e.prim.impl if fast is None else fast
        call = [name(v) for v in e.invars]
        for key, val in e.params.items() if fast is None else ():
            if not key.isidentifier() or iskeyword(key):
                return None
            space[f"p{k}_{key}"] = val
            call.append(f"{key}=p{k}_{key}")
        for v in e.outvars:
            names[v] = f"r{len(names)}"
        outs = ", ".join(names[v] for v in e.outvars)
        if e.prim.multiple_results:
            outs = f"[{outs}]"
        lines.append(f"    {outs} = {f}({', '.join(call)})")
        dead = [names[v] for v in dies.get(k, ())]
        if dead:  # free intermediate values as soon as possible, as the walk does
            lines.append(f"    del {', '.join(dead)}")
    outs_iter = iter(b.outvars)
    results = ["None" if z else name(next(outs_iter)) for z in zero_out]
    lines.append(f"    return [{', '.join(results)}]")
    source = "\n".join(lines)
    exec(compile(source, "<functorch_lite compiled backward pass>", "exec"), space)
    return _Tape(reads, space["backward"], source)


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


class _Remembered:
    """What a jaxpr's backward pass was found to be (kept as ``Jaxpr.memo``): valid for
    the same cotangent shapes, until ``clear()`` starts a new generation."""

    __slots__ = ("ct_key", "order", "tape", "generation")

    def __init__(self, ct_key: tuple, order: list, tape, generation: int):
        self.ct_key = ct_key
        self.order = order
        self.tape = tape  # a _Tape, None (cannot be compiled) or False (not compiled yet)
        self.generation = generation


def _compiled_backward(jaxpr, env: dict, cts: list) -> list | None:
    m = jaxpr.memo
    if m is not None and m.generation == _generation and m.tape is not False \
            and m.ct_key == _ct_key(cts):
        # the same jaxpr object again (a guided trace repeated it): no signature to make
        return None if m.tape is None else m.tape.run(m.order, env, cts)
    key, order = _signature(jaxpr, cts)
    if key is None:
        return None
    tape = _tape_for(key, jaxpr, order, cts)
    jaxpr.memo = _Remembered(key[2], order, tape, _generation)
    if tape is None or tape is False:
        return None
    return tape.run(order, env, cts)


def _tape_for(key, jaxpr, order: list, cts: list):
    """The tape of signature ``key``: compiled the COMPILE_AFTER-th time the signature
    is seen; False before that; None when it cannot be compiled."""
    tape = _tapes.get(key, False)
    if tape is False:
        n = _seen.get(key, 0) + 1
        if n < COMPILE_AFTER:
            if len(_seen) >= MAX_ENTRIES:
                del _seen[next(iter(_seen))]
            _seen[key] = n
            return False
        _seen.pop(key, None)
        try:
            tape = _compile(jaxpr, order, cts)
        except Exception:  # a rule that needs values: the walk raises or works, as before
            tape = None
        if len(_tapes) >= MAX_ENTRIES:
            del _tapes[next(iter(_tapes))]
        _tapes[key] = tape
    return tape


def clear() -> None:
    """Forget every compiled backward pass (``fl.clear_caches``)."""
    global _generation
    _generation += 1
    _tapes.clear()
    _seen.clear()
    keys.clear()

