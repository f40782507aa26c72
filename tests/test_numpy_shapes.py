"""fnp shape functions and the shape primitives (squeeze, slice, rev, concatenate, pad,
iota): values against NumPy, dtypes and values against jax.numpy / jax.lax, under
tracing, differentiation (check_grads, jax.grad), vmap and jit."""
import jax
import jax.lax as jlax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jax.tree_util import tree_flatten

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ShapedArray, aval_of, eval_jaxpr, trace_flat
from functorch_lite.numpy import shapes as S
from functorch_lite.ops import shapes as ops
from functorch_lite.ops.reductions import reduce_sum
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3, 4)).astype(np.float32)
B = RNG.standard_normal((3, 3))
C = RNG.standard_normal((3, 5))
V = np.arange(5, dtype=np.int32)
W = RNG.standard_normal(5)
BO = RNG.standard_normal((2, 3)) > 0
Q = RNG.standard_normal((1, 3, 1))
M4 = RNG.standard_normal((4, 6))

# (id, f(module, *arrays), arrays): module is numpy, jax.numpy or fnp
CASES = [
    ("transpose", lambda m, x: m.transpose(x), [A]),
    ("transpose_axes", lambda m, x: m.transpose(x, (1, 0, 2)), [A]),
    ("transpose_neg", lambda m, x: m.transpose(x, (-1, 0, 1)), [A]),
    ("swapaxes", lambda m, x: m.swapaxes(x, 0, 2), [A]),
    ("moveaxis", lambda m, x: m.moveaxis(x, 0, -1), [A]),
    ("moveaxis_multi", lambda m, x: m.moveaxis(x, (0, 1), (2, 0)), [A]),
    ("reshape", lambda m, x: m.reshape(x, (4, -1)), [A]),
    ("reshape_int", lambda m, x: m.reshape(x, 24), [A]),
    ("reshape_F", lambda m, x: m.reshape(x, (4, 6), order="F"), [A]),
    ("ravel", lambda m, x: m.ravel(x), [B]),
    ("ravel_bool", lambda m, x: m.ravel(x), [BO]),
    ("squeeze", lambda m, x: m.squeeze(x), [Q]),
    ("squeeze_axis", lambda m, x: m.squeeze(x, axis=2), [Q]),
    ("squeeze_axes", lambda m, x: m.squeeze(x, axis=(0, -1)), [Q]),
    ("expand_dims", lambda m, x: m.expand_dims(x, (0, 3)), [B]),
    ("expand_dims_neg", lambda m, x: m.expand_dims(x, -1), [V]),
    ("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 5)), [V]),
    ("broadcast_to_f", lambda m, x: m.broadcast_to(x, (2, 1, 3, 3)), [B]),
    ("atleast_1d", lambda m, x: m.atleast_1d(x), [np.float32(2.0)]),
    ("atleast_2d", lambda m, x: m.atleast_2d(x), [W]),
    ("atleast_3d_1", lambda m, x: m.atleast_3d(x), [W]),
    ("atleast_3d_2", lambda m, x: m.atleast_3d(x), [B]),
    ("atleast_multi", lambda m, x, y: m.atleast_2d(x, y), [W, A]),
    ("concatenate", lambda m, x, y: m.concatenate([x, y], axis=1), [B, C]),
    ("concatenate_none", lambda m, x, y: m.concatenate([x, y], axis=None), [B, C]),
    ("concatenate_mixed", lambda m, x, y: m.concatenate([x, y]), [V, W]),
    ("concatenate_bool", lambda m, x: m.concatenate([x, x], -1), [BO]),
    ("concatenate_three", lambda m, x, y: m.concatenate([x, y, x], 1), [B, C]),
    ("stack", lambda m, x, y: m.stack([x, y]), [B, B]),
    ("stack_last", lambda m, x, y: m.stack([x, y], axis=-1), [W, W]),
    ("stack_mixed", lambda m, x, y: m.stack((x, y), 1), [V, W]),
    ("hstack1", lambda m, x, y: m.hstack([x, y]), [W, V]),
    ("hstack2", lambda m, x, y: m.hstack([x, y]), [B, C]),
    ("vstack", lambda m, x, y: m.vstack([x, y]), [W, W]),
    ("vstack2", lambda m, x, y: m.vstack([x, y]), [C, M4[:2, :5]]),
    ("dstack", lambda m, x, y: m.dstack([x, y]), [B, B]),
    ("dstack1", lambda m, x, y: m.dstack([x, y]), [W, W]),
    ("column_stack", lambda m, x, y, z: m.column_stack([x, y, z]), [W, W, C.T]),
    ("append", lambda m, x, y: m.append(x, y), [B, W]),
    ("append_axis", lambda m, x, y: m.append(x, y, axis=1), [B, C]),
    ("split", lambda m, x: m.split(x, 2, axis=1), [M4]),
    ("split_idx", lambda m, x: m.split(x, [1, 3, 5], axis=1), [M4]),
    ("split_neg", lambda m, x: m.split(x, [-4, -1]), [W]),
    ("array_split", lambda m, x: m.array_split(x, 4, axis=1), [C]),
    ("hsplit", lambda m, x: m.hsplit(x, 3), [M4]),
    ("hsplit1", lambda m, x: m.hsplit(x, [2]), [W]),
    ("vsplit", lambda m, x: m.vsplit(x, 2), [M4]),
    ("tile", lambda m, x: m.tile(x, 2), [W]),
    ("tile2", lambda m, x: m.tile(x, (2, 1, 3)), [B]),
    ("tile3", lambda m, x: m.tile(x, (2, 2)), [A]),
    ("repeat", lambda m, x: m.repeat(x, 2), [B]),
    ("repeat_axis", lambda m, x: m.repeat(x, 3, axis=1), [B]),
    ("repeat_list", lambda m, x: m.repeat(x, np.array([1, 0, 2]), axis=0), [B]),
    ("repeat_int", lambda m, x: m.repeat(x, 2), [V]),
    ("roll", lambda m, x: m.roll(x, 2), [B]),
    ("roll_axis", lambda m, x: m.roll(x, -1, axis=1), [A]),
    ("roll_multi", lambda m, x: m.roll(x, (1, 7), axis=(0, 2)), [A]),
    ("tril", lambda m, x: m.tril(x), [B]),
    ("tril_k", lambda m, x: m.tril(x, -1), [C]),
    ("triu", lambda m, x: m.triu(x), [A]),
    ("triu_k", lambda m, x: m.triu(x, 2), [C]),
    ("tril_bool", lambda m, x: m.tril(x), [BO]),
    ("pad_const", lambda m, x: m.pad(x, 1), [B]),
    ("pad_pairs", lambda m, x: m.pad(x, ((1, 2), (0, 3))), [C]),
    ("pad_value", lambda m, x: m.pad(x, (2, 1), constant_values=7), [V]),
    ("pad_values_axes", lambda m, x: m.pad(x, 1, constant_values=((1, 2), (3, 4))), [B]),
    ("pad_edge", lambda m, x: m.pad(x, ((2, 1), (1, 3)), mode="edge"), [C]),
    ("pad_reflect", lambda m, x: m.pad(x, ((2, 1), (4, 3)), mode="reflect"), [C]),
    ("pad_reflect_long", lambda m, x: m.pad(x, (9, 11), mode="reflect"), [W]),
    ("pad_symmetric", lambda m, x: m.pad(x, (7, 2), mode="symmetric"), [W]),
    ("pad_wrap", lambda m, x: m.pad(x, ((1, 2), (6, 12)), mode="wrap"), [C]),
    ("flip", lambda m, x: m.flip(x), [A]),
    ("flip_axis", lambda m, x: m.flip(x, (0, 2)), [A]),
    ("fliplr", lambda m, x: m.fliplr(x), [C]),
    ("flipud", lambda m, x: m.flipud(x), [W]),
    ("diag1", lambda m, x: m.diag(x), [W]),
    ("diag1_k", lambda m, x: m.diag(x, 2), [W]),
    ("diag1_negk", lambda m, x: m.diag(x, -1), [V]),
    ("diag2", lambda m, x: m.diag(x), [C]),
    ("diag2_k", lambda m, x: m.diag(x, -2), [C.T]),
    ("diagonal", lambda m, x: m.diagonal(x), [B]),
    ("diagonal_off", lambda m, x: m.diagonal(x, 1), [C]),
    ("diagonal_far", lambda m, x: m.diagonal(x, 7), [C]),
    ("diagonal_axes", lambda m, x: m.diagonal(x, -1, 2, 0), [A]),
    ("trace", lambda m, x: m.trace(x), [B]),
    ("trace_off", lambda m, x: m.trace(x, 1, 0, 2), [A]),
    ("trace_int", lambda m, x: m.trace(m.reshape(x, (1, 5))), [V]),
    ("trace_bool", lambda m, x: m.trace(x), [BO]),
]
IDS = [c[0] for c in CASES]
NO_JAX = {"split_neg"}  # jax.numpy.split rejects negative / out-of-range split points
FLOAT_CASES = [c for c in CASES if all(np.asarray(a).dtype.kind == "f" for a in c[2])]


def _flat(out):
    return tree_flatten(out)[0]


def _assert_same(got, ref, check_dtype=True):
    got, ref = _flat(got), _flat(ref)
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        g, r = np.asarray(g), np.asarray(r)
        assert g.shape == r.shape
        if check_dtype:
            assert g.dtype == r.dtype, (g.dtype, r.dtype)
        np.testing.assert_allclose(g.astype(np.float64) if g.dtype != bool else g,
                                   r.astype(np.float64) if r.dtype != bool else r,
                                   rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_eager_matches_numpy_and_jax(case):
    _, f, args = case
    got = f(fnp, *args)
    _assert_same(got, f(np, *args), check_dtype=False)
    for g in _flat(got):
        assert isinstance(g, (np.ndarray, np.generic))
    if case[0] in NO_JAX:
        return
    with jax.enable_x64(_x64(*args)):
        ref = f(jnp, *args)
        _assert_same(got, ref)


def _x64(*args) -> bool:
    """jax.numpy keeps 64-bit inputs only in x64 mode (where its default int is int64)."""
    return any(np.asarray(a).dtype.itemsize == 8 for a in args)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_under_tracing(case):
    _, f, args = case
    avals = [aval_of(a) for a in args]
    jaxpr, consts, _ = trace_flat(lambda *xs: _flat(f(fnp, *xs)), avals)
    out = eval_jaxpr(jaxpr, consts, *args)
    _assert_same(out, _flat(f(fnp, *args)))
    assert [v.aval.shape for v in jaxpr.outvars] == [np.shape(o) for o in _flat(f(np, *args))]


@pytest.mark.parametrize("case", FLOAT_CASES, ids=[c[0] for c in FLOAT_CASES])
def test_check_grads(case):
    _, f, args = case
    args = [np.asarray(a, np.float64) for a in args]
    check_grads(lambda *xs: f(fnp, *xs), args, order=2, modes=("fwd", "rev"))


def _total(x):
    return reduce_sum(x, tuple(range(len(np.shape(x)) if not hasattr(x, "aval")
                                     else x.aval.ndim)))


@pytest.mark.parametrize("name", ["pad_reflect", "diag1_k", "trace_off", "roll_multi",
                                  "repeat_list", "split_idx", "tile3", "diagonal_axes"])
def test_grad_matches_jax(name):
    _, f, args = next(c for c in CASES if c[0] == name)
    args = [np.asarray(a, np.float64) for a in args]
    outs = _flat(f(np, *args))
    weights = [RNG.standard_normal(np.shape(o)) for o in outs]

    def loss(m, total):
        def fun(*xs):
            return sum(total(o * w) for o, w in zip(_flat(f(m, *xs)), weights))
        return fun

    nums = tuple(range(len(args)))
    got = fl.grad(loss(fnp, _total), argnums=nums)(*args)
    with jax.enable_x64(True):
        ref = jax.grad(loss(jnp, jnp.sum), argnums=nums)(*args)
    for g, r in zip(got, ref):
        assert np.asarray(g).dtype == np.float64
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- hypothesis

_DTYPES = st.sampled_from([np.float32, np.float64, np.int32, np.bool_])
_shapes = st.lists(st.integers(0, 4), min_size=1, max_size=4).map(tuple)


def _rand(shape, dt):
    x = RNG.standard_normal(shape) * 3
    return (x > 0) if dt == np.bool_ else x.astype(dt)


def _jnp_check(got, f, *args):
    """Shapes and dtypes against jax.numpy (abstractly: no per-shape XLA compilation)."""
    with jax.enable_x64(_x64(*args)):
        ref = jax.eval_shape(lambda *xs: f(jnp, *xs), *args)
    got, ref = _flat(got), _flat(ref)
    assert [(np.shape(g), np.asarray(g).dtype) for g in got] == \
        [(r.shape, r.dtype) for r in ref]


@given(_shapes, _DTYPES, st.data())
def test_hyp_reshape_transpose(shape, dt, data):
    x = _rand(shape, dt)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    f = lambda m, x: m.reshape(m.transpose(x, perm), (-1,) + shape[:1][:0] + (1,))
    _assert_same(f(fnp, x), f(np, x))
    _jnp_check(f(fnp, x), f, x)
    g = lambda m, x: m.moveaxis(x, 0, -1)
    _jnp_check(g(fnp, x), g, x)


@given(_shapes, _DTYPES, st.integers(0, 3), st.integers(1, 3), st.data())
def test_hyp_concatenate_stack_split(shape, dt, axis, n, data):
    axis = axis % len(shape)
    xs = []
    for _ in range(n):
        s = list(shape)
        s[axis] = data.draw(st.integers(0, 3))
        xs.append(_rand(tuple(s), dt))
    f = lambda m, *xs: m.concatenate(xs, axis=axis)
    _assert_same(f(fnp, *xs), f(np, *xs))
    _jnp_check(f(fnp, *xs), f, *xs)
    g = lambda m, *xs: m.stack([xs[0]] * n, axis=-1 - axis)
    _jnp_check(g(fnp, *xs), g, *xs)
    k = data.draw(st.integers(1, 3))
    h = lambda m, x: m.array_split(x, k, axis=axis)
    _jnp_check(h(fnp, xs[0]), h, xs[0])


@given(_shapes, _DTYPES, st.data())
def test_hyp_tile_repeat_roll_flip(shape, dt, data):
    x = _rand(shape, dt)
    reps = tuple(data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=3)))
    r = data.draw(st.integers(0, 3))
    ax = data.draw(st.integers(-len(shape), len(shape) - 1))
    shift = data.draw(st.integers(-7, 7))
    for f in (lambda m, x: m.tile(x, reps), lambda m, x: m.repeat(x, r, axis=ax),
              lambda m, x: m.roll(x, shift, axis=ax), lambda m, x: m.roll(x, shift),
              lambda m, x: m.flip(x, ax)):
        _assert_same(f(fnp, x), f(np, x))
        _jnp_check(f(fnp, x), f, x)


