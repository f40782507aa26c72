"""``functorch_lite.scipy``: the special functions and probability distributions of
``jax.scipy``, written with ``fnp``/``fl.lax`` so each works eagerly and under every
transformation.

>>> import functorch_lite.scipy as fsp
>>> float(fsp.special.xlogy(0.0, 0.0)), float(fsp.stats.norm.cdf(0.0))
(0.0, 0.5)
"""
from . import special, stats

__all__ = ["special", "stats"]
