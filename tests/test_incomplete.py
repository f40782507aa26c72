"""The incomplete gamma and beta functions (``fl.lax.igamma``/``igammac``/
``igamma_grad_a``/``betainc``, ``fl.scipy.special.gammainc``/``gammaincc``/``betainc``
and the ``cdf``/``sf`` of ``gamma``, ``beta`` and ``poisson``) and the Hurwitz zeta
function (``fl.lax.zeta``, ``fl.scipy.special.zeta``) against JAX: values over
grids with their edges (0, inf, NaN, out of the domain), eagerly and under ``jit``, in
float64 and float32; derivatives (against JAX and finite differences); vmap; errors."""
from __future__ import annotations

import jax
import jax.scipy.special as jsp
import jax.scipy.stats as jst
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.scipy.special as sps
from functorch_lite.scipy import stats as fst
from functorch_lite.test_util import check_grads

A = np.array([0.0, 1e-3, 0.1, 0.5, 1.0, 2.5, 7.0, 30.0, 150.0, -1.0, np.inf, np.nan])
X = np.array([0.0, 1e-5, 0.1, 0.9, 1.0, 1.5, 6.0, 30.0, 200.0, -0.5, np.inf, np.nan])
GRID_A, GRID_X = np.meshgrid(A, X, indexing="ij")
AB = np.array([0.0, 0.1, 0.5, 1.0, 2.0, 30.0, 500.0, -1.0, np.inf, np.nan])
XB = np.array([0.0, 1e-6, 0.1, 0.5, 0.9, 1.0, 1.5, -0.1, np.nan])
BETA_A, BETA_B, BETA_X = np.meshgrid(AB, AB, XB, indexing="ij")


def _close(got, want, rtol, atol):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=rtol, atol=atol)


def _both(f, g, *args, rtol, atol):
    want = jax.jit(g)(*args)
    _close(f(*args), want, rtol, atol)
    _close(fl.jit(f)(*args), want, rtol, atol)


@pytest.mark.parametrize("name", ["igamma", "igammac", "igamma_grad_a"])
def test_incomplete_gamma_values_float64(name):
    with jax.enable_x64(True):
        _both(getattr(fl.lax, name), getattr(jax.lax, name), GRID_A, GRID_X,
              rtol=1e-9, atol=1e-13)


