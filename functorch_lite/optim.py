"""``fl.optim``: optimizers as pure functions over parameter pytrees (optax style).

Each optimizer is an object with

- ``init(params) -> state``: a NamedTuple of arrays (a pytree): the step count
  (an int32 scalar) and the optimizer's moments, shaped like ``params``;
- ``update(grads, state, params) -> (new_params, new_state)``: one step.

Unlike ``optax``'s ``update`` (which returns the *updates* to add), ``update``
here returns the new parameters directly; the arithmetic is optax's, so
``sgd``/``momentum``/``adam`` follow ``optax.sgd(lr)``, ``optax.sgd(lr,
momentum=beta)`` and ``optax.adam(lr, b1, b2, eps)`` step for step.  Everything
is written with ``fnp``, so a whole training step runs under ``fl.jit``.  The
learning rate may be a number or a schedule ``lr(count) -> number`` (``count``
is the number of steps taken before this one, as in optax).

>>> import functorch_lite.optim as optim, functorch_lite.numpy as fnp
>>> opt = optim.sgd(0.1)
>>> params = {"w": fnp.array([1.0, 2.0])}
>>> state = opt.init(params)
>>> params, state = opt.update({"w": fnp.array([1.0, 1.0])}, state, params)
>>> params["w"]
array([0.9, 1.9], dtype=float32)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from . import numpy as fnp
from .tree_util import keystr, tree_flatten_with_path, tree_leaves, tree_map, tree_structure

__all__ = ["Optimizer", "SgdState", "MomentumState", "AdamState", "sgd", "momentum", "adam"]

Params = Any
Schedule = Callable[[Any], Any]


class Optimizer(NamedTuple):
    """A pair of pure functions: ``init(params) -> state`` and
    ``update(grads, state, params) -> (new_params, new_state)``."""

    init: Callable[[Params], Any]
    update: Callable[[Params, Any, Params], tuple[Params, Any]]


class SgdState(NamedTuple):
    """State of :func:`sgd`: the number of steps taken (int32 scalar)."""

    count: Any


class MomentumState(NamedTuple):
    """State of :func:`momentum`: step count and the velocity ``trace`` (like params)."""

    count: Any
    trace: Any


class AdamState(NamedTuple):
    """State of :func:`adam`: step count and the moment estimates ``mu``, ``nu`` (like params)."""

    count: Any
    mu: Any
    nu: Any


def _zero_count():
    return fnp.zeros((), fnp.int32)


def _increment(count):
    # optax's safe_increment: the counter stops at the largest int32
    top = np.iinfo(np.int32).max
    return fnp.where(count < top, count + 1, top).astype(fnp.int32)


def _zeros_like(params: Params) -> Params:
    return tree_map(lambda p: fnp.zeros_like(p), params)


def _lr(lr: float | Schedule, count):
    return lr(count) if callable(lr) else lr


def _check_trees(fn: str, grads: Params, params: Params, state: Params = None) -> None:
    """Clear errors for ``update`` calls whose grads, params (and optimizer state, made
    by ``init(params)``) do not belong together."""
    tg, tp = tree_structure(grads), tree_structure(params)
    if tg != tp:
        raise ValueError(f"fl.optim.{fn}.update: grads and params must have the same tree "
                         f"structure, got {tg} and {tp}.")
    if state is not None and tree_structure(state) != tp:
        raise ValueError(f"fl.optim.{fn}.update: the optimizer state holds a tree of structure "
                         f"{tree_structure(state)} but params have {tp}; make the state with "
                         f"init(params) for these params.")
    paths = tree_flatten_with_path(params)[0]
    for (path, p), g in zip(paths, tree_leaves(grads)):
        ps, gs = tuple(np.shape(p)), tuple(np.shape(g))
        try:
            np.broadcast_shapes(ps, gs)
        except ValueError:
            raise ValueError(f"fl.optim.{fn}.update: the gradient at {keystr(path) or 'the root'}"
                             f" has shape {gs} but the parameter has shape {ps}; grads must "
                             "have the shapes of params (pass the output of fl.grad of the "
                             "loss with respect to these params).") from None


def _apply(params: Params, updates: Params, neg_lr) -> Params:
    """``p + (-lr) * u`` in ``p``'s dtype (optax's scale(-lr) then apply_updates)."""
    return tree_map(lambda p, u: fnp.asarray(p + neg_lr * u).astype(fnp.asarray(p).dtype),
                    params, updates)


def sgd(lr: float | Schedule) -> Optimizer:
    """Plain gradient descent ``p <- p - lr * g`` (``optax.sgd(lr)``).

    >>> import functorch_lite.optim as optim, functorch_lite.numpy as fnp
    >>> opt = optim.sgd(0.5)
    >>> p, s = opt.update(fnp.array(2.0), opt.init(fnp.array(1.0)), fnp.array(1.0))
    >>> float(p)
    0.0
    """
    def init(params: Params) -> SgdState:
        return SgdState(count=_zero_count())

    def update(grads: Params, state: SgdState, params: Params) -> tuple[Params, SgdState]:
        _check_trees("sgd", grads, params)
        new = _apply(params, grads, -_lr(lr, state.count))
        return new, SgdState(count=_increment(state.count))
    return Optimizer(init, update)


def momentum(lr: float | Schedule, beta: float = 0.9) -> Optimizer:
    """Heavy-ball momentum ``v <- g + beta * v; p <- p - lr * v``
    (``optax.sgd(lr, momentum=beta)``; ``v`` starts at zero).

    >>> import functorch_lite.optim as optim, functorch_lite.numpy as fnp
    >>> opt = optim.momentum(1.0, beta=0.5)
    >>> p, s = opt.update(fnp.array(1.0), opt.init(fnp.array(0.0)), fnp.array(0.0))
    >>> p, s = opt.update(fnp.array(1.0), s, p)
    >>> float(p)
    -2.5
    """
    def init(params: Params) -> MomentumState:
        return MomentumState(count=_zero_count(), trace=_zeros_like(params))

    def update(grads: Params, state: MomentumState,
               params: Params) -> tuple[Params, MomentumState]:
        _check_trees("momentum", grads, params, state.trace)
        trace = tree_map(lambda g, t: g + beta * t, grads, state.trace)
        new = _apply(params, trace, -_lr(lr, state.count))
        return new, MomentumState(count=_increment(state.count), trace=trace)
    return Optimizer(init, update)


def adam(lr: float | Schedule, b1: float = 0.9, b2: float = 0.999,
         eps: float = 1e-8) -> Optimizer:
    """Adam (``optax.adam(lr, b1, b2, eps)``): moving averages ``mu`` of ``g`` and ``nu``
    of ``g**2``, bias-corrected by ``1 - b**t`` at step ``t`` (from 1), and
    ``p <- p - lr * mu_hat / (sqrt(nu_hat) + eps)``.

    >>> import functorch_lite.optim as optim, functorch_lite.numpy as fnp
    >>> opt = optim.adam(0.1)
    >>> p, s = opt.update(fnp.array(3.0), opt.init(fnp.array(1.0)), fnp.array(1.0))
    >>> round(float(p), 4)
    0.9
    """
    def init(params: Params) -> AdamState:
        return AdamState(count=_zero_count(), mu=_zeros_like(params), nu=_zeros_like(params))

    def update(grads: Params, state: AdamState, params: Params) -> tuple[Params, AdamState]:
        _check_trees("adam", grads, params, state.mu)
        mu = tree_map(lambda g, t: (1 - b1) * g + b1 * t, grads, state.mu)
        nu = tree_map(lambda g, t: (1 - b2) * (g ** 2) + b2 * t, grads, state.nu)
        count = _increment(state.count)

        def corrected(m, v):
            # 1 - b**t in float32 at least (optax: bf16 would round b**t to 1), in the
            # moment's precision when wider (optax under x64), then divide in m's dtype
            dt = np.promote_types(np.dtype(fnp.asarray(m).dtype), np.float32)
            t = count.astype(dt)
            bc1 = (1 - fnp.power(np.asarray(b1, dt), t)).astype(fnp.asarray(m).dtype)
            bc2 = (1 - fnp.power(np.asarray(b2, dt), t)).astype(fnp.asarray(v).dtype)
            return (m / bc1) / (fnp.sqrt(v / bc2) + eps)
        updates = tree_map(corrected, mu, nu)
        new = _apply(params, updates, -_lr(lr, state.count))
        return new, AdamState(count=count, mu=mu, nu=nu)
    return Optimizer(init, update)
