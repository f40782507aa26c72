"""``fl.scipy.special``: special functions as ``jax.scipy.special`` defines them.

Each function is built from ``fnp``/``fl.lax`` operations (and the ``lgamma``/``digamma``/
``polygamma``/``erf`` primitives), so it runs eagerly on NumPy arrays, and under ``grad``,
``vmap`` and ``jit`` like user code.  Values follow JAX's formulas, derivatives JAX's
rules: ``xlogy``/``xlog1py``/``entr`` use JAX's custom JVPs (so ``d/dy xlogy(0, y) = 0``
for ``y > 0``), ``logsumexp`` shifts by a stop-gradient maximum, ``log_ndtr`` uses an
asymptotic series far in the left tail and JAX's JVP ``exp(norm.logpdf(x) - log_ndtr(x))``.

Integer and bool inputs are promoted to float32 (float64 stays float64), as JAX's
``promote_args_inexact`` does; complex inputs are not supported.

>>> import functorch_lite.scipy.special as sps
>>> float(sps.xlogy(0.0, 0.0)), float(sps.expit(0.0))
(0.0, 0.5)
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
import types
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from .. import lax
from .. import nn as _nn
from .. import numpy as fnp
from ..core import Tracer
from ..ops import bessel as _bessel
from ..ops import gamma as _gamma
from ..ops import gamma_orders as _gamma_orders
from ..ops import incomplete as _incomplete
from ..transforms.custom import custom_jvp

__all__ = ["logsumexp", "softmax", "log_softmax", "expit", "logit", "erf", "erfc", "erfinv",
           "gammaln", "gammasgn", "gamma", "digamma", "polygamma", "betaln", "beta",
           "multigammaln", "xlogy", "xlog1py", "entr", "rel_entr", "kl_div", "ndtr", "ndtri",
           "log_ndtr", "i0e", "i0", "i1e", "i1", "gammainc", "gammaincc", "betainc",
           "zeta"]

Array = Any


# ----------------------------------------------------------------------------- helpers

def _inexact(name: str, *args: Any) -> list:
    """``args`` as arrays of one floating dtype, as JAX's ``promote_args_inexact``:
    the promoted dtype if it is a float, else float32."""
    for a in args:
        if not isinstance(a, Tracer) and np.iscomplexobj(a):
            where = f"fl.scipy.stats.{name}" if "." in name else f"fl.scipy.special.{name}"
            raise TypeError(f"{where}: complex inputs are not supported (got dtype "
                            f"{np.asarray(a).dtype}); functorch_lite has no complex dtypes.")
    args = [fnp.asarray(a) if isinstance(a, (list, tuple)) else a for a in args]
    dt = fnp.result_type(*args)
    if not np.issubdtype(dt, np.floating):
        dt = np.dtype(np.float32)
    return [fnp.asarray(a, dtype=dt) for a in args]


def quiet(fun: Callable) -> Callable:
    """``fun`` with NumPy's floating-point warnings off: the formulas compute values in
    branches that ``where`` then discards (``log(0)`` where ``x == 0``), as JAX does
    without warning.  The wrapper lives in ``fun``'s module (its globals), so doctest
    still finds ``fun``'s examples there."""
    errstate = np.errstate

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with errstate(all="ignore"):
            return fun(*args, **kwargs)

    out = types.FunctionType(wrapped.__code__, fun.__globals__, fun.__name__, None,
                             wrapped.__closure__)
    return functools.wraps(fun)(out)


def _dtype(x: Array) -> np.dtype:
    return np.dtype(fnp.asarray(x).dtype if not isinstance(x, Tracer) else x.dtype)


def _horner(coeffs: Any, x: Array) -> Array:
    """``jnp.polyval(coeffs, x)`` (highest power first) in ``x``'s dtype."""
    out = fnp.zeros_like(x)
    for c in coeffs:
        out = out * x + c
    return out


# ----------------------------------------------------------------------------- log-sum-exp


