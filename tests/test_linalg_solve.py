"""Square systems: the primitives cholesky / triangular_solve / lu (fl.lax.linalg) and
fnp.linalg.solve inv det slogdet cholesky matrix_power multi_dot tensorsolve tensorinv,
against jax.lax.linalg / jax.numpy.linalg: values eagerly, under jit and vmap;
derivatives against jax.grad / jax.jvp and finite differences; error messages."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(0)
DTYPES = [np.float32, np.float64]


def tol(dt):
    return dict(rtol=2e-4, atol=2e-4) if np.dtype(dt) == np.float32 else dict(rtol=1e-10,
                                                                                atol=1e-10)


def general(shape, dt=np.float64):
    """Well-conditioned square matrices: diagonally dominant ones with their rows
    permuted and some signs flipped, so LU has to pivot and U's diagonal has both signs."""
    n = shape[-1]
    a = RNG.standard_normal(shape) + n * np.eye(n)
    a = a * np.where(RNG.random(shape[:-1] + (1,)) < 0.5, -1.0, 1.0)
    return a[..., np.roll(np.arange(n), 1), :].astype(dt)


def spd(shape, dt=np.float64):
    n = shape[-1]
    b = RNG.standard_normal(shape)
    return (b @ np.swapaxes(b, -1, -2) + n * np.eye(n)).astype(dt)


def close(x, y, dt=np.float64):
    x, y = np.asarray(x), np.asarray(y)
    assert x.shape == y.shape, (x.shape, y.shape)
    np.testing.assert_allclose(x.astype(np.float64), y.astype(np.float64), **tol(dt))


def x64(dt):
    return jax.enable_x64(np.dtype(dt) == np.float64)


# --------------------------------------------------------------------- eager values vs jnp

@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("batch", [(), (2, 3)])
def test_values_match_jnp(dt, batch):
    a = general(batch + (4, 4), dt)
    s = spd(batch + (4, 4), dt)
    b_mat = RNG.standard_normal(batch + (4, 2)).astype(dt)
    b_vec = RNG.standard_normal((4,)).astype(dt)
    def everything(np_, a, s, b_mat, b_vec):
        out = [np_.linalg.solve(a, b_mat), np_.linalg.solve(a, b_vec), np_.linalg.inv(a),
               np_.linalg.det(a), np_.linalg.det(a[..., :3, :3]), np_.linalg.det(a[..., :2, :2]),
               np_.linalg.cholesky(s), np_.linalg.cholesky(s, upper=True),
               np_.linalg.matrix_power(a, 5), np_.linalg.matrix_power(a, -2),
               np_.linalg.matrix_power(a, 0)]
        for m in (a, a[..., :3, :3], a[..., :2, :2], a[..., :1, :1]):
            out += list(np_.linalg.slogdet(-m))
        return out
    with x64(dt):
        expect = jax.jit(lambda *args: everything(jnp, *args))(a, s, b_mat, b_vec)
    for ours, theirs in zip(everything(fnp, a, s, b_mat, b_vec), expect):
        assert np.asarray(ours).dtype == theirs.dtype
        close(ours, theirs, dt)


def test_slogdet_is_a_namedtuple_and_ints_promote():
    r = fnp.linalg.slogdet(np.array([[1, 2], [3, 4]]))
    assert type(r).__name__ == "SlogdetResult" and r._fields == ("sign", "logabsdet")
    assert r.sign == -1 and np.isclose(np.exp(r.logabsdet), 2.0)
    x = fnp.linalg.solve(np.array([[2, 0], [0, 4]]), np.array([2, 2]))
    assert x.dtype == np.float32 and np.allclose(x, [1.0, 0.5])
    assert fnp.linalg.det(np.eye(5, dtype=np.int32)).dtype == np.float32


def test_solve_broadcasts_batches_like_jnp():
    a = general((3, 1, 4, 4))
    b = RNG.standard_normal((2, 4, 3))
    with jax.enable_x64(True):
        close(fnp.linalg.solve(a, b), jnp.linalg.solve(a, b))
        close(fnp.linalg.solve(a[0, 0], b), jnp.linalg.solve(a[0, 0], b))


