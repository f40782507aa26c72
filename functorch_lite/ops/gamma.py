"""The log-gamma family: ``lgamma``, ``digamma`` and ``polygamma`` of a static integer
order (the derivatives of ``digamma``), as ``jax.lax``'s.

- ``lgamma(x) = log|Gamma(x)|``; d/dx lgamma = digamma;
- ``digamma = psi``; d/dx digamma = polygamma(1, x);
- ``polygamma(m, x)``; d/dx polygamma(m, x) = polygamma(m + 1, x), so every order of
  derivative exists (as in JAX);
- ``zeta(x, q)``, the Hurwitz zeta function, without a derivative rule (as
  ``jax.lax.zeta``).

Eagerly they are SciPy's (a jax dependency) in float64, rounded to the input's float
dtype, with JAX's values at the special points SciPy treats otherwise: digamma is NaN at
the poles 0, -1, -2, ... (SciPy: -inf at 0) and at -inf; lgamma(-inf) is inf;
polygamma of an odd order is inf at a pole and at -inf, of an even order NaN there, and
NaN at +inf (JAX's values; the limit is 0); zeta has XLA's values at its poles and
outside its domain (see ``_zeta_impl``).  Under ``jit`` they lower to ``jax.lax``'s.
"""
from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import Primitive, bind
from ..core.dtypes import FLOATS
from .elementwise import _elementwise_aval, elementwise, mul, unary
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


def _zeta_impl(x, q):
    """SciPy's zeta, with XLA's values where they differ, in XLA's order: NaN for NaN or
    infinite arguments and for ``x < 1``; for ``q <= 0`` NaN unless ``x`` is an integer;
    at a pole (``q = 0, -1, ...``) inf for an even integer ``x``, else NaN; inf at
    ``x = 1`` (the harmonic series) whatever ``q``."""
    import scipy.special
    xs, x = _scipy(lambda v: v, x)
    qs, _ = _scipy(lambda v: v, q)
    xs, qs = np.broadcast_arrays(xs, qs)
    with np.errstate(all="ignore"):
        out = scipy.special.zeta(xs, qs)
        nan = np.isnan(xs) | np.isnan(qs) | np.isinf(xs) | np.isinf(qs) | (xs < 1)
        nan |= (qs <= 0) & (xs != np.floor(xs))
        out = np.where(nan, np.nan, out)
        even = (np.fmod(xs, 2) == 0) & (xs == np.floor(xs))
        out = np.where(_poles(qs), np.where(even, np.inf, np.nan), out)
        out = np.where(xs == 1, np.inf, out)
        return np.asarray(out).astype(x.dtype)  # overflow to inf is the float32 value


lgamma_p = unary("lgamma", _lgamma_impl, lax.lgamma)
digamma_p = unary("digamma", _digamma_impl, lax.digamma)

# the Hurwitz zeta function; no derivative rule, as jax.lax.zeta (fl.scipy.special.zeta
# differentiates a series expansion, as jax.scipy.special.zeta does)
zeta_p = elementwise("zeta", _zeta_impl, lambda x, q: lax.zeta(*jnp.broadcast_arrays(x, q)),
                     2, FLOATS)

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


def zeta(x, q):
    """The Hurwitz zeta function ``sum_n (n + q)^-x``, elementwise (as ``jax.lax.zeta``).

    >>> zeta(np.array([2.0]), np.array([1.0]))
    array([1.64493407])
    """
    return bind(zeta_p, x, q)


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
