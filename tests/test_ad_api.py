"""The differentiation API's contract (api.md): errors with useful messages, return
structures exactly as JAX's, and the shape of the programs reverse mode builds
(no dead equations, no materialized Jacobian, no work for unneeded cotangents)."""
from __future__ import annotations

import functools
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.tree_util import tree_flatten, tree_structure

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ClosedJaxpr, Jaxpr

R = np.random.default_rng(0)
V3 = R.standard_normal(3).astype(np.float32)
V2 = R.standard_normal(2).astype(np.float32)


# ----------------------------------------------------------------------------- errors

def test_grad_of_non_scalar_output():
    with pytest.raises(TypeError, match="scalar") as e:
        fl.grad(fnp.sin)(V3)
    assert "f32[3]" in str(e.value) or "(3,)" in str(e.value)
    with pytest.raises(TypeError, match="scalar"):
        fl.grad(lambda x: (x, x))(1.0)


def test_grad_of_integer_output():
    with pytest.raises(TypeError, match="float|real"):
        fl.grad(lambda x: (x > 0).astype(fnp.int32).sum())(V3)


def test_grad_wrt_integer_input():
    with pytest.raises(TypeError, match="allow_int") as e:
        fl.grad(lambda x: x * 2.0)(3)
    assert "int32" in str(e.value)
    with pytest.raises(TypeError, match="allow_int"):
        fl.grad(lambda p: p["w"] * 2.0)({"w": np.arange(3, dtype=np.int32)})
    with pytest.raises(TypeError, match="allow_int"):
        fl.value_and_grad(lambda x, n: x * n, argnums=(0, 1))(1.0, 2)


