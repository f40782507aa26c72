"""``fl.scipy.stats.bernoulli``: the Bernoulli distribution, as
``jax.scipy.stats.bernoulli``.

>>> from functorch_lite.scipy.stats import bernoulli
>>> float(bernoulli.pmf(1, 0.25))
0.25
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet, xlog1py, xlogy

__all__ = ["logpmf", "pmf", "cdf", "ppf"]

Array = Any


@quiet
def logpmf(k: Array, p: Array, loc: Array = 0) -> Array:
    """``k log p + (1 - k) log(1 - p)`` at ``k - loc`` in ``{0, 1}`` (``xlogy``, so
    ``p = 0`` or 1 is exact), ``-inf`` outside ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import bernoulli
    >>> float(bernoulli.logpmf(0, 0.0)), float(bernoulli.logpmf(2, 0.5))
    (0.0, -inf)
    """
    k, p, loc = _inexact("bernoulli.logpmf", k, p, loc)
    x = k - loc
    log_probs = xlogy(x, p) + xlog1py(1 - x, -p)
    return fnp.where((x < 0) | (x > 1), -np.inf, log_probs)


@quiet
def pmf(k: Array, p: Array, loc: Array = 0) -> Array:
    """The probability mass ``exp(logpmf(k, p, loc))``.

    >>> from functorch_lite.scipy.stats import bernoulli
    >>> float(bernoulli.pmf(0, 0.25))
    0.75
    """
    return fnp.exp(logpmf(k, p, loc))


@quiet
def cdf(k: Array, p: Array) -> Array:
    """``P(X <= k)``: 0 below 0, ``1 - p`` on ``[0, 1)``, 1 from 1 on; NaN for ``p``
    outside ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import bernoulli
    >>> [float(bernoulli.cdf(k, 0.25)) for k in (-1, 0.5, 1)]
    [0.0, 0.75, 1.0]
    """
    k, p = _inexact("bernoulli.cdf", k, p)
    zero = fnp.zeros_like(k * p)
    bad = fnp.isnan(k) | fnp.isnan(p) | (p < 0) | (p > 1)
    inner = fnp.where(k < 0, zero, fnp.where(k < 1, 1 - p + zero, zero + 1))
    return fnp.where(bad, zero + np.nan, inner)


@quiet
def ppf(q: Array, p: Array) -> Array:
    """The quantile: 0 for ``q <= 1 - p``, else 1; NaN for ``q`` or ``p`` outside
    ``[0, 1]``.

    >>> from functorch_lite.scipy.stats import bernoulli
    >>> float(bernoulli.ppf(0.5, 0.25)), float(bernoulli.ppf(0.9, 0.25))
    (0.0, 1.0)
    """
    q, p = _inexact("bernoulli.ppf", q, p)
    zero = fnp.zeros_like(q * p)
    bad = fnp.isnan(q) | fnp.isnan(p) | (p < 0) | (p > 1) | (q < 0) | (q > 1)
    return fnp.where(bad, zero + np.nan, fnp.where(q <= 1 - p, zero, zero + 1))
