"""Splitting one big NumPy kernel over the cores.

NumPy's BLAS calls use every core, but its other loops (einsum, ufuncs) use one,
and one core cannot write memory at full speed.  NumPy releases the GIL inside
those loops, so a kernel whose output is large can be split along its leading
axis and the pieces run on a few threads at once.

``FUNCTORCH_LITE_NUM_THREADS`` sets the number of threads (default: the cores
this process may use, at most 8; ``1`` turns splitting off).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable

MIN_ELEMENTS = 1 << 20  # below ~4 MB of float32 the threads' start-up cost outweighs the gain

_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _forget_pool() -> None:
    global _pool, _pool_size
    _pool, _pool_size = None, 0  # a forked child has none of its parent's threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def num_threads() -> int:
    """Threads a split kernel uses: ``FUNCTORCH_LITE_NUM_THREADS`` or the usable cores."""
    env = os.environ.get("FUNCTORCH_LITE_NUM_THREADS")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise ValueError(f"FUNCTORCH_LITE_NUM_THREADS={env!r} is not an integer; set it "
                             "to a thread count such as 1 or 4.") from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, 8)


def split_leading(n: int, size: int, kernel: Callable[[slice], object]) -> bool:
    """Run ``kernel(slice)`` over chunks of ``range(n)`` on several threads when the
    output has ``size`` elements or more; returns False (having run nothing) when
    splitting is not worth it, so the caller runs the kernel whole."""
    global _pool, _pool_size
    if size < MIN_ELEMENTS:
        return False
    workers = min(num_threads(), n)
    if workers < 2:
        return False
    if _pool_size < workers - 1:  # this thread is one of the workers
        if _pool is not None:
            _pool.shutdown(wait=False)
        _pool = ThreadPoolExecutor(workers - 1, thread_name_prefix="functorch_lite")
        _pool_size = workers - 1
    step = -(-n // workers)
    chunks = [slice(i, min(i + step, n)) for i in range(0, n, step)]
    futures = [_pool.submit(kernel, s) for s in chunks[1:]]
    kernel(chunks[0])  # this thread does a share too
    for f in futures:
        f.result()  # re-raises a worker's exception here
    return True
