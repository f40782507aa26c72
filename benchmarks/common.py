"""Timing helpers shared by the benchmark scripts."""
from __future__ import annotations

import os
import sys
import time

import numpy as np

# --cpu on the command line: process CPU time instead of wall time (for loaded machines)
CLOCK = time.process_time if "--cpu" in sys.argv else time.perf_counter

# torch's OpenMP worker threads busy-wait after each call.  Interleaved with other
# contenders, that spinning takes the second core from the next contender's BLAS (wall
# time) and counts in the process CPU time of whichever contender runs next (--cpu):
# seen here doubling the hand-written NumPy step's time.  Let them sleep instead (read
# by OpenMP when torch loads, so set before any import of torch).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def warn_if_loaded() -> None:
    """Say so when the machine is too busy for wall-clock timings to mean much."""
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > 0.5 * cores and CLOCK is time.perf_counter:
        print(f"WARNING: load average {load:.1f} on {cores} cores: wall times (multi-threaded "
              "BLAS above all) are unreliable; rerun with OPENBLAS_NUM_THREADS=1 ... --cpu")


N, D_IN, H, D_OUT = 64, 1000, 100, 10  # the lectures' two-layer net


def teaching_net_data(seed: int = 0):
    """``(x, y, w1, w2)`` of the lectures' two-layer net, float32, the same in every script."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, D_IN)).astype(np.float32)
    y = rng.standard_normal((N, D_OUT)).astype(np.float32)
    w1 = (rng.standard_normal((D_IN, H)) * 0.01).astype(np.float32)
    w2 = (rng.standard_normal((H, D_OUT)) * 0.1).astype(np.float32)
    return x, y, w1, w2


def numpy_grads(w1, w2, x, y):
    """The lecture's two-layer net (sigmoid hidden layer, loss 0.5 * summed squared error):
    the manual backward pass, by hand in NumPy."""
    h = 1.0 / (1.0 + np.exp(-(x @ w1)))
    grad_y_pred = h @ w2 - y
    grad_w2 = h.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_w1 = x.T @ (grad_h * h * (1.0 - h))
    return grad_w1, grad_w2


def block(x):
    """Wait for every jax array in the pytree ``x`` (no-op for NumPy)."""
    import jax
    for leaf in jax.tree_util.tree_leaves(x):
        if hasattr(leaf, "block_until_ready"):
            leaf.block_until_ready()
    return x


def timeit(fn, *, number: int | None = None, repeat: int = 7, min_time: float = 0.2) -> float:
    """Median seconds per call of ``fn()`` over ``repeat`` rounds (after a warm-up)."""
    block(fn())
    if number is None:
        number, t = 1, 0.0
        while t < min_time / repeat and number < 1_000_000:
            number *= 2
            t0 = time.perf_counter()
            for _ in range(number):
                block(fn())
            t = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            out = fn()
        block(out)
        times.append((time.perf_counter() - t0) / number)
    return float(np.median(times))


def fmt_us(s: float) -> str:
    return f"{s * 1e6:9.1f} µs"
