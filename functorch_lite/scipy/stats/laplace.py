"""``fl.scipy.stats.laplace``: the Laplace distribution, as ``jax.scipy.stats.laplace``.

>>> from functorch_lite.scipy.stats import laplace
>>> float(laplace.pdf(0.0))
0.5
"""
from __future__ import annotations

from typing import Any

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf", "cdf"]

Array = Any


@quiet
def logpdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``-|x - loc| / scale - log(2 scale)``.

    >>> from functorch_lite.scipy.stats import laplace
    >>> round(float(laplace.logpdf(1.0)), 6)
    -1.693147
    """
    x, loc, scale = _inexact("laplace.logpdf", x, loc, scale)
    return -(fnp.abs(x - loc) / scale + fnp.log(2 * scale))


@quiet
def pdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, loc, scale))``.

    >>> from functorch_lite.scipy.stats import laplace
    >>> float(laplace.pdf(3.0, loc=3.0, scale=0.5))
    1.0
    """
    return fnp.exp(logpdf(x, loc, scale))


@quiet
def cdf(x: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``exp(z) / 2`` for ``z = (x - loc) / scale <= 0``, ``1 - exp(-z) / 2`` above.

    >>> from functorch_lite.scipy.stats import laplace
    >>> float(laplace.cdf(0.0)), round(float(laplace.cdf(1.0)), 6)
    (0.5, 0.81606)
    """
    x, loc, scale = _inexact("laplace.cdf", x, loc, scale)
    diff = (x - loc) / scale
    return fnp.where(diff <= 0, 0.5 * fnp.exp(diff), 1 - 0.5 * fnp.exp(-diff))
