"""``fl.scipy.stats.cauchy``: the Cauchy distribution, as ``jax.scipy.stats.cauchy``.

>>> from functorch_lite.scipy.stats import cauchy
>>> round(float(cauchy.pdf(0.0)), 6)
0.31831
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "isf", "ppf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-log(pi scale) - log1p(y^2)`` at ``y = (x - loc) / scale``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.logpdf(1.0)), 6)
    -1.837877
    """
    x, loc, scale = _inexact("cauchy.logpdf", x, loc, scale)
    y = (x - loc) / scale
    return -(fnp.log(np.pi * scale) + fnp.log1p(y * y))


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.pdf(1.0)), 6)
    0.159155
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``1/2 + arctan((x - loc) / scale) / pi``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> float(cauchy.cdf(1.0))
    0.75
    """
    x, loc, scale = _inexact("cauchy.cdf", x, loc, scale)
    pi = fnp.asarray(np.pi, dtype=x.dtype)  # 1/pi rounded as JAX rounds it: cdf(-inf) > 0
    return 0.5 + (1.0 / pi) * fnp.arctan((x - loc) / scale)


@quiet
def logcdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log(cdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.logcdf(1.0)), 6)
    -0.287682
    """
    return fnp.log(cdf(x, loc, scale))


@quiet
def sf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``cdf(-x, -loc, scale)``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> float(cauchy.sf(1.0))
    0.25
    """
    x, loc, scale = _inexact("cauchy.sf", x, loc, scale)
    return cdf(-x, -loc, scale)


@quiet
def logsf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``logcdf(-x, -loc, scale)``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.logsf(1.0)), 6)
    -1.386294
    """
    x, loc, scale = _inexact("cauchy.logsf", x, loc, scale)
    return logcdf(-x, -loc, scale)


@quiet
def isf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The inverse survival function ``loc + scale tan(pi/2 - pi q)``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.isf(0.25)), 6)
    1.0
    """
    q, loc, scale = _inexact("cauchy.isf", q, loc, scale)
    return fnp.tan(np.pi / 2 - np.pi * q) * scale + loc


@quiet
def ppf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile function ``loc + scale tan(pi q - pi/2)``.

    >>> from functorch_lite.scipy.stats import cauchy
    >>> round(float(cauchy.ppf(0.75)), 6)
    1.0
    """
    q, loc, scale = _inexact("cauchy.ppf", q, loc, scale)
    return fnp.tan(np.pi * q - np.pi / 2) * scale + loc
