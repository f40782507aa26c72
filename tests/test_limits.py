"""Limits: the jit cache over many calls and shapes, leaked tracers, 20,000-equation
programs under the default recursion limit, and NaN/inf flowing through as in JAX.

The long-running figures (10,000 calls, 1,000 shapes, 100,000 equations) are printed by
``python benchmarks/soak.py``; these tests check the same properties at CI sizes.
"""
import gc
import re
import subprocess
import sys
import textwrap
import tracemalloc
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

F32 = np.float32


# ----------------------------------------------------------------------------- the jit cache

def _mlp_step():
    params = fl.nn.init_mlp(0, [8, 16, 4])
    opt = fl.optim.sgd(0.05)

    def loss(p, x, y):
        return fl.nn.softmax_cross_entropy(fl.nn.mlp(p, x), y)

    @fl.jit
    def step(p, s, x, y):
        value, g = fl.value_and_grad(loss)(p, x, y)
        p, s = opt.update(g, s, p)
        return p, s, value

    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 8)).astype(F32)
    y = rng.integers(0, 4, 16).astype(np.int32)
    return step, params, opt.init(params), x, y


def test_training_step_keeps_one_cache_entry_and_flat_memory():
    step, p, s, x, y = _mlp_step()
    assert step._cache_size() == 0
    losses = []
    for _ in range(50):  # warm-up: numpy inputs first, then jax arrays from the step
        p, s, value = step(p, s, x, y)
        losses.append(float(value))
    assert step._cache_size() == 1
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            p, s, value = step(p, s, x, y)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert step._cache_size() == 1
    assert int(s.count) == 350
    assert float(value) < losses[0]  # it trains
    assert grown < 128 * 1024, f"Python heap grew by {grown} bytes over 300 calls"


def _sweep(f, n: int):
    for k in range(1, n + 1):
        out = f(np.ones(k, F32))
        assert out.shape == (k,)


def test_each_shape_is_one_entry_and_clear_cache_empties_it():
    f = fl.jit(lambda x: fnp.sin(x) * 2.0)
    _sweep(f, 12)
    assert f._cache_size() == 12
    _sweep(f, 12)  # the same shapes again: all hits
    assert f._cache_size() == 12
    f.clear_cache()
    assert f._cache_size() == 0
    np.testing.assert_allclose(np.asarray(f(np.ones(3, F32))), 2 * np.sin(np.ones(3)),
                               rtol=1e-6)
    assert f._cache_size() == 1


def _in_a_fresh_process(code: str) -> None:
    """Run ``code`` in a new interpreter.  What it checks, the size of JAX's caches of
    compiled executables, is process-wide state: after a few thousand other tests in one
    pytest-xdist worker, a new ``jax.jit`` function was seen to report an empty cache
    after three calls (no functorch_lite involved), and emptying the caches there would
    make every later test in that worker compile its JAX oracles again."""
    prelude = ("import jax, jax.numpy as jnp, numpy as np\n"
               "import functorch_lite as fl, functorch_lite.numpy as fnp\nF32 = np.float32\n")
    r = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def test_clear_caches_drops_the_compiled_executables():
    _in_a_fresh_process("""
        f = fl.jit(lambda x: fnp.sin(x) * 2.0)
        for k in range(1, 7):
            assert f(np.ones(k, F32)).shape == (k,)
        held = lambda: sum(e.fn._cache_size() for e in f._cache.values())
        assert held() == 6, held()
        fl.clear_caches()
        assert held() == 0, held()
        np.testing.assert_allclose(np.asarray(f(np.ones(2, F32))), 2 * np.sin(np.ones(2)),
                                   rtol=1e-6)
        """)


def test_clear_caches_empties_jit_caches_like_jax():
    _in_a_fresh_process("""
        jf = jax.jit(lambda x: jnp.sin(x) * 2.0)
        f = fl.jit(lambda x: fnp.sin(x) * 2.0)
        for k in (1, 2, 3):
            jf(np.ones(k, F32))
            f(np.ones(k, F32))
        assert jf._cache_size() == 3 and f._cache_size() == 3, (jf._cache_size(),
                                                                 f._cache_size())
        jax.clear_caches()
        assert jf._cache_size() == 0
        f(np.ones(4, F32))
        fl.clear_caches()
        assert f._cache_size() == 0
        """)


# ----------------------------------------------------------------------------- leaked tracers

_LEAKED = None


def _leak(transform: str, via: str):
    """The tracer that ``f`` stored in a global or a closure cell under ``transform``."""
    global _LEAKED
    cell = []

    def f(x):
        global _LEAKED
        y = fnp.sin(x) * 2.0
        if via == "global":
            _LEAKED = y
        else:
            cell.append(y)
        return fnp.sum(y)

    x3 = np.arange(3, dtype=F32)
    {"jit": lambda: fl.jit(f)(x3),
     "grad": lambda: fl.grad(f)(x3),
     "vmap": lambda: fl.vmap(f)(np.ones((2, 3), F32)),
     "make_jaxpr": lambda: fl.make_jaxpr(f)(x3)}[transform]()
    out = _LEAKED if via == "global" else cell[0]
    _LEAKED = None
    assert isinstance(out, fl.core.Tracer)
    return out


