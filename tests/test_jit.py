"""fl.jit: results equal eager and jax.jit, the compile cache, static arguments, errors,
composition with grad/jvp/vmap, float64 under jit, and a jitted MLP training loop."""
import logging
import os
import subprocess
import sys
import textwrap
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

RNG = np.random.default_rng(0)


def mlp_loss(np_, params, x, y):
    h = np_.tanh(x @ params["W1"] + params["b1"])
    out = h @ params["W2"]
    return np_.mean((out - y) ** 2)


PARAMS = {"W1": RNG.standard_normal((5, 8)).astype(np.float32),
          "b1": np.zeros(8, np.float32),
          "W2": RNG.standard_normal((8, 2)).astype(np.float32)}
XB = RNG.standard_normal((16, 5)).astype(np.float32)
YB = RNG.standard_normal((16, 2)).astype(np.float32)

CORPUS = [
    (lambda np_, x: np_.sin(x) * x + 1.0, (np.linspace(-1, 1, 5, dtype=np.float32),)),
    (lambda np_, x, y: np_.sum(x * y, axis=0), (RNG.standard_normal((3, 4)).astype(np.float32),
                                                RNG.standard_normal(4).astype(np.float32))),
    (lambda np_, x: np_.exp(x) / np_.sum(np_.exp(x)), (np.arange(4, dtype=np.float32),)),
    (lambda np_, x: np_.maximum(x, 0.0).max(), (np.array([-1.0, 2.0, 2.0], np.float32),)),
    (lambda np_, x: np_.where(x > 0, x, 0.1 * x), (np.array([-1.0, 2.0], np.float32),)),
    (lambda np_, x: (x.T @ x).reshape(-1), (RNG.standard_normal((3, 2)).astype(np.float32),)),
    (lambda np_, x: np_.log1p(np_.abs(x)) - np_.sqrt(x * x + 1.0),
     (np.linspace(-2, 2, 7, dtype=np.float32),)),
    (lambda np_, x: np_.concatenate([x, x * 2.0])[::2], (np.arange(5, dtype=np.float32),)),
    (lambda np_, x: np_.cumsum(x) + np_.mean(x), (np.arange(5, dtype=np.float32),)),
    (lambda np_, x: x.astype(np_.int32) + 1, (np.array([1.7, -2.2], np.float32),)),
]


@pytest.mark.parametrize("i", range(len(CORPUS)))
def test_jit_equals_eager_and_jax(i):
    f, args = CORPUS[i]
    eager = f(fnp, *args)
    jitted = fl.jit(partial(f, fnp))(*args)
    ref = jax.jit(partial(f, jnp))(*args)
    assert isinstance(jitted, jax.Array)
    for a in (eager, jitted):
        assert np.asarray(a).dtype == np.asarray(ref).dtype
        np.testing.assert_allclose(np.asarray(a), np.asarray(ref), rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("i", range(6))
def test_jit_of_grad_and_grad_of_jit_equal_jax(i):
    f, args = CORPUS[i]
    loss = lambda np_: (lambda *a: np_.sum(f(np_, *a)))
    ref = jax.grad(loss(jnp))(*args)
    for g in (fl.jit(fl.grad(loss(fnp))), fl.grad(fl.jit(loss(fnp)))):
        np.testing.assert_allclose(np.asarray(g(*args)), np.asarray(ref), rtol=1e-5, atol=1e-6)


def test_jvp_and_vmap_of_jit():
    f = fl.jit(lambda x: fnp.sin(x) * x)
    y, t = fl.jvp(f, (np.float32(0.5),), (np.float32(1.0),))
    ry, rt = jax.jvp(lambda x: jnp.sin(x) * x, (np.float32(0.5),), (np.float32(1.0),))
    np.testing.assert_allclose([y, t], [ry, rt], rtol=1e-6)
    xs = np.linspace(0, 1, 4, dtype=np.float32)
    np.testing.assert_allclose(fl.vmap(f)(xs), np.sin(xs) * xs, rtol=1e-6)


def test_nested_jit_and_jit_in_scan():
    inner = fl.jit(lambda x: x * 2.0)
    outer = fl.jit(lambda x: inner(x) + 1.0)
    assert float(outer(1.0)) == 3.0
    body = fl.jit(lambda c, x: (c + inner(x), c))
    c, ys = fl.lax.scan(body, 0.0, fnp.arange(3.0))
    np.testing.assert_allclose(c, 6.0)


def test_cache_counts_traces():
    count = {"n": 0}

    def f(x, y):
        count["n"] += 1
        return x * y

    jf = fl.jit(f)
    a = np.ones(3, np.float32)
    for _ in range(5):
        jf(a, a)
    assert count["n"] == 1 and jf._cache_size() == 1
    jf(np.ones(4, np.float32), np.ones(4, np.float32))
    assert count["n"] == 2 and jf._cache_size() == 2
    jf(a.astype(np.float64), a.astype(np.float64))
    assert jf._cache_size() == 3
    jf(a, 2.0)  # weakly typed scalar: a new signature, traced once
    jf(a, 3.0)
    assert jf._cache_size() == 4 and count["n"] == 4


def test_static_argnums_and_argnames():
    calls = []

    @partial(fl.jit, static_argnums=1)
    def power(x, n):
        calls.append(n)
        out = x
        for _ in range(n - 1):  # Python control flow on a static value
            out = out * x
        return out

    assert float(power(2.0, 3)) == 8.0
    assert float(power(3.0, 3)) == 27.0
    assert float(power(2.0, 4)) == 16.0
    assert calls == [3, 4]
    g = fl.jit(lambda x, mode="sin": fnp.sin(x) if mode == "sin" else fnp.cos(x),
               static_argnames="mode")
    np.testing.assert_allclose(g(0.0, mode="cos"), 1.0)


def test_float64_stays_float64_under_jit():
    x = np.linspace(0, 1, 5)  # float64
    out = fl.jit(lambda x: fnp.sin(x) * 2.0)(x)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, np.sin(x) * 2.0, rtol=1e-15)
    assert fl.jit(fl.grad(lambda x: fnp.sum(x ** 2)))(x).dtype == np.float64


