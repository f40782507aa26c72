"""``fl.scipy.stats.uniform``: the uniform distribution on ``[loc, loc + scale]``, as
``jax.scipy.stats.uniform``.

>>> from functorch_lite.scipy.stats import uniform
>>> float(uniform.pdf(0.5))
1.0
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf", "ppf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-log(scale)`` on ``[loc, loc + scale]``, ``-inf`` outside.

    >>> from functorch_lite.scipy.stats import uniform
    >>> float(uniform.logpdf(3.0, loc=2.0, scale=2.0)), float(uniform.logpdf(5.0))
    (-0.6931471824645996, -inf)
    """
    x, loc, scale = _inexact("uniform.logpdf", x, loc, scale)
    log_probs = -fnp.log(scale) + fnp.zeros_like(x)
    return fnp.where((x > loc + scale) | (x < loc), -np.inf, log_probs)


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import uniform
    >>> float(uniform.pdf(1.5, scale=2.0))
    0.5
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``(x - loc) / scale`` clipped to ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import uniform
    >>> [float(uniform.cdf(v)) for v in (-1.0, 0.25, 2.0)]
    [0.0, 0.25, 1.0]
    """
    x, loc, scale = _inexact("uniform.cdf", x, loc, scale)
    zero = fnp.zeros_like(x * loc * scale)
    inside = (x >= loc) & (x <= loc + scale)
    return fnp.where(x < loc, zero,
                     fnp.where(x > loc + scale, zero + 1,
                               fnp.where(inside, (x - loc) / scale, zero)))


@quiet
def ppf(q: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The quantile ``loc + scale * q``; NaN for ``q`` outside ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import uniform
    >>> float(uniform.ppf(0.5, loc=1.0, scale=4.0))
    3.0
    """
    q, loc, scale = _inexact("uniform.ppf", q, loc, scale)
    return fnp.where(fnp.isnan(q) | (q < 0) | (q > 1), np.nan, loc + scale * q)
