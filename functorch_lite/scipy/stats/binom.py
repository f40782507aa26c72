"""``fl.scipy.stats.binom``: the binomial distribution, as ``jax.scipy.stats.binom``.

>>> from functorch_lite.scipy.stats import binom
>>> float(binom.pmf(1, 2, 0.5))
0.5
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, gammaln, quiet, xlog1py, xlogy

__all__ = ["logpmf", "pmf"]

Array = Any


@quiet
def logpmf(k: Array, n: Array, p: Array, loc: Array = 0) -> Array:
    """``log C(n, y) + y log p + (n - y) log(1 - p)`` at ``y = k - loc``; ``-inf``
    outside ``[loc, loc + n]`` (0 where the linear term is 0, as JAX).

    >>> from functorch_lite.scipy.stats import binom
    >>> round(float(binom.logpmf(1, 3, 0.5)), 6), float(binom.logpmf(4, 3, 0.5))
    (-0.980829, -inf)
    """
    k, n, p, loc = _inexact("binom.logpmf", k, n, p, loc)
    y = k - loc
    comb = gammaln(n + 1) - (gammaln(y + 1) + gammaln(n - y + 1))
    linear = xlogy(y, p) + xlog1py(n - y, -p)
    log_probs = fnp.where(((y == 0) & (n == 0)) | (linear == 0), fnp.zeros_like(y),
                          comb + linear)
    return fnp.where((k >= loc) & (k < loc + n + 1), log_probs, -np.inf)


@quiet
def pmf(k: Array, n: Array, p: Array, loc: Array = 0) -> Array:
    """The probability mass ``exp(logpmf(k, n, p, loc))``.

    >>> from functorch_lite.scipy.stats import binom
    >>> float(binom.pmf(2, 2, 0.5))
    0.25
    """
    return fnp.exp(logpmf(k, n, p, loc))
