"""``fl.scipy.stats.multivariate_normal``: the multivariate normal distribution, as
``jax.scipy.stats.multivariate_normal`` (a full covariance is factored by Cholesky).

>>> import numpy as np
>>> from functorch_lite.scipy.stats import multivariate_normal
>>> round(float(multivariate_normal.logpdf(np.zeros(2), np.zeros(2), np.eye(2))), 6)
-1.837877
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import numpy as fnp
from ..special import _inexact, quiet

__all__ = ["logpdf", "pdf"]

Array = Any


def _linalg():
    """Cholesky and triangular solves, imported when first needed."""
    try:
        from ... import lax_linalg
        cholesky = fnp.linalg.cholesky
    except (ImportError, AttributeError):  # pragma: no cover - depends on the build
        raise NotImplementedError("fl.scipy.stats.multivariate_normal with a full covariance "
                                  "needs fnp.linalg.cholesky and fl.lax.linalg."
                                  "triangular_solve, which this build lacks.") from None
    return cholesky, lax_linalg.triangular_solve


@quiet
def logpdf(x: Array, mean: Array, cov: Array, allow_singular: None = None) -> Array:
    """``log`` of the density at ``x`` (``(..., n)``) of the normal with ``mean``
    (``(..., n)``) and covariance ``cov``: a scalar (``cov * I``) or ``(..., n, n)``
    matrices (symmetric positive definite; NaN otherwise).  Batch dimensions broadcast.
    ``allow_singular`` is not supported (as in JAX).

    >>> import numpy as np
    >>> from functorch_lite.scipy.stats import multivariate_normal as mvn
    >>> cov = np.array([[2.0, 0.5], [0.5, 1.0]], np.float32)
    >>> round(float(mvn.logpdf(np.array([1.0, -1.0], np.float32), np.zeros(2), cov)), 5)
    -3.26054
    """
    if allow_singular is not None:
        raise NotImplementedError("allow_singular argument of multivariate_normal.logpdf")
    x, mean, cov = _inexact("multivariate_normal.logpdf", x, mean, cov)
    if not fnp.shape(mean):
        return -1 / 2 * (x - mean) ** 2 / cov - 1 / 2 * (math.log(2 * np.pi) + fnp.log(cov))
    n = fnp.shape(mean)[-1]
    if not fnp.shape(cov):
        y = x - mean
        return (-1 / 2 * fnp.sum(y * y, axis=-1) / cov
                - n / 2 * (math.log(2 * np.pi) + fnp.log(cov)))
    cov_shape = tuple(fnp.shape(cov))
    if len(cov_shape) < 2 or cov_shape[-2:] != (n, n):
        raise ValueError(f"multivariate_normal.logpdf got incompatible shapes: mean "
                         f"{tuple(fnp.shape(mean))} and cov {cov_shape} (cov must be "
                         f"(..., {n}, {n})).")
    cholesky, triangular_solve = _linalg()
    L = cholesky(cov)
    d = x - mean
    batch = np.broadcast_shapes(tuple(fnp.shape(d))[:-1], cov_shape[:-2])
    L_b = fnp.broadcast_to(L, batch + (n, n))
    d_b = fnp.broadcast_to(d, batch + (n,))
    # y = L^-1 (x - mean), so |y|^2 is the Mahalanobis distance
    y = triangular_solve(L_b, d_b[..., None], left_side=True, lower=True)[..., 0]
    log_det = fnp.sum(fnp.log(fnp.diagonal(L, axis1=-2, axis2=-1)), axis=-1)
    return -1 / 2 * fnp.sum(y * y, axis=-1) - n / 2 * math.log(2 * np.pi) - log_det


@quiet
def pdf(x: Array, mean: Array, cov: Array) -> Array:
    """The density ``exp(logpdf(x, mean, cov))``.

    >>> import numpy as np
    >>> from functorch_lite.scipy.stats import multivariate_normal as mvn
    >>> round(float(mvn.pdf(np.zeros(2), np.zeros(2), 1.0)), 6)
    0.159155
    """
    return fnp.exp(logpdf(x, mean, cov))
