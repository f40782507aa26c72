"""fl.optim: sgd / momentum / adam step for step against optax, eagerly and under fl.jit."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
import functorch_lite.optim as optim
from functorch_lite.tree_util import tree_leaves, tree_map, tree_structure

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 4)).astype(np.float32)
A = (A @ A.T / 4 + np.eye(4)).astype(np.float32)   # a fixed positive definite quadratic
C = RNG.normal(size=4).astype(np.float32)
XS = RNG.normal(size=(16, 3)).astype(np.float32)    # a fixed logistic-regression problem
YS = (RNG.random(16) < 0.5).astype(np.float32)


def quad_grad(p):
    return {"x": A @ (np.asarray(p["x"]) - C)}


def logistic_grad(p):
    W, b = np.asarray(p["W"]), np.asarray(p["b"])
    z = XS @ W + b
    s = 1 / (1 + np.exp(-z))
    r = ((s - YS) / len(YS)).astype(np.float32)
    return {"W": (XS.T @ r).astype(np.float32), "b": np.sum(r, dtype=np.float32)}


PROBLEMS = {
    "quadratic": (quad_grad, {"x": np.zeros(4, np.float32)}),
    "logistic": (logistic_grad, {"W": np.full(3, 0.1, np.float32), "b": np.float32(0.0)}),
}
OPTS = {
    "sgd": (lambda: optim.sgd(0.1), lambda: optax.sgd(0.1)),
    "momentum": (lambda: optim.momentum(0.05, beta=0.8), lambda: optax.sgd(0.05, momentum=0.8)),
    "momentum_default": (lambda: optim.momentum(0.05), lambda: optax.sgd(0.05, momentum=0.9)),
    "adam": (lambda: optim.adam(0.05), lambda: optax.adam(0.05)),
    "adam_custom": (lambda: optim.adam(0.01, b1=0.8, b2=0.99, eps=1e-6),
                    lambda: optax.adam(0.01, b1=0.8, b2=0.99, eps=1e-6)),
    "sgd_schedule": (lambda: optim.sgd(lambda t: 0.2 / (1.0 + t)),
                     lambda: optax.sgd(lambda t: 0.2 / (1.0 + t))),
}


def optax_trajectory(tx, grad_fn, params, steps=20):
    state = tx.init(params)
    out = []
    for _ in range(steps):
        updates, state = tx.update(grad_fn(params), state, params)
        params = optax.apply_updates(params, updates)
        out.append(params)
    return out


def fl_trajectory(opt, grad_fn, params, steps=20, jit=False):
    state = opt.init(params)
    step = fl.jit(lambda g, s, p: opt.update(g, s, p)) if jit else opt.update
    out = []
    for _ in range(steps):
        params, state = step(grad_fn(params), state, params)
        out.append(params)
    return out, state


def assert_trees_close(a, b, rtol=2e-5, atol=1e-6):
    assert tree_structure(a) == tree_structure(b)
    for x, y in zip(tree_leaves(a), tree_leaves(b)):
        assert np.asarray(x).dtype == np.asarray(y).dtype
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=rtol, atol=atol)


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
@pytest.mark.parametrize("name", sorted(OPTS))
@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
def test_matches_optax_over_20_steps(name, problem, jit):
    make, make_ref = OPTS[name]
    grad_fn, p0 = PROBLEMS[problem]
    ours, state = fl_trajectory(make(), grad_fn, p0, jit=jit)
    ref = optax_trajectory(make_ref(), grad_fn, p0)
    for a, b in zip(ours, ref):
        assert_trees_close(a, b)
    assert int(state.count) == 20
    assert np.asarray(state.count).dtype == np.int32


def test_eager_results_are_numpy():
    opt = optim.adam(0.1)
    p = {"x": np.ones(3, np.float32)}
    s = opt.init(p)
    p, s = opt.update({"x": np.ones(3, np.float32)}, s, p)
    for leaf in tree_leaves((p, s)):
        assert isinstance(leaf, (np.ndarray, np.generic))


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_state_is_a_pytree_of_arrays(name):
    opt = getattr(optim, name)(0.1)
    params = {"W": np.ones((2, 3), np.float32), "b": np.zeros(3, np.float32)}
    state = opt.init(params)
    leaves = tree_leaves(state)
    assert state.count.shape == () and np.asarray(state.count).dtype == np.int32
    assert all(hasattr(x, "shape") for x in leaves)
    if name != "sgd":
        moments = state.trace if name == "momentum" else state.mu
        assert tree_structure(moments) == tree_structure(params)


def test_training_step_under_jit_with_grad():
    """The whole step, loss + fl.grad + update, runs inside fl.jit and matches optax."""
    def loss(p, x, y):
        z = fnp.matmul(x, p["W"]) + p["b"]
        return fnp.mean(fnp.log1p(fnp.exp(-z * (2 * y - 1))))

    def jloss(p, x, y):
        z = x @ p["W"] + p["b"]
        return jnp.mean(jnp.log1p(jnp.exp(-z * (2 * y - 1))))

    opt, tx = optim.adam(0.1), optax.adam(0.1)
    p0 = {"W": np.zeros(3, np.float32), "b": np.float32(0.0)}

    @fl.jit
    def step(p, s, x, y):
        return opt.update(fl.grad(loss)(p, x, y), s, p)

    @jax.jit
    def jstep(p, s, x, y):
        u, s = tx.update(jax.grad(jloss)(p, x, y), s, p)
        return optax.apply_updates(p, u), s

    p, s, jp, js = p0, opt.init(p0), p0, tx.init(p0)
    for _ in range(20):
        p, s = step(p, s, XS, YS)
        jp, js = jstep(jp, js, XS, YS)
    assert_trees_close(p, jp, rtol=1e-4, atol=1e-5)
    assert float(loss(p, XS, YS)) < float(loss(p0, XS, YS))
    assert step._cache_size() == 1   # the state keeps its structure and dtypes across steps


def test_float64_params_stay_float64():
    for opt in (optim.sgd(0.1), optim.momentum(0.1), optim.adam(0.1)):
        p = {"x": np.ones(2)}
        s = opt.init(p)
        p, s = opt.update({"x": np.ones(2)}, s, p)
        assert np.asarray(p["x"]).dtype == np.float64
        p, s = fl.jit(opt.update)({"x": np.ones(2)}, s, p)
        assert np.asarray(p["x"]).dtype == np.float64


def test_adam_float64_matches_optax():
    with jax.enable_x64(True):
        tx = optax.adam(0.05)
        ref = optax_trajectory(tx, lambda p: {"x": A.astype(np.float64) @ (p["x"] - C)},
                               {"x": np.zeros(4)})
    ours, _ = fl_trajectory(optim.adam(0.05), lambda p: {"x": A.astype(np.float64) @
                                                         (np.asarray(p["x"]) - C)},
                            {"x": np.zeros(4)})
    assert_trees_close(ours, ref, rtol=1e-6, atol=1e-7)


def test_vmap_over_independent_problems():
    opt = optim.momentum(0.1)
    params = {"x": np.zeros((3, 4), np.float32)}   # three problems, one per row
    state = fl.vmap(opt.init)(params)
    grads = {"x": np.stack([A @ (np.zeros(4, np.float32) - C)] * 3)}
    new, state = fl.vmap(opt.update)(grads, state, params)
    single, _ = opt.update({"x": grads["x"][0]}, opt.init({"x": params["x"][0]}),
                           {"x": params["x"][0]})
    for row in np.asarray(new["x"]):
        np.testing.assert_allclose(row, single["x"], rtol=1e-6)


def test_mismatched_trees_raise():
    opt = optim.sgd(0.1)
    p = {"W": np.ones(2, np.float32), "b": np.zeros(2, np.float32)}
    with pytest.raises(ValueError, match="tree structure"):
        opt.update({"W": np.ones(2, np.float32)}, opt.init(p), p)


def test_sgd_step_formula():
    p = {"a": np.array([1.0, -2.0], np.float32)}
    g = {"a": np.array([0.5, 0.25], np.float32)}
    new, _ = optim.sgd(0.2).update(g, optim.sgd(0.2).init(p), p)
    np.testing.assert_allclose(new["a"], p["a"] - 0.2 * g["a"], rtol=1e-7)
    assert tree_map(lambda x: x.dtype, new) == {"a": np.float32}