def test_products_and_tensor_functions():
    a, b, c, v = (RNG.standard_normal(s) for s in [(3, 5), (5, 2), (2, 6), (6,)])
    w = RNG.standard_normal(3)
    with jax.enable_x64(True):
        close(fnp.linalg.multi_dot([a, b, c]), jnp.linalg.multi_dot([a, b, c]))
        close(fnp.linalg.multi_dot([w, a, b, c, v]), jnp.linalg.multi_dot([w, a, b, c, v]))
        close(fnp.linalg.multi_dot([a, b]), jnp.linalg.multi_dot([a, b]))
        t = general((6, 6)).reshape(2, 3, 6)
        rhs = RNG.standard_normal((2, 3))
        close(fnp.linalg.tensorsolve(t, rhs), jnp.linalg.tensorsolve(t, rhs))
        t2 = np.moveaxis(t, 2, 0)
        close(fnp.linalg.tensorsolve(t2, rhs, axes=(0,)),
              jnp.linalg.tensorsolve(t2, rhs, axes=(0,)))
        ti = general((6, 6)).reshape(6, 2, 3)
        close(fnp.linalg.tensorinv(ti, ind=1), jnp.linalg.tensorinv(ti, ind=1))


def test_lax_linalg_primitives_match_jax():
    a = general((2, 4, 4))
    s = spd((2, 4, 4))
    with jax.enable_x64(True):
        close(fl.lax.linalg.cholesky(s), jax.lax.linalg.cholesky(s))
        # without symmetrizing only the lower triangle is read
        skew = s + np.triu(RNG.standard_normal((4, 4)), 1)
        close(fl.lax.linalg.cholesky(skew, symmetrize_input=False),
              jax.lax.linalg.cholesky(skew, symmetrize_input=False))
        for ours, theirs in zip(fl.lax.linalg.lu(a), jax.lax.linalg.lu(a)):
            assert np.asarray(ours).dtype == theirs.dtype
            close(ours, theirs)
        rect = RNG.standard_normal((2, 5, 3))
        for ours, theirs in zip(fl.lax.linalg.lu(rect), jax.lax.linalg.lu(rect)):
            close(ours, theirs)
        lu_, _, perm = fl.lax.linalg.lu(a)
        lower = np.tril(lu_, -1) + np.eye(4)
        close(np.take_along_axis(a, perm[..., None], axis=1), lower @ np.triu(lu_))
        kw = dict(left_side=True, lower=False, transpose_a=True, unit_diagonal=False)
        b = RNG.standard_normal((2, 4, 3))
        close(fl.lax.linalg.triangular_solve(a, b, **kw),
              jax.lax.linalg.triangular_solve(a, b, **kw))
        kw = dict(left_side=False, lower=True, transpose_a=False, unit_diagonal=True)
        close(fl.lax.linalg.triangular_solve(a, b.swapaxes(1, 2), **kw),
              jax.lax.linalg.triangular_solve(a, b.swapaxes(1, 2), **kw))
        v = RNG.standard_normal((2, 4))  # one vector per matrix (b of rank a.ndim - 1)
        for left in (True, False):
            out = fl.lax.linalg.triangular_solve(a, v, left_side=left, lower=True)
            assert out.shape == (2, 4)
            close(out, jax.lax.linalg.triangular_solve(a, v, left_side=left, lower=True))
    for left in (True, False):  # every flag combination against a dense NumPy solve
        for low in (True, False):
            for tr in (True, False):
                for unit in (True, False):
                    kw = dict(left_side=left, lower=low, transpose_a=tr, unit_diagonal=unit)
                    b = RNG.standard_normal((2, 4, 3) if left else (2, 3, 4))
                    t = np.tril(a) if low else np.triu(a)
                    if unit:
                        t = t - t * np.eye(4) + np.eye(4)
                    op = np.swapaxes(t, 1, 2) if tr else t
                    expect = np.linalg.solve(op, b) if left else \
                        np.swapaxes(np.linalg.solve(np.swapaxes(op, 1, 2), np.swapaxes(b, 1, 2)),
                                    1, 2)
                    close(fl.lax.linalg.triangular_solve(a, b, **kw), expect)


# --------------------------------------------------------------------- singular inputs

