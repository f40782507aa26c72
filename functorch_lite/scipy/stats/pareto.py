"""``fl.scipy.stats.pareto``: the Pareto distribution with shape ``b``, as
``jax.scipy.stats.pareto``.

>>> from functorch_lite.scipy.stats import pareto
>>> float(pareto.pdf(1.0, 2.0))
2.0
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf"]

Array = Any


@quiet
def logpdf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-log(scale / b) - (b + 1) log y`` at ``y = (x - loc) / scale``; ``-inf`` below
    ``loc + scale``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> round(float(pareto.logpdf(2.0, 2.0)), 6), float(pareto.logpdf(0.5, 2.0))
    (-1.386294, -inf)
    """
    x, b, loc, scale = _inexact("pareto.logpdf", x, b, loc, scale)
    y = (x - loc) / scale
    log_probs = -(fnp.log(scale / b) + (b + 1) * fnp.log(y))
    return fnp.where(x < loc + scale, -np.inf, log_probs)


@quiet
def pdf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, b, loc, scale))``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> float(pareto.pdf(2.0, 2.0))
    0.25
    """
    return fnp.exp(logpdf(x, b, loc, scale))


@quiet
def cdf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``1 - y^-b``, 0 below ``loc + scale``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> float(pareto.cdf(2.0, 2.0))
    0.75
    """
    x, b, loc, scale = _inexact("pareto.cdf", x, b, loc, scale)
    y = (x - loc) / scale
    return fnp.where(x < loc + scale, fnp.zeros_like(y), 1 - y ** -b)


@quiet
def logcdf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log1p(-y^-b)``, ``-inf`` below ``loc + scale``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> round(float(pareto.logcdf(2.0, 2.0)), 6)
    -0.287682
    """
    x, b, loc, scale = _inexact("pareto.logcdf", x, b, loc, scale)
    y = (x - loc) / scale
    return fnp.where(x < loc + scale, -np.inf, fnp.log1p(-(y ** -b)))


@quiet
def logsf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-b log y``, 0 below ``loc + scale``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> round(float(pareto.logsf(2.0, 2.0)), 6)
    -1.386294
    """
    x, b, loc, scale = _inexact("pareto.logsf", x, b, loc, scale)
    y = (x - loc) / scale
    return fnp.where(x < loc + scale, fnp.zeros_like(y), -(b * fnp.log(y)))


@quiet
def sf(x: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The survival function ``exp(logsf(x, b, loc, scale))``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> float(pareto.sf(2.0, 2.0))
    0.25
    """
    return fnp.exp(logsf(x, b, loc, scale))


@quiet
def ppf(q: Array, b: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile function ``loc + scale (1 - q)^(-1/b)``; NaN outside ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import pareto
    >>> float(pareto.ppf(0.75, 2.0))
    2.0
    """
    q, b, loc, scale = _inexact("pareto.ppf", q, b, loc, scale)
    val = loc + scale * (1 - q) ** -(1 / b)
    return fnp.where(fnp.isnan(q) | (q < 0) | (q > 1), np.nan, val)
