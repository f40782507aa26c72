"""``fl.scipy.stats.poisson``: the Poisson distribution, as ``jax.scipy.stats.poisson``.

>>> from functorch_lite.scipy.stats import poisson
>>> round(float(poisson.pmf(0, 1.0)), 6)
0.367879
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, gammaincc, quiet, xlogy

__all__ = ["logpmf", "pmf", "cdf"]

Array = Any


@quiet
def logpmf(k: Array, mu: Array, loc: Array = 0) -> Array:
    """``k log mu - gammaln(k + 1) - mu`` at ``k - loc``; ``-inf`` below 0 or where ``k``
    is not an integer (``xlogy``, so ``mu = 0`` gives ``log 1 = 0`` at ``k = 0``).

    >>> from functorch_lite.scipy.stats import poisson
    >>> float(poisson.logpmf(0, 0.0)), float(poisson.logpmf(1.5, 1.0))
    (0.0, -inf)
    """
    k, mu, loc = _inexact("poisson.logpmf", k, mu, loc)
    x = k - loc
    log_probs = xlogy(x, mu) - lax.lgamma(x + 1) - mu
    return fnp.where((x < 0) | (fnp.round(k) != k), -np.inf, log_probs)


@quiet
def pmf(k: Array, mu: Array, loc: Array = 0) -> Array:
    """The probability mass ``exp(logpmf(k, mu, loc))``.

    >>> from functorch_lite.scipy.stats import poisson
    >>> round(float(poisson.pmf(2, 2.0)), 6)
    0.270671
    """
    return fnp.exp(logpmf(k, mu, loc))


@quiet
def cdf(k: Array, mu: Array, loc: Array = 0) -> Array:
    """``P(K <= k) = gammaincc(floor(k - loc) + 1, mu)``; 0 below ``loc``.

    >>> from functorch_lite.scipy.stats import poisson
    >>> round(float(poisson.cdf(2, 2.0)), 6), float(poisson.cdf(-1, 2.0))
    (0.676676, 0.0)
    """
    k, mu, loc = _inexact("poisson.cdf", k, mu, loc)
    x = k - loc
    p = gammaincc(fnp.floor(1 + x), mu)
    return fnp.where(x < 0, fnp.zeros_like(p), p)
