"""``fl.scipy.stats.beta``: the beta distribution, as ``jax.scipy.stats.beta``.

>>> from functorch_lite.scipy.stats import beta
>>> float(beta.pdf(0.5, 1.0, 1.0))
1.0
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, betainc, betaln, quiet, xlog1py, xlogy

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]

Array = Any


@quiet
def logpdf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``(a - 1) log y + (b - 1) log(1 - y) - betaln(a, b) - log(scale)`` at
    ``y = (x - loc) / scale``; ``-inf`` outside ``[loc, loc + scale]``, NaN for
    non-positive ``a``, ``b`` or ``scale``.

    >>> from functorch_lite.scipy.stats import beta
    >>> round(float(beta.logpdf(0.5, 2.0, 2.0)), 6), float(beta.logpdf(2.0, 2.0, 2.0))
    (0.405465, -inf)
    """
    x, a, b, loc, scale = _inexact("beta.logpdf", x, a, b, loc, scale)
    y = (x - loc) / scale
    log_linear_term = xlogy(a - 1, y) + xlog1py(b - 1, -y)
    log_probs = -betaln(a, b) + log_linear_term - fnp.log(scale)
    result = fnp.where((x > loc + scale) | (x < loc), -np.inf, log_probs)
    return fnp.where((a <= 0) | (b <= 0) | (scale <= 0), np.nan, result)


@quiet
def pdf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, a, b, loc, scale))``.

    >>> from functorch_lite.scipy.stats import beta
    >>> round(float(beta.pdf(0.5, 2.0, 2.0)), 6)
    1.5
    """
    return fnp.exp(logpdf(x, a, b, loc, scale))


def _unit(x, loc, scale):
    """``(x - loc) / scale`` clamped to ``[0, 1]``."""
    return lax.clamp(fnp.zeros_like(x), (x - loc) / scale, fnp.ones_like(x))


@quiet
def cdf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``betainc(a, b, y)`` at ``y = (x - loc) / scale`` clamped to ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import beta
    >>> float(beta.cdf(0.5, 2.0, 3.0)), float(beta.cdf(2.0, 2.0, 3.0))
    (0.6875, 1.0)
    """
    x, a, b, loc, scale = _inexact("beta.cdf", x, a, b, loc, scale)
    return betainc(a, b, _unit(x, loc, scale))


@quiet
def logcdf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(cdf(x, a, b, loc, scale))``.

    >>> from functorch_lite.scipy.stats import beta
    >>> round(float(beta.logcdf(0.5, 2.0, 3.0)), 6)
    -0.374693
    """
    return fnp.log(cdf(x, a, b, loc, scale))


@quiet
def sf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``betainc(b, a, 1 - y)``, ``y`` as in :func:`cdf`.

    >>> from functorch_lite.scipy.stats import beta
    >>> float(beta.sf(0.5, 2.0, 3.0))
    0.3125
    """
    x, a, b, loc, scale = _inexact("beta.sf", x, a, b, loc, scale)
    return betainc(b, a, 1 - _unit(x, loc, scale))


@quiet
def logsf(x: Array, a: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(sf(x, a, b, loc, scale))``.

    >>> from functorch_lite.scipy.stats import beta
    >>> round(float(beta.logsf(0.5, 2.0, 3.0)), 6)
    -1.163151
    """
    return fnp.log(sf(x, a, b, loc, scale))
