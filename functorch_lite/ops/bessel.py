"""The exponentially scaled modified Bessel functions of order 0 and 1, as ``jax.lax``'s
``bessel_i0e`` and ``bessel_i1e``: ``i0e(x) = exp(-|x|) I0(x)``, ``i1e(x) = exp(-|x|) I1(x)``.

- d/dx i0e = i1e(x) - sign(x) i0e(x);
- d/dx i1e = i0e(x) - i1e(x) (sign(x) + 1/x), with its limit 1/2 at ``|x| <= eps`` (JAX's
  rule, which keeps the derivative finite at 0).

Eagerly they are SciPy's (a jax dependency) in float64, rounded to the input's float
dtype; under ``jit`` they lower to ``jax.lax.bessel_i0e``/``bessel_i1e``.
"""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import bind
from .elementwise import _c, abs_p, add, div, gt, mul, select_n, sign, sub, unary
from .rules import defjvp, defvjp
from .special import _scipy_special

bessel_i0e_p = unary("bessel_i0e", _scipy_special("i0e"), lax.bessel_i0e)
bessel_i1e_p = unary("bessel_i1e", _scipy_special("i1e"), lax.bessel_i1e)


def bessel_i0e(x):
    """``exp(-|x|) I0(x)`` elementwise, as ``jax.lax.bessel_i0e``.

    >>> bessel_i0e(np.array([0.0, 1.0]))
    array([1.        , 0.46575961])
    """
    return bind(bessel_i0e_p, x)


def bessel_i1e(x):
    """``exp(-|x|) I1(x)`` elementwise, as ``jax.lax.bessel_i1e``.

    >>> bessel_i1e(np.array([0.0, 1.0]))
    array([0.        , 0.20791042])
    """
    return bind(bessel_i1e_p, x)


def _i0e_slope(ans, x):
    return sub(bessel_i1e(x), mul(sign(x), ans))


def _i1e_slope(ans, x):
    eps = _c(x, np.finfo(np.asarray(_c(x, 0)).dtype).eps)
    not_tiny = gt(bind(abs_p, x), eps)
    safe_x = select_n(not_tiny, eps + mul(x, _c(x, 0)), x)
    slope = sub(bessel_i0e(safe_x), mul(ans, add(sign(safe_x), div(_c(x, 1), safe_x))))
    return select_n(not_tiny, add(mul(x, _c(x, 0)), _c(x, 0.5)), slope)


defjvp(bessel_i0e_p, lambda t, ans, x: mul(t, _i0e_slope(ans, x)))
defvjp(bessel_i0e_p, lambda g, ans, x: mul(g, _i0e_slope(ans, x)))
defjvp(bessel_i1e_p, lambda t, ans, x: mul(t, _i1e_slope(ans, x)))
defvjp(bessel_i1e_p, lambda g, ans, x: mul(g, _i1e_slope(ans, x)))