@given(st.integers(0, 4), st.integers(0, 4), _DTYPES, st.integers(-5, 5))
def test_hyp_triangles_diagonals(n, m, dt, k):
    x = _rand((2, n, m), dt)
    for f in (lambda M, x: M.tril(x, k), lambda M, x: M.triu(x, k),
              lambda M, x: M.diagonal(x, k, 1, 2), lambda M, x: M.trace(x, k, 2, 1),
              lambda M, x: M.diag(x[0], k), lambda M, x: M.diag(M.ravel(x[0]), k)):
        _assert_same(f(fnp, x), f(np, x), check_dtype=False)
        _jnp_check(f(fnp, x), f, x)


@given(_shapes, _DTYPES, st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]),
       st.data())
def test_hyp_pad(shape, dt, mode, data):
    x = _rand(shape, dt)
    width = [(data.draw(st.integers(0, 5)), data.draw(st.integers(0, 5))) for _ in shape]
    if mode != "constant" and any(d == 0 and (b or a) for d, (b, a) in zip(shape, width)):
        with pytest.raises(ValueError):
            fnp.pad(x, width, mode=mode)
        return
    f = lambda m, x: m.pad(x, width, mode=mode)
    _assert_same(f(fnp, x), f(np, x))
    _jnp_check(f(fnp, x), f, x)