def test_errors():
    with pytest.raises(fl.ConcretizationTypeError, match="static_argnums"):
        fl.jit(lambda x: x if x > 0 else -x)(1.0)
    with pytest.raises(TypeError, match="unhashable"):
        fl.jit(lambda x, n: x, static_argnums=1)(1.0, [1, 2])
    leaked = []
    fl.jit(lambda x: leaked.append(x * 2.0) or x)(1.0)
    with pytest.raises(fl.UnexpectedTracerError):
        fnp.sin(leaked[0])


def test_log_compiles(caplog):
    fl.config.update("log_compiles", True)
    try:
        with caplog.at_level(logging.WARNING, logger="functorch_lite.jit"):
            fl.jit(lambda x: x + 1.0)(np.ones(2, np.float32))
        assert any("compiling" in r.message for r in caplog.records)
    finally:
        fl.config.update("log_compiles", False)


def sgd_loop(np_, lax, grad, params, x, y, steps, lr=0.05):
    def step(i, p):
        g = grad(lambda p: mlp_loss(np_, p, x, y))(p)
        return {k: p[k] - lr * g[k] for k in p}
    return lax.fori_loop(0, steps, step, params)


def test_jitted_training_loop_matches_eager():
    eager = sgd_loop(fnp, fl.lax, fl.grad, PARAMS, XB, YB, 20)
    jitted = fl.jit(lambda p, x, y: sgd_loop(fnp, fl.lax, fl.grad, p, x, y, 20))(PARAMS, XB, YB)
    ref = jax.jit(lambda p, x, y: sgd_loop(jnp, jax.lax, jax.grad, p, x, y, 20))(PARAMS, XB, YB)
    for k in PARAMS:
        np.testing.assert_allclose(np.asarray(jitted[k]), eager[k], rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(np.asarray(jitted[k]), np.asarray(ref[k]), rtol=1e-4,
                                   atol=1e-5)
    assert mlp_loss(fnp, eager, XB, YB) < mlp_loss(fnp, PARAMS, XB, YB)


def test_data_parallel_step_on_4_host_devices():
    code = textwrap.dedent("""
        import numpy as np, jax
        from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
        import functorch_lite as fl, functorch_lite.numpy as fnp
        assert len(jax.devices()) == 4, jax.devices()
        rng = np.random.default_rng(0)
        W = rng.standard_normal((5, 3)).astype(np.float32)
        x = rng.standard_normal((8, 5)).astype(np.float32)
        y = rng.standard_normal((8, 3)).astype(np.float32)
        def step(W, x, y):
            g = fl.grad(lambda W: fnp.mean((x @ W - y) ** 2))(W)
            return W - 0.1 * g
        single = np.asarray(fl.jit(step)(W, x, y))
        mesh = Mesh(np.array(jax.devices()), ("data",))
        xs = jax.device_put(x, NamedSharding(mesh, P("data")))
        ys = jax.device_put(y, NamedSharding(mesh, P("data")))
        Wr = jax.device_put(W, NamedSharding(mesh, P()))
        par = fl.jit(step)(Wr, xs, ys)
        assert len(xs.sharding.device_set) == 4
        np.testing.assert_allclose(np.asarray(par), single, rtol=1e-5, atol=1e-6)
        rep = NamedSharding(mesh, P())
        par2 = fl.jit(step, in_shardings=(rep, NamedSharding(mesh, P("data")),
                                          NamedSharding(mesh, P("data"))),
                      out_shardings=rep)(W, x, y)
        np.testing.assert_allclose(np.asarray(par2), single, rtol=1e-5, atol=1e-6)
        print("OK")
    """)
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4",
               JAX_PLATFORMS="cpu")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0 and "OK" in out.stdout, out.stderr[-3000:]
