"""Keys of program structure: when two parameters or literals make the same program.

Python's ``==`` is too loose for that: ``True == 1``, ``0.0 == -0.0`` and
``np.dtype("f4") == "f4"``, yet each pair gives a different program.  The keys
here are hashable and equal only for values that give the same program; values
that have no such key (arrays, functions, sub-jaxprs) raise :class:`Unkeyable`.

Two users: the compiled backward pass (``transforms/tape.py``) keys its cache on
a whole jaxpr's structure, and a guided trace (``tracing.Trace``) checks that an
equation repeats one of a previous trace.

>>> param_key((1, 2)) == param_key((1, 2)), param_key(True) == param_key(1)
(True, False)
"""
from __future__ import annotations

import numpy as np

from .ir import Literal

_BOOL, _FLOAT, _DTYPE, _SCALAR, _LIT = (object() for _ in range(5))  # tags (see above)
PLAIN = frozenset({int, str, type(None)})  # parameters that are their own key (equal only
# to themselves)
_INT = frozenset({int})
_tuple_keys: dict = {}  # id(tuple) -> (tuple, key): the rules' parameter tuples are
# mostly made once and reused (dimension numbers, axes), so their keys are too
MAX_TUPLE_KEYS = 1024


class Unkeyable(Exception):
    """A parameter with no structural key (an array, a function, a sub-jaxpr)."""


def param_key(v):
    """A hashable key equal only for parameters that give the same program.

    >>> param_key(0.0) == param_key(-0.0)
    False
    """
    t = type(v)
    if t in PLAIN:
        return v
    if t is tuple:
        hit = _tuple_keys.get(id(v))
        if hit is not None and hit[0] is v:
            return hit[1]
        f = tuple([x if type(x) in PLAIN else param_key(x) for x in v])
        if len(_tuple_keys) >= MAX_TUPLE_KEYS:
            _tuple_keys.clear()
        _tuple_keys[id(v)] = (v, f)  # holding v: its id names it while it is here
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
    raise Unkeyable


def literal_key(lit: Literal):
    """A literal's key (value and abstract value), made once per literal.

    >>> from functorch_lite.core import Literal, ShapedArray
    >>> lit = Literal(np.float32(1.0), ShapedArray((), np.float32, True))
    >>> literal_key(lit) == literal_key(Literal(np.float32(1.0), lit.aval))
    True
    """
    key = lit.key
    if key is None:
        a = lit.aval
        key = lit.key = (_LIT, a.shape, a.dtype, a.weak_type, param_key(lit.val))
    return key


def same_params(p: dict, q: dict) -> bool:
    """Whether two equations' parameters give the same program (identical objects, or
    equal keys; False where a parameter has no key).

    >>> same_params({"axes": (0, 1)}, {"axes": (0, 1)}), same_params({"y": 2}, {"y": 2.0})
    (True, False)
    """
    if len(p) != len(q):
        return False
    for k, x in p.items():
        y = q.get(k, q)  # q itself: absent
        if x is y:
            continue
        if y is q or type(x) is not type(y):
            return False
        if type(x) is tuple and {type(a) for a in x + y} <= _INT and x == y:
            continue  # axes, shapes: made afresh by each call (types first, of both:
            # True == 1, and == on a tuple holding arrays would raise)
        try:
            if param_key(x) != param_key(y):
                return False
        except Unkeyable:
            return False
    return True


def same_atoms(us: list, vs: list) -> bool:
    """Whether two equations read the same operands: the same variables, and literals
    of equal keys.  A literal holding an array never matches another literal: the user
    may have changed the array in place since its key was made.

    >>> from functorch_lite.core import Var, ShapedArray
    >>> v = Var(ShapedArray((), np.float32))
    >>> same_atoms([v], [v]), same_atoms([v], [Var(v.aval)])
    (True, False)
    """
    if len(us) != len(vs):
        return False
    for u, v in zip(us, vs):
        if u is not v:
            if type(u) is not Literal or type(v) is not Literal \
                    or type(u.val) is np.ndarray or type(v.val) is np.ndarray:
                return False
            try:
                if literal_key(u) != literal_key(v):
                    return False
            except Unkeyable:
                return False
    return True


def clear() -> None:
    """Forget the remembered tuple keys."""
    _tuple_keys.clear()
