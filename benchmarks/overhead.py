"""Per-operation overhead of functorch_lite's three hot paths, with JAX as a reference.

(a) eager dispatch: an ``fnp`` op on a float32[8] array vs the raw NumPy ufunc
    (goal: at most 3 µs more); JAX's eager ``jnp`` op on the same data for reference;
(b) tracing: ``fl.make_jaxpr`` of a 10,000-op chain, µs per recorded equation
    (goal: at most 10 µs); ``jax.make_jaxpr`` of the same chain for reference;
(c) ``eval_jaxpr`` of that jaxpr on float32[8] vs running the same NumPy ops in a
    plain Python loop, µs per equation (goal: at most 3 µs more); ``jax.core.eval_jaxpr``
    for reference.

Each figure is the minimum over repeated ``timeit`` runs.

    python benchmarks/overhead.py
"""
from __future__ import annotations

import os
import platform
import sys
import timeit

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402
from functorch_lite.core import eval_jaxpr  # noqa: E402

CHAIN = 10_000
EAGER_GOAL, TRACE_GOAL, EVAL_GOAL = 3.0, 10.0, 3.0


def bench(fn, number: int, repeat: int) -> float:
    """Seconds per call of ``fn()``: the minimum over ``repeat`` runs of ``number`` calls."""
    fn()  # warm up (caches, first-call paths)
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def bench_pair(a, b, number: int, repeat: int) -> tuple[float, float]:
    """``bench`` of two functions, their runs interleaved so that a busy machine slows
    both alike."""
    a(), b()
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timeit.timeit(a, number=number))
        tb.append(timeit.timeit(b, number=number))
    return min(ta) / number, min(tb) / number


def chain(np_, n: int = CHAIN):
    """``n`` elementwise ops cycling sin, add, multiply; values stay bounded."""
    def f(x):
        for i in range(n):
            k = i % 3
            if k == 0:
                x = np_.sin(x)
            elif k == 1:
                x = np_.add(x, 1.0)
            else:
                x = np_.multiply(x, 0.5)
        return x
    return f


def numpy_chain(x, n: int = CHAIN):
    half, one = np.float32(0.5), np.float32(1.0)
    for i in range(n):
        k = i % 3
        if k == 0:
            x = np.sin(x)
        elif k == 1:
            x = np.add(x, one)
        else:
            x = np.multiply(x, half)
    return x


def eager_rows(x, y):
    jx, jy = jnp.asarray(x), jnp.asarray(y)
    number, repeat = 10_000, 15
    rows = []
    cases = [
        ("add(x, y)", lambda: fnp.add(x, y), lambda: np.add(x, y),
         lambda: jnp.add(jx, jy).block_until_ready()),
        ("multiply(x, y)", lambda: fnp.multiply(x, y), lambda: np.multiply(x, y),
         lambda: jnp.multiply(jx, jy).block_until_ready()),
        ("multiply(x, 2.0)", lambda: fnp.multiply(x, 2.0), lambda: np.multiply(x, np.float32(2)),
         lambda: jnp.multiply(jx, 2.0).block_until_ready()),
        ("sin(x)", lambda: fnp.sin(x), lambda: np.sin(x),
         lambda: jnp.sin(jx).block_until_ready()),
    ]
    for name, ours, raw, ref in cases:
        t_np, t_fl = bench_pair(raw, ours, number, repeat)
        t_jax = bench(ref, number // 10, repeat)
        rows.append((name, t_np, t_fl, t_jax))
    return rows


def main() -> None:
    x = np.linspace(-1, 1, 8, dtype=np.float32)
    y = np.linspace(2, 3, 8, dtype=np.float32)
    print(f"functorch_lite overhead benchmark  (python {platform.python_version()}, "
          f"numpy {np.__version__}, jax {jax.__version__}, {platform.machine()})")
    print("times in µs (totals in ms): minimum over repeated timeit runs\n")

    # (a) eager dispatch ------------------------------------------------------
    rows = eager_rows(x, y)
    print("(a) eager op on float32[8]       numpy        fnp   fnp-numpy (goal<=3)"
          "        jnp   jnp-numpy")
    worst = 0.0
    for name, t_np, t_fl, t_jax in rows:
        d = (t_fl - t_np) * 1e6
        worst = max(worst, d)
        print(f"    {name:<22} {t_np * 1e6:10.2f} {t_fl * 1e6:10.2f} {d:11.2f}"
              f"           {t_jax * 1e6:10.2f} {(t_jax - t_np) * 1e6:11.2f}")
    print(f"    worst fnp overhead: {worst:.2f} µs/op "
          f"({'meets' if worst <= EAGER_GOAL else 'MISSES'} the {EAGER_GOAL:g} µs goal)\n")

    # (b) tracing -------------------------------------------------------------
    s = np.float32(0.3)
    cj = fl.make_jaxpr(chain(fnp))(s)
    assert len(cj.jaxpr.eqns) == CHAIN, len(cj.jaxpr.eqns)
    # a fresh function per call: jax.make_jaxpr caches traces by function identity
    t_tr = bench(lambda: fl.make_jaxpr(chain(fnp))(s), 1, 11)
    t_tr_jax = bench(lambda: jax.make_jaxpr(chain(jnp))(s), 1, 3)
    per_fl, per_jax = t_tr / CHAIN * 1e6, t_tr_jax / CHAIN * 1e6
    print(f"(b) tracing a {CHAIN:,}-op chain    total ms    µs/eqn")
    print(f"    fl.make_jaxpr         {t_tr * 1e3:14.1f} {per_fl:9.2f}  "
          f"(goal<=10: {'meets' if per_fl <= TRACE_GOAL else 'MISSES'})")
    print(f"    jax.make_jaxpr        {t_tr_jax * 1e3:14.1f} {per_jax:9.2f}  "
          f"(fl is {per_jax / per_fl:.1f}x faster)\n")

    # (c) evaluating the jaxpr --------------------------------------------------
    jaxpr, consts = cj.jaxpr, cj.consts
    got = eval_jaxpr(jaxpr, consts, x)[0]
    np.testing.assert_allclose(got, numpy_chain(x), rtol=1e-5)
    t_np, t_ev = bench_pair(lambda: numpy_chain(x), lambda: eval_jaxpr(jaxpr, consts, x), 1, 11)
    jcj = jax.make_jaxpr(chain(jnp))(x)
    jx = jnp.asarray(x)
    t_ev_jax = bench(lambda: jax.core.eval_jaxpr(jcj.jaxpr, jcj.consts, jx)[0]
                     .block_until_ready(), 1, 3)
    per_np, per_ev = t_np / CHAIN * 1e6, t_ev / CHAIN * 1e6
    per_ev_jax = t_ev_jax / CHAIN * 1e6
    print(f"(c) evaluating the {CHAIN:,}-eqn jaxpr on float32[8]   µs/eqn   over numpy")
    print(f"    numpy ops in a Python loop          {per_np:9.2f}")
    print(f"    fl eval_jaxpr                       {per_ev:9.2f} {per_ev - per_np:10.2f}  "
          f"(goal<=3: {'meets' if per_ev - per_np <= EVAL_GOAL else 'MISSES'})")
    print(f"    jax.core.eval_jaxpr (eager jax)     {per_ev_jax:9.2f} {per_ev_jax - per_np:10.2f}")


if __name__ == "__main__":
    main()
