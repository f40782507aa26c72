"""Higher-order derivatives: Hessian-vector products by forward-over-reverse, checked against
the explicit Hessian, and a few Newton steps on a small problem.

    python examples/higher_order.py
"""
from __future__ import annotations

import numpy as np

import functorch_lite as fl
import functorch_lite.numpy as fnp


def rosenbrock(x):
    return fnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def hvp(f, x, v):
    """H(x) @ v without forming H: the JVP of the gradient (forward-over-reverse)."""
    return fl.jvp(fl.grad(f), (x,), (v,))[1]


def newton(f, x, steps: int = 8, verbose: bool = True):
    """Newton's method with the explicit Hessian from fl.hessian."""
    history = [float(f(x))]
    for k in range(steps):
        g = fl.grad(f)(x)
        h = fl.hessian(f)(x)
        x = x - np.linalg.solve(np.asarray(h, np.float64), np.asarray(g, np.float64))
        history.append(float(f(x)))
        if verbose:
            print(f"  Newton step {k + 1}: f = {history[-1]:.3e}, |grad| = "
                  f"{float(np.linalg.norm(fl.grad(f)(x))):.3e}")
    return x, history


def main() -> dict:
    x = np.array([0.8, 0.9, 1.1, 1.2], dtype=np.float64)
    v = np.array([1.0, -2.0, 0.5, 0.3], dtype=np.float64)
    h = fl.hessian(rosenbrock)(x)
    hv = hvp(rosenbrock, x, v)
    print("Hessian of Rosenbrock at x =", x)
    print(np.array2string(np.asarray(h), precision=1, suppress_small=True))
    print("H @ v via jvp(grad(f)):", np.round(np.asarray(hv), 4))
    print("H @ v via hessian     :", np.round(np.asarray(h) @ v, 4))
    assert np.allclose(hv, np.asarray(h) @ v, rtol=1e-10)
    print("Third derivative d³/dx³ sin at 0.5 via grad(grad(grad(sin))):",
          float(fl.grad(fl.grad(fl.grad(fnp.sin)))(0.5)), "(= -cos(0.5) =",
          round(-float(np.cos(0.5)), 6), ")")
    print("Newton's method on Rosenbrock from", x)
    x_star, hist = newton(rosenbrock, x)
    print("minimum found at", np.round(x_star, 6))
    return {"hv": np.asarray(hv), "h": np.asarray(h), "history": hist, "x": x_star}


if __name__ == "__main__":
    main()