def test_grad_allow_int_gives_float0():
    f = lambda x, n: x * n
    gx, gn = fl.grad(f, argnums=(0, 1), allow_int=True)(2.0, 3)
    rx, rn = jax.grad(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(2.0, 3)
    assert gx == rx == 3.0
    assert np.asarray(gn).dtype == jax.dtypes.float0 == np.asarray(rn).dtype
    assert np.shape(gn) == np.shape(rn) == ()
    gi = fl.grad(lambda i, x: fnp.sum(x), allow_int=True)(np.arange(4, dtype=np.int32), V3)
    assert np.asarray(gi).dtype == jax.dtypes.float0 and np.shape(gi) == (4,)


def _shape_text(shape):
    """A shape as fl prints it (f32[2,3]) or as a tuple ((2, 3))."""
    return rf"(\[{','.join(map(str, shape))}\]|{re.escape(str(tuple(shape)))})"


def test_jvp_tangent_wrong_shape():
    with pytest.raises((TypeError, ValueError), match="tangent") as e:
        fl.jvp(fnp.sin, (V3,), (V2,))
    assert re.search(_shape_text((2,)), str(e.value)) and re.search(_shape_text((3,)),
                                                                     str(e.value))


def test_jvp_tangent_wrong_dtype():
    with pytest.raises(TypeError, match="tangent") as e:
        fl.jvp(fnp.sin, (V3,), (V3.astype(np.float64),))
    assert re.search("f64|float64", str(e.value)) and re.search("f32|float32", str(e.value))


def test_jvp_tangent_wrong_tree_structure():
    with pytest.raises(TypeError, match="structure"):
        fl.jvp(lambda a: fnp.sin(a[0]), ((V3,),), ([V3],))
    with pytest.raises(TypeError, match="structure"):
        fl.jvp(lambda a, b: a * b, (V3, V3), (V3,))
    with pytest.raises(TypeError, match="tuple"):
        fl.jvp(fnp.sin, V3, V3)


def test_linearize_tangent_wrong_shape():
    _, f_jvp = fl.linearize(fnp.sin, V3)
    with pytest.raises((TypeError, ValueError), match="tangent"):
        f_jvp(V2)


def test_vjp_wrong_cotangent():
    _, f_vjp = fl.vjp(fnp.sin, V3)
    with pytest.raises((TypeError, ValueError), match="cotangent") as e:
        f_vjp(V2)
    assert re.search(_shape_text((2,)), str(e.value)) and re.search(_shape_text((3,)),
                                                                     str(e.value))
    _, f_vjp = fl.vjp(lambda x: (x, x), V3)
    with pytest.raises(TypeError, match="structure"):
        f_vjp(V3)


def test_custom_vjp_under_forward_mode_is_a_clear_error():
    @fl.custom_vjp
    def f(x):
        return fnp.sin(x)

    f.defvjp(lambda x: (fnp.sin(x), fnp.cos(x)), lambda c, g: (g * c,))
    assert fl.grad(f)(0.0) == 1.0
    for call in (lambda: fl.jvp(f, (0.5,), (1.0,)),
                 lambda: fl.jacfwd(f)(V3)):
        with pytest.raises(TypeError, match="custom_vjp") as e:
            call()
        assert re.search("forward|jvp", str(e.value))


def test_hessian_of_custom_vjp_differentiates_fwd_and_bwd_as_jax():
    # forward over reverse: the outer jvp differentiates the fwd function and the bwd
    # rule (JAX does the same), it does not hit the call's missing forward rule
    def make(A, np_):
        @A.custom_vjp
        def clip_grad(x):
            return x
        clip_grad.defvjp(lambda x: (x, None), lambda _, g: (np_.clip(g, -1.0, 1.0),))

        @A.custom_vjp
        def sin(x):
            return np_.sin(x)
        sin.defvjp(lambda x: (np_.sin(x), np_.cos(x)), lambda c, g: (g * c,))
        return lambda x: np_.sum(np_.sin(clip_grad(3.0 * x)) ** 2 + sin(x))

    x = np.array([0.1, 0.2, 0.3], np.float32)
    want = jax.hessian(make(jax, jnp))(x)
    np.testing.assert_allclose(fl.hessian(make(fl, fnp))(x), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fl.jacrev(fl.jacrev(make(fl, fnp)))(x), want, rtol=1e-5,
                               atol=1e-6)


def test_has_aux_needs_a_pair():
    with pytest.raises(TypeError, match="aux"):
        fl.grad(lambda x: x * 2.0, has_aux=True)(1.0)


# ----------------------------------------------------------------------------- return structures

def _same_structure(ours, ref):
    assert tree_structure(ours) == tree_structure(ref), (tree_structure(ours),
                                                         tree_structure(ref))
    for a, b in zip(tree_flatten(ours)[0], tree_flatten(ref)[0]):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def loss(np_):
    return lambda p, x: np_.sum(np_.tanh(p["W"] @ x + p["b"]) ** 2)


P = {"W": R.standard_normal((2, 3)).astype(np.float32), "b": V2}


def test_grad_argnums_tuple_returns_tuple():
    g = fl.grad(loss(fnp), argnums=(0, 1))(P, V3)
    assert isinstance(g, tuple) and len(g) == 2 and isinstance(g[0], dict)
    _same_structure(g, jax.grad(loss(jnp), argnums=(0, 1))(P, V3))
    g1 = fl.grad(loss(fnp), argnums=(1,))(P, V3)
    assert isinstance(g1, tuple) and len(g1) == 1
    assert not isinstance(fl.grad(loss(fnp), argnums=1)(P, V3), tuple)


def test_has_aux_structures():
    def f(np_):
        return lambda x: (np_.sum(x ** 2), {"mean": np_.mean(x), "x": x})
    g, aux = fl.grad(f(fnp), has_aux=True)(V3)
    _same_structure((g, aux), jax.grad(f(jnp), has_aux=True)(V3))
    (v, aux), g = fl.value_and_grad(f(fnp), has_aux=True)(V3)
    _same_structure(((v, aux), g), jax.value_and_grad(f(jnp), has_aux=True)(V3))
    v, g = fl.value_and_grad(loss(fnp))(P, V3)
    _same_structure((v, g), jax.value_and_grad(loss(jnp))(P, V3))


def test_vjp_returns_tuple_of_cotangents():
    out, f_vjp = fl.vjp(fnp.sin, V3)
    cts = f_vjp(V3)
    assert isinstance(cts, tuple) and len(cts) == 1
    out, f_vjp = fl.vjp(loss(fnp), P, V3)
    cts = f_vjp(np.float32(1.0))
    _same_structure(cts, jax.vjp(loss(jnp), P, V3)[1](np.float32(1.0)))
    out, f_vjp, aux = fl.vjp(lambda x: (fnp.sin(x), x * 2.0), V3, has_aux=True)
    np.testing.assert_allclose(aux, V3 * 2.0)


def test_jvp_has_aux_structure():
    f = lambda np_: (lambda x: (np_.sin(x), {"c": np_.cos(x)}))
    ours = fl.jvp(f(fnp), (V3,), (V3,), has_aux=True)
    ref = jax.jvp(f(jnp), (V3,), (V3,), has_aux=True)
    assert len(ours) == 3
    _same_structure(ours, ref)


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_shapes_for_pytrees(jac):
    def f(np_):
        return lambda p, x: {"y": np_.tanh(p["W"] @ x + p["b"]), "s": np_.sum(p["W"]) * x[0]}
    ours = getattr(fl, jac)(f(fnp), argnums=(0, 1))(P, V3)
    ref = getattr(jax, jac)(f(jnp), argnums=(0, 1))(P, V3)
    _same_structure(ours, ref)
    assert ours["y"][0]["W"].shape == (2, 2, 3)   # out.shape + in.shape
    assert ours["y"][1].shape == (2, 3)
    assert ours["s"][0]["b"].shape == (2,)
    single = getattr(fl, jac)(f(fnp))(P, V3)
    assert single["y"]["W"].shape == (2, 2, 3)


@pytest.mark.parametrize("jac", ["jacfwd", "jacrev"])
def test_jacobian_has_aux(jac):
    f = lambda np_: (lambda x: (np_.sin(x), np_.sum(x)))
    J, aux = getattr(fl, jac)(f(fnp), has_aux=True)(V3)
    Jr, auxr = getattr(jax, jac)(f(jnp), has_aux=True)(V3)
    _same_structure((J, aux), (Jr, auxr))


def test_hessian_shapes():
    f = lambda np_: (lambda x: np_.sum(np_.sin(x) * x[0]))
    M = R.standard_normal((2, 3)).astype(np.float32)
    H = fl.hessian(f(fnp))(M)
    assert H.shape == (2, 3, 2, 3)
    _same_structure(H, jax.hessian(f(jnp))(M))
    g = lambda np_: (lambda a, b: np_.sum(np_.sin(a) * b ** 2))
    Hab = fl.hessian(g(fnp), argnums=(0, 1))(V3, V2.reshape(2, 1))
    ref = jax.hessian(g(jnp), argnums=(0, 1))(V3, V2.reshape(2, 1))
    _same_structure(Hab, ref)
    assert Hab[0][1].shape == (3, 2, 1) and Hab[1][1].shape == (2, 1, 2, 1)


# ----------------------------------------------------------------------------- program shape

def _jaxprs(j):
    """A jaxpr and every jaxpr nested in its equations' params."""
    stack, seen = [j.jaxpr if isinstance(j, ClosedJaxpr) else j], []
    while stack:
        jp = stack.pop()
        seen.append(jp)
        for eqn in jp.eqns:
            for v in eqn.params.values():
                for item in (v if isinstance(v, (tuple, list)) else (v,)):
                    if isinstance(item, ClosedJaxpr):
                        stack.append(item.jaxpr)
                    elif isinstance(item, Jaxpr):
                        stack.append(item)
    return seen


def _dead_equations(jaxpr: Jaxpr) -> list:
    used = {v for v in jaxpr.outvars}
    for eqn in jaxpr.eqns:
        used.update(eqn.invars)
    return [e for e in jaxpr.eqns if not any(v in used for v in e.outvars)]


W35 = R.standard_normal((3, 5)).astype(np.float32)
X5 = R.standard_normal(5).astype(np.float32)

DCE_PROGRAMS = {
    "sin_mul": (lambda x: fnp.sin(x) * x, (1.0,)),
    "mlp": (lambda x, W: fnp.sum(fnp.tanh(W @ x) ** 2), (X5, W35)),
    "stop_gradient": (lambda x: fnp.sum(fl.lax.stop_gradient(fnp.exp(x)) * fnp.sin(x)), (X5,)),
    "unused_output_part": (lambda x: fnp.sum(fnp.stack([fnp.sin(x), fnp.cos(x)])[0]), (X5,)),
    "max_where": (lambda x: fnp.sum(fnp.where(x > 0, x, 0.1 * x)) + fnp.max(x), (X5,)),
    "grad_of_grad": (fl.grad(lambda x: fnp.sin(x) * fnp.exp(x)), (0.5,)),
}


@pytest.mark.parametrize("name", list(DCE_PROGRAMS))
def test_grad_jaxpr_has_no_unused_equation(name):
    f, args = DCE_PROGRAMS[name]
    closed = fl.make_jaxpr(fl.grad(f))(*args)
    for jp in _jaxprs(closed):
        dead = _dead_equations(jp)
        assert not dead, f"unused equations {dead} in\n{closed}"


def test_grad_wrt_x_computes_no_cotangent_for_W():
    """Only the needed cotangents are computed: no W-shaped value in grad wrt x."""
    f = lambda x, W: fnp.sum(fnp.tanh(W @ x))
    closed = fl.make_jaxpr(fl.grad(f, argnums=0))(X5, W35)
    for jp in _jaxprs(closed):
        for eqn in jp.eqns:
            for v in eqn.outvars:
                assert v.aval.shape != (3, 5), f"{eqn} computes a W-shaped value:\n{closed}"
    np.testing.assert_allclose(fl.grad(f)(X5, W35),
                               jax.grad(lambda x, W: jnp.sum(jnp.tanh(W @ x)))(X5, W35),
                               rtol=1e-5, atol=1e-6)


def _big_vars(closed, limit):
    out = []
    for jp in _jaxprs(closed):
        for v in list(jp.invars) + list(jp.constvars):
            if v.aval.size >= limit:
                out.append(("input", v.aval.str_short()))
        for eqn in jp.eqns:
            for v in eqn.outvars:
                if v.aval.size >= limit:
                    out.append((eqn.prim.name, v.aval.str_short()))
    return out


@pytest.mark.parametrize("W_is", ["closure", "argument"])
def test_reverse_mode_never_materializes_a_jacobian(W_is):
    n = 512
    rng = np.random.default_rng(1)
    W = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
    x = rng.standard_normal(n).astype(np.float32)
    if W_is == "closure":
        f = lambda x: fnp.sum(fnp.sin(W @ x))
        closed = fl.make_jaxpr(fl.grad(f))(x)
        g = fl.grad(f)(x)
    else:
        f = lambda x, W: fnp.sum(fnp.sin(W @ x))
        closed = fl.make_jaxpr(fl.grad(f))(x, W)
        g = fl.grad(f)(x, W)
    big = _big_vars(closed, n * n)
    # W itself is the only n*n value: a constant (closure) or an input (argument)
    assert big == [("input", "f32[512,512]")], f"large values in grad's jaxpr: {big}"
    np.testing.assert_allclose(g, W.T @ np.cos(W @ x), rtol=1e-4, atol=1e-5)


def test_grad_cost_is_a_small_multiple_of_the_function():
    """Cheap-gradient principle, counted in equations of the traced programs."""
    def f(x, W):
        for _ in range(8):
            x = fnp.tanh(W @ x)
        return fnp.sum(x)
    n_fwd = len(fl.make_jaxpr(f)(V3, np.eye(3, dtype=np.float32)).eqns)
    n_grad = len(fl.make_jaxpr(fl.grad(f))(V3, np.eye(3, dtype=np.float32)).eqns)
    assert n_grad <= 5 * n_fwd, (n_fwd, n_grad)


def test_stop_gradient_top_level():
    g = fl.grad(lambda x: fnp.sum(x * fl.stop_gradient(x)))(V3)
    np.testing.assert_allclose(g, V3)
    tree = fl.stop_gradient({"a": V3, "n": np.arange(2, dtype=np.int32)})
    np.testing.assert_array_equal(tree["a"], V3)
    assert tree["n"].dtype == np.int32


def _count(closed, prim_name):
    return sum(e.prim.name == prim_name for jp in _jaxprs(closed) for e in jp.eqns)


def test_checkpoint_recomputes_in_the_backward_pass():
    """With checkpoint the forward values are recomputed for the backward pass (more
    `sin` equations), without it they are stored; values and gradients are equal."""
    body = lambda x: fnp.sin(fnp.sin(x))
    plain = lambda x: fnp.sum(body(x))
    ck = lambda x: fnp.sum(fl.checkpoint(body)(x))
    n_plain = _count(fl.make_jaxpr(fl.value_and_grad(plain))(V3), "sin")
    n_ck = _count(fl.make_jaxpr(fl.value_and_grad(ck))(V3), "sin")
    assert n_ck > n_plain, (n_plain, n_ck)
    v1, g1 = fl.value_and_grad(plain)(V3)
    v2, g2 = fl.value_and_grad(ck)(V3)
    np.testing.assert_allclose(v1, v2, rtol=1e-6)
    np.testing.assert_allclose(g1, g2, rtol=1e-6)


def _custom_rules_loss(A, np_):
    """custom_jvp (also with a nondiff argument) and custom_vjp rules that are deliberately
    not the true derivatives, so every order shows whether the rule is what gets used."""
    @A.custom_jvp
    def f(x):
        return np_.sin(x) * x

    @f.defjvp
    def f_jvp(p, t):
        return np_.sin(p[0]) * p[0], 2.5 * t[0] * np_.cos(p[0])

    @functools.partial(A.custom_jvp, nondiff_argnums=(0,))
    def g(k, x):
        return x ** k

    @g.defjvp
    def g_jvp(k, p, t):
        return p[0] ** k, 1.5 * k * p[0] ** (k - 1) * t[0]

    @A.custom_vjp
    def h(x, y):
        return np_.tanh(x) * y
    h.defvjp(lambda x, y: (np_.tanh(x) * y, (x, y)),
             lambda r, c: (0.7 * c * r[1] * (1 - np_.tanh(r[0]) ** 2), 2.0 * c * np_.tanh(r[0])))
    return lambda x: np_.sum(f(x) ** 2 + g(3, x) + h(x, x * x))


@pytest.mark.parametrize("name", ["grad", "grad_grad", "jacrev_grad", "jit_grad_grad",
                                  "vmap_grad_grad", "grad_grad_grad"])
def test_custom_rules_at_every_order_match_jax(name):
    # JAX differentiates the rule's own computation at higher orders (the jvp rule's primal
    # output, the fwd function and bwd), never the custom call a second time
    def run(A, np_):
        L = _custom_rules_loss(A, np_)
        sum_grad = lambda z: A.grad(L)(z).sum()  # noqa: E731
        return {
            "grad": lambda x: A.grad(L)(x),
            "grad_grad": lambda x: A.grad(sum_grad)(x),
            "jacrev_grad": lambda x: A.jacrev(A.grad(L))(x),
            "jit_grad_grad": lambda x: A.jit(A.grad(lambda z: (A.grad(L)(z) ** 2).sum()))(x),
            "vmap_grad_grad": lambda x: A.vmap(A.grad(sum_grad))(np_.stack([x, 2.0 * x])),
            "grad_grad_grad": lambda x: A.grad(lambda z: A.grad(sum_grad)(z).sum())(x),
        }[name](np.array([0.3, -0.7, 1.1], np.float32))
    np.testing.assert_allclose(np.asarray(run(fl, fnp)), np.asarray(run(jax, jnp)), rtol=1e-4,
                               atol=1e-5)


def test_custom_rules_computing_on_untraced_values_keep_float32():
    # the cotangent reaching bwd (and a tangent reaching a jvp rule) may be a plain NumPy
    # array: g * k with an int32 k is float64 under NumPy's promotion (float32 in JAX);
    # the rule's result is taken in its input's float dtype, as JAX's would be
    def make(A, np_):
        k = np.arange(3).astype(np.int32)

        @A.custom_vjp
        def h(x):
            return x * k
        h.defvjp(lambda x: (x * k, x), lambda r, g: (g * k * 0.5 + np_.sin(r) * g,))

        @A.custom_jvp
        def f(x):
            return np_.sin(x)

        @f.defjvp
        def f_jvp(p, t):
            return np_.sin(p[0]), t[0] * k
        return (lambda x: np_.sum(np_.tanh(h(np_.tanh(x))) + f(x) ** 2)), f

    x = np.array([0.3, -0.7, 1.1], np.float32)
    v = np.ones(3, np.float32)
    for run in (lambda A, L, f: A.grad(L)(x),
                lambda A, L, f: A.jvp(A.grad(L), (x,), (v,))[1],
                lambda A, L, f: A.grad(lambda z: A.grad(L)(z).sum())(x),
                lambda A, L, f: A.jvp(f, (x,), (v,))[1]):
        got, want = run(fl, *make(fl, fnp)), run(jax, *make(jax, jnp))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-5, atol=1e-6)


