"""Differential tests of automatic differentiation against JAX.

Every program of the corpus is written once against a NumPy namespace ``np_`` and
runs unchanged with ``functorch_lite.numpy`` and with ``jax.numpy``; programs that
use a transformation inside (nested AD, custom rules, checkpoint) get it from
``ad(np_)``, which is ``functorch_lite`` for ``fnp`` and ``jax`` for ``jnp``.

For each program we compare ``grad``, ``value_and_grad``, ``jvp``, ``vjp``,
``jacfwd``, ``jacrev`` and ``hessian`` with JAX's: the same pytree structure,
exactly the same dtypes, values within a tolerance.
"""
from __future__ import annotations

import contextlib
import functools
import zlib
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.tree_util import tree_flatten, tree_map

import functorch_lite as fl
import functorch_lite.numpy as fnp


def ad(np_):
    """The transformation library that goes with a NumPy namespace."""
    return fl if np_ is fnp else jax


R = np.random.default_rng(0)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape).astype(np.float64)


def pos32(*shape):
    return (R.uniform(0.5, 2.0, shape)).astype(np.float32)


# constants closed over by some programs (same arrays for both libraries)
C3 = f32(3)
W33 = (f32(3, 3) * 0.5).astype(np.float32)
EYE3 = np.eye(3, dtype=np.float32)
V3, U3 = f32(3), f32(3)


# ----------------------------------------------------------------------------- custom rules
# Built once per library (cached by namespace).

@functools.cache
def softplus_fn(np_):
    A = ad(np_)

    @A.custom_jvp
    def softplus(x):
        return np_.log(1.0 + np_.exp(x))

    @softplus.defjvp
    def softplus_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return softplus(x), t / (1.0 + np_.exp(-x))
    return softplus


@functools.cache
def triple_tangent_fn(np_):
    """Identity whose (deliberately "wrong") JVP triples the tangent: the rule is used."""
    A = ad(np_)

    @A.custom_jvp
    def f(x):
        return x

    @f.defjvp
    def f_jvp(primals, tangents):
        return primals[0], 3.0 * tangents[0]
    return f


@functools.cache
def powk_fn(np_):
    A = ad(np_)

    @functools.partial(A.custom_jvp, nondiff_argnums=(0,))
    def powk(k, x):
        return x ** k

    @powk.defjvp
    def powk_jvp(k, primals, tangents):
        (x,), (t,) = primals, tangents
        return x ** k, k * x ** (k - 1) * t
    return powk


@functools.cache
def clip_grad_fn(np_):
    A = ad(np_)

    @A.custom_vjp
    def clip_grad(x):
        return x

    def fwd(x):
        return x, None

    def bwd(_, g):
        return (np_.clip(g, -1.0, 1.0),)

    clip_grad.defvjp(fwd, bwd)
    return clip_grad


@functools.cache
def scaled_sin_fn(np_):
    """custom_vjp with a static (nondiff) argument and a residual."""
    A = ad(np_)

    @functools.partial(A.custom_vjp, nondiff_argnums=(0,))
    def scaled_sin(k, x):
        return np_.sin(x) * k

    def fwd(k, x):
        return np_.sin(x) * k, np_.cos(x)

    def bwd(k, cos_x, g):
        return (g * cos_x * k,)

    scaled_sin.defvjp(fwd, bwd)
    return scaled_sin


@functools.cache
def dict_vjp_fn(np_):
    """custom_vjp over a dict argument: the bwd returns a dict cotangent."""
    A = ad(np_)

    @A.custom_vjp
    def affine(p, x):
        return np_.tanh(p["W"] @ x + p["b"])

    def fwd(p, x):
        y = np_.tanh(p["W"] @ x + p["b"])
        return y, (p, x, y)

    def bwd(res, g):
        p, x, y = res
        gz = g * (1.0 - y * y)
        return {"W": np_.outer(gz, x), "b": gz}, p["W"].T @ gz

    affine.defvjp(fwd, bwd)
    return affine


# ----------------------------------------------------------------------------- the corpus

def p_sin_mul(np_, x, y):
    return np_.sum(np_.sin(x) * y)


