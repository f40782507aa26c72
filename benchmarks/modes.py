"""Forward vs reverse mode on f: R^d -> R (the lectures' "number of passes" lesson).

f is a deep chain, L=8 layers of x -> tanh(W_l x) with d x d matrices, then a sum.
For a scalar output, reverse mode needs ONE backward pass (jacrev = one VJP, the
same work as grad), while forward mode needs d JVPs, one per input direction.

Note: fl.jacfwd vmaps the JVP over the d basis vectors, so its d JVPs run as one
batched pass whose matrix products are (d x d) @ (d x d) instead of (d x d) @ d:
a single pass, but ~d times the work of one JVP.  The fwd/rev ratio therefore
grows roughly linearly with d (until BLAS efficiency on the wider products hides
part of it at small d).

    python benchmarks/modes.py        # d = 16, 64, 256, 1024 (and 4096 if fast enough)
    OPENBLAS_NUM_THREADS=1 python benchmarks/modes.py --cpu   # CPU time, loaded machines
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import CLOCK, fmt_us, warn_if_loaded  # noqa: E402

import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402

L = 8
SIZES = [16, 64, 256, 1024, 4096]
BUDGET_S = 20.0  # skip a size when its estimated jacfwd time exceeds this
# --cpu: process CPU time instead of wall time (steadier when the machine is loaded)


def timeit(fn, repeat: int = 7, min_time: float = 0.05) -> float:
    """Median seconds per call over ``repeat`` rounds, each at least ``min_time`` long."""
    fn()
    t0 = CLOCK()
    fn()
    number = max(1, int(min_time / max(CLOCK() - t0, 1e-6)))
    times = []
    for _ in range(repeat):
        t0 = CLOCK()
        for _ in range(number):
            fn()
        times.append((CLOCK() - t0) / number)
    return float(np.median(times))


def make_f(Ws):
    def f(x):
        for W in Ws:
            x = fnp.tanh(W @ x)
        return fnp.sum(x)
    return f


def fmt(s: float) -> str:
    return fmt_us(s) if s < 0.1 else f"{s * 1e3:9.1f} ms"


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"f: R^d -> R, {L} layers of x -> tanh(W x), then sum; eager, float32; "
          f"{'CPU' if CLOCK is time.process_time else 'wall'} time, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'d':>6}{'forward':>14}{'fl.grad':>14}{'fl.jacrev':>14}{'fl.jacfwd':>14}"
          f"{'fwd/rev':>9}{'grad/forward':>14}")
    last_fwd = None
    for d in SIZES:
        if last_fwd is not None and last_fwd[1] * (d / last_fwd[0]) ** 3 > BUDGET_S:
            print(f"{d:>6}  skipped: jacfwd would take ~"
                  f"{last_fwd[1] * (d / last_fwd[0]) ** 3:.0f} s per call (d^3 growth)")
            break
        Ws = [(rng.standard_normal((d, d)) / np.sqrt(d)).astype(np.float32) for _ in range(L)]
        x = rng.standard_normal(d).astype(np.float32)
        f = make_f(Ws)
        jf, jr, g = fl.jacfwd(f), fl.jacrev(f), fl.grad(f)
        a, b, c = jf(x), jr(x), g(x)
        assert a.shape == b.shape == c.shape == (d,)
        np.testing.assert_allclose(a, c, rtol=1e-3, atol=1e-5)
        np.testing.assert_allclose(b, c, rtol=1e-5, atol=1e-6)
        rep = 7 if d <= 256 else 3 if d <= 1024 else 1
        t_f = timeit(lambda: f(x), repeat=rep)
        t_g = timeit(lambda: g(x), repeat=rep)
        t_r = timeit(lambda: jr(x), repeat=rep)
        t_j = timeit(lambda: jf(x), repeat=rep)
        print(f"{d:>6}{fmt(t_f):>14}{fmt(t_g):>14}{fmt(t_r):>14}{fmt(t_j):>14}"
              f"{t_j / t_r:>8.1f}x{t_g / t_f:>13.2f}x")
        last_fwd = (d, t_j)
    print("fwd/rev = fl.jacfwd time / fl.jacrev time: forward mode pays ~d JVPs (batched by "
          "vmap into one pass of ~d x the work), reverse mode one VJP.")



if __name__ == "__main__":
    main()
    warn_if_loaded()
