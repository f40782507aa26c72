"""``fl.pure_callback``: call a pure host (NumPy) function from any transformed program."""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

from jax.tree_util import tree_flatten, tree_unflatten

from .core import ShapedArray, aval_of
from .ops.callbacks import VMAP_METHODS, FlatCallback, pure_callback_p

__all__ = ["pure_callback"]


def pure_callback(callback: Callable[..., Any], result_shape_dtypes: Any, *args: Any,
                  sharding: Any = None, vmap_method: str | None = None, **kwargs: Any) -> Any:
    """Call the pure Python function ``callback(*args, **kwargs)`` on NumPy arrays and return
    its result, declared by ``result_shape_dtypes`` (a pytree of objects with ``.shape`` and
    ``.dtype``, such as ``fl.ShapeDtypeStruct``), as ``jax.pure_callback``.

    It works eagerly, under ``jit`` (lowered to ``jax.pure_callback``, run at every
    execution) and under ``vmap`` per ``vmap_method``: ``"sequential"`` calls it once per
    example, ``"expand_dims"`` once with a leading batch axis on the batched arguments
    (size 1 on the others), ``"broadcast_all"`` once with every argument broadcast to the
    batch size; ``None`` (the default) makes ``vmap`` raise.  It has no derivative: wrap it
    in ``fl.custom_jvp``.  Being pure, it is dropped when its result is unused.

    >>> import numpy as np, functorch_lite as fl
    >>> sds = fl.ShapeDtypeStruct((3,), np.float32)
    >>> fl.jit(lambda x: fl.pure_callback(np.cumsum, sds, x) * 2)(np.ones(3, np.float32))
    Array([2., 4., 6.], dtype=float32)
    >>> fl.vmap(lambda x: fl.pure_callback(np.sort, sds, x, vmap_method="sequential"))(
    ...     np.array([[3., 1., 2.], [0., 5., 4.]], np.float32))
    array([[1., 2., 3.],
           [0., 4., 5.]], dtype=float32)
    """
    if not callable(callback):
        raise TypeError(f"pure_callback: the first argument must be callable, got an object "
                        f"of type {type(callback).__name__}")
    if vmap_method is not None and vmap_method not in VMAP_METHODS:
        raise ValueError(f"pure_callback: vmap_method must be one of "
                         f"{list(VMAP_METHODS) + [None]}, but got: {vmap_method!r}")
    res_flat, out_tree = tree_flatten(result_shape_dtypes)
    result_avals = []
    for i, r in enumerate(res_flat):
        if not (hasattr(r, "shape") and hasattr(r, "dtype")):
            raise TypeError(f"pure_callback: result_shape_dtypes leaf {i} is {r!r:.60}, which "
                            "has no .shape and .dtype; describe each result with "
                            "fl.ShapeDtypeStruct(shape, dtype) (or an example array).")
        result_avals.append(ShapedArray(tuple(r.shape), r.dtype))
    leaves, in_tree = tree_flatten((args, kwargs))
    for x in leaves:
        aval_of(x)  # every argument leaf must be an array: a clear error names it
    outs = pure_callback_p.bind(*leaves, callback=FlatCallback(callback, in_tree, ()),
                                result_avals=tuple(result_avals), out_tree=out_tree,
                                vmap_method=vmap_method, sharding=sharding)
    return tree_unflatten(out_tree, list(outs))
