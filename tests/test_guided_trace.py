"""Guided traces (``Trace.guide``): eager ``grad`` traces each call under the guidance of
the previous call's jaxpr, reusing its variables and equations while they repeat.

A guided trace must give exactly the jaxpr an unguided trace gives (same printout,
same values), be the previous jaxpr object itself only when every equation, constant
and output repeats, and leave every per-call behaviour alone: new values, closures that
change, Python control flow, effects, custom rules, nesting inside other
transformations, and a function that calls its own gradient.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import aval_of_value, eval_jaxpr, trace_flat
from functorch_lite.transforms import tape


def _trace(fun, args, guide=None):
    avals = [aval_of_value(a) for a in args]
    jaxpr, consts, env = trace_flat(lambda *xs: [fun(*xs)], avals, list(args), guide=guide)
    return jaxpr, consts


def _check_guided(fun, first, second):
    """Trace ``fun`` at ``first``, then at ``second`` with and without that guide: the
    same program and values either way.  Returns (guided jaxpr, first jaxpr)."""
    j1, _ = _trace(fun, first)
    plain, plain_consts = _trace(fun, second)
    guided, consts = _trace(fun, second, guide=j1)
    assert str(guided) == str(plain)
    want = eval_jaxpr(plain, plain_consts, *second)
    got = eval_jaxpr(guided, consts, *second)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
    return guided, j1


X = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)


def _loss(x):
    return fnp.sum(1.0 / (1.0 + fnp.exp(-x)) * 0.5)


def test_a_repeated_trace_is_the_previous_jaxpr_itself():
    guided, j1 = _check_guided(_loss, (X,), (X + 1.0,))
    assert guided is j1


def test_a_branch_on_values_gives_the_other_program():
    def f(x):
        s = fnp.sum(x)
        return fnp.sum(fnp.sin(x)) if s > 0 else fnp.sum(fnp.exp(x) * 2.0) + s
    guided, j1 = _check_guided(f, (X + 2.0,), (X - 2.0,))
    assert guided is not j1
    guided, j1 = _check_guided(f, (X - 2.0,), (X + 2.0,))
    assert guided is not j1


@pytest.mark.parametrize("c1, c2, same", [
    (2.0, 3.0, False), (0.0, -0.0, False), (np.float32(2), 2.0, False),  # strong vs weak
    (np.float32(2), np.float32(3), False),
    (np.float32(2), np.float32(2), False),  # held as 0-d arrays, which may change in place
    (1, 1.0, True)])  # both a weak 1.0:f32[] after promotion, as in JAX
def test_another_constant_gives_another_program(c1, c2, same):
    box = {"c": c1}
    f = lambda x: fnp.sum(x * box["c"] + 1.0)  # noqa: E731
    j1, _ = _trace(f, (X,))
    box["c"] = c2
    plain, _ = _trace(f, (X,))
    guided, _ = _trace(f, (X,), guide=j1)
    assert str(guided) == str(plain)
    assert (guided is j1) == same


def test_another_parameter_gives_another_program():
    box = {"axis": 0}
    f = lambda x: fnp.sum(fnp.cumsum(x, axis=box["axis"]) ** 2)  # noqa: E731
    j1, _ = _trace(f, (X,))
    box["axis"] = 1
    guided, _ = _trace(f, (X,), guide=j1)
    assert guided is not j1
    assert "axis=1" in str(guided) and str(guided) == str(_trace(f, (X,))[0])


def test_closed_over_arrays_of_another_shape_or_value():
    box = {"c": np.ones(3, np.float32)}
    f = lambda x: fnp.sum(x * box["c"])  # noqa: E731
    j1, _ = _trace(f, (X,))
    box["c"] = np.full(3, 2.0, np.float32)          # new values, same shape: the same program
    guided, consts = _trace(f, (X,), guide=j1)
    assert guided is j1
    np.testing.assert_array_equal(eval_jaxpr(guided, consts, X)[0], np.sum(X * 2.0))
    box["c"] = np.ones((2, 3), np.float32)          # another shape: another program
    guided, _ = _trace(f, (X,), guide=j1)
    assert guided is not j1 and str(guided) == str(_trace(f, (X,))[0])


def test_longer_and_shorter_programs_than_the_guide():
    box = {"n": 2}

    def f(x):
        for _ in range(box["n"]):
            x = fnp.sin(x)
        return fnp.sum(x)
    j1, _ = _trace(f, (X,))
    for n in (1, 3, 2):
        box["n"] = n
        guided, _ = _trace(f, (X,), guide=j1)
        assert str(guided) == str(_trace(f, (X,))[0])
        assert (guided is j1) == (n == 2)


def test_inputs_of_other_types_ignore_the_guide():
    j1, _ = _trace(_loss, (X,))
    for x in (X.astype(np.float64), X[0], np.float32(1.5)):
        guided, _ = _trace(_loss, (x,), guide=j1)
        assert guided is not j1 and str(guided) == str(_trace(_loss, (x,))[0])


# ----------------------------------------------------------------------------- through grad

@pytest.fixture(params=["tape", "walk"])
def backward(request, monkeypatch):
    """Each grad test twice: with compiled tapes, and with the rules walked every time."""
    monkeypatch.setattr(tape, "COMPILE_AFTER", 2 if request.param == "tape" else 10 ** 9)
    tape.clear()
    yield request.param
    tape.clear()


def test_grad_calls_repeat_with_new_values(backward):
    g = fl.grad(lambda w, x: fnp.sum(fnp.tanh(x @ w) ** 2), argnums=0)
    jg = jax.grad(lambda w, x: jnp.sum(jnp.tanh(x @ w) ** 2), argnums=0)
    rng = np.random.default_rng(0)
    for _ in range(4):
        w = rng.standard_normal((3, 2)).astype(np.float32)
        x = rng.standard_normal((5, 3)).astype(np.float32)
        np.testing.assert_allclose(g(w, x), jg(w, x), rtol=1e-5, atol=1e-6)


def test_a_zero_dim_array_literal_changed_in_place(backward):
    box = {"c": np.array(2.0, np.float32)}
    g = fl.grad(lambda x: fnp.sum(x * box["c"] * x))
    x = np.array([1.0, 3.0], np.float32)
    first = box["c"]
    for _ in range(3):
        np.testing.assert_allclose(g(x), 4 * x, rtol=1e-6)
    first[...] = 7.0        # the same array object, changed in place
    for _ in range(2):
        np.testing.assert_allclose(g(x), 14 * x, rtol=1e-6)
    box["c"] = np.array(2.0, np.float32)
    np.testing.assert_allclose(g(x), 4 * x, rtol=1e-6)


def test_control_flow_alternating_between_calls(backward):
    def f(x):
        return fnp.sum(x ** 3) if fnp.sum(x) > 0 else fnp.sum(fnp.exp(x) * x)
    jf = lambda x: jnp.where(jnp.sum(x) > 0, jnp.sum(x ** 3), jnp.sum(jnp.exp(x) * x))  # noqa
    g = fl.grad(f)
    for k in range(6):
        x = np.array([1.0, 2.0], np.float32) * (1 if k % 3 else -1)
        np.testing.assert_allclose(g(x), jax.grad(jf)(x), rtol=1e-6)


def test_effects_and_custom_rules_run_on_every_guided_call(backward, capsys):
    calls = []

    @fl.custom_vjp
    def f(x):
        return fnp.sin(x)

    f.defvjp(lambda x: (fnp.sin(x), x), lambda x, g: (calls.append(1) or g * 2.0,))
    g = fl.grad(lambda x: fnp.sum(fl.debug.print("x={x}", x=x) or f(x) * 3.0))
    x = np.array([1.0, 2.0], np.float32)
    for _ in range(3):
        np.testing.assert_allclose(g(x), np.full(2, 6.0, np.float32))
    assert len(calls) == 3
    assert capsys.readouterr().out.splitlines() == ["x=[1. 2.]"] * 3


def test_the_same_grad_under_other_transformations(backward):
    f = lambda x: fnp.sum(fnp.sin(x) * x)  # noqa: E731
    jf = lambda x: jnp.sum(jnp.sin(x) * x)  # noqa: E731
    g = fl.grad(f)
    xs = np.linspace(0.1, 1, 6, dtype=np.float32).reshape(2, 3)
    for _ in range(2):
        np.testing.assert_allclose(g(xs[0]), jax.grad(jf)(xs[0]), rtol=1e-6)
        np.testing.assert_allclose(fl.vmap(g)(xs), jax.vmap(jax.grad(jf))(xs), rtol=1e-6)
        np.testing.assert_allclose(fl.jit(g)(xs[1]), jax.grad(jf)(xs[1]), rtol=1e-6)
        np.testing.assert_allclose(fl.grad(lambda x: fnp.sum(g(x) * x))(xs[0]),
                                   jax.grad(lambda x: jnp.sum(jax.grad(jf)(x) * x))(xs[0]),
                                   rtol=1e-5)
        hv = fl.jvp(g, (xs[0],), (xs[1],))[1]
        np.testing.assert_allclose(hv, jax.jvp(jax.grad(jf), (xs[0],), (xs[1],))[1], rtol=1e-5)


def test_a_function_that_calls_its_own_gradient(backward):
    depth = [0]

    def f(x):
        inner = 1.0
        if depth[0] < 2:  # the inner call's inputs are concrete: its own guided trace
            depth[0] += 1
            inner = fnp.sum(g(np.full(2, 0.5, np.float32)))
            depth[0] -= 1
        return fnp.sum(x * x) * inner

    g = fl.grad(f)
    # depth 2: f = sum(x^2) so g = 2x; depth 1: inner = sum(2 * 0.5) = 2, g = 4x;
    # depth 0: inner = sum(4 * 0.5) = 4, g = 8x
    x = np.array([1.0, -2.0], np.float32)
    for _ in range(3):
        np.testing.assert_allclose(g(x), 8 * x, rtol=1e-6)


def test_value_and_grad_and_has_aux_repeat(backward):
    f = lambda x: (fnp.sum(fnp.tanh(x)), {"n": fnp.sum(x)})  # noqa: E731
    x = np.linspace(-1, 1, 4, dtype=np.float32)
    vg_aux = fl.value_and_grad(f, has_aux=True)
    vg = fl.value_and_grad(lambda x: f(x)[0])
    for k in range(3):
        (v, aux), gr = vg_aux(x + k)
        np.testing.assert_allclose(v, np.sum(np.tanh(x + k)), rtol=1e-6)
        np.testing.assert_allclose(aux["n"], np.sum(x + k), rtol=1e-6)
        np.testing.assert_allclose(gr, 1 - np.tanh(x + k) ** 2, rtol=1e-6)
        v2, gr2 = vg(x + k)
        assert v2 == v
        np.testing.assert_array_equal(gr2, gr)


def test_forgotten_tapes_are_compiled_again_for_a_repeated_program(backward):
    g = fl.grad(lambda x: fnp.sum(fnp.sin(x) * x))
    x = np.linspace(0, 1, 5, dtype=np.float32)
    want = np.sin(x) + x * np.cos(x)
    for _ in range(3):
        np.testing.assert_allclose(g(x), want, rtol=1e-6)
    tape.clear()  # what fl.clear_caches() does to tapes: the one remembered on the
    assert not tape._tapes  # guide's jaxpr is from an older generation
    for _ in range(3):
        np.testing.assert_allclose(g(x), want, rtol=1e-6)
    assert sum(t is not None for t in tape._tapes.values()) == (backward == "tape")


def test_parameters_holding_arrays_never_match_and_never_raise():
    from functorch_lite.core.keys import same_params
    a = np.arange(3)
    assert not same_params({"t": (a, 1)}, {"t": (np.arange(3), 1)})
    assert not same_params({"t": (a, 1)}, {"t": (a, 1)})  # arrays have no key: no match
    assert same_params({"axes": (0, 1)}, {"axes": (0, 1)})
    assert not same_params({"axes": (0, 1)}, {"axes": (0, True)})
    assert not same_params({"axes": (0, True)}, {"axes": (0, 1)})
    assert not same_params({"axes": (0, 1)}, {"axes": (0, 1.0)})