def test_defjvps_per_argument_rules_match_jax():
    def make(A, np_):
        @A.custom_jvp
        def f(x, y):
            return np_.sin(x) * y

        # deliberately scaled rules, and no rule (None) for nothing: the sum is what counts
        f.defjvps(lambda t, ans, x, y: 3.0 * np_.cos(x) * y * t,
                  lambda t, ans, x, y: np_.sin(x) * t * 0.5)

        @A.custom_jvp
        def g(x, y):
            return x * 2.0 + y

        g.defjvps(lambda t, ans, x, y: 2.0 * t, None)  # y's tangent contributes nothing
        return lambda x, y: np_.sum(f(x, y) ** 2 + g(x, y))

    x = np.array([0.3, -0.7, 1.1], np.float32)
    y = np.array([1.5, 0.2, -0.4], np.float32)
    for run in (lambda A, L: A.grad(L, argnums=(0, 1))(x, y),
                lambda A, L: A.jvp(L, (x, y), (y, x))[1],
                lambda A, L: A.grad(lambda a: A.grad(L)(a, y).sum())(x),
                lambda A, L: A.jit(A.vmap(A.grad(L), in_axes=(0, None)))(np.stack([x, -x]), y)):
        got = run(fl, make(fl, fnp))
        want = run(jax, make(jax, jnp))
        for g_, w_ in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
            np.testing.assert_allclose(np.asarray(g_), np.asarray(w_), rtol=1e-5, atol=1e-6)


