"""Errors raised while tracing: Python control flow on abstract values, conversions
to NumPy, broadcasting and dtype errors, escaped tracers; and what stays allowed
(Python control flow under grad on concrete values, as in JAX)."""
import re

import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

F32 = np.float32
V3 = np.arange(3, dtype=F32)


def _abstract_transforms():
    """(name, runner) pairs: run ``f`` on ``x`` under a transformation that sees only
    abstract values."""
    return [
        ("make_jaxpr", lambda f, x: fl.make_jaxpr(f)(x)),
        ("vmap", lambda f, x: fl.vmap(f)(np.stack([x, x]))),
    ]


ABSTRACT = _abstract_transforms()
ABSTRACT_IDS = [n for n, _ in ABSTRACT]


def _branchy(x):
    if fnp.sin(x):
        return x
    return fnp.cos(x)


def _bool_call(x):
    return fnp.sin(x) if bool(fnp.add(x, 1.0)) else x


@pytest.mark.parametrize("name,run", ABSTRACT, ids=ABSTRACT_IDS)
@pytest.mark.parametrize("f", [_branchy, _bool_call], ids=["if", "bool"])
def test_bool_on_abstract_tracer(name, run, f):
    with pytest.raises(fl.ConcretizationTypeError) as ei:
        run(f, F32(1.0))
    msg = str(ei.value)
    assert "fl.lax.cond" in msg
    assert "static_argnums" in msg
    assert "f32[]" in msg  # names the abstract value involved


def test_concretization_error_is_a_type_error():
    assert issubclass(fl.ConcretizationTypeError, TypeError)  # as in JAX


@pytest.mark.parametrize("name,run", ABSTRACT, ids=ABSTRACT_IDS)
def test_float_and_int_on_abstract_tracer(name, run):
    with pytest.raises(fl.ConcretizationTypeError, match="float()"):
        run(lambda x: float(x), F32(1.0))
    with pytest.raises(fl.ConcretizationTypeError, match="int()"):
        run(lambda x: int(x), np.int32(3))
    with pytest.raises(TypeError):
        run(lambda x: int(x), F32(1.0))
    with pytest.raises(fl.ConcretizationTypeError):
        run(lambda x: range(x), np.int32(3))  # __index__


@pytest.mark.parametrize("name,run", ABSTRACT, ids=ABSTRACT_IDS)
def test_numpy_conversion_of_tracer(name, run):
    for conv in (np.asarray, np.array, np.sin, lambda t: np.add(t, 1.0)):
        with pytest.raises(fl.TracerArrayConversionError) as ei:
            run(conv, V3)
        msg = str(ei.value)
        assert "fnp" in msg or "functorch_lite.numpy" in msg
    assert issubclass(fl.TracerArrayConversionError, TypeError)


def test_float_of_differentiated_value_under_grad():
    # the derivative would be silently lost: an error, as in JAX
    with pytest.raises(TypeError, match="float()"):
        fl.grad(lambda x: fnp.multiply(x, float(x)))(F32(2.0))


def test_int_of_concrete_integer_under_grad_is_allowed():
    def f(x, n):
        for _ in range(int(n)):
            x = fnp.sin(x)
        return x
    g = fl.grad(f)(F32(0.3), np.int32(2))
    np.testing.assert_allclose(g, np.cos(np.sin(0.3)) * np.cos(0.3), rtol=1e-6)


# ----------------------------------------------------------------------------- shapes


def test_broadcast_mismatch_at_trace_time_names_op_and_shapes():
    a, b = np.ones((2, 3), F32), np.ones(4, F32)
    with pytest.raises(TypeError) as ei:
        fl.make_jaxpr(fnp.add)(a, b)
    msg = str(ei.value)
    assert "add" in msg
    assert "(2, 3)" in msg
    assert "(4,)" in msg, f"the user's shape (4,) should be named: {msg}"


def test_broadcast_mismatch_under_vmap_and_grad():
    a, b = np.ones((5, 2, 3), F32), np.ones(4, F32)
    # like JAX, the message names the primitive (mul, sub) the user's call reached
    with pytest.raises(TypeError, match="mul"):
        fl.vmap(lambda x: fnp.multiply(x, b))(a)
    with pytest.raises(TypeError, match=r"sub.*\(2, 3\)"):
        fl.vjp(lambda x: fnp.subtract(x, b), np.ones((2, 3), F32))


def test_broadcast_mismatch_eager_names_shapes():
    with pytest.raises((TypeError, ValueError)) as ei:
        fnp.add(np.ones((2, 3), F32), np.ones(4, F32))
    msg = str(ei.value).replace(" ", "")
    assert "(2,3)" in msg and "(4,)" in msg


def test_broadcast_mismatch_eager_names_op():
    """As under tracing (and as jax.jit), the eager error names the operation."""
    with pytest.raises(TypeError, match="add"):
        fnp.add(np.ones((2, 3), F32), np.ones(4, F32))


# ----------------------------------------------------------------------------- dtypes

BAD = [np.ones(2, np.complex128), np.ones(2, np.complex64), np.array(["a", "b"]),
       np.array([object(), object()])]
