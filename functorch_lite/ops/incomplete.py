"""The regularized incomplete gamma and beta functions, as ``jax.lax``'s:

- ``igamma(a, x) = P(a, x)``, the lower one: ``int_0^x t^(a-1) e^-t dt / Gamma(a)``;
- ``igammac(a, x) = Q(a, x) = 1 - P(a, x)``, the upper one;
- ``igamma_grad_a(a, x) = dP/da``;
- ``betainc(a, b, x) = I_x(a, b)``: ``int_0^x t^(a-1) (1-t)^(b-1) dt / B(a, b)``
  (``jax.lax.betainc``, whose primitive is ``regularized_incomplete_beta``).

Derivatives, as JAX's rules:

- ``dP/dx = exp(-x + (a-1) log x - lgamma(a))`` and ``dP/da = igamma_grad_a(a, x)``;
  ``Q`` has the opposite slopes;
- ``dI/dx = exp((b-1) log1p(-x) + (a-1) log x - lbeta(a, b))``; as in JAX, a
  derivative with respect to ``a`` or ``b`` raises ValueError;
- ``igamma_grad_a`` itself has no rule (as in JAX, differentiating it raises).

Eagerly, ``igamma``/``igammac``/``betainc`` are SciPy's (a jax dependency) in float64,
rounded to the operands' float dtype (so in float32 they can differ from XLA's float32
algorithm in the fourth digit for large ``a``), with JAX's values at the edges: NaN for
``x < 0``, ``a < 0``, ``a = x = 0``, for ``P`` at ``a = 0 < x < 1``, and at ``a = inf``
with a finite ``x >= 1`` (where XLA meets 0/0 or inf - inf and SciPy takes a limit).
``igamma_grad_a`` has no SciPy counterpart: it is XLA's algorithm (the power series of
``P`` below ``x = max(1, a)``, the continued fraction of ``Q`` above, each carrying its
derivative in ``a``) in float64 NumPy.  Under ``jit`` they lower to ``jax.lax``'s.
"""
from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp
import numpy as np

from ..core import bind
from ..core.dtypes import FLOATS
from .elementwise import (_c, add, elementwise, exp, log, log1p, mul, neg, sub)
from .gamma import lgamma
from .rules import defjvp, defvjp


def _float64(name: str, *args):
    """The operands as one broadcast float64 array each (their dtype checked)."""
    arrs = [np.asarray(a) for a in args]
    for a in arrs:
        if a.dtype not in FLOATS:  # the shape/dtype rule then explains (eager binds skip it)
            raise TypeError(f"{name}: dtype {a.dtype} is not supported")
    return np.broadcast_arrays(*[a.astype(np.float64) for a in arrs])


def _igamma_domain_error(a, x):
    return (x < 0) | (a < 0) | ((a == 0) & (x == 0)) | np.isnan(a) | np.isnan(x)


def _jax_nan(a, x):
    """Where XLA's algorithm gives NaN and SciPy a limit: ``a = inf`` with finite
    ``x >= 1`` (inf - inf)."""
    return (a == np.inf) & (x >= 1) & (x < np.inf)


def _igamma_impl(a, x):
    import scipy.special
    a, x = _float64("igamma", a, x)
    with np.errstate(all="ignore"):
        out = scipy.special.gammainc(a, x)
    out = np.where(x == np.inf, 1.0, out)
    series_0_by_0 = (a == 0) & (x > 0) & (x < 1)  # XLA's value; SciPy's limit is 1
    return np.where(_igamma_domain_error(a, x) | _jax_nan(a, x) | series_0_by_0, np.nan, out)


def _igammac_impl(a, x):
    import scipy.special
    a, x = _float64("igammac", a, x)
    with np.errstate(all="ignore"):
        out = scipy.special.gammaincc(a, x)
    out = np.where((x == np.inf) | ((a == 0) & (x > 0)), 0.0, out)
    return np.where(_igamma_domain_error(a, x) | _jax_nan(a, x), np.nan, out)


