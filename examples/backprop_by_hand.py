"""The backprop lectures' worked examples, computed by the library and by hand.

For each example: every node's forward value and gradient (from the traced
program), the library's gradients beside the hand-derived formulas, and the
jaxpr of the backward pass.  The circuit diagrams are rendered to PNG files.

    python examples/backprop_by_hand.py
"""
from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import functorch_lite as fl  # noqa: E402
import functorch_lite.numpy as fnp  # noqa: E402
from render_graphs import OUT_DIR, f, neuron  # noqa: E402


def show_nodes(title: str, g) -> None:
    print(f"\n== {title}: each node's forward value and gradient")
    for w in g.inputs:
        print(f"  input {w.name:<4} value {w.summary:<22} grad {w.grad_summary}")
    for n in g.ops:
        out = n.outputs[0]
        print(f"  {n.label:<6} -> {out.name:<3} value {out.summary:<22} "
              f"grad {out.grad_summary}")


def compare(name: str, ours, hand) -> float:
    ours, hand = np.asarray(ours, np.float64), np.asarray(hand, np.float64)
    err = float(np.max(np.abs(ours - hand))) if ours.size else 0.0
    fmt = lambda a: str(np.round(a, 4).tolist())
    print(f"  {name:<8} library {fmt(ours):<34} by hand {fmt(hand + 0.0):<34} |diff| {err:.1e}")
    return err


def example_circuit() -> dict:
    x, y, z = -2.0, 5.0, -4.0
    g = fl.viz.graph(f, x, y, z, argnums=(0, 1, 2))
    show_nodes("f(x, y, z) = (x + y) z at (-2, 5, -4)", g)
    dx, dy, dz = fl.grad(f, argnums=(0, 1, 2))(x, y, z)
    q = x + y
    print("  hand: q = x + y = 3, f = q z = -12; df/dq = z, df/dz = q; dq/dx = dq/dy = 1")
    errs = [compare("df/dx", dx, z), compare("df/dy", dy, z), compare("df/dz", dz, q)]
    print("  backward pass:")
    print(fl.make_jaxpr(fl.grad(f, argnums=(0, 1, 2)))(x, y, z))
    return {"graph": g, "grads": (dx, dy, dz), "err": max(errs)}


def example_neuron() -> dict:
    w, x = (2.0, -3.0, -3.0), (-1.0, -2.0)
    g = fl.viz.graph(neuron, w, x, argnums=(0, 1))
    show_nodes("sigmoid neuron, w = (2, -3, -3), x = (-1, -2)", g)
    dw, dx = fl.grad(neuron, argnums=(0, 1))(w, x)
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    s = 1.0 / (1.0 + np.exp(-dot))
    local = (1.0 - s) * s  # the sigmoid gate's local gradient
    print(f"  hand: dot = {dot}, f = sigma(dot) = {s:.4f}, df/ddot = (1 - f) f = {local:.4f}")
    errs = [compare("dw", dw, [x[0] * local, x[1] * local, local]),
            compare("dx", dx, [w[0] * local, w[1] * local])]
    print("  backward pass:")
    print(fl.make_jaxpr(fl.grad(neuron, argnums=(0, 1)))(w, x))
    return {"graph": g, "dw": dw, "dx": dx, "f": s, "err": max(errs)}


def example_linear() -> dict:
    x = np.array([1.0, 0.0, -1.0], np.float32)
    y = np.array([0.0, 1.0], np.float32)
    W0 = np.array([[0, 1, -1], [2, 0, 1]], np.float32)
    W1 = np.array([[-1, 0], [2, -1]], np.float32)

    def loss(x, W0, W1):
        r = y - W1 @ (W0 @ x)
        return 0.5 * fnp.sum(r * r)

    print("\n== linear two-layer example: f = 1/2 |y - W1 W0 x|^2")
    val, (gx, g0, g1) = fl.value_and_grad(loss, argnums=(0, 1, 2))(x, W0, W1)
    h = W0 @ x
    r = y - W1 @ h
    dh = -(W1.T @ r)
    print(f"  f = {float(val)}  (hand: {0.5 * float(r @ r)})")
    errs = [compare("grad x", gx, W0.T @ dh), compare("grad W0", g0, np.outer(dh, x)),
            compare("grad W1", g1, -np.outer(r, h))]
    jac = fl.jacfwd(lambda x: W1 @ (W0 @ x))(x)
    errs.append(compare("jacfwd", jac, W1 @ W0))
    print("  backward pass:")
    print(fl.make_jaxpr(fl.grad(loss, argnums=(0, 1, 2)))(x, W0, W1))
    return {"f": float(val), "grads": (gx, g0, g1), "jac": jac, "err": max(errs)}


def example_softmax_net(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    N, D, H, C = 8, 5, 6, 3
    X = rng.standard_normal((N, D)).astype(np.float32)
    W1 = rng.standard_normal((D, H)).astype(np.float32)
    W2 = rng.standard_normal((H, C)).astype(np.float32)
    labels = rng.integers(0, C, N)

    def loss(W1, W2):
        hidden = fl.nn.sigmoid(X @ W1)
        return fl.nn.softmax_cross_entropy(hidden @ W2, labels)

    print("\n== two-layer softmax network (sigmoid hidden layer, mean cross-entropy)")
    g1, g2 = fl.grad(loss, argnums=(0, 1))(W1, W2)
    A = 1.0 / (1.0 + np.exp(-(X @ W1)))
    logits = A @ W2
    S = np.exp(logits - logits.max(1, keepdims=True))
    S /= S.sum(1, keepdims=True)
    Iy = np.eye(C)[labels]
    hand_g2 = A.T @ (S - Iy) / N
    hand_g1 = X.T @ (((S - Iy) @ W2.T) * A * (1 - A)) / N
    print("  hand: grad W2 = sigma(X W1)^T (S - I_y) / N;  "
          "grad W1 = X^T [(S - I_y) W2^T o sigma'(X W1)] / N")
    errs = [compare("|gW2|", np.linalg.norm(g2), np.linalg.norm(hand_g2)),
            compare("|gW1|", np.linalg.norm(g1), np.linalg.norm(hand_g1))]
    errs.append(float(np.max(np.abs(g2 - hand_g2))))
    errs.append(float(np.max(np.abs(g1 - hand_g1))))
    print(f"  max elementwise |library - hand| = {max(errs):.1e}")
    return {"g1": g1, "g2": g2, "hand_g1": hand_g1, "hand_g2": hand_g2, "err": max(errs)}


def render(results: dict, out_dir: str = OUT_DIR) -> list:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for stem, key in (("circuit_xyz", "circuit"), ("sigmoid_neuron", "neuron")):
        g = results[key]["graph"]
        try:
            paths.append(g.render(os.path.join(out_dir, f"{stem}.png")))
        except RuntimeError as e:  # no Graphviz 'dot': keep the DOT text
            paths.append(g.render(os.path.join(out_dir, f"{stem}.dot")))
            print(f"note: {e}")
    return paths


def main() -> dict:
    results = {"circuit": example_circuit(), "neuron": example_neuron(),
               "linear": example_linear(), "softmax": example_softmax_net()}
    print("\nrendered circuit diagrams:")
    for p in render(results):
        print("  ", p)
    return results


if __name__ == "__main__":
    main()