def test_singular_and_indefinite_inputs_give_nan_inf_like_jnp():
    sing = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(sing, np.ones(3))  # NumPy raises; jnp and fnp do not
    x = fnp.linalg.solve(sing, np.ones(3))
    assert not np.all(np.isfinite(x))
    assert not np.all(np.isfinite(np.asarray(jnp.linalg.solve(sing, np.ones(3)))))
    assert not np.all(np.isfinite(fnp.linalg.inv(sing)))
    big = np.zeros((4, 4))
    assert fnp.linalg.det(big) == 0.0 and jnp.linalg.det(big) == 0.0
    sign, logdet = fnp.linalg.slogdet(big)
    jsign, jlogdet = jnp.linalg.slogdet(big)
    assert sign == jsign == 0 and logdet == jlogdet == -np.inf
    indefinite = np.array([[1.0, 2.0], [2.0, 1.0]])
    L = fnp.linalg.cholesky(indefinite)
    np.testing.assert_array_equal(np.isnan(L), np.isnan(jnp.linalg.cholesky(indefinite)))
    # one bad matrix in a batch leaves the others alone
    batch = np.stack([spd((3, 3)), -np.eye(3)])
    L = fnp.linalg.cholesky(batch)
    assert np.all(np.isfinite(L[0])) and np.all(np.isnan(L[1][np.tril_indices(3)]))
    np.testing.assert_array_equal(np.isnan(L), np.isnan(jnp.linalg.cholesky(batch)))


# --------------------------------------------------------------------- jit and vmap

def _all_funcs(a, s, b):
    sign, logdet = fnp.linalg.slogdet(a)
    return (fnp.linalg.solve(a, b), fnp.linalg.inv(a), fnp.linalg.det(a), sign, logdet,
            fnp.linalg.cholesky(s), fl.lax.linalg.lu(a)[0],
            fl.lax.linalg.triangular_solve(s, b, left_side=True, lower=True))


def _all_jax(a, s, b):
    sign, logdet = jnp.linalg.slogdet(a)
    return (jnp.linalg.solve(a, b), jnp.linalg.inv(a), jnp.linalg.det(a), sign, logdet,
            jnp.linalg.cholesky(s), jax.lax.linalg.lu(a)[0],
            jax.lax.linalg.triangular_solve(s, b, left_side=True, lower=True))


@pytest.mark.parametrize("dt", DTYPES)
def test_jit_and_vmap_match_jax(dt):
    a, s = general((3, 4, 4), dt), spd((3, 4, 4), dt)
    b = RNG.standard_normal((3, 4, 2)).astype(dt)
    with x64(dt):
        expect = jax.jit(_all_jax)(a, s, b)
        outs = [fl.vmap(_all_funcs)(a, s, b)]
        outs.append(fl.jit(_all_funcs)(a, s, b) if dt == np.float64 else
                    fl.jit(fl.vmap(_all_funcs))(a, s, b))
        for ours in outs:
            for x, y in zip(ours, expect):
                assert np.asarray(x).dtype == y.dtype
                close(x, y, dt)
        # batch axis not in front, and an unbatched operand
        f = lambda a, b: fnp.linalg.solve(a, b)
        close(fl.vmap(f, in_axes=(2, None))(np.moveaxis(a, 0, 2), b[0]),
              jax.vmap(jnp.linalg.solve, in_axes=(2, None))(np.moveaxis(a, 0, 2), b[0]), dt)
        g = lambda s, b: fl.lax.linalg.triangular_solve(s, b, left_side=True, lower=True)
        close(fl.vmap(g, in_axes=(None, 0))(s[0], b),
              jax.vmap(lambda s, b: jax.lax.linalg.triangular_solve(s, b, left_side=True,
                                                                    lower=True),
                       in_axes=(None, 0))(s[0], b), dt)


def test_jit_output_is_jax_array_and_float64_stays():
    a = general((4, 4))
    out = fl.jit(fnp.linalg.inv)(a)
    assert isinstance(out, jax.Array) and out.dtype == np.float64


# --------------------------------------------------------------------- derivatives

