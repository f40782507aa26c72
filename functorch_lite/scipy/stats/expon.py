"""``fl.scipy.stats.expon``: the exponential distribution, as ``jax.scipy.stats.expon``.

>>> from functorch_lite.scipy.stats import expon
>>> float(expon.pdf(0.0))
1.0
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-(x - loc) / scale - log(scale)`` for ``x >= loc``, ``-inf`` below.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.logpdf(2.0)), float(expon.logpdf(-1.0))
    (-2.0, -inf)
    """
    x, loc, scale = _inexact("expon.logpdf", x, loc, scale)
    log_probs = -((x - loc) / scale + fnp.log(scale))
    return fnp.where(x < loc, -np.inf, log_probs)


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import expon
    >>> round(float(expon.pdf(1.0)), 6)
    0.367879
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``1 - exp(-(x - loc) / scale)`` (by ``expm1``) for ``x >= loc``, 0 below.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.cdf(-1.0)), round(float(expon.cdf(1.0)), 6)
    (0.0, 0.632121)
    """
    x, loc, scale = _inexact("expon.cdf", x, loc, scale)
    neg_scaled_x = (loc - x) / scale
    return fnp.where(x < loc, fnp.zeros_like(neg_scaled_x), -fnp.expm1(neg_scaled_x))


@quiet
def logsf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(1 - cdf) = -(x - loc) / scale`` for ``x >= loc``, 0 below.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.logsf(3.0))
    -3.0
    """
    x, loc, scale = _inexact("expon.logsf", x, loc, scale)
    neg_scaled_x = (loc - x) / scale
    return fnp.where(x < loc, fnp.zeros_like(neg_scaled_x), neg_scaled_x)


@quiet
def sf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``exp(logsf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.sf(0.0))
    1.0
    """
    return fnp.exp(logsf(x, loc, scale))


@quiet
def logcdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(cdf) = log1p(-sf)``.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.logcdf(-1.0))
    -inf
    """
    return fnp.log1p(-sf(x, loc, scale))


@quiet
def ppf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile ``loc - scale * log1p(-q)``; NaN for ``q`` outside ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import expon
    >>> float(expon.ppf(0.0)), float(expon.ppf(1.0))
    (0.0, inf)
    """
    q, loc, scale = _inexact("expon.ppf", q, loc, scale)
    return fnp.where(fnp.isnan(q) | (q < 0) | (q > 1), np.nan, loc - scale * fnp.log1p(-q))
