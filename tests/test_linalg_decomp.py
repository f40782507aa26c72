"""fnp.linalg's decompositions (eigh, svd, qr) and the functions built on them, against
jax.numpy.linalg: values eagerly, under fl.jit and fl.vmap; derivatives (grad, jvp,
hessian, jit/vmap of grad) of sign-invariant functions against jax's; finite
differences (check_grads); error messages.

Eigenvectors and singular vectors are defined up to sign and two LAPACK builds may pick
different signs, so vectors are compared through invariants: reconstructions,
orthonormality, absolute values (for distinct eigen/singular values)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.ops import linalg_decomp as D
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(42)


def rand(shape, dt=np.float64):
    return RNG.standard_normal(shape).astype(dt)


def sym(shape, dt=np.float64):
    a = rand(shape, dt)
    return ((a + np.swapaxes(a, -1, -2)) / 2).astype(dt)


def tol(dt):
    return dict(rtol=2e-4, atol=2e-4) if np.dtype(dt) == np.float32 else dict(rtol=1e-9,
                                                                                atol=1e-9)


def mT(x):
    return np.swapaxes(np.asarray(x), -1, -2)


EAGER = lambda f: f  # noqa: E731
MODES = {"eager": EAGER, "jit": fl.jit}
DTYPES = [np.float32, np.float64]


# --------------------------------------------------------------------- eigh

@pytest.mark.parametrize("shape,dt,mode", [((4, 4), np.float32, "jit"),
                                           ((2, 3, 3), np.float64, "eager"),
                                           ((2, 3, 3), np.float32, "eager"),
                                           ((4, 4), np.float64, "jit")])
def test_eigh_matches_jax(shape, dt, mode):
    a = sym(shape, dt)
    w, v = MODES[mode](fnp.linalg.eigh)(a)
    with jax.enable_x64(True):
        wj, vj = jnp.linalg.eigh(a)
    assert w.dtype == dt and v.dtype == dt and w.shape == wj.shape and v.shape == vj.shape
    np.testing.assert_allclose(w, wj, **tol(dt))
    assert np.all(np.diff(np.asarray(w), axis=-1) >= 0)  # ascending
    np.testing.assert_allclose(np.abs(v), np.abs(vj), **tol(dt))  # signs may differ
    np.testing.assert_allclose(np.asarray(v) @ (np.asarray(w)[..., None] * mT(v)), a,
                               **tol(dt))
    np.testing.assert_allclose(MODES[mode](fnp.linalg.eigvalsh)(a), wj, **tol(dt))


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_reads_one_triangle_without_symmetrize(uplo):
    a = rand((3, 3))  # not symmetric: only the UPLO triangle counts
    w, v = fnp.linalg.eigh(a, UPLO=uplo, symmetrize_input=False)
    with jax.enable_x64(True):
        wj, _ = jnp.linalg.eigh(a, UPLO=uplo, symmetrize_input=False)
    np.testing.assert_allclose(w, wj, rtol=1e-10)
    np.testing.assert_allclose(fl.jit(lambda x: fnp.linalg.eigh(x, UPLO=uplo,
                                                               symmetrize_input=False)[0])(a),
                               wj, rtol=1e-10)
    tri = np.tril(a) if uplo == "L" else np.triu(a)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(tri + mT(tri) - np.diag(np.diag(a))),
                               rtol=1e-10)
    # the symmetrized default differs from the one-triangle result on this input
    assert not np.allclose(fnp.linalg.eigh(a)[0], w)


def test_eigh_integer_input_is_promoted_like_jnp():
    a = np.array([[2, 1], [1, 2]], np.int32)
    w, v = fnp.linalg.eigh(a)
    assert w.dtype == jnp.linalg.eigh(a)[0].dtype == np.float32
    np.testing.assert_allclose(w, [1.0, 3.0], rtol=1e-6)


# --------------------------------------------------------------------- svd

@pytest.mark.parametrize("shape,dt,full,mode", [
    ((5, 3), np.float64, True, "eager"), ((5, 3), np.float32, False, "jit"),
    ((3, 5), np.float32, True, "eager"), ((3, 5), np.float64, False, "eager"),
    ((2, 4, 4), np.float64, True, "jit"), ((2, 2, 5, 3), np.float32, False, "eager")])
def test_svd_matches_jax(shape, dt, full, mode):
    x = rand(shape, dt)
    u, s, vh = MODES[mode](lambda a: fnp.linalg.svd(a, full_matrices=full))(x)
    with jax.enable_x64(True):
        uj, sj, vhj = jnp.linalg.svd(x, full_matrices=full)
        sj_only = jnp.linalg.svd(x, compute_uv=False)
    assert (u.shape, s.shape, vh.shape) == (uj.shape, sj.shape, vhj.shape)
    assert u.dtype == s.dtype == vh.dtype == dt
    np.testing.assert_allclose(s, sj, **tol(dt))
    k = s.shape[-1]
    u, vh = np.asarray(u), np.asarray(vh)
    np.testing.assert_allclose((u[..., :, :k] * np.asarray(s)[..., None, :]) @ vh[..., :k, :], x,
                               **tol(dt))
    np.testing.assert_allclose(mT(u) @ u, np.broadcast_to(np.eye(u.shape[-1]), u.shape[:-2]
                                                          + (u.shape[-1],) * 2), **tol(dt))
    np.testing.assert_allclose(vh @ mT(vh), np.broadcast_to(np.eye(vh.shape[-2]), vh.shape[:-2]
                                                            + (vh.shape[-2],) * 2), **tol(dt))
    np.testing.assert_allclose(np.abs(u[..., :k]), np.abs(uj[..., :k]), **tol(dt))
    np.testing.assert_allclose(np.abs(vh[..., :k, :]), np.abs(vhj[..., :k, :]), **tol(dt))
    np.testing.assert_allclose(MODES[mode](fnp.linalg.svdvals)(x), sj_only, **tol(dt))
    np.testing.assert_allclose(MODES[mode](lambda a: fnp.linalg.svd(a, compute_uv=False))(x),
                               sj_only, **tol(dt))


# --------------------------------------------------------------------- qr

@pytest.mark.parametrize("shape,dt,qr_mode,mode", [
    ((5, 3), np.float64, "reduced", "eager"), ((5, 3), np.float32, "complete", "jit"),
    ((3, 5), np.float32, "reduced", "eager"), ((3, 5), np.float64, "complete", "eager"),
    ((4, 4), np.float64, "r", "eager"), ((2, 5, 3), np.float32, "reduced", "jit"),
    ((2, 5, 3), np.float64, "complete", "eager"), ((2, 3, 5), np.float64, "r", "eager")])
def test_qr_matches_jax(shape, dt, qr_mode, mode):
    x = rand(shape, dt)
    out = MODES[mode](lambda a: fnp.linalg.qr(a, mode=qr_mode))(x)
    with jax.enable_x64(True):
        outj = jnp.linalg.qr(x, mode=qr_mode)
    if qr_mode == "r":
        r, rj = np.asarray(out), np.asarray(outj)
    else:
        (q, r), (qj, rj) = [np.asarray(o) for o in out], [np.asarray(o) for o in outj]
        assert q.shape == qj.shape and q.dtype == dt
        np.testing.assert_allclose(q @ r, x, **tol(dt))
        n = q.shape[-1]
        np.testing.assert_allclose(mT(q) @ q, np.broadcast_to(np.eye(n), q.shape[:-2] + (n, n)),
                                   **tol(dt))
        k = min(shape[-2:])
        np.testing.assert_allclose(np.abs(q[..., :k]), np.abs(qj[..., :k]), **tol(dt))
    assert r.shape == rj.shape and r.dtype == dt
    np.testing.assert_allclose(r, np.triu(r), atol=0)  # upper triangular
    np.testing.assert_allclose(np.abs(r), np.abs(rj), **tol(dt))


# --------------------------------------------------------------------- vmap

def test_vmap_matches_jax_vmap():
    a = sym((3, 4, 4))
    x = rand((4, 3, 2))  # batch along axis 1
    w = fl.vmap(lambda m: fnp.linalg.eigh(m)[0])(a)
    with jax.enable_x64(True):
        np.testing.assert_allclose(w, jax.vmap(lambda m: jnp.linalg.eigh(m)[0])(a), rtol=1e-10)
        s = fl.vmap(fnp.linalg.svdvals, in_axes=1)(x)
        np.testing.assert_allclose(s, jax.vmap(jnp.linalg.svdvals, in_axes=1)(x), rtol=1e-10)
        r = fl.vmap(lambda m: fnp.linalg.qr(m, mode="r"), in_axes=1, out_axes=2)(x)
        rj = jax.vmap(lambda m: jnp.linalg.qr(m, mode="r"), in_axes=1, out_axes=2)(x)
        np.testing.assert_allclose(np.abs(r), np.abs(rj), rtol=1e-10, atol=1e-12)
        u, s2, vh = fl.vmap(lambda m: fnp.linalg.svd(m, full_matrices=False), in_axes=1)(x)
        np.testing.assert_allclose(np.asarray(u) * np.asarray(s2)[:, None, :] @ vh,
                                   np.moveaxis(x, 1, 0), rtol=1e-10)
        # vmap of a vmapped (batched) decomposition, and under jit
        ww = fl.jit(fl.vmap(fl.vmap(fnp.linalg.eigvalsh)))(np.stack([a, a + np.eye(4)]))
        np.testing.assert_allclose(ww[1] - ww[0], np.ones((3, 4)), rtol=1e-8)


# --------------------------------------------------------------------- derivatives

_C4 = np.arange(1.0, 5.0)
_C5 = np.arange(1.0, 6.0)


def _pairs():
    """(name, fl function, jax function, input) for sign-invariant functions (float64)."""
    def eig_sq(L):
        return lambda a: L.sum(L.linalg.eigh(a)[0] ** 2)

    def eig_vec(L):  # |v|^2 of the lowest and highest eigenvector, weighted
        def f(a):
            w, v = L.linalg.eigh(a)
            return L.sum(v[:, 0] ** 2 * _C4) + L.sum(v[:, -1] ** 2 * _C4[::-1]) + w[1]
        return f

    def svd_sum(L):
        return lambda x: L.sum(L.linalg.svdvals(x))

    def svd_vec(L):
        def f(x):
            u, s, vh = L.linalg.svd(x, full_matrices=False)
            return (L.sum(u[:, 0] ** 2 * _C5[:u.shape[0]])
                    + L.sum(vh[1, :] ** 2 * _C5[:vh.shape[1]]) + L.sum(s * s[::-1]))
        return f

    def svd_square_full(L):
        def f(x):
            u, s, vh = L.linalg.svd(x)  # full_matrices=True is fine for square matrices
            return L.sum(u[:, 1] ** 2 * _C4) + L.sum(s ** 3)
        return f

    def qr_loss(L):
        def f(x):
            q, r = L.linalg.qr(x)
            return (L.sum((q @ r - 1.0) ** 2) + L.sum(r ** 2 * _C5[:r.shape[1]])
                    + L.sum(q ** 2 * _C5[:q.shape[1]]))
        return f

    def proj(L):  # a projector onto the column space: sign-free in Q
        def f(x):
            q = L.linalg.qr(x)[0]
            return L.sum((q @ q.T) * _C5)
        return f

    def norms(L):
        return lambda x: (L.linalg.norm(x, ord="nuc") + L.linalg.norm(x, ord=2)
                          + L.linalg.norm(x, ord=-2) + L.linalg.cond(x))

    def pinv(L):
        return lambda x: L.sum(L.linalg.pinv(x) * _C5)

    def lstsq(L):
        return lambda x: L.sum(L.linalg.lstsq(x, _C5)[0] ** 2)

    a4 = sym((4, 4))
    return [
        ("eigh_values", eig_sq, a4), ("eigh_vectors", eig_vec, a4),
        ("svd_values_tall", svd_sum, rand((5, 3))), ("svd_values_wide", svd_sum, rand((3, 5))),
        ("svd_vectors_tall", svd_vec, rand((5, 3))), ("svd_vectors_wide", svd_vec, rand((3, 5))),
        ("svd_square_full", svd_square_full, rand((4, 4))),
        ("qr_tall", qr_loss, rand((5, 3))), ("qr_square", qr_loss, rand((5, 5))),
        ("qr_wide", qr_loss, rand((3, 5))), ("qr_projector", proj, rand((5, 3))),
        ("norms", norms, rand((5, 3))), ("pinv", pinv, rand((5, 3))),
        ("lstsq", lstsq, rand((5, 3))),
    ]


PAIRS = _pairs()


# jax's references are jitted (one compile each): op-by-op jax is slow on a loaded machine
@pytest.mark.parametrize("name,make,x", PAIRS, ids=[p[0] for p in PAIRS])
def test_derivatives_match_jax(name, make, x):
    f, fj = make(fnp), make(jnp)
    t = rand(x.shape)
    x2 = x + 0.1 * t
    with jax.enable_x64(True):
        vg = jax.jit(jax.value_and_grad(fj))
        (val, want), (_, want2) = vg(x), vg(x2)
        np.testing.assert_allclose(f(x), val, rtol=1e-9)
        np.testing.assert_allclose(fl.grad(f)(x), want, rtol=1e-7, atol=1e-9)
        # a scalar function's jvp is <grad, t>
        np.testing.assert_allclose(fl.jvp(f, (x,), (t,))[1], np.vdot(want, t), rtol=1e-7)
        np.testing.assert_allclose(fl.vmap(fl.grad(f))(np.stack([x, x2])),
                                   np.stack([want, want2]), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", ["eigh_vectors", "svd_vectors_wide", "qr_wide", "pinv"])
def test_jit_of_grad_matches_eager_grad(name):
    _, make, x = next(p for p in PAIRS if p[0] == name)
    f = make(fnp)
    np.testing.assert_allclose(fl.jit(fl.grad(f))(x), fl.grad(f)(x), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", ["eigh_vectors", "svd_vectors_tall", "qr_wide"])
def test_second_derivatives_match_jax(name):
    _, make, x = next(p for p in PAIRS if p[0] == name)
    f, fj = make(fnp), make(jnp)
    t = rand(x.shape)
    with jax.enable_x64(True):
        want = jax.jit(lambda p, q: jax.jvp(jax.grad(fj), (p,), (q,))[1])(x, t)
        np.testing.assert_allclose(fl.jvp(fl.grad(f), (x,), (t,))[1], want, rtol=1e-6,
                                   atol=1e-8)  # forward over reverse
        np.testing.assert_allclose(fl.grad(lambda p: fnp.vdot(fl.grad(f)(p), t))(x), want,
                                   rtol=1e-6, atol=1e-8)  # reverse over reverse


def test_check_grads_against_finite_differences():
    a = np.diag([1.0, 2.0, 4.0]) + 0.1 * sym((3, 3))  # well separated eigenvalues
    check_grads(lambda m: fnp.linalg.eigh(m)[1] ** 2 + fnp.linalg.eigh(m)[0][:, None],
                (a,), order=2)
    x = np.array([[3.0, 0.5], [0.2, 1.0], [0.1, -0.3]])  # singular values ~3.1, ~1.1
    check_grads(lambda m: fnp.linalg.svd(m, full_matrices=False)[0] ** 2, (x,), order=2)
    check_grads(lambda m: fnp.linalg.svd(m.T, full_matrices=False)[2] ** 2, (x,), order=1)
    check_grads(fnp.linalg.svdvals, (x,), order=2)
    check_grads(lambda m: fnp.linalg.qr(m)[1], (x,), order=2)
    check_grads(lambda m: fnp.linalg.qr(m.T)[0], (x,), order=1)


def test_make_jaxpr_shows_the_primitives():
    text = str(fl.make_jaxpr(lambda m: fnp.linalg.svd(m, full_matrices=False))(rand((3, 2))))
    assert "svd" in text and "f64[2]" in text and "f64[3,2]" in text
    text = str(fl.make_jaxpr(lambda m: fnp.linalg.eigh(m, symmetrize_input=False))(sym((3, 3))))
    assert "eigh" in text


# --------------------------------------------------------------------- functions on top

def test_svd_based_functions_match_jax():
    x = rand((5, 3))
    xb = rand((2, 4, 4))
    low_rank = x[:, :2] @ rand((2, 4))
    b1, b2 = rand(5), rand((5, 2))
    conds = (None, -2, 1, "fro")

    def everything(L, x, xb, low_rank, b1, b2):
        return ([L.linalg.pinv(x), L.linalg.pinv(xb), L.linalg.pinv(low_rank),
                 L.linalg.matrix_rank(low_rank), L.linalg.matrix_rank(xb),
                 L.linalg.matrix_rank(L.diag(L.array([1.0, 0.5])), 0.9)]
                + [L.linalg.cond(xb, p) for p in conds]
                + list(L.linalg.lstsq(x, b1)) + list(L.linalg.lstsq(x, b2))
                + [L.linalg.norm(x, ord=o) for o in ("nuc", 2, -2)]
                + [L.linalg.norm(xb, ord=o, axis=(2, 0), keepdims=True) for o in ("nuc", 2)]
                + [L.linalg.matrix_norm(xb, ord=-2)])

    args = (x, xb, low_rank, b1, b2)
    with jax.enable_x64(True):
        want = jax.jit(lambda *a: everything(jnp, *a))(*args)
        for got in (everything(fnp, *args), fl.jit(lambda *a: everything(fnp, *a))(*args)):
            assert len(got) == len(want)
            for g, w in zip(got, want):
                # ranks are int32 (fnp's default int; jax with x64 gives int64)
                want_dt = np.int32 if w.dtype == np.int64 else w.dtype
                assert np.shape(g) == w.shape and np.asarray(g).dtype == want_dt
                np.testing.assert_allclose(g, w, rtol=1e-7, atol=1e-10)
    assert int(fnp.linalg.matrix_rank(low_rank)) == 2


def test_numpy_resid_is_numpys():
    x = rand((3, 5))  # wide: NumPy returns no residuals
    assert fnp.linalg.lstsq(x, rand(3), numpy_resid=True)[1].shape == (0,)
    x, b = rand((5, 3)), rand(5)
    np.testing.assert_allclose(fnp.linalg.lstsq(x, b, numpy_resid=True)[1],
                               np.linalg.lstsq(x, b, rcond=None)[1], rtol=1e-10)


def test_array_api_helpers_match_jax():
    x = rand((2, 3, 4), np.float32)
    y = rand((3, 4), np.float32)
    xi = RNG.integers(-3, 4, size=(2, 3, 3)).astype(np.int32)
    for kw in ({}, {"axis": 1}, {"ord": 1, "axis": -1}, {"ord": np.inf}, {"ord": -np.inf},
               {"ord": 0, "axis": 0}, {"ord": 3, "axis": (0, 2), "keepdims": True}):
        got = fnp.linalg.vector_norm(x, **kw)
        np.testing.assert_allclose(got, jnp.linalg.vector_norm(x, **kw), rtol=1e-6)
    np.testing.assert_allclose(fnp.linalg.vecdot(x, y), jnp.linalg.vecdot(x, y), rtol=1e-6)
    np.testing.assert_allclose(fnp.linalg.vecdot(x, x, axis=1), jnp.linalg.vecdot(x, x, axis=1),
                               rtol=1e-6)
    got = fnp.linalg.vecdot(xi, xi)
    assert got.dtype == jnp.linalg.vecdot(xi, xi).dtype
    np.testing.assert_array_equal(got, jnp.linalg.vecdot(xi, xi))
    np.testing.assert_array_equal(fnp.linalg.matrix_transpose(x), jnp.linalg.matrix_transpose(x))
    for off in (0, 1, -1):
        np.testing.assert_allclose(fnp.linalg.trace(x, offset=off),
                                   jnp.linalg.trace(x, offset=off), rtol=1e-6)
        np.testing.assert_allclose(fnp.linalg.diagonal(x, offset=off),
                                   jnp.linalg.diagonal(x, offset=off))
    assert fnp.linalg.trace(xi).dtype == jnp.linalg.trace(xi).dtype
    g = fl.grad(lambda m: fnp.sum(fnp.linalg.vector_norm(m, axis=-1)
                                  * fnp.linalg.trace(m[:, :, :3])[:, None]))(x)
    gj = jax.grad(lambda m: jnp.sum(jnp.linalg.vector_norm(m, axis=-1)
                                    * jnp.linalg.trace(m[:, :, :3])[:, None]))(x)
    np.testing.assert_allclose(g, gj, rtol=1e-5)


# --------------------------------------------------------------------- errors

def test_errors_say_what_to_do():
    with pytest.raises(TypeError, match=r"eigh: expects square matrices .*\(3, 4\)|f64\[3,4\]"):
        fnp.linalg.eigh(rand((3, 4)))
    with pytest.raises(TypeError, match="svd: expects a matrix or a stack of matrices.*rank 1"):
        fnp.linalg.svd(rand(3))
    with pytest.raises(TypeError, match="qr: .*rank 0"):
        fnp.linalg.qr(np.float64(1.0))
    with pytest.raises(TypeError, match=r"float16.*astype\(fnp.float32\)"):
        fnp.linalg.svdvals(rand((3, 3)).astype(np.float16))
    with pytest.raises(TypeError, match=r"eigh: requires a float32 or float64.*astype"):
        D.eigh(np.eye(3, dtype=np.int32))
    with pytest.raises(TypeError, match="eigh: expects square"):  # the traced path too
        fl.jit(lambda m: D.eigh(m))(rand((2, 3)))
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        fl.grad(lambda m: fnp.sum(fnp.linalg.svd(m)[0]))(rand((4, 3)))
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        fl.jvp(lambda m: fnp.linalg.svd(m)[1], (rand((4, 3)),), (rand((4, 3)),))
    with pytest.raises(NotImplementedError, match="mode='reduced'"):
        fl.grad(lambda m: fnp.sum(fnp.linalg.qr(m, mode="complete")[0]))(rand((4, 3)))
    with pytest.raises(NotImplementedError, match="complex.*eigh"):
        fnp.linalg.eig(np.eye(2))
    with pytest.raises(NotImplementedError, match="complex.*eigvalsh"):
        fnp.linalg.eigvals(np.eye(2))
    with pytest.raises(ValueError, match="UPLO must be one of"):
        fnp.linalg.eigh(np.eye(2), UPLO="X")
    with pytest.raises(ValueError, match="unsupported mode 'full'"):
        fnp.linalg.qr(np.eye(2), mode="full")
    with pytest.raises(ValueError, match="leading dimensions"):
        fnp.linalg.lstsq(rand((3, 2)), rand(4))
    with pytest.raises(TypeError, match="two-dimensional"):
        fnp.linalg.lstsq(rand((2, 3, 2)), rand(3))
    with pytest.raises(ValueError, match="at least 2"):
        fnp.linalg.matrix_transpose(rand(3))
    with pytest.raises(ValueError, match="must be square"):
        fnp.linalg.cond(rand((3, 2)), 1)
    with pytest.raises(ValueError, match="invalid order 'nuc'"):
        fnp.linalg.vector_norm(rand(3), ord="nuc")


def test_svd_values_only_gradient_with_full_matrices_is_allowed():
    # only S flows back: the full U/V are not differentiated (JAX raises here; we need not)
    x = rand((4, 3))
    with jax.enable_x64(True):
        np.testing.assert_allclose(fl.grad(lambda m: fnp.sum(fnp.linalg.svd(m)[1]))(x),
                                   jax.grad(lambda m: jnp.sum(jnp.linalg.svdvals(m)))(x),
                                   rtol=1e-9)


def test_lax_linalg_signatures_match_jax():
    x = rand((4, 3))
    a = sym((3, 3))
    with jax.enable_x64(True):
        for full in (True, False):
            got, want = fl.lax.linalg.svd(x, full_matrices=full), \
                jax.lax.linalg.svd(x, full_matrices=full)
            assert [g.shape for g in got] == [w.shape for w in want]
            np.testing.assert_allclose(got[1], want[1], rtol=1e-10)
            got, want = fl.lax.linalg.qr(x, full_matrices=full), \
                jax.lax.linalg.qr(x, full_matrices=full)
            assert [g.shape for g in got] == [w.shape for w in want]
            np.testing.assert_allclose(np.abs(got[1]), np.abs(want[1]), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(fl.lax.linalg.svd(x, compute_uv=False),
                                   jax.lax.linalg.svd(x, compute_uv=False), rtol=1e-10)
        v, w = fl.lax.linalg.eigh(a)
        vj, wj = jax.lax.linalg.eigh(a)
        np.testing.assert_allclose(w, wj, rtol=1e-10)
        np.testing.assert_allclose(np.abs(v), np.abs(vj), rtol=1e-8)
        f = lambda L: lambda m: L.linalg.eigh(m)[1][2] ** 2  # noqa: E731
        np.testing.assert_allclose(fl.grad(f(fl.lax))(a), jax.jit(jax.grad(f(jax.lax)))(a),
                                   rtol=1e-9)
    with pytest.raises(NotImplementedError, match="pivoting"):
        fl.lax.linalg.qr(x, pivoting=True)


def test_pinv_derivative_at_repeated_singular_values_is_jaxs():
    # the SVD's derivative is inf/nan here; pinv's custom rule (JAX's) is not
    x = np.eye(3, 4)
    c = np.arange(12.0).reshape(4, 3)
    f = lambda L: lambda m: L.sum(L.linalg.pinv(m) ** 2 * c)  # noqa: E731
    with jax.enable_x64(True):
        want = jax.jit(jax.grad(f(jnp)))(x)
        assert np.all(np.isfinite(want))
        np.testing.assert_allclose(fl.grad(f(fnp))(x), want, rtol=1e-10, atol=1e-12)
        g = lambda L: lambda m: L.sum(L.linalg.pinv(m.T) ** 2 * c.T)  # noqa: E731
        np.testing.assert_allclose(fl.grad(g(fnp))(x), jax.jit(jax.grad(g(jnp)))(x),
                                   rtol=1e-10, atol=1e-12)


def test_nan_input_gives_nan_as_jax():
    # LAPACK's SVD raises on NaN (NumPy); XLA returns NaN for that matrix only
    x = np.stack([np.full((2, 3), np.nan), np.arange(6.0).reshape(2, 3)])
    u, s, vh = fnp.linalg.svd(x)
    assert np.isnan(s[0]).all() and np.isnan(u[0]).all() and np.isnan(vh[0]).all()
    np.testing.assert_allclose(s[1], np.linalg.svd(x[1], compute_uv=False), rtol=1e-12)
    assert np.isnan(fnp.linalg.svdvals(x)[0]).all()
