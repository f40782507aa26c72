"""The compiled backward pass of eager reverse mode (transforms/tape.py).

A structure differentiated again runs a cached straight-line program instead of the
rules.  It must give the walk's results bit for bit, never be reused for another
structure (other literals, parameters, shapes, dtypes, control flow), read every
value afresh (closures that change), and leave user code (custom rules, callbacks,
effects) running on every call.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import Primitive
from functorch_lite.transforms import tape


@pytest.fixture(autouse=True)
def fresh_tapes(monkeypatch):
    monkeypatch.setattr(tape, "COMPILE_AFTER", 2)
    tape.clear()
    yield
    tape.clear()


def _walk(fun, *args, **kw):
    """The result with the rules walked (no tape)."""
    saved = tape.COMPILE_AFTER
    tape.COMPILE_AFTER = 10 ** 9
    try:
        tape.clear()
        return fun(*args, **kw)
    finally:
        tape.COMPILE_AFTER = saved
        tape.clear()


def _compiled_count() -> int:
    return sum(t is not None for t in tape._tapes.values())


def _mlp_loss(w1, w2, x, y):
    h = 1.0 / (1.0 + fnp.exp(-(x @ w1)))
    return 0.5 * fnp.sum((h @ w2 - y) ** 2)


def _mlp_data(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((20, 8)).astype(np.float32) * 0.3,
            rng.standard_normal((8, 3)).astype(np.float32),
            rng.standard_normal((5, 20)).astype(np.float32),
            rng.standard_normal((5, 3)).astype(np.float32))


def test_second_call_compiles_and_equals_the_walk_bitwise():
    args = _mlp_data()
    g = fl.grad(_mlp_loss, argnums=(0, 1))
    ref = _walk(g, *args)
    first = g(*args)
    assert _compiled_count() == 0
    second, third = g(*args), g(*args)
    assert _compiled_count() == 1
    for r, a, b, c in zip(ref, first, second, third):
        np.testing.assert_array_equal(a, r)
        np.testing.assert_array_equal(b, r)
        np.testing.assert_array_equal(c, r)
        assert b.dtype == r.dtype == np.float32
        assert type(b) is type(r) and b.shape == r.shape
    w1, w2, x, y = args
    h = 1 / (1 + np.exp(-(x @ w1)))
    d = h @ w2 - y
    np.testing.assert_allclose(third[1], h.T @ d, rtol=1e-5)
    np.testing.assert_allclose(third[0], x.T @ ((d @ w2.T) * h * (1 - h)), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("x", [np.float32(1.5), 1.5, np.array(1.5), np.float64(1.5)])
def test_scalar_inputs_give_the_walks_types(x):
    f = lambda x: fnp.sin(x) * x + 2.0 * x  # noqa: E731
    ref = _walk(fl.grad(f), x)
    for _ in range(3):
        got = fl.grad(f)(x)
        assert type(got) is type(ref) and got.dtype == ref.dtype
        np.testing.assert_array_equal(got, ref)
    assert _compiled_count() == 1


def test_new_values_each_call_are_used():
    g = fl.grad(_mlp_loss, argnums=(0, 1))
    for seed in range(4):
        args = _mlp_data(seed)
        ref = _walk(g, *args)
        for _ in range(2):
            for r, a in zip(ref, g(*args)):
                np.testing.assert_array_equal(a, r)
    assert _compiled_count() == 1


def test_a_closure_whose_array_changes_is_read_afresh():
    box = {"c": np.arange(4, dtype=np.float32)}
    f = fl.grad(lambda w: fnp.sum(fnp.sin(w) * box["c"]))
    w = np.linspace(0, 1, 4, dtype=np.float32)
    for k in range(4):
        box["c"] = np.arange(4, dtype=np.float32) * (k + 1)
        np.testing.assert_allclose(f(w), np.cos(w) * box["c"], rtol=1e-6)
        np.testing.assert_allclose(f(w), np.cos(w) * box["c"], rtol=1e-6)
    assert _compiled_count() == 1


@pytest.mark.parametrize("consts", [(0.0, -0.0), (1, 1.0), (2.0, 3.0)])
def test_literals_that_compare_equal_in_python_do_not_share_a_tape(consts):
    x = np.float32(1.5)
    for c in consts * 3:
        got = fl.grad(lambda x: x * c + x * x)(x)
        want = jax.grad(lambda x: x * c + x * x)(jnp.float32(1.5))
        np.testing.assert_array_equal(got, np.asarray(want))
        assert np.signbit(got) == np.signbit(np.asarray(want))
    got = fl.grad(lambda x: fnp.sum(x * consts[1]))(np.zeros(2, np.float32))
    assert np.signbit(got).tolist() == [np.signbit(np.float32(consts[1]))] * 2


def test_parameters_select_the_tape():
    w = np.arange(9, dtype=np.float32).reshape(3, 3) / 10
    v = np.arange(9, dtype=np.float32).reshape(3, 3) + 1
    for _ in range(3):
        for axis in (0, 1):
            got = fl.grad(lambda x: fnp.sum(fnp.cumsum(x, axis=axis) * v))(w)
            want = jax.grad(lambda x: jnp.sum(jnp.cumsum(x, axis=axis) * v))(w)
            np.testing.assert_allclose(got, want, rtol=1e-6)
    assert _compiled_count() == 2


def test_shapes_and_dtypes_select_the_tape():
    f = fl.grad(lambda x: fnp.sum(fnp.tanh(x) ** 2))
    jf = jax.grad(lambda x: jnp.sum(jnp.tanh(x) ** 2))
    for _ in range(3):
        for x in (np.linspace(-1, 1, 3, dtype=np.float32),
                  np.linspace(-1, 1, 5, dtype=np.float32),
                  np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)):
            got = f(x)
            assert got.shape == x.shape and got.dtype == x.dtype
            np.testing.assert_allclose(got, jf(x), rtol=1e-6)
        x64 = np.linspace(-1, 1, 3)
        got = f(x64)
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, (1 - np.tanh(x64) ** 2) * 2 * np.tanh(x64), rtol=1e-12)


def test_python_control_flow_on_values_takes_each_branch():
    def f(x):
        return fnp.sum(x ** 3) if fnp.sum(x) > 0 else fnp.sum(fnp.exp(x))
    g = fl.grad(f)
    for _ in range(3):
        pos, neg = np.array([1.0, 2.0], np.float32), np.array([-1.0, -2.0], np.float32)
        np.testing.assert_allclose(g(pos), 3 * pos ** 2, rtol=1e-6)
        np.testing.assert_allclose(g(neg), np.exp(neg), rtol=1e-6)


def test_control_flow_and_jit_inside_keep_the_walk():
    def f(x):
        y = fl.lax.cond(fnp.sum(x) > 0, lambda x: x * 2.0, lambda x: x * 3.0, x)
        return fnp.sum(fl.jit(fnp.sin)(y))
    g = fl.grad(f)
    jg = jax.grad(lambda x: jnp.sum(jnp.sin(jax.lax.cond(jnp.sum(x) > 0, lambda x: x * 2.0,
                                                            lambda x: x * 3.0, x))))
    for x in (np.array([0.5, 1.0], np.float32), np.array([-0.5, -1.0], np.float32)) * 3:
        np.testing.assert_allclose(g(x), jg(x), rtol=1e-6)
    assert _compiled_count() == 0


def test_custom_vjp_bwd_runs_on_every_call():
    calls = []

    @fl.custom_vjp
    def f(x):
        return fnp.sin(x)

    def fwd(x):
        return fnp.sin(x), x

    def bwd(x, g):
        calls.append(1)
        return (g * (2.0 if float(fnp.sum(x)) > 0 else -2.0),)  # uses the value
    f.defvjp(fwd, bwd)
    g = fl.grad(lambda x: fnp.sum(f(x) * x))
    for k in range(4):
        x = np.array([1.0, 2.0], np.float32) * (1 if k % 2 else -1)
        np.testing.assert_allclose(g(x), (2.0 if k % 2 else -2.0) * x + np.sin(x), rtol=1e-6)
    assert len(calls) == 4


def test_debug_print_runs_on_every_call(capsys):
    g = fl.grad(lambda x: fnp.sum(fl.debug.print("x={x}", x=x) or x * x))
    x = np.array([1.0, 2.0], np.float32)
    for _ in range(3):
        np.testing.assert_allclose(g(x), 2 * x)
    assert capsys.readouterr().out.splitlines() == ["x=[1. 2.]"] * 3


def test_vjp_cotangents_and_integer_outputs():
    def f(x, n):
        return fnp.sin(x) * 2.0, n * 3
    x, n = np.linspace(0, 1, 3, dtype=np.float32), np.arange(3, dtype=np.int32)
    for k in range(3):
        out, f_vjp = fl.vjp(f, x, n)
        ct = np.arange(3, dtype=np.float32) + k
        dx, dn = f_vjp((ct, np.zeros(3, jax.dtypes.float0)))
        np.testing.assert_allclose(dx, np.cos(x) * 2.0 * ct, rtol=1e-6)
        assert dn.dtype == jax.dtypes.float0
    dx, _ = f_vjp((jnp.ones(3), np.zeros(3, jax.dtypes.float0)))  # not NumPy: the walk
    np.testing.assert_allclose(dx, np.cos(x) * 2.0, rtol=1e-6)


def test_jax_array_inputs_and_closures():
    c = jnp.arange(3.0)
    g = fl.grad(lambda w: fnp.sum(fnp.exp(w) * c + c * w))  # jax arrays as operands too
    for _ in range(3):
        got = g(jnp.ones(3))
        np.testing.assert_allclose(np.asarray(got), (np.e + 1) * np.arange(3.0), rtol=1e-6)


def test_higher_order_and_value_and_grad_repeat():
    f = lambda x: fnp.sum(fnp.sin(x) * x)  # noqa: E731
    jf = lambda x: jnp.sum(jnp.sin(x) * x)  # noqa: E731
    x = np.linspace(0.1, 1, 4, dtype=np.float32)
    for _ in range(3):
        np.testing.assert_allclose(fl.grad(lambda x: fnp.sum(fl.grad(f)(x)))(x),
                                   jax.grad(lambda x: jnp.sum(jax.grad(jf)(x)))(x), rtol=1e-5)
        v, gr = fl.value_and_grad(f)(x)
        np.testing.assert_allclose(v, jf(x), rtol=1e-6)
        np.testing.assert_allclose(gr, jax.grad(jf)(x), rtol=1e-6)
        np.testing.assert_allclose(fl.hessian(f)(x), jax.hessian(jf)(x), rtol=1e-5, atol=1e-6)


def test_a_rule_error_is_raised_on_every_call():
    p = Primitive("tape_test_no_vjp")
    p.def_impl(lambda x: x * 2)
    p.def_abstract_eval(lambda a: a)
    g = fl.grad(lambda x: fnp.sum(p.bind(fnp.sin(x))))
    for _ in range(3):
        with pytest.raises(NotImplementedError, match="tape_test_no_vjp"):
            g(np.ones(2, np.float32))


@pytest.mark.clears_jax_caches
def test_clear_caches_forgets_tapes():
    g = fl.grad(lambda x: fnp.sum(x * x))
    for _ in range(3):
        g(np.ones(2, np.float32))
    assert _compiled_count() == 1
    fl.clear_caches()
    assert _compiled_count() == 0


def test_the_cache_is_bounded():
    for n in range(1, tape.MAX_ENTRIES + 20):
        g = fl.grad(lambda x: fnp.sum(x * x))
        x = np.ones(n, np.float32)
        g(x)
        np.testing.assert_array_equal(g(x), 2 * x)
    assert len(tape._tapes) <= tape.MAX_ENTRIES
    assert len(tape._seen) <= tape.MAX_ENTRIES


def test_a_closed_over_array_and_an_argument_do_not_share_a_tape():
    w = np.arange(9, dtype=np.float32).reshape(3, 3) / 10
    x = np.ones(3, np.float32)
    f = lambda w, x: fnp.sum(fnp.tanh(w @ x))  # noqa: E731
    for _ in range(3):
        got = fl.grad(lambda x: f(w, x))(x)         # w a constant, x the input
        both = fl.grad(f, argnums=(0, 1))(w, x)     # the same equations, two inputs
        assert got.shape == (3,)
        np.testing.assert_allclose(got, both[1], rtol=1e-6)
        np.testing.assert_allclose(both[0], jax.grad(lambda w: jnp.sum(jnp.tanh(w @ x)))(w),
                                   rtol=1e-5)


def test_a_zero_dim_array_constant_mutated_in_place():
    box = {"c": np.array(2.0, np.float32)}
    g = fl.grad(lambda x: fnp.sum(x * box["c"] * x))
    x = np.array([1.0, 3.0], np.float32)
    first = box["c"]
    np.testing.assert_allclose(g(x), 4 * x, rtol=1e-6)
    np.testing.assert_allclose(g(x), 4 * x, rtol=1e-6)  # compiled with 2.0
    first[...] = 7.0                                    # the user reuses that array
    box["c"] = np.array(2.0, np.float32)                # and passes a new 2.0
    np.testing.assert_allclose(g(x), 4 * x, rtol=1e-6)
    box["c"] = first
    np.testing.assert_allclose(g(x), 14 * x, rtol=1e-6)


# ----------------------------------------------------------------------------- specialize

def _specialized_primitives():
    import functorch_lite.ops as ops_pkg
    import pkgutil, importlib  # noqa: E401
    seen = {}
    for m in pkgutil.iter_modules(ops_pkg.__path__):
        mod = importlib.import_module(f"functorch_lite.ops.{m.name}")
        for v in vars(mod).values():
            if isinstance(v, Primitive) and v.specialize is not None:
                seen[v.name] = v
    return seen


def test_specialize_equals_impl_bitwise():
    """Each ``specialize`` function gives its primitive's ``impl`` result exactly (values,
    dtype, type), or declines (None) for operands it does not cover."""
    from functorch_lite.core import aval_of
    prims = _specialized_primitives()
    assert {"mul", "div", "neg", "exp", "integer_pow", "dot_general",
            "broadcast_in_dim"} <= set(prims)
    rng = np.random.default_rng(0)
    cases = []
    for dt in (np.float32, np.float64):
        a, b = (rng.standard_normal((3, 4)).astype(dt) for _ in range(2))
        a[0, 0], b[0, 1] = 0.0, -0.0
        s = dt(0.5)
        cases += [("mul", (a, b), {}), ("mul", (s, a), {}), ("div", (a, b), {}),
                  ("div", (s, s), {}), ("neg", (a,), {}), ("exp", (a,), {}),
                  ("sub", (a, s), {}), ("integer_pow", (a,), {"y": 2})]
        v3, v4 = rng.standard_normal(3).astype(dt), rng.standard_normal(4).astype(dt)
        m34, m43 = a, rng.standard_normal((4, 3)).astype(dt)
        for lhs, rhs, dims in [(m34, m43, ((1,), (0,))), (m34, m34, ((0,), (0,))),
                               (m34, m34, ((1,), (1,))), (m34, m43, ((0,), (1,))),
                               (v3, m34, ((0,), (0,))), (m34, v4, ((1,), (0,))),
                               (v4, v4, ((0,), (0,)))]:
            cases.append(("dot_general", (lhs, rhs), {"dimension_numbers": (dims, ((), ())),
                                                        "preferred_element_type": None}))
        cases += [("broadcast_in_dim", (s,), {"shape": (2, 3), "broadcast_dimensions": ()}),
                  ("broadcast_in_dim", (s,), {"shape": (100, 100), "broadcast_dimensions": ()}),
                  ("broadcast_in_dim", (v4,), {"shape": (3, 4), "broadcast_dimensions": (1,)}),
                  ("broadcast_in_dim", (v3,), {"shape": (3, 2), "broadcast_dimensions": (0,)})]
    covered = 0
    for name, args, params in cases:
        p = prims[name]
        fast = p.specialize(*[aval_of(x) for x in args], **params)
        assert fast is not None, (name, params)
        covered += 1
        with np.errstate(all="ignore"):  # the zeros divide
            want, got = p.impl(*args, **params), fast(*args)
        assert type(got) is type(want) and got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    assert covered == len(cases)
    # declined: other dtypes, mixed dtypes, batch dims, other exponents
    from functorch_lite.core.dtypes import bfloat16
    h = np.ones((2, 2), bfloat16)
    f32, f64 = np.ones((2, 2), np.float32), np.ones((2, 2), np.float64)
    i32 = np.ones((2, 2), np.int32)
    matmul = {"dimension_numbers": (((1,), (0,)), ((), ())), "preferred_element_type": None}
    batched = {"dimension_numbers": (((2,), (1,)), ((0,), (0,))), "preferred_element_type": None}
    b3 = np.ones((2, 2, 2), np.float32)
    for name, args, params in [("mul", (h, h), {}), ("mul", (f32, f64), {}),
                               ("mul", (i32, i32), {}), ("integer_pow", (f32,), {"y": 3}),
                               ("dot_general", (b3, b3), batched),
                               ("dot_general", (h, h), matmul)]:
        assert prims[name].specialize(*[aval_of(x) for x in args], **params) is None, name


def test_specialized_tapes_equal_the_walk_bitwise():
    from functorch_lite.core.dtypes import bfloat16

    def f(w1, w2, x, y):  # matmuls in every transposition, vector dots, a scalar fill
        h = 1.0 / (1.0 + fnp.exp(-(x @ w1)))
        out = (h @ w2 - y) ** 2
        v = fnp.sum(h, axis=0) @ w1.T
        return 0.5 * fnp.sum(out) + fnp.sum(v * v) / 3.0 + w1[:, 0] @ w1[:, 1]

    generic_calls = {}
    for dt in (np.float32, np.float64, bfloat16):
        tape.clear()
        w1, w2, x, y = (a.astype(dt) for a in _mlp_data(3))
        g = fl.grad(f, argnums=(0, 1))
        ref = _walk(g, w1, w2, x, y)
        for _ in range(3):
            for r, a in zip(ref, g(w1, w2, x, y)):
                assert a.dtype == r.dtype == dt and type(a) is type(r)
                np.testing.assert_array_equal(a, r)
        (t,) = [t for t in tape._tapes.values() if t is not None]
        generic_calls[dt] = t.source.count("=p")  # calls passing parameters to an impl
    # float32/float64 call specialized NumPy functions where bfloat16 keeps the impls
    # (which compute in float32)
    assert generic_calls[np.float32] == generic_calls[np.float64] < generic_calls[bfloat16]
    # the teaching net's backward pass is NumPy calls only
    g = fl.grad(_mlp_loss, argnums=(0, 1))
    for _ in range(3):
        g(*_mlp_data())
    assert [t.source.count("=p") for t in tape._tapes.values() if t is not None][-1] == 0
