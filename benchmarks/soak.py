"""Soak and limits: long-running jit, many shapes, leaked tracers, very long programs.

Four sections, each printed as a table:

1. 10,000 calls of one ``fl.jit``-compiled MLP training step (``fl.value_and_grad`` of
   ``fl.nn.softmax_cross_entropy`` over ``fl.nn.mlp``, ``fl.optim.sgd`` update) with the
   same shapes: the jitted function's ``_cache_size()`` (must stay 1), tracemalloc
   current/peak and the process RSS after a warm-up and every quarter of the run; the
   memory is called flat when neither grows by more than a small threshold.
2. 1,000 different input shapes through one jitted function, in a fresh process: cache
   entries, XLA executables held and memory after the sweep, after ``fl.clear_caches()``,
   after the function's own ``clear_cache()`` and after a second sweep of new shapes
   (is the memory reused?); ``jax.jit`` + ``jax.clear_caches()`` beside it as a reference.
3. Leaked tracers: a tracer stored in a global (or a closure cell) inside ``fl.jit``,
   ``fl.grad``, ``fl.vmap``, ``fl.make_jaxpr`` (and ``fl.jvp``, ``fl.lax.scan``) and used
   afterwards in an eager op, an operator, ``bool()``, a later ``make_jaxpr`` trace and a
   later ``jit``: the exception raised and whether its message names the transformation
   the tracer came from; then the messages themselves.
4. Programs of 10k, 50k and 100k equations (``x = x + sin(x) * 0.001`` repeated, on
   float32[8]): seconds and µs per equation of ``make_jaxpr``, eager ``grad``,
   ``make_jaxpr(grad)``, ``vmap`` and ``jit`` (functorch_lite's trace shown apart from jax's
   lowering + XLA's compile), run under the default recursion limit, in process CPU
   seconds; time is called linear when the largest µs-per-equation is within 2x of the
   smallest.

    python benchmarks/soak.py            # full sizes (a few minutes, XLA compile dominates)
    python benchmarks/soak.py --quick    # 2,000 calls, 200 shapes, 2k-10k equations
"""
from __future__ import annotations

import gc
import os
import re
import resource
import sys
import time
import tracemalloc

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import warn_if_loaded  # noqa: E402

import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402

QUICK = "--quick" in sys.argv
N_CALLS = 2_000 if QUICK else 10_000
N_SHAPES = 200 if QUICK else 1_000
REPEAT = 2  # section 4: best of REPEAT runs for functorch_lite's own (cheap) measurements
N_JAX_SHAPES = 100 if QUICK else 400  # the jax.jit reference sweep (XLA compiles dominate)
SIZES = (2_000, 5_000, 10_000) if QUICK else (10_000, 50_000, 100_000)
# "flat" thresholds for section 1: Python heap (tracemalloc) and process RSS growth
FLAT_PY_BYTES = 256 * 1024
FLAT_RSS_BYTES = 8 * 1024 * 1024

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Resident set size now (``/proc/self/statm``), or the peak from ``getrusage``."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def mib(b: float) -> str:
    return f"{b / 2**20:9.2f} MiB"


def kib(b: float) -> str:
    return f"{b / 2**10:9.1f} KiB"


