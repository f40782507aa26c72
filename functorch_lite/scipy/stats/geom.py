"""``fl.scipy.stats.geom``: the geometric distribution (trials up to the first success,
``k >= 1``), as ``jax.scipy.stats.geom``.

>>> from functorch_lite.scipy.stats import geom
>>> float(geom.pmf(1, 0.5))
0.5
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet, xlog1py

__all__ = ["logpmf", "pmf"]

Array = Any


@quiet
def logpmf(k: Array, p: Array, loc: Array = 0) -> Array:
    """``(k - 1) log(1 - p) + log p`` for ``k - loc >= 1``, ``-inf`` below.

    >>> from functorch_lite.scipy.stats import geom
    >>> round(float(geom.logpmf(2, 0.5)), 6), float(geom.logpmf(0, 0.5))
    (-1.386294, -inf)
    """
    k, p, loc = _inexact("geom.logpmf", k, p, loc)
    x = k - loc
    log_probs = xlog1py(x - 1, -p) + fnp.log(p)
    return fnp.where(x <= 0, -np.inf, log_probs)


@quiet
def pmf(k: Array, p: Array, loc: Array = 0) -> Array:
    """The probability mass ``exp(logpmf(k, p, loc))``.

    >>> from functorch_lite.scipy.stats import geom
    >>> float(geom.pmf(2, 0.5))
    0.25
    """
    return fnp.exp(logpmf(k, p, loc))
