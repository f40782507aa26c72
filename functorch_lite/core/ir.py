"""The IR: variables, literals, equations and jaxprs, with JAX's printer and a type checker.

Every walk over a jaxpr is a loop over its equation list, never recursion
over the equations, so 100,000-equation programs print and check fine.
"""
from __future__ import annotations

import numpy as np

from .avals import ShapedArray


class Var:
    """A variable of the IR, typed by an abstract value."""

    __slots__ = ("aval", "__weakref__")

    def __init__(self, aval: ShapedArray):
        self.aval = aval

    def __repr__(self) -> str:
        return f"Var({self.aval.str_short()})"


class Literal:
    """A scalar constant written inline in an equation, printed as ``1.0:f32[]``."""

    __slots__ = ("val", "aval", "key")

    def __init__(self, val, aval: ShapedArray):
        self.val = val
        self.aval = aval
        self.key = None  # a hashable identity of value and type, made when first needed

    def __repr__(self) -> str:
        return f"Literal({self.val!r})"


class Eqn:
    """``outvars = primitive[params] invars``."""

    __slots__ = ("prim", "invars", "outvars", "params")

    def __init__(self, prim, invars: list, outvars: list, params: dict):
        self.prim = prim
        self.invars = invars
        self.outvars = outvars
        self.params = params

    def __repr__(self) -> str:
        return f"Eqn({self.prim.name})"


class Jaxpr:
    """A typed program: ``{ lambda constvars ; invars . let eqns in outvars }``."""

    __slots__ = ("constvars", "invars", "eqns", "outvars", "memo")

    def __init__(self, constvars: list, invars: list, eqns: list, outvars: list):
        self.constvars = constvars
        self.invars = invars
        self.eqns = eqns
        self.outvars = outvars
        self.memo = None  # what a transformation derived from this jaxpr, kept with it
        # (the compiled backward pass's signature and tape)

    @property
    def in_avals(self) -> list:
        return [v.aval for v in self.invars]

    @property
    def out_avals(self) -> list:
        return [v.aval for v in self.outvars]

    def __str__(self) -> str:
        return pp_jaxpr(self)

    __repr__ = __str__


class ClosedJaxpr:
    """A jaxpr together with the values of its constvars."""

    __slots__ = ("jaxpr", "consts")

    def __init__(self, jaxpr: Jaxpr, consts: list):
        self.jaxpr = jaxpr
        self.consts = list(consts)

    @property
    def in_avals(self) -> list:
        return self.jaxpr.in_avals

    @property
    def out_avals(self) -> list:
        return self.jaxpr.out_avals

    @property
    def eqns(self) -> list:
        return self.jaxpr.eqns

    def __str__(self) -> str:
        return pp_jaxpr(self.jaxpr)

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):  # IPython
        p.text(str(self))


# ----------------------------------------------------------------------------- printer

def _var_name(n: int) -> str:
    s = ""
    while not s or n:
        n, i = divmod(n, 26)
        s = chr(97 + i) + s
    return s


def _fmt_literal(lit: Literal) -> str:
    v = lit.val
    if isinstance(v, np.ndarray):
        v = v.item() if v.ndim == 0 else v
    if isinstance(v, (np.generic,)):
        v = v.item()
    if lit.aval.dtype == np.bool_:
        s = str(bool(v))
    elif isinstance(v, float):
        s = repr(float(v))
    else:
        s = str(v)
    return f"{s}:{lit.aval.str_short()}"


def _fmt_param(v, names: dict, indent: int) -> str:
    if isinstance(v, ClosedJaxpr):
        v = v.jaxpr
    if isinstance(v, Jaxpr):
        return _pp(v, names, indent + 4)
    if isinstance(v, (tuple, list)) and v and all(isinstance(e, (Jaxpr, ClosedJaxpr)) for e in v):
        return "(\n" + "\n".join(" " * (indent + 4) + _fmt_param(e, names, indent + 4)
                                 for e in v) + "\n" + " " * indent + ")"
    if isinstance(v, np.dtype):
        return v.name
    if isinstance(v, type) and issubclass(v, np.generic):
        return np.dtype(v).name
    if callable(v) and hasattr(v, "__name__"):
        return v.__name__
    return str(v)


_WIDTH = 80  # JAX's pretty-printer width: what fits on one line stays on one line


def _pp(jaxpr: Jaxpr, names: dict, indent: int) -> str:
    def name(v):
        if isinstance(v, Literal):
            return _fmt_literal(v)
        n = names.get(v)
        if n is None:
            n = names[v] = _var_name(len(names))
        return n

    def binder(v):
        return f"{name(v)}:{v.aval.str_short()}"

    consts = " ".join(binder(v) for v in jaxpr.constvars)
    ins = " ".join(binder(v) for v in jaxpr.invars)
    head = f"{{ lambda {consts}; {ins}. let"
    pad = " " * (indent + 4)
    eqn_lines = []
    for eqn in jaxpr.eqns:
        args = " ".join(name(v) for v in eqn.invars)
        lhs = " ".join(binder(v) for v in eqn.outvars)
        params = sorted(eqn.params.items())
        ptxt = ""
        if params:
            items = [f"{k}={_fmt_param(v, names, indent + 4)}" for k, v in params]
            ptxt = f"[{' '.join(items)}]"
            if "\n" in ptxt or len(pad) + len(f"{lhs} = {eqn.prim.name}{ptxt} {args}") > _WIDTH:
                ptxt = "[\n" + "\n".join(pad + "  " + it for it in items) + "\n" + pad + "]"
        lhs = f"{lhs} = " if eqn.outvars else ""  # an effect binds nothing (JAX's layout)
        eqn_lines.append(f"{lhs}{eqn.prim.name}{ptxt} {args}".rstrip())
    outs = ", ".join(name(v) for v in jaxpr.outvars)
    outs = f"({outs}{',' if len(jaxpr.outvars) == 1 else ''})"
    if not jaxpr.eqns:
        return f"{head}  in {outs} }}"
    one_line = f"{head} {'; '.join(eqn_lines)} in {outs} }}"
    if "\n" not in one_line and indent + len(one_line) <= _WIDTH:
        return one_line
    tail = f"{' ' * (indent + 2)}in {outs} }}"
    return "\n".join([head] + [pad + e for e in eqn_lines] + [tail])


