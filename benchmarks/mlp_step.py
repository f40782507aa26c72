"""One SGD step of the lectures' two-layer net, eager: fl.grad vs hand-written NumPy backprop.

The net: N=64 examples, D_in=1000 -> H=100 (sigmoid) -> D_out=10, squared loss
0.5 * ||y_pred - y||^2 SUMMED over the batch and outputs (not averaged), plain SGD
with lr=1e-4, float32 throughout.  A "step" is forward + backward + parameter
update, for every contender:

* NumPy: the forward pass, the manual backward pass and the update, by hand;
* fl.grad (eager, no jit) + a NumPy update;
* HIPS autograd's grad, jax.grad (eager, no jit) and torch.func.grad when installed.

fl's gradients are checked once against the hand-written ones before timing.

    python benchmarks/mlp_step.py          # wall time
    OPENBLAS_NUM_THREADS=1 python benchmarks/mlp_step.py --cpu   # CPU time, loaded machines
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (CLOCK, D_IN, D_OUT, H, N, block, fmt_us, numpy_grads,  # noqa: E402
                    teaching_net_data, warn_if_loaded)

import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402

LR = 1e-4
GOAL_STEP = 1.5      # fl step time / NumPy step time
GOAL_GRAD_FWD = 3.0  # fl gradient time / fl forward time


def make_loss(np_):
    def loss(w1, w2, x, y):
        h = 1.0 / (1.0 + np_.exp(-(x @ w1)))
        y_pred = h @ w2
        return 0.5 * np_.sum((y_pred - y) ** 2)
    return loss


def numpy_forward(w1, w2, x, y):
    h = 1.0 / (1.0 + np.exp(-(x @ w1)))
    return 0.5 * np.sum((h @ w2 - y) ** 2)


def numpy_step(w1, w2, x, y):
    g1, g2 = numpy_grads(w1, w2, x, y)
    return w1 - LR * g1, w2 - LR * g2


def main() -> None:
    x, y, w1, w2 = teaching_net_data()

    fl_loss = make_loss(fnp)
    fl_grad = fl.grad(fl_loss, argnums=(0, 1))

    def fl_step(w1, w2, x, y):
        g1, g2 = fl_grad(w1, w2, x, y)
        return w1 - LR * g1, w2 - LR * g2

    # correctness first
    g1, g2 = fl_grad(w1, w2, x, y)
    r1, r2 = numpy_grads(w1, w2, x, y)
    assert g1.dtype == np.float32 and g2.dtype == np.float32
    np.testing.assert_allclose(g1, r1, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(g2, r2, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(fl_loss(w1, w2, x, y), numpy_forward(w1, w2, x, y), rtol=1e-5)

    contenders = {
        "NumPy by hand (fwd + manual bwd + update)": lambda: numpy_step(w1, w2, x, y),
        "fl.grad eager + update": lambda: fl_step(w1, w2, x, y),
        "fl gradient only": lambda: fl_grad(w1, w2, x, y),
        "fl forward only": lambda: fl_loss(w1, w2, x, y),
        "NumPy forward only": lambda: numpy_forward(w1, w2, x, y),
    }
    notes = {}
    try:
        import autograd
        import autograd.numpy as anp
        ag_grad = autograd.grad(make_loss(anp), argnum=(0, 1))

        def ag_step():
            a1, a2 = ag_grad(w1, w2, x, y)
            return w1 - LR * a1, w2 - LR * a2
        a1, _ = ag_grad(w1, w2, x, y)
        np.testing.assert_allclose(a1, r1, rtol=1e-4, atol=1e-5)
        contenders["HIPS autograd.grad + update"] = ag_step
    except ImportError:
        notes["HIPS autograd.grad + update"] = "autograd not installed: skipped"

    import jax
    import jax.numpy as jnp
    jax_grad = jax.grad(make_loss(jnp), argnums=(0, 1))
    jw1, jw2, jx, jy = (jnp.asarray(a) for a in (w1, w2, x, y))

    def jax_step():
        j1, j2 = jax_grad(jw1, jw2, jx, jy)
        return block((jw1 - LR * j1, jw2 - LR * j2))
    j1, _ = jax_grad(jw1, jw2, jx, jy)
    np.testing.assert_allclose(np.asarray(j1), r1, rtol=1e-3, atol=1e-5)
    contenders["jax.grad eager (no jit) + update"] = jax_step

    try:
        import torch
        from torch.func import grad as tgrad
        if CLOCK is time.process_time:
            torch.set_num_threads(1)  # CPU time: every contender single-threaded
        tw1, tw2, tx, ty = (torch.from_numpy(a) for a in (w1, w2, x, y))
        tl = make_loss(torch)
        t_grad = tgrad(lambda a, b: tl(a, b, tx, ty), argnums=(0, 1))

        def torch_step():
            a, b = t_grad(tw1, tw2)
            return tw1 - LR * a, tw2 - LR * b
        contenders["torch.func.grad + update"] = torch_step
    except ImportError:
        notes["torch.func.grad + update"] = "torch not installed: skipped"

    times = interleaved(contenders)
    np_med, np_min = times["NumPy by hand (fwd + manual bwd + update)"]
    print(f"One SGD step, two-layer net N={N} {D_IN}-{H}(sigmoid)-{D_OUT}, squared loss "
          f"0.5*||y_pred - y||^2 summed (not averaged), lr={LR}, float32, eager (no jit)")
    print(f"Goals: fl step <= {GOAL_STEP}x NumPy step; fl gradient / fl forward <= "
          f"{GOAL_GRAD_FWD}x.  Contenders timed interleaved, {ROUNDS} rounds, "
          f"{'CPU' if CLOCK is time.process_time else 'wall'} time; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'contender':<44}{'median':>13}{'best':>13}{'vs NumPy (median)':>19}"
          f"{'(best)':>8}")
    order = ["NumPy by hand (fwd + manual bwd + update)", "fl.grad eager + update",
             "HIPS autograd.grad + update", "jax.grad eager (no jit) + update",
             "torch.func.grad + update"]
    for name in order:
        if name in notes:
            print(f"{name:<44}{'-':>13}{'-':>13}{'-':>19}{'-':>8}  ({notes[name]})")
            continue
        med, best = times[name]
        print(f"{name:<44}{fmt_us(med):>13}{fmt_us(best):>13}{med / np_med:>18.2f}x"
              f"{best / np_min:>7.2f}x")
    g_med, g_min = times["fl gradient only"]
    f_med, f_min = times["fl forward only"]
    n_med, n_min = times["NumPy forward only"]
    print(f"{'fl gradient / fl forward':<44}{fmt_us(g_med):>13}{fmt_us(g_min):>13}"
          f"{g_med / f_med:>18.2f}x{g_min / f_min:>7.2f}x  (fl forward {fmt_us(f_med).strip()}"
          f"; NumPy forward {fmt_us(n_med).strip()}, NumPy step/forward "
          f"{np_med / n_med:.2f}x)")
    fl_med, fl_min = times["fl.grad eager + update"]
    print(f"goal fl/NumPy <= {GOAL_STEP}: {'met' if fl_med / np_med <= GOAL_STEP else 'NOT met'}"
          f"; goal grad/forward <= {GOAL_GRAD_FWD}: "
          f"{'met' if g_med / f_med <= GOAL_GRAD_FWD else 'NOT met'} (judged on medians)")


ROUNDS = 30
# --cpu: measure process CPU time instead of wall time (steadier on a loaded machine;
# meaningful with single-threaded BLAS, e.g. OPENBLAS_NUM_THREADS=1)


def interleaved(fns: dict, rounds: int = ROUNDS, target: float = 0.01) -> dict:
    """Median and best seconds per call of each ``fn()``, measured round-robin so that
    every contender sees the same machine load."""
    numbers = {}
    for name, fn in fns.items():
        block(fn())
        t0 = CLOCK()
        block(fn())
        one = max(CLOCK() - t0, 1e-6)
        numbers[name] = max(1, int(target / one))
    samples: dict = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            n = numbers[name]
            t0 = CLOCK()
            for _ in range(n):
                out = fn()
            block(out)
            samples[name].append((CLOCK() - t0) / n)
    return {name: (float(np.median(s)), float(np.min(s))) for name, s in samples.items()}



if __name__ == "__main__":
    main()
    warn_if_loaded()
