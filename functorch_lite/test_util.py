"""``check_grads``: derivatives against finite differences, to any order, both modes."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from jax.tree_util import tree_flatten, tree_unflatten

from .core import aval_of
from .core.dtypes import FLOATS
from .transforms.ad import jvp, vjp

_EPS = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 3e-3, np.dtype(np.float16): 1e-1}
_TOL = {np.dtype(np.float64): 1e-5, np.dtype(np.float32): 3e-2, np.dtype(np.float16): 2e-1}


def _np(x):
    return np.asarray(x)


def _rand_like(rng, x):
    a = aval_of(x)
    if a.dtype not in FLOATS:
        return np.zeros(a.shape, a.dtype)
    return rng.standard_normal(a.shape).astype(a.dtype)


def _inner(xs, ys) -> float:
    return float(sum(np.vdot(_np(x).astype(np.float64), _np(y).astype(np.float64))
                     for x, y in zip(xs, ys) if aval_of(x).dtype in FLOATS))


def _numerical_jvp(f, args, tangents, eps):
    plus = [(_np(a) + eps * _np(t)).astype(_np(a).dtype) if aval_of(a).dtype in FLOATS else a
            for a, t in zip(args, tangents)]
    minus = [(_np(a) - eps * _np(t)).astype(_np(a).dtype) if aval_of(a).dtype in FLOATS else a
             for a, t in zip(args, tangents)]
    fp = tree_flatten(f(*plus))[0]
    fm = tree_flatten(f(*minus))[0]
    return [(_np(p).astype(np.float64) - _np(m).astype(np.float64)) / (2 * eps)
            for p, m in zip(fp, fm)]


def _close(a, b, atol, rtol, what):
    for i, (x, y) in enumerate(zip(a, b)):
        x, y = _np(x).astype(np.float64), _np(y).astype(np.float64)
        if x.shape != y.shape or not np.allclose(x, y, atol=atol, rtol=rtol):
            raise AssertionError(f"check_grads: {what} mismatch at output {i}:\n"
                                 f"  autodiff  = {x}\n  reference = {y}")


def check_grads(f: Callable, args: Sequence, order: int = 2,
                modes: Sequence[str] = ("fwd", "rev"), eps: float | None = None,
                atol: float | None = None, rtol: float | None = None, seed: int = 0) -> None:
    """Check ``f``'s derivatives at ``args`` against central finite differences.

    Forward mode compares ``jvp`` with the difference quotient along a random
    tangent; reverse mode checks ``<u, J v> == <J^T u, v>`` for random ``u``, ``v``.
    Higher orders check the derivative functions recursively.  Raises
    ``AssertionError`` on a mismatch.

    >>> import functorch_lite.numpy as fnp
    >>> check_grads(fnp.sin, (np.array([0.5, 1.0]),), order=2)
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"check_grads: args must be a tuple (or list) of the arguments of f, got "
                        f"{type(args).__name__}; write check_grads(f, (x,)) for one argument.")
    unknown = [m for m in modes if m not in ("fwd", "rev")] if not isinstance(modes, str) \
        else ([] if modes in ("fwd", "rev") else [modes])
    if unknown:
        raise ValueError(f"check_grads: unknown mode(s) {unknown} in modes={modes!r}; use "
                         "modes=('fwd', 'rev'), ('fwd',) or ('rev',).")
    args = tuple(np.asarray(a) if isinstance(a, (float, int, list)) else a for a in args)
    flat, tree = tree_flatten(args)
    if not flat:
        return
    dts = [aval_of(x).dtype for x in flat if aval_of(x).dtype in FLOATS]
    dt = min(dts, key=lambda d: np.dtype(d).itemsize) if dts else np.dtype(np.float64)
    e = eps if eps is not None else _EPS.get(np.dtype(dt), 1e-3)
    at = atol if atol is not None else _TOL.get(np.dtype(dt), 1e-2)
    rt = rtol if rtol is not None else _TOL.get(np.dtype(dt), 1e-2)
    rng = np.random.default_rng(seed)
    ff = lambda *fl: f(*tree_unflatten(tree, list(fl)))

    def check_fwd(g, xs):
        ts = [_rand_like(rng, x) for x in xs]
        _, t_out = jvp(g, tuple(xs), tuple(ts))
        _close(tree_flatten(t_out)[0], _numerical_jvp(g, xs, ts, e), at, rt, "JVP")
        return ts

    def check_rev(g, xs):
        ys, g_vjp = vjp(g, *xs)
        y_flat, y_tree = tree_flatten(ys)
        us = [_rand_like(rng, y) for y in y_flat]
        cts = g_vjp(tree_unflatten(y_tree, us))
        vs = [_rand_like(rng, x) for x in xs]
        lhs = _inner(cts, vs)
        num = _numerical_jvp(g, xs, vs, e)
        rhs = _inner(us, num) if all(aval_of(y).dtype in FLOATS for y in y_flat) else \
            float(sum(np.vdot(u, n) for u, n, y in zip(us, num, y_flat)
                      if aval_of(y).dtype in FLOATS))
        scale = max(1.0, abs(rhs))
        if abs(lhs - rhs) > at * scale + rt * scale:
            raise AssertionError(f"check_grads: VJP mismatch: <J^T u, v> = {lhs} but "
                                 f"<u, J v> (finite differences) = {rhs}")

    def rec(g, xs, k):
        if "fwd" in modes:
            ts = check_fwd(g, xs)
            if k > 1:
                rec(lambda *a: jvp(g, a, tuple(ts))[1], xs, k - 1)
        if "rev" in modes:
            check_rev(g, xs)
            if k > 1:
                ys = g(*xs)
                y_flat, y_tree = tree_flatten(ys)
                us = [_rand_like(rng, y) for y in y_flat]
                rec(lambda *a: vjp(g, *a)[1](tree_unflatten(y_tree, us)), xs, k - 1)

    rec(ff, list(flat), order)