def p_poly(np_, x):
    return np_.sum(x ** 3 - 2.0 * x ** 2 + x)


def p_softplus_plain(np_, x):
    return np_.sum(np_.log(1.0 + np_.exp(x)))


def p_tanh_chain(np_, x):
    return np_.sum(np_.tanh(np_.tanh(x) * 2.0))


def p_matvec_tanh(np_, W, x):
    return np_.sum(np_.tanh(W @ x))


def p_mse(np_, x, y):
    return ((x - y) ** 2).mean()


def p_div(np_, x, y):
    return np_.sum(x / (1.0 + y * y))


def p_sqrt(np_, x):
    return np_.sum(np_.sqrt(x * x + 1.0))


def p_relu(np_, x, y):
    return np_.sum(np_.maximum(x, 0.0) * y)


def p_where(np_, x):
    return np_.sum(np_.where(x > 0, x ** 2, -x))


def p_max(np_, x):
    return np_.max(x) * 2.0 + np_.min(x)


def p_prod(np_, x):
    return np_.prod(x)


def p_reshape_T(np_, x, W):
    return np_.sum((x.reshape(2, 3).T @ W) ** 2)


def p_index(np_, x):
    return x[0] * x[1] + x[2:].sum() * x[-1]


def p_gather(np_, x, idx):
    return np_.sum(x[idx] ** 2 * np_.arange(4.0))


def p_concat(np_, x, y):
    return np_.sum(np_.concatenate([x, 2.0 * x]) * np_.stack([y, y]).ravel())


def p_einsum(np_, W, x):
    return np_.sum(np_.einsum("ij,j->i", W, x) ** 2)


def p_mlp_dict(np_, params, x):
    h = np_.tanh(x @ params["W1"] + params["b1"])
    return np_.mean((h @ params["W2"]) ** 2)


def p_linear_list(np_, params, x):
    W, b = params
    return np_.sum(np_.sin(x @ W + b))


def p_nested_tree(np_, params, x):
    (W, b), = params["layers"]
    return np_.sum(np_.tanh(W @ x + b) * params["scale"])


def p_xent(np_, logits, labels):
    A = ad(np_)
    z = logits - A.lax.stop_gradient(np_.max(logits, axis=1, keepdims=True))
    lse = np_.log(np_.sum(np_.exp(z), axis=1))
    picked = z[np_.arange(z.shape[0]), labels]
    return np_.mean(lse - picked)


def p_logsumexp_axis(np_, x):
    m = np_.max(x, axis=0, keepdims=True)
    return np_.sum(np_.log(np_.sum(np_.exp(x - m), axis=0, keepdims=True)) + m)


def p_var(np_, x):
    return np_.var(x) + np_.std(x)


def p_cumsum(np_, x):
    return np_.sum(np_.cumsum(x) ** 2)


def p_norm(np_, x):
    return np_.sqrt(np_.sum(x ** 2))


def p_bcast(np_, a, b):
    return np_.sum(np_.sin(a + b) * (a * b))


def p_batched_matmul(np_, a, b):
    return np_.sum(np_.tanh(a @ b))


def p_pow(np_, x, y):
    return np_.sum(x ** y)


def p_abs_clip(np_, x, y):
    return np_.sum(np_.abs(x) * np_.clip(y, -0.5, 0.5))


def p_log1p_expm1(np_, x):
    return np_.sum(np_.log1p(x * x) + np_.expm1(x))


def p_weak(np_, x):
    return (x * 2 + 1) / 3


def p_mixed_precision(np_, x64, x32):
    return np_.sum(x64 * x32 + np_.sin(x32))


# vector / pytree outputs
def p_vec_sin_cos(np_, x, y):
    return np_.sin(x) * np_.cos(y)


def p_vec_linear(np_, W, x):
    return W @ x


def p_tuple_out(np_, x, y):
    return np_.sin(x), x * y


def p_dict_out(np_, x):
    return {"a": np_.exp(x), "b": np_.sum(x * x)}


# symbolic zeros, non-differentiable intermediates, in-place style updates
def p_unused_arg(np_, x, y):
    return np_.sum(x ** 2)


def p_const_output(np_, x):
    return np_.sum(C3) + 0.0 * np_.sum(np_.zeros_like(x))


