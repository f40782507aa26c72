"""Differentiation corners checked against JAX: float0 tangents and cotangents of integer
values (through vjp, jvp, jacfwd/jacrev, vmap and jit), keyword arguments and the less
common options of the Jacobian functions, custom rules' primal outputs, concrete
conversions under grad, and logsumexp's scaling factors."""
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.special import logsumexp as jax_logsumexp

import functorch_lite as fl
import functorch_lite.numpy as fnp

float0 = jax.dtypes.float0
X = np.array([1.0, 3.0, 2.0], np.float32)


def _same(a, b):
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    assert jax.tree_util.tree_structure(a) == jax.tree_util.tree_structure(b)
    for p, q in zip(la, lb):
        p, q = np.asarray(p), np.asarray(q)
        assert p.dtype == q.dtype and p.shape == q.shape, (p.dtype, q.dtype, p.shape, q.shape)
        if p.dtype != float0:
            np.testing.assert_allclose(p, q, rtol=1e-6)


# ----------------------------------------------------------------------------- float0


def test_vjp_accepts_float0_cotangent_for_integer_output():
    _, f_vjp = fl.vjp(lambda x: (x * 2, fnp.argmax(x)), X)
    _, j_vjp = jax.vjp(lambda x: (x * 2, jnp.argmax(x)), X)
    for ct in (np.zeros((), float0), np.int32(0)):
        _same(f_vjp((np.ones(3, np.float32), ct)), j_vjp((np.ones(3, np.float32), ct)))
    with pytest.raises(TypeError, match="cotangent 1 has shape"):
        f_vjp((np.ones(3, np.float32), np.zeros((2,), float0)))


def test_jvp_of_integer_primal_requires_float0_tangent():
    f = lambda x, n: x * n  # noqa: E731
    t = (np.ones(3, np.float32), np.zeros((), float0))
    _same(fl.jvp(f, (X, np.int32(3)), t), jax.jvp(f, (X, np.int32(3)), t))
    with pytest.raises(TypeError, match=r"tangent 1 .*i32\[\].*float0"):
        fl.jvp(f, (X, np.int32(3)), (np.ones(3, np.float32), np.float32(1.0)))


@pytest.mark.parametrize("wrap", ["none", "jit", "vmap"])
def test_grad_allow_int_gives_float0_under_every_transformation(wrap):
    def go(lib):
        g = lib.grad(lambda x, n: (x * n).sum(), argnums=(0, 1), allow_int=True)
        if wrap == "jit":
            return lib.jit(g)(X, 3)
        if wrap == "vmap":
            return lib.vmap(g)(np.stack([X, 2 * X]), np.array([1, 2]))
        return g(X, 3)
    _same(go(fl), go(jax))


