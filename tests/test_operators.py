"""Operators and methods of traced values: each one equals the fnp function it stands for,
reflected forms work with NumPy arrays, NumPy scalars and Python scalars on the left, and
weak typing, differentiation and error messages behave as jax.Array's operators do."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import (
    ConcretizationTypeError,
    ShapedArray,
    Tracer,
    TracerArrayConversionError,
    eval_jaxpr,
    trace_flat,
)

F32, F64, I32, B = np.float32, np.float64, np.int32, np.bool_
R = np.random.default_rng(0)
X = (R.uniform(0.5, 2.0, (2, 3)) * R.choice([-1, 1], (2, 3))).astype(F32)
Y = R.uniform(0.5, 2.0, (3,)).astype(F32)
XI = np.array([[3, -4, 5], [-6, 7, 2]], I32)
YI = np.array([2, -3, 4], I32)


def traced(f, *args):
    """f traced abstractly on args' avals and evaluated again on args."""
    jaxpr, consts, _ = trace_flat(lambda *ts: [f(*ts)],
                                  [ShapedArray(np.shape(a), np.asarray(a).dtype) for a in args])
    (out,) = eval_jaxpr(jaxpr, consts, *args)
    return jaxpr, out


def check(f_op, f_fnp, *args):
    """The operator form under tracing equals the fnp function eagerly (value and dtype)."""
    jaxpr, out = traced(f_op, *args)
    expect = f_fnp(*args)
    assert jaxpr.outvars[0].aval.dtype == np.asarray(expect).dtype
    assert jaxpr.outvars[0].aval.shape == np.shape(expect)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expect))
    return jaxpr


