"""``fl.scipy.stats.logistic``: the logistic distribution, as ``jax.scipy.stats.logistic``.

>>> from functorch_lite.scipy.stats import logistic
>>> float(logistic.cdf(0.0))
0.5
"""
from __future__ import annotations

from typing import Any

from ... import numpy as fnp
from ..special import _inexact, expit, logit, quiet

__all__ = ["logpdf", "pdf", "cdf", "ppf", "sf", "isf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log`` of the logistic density, ``-2 logaddexp(z/2, -z/2) - log(scale)`` with
    ``z = (x - loc) / scale`` (finite for large ``|z|``).

    >>> from functorch_lite.scipy.stats import logistic
    >>> round(float(logistic.logpdf(0.0)), 6), float(logistic.logpdf(1e4))
    (-1.386294, -10000.0)
    """
    x, loc, scale = _inexact("logistic.logpdf", x, loc, scale)
    z = (x - loc) / scale
    half = z / 2
    return -2 * fnp.logaddexp(half, -half) - fnp.log(scale)


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The logistic density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import logistic
    >>> float(logistic.pdf(0.0))
    0.25
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The logistic CDF ``expit((x - loc) / scale)``.

    >>> from functorch_lite.scipy.stats import logistic
    >>> float(logistic.cdf(2.0, loc=2.0))
    0.5
    """
    x, loc, scale = _inexact("logistic.cdf", x, loc, scale)
    return expit((x - loc) / scale)


@quiet
def ppf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile function ``logit(q) * scale + loc``.

    >>> from functorch_lite.scipy.stats import logistic
    >>> float(logistic.ppf(0.5, loc=3.0))
    3.0
    """
    x, loc, scale = _inexact("logistic.ppf", x, loc, scale)
    return logit(x) * scale + loc


@quiet
def sf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``expit(-(x - loc) / scale)``.

    >>> from functorch_lite.scipy.stats import logistic
    >>> float(logistic.sf(0.0))
    0.5
    """
    x, loc, scale = _inexact("logistic.sf", x, loc, scale)
    return expit(-((x - loc) / scale))


@quiet
def isf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The inverse survival function ``-logit(q) * scale + loc``.

    >>> from functorch_lite.scipy.stats import logistic
    >>> float(logistic.isf(0.5))
    0.0
    """
    x, loc, scale = _inexact("logistic.isf", x, loc, scale)
    return -logit(x) * scale + loc
