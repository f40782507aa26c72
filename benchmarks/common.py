"""Timing helpers shared by the benchmark scripts."""
from __future__ import annotations

import time

import numpy as np


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