BINARY_OPS = [
    (lambda a, b: a + b, fnp.add), (lambda a, b: a - b, fnp.subtract),
    (lambda a, b: a * b, fnp.multiply), (lambda a, b: a / b, fnp.true_divide),
    (lambda a, b: a // b, fnp.floor_divide), (lambda a, b: a % b, fnp.remainder),
    (lambda a, b: a ** b, fnp.power), (lambda a, b: a < b, fnp.less),
    (lambda a, b: a <= b, fnp.less_equal), (lambda a, b: a > b, fnp.greater),
    (lambda a, b: a >= b, fnp.greater_equal), (lambda a, b: a == b, fnp.equal),
    (lambda a, b: a != b, fnp.not_equal),
]
INT_OPS = [(lambda a, b: a & b, fnp.bitwise_and), (lambda a, b: a | b, fnp.bitwise_or),
           (lambda a, b: a ^ b, fnp.bitwise_xor)]


@pytest.mark.parametrize("i", range(len(BINARY_OPS)))
@pytest.mark.parametrize("x, y", [(abs(X), Y), (XI, YI), (abs(X), YI), (X.astype(F64), Y)])
def test_binary_operators(i, x, y):
    op, fn = BINARY_OPS[i]
    if fn is fnp.power and y.dtype == I32:
        y = abs(y)  # integers cannot be raised to negative powers
    check(op, fn, x, y)                                   # tracer op tracer
    check(lambda a: op(a, y), lambda a: fn(a, y), x)      # tracer op ndarray
    check(lambda b: op(x, b), lambda b: fn(x, b), y)      # ndarray op tracer: reflected
    check(lambda a: op(a, 2), lambda a: fn(a, 2), x)      # tracer op Python int
    check(lambda a: op(a, 1.5), lambda a: fn(a, 1.5), x)  # tracer op Python float
    check(lambda b: op(3, b), lambda b: fn(3, b), y)      # Python scalar op tracer
    check(lambda b: op(F32(2.5), b), lambda b: fn(F32(2.5), b), y)  # NumPy scalar op tracer


@pytest.mark.parametrize("i", range(len(INT_OPS)))
@pytest.mark.parametrize("x, y", [(XI, YI), (XI > 0, YI > 0), (XI, 6)])
def test_bitwise_operators(i, x, y):
    op, fn = INT_OPS[i]
    if not isinstance(y, int):
        check(op, fn, x, y)
    check(lambda a: op(a, y), lambda a: fn(a, y), x)
    check(lambda a: op(y, a), lambda a: fn(y, a), x)


@pytest.mark.parametrize("op, fn", [
    (lambda a: -a, fnp.negative), (lambda a: +a, fnp.positive), (lambda a: abs(a), fnp.abs),
    (lambda a: ~(a > 0), lambda a: fnp.logical_not(a > 0)),
    (lambda a: round(a), fnp.round), (lambda a: divmod(a, 1.5)[0], fnp.floor_divide),
    (lambda a: divmod(a, 1.5)[1], lambda a: fnp.remainder(a, 1.5)),
])
@pytest.mark.parametrize("x", [X, XI])
def test_unary_operators(op, fn, x):
    if fn is fnp.floor_divide:
        fn = lambda a: fnp.floor_divide(a, 1.5)
    check(op, fn, x)


def test_invert_on_integers_matches_jax():
    check(lambda a: ~a, fnp.invert, XI)
    np.testing.assert_array_equal(fnp.invert(XI), np.asarray(jnp.invert(XI)))
    with pytest.raises(TypeError):
        traced(lambda a: ~a, X)


def test_matmul_operator():
    m = R.standard_normal((3, 4)).astype(F32)
    check(lambda a, b: a @ b, fnp.matmul, X, m)
    check(lambda b: X @ b, lambda b: fnp.matmul(X, b), m)   # ndarray @ tracer: reflected
    check(lambda a: a @ m, lambda a: fnp.matmul(a, m), X)


@settings(max_examples=15)
@given(dts=st.tuples(st.sampled_from([F32, F64, I32, B]), st.sampled_from([F32, F64, I32, B])),
       scalar=st.sampled_from([None, 2, 2.5, True]), op=st.sampled_from(["+", "*", "-", "/"]))
def test_operator_dtypes_match_jax(dts, scalar, op):
    x = (X * 3).astype(dts[0])
    y = scalar if scalar is not None else (Y * 2).astype(dts[1])
    f = {"+": lambda a, b: a + b, "*": lambda a, b: a * b, "-": lambda a, b: a - b,
         "/": lambda a, b: a / b}[op]
    if op == "-" and (x.dtype == B or y is True) and (y is True or np.asarray(y).dtype == B):
        return  # bool - bool: an error in both
    jaxpr, out = traced(lambda a: f(a, y), x)
    use64 = F64 in (x.dtype, getattr(y, "dtype", None))
    with jax.enable_x64(use64):
        ref = jax.jit(lambda a: f(a, y))(x)
        ref_dtype, ref = ref.dtype, np.asarray(ref)
    assert jaxpr.outvars[0].aval.dtype == ref_dtype
    np.testing.assert_allclose(np.asarray(out, F64), ref.astype(F64), rtol=1e-6)


def test_weak_typing_through_operators():
    def out_aval(f, aval):
        jaxpr, _, _ = trace_flat(lambda t: [f(t)], [aval])
        return jaxpr.outvars[0].aval
    f32, i32 = ShapedArray((3,), F32), ShapedArray((3,), I32)
    assert out_aval(lambda t: t * 2.0, f32).dtype == F32
    assert out_aval(lambda t: 2.0 * t, f32).dtype == F32
    assert out_aval(lambda t: t * 2.0, i32).dtype == F32
    assert out_aval(lambda t: t * 2, i32).dtype == I32
    assert out_aval(lambda t: t + np.ones(3, F64), f32).dtype == F64
    assert out_aval(lambda t: np.ones(3, F64) + t, f32).dtype == F64
    assert out_aval(lambda t: t / 2, i32).dtype == F32
    assert out_aval(lambda t: t // 2, i32).dtype == I32
    assert out_aval(lambda t: t < 2.5, i32).dtype == B
    assert not out_aval(lambda t: t * 2.0, f32).weak_type


def test_power_with_python_int_is_integer_pow():
    text = str(fl.make_jaxpr(lambda t: t ** 2 + 2 ** t)(1.0))
    assert "integer_pow[y=2]" in text and "pow " in text
    jaxpr = fl.make_jaxpr(lambda t: t ** 2)(1.0).jaxpr
    assert [(e.prim.name, e.params) for e in jaxpr.eqns] == [("integer_pow", {"y": 2})]


def test_numpy_array_on_the_left_defers_to_the_tracer():
    # numpy gives way to __array_priority__: ndarray + tracer calls Tracer.__radd__
    jaxpr, out = traced(lambda t: Y + t, Y)
    assert [e.prim.name for e in jaxpr.eqns] == ["add"]
    np.testing.assert_array_equal(out, Y + Y)
    jaxpr, _ = traced(lambda t: Y < t, Y)
    assert [e.prim.name for e in jaxpr.eqns] == ["gt"]
    jaxpr, out = traced(lambda t: F32(3.0) * t, Y)
    assert [e.prim.name for e in jaxpr.eqns] == ["mul"]
    np.testing.assert_array_equal(out, 3 * Y)


def test_numpy_functions_on_tracers_raise():
    with pytest.raises(TracerArrayConversionError, match="fnp"):
        traced(lambda t: np.sin(t), Y)
    with pytest.raises(TracerArrayConversionError):
        traced(lambda t: np.add(t, 1.0), Y)


def test_unsupported_operands():
    with pytest.raises(TypeError):
        traced(lambda t: t + "a", Y)
    with pytest.raises(TypeError):
        traced(lambda t: t + [1.0, 2.0, 3.0], Y)  # jax.Array does not take lists either

    class Other:  # an unknown type gets its reflected method called, as with jax.Array
        def __radd__(self, other):
            return "other"
    seen = []

    def f(t):
        seen.append(t + Other())
        seen.append(t == None)  # noqa: E711  (falls back to identity: False)
        return t
    traced(f, Y)
    assert seen == ["other", False]


def test_setitem_points_to_at():
    with pytest.raises(TypeError, match=r"\.at\[idx\]\.set"):
        def f(t):
            t[0] = 1.0
            return t
        traced(f, Y)


def test_bool_of_abstract_tracer_raises():
    with pytest.raises(ConcretizationTypeError):
        traced(lambda t: t * 2 if t.sum() > 0 else t, Y)


# --------------------------------------------------------------------- methods


ASTYPE_F64 = lambda t: t.astype(F64)


@pytest.mark.parametrize("method, fn", [
    (lambda t: t.sum(), lambda a: np.sum(a)),
    (lambda t: t.sum(axis=0), lambda a: np.sum(a, axis=0)),
    (lambda t: t.sum(1, keepdims=True), lambda a: np.sum(a, 1, keepdims=True)),
    (lambda t: t.mean(axis=1), lambda a: np.mean(a, axis=1)),
    (lambda t: t.max(), lambda a: np.max(a)), (lambda t: t.min(axis=0), lambda a: a.min(0)),
    (lambda t: t.prod(axis=1), lambda a: a.prod(1)), (lambda t: t.var(), lambda a: a.var()),
    (lambda t: t.std(axis=0), lambda a: a.std(0)),
    (lambda t: (t > 0).any(axis=1), lambda a: (a > 0).any(1)),
    (lambda t: (t > 0).all(), lambda a: (a > 0).all()),
    (lambda t: t.argmax(axis=1), lambda a: a.argmax(1)),
    (lambda t: t.argmin(), lambda a: a.argmin()),
    (lambda t: t.cumsum(axis=1), lambda a: a.cumsum(1)),
    (lambda t: t.reshape(3, 2), lambda a: a.reshape(3, 2)),
    (lambda t: t.reshape((6,)), lambda a: a.reshape((6,))),
    (lambda t: t.reshape(-1, 1), lambda a: a.reshape(-1, 1)),
    (lambda t: t.transpose(), lambda a: a.transpose()),
    (lambda t: t.transpose(1, 0), lambda a: a.transpose(1, 0)),
    (lambda t: t.transpose((1, 0)), lambda a: a.transpose((1, 0))),
    (lambda t: t.T, lambda a: a.T), (lambda t: t.flatten(), lambda a: a.flatten()),
    (lambda t: t.ravel(), lambda a: a.ravel()),
    (lambda t: t[None].squeeze(0), lambda a: a[None].squeeze(0)),
    (lambda t: t[:, :1].squeeze(), lambda a: a[:, :1].squeeze()),
    (lambda t: t.swapaxes(0, 1), lambda a: a.swapaxes(0, 1)),
    (lambda t: t.dot(np.ones(3, F32)), lambda a: a.dot(np.ones(3, F32))),
    (lambda t: t.clip(-1.0, 1.0), lambda a: a.clip(-1.0, 1.0)),
    (lambda t: t.round(1), lambda a: a.round(1)),
    (lambda t: t.take(np.array([0, 4])), lambda a: a.take(np.array([0, 4]))),
    (lambda t: t.astype(I32), lambda a: a.astype(I32)),
    (ASTYPE_F64, lambda a: a.astype(F64)),
    (lambda t: t.astype(B), lambda a: a.astype(B)),
    (lambda t: t[1], lambda a: a[1]), (lambda t: t[:, ::-1], lambda a: a[:, ::-1]),
    (lambda t: t[np.array([1, 0, 1])], lambda a: a[np.array([1, 0, 1])]),
    (lambda t: t[..., None, 0], lambda a: a[..., None, 0]),
    (lambda t: t.at[0, 1].set(7.0), lambda a: np.where(np.arange(6).reshape(2, 3) == 1, 7.0, a)),
    (lambda t: t.at[1].add(1.0), lambda a: a + np.array([[0.0], [1.0]], F32)),
    (lambda t: list(t)[1], lambda a: list(a)[1]),
    (lambda t: t.conj().real, lambda a: a),
])
def test_methods_match_numpy(method, fn):
    jaxpr, out = traced(method, X)
    expect = fn(X)
    np.testing.assert_allclose(np.asarray(out, F64), np.asarray(expect, F64), rtol=1e-6)
    assert np.shape(out) == np.shape(expect)
    with jax.enable_x64(method is ASTYPE_F64):  # jax.Array's dtype
        assert jaxpr.outvars[0].aval.dtype == jax.eval_shape(method, X).dtype


def test_methods_forward_their_arguments(monkeypatch):
    seen = {}

    def fake(name):
        def f(*args, **kwargs):
            seen[name] = (args[1:], kwargs)
            return args[0]
        return f
    for name in ("sum", "var", "cumsum", "take"):
        monkeypatch.setattr(fnp, name, fake(name))
    traced(lambda t: t.sum(0, keepdims=True).var(ddof=1).cumsum(axis=1).take(2, axis=0), X)
    assert seen == {"sum": ((0,), {"keepdims": True}), "var": ((), {"ddof": 1}),
                    "cumsum": ((), {"axis": 1}), "take": ((2,), {"axis": 0})}


def test_astype_is_strongly_typed():
    jaxpr, _, _ = trace_flat(lambda t: [t.astype(F32)], [ShapedArray((), F32, weak_type=True)])
    assert not jaxpr.outvars[0].aval.weak_type
    jaxpr, _, _ = trace_flat(lambda t: [t.astype(F32)], [ShapedArray((), F32)])
    assert jaxpr.eqns == []
    with pytest.raises(TypeError, match="astype"):
        traced(lambda t: t.astype(np.complex64), X)


# --------------------------------------------------------------------- under transformations


def test_operators_under_grad_match_jax():
    def f(x, np_):
        y = (x * x - 3.0 * x + 1.0 / x) ** 2 / 4.0 + abs(x) - (-x) % 1.5 + x ** 3
        return (y * (x > 0) + np_.where(x >= 1.0, x, 0.0)).sum()
    x = X.copy()
    ours = fl.grad(lambda a: f(a, fnp))(x)
    ref = jax.grad(lambda a: f(a, jnp))(x)
    np.testing.assert_allclose(ours, np.asarray(ref), rtol=1e-5)
    hv = fl.jvp(fl.grad(lambda a: f(a, fnp)), (x,), (np.ones_like(x),))[1]
    hv_ref = jax.jvp(jax.grad(lambda a: f(a, jnp)), (x,), (jnp.ones_like(x),))[1]
    np.testing.assert_allclose(hv, np.asarray(hv_ref), rtol=1e-4)


def test_python_control_flow_on_concrete_tracers_under_grad():
    def f(x):
        if x < 3:  # a concrete tracer under grad: allowed, as in JAX
            return x ** 2
        return -x
    assert fl.grad(f)(2.0) == 4.0
    assert fl.grad(f)(5.0) == -1.0


def test_operators_under_vmap_and_jit():
    f = lambda a, b: (a @ b + 1.0) * 2 - a.sum() / b.T.mean()
    m = R.standard_normal((3, 3)).astype(F32)
    ours = fl.vmap(f, in_axes=(0, None))(X, m)
    ref = jax.vmap(f, in_axes=(0, None))(X, m)
    np.testing.assert_allclose(ours, np.asarray(ref), rtol=1e-5)
    np.testing.assert_allclose(fl.jit(f)(X, m), np.asarray(jax.jit(f)(X, m)), rtol=1e-5)


def test_tracer_class_has_the_methods():
    for name in ("__add__", "__radd__", "__matmul__", "__rmatmul__", "__pow__", "__rpow__",
                 "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__and__", "__rand__",
                 "__or__", "__xor__", "__invert__", "__neg__", "__pos__", "__abs__", "__lt__",
                 "__getitem__", "at", "T", "sum", "mean", "max", "min", "reshape", "transpose",
                 "astype", "dot", "squeeze", "flatten", "ravel", "argmax", "argmin", "prod",
                 "var", "std", "any", "all", "clip", "round", "cumsum", "swapaxes", "take"):
        assert hasattr(Tracer, name), name


def test_python_float_literals_keep_their_sign_and_value():
    """Traced ``x + 2.0`` shares one literal per (dtype, value); -0.0 and NaN are kept
    apart from 0.0 and from each other."""
    import functorch_lite as fl
    text = str(fl.make_jaxpr(lambda x: ((x + 0.0) + (-0.0)) * float("nan") + 2.0 + 2.0)(1.0))
    assert "add a 0.0:f32[]" in text and "add b -0.0:f32[]" in text
    assert "nan:f32[]" in text and text.count("2.0:f32[]") == 2
    for _ in range(2):  # the second time from the shared literals
        value, _ = fl.value_and_grad(lambda v: (v + 0.0) * 1.0)(np.float32(-0.0))
        assert not np.signbit(value)
        value, _ = fl.value_and_grad(lambda v: (v + -0.0) * 1.0)(np.float32(-0.0))
        assert np.signbit(value)
