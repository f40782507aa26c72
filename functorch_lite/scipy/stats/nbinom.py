"""``fl.scipy.stats.nbinom``: the negative binomial distribution (failures before the
``n``-th success), as ``jax.scipy.stats.nbinom``.

>>> from functorch_lite.scipy.stats import nbinom
>>> float(nbinom.pmf(0, 1, 0.5))
0.5
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, gammaln, quiet, xlogy

__all__ = ["logpmf", "pmf"]

Array = Any


@quiet
def logpmf(k: Array, n: Array, p: Array, loc: Array = 0) -> Array:
    """``lgamma(y + n) - lgamma(n) - lgamma(y + 1) + n log p + y log(1 - p)`` at
    ``y = k - loc``; ``-inf`` below ``loc``.

    >>> from functorch_lite.scipy.stats import nbinom
    >>> round(float(nbinom.logpmf(2, 3, 0.5)), 6)
    -1.673976
    """
    k, n, p, loc = _inexact("nbinom.logpmf", k, n, p, loc)
    y = k - loc
    comb = gammaln(y + n) - gammaln(n) - gammaln(y + 1)
    log_probs = comb + (xlogy(n, p) + xlogy(y, 1 - p))
    return fnp.where(k < loc, -np.inf, log_probs)


@quiet
def pmf(k: Array, n: Array, p: Array, loc: Array = 0) -> Array:
    """The probability mass ``exp(logpmf(k, n, p, loc))``.

    >>> from functorch_lite.scipy.stats import nbinom
    >>> float(nbinom.pmf(1, 1, 0.5))
    0.25
    """
    return fnp.exp(logpmf(k, n, p, loc))
