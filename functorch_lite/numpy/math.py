"""Elementwise ``fnp`` functions: arithmetic, transcendental math, comparisons, logic."""
from __future__ import annotations

from ..core import bind
from ..ops import elementwise as ew
from .promotion import promote_args


def _unary_float(prim, name):
    def f(x):
        (x,) = promote_args(name, x, to_float=True)
        return bind(prim, x)
    f.__name__ = name
    f.__doc__ = f"""Elementwise ``{name}``, as ``numpy.{name}`` (ints promote to float32).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.{name}(fnp.zeros(2)).dtype
    dtype('float32')
    """
    return f


def _binary(prim, name, to_float=False):
    def f(x, y):
        x, y = promote_args(name, x, y, to_float=to_float)
        return bind(prim, x, y)
    f.__name__ = name
    f.__doc__ = f"""Elementwise ``{name}`` with NumPy broadcasting and JAX dtype promotion.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.{name}(fnp.ones(2), fnp.ones(2)).shape
    (2,)
    """
    return f


sin = _unary_float(ew.sin_p, "sin")
cos = _unary_float(ew.cos_p, "cos")
exp = _unary_float(ew.exp_p, "exp")
log = _unary_float(ew.log_p, "log")
tanh = _unary_float(ew.tanh_p, "tanh")
add = _binary(ew.add_p, "add")
subtract = _binary(ew.sub_p, "subtract")
multiply = _binary(ew.mul_p, "multiply")
true_divide = divide = _binary(ew.div_p, "divide", to_float=True)
maximum = _binary(ew.max_p, "maximum")
minimum = _binary(ew.min_p, "minimum")