def header(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


# ----------------------------------------------------------------------------- 1. training step

def soak_training_step() -> None:
    header(f"1. {N_CALLS:,} calls of a jitted MLP training step (same shapes)")
    sizes = [32, 64, 64, 10]
    params = fl.nn.init_mlp(0, sizes)
    opt = fl.optim.sgd(0.01)
    state = opt.init(params)

    def loss(p, x, y):
        return fl.nn.softmax_cross_entropy(fl.nn.mlp(p, x), y)

    @fl.jit
    def step(p, s, x, y):
        value, g = fl.value_and_grad(loss)(p, x, y)
        p, s = opt.update(g, s, p)
        return p, s, value

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], 64).astype(np.int32)
    cache_before_any = step._cache_size()
    for _ in range(200):  # warm-up: compile, jax's dispatch caches, allocator pools
        params, state, value = step(params, state, x, y)
    first_loss = float(value)
    gc.collect()
    tracemalloc.start()
    rows = []

    def sample(i: int) -> None:
        cur, peak = tracemalloc.get_traced_memory()
        rows.append((i, step._cache_size(), cur, peak, rss_bytes()))

    sample(0)
    t0 = time.perf_counter()
    quarter = N_CALLS // 4
    for i in range(1, N_CALLS + 1):
        params, state, value = step(params, state, x, y)
        if i % quarter == 0:
            gc.collect()
            sample(i)
    elapsed = time.perf_counter() - t0
    tracemalloc.stop()
    print(f"MLP {sizes}, batch 64, sgd; cache size before the first call: {cache_before_any}; "
          f"loss {first_loss:.4f} -> {float(value):.4f}; "
          f"{elapsed / N_CALLS * 1e6:.1f} µs/call (tracemalloc on)")
    print(f"{'calls after warm-up':>20}{'cache size':>12}{'tracemalloc cur':>18}"
          f"{'tracemalloc peak':>18}{'RSS':>16}")
    for i, cs, cur, peak, rss in rows:
        print(f"{i:>20,}{cs:>12}{kib(cur):>18}{kib(peak):>18}{mib(rss):>16}")
    d_py = rows[-1][2] - rows[0][2]
    d_rss = rows[-1][4] - rows[0][4]
    cache_ok = all(r[1] == 1 for r in rows)
    flat = d_py < FLAT_PY_BYTES and d_rss < FLAT_RSS_BYTES
    print(f"cache stays at 1 entry: {'yes' if cache_ok else 'NO'}; growth over {N_CALLS:,} "
          f"calls: Python heap {d_py / 1024:+.1f} KiB ({d_py / N_CALLS:+.1f} B/call), "
          f"RSS {d_rss / 2**20:+.2f} MiB -> memory {'FLAT' if flat else 'GROWING'} "
          f"(thresholds {FLAT_PY_BYTES // 1024} KiB / {FLAT_RSS_BYTES // 2**20} MiB)")


# ----------------------------------------------------------------------------- 2. many shapes

def held_jax_executables(jitted) -> int:
    """Compiled executables held by the jax.jit objects inside an fl.jit cache."""
    return sum(e.fn._cache_size() for e in jitted._cache.values())