def _betainc_impl(a, b, x):
    import scipy.special
    a, b, x = _float64("regularized_incomplete_beta", a, b, x)
    with np.errstate(all="ignore"):
        return scipy.special.betainc(a, b, x)  # JAX's values at the edges too


# ----------------------------------------------------------------------------- dP/da


_EPS = np.finfo(np.float64).eps


def _series_grad_a(ax, x, a, on):
    """dP/da from the power series ``P = ax/a * sum_n x^n / ((a+1)...(a+n))``, carrying
    each term's derivative in ``a`` (XLA's ``IgammaSeries``, derivative mode)."""
    r, c, ans = a.copy(), np.ones_like(a), np.ones_like(a)
    dc_da, dans_da = np.zeros_like(a), np.zeros_like(a)
    while on.any():
        r1 = r + 1.0
        dc1 = dc_da * (x / r1) - (c * x) / (r1 * r1)
        dans1 = dans_da + dc1
        c1 = c * (x / r1)
        r, c, ans = np.where(on, r1, r), np.where(on, c1, c), np.where(on, ans + c1, ans)
        dc_da, dans_da = np.where(on, dc1, dc_da), np.where(on, dans1, dans_da)
        on = on & (np.abs(dc1 / dans1) > _EPS)
    dlogax_da = np.log(x) - _digamma(a + 1.0)
    return ax * (ans * dlogax_da + dans_da) / a


def _cfrac_grad_a(ax, x, a, on):
    """dQ/da from the continued fraction of ``Q`` (XLA's ``IgammacContinuedFraction``,
    derivative mode), with its rescaling against overflow."""
    y = 1.0 - a
    z = x + y + 1.0
    pkm2, qkm2 = np.ones_like(x), x.copy()
    pkm1, qkm1 = x + 1.0, z * x
    ans = pkm1 / qkm1
    dpkm2, dqkm2, dpkm1, dqkm1 = (np.zeros_like(x), np.zeros_like(x), np.zeros_like(x), -x)
    dans = (dpkm1 - ans * dqkm1) / qkm1
    c = 0.0
    while c < 2000 and on.any():
        c += 1.0
        y1, z1 = y + 1.0, z + 2.0
        yc = y1 * c
        pk, qk = pkm1 * z1 - pkm2 * yc, qkm1 * z1 - qkm2 * yc
        nz = qk != 0
        ans1 = np.where(nz, pk / qk, ans)
        dpk = dpkm1 * z1 - pkm1 - dpkm2 * yc + pkm2 * c
        dqk = dqkm1 * z1 - qkm1 - dqkm2 * yc + qkm2 * c
        dans1 = np.where(nz, (dpk - ans1 * dqk) / qk, dans)
        moved = np.where(nz, np.abs(dans1 - dans), 1.0)
        scale = np.where(np.abs(pk) > 1.0 / _EPS, _EPS, 1.0)
        new = (pkm1 * scale, qkm1 * scale, pk * scale, qk * scale,
               dpkm1 * scale, dqkm1 * scale, dpk * scale, dqk * scale)
        old = (pkm2, qkm2, pkm1, qkm1, dpkm2, dqkm2, dpkm1, dqkm1)
        pkm2, qkm2, pkm1, qkm1, dpkm2, dqkm2, dpkm1, dqkm1 = (
            np.where(on, n, o) for n, o in zip(new, old))
        y, z = np.where(on, y1, y), np.where(on, z1, z)
        ans, dans = np.where(on, ans1, ans), np.where(on, dans1, dans)
        on = on & (moved > _EPS)
    dlogax_da = np.log(x) - _digamma(a)
    return ax * (ans * dlogax_da + dans)


def _digamma(v):
    import scipy.special
    return scipy.special.psi(v)


