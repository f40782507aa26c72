"""fl.debug.print / fl.debug.callback / fl.pure_callback against jax.debug.* and
jax.pure_callback: what is printed, how often, with which values, and the errors."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import dce_jaxpr, eqn_has_effects


def printed(capsys, thunk) -> list:
    """The lines ``thunk()`` writes to stdout (waiting for jit's host callbacks)."""
    capsys.readouterr()
    thunk()
    jax.effects_barrier()
    return capsys.readouterr().out.splitlines()


def prog(lib, m):
    def f(x):
        lib.debug.print("x={x}", x=x)
        y = x * 2.0 + 1.0
        lib.debug.print("y={} sum={}", y, m.sum(y))
        return (y * x).sum()
    return f


X = np.array([1.0, 2.0, 3.0], np.float32)


# ----------------------------------------------------------------------------- debug.print

@pytest.mark.parametrize("mode", ["eager", "grad", "vjp", "jvp", "linearize", "grad_grad",
                                  "hessian", "jacrev", "jacfwd", "jit", "grad_jit", "jit_grad",
                                  "vmap", "vmap_grad", "grad_vmap", "jit_vmap", "checkpoint",
                                  "grad_grad_jit"])
def test_print_matches_jax(capsys, mode):
    def run(lib, f):
        if mode == "eager":
            return f(X)
        if mode == "grad":
            return lib.grad(f)(X)
        if mode == "vjp":
            return lib.vjp(f, X)[1](np.float32(1.0))
        if mode == "jvp":
            return lib.jvp(f, (X,), (X,))
        if mode == "linearize":
            return lib.linearize(f, X)[1](X)
        if mode == "grad_grad":
            return lib.grad(lib.grad(lambda x: f(x * np.ones(3, np.float32))))(np.float32(2.0))
        if mode == "grad_grad_jit":
            g = lib.jit(lambda x: f(x * np.ones(3, np.float32)))
            return lib.grad(lib.grad(g))(np.float32(2.0))
        if mode == "hessian":
            return lib.hessian(f)(X)
        if mode == "jacrev":
            return lib.jacrev(f)(X)
        if mode == "jacfwd":
            return lib.jacfwd(f)(X)
        if mode == "jit":
            g = lib.jit(f)
            return g(X), g(X + 1)  # twice: prints twice, with the runtime values
        if mode == "grad_jit":
            return lib.grad(lib.jit(f))(X)
        if mode == "jit_grad":
            return lib.jit(lib.grad(f))(X)
        if mode == "vmap":
            return lib.vmap(f)(np.stack([X, X + 1]))
        if mode == "vmap_grad":
            return lib.vmap(lib.grad(f))(np.stack([X, X + 1]))
        if mode == "grad_vmap":
            return lib.grad(lambda x: lib.vmap(f)(x).sum())(np.stack([X, X + 1]))
        if mode == "jit_vmap":
            return lib.jit(lib.vmap(f))(np.stack([X, X + 1]))
        if mode == "checkpoint":  # the forward pass is recomputed: JAX prints twice too
            return lib.grad(lib.checkpoint(f))(X)
    ours = printed(capsys, lambda: run(fl, prog(fl, fnp)))
    theirs = printed(capsys, lambda: run(jax, prog(jax, jnp)))
    if mode == "jit_vmap":  # XLA may run the unordered per-example prints in any order
        ours, theirs = sorted(ours), sorted(theirs)
    assert ours == theirs
    assert ours  # it did print


def test_print_values_and_counts_by_hand(capsys):
    # independent of jax: grad prints the primal values once; jit prints at each call
    def f(x):
        fl.debug.print("v {}", x * 3.0)
        return x * x
    out = printed(capsys, lambda: fl.grad(f)(np.float32(2.0)))
    assert out == ["v 6.0"]
    g = fl.jit(f)
    assert printed(capsys, lambda: fl.make_jaxpr(g)(1.0)) == []  # tracing does not print
    out = printed(capsys, lambda: (g(np.float32(1.0)), g(np.float32(5.0))))
    assert out == ["v 3.0", "v 15.0"]


def test_print_without_traced_arguments_is_staged(capsys):
    # as JAX: a print of constants inside jit/scan runs at each execution / iteration
    for lib in (fl, jax):
        g = lib.jit(lambda x: (lib.debug.print("hi {}", 7), x)[1])
        assert printed(capsys, lambda: (g(1.0), g(2.0))) == ["hi 7", "hi 7"]
        out = printed(capsys, lambda: lib.lax.scan(
            lambda c, _: ((lib.debug.print("it {}", 1.5), c)[1], None), 0.0, None, length=3))
        assert out == ["it 1.5"] * 3
        out = printed(capsys, lambda: lib.vmap(lambda x: (lib.debug.print("c"), x)[1])(X))
        assert out == ["c"]


def test_print_in_a_constant_cond_under_jit_runs_per_call(capsys):
    for lib in (fl, jax):
        def f(x):
            lib.debug.print("p {}", x)
            return x
        g = lib.jit(lambda x: (lib.lax.cond(True, f, lambda x: x, 1.0), x)[1])
        assert printed(capsys, lambda: lib.make_jaxpr(g)(1.0)) == []
        assert printed(capsys, lambda: (g(1.0), g(2.0))) == ["p 1.0", "p 1.0"]


def test_print_under_jvp_of_control_flow_and_custom_jvp(capsys):
    # jvp rules recompute their primal part: the print still runs once per step (as JAX)
    for lib in (fl, jax):
        def f(x):
            lib.debug.print("x={}", x)
            return x * x

        @lib.custom_jvp
        def k(x):
            return x * 3.0

        @k.defjvp
        def _(p, t):
            lib.debug.print("rule {}", p[0])
            return k(p[0]), t[0] * 3.0
        xs = np.arange(2.0, dtype=np.float32)
        out = printed(capsys, lambda: lib.jvp(
            lambda x: lib.lax.scan(lambda c, x: (c + f(x), None), 0.0, x)[0], (xs,), (xs,)))
        assert out == ["x=0.0", "x=1.0"]
        out = printed(capsys, lambda: lib.jvp(
            lambda x: lib.lax.cond(x > 0, f, lambda x: x, x), (2.0,), (1.0,)))
        assert out == ["x=2.0"]
        assert printed(capsys, lambda: lib.jvp(k, (2.0,), (1.0,))) == ["rule 2.0"]


@pytest.mark.parametrize("case", ["scan", "cond", "custom_jvp", "custom_vjp"])
def test_print_under_grad_of_control_flow_and_custom_rules_as_jax(capsys, case):
    # the vjp rules recompute a forward pass (scan steps, a branch, a custom rule): the
    # effects in it already ran, so each print appears as often as under jax.grad
    def run(lib):
        def f(x):
            lib.debug.print("x={}", x)
            return x * x

        @lib.custom_jvp
        def k(x):
            return x * 3.0

        @k.defjvp
        def _(p, t):
            lib.debug.print("rule {}", p[0])
            return k(p[0]), t[0] * 3.0

        @lib.custom_vjp
        def v(x):
            return x * 3.0

        def v_fwd(x):
            lib.debug.print("fwd {}", x)
            return x * 3.0, None

        def v_bwd(_, g):
            lib.debug.print("bwd {}", g)
            return (g * 3.0,)
        v.defvjp(v_fwd, v_bwd)
        xs = np.arange(1.0, 3.0, dtype=np.float32)
        if case == "scan":
            return lib.grad(lambda x: lib.lax.scan(lambda c, x: (c + f(x), None), 0.0, x)[0])(xs)
        if case == "cond":
            return lib.grad(lambda x: lib.lax.cond(x > 0, f, lambda x: x, x))(2.0)
        return lib.grad(k if case == "custom_jvp" else v)(2.0)
    ours, theirs = printed(capsys, lambda: run(fl)), printed(capsys, lambda: run(jax))
    assert ours == theirs
    assert ours


def test_print_vmap_in_axes_and_unbatched(capsys):
    def make(lib, m):
        return lambda x, y: (lib.debug.print("{} {}", x, y), x)[1]
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    ours = printed(capsys, lambda: fl.vmap(make(fl, fnp), in_axes=(1, None))(a, 5.0))
    theirs = printed(capsys, lambda: jax.vmap(make(jax, jnp), in_axes=(1, None))(a, 5.0))
    assert ours == theirs == ["[0. 3.] 5.0", "[1. 4.] 5.0", "[2. 5.] 5.0"]


def test_print_format_spec_static_args_and_two_call_form(capsys):
    for lib in (fl, jax):
        out = printed(capsys, lambda: lib.jit(
            lambda x: lib.debug.print("{s}: {x:.2f} {n}", s="val", x=x, n=None))(1.23456))
        assert out == ["val: 1.23 None"]
        out = printed(capsys, lambda: lib.debug.print(ordered=True)("o {}", np.float32(2)))
        assert out == ["o 2.0"]


def test_print_format_errors_as_jax():
    with pytest.raises(ValueError, match="Unused positional arguments"):
        jax.debug.print("{}", 1.0, 2.0)
    with pytest.raises(ValueError, match=r"Unused positional arguments to `fl.debug.print`"):
        fl.debug.print("{}", 1.0, 2.0)
    with pytest.raises(ValueError, match="f-string"):
        fl.debug.print("x", y=1.0)
    with pytest.raises(TypeError, match="two-call form"):
        fl.debug.print(None, 1.0)


# ----------------------------------------------------------------------------- debug.callback

def test_callback_values_types_and_counts(capsys):
    seen = []

    def f(x, lib):
        lib.debug.callback(lambda a, d, tag: seen.append((tag, type(a), a.tolist(),
                                                         d["k"].tolist())),
                           x, {"k": x * 2}, tag="t")
        return (x * x).sum()
    fl.grad(lambda x: f(x, fl))(X)
    assert seen == [("t", np.ndarray, [1.0, 2.0, 3.0], [2.0, 4.0, 6.0])]
    seen.clear()
    g = fl.jit(lambda x: f(x, fl))
    g(X); g(X + 1); jax.effects_barrier()
    assert [s[2] for s in seen] == [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
    assert all(s[1] is np.ndarray for s in seen)
    seen.clear()
    fl.vmap(lambda x: f(x, fl))(np.stack([X, X + 1]))
    assert [s[2] for s in seen] == [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
    # same number of calls with the same values as JAX
    seen.clear()
    jax.vmap(lambda x: f(x, jax))(np.stack([X, X + 1])); jax.effects_barrier()
    assert [s[2] for s in seen] == [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]


def test_callback_returns_none_and_rejects_non_callable():
    assert fl.debug.callback(lambda x: 1, 1.0) is None
    with pytest.raises(TypeError, match="must be callable"):
        fl.debug.callback(3, 1.0)


# ----------------------------------------------------------------------------- the IR

def test_make_jaxpr_shows_effects_and_dce_keeps_them():
    cj = fl.make_jaxpr(lambda x: (fl.debug.print("hi {}", x), fl.debug.callback(print, x),
                                  x * 2.0)[2])(1.0)
    names = [e.prim.name for e in cj.eqns]
    assert names == ["debug_print", "debug_callback", "mul"]
    text = str(cj)
    assert "debug_print[" in text and "fmt=hi {}" in text and " = debug_print" not in text
    # an unused result: the pure equation goes, the effects stay (as jax.jit's DCE)
    cj = fl.make_jaxpr(lambda x: (fl.debug.print("hi {}", x), x * 2.0, x)[2])(1.0)
    assert [e.prim.name for e in cj.eqns] == ["debug_print"]
    assert all(e.prim.effectful for e in cj.eqns)
    assert dce_jaxpr(cj.jaxpr).eqns == cj.jaxpr.eqns
    # an effect inside a jit call keeps the call
    inner = fl.jit(lambda x: (fl.debug.print("in {}", x), x * 2.0)[1])
    cj = fl.make_jaxpr(lambda x: (inner(x), x)[1])(fl.grad(lambda x: x)(1.0))
    assert [e.prim.name for e in cj.eqns] == ["jit"] and eqn_has_effects(cj.eqns[0])


# ----------------------------------------------------------------------------- pure_callback

SDS3 = fl.ShapeDtypeStruct((3,), np.float32)


def test_pure_callback_values_eager_jit_and_jaxpr():
    calls = []

    def cb(x):
        calls.append(type(x))
        return np.cumsum(x) * np.float32(2)
    f = lambda lib: lambda x: lib.pure_callback(cb, SDS3, x) + 1.0
    want = np.asarray(jax.jit(f(jax))(X))
    np.testing.assert_array_equal(f(fl)(X), want)
    np.testing.assert_array_equal(np.asarray(fl.jit(f(fl))(X)), want)
    assert calls[-2:] == [np.ndarray, np.ndarray]
    cj = fl.make_jaxpr(f(fl))(X)
    assert [e.prim.name for e in cj.eqns][0] == "pure_callback"
    assert cj.eqns[0].outvars[0].aval.shape == (3,)
    # pure: dropped when its result is unused (as jax.jit's DCE)
    cj = fl.make_jaxpr(lambda x: (fl.pure_callback(cb, SDS3, x), x)[1])(X)
    assert cj.eqns == []


def test_pure_callback_pytrees():
    out = fl.pure_callback(lambda x: {"a": x, "b": x * 2}, {"a": SDS3, "b": SDS3}, X)
    np.testing.assert_array_equal(out["b"], X * 2)
    out = fl.pure_callback(lambda: 2.0, fl.ShapeDtypeStruct((), np.float32))
    assert out == 2.0 and out.dtype == np.float32


@pytest.mark.parametrize("method", ["sequential", "expand_dims", "broadcast_all"])
@pytest.mark.parametrize("in_axes", [(0, None), (1, None), (0, 0)])
def test_pure_callback_vmap_methods_as_jax(method, in_axes):
    def run(lib, jit):
        shapes = []

        def cb(x, y):
            shapes.append((np.shape(x), np.shape(y)))
            return np.asarray(x + y, np.float32)
        g = lambda x, y: lib.pure_callback(cb, SDS3, x, y, vmap_method=method)
        g = lib.vmap(g, in_axes=in_axes)
        if jit:
            g = lib.jit(g)
        a = np.arange(6.0, dtype=np.float32)
        x = a.reshape(2, 3) if in_axes[0] == 0 else a.reshape(3, 2)
        y = np.ones(3, np.float32) if in_axes[1] is None else a.reshape(2, 3)
        out = np.asarray(g(x, y))
        jax.effects_barrier()
        return out, shapes
    want, want_shapes = run(jax, False)
    for jit in (False, True):
        got, shapes = run(fl, jit)
        np.testing.assert_array_equal(got, want)
        assert shapes == want_shapes


def test_pure_callback_vmap_method_none_raises_as_jax():
    g = lambda lib: lambda x: lib.pure_callback(lambda x: x, SDS3, x)
    with pytest.raises(NotImplementedError, match="Got vmap_method=None"):
        jax.vmap(g(jax))(np.ones((2, 3), np.float32))
    with pytest.raises(NotImplementedError, match="Got vmap_method=None") as e:
        fl.vmap(g(fl))(np.ones((2, 3), np.float32))
    assert "'sequential'" in str(e.value) and "vmap_method=" in str(e.value)
    with pytest.raises(ValueError, match="vmap_method must be one of"):
        fl.pure_callback(lambda x: x, SDS3, X, vmap_method="bogus")


def test_pure_callback_derivatives_raise_as_jax():
    f = lambda lib: lambda x: lib.pure_callback(np.sin, SDS3, x).sum()
    with pytest.raises(ValueError, match="Pure callbacks do not support JVP"):
        jax.grad(f(jax))(X)
    for run in (lambda: fl.grad(f(fl))(X), lambda: fl.jvp(f(fl), (X,), (X,))):
        with pytest.raises(ValueError, match="do not support JVP") as e:
            run()
        assert "fl.custom_jvp" in str(e.value)
    # a callback off the differentiated path is fine
    h = lambda x: x * fl.pure_callback(lambda: np.float32(3.0),
                                       fl.ShapeDtypeStruct((), np.float32))
    assert fl.grad(h)(2.0) == 3.0


def test_pure_callback_with_custom_jvp_differentiates():
    @fl.custom_jvp
    def sin(x):
        return fl.pure_callback(np.sin, SDS3, x)

    @sin.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return sin(x), fnp.cos(x) * t
    np.testing.assert_allclose(fl.grad(lambda x: sin(x).sum())(X), np.cos(X), rtol=1e-6)


@pytest.mark.parametrize("bad, what", [
    (lambda x: np.ones(4, np.float32), "shape (4,) dtype float32"),
    (lambda x: np.ones(3, np.float64), "dtype float64"),
    (lambda x: "nope", "str 'nope'"),
])
def test_pure_callback_result_mismatch(bad, what):
    with pytest.raises(TypeError) as e:
        fl.pure_callback(bad, SDS3, X)
    msg = str(e.value)
    assert what in msg and "declares shape (3,) dtype float32" in msg
    assert "result_shape_dtypes" in msg
    with pytest.raises(Exception, match="declares shape"):  # at run time under jit
        np.asarray(fl.jit(lambda x: fl.pure_callback(bad, SDS3, x))(X))


def test_pure_callback_tree_and_spec_errors():
    with pytest.raises(TypeError, match="tree structure"):
        fl.pure_callback(lambda x: (x,), SDS3, X)
    with pytest.raises(TypeError, match="ShapeDtypeStruct"):
        fl.pure_callback(lambda x: x, [3], X)
    with pytest.raises(TypeError, match="callable"):
        fl.pure_callback(None, SDS3, X)
