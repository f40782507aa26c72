"""fnp indexing: getitem / at / take against NumPy (values) and jax.numpy (dtypes), under
tracing, jit, vmap and differentiation (index, index_add, index_set primitives)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functorch_lite as fl
from functorch_lite.core import ShapedArray, aval_of, eval_jaxpr, trace_flat
from functorch_lite.numpy.indexing import at, getitem, parse_index, take
from functorch_lite.ops.reductions import reduce_sum
from functorch_lite.test_util import check_grads

RNG = np.random.default_rng(0)
X3 = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
X2 = RNG.standard_normal((5, 4))

# (array, index) pairs covering every kind of index entry and NumPy's placement rules
CASES = [
    (X3, 1),
    (X3, -1),
    (X3, (1, 2)),
    (X3, (1, 2, 3)),
    (X3, slice(None)),
    (X3, (slice(None), slice(1, None))),
    (X3, (Ellipsis, slice(None, None, -1))),
    (X3, (slice(None, None, -1), slice(2, 0, -1), slice(None, None, 2))),
    (X3, (slice(-1, None), slice(None, -1), slice(-3, -1))),
    (X3, (slice(10, 20),)),  # empty result
    (X3, (None, 0, None, Ellipsis)),
    (X3, (Ellipsis, None)),
    (X3, (Ellipsis, 1)),
    (X3, (0, Ellipsis, 1)),
    (X3, np.array([1, 0, 1])),
    (X3, [1, 0]),
    (X3, (slice(None), [2, 0, -1])),
    (X3, (slice(None), np.array([[0, 1], [2, 0]]), slice(1, 3))),
    (X3, (np.array([0, 1]), np.array([2, 0]))),
    (X3, (np.array([0, 1]), slice(None), np.array([3, 0]))),  # non-adjacent: to the front
    (X3, (0, slice(None), np.array([1, 2]))),  # an int counts as advanced
    (X3, (slice(None), 1, np.array([1, 2]))),  # adjacent int + array: stays in place
    (X3, (np.array([0, 1]), None, np.array([1, 2]))),  # None breaks adjacency
    (X3, (slice(None), np.array([0, 1]), None, np.array([1, 2]))),
    (X3, (np.array([[1], [0]]), np.array([0, 2, 1]))),  # broadcasting index arrays
    (X3, (Ellipsis, np.array([], dtype=np.int32))),
    (X3, X3[..., 0] > 5),  # boolean mask over two dims
    (X3, (slice(None), np.array([True, False, True]))),
    (X3, (Ellipsis, np.array([False, True, True, False]))),
    (X3, (np.array([True, False]), slice(None), 2)),
    (X2, (np.arange(5), np.array([0, 3, 1, 1, 2]))),  # the "pick the labels" gather
    (np.arange(5, dtype=np.int32), -2),
    (np.arange(5, dtype=np.int32), [4, -5, 0]),
    (np.array([True, False, True]), slice(None, None, -1)),
    (np.float32(3.0), ()),
    (np.float32(3.0), None),
    (np.float32(3.0), Ellipsis),
]


def _jax_idx(idx):
    """JAX refuses list indices (NumPy and fnp accept them as arrays)."""
    if isinstance(idx, list):
        return np.asarray(idx)
    if isinstance(idx, tuple):
        return tuple(np.asarray(e) if isinstance(e, list) else e for e in idx)
    return idx


@pytest.mark.parametrize("i", range(len(CASES)))
def test_getitem_matches_numpy_and_jax(i):
    x, idx = CASES[i]
    ref = np.asarray(x)[idx]
    got = getitem(x, idx)
    assert np.shape(got) == ref.shape
    assert np.asarray(got).dtype == x.dtype
    np.testing.assert_array_equal(got, ref)
    with jax.enable_x64(True):
        j = jnp.asarray(x)[_jax_idx(idx)]
    assert j.dtype == np.asarray(got).dtype
    np.testing.assert_array_equal(np.asarray(j), np.asarray(got))


@pytest.mark.parametrize("i", range(len(CASES)))
def test_getitem_traced_then_evaluated(i):
    """Trace with x and every integer index array abstract (labels under jit), then
    evaluate the jaxpr; and jit it."""
    x, idx = CASES[i]
    ref = np.asarray(x)[idx]
    spec, arrays = parse_index(np.shape(x), idx)

    def f(x, *arrs):
        return [fl.ops.indexing.index(x, list(arrs), spec)]

    avals = [aval_of(np.asarray(x))] + [aval_of(np.asarray(a)) for a in arrays]
    jaxpr, consts, _ = trace_flat(f, avals)
    assert jaxpr.outvars[0].aval.shape == ref.shape
    (out,) = eval_jaxpr(jaxpr, consts, np.asarray(x), *arrays)
    np.testing.assert_array_equal(out, ref)
    (jitted,) = fl.jit(f)(np.asarray(x), *arrays)
    assert jitted.shape == ref.shape and jitted.dtype == ref.dtype
    np.testing.assert_array_equal(np.asarray(jitted), ref)


def _index_strategy(shape):
    """Random NumPy indices (basic entries, ellipsis, None, integer arrays) for ``shape``."""
    def entry(d):
        return st.one_of(
            st.integers(-d, d - 1),
            st.builds(slice, st.none() | st.integers(-d - 1, d + 1),
                      st.none() | st.integers(-d - 1, d + 1),
                      st.none() | st.sampled_from([-3, -2, -1, 1, 2, 3])),
            st.lists(st.integers(-d, d - 1), min_size=1, max_size=3).map(np.array),
        )

    @st.composite
    def strat(draw):
        items = [draw(entry(d)) for d in shape[:draw(st.integers(0, len(shape)))]]
        if draw(st.booleans()) and items:
            items.insert(draw(st.integers(0, len(items))), None)
        if draw(st.booleans()):
            items.insert(draw(st.integers(0, len(items))), Ellipsis)
        return tuple(items)
    return strat()


@st.composite
def _array_and_index(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dt = draw(st.sampled_from([np.float32, np.float64, np.int32, np.bool_]))
    x = (RNG.standard_normal(shape) * 3).astype(dt)
    return x, draw(_index_strategy(shape))


@settings(max_examples=30, deadline=None)
@given(_array_and_index())
def test_getitem_hypothesis(case):
    x, idx = case
    try:
        ref = x[idx]
    except IndexError:
        with pytest.raises(IndexError):
            getitem(x, idx)
        return
    got = getitem(x, idx)
    assert np.asarray(got).dtype == x.dtype
    np.testing.assert_array_equal(got, ref)
    # and traced, with the index arrays as abstract inputs
    spec, arrays = parse_index(x.shape, idx)
    jaxpr, consts, _ = trace_flat(lambda x, *a: [fl.ops.indexing.index(x, list(a), spec)],
                                  [aval_of(x)] + [aval_of(a) for a in arrays])
    np.testing.assert_array_equal(eval_jaxpr(jaxpr, consts, x, *arrays)[0], ref)


def test_getitem_tracer_index_under_jit():
    x = RNG.standard_normal((6, 3)).astype(np.float32)
    labels = np.array([0, 2, 1, 1, 0, 2])
    f = lambda x, y: getitem(x, (np.arange(6), y))
    np.testing.assert_array_equal(np.asarray(fl.jit(f)(x, labels)), x[np.arange(6), labels])
    # a traced scalar integer index
    g = lambda x, i: getitem(x, i)
    np.testing.assert_array_equal(np.asarray(fl.jit(g)(x, np.int32(4))), x[4])


def test_getitem_errors():
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(IndexError, match="too many indices"):
        getitem(x, (0, 0, 0))
    with pytest.raises(IndexError, match="out of bounds"):
        getitem(x, (0, 3))
    with pytest.raises(IndexError, match="single ellipsis"):
        getitem(x, (Ellipsis, Ellipsis))
    with pytest.raises(IndexError):
        getitem(x, np.array([0, 5]))  # out of range array entry: NumPy raises eagerly
    with pytest.raises(IndexError, match="boolean index"):
        getitem(x, np.array([True, False, True]))
    with pytest.raises(IndexError, match="integer"):
        getitem(x, np.array([0.5]))
    with pytest.raises(TypeError, match="fnp.where"):
        trace_flat(lambda m, x: [getitem(x, m)],
                   [ShapedArray((2, 3), np.bool_), ShapedArray((2, 3), np.float32)])


def _traced_mask(x):
    from functorch_lite.ops import elementwise as ew
    return ew.bind(ew.gt_p, x, np.float32(0))


def test_concrete_traced_mask_under_grad():
    """Under grad on concrete values a mask computed from x is concrete: allowed (as JAX)."""
    x = np.array([1.0, -2.0, 3.0], np.float32)
    g = fl.grad(lambda x: reduce_sum(getitem(x, _traced_mask(x)), (0,)))(x)
    np.testing.assert_array_equal(g, [1.0, 0.0, 1.0])


# --------------------------------------------------------------------- .at updates

UPDATES = [
    (np.zeros(5, np.float32), np.array([0, 1, 1, 4, -1]), np.arange(5, dtype=np.float32)),
    (np.ones((4, 3)), (np.array([0, 0, 2]), slice(None)), np.float64(2.0)),
    (np.ones((4, 3)), (slice(None), np.array([2, 2])), np.ones((4, 2))),
    (np.arange(12, dtype=np.int32).reshape(4, 3), (np.array([1, 1]), np.array([0, 0])),
     np.array([5, 7], np.int32)),
    (np.ones((4, 3), np.float32), (slice(1, None, 2), 0), np.array([3.0, 4.0], np.float32)),
    (np.ones((2, 3, 4), np.float32), (np.array([0, 1, 0]), slice(None), np.array([3, 0, 3])),
     np.arange(9, dtype=np.float32).reshape(3, 3)),
    (np.ones((2, 3, 4), np.float32), (Ellipsis, None, 2), np.float32(9.0)),
]


@pytest.mark.parametrize("i", range(len(UPDATES)))
@pytest.mark.parametrize("op", ["set", "add", "multiply", "min", "max"])
def test_at_updates_match_numpy_and_jax(i, op):
    x, idx, v = UPDATES[i]
    expect = x.copy()
    if op == "set":
        if i == 0 or i == 3:  # duplicates: NumPy keeps the last, XLA any; use a unique index
            idx = np.array([0, 2, 4, 3, 1]) if i == 0 else (np.array([1, 2]), np.array([0, 1]))
        expect[idx] = v
    else:
        uf = {"add": np.add, "multiply": np.multiply, "min": np.minimum, "max": np.maximum}[op]
        uf.at(expect, idx, v)
    got = getattr(at(x)[idx], op)(v)
    assert np.asarray(got).dtype == x.dtype
    np.testing.assert_array_equal(got, expect)
    np.testing.assert_array_equal(x, UPDATES[i][0])  # the input is not mutated
    with jax.enable_x64(True):
        j = getattr(jnp.asarray(x).at[_jax_idx(idx)], op)(v)
    assert j.dtype == np.asarray(got).dtype
    np.testing.assert_allclose(np.asarray(j), np.asarray(got))
    # jitted, with the index arrays passed in as traced operands
    jitted = fl.jit(lambda x, v: getattr(at(x)[idx], op)(v))(x, v)
    np.testing.assert_array_equal(np.asarray(jitted), expect)


def test_at_add_duplicates_accumulate_and_get():
    x = np.zeros(3, np.float32)
    np.testing.assert_array_equal(at(x)[np.array([0, 0, 0, 2])].add(1.0), [3.0, 0.0, 1.0])
    np.testing.assert_array_equal(at(x)[[1, 1]].add(np.float32(2.5)), [0.0, 5.0, 0.0])
    np.testing.assert_array_equal(at(X3)[0, 1:].get(), X3[0, 1:])
    # the update is cast to x's dtype, as in JAX
    out = at(np.zeros(3, np.int32))[1].set(2.7)
    assert out.dtype == np.int32 and out[1] == 2
    with pytest.raises(TypeError, match="cannot be broadcast"):
        at(np.zeros((3, 2)))[0].set(np.ones(3))


def test_at_traced_index_and_values():
    x = np.zeros((4, 2), np.float32)
    f = lambda x, i, v: at(x)[i].add(v)
    i = np.array([3, 3, 0])
    v = np.ones((3, 2), np.float32)
    jaxpr, consts, _ = trace_flat(lambda *a: [f(*a)], [aval_of(x), aval_of(i), aval_of(v)])
    expect = x.copy()
    np.add.at(expect, i, v)
    np.testing.assert_array_equal(eval_jaxpr(jaxpr, consts, x, i, v)[0], expect)
    np.testing.assert_array_equal(np.asarray(fl.jit(f)(x, i, v)), expect)


# --------------------------------------------------------------------- take

@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_take(axis):
    a = RNG.standard_normal((3, 4)).astype(np.float32)
    ind = np.array([[0, 2], [1, -1]])
    np.testing.assert_array_equal(take(a, ind, axis=axis), np.take(a, ind, axis=axis))
    with jax.enable_x64(True):
        assert jnp.take(jnp.asarray(a), ind, axis=axis).dtype == take(a, ind, axis=axis).dtype
    np.testing.assert_array_equal(take(a, [1, 0], axis=axis), np.take(a, [1, 0], axis=axis))
    np.testing.assert_array_equal(take(a, 2, axis=axis), np.take(a, 2, axis=axis))
    jitted = fl.jit(lambda a, i: take(a, i, axis=axis))(a, ind)
    np.testing.assert_array_equal(np.asarray(jitted), np.take(a, ind, axis=axis))
    with pytest.raises(ValueError, match="out of bounds"):
        take(a, ind, axis=2)


# --------------------------------------------------------------------- differentiation

GRAD_CASES = [
    (1,),
    ((slice(None, None, -1), slice(1, 3)),),
    ((np.array([0, 0, 2, 4]), slice(None)),),  # duplicates
    ((np.array([0, 1, 1]), np.array([3, 0, 0])),),
    ((Ellipsis, None, np.array([[1, 2], [2, 2]])),),
    ((X2 > 0.0),),
]


@pytest.mark.parametrize("i", range(len(GRAD_CASES)))
def test_getitem_check_grads(i):
    (idx,) = GRAD_CASES[i]
    x = X2.copy()
    check_grads(lambda x: getitem(x, idx), (x,), order=2, modes=("fwd", "rev"))
    # against JAX
    w = RNG.standard_normal(np.shape(x[idx]))
    ours = fl.grad(lambda x: reduce_sum(fl.numpy.multiply(getitem(x, idx), w),
                                        tuple(range(w.ndim))))(x)
    with jax.enable_x64(True):
        ref = jax.grad(lambda x: jnp.sum(x[idx] * w))(x)
    np.testing.assert_allclose(ours, np.asarray(ref), rtol=1e-12)


def test_grad_of_duplicate_indices_accumulates():
    x = np.array([1.0, 2.0, 3.0], np.float32)
    g = fl.grad(lambda x: reduce_sum(getitem(x, np.array([0, 0, 0, 2])), (0,)))(x)
    np.testing.assert_array_equal(g, [3.0, 0.0, 1.0])
    assert g.dtype == np.float32


@pytest.mark.parametrize("op", ["set", "add"])
def test_at_check_grads(op):
    x = RNG.standard_normal((4, 3))
    for idx, v in [((np.array([0, 2]), slice(None)), RNG.standard_normal((2, 3))),
                   ((slice(None), 1), RNG.standard_normal(4)),
                   ((np.array([1, 1, 3]), 0), RNG.standard_normal(())),
                   ((np.array([1, 3]), 0), RNG.standard_normal((1,)))]:
        if op == "set" and idx[0] is not None and isinstance(idx[0], np.ndarray) \
                and len(set(idx[0].tolist())) < len(idx[0]):
            continue  # set with duplicates has no well-defined derivative w.r.t. v
        f = lambda x, v: getattr(at(x)[idx], op)(v)
        # (order 1 for a 0-d v: check_grads' finite differences turn it into an np.float64
        # scalar, which core.aval_of_value takes for a weak Python float; reported)
        check_grads(f, (x, v), order=2 if np.ndim(v) else 1, modes=("fwd", "rev"))
        w = RNG.standard_normal(x.shape)
        ours = fl.grad(lambda x, v: reduce_sum(fl.numpy.multiply(f(x, v), w), (0, 1)),
                       argnums=(0, 1))(x, v)
        with jax.enable_x64(True):
            ref = jax.grad(lambda x, v: jnp.sum(getattr(x.at[idx], op)(v) * w),
                           argnums=(0, 1))(x, v)
        for a, b in zip(ours, ref):
            np.testing.assert_allclose(a, np.asarray(b), rtol=1e-12)


# --------------------------------------------------------------------- vmap (batching rules)

BATCH_CASES = [
    # (index builder from per-example index arrays, x per-example shape, arrays shapes)
    (lambda a: 1, ()),
    (lambda a: (slice(None, None, -1), slice(0, 2)), ()),
    (lambda a: (a[0],), ((3,),)),
    (lambda a: (slice(None), a[0]), ((2,),)),
    (lambda a: (a[0], slice(None), 1), ((2,),)),  # non-adjacent advanced
    (lambda a: (a[0], None, a[1]), ((), (2,))),
    (lambda a: (Ellipsis, a[0]), ((2, 2),)),
]


def _batched_args(in_x, in_a, ashapes, b=3):
    xs = RNG.standard_normal((b, 4, 3, 3) if in_x else (4, 3, 3))
    arrs = [RNG.integers(-3, 3, size=((b,) + s) if in_a else s) for s in ashapes]
    return xs, arrs


@pytest.mark.parametrize("i", range(len(BATCH_CASES)))
@pytest.mark.parametrize("in_x,in_a", [(True, False), (False, True), (True, True)])
def test_vmap_getitem(i, in_x, in_a):
    build, ashapes = BATCH_CASES[i]
    if not ashapes and not in_x:
        return  # nothing is batched
    xs, arrs = _batched_args(in_x, in_a and bool(ashapes), ashapes)
    in_a = in_a and bool(ashapes)
    f = lambda x, *a: getitem(x, build(a))
    got = fl.vmap(f, in_axes=(0 if in_x else None,) + (0 if in_a else None,) * len(arrs))(
        xs, *arrs)
    ref = np.stack([np.asarray(xs[k] if in_x else xs)[build([a[k] if in_a else a for a in arrs])]
                    for k in range(3)])
    np.testing.assert_array_equal(got, ref)
    # the batched program also lowers under jit
    jitted = fl.jit(fl.vmap(f, in_axes=(0 if in_x else None,) + (0 if in_a else None,)
                            * len(arrs)))(xs, *arrs)
    np.testing.assert_allclose(np.asarray(jitted), ref)


@pytest.mark.parametrize("i", range(len(BATCH_CASES)))
@pytest.mark.parametrize("op", ["add", "set"])
@pytest.mark.parametrize("in_x,in_v,in_a", [(True, False, False), (False, True, False),
                                            (False, False, True), (True, True, True),
                                            (True, True, False)])
def test_vmap_at(i, op, in_x, in_v, in_a):
    build, ashapes = BATCH_CASES[i]
    in_a = in_a and bool(ashapes)
    if not (in_x or in_v or in_a):
        return
    xs, arrs = _batched_args(in_x, in_a, ashapes)
    if op == "set":  # duplicates make set ambiguous: use unique entries
        arrs = [np.broadcast_to(np.arange(-1, -1 - (a.shape[-1] if a.ndim else 1), -1)
                                .reshape(a.shape[-1:] if a.ndim else ()), a.shape).copy()
                for a in arrs]
    x0 = xs[0] if in_x else xs
    per_shape = np.shape(x0[build([a[0] if in_a else a for a in arrs])])
    vshape = per_shape[1:] if per_shape else ()  # broadcasting against the indexed shape
    vs = RNG.standard_normal((3,) + vshape if in_v else vshape)
    f = lambda x, v, *a: getattr(at(x)[build(a)], op)(v)
    axes = (0 if in_x else None, 0 if in_v else None) + (0 if in_a else None,) * len(arrs)
    got = fl.vmap(f, in_axes=axes)(xs, vs, *arrs)
    refs = []
    for k in range(3):
        x = np.array(xs[k] if in_x else xs)
        idx = build([a[k] if in_a else a for a in arrs])
        v = vs[k] if in_v else vs
        if op == "add":
            np.add.at(x, idx, v)
        else:
            x[idx] = v
        refs.append(x)
    np.testing.assert_allclose(got, np.stack(refs), rtol=1e-12)
    jitted = fl.jit(fl.vmap(f, in_axes=axes))(xs, vs, *arrs)
    np.testing.assert_allclose(np.asarray(jitted), np.stack(refs), rtol=1e-12)


def test_per_example_gradients_of_label_gather():
    """vmap(grad) of a softmax-like loss with integer labels: index, index_add, batched."""
    logits = RNG.standard_normal((5, 4)).astype(np.float32)
    labels = np.array([0, 3, 3, 1, 2])
    loss = lambda z, y: fl.numpy.multiply(getitem(z, y), -1.0)
    g = fl.vmap(fl.grad(loss), in_axes=(0, 0))(logits, labels)
    ref = np.zeros_like(logits)
    ref[np.arange(5), labels] = -1.0
    np.testing.assert_array_equal(g, ref)