# ----------------------------------------------------------------------------- primitives


def _lax_check(f_ops, f_lax, *args):
    got = f_ops(*args)
    with jax.enable_x64(True):
        ref = f_lax(*args)
    assert np.asarray(got).dtype == ref.dtype
    np.testing.assert_array_equal(got, ref)
    # lowering through jit and batching through vmap
    jitted = fl.jit(f_ops)(*args)
    np.testing.assert_array_equal(np.asarray(jitted), ref)
    assert np.asarray(jitted).dtype == ref.dtype
    batched = fl.vmap(f_ops)(*[np.stack([a, a * 2]) for a in args])
    for i, s in enumerate((1, 2)):
        np.testing.assert_allclose(batched[i], f_ops(*[a * s for a in args]))


PAD_CFGS = [[(1, 2, 0), (0, 0, 1)], [(-1, 2, 1), (2, -3, 2)], [(0, -2, 0), (-1, -1, 0)],
            [(3, 0, 3), (-4, 1, 1)]]


@pytest.mark.parametrize("cfg", PAD_CFGS)
def test_pad_primitive(cfg):
    x = RNG.standard_normal((3, 4))
    _lax_check(lambda x: ops.pad(x, np.float64(0.5), cfg),
               lambda x: jlax.pad(x, np.float64(0.5), cfg), x)
    check_grads(lambda x, v: ops.pad(x, v, cfg), (x, np.float64(0.5)), order=2)


