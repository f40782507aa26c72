"""``fl.scipy.stats.gamma``: the gamma distribution, as ``jax.scipy.stats.gamma``.

>>> from functorch_lite.scipy.stats import gamma
>>> round(float(gamma.pdf(1.0, 1.0)), 6)
0.367879
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, gammainc, gammaincc, quiet, xlogy

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]

Array = Any


@quiet
def logpdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``(a - 1) log y - y - gammaln(a) - log(scale)`` at ``y = (x - loc) / scale``;
    ``-inf`` below ``loc``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> float(gamma.logpdf(2.0, 1.0)), float(gamma.logpdf(-1.0, 2.0))
    (-2.0, -inf)
    """
    x, a, loc, scale = _inexact("gamma.logpdf", x, a, loc, scale)
    ok = x >= loc
    y = fnp.where(ok, (x - loc) / scale, fnp.ones_like(x))
    log_linear_term = xlogy(a - 1, y) - y
    shape_terms = lax.lgamma(a) + fnp.log(scale)
    return fnp.where(ok, log_linear_term - shape_terms, -np.inf)


@quiet
def pdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, a, loc, scale))``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> round(float(gamma.pdf(2.0, 2.0)), 6)
    0.270671
    """
    return fnp.exp(logpdf(x, a, loc, scale))


@quiet
def cdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``gammainc(a, y)`` at ``y = (x - loc) / scale`` clamped to ``[0, inf]``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> round(float(gamma.cdf(1.0, 1.0)), 6), float(gamma.cdf(-1.0, 2.0))
    (0.632121, 0.0)
    """
    x, a, loc, scale = _inexact("gamma.cdf", x, a, loc, scale)
    return gammainc(a, lax.clamp(fnp.zeros_like(x), (x - loc) / scale,
                                 fnp.full_like(x, np.inf)))


@quiet
def logcdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(cdf(x, a, loc, scale))``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> round(float(gamma.logcdf(1.0, 1.0)), 6)
    -0.458675
    """
    return fnp.log(cdf(x, a, loc, scale))


@quiet
def sf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``gammaincc(a, y)`` at ``y = (x - loc) / scale`` (1 below
    ``loc``).

    >>> from functorch_lite.scipy.stats import gamma
    >>> round(float(gamma.sf(1.0, 1.0)), 6), float(gamma.sf(-1.0, 2.0))
    (0.367879, 1.0)
    """
    x, a, loc, scale = _inexact("gamma.sf", x, a, loc, scale)
    y = (x - loc) / scale
    return fnp.where(y < 0, fnp.ones_like(y), gammaincc(a, y))


@quiet
def logsf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(sf(x, a, loc, scale))``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> float(gamma.logsf(1.0, 1.0))
    -1.0
    """
    return fnp.log(sf(x, a, loc, scale))