def p_int_cast(np_, x):
    return np_.sum(x * (x > 0) + x.astype(np_.int32) * 1.5)


def p_at_set(np_, x, y):
    return np_.sum(np_.sin(x.at[1].set(y[0] * 2.0).at[2].add(y[1])) * x)


def p_sort(np_, x):
    return np_.sum(np_.sort(x) * np_.arange(5.0))


def p_fanout(np_, x):
    y = np_.sin(x)
    return np_.sum(y * y * y + y + np_.exp(y) * y)


# lax control flow under AD
def p_cond(np_, x):
    A = ad(np_)
    return np_.sum(A.lax.cond(np_.sum(x) > 0, np_.sin, np_.cos, x) * x)


def p_scan(np_, x):
    A = ad(np_)
    c, ys = A.lax.scan(lambda c, xi: (np_.sin(c * xi) + xi, c * xi), 1.0, x)
    return c + np_.sum(ys * ys)


def p_fori(np_, x):
    A = ad(np_)
    return np_.sum(A.lax.fori_loop(0, 3, lambda i, z: np_.tanh(W33 @ z) + z, x))


# closures and Python control flow
def p_closure(np_, x):
    return np_.sum(C3 * np_.sin(x))


def p_branch(np_, x):
    if x < 3:
        return x ** 2
    return x ** 3 - 5.0 * x


def p_branch_vec(np_, x):
    if np_.sum(x) > 0:
        return np_.sum(np_.sin(x))
    return np_.sum(np_.cos(x))


def p_loop(np_, x):
    for _ in range(3):
        x = np_.sin(x) * x + 0.5
    return x.sum()


def p_while(np_, x):
    y, n = x, 0
    while np_.sum(y * y) < 10.0 and n < 20:
        y = y * 1.5 + 0.1
        n += 1
    return np_.sum(y)


def p_stop_gradient(np_, x):
    A = ad(np_)
    return np_.sum(x * A.lax.stop_gradient(x) + A.lax.stop_gradient(np_.sin(x)) * np_.cos(x))


# nested transformations
def p_grad_of_grad(np_, x):
    A = ad(np_)
    return A.grad(lambda z: np_.sin(z) * z * z)(x)


def p_grad3(np_, x):
    A = ad(np_)
    return A.grad(A.grad(lambda z: np_.sin(z) * np_.exp(z)))(x)


def p_hvp(np_, x, v):
    A = ad(np_)
    h = lambda z: np_.sum(np_.sin(z) * z ** 2)
    return A.jvp(A.grad(h), (x,), (v,))[1]


def p_vjp_of_jvp(np_, x):
    A = ad(np_)
    h = lambda z: np_.tanh(z) * z
    f = lambda z: A.jvp(h, (z,), (V3,))[1]
    return A.vjp(f, x)[1](U3)[0]


def p_closure_grad(np_, x):
    # d/dx [x * d/dy (x * y)] = d/dx [x * x] = 2x
    A = ad(np_)
    return x * A.grad(lambda y: x * y)(3.0)


def p_closure_grad_vec(np_, x):
    A = ad(np_)

    def inner(y):
        return np_.sum(np_.sin(x * y) * y)
    return np_.sum(A.grad(inner)(x * 2.0) * x)


def p_value_and_grad_inside(np_, x):
    A = ad(np_)
    v, g = A.value_and_grad(lambda z: np_.sum(np_.exp(z) * z))(x)
    return v + np_.sum(g * g)


def p_linearize_inside(np_, x, v):
    A = ad(np_)
    y, f_jvp = A.linearize(lambda z: np_.sin(z) * z, x)
    return np_.sum(y * f_jvp(v))


def p_jacfwd_inside(np_, x):
    A = ad(np_)
    J = A.jacfwd(lambda z: np_.tanh(W33 @ z))(x)
    return np_.sum(J * J)


def p_jacrev_inside(np_, x):
    A = ad(np_)
    J = A.jacrev(lambda z: np_.sin(z) * np_.sum(z))(x)
    return np_.sum(J * W33)