def test_pad_batched_padding_value():
    x = RNG.standard_normal((2, 3))
    v = np.array([1.0, -2.0])
    cfg = [(1, -1, 1)]
    got = fl.vmap(lambda x, v: ops.pad(x, v, cfg))(x, v)
    with jax.enable_x64(True):
        ref = jax.vmap(lambda x, v: jlax.pad(x, v, cfg))(x, v)
    np.testing.assert_allclose(got, ref)
    got = fl.vmap(lambda v: ops.pad(x[0], v, cfg))(v)
    np.testing.assert_allclose(got, np.stack([ops.pad(x[0], v[i], cfg) for i in range(2)]))


@pytest.mark.parametrize("start,limit,strides", [((0, 1), (3, 4), None),
                                                 ((1, 0), (3, 4), (2, 3)),
                                                 ((2, 2), (2, 4), (1, 1)),
                                                 ((0, 0), (3, 4), (5, 5))])
def test_slice_primitive(start, limit, strides):
    x = RNG.standard_normal((3, 4))
    _lax_check(lambda x: ops.slice(x, start, limit, strides),
               lambda x: jlax.slice(x, start, limit, strides), x)
    check_grads(lambda x: ops.slice(x, start, limit, strides), (x,), order=2)


def test_rev_squeeze_concatenate_primitives():
    x = RNG.standard_normal((3, 1, 4))
    y = RNG.standard_normal((3, 2, 4))
    _lax_check(lambda x: ops.rev(x, (0, 2)), lambda x: jlax.rev(x, (0, 2)), x)
    _lax_check(lambda x: ops.squeeze(x, (1,)), lambda x: jlax.squeeze(x, (1,)), x)
    _lax_check(lambda x: ops.expand_dims(x, (0, 3)), lambda x: jlax.expand_dims(x, (0, 3)), x)
    _lax_check(lambda x, y: ops.concatenate([x, y, x], 1),
               lambda x, y: jlax.concatenate([x, y, x], 1), x, y)
    for f in (lambda x: ops.rev(x, (0, 2)), lambda x: ops.squeeze(x, (1,))):
        check_grads(f, (x,), order=2)
    check_grads(lambda x, y: ops.concatenate([x, y, x], 1), (x, y), order=2)


