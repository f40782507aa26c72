"""Top-level JAX names: fl.tree, device queries, fl.Array, fl.typeof, fl.dtypes,
fl.linear_transpose, fl.ensure_compile_time_eval, fl.named_call, fl.closure_convert and
fl.custom_gradient — against jax 0.10 as the oracle."""
import collections
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

RNG = np.random.default_rng(0)


def _f32(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _same_tree(out, ref, rtol=1e-5, atol=1e-5):
    assert jax.tree.structure(out) == jax.tree.structure(ref), (out, ref)
    for o, r in zip(jax.tree.leaves(out), jax.tree.leaves(ref)):
        assert np.shape(o) == np.shape(r)
        assert np.asarray(o).dtype == np.asarray(r).dtype, (o, r)
        np.testing.assert_allclose(np.asarray(o), np.asarray(r), rtol=rtol, atol=atol)


# ----------------------------------------------------------------------------- fl.tree

Point = collections.namedtuple("Point", "x y")
TREE = {"a": [1.0, (2.0, None)], "b": Point(3.0, {"c": 4.0}), "d": ()}
TREE2 = {"a": [10.0, (20.0, None)], "b": Point(30.0, {"c": 40.0}), "d": ()}


@pytest.mark.parametrize("name", ["all", "broadcast", "flatten", "flatten_with_path", "leaves",
                                  "leaves_with_path", "map", "map_with_path", "reduce",
                                  "reduce_associative", "static", "structure", "transpose",
                                  "unflatten"])
def test_tree_module_reexports_jax_tree(name):
    assert getattr(fl.tree, name) is getattr(jax.tree, name)
    assert name in fl.tree.__all__


def test_tree_functions_on_nested_containers():
    assert fl.tree.leaves(TREE) == jax.tree.leaves(TREE) == [1.0, 2.0, 3.0, 4.0]
    assert fl.tree.structure(TREE) == jax.tree.structure(TREE)
    leaves, treedef = fl.tree.flatten(TREE)
    assert fl.tree.unflatten(treedef, leaves) == TREE
    assert fl.tree.map(lambda a, b: a + b, TREE, TREE2) == jax.tree.map(
        lambda a, b: a + b, TREE, TREE2)
    assert fl.tree.reduce(lambda a, b: a + b, TREE) == 10.0
    assert fl.tree.reduce(lambda a, b: a * b, TREE, 2.0) == 48.0
    assert fl.tree.all(TREE) and not fl.tree.all({"a": 1, "b": 0})
    paths = fl.tree.map_with_path(lambda p, v: jax.tree_util.keystr(p), TREE)
    assert paths == jax.tree.map_with_path(lambda p, v: jax.tree_util.keystr(p), TREE)
    assert paths["b"].y["c"] == "['b'].y['c']"
    assert [jax.tree_util.keystr(p) for p, _ in fl.tree.leaves_with_path(TREE)][:2] == [
        "['a'][0]", "['a'][1][0]"]
    outer, inner = fl.tree.structure([0, 0]), fl.tree.structure((0, 0, 0))
    pairs = [(1, 2, 3), (4, 5, 6)]
    assert fl.tree.transpose(outer, inner, pairs) == ([1, 4], [2, 5], [3, 6])
    assert fl.tree.broadcast(1, [0, (0, 0)]) == [1, (1, 1)]


def test_tree_works_on_library_results():
    params = [{"W": _f32(2, 3), "b": _f32(3)}, {"W": _f32(3, 1), "b": _f32(1)}]
    grads = fl.grad(lambda p, x: fl.nn.mlp(p, x).sum())(params, _f32(4, 2))
    assert fl.tree.structure(grads) == fl.tree.structure(params)
    new = fl.tree.map(lambda p, g: p - 0.1 * g, params, grads)
    assert [w.shape for w in fl.tree.leaves(new)] == [(2, 3), (3,), (3, 1), (1,)]


def test_deprecated_top_level_tree_aliases_follow_jax():
    # jax 0.10 removed jax.tree_map & co. from the top level; so does fl
    for name in ["tree_map", "tree_leaves", "tree_flatten", "tree_unflatten",
                 "tree_structure", "tree_reduce", "tree_transpose"]:
        assert hasattr(fl, name) == hasattr(jax, name)


# ----------------------------------------------------------------------------- devices

def test_device_queries_equal_jax():
    assert fl.devices() == jax.devices()
    assert fl.devices(jax.default_backend()) == jax.devices(jax.default_backend())
    assert fl.local_devices() == jax.local_devices()
    assert fl.local_devices(process_index=0) == jax.local_devices(process_index=0)
    assert fl.device_count() == jax.device_count()
    assert fl.local_device_count() == jax.local_device_count()
    assert fl.default_backend() == jax.default_backend()
    assert fl.process_index() == jax.process_index()
    assert fl.process_count() == jax.process_count()
    assert isinstance(fl.device_count(), int) and isinstance(fl.default_backend(), str)
    with pytest.raises(RuntimeError):
        fl.devices("no_such_backend")


def test_array_is_jax_array():
    assert fl.Array is jax.Array
    out = fl.jit(lambda x: x * 2.0)(np.ones(3, np.float32))
    assert isinstance(out, fl.Array)
    assert isinstance(fl.device_put(np.ones(2)), fl.Array)
    assert not isinstance(fnp.ones(3), fl.Array)  # eager values are NumPy arrays
    assert not isinstance(np.ones(3), jax.Array)


# ----------------------------------------------------------------------------- typeof

def _aval_key(a):
    return (tuple(a.shape), np.dtype(a.dtype), bool(a.weak_type))


@pytest.mark.parametrize("x", [
    np.ones((2, 3), np.float32), np.ones(3, np.int32), np.zeros((), np.bool_),
    np.float32(1.5), np.int32(2), 1.0, 2, True, jnp.ones(4), jnp.asarray(1.0) * 2,
    np.ones(2, np.float16), np.ones(2, jnp.bfloat16), np.ones(2, np.uint8),
])
def test_typeof_matches_jax(x):
    a = fl.typeof(x)
    assert isinstance(a, fl.ShapedArray)
    assert _aval_key(a) == _aval_key(jax.typeof(x))
    assert a.ndim == len(a.shape) and a.size == int(np.prod(a.shape))


def test_typeof_of_tracers_matches_jax():
    def record(seen):
        def f(x, y):
            seen.append(fl.typeof(x) if seen is fl_seen else jax.typeof(x))
            seen.append(fl.typeof(x * 2.0) if seen is fl_seen else jax.typeof(x * 2.0))
            seen.append(fl.typeof(y) if seen is fl_seen else jax.typeof(y))
            return (x * y).sum()
        return f
    fl_seen, jax_seen = [], []
    x, y = np.ones((4, 3), np.float32), np.ones(3, np.float32)
    for fl_t, jax_t in [(fl.jit, jax.jit), (lambda f: fl.vmap(f, (0, None)),
                                            lambda f: jax.vmap(f, (0, None))),
                        (fl.grad, jax.grad)]:
        fl_seen.clear()
        jax_seen.clear()
        fl_t(record(fl_seen))(x, y)
        jax_t(record(jax_seen))(x, y)
        assert [_aval_key(a) for a in fl_seen] == [_aval_key(a) for a in jax_seen]


# ----------------------------------------------------------------------------- dtypes

def test_dtypes_module():
    assert fl.dtypes.float0 == fl.float0 == jax.dtypes.float0
    assert fl.dtypes.bfloat16 == jnp.bfloat16
    assert fl.dtypes.issubdtype(np.float32, np.floating)
    assert fl.dtypes.finfo(np.float32).eps == np.finfo(np.float32).eps
    assert fl.dtypes.result_type(np.int32, 1.0) == jax.dtypes.result_type(np.int32, 1.0)
    # a float0 tangent made with fl.dtypes is accepted for an integer primal, as in JAX
    out, t = fl.jvp(lambda x, n: x * n, (2.0, 3), (1.0, np.zeros((), fl.dtypes.float0)))
    assert (float(out), float(t)) == (6.0, 3.0)


# ----------------------------------------------------------------------------- linear_transpose

X3 = _f32(3)
A23 = _f32(2, 3)
B34 = _f32(3, 4)
MASK = np.array([True, False, True])

# (name, make(np_module, lax_module, jit) -> linear function, primals, cotangent)
CORPUS = [
    ("scale", lambda np_, L, J: lambda x: 2.0 * x, (X3,), X3),
    ("scale_div", lambda np_, L, J: lambda x: x / 4.0 - x, (X3,), X3),
    ("sum", lambda np_, L, J: lambda x: x.sum(), (A23,), np.float32(1.5)),
    ("sum_axis_keepdims", lambda np_, L, J: lambda x: np_.sum(x, axis=1, keepdims=True),
     (A23,), _f32(2, 1)),
    ("mean", lambda np_, L, J: lambda x: x.mean(axis=0), (A23,), X3),
    ("matmul_left", lambda np_, L, J: lambda x: A23 @ x, (B34,), _f32(2, 4)),
    ("matmul_right", lambda np_, L, J: lambda x: x @ B34, (A23,), _f32(2, 4)),
    ("matvec_two_inputs", lambda np_, L, J: lambda W, v: W @ X3 + A23 @ v, (A23, X3),
     _f32(2)),
    ("einsum", lambda np_, L, J: lambda x: np_.einsum("ij,jk->ik", x, B34), (A23,),
     _f32(2, 4)),
    ("slicing", lambda np_, L, J: lambda x: x[1:, ::-1] + x[0, 0], (A23,), _f32(1, 3)),
    ("index_int_array", lambda np_, L, J: lambda x: x[np.array([0, 2, 2])], (X3,), X3),
    ("reshape_transpose", lambda np_, L, J: lambda x: x.T.reshape(-1)[:4], (A23,), _f32(4)),
    ("concat_stack", lambda np_, L, J: lambda x, y: np_.stack(
        [np_.concatenate([x, y]), np_.concatenate([y, x])]), (X3, _f32(2)), _f32(2, 5)),
    ("broadcast", lambda np_, L, J: lambda x: np_.broadcast_to(x, (4, 3)) * X3, (X3,),
     _f32(4, 3)),
    ("where_const_mask", lambda np_, L, J: lambda x: np_.where(MASK, x, 0.0), (X3,), X3),
    ("cumsum", lambda np_, L, J: lambda x: np_.cumsum(x), (X3,), X3),
    ("pad_roll", lambda np_, L, J: lambda x: np_.roll(np_.pad(x, (1, 2)), 1), (X3,),
     _f32(6)),
    ("affine_constant_dropped", lambda np_, L, J: lambda x: 3.0 * x + 1.0, (X3,), X3),
    ("constant_output", lambda np_, L, J: lambda x: (2.0 * x, np_.ones(2)), (X3,),
     (X3, np.ones(2, np.float32))),
    ("unused_input", lambda np_, L, J: lambda x, y: 2.0 * x, (X3, A23), X3),
    ("nonlinear_constants", lambda np_, L, J: lambda x: x * np_.sin(np_.arange(3.0)),
     (X3,), X3),
    ("pytree_in_out", lambda np_, L, J: lambda d: {
        "s": d["x"] + d["ys"][0], "t": (d["ys"][1] @ B34, d["x"].sum())},
     ({"x": X3, "ys": [X3, A23]},), {"s": X3, "t": (_f32(2, 4), np.float32(2.0))}),
    ("float64", lambda np_, L, J: lambda x: x * 2.0,
     (np.ones(3, np.float64),), np.ones(3, np.float64)),
    ("cast_f16", lambda np_, L, J: lambda x: x.astype(np_.float16), (X3,),
     np.ones(3, np.float16)),
    ("jit_inside", lambda np_, L, J: J(lambda x: (x @ B34) * 2.0), (A23,), _f32(2, 4)),
    ("cond", lambda np_, L, J: lambda x: L.cond(True, lambda y: 2.0 * y, lambda y: y[::-1],
                                                x), (X3,), X3),
    ("switch", lambda np_, L, J: lambda x: L.switch(
        1, [lambda y: 2.0 * y, lambda y: y[0] * X3, lambda y: -y], x), (X3,), X3),
    ("scan_cumsum", lambda np_, L, J: lambda x: L.scan(
        lambda c, y: (c + y, 2.0 * c), 0.0, x)[1], (X3,), X3),
    ("scan_reverse_carry", lambda np_, L, J: lambda x: L.scan(
        lambda c, y: (0.5 * c + y, c), np.float32(0.0), x, reverse=True), (X3,),
     (np.float32(1.0), X3)),
    ("scan_constant_carry_used", lambda np_, L, J: lambda x: (lambda c_ys: c_ys[1] * c_ys[0])(
        L.scan(lambda c, y: (c * 2.0, y * c), np.float32(1.0), x)), (X3,), X3),
    ("fori_loop", lambda np_, L, J: lambda x: L.fori_loop(0, 3, lambda i, c: 2.0 * c[::-1],
                                                          x), (X3,), X3),
]


def _fl_make(make):
    return make(fnp, fl.lax, fl.jit)


def _jax_make(make):
    return make(jnp, jax.lax, jax.jit)


@pytest.mark.parametrize("name,make,primals,ct", CORPUS, ids=[c[0] for c in CORPUS])
def test_linear_transpose_matches_jax(name, make, primals, ct):
    f_t = fl.linear_transpose(_fl_make(make), *primals)
    out = f_t(ct)
    with jax.enable_x64(any(np.asarray(p).dtype == np.float64 for p in primals)):
        ref = jax.linear_transpose(_jax_make(make), *primals)(ct)
    assert isinstance(out, tuple) and isinstance(f_t, jax.tree_util.Partial)
    _same_tree(out, ref)
    # the adjoint identity <f(x), ct> == <x, f^T(ct)> at a random x
    xs = jax.tree.map(lambda p: RNG.standard_normal(np.shape(p)).astype(np.asarray(p).dtype),
                      primals)
    fx = _fl_make(make)(*xs)
    lhs = sum(float(np.sum(np.asarray(a, np.float64) * np.asarray(b, np.float64)))
              for a, b in zip(jax.tree.leaves(fx), jax.tree.leaves(ct)))
    rhs = sum(float(np.sum(np.asarray(a, np.float64) * np.asarray(b, np.float64)))
              for a, b in zip(jax.tree.leaves(xs), jax.tree.leaves(out)))
    if name not in ("affine_constant_dropped", "constant_output", "cast_f16"):
        np.testing.assert_allclose(lhs, rhs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name,make,primals,ct", CORPUS[:12], ids=[c[0] for c in CORPUS[:12]])
def test_linear_transpose_under_jit(name, make, primals, ct):
    f_t = fl.linear_transpose(_fl_make(make), *primals)
    ref = jax.linear_transpose(_jax_make(make), *primals)(ct)
    _same_tree(fl.jit(f_t)(ct), ref)
    out = fl.jit(lambda f, c: f(c))(f_t, ct)  # the transposed function is a pytree
    assert all(isinstance(o, jax.Array) for o in jax.tree.leaves(out))
    _same_tree(out, ref)


def test_linear_transpose_composes_with_vmap_grad_and_closures():
    f = lambda np_: lambda W: np_.tanh(np.float32(0.5)) * (W @ B34)
    f_t = fl.linear_transpose(f(fnp), A23)
    r_t = jax.linear_transpose(f(jnp), A23)
    cts = _f32(5, 2, 4)
    _same_tree(fl.vmap(f_t)(cts), jax.vmap(r_t)(cts))
    g = fl.grad(lambda c: (f_t(c)[0] ** 2).sum())(cts[0])
    _same_tree(g, jax.grad(lambda c: (r_t(c)[0] ** 2).sum())(cts[0]))
    _same_tree(fl.jit(fl.vmap(f_t))(cts), jax.vmap(r_t)(cts))
    # built inside a transformation, closing over its tracers
    for fl_t, jax_t in [(fl.jit, jax.jit), (fl.grad, jax.grad)]:
        def outer(np_, lt):
            return lambda w: lt(lambda y: w * y, w)(w)[0].sum()
        _same_tree(fl_t(outer(fnp, fl.linear_transpose))(X3),
                   jax_t(outer(jnp, jax.linear_transpose))(X3))
    # the transpose of the transpose is the function again
    f_tt = fl.linear_transpose(lambda c: f_t(c)[0], _f32(2, 4))
    _same_tree(f_tt(A23)[0], f(fnp)(A23))


def test_linear_transpose_shape_dtype_struct_and_python_scalars():
    s = fl.ShapeDtypeStruct((), np.float32)
    out = fl.linear_transpose(lambda x, y: 0.5 * x - 0.5 * y, s, s)(1.0)
    _same_tree(out, jax.linear_transpose(lambda x, y: 0.5 * x - 0.5 * y, s, s)(1.0))
    out = fl.linear_transpose(lambda x: 2.0 * x, 1.0)(2.0)  # a Python float cotangent
    assert float(out[0]) == 4.0 and np.asarray(out[0]).dtype == np.float32
    assert fl.linear_transpose(lambda: 1.0)(1.0) == ()
    assert [float(v) for v in fl.linear_transpose(lambda x: None, X3)(None)[0]] == [0.0] * 3


def test_linear_transpose_of_custom_derivative_functions():
    def make(np_, L):
        @L.custom_jvp
        def f(x):
            return 2.0 * x

        @f.defjvp
        def f_jvp(p, t):  # a rule that disagrees with f: JAX transposes f itself
            return f(p[0]), 3.0 * t[0]

        @L.custom_jvp
        def g(x):
            return f(x)[::-1] + f(x) + 1.0
        g.defjvp(lambda p, t: (g(p[0]), t[0]))
        return lambda x: (g(x), f(x).sum(), x)
    ct = (X3, np.float32(2.0), X3)
    _same_tree(fl.linear_transpose(make(fnp, fl), X3)(ct),
               jax.linear_transpose(make(jnp, jax), X3)(ct))
    h = fl.custom_jvp(fnp.sin)
    h.defjvp(lambda p, t: (h(p[0]), t[0]))
    with pytest.raises(TypeError, match="primitive 'sin'"):
        fl.linear_transpose(h, X3)
    # beyond JAX (NotImplementedError there): a custom_vjp function transposes with bwd
    k = fl.custom_vjp(lambda x: 2.0 * x)
    k.defvjp(lambda x: (2.0 * x, None), lambda r, g: (5.0 * g,))
    _same_tree(fl.linear_transpose(k, X3)(X3), (5.0 * X3,))


NONLINEAR = [
    ("sin", lambda np_, L: np_.sin, "'sin'"),
    ("square", lambda np_, L: lambda x: x * x, "'mul'"),
    ("power", lambda np_, L: lambda x: x ** 2, "'integer_pow'"),
    ("reciprocal", lambda np_, L: lambda x: 1.0 / x, "'div'"),
    ("relu", lambda np_, L: lambda x: np_.maximum(x, 0.0), "'max'"),
    ("abs", lambda np_, L: np_.abs, "'abs'"),
    ("where_on_x", lambda np_, L: lambda x: np_.where(x > 0, x, 0.0), "'gt'"),
    ("stop_gradient", lambda np_, L: L.stop_gradient, "'stop_gradient'"),
    ("floor", lambda np_, L: np_.floor, "'floor'"),
    ("argmax", lambda np_, L: lambda x: x * np_.argmax(x), "'argmax'"),
    ("sort", lambda np_, L: np_.sort, "'sort'"),
    ("cond_branch", lambda np_, L: lambda x: L.cond(True, lambda y: y, lambda y: y * y, x),
     "'mul'"),
    ("scan_carry_product", lambda np_, L: lambda x: L.scan(
        lambda c, y: (c * y, c), np.float32(1.0), x)[1], "'mul'"),
    ("product_of_inputs", lambda np_, L: lambda x: x.prod(), "'reduce_prod'|'mul'"),
]


@pytest.mark.parametrize("name,make,prim", NONLINEAR, ids=[c[0] for c in NONLINEAR])
def test_linear_transpose_rejects_nonlinear_functions(name, make, prim):
    # jax refuses too (no transpose rule, or an assertion)
    with pytest.raises((NotImplementedError, AssertionError, TypeError, ValueError)):
        jax.linear_transpose(make(jnp, jax.lax), X3)(X3)
    with pytest.raises(TypeError, match=f"not linear in its inputs: primitive ({prim})"):
        fl.linear_transpose(make(fnp, fl.lax), X3)


def test_linear_transpose_cotangent_errors_match_jax():
    f = lambda x: (2.0 * x, x.sum())
    f_t, r_t = fl.linear_transpose(f, X3), jax.linear_transpose(f, X3)
    bad = [X3, (X3,), [X3, np.float32(1.0)], None]  # wrong trees
    for ct in bad:
        with pytest.raises(TypeError, match="cotangent tree does not match function output"):
            r_t(ct)
        with pytest.raises(TypeError, match=r"cotangent tree does not match function output, "
                                            r"expected PyTreeDef\(\(\*, \*\)\)"):
            f_t(ct)
    wrong_types = [(np.ones(4, np.float32), np.float32(1.0)),          # shape
                   (X3.astype(jnp.bfloat16), np.float32(1.0)),         # dtype
                   (X3, 1),                                            # a Python int
                   (X3, np.ones(1, np.float32))]                       # rank
    for ct in wrong_types:
        with pytest.raises(TypeError, match="cotangent type does not match function output"):
            r_t(ct)
        with pytest.raises(TypeError, match=r"cotangent type does not match function output, "
                                            r"expected \['f32\[3\]', 'f32\[\]'\]"):
            f_t(ct)


def test_linear_transpose_creation_errors_match_jax():
    with pytest.raises(TypeError, match=r"only supports \[float or complex\] -> \[float or "
                                        r"complex\], and integer -> integer functions"):
        jax.linear_transpose(lambda x: x.astype(jnp.int32), X3)
    with pytest.raises(TypeError, match=r"only supports \[float or complex\] -> \[float or "
                                        r"complex\], and integer -> integer functions, but "
                                        r"got \[dtype\('float32'\)\] -> \[dtype\('int32'\)\]"):
        fl.linear_transpose(lambda x: x.astype(fnp.int32), X3)
    with pytest.raises(TypeError, match="integer -> integer functions"):
        fl.linear_transpose(lambda x, n: x, X3, np.int32(1))
    for lt in (jax.linear_transpose, fl.linear_transpose):
        with pytest.raises(NotImplementedError, match="reduce_axes argument to transpose is "
                                                      "deprecated"):
            lt(lambda x: x, X3, reduce_axes=("i",))
    with pytest.raises(TypeError, match="callable"):
        fl.linear_transpose(3, X3)
    # jax transposes integer -> integer functions; functorch_lite says it cannot
    with pytest.raises(NotImplementedError, match="integer -> integer"):
        fl.linear_transpose(lambda n: 2 * n, np.ones(3, np.int32))


# ------------------------------------------------------------------ ensure_compile_time_eval

def test_ensure_compile_time_eval_gives_concrete_values_under_jit():
    def make(np_, tr, ecte):
        @tr
        def f(x):
            with ecte():
                n = int(np_.arange(4).sum())  # concrete in both libraries
                y = x * 2.0                   # traced values stay traced
            return y * n
        return f
    x = np.ones(3, np.float32)
    out = make(fnp, fl.jit, fl.ensure_compile_time_eval)(x)
    _same_tree(out, make(jnp, jax.jit, jax.ensure_compile_time_eval)(x))

    @fl.jit
    def g(x):
        with fl.ensure_compile_time_eval():
            if x.sum() > 0:  # a traced value is still abstract: Python control flow fails
                return x
        return -x
    with pytest.raises(fl.ConcretizationTypeError):
        g(x)

    @fl.ensure_compile_time_eval()
    def h():
        return fnp.sin(0.0)
    assert float(h()) == 0.0


# ----------------------------------------------------------------------------- named_call

def test_named_call_keeps_values_and_names_the_computation():
    f = lambda np_: lambda x, y=2.0: np_.sin(x) * y
    g = fl.named_call(f(fnp), name="my_layer")
    r = jax.named_call(f(jnp), name="my_layer")
    x = _f32(3)
    _same_tree(g(x, y=3.0), r(x, y=3.0))
    _same_tree(fl.grad(lambda x: g(x).sum())(x), jax.grad(lambda x: r(x).sum())(x))
    _same_tree(fl.jit(g)(x), jax.jit(r)(x))
    xb = _f32(2, 3)
    _same_tree(fl.vmap(g)(xb), jax.vmap(r)(xb))

    def square(x):
        return x * x
    assert fl.named_call(square).__name__ == jax.named_call(square).__name__ == "square"
    ops = fl.viz.graph(lambda x: fnp.cos(fl.named_call(square)(x)), 1.0, collapse=True).ops
    assert [n.scope or n.label for n in ops] == ["square", "cos"]
    ops = fl.viz.graph(lambda x: fnp.cos(g(x)), 1.0, collapse=True).ops
    assert ops[0].scope == "my_layer"
    with pytest.raises(TypeError, match="named_call: give a non-empty string name"):
        fl.named_call(functools.partial(square))


# ----------------------------------------------------------------------------- closure_convert

def test_closure_convert_hoists_traced_constants_like_jax():
    def count_hoisted(np_, tr, cc):
        def outer(w):
            big = np_.ones(3)  # concrete: stays closed over
            w2 = w * 3.0       # traced: hoisted, as w
            f, hoisted = cc(lambda x: (x * w + x * w2 * big).sum(), X3)
            counts.append(len(hoisted))
            return f(X3, *hoisted)
        counts = []
        return tr(outer)(np.float32(0.7)), counts
    out, counts = count_hoisted(fnp, fl.grad, fl.closure_convert)
    ref, ref_counts = count_hoisted(jnp, jax.grad, jax.closure_convert)
    _same_tree(out, ref)
    assert counts == ref_counts == [2]
    f, hoisted = fl.closure_convert(lambda x: {"y": x * 2.0}, X3)
    assert hoisted == [] and jax.closure_convert(lambda x: {"y": x * 2.0}, X3)[1] == []
    _same_tree(f(X3), {"y": X3 * 2.0})
    with pytest.raises(TypeError, match="same Pytree structure as the example arguments"):
        f((X3,))


def test_closure_convert_through_custom_vjp():
    """The documented use: a higher-order custom_vjp function whose argument closes over
    differentiated values."""
    def make(np_, cvjp, cc):
        @functools.partial(cvjp, nondiff_argnums=(0,))
        def apply(fn, x, *args):
            return fn(x, *args)

        def fwd(fn, x, *args):
            return fn(x, *args), (x, args)

        def bwd(fn, res, g):
            x, args = res
            _, vjp_fn = (jax.vjp if np_ is jnp else fl.vjp)(fn, x, *args)
            return vjp_fn(g)
        apply.defvjp(fwd, bwd)

        def loss(w, x):
            fn, hoisted = cc(lambda x: np_.tanh(x * w).sum(), x)
            return apply(fn, x, *hoisted)
        return loss
    w, x = np.float32(0.3), _f32(3)
    out = fl.grad(make(fnp, fl.custom_vjp, fl.closure_convert), argnums=(0, 1))(w, x)
    ref = jax.grad(make(jnp, jax.custom_vjp, jax.closure_convert), argnums=(0, 1))(w, x)
    _same_tree(out, ref)


# ----------------------------------------------------------------------------- custom_gradient

def _cg_cases(np_):
    def clip(x):
        return x, lambda g: (np_.clip(g, -1.0, 1.0),)

    def square(x):
        return x ** 2, lambda g: (g * x,)  # deliberately half the true gradient

    def two_args(x, y):
        return (x * y).sum(), lambda g: (g * y, g * x * 3.0)

    def pytree(d):
        y = np_.sin(d["a"]) * d["b"]
        return y.sum(), lambda g: ({"a": g * np_.cos(d["a"]) * d["b"] * 2.0,
                                    "b": g * np_.sin(d["a"])},)

    def bare_cotangent(x):  # one argument: vjp_fn may return the cotangent itself
        return np_.exp(x), lambda g: g * 10.0
    return [(clip, (np.float32(3.0),)), (square, (X3,)), (two_args, (X3, _f32(3))),
            (pytree, ({"a": X3, "b": _f32(3)},)), (bare_cotangent, (X3,))]


@pytest.mark.parametrize("i", range(5))
def test_custom_gradient_matches_jax(i):
    fun, args = _cg_cases(fnp)[i]
    ref_fun, _ = _cg_cases(jnp)[i]
    f, r = fl.custom_gradient(fun), jax.custom_gradient(ref_fun)
    argnums = tuple(range(len(args)))
    scalar = lambda g: lambda *a: g(*a).sum()
    _same_tree(f(*args), r(*args))
    _same_tree(fl.grad(scalar(f), argnums)(*args), jax.grad(scalar(r), argnums)(*args))
    _same_tree(fl.jit(fl.grad(scalar(f), argnums))(*args),
               jax.jit(jax.grad(scalar(r), argnums))(*args))
    batched = jax.tree.map(lambda a: np.stack([a, 2 * a]), args)
    _same_tree(fl.vmap(fl.grad(scalar(f), argnums))(*batched),
               jax.vmap(jax.grad(scalar(r), argnums))(*batched))


def test_custom_gradient_errors():
    f = fl.custom_gradient(lambda x: (x, lambda g: (g,)))
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        fl.jvp(f, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        jax.jvp(jax.custom_gradient(lambda x: (x, lambda g: (g,))), (1.0,), (1.0,))
    bad = fl.custom_gradient(lambda x: x * 2.0)
    with pytest.raises(TypeError, match=r"must return a pair \(output, vjp_fn\)"):
        fl.grad(bad)(1.0)
    with pytest.raises(TypeError, match="callable"):
        fl.custom_gradient(3)
