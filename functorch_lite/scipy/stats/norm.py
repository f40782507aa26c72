"""``fl.scipy.stats.norm``: the normal distribution, as ``jax.scipy.stats.norm``.

>>> from functorch_lite.scipy.stats import norm
>>> float(norm.cdf(0.0)), float(norm.ppf(0.5))
(0.5, 0.0)
"""
from __future__ import annotations

import math
from typing import Any

from ... import numpy as fnp
from .. import special
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "ppf", "sf", "logsf", "isf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log`` of the normal density with mean ``loc`` and standard deviation ``scale``.

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.logpdf(0.0)), 6)
    -0.918939
    """
    x, loc, scale = _inexact("norm.logpdf", x, loc, scale)
    scale_sqrd = scale * scale
    log_normalizer = fnp.log((2 * math.pi) * scale_sqrd)
    quadratic = (x - loc) ** 2 / scale_sqrd
    return (log_normalizer + quadratic) / -2


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The normal density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.pdf(0.0)), 6)
    0.398942
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The normal CDF ``ndtr((x - loc) / scale)``.

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.cdf(1.0, loc=1.0, scale=2.0)), 6)
    0.5
    """
    x, loc, scale = _inexact("norm.cdf", x, loc, scale)
    return special.ndtr((x - loc) / scale)


@quiet
def logcdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log`` of the normal CDF, ``log_ndtr((x - loc) / scale)`` (finite far in the tails).

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.logcdf(-20.0)), 3)
    -203.917
    """
    x, loc, scale = _inexact("norm.logcdf", x, loc, scale)
    return special.log_ndtr((x - loc) / scale)


@quiet
def ppf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile function ``ndtri(q) * scale + loc`` (``-inf``/``inf`` at 0/1, NaN
    outside ``[0, 1]``).

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.ppf(0.975)), 4)
    1.96
    """
    q, loc, scale = _inexact("norm.ppf", q, loc, scale)
    return special.ndtri(q) * scale + loc


@quiet
def sf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``1 - cdf``, computed as ``cdf(-x, -loc, scale)``.

    >>> from functorch_lite.scipy.stats import norm
    >>> float(norm.sf(40.0)) == 0.0, float(norm.sf(-40.0))
    (True, 1.0)
    """
    x, loc, scale = _inexact("norm.sf", x, loc, scale)
    return cdf(-x, -loc, scale)


@quiet
def logsf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log`` of the survival function, ``logcdf(-x, -loc, scale)``.

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.logsf(20.0)), 3)
    -203.917
    """
    x, loc, scale = _inexact("norm.logsf", x, loc, scale)
    return logcdf(-x, -loc, scale)


@quiet
def isf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The inverse survival function ``ppf(1 - q, loc, scale)``.

    >>> from functorch_lite.scipy.stats import norm
    >>> round(float(norm.isf(0.025)), 4)
    1.96
    """
    (q,) = _inexact("norm.isf", q)
    return ppf(1 - q, loc, scale)
