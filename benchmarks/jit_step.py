"""The teaching two-layer net step under fl.jit(fl.grad(...)) vs jax.jit(jax.grad(...)).

N=64, D_in=1000, H=100, D_out=10, sigmoid hidden layer, loss 0.5 * sum of squared errors,
SGD lr 1e-4.  Prints per-call time of one step, of 100 steps in one fori_loop, and the first
call (trace + lower + compile), each as a ratio to jax measured in the same run; and the
hand-written NumPy step for reference.

    python benchmarks/jit_step.py
"""
from __future__ import annotations

import os
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import D_IN, D_OUT, H, N, fmt_us, numpy_grads, teaching_net_data, timeit  # noqa: E402

import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402

LR = 1e-4


def make_step(np_, grad, sigmoid):
    def loss(w1, w2, x, y):
        h = sigmoid(x @ w1)
        return 0.5 * np_.sum((h @ w2 - y) ** 2)

    def step(w1, w2, x, y):
        g1, g2 = grad(loss, argnums=(0, 1))(w1, w2, x, y)
        return w1 - LR * g1, w2 - LR * g2
    return step


def make_loop(np_, grad, sigmoid, lax):
    step = make_step(np_, grad, sigmoid)

    def loop(w1, w2, x, y):
        return lax.fori_loop(0, 100, lambda i, w: step(w[0], w[1], x, y), (w1, w2))
    return loop


def numpy_step(w1, w2, x, y):
    g_w1, g_w2 = numpy_grads(w1, w2, x, y)
    return w1 - LR * g_w1, w2 - LR * g_w2


def fl_sigmoid(z):
    return 1.0 / (1.0 + fnp.exp(-z))


def jax_sigmoid(z):
    return 1.0 / (1.0 + jnp.exp(-z))


def main() -> None:
    x, y, w1, w2 = teaching_net_data()
    jx, jy, jw1, jw2 = (jnp.asarray(a) for a in (x, y, w1, w2))

    # first call: trace + lower + compile, fresh functions each time
    def first(make, *args):
        jax.clear_caches()
        fl.clear_caches()
        t0 = time.perf_counter()
        out = make()(*args)
        jax.block_until_ready(out)
        return time.perf_counter() - t0

    t_first_fl = min(first(lambda: fl.jit(make_step(fnp, fl.grad, fl_sigmoid)), jw1, jw2, jx, jy)
                     for _ in range(3))
    t_first_jax = min(first(lambda: jax.jit(make_step(jnp, jax.grad, jax_sigmoid)), jw1, jw2,
                            jx, jy) for _ in range(3))

    fl_step = fl.jit(make_step(fnp, fl.grad, fl_sigmoid))
    jax_step = jax.jit(make_step(jnp, jax.grad, jax_sigmoid))
    ref = numpy_step(w1, w2, x, y)
    for a, b in zip(fl_step(jw1, jw2, jx, jy), ref):
        np.testing.assert_allclose(np.asarray(a), b, rtol=1e-4, atol=1e-6)
    t_fl = timeit(lambda: fl_step(jw1, jw2, jx, jy), repeat=15)
    t_jax = timeit(lambda: jax_step(jw1, jw2, jx, jy), repeat=15)
    t_np = timeit(lambda: numpy_step(w1, w2, x, y), repeat=15)

    fl_loop = fl.jit(make_loop(fnp, fl.grad, fl_sigmoid, fl.lax))
    jax_loop = jax.jit(make_loop(jnp, jax.grad, jax_sigmoid, jax.lax))
    a, b = fl_loop(jw1, jw2, jx, jy), jax_loop(jw1, jw2, jx, jy)
    np.testing.assert_allclose(np.asarray(a[0]), np.asarray(b[0]), rtol=1e-4, atol=1e-6)
    t_fl_loop = timeit(lambda: fl_loop(jw1, jw2, jx, jy), repeat=7)
    t_jax_loop = timeit(lambda: jax_loop(jw1, jw2, jx, jy), repeat=7)

    print(f"two-layer net step (N={N}, D_in={D_IN}, H={H}, D_out={D_OUT}) on "
          f"{jax.devices()[0].platform}")
    print(f"{'measurement':<38}{'functorch_lite':>16}{'jax':>16}{'ratio':>8}{'goal':>8}")
    rows = [("jit(grad) step, per call", t_fl, t_jax, 1.10),
            ("100 steps in one fori_loop, per call", t_fl_loop, t_jax_loop, 1.05),
            ("first call (trace+lower+compile)", t_first_fl, t_first_jax, 2.0)]
    for name, a, b, goal in rows:
        print(f"{name:<38}{fmt_us(a):>16}{fmt_us(b):>16}{a / b:>8.2f}{'≤' + str(goal):>8}")
    print(f"{'hand-written NumPy step':<38}{fmt_us(t_np):>16}{'':>16}"
          f"{t_fl / t_np:>8.2f}  (fl.jit step / NumPy)")


if __name__ == "__main__":
    main()
