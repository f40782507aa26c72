"""dot_general and the fnp products (dot matmul vdot inner outer tensordot kron cross einsum)
against NumPy (values) and jax (dtypes, dot_general itself), under tracing, jit, vmap and
differentiation."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import aval_of, eval_jaxpr, trace_flat
from functorch_lite.numpy import linalg as L
from functorch_lite.numpy.indexing import getitem
from functorch_lite.ops.linalg import dot_general
from functorch_lite.ops.reductions import reduce_sum
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(0)


def rand(shape, dt=np.float64):
    if np.dtype(dt) == np.bool_:
        return RNG.integers(0, 2, size=shape).astype(bool)
    if np.issubdtype(dt, np.integer):
        return RNG.integers(-4, 5, size=shape).astype(dt)
    return RNG.standard_normal(shape).astype(dt)


def traced(f, *args):
    """Trace ``f`` abstractly, evaluate the jaxpr; return its single output."""
    jaxpr, consts, _ = trace_flat(lambda *a: [f(*a)], [aval_of(a) for a in args])
    out = eval_jaxpr(jaxpr, consts, *args)[0]
    assert jaxpr.outvars[0].aval.shape == np.shape(out)
    assert jaxpr.outvars[0].aval.dtype == np.asarray(out).dtype
    return out


def tol(dt):
    return dict(rtol=1e-4, atol=1e-4) if np.dtype(dt) == np.float32 else dict(rtol=1e-10)


# --------------------------------------------------------------------- dot_general

DG_CASES = [
    ((3, 4), (4, 5), (((1,), (0,)), ((), ()))),
    ((4, 3), (4, 5), (((0,), (0,)), ((), ()))),
    ((3, 4), (5, 4), (((1,), (1,)), ((), ()))),
    ((4, 3), (5, 4), (((0,), (1,)), ((), ()))),
    ((4,), (4,), (((0,), (0,)), ((), ()))),
    ((3,), (4,), (((), ()), ((), ()))),  # outer product
    ((2, 3, 4), (2, 4, 5), (((2,), (1,)), ((0,), (0,)))),
    ((3, 2, 4), (4, 5, 2), (((2,), (0,)), ((1,), (2,)))),
    ((2, 3, 4, 5), (5, 4, 6), (((2, 3), (1, 0)), ((), ()))),
    ((2, 3, 4, 5), (3, 5, 2, 7), (((3,), (1,)), ((1, 0), (0, 2)))),
    ((2, 3), (3, 2), (((), ()), ((0, 1), (1, 0)))),  # batch only: elementwise product
    ((0, 3), (3, 2), (((1,), (0,)), ((), ()))),  # empty
]


@pytest.mark.parametrize("i", range(len(DG_CASES)))
@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int32, np.bool_])
def test_dot_general_matches_jax(i, dt):
    sa, sb, dims = DG_CASES[i]
    a, b = rand(sa, dt), rand(sb, dt)
    got = dot_general(a, b, dims)
    with jax.enable_x64(True):
        ref = jax.lax.dot_general(a, b, dims)
    assert np.asarray(got).dtype == ref.dtype
    np.testing.assert_allclose(np.asarray(got), np.asarray(ref), **tol(dt))
    t = traced(lambda a, b: dot_general(a, b, dims), a, b)
    np.testing.assert_allclose(t, np.asarray(ref), **tol(dt))
    j = fl.jit(lambda a, b: dot_general(a, b, dims))(a, b)
    assert j.dtype == ref.dtype
    np.testing.assert_allclose(np.asarray(j), np.asarray(ref), **tol(dt))


def test_dot_general_preferred_element_type():
    a, b = rand((3, 4), np.float16), rand((4, 2), np.float16)
    got = dot_general(a, b, (((1,), (0,)), ((), ())), preferred_element_type=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, a.astype(np.float32) @ b.astype(np.float32), rtol=1e-6)
    ai, bi = rand((3, 4), np.int8), rand((4, 2), np.int8)
    got = dot_general(ai, bi, (((1,), (0,)), ((), ())), preferred_element_type=np.int32)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, ai.astype(np.int32) @ bi.astype(np.int32))
    # gradients come back in the operands' dtype
    ga, gb = fl.grad(lambda a, b: reduce_sum(dot_general(
        a, b, (((1,), (0,)), ((), ())), preferred_element_type=np.float32), (0, 1)),
        argnums=(0, 1))(a, b)
    assert ga.dtype == np.float16 and gb.dtype == np.float16
    np.testing.assert_allclose(ga, np.ones((3, 2)) @ b.T.astype(np.float32), rtol=1e-2)


def test_dot_general_errors():
    with pytest.raises(TypeError, match=r"dot_general.*\(3, 4\).*\(5, 2\)"):
        dot_general(np.ones((3, 4)), np.ones((5, 2)), (((1,), (0,)), ((), ())))
    with pytest.raises(TypeError, match="dot_general"):
        trace_flat(lambda a, b: [dot_general(a, b, (((1,), (0,)), ((), ())))],
                   [aval_of(np.ones((3, 4))), aval_of(np.ones((5, 2)))])
    with pytest.raises(TypeError, match="batch dimension"):
        dot_general(np.ones((2, 3)), np.ones((3, 3)), (((1,), (0,)), ((0,), (1,))))
    with pytest.raises(TypeError, match="out of range"):
        dot_general(np.ones((2, 3)), np.ones((3,)), (((2,), (0,)), ((), ())))
    with pytest.raises(TypeError, match="one dtype"):
        trace_flat(lambda a, b: [dot_general(a, b, (((0,), (0,)), ((), ())))],
                   [aval_of(np.ones(3, np.float32)), aval_of(np.ones(3))])


@pytest.mark.parametrize("i", range(len(DG_CASES) - 1))
def test_dot_general_grads(i):
    sa, sb, dims = DG_CASES[i]
    a, b = rand(sa), rand(sb)
    f = lambda a, b: dot_general(a, b, dims)
    check_grads(f, (a, b), order=2, modes=("fwd", "rev"))
    w = rand(np.shape(f(a, b)))
    loss = lambda a, b: reduce_sum(fl.numpy.multiply(f(a, b), w), tuple(range(w.ndim)))
    ours = fl.grad(loss, argnums=(0, 1))(a, b)
    with jax.enable_x64(True):
        ref = jax.grad(lambda a, b: jnp.sum(jax.lax.dot_general(a, b, dims) * w),
                       argnums=(0, 1))(a, b)
    for x, y in zip(ours, ref):
        assert x.shape == y.shape
        np.testing.assert_allclose(x, np.asarray(y), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("i", [0, 1, 3, 6, 7, 9])
@pytest.mark.parametrize("axes", [(0, None), (None, 0), (0, 0), (1, 0), (None, 1), (1, 1)])
def test_dot_general_vmap(i, axes):
    sa, sb, dims = DG_CASES[i]
    B = 3
    a = rand(sa[:axes[0]] + (B,) + sa[axes[0]:]) if axes[0] is not None else rand(sa)
    b = rand(sb[:axes[1]] + (B,) + sb[axes[1]:]) if axes[1] is not None else rand(sb)
    f = lambda a, b: dot_general(a, b, dims)
    got = fl.vmap(f, in_axes=axes)(a, b)
    take = lambda x, ax, k: x if ax is None else np.take(x, k, axis=ax)
    ref = np.stack([f(take(a, axes[0], k), take(b, axes[1], k)) for k in range(B)])
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    with jax.enable_x64(True):
        jref = jax.vmap(lambda a, b: jax.lax.dot_general(a, b, dims), in_axes=axes)(a, b)
    np.testing.assert_allclose(got, np.asarray(jref), rtol=1e-10)


# --------------------------------------------------------------------- fnp products

DTYPE_PAIRS = [(np.float32, np.float32), (np.float64, np.float64), (np.int32, np.int32),
               (np.int32, np.float32), (np.float32, np.float64), (np.bool_, np.bool_),
               (np.int8, np.int32)]

PRODUCTS = [
    ("matmul", (3, 4), (4, 5), {}),
    ("matmul", (4,), (4, 5), {}),
    ("matmul", (3, 4), (4,), {}),
    ("matmul", (4,), (4,), {}),
    ("matmul", (2, 3, 4), (4, 5), {}),
    ("matmul", (4,), (2, 4, 5), {}),
    ("matmul", (2, 1, 3, 4), (5, 4, 2), {}),
    ("dot", (3, 4), (4, 5), {}),
    ("dot", (2, 3, 4), (5, 4, 2), {}),
    ("dot", (4,), (4,), {}),
    ("dot", (), (3, 2), {}),
    ("vdot", (2, 3), (3, 2), {}),
    ("inner", (2, 3), (4, 3), {}),
    ("inner", (3,), (3,), {}),
    ("inner", (), (3,), {}),
    ("outer", (3,), (2, 2), {}),
    ("tensordot", (2, 3, 4), (3, 4, 5), {}),
    ("tensordot", (2, 3, 4), (4, 3, 5), {"axes": ((1, 2), (1, 0))}),
    ("tensordot", (2, 3), (3, 4), {"axes": 1}),
    ("tensordot", (2, 3), (4, 5), {"axes": 0}),
    ("tensordot", (2, 3), (4, 2), {"axes": (0, -1)}),
    ("kron", (2, 3), (3, 2), {}),
    ("kron", (2,), (2, 3), {}),
    ("cross", (3,), (3,), {}),
    ("cross", (4, 3), (3,), {}),
    ("cross", (3, 4), (4, 3), {"axisa": 0}),
    ("cross", (3, 4), (4, 3), {"axisa": 0, "axisc": 0}),
    ("cross", (4, 2), (4, 3), {}),
    ("cross", (4, 3), (4, 2), {}),
    ("cross", (2,), (2,), {}),
]


@pytest.mark.parametrize("i", range(len(PRODUCTS)))
@pytest.mark.parametrize("dts", DTYPE_PAIRS)
def test_products_match_numpy_and_jax(i, dts):
    name, sa, sb, kw = PRODUCTS[i]
    if name in ("cross", "kron") and np.bool_ in dts:
        return  # NumPy and JAX reject boolean subtraction; jnp.kron rejects booleans
    a, b = rand(sa, dts[0]), rand(sb, dts[1])
    with jax.enable_x64(True):
        ref = getattr(jnp, name)(a, b, **kw)
    got = getattr(L, name)(a, b, **kw)
    assert np.asarray(got).dtype == ref.dtype, (name, dts)
    assert np.shape(got) == ref.shape
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # np.cross of 2-vectors
        np_ref = getattr(np, name)(a.astype(ref.dtype), b.astype(ref.dtype), **kw)
    np.testing.assert_allclose(np.asarray(got), np_ref, **tol(ref.dtype))
    np.testing.assert_allclose(traced(lambda a, b: getattr(L, name)(a, b, **kw), a, b), np_ref,
                               **tol(ref.dtype))
    if dts in DTYPE_PAIRS[:4]:  # jit compiles are slow: a few dtype pairs suffice
        j = fl.jit(lambda a, b: getattr(L, name)(a, b, **kw))(a, b)
        assert j.dtype == ref.dtype
        np.testing.assert_allclose(np.asarray(j), np_ref, **tol(ref.dtype))


def test_python_scalars_and_lists():
    x = np.ones((2, 2), np.float32)
    assert L.dot(x, 2.0).dtype == np.float32  # weak scalar keeps float32
    assert L.dot(2, x).dtype == np.float32
    np.testing.assert_array_equal(L.matmul([[1, 2], [3, 4]], [1, 1]), [3, 7])
    assert L.matmul([[1, 2], [3, 4]], [1, 1]).dtype == jnp.matmul(
        jnp.array([[1, 2], [3, 4]]), jnp.array([1, 1])).dtype


def test_matmul_errors_name_matmul_and_shapes():
    with pytest.raises(TypeError, match=r"matmul.*\(2, 3\).*\(4, 5\)"):
        L.matmul(np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(TypeError, match=r"matmul.*\(2, 3\).*\(4,\)"):
        L.matmul(np.ones((2, 3)), np.ones(4))
    with pytest.raises(TypeError, match="matmul"):
        trace_flat(lambda a, b: [L.matmul(a, b)], [aval_of(np.ones((2, 3))),
                                                    aval_of(np.ones((4, 5)))])
    with pytest.raises(TypeError, match="at least 1-dimensional"):
        L.matmul(np.ones(3), 2.0)
    with pytest.raises(TypeError, match="batch dimensions"):
        L.matmul(np.ones((2, 3, 4)), np.ones((3, 4, 5)))
    with pytest.raises(TypeError, match=r"tensordot.*\(2, 3\).*\(4, 5\)"):
        L.tensordot(np.ones((2, 3)), np.ones((4, 5)), axes=1)
    with pytest.raises(ValueError, match="cross"):
        L.cross(np.ones(4), np.ones(3))


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_matmul_hypothesis(data):
    k = data.draw(st.integers(1, 4))
    batch = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2)))
    ba = tuple(d if data.draw(st.booleans()) else 1 for d in batch)
    bb = tuple(d if data.draw(st.booleans()) else 1 for d in batch)
    ba = ba[data.draw(st.integers(0, len(ba))):]
    sa = ba + ((data.draw(st.integers(1, 3)),) if data.draw(st.booleans()) else ()) + (k,)
    sb = bb + (k,) + ((data.draw(st.integers(1, 3)),) if data.draw(st.booleans()) else ())
    if bb and len(sb) == len(bb) + 1:
        sb = sb + (data.draw(st.integers(1, 3)),)
    dt = data.draw(st.sampled_from([np.float32, np.float64, np.int32]))
    a, b = rand(sa, dt), rand(sb, dt)
    ref = np.matmul(a, b)
    got = L.matmul(a, b)
    assert np.asarray(got).dtype == ref.dtype
    np.testing.assert_allclose(got, ref, **tol(dt))
    np.testing.assert_allclose(traced(L.matmul, a, b), ref, **tol(dt))


# --------------------------------------------------------------------- einsum

EINSUMS = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ij,kj->ik", [(3, 4), (5, 4)]),
    ("ji,jk->ki", [(4, 3), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bij,jk->bik", [(2, 3, 4), (4, 5)]),
    ("bij,bkj->bki", [(2, 3, 4), (2, 5, 4)]),
    ("i,i->", [(4,), (4,)]),
    ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j->ji", [(3,), (4,)]),
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("ij", [(3, 4)]),
    ("ba", [(3, 4)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iji->ij", [(3, 2, 3)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,jk->...ik", [(2, 2, 3, 4), (4, 5)]),
    ("...i,...i->...", [(2, 3), (1, 3)]),
    ("i...->...", [(3, 2, 2)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 5)]),
    ("ab,bc,ca->", [(2, 3), (3, 4), (4, 2)]),
    ("i,i,i->i", [(3,), (3,), (3,)]),
    ("ij,jk->ik", [(1, 4), (4, 5)]),
    ("bi,bi->b", [(3, 4), (1, 4)]),  # size-1 broadcasting of a shared label
    ("aB,Bc->ac", [(2, 3), (3, 4)]),
]


@pytest.mark.parametrize("i", range(len(EINSUMS)))
@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int32])
def test_einsum_matches_numpy_and_jax(i, dt):
    sub, shapes = EINSUMS[i]
    ops = [rand(s, dt) for s in shapes]
    ref = np.einsum(sub, *ops)
    got = L.einsum(sub, *ops)
    with jax.enable_x64(True):
        jref = jnp.einsum(sub, *ops)
    assert np.asarray(got).dtype == jref.dtype
    assert np.shape(got) == ref.shape
    np.testing.assert_allclose(np.asarray(got), ref, **tol(dt))
    np.testing.assert_allclose(traced(lambda *a: L.einsum(sub, *a), *ops), ref, **tol(dt))
    j = fl.jit(lambda *a: L.einsum(sub, *a))(*ops)
    np.testing.assert_allclose(np.asarray(j), ref, **tol(dt))


def test_einsum_mixed_dtypes_and_preferred():
    a, b = rand((2, 3), np.int32), rand((3, 2), np.float32)
    with jax.enable_x64(True):
        assert L.einsum("ij,jk", a, b).dtype == jnp.einsum("ij,jk", a, b).dtype
    got = L.einsum("ij,jk", a, a.T.copy(), preferred_element_type=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, (a @ a.T).astype(np.float32))


def test_einsum_errors():
    with pytest.raises(ValueError, match="operands"):
        L.einsum("ij,jk", np.ones((2, 2)))
    with pytest.raises(ValueError, match="names 2 dimensions"):
        L.einsum("ij", np.ones(3))
    with pytest.raises(ValueError, match="does not appear"):
        L.einsum("ij->k", np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"'\.\.\.'"):
        L.einsum("...i->i", np.ones((2, 2)))
    with pytest.raises(ValueError, match="sizes"):
        L.einsum("ij,jk", np.ones((2, 3)), np.ones((2, 3)))


@pytest.mark.parametrize("sub,shapes", [EINSUMS[k] for k in (0, 4, 6, 9, 13, 16, 18, 21,
                                                               24, 27, 31)])
def test_einsum_grads(sub, shapes):
    ops = [rand(s) for s in shapes]
    f = lambda *a: L.einsum(sub, *a)
    check_grads(f, ops, order=2, modes=("fwd", "rev"))
    w = rand(np.shape(f(*ops)))
    argn = tuple(range(len(ops)))
    ours = fl.grad(lambda *a: reduce_sum(fl.numpy.multiply(f(*a), w), tuple(range(w.ndim))),
                   argnums=argn)(*ops)
    with jax.enable_x64(True):
        ref = jax.grad(lambda *a: jnp.sum(jnp.einsum(sub, *a) * w), argnums=argn)(*ops)
    for x, y in zip(ours, ref):
        np.testing.assert_allclose(x, np.asarray(y), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name,sa,sb,kw", [PRODUCTS[k] for k in (0, 1, 2, 4, 6, 8, 12, 15,
                                                                  17, 21, 23, 27)])
def test_product_grads(name, sa, sb, kw):
    a, b = rand(sa), rand(sb)
    check_grads(lambda a, b: getattr(L, name)(a, b, **kw), (a, b), order=2)


def test_mlp_matmul_grad_and_vmap():
    """The hot op: x @ W in a two-layer net, grads vs JAX, per-example grads via vmap."""
    x = rand((8, 5), np.float32)
    W1, W2 = rand((5, 6), np.float32), rand((6, 2), np.float32)

    def loss(np_, W1, W2, x):
        h = np_.tanh(np_.matmul(x, W1))
        return np_.sum(np_.matmul(h, W2) ** 2) if np_ is jnp else \
            reduce_sum(fl.numpy.multiply(np_.matmul(h, W2), np_.matmul(h, W2)), (0, 1))

    class F:  # the fnp functions this test needs, from the modules that exist now
        tanh = staticmethod(fl.numpy.tanh)
        matmul = staticmethod(L.matmul)

    ours = fl.grad(lambda a, b: loss(F, a, b, x), argnums=(0, 1))(W1, W2)
    ref = jax.grad(lambda a, b: loss(jnp, a, b, x), argnums=(0, 1))(W1, W2)
    for o, r in zip(ours, ref):
        assert o.dtype == np.float32
        np.testing.assert_allclose(o, np.asarray(r), rtol=2e-5, atol=2e-5)
    per = fl.vmap(fl.grad(lambda a, xi: loss(F, a, W2, getitem(xi, None))),
                  in_axes=(None, 0))(W1, x)
    jper = jax.vmap(jax.grad(lambda a, xi: loss(jnp, a, W2, xi[None])), in_axes=(None, 0))(W1, x)
    np.testing.assert_allclose(per, np.asarray(jper), rtol=2e-5, atol=2e-5)


# ----------------------------------------------------------------------------- norm

_NV = np.array([3.0, -4.0, 1.5, 0.5], np.float32)
_NM = np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -1.5]], np.float32)
_NT = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.5


@pytest.mark.parametrize("x,kw", [
    (_NV, {}), (_NV, {"ord": 1}), (_NV, {"ord": np.inf}), (_NV, {"ord": -np.inf}),
    (_NV, {"ord": 0}), (_NV, {"ord": 3}), (_NV, {"ord": 0.5}), (_NV, {"keepdims": True}),
    (_NM, {}), (_NM, {"ord": "fro"}), (_NM, {"ord": 1}), (_NM, {"ord": -1}),
    (_NM, {"ord": np.inf}), (_NM, {"ord": -np.inf}), (_NM, {"axis": 1}),
    (_NM, {"axis": 0, "ord": 1}), (_NM, {"ord": 1, "keepdims": True}),
    (_NT, {"axis": (0, 2)}), (_NT, {"axis": (2, 1), "ord": np.inf}), (_NT, {"axis": -1}),
    (_NT, {"keepdims": True}), (np.arange(5, dtype=np.int32), {}),
])
def test_norm_matches_jax(x, kw):
    got = fnp.linalg.norm(x, **kw)
    want = np.asarray(jnp.linalg.norm(x, **kw))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(fl.jit(lambda v: fnp.linalg.norm(v, **kw))(x), want, rtol=1e-6)


@pytest.mark.parametrize("kw", [{}, {"ord": 3, "axis": 1}, {"axis": 1}, {"ord": "fro"}])
def test_norm_gradients_match_jax(kw):
    x = _NM + 0.25  # away from the kinks of abs/max
    np.testing.assert_allclose(fl.grad(lambda v: fnp.sum(fnp.linalg.norm(v, **kw)))(x),
                               jax.grad(lambda v: jnp.sum(jnp.linalg.norm(v, **kw)))(x),
                               rtol=1e-5)
    np.testing.assert_allclose(fl.vmap(lambda v: fnp.linalg.norm(v))(x),
                               jax.vmap(lambda v: jnp.linalg.norm(v))(x), rtol=1e-6)


def test_norm_svd_orders_and_invalid_orders():
    for o in (2, -2, "nuc"):  # from the singular values (tests/test_linalg_decomp.py)
        np.testing.assert_allclose(fnp.linalg.norm(_NM, ord=o), jnp.linalg.norm(_NM, ord=o),
                                   rtol=1e-5)
    with pytest.raises(ValueError, match="invalid order 3 for a matrix norm"):
        fnp.linalg.norm(_NM, ord=3)  # as jnp: ValueError