BAD_IDS = ["complex128", "complex64", "str", "object"]


def _dtype_named(msg: str, arr) -> bool:
    return str(arr.dtype) in msg or arr.dtype.name in msg


@pytest.mark.parametrize("bad", BAD, ids=BAD_IDS)
def test_unsupported_dtype_unary(bad):
    with pytest.raises(TypeError) as ei:
        fnp.sin(bad)
    assert _dtype_named(str(ei.value), bad)


@pytest.mark.parametrize("bad", BAD, ids=BAD_IDS)
def test_unsupported_dtype_binary_eager(bad):
    for other in (1.0, np.ones(2, F32), bad):
        with pytest.raises(TypeError) as ei:
            fnp.add(bad, other)
        assert _dtype_named(str(ei.value), bad), str(ei.value)
        assert not isinstance(ei.value, KeyError)


@pytest.mark.parametrize("bad", BAD, ids=BAD_IDS)
def test_unsupported_dtype_under_tracing(bad):
    with pytest.raises(TypeError) as ei:  # as an argument
        fl.make_jaxpr(fnp.sin)(bad)
    assert _dtype_named(str(ei.value), bad)
    with pytest.raises(TypeError) as ei:  # as a captured constant
        fl.make_jaxpr(lambda x: fnp.add(x, bad))(np.ones(2, F32))
    assert _dtype_named(str(ei.value), bad), str(ei.value)


def test_supported_small_dtypes_still_work():
    for dt in (np.float16, np.int8, np.uint8, np.bool_):
        x = np.ones(2, dt)
        cj = fl.make_jaxpr(lambda a: fnp.multiply(a, a) if dt != np.bool_ else fnp.sin(a))(x)
        assert cj.out_avals[0].shape == (2,)


# ----------------------------------------------------------------------------- escaped tracers

def _leak_from(transform):
    store = []

    def f(x):
        store.append(x)
        return fnp.sin(x)

    transform(f)
    return store[0]


LEAKS = [
    ("make_jaxpr", lambda f: fl.make_jaxpr(f)(F32(1.0))),
    ("vmap", lambda f: fl.vmap(f)(V3)),
    ("grad", lambda f: fl.grad(f)(F32(1.0))),
    ("jvp", lambda f: fl.jvp(f, (F32(1.0),), (F32(1.0),))),
]


@pytest.mark.parametrize("name,transform", LEAKS, ids=[n for n, _ in LEAKS])
def test_leaked_tracer_raises_when_used(name, transform):
    t = _leak_from(transform)
    with pytest.raises(fl.UnexpectedTracerError) as ei:
        fnp.sin(t)  # eagerly
    assert "escaped" in str(ei.value)
    with pytest.raises(fl.UnexpectedTracerError):
        fnp.add(t, 1.0)
    with pytest.raises(fl.UnexpectedTracerError):  # inside a new trace
        fl.make_jaxpr(lambda y: fnp.multiply(t, y))(F32(2.0))
    with pytest.raises(fl.UnexpectedTracerError):
        fl.grad(lambda y: fnp.multiply(t, y))(F32(2.0))


def test_leaked_tracer_python_conversion():
    t = _leak_from(lambda f: fl.make_jaxpr(f)(F32(1.0)))
    with pytest.raises(fl.UnexpectedTracerError):
        bool(t)
    with pytest.raises(fl.UnexpectedTracerError):
        float(t)


def test_leak_message_says_what_to_do():
    t = _leak_from(lambda f: fl.make_jaxpr(f)(F32(1.0)))
    with pytest.raises(fl.UnexpectedTracerError) as ei:
        fnp.sin(t)
    assert re.search(r"[Rr]eturn it", str(ei.value))


# ----------------------------------------------------------------------------- concrete AD

def test_python_if_under_grad_on_concrete_values():
    def f(x):
        if x < 3:
            return fnp.sin(x)
        return fnp.multiply(x, x)

    np.testing.assert_allclose(fl.grad(f)(F32(2.0)), np.cos(F32(2.0)), rtol=1e-6)
    assert fl.grad(f)(F32(4.0)) == 8.0


def test_python_while_under_grad_and_jvp_on_concrete_values():
    def f(x):
        while x < 10.0:
            x = fnp.multiply(x, 2.0)
        return x

    assert fl.grad(f)(F32(3.0)) == 4.0  # 3 -> 6 -> 12: two doublings
    out, tan = fl.jvp(f, (F32(3.0),), (F32(1.0),))
    assert out == 12.0 and tan == 4.0


def test_python_if_under_grad_of_grad():
    def f(x):
        return fnp.multiply(fnp.multiply(x, x), x) if bool(fnp.add(x, 0.0) > 0) else x

    assert fl.grad(fl.grad(f))(F32(2.0)) == 12.0


def test_if_under_jit_of_grad_is_abstract():
    def f(x):
        return fnp.sin(x) if x < 3 else x

    with pytest.raises(fl.ConcretizationTypeError):
        fl.make_jaxpr(fl.grad(f))(F32(1.0))
    with pytest.raises(fl.ConcretizationTypeError):
        fl.jit(fl.grad(f))(F32(1.0))
