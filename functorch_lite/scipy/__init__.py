"""``functorch_lite.scipy``: the special functions, probability distributions and dense
linear algebra of ``jax.scipy``, written with ``fnp``/``fl.lax`` so each works eagerly
and under every transformation.

>>> import functorch_lite.scipy as fsp
>>> float(fsp.special.xlogy(0.0, 0.0)), float(fsp.stats.norm.cdf(0.0))
(0.0, 0.5)
"""
from . import linalg, special, stats

__all__ = ["linalg", "special", "stats"]