def test_betainc_values_float64():
    with jax.enable_x64(True):
        _both(fl.lax.betainc, jax.lax.betainc, BETA_A, BETA_B, BETA_X, rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("name", ["igamma", "igammac", "igamma_grad_a"])
def test_incomplete_gamma_values_float32(name):
    # eagerly: SciPy's float64 value rounded; XLA's float32 algorithm is less accurate
    # for large a (P(150, 150) differs in the 5th digit), so the grid stops at a = 30
    keep = (GRID_A < 100) | ~np.isfinite(GRID_A)
    a, x = GRID_A[keep].astype(np.float32), GRID_X[keep].astype(np.float32)
    _both(getattr(fl.lax, name), getattr(jax.lax, name), a, x, rtol=3e-4, atol=2e-6)


def test_betainc_values_float32():
    keep = (BETA_A < 100) & (BETA_B < 100) | ~np.isfinite(BETA_A) | ~np.isfinite(BETA_B)
    args = [v[keep].astype(np.float32) for v in (BETA_A, BETA_B, BETA_X)]
    _both(fl.lax.betainc, jax.lax.betainc, *args, rtol=1e-4, atol=1e-6)


def test_scipy_special_wrappers_promote_and_broadcast():
    a = np.array([[0.5], [2.0], [7.0]], np.float32)
    x = np.array([0.1, 1.0, 4.0], np.float32)
    for f, g in ((sps.gammainc, jsp.gammainc), (sps.gammaincc, jsp.gammaincc)):
        _both(f, g, a, x, rtol=1e-5, atol=1e-7)
        assert f(2, 1).dtype == np.float32  # ints promote to float32, as in JAX
    _both(sps.betainc, jsp.betainc, a, a + 1, x / 5, rtol=1e-5, atol=1e-7)
    assert sps.betainc(2, 3, np.float64(0.5)).dtype == np.float64


# ----------------------------------------------------------------------------- derivatives

def test_igamma_gradients_match_jax():
    a = np.array([0.3, 1.0, 2.5, 7.0, 30.0], np.float32)
    x = np.array([0.5, 2.0, 1.0, 9.0, 25.0], np.float32)
    for f, g in ((sps.gammainc, jsp.gammainc), (sps.gammaincc, jsp.gammaincc)):
        want = jax.jit(jax.vmap(jax.grad(g, (0, 1))))(a, x)
        got = [fl.grad(f, (0, 1))(ai, xi) for ai, xi in zip(a, x)]
        for i in range(2):
            _close(np.stack([gr[i] for gr in got]), want[i], rtol=1e-4, atol=1e-7)
        got = fl.jit(fl.vmap(fl.grad(f, (0, 1))))(a, x)
        for i in range(2):
            _close(got[i], want[i], rtol=1e-4, atol=1e-7)


def test_igamma_gradients_against_finite_differences():
    with jax.enable_x64(True):
        a = np.array([0.7, 3.0, 12.0])
        x = np.array([0.4, 5.0, 10.0])
        check_grads(fl.lax.igamma, (a, x), order=1, modes=("fwd", "rev"))
        check_grads(fl.lax.igammac, (a, x), order=1, modes=("fwd", "rev"))
        # d2P/dx2 differentiates the x-slope (a formula); in a it meets igamma_grad_a
        check_grads(lambda x: fl.lax.igamma(a, x), (x,), order=2, modes=("fwd", "rev"))
        check_grads(lambda x: fl.lax.betainc(a, a + 1.0, x), (x / 11.0,), order=2,
                    modes=("fwd", "rev"))


def test_betainc_gradient_in_x_matches_jax():
    a, b = np.float32(2.0), np.float32(3.5)
    x = np.array([0.05, 0.3, 0.5, 0.95], np.float32)
    want = jax.jit(jax.vmap(jax.grad(jsp.betainc, 2), (None, None, 0)))(a, b, x)
    _close(fl.vmap(fl.grad(sps.betainc, 2), (None, None, 0))(a, b, x), want, 1e-4, 1e-7)
    for fn in ("cdf", "sf"):
        want = jax.jit(jax.vmap(jax.grad(getattr(jst.beta, fn)), (0, None, None)))(x, a, b)
        got = np.stack([fl.grad(getattr(fst.beta, fn))(xi, a, b) for xi in x])
        _close(got, want, 1e-4, 1e-7)


def test_betainc_in_a_or_b_and_igamma_grad_a_are_not_differentiable_as_in_jax():
    for argnum in (0, 1):
        with pytest.raises(ValueError, match="with respect to a and b not supported"):
            jax.grad(jsp.betainc, argnum)(2.0, 3.0, 0.5)
        with pytest.raises(ValueError, match="with respect to a and b not supported"):
            fl.grad(sps.betainc, argnum)(2.0, 3.0, 0.5)
        with pytest.raises(ValueError, match="with respect to a and b not supported"):
            fl.jvp(lambda v: sps.betainc(v, 3.0, 0.5) if argnum == 0 else
                   sps.betainc(2.0, v, 0.5), (2.0,), (1.0,))
    with pytest.raises(NotImplementedError, match="igamma_grad_a"):
        fl.grad(fl.grad(sps.gammainc))(2.0, 1.0)
    # in x alone the second derivative exists
    h = fl.grad(fl.grad(sps.gammainc, 1), 1)(np.float32(2.0), np.float32(1.0))
    want = jax.grad(jax.grad(jsp.gammainc, 1), 1)(np.float32(2.0), np.float32(1.0))
    _close(h, want, 1e-5, 1e-7)


# ----------------------------------------------------------------------------- stats

XS = np.array([-np.inf, -3.0, -0.5, 0.0, 0.25, 0.5, 0.9, 1.0, 1.5, 3.0, 12.0, np.inf],
              np.float32)


@pytest.mark.parametrize("fn", ["cdf", "logcdf", "sf", "logsf"])
def test_gamma_and_beta_distribution_functions(fn):
    for args in ((np.float32(2.5),), (np.float32(0.5), np.float32(1.0), np.float32(2.0))):
        _both(lambda x: getattr(fst.gamma, fn)(x, *args),
              lambda x: getattr(jst.gamma, fn)(x, *args), XS, rtol=1e-4, atol=1e-6)
    for args in ((np.float32(2.0), np.float32(3.0)),
                 (np.float32(0.5), np.float32(0.5), np.float32(-1.0), np.float32(4.0))):
        _both(lambda x: getattr(fst.beta, fn)(x, *args),
              lambda x: getattr(jst.beta, fn)(x, *args), XS, rtol=1e-4, atol=1e-6)


def test_poisson_cdf():
    k = np.array([-1.0, 0.0, 1.0, 1.5, 2.0, 3.0, 10.0], np.float32)[:, None]
    mu = np.array([0.0, 0.5, 4.0, 30.0], np.float32)
    _both(fst.poisson.cdf, jst.poisson.cdf, k, mu, rtol=1e-4, atol=1e-6)
    _both(lambda k: fst.poisson.cdf(k, 2.0, 1.0), lambda k: jst.poisson.cdf(k, 2.0, 1.0), k,
          rtol=1e-4, atol=1e-6)
    # its derivative in mu is the (negated) x-slope of gammaincc: -pmf(floor(k), mu)
    g = fl.grad(fst.poisson.cdf, 1)(np.float32(3.0), np.float32(2.0))
    _close(g, -fst.poisson.pmf(np.float32(3.0), np.float32(2.0)), 1e-5, 1e-7)


def test_gamma_cdf_is_the_integral_of_its_pdf():
    xs = np.linspace(0.0, 8.0, 4001)
    a = 2.5
    pdf = np.asarray(fst.gamma.pdf(xs, a))
    trapezoid = np.concatenate([[0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2 * np.diff(xs))])
    np.testing.assert_allclose(np.asarray(fst.gamma.cdf(xs, a)), trapezoid, atol=1e-5)


# ----------------------------------------------------------------------------- vmap, errors

def test_vmap_matches_jax():
    a = np.array([[0.5, 2.0], [3.0, 9.0]], np.float32)
    x = np.array([[0.2, 1.0], [4.0, 8.0]], np.float32)
    jv = lambda f, axes: jax.jit(jax.vmap(f, axes))  # noqa: E731
    for name in ("igamma", "igammac", "igamma_grad_a"):
        f, g = getattr(fl.lax, name), getattr(jax.lax, name)
        _close(fl.vmap(f)(a, x), jv(g, 0)(a, x), 1e-4, 1e-7)
        _close(fl.vmap(f, (None, 0))(a[0], x), jv(g, (None, 0))(a[0], x), 1e-4, 1e-7)
    _close(fl.vmap(fl.lax.betainc, (0, None, 0))(a, a[0], x / 10),
           jv(jax.lax.betainc, (0, None, 0))(a, a[0], x / 10), 1e-4, 1e-7)


def test_lax_checks_dtypes_and_ranks_as_jax_lax():
    f32, f64 = np.ones(2, np.float32), np.ones(2, np.float64)
    with pytest.raises(TypeError, match="igamma: the operands must have one dtype"):
        fl.lax.igamma(f32, f64)
    with pytest.raises(TypeError, match=r"igammac: dtype int32 is not accepted"):
        fl.lax.igammac(np.ones(2, np.int32), np.ones(2, np.int32))
    with pytest.raises(TypeError, match="betainc: the operands must have one rank"):
        fl.lax.betainc(f32, f32, np.ones((2, 2), np.float32))
    with pytest.raises(TypeError, match="gammainc: complex inputs are not supported"):
        sps.gammainc(np.array([1j]), 1.0)


# ----------------------------------------------------------------------------- zeta

ZX = np.array([-1.0, 0.0, 0.5, 1.0, 1.0000001, 1.5, 2.0, 3.0, 4.0, 10.0, 60.0, np.inf,
               -np.inf, np.nan, -2.0])
ZQ = np.array([-2.0, -1.5, -1e-9, 0.0, 1e-9, 0.5, 1.0, 3.0, 100.0, 1e6, np.inf, -np.inf,
               np.nan])
ZETA_X, ZETA_Q = np.meshgrid(ZX, ZQ, indexing="ij")


def test_zeta_values_with_xla_poles_and_domain():
    with jax.enable_x64(True):
        _both(fl.lax.zeta, jax.lax.zeta, ZETA_X, ZETA_Q, rtol=1e-9, atol=0)
    x, q = ZETA_X.astype(np.float32), ZETA_Q.astype(np.float32)
    _both(fl.lax.zeta, jax.lax.zeta, x, q, rtol=1e-4, atol=0)
    _both(sps.zeta, jsp.zeta, x, q, rtol=1e-4, atol=0)


def test_zeta_derivatives_are_the_series_expansions_as_in_jax():
    x = np.array([2.0, 3.5, 5.0, 1.5], np.float32)
    q = np.array([1.0, 0.5, 3.0, 10.0], np.float32)
    for argnum in (0, 1):
        want = jax.jit(jax.vmap(jax.grad(jsp.zeta, argnum)))(x, q)
        got = np.stack([fl.grad(sps.zeta, argnum)(a, b) for a, b in zip(x, q)])
        _close(got, want, 1e-4, 1e-7)
        _close(fl.jit(fl.vmap(fl.grad(sps.zeta, argnum)))(x, q), want, 1e-4, 1e-7)
    ones = np.ones(4, np.float32)
    (p, t), (jp, jt) = (fl.jvp(sps.zeta, (x, q), (ones, ones)),
                        jax.jit(lambda x, q: jax.jvp(jsp.zeta, (x, q), (ones, ones)))(x, q))
    _close(p, jp, 1e-5, 0)
    _close(t, jt, 1e-4, 0)
    h = fl.grad(fl.grad(sps.zeta, 1), 1)(np.float32(3.0), np.float32(2.0))
    _close(h, jax.grad(jax.grad(jsp.zeta, 1), 1)(np.float32(3.0), np.float32(2.0)), 1e-4, 0)
    with jax.enable_x64(True):  # the series' derivative is zeta's: finite differences agree
        check_grads(sps.zeta, (np.array([2.0, 3.5]), np.array([1.0, 4.0])), order=2,
                    modes=("fwd", "rev"))


def test_zeta_errors():
    with pytest.raises(NotImplementedError, match="Riemann zeta function not implemented"):
        sps.zeta(2.0)
    with pytest.raises(NotImplementedError, match="zeta"):
        fl.grad(fl.lax.zeta)(np.float32(2.0), np.float32(1.0))
    with pytest.raises(TypeError, match="zeta: the operands must have one dtype"):
        fl.lax.zeta(np.ones(2, np.float32), np.ones(2, np.float64))
