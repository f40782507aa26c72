"""Render the backprop lectures' circuit diagrams from real programs.

Each picture is the traced program itself: one gate per equation, inputs on the
left, the output on the right, the forward value (green) above the gradient (red)
on every wire.

    python examples/render_graphs.py            # PNGs under examples/out/
    python examples/render_graphs.py --svg      # SVGs instead

Needs Graphviz's ``dot`` program (``apt-get install graphviz``) and, optionally, the
``graphviz`` Python package (``pip install 'functorch_lite[viz]'``). Without ``dot``
the script writes the DOT text (``.dot`` files) and says how to render them.
"""
from __future__ import annotations

import os
import sys

import numpy as np

import functorch_lite.numpy as fnp
from functorch_lite import viz

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def f(x, y, z):
    """The lectures' first circuit: f(x, y, z) = (x + y) z."""
    q = x + y
    return q * z


def neuron(w, x):
    """The sigmoid neuron f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), written with
    scalar operations as the lecture writes it, so each gate shows up."""
    return 1.0 / (1.0 + fnp.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


def mlp(params, x):
    """A two-layer net with each layer in a named scope, for the collapsed picture."""
    h = x
    for i, (W, b) in enumerate(params):
        with viz.named_scope(f"layer{i + 1}"):
            h = fnp.tanh(h @ W + b)
    with viz.named_scope("loss"):
        return fnp.mean(h ** 2)


def lecture_graphs() -> dict:
    """The graphs to draw, by file stem."""
    rng = np.random.default_rng(0)
    params = [(rng.normal(size=(3, 4)).astype(np.float32), np.zeros(4, np.float32)),
              (rng.normal(size=(4, 2)).astype(np.float32), np.zeros(2, np.float32))]
    x = rng.normal(size=(5, 3)).astype(np.float32)
    w_lec, x_lec = (2.0, -3.0, -3.0), (-1.0, -2.0)
    return {
        "circuit_xyz": viz.graph(f, -2.0, 5.0, -4.0, argnums=(0, 1, 2)),
        "sigmoid_neuron": viz.graph(neuron, w_lec, x_lec, argnums=(0, 1)),
        "sigmoid_neuron_backward": viz.graph(neuron, w_lec, x_lec, argnums=(0, 1),
                                             backward=True),
        "mlp_collapsed": viz.graph(mlp, params, x, collapse=True),
    }


def render_all(out_dir: str = OUT_DIR, ext: str = "png") -> list:
    """Render every lecture graph into ``out_dir``; returns the written paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for stem, g in lecture_graphs().items():
        try:
            paths.append(g.render(os.path.join(out_dir, f"{stem}.{ext}")))
        except RuntimeError as e:  # no Graphviz: keep the DOT text
            paths.append(g.render(os.path.join(out_dir, f"{stem}.dot")))
            print(f"note: {e}", file=sys.stderr)
    return paths


if __name__ == "__main__":
    g = viz.graph(f, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
    print(g)
    print("gradients (df/dx, df/dy, df/dz):", [float(v) for v in g.grads])
    for p in render_all(ext="svg" if "--svg" in sys.argv else "png"):
        print(p)
