"""Per-example gradients with ``vmap(grad)``: one gradient per training example, in one
batched pass, e.g. for gradient-norm clipping (DP-SGD) or data attribution.

    python examples/per_example_grads.py
"""
from __future__ import annotations

import time

import numpy as np

import functorch_lite as fl
import functorch_lite.numpy as fnp


def loss(params, x, y):
    logits = fl.nn.mlp(params, x)
    return fl.nn.softmax_cross_entropy(logits[None], y[None])


def main(batch: int = 32) -> dict:
    rng = np.random.default_rng(0)
    params = fl.nn.init_mlp(0, [20, 32, 5])
    x = rng.standard_normal((batch, 20)).astype(np.float32)
    y = rng.integers(0, 5, batch).astype(np.int32)

    per_example = fl.vmap(fl.grad(loss), in_axes=(None, 0, 0))
    t0 = time.perf_counter()
    grads = per_example(params, x, y)
    t_vmap = time.perf_counter() - t0
    t0 = time.perf_counter()
    looped = [fl.grad(loss)(params, x[i], y[i]) for i in range(batch)]
    t_loop = time.perf_counter() - t0
    worst = 0.0
    for i in range(batch):
        for layer, ref in zip(grads, looped[i]):
            for k in ("W", "b"):
                worst = max(worst, float(np.max(np.abs(layer[k][i] - ref[k]))))
    norms = np.sqrt(sum(np.sum(np.asarray(layer[k]) ** 2, axis=tuple(
        range(1, np.ndim(layer[k])))) for layer in grads for k in ("W", "b")))
    print(f"per-example gradient of W0: shape {grads[0]['W'].shape} (batch, in, out)")
    print(f"vmap(grad): {t_vmap * 1e3:.1f} ms;  Python loop of grad: {t_loop * 1e3:.1f} ms")
    print(f"max difference vmap vs loop: {worst:.2e}")
    print("per-example gradient norms:", np.round(norms[:8], 3), "...")
    # the mean of per-example gradients is the batch gradient
    batch_grad = fl.grad(lambda p: fnp.mean(fl.vmap(loss, in_axes=(None, 0, 0))(p, x, y)))(
        params)
    mean_pe = np.mean(np.asarray(grads[0]["W"]), axis=0)
    print("mean of per-example grads == batch grad:",
          bool(np.allclose(mean_pe, batch_grad[0]["W"], atol=1e-6)))
    return {"max_diff": worst, "norms": norms, "t_vmap": t_vmap, "t_loop": t_loop}


if __name__ == "__main__":
    main()