def p_hessian_trace(np_, x):
    A = ad(np_)
    H = A.hessian(lambda z: np_.sum(np_.exp(z) * z[0]))(x)
    return np_.sum(H * EYE3)


# custom rules and checkpoint
def p_custom_jvp(np_, x):
    return np_.sum(softplus_fn(np_)(x) * x)


def p_custom_jvp_rule_used(np_, x):
    return np_.sum(np_.sin(triple_tangent_fn(np_)(x)))


def p_custom_jvp_nondiff(np_, x):
    return np_.sum(powk_fn(np_)(3, x) + x)


def p_custom_vjp(np_, x):
    return np_.sum(clip_grad_fn(np_)(x * 3.0) ** 2)


def p_custom_vjp_nondiff(np_, x):
    return np_.sum(scaled_sin_fn(np_)(2.5, x) * x)


def p_custom_vjp_dict(np_, p, x):
    return np_.sum(dict_vjp_fn(np_)(p, x) ** 2)


def p_checkpoint(np_, x, W):
    A = ad(np_)
    blk = A.checkpoint(lambda z, M: np_.tanh(M @ z))
    return np_.sum(blk(blk(x, W), W))


def p_checkpoint_nested_grad(np_, x):
    A = ad(np_)
    g = A.checkpoint(A.grad(lambda z: np_.sum(np_.sin(z) ** 2)))
    return np_.sum(g(x) * x)


class Case(NamedTuple):
    name: str
    fn: Callable
    args: tuple
    argnums: Any = 0
    scalar: bool = True   # scalar float output: grad / value_and_grad / hessian apply
    fwd: bool = True      # forward mode applies (not for custom_vjp, as in JAX)
    hess: bool = True     # hessian checked (kept off where it is only slow)


MLP = {"W1": f32(4, 3), "b1": f32(3), "W2": f32(3, 2)}
X24 = f32(2, 4)
MLP64 = {k: v.astype(np.float64) for k, v in MLP.items()}