@quiet
def logsumexp(a: Array, axis: int | tuple[int, ...] | None = None, b: Array | None = None,
              keepdims: bool = False, return_sign: bool = False,
              where: Array | None = None) -> Array | tuple[Array, Array]:
    """``log(sum(b * exp(a)))`` over ``axis``, computed stably, as
    ``jax.scipy.special.logsumexp`` (``fl.nn.logsumexp`` plus ``where``): entries where
    ``where`` is False or ``b == 0`` are left out; a negative sum gives NaN unless
    ``return_sign=True`` (then ``(log|sum|, sign(sum))``).  The gradient is the
    softmax, with the maximum held constant, so ``a = 1e4`` or ``-inf`` entries are safe.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> float(sps.logsumexp(np.array([1e4, 1e4], np.float32)))
    10000.693359375
    >>> float(sps.logsumexp(np.array([0.0, 5.0]), where=np.array([True, False])))
    0.0
    """
    if where is not None:
        a = fnp.asarray(a)
        mask = fnp.asarray(where)
        if mask.dtype != fnp.bool_:
            mask = mask != 0
        # a left-out entry acts as b == 0: fl.nn.logsumexp then sets it to -inf, and its
        # cotangent is selected away (zero), as JAX's masked reductions give
        keep = fnp.ones_like(a) if b is None else b
        b = fnp.where(mask, keep, fnp.zeros_like(keep))
        if not return_sign and _dtype(b) != _dtype(a):
            b = fnp.asarray(b, dtype=fnp.result_type(a, b))
    return _nn.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign)


@quiet
def softmax(x: Array, /, *, axis: int | tuple[int, ...] | None = None) -> Array:
    """``exp(x) / sum(exp(x))`` over ``axis`` (all axes by default, as
    ``jax.scipy.special.softmax``; ``fl.nn.softmax`` defaults to the last).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.softmax(np.array([[0.0, 0.0], [0.0, 0.0]], np.float32))
    array([[0.25, 0.25],
           [0.25, 0.25]], dtype=float32)
    """
    (x,) = _inexact("softmax", x)
    return _nn.softmax(x, axis=axis)


@quiet
def log_softmax(x: Array, /, *, axis: int | tuple[int, ...] | None = None) -> Array:
    """``x - logsumexp(x)`` over ``axis`` (all axes by default), as
    ``jax.scipy.special.log_softmax``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.log_softmax(np.array([1e4, 0.0], np.float32))
    array([     0., -10000.], dtype=float32)
    """
    (x,) = _inexact("log_softmax", x)
    return _nn.log_softmax(x, axis=axis)


# ----------------------------------------------------------------------------- logistic


@quiet
def expit(x: Array) -> Array:
    """The logistic sigmoid ``1 / (1 + exp(-x))``, as ``jax.scipy.special.expit``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.expit(np.array([0.0, 100.0, -100.0], np.float32))
    array([0.5, 1. , 0. ], dtype=float32)
    """
    (x,) = _inexact("expit", x)
    return lax.logistic(x)


@custom_jvp
def _logit(x: Array) -> Array:
    return fnp.log(x / (1 - x))


_logit.defjvps(lambda t, ans, x: t / (x * (1 - x)))


@quiet
def logit(x: Array) -> Array:
    """``log(p / (1 - p))``, the inverse of ``expit``, as ``jax.scipy.special.logit``
    (derivative ``1 / (p (1 - p))``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.logit(np.array([0.5, 0.0, 1.0], np.float32))
    array([  0., -inf,  inf], dtype=float32)
    """
    (x,) = _inexact("logit", x)
    return _logit(x)


# ----------------------------------------------------------------------------- error functions


@quiet
def erf(x: Array) -> Array:
    """The error function, as ``jax.scipy.special.erf``.

    >>> import functorch_lite.scipy.special as sps
    >>> round(float(sps.erf(1.0)), 6)
    0.842701
    """
    (x,) = _inexact("erf", x)
    return lax.erf(x)


@quiet
def erfc(x: Array) -> Array:
    """The complementary error function ``1 - erf(x)``, as ``jax.scipy.special.erfc``
    (accurate where ``erf(x)`` is close to 1).

    >>> import functorch_lite.scipy.special as sps
    >>> float(sps.erfc(10.0)) > 0
    True
    """
    (x,) = _inexact("erfc", x)
    return lax.erfc(x)


@quiet
def erfinv(x: Array) -> Array:
    """The inverse error function on ``(-1, 1)`` (+-inf at +-1, NaN outside), as
    ``jax.scipy.special.erfinv``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.erfinv(np.array([0.0, 1.0, 2.0], np.float32))
    array([ 0., inf, nan], dtype=float32)
    """
    (x,) = _inexact("erfinv", x)
    return lax.erf_inv(x)


