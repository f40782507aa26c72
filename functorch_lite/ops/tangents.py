"""``add_any``: the sum of two tangents/cotangents (the "gradient adder" of fan-out).

The reverse pass adds the cotangents of a variable used several times with this
primitive, so that it, too, can be differentiated, batched and lowered.
"""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from ..core import Primitive, ShapedArray, bind
from .rules import def_elementwise_batch, defjvp, defvjp


def _broadcast(name, *shapes):
    # under vmap one addend may be unbatched: NumPy broadcasting, as for the other adds
    return _elementwise.broadcast_shapes(name, *shapes)

add_any_p = Primitive("add_any")
add_any_p.impl = np.add
add_any_p.abstract_eval = lambda x, y: ShapedArray(
    _broadcast("add_any", x.shape, y.shape), x.dtype, x.weak_type and y.weak_type)
add_any_p.lower = jnp.add
def_elementwise_batch(add_any_p)
defjvp(add_any_p, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
defvjp(add_any_p, lambda g, ans, x, y: g, lambda g, ans, x, y: g, unbroadcast=True)


def add_any(x, y):
    return bind(add_any_p, x, y)


def zeros(aval) -> np.ndarray:
    """A concrete zero of ``aval``'s shape and dtype (a constant in any trace)."""
    return np.zeros(aval.shape, aval.dtype)

from . import elementwise as _elementwise  # noqa: E402
