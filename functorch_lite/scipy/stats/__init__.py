"""``fl.scipy.stats``: probability distributions as ``jax.scipy.stats``: one module per
distribution with its ``logpdf``/``pdf`` (``logpmf``/``pmf``), ``cdf``, ... functions.

>>> from functorch_lite.scipy import stats
>>> float(stats.norm.cdf(0.0)), round(float(stats.bernoulli.pmf(1, 0.3)), 6)
(0.5, 0.3)
"""
from . import (bernoulli, beta, binom, cauchy, chi2, expon, gamma, geom, laplace, logistic,
               multivariate_normal, nbinom, norm, pareto, poisson, t, uniform)

__all__ = ["bernoulli", "beta", "binom", "cauchy", "chi2", "expon", "gamma", "geom", "laplace",
           "logistic", "multivariate_normal", "nbinom", "norm", "pareto", "poisson", "t",
           "uniform"]