def shapes_child(lib: str, n_shapes: int) -> None:
    """Run in a fresh process: sweep ``n_shapes`` shapes through one jitted function,
    clear, sweep ``n_shapes // 4`` new shapes, clear; print one JSON row per stage."""
    import json
    if lib == "fl":
        f = fl.jit(lambda x: fnp.sin(x) * 2.0)
        entries, executables = f._cache_size, lambda: held_jax_executables(f)
    else:
        f = jax.jit(lambda x: jnp.sin(x) * 2.0)
        entries, executables = (lambda: None), f._cache_size
    warm = fl.jit(lambda x: x + 1.0) if lib == "fl" else jax.jit(lambda x: x + 1.0)
    np.asarray(warm(np.ones(1, np.float32)))  # first-call paths, then the baseline
    del warm
    gc.collect()
    rss0 = rss_bytes()
    tracemalloc.start()
    py0 = tracemalloc.get_traced_memory()[0]

    def row(what: str) -> None:
        gc.collect()
        print(json.dumps([what, entries(), executables(), tracemalloc.get_traced_memory()[0] - py0,
                          rss_bytes() - rss0]), flush=True)

    def sweep(lo: int, hi: int) -> float:
        t0 = time.perf_counter()
        for n in range(lo, hi):
            out = np.asarray(f(np.ones(n, np.float32)))
            assert out.shape == (n,)
        return (time.perf_counter() - t0) / (hi - lo)

    t = sweep(1, n_shapes + 1)
    row(f"after {n_shapes} shapes ({t * 1e3:.0f} ms/shape)")
    if lib == "fl":
        fl.clear_caches()
        row("after fl.clear_caches()")
        f.clear_cache()
        row("after f.clear_cache()")
    else:
        jax.clear_caches()
        row("after jax.clear_caches()")
    t = sweep(n_shapes + 1, n_shapes + 1 + n_shapes // 4)
    row(f"after {n_shapes // 4} new shapes ({t * 1e3:.0f} ms/shape)")
    if lib == "fl":
        fl.clear_caches()
        f.clear_cache()
        row("after fl.clear_caches() + f.clear_cache()")
    else:
        jax.clear_caches()
        row("after jax.clear_caches()")
    tracemalloc.stop()


def soak_many_shapes() -> None:
    import json
    import subprocess
    header(f"2. {N_SHAPES:,} different input shapes through one jitted function "
           "(each library in a fresh process)")
    print(f"{'':<46}{'fl entries':>11}{'executables':>13}{'Python heap':>15}{'RSS':>14}")
    rows = {}
    for lib, n in (("fl", N_SHAPES), ("jax", N_JAX_SHAPES)):
        cmd = [sys.executable, os.path.abspath(__file__), "--shapes-child", lib, str(n)]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows[lib] = [json.loads(line) for line in res.stdout.splitlines()
                     if line.startswith("[")]
        print(f"{'fl.jit(lambda x: fnp.sin(x) * 2.0)' if lib == 'fl' else 'jax.jit (reference)'}")
        for what, ent, exe, py, rss in rows[lib]:
            print(f"  {what:<44}{'' if ent is None else ent:>11}{exe:>13}{kib(py):>15}"
                  f"{mib(rss):>14}")
    fl_rows = rows["fl"]
    cleared_by_global = fl_rows[1][1] == 0
    peak = fl_rows[0][4]
    reused = fl_rows[3][4] <= peak + 0.1 * abs(peak) + FLAT_RSS_BYTES
    print("fl.jit cache: unbounded, one entry per shape (as jax.jit); "
          + ("emptied by fl.clear_caches()" if cleared_by_global else
             f"fl.clear_caches() drops the {fl_rows[0][2]} XLA executables but leaves the "
             f"{fl_rows[1][1]} entries (traced jaxpr + jax.jit wrapper, "
             f"{(fl_rows[1][3] - fl_rows[2][3]) / max(fl_rows[1][1], 1) / 1024:.1f} KiB each) "
             "until f.clear_cache(); jax.clear_caches() empties jax.jit's own cache"))
    print(f"RSS after clearing and {N_SHAPES // 4} new shapes vs. after the first sweep: "
          f"{mib(fl_rows[3][4]).strip()} vs {mib(peak).strip()} -> "
          f"{'memory is reused (bounded by what the user clears)' if reused else 'GROWING'}; "
          "the RSS per compiled shape is XLA's (jax.jit costs the same)")


# ----------------------------------------------------------------------------- 3. leaked tracers

_GLOBAL_LEAK = None


def _leak(transform: str, via: str):
    """Run ``transform`` on a function that stores its input-derived tracer in a global
    (``via="global"``) or a closure cell (``via="closure"``); return the stored tracer."""
    global _GLOBAL_LEAK
    cell = None

    def store(t):
        nonlocal cell
        global _GLOBAL_LEAK
        if via == "global":
            _GLOBAL_LEAK = t
        else:
            cell = t

    def f(x):
        y = fnp.sin(x) * 2.0
        store(y)
        return fnp.sum(y)

    x3 = np.arange(3, dtype=np.float32)
    if transform == "jit":
        fl.jit(f)(x3)
    elif transform == "grad":
        fl.grad(f)(x3)
    elif transform == "vmap":
        fl.vmap(f)(np.ones((2, 3), np.float32))
    elif transform == "make_jaxpr":
        fl.make_jaxpr(f)(x3)
    elif transform == "jvp":
        fl.jvp(f, (x3,), (x3,))
    elif transform == "scan":
        fl.lax.scan(lambda c, x: (c + f(x), None), np.float32(0), np.ones((2, 3), np.float32))
    out = _GLOBAL_LEAK if via == "global" else cell
    _GLOBAL_LEAK = None
    return out


LEAK_USES = {
    "fnp.sin(t) eagerly": lambda t: fnp.sin(t),
    "t + 1.0": lambda t: t + 1.0,
    "bool(t > 0)": lambda t: bool(fnp.sum(t) > 0),
    "later make_jaxpr": lambda t: fl.make_jaxpr(lambda z: z * t)(np.ones(3, np.float32)),
    "later jit": lambda t: fl.jit(lambda z: z * t)(np.ones(3, np.float32)),
    "later grad": lambda t: fl.grad(lambda z: fnp.sum(z * t))(np.ones(3, np.float32)),
}

# what a message must contain to name each transformation
NAME_RE = {"jit": r"\bjit\b", "grad": r"\bgrad\b", "vmap": r"\bvmap\b",
           "make_jaxpr": r"\bmake_jaxpr\b", "jvp": r"\bjvp\b", "scan": r"\bscan\b"}


def names_transform(msg: str, transform: str) -> bool:
    """The message names ``transform`` and none of the other transformations."""
    others = [k for k in ("jit", "grad", "vmap", "make_jaxpr") if k != transform]
    return bool(re.search(NAME_RE[transform], msg)) and \
        not any(re.search(NAME_RE[o], msg) for o in others)


def soak_leaked_tracers() -> None:
    header("3. Leaked tracers (stored in a global or a closure, used afterwards)")
    transforms = ("jit", "grad", "vmap", "make_jaxpr", "jvp", "scan")
    uses = list(LEAK_USES)
    width = 22
    print(f"{'transformation':<15}{'leak via':<9}" + "".join(f"{u:>{width}}" for u in uses))
    messages: dict = {}
    n_raise = n_named = n_total = 0
    for tr in transforms:
        for via in ("global", "closure"):
            cells = []
            for u in uses:
                t = _leak(tr, via)
                n_total += 1
                try:
                    LEAK_USES[u](t)
                except Exception as e:  # noqa: BLE001 - reporting whatever is raised
                    msg = str(e)
                    named = names_transform(msg, tr)
                    n_raise += isinstance(e, fl.UnexpectedTracerError)
                    n_named += named
                    messages.setdefault((tr, type(e).__name__, msg), u)
                    tag = "Unexpected" if isinstance(e, fl.UnexpectedTracerError) \
                        else type(e).__name__[:10]
                    cells.append(f"{tag}{'+named' if named else ', unnamed'}")
                else:
                    cells.append("NO ERROR")
            print(f"{tr:<15}{via:<9}" + "".join(f"{c:>{width}}" for c in cells))
    print(f"{n_raise}/{n_total} uses raise fl.UnexpectedTracerError; {n_named}/{n_total} "
          f"messages name the transformation the tracer came from")
    print("distinct messages:")
    for (tr, cls, msg), u in messages.items():
        print(f"  [{tr}, {u}] {cls}: {msg}")


# ----------------------------------------------------------------------------- 4. long programs

def chain(x, n_iter: int):
    """``n_iter`` steps of ``x <- x + 0.001 * sin(x)`` then a sum: 3 equations a step.  The
    derivative of a step is ``1 + 0.001 cos x``, so the gradient stays of order one."""
    for _ in range(n_iter):
        x = x + fnp.sin(x) * 0.001
    return fnp.sum(x)


def chain_numpy(x, n_iter: int):
    """The value and the gradient of ``chain`` in a float64 NumPy loop."""
    x = x.astype(np.float64)
    d = np.ones_like(x)
    for _ in range(n_iter):
        d *= 1.0 + 0.001 * np.cos(x)
        x = x + np.sin(x) * 0.001
    return x.sum(), d


def timed(fn, repeat: int = 1):
    """``fn()`` and the process CPU seconds it took (the best of ``repeat`` runs): CPU time,
    not wall time, so that other jobs on a shared machine do not distort the ratios."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return out, best


def soak_long_programs() -> None:
    header(f"4. Long programs (x = x + sin(x) * 0.001 repeated, float32[8]); "
           f"recursion limit {sys.getrecursionlimit()}")
    x = np.linspace(0.0, 1.0, 8, dtype=np.float32)
    xb = np.stack([x, x + 0.5, x - 0.5, 2 * x])
    cols = ["make_jaxpr", "grad (eager)", "make_jaxpr(grad)", "vmap (B=4)", "jit: fl trace",
            "jit: jax lower+XLA", "jit: 1st call", "jit: 2nd call"]
    results = {}
    warm = lambda z: chain(z, 100)  # noqa: E731  (first-call paths and caches)
    fl.make_jaxpr(warm)(x), fl.grad(warm)(x), fl.make_jaxpr(fl.grad(warm))(x)
    fl.vmap(warm)(xb), fl.jit(warm)(x)
    for size in SIZES:
        n_iter = size // 3
        f = lambda z, n=n_iter: chain(z, n)  # noqa: E731
        ref, dref = chain_numpy(x, n_iter)
        row = {}
        cj, row["make_jaxpr"] = timed(lambda: fl.make_jaxpr(f)(x), REPEAT)
        n_eqn = len(cj.jaxpr.eqns)
        g, row["grad (eager)"] = timed(lambda: fl.grad(f)(x), REPEAT)
        gj, row["make_jaxpr(grad)"] = timed(lambda: fl.make_jaxpr(fl.grad(f))(x), REPEAT)
        v, row["vmap (B=4)"] = timed(lambda: fl.vmap(f)(xb), REPEAT)
        jf = fl.jit(f)
        _, row["jit: fl trace"] = timed(lambda: jf.lower(x), REPEAT)
        out, row["jit: 1st call"] = timed(lambda: jax.block_until_ready(jf(x)))
        row["jit: jax lower+XLA"] = max(row["jit: 1st call"] - row["jit: fl trace"], 0.0)
        _, row["jit: 2nd call"] = timed(lambda: jax.block_until_ready(jf(x)))
        # correctness against the float64 NumPy loop
        np.testing.assert_allclose(float(out), ref, rtol=1e-3)
        np.testing.assert_allclose(float(v[0]), ref, rtol=1e-3)
        np.testing.assert_allclose(np.asarray(g), dref, rtol=1e-2, atol=1e-4)
        results[size] = (n_eqn, len(gj.jaxpr.eqns), row)
        jax.clear_caches()
        fl.clear_caches()
    name_w = 18
    print(f"{'':<{name_w}}" + "".join(f"{f'{s:,} eqns':>24}" for s in SIZES) +
          f"{'per-eqn max/min':>17}{'linear':>8}")
    print(f"{'(actual eqns)':<{name_w}}" +
          "".join(f"{f'{results[s][0]:,} (grad {results[s][1]:,})':>24}" for s in SIZES))
    all_linear = True
    for c in cols:
        per = [results[s][2][c] / results[s][0] for s in SIZES]
        cells = "".join(f"{f'{results[s][2][c]:8.3f} s {p * 1e6:6.2f} µs/eq':>24}"
                        for s, p in zip(SIZES, per))
        ratio = max(per) / min(per) if min(per) > 0 else float("inf")
        linear = ratio <= 2.0
        if c == "jit: 2nd call":  # a cached call: not expected to scale, shown for reference
            print(f"{c:<{name_w}}{cells}")
            continue
        all_linear &= linear or c in ("jit: jax lower+XLA", "jit: 1st call")
        print(f"{c:<{name_w}}{cells}{ratio:>17.2f}{'yes' if linear else 'NO':>8}")
    print("no RecursionError; values (jit, vmap) and eager grad match a float64 NumPy loop")
    print(f"functorch_lite's own work (trace, grad, vmap, fl side of jit) linear in size: "
          f"{'yes' if all_linear else 'NO'}; 'jit: jax lower+XLA' (= 1st call - fl trace) is "
          "jax's lowering and XLA's compile, shown for reference. Times: process CPU seconds, "
          f"best of {REPEAT} for the rows above 'jit: jax lower+XLA'")


def main() -> None:
    if "--shapes-child" in sys.argv:
        i = sys.argv.index("--shapes-child")
        shapes_child(sys.argv[i + 1], int(sys.argv[i + 2]))
        return
    t0 = time.perf_counter()
    warn_if_loaded()
    print(f"functorch_lite soak and limits{' (--quick)' if QUICK else ''}: jax {jax.__version__} "
          f"on {jax.devices()[0].platform}, numpy {np.__version__}, Python "
          f"{sys.version.split()[0]}")
    soak_training_step()
    soak_many_shapes()
    soak_leaked_tracers()
    soak_long_programs()
    print(f"\ntotal {time.perf_counter() - t0:.1f} s wall")


if __name__ == "__main__":
    main()