TRANSFORMS = ["jit", "grad", "vmap", "make_jaxpr"]
USES = {
    "eager_op": lambda t: fnp.sin(t),
    "operator": lambda t: t * 3.0,
    "bool": lambda t: bool(fnp.sum(t) > 0),
    "later_make_jaxpr": lambda t: fl.make_jaxpr(lambda z: z + t)(np.ones(3, F32)),
    "later_jit": lambda t: fl.jit(lambda z: z + t)(np.ones(3, F32)),
    "later_grad": lambda t: fl.grad(lambda z: fnp.sum(z * t))(np.ones(3, F32)),
    "later_vmap": lambda t: fl.vmap(lambda z: z + t)(np.ones((2, 3), F32)),
}
NAME_RE = {"jit": r"\bjit\b", "grad": r"\bgrad\b", "vmap": r"\bvmap\b",
           "make_jaxpr": r"\bmake_jaxpr\b"}


@pytest.mark.parametrize("via", ["global", "closure"])
@pytest.mark.parametrize("use", list(USES))
@pytest.mark.parametrize("transform", TRANSFORMS)
def test_leaked_tracer_raises_unexpected_tracer_error(transform, use, via):
    t = _leak(transform, via)
    with pytest.raises(fl.UnexpectedTracerError, match=r"escaped.*[Rr]eturn it"):
        USES[use](t)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_leaked_tracer_in_a_later_call_of_the_same_jitted_function(transform):
    t = _leak(transform, "global")
    g = fl.jit(lambda z, k: z + k * t, static_argnums=1)
    with pytest.raises(fl.UnexpectedTracerError):
        g(np.ones(3, F32), 1)
    with pytest.raises(fl.UnexpectedTracerError):  # a new static value: a new trace
        g(np.ones(3, F32), 2)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_leaked_tracer_message_names_its_transformation(transform):
    for use in ("eager_op", "later_make_jaxpr"):
        t = _leak(transform, "global")
        with pytest.raises(fl.UnexpectedTracerError) as ei:
            USES[use](t)
        msg = str(ei.value)
        assert re.search(NAME_RE[transform], msg), msg
        for other in TRANSFORMS:
            if other != transform:
                assert not re.search(NAME_RE[other], msg), msg


# ----------------------------------------------------------------------------- long programs

N_ITER = 6_667  # 3 equations a step, plus the sum: 20,002 equations


def _chain(x):
    for _ in range(N_ITER):
        x = x + fnp.sin(x) * 0.001
    return fnp.sum(x)


def _chain_numpy(x):
    """Value and gradient of ``_chain`` in a float64 NumPy loop."""
    x = np.asarray(x, np.float64)
    d = np.ones_like(x)
    for _ in range(N_ITER):
        d *= 1.0 + 0.001 * np.cos(x)
        x = x + np.sin(x) * 0.001
    return x.sum(), d


@pytest.fixture
def default_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(min(old, 1000))  # Python's default: never raised for these tests
    yield
    sys.setrecursionlimit(old)


@pytest.fixture(scope="module")
def long_case():
    x = np.array([0.3, 0.7, 1.5, 2.5], F32)  # all tend to pi: no cancellation in the sum
    return x, _chain_numpy(x)


def test_long_program_make_jaxpr_and_print(default_recursion_limit, long_case):
    x, (ref, _) = long_case
    cj = fl.make_jaxpr(_chain)(x)
    assert len(cj.jaxpr.eqns) == 3 * N_ITER + 1
    text = str(cj)
    assert text.count("\n") > 3 * N_ITER
    (out,) = fl.core.eval_jaxpr(cj.jaxpr, cj.consts, x)
    np.testing.assert_allclose(float(out), ref, rtol=1e-4)


def test_long_program_grad_eager_and_traced(default_recursion_limit, long_case):
    x, (_, dref) = long_case
    np.testing.assert_allclose(fl.grad(_chain)(x), dref, rtol=1e-3)
    gj = fl.make_jaxpr(fl.grad(_chain))(x)
    assert len(gj.jaxpr.eqns) > 3 * N_ITER
    (g,) = fl.core.eval_jaxpr(gj.jaxpr, gj.consts, x)
    np.testing.assert_allclose(g, dref, rtol=1e-3)


def test_long_program_jvp_and_vmap(default_recursion_limit, long_case):
    x, (ref, dref) = long_case
    out, tan = fl.jvp(_chain, (x,), (np.ones_like(x),))
    np.testing.assert_allclose(float(out), ref, rtol=1e-4)
    np.testing.assert_allclose(float(tan), dref.sum(), rtol=1e-3)
    xb = np.stack([x, x[::-1], x * 0.5])  # row 1: same sum, other order
    outs = fl.vmap(_chain)(xb)
    np.testing.assert_allclose(outs, [ref, ref, _chain_numpy(x * 0.5)[0]], rtol=1e-4)


