"""``fl.scipy.stats.gamma``: the gamma distribution, as ``jax.scipy.stats.gamma``.

>>> from functorch_lite.scipy.stats import gamma
>>> round(float(gamma.pdf(1.0, 1.0)), 6)
0.367879
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, quiet, xlogy

__all__ = ["logpdf", "pdf"]

Array = Any


@quiet
def logpdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``(a - 1) log y - y - gammaln(a) - log(scale)`` at ``y = (x - loc) / scale``;
    ``-inf`` below ``loc``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> float(gamma.logpdf(2.0, 1.0)), float(gamma.logpdf(-1.0, 2.0))
    (-2.0, -inf)
    """
    x, a, loc, scale = _inexact("gamma.logpdf", x, a, loc, scale)
    ok = x >= loc
    y = fnp.where(ok, (x - loc) / scale, fnp.ones_like(x))
    log_linear_term = xlogy(a - 1, y) - y
    shape_terms = lax.lgamma(a) + fnp.log(scale)
    return fnp.where(ok, log_linear_term - shape_terms, -np.inf)


@quiet
def pdf(x: Array, a: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, a, loc, scale))``.

    >>> from functorch_lite.scipy.stats import gamma
    >>> round(float(gamma.pdf(2.0, 2.0)), 6)
    0.270671
    """
    return fnp.exp(logpdf(x, a, loc, scale))