# ----------------------------------------------------------------------------- gamma family


@quiet
def gammaln(x: Array) -> Array:
    """``log|Gamma(x)|``, as ``jax.scipy.special.gammaln`` (derivative ``digamma``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.gammaln(np.array([1.0, 3.0, 0.0], np.float32))
    array([0.       , 0.6931472,       inf], dtype=float32)
    """
    (x,) = _inexact("gammaln", x)
    return lax.lgamma(x)


@quiet
def digamma(x: Array) -> Array:
    """The digamma function ``d/dx gammaln(x)`` (NaN at 0, -1, -2, ...), as
    ``jax.scipy.special.digamma``.

    >>> import functorch_lite.scipy.special as sps
    >>> round(float(sps.digamma(1.0)), 6)
    -0.577216
    """
    (x,) = _inexact("digamma", x)
    return lax.digamma(x)


@quiet
def polygamma(n: Array, x: Array) -> Array:
    """The ``n``-th derivative of ``digamma``, as ``jax.scipy.special.polygamma``.

    ``n`` must have an integer dtype (a ``ValueError`` otherwise, as in JAX); it may be a
    Python int, an integer array (orders vary per element, broadcast against ``x``) or a
    traced integer value under ``jit``/``vmap``.  Negative orders give NaN.  Every
    derivative in ``x`` exists (``polygamma(n + 1, x)``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.polygamma(np.array([0, 1]), np.array([1.0, 1.0], np.float32))
    array([-0.5772157,  1.644934 ], dtype=float32)
    """
    n_dtype = n.dtype if isinstance(n, Tracer) else np.asarray(n).dtype
    if n_dtype == np.bool_ or not np.issubdtype(n_dtype, np.integer):
        raise ValueError("Argument `n` to polygamma must be of integer type. Got dtype "
                         f"{fnp.result_type(n)}.")
    (x,) = _inexact("polygamma", x)
    if isinstance(n, Tracer):  # orders known only at run time: the array-order primitive
        n_f, x_b = fnp.broadcast_arrays(fnp.asarray(n).astype(_dtype(x)), x)
        return _gamma_orders.polygamma_n(n_f, x_b)
    n_arr = np.asarray(n)
    if n_arr.ndim == 0:
        return _polygamma_of_order(int(n_arr), x)
    shape = np.broadcast_shapes(n_arr.shape, tuple(fnp.shape(x)))
    x_b = fnp.broadcast_to(x, shape)
    n_b = np.broadcast_to(n_arr, shape)
    out = fnp.zeros_like(x_b)
    for m in np.unique(n_arr):  # one static-order primitive per distinct order
        out = fnp.where(n_b == m, _polygamma_of_order(int(m), x_b), out)
    return out


def _polygamma_of_order(m: int, x: Array) -> Array:
    return fnp.full_like(x, np.nan) if m < 0 else _gamma.polygamma(m, x)


@quiet
def gammasgn(x: Array) -> Array:
    """The sign of ``Gamma(x)``: NaN at the poles 0, -1, ... except ``gammasgn(-0.0) = -1``
    and ``gammasgn(0.0) = 1``; NaN at ``-inf``, as ``jax.scipy.special.gammasgn``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.gammasgn(np.array([0.5, -0.5, -1.5, -1.0], np.float32))
    array([ 1., -1.,  1., nan], dtype=float32)
    """
    (x,) = _inexact("gammasgn", x)
    floor_x = fnp.floor(x)
    neg = x < 0
    nan_mask = (neg & (x == floor_x)) | fnp.isnan(x)
    minus = (neg & (fnp.fmod(floor_x, 2) != 0)) | ((x == 0) & fnp.signbit(x))
    one = fnp.ones_like(x)
    return fnp.where(nan_mask, fnp.full_like(x, np.nan), fnp.where(minus, -one, one))


@quiet
def gamma(x: Array) -> Array:
    """The gamma function ``sign(Gamma(x)) * exp(gammaln(x))``, as
    ``jax.scipy.special.gamma``: +-inf at +-0, NaN at the negative integers and -inf.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.gamma(np.array([5.0, 0.5, -0.5])).round(6)
    array([24.      ,  1.772454, -3.544908])
    """
    (x,) = _inexact("gamma", x)
    return gammasgn(x) * fnp.exp(lax.lgamma(x))