def test_jacobians_of_integer_outputs_and_inputs_match_jax():
    f = lambda x, n=2.0: (x * n, jnp.argmax(x) if isinstance(x, jax.Array) else None)  # noqa
    _same(fl.jacfwd(lambda x: fnp.argmax(x))(X), jax.jacfwd(lambda x: jnp.argmax(x))(X))
    _same(fl.jacfwd(lambda x, n: (x * n, fnp.argmax(x)))(X, n=2.0),
          jax.jacfwd(lambda x, n: (x * n, jnp.argmax(x)))(X, n=2.0))
    _same(fl.jacrev(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(X, np.int32(3)),
          jax.jacrev(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(X, np.int32(3)))
    del f
    with pytest.raises(TypeError, match="jacfwd requires real-valued.*fl.jvp directly"):
        fl.jacfwd(lambda x, n: x * n, argnums=1)(X, 3)
    with pytest.raises(TypeError, match="jacrev requires real-valued.*allow_int"):
        fl.jacrev(lambda x, n: x * n, argnums=1)(X, 3)


# ----------------------------------------------------------------------------- options


def test_jacobians_forward_keyword_arguments():
    f = lambda x, scale: fnp.sin(x) * scale  # noqa: E731
    g = lambda x, scale: jnp.sin(x) * scale  # noqa: E731
    _same(fl.jacfwd(f)(X, scale=2.0), jax.jacfwd(g)(X, scale=2.0))
    _same(fl.jacrev(f)(X, scale=2.0), jax.jacrev(g)(X, scale=2.0))
    _same(fl.hessian(lambda x, s: (f(x, s) ** 2).sum())(X, s=3.0),
          jax.hessian(lambda x, s: (g(x, s) ** 2).sum())(X, s=3.0))


def test_hessian_and_linearize_with_aux_match_jax():
    _same(fl.hessian(lambda x: ((x ** 3).sum(), x * 2), has_aux=True)(X),
          jax.hessian(lambda x: ((x ** 3).sum(), x * 2), has_aux=True)(X))
    y, f_jvp, aux = fl.linearize(lambda x: (fnp.sin(x), x.sum()), X, has_aux=True)
    yj, j_jvp, auxj = jax.linearize(lambda x: (jnp.sin(x), x.sum()), X, has_aux=True)
    _same((y, aux, f_jvp(X)), (yj, auxj, j_jvp(X)))


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
def test_holomorphic_false_is_accepted_and_true_is_a_clear_error(transform):
    f = lambda x: (x ** 2).sum()  # noqa: E731
    _same(getattr(fl, transform)(f, holomorphic=False)(X),
          getattr(jax, transform)(f, holomorphic=False)(X))
    with pytest.raises(TypeError, match="holomorphic=True needs complex numbers"):
        getattr(fl, transform)(f, holomorphic=True)


# ----------------------------------------------------------------------------- custom rules


def _custom_pair(lib, np_):
    @lib.custom_jvp
    def f(x):
        return np_.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        return primals[0] * 10.0, tangents[0] * 2.0
    return f


def test_custom_jvp_primal_output_under_differentiation_is_the_rules():
    f, fj = _custom_pair(fl, fnp), _custom_pair(jax, jnp)
    x = np.float32(1.0)
    _same(fl.jvp(f, (x,), (x,)), jax.jvp(fj, (x,), (x,)))
    _same(fl.vjp(f, x)[0], jax.vjp(fj, x)[0])
    _same(fl.value_and_grad(f)(x), jax.value_and_grad(fj)(x))
    _same(f(x), fj(x))  # outside differentiation: the function itself


@pytest.mark.parametrize("kind", ["jvp", "vjp"])
def test_nondiff_argnames(kind):
    def build(lib):
        if kind == "jvp":
            @partial(lib.custom_jvp, nondiff_argnames=("n",))
            def f(x, n):
                return x ** n

            @f.defjvp
            def f_jvp(n, primals, tangents):
                return primals[0] ** n, 10.0 * n * tangents[0]
            return f

        @partial(lib.custom_vjp, nondiff_argnames=("n",))
        def g(x, n):
            return x ** n
        g.defvjp(lambda x, n: (x ** n, x), lambda n, r, ct: (10.0 * n * ct,))
        return g
    f, fj = build(fl), build(jax)
    _same(fl.grad(f)(2.0, n=3), jax.grad(fj)(2.0, n=3))
    _same(fl.grad(f)(2.0, 3), jax.grad(fj)(2.0, 3))
    with pytest.raises(TypeError, match="nondiff_argnames entry 'm' is not a parameter"):
        fl.custom_jvp(lambda x, n: x, nondiff_argnames=("m",))


# ----------------------------------------------------------------------------- conversions


def test_int_and_item_of_concrete_tracers_under_grad_as_jax():
    _same(fl.grad(lambda x: x * int(x))(3.0), jax.grad(lambda x: x * int(x))(3.0))
    _same(fl.grad(lambda x: x * x.item())(np.float32(3.0)),
          jax.grad(lambda x: x * x.item())(np.float32(3.0)))
    table = [1.0, 2.0, 3.0]
    _same(fl.grad(lambda x: x * table[int(x)])(np.float32(1.0)),
          jax.grad(lambda x: x * table[int(x)])(np.float32(1.0)))
    with pytest.raises(TypeError, match="float\\(\\) on a traced float array"):
        fl.grad(lambda x: x * float(x))(3.0)
    with pytest.raises(TypeError, match="tolist\\(\\) on a traced float array"):
        fl.grad(lambda x: (x * fnp.array(x.tolist())).sum())(X)
    with pytest.raises(fl.ConcretizationTypeError):
        fl.jit(lambda x: x * int(x))(3.0)
    with pytest.raises(fl.ConcretizationTypeError):
        fl.jit(lambda x: x * x.item())(3.0)


# ----------------------------------------------------------------------------- logsumexp


@pytest.mark.parametrize("a, b", [
    ([1.0, 2.0, 3.0], [1.0, 0.0, 2.0]),
    ([1.0, -np.inf, 3.0], [1.0, 0.0, 1.0]),
    ([1.0, np.inf, 3.0], None),
    ([1.0, np.inf, 3.0], [1.0, 0.0, 1.0]),  # the infinite entry is left out
    ([1.0, 2.0, 0.0], [1.0, -2.0, 1.0]),  # a negative sum: NaN, or its sign
])
def test_logsumexp_matches_jax(a, b):
    a = np.array(a, np.float32)
    b = None if b is None else np.array(b, np.float32)
    for sign in (False, True):
        ours = fl.nn.logsumexp(a, b=b, return_sign=sign)
        theirs = jax_logsumexp(a, b=b, return_sign=sign)
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)
        g = fl.grad(lambda a: fl.nn.logsumexp(a, b=b, return_sign=sign) if not sign else
                    fl.nn.logsumexp(a, b=b, return_sign=True)[0])(a)
        gj = jax.grad(lambda a: jax_logsumexp(a, b=b, return_sign=sign) if not sign else
                      jax_logsumexp(a, b=b, return_sign=True)[0])(a)
        np.testing.assert_allclose(g, gj, rtol=1e-6)


def test_logsumexp_axis_keepdims_with_b_under_vmap_and_jit():
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    b = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 1.0]], np.float32)
    np.testing.assert_allclose(fl.nn.logsumexp(x, axis=1, b=b, keepdims=True),
                               jax_logsumexp(x, axis=1, b=b, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(
        fl.jit(fl.vmap(fl.grad(lambda x, b: fl.nn.logsumexp(x, b=b))))(x, b),
        jax.vmap(jax.grad(lambda x, b: jax_logsumexp(x, b=b)))(x, b), rtol=1e-6)