CORPUS = [
    Case("sin_mul", p_sin_mul, (f32(4), f32(4)), (0, 1)),
    Case("sin_mul_f64", p_sin_mul, (f64(4), f64(4)), (0, 1)),
    Case("poly", p_poly, (f32(5),)),
    Case("softplus_plain", p_softplus_plain, (f32(4),)),
    Case("tanh_chain", p_tanh_chain, (f32(2, 3),)),
    Case("matvec_tanh", p_matvec_tanh, (f32(3, 4), f32(4)), (0, 1)),
    Case("matvec_tanh_f64", p_matvec_tanh, (f64(3, 4), f64(4)), 1),
    Case("mse", p_mse, (f32(5), f32(5)), (0, 1)),
    Case("div", p_div, (f32(4), f32(4)), (0, 1)),
    Case("sqrt", p_sqrt, (f32(4),)),
    Case("relu", p_relu, (f32(6), f32(6)), (0, 1)),
    Case("where", p_where, (f32(6),)),
    Case("max_min", p_max, (f32(5),)),
    Case("prod", p_prod, (f32(4),)),
    Case("reshape_T", p_reshape_T, (f32(6), f32(2, 3)), (0, 1)),
    Case("index", p_index, (f32(5),)),
    Case("gather", p_gather, (f32(5), np.array([0, 2, 2, 4], np.int32))),
    Case("concat_stack", p_concat, (f32(3), f32(3)), (0, 1)),
    Case("einsum", p_einsum, (f32(3, 4), f32(4)), (0, 1)),
    Case("mlp_dict", p_mlp_dict, (MLP, X24)),
    Case("mlp_dict_f64", p_mlp_dict, (MLP64, X24.astype(np.float64)), (0, 1)),
    Case("linear_list", p_linear_list, ([f32(3, 2), f32(2)], f32(4, 3)), (0, 1)),
    Case("nested_tree", p_nested_tree,
         ({"layers": [(f32(2, 3), f32(2))], "scale": np.float32(1.5)}, f32(3))),
    Case("xent_int_labels", p_xent, (f32(3, 4), np.array([1, 0, 3], np.int32))),
    Case("logsumexp_axis", p_logsumexp_axis, (f32(3, 2),)),
    Case("var_std", p_var, (f32(5),)),
    Case("cumsum", p_cumsum, (f32(4),)),
    Case("norm", p_norm, (f32(4),)),
    Case("broadcast_unbroadcast", p_bcast, (f32(3, 1), f32(1, 4)), (0, 1)),
    Case("batched_matmul", p_batched_matmul, (f32(2, 3, 4), f32(2, 4, 2)), (0, 1)),
    Case("pow", p_pow, (pos32(4), f32(4)), (0, 1)),
    Case("abs_clip", p_abs_clip, (pos32(4) * np.float32(-1), f32(4) * np.float32(0.2)), (0, 1)),
    Case("log1p_expm1", p_log1p_expm1, (f32(4),)),
    Case("weak_scalars", p_weak, (np.float32(0.7),)),
    Case("python_float_arg", p_poly, (1.5,)),
    Case("mixed_precision", p_mixed_precision, (f64(3), f32(3)), (0, 1)),
    Case("unused_arg_zero_grad", p_unused_arg, (f32(3), f32(2)), (0, 1)),
    Case("const_output", p_const_output, (f32(3),)),
    Case("int_cast_no_grad", p_int_cast, (f32(4) * np.float32(3),)),
    Case("at_set_add", p_at_set, (f32(4), f32(2)), (0, 1)),
    Case("sort", p_sort, (f32(5),)),
    Case("fanout", p_fanout, (f32(4),)),
    Case("lax_cond", p_cond, (f32(3),)),
    Case("lax_scan", p_scan, (f32(4),)),
    Case("lax_fori_loop", p_fori, (f32(3),)),
    Case("vec_sin_cos", p_vec_sin_cos, (f32(3), f32(3)), (0, 1), scalar=False),
    Case("vec_linear", p_vec_linear, (f32(2, 3), f32(3)), (0, 1), scalar=False),
    Case("tuple_out", p_tuple_out, (f32(3), f32(3)), (0, 1), scalar=False),
    Case("dict_out", p_dict_out, (f32(3),), scalar=False),
    Case("closure", p_closure, (f32(3),)),
    Case("branch_lt3_taken", p_branch, (2.0,)),
    Case("branch_lt3_not_taken", p_branch, (4.0,)),
    Case("branch_vec", p_branch_vec, (f32(4),)),
    Case("python_loop", p_loop, (f32(3),)),
    Case("python_while", p_while, (pos32(3),)),
    Case("stop_gradient", p_stop_gradient, (f32(4),)),
    Case("grad_of_grad", p_grad_of_grad, (np.float32(0.8),)),
    Case("grad3", p_grad3, (np.float32(0.3),)),
    Case("hvp_jvp_of_grad", p_hvp, (f32(3), f32(3)), (0, 1), scalar=False),
    Case("vjp_of_jvp", p_vjp_of_jvp, (f32(3),), scalar=False),
    Case("closure_grad_2x", p_closure_grad, (np.float32(1.7),)),
    Case("closure_grad_vec", p_closure_grad_vec, (f32(3),)),
    Case("value_and_grad_inside", p_value_and_grad_inside, (f32(3),)),
    Case("linearize_inside", p_linearize_inside, (f32(3), f32(3)), (0, 1)),
    Case("jacfwd_inside", p_jacfwd_inside, (f32(3),)),
    Case("jacrev_inside", p_jacrev_inside, (f32(3),)),
    Case("hessian_inside", p_hessian_trace, (f32(3),), hess=False),
    Case("custom_jvp", p_custom_jvp, (f32(4),)),
    Case("custom_jvp_rule_used", p_custom_jvp_rule_used, (f32(4),)),
    Case("custom_jvp_nondiff", p_custom_jvp_nondiff, (f32(4),)),
    Case("custom_vjp", p_custom_vjp, (np.array([0.05, -0.1, 0.5, -1.0], np.float32),),
         fwd=False, hess=False),
    Case("custom_vjp_nondiff", p_custom_vjp_nondiff, (f32(4),), fwd=False, hess=False),
    Case("custom_vjp_dict", p_custom_vjp_dict, ({"W": f32(2, 3), "b": f32(2)}, f32(3)), (0, 1),
         fwd=False, hess=False),
    Case("checkpoint", p_checkpoint, (f32(3), W33), (0, 1)),
    Case("checkpoint_nested_grad", p_checkpoint_nested_grad, (f32(3),)),
]

