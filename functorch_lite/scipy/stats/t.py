"""``fl.scipy.stats.t``: Student's t distribution, as ``jax.scipy.stats.t``.

>>> from functorch_lite.scipy.stats import t
>>> round(float(t.pdf(0.0, 1.0)), 6)
0.31831
"""
from __future__ import annotations

import math
from typing import Any

from ... import lax
from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf"]

Array = Any


@quiet
def logpdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """``log`` of the density with ``df`` degrees of freedom at ``(x - loc) / scale``.

    >>> from functorch_lite.scipy.stats import t
    >>> round(float(t.logpdf(1.0, 1.0)), 6)
    -1.837877
    """
    x, df, loc, scale = _inexact("t.logpdf", x, df, loc, scale)
    scaled_x = (x - loc) / scale
    df_over_two = df / 2
    df_plus_one_over_two = df_over_two + 0.5
    normalize_term_tmp = fnp.log(scale * scale * math.pi * df) / 2
    normalize_term = (lax.lgamma(df_over_two) + normalize_term_tmp
                      - lax.lgamma(df_plus_one_over_two))
    quadratic = scaled_x * scaled_x / df
    return -(normalize_term + df_plus_one_over_two * fnp.log1p(quadratic))


@quiet
def pdf(x: Array, df: Array, loc: Array = 0, scale: Array = 1) -> Array:
    """The density ``exp(logpdf(x, df, loc, scale))``.

    >>> from functorch_lite.scipy.stats import t
    >>> round(float(t.pdf(1.0, 1.0)), 6)
    0.159155
    """
    return fnp.exp(logpdf(x, df, loc, scale))
