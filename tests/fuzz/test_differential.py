"""Differential fuzzing: random programs (tests/fuzz/programs.py) against JAX itself.

Every generated program runs with ``(fnp, fl.lax)`` and with ``(jax.numpy,
jax.lax)``; each property compares one transformation.  The JAX side runs under
``jax.jit`` (one XLA compilation per program instead of one per op and shape,
several times faster; values agree with eager JAX to rounding).  A failing example is
shrunk by hypothesis and printed as Python source (``note`` and the assertion
message), with the seed of its input values.

Profiles (see conftest.py): fast by default (deterministic, a few hundred
programs in total), ``FUZZ_LONG=1`` / ``--fuzz-long`` for tens of thousands.
The counter (printed at the end of the session) counts programs fully checked;
derivative properties reject (``assume``) the ~15% of programs whose inputs sit
within 1e-6 of a kink (a tie of max/maximum, abs at 0, clip at a bound).
"""
from __future__ import annotations

import os
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from jax.tree_util import tree_leaves

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ClosedJaxpr, Jaxpr, check_jaxpr, dce_jaxpr

from . import counter
from .programs import Guard, Namespace, programs

FL = Namespace(fnp, fl.lax, fl.custom_jvp, fl.custom_vjp)
JX = Namespace(jnp, jax.lax, jax.custom_jvp, jax.custom_vjp)

# programs per property: (fast, long)
_EXAMPLES = {
    "eager": (100, 5000),
    "grad": (60, 3000),
    "jvp_vjp": (50, 3000),
    "jac": (40, 2000),
    "jit": (40, 2000),
    "vmap": (80, 3000),
    "grad_grad": (50, 2000),
    "jaxpr": (60, 3000),
    "compose": (40, 2000),
}