def pp_jaxpr(jaxpr: Jaxpr) -> str:
    """Print a jaxpr in JAX's layout (names a, b, ..., z, ba, bb, ...)."""
    return _pp(jaxpr, {}, 0)


# ----------------------------------------------------------------------------- type checker

class JaxprTypeError(TypeError):
    """Raised by :func:`check_jaxpr` for an ill-typed jaxpr."""


def check_jaxpr(jaxpr: Jaxpr | ClosedJaxpr) -> None:
    """Check that every variable is bound once before use and every equation's
    output types equal its primitive's abstract evaluation of the input types.

    Raises :class:`JaxprTypeError` naming the equation at fault.
    """
    if isinstance(jaxpr, ClosedJaxpr):
        jaxpr = jaxpr.jaxpr
    defined: set = set()

    def bind(v, where):
        if not isinstance(v, Var):
            raise JaxprTypeError(f"{where}: binder {v!r} is not a Var")
        if v in defined:
            raise JaxprTypeError(f"{where}: variable {v!r} is bound twice")
        defined.add(v)

    def read(v, where):
        if isinstance(v, Literal):
            return v.aval
        if not isinstance(v, Var):
            raise JaxprTypeError(f"{where}: operand {v!r} is neither Var nor Literal")
        if v not in defined:
            raise JaxprTypeError(f"{where}: variable {v!r} is used before it is defined")
        return v.aval

    for v in jaxpr.constvars:
        bind(v, "constvars")
    for v in jaxpr.invars:
        bind(v, "invars")
    for i, eqn in enumerate(jaxpr.eqns):
        where = f"equation {i} ({eqn.prim.name})"
        in_avals = [read(v, where) for v in eqn.invars]
        try:
            out = eqn.prim.abstract_eval(*in_avals, **eqn.params)
        except Exception as e:  # the primitive's own shape/dtype error
            raise JaxprTypeError(f"{where}: {e}") from e
        outs = list(out) if eqn.prim.multiple_results else [out]
        if len(outs) != len(eqn.outvars):
            raise JaxprTypeError(f"{where}: primitive gives {len(outs)} outputs, "
                                 f"equation binds {len(eqn.outvars)}")
        for a, v in zip(outs, eqn.outvars):
            if (a.shape, a.dtype) != (v.aval.shape, v.aval.dtype):
                raise JaxprTypeError(f"{where}: output typed {v.aval.str_short()} but the "
                                     f"primitive gives {a.str_short()}")
            bind(v, where)
    for v in jaxpr.outvars:
        read(v, "outvars")


def _sub_jaxprs(params: dict) -> list:
    subs = []
    for p in params.values():
        if isinstance(p, (Jaxpr, ClosedJaxpr)):
            subs.append(p)
        elif isinstance(p, (tuple, list)):
            subs.extend(e for e in p if isinstance(e, (Jaxpr, ClosedJaxpr)))
    return subs


def eqn_has_effects(eqn: Eqn) -> bool:
    """Whether ``eqn`` has a side effect: its primitive is ``effectful``, or a jaxpr in
    its params (a control-flow body, a jit call) holds such an equation, at any depth.

    >>> import functorch_lite as fl
    >>> cj = fl.make_jaxpr(lambda x: (fl.debug.print("{}", x), x * 2.0)[1])(1.0)
    >>> [eqn_has_effects(e) for e in cj.eqns]
    [True, False]
    """
    return eqn.prim.effectful or params_have_effects(eqn.params)


def params_have_effects(params: dict) -> bool:
    """Whether a jaxpr among ``params`` holds an effectful equation, at any depth."""
    if not params:
        return False
    todo = _sub_jaxprs(params)
    while todo:  # a loop, not recursion: bodies nest to any depth
        j = todo.pop()
        for e in (j.jaxpr if isinstance(j, ClosedJaxpr) else j).eqns:
            if e.prim.effectful:
                return True
            todo.extend(_sub_jaxprs(e.params))
    return False


def dce_jaxpr(jaxpr: Jaxpr) -> Jaxpr:
    """Drop equations whose outputs are never used; equations with a side effect
    (:func:`eqn_has_effects`, e.g. ``debug.print``) stay, as in JAX."""
    live = {v for v in jaxpr.outvars if isinstance(v, Var)}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        if any(v in live for v in eqn.outvars) or eqn_has_effects(eqn):
            kept.append(eqn)
            for v in eqn.invars:
                if isinstance(v, Var):
                    live.add(v)
    kept.reverse()
    if len(kept) == len(jaxpr.eqns):
        return jaxpr
    return Jaxpr(jaxpr.constvars, jaxpr.invars, kept, jaxpr.outvars)