def _losses():
    """(name, fl function, jax function, input kind) of scalar losses of one matrix."""
    w = RNG.standard_normal((4, 4))
    return [
        ("solve", lambda a: (fnp.linalg.solve(a, w[:, :2]) ** 2).sum(),
         lambda a: (jnp.linalg.solve(a, w[:, :2]) ** 2).sum(), "general"),
        ("inv", lambda a: (fnp.linalg.inv(a) * w).sum(),
         lambda a: (jnp.linalg.inv(a) * w).sum(), "general"),
        ("det", lambda a: fnp.linalg.det(a), lambda a: jnp.linalg.det(a), "general"),
        ("logdet", lambda a: fnp.linalg.slogdet(a)[1], lambda a: jnp.linalg.slogdet(a)[1],
         "general"),
        ("cholesky", lambda a: (fnp.linalg.cholesky(a) * w).sum(),
         lambda a: (jnp.linalg.cholesky(a) * w).sum(), "spd"),
        ("lu", lambda a: (fl.lax.linalg.lu(a)[0] * w).sum(),
         lambda a: (jax.lax.linalg.lu(a)[0] * w).sum(), "general"),
        ("triangular_solve", lambda a: (fl.lax.linalg.triangular_solve(
            a, w, left_side=True, lower=False, transpose_a=True) ** 2).sum(),
         lambda a: (jax.lax.linalg.triangular_solve(
             a, w, left_side=True, lower=False, transpose_a=True) ** 2).sum(), "general"),
        ("matrix_power", lambda a: (fnp.linalg.matrix_power(a, -3) * w).sum(),
         lambda a: (jnp.linalg.matrix_power(a, -3) * w).sum(), "general"),
    ]


LOSSES = _losses()


@pytest.mark.parametrize("name,f,fj,kind", LOSSES, ids=[c[0] for c in LOSSES])
def test_grad_jvp_and_hessian_match_jax(name, f, fj, kind):
    a = spd((4, 4)) if kind == "spd" else general((4, 4))
    t = RNG.standard_normal((4, 4))
    with jax.enable_x64(True):  # one compiled oracle: gradient, JVP, Hessian-vector product
        g, tan, hvp = jax.jit(lambda a, t: (jax.grad(fj)(a), jax.jvp(fj, (a,), (t,))[1],
                                            jax.jvp(jax.grad(fj), (a,), (t,))[1]))(a, t)
    close(fl.grad(f)(a), g)
    close(fl.jvp(f, (a,), (t,))[1], tan)
    close(fl.jvp(fl.grad(f), (a,), (t,))[1], hvp)  # forward over reverse
    close(fl.grad(lambda a: (fl.grad(f)(a) * t).sum())(a), hvp)  # reverse over reverse
    close(fl.jacfwd(fl.jacrev(f))(a).reshape(16, 16) @ t.ravel(), hvp.ravel())
    # per-example gradients: vmap of grad against a loop of grads
    batch = np.stack([a, a + 0.1 * t])
    close(fl.vmap(fl.grad(f))(batch), np.stack([fl.grad(f)(x) for x in batch]))


def test_jitted_derivatives_match_jax():
    a = general((2, 4, 4))
    b = RNG.standard_normal((4, 2))

    def loss(np_, a):
        return (np_.linalg.solve(a, b) ** 2).sum() + np_.linalg.slogdet(a)[1].sum() \
            + (np_.linalg.cholesky(np_.swapaxes(a, -1, -2) @ a) ** 2).sum()
    with jax.enable_x64(True):
        g = jax.jit(jax.grad(lambda a: loss(jnp, a)))(a)
        f = lambda a: loss(fnp, a)
        close(fl.jit(fl.grad(f))(a), g)


def test_check_grads_second_order():
    a, s = general((3, 3)), spd((2, 3, 3))
    b = RNG.standard_normal((3, 2))
    check_grads(fnp.linalg.solve, (a, b), order=2)
    check_grads(fnp.linalg.inv, (general((4, 4)),), order=2)
    check_grads(fnp.linalg.det, (general((4, 4)),), order=2)
    check_grads(lambda x: fnp.linalg.slogdet(x)[1], (general((2, 4, 4)),), order=2)
    check_grads(fnp.linalg.cholesky, (s,), order=2)
    check_grads(lambda x: fl.lax.linalg.lu(x)[0], (general((3, 3)),), order=2)
    for left in (True, False):
        check_grads(lambda a, b: fl.lax.linalg.triangular_solve(
            a, b, left_side=left, lower=True, unit_diagonal=True),
            (general((3, 3)), b if left else b.T), order=2)