def test_concatenate_vmap_with_unbatched_operand():
    x = RNG.standard_normal((4, 3))
    y = RNG.standard_normal((2,))
    got = fl.vmap(lambda x: fnp.concatenate([x, y]))(x)
    np.testing.assert_allclose(got, np.concatenate([x, np.broadcast_to(y, (4, 2))], 1))
    ys = RNG.standard_normal((5, 1))
    got = fl.vmap(lambda y: fnp.concatenate([x, fnp.broadcast_to(y, (4, 1))], 1))(ys)
    assert got.shape == (5, 4, 4)
    np.testing.assert_allclose(got[:, :, 3], np.broadcast_to(ys, (5, 4)))


def test_iota():
    got = ops.broadcasted_iota(np.float32, (2, 3), 1)
    np.testing.assert_array_equal(got, jlax.broadcasted_iota(jnp.float32, (2, 3), 1))
    assert got.dtype == np.float32 and got.flags.writeable
    assert ops.iota(np.int32, 4).tolist() == [0, 1, 2, 3]
    # no operands: a constant even inside a trace
    jaxpr, consts, _ = trace_flat(lambda x: [ops.iota(np.int32, 3)], [ShapedArray((), np.float32)])
    assert eval_jaxpr(jaxpr, consts, 1.0)[0].tolist() == [0, 1, 2]


