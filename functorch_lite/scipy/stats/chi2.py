"""``fl.scipy.stats.chi2``: the chi-square distribution with ``df`` degrees of freedom, as
``jax.scipy.stats.chi2``.

>>> from functorch_lite.scipy.stats import chi2
>>> round(float(chi2.pdf(1.0, 2.0)), 6)
0.303265
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, gammainc, gammaincc, quiet

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]

Array = Any
_LOG2 = float(np.log(2.0))  # a Python float: weakly typed, it keeps x's dtype


@quiet
def logpdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``(df/2 - 1) log y - y/2 - lgamma(df/2) - (df/2) log 2 - log(scale)`` at
    ``y = (x - loc) / scale``; ``-inf`` below ``loc``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> round(float(chi2.logpdf(1.0, 2.0)), 6), float(chi2.logpdf(-1.0, 2.0))
    (-1.193147, -inf)
    """
    x, df, loc, scale = _inexact("chi2.logpdf", x, df, loc, scale)
    y = (x - loc) / scale
    half = df / 2
    kernel = (half - 1) * fnp.log(y) - y / 2
    norm_const = -(lax.lgamma(half) + _LOG2 * df / 2)
    return fnp.where(x < loc, -np.inf, norm_const - fnp.log(scale) + kernel)


@quiet
def pdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, df, loc, scale))``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> round(float(chi2.pdf(2.0, 4.0)), 6)
    0.18394
    """
    return fnp.exp(logpdf(x, df, loc, scale))


def _y(x, loc, scale):
    """``(x - loc) / (2 scale)`` clamped to ``[0, inf]``."""
    return lax.clamp(fnp.zeros_like(x), (x - loc) / (scale * 2), fnp.full_like(x, np.inf))


@quiet
def cdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``gammainc(df / 2, (x - loc) / (2 scale))``, 0 below ``loc``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> round(float(chi2.cdf(2.0, 2.0)), 6)
    0.632121
    """
    x, df, loc, scale = _inexact("chi2.cdf", x, df, loc, scale)
    return gammainc(df / 2, _y(x, loc, scale))


@quiet
def logcdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(cdf(x, df, loc, scale))``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> round(float(chi2.logcdf(2.0, 2.0)), 6)
    -0.458675
    """
    return fnp.log(cdf(x, df, loc, scale))


@quiet
def sf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``gammaincc(df / 2, (x - loc) / (2 scale))``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> round(float(chi2.sf(2.0, 2.0)), 6)
    0.367879
    """
    x, df, loc, scale = _inexact("chi2.sf", x, df, loc, scale)
    return gammaincc(df / 2, _y(x, loc, scale))


@quiet
def logsf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(sf(x, df, loc, scale))``.

    >>> from functorch_lite.scipy.stats import chi2
    >>> float(chi2.logsf(2.0, 2.0))
    -1.0
    """
    return fnp.log(sf(x, df, loc, scale))