def test_float32_gradients_close_to_jax():
    a = general((2, 4, 4), np.float32)
    b = RNG.standard_normal((2, 4, 3)).astype(np.float32)
    f = lambda a, b: (fnp.linalg.solve(a, b) ** 2).sum() + fnp.linalg.slogdet(a)[1].sum()
    fj = lambda a, b: (jnp.linalg.solve(a, b) ** 2).sum() + jnp.linalg.slogdet(a)[1].sum()
    for x, y in zip(fl.grad(f, (0, 1))(a, b), jax.jit(jax.grad(fj, (0, 1)))(a, b)):
        assert np.asarray(x).dtype == np.float32
        close(x, y, np.float32)


def test_det_gradient_at_singular_matrices_is_the_adjugate_like_jax():
    a = RNG.standard_normal((5, 5))
    rank4 = a.copy()
    rank4[4] = rank4[0] + 2 * rank4[1]
    rank3 = rank4.copy()
    rank3[3] = rank3[2]
    batch = np.stack([rank4, rank3, a])
    with jax.enable_x64(True):
        g = jax.jit(jax.vmap(jax.grad(jnp.linalg.det)))(batch)
    ours = fl.vmap(fl.grad(fnp.linalg.det))(batch)
    assert np.all(np.isfinite(ours)) and np.abs(ours[0]).max() > 0.1
    close(ours, g)
    close(fl.grad(fnp.linalg.det)(rank4), g[0])


def test_solve_wrt_b_and_make_jaxpr():
    a, b = general((3, 3)), RNG.standard_normal(3)
    with jax.enable_x64(True):
        close(fl.grad(lambda b: fnp.linalg.solve(a, b).sum())(b),
              jax.grad(lambda b: jnp.linalg.solve(a, b).sum())(b))
    text = str(fl.make_jaxpr(fnp.linalg.solve)(a, b))
    assert "lu" in text and "triangular_solve" in text


# --------------------------------------------------------------------- errors

def test_error_messages():
    with pytest.raises(ValueError, match="square"):
        fnp.linalg.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="at least two dimensional"):
        fnp.linalg.solve(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="b must have 3 rows"):
        fnp.linalg.solve(np.eye(3), np.ones((2, 1)))
    with pytest.raises(ValueError, match="not a batch of vectors"):
        fnp.linalg.solve(np.ones((2, 3, 3)), np.ones((2, 3)))
    for f in (fnp.linalg.inv, fnp.linalg.det, fnp.linalg.slogdet, fnp.linalg.cholesky):
        with pytest.raises(ValueError, match=r"square matrices of shape \(\.\.\., n, n\)"):
            f(np.ones((2, 3)))
        with pytest.raises(ValueError, match="got shape"):
            fl.jit(f)(np.ones(3))
    with pytest.raises(TypeError, match=r"float32 or float64.*astype"):
        fl.lax.linalg.cholesky(np.eye(2, dtype=np.int32))
    with pytest.raises(TypeError, match="float32 or float64"):
        fl.jit(fl.lax.linalg.lu)(np.eye(2, dtype=np.int32))
    with pytest.raises(ValueError, match="rank 1"):
        fl.lax.linalg.lu(np.ones(3))
    with pytest.raises(ValueError, match="same batch dimensions"):
        fl.lax.linalg.triangular_solve(np.eye(3), np.ones((2, 3, 3)), left_side=True)
    with pytest.raises(ValueError, match="3 rows"):
        fl.lax.linalg.triangular_solve(np.eye(3), np.ones((2, 1)), left_side=True)
    with pytest.raises(TypeError, match="one dtype"):
        fl.lax.linalg.triangular_solve(np.eye(2), np.ones((2, 2), np.float32))
    with pytest.raises(NotImplementedError, match="square matrices only"):
        fl.grad(lambda x: fl.lax.linalg.lu(x)[0].sum())(np.ones((3, 2)))
    with pytest.raises(TypeError, match="exponent must be an integer"):
        fnp.linalg.matrix_power(np.eye(2), 1.5)
    with pytest.raises(ValueError, match="at least two arrays"):
        fnp.linalg.multi_dot([np.eye(2)])
    with pytest.raises(ValueError, match="must match first dimension"):
        fnp.linalg.multi_dot([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(ValueError, match="unsupported method"):
        fnp.linalg.slogdet(np.eye(3), method="qr")
    with pytest.raises(ValueError, match="ind must be a positive integer"):
        fnp.linalg.tensorinv(np.eye(4), ind=0)