def _igamma_grad_a_impl(a, x):
    import scipy.special
    a, x = _float64("igamma_grad_a", a, x)
    with np.errstate(all="ignore"):
        bad = (x < 0) | (a <= 0) | np.isnan(a) | np.isnan(x)
        use_cfrac = (x > 1) & (x > a)
        logax = a * np.log(x) - x - scipy.special.gammaln(a)
        underflow = logax < -np.log(np.finfo(np.float64).max)
        ax = np.exp(logax)
        on = ~((x == 0) | bad | underflow)
        series = _series_grad_a(ax, x, a, on & ~use_cfrac)
        cfrac = -_cfrac_grad_a(ax, x, a, on & use_cfrac)
        out = np.where(use_cfrac, cfrac, series)
    out = np.where(x == 0, 0.0, out)
    return np.where(bad, np.nan, out)


# ----------------------------------------------------------------------------- primitives

def _lower_n(fn):
    return lambda *args: fn(*jnp.broadcast_arrays(*args))


igamma_p = elementwise("igamma", _igamma_impl, _lower_n(lax.igamma), 2, FLOATS)
igammac_p = elementwise("igammac", _igammac_impl, _lower_n(lax.igammac), 2, FLOATS)
# no derivative rule, as in JAX (differentiating it raises)
igamma_grad_a_p = elementwise("igamma_grad_a", _igamma_grad_a_impl,
                              _lower_n(lax.igamma_grad_a), 2, FLOATS)
betainc_p = elementwise("regularized_incomplete_beta", _betainc_impl, _lower_n(lax.betainc),
                        3, FLOATS)


def igamma(a, x):
    """The regularized lower incomplete gamma function ``P(a, x)`` (as ``jax.lax.igamma``;
    operands of one float dtype, broadcast).

    >>> igamma(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([0.63212056, 0.26424112])
    """
    return bind(igamma_p, a, x)


def igammac(a, x):
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``.

    >>> igammac(np.array([1.0]), np.array([1.0]))
    array([0.36787944])
    """
    return bind(igammac_p, a, x)


def igamma_grad_a(a, x):
    """``dP(a, x)/da``, the derivative of ``igamma`` in its first argument.

    >>> igamma_grad_a(np.array([1.0]), np.array([1.0]))
    array([-0.43172971])
    """
    return bind(igamma_grad_a_p, a, x)


def betainc(a, b, x):
    """The regularized incomplete beta function ``I_x(a, b)`` (as ``jax.lax.betainc``).

    >>> betainc(np.array([2.0]), np.array([3.0]), np.array([0.5]))
    array([0.6875])
    """
    return bind(betainc_p, a, b, x)


def _igamma_slope(a, x):
    return exp(sub(sub(mul(sub(a, _c(a, 1.0)), log(x)), x), lgamma(a)))


def _betainc_slope(a, b, x):
    lbeta = sub(add(lgamma(a), lgamma(b)), lgamma(add(a, b)))
    one = _c(a, 1.0)
    return exp(sub(add(mul(sub(b, one), log1p(neg(x))), mul(sub(a, one), log(x))), lbeta))


def _betainc_ab(*args, **params):
    raise ValueError("Betainc gradient with respect to a and b not supported.")


defjvp(igamma_p, lambda t, ans, a, x: mul(t, igamma_grad_a(a, x)),
       lambda t, ans, a, x: mul(t, _igamma_slope(a, x)))
defvjp(igamma_p, lambda g, ans, a, x: mul(g, igamma_grad_a(a, x)),
       lambda g, ans, a, x: mul(g, _igamma_slope(a, x)), unbroadcast=True)
defjvp(igammac_p, lambda t, ans, a, x: neg(mul(t, igamma_grad_a(a, x))),
       lambda t, ans, a, x: neg(mul(t, _igamma_slope(a, x))))
defvjp(igammac_p, lambda g, ans, a, x: neg(mul(g, igamma_grad_a(a, x))),
       lambda g, ans, a, x: neg(mul(g, _igamma_slope(a, x))), unbroadcast=True)
defjvp(betainc_p, _betainc_ab, _betainc_ab,
       lambda t, ans, a, b, x: mul(t, _betainc_slope(a, b, x)))
defvjp(betainc_p, _betainc_ab, _betainc_ab,
       lambda g, ans, a, b, x: mul(g, _betainc_slope(a, b, x)), unbroadcast=True)