def test_defjvps_with_nondiff_argnums_is_refused():
    f = fl.custom_jvp(lambda n, x: x * n, nondiff_argnums=(0,))
    with pytest.raises(TypeError, match="defjvps cannot be used with nondiff_argnums"):
        f.defjvps(lambda t, ans, x: t)


def test_custom_functions_take_keywords_and_defaults_as_jax():
    def make(A, np_):
        @A.custom_jvp
        def f(x, y=2.0):
            return np_.sin(x) * y

        @f.defjvp
        def f_jvp(p, t):
            return f(*p), np_.cos(p[0]) * p[1] * t[0] + np_.sin(p[0]) * t[1]

        @A.custom_vjp
        def h(x, scale=3.0):
            return x * scale
        h.defvjp(lambda x, scale: (x * scale, scale), lambda s, g: (g * s * 0.5, None))
        return lambda x: np_.sum(f(x) + f(x, y=0.5) + h(x) + h(x, scale=1.5))

    x = np.array([0.3, -0.7, 1.1], np.float32)
    np.testing.assert_allclose(fl.grad(make(fl, fnp))(x), jax.grad(make(jax, jnp))(x),
                               rtol=1e-5)


def test_custom_function_keyword_only_arguments_are_refused():
    @fl.custom_jvp
    def f(x, *, y):
        return x * y
    f.defjvp(lambda p, t: (f(*p), t[0]))
    with pytest.raises(TypeError, match="keyword-only arguments \\(y\\)"):
        fl.grad(lambda x: f(x, y=2.0))(1.0)


def test_custom_jvp_rule_calling_the_function_on_its_tangents():
    # a linear function's rule applies the function to the tangent (as jnp.linalg.solve's
    # does); reverse mode transposes that call as a plain call (it used to recurse forever)
    import jax

    for lib in (jax, fl):
        @lib.custom_jvp
        def lin(x):
            return 2 * x * np.float32(1.5)

        @lin.defjvp
        def lin_jvp(p, t):
            return lin(p[0]), lin(t[0])

        x = np.arange(3, dtype=np.float32)
        f = lambda x: (lin(x * x) ** 2).sum()  # noqa: E731
        results = (lib.grad(f)(x), lib.jacrev(lin)(x), lib.hessian(f)(x),
                   lib.jit(lib.grad(f))(x), lib.vmap(lib.grad(lambda v: lin(v * v)))(x),
                   lib.jvp(lin, (1.0,), (1.0,))[1])
        if lib is jax:
            want = results
        else:
            for got, ref in zip(results, want):
                np.testing.assert_allclose(np.asarray(got), np.asarray(ref), rtol=1e-6)
            assert isinstance(results[-1], np.float32)  # a Python scalar tangent: an array
