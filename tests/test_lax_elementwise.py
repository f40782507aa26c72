"""fl.lax's elementwise functions and the small lax helpers against jax.lax: values,
dtypes, the dtype/rank checks jax.lax makes (eagerly too, where NumPy would silently
cast or broadcast), derivatives, vmap and jit."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl

R = np.random.default_rng(11)

# name: (sampler of a valid float input, differentiable?)
FLOAT_UNARY = {
    "sin": (lambda s: R.standard_normal(s), True),
    "cos": (lambda s: R.standard_normal(s), True),
    "tan": (lambda s: R.uniform(-1.2, 1.2, s), True),
    "asin": (lambda s: R.uniform(-0.9, 0.9, s), True),
    "acos": (lambda s: R.uniform(-0.9, 0.9, s), True),
    "atan": (lambda s: R.standard_normal(s), True),
    "sinh": (lambda s: R.standard_normal(s), True),
    "cosh": (lambda s: R.standard_normal(s), True),
    "tanh": (lambda s: R.standard_normal(s), True),
    "asinh": (lambda s: R.standard_normal(s), True),
    "acosh": (lambda s: R.uniform(1.1, 4.0, s), True),
    "atanh": (lambda s: R.uniform(-0.9, 0.9, s), True),
    "exp": (lambda s: R.standard_normal(s), True),
    "exp2": (lambda s: R.standard_normal(s), True),
    "expm1": (lambda s: R.standard_normal(s), True),
    "log": (lambda s: R.uniform(0.1, 4.0, s), True),
    "log1p": (lambda s: R.uniform(-0.5, 4.0, s), True),
    "sqrt": (lambda s: R.uniform(0.1, 4.0, s), True),
    "rsqrt": (lambda s: R.uniform(0.1, 4.0, s), True),
    "cbrt": (lambda s: R.uniform(0.2, 4.0, s) * R.choice([-1, 1], s), True),
    "erf": (lambda s: R.standard_normal(s), True),
    "erfc": (lambda s: R.standard_normal(s), True),
    "erf_inv": (lambda s: R.uniform(-0.9, 0.9, s), True),
    "logistic": (lambda s: R.standard_normal(s), True),
    "abs": (lambda s: R.standard_normal(s), True),
    "neg": (lambda s: R.standard_normal(s), True),
    "sign": (lambda s: R.standard_normal(s), True),
    "floor": (lambda s: R.uniform(-3, 3, s), True),
    "ceil": (lambda s: R.uniform(-3, 3, s), True),
    "round": (lambda s: R.uniform(-3, 3, s), True),
    "square": (lambda s: R.standard_normal(s), True),
    "is_finite": (lambda s: R.standard_normal(s), False),
}
FLOAT_BINARY = {
    "add": True, "sub": True, "mul": True, "div": True, "rem": True, "max": True, "min": True,
    "atan2": True, "pow": True, "nextafter": False, "eq": False, "ne": False, "lt": False,
    "le": False, "gt": False, "ge": False,
}
INT_DTYPES = [np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32]


def assert_same(out, ref, rtol=2e-6, atol=1e-6):
    out, ref = np.asarray(out), np.asarray(ref)
    assert out.dtype == ref.dtype and out.shape == ref.shape, (out.dtype, out.shape,
                                                               ref.dtype, ref.shape)
    if out.dtype.kind == "f":
        np.testing.assert_allclose(out, ref, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(out, ref)


def both(name, *args, jit=False, **kw):
    """fl.lax's and jax.lax's ``name`` on ``args``; with ``jit`` the array arguments are
    traced and the rest (sizes, axes) stay static."""
    f, g = getattr(fl.lax, name), getattr(jax.lax, name)
    static = tuple(i for i, a in enumerate(args) if isinstance(a, (tuple, int)))
    out = fl.jit(lambda *a: f(*a, **kw), static_argnums=static)(*args) if jit else \
        f(*args, **kw)
    return out, g(*args, **kw)


# ----------------------------------------------------------------------------- values

@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("name", sorted(FLOAT_UNARY))
def test_float_unary_matches_jax(name, jit):
    x = FLOAT_UNARY[name][0]((3, 4)).astype(np.float32)
    if name == "round":
        x[0, :3] = [0.5, -2.5, 1.5]  # ties: XLA rounds them away from zero
    out, ref = both(name, x, jit=jit)
    assert_same(out, ref, rtol=1e-5 if name in ("erf_inv", "tan") else 2e-6)


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("name", sorted(FLOAT_BINARY))
def test_float_binary_matches_jax(name, jit):
    x = R.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
    y = R.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
    y[0, 0] = x[0, 0]  # a tie for the comparisons and max/min
    assert_same(*both(name, x, y, jit=jit), rtol=1e-5)
    # a Python scalar takes the array's dtype; size-1 axes and scalars broadcast
    assert_same(*both(name, x, 1.5, jit=jit), rtol=1e-5)
    assert_same(*both(name, x, y[:1], jit=jit), rtol=1e-5)
    assert_same(*both(name, x, np.float32(1.25), jit=jit), rtol=1e-5)


INT_UNARY = ["neg", "sign", "abs", "bitwise_not", "population_count", "clz", "square"]
INT_BINARY = ["add", "sub", "mul", "div", "rem", "max", "min", "bitwise_and", "bitwise_or",
              "bitwise_xor", "shift_left", "shift_right_arithmetic", "shift_right_logical",
              "eq", "ne", "lt", "le", "gt", "ge"]


def _ints(dt, shape):
    info = np.iinfo(dt)
    x = R.integers(info.min, info.max, shape, dtype=dt, endpoint=True)
    x.flat[:2] = [info.min, info.max]
    return x


@pytest.mark.parametrize("dt", INT_DTYPES)
@pytest.mark.parametrize("name", INT_UNARY)
def test_int_unary_matches_jax(name, dt):
    x = _ints(dt, (10,))
    if name == "abs" and np.dtype(dt).kind == "u":
        with pytest.raises(TypeError):
            jax.lax.abs(x)
        with pytest.raises(TypeError, match="abs"):
            fl.lax.abs(x)
        return
    for jit in (False, True):
        assert_same(*both(name, x, jit=jit))


@pytest.mark.parametrize("dt", INT_DTYPES)
@pytest.mark.parametrize("name", INT_BINARY)
def test_int_binary_matches_jax(name, dt):
    x = _ints(dt, (12,))
    if name in ("div", "rem"):
        y = _ints(dt, (12,))
        y[y == 0] = 3
        if np.dtype(dt).kind == "i":
            y[(x == np.iinfo(dt).min) & (y == -1)] = 2  # the one overflowing quotient
    elif name.startswith("shift"):
        width = 8 * np.dtype(dt).itemsize
        y = np.array([0, 1, 3, width - 1, width, width + 5, 2, 1, 0, 7, width - 2, 100],
                     dt)
    else:
        y = _ints(dt, (12,))
        y[0] = x[0]
    for jit in (False, True):
        assert_same(*both(name, x, y, jit=jit))


def test_bool_operands_where_jax_takes_them():
    a, b = np.array([True, False, True]), np.array([True, True, False])
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "max", "min", "eq", "ne", "lt",
                 "ge"):
        assert_same(*both(name, a, b))
    assert_same(*both("bitwise_not", a))


def test_python_scalars_alone_get_jax_default_dtypes():
    assert_same(fl.lax.sin(1.0), jax.lax.sin(1.0))
    assert_same(fl.lax.add(2, 3), jax.lax.add(2, 3))
    assert_same(fl.lax.abs(-2), jax.lax.abs(-2))


# ----------------------------------------------------------------------------- the checks

F32 = np.ones(3, np.float32)
I32 = np.ones(3, np.int32)
U8 = np.ones(3, np.uint8)
B = np.ones(3, bool)

REJECTED = [  # (name, args): jax.lax raises TypeError for each; NumPy would compute
    ("tanh", (I32,)), ("sin", (I32,)), ("sqrt", (I32,)), ("exp", (B,)), ("floor", (I32,)),
    ("round", (I32,)), ("is_finite", (I32,)), ("erfc", (I32,)), ("erf_inv", (I32,)),
    ("abs", (B,)), ("abs", (U8,)), ("neg", (B,)), ("sign", (B,)),
    ("bitwise_not", (F32,)), ("population_count", (F32,)), ("clz", (B,)),
    ("add", (B, B)), ("add", (F32, I32)), ("mul", (I32, np.ones(3, np.int8))),
    ("max", (F32, I32)), ("eq", (F32, I32)), ("atan2", (I32, I32)),
    ("nextafter", (F32, I32)), ("bitwise_and", (F32, F32)), ("shift_left", (F32, F32)),
    ("add", (np.ones(3, np.float16), np.ones(3, np.float32))),
    ("add", (F32, np.ones((2, 3), np.float32))),  # ranks differ: lax does not broadcast
    ("sub", (np.ones(2, np.float32), F32)),  # shapes do not broadcast
    ("add", (2.0, 3)), ("add", (I32, 2.5)), ("bitwise_or", (I32, 1.5)),
]


@pytest.mark.parametrize("name,args", REJECTED, ids=[f"{n}-{i}" for i, (n, _) in
                                                     enumerate(REJECTED)])
def test_rejected_like_jax(name, args):
    with pytest.raises(TypeError):
        getattr(jax.lax, name)(*args)
    with pytest.raises(TypeError, match=name):
        getattr(fl.lax, name)(*args)
    if all(isinstance(a, np.ndarray) for a in args):  # and while tracing
        with pytest.raises(TypeError, match=name):
            fl.jit(getattr(fl.lax, name))(*args)


def test_error_messages_name_dtypes_and_the_fix():
    with pytest.raises(TypeError, match=r"tanh: dtype int32 is not accepted \(x is i32\[3\]\); "
                                        r"it takes floating-point arrays.*astype"):
        fl.lax.tanh(I32)
    with pytest.raises(TypeError, match=r"add: the operands must have one dtype, but x is "
                                        r"f32\[3\], y is i32\[3\]"):
        fl.lax.add(F32, I32)
    with pytest.raises(TypeError, match=r"one rank.*f32\[3\] and y f32\[2,3\]"):
        fl.lax.add(F32, np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match=r"add: y=2.5 is a Python float, whose dtype \(float32\) "
                                        r"differs from the dtype int32 of x.*np.asarray\(2.5, "
                                        r"np.int32\).*fl.numpy"):
        fl.lax.add(I32, 2.5)


# A Python scalar has its default dtype in jax.lax (no weak-type promotion there): it is
# accepted exactly where jax.lax accepts it.
SCALAR_CASES = [(dt, v) for dt in (np.float32, np.float16, np.int32, np.int8, np.uint8, np.bool_)
                for v in (2, 2.0, True)]


@pytest.mark.parametrize("dt,v", SCALAR_CASES, ids=lambda c: repr(c))
@pytest.mark.parametrize("name", ["add", "max", "eq"])
def test_python_scalars_accepted_exactly_where_jax_lax_accepts_them(name, dt, v):
    x = np.ones(3, dt)
    try:
        want = np.asarray(getattr(jax.lax, name)(x, v))
    except TypeError:
        with pytest.raises(TypeError, match=f"{name}: "):
            getattr(fl.lax, name)(x, v)
        return
    got = getattr(fl.lax, name)(x, v)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


# ----------------------------------------------------------------------------- derivatives

DIFF_UNARY = sorted(n for n, (_, d) in FLOAT_UNARY.items() if d)


@pytest.mark.parametrize("name", DIFF_UNARY)
def test_unary_derivatives_match_jax(name):
    x = FLOAT_UNARY[name][0]((5,)).astype(np.float32)
    f, g = getattr(fl.lax, name), getattr(jax.lax, name)

    def fl_loss(x):
        return fl.numpy.sum(f(x) * np.arange(1, 6, dtype=np.float32))

    def jax_loss(x):
        return jnp.sum(g(x) * np.arange(1, 6, dtype=np.float32))

    tol = dict(rtol=1e-4, atol=1e-5)
    assert_same(fl.grad(fl_loss)(x), jax.grad(jax_loss)(x), **tol)
    assert_same(fl.jit(fl.grad(fl_loss))(x), jax.grad(jax_loss)(x), **tol)
    t = np.linspace(-1, 1, 5).astype(np.float32)
    assert_same(fl.jvp(f, (x,), (t,))[1], jax.jvp(g, (x,), (t,))[1], **tol)
    # second order, where the function is smooth
    if name not in ("abs", "sign", "floor", "ceil", "round"):
        assert_same(fl.grad(fl.grad(lambda s: f(s)))(x[0]),
                    jax.grad(jax.grad(lambda s: g(s)))(x[0]), rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "rem", "max", "min", "atan2",
                                  "pow"])
def test_binary_derivatives_match_jax(name):
    x = R.uniform(0.5, 2.0, (4,)).astype(np.float32)
    y = R.uniform(0.5, 2.0, (4,)).astype(np.float32)
    y[0] = x[0]
    f, g = getattr(fl.lax, name), getattr(jax.lax, name)
    for argnums in (0, 1, (0, 1)):
        out = fl.grad(lambda a, b: fl.numpy.sum(f(a, b)), argnums)(x, y)
        ref = jax.grad(lambda a, b: jnp.sum(g(a, b)), argnums)(x, y)
        for o, r in zip(*(v if isinstance(v, tuple) else (v,) for v in (out, ref))):
            assert_same(o, r, rtol=1e-5)


def test_nextafter_has_no_derivative_as_in_jax():
    with pytest.raises(NotImplementedError):
        jax.grad(lambda x: jax.lax.nextafter(x, 2.0))(1.0)
    with pytest.raises(NotImplementedError, match="nextafter"):
        fl.grad(lambda x: fl.lax.nextafter(x, 2.0))(1.0)


@pytest.mark.parametrize("name", ["tanh", "erfc", "erf_inv", "round", "clz", "add",
                                  "shift_right_arithmetic", "atan2", "nextafter"])
def test_vmap_matches_jax(name):
    if name in ("clz", "shift_right_arithmetic"):
        args = [_ints(np.int32, (4, 3)), np.array([1, 2, 31], np.int32)]
        in_axes = (0, None)
    else:
        args = [R.uniform(-0.9, 0.9, (4, 3)).astype(np.float32),
                R.uniform(-0.9, 0.9, (3,)).astype(np.float32)]
        in_axes = (0, None)
    nargs = 1 if name in ("tanh", "erfc", "erf_inv", "round", "clz") else 2
    args, in_axes = args[:nargs], in_axes[:nargs]
    out = fl.vmap(getattr(fl.lax, name), in_axes)(*args)
    assert_same(out, jax.vmap(getattr(jax.lax, name), in_axes)(*args), rtol=1e-5)


# ----------------------------------------------------------------------------- special forms

def test_round_methods():
    x = np.array([0.5, 1.5, 2.5, -0.5, -2.5, -0.3, 0.49999997, 2.4999998, np.inf, -np.inf,
                  np.nan, 1e9], np.float32)
    for method in (None, fl.lax.RoundingMethod.AWAY_FROM_ZERO,
                   fl.lax.RoundingMethod.TO_NEAREST_EVEN, jax.lax.RoundingMethod.TO_NEAREST_EVEN,
                   0, 1):
        args = (x,) if method is None else (x, method)
        jargs = (x,) if method is None else (x, jax.lax.RoundingMethod(int(method)))
        for out in (fl.lax.round(*args), fl.jit(lambda v: fl.lax.round(v, *args[1:]))(x)):
            ref = np.asarray(jax.lax.round(*jargs))
            assert_same(out, ref)
            np.testing.assert_array_equal(np.signbit(out), np.signbit(ref))  # -0.0 kept
    with pytest.raises(ValueError, match="rounding_method"):
        fl.lax.round(x, "up")


def test_pow_with_integer_exponents_and_integer_pow():
    x = np.array([2.0, -3.0, 0.5], np.float32)
    n = np.array([3, 2, -1], np.int32)
    assert_same(*both("pow", x, n))
    assert_same(fl.grad(lambda a: fl.numpy.sum(fl.lax.pow(a, n)))(x),
                jax.grad(lambda a: jnp.sum(jax.lax.pow(a, n)))(x))
    for y in (0, 1, 3, -2):
        assert_same(*both("integer_pow", x, y))
    assert_same(*both("integer_pow", np.array([2, -3], np.int32), 3))
    with pytest.raises(TypeError):
        jax.lax.integer_pow(np.array([2], np.int32), -1)
    with pytest.raises(TypeError, match="integer_pow: integers cannot be raised to negative"):
        fl.lax.integer_pow(np.array([2], np.int32), -1)
    with pytest.raises(TypeError, match="integer_pow: y must be a Python int"):
        fl.lax.integer_pow(x, 2.0)
    with pytest.raises(TypeError, match="pow"):
        fl.lax.pow(np.array([2], np.int32), 2)


def test_erf_family_and_cbrt_edges():
    x = np.array([-1.0, 1.0, 0.0, 1.5, -0.0], np.float32)
    assert_same(*both("erf_inv", x))  # +-inf at +-1, NaN outside
    assert_same(*both("erfc", np.array([-10, 0, 10, np.inf], np.float32)))
    assert_same(*both("cbrt", np.array([-8.0, 0.0, 27.0], np.float32)))


# ----------------------------------------------------------------------------- helpers

M = np.arange(12.0, dtype=np.float32).reshape(3, 4)


@pytest.mark.parametrize("jit", [False, True])
def test_full_and_full_like(jit):
    def run(lax):
        return (lax.full((2, 3), 1.5), lax.full((2,), 1.5, np.int32), lax.full(3, 2),
                lax.full_like(np.ones(2, np.int32), 2.7),
                lax.full_like(M, 2, shape=(3,)), lax.full_like(M, 1, dtype=np.int8))
    outs = fl.jit(lambda: run(fl.lax))() if jit else run(fl.lax)
    for o, r in zip(outs, run(jax.lax)):
        assert_same(o, r)
    with pytest.raises(TypeError):
        jax.lax.full((2,), np.ones(2))
    with pytest.raises(TypeError, match="full: fill_value must be a scalar"):
        fl.lax.full((2,), np.ones(2))
    with pytest.raises(TypeError, match="full_like: fill_value must be a scalar"):
        fl.lax.full_like(M, np.ones(4))


def test_index_in_dim():
    for index, axis, keepdims in [(1, 0, True), (-1, 1, False), (0, -1, True), (2, 0, False)]:
        assert_same(*both("index_in_dim", M, index, axis=axis, keepdims=keepdims))
        out = fl.jit(lambda m: fl.lax.index_in_dim(m, index, axis, keepdims))(M)
        assert_same(out, jax.lax.index_in_dim(M, index, axis, keepdims))
    for index in (4, -5):
        with pytest.raises(IndexError):
            jax.lax.index_in_dim(M, index, axis=1)
        with pytest.raises(IndexError, match="out of bounds for axis 1 with size 4"):
            fl.lax.index_in_dim(M, index, axis=1)
    with pytest.raises(ValueError, match="axis=2 is out of bounds"):
        fl.lax.index_in_dim(M, 0, axis=2)


@pytest.mark.parametrize("index", [0, 2, 7, -1, -9])
def test_dynamic_index_and_update_in_dim(index):
    u_full, u_drop = np.full((3, 1), 9.0, np.float32), np.full((3,), 9.0, np.float32)
    for keepdims in (True, False):
        assert_same(*both("dynamic_index_in_dim", M, index, axis=1, keepdims=keepdims))
    for u in (u_full, u_drop):
        assert_same(*both("dynamic_update_index_in_dim", M, u, index, 1))
    # a traced index (a loop counter under jit), and gradients through both
    i = np.int32(index)
    out = fl.jit(lambda m, i: fl.lax.dynamic_index_in_dim(m, i, 1, False))(M, i)
    assert_same(out, jax.jit(lambda m, i: jax.lax.dynamic_index_in_dim(m, i, 1, False))(M, i))
    g = fl.grad(lambda m: fl.numpy.sum(fl.lax.dynamic_update_index_in_dim(m, u_drop * m[:, 0],
                                                                           i, 1) ** 2))(M)
    r = jax.grad(lambda m: jnp.sum(jax.lax.dynamic_update_index_in_dim(m, u_drop * m[:, 0], i,
                                                                       1) ** 2))(M)
    assert_same(g, r)


def test_broadcast_collapse_dot_batch_matmul():
    C3 = np.ones((2, 3, 4), np.float32)
    v = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    cases = [("broadcast", (M, (2,))), ("broadcast", (v, (2, 1))), ("broadcast", (np.float32(2),
                                                                                   (3,))),
             ("collapse", (C3, 1)), ("collapse", (C3, 0, 2)), ("collapse", (C3, -2)),
             ("collapse", (C3, 0)),
             ("dot", (M, v)), ("dot", (v, v)), ("dot", (M, M.T)), ("dot", (M[:, 0], M)),
             ("dot", (v, v.astype(np.int32))), ("dot", (v, v.astype(np.float16))),
             ("batch_matmul", (np.ones((2, 3, 4), np.float32), np.ones((2, 4, 5), np.float32))),
             ("batch_matmul", (M[:2, :3], M[:3, :2]))]
    for name, args in cases:
        for jit in (False, True):
            assert_same(*both(name, *args, jit=jit), rtol=1e-6)
    assert_same(fl.lax.dot(M, v, preferred_element_type=np.float32),
                jax.lax.dot(M, v, preferred_element_type=np.float32))
    g = fl.grad(lambda m: fl.numpy.sum(fl.lax.dot(m, v) ** 2))(M)
    assert_same(g, jax.grad(lambda m: jnp.sum(jax.lax.dot(m, v) ** 2))(M))
    with pytest.raises(TypeError, match="dot: takes vectors and matrices"):
        fl.lax.dot(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(TypeError, match="dot: takes vectors and matrices"):
        fl.lax.dot(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(TypeError, match="batch_matmul: operands must have one rank"):
        fl.lax.batch_matmul(np.ones((1, 2, 3)), np.ones((5, 3, 4)))
    with pytest.raises(TypeError, match="broadcast: sizes must be non-negative"):
        fl.lax.broadcast(M, (-1,))


@pytest.mark.parametrize("axis,reverse", [(0, False), (1, False), (0, True), (1, True)])
def test_cumlogsumexp_matches_jax(axis, reverse):
    x = R.standard_normal((5, 6)).astype(np.float32) * 3
    x[1, 2] = 80.0  # exp overflows float32: logaddexp does not
    x[3, 0] = -np.inf
    kw = dict(axis=axis, reverse=reverse)
    assert_same(*both("cumlogsumexp", x, **kw), rtol=1e-5)
    assert_same(*both("cumlogsumexp", x, jit=True, **kw), rtol=1e-5)
    w = R.standard_normal((5, 6)).astype(np.float32)
    g = fl.grad(lambda a: fl.numpy.sum(fl.lax.cumlogsumexp(a, **kw) * w))(x)
    r = jax.grad(lambda a: jnp.sum(jax.lax.cumlogsumexp(a, **kw) * w))(x)
    assert_same(g, r, rtol=1e-4, atol=1e-5)
    t = R.standard_normal((5, 6)).astype(np.float32)
    x2 = x.copy()
    x2[3, 0] = 0.0  # forward mode away from -inf (JAX's tangent there is NaN)
    assert_same(fl.jvp(lambda a: fl.lax.cumlogsumexp(a, **kw), (x2,), (t,))[1],
                jax.jvp(lambda a: jax.lax.cumlogsumexp(a, **kw), (x2,), (t,))[1], rtol=1e-4,
                atol=1e-5)
    vm = fl.vmap(lambda a: fl.lax.cumlogsumexp(a, axis=0, reverse=reverse))(x)
    assert_same(vm, jax.vmap(lambda a: jax.lax.cumlogsumexp(a, axis=0, reverse=reverse))(x),
                rtol=1e-5)


def test_cumlogsumexp_rejects_integers():
    with pytest.raises(TypeError, match="cumlogsumexp: operand must be a floating-point array"):
        fl.lax.cumlogsumexp(np.ones(3, np.int32))