def _algdiv(a: Array, b: Array) -> Array:
    """``log(Gamma(b) / Gamma(a + b))`` for ``b >= 8`` (``a <= b``): SciPy's ``algdiv``,
    as JAX ports it."""
    c0, c1, c2 = 0.833333333333333e-01, -0.277777777760991e-02, 0.793650666825390e-03
    c3, c4, c5 = -0.595202931351870e-03, 0.837308034031215e-03, -0.165322962780713e-02
    h = a / b
    c = h / (1 + h)
    x = h / (1 + h)
    d = b + (a - 0.5)
    x2 = x * x
    s3 = 1.0 + (x + x2)
    s5 = 1.0 + (x + x2 * s3)
    s7 = 1.0 + (x + x2 * s5)
    s9 = 1.0 + (x + x2 * s7)
    s11 = 1.0 + (x + x2 * s9)
    t = (1.0 / b) ** 2
    w = ((((c5 * s11 * t + c4 * s9) * t + c3 * s7) * t + c2 * s5) * t + c1 * s3) * t + c0
    w = w * (c / b)
    u = d * fnp.log1p(a / b)
    v = a * (fnp.log(b) - 1.0)
    return fnp.where(u <= v, (w - v) - u, (w - u) - v)


@quiet
def betaln(a: Array, b: Array) -> Array:
    """``log|B(a, b)|``, as ``jax.scipy.special.betaln`` (SciPy's large-argument branch
    for ``max(a, b) >= 8``, so it stays accurate for arguments of a million).

    >>> import functorch_lite.scipy.special as sps
    >>> round(float(sps.betaln(1.0, 1.0)), 6), round(float(sps.betaln(2.0, 3.0)), 4)
    (0.0, -2.4849)
    """
    a, b = _inexact("betaln", a, b)
    a, b = fnp.minimum(a, b), fnp.maximum(a, b)
    small_b = lax.lgamma(a) + (lax.lgamma(b) - lax.lgamma(a + b))
    large_b = lax.lgamma(a) + _algdiv(a, b)
    return fnp.where(b < 8, small_b, large_b)


@quiet
def beta(a: Array, b: Array) -> Array:
    """The beta function ``Gamma(a) Gamma(b) / Gamma(a + b)``, as
    ``jax.scipy.special.beta``.

    >>> import functorch_lite.scipy.special as sps
    >>> round(float(sps.beta(2.0, 3.0)), 6)
    0.083333
    """
    a, b = _inexact("beta", a, b)
    sign = gammasgn(a) * gammasgn(b) * gammasgn(a + b)
    return sign * fnp.exp(betaln(a, b))


@quiet
def multigammaln(a: Array, d: int) -> Array:
    """``log`` of the multivariate gamma function of dimension ``d`` (a concrete int), as
    ``jax.scipy.special.multigammaln``.

    >>> import functorch_lite.scipy.special as sps
    >>> round(float(sps.multigammaln(3.0, 2)), 4)
    1.5502
    """
    if isinstance(d, Tracer):
        raise TypeError("fl.scipy.special.multigammaln: d must be a concrete int, got a traced "
                        f"value {d.aval.str_short()}; make it a static argument of jit.")
    try:
        d = int(np.asarray(d).item()) if np.ndim(d) == 0 else None
    except (TypeError, ValueError):
        d = None
    if d is None:
        raise TypeError("fl.scipy.special.multigammaln: d must be a concrete int (the "
                        "dimension).")
    a, d_ = _inexact("multigammaln", a, d)
    constant = 0.25 * d_ * (d_ - 1) * fnp.log(fnp.asarray(np.pi, dtype=_dtype(a)))
    b = fnp.arange(d, dtype=_dtype(a)) / 2
    res = fnp.sum(lax.lgamma(fnp.expand_dims(a, -1) - b), axis=-1)
    return res + constant


# ----------------------------------------------------------------------------- x log y


@custom_jvp
def _xlogy(x: Array, y: Array) -> Array:
    # NaN in y propagates even where x == 0, as SciPy's xlogy
    return fnp.where((x != 0) | fnp.isnan(y), x * fnp.log(y), fnp.zeros_like(x * y))


@_xlogy.defjvp
def _xlogy_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    return _xlogy(x, y), tx * fnp.log(y) + ty * x / y