def _gc_collections_during(fn) -> int:
    starts = []
    cb = lambda phase, info: starts.append(info["generation"]) if phase == "start" else None  # noqa: E731
    gc.collect()
    gc.callbacks.append(cb)
    try:
        fn()
    finally:
        gc.callbacks.remove(cb)
    return len(starts)


def test_long_program_trace_and_grad_pause_the_cyclic_gc(long_case):
    x, _ = long_case
    assert _gc_collections_during(lambda: fl.make_jaxpr(_chain)(x)) <= 2
    assert _gc_collections_during(lambda: fl.grad(_chain)(x)) <= 2


def test_long_program_vmap_pauses_the_cyclic_gc(long_case):
    x, _ = long_case
    xb = np.stack([x, x * 0.5])
    assert _gc_collections_during(lambda: fl.vmap(_chain)(xb)) <= 2


@pytest.mark.clears_jax_caches
def test_long_program_jit(default_recursion_limit, long_case):
    x, (ref, _) = long_case
    f = fl.jit(_chain)
    np.testing.assert_allclose(float(f(x)), ref, rtol=1e-4)
    assert f._cache_size() == 1
    fl.clear_caches()


# ----------------------------------------------------------------------------- NaN and inf

SPECIAL = np.array([0.0, -0.0, -1.0, 1.0, np.inf, -np.inf, np.nan, 1e30, -1e30], F32)

NAN_FUNS = {
    "log_at_0": lambda n: lambda x: n.log(x),
    "sqrt_at_-1": lambda n: lambda x: n.sqrt(x),
    "reciprocal": lambda n: lambda x: 1.0 / x,
    "divide_by_0": lambda n: lambda x: x / 0.0,
    "inf_minus_inf": lambda n: lambda x: x - x,
    "exp_overflow_minus": lambda n: lambda x: n.exp(x) - n.exp(x),
    "x_log_x": lambda n: lambda x: x * n.log(x),
    "pow_half": lambda n: lambda x: x ** 0.5,
    "where_guard_nan_grad": lambda n: lambda x: n.where(x > 0, n.sqrt(x), 0.0),
    "double_where": lambda n: lambda x: n.where(x > 0, n.sqrt(n.where(x > 0, x, 1.0)), 0.0),
    "maximum_relu": lambda n: lambda x: n.maximum(x, 0.0),
    "tanh_saturates": lambda n: lambda x: n.tanh(x),
    "sin_of_inf": lambda n: lambda x: n.sin(x),
    "max_reduction": lambda n: lambda x: n.max(n.stack([x, 1.0 + 0.0 * x])),
    "sum_of_squares": lambda n: lambda x: n.sum(n.stack([x, 2.0 * x]) ** 2),
}


def _same(a, b):
    """Equal values with NaN in the same places (infinities with their signs)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", list(NAN_FUNS))
def test_nan_inf_flow_through_eagerly_like_jax(name):
    f, jf = NAN_FUNS[name](fnp), NAN_FUNS[name](jnp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's warnings: see the xfail below
        for x in SPECIAL:
            _same(f(x), jf(x))
            _same(fl.grad(f)(x), jax.grad(jf)(x))
        _same(fl.vmap(fl.grad(f))(SPECIAL), jax.vmap(jax.grad(jf))(SPECIAL))


@pytest.mark.parametrize("name", list(NAN_FUNS))
def test_nan_inf_flow_through_under_jit_like_jax_jit(name):
    f, jf = NAN_FUNS[name](fnp), NAN_FUNS[name](jnp)
    with warnings.catch_warnings():  # rules fold constants eagerly (1.0 / 0.0): NumPy warns
        warnings.simplefilter("ignore", RuntimeWarning)
        _same(fl.jit(fl.vmap(f))(SPECIAL), jax.jit(jax.vmap(jf))(SPECIAL))
        _same(fl.jit(fl.vmap(fl.grad(f)))(SPECIAL), jax.jit(jax.vmap(jax.grad(jf)))(SPECIAL))


def test_nan_inf_value_and_grad_float64():
    with jax.enable_x64(True):
        x = SPECIAL.astype(np.float64)
        for name in ("log_at_0", "sqrt_at_-1", "reciprocal", "where_guard_nan_grad",
                     "double_where"):
            f, jf = NAN_FUNS[name](fnp), NAN_FUNS[name](jnp)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                _same(fl.vmap(fl.grad(f))(x), jax.vmap(jax.grad(jf))(x))


def test_nan_inf_transformations_are_silent_like_jax():
    """grad, vmap and jit of NaN/inf computations raise no NumPy warning (JAX is silent,
    and a warning is an exception under -W error); a plain eager fnp call is NumPy's and
    warns as NumPy does."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("log_at_0", "sqrt_at_-1", "reciprocal", "inf_minus_inf"):
            f = NAN_FUNS[name](fnp)
            for x in SPECIAL:
                fl.grad(f)(x)
                fl.jvp(f, (x,), (np.float32(1.0),))
                fl.jit(fl.grad(f))(x)
            fl.vmap(fl.grad(f))(SPECIAL)
    with pytest.warns(RuntimeWarning):
        fnp.log(np.float32(0.0))
