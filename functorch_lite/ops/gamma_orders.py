"""``polygamma`` with the order as an array operand (``jax.lax.polygamma(n, x)``), for
orders that are only known at run time (traced under ``jit``/``vmap``).  ``ops/gamma.py``'s
``polygamma_p`` takes a static order and serves every concrete one.

- ``n`` has ``x``'s float dtype and holds integers ``>= 0``; any other order gives NaN
  (as XLA's);
- d/dx polygamma(n, x) = polygamma(n + 1, x), so every derivative exists; ``n`` is an
  integer order, with no derivative (a zero tangent).

Eagerly each distinct order is evaluated by ``ops/gamma.py``'s impl (SciPy's with JAX's
values at the poles); under ``jit`` it lowers to ``jax.lax.polygamma``.
"""
from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import bind
from ..core.dtypes import FLOATS
from .elementwise import _c, add, binary, mul
from .gamma import _polygamma_impl
from .rules import defjvp, defvjp


def _impl(n, x):
    n, x = np.broadcast_arrays(np.asarray(n), np.asarray(x))
    out = np.full(x.shape, np.nan, x.dtype)
    valid = np.isfinite(n) & (n >= 0) & (n == np.floor(n))
    for m in np.unique(n[valid]):
        sel = n == m
        out[sel] = _polygamma_impl(x[sel], m=int(m))
    return out


polygamma_n_p = binary("polygamma_n", _impl,
                       lambda n, x: lax.polygamma(*jnp.broadcast_arrays(n, x)), FLOATS)


def polygamma_n(n, x):
    """``polygamma(n, x)`` elementwise with a float array of orders ``n`` (of ``x``'s dtype).

    >>> polygamma_n(np.array([0.0, 1.0, 0.5]), np.array([1.0, 1.0, 1.0]))
    array([-0.57721566,  1.64493407,         nan])
    """
    return bind(polygamma_n_p, n, x)


def _slope(n, x):
    return polygamma_n(add(n, _c(n, 1)), x)


defjvp(polygamma_n_p, None, lambda t, ans, n, x: mul(t, _slope(n, x)))
defvjp(polygamma_n_p, None, lambda g, ans, n, x: mul(g, _slope(n, x)), unbroadcast=True)