@quiet
def xlogy(x: Array, y: Array) -> Array:
    """``x * log(y)``, 0 where ``x == 0`` (unless ``y`` is NaN), as
    ``jax.scipy.special.xlogy``, with JAX's derivative ``(log y, x / y)``: at ``x = 0``,
    ``y > 0`` the ``y``-derivative is 0.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.xlogy(np.array([0.0, 2.0], np.float32), np.array([0.0, np.e], np.float32))
    array([0., 2.], dtype=float32)
    """
    x, y = _inexact("xlogy", x, y)
    return _xlogy(x, y)


@custom_jvp
def _xlog1py(x: Array, y: Array) -> Array:
    return fnp.where((x != 0) | fnp.isnan(y), x * fnp.log1p(y), fnp.zeros_like(x * y))


@_xlog1py.defjvp
def _xlog1py_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    return _xlog1py(x, y), tx * fnp.log1p(y) + ty * x / (1 + y)


@quiet
def xlog1py(x: Array, y: Array) -> Array:
    """``x * log1p(y)``, 0 where ``x == 0`` (unless ``y`` is NaN), as
    ``jax.scipy.special.xlog1py`` (derivative ``(log1p y, x / (1 + y))``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.xlog1py(np.array([0.0, 1.0], np.float32), np.array([-1.0, 0.0], np.float32))
    array([0., 0.], dtype=float32)
    """
    x, y = _inexact("xlog1py", x, y)
    return _xlog1py(x, y)


@custom_jvp
def _xlogx(x: Array) -> Array:
    return _xlogy(x, x)


_xlogx.defjvps(lambda t, ans, x: t * (fnp.log(x) + 1))


@quiet
def entr(x: Array) -> Array:
    """``-x log x`` for ``x > 0``, 0 at 0, ``-inf`` for ``x < 0``, as
    ``jax.scipy.special.entr`` (derivative ``-(log x + 1)``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.entr(np.array([0.5, 1.0, -1.0], np.float32))
    array([ 0.3465736, -0.       ,       -inf], dtype=float32)
    """
    (x,) = _inexact("entr", x)
    return fnp.where(x < 0, fnp.full_like(x, -np.inf), -_xlogx(x))


@quiet
def rel_entr(p: Array, q: Array) -> Array:
    """``p log(p / q)`` for ``p, q > 0``; 0 for ``p == 0, q >= 0``; ``inf`` otherwise, as
    ``jax.scipy.special.rel_entr``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.rel_entr(np.array([1.0, 0.0, 1.0], np.float32), np.array([1.0, 1.0, -1.0], np.float32))
    array([ 0.,  0., inf], dtype=float32)
    """
    p, q = _inexact("rel_entr", p, q)
    zero = fnp.zeros_like(p * q)
    both_gt_zero = (p > 0) & (q > 0)
    one_zero = (p == 0) & (q >= 0)
    safe_p = fnp.where(both_gt_zero, p, 1)
    safe_q = fnp.where(both_gt_zero, q, 1)
    log_val = _xlogx(safe_p) - _xlogy(safe_p, safe_q)
    return fnp.where(both_gt_zero, log_val, fnp.where(one_zero, zero, zero + np.inf))


@quiet
def kl_div(p: Array, q: Array) -> Array:
    """``p log(p / q) - p + q`` for ``p, q > 0``; ``q`` for ``p == 0, q >= 0``; ``inf``
    otherwise, as ``jax.scipy.special.kl_div``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.kl_div(np.array([1.0, 0.0], np.float32), np.array([1.0, 2.0], np.float32))
    array([0., 2.], dtype=float32)
    """
    p, q = _inexact("kl_div", p, q)
    return rel_entr(p, q) - p + q


# ----------------------------------------------------------------------------- normal CDF


def _check_f32_f64(name: str, x: Array) -> Array:
    x = fnp.asarray(x)
    if _dtype(x) not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"fl.scipy.special.{name}: x.dtype={_dtype(x)} is not supported, "
                        "only float32 and float64 (as in JAX); convert with "
                        ".astype(fnp.float32).")
    return x


@quiet
def ndtr(x: Array) -> Array:
    """The standard normal CDF ``(1 + erf(x / sqrt 2)) / 2``, as ``jax.scipy.special.ndtr``
    (``erfc`` in the tails; float32/float64 only, a ``TypeError`` otherwise).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.ndtr(np.array([0.0, -np.inf, np.inf], np.float32))
    array([0.5, 0. , 1. ], dtype=float32)
    """
    return _ndtr(_check_f32_f64("ndtr", x))


