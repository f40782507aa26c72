"""``fl.scipy.linalg`` against ``jax.scipy.linalg``: values eagerly and under ``jit``,
gradients, ``vmap``, and the errors."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jla
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.scipy.linalg as fla
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(7)


def _spd(n, batch=()):
    a = RNG.normal(size=batch + (n, n)).astype(np.float32)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype=np.float32)


A = _spd(4)
B = RNG.normal(size=(4, 3)).astype(np.float32)
V = RNG.normal(size=(4,)).astype(np.float32)
G = (RNG.normal(size=(4, 4)) + 4 * np.eye(4)).astype(np.float32)  # general, well conditioned
T = np.triu(G)


def _close(got, want, rtol=1e-4, atol=1e-5):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape,
                                                                  got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def _both(f, g, *args, **kw):
    """``f`` eagerly and under ``fl.jit`` equals ``g`` (JAX's, compiled) on ``args``."""
    want = jax.jit(g)(*args)
    for got in (f(*args), fl.jit(f)(*args)):
        for o, r in zip(*((got, want) if isinstance(got, tuple) else ((got,), (want,)))):
            _close(o, r, **kw)


@pytest.mark.parametrize("lower", [False, True])
def test_cholesky_and_cho_solve(lower):
    _both(lambda a: fla.cholesky(a, lower=lower), lambda a: jla.cholesky(a, lower=lower), A)
    # only the named triangle is read: junk in the other one changes nothing
    junk = np.tril(A) + np.triu(RNG.normal(size=(4, 4)).astype(np.float32), 1) if lower \
        else np.triu(A) + np.tril(RNG.normal(size=(4, 4)).astype(np.float32), -1)
    _close(fla.cholesky(junk, lower=lower), fla.cholesky(A, lower=lower))
    for b in (B, V):
        _both(lambda a, b: fla.cho_solve(fla.cho_factor(a, lower=lower), b),
              lambda a, b: jla.cho_solve(jla.cho_factor(a, lower=lower), b), A, b)
    assert fla.cho_factor(A, lower=lower)[1] is lower


@pytest.mark.parametrize("trans", [0, 1, "T", 2])
@pytest.mark.parametrize("lower", [False, True])
def test_solve_triangular(trans, lower):
    a = np.tril(G) if lower else T
    for b in (B, V):
        _both(lambda a, b: fla.solve_triangular(a, b, trans=trans, lower=lower),
              lambda a, b: jla.solve_triangular(a, b, trans=trans, lower=lower), a, b)
    _both(lambda a, b: fla.solve_triangular(a, b, lower=lower, unit_diagonal=True),
          lambda a, b: jla.solve_triangular(a, b, lower=lower, unit_diagonal=True), a, B)


@pytest.mark.parametrize("assume_a", ["gen", "sym", "pos"])
def test_solve(assume_a):
    a = A if assume_a != "gen" else G
    for b in (B, V):
        _both(lambda a, b: fla.solve(a, b, assume_a=assume_a),
              lambda a, b: jla.solve(a, b, assume_a=assume_a), a, b)


def test_lu_family():
    _both(fla.lu, jla.lu, G)
    _both(lambda a: fla.lu(a, permute_l=True), lambda a: jla.lu(a, permute_l=True), G)
    rect = RNG.normal(size=(3, 5)).astype(np.float32)
    _both(fla.lu, jla.lu, rect)
    _both(fla.lu, jla.lu, rect.T.copy())
    _both(fla.lu_factor, jla.lu_factor, G)
    for trans in (0, 1, 2):
        for b in (B, V):
            _both(lambda a, b: fla.lu_solve(fla.lu_factor(a), b, trans=trans),
                  lambda a, b: jla.lu_solve(jla.lu_factor(a), b, trans=trans), G, b)
    p, l_, u = fla.lu(G)
    _close(p @ l_ @ u, G, atol=1e-5)


def test_block_diag_and_thin_wrappers():
    parts = (np.ones((1, 1), np.float32), 2 * np.ones((2, 3), np.float32),
             np.arange(2, dtype=np.float32))
    _both(fla.block_diag, jla.block_diag, *parts)
    _close(fla.block_diag(), jla.block_diag())
    _both(fla.inv, jla.inv, G)
    _both(fla.det, jla.det, G)
    _both(lambda a: fla.eigh(a, eigvals_only=True), lambda a: jla.eigh(a, eigvals_only=True), A)
    w, v = fla.eigh(A)
    _close(v @ np.diag(w) @ v.T, A, atol=1e-4)
    _both(lambda a: fla.svd(a, compute_uv=False), lambda a: jla.svd(a, compute_uv=False), G)
    rect = RNG.normal(size=(5, 3)).astype(np.float32)
    for mode in ("full", "economic"):
        q, r = fla.qr(rect, mode=mode)
        jq, jr = jla.qr(rect, mode=mode)
        assert q.shape == jq.shape and r.shape == jr.shape
        _close(q @ r, rect, atol=1e-5)
        _close(np.abs(r), np.abs(np.asarray(jr)), atol=1e-4)  # rows may differ in sign
    (r,) = fla.qr(rect, mode="r")
    (jr,) = jla.qr(rect, mode="r")
    _close(np.abs(r), np.abs(np.asarray(jr)), atol=1e-4)


def test_gradients_match_jax():
    def fl_loss(a, b):
        c = fla.cho_factor(a @ a.T + 4 * np.eye(4, dtype=np.float32), lower=True)
        return (fla.cho_solve(c, b) ** 2).sum() + fla.solve_triangular(
            fla.cholesky(a @ a.T + 4 * np.eye(4, dtype=np.float32)), b, trans=1).sum()

    def jax_loss(a, b):
        c = jla.cho_factor(a @ a.T + 4 * jnp.eye(4), lower=True)
        return (jla.cho_solve(c, b) ** 2).sum() + jla.solve_triangular(
            jla.cholesky(a @ a.T + 4 * jnp.eye(4)), b, trans=1).sum()
    got = fl.grad(fl_loss, (0, 1))(G, B)
    want = jax.jit(jax.grad(jax_loss, (0, 1)))(G, B)
    for o, r in zip(got, want):
        _close(o, r, rtol=1e-3, atol=1e-4)
    got = fl.grad(lambda a, b: fla.lu_solve(fla.lu_factor(a), b).sum(), (0, 1))(G, V)
    want = jax.grad(lambda a, b: jla.lu_solve(jla.lu_factor(a), b).sum(), (0, 1))(G, V)
    for o, r in zip(got, want):
        _close(o, r, rtol=1e-3, atol=1e-4)
    # solve(assume_a="pos") reads one triangle but differentiates as the solve with the
    # whole matrix, as JAX's custom_linear_solve does
    for lower in (False, True):
        for b in (B, V):
            got = fl.grad(lambda a, b: (fla.solve(a, b, assume_a="pos", lower=lower) ** 2).sum(),
                          (0, 1))(A, b)
            want = jax.jit(jax.grad(lambda a, b: (jla.solve(a, b, assume_a="pos",
                                                            lower=lower) ** 2).sum(), (0, 1)))(A, b)
            for o, r in zip(got, want):
                _close(o, r, rtol=1e-3, atol=1e-5)
    with jax.enable_x64(True):
        # through a symmetric parametrization finite differences see that derivative too
        s64, b64 = A.astype(np.float64) / 2, B.astype(np.float64)
        check_grads(lambda s, b: fla.solve(s + s.T, b, assume_a="pos"), (s64, b64), order=2,
                    modes=("fwd", "rev"))
        check_grads(lambda a: fla.block_diag(a, a[:2, :2]), (s64,), order=1)


def test_vmap_matches_jax():
    a = _spd(3, (5,))
    b = RNG.normal(size=(5, 3)).astype(np.float32)
    fv = fl.vmap(lambda a, b: fla.cho_solve(fla.cho_factor(a), b))(a, b)
    jv = jax.jit(jax.vmap(lambda a, b: jla.cho_solve(jla.cho_factor(a), b)))(a, b)
    _close(fv, jv)
    fv = fl.vmap(lambda a, b: fla.lu_solve(fla.lu_factor(a), b))(a, b)
    jv = jax.jit(jax.vmap(lambda a, b: jla.lu_solve(jla.lu_factor(a), b)))(a, b)
    _close(fv, jv)
    _close(fl.vmap(fla.det)(a), jax.jit(jax.vmap(jla.det))(a), rtol=1e-3)


def test_errors():
    with pytest.raises(ValueError, match="cholesky: the argument must be a .stack of. square"):
        fla.cholesky(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"b of shape \(3,\) does not match the 4x4 matrix"):
        fla.cho_solve(fla.cho_factor(A), np.ones(3, np.float32))
    with pytest.raises(ValueError, match="invalid trans='X'"):
        fla.solve_triangular(T, V, trans="X")
    with pytest.raises(ValueError, match="Expected assume_a to be one of"):
        fla.solve(A, V, assume_a="diag")
    with pytest.raises(ValueError, match="must have at most 2 dimensions"):
        fla.block_diag(np.ones((1, 1, 1)))
    with pytest.raises(NotImplementedError, match="only the standard problem"):
        fla.eigh(A, A)
    with pytest.raises(NotImplementedError, match="pivoting=True"):
        fla.qr(A, pivoting=True)
    with pytest.raises(ValueError, match="piv must be 1-D"):
        fla.lu_solve((np.stack([G, G]), np.zeros((2, 4), np.int32)), V)