SCALAR = [c for c in CORPUS if c.scalar]
FWD = [c for c in CORPUS if c.fwd]
HESS = [c for c in CORPUS if c.scalar and c.fwd and c.hess]
REV2 = [c for c in CORPUS if c.scalar and (c.hess or not c.fwd)]
HESS_NAMES = {c.name for c in HESS}
REV2_NAMES = {c.name for c in REV2}


# Known library gaps (strict xfails: they fail loudly once fixed).
KNOWN_GAPS: dict = {}


def params(cases, test):
    """The cases as pytest params, known gaps marked xfail(strict=True)."""
    out = []
    for c in cases:
        reason = KNOWN_GAPS.get((test, c.name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


def test_corpus_size():
    assert len(CORPUS) >= 40
    assert len({c.name for c in CORPUS}) == len(CORPUS)


# ----------------------------------------------------------------------------- helpers

def _nums(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def x64_for(args):
    """JAX needs 64-bit mode to keep float64 inputs float64 (as fl always does)."""
    leaves = tree_flatten(args)[0]
    if any(getattr(x, "dtype", None) == np.float64 for x in leaves):
        return jax.enable_x64(True)
    return contextlib.nullcontext()


def tol(args):
    """float64 tolerances when every float input is float64, else float32 ones."""
    floats = [x for x in tree_flatten(args)[0]
              if isinstance(x, float) or np.issubdtype(np.asarray(x).dtype, np.floating)]
    if floats and all(getattr(x, "dtype", None) == np.float64 for x in floats):
        return 1e-9, 1e-9
    return 2e-4, 2e-5


def assert_same(ours, ref, args, what=""):
    """Same pytree structure, exactly the same dtypes and shapes, close values; and our
    eager results are plain NumPy values (not jax arrays)."""
    o_leaves, o_tree = tree_flatten(ours)
    r_leaves, r_tree = tree_flatten(ref)
    assert o_tree == r_tree, f"{what}: tree structure {o_tree} != JAX's {r_tree}"
    rtol, atol = tol(args)
    for i, (a, b) in enumerate(zip(o_leaves, r_leaves)):
        assert isinstance(a, (np.ndarray, np.generic)), \
            f"{what}: leaf {i} is {type(a).__name__}, expected a NumPy value"
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype, f"{what}: leaf {i} dtype {a.dtype} != JAX's {b.dtype}"
        assert a.shape == b.shape, f"{what}: leaf {i} shape {a.shape} != JAX's {b.shape}"
        scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol * scale, err_msg=f"{what} leaf {i}")


def rand_like(x, rng):
    if isinstance(x, float):
        return float(rng.standard_normal())
    return rng.standard_normal(np.shape(x)).astype(x.dtype)


def restrict(case, np_):
    """``case.fn`` as a function of its differentiable arguments only."""
    nums = _nums(case.argnums)

    def g(*dyn):
        full = list(case.args)
        for i, v in zip(nums, dyn):
            full[i] = v
        return case.fn(np_, *full)
    return g, tuple(case.args[i] for i in nums)


def with_aux(case, np_):
    def f(*a):
        out = case.fn(np_, *a)
        return out, {"out": out, "sq": out * out}
    return f


def sum_of_grad(case, np_):
    """The sum of all entries of the gradient (for grad-of-grad)."""
    g = ad(np_).grad(functools.partial(case.fn, np_), case.argnums)
    return lambda *a: sum(np_.sum(leaf) for leaf in tree_flatten(g(*a))[0])


_REFS: dict = {}


def refs(case) -> dict:
    """All of JAX's results for one program, computed once (in one ``jax.jit`` when the
    program has no Python control flow on values, else eagerly), with the random
    tangents and cotangent they used."""
    if case.name in _REFS:
        return _REFS[case.name]
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    g, dyn = restrict(case, jnp)
    f = functools.partial(case.fn, jnp)
    with x64_for(case.args):
        try:
            out_shape = jax.eval_shape(g, *dyn)
        except jax.errors.ConcretizationTypeError:
            out_shape = g(*dyn)
        t1 = tree_map(lambda x: rand_like(x, rng), dyn)
        t2 = tree_map(lambda x: rand_like(x, rng), dyn)
        ct = tree_map(lambda o: rand_like(o, rng), out_shape)

        def everything(args, dyn, t1, t2, ct):
            r = {}
            if case.scalar:
                r["vg_aux"] = jax.value_and_grad(with_aux(case, jnp), case.argnums,
                                                 has_aux=True)(*args)
                r["grad"] = jax.grad(f, case.argnums)(*args)
            if case.fwd:
                r["jvp"] = jax.jvp(g, dyn, t1)
                r["jvp2"] = jax.jvp(g, dyn, t2)[1]
                r["jacfwd"] = jax.jacfwd(f, case.argnums)(*args)
            out, f_vjp = jax.vjp(g, *dyn)
            r["vjp"] = (out, f_vjp(ct))
            r["jacrev"] = jax.jacrev(f, case.argnums)(*args)
            if case.name in HESS_NAMES:
                r["hessian"] = jax.hessian(f, case.argnums)(*args)
            if case.name in REV2_NAMES:
                r["grad_of_grad"] = jax.grad(sum_of_grad(case, jnp), case.argnums)(*args)
            return r

        try:
            r = jax.jit(everything)(case.args, dyn, t1, t2, ct)
        except jax.errors.ConcretizationTypeError:  # `if x < 3:` needs concrete values
            r = everything(case.args, dyn, t1, t2, ct)
    r.update(t1=t1, t2=t2, ct=ct)
    _REFS[case.name] = r
    return r


# ----------------------------------------------------------------------------- the tests

@pytest.mark.parametrize("case", params(SCALAR, "any"))
def test_grad(case):
    ours = fl.grad(functools.partial(case.fn, fnp), case.argnums)(*case.args)
    assert_same(ours, refs(case)["grad"], case.args, "grad")


@pytest.mark.parametrize("case", params(SCALAR, "any"))
def test_value_and_grad(case):
    ours = fl.value_and_grad(functools.partial(case.fn, fnp), case.argnums)(*case.args)
    (v, _), g = refs(case)["vg_aux"]
    assert_same(ours, (v, g), case.args, "value_and_grad")


@pytest.mark.parametrize("case", params(SCALAR, "any"))
def test_grad_has_aux(case):
    ours = fl.grad(with_aux(case, fnp), case.argnums, has_aux=True)(*case.args)
    (_, aux), g = refs(case)["vg_aux"]
    assert_same(ours, (g, aux), case.args, "grad(has_aux=True)")
    ours = fl.value_and_grad(with_aux(case, fnp), case.argnums, has_aux=True)(*case.args)
    assert_same(ours, refs(case)["vg_aux"], case.args, "value_and_grad(has_aux=True)")


@pytest.mark.parametrize("case", params(FWD, "any"))
def test_jvp(case):
    r = refs(case)
    g, dyn = restrict(case, fnp)
    assert_same(fl.jvp(g, dyn, r["t1"]), r["jvp"], case.args, "jvp")


@pytest.mark.parametrize("case", params(FWD, "any"))
def test_linearize(case):
    """linearize's jvp_fn, reused for two tangents, equals jvp at each."""
    r = refs(case)
    g, dyn = restrict(case, fnp)
    y, f_jvp = fl.linearize(g, *dyn)
    assert_same((y, f_jvp(*r["t1"]), f_jvp(*r["t2"])), r["jvp"] + (r["jvp2"],), case.args,
                "linearize")


@pytest.mark.parametrize("case", params(CORPUS, "any"))
def test_vjp(case):
    r = refs(case)
    g, dyn = restrict(case, fnp)
    out, f_vjp = fl.vjp(g, *dyn)
    assert_same((out, f_vjp(r["ct"])), r["vjp"], case.args, "vjp")


@pytest.mark.parametrize("case", params(FWD, "any"))
def test_jacfwd(case):
    ours = fl.jacfwd(functools.partial(case.fn, fnp), case.argnums)(*case.args)
    assert_same(ours, refs(case)["jacfwd"], case.args, "jacfwd")


@pytest.mark.parametrize("case", params(CORPUS, "any"))
def test_jacrev(case):
    ours = fl.jacrev(functools.partial(case.fn, fnp), case.argnums)(*case.args)
    assert_same(ours, refs(case)["jacrev"], case.args, "jacrev")


@pytest.mark.parametrize("case", params(HESS, "hessian"))
def test_hessian(case):
    ours = fl.hessian(functools.partial(case.fn, fnp), case.argnums)(*case.args)
    assert_same(ours, refs(case)["hessian"], case.args, "hessian")


@pytest.mark.parametrize("case", params(REV2, "grad_of_grad"))
def test_grad_of_grad_sum(case):
    """grad of (sum of the gradient): reverse over reverse, custom_vjp's bwd included."""
    ours = fl.grad(sum_of_grad(case, fnp), case.argnums)(*case.args)
    assert_same(ours, refs(case)["grad_of_grad"], case.args, "grad(sum(grad))")


# ----------------------------------------------------------------------------- named identities

def test_closure_grad_is_2x():
    for x in (0.5, 1.7, -3.0):
        g = fl.grad(lambda x: x * fl.grad(lambda y: x * y)(3.0))(x)
        assert np.asarray(g).dtype == np.float32
        np.testing.assert_allclose(g, 2 * x, rtol=1e-6)
    assert fl.grad(lambda x: fl.grad(lambda y: x * y)(1.0))(2.0) == 1.0


def test_no_perturbation_confusion():
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (not 2)
    assert fl.grad(lambda x: x * fl.grad(lambda y: x + y)(1.0))(1.0) == 1.0
    # the same through forward mode inside reverse mode
    f = lambda x: x * fl.jvp(lambda y: x + y, (1.0,), (1.0,))[1]
    assert fl.grad(f)(1.0) == 1.0
    assert fl.jvp(f, (1.0,), (1.0,))[1] == 1.0


def test_linearize_matches_jax_linearize():
    f = lambda np_: (lambda x: np_.sin(x) * np_.sum(x))
    x, t = f32(3), f32(3)
    y, f_jvp = fl.linearize(f(fnp), x)
    y_r, f_jvp_r = jax.linearize(f(jnp), x)
    assert_same((y, f_jvp(t), f_jvp(2.0 * t)), (y_r, f_jvp_r(t), f_jvp_r(2.0 * t)), (x,))


def test_grad_of_grad_of_sin():
    x = np.float32(0.4)
    np.testing.assert_allclose(fl.grad(fl.grad(fnp.sin))(x), -np.sin(x), rtol=1e-6)
    np.testing.assert_allclose(fl.grad(fl.grad(fl.grad(fnp.sin)))(x), -np.cos(x), rtol=1e-6)


def test_branch_under_grad_both_sides():
    f = functools.partial(p_branch, fnp)
    assert fl.grad(f)(2.0) == 4.0          # x**2 branch
    assert fl.grad(f)(4.0) == 3 * 16.0 - 5.0  # x**3 - 5x branch


def test_custom_vjp_rule_is_used():
    clip = clip_grad_fn(fnp)
    # d/dx (3x)^2 = 18x, clipped at 1 on the way back through clip_grad, times 3
    np.testing.assert_allclose(fl.grad(lambda x: clip(x * 3.0) ** 2)(2.0), 3.0)
    np.testing.assert_allclose(fl.grad(lambda x: clip(x * 3.0) ** 2)(0.01), 0.18, rtol=1e-5)


def test_custom_jvp_rule_used_in_both_modes():
    f = triple_tangent_fn(fnp)
    assert fl.grad(f)(1.0) == 3.0
    assert fl.jvp(f, (1.0,), (1.0,))[1] == 3.0


def test_checkpoint_same_values_and_grads():
    x = f32(3)
    plain = lambda x: fnp.sum(fnp.tanh(W33 @ fnp.tanh(W33 @ x)))
    ck = fl.checkpoint(plain)
    np.testing.assert_allclose(ck(x), plain(x), rtol=1e-6)
    np.testing.assert_allclose(fl.grad(ck)(x), fl.grad(plain)(x), rtol=1e-6)
