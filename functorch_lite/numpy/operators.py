"""Operators and array methods of traced values, as ``jax.Array`` has them.

Importing this module installs onto :class:`functorch_lite.core.Tracer` the Python
operators (``+ - * / // % ** @ -x +x abs() < <= > >= == != & | ^ ~`` and their
reflected forms), indexing (``x[idx]``, ``x.at[idx].set(v)``), ``.T`` and the usual
methods (``.sum()``, ``.reshape(...)``, ``.astype(...)``, ...).  Each one calls the
``fnp`` function of the same meaning, so a traced program reads like NumPy.

Methods whose functions live in other ``fnp`` modules look them up when called,
so this module depends only on the package being importable.

>>> import functorch_lite as fl, numpy as np
>>> fl.grad(lambda x: x * x + 1.0)(np.float32(3.0))
np.float32(6.0)
"""
from __future__ import annotations

import sys

import jax
import numpy as np

from ..core import Tracer, bind
from ..core.avals import weak_scalar
from ..core.dtypes import DEFAULT_FLOAT, FLOATS, check_supported
from ..ops import elementwise as ew
from ..ops.elementwise import convert_element_type
from . import math as _m

__all__: list = []

# Operand types an operator accepts; anything else gets NotImplemented so Python can
# try the other operand's reflected method (JAX does the same).
_ACCEPTED = (Tracer, np.ndarray, np.generic, int, float, bool, jax.Array)


def _fnp():
    """The ``functorch_lite.numpy`` package (looked up at call time)."""
    return sys.modules[__package__]


def _accepts(other) -> bool:
    return isinstance(other, _ACCEPTED) or (hasattr(other, "shape") and hasattr(other, "dtype")
                                            and hasattr(other, "__jax_array__"))


def _binary(fn):
    def op(self, other):
        if not _accepts(other):
            return NotImplemented
        return fn(self, other)

    def rop(self, other):
        if not _accepts(other):
            return NotImplemented
        return fn(other, self)
    return op, rop


def _lazy(name: str):
    """A binary function of ``fnp`` found by name when called (e.g. ``matmul``)."""
    return lambda x, y: getattr(_fnp(), name)(x, y)


_BINARY = {
    "add": _m.add, "sub": _m.subtract, "mul": _m.multiply, "truediv": _m.true_divide,
    "floordiv": _m.floor_divide, "mod": _m.remainder, "pow": _m.power,
    "matmul": _lazy("matmul"), "divmod": _m.divmod,
    "and": _m.bitwise_and, "or": _m.bitwise_or, "xor": _m.bitwise_xor,
}

for _name, _fn in _BINARY.items():
    _op, _rop = _binary(_fn)
    setattr(Tracer, f"__{_name}__", _op)
    setattr(Tracer, f"__r{_name}__", _rop)


def _same_float(a, other) -> bool:
    """Whether ``other`` (a tracer or NumPy array) already has float aval ``a``'s dtype,
    weak type and rank: then promotion has nothing to do."""
    t = type(other)
    if t is Tracer:
        b = other.aval
        return b.dtype == a.dtype and b.weak_type == a.weak_type and len(b.shape) == len(a.shape)
    return (t is np.ndarray and other.dtype == a.dtype and not a.weak_type
            and other.ndim == len(a.shape))


def _float_scalar_binary(fn, prim):
    """``x + 2.0`` on a float tracer: the promotion's answer (a weak scalar of x's dtype)
    without the general path, as this is the commonest operation of a traced loss; so is
    an operand of the same float dtype and rank (nothing to promote)."""
    def op(self, other):
        a = self.aval
        if a.dtype in FLOATS:
            if type(other) is float:
                return bind(prim, self, weak_scalar(a.dtype, other))
            if _same_float(a, other):
                return bind(prim, self, other)
        if not _accepts(other):
            return NotImplemented
        return fn(self, other)

    def rop(self, other):
        a = self.aval
        if a.dtype in FLOATS:
            if type(other) is float:
                return bind(prim, weak_scalar(a.dtype, other), self)
            if _same_float(a, other):
                return bind(prim, other, self)
        if not _accepts(other):
            return NotImplemented
        return fn(other, self)
    return op, rop