def fuzz_settings(name: str):
    fast, long = _EXAMPLES[name]
    n = long if counter.is_long() else fast
    if os.environ.get("FUZZ_EXAMPLES"):
        n = int(os.environ["FUZZ_EXAMPLES"])
    return settings(max_examples=n, deadline=None, derandomize=not counter.is_long(),
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


seeds = st.integers(0, 2**32 - 1)
STEPS = int(os.environ.get("FUZZ_MAX_STEPS", "8"))  # longest program (steps); deeper by hand
MARGIN = 1e-6  # derivative checks skip programs this close to a kink (max tie, abs at 0)


# ----------------------------------------------------------------------------- helpers

def assert_matches_jax(got, jax_fn, args, p, what, *, x64, **tols):
    """``got`` equals JAX's answer ``jax_fn(*args)`` (``args``: NumPy arrays, made JAX
    arrays in 64-bit mode when ``x64``): under ``jax.jit`` first (fast), and
    when that differs, eager JAX decides.  XLA's compiled program is not always JAX's own
    semantics: ``jax.jit`` of the VJP of ``take(cumsum(x), [1])`` in float64 gives a
    cotangent of 1 for ``x[2]`` where eager JAX (and the math) give 0."""
    with jax.enable_x64(x64):
        args = jax.tree_util.tree_map(jnp.asarray, args)
        try:
            assert_same(got, jax.jit(jax_fn)(*args), p, what, **tols)
        except AssertionError:
            with jax.disable_jit():
                want = jax_fn(*args)
            assert_same(got, want, p, what + " (eager jax)", **tols)


def assert_same(got, want, p, what, *, rtol, atol=0.0):
    """Same tree, dtypes, shapes; values within tolerance (exact for int/bool)."""
    src = p.to_source()
    gl, wl = tree_leaves(got), tree_leaves(want)
    assert len(gl) == len(wl), f"{what}: {len(gl)} leaves vs {len(wl)}\n{src}"
    for i, (g, w) in enumerate(zip(gl, wl)):
        g, w = np.asarray(g), np.asarray(w)
        assert g.dtype == w.dtype, f"{what}[{i}]: dtype {g.dtype} != jax {w.dtype}\n{src}"
        assert g.shape == w.shape, f"{what}[{i}]: shape {g.shape} != jax {w.shape}\n{src}"
        if g.dtype.kind in "biu":
            ok = np.array_equal(g, w)
        else:
            scale = max(1.0, float(np.max(np.abs(w), initial=0.0, where=np.isfinite(w))))
            ok = np.allclose(g, w, rtol=rtol, atol=atol * scale, equal_nan=True)
        assert ok, (f"{what}[{i}]: values differ (rtol={rtol}, atol={atol})\n"
                    f"got  {g!r}\nwant {w!r}\n{src}")


def tol(p):
    """(rtol, atol) for values computed in the program's precision."""
    if all(v.dtype != "float32" for v in p.vars):
        return 1e-9, 1e-11 * p.scale
    return 2e-4, 2e-5 * p.scale


def guard_margin(p, xs) -> float:
    g = Guard(fnp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p(Namespace(g, fl.lax, fl.custom_jvp, fl.custom_vjp), *xs)
    return g.margin


def start(p, name, seed=None):
    """Print the program (and input seed) with any failure; count it once it has been checked."""
    note(p.to_source())
    if seed is not None:
        note(f"input seed: {seed}")
    return lambda: counter.count(name)


class ADCase:
    """A float64 program made scalar by a fixed random weighting of its output."""

    def __init__(self, p, seed):
        self.p = p
        rng = np.random.default_rng(seed)
        self.xs = p.make_inputs(rng)
        self.W = rng.uniform(-1.0, 1.0, p.out.shape)
        self.argnums = p.float_argnums

    def fun(self, ns):
        p, W = self.p, self.W
        return lambda *xs: ns.np.sum(ns.np.multiply(p(ns, *xs), W))

    def closed(self, ns, xs):
        """The program as a function of its float inputs only (others closed over)."""
        idx = self.argnums

        def f(*fs):
            full = list(xs)
            for i, v in zip(idx, fs):
                full[i] = v
            return self.p(ns, *full)
        return f, [xs[i] for i in idx]

    def smooth(self) -> bool:
        return guard_margin(self.p, self.xs) >= MARGIN


ad_programs = programs(x64=True, float_dtypes=("float64",), float_out=True, max_steps=STEPS)
fwd_programs = programs(x64=True, float_dtypes=("float64",), float_out=True,
                        max_steps=STEPS, custom_vjp=False)  # JAX: no forward mode of those
R64 = dict(rtol=1e-7, atol=1e-9)


# ----------------------------------------------------------------------------- properties

@fuzz_settings("eager")
@given(programs(max_steps=STEPS), seeds)
def test_eager_matches_jax_numpy(p, seed):
    """Eager fnp values and dtypes equal jax.numpy's (64-bit mode when the program has f64)."""
    done = start(p, "eager values/dtypes vs jax.numpy", seed)
    xs = p.make_inputs(np.random.default_rng(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = p(FL, *xs)
    rtol, atol = tol(p)
    assert_matches_jax(got, lambda *a: p(JX, *a), list(xs), p, "eager", x64=p.x64,
                       rtol=rtol, atol=atol)
    done()


@fuzz_settings("grad")
@given(ad_programs, seeds)
def test_grad_matches_jax(p, seed):
    """grad of a weighted sum of the output, w.r.t. every float input, equals jax.grad."""
    done = start(p, "grad vs jax.grad", seed)
    c = ADCase(p, seed)
    assume(c.smooth())
    got = fl.grad(c.fun(FL), argnums=c.argnums)(*c.xs)
    assert_matches_jax(got, jax.grad(c.fun(JX), argnums=c.argnums), list(c.xs), p, "grad",
                       x64=True, **R64)
    done()


@fuzz_settings("jvp_vjp")
@given(fwd_programs, seeds)
def test_jvp_vjp_match_jax(p, seed):
    """jvp (random tangents) and vjp (random cotangent) equal JAX's."""
    done = start(p, "jvp+vjp vs jax", seed)
    c = ADCase(p, seed)
    assume(c.smooth())
    rng = np.random.default_rng(seed + 1)
    f, prim = c.closed(FL, c.xs)
    tans = [rng.uniform(-1, 1, np.shape(x)) for x in prim]
    ct = rng.uniform(-1, 1, p.out.shape)
    got_jvp = fl.jvp(f, tuple(prim), tuple(tans))
    out, pull = fl.vjp(f, *prim)
    got_vjp = (out, pull(ct))
    args = (list(c.xs), list(tans), ct)
    assert_matches_jax((got_jvp, got_vjp), lambda *a: _jax_jvp_vjp(c, *a), args, p,
                       "jvp, vjp", x64=True, **R64)
    done()


def _jax_jvp_vjp(c, xs, tans, ct):
    jf, jprim = c.closed(JX, xs)
    jout, jpull = jax.vjp(jf, *jprim)
    return jax.jvp(jf, tuple(jprim), tuple(tans)), (jout, jpull(ct))


def _jax_jacs(c, xs):
    jf, jprim = c.closed(JX, xs)
    argnums = tuple(range(len(jprim)))
    return jax.jacfwd(jf, argnums=argnums)(*jprim), jax.jacrev(jf, argnums=argnums)(*jprim)


@fuzz_settings("jac")
@given(fwd_programs, seeds)
def test_jacfwd_jacrev_match_jax(p, seed):
    """jacfwd and jacrev of the full output w.r.t. every float input equal JAX's."""
    done = start(p, "jacfwd+jacrev vs jax", seed)
    c = ADCase(p, seed)
    assume(c.smooth())
    f, prim = c.closed(FL, c.xs)
    argnums = tuple(range(len(prim)))
    got_f = fl.jacfwd(f, argnums=argnums)(*prim)
    got_r = fl.jacrev(f, argnums=argnums)(*prim)
    assert_matches_jax((got_f, got_r), lambda xs: _jax_jacs(c, xs), (list(c.xs),), p,
                       "jacfwd, jacrev", x64=True, **R64)
    done()


@fuzz_settings("jit")
@given(programs(max_steps=STEPS), seeds)
def test_jit_matches_eager(p, seed):
    """fl.jit(f) gives eager f's dtypes and values (XLA against NumPy)."""
    done = start(p, "jit vs eager", seed)
    xs = p.make_inputs(np.random.default_rng(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = p(FL, *xs)
    got = fl.jit(lambda *a: p(FL, *a))(*xs)
    rtol, atol = tol(p)
    assert_same(got, want, p, "jit", rtol=rtol, atol=atol)
    done()


@fuzz_settings("vmap")
@given(programs(max_steps=STEPS), seeds, st.data())
def test_vmap_matches_loop(p, seed, data):
    """fl.vmap(f, in_axes) equals a Python loop of eager f over the batch, stacked."""
    done = start(p, "vmap vs loop", seed)
    n = len(p.inputs)
    axes = [data.draw(st.one_of(st.none(), st.integers(0, v.rank)), label=f"in_axes[{i}]")
            for i, v in enumerate(p.inputs)]
    if all(a is None for a in axes):
        axes[0] = 0
    B = data.draw(st.integers(1, 3), label="batch")
    rng = np.random.default_rng(seed)
    xs = []
    for v, ax in zip(p.inputs, axes):
        x = p.make_inputs(rng, batch=(B,))[p.inputs.index(v)]
        xs.append(x[0] if ax is None else np.moveaxis(x, 0, ax))
    note(f"in_axes={tuple(axes)} batch={B}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outs = [p(FL, *[x if ax is None else np.take(x, b, axis=ax)
                        for x, ax in zip(xs, axes)]) for b in range(B)]
        want = np.stack([np.asarray(o) for o in outs])
        got = fl.vmap(lambda *a: p(FL, *a), in_axes=tuple(axes))(*xs)
    assert n == len(xs)
    rtol, atol = tol(p)
    assert_same(got, want, p, "vmap", rtol=rtol, atol=atol)
    done()


@fuzz_settings("grad_grad")
@given(programs(x64=True, float_dtypes=("float64",), float_out=True, scalar_inputs=True,
                max_steps=6), seeds, st.data())
def test_grad_grad_matches_jax(p, seed, data):
    """grad(grad(f)) on programs of scalars equals JAX's (second and mixed derivatives)."""
    done = start(p, "grad(grad) vs jax (scalar programs)", seed)
    c = ADCase(p, seed)
    assume(c.smooth())
    i = c.argnums[0]
    j = data.draw(st.sampled_from(c.argnums), label="outer argnum")
    got = fl.grad(fl.grad(c.fun(FL), argnums=i), argnums=j)(*c.xs)
    assert_matches_jax(got, jax.grad(jax.grad(c.fun(JX), argnums=i), argnums=j),
                       list(c.xs), p, "grad(grad)", x64=True, rtol=1e-6, atol=1e-8)
    done()


def _sub_jaxprs(jaxpr):
    for eqn in jaxpr.eqns:
        for v in eqn.params.values():
            for e in (v if isinstance(v, (tuple, list)) else (v,)):
                if isinstance(e, ClosedJaxpr):
                    yield e.jaxpr
                elif isinstance(e, Jaxpr):
                    yield e


def check_all(jaxpr):
    """check_jaxpr on a jaxpr and every jaxpr nested in its equations' params."""
    todo = [jaxpr]
    while todo:
        j = todo.pop()
        check_jaxpr(j)
        todo.extend(_sub_jaxprs(j))


@fuzz_settings("jaxpr")
@given(programs(float_out=True, max_steps=STEPS), seeds)
def test_make_jaxpr_of_grad_is_well_typed_and_dead_code_free(p, seed):
    """make_jaxpr(grad(f)) type-checks (nested jaxprs too) and has no dead equation."""
    done = start(p, "make_jaxpr(grad) typechecks, no dead eqn", seed)
    rng = np.random.default_rng(seed)
    xs = p.make_inputs(rng)
    W = rng.uniform(-1.0, 1.0, p.out.shape).astype(p.out.dtype)
    fun = lambda *a: fnp.sum(fnp.multiply(p(FL, *a), W))
    cj = fl.make_jaxpr(fl.grad(fun, argnums=p.float_argnums))(*xs)
    check_all(cj.jaxpr)
    live = dce_jaxpr(cj.jaxpr)
    assert len(live.eqns) == len(cj.jaxpr.eqns), (
        f"make_jaxpr(grad(f)) has {len(cj.jaxpr.eqns) - len(live.eqns)} dead equation(s):\n"
        f"{cj}\n{p.to_source()}")
    done()


@fuzz_settings("compose")
@given(ad_programs, seeds, st.data())
def test_jit_vmap_grad_matches_loop_of_grad(p, seed, data):
    """fl.vmap(fl.grad(f)) and fl.jit of it equal a Python loop of eager fl.grad."""
    done = start(p, "vmap(grad) and jit(vmap(grad)) vs loop", seed)
    c = ADCase(p, seed)
    B = data.draw(st.integers(1, 3), label="batch")
    axes = tuple(data.draw(st.sampled_from([None, 0]), label=f"in_axes[{i}]")
                 for i in range(len(p.inputs)))
    if all(a is None for a in axes):
        axes = (0,) + axes[1:]
    note(f"in_axes={axes} batch={B}")
    rng = np.random.default_rng(seed + 2)
    batched = p.make_inputs(rng, batch=(B,))
    xs = [b if ax == 0 else x for b, x, ax in zip(batched, c.xs, axes)]
    for b in range(B):
        assume(guard_margin(p, [x[b] if ax == 0 else x for x, ax in zip(xs, axes)]) >= MARGIN)
    g = fl.grad(c.fun(FL), argnums=c.argnums)
    loop = [g(*[x[b] if ax == 0 else x for x, ax in zip(xs, axes)]) for b in range(B)]
    want = tuple(np.stack([np.asarray(r[k]) for r in loop]) for k in range(len(c.argnums)))
    got = fl.vmap(g, in_axes=axes)(*xs)
    assert_same(got, want, p, "vmap(grad)", rtol=1e-9, atol=1e-11 * p.scale)
    got_jit = fl.jit(fl.vmap(g, in_axes=axes))(*xs)
    assert_same(got_jit, want, p, "jit(vmap(grad))", rtol=1e-9, atol=1e-11 * p.scale)
    done()