def _ndtr(x: Array) -> Array:
    dt = _dtype(x).type
    half_sqrt_2 = dt(0.5) * np.sqrt(2.0, dtype=dt)
    w = x * half_sqrt_2
    z = fnp.abs(w)
    y = fnp.where(z < half_sqrt_2, dt(1.0) + lax.erf(w),
                  fnp.where(w > dt(0.0), dt(2.0) - lax.erfc(z), lax.erfc(z)))
    return dt(0.5) * y


# Cephes' piecewise rational approximations of ndtri, as JAX uses them
_NDTRI_P0 = [-5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
             1.39312609387279679503E1, -1.23916583867381258016E0]
_NDTRI_Q0 = [1.0, 1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
             -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
             1.59056225126211695515E1, -1.18331621121330003142E0]
_NDTRI_P1 = [4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
             4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
             -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4]
_NDTRI_Q1 = [1.0, 1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
             1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
             -3.80806407691578277194E-2, -9.33259480895457427372E-4]
_NDTRI_P2 = [3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
             1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
             3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9]
_NDTRI_Q2 = [1.0, 6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
             2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
             2.89247864745380683936E-6, 6.79019408009981274425E-9]


@quiet
def ndtri(p: Array) -> Array:
    """The inverse of ``ndtr`` (the standard normal quantile), as
    ``jax.scipy.special.ndtri``: ``-inf`` at 0, ``inf`` at 1, NaN outside ``[0, 1]``
    (Cephes' rational approximations; float32/float64 only).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.ndtri(np.array([0.0, 0.5, 1.0], np.float32))
    array([-inf,   0.,  inf], dtype=float32)
    """
    p = _check_f32_f64("ndtri", p)
    dt = _dtype(p).type

    def coeffs(c):
        return np.array(c, dt)

    maybe_complement_p = fnp.where(p > dt(-np.expm1(-2.0)), dt(1.0) - p, p)
    # p == 0 would give NaNs in the unused branches (and in their gradients)
    sanitized = fnp.where(maybe_complement_p == dt(0.0), fnp.full_like(p, dt(0.5)),
                          maybe_complement_p)
    w = sanitized - dt(0.5)
    ww = w * w
    x_for_big_p = w + w * ww * (_horner(coeffs(_NDTRI_P0), ww) / _horner(coeffs(_NDTRI_Q0), ww))
    x_for_big_p = x_for_big_p * (-dt(np.sqrt(2.0 * np.pi)))
    z = fnp.sqrt(dt(-2.0) * fnp.log(sanitized))
    first_term = z - fnp.log(z) / z
    inv_z = 1 / z
    second_small = _horner(coeffs(_NDTRI_P2), inv_z) / _horner(coeffs(_NDTRI_Q2), inv_z) / z
    second_other = _horner(coeffs(_NDTRI_P1), inv_z) / _horner(coeffs(_NDTRI_Q1), inv_z) / z
    x = fnp.where(sanitized > dt(np.exp(-2.0)), x_for_big_p,
                  fnp.where(z >= dt(8.0), first_term - second_small, first_term - second_other))
    x = fnp.where(p > dt(1.0 - np.exp(-2.0)), x, -x)
    infinity = fnp.full_like(p, dt(np.inf))
    return fnp.where(p == dt(0.0), -infinity, fnp.where(p == dt(1.0), infinity, x))


def _double_factorial(n: int) -> int:
    return math.prod(range(n, 1, -2))


def _log_ndtr_lower(x: Array, series_order: int) -> Array:
    """The asymptotic expansion of ``log(ndtr(x))`` for ``x << -1``."""
    dt = _dtype(x).type
    x_2 = x * x
    log_scale = -dt(0.5) * x_2 - fnp.log(-x) - dt(0.5 * np.log(2.0 * np.pi))
    return log_scale + fnp.log(_log_ndtr_series(x, series_order))