def test_shape_ndim_size():
    assert S.shape([[1, 2, 3]]) == (1, 3)
    assert S.ndim(3.0) == 0
    assert S.size(A) == 24 and S.size(A, -1) == 4
    jaxpr, _, _ = trace_flat(lambda x: [np.float32(S.size(x) + S.ndim(x))],
                             [ShapedArray((2, 3), np.float32)])
    assert fnp.shape is S.shape


def test_fnp_exports():
    for name in S.__all__:
        assert getattr(fnp, name) is getattr(S, name)


def test_vmap_and_jit_of_fnp_functions():
    x = RNG.standard_normal((3, 4, 4))
    funcs = [lambda m, x: m.diagonal(x, 1), lambda m, x: m.tril(x, -1),
             lambda m, x: m.pad(x, ((1, 0), (0, 2)), mode="reflect"),
             lambda m, x: m.roll(m.flip(x, 0), 3), lambda m, x: m.stack(m.split(x, 2, 1), 0),
             lambda m, x: m.diag(m.diagonal(x)), lambda m, x: m.repeat(x, 2, axis=0)]
    for f in funcs:
        got = fl.vmap(lambda x: f(fnp, x))(x)
        ref = np.stack([f(np, xi) for xi in x])
        np.testing.assert_allclose(got, ref)
        got = fl.jit(lambda x: f(fnp, x))(x[0])
        np.testing.assert_allclose(np.asarray(got), f(np, x[0]))
        assert np.asarray(got).dtype == np.float64


def test_moveaxis_out_axes_in_vmap():
    x = RNG.standard_normal((3, 4))
    got = fl.vmap(lambda r: r * 2.0, out_axes=1)(x)
    np.testing.assert_allclose(got, (x * 2).T)


# ----------------------------------------------------------------------------- errors

