"""Per-example gradients for a batch of 64 on the teaching two-layer net.

vmap(grad) vs a Python loop of grad (eager), and jit(vmap(grad)) vs
jax.jit(jax.vmap(jax.grad)), measured in the same run.

    python benchmarks/per_example.py
"""
from __future__ import annotations

import os
import sys

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import D_IN, D_OUT, H, N, fmt_us, teaching_net_data, timeit  # noqa: E402

import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402



def make_loss(np_):
    def loss(params, x, y):
        h = 1.0 / (1.0 + np_.exp(-(x @ params["W1"])))
        return 0.5 * np_.sum((h @ params["W2"] - y) ** 2)
    return loss


def main() -> None:
    x, y, w1, w2 = teaching_net_data()
    params = {"W1": w1, "W2": w2}
    loss = make_loss(fnp)
    per_ex = fl.vmap(fl.grad(loss), in_axes=(None, 0, 0))
    loop = lambda: [fl.grad(loss)(params, x[i], y[i]) for i in range(N)]
    g_v, g_l = per_ex(params, x, y), loop()
    for k in params:
        np.testing.assert_allclose(g_v[k], np.stack([g[k] for g in g_l]), rtol=1e-4, atol=1e-6)
    t_vmap = timeit(lambda: per_ex(params, x, y), repeat=5)
    t_loop = timeit(loop, repeat=3)
    # the floor of any eager vmap(grad): its W1 gradient, 64x1000x100 float32, written once
    t_fill = timeit(lambda: np.full((N, D_IN, H), 1.0, np.float32), repeat=5)

    fl_j = fl.jit(fl.vmap(fl.grad(loss), in_axes=(None, 0, 0)))
    jax_j = jax.jit(jax.vmap(jax.grad(make_loss(jnp)), in_axes=(None, 0, 0)))
    jp = {k: jnp.asarray(v) for k, v in params.items()}
    jxx, jyy = jnp.asarray(x), jnp.asarray(y)
    a, b = fl_j(jp, jxx, jyy), jax_j(jp, jxx, jyy)
    for k in params:
        np.testing.assert_allclose(np.asarray(a[k]), np.asarray(b[k]), rtol=1e-4, atol=1e-6)
    t_flj = timeit(lambda: fl_j(jp, jxx, jyy), repeat=15)
    t_jaxj = timeit(lambda: jax_j(jp, jxx, jyy), repeat=15)
    print(f"per-example gradients, batch {N}, two-layer net ({D_IN}-{H}-{D_OUT}) on "
          f"{jax.devices()[0].platform}")
    print(f"{'measurement':<40}{'time':>14}{'vs':>38}{'ratio':>8}{'goal':>10}")
    print(f"{'fl.vmap(fl.grad) eager':<40}{fmt_us(t_vmap):>14}"
          f"{' Python loop of fl.grad ' + fmt_us(t_loop).strip():>38}{t_loop / t_vmap:>7.1f}x"
          f"{'≥10x':>10}")
    print(f"{'fl.jit(fl.vmap(fl.grad))':<40}{fmt_us(t_flj):>14}"
          f"{' jax.jit(jax.vmap(jax.grad)) ' + fmt_us(t_jaxj).strip():>38}{t_flj / t_jaxj:>8.2f}"
          f"{'≤1.10':>10}")
    print(f"context: writing the {N}x{D_IN}x{H} float32 W1 gradient once (np.full) takes "
          f"{fmt_us(t_fill).strip()}; the 10x goal leaves {fmt_us(t_loop / 10).strip()} for "
          "the whole batched step")


if __name__ == "__main__":
    main()