def _log_ndtr_series(x: Array, series_order: int) -> Array:
    dt = _dtype(x).type
    if series_order <= 0:
        return fnp.ones_like(x)
    x_2 = x * x
    even_sum = fnp.zeros_like(x)
    odd_sum = fnp.zeros_like(x)
    x_2n = x_2
    for n in range(1, series_order + 1):
        y = dt(_double_factorial(2 * n - 1)) / x_2n
        if n % 2:
            odd_sum = odd_sum + y
        else:
            even_sum = even_sum + y
        x_2n = x_2n * x_2
    return dt(1.0) + even_sum - odd_sum


_LOG_SQRT_2PI = float(np.log(np.sqrt(2 * np.pi)))


@partial(custom_jvp, nondiff_argnums=(1,))
def _log_ndtr(x: Array, series_order: int) -> Array:
    dt = _dtype(x)
    if dt == np.float64:
        lower, upper = np.float64(-20), np.float64(8)
    else:
        lower, upper = np.float32(-10), np.float32(5)
    above = x > upper
    # min/max keep the unused branches finite (and so their zero-weighted gradients)
    ndtr_res = _ndtr(fnp.where(above, -x, fnp.maximum(x, lower)))
    return fnp.where(above, -ndtr_res,
                     fnp.where(x > lower, fnp.log(ndtr_res),
                               _log_ndtr_lower(fnp.minimum(x, lower), series_order)))


@_log_ndtr.defjvp
def _log_ndtr_jvp(series_order, primals, tangents):
    (x,), (t,) = primals, tangents
    ans = _log_ndtr(x, series_order)
    return ans, t * fnp.exp(-0.5 * (x * x) - _LOG_SQRT_2PI - ans)


@quiet
def log_ndtr(x: Array, series_order: int = 3) -> Array:
    """``log(ndtr(x))``, accurate far into both tails, as ``jax.scipy.special.log_ndtr``:
    ``-ndtr(-x)`` above 5 (float32; 8 in float64), an asymptotic series of
    ``series_order`` terms (a Python int in ``[0, 30]``) below -10 (-20).  The derivative
    is ``exp(norm.logpdf(x) - log_ndtr(x))``, finite for every finite ``x``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> [round(float(v), 3) for v in sps.log_ndtr(np.array([0.0, -40.0], np.float32))]
    [-0.693, -804.608]
    """
    if isinstance(series_order, bool) or not isinstance(series_order, int):
        raise TypeError("fl.scipy.special.log_ndtr: series_order must be a Python integer, "
                        f"got {series_order!r:.40}.")
    if series_order < 0:
        raise ValueError("fl.scipy.special.log_ndtr: series_order must be non-negative, got "
                         f"{series_order}.")
    if series_order > 30:
        raise ValueError(f"fl.scipy.special.log_ndtr: series_order must be <= 30, got "
                         f"{series_order}.")
    return _log_ndtr(_check_f32_f64("log_ndtr", x), series_order)


# ----------------------------------------------------------------------------- Bessel


@quiet
def i0e(x: Array) -> Array:
    """The exponentially scaled modified Bessel function of order 0, ``exp(-|x|) I0(x)``,
    as ``jax.scipy.special.i0e`` (derivative ``i1e(x) - sign(x) i0e(x)``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.i0e(np.array([0.0, 1.0], np.float32))
    array([1.       , 0.4657596], dtype=float32)
    """
    (x,) = _inexact("i0e", x)
    return _bessel.bessel_i0e(x)


@quiet
def i0(x: Array) -> Array:
    """The modified Bessel function of order 0, ``exp(|x|) i0e(x)``, as
    ``jax.scipy.special.i0``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.i0(np.array([0.0, 1.0], np.float32))
    array([1.      , 1.266066], dtype=float32)
    """
    (x,) = _inexact("i0", x)
    return fnp.exp(fnp.abs(x)) * _bessel.bessel_i0e(x)


@quiet
def i1e(x: Array) -> Array:
    """The exponentially scaled modified Bessel function of order 1, ``exp(-|x|) I1(x)``,
    as ``jax.scipy.special.i1e`` (derivative 1/2 at 0).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.i1e(np.array([0.0, 1.0], np.float32))
    array([0.        , 0.20791042], dtype=float32)
    """
    (x,) = _inexact("i1e", x)
    return _bessel.bessel_i1e(x)


@quiet
def i1(x: Array) -> Array:
    """The modified Bessel function of order 1, ``exp(|x|) i1e(x)``, as
    ``jax.scipy.special.i1``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.i1(np.array([0.0, 1.0], np.float32))
    array([0.        , 0.56515914], dtype=float32)
    """
    (x,) = _inexact("i1", x)
    return fnp.exp(fnp.abs(x)) * _bessel.bessel_i1e(x)