for _name, _prim in (("add", ew.add_p), ("sub", ew.sub_p), ("mul", ew.mul_p),
                     ("truediv", ew.div_p)):
    _op, _rop = _float_scalar_binary(_BINARY[_name], _prim)
    setattr(Tracer, f"__{_name}__", _op)
    setattr(Tracer, f"__r{_name}__", _rop)

# Comparisons: Python reflects them itself (x < y falls back to y > x).
for _name, _fn in {"lt": _m.less, "le": _m.less_equal, "gt": _m.greater,
                   "ge": _m.greater_equal, "eq": _m.equal, "ne": _m.not_equal}.items():
    setattr(Tracer, f"__{_name}__", _binary(_fn)[0])

def _pow(self, other):
    """``x ** 2``: an ``integer_pow`` (as jnp.power with a concrete int exponent)."""
    if type(other) is int and self.aval.dtype in FLOATS:
        return bind(ew.integer_pow_p, self, y=other)
    if not _accepts(other):
        return NotImplemented
    return _m.power(self, other)


Tracer.__pow__ = _pow


def _neg(self):
    return bind(ew.neg_p, self) if self.aval.dtype in FLOATS else _m.negative(self)


Tracer.__neg__ = _neg
Tracer.__pos__ = lambda self: _m.positive(self)
Tracer.__abs__ = lambda self: _m.absolute(self)
Tracer.__invert__ = lambda self: _m.invert(self)
Tracer.__round__ = lambda self, ndigits=None: _m.round(self, ndigits or 0)


# --------------------------------------------------------------------- indexing


def _getitem(self, idx):
    return _fnp().indexing.getitem(self, idx)


def _setitem(self, idx, value):
    raise TypeError(
        f"traced arrays ({self.aval.str_short()}) are immutable: `x[idx] = y` is not "
        "supported. Use `x = x.at[idx].set(y)` (or .add, .multiply, ...) instead.")


Tracer.__getitem__ = _getitem
Tracer.__setitem__ = _setitem
Tracer.at = property(lambda self: _fnp().indexing.at(self))

# --------------------------------------------------------------------- methods


def _astype(self, dtype=None, copy: bool = False, device=None):
    """``x.astype(dtype)``: a strongly typed conversion (bool means ``!= 0``)."""
    dt = DEFAULT_FLOAT if dtype is None else check_supported(dtype, "astype")
    if dt == self.aval.dtype and not self.aval.weak_type:
        return self
    return convert_element_type(self, dt, weak_type=False)


def _reshape(self, *shape, order: str = "C"):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    if order != "C":
        return _fnp().reshape(self, shape, order=order)
    return _fnp().reshape(self, shape)


def _transpose(self, *axes):
    if not axes or (len(axes) == 1 and axes[0] is None):
        return _fnp().transpose(self)
    if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
        axes = axes[0]
    return _fnp().transpose(self, tuple(axes))


def _forward(name: str):
    """``x.name(*args, **kwargs)`` is ``fnp.name(x, *args, **kwargs)``."""
    def method(self, *args, **kwargs):
        return getattr(_fnp(), name)(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"``x.{name}(...)`` is ``fnp.{name}(x, ...)``."
    return method


for _name in ("sum", "mean", "max", "min", "prod", "var", "std", "any", "all", "argmax",
              "argmin", "cumsum", "cumprod", "dot", "squeeze", "swapaxes", "take", "ravel",
              "clip", "round", "repeat", "diagonal", "trace", "sort", "argsort"):
    setattr(Tracer, _name, _forward(_name))

Tracer.astype = _astype
Tracer.reshape = _reshape
Tracer.transpose = _transpose
Tracer.flatten = lambda self, order="C": _fnp().ravel(self)
Tracer.T = property(lambda self: _fnp().transpose(self))
Tracer.conj = Tracer.conjugate = lambda self: self  # real dtypes only
Tracer.real = property(lambda self: self)
Tracer.copy = lambda self: self


del _name, _fn, _op, _rop
