"""The log-gamma family: ``lgamma``, ``digamma`` and ``polygamma`` of a static integer
order (the derivatives of ``digamma``), as ``jax.lax``'s.

- ``lgamma(x) = log|Gamma(x)|``; d/dx lgamma = digamma;
- ``digamma = psi``; d/dx digamma = polygamma(1, x);
- ``polygamma(m, x)``; d/dx polygamma(m, x) = polygamma(m + 1, x), so every order of
  derivative exists (as in JAX).

Eagerly they are SciPy's (a jax dependency) in float64, rounded to the input's float
dtype, with JAX's values at the special points SciPy treats otherwise: digamma is NaN at
the poles 0, -1, -2, ... (SciPy: -inf at 0) and at -inf; lgamma(-inf) is inf;
polygamma of an odd order is inf at a pole and at -inf, of an even order NaN there, and
NaN at +inf (JAX's values; the limit is 0).  Under ``jit`` they lower to
``jax.lax.lgamma``/``digamma``/``polygamma``.
"""
from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import Primitive, bind
from ..core.dtypes import FLOATS
from .elementwise import _elementwise_aval, mul, unary
from .rules import def_elementwise_batch, defjvp, defvjp


def _scipy(fn, x):
    x = np.asarray(x)
    if x.dtype not in FLOATS:  # the shape/dtype rule then explains (eager binds skip it)
        raise TypeError(f"dtype {x.dtype} is not supported")
    with np.errstate(all="ignore"):
        out = fn(x.astype(np.float64))
    return out, x


def _poles(x):
    return (x <= 0) & (x == np.floor(x))


def _lgamma_impl(x):
    import scipy.special
    out, x = _scipy(scipy.special.gammaln, x)
    out = np.where(np.isneginf(x), np.inf, out)
    return np.asarray(out, x.dtype)


def _digamma_impl(x):
    import scipy.special
    out, x = _scipy(scipy.special.psi, x)
    out = np.where(_poles(x) | np.isneginf(x), np.nan, out)
    return np.asarray(out, x.dtype)


def _polygamma_impl(x, *, m):
    import scipy.special
    if m == 0:
        return _digamma_impl(x)
    out, x = _scipy(lambda v: scipy.special.polygamma(m, v), x)
    at_pole = np.inf if m % 2 else np.nan
    out = np.where(_poles(x) | np.isneginf(x), at_pole, out)
    out = np.where(np.isposinf(x), np.nan, out)
    return np.asarray(out, x.dtype)


lgamma_p = unary("lgamma", _lgamma_impl, lax.lgamma)
digamma_p = unary("digamma", _digamma_impl, lax.digamma)

polygamma_p = Primitive("polygamma")
_polygamma_aval = _elementwise_aval("polygamma", FLOATS)
polygamma_p.impl = _polygamma_impl
polygamma_p.abstract_eval = lambda a, *, m: _polygamma_aval(a)
polygamma_p.lower = lambda x, *, m: lax.polygamma(jnp.full_like(x, m), x)
def_elementwise_batch(polygamma_p)


def lgamma(x):
    """``log|Gamma(x)|``, elementwise (as ``jax.lax.lgamma``).

    >>> lgamma(np.array([0.5, 3.0]))
    array([0.57236494, 0.69314718])
    """
    return bind(lgamma_p, x)


def digamma(x):
    """The digamma function ``psi = d/dx lgamma``, elementwise (as ``jax.lax.digamma``).

    >>> digamma(np.array([1.0, 0.0]))
    array([-0.57721566,         nan])
    """
    return bind(digamma_p, x)


def polygamma(m: int, x):
    """The ``m``-th derivative of ``digamma`` (a static order ``m >= 0``), elementwise.

    >>> polygamma(1, np.array([1.0]))
    array([1.64493407])
    """
    return bind(polygamma_p, x, m=int(m))


defjvp(lgamma_p, lambda t, ans, x: mul(t, digamma(x)))
defvjp(lgamma_p, lambda g, ans, x: mul(g, digamma(x)))
defjvp(digamma_p, lambda t, ans, x: mul(t, polygamma(1, x)))
defvjp(digamma_p, lambda g, ans, x: mul(g, polygamma(1, x)))
defjvp(polygamma_p, lambda t, ans, x, *, m: mul(t, polygamma(m + 1, x)))
defvjp(polygamma_p, lambda g, ans, x, *, m: mul(g, polygamma(m + 1, x)))