# ------------------------------------------------------------------- incomplete gamma, beta

@quiet
def gammainc(a: Array, x: Array) -> Array:
    """The regularized lower incomplete gamma function ``P(a, x)``, as
    ``jax.scipy.special.gammainc`` (``lax.igamma``: differentiable in ``x`` and ``a``).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.gammainc(np.array([1.0, 2.0], np.float32), 1.0)
    array([0.63212055, 0.26424113], dtype=float32)
    """
    a, x = _inexact("gammainc", a, x)
    return _incomplete.igamma(a, x)


@quiet
def gammaincc(a: Array, x: Array) -> Array:
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``, as
    ``jax.scipy.special.gammaincc``.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.gammaincc(np.array([1.0, 2.0], np.float32), 1.0)
    array([0.36787945, 0.7357589 ], dtype=float32)
    """
    a, x = _inexact("gammaincc", a, x)
    return _incomplete.igammac(a, x)


@quiet
def betainc(a: Array, b: Array, x: Array) -> Array:
    """The regularized incomplete beta function ``I_x(a, b)``, as
    ``jax.scipy.special.betainc`` (differentiable in ``x`` only, as in JAX).

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.betainc(2.0, 3.0, np.array([0.25, 0.5], np.float32))
    array([0.26171875, 0.6875    ], dtype=float32)
    """
    a, b, x = _inexact("betainc", a, b, x)
    return _incomplete.betainc(a, b, x)


# ----------------------------------------------------------------------------- zeta

def _bernoulli_ratios(n: int) -> np.ndarray:
    """``(2k)! / B_2k`` for ``k = 1..n`` (B: the Bernoulli numbers), exactly then rounded."""
    b = [Fraction(1)]
    for m in range(1, 2 * n + 1):
        b.append(-sum(math.comb(m + 1, k) * b[k] for k in range(m)) / (m + 1))
    return np.array([float(math.factorial(2 * k) / b[2 * k]) for k in range(1, n + 1)])


_BERNOULLI_RATIOS = _bernoulli_ratios(16)


def _zeta_series(s: Array, a: Array) -> Array:
    """The Euler-Maclaurin expansion of ``zeta(s, a)`` (Johansson 2015, formula (5)), with
    JAX's orders (N = M = 8 in float32, 16 in float64): its derivative is zeta's."""
    n = 8 if fnp.result_type(a) == np.float32 else 16
    dt = fnp.result_type(a)
    s_, a_ = fnp.expand_dims(s, -1), fnp.expand_dims(a, -1)
    k = np.arange(n, dtype=dt)
    total = fnp.sum((a_ + k) ** -s_, -1)
    integral = (a + n) ** (1 - s) / (s - 1)
    t0 = (a + n) ** -s
    m = np.arange(2 * n, dtype=dt)
    t1 = fnp.cumprod((s_ + m) / (a_ + n), -1)[..., ::2]
    t1 = fnp.clip(t1, max=np.finfo(dt).max) / _BERNOULLI_RATIOS[:n].astype(dt)
    return total + integral + t0 * (0.5 + fnp.sum(t1, -1))


@custom_jvp
def _zeta(x: Array, q: Array) -> Array:
    return _gamma.zeta(x, q)


@_zeta.defjvp
def _zeta_jvp(primals, tangents):
    from ..transforms.ad import jvp
    return jvp(_zeta_series, primals, tangents)


@quiet
def zeta(x: Array, q: Array | None = None) -> Array:
    """The Hurwitz zeta function ``sum_n (n + q)^-x``, as ``jax.scipy.special.zeta``
    (``q`` is required: no Riemann zeta).  Derivatives are those of a series expansion,
    as in JAX.

    >>> import functorch_lite.scipy.special as sps, numpy as np
    >>> sps.zeta(np.array([2.0, 4.0], np.float32), 1.0)
    array([1.644934 , 1.0823232], dtype=float32)
    """
    if q is None:
        raise NotImplementedError("Riemann zeta function not implemented; pass q != None "
                                  "to compute the Hurwitz Zeta function.")
    x, q = _inexact("zeta", x, q)
    return _zeta(x, q)
