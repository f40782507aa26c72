"""More jax.numpy creation and shape functions in fnp (grids, index sets, log ranges,
vander, convolve/correlate, delete/insert, put_along_axis, block, index tricks, ...):
values, dtypes and shapes against jax.numpy eagerly and under fl.jit, gradients against
jax.grad, per-example use under fl.vmap, and clear errors for bad input."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

RNG = np.random.default_rng(7)
F32 = RNG.standard_normal((5,)).astype(np.float32)
M34 = RNG.standard_normal((3, 4)).astype(np.float32)
I32 = np.array([3, 1, 4, 1, 5], np.int32)


def _same(got, ref, exact=True):
    if isinstance(ref, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(ref)
        assert type(got) is type(ref) or isinstance(ref, tuple) == isinstance(got, tuple)
        for g, r in zip(got, ref):
            _same(g, r, exact)
        return
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    assert got.dtype == ref.dtype, (got.dtype, ref.dtype)
    if exact:
        np.testing.assert_array_equal(got, ref)
    else:
        np.testing.assert_allclose(got, ref, rtol=2e-5, atol=2e-5)


# name, fnp call, jnp call, array arguments (traced under jit), exact?
CASES = [
    ("meshgrid_xy", lambda m, f: m.meshgrid(f, f[:3]), (F32,), True),
    ("meshgrid_ij_sparse", lambda m, f: m.meshgrid(f, f[:3], f[:2], indexing="ij",
                                                   sparse=True), (F32,), True),
    ("meshgrid_xy_3", lambda m, f: m.meshgrid(f[:2], f[:3], f[:4]), (F32,), True),
    ("indices", lambda m: m.indices((2, 3)), (), True),
    ("indices_sparse", lambda m: m.indices((2, 3, 4), sparse=True), (), True),
    ("tri", lambda m: m.tri(3, 4, k=1), (), True),
    ("tri_int", lambda m: m.tri(3, dtype=int), (), True),
    ("tril_indices", lambda m: m.tril_indices(3, k=-1, m=4), (), True),
    ("triu_indices", lambda m: m.triu_indices(4, 1), (), True),
    ("tril_indices_from", lambda m, x: m.tril_indices_from(x, 1), (M34,), True),
    ("triu_indices_from", lambda m, x: m.triu_indices_from(x), (M34,), True),
    ("diag_indices", lambda m: m.diag_indices(3, 3), (), True),
    ("diag_indices_from", lambda m, x: m.diag_indices_from(x[:3, :3]), (M34,), True),
    ("rot90", lambda m, x: m.rot90(x), (M34,), True),
    ("rot90_k2", lambda m, x: m.rot90(x, 2), (M34,), True),
    ("rot90_k3_axes", lambda m, x: m.rot90(x[None], -1, axes=(2, 1)), (M34,), True),
    ("logspace", lambda m: m.logspace(0.0, 2.0, 5), (), False),
    ("logspace_base", lambda m, f: m.logspace(f[0], f[1], 4, base=2.0, endpoint=False),
     (F32,), False),
    ("logspace_int", lambda m: m.logspace(0, 3, 4, dtype=m.int32), (), True),
    ("geomspace", lambda m: m.geomspace(1.0, 1000.0, 4), (), False),
    ("geomspace_neg_axis", lambda m, f: m.geomspace(-1.0 - f[:2] ** 2, -3.0, 3, axis=1),
     (F32,), False),
    ("broadcast_arrays", lambda m, x, i: m.broadcast_arrays(x[:, :1], i[:4], 2.0),
     (M34, I32), True),
    ("vander", lambda m, f: m.vander(f), (F32,), False),
    ("vander_inc", lambda m, i: m.vander(i[:3], 4, increasing=True), (I32,), True),
    ("diagflat", lambda m, x: m.diagflat(x[:2, :2], -1), (M34,), True),
    ("ediff1d", lambda m, x: m.ediff1d(x, to_begin=np.array([1, 2]), to_end=5), (M34,), True),
    ("ediff1d_int", lambda m, i: m.ediff1d(i), (I32,), True),
    ("unstack", lambda m, x: m.unstack(x, axis=1), (M34,), True),
    ("delete_int", lambda m, x: m.delete(x, -1, axis=0), (M34,), True),
    ("delete_list", lambda m, x: m.delete(x, np.array([0, 2, 2]), axis=1), (M34,), True),
    ("delete_slice_flat", lambda m, x: m.delete(x, slice(1, None, 3)), (M34,), True),
    ("delete_bool", lambda m, f: m.delete(f, np.array([1, 0, 1, 0, 0], bool)), (F32,), True),
    ("insert_scalar", lambda m, f: m.insert(f, 2, 9.0), (F32,), True),
    ("insert_list", lambda m, x: m.insert(x, np.array([0, 2, 2, -1]), 7, axis=1), (M34,), True),
    ("insert_row", lambda m, x: m.insert(x, 1, x[0] * 2, axis=0), (M34,), True),
    ("insert_slice", lambda m, i: m.insert(i, slice(0, 4, 2), np.array([7, 8])), (I32,), True),
    ("resize", lambda m, x: m.resize(x, (5, 3)), (M34,), True),
    ("resize_small", lambda m, i: m.resize(i, 2), (I32,), True),
    ("rollaxis", lambda m, x: m.rollaxis(x[None], 2, 1), (M34,), True),
    ("unravel_index", lambda m, i: m.unravel_index(i * 3 - 4, (2, 5)), (I32,), True),
    ("ravel_multi_index_clip", lambda m, i: m.ravel_multi_index((i, i - 2), (4, 3),
                                                                mode="clip"), (I32,), True),
    ("ravel_multi_index_wrap_F", lambda m, i: m.ravel_multi_index((i, i), (4, 3), mode="wrap",
                                                                  order="F"), (I32,), True),
    ("put_along_axis", lambda m, x: m.put_along_axis(
        x, np.array([[1], [0], [3]]), 5.0, axis=1, inplace=False), (M34,), True),
    ("put_along_axis_none", lambda m, x: m.put_along_axis(
        x, np.array([0, 11]), x[0, :2], axis=None, inplace=False), (M34,), True),
    ("block", lambda m, x, i: m.block([[x, x[:, :1]], [x[:1], i[:1].astype(m.float32)]]),
     (M34, I32), True),
    ("block_1d", lambda m, f: m.block([f, f[:2]]), (F32,), True),
    ("fill_diagonal", lambda m, x: m.fill_diagonal(x, 0.5, inplace=False), (M34,), True),
    ("fill_diagonal_vals", lambda m, x: m.fill_diagonal(x, x[0, :2], inplace=False), (M34,),
     True),
    ("ix_", lambda m, i: m.ix_(i[:2], i), (I32,), True),
    ("mgrid", lambda m: m.mgrid[0:2, 0:3], (), True),
    ("mgrid_complex", lambda m: m.mgrid[0:1:5j], (), False),
    ("ogrid", lambda m: m.ogrid[0:2, 1:4], (), True),
    ("r_", lambda m, f: m.r_[0:3, f[:2], 7], (F32,), True),
    ("r_axis", lambda m, x: m.r_["1", x, x], (M34,), True),
    ("c_", lambda m, f: m.c_[f, f * 2], (F32,), True),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_jax_eagerly(case):
    _, f, args, exact = case
    ref = f(jnp, *[jnp.asarray(a) for a in args])
    got = f(fnp, *args)
    _same(got, ref, exact)
    for g in (got if isinstance(got, (list, tuple)) else [got]):
        assert isinstance(g, np.ndarray)


TRACEABLE = [c for c in CASES if c[2]]  # functions of no array have nothing to trace


@pytest.mark.parametrize("case", TRACEABLE, ids=[c[0] for c in TRACEABLE])
def test_matches_jax_under_jit(case):
    name, f, args, exact = case
    ref = jax.jit(lambda *a: f(jnp, *a))(*args)
    got = fl.jit(lambda *a: f(fnp, *a))(*args)
    _same(got, ref, exact)


def test_broadcast_shapes_and_index_exp():
    assert fnp.broadcast_shapes((2, 1), (3,), 1) == jnp.broadcast_shapes((2, 1), (3,), 1)
    assert fnp.broadcast_shapes() == ()
    assert fnp.s_[1:2, ::2] == jnp.s_[1:2, ::2]
    assert fnp.index_exp[1:2] == jnp.index_exp[1:2]


def test_trim_zeros_eager_and_error_under_jit():
    x = np.array([0, 0, 1, 0, 2, 0], np.int32)
    for trim in ("fb", "f", "b"):
        _same(fnp.trim_zeros(x, trim), jnp.trim_zeros(jnp.asarray(x), trim))
    m = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0.5]], np.float32)
    _same(fnp.trim_zeros(m), jnp.trim_zeros(jnp.asarray(m)))
    _same(fnp.trim_zeros(m, axis=1), jnp.trim_zeros(jnp.asarray(m), axis=1))
    _same(fnp.trim_zeros(np.zeros(3, np.float32)), jnp.trim_zeros(jnp.zeros(3)))
    with pytest.raises(TypeError, match="trim_zeros.*jit"):
        fl.jit(fnp.trim_zeros)(x)
    # concrete under grad: differentiable through the kept slice
    g = fl.grad(lambda v: fnp.trim_zeros(v).sum())(np.array([0.0, 2.0, 3.0, 0.0], np.float32))
    _same(g, np.array([0, 1, 1, 0], np.float32))


def test_ravel_multi_index_raise():
    idx = (np.array([1, 0], np.int32), np.array([2, 1], np.int32))
    _same(fnp.ravel_multi_index(idx, (2, 3)), jnp.ravel_multi_index(idx, (2, 3)))
    _same(fnp.ravel_multi_index(idx, (2, 3), dtype=np.int8),
          jnp.ravel_multi_index(idx, (2, 3), dtype=np.int8))
    with pytest.raises(ValueError, match="out of range"):
        fnp.ravel_multi_index((np.array([2]), np.array([0])), (2, 3))
    with pytest.raises(TypeError, match="mode='clip'"):
        fl.jit(lambda i, j: fnp.ravel_multi_index((i, j), (2, 3)))(*idx)


# ----------------------------------------------------------------------------- convolve

@pytest.mark.parametrize("op", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("na,nv", [(7, 3), (6, 4), (3, 5), (1, 1), (4, 4)])
def test_convolve_values_and_grads_match_jax(op, mode, na, nv):
    a = RNG.standard_normal(na).astype(np.float32)
    v = RNG.standard_normal(nv).astype(np.float32)
    f, jf = getattr(fnp, op), getattr(jnp, op)
    ref = jf(a, v, mode=mode)
    _same(f(a, v, mode=mode), ref, exact=False)
    _same(fl.jit(lambda a, v: f(a, v, mode=mode))(a, v), ref, exact=False)
    w = RNG.standard_normal(ref.shape).astype(np.float32)
    for argnum in (0, 1):
        g = fl.grad(lambda a, v: (f(a, v, mode=mode) * w).sum(), argnums=argnum)(a, v)
        r = jax.grad(lambda a, v: (jf(a, v, mode=mode) * w).sum(), argnums=argnum)(a, v)
        _same(g, r, exact=False)


def test_convolve_ints_promote_to_float32_and_vmap_is_per_example():
    _same(fnp.convolve(I32, I32[:2]), jnp.convolve(I32, I32[:2]))
    _same(fnp.correlate([1, 2, 3], [1.0, 0.5], "full"),
          jnp.correlate(jnp.array([1, 2, 3]), jnp.array([1.0, 0.5]), "full"))
    xs = RNG.standard_normal((4, 9)).astype(np.float32)
    ks = RNG.standard_normal((4, 3)).astype(np.float32)
    for mode in ("full", "same", "valid"):
        got = fl.vmap(lambda x, k: fnp.convolve(x, k, mode=mode))(xs, ks)
        ref = jax.vmap(lambda x, k: jnp.convolve(x, k, mode=mode))(xs, ks)
        _same(got, ref, exact=False)
        got = fl.vmap(lambda x: fnp.correlate(x, ks[0], mode=mode))(xs)
        _same(got, jax.vmap(lambda x: jnp.correlate(x, ks[0], mode=mode))(xs), exact=False)
    # per-example gradients of a convolution layer
    g = fl.jit(fl.vmap(fl.grad(lambda k, x: (fnp.convolve(x, k, "valid") ** 2).sum()),
                       in_axes=(None, 0)))(ks[0], xs)
    r = jax.vmap(jax.grad(lambda k, x: (jnp.convolve(x, k, "valid") ** 2).sum()),
                 in_axes=(None, 0))(ks[0], xs)
    _same(np.asarray(g), r, exact=False)


def test_convolve_is_one_convolution():
    # one conv_general_dilated (XLA's convolution under jit), no window matrix, no gather
    jaxpr = str(fl.make_jaxpr(fnp.convolve)(np.zeros(50, np.float32), np.zeros(5, np.float32)))
    assert jaxpr.count("conv_general_dilated") == 1
    assert "dot_general" not in jaxpr and "gather" not in jaxpr and "= pad" not in jaxpr
    jaxpr = str(fl.make_jaxpr(fl.grad(lambda a, v: fnp.correlate(a, v, "same").sum(),
                                      (0, 1)))(np.zeros(50, np.float32),
                                               np.zeros(5, np.float32)))
    assert "dot_general" not in jaxpr and "gather" not in jaxpr


# ----------------------------------------------------------------------------- gradients

GRAD_CASES = [
    ("rot90", lambda m, x: m.rot90(x, 3)),
    ("vander", lambda m, x: m.vander(x[0] + 2.0, 4)),
    ("diagflat", lambda m, x: m.diagflat(x[:2], 1)),
    ("ediff1d", lambda m, x: m.ediff1d(x, to_begin=x[0, :1])),
    ("delete", lambda m, x: m.delete(x, np.array([1, 3]), axis=1)),
    ("delete_int", lambda m, x: m.delete(x, 0)),
    ("insert", lambda m, x: m.insert(x, np.array([0, 2]), x[:, 1:3] * 3, axis=1)),
    ("put_along_axis", lambda m, x: m.put_along_axis(
        x, np.array([[2], [0], [1]]), x[:, :1] ** 2, axis=1, inplace=False)),
    ("broadcast_arrays", lambda m, x: m.broadcast_arrays(x[:1], x[:, :1])[1]),
    ("meshgrid", lambda m, x: m.meshgrid(x[0], x[1, :2])[0] * m.meshgrid(x[0], x[1, :2])[1]),
    ("resize", lambda m, x: m.resize(x, (5, 4))),
    ("block", lambda m, x: m.block([[x, x], [x, x]])),
    ("fill_diagonal", lambda m, x: m.fill_diagonal(x, x[0, 0] * 2, inplace=False)),
    ("unstack", lambda m, x: m.unstack(x)[1]),
    ("rollaxis", lambda m, x: m.rollaxis(x, 1)),
    ("logspace", lambda m, x: m.logspace(x[0, 0], x[0, 1], 5)),
    ("geomspace", lambda m, x: m.geomspace(1.0 + x[0, 0] ** 2, 3.0 + x[0, 1] ** 2, 5)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_grads_match_jax(case):
    _, f = case
    w = None

    def loss(m):
        def inner(x):
            y = f(m, x)
            return (y * np.cos(np.arange(np.size(y)).reshape(np.shape(y)))
                    .astype(np.float32)).sum()
        return inner
    del w
    ref = jax.grad(loss(jnp))(M34)
    _same(fl.grad(loss(fnp))(M34), ref, exact=False)
    _same(np.asarray(fl.jit(fl.grad(loss(fnp)))(M34)), ref, exact=False)


def test_vmap_of_a_few():
    xs = RNG.standard_normal((3, 3, 4)).astype(np.float32)
    for f in (lambda m, x: m.rot90(x), lambda m, x: m.insert(x, 1, 0.0, axis=1),
              lambda m, x: m.delete(x, 2, axis=1), lambda m, x: m.diagflat(x[0]),
              lambda m, x: m.put_along_axis(x, np.array([[0], [1], [2]]), 1.0, axis=1,
                                            inplace=False)):
        _same(fl.vmap(lambda x: f(fnp, x))(xs), jax.vmap(lambda x: f(jnp, x))(xs))


# ----------------------------------------------------------------------------- errors

ERRORS = [
    (lambda: fnp.meshgrid(np.zeros((2, 2))), ValueError, "meshgrid.*1-D.*\\(2, 2\\)"),
    (lambda: fnp.meshgrid(np.zeros(2), indexing="xx"), ValueError, "indexing"),
    (lambda: fnp.tril_indices_from(np.zeros(3)), ValueError, "2-D.*\\(3,\\)"),
    (lambda: fnp.diag_indices_from(np.zeros((2, 3))), ValueError, "one length.*\\(2, 3\\)"),
    (lambda: fnp.rot90(np.zeros(3)), ValueError, "rot90.*\\(3,\\)"),
    (lambda: fnp.rot90(np.zeros((2, 2)), axes=(1, 1)), ValueError, "axes must differ"),
    (lambda: fnp.broadcast_shapes((2,), (3,)), ValueError, "\\(2,\\) and \\(3,\\)"),
    (lambda: fnp.broadcast_arrays(np.zeros(2), np.zeros(3)), ValueError, "broadcast"),
    (lambda: fnp.vander(np.zeros((2, 2))), ValueError, "vander.*1-D"),
    (lambda: fnp.convolve(np.zeros((2, 2)), np.zeros(2)), ValueError,
     "convolve.*1-D.*\\(2, 2\\)"),
    (lambda: fnp.correlate(np.zeros(0), np.zeros(2)), ValueError, "empty"),
    (lambda: fnp.convolve(np.zeros(3), np.zeros(2), mode="circular"), ValueError, "mode"),
    (lambda: fnp.unstack(np.float32(1)), ValueError, "unstack.*0-d"),
    (lambda: fnp.delete(np.zeros(3), 5), IndexError, "delete.*5.*size 3"),
    (lambda: fnp.delete(np.zeros(3), np.array([True])), ValueError, "shape \\(3,\\)"),
    (lambda: fnp.insert(np.zeros(3), [[1]], 0.0), ValueError, "insert.*1-D"),
    (lambda: fnp.insert(np.zeros(3), 7, 0.0), IndexError, "insert.*size 3"),
    (lambda: fl.jit(lambda i: fnp.insert(np.zeros(3), i, 0.0))(1), TypeError,
     "insert.*static"),
    (lambda: fnp.resize(np.zeros(3), (-1, 2)), ValueError, "resize.*non-negative"),
    (lambda: fnp.rollaxis(np.zeros((2, 3)), 0, 5), ValueError, "rollaxis.*start"),
    (lambda: fnp.unravel_index(np.array([1.0]), (2, 2)), TypeError, "integers.*float"),
    (lambda: fnp.ravel_multi_index((np.array([1]),), (2, 3)), ValueError, "one per"),
    (lambda: fnp.put_along_axis(np.zeros((2, 2)), np.zeros((2, 1), int), 1.0, 1),
     ValueError, "inplace=False"),
    (lambda: fnp.put_along_axis(np.zeros((2, 2)), np.zeros(2, int), 1.0, 1, inplace=False),
     ValueError, "same number of dimensions"),
    (lambda: fnp.fill_diagonal(np.zeros((2, 2)), 1.0), ValueError, "inplace=False"),
    (lambda: fnp.fill_diagonal(np.zeros((2, 3, 3)), 1.0, inplace=False), ValueError,
     "one length.*\\(2, 3, 3\\)"),
    (lambda: fnp.block([[np.zeros(2)], np.zeros(2)]), ValueError, "different depths"),
    (lambda: fnp.block((np.zeros(2),)), TypeError, "tuple"),
    (lambda: fnp.ix_(np.zeros((2, 2))), ValueError, "ix_.*\\(2, 2\\)"),
    (lambda: fnp.mgrid[np.float32(1)], TypeError, "mgrid.*slices"),
    (lambda: fnp.indices(3), TypeError, "indices.*sequence"),
]


@pytest.mark.parametrize("case", ERRORS, ids=[f"err{i}" for i in range(len(ERRORS))])
def test_errors_are_clear(case):
    f, exc, pattern = case
    with pytest.raises(exc, match=pattern):
        f()