def test_errors():
    with pytest.raises(TypeError, match=r"reshape.*\(2, 3\).*\(4,\)"):
        fnp.reshape(np.zeros((2, 3)), (4,))
    with pytest.raises(TypeError, match="reshape"):
        fnp.reshape(np.zeros((2, 3)), (4, -1))
    with pytest.raises(ValueError, match="one unknown"):
        fnp.reshape(np.zeros((2, 3)), (-1, -1))
    with pytest.raises(TypeError, match=r"concatenate: operand 2 has shape \(2, 4\).*\(2, 3\)"):
        fnp.concatenate([np.zeros((2, 3)), np.zeros((5, 3)), np.zeros((2, 4))], axis=0)
    with pytest.raises(TypeError, match="concatenate: operand 1"):
        fnp.concatenate([np.zeros((2, 3)), np.zeros(3)])
    with pytest.raises(ValueError, match="zero-dimensional"):
        fnp.concatenate([1.0, 2.0])
    with pytest.raises(ValueError, match="stack: .*operand 1"):
        fnp.stack([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="equal division"):
        fnp.split(np.zeros(5), 2)
    with pytest.raises(ValueError, match="squeeze"):
        fnp.squeeze(np.zeros((2, 3)), 0)
    with pytest.raises(ValueError, match="broadcast_to"):
        fnp.broadcast_to(np.zeros(3), (2, 4))
    with pytest.raises(ValueError, match="axis 3 is out of bounds"):
        fnp.moveaxis(np.zeros((2, 3)), 3, 0)
    with pytest.raises(TypeError, match="slice: bounds"):
        ops.slice(np.zeros(3), (2,), (1,))
    with pytest.raises(TypeError, match="pad: padding_config"):
        ops.pad(np.zeros(3), np.float64(0), [(-3, -1, 0)])
    with pytest.raises(TypeError, match="concatenate: operand 1 has dtype"):
        ops.concatenate([np.zeros(3), np.zeros(3, np.float32)], 0)
    # errors surface at trace time too
    with pytest.raises(TypeError, match="concatenate: operand 1"):
        trace_flat(lambda x: [fnp.concatenate([x, fnp.zeros((2, 2))], 0)],
                   [ShapedArray((3, 3), np.float32)])


JAC_FUNCS = [lambda m, x: m.pad(x, ((1, 2), (3, 0)), mode="reflect"),
             lambda m, x: m.diagonal(m.roll(x, 1, 0), -1),
             lambda m, x: m.concatenate([m.tril(x), m.flip(x, 1)], 1),
             lambda m, x: m.stack(m.array_split(m.ravel(x), 3)[1:]),
             lambda m, x: m.multiply(m.pad(x, 2, constant_values=3.0), m.pad(x, 2))]


@pytest.mark.parametrize("i", range(len(JAC_FUNCS)))
def test_jacobians_and_jit_of_grad_match_jax(i):
    f = JAC_FUNCS[i]
    x = RNG.standard_normal((4, 4))
    with jax.enable_x64(True):
        ref_jac = jax.jit(jax.jacfwd(lambda x: f(jnp, x)))(x)
        ref_h = jax.jit(jax.hessian(lambda x: jnp.sum(f(jnp, x) ** 3)))(x)
        ref_g = jax.jit(jax.grad(lambda x: jnp.sum(f(jnp, x) ** 3)))(x)
    np.testing.assert_allclose(fl.jacfwd(lambda x: f(fnp, x))(x), ref_jac, atol=1e-12)
    np.testing.assert_allclose(fl.jacrev(lambda x: f(fnp, x))(x), ref_jac, atol=1e-12)

    def cube_sum(x):
        y = f(fnp, x)
        return _total(fnp.multiply(fnp.multiply(y, y), y))
    np.testing.assert_allclose(fl.hessian(cube_sum)(x), ref_h, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.asarray(fl.jit(fl.grad(cube_sum))(x)), ref_g, rtol=1e-12)
