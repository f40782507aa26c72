"""Polynomials as coefficient arrays, highest power first, as ``jax.numpy``'s: ``polyval
polyadd polysub polymul polydiv polyder polyint polyfit poly``.

They are written with ``fnp`` operations (Horner's scheme for ``polyval``, ``convolve`` for
products, a Householder QR for the least squares of ``polyfit``), so they run under
``jit`` and ``vmap`` and are differentiable in the coefficients and the points.
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .. import numpy as fnp
from ..core import ConcretizationTypeError, Tracer, dtypes
from .misc_more import _arr

__all__ = ["polyval", "polyadd", "polysub", "polymul", "polydiv", "polyder", "polyint",
           "polyfit", "poly"]


def _promote(name: str, *xs, inexact: bool = False):
    arrs = [_arr(x, name) for x in xs]
    dt = fnp.result_type(*arrs)
    if inexact and not fnp.issubdtype(dt, fnp.floating):
        dt = dtypes.DEFAULT_FLOAT
    return [fnp.asarray(a, dt) for a in arrs]


def _static_int(v, name: str, arg: str) -> int:
    if isinstance(v, Tracer):
        if v.val is None:
            raise ConcretizationTypeError(f"fnp.{name}: {arg} must be a static int, got the "
                                          f"traced {v.aval.str_short()}.")
        v = v.val
    return operator.index(v)


def _vec(p, name: str):
    if p.ndim != 1:
        raise ValueError(f"fnp.{name}: the coefficients must be a 1-D array, got shape "
                         f"{p.shape}.")
    return p


def polyval(p: Any, x: Any, *, unroll: int = 16) -> Any:
    """The polynomial with coefficients ``p`` (highest power first; extra trailing axes of
    ``p`` broadcast with ``x``) evaluated at ``x`` by Horner's scheme, as
    ``jax.numpy.polyval``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polyval(fnp.array([1.0, 0.0, -2.0]), fnp.array([0.0, 2.0]))
    array([-2.,  2.], dtype=float32)
    """
    pa, xa = _promote("polyval", p, x)
    if pa.ndim == 0:
        raise ValueError("fnp.polyval: p must have at least one dimension.")
    shape = fnp.broadcast_shapes(pa.shape[1:], xa.shape)
    y = fnp.zeros(shape, xa.dtype)
    for k in range(pa.shape[0]):
        y = y * xa + pa[k]
    return y


def polyadd(a1: Any, a2: Any) -> Any:
    """The sum of two polynomials (coefficient arrays aligned at the constant term), as
    ``jax.numpy.polyadd``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polyadd(fnp.array([1.0, 2.0]), fnp.array([1.0, 0.0, 1.0]))
    array([1., 1., 3.], dtype=float32)
    """
    a, b = _promote("polyadd", a1, a2)
    if b.shape[0] <= a.shape[0]:
        return fnp.at(a)[a.shape[0] - b.shape[0]:].add(b)
    return fnp.at(b)[b.shape[0] - a.shape[0]:].add(a)


def polysub(a1: Any, a2: Any) -> Any:
    """The difference of two polynomials, as ``jax.numpy.polysub``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polysub(fnp.array([1.0, 2.0]), fnp.array([1.0, 0.0, 1.0]))
    array([-1.,  1.,  1.], dtype=float32)
    """
    a, b = _promote("polysub", a1, a2)
    return polyadd(a, -b)


def polymul(a1: Any, a2: Any, *, trim_leading_zeros: bool = False) -> Any:
    """The product of two polynomials (their coefficients convolved), as
    ``jax.numpy.polymul``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polymul(fnp.array([1.0, 1.0]), fnp.array([1.0, -1.0]))
    array([ 1.,  0., -1.], dtype=float32)
    """
    a, b = _promote("polymul", a1, a2, inexact=True)
    if trim_leading_zeros and (a.shape[0] > 1 or b.shape[0] > 1):
        a, b = fnp.trim_zeros(a, trim="f"), fnp.trim_zeros(b, trim="f")
    if a.shape[0] == 0:
        a = fnp.zeros(1, b.dtype)
    if b.shape[0] == 0:
        b = fnp.zeros(1, a.dtype)
    return fnp.convolve(a, b, mode="full")


def polydiv(u: Any, v: Any, *, trim_leading_zeros: bool = False) -> tuple:
    """Quotient and remainder of polynomial division ``u / v``, as ``jax.numpy.polydiv``
    (the remainder keeps ``u``'s length unless ``trim_leading_zeros``, which needs concrete
    values).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polydiv(fnp.array([1.0, 0.0, -1.0]), fnp.array([1.0, 1.0]))
    (array([ 1., -1.], dtype=float32), array([0., 0., 0.], dtype=float32))
    """
    ua, va = _promote("polydiv", u, v, inexact=True)
    _vec(ua, "polydiv"), _vec(va, "polydiv")
    m, n = ua.shape[0] - 1, va.shape[0] - 1
    scale = 1.0 / va[0]
    q = fnp.zeros(max(m - n + 1, 1), ua.dtype)
    for k in range(0, m - n + 1):
        d = scale * ua[k]
        q = fnp.at(q)[k].set(d)
        ua = fnp.at(ua)[k:k + n + 1].add(-d * va)
    if trim_leading_zeros:
        tol = float(np.sqrt(np.finfo(np.dtype(ua.dtype)).eps))
        vals = ua.val if isinstance(ua, Tracer) else ua
        if vals is None:
            raise ConcretizationTypeError("fnp.polydiv: trim_leading_zeros=True needs concrete "
                                          "values (the result's length depends on them).")
        nz = np.flatnonzero(np.abs(np.asarray(vals)) > tol)
        ua = ua[int(nz[0]) if nz.size else ua.shape[0]:]
    return q, ua


def polyder(p: Any, m: int = 1) -> Any:
    """The coefficients of the ``m``-th derivative of the polynomial ``p``, as
    ``jax.numpy.polyder``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polyder(fnp.array([1.0, 1.0, 1.0, 1.0]))
    array([3., 2., 1.], dtype=float32)
    """
    (pa,) = _promote("polyder", p, inexact=True)
    _vec(pa, "polyder")
    m = _static_int(m, "polyder", "m")
    if m < 0:
        raise ValueError(f"fnp.polyder: the order of the derivative must be non-negative, got "
                         f"m={m}.")
    if m == 0:
        return pa
    n = pa.shape[0]
    coeff = np.prod(np.arange(m, n)[None] - np.arange(m)[:, None], axis=0) if n > m else \
        np.zeros(0)
    return pa[:max(n - m, 0)] * np.asarray(coeff[::-1], pa.dtype)


def polyint(p: Any, m: int = 1, k: Any = None) -> Any:
    """The coefficients of the ``m``-th antiderivative of ``p`` with integration constants
    ``k`` (a scalar or one per integration), as ``jax.numpy.polyint``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.polyint(fnp.array([3.0, 2.0, 1.0]), k=5.0)
    array([1., 1., 1., 5.], dtype=float32)
    """
    m = _static_int(m, "polyint", "m")
    pa, ka = _promote("polyint", p, 0 if k is None else k, inexact=True)
    _vec(pa, "polyint")
    if m < 0:
        raise ValueError(f"fnp.polyint: the order of the integral must be non-negative, got "
                         f"m={m} (see polyder).")
    ka = fnp.atleast_1d(ka)
    if ka.shape[0] == 1:
        ka = fnp.full((m,), ka[0])
    if ka.shape != (m,):
        raise ValueError("fnp.polyint: k must be a scalar or a rank-1 array of length 1 or m.")
    if m == 0:
        return pa
    grid = np.arange(pa.shape[0] + m)[None] - np.arange(m)[:, None]
    coeff = np.maximum(1, grid).prod(0)[::-1]
    return fnp.concatenate([pa, ka]) / np.asarray(coeff, pa.dtype)


def polyfit(x: Any, y: Any, deg: int, rcond: float | None = None, full: bool = False,
            w: Any = None, cov: bool | str = False) -> Any:
    """The least-squares polynomial fit of degree ``deg`` to the points ``(x, y)`` (``y``
    1-D, or 2-D for several fits), highest power first, weighted by ``w``, as
    ``jax.numpy.polyfit``: the column-scaled Vandermonde system solved by
    ``fnp.linalg.lstsq`` with ``rcond`` (default ``len(x) * eps``), so a rank-deficient
    fit gives the minimum-norm coefficients.  ``full=True`` returns
    ``(p, resids, rank, s, rcond)``, ``cov=True`` (or ``"unscaled"``) ``(p, C)``.

    >>> import functorch_lite.numpy as fnp
    >>> x = fnp.array([0.0, 1.0, 2.0, 3.0])
    >>> fnp.polyfit(x, 2 * x * x + 1, 2).round(4)
    array([ 2., -0.,  1.], dtype=float32)
    """
    xa, ya = _promote("polyfit", x, y, inexact=True)
    deg = _static_int(deg, "polyfit", "deg")
    order = deg + 1
    if deg < 0:
        raise ValueError(f"fnp.polyfit: expected deg >= 0, got {deg}.")
    if xa.ndim != 1:
        raise TypeError(f"fnp.polyfit: expected a 1-D vector for x, got shape {xa.shape}.")
    if xa.shape[0] == 0:
        raise TypeError("fnp.polyfit: expected a non-empty vector for x.")
    if ya.ndim not in (1, 2):
        raise TypeError(f"fnp.polyfit: expected a 1-D or 2-D array for y, got shape "
                        f"{ya.shape}.")
    if xa.shape[0] != ya.shape[0]:
        raise TypeError(f"fnp.polyfit: expected x and y to have the same length, got "
                        f"{xa.shape[0]} and {ya.shape[0]}.")
    if rcond is None:
        rcond = xa.shape[0] * float(np.finfo(xa.dtype).eps)
    if isinstance(rcond, Tracer) or not isinstance(rcond, (int, float, np.number)):
        raise TypeError(f"fnp.polyfit: rcond must be a concrete float, got "
                        f"{type(rcond).__name__}; pass a Python float.")
    rcond = float(rcond)
    lhs = fnp.vander(xa, order)
    rhs = ya
    if w is not None:
        (wa,) = _promote("polyfit", w, inexact=True)
        wa = fnp.asarray(wa, xa.dtype)
        if wa.ndim != 1 or wa.shape[0] != ya.shape[0]:
            raise TypeError(f"fnp.polyfit: expected a 1-D array of weights of length "
                            f"{ya.shape[0]}, got shape {wa.shape}.")
        lhs = lhs * wa[:, None]
        rhs = rhs * (wa[:, None] if rhs.ndim == 2 else wa)
    scale = fnp.sqrt(fnp.sum(lhs * lhs, axis=0))  # columns scaled, as jnp (no guard at 0)
    lhs = lhs / scale[None, :]
    c, resids, rank, s = fnp.linalg.lstsq(lhs, rhs, rcond)
    c = c / scale[:, None] if c.ndim > 1 else c / scale
    if full:
        return c, resids, rank, s, fnp.asarray(rcond, dtype=xa.dtype)
    if not cov:
        return c
    vbase = fnp.linalg.inv(lhs.T @ lhs) / fnp.outer(scale, scale)
    if cov == "unscaled":
        fac = fnp.asarray(1.0, dtype=vbase.dtype)
    else:
        if xa.shape[0] <= order:
            raise ValueError("fnp.polyfit: the number of data points must exceed order to "
                             "scale the covariance matrix (or pass cov='unscaled').")
        fac = resids / (xa.shape[0] - order)
    if ya.ndim == 1:
        return c, vbase * fnp.atleast_1d(fac)[None]
    return c, vbase[:, :, None] * fnp.atleast_1d(fac)[None, None, :]


def poly(seq_of_zeros: Any) -> Any:
    """The coefficients of the monic polynomial with the given (real) roots, as
    ``jax.numpy.poly`` for a 1-D input (a square matrix, whose eigenvalues would be the
    roots, is not supported: there is no complex dtype here).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.poly(fnp.array([1.0, 2.0]))
    array([ 1., -3.,  2.], dtype=float32)
    """
    (z,) = _promote("poly", seq_of_zeros, inexact=True)
    z = fnp.atleast_1d(z)
    if z.ndim == 2 and z.shape[0] == z.shape[1] and z.shape[0] != 0:
        raise NotImplementedError("fnp.poly: a square matrix input (the characteristic "
                                  "polynomial, through complex eigenvalues) is not supported; "
                                  "pass the 1-D array of real roots.")
    if z.ndim != 1:
        raise ValueError(f"fnp.poly: the input must be 1-D, got shape {z.shape}.")
    a = fnp.ones((1,), z.dtype)
    if z.shape[0] == 0:
        return fnp.ones((), z.dtype)
    for k in range(z.shape[0]):
        a = fnp.convolve(a, fnp.stack([fnp.ones((), z.dtype), -z[k]]), mode="full")
    return a
