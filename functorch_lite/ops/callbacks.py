"""Host callbacks: ``debug_callback`` and ``debug_print`` (effects), ``pure_callback``.

Operands are the array leaves of the callback's arguments; the other leaves (strings,
``None``, ...) and the tree structure travel in the params.  The callback always sees
NumPy arrays: eagerly, under differentiation (the primal values), and under ``jit``,
where each primitive lowers to ``jax.debug.callback`` / ``jax.pure_callback`` and so
runs at every execution with the runtime values.

``debug_callback`` and ``debug_print`` are ``effectful``: they have no outputs, no
derivative (the primal computation already ran them, as in JAX), and dead-code
elimination keeps them.  Under ``vmap`` they run once per example (JAX unrolls them
too).  ``pure_callback`` is pure: unused, it is dropped; it batches per its
``vmap_method`` and has no derivative rule (JAX points to ``custom_jvp``).
"""
from __future__ import annotations

import sys

import jax
import numpy as np
from jax.tree_util import tree_flatten, tree_unflatten

from ..core import Primitive, ShapedArray, aval_of
from ..core.avals import Weak
from ..core.tracing import _effects
from .rules import move_axis_to_front
from .shapes import concatenate, expand_dims, slice_in_dim, squeeze


def host_value(x) -> np.ndarray:
    """An operand as the NumPy array a callback receives (Python 1.0 -> float32).

    >>> host_value(1.0)
    array(1., dtype=float32)
    """
    if type(x) is np.ndarray:
        return x
    if type(x) is Weak:
        return np.asarray(x.val)
    if isinstance(x, (bool, int, float)):
        return np.asarray(x, aval_of(x).dtype)
    return np.asarray(x)


def _example(x, i: int, d: int | None):
    """Example ``i`` of an operand batched along ``d`` (the operand itself if unbatched)."""
    if d is None:
        return x
    return squeeze(slice_in_dim(x, i, i + 1, 1, d), (d,))


def _stack(xs: list):
    return concatenate([expand_dims(x, (0,)) for x in xs], 0)


def _batch_size(args, dims) -> int:
    return next(aval_of(a).shape[d] for a, d in zip(args, dims) if d is not None)


# ----------------------------------------------------------------------------- debug effects

class FlatCallback:
    """The user's callback applied to flat operands: static leaves and the tree structure
    are merged back in, so the user sees the arguments as passed.

    >>> from jax.tree_util import tree_flatten
    >>> _, tree = tree_flatten(((1.0, "s"), {}))
    >>> FlatCallback(lambda a, b: (a, b), tree, ((1, "s"),))(2.0)
    (2.0, 's')
    """

    __slots__ = ("fn", "in_tree", "static", "__name__")

    def __init__(self, fn, in_tree, static: tuple):
        self.fn = fn
        self.in_tree = in_tree
        self.static = static  # ((flat index, value), ...)
        self.__name__ = getattr(fn, "__name__", type(fn).__name__)

    def __call__(self, *dyn):
        static = dict(self.static)
        it = iter(dyn)
        leaves = [static[i] if i in static else next(it)
                  for i in range(len(static) + len(dyn))]
        args, kwargs = tree_unflatten(self.in_tree, leaves)
        return self.fn(*args, **kwargs)


def format_print(fmt: str, np_printoptions: tuple, has_placeholders: bool, *args, **kwargs):
    """Write one ``debug.print`` line to stdout (JAX's formatting).

    >>> format_print("x={:.1f}", (), True, np.float32(2.0))
    x=2.0
    """
    if has_placeholders:
        with np.printoptions(**dict(np_printoptions)):
            msg = fmt.format(*args, **kwargs)
    else:
        msg = " ".join((fmt, *(str(a) for a in args)))
    sys.stdout.write(msg + "\n")


def _debug_callback_impl(*args, callback, ordered, partitioned):
    if not _effects.mute:  # (muted: a trace computing values only, see core.tracing)
        callback(*[host_value(a) for a in args])
    return []


def _debug_print_impl(*args, fmt, has_placeholders, in_tree, static_args, np_printoptions,
                      ordered, partitioned):
    if _effects.mute:
        return []
    cb = FlatCallback(lambda *a, **k: format_print(fmt, np_printoptions, has_placeholders,
                                                   *a, **k), in_tree, static_args)
    cb(*[host_value(a) for a in args])
    return []


def _effect_jvp(primals, tangents, ans, **params):
    return []  # no outputs; the forward pass already ran the effect on the primals


def _effect_vjp(g, ans, args, needs, **params):
    return [None] * len(args)


def _effect_batch(prim):
    def batch(args, dims, **params):
        # one effect per example, in order (as JAX, which unrolls them too)
        for i in range(_batch_size(args, dims)):
            prim.bind(*[_example(a, i, d) for a, d in zip(args, dims)], **params)
        return [], []
    return batch


def _effect_lower(prim):
    def lower(*args, ordered, **params):
        def host(*xs):
            prim.impl(*[np.asarray(x) for x in xs], ordered=ordered, **params)
        jax.debug.callback(ordered=ordered)(host, *args)
        return []
    return lower


debug_callback_p = Primitive("debug_callback", multiple_results=True, effectful=True)
debug_print_p = Primitive("debug_print", multiple_results=True, effectful=True)
debug_callback_p.impl = _debug_callback_impl
debug_print_p.impl = _debug_print_impl
for _p in (debug_callback_p, debug_print_p):
    _p.abstract_eval = lambda *avals, **params: []
    _p.jvp = _effect_jvp
    _p.vjp = _effect_vjp
    _p.batch = _effect_batch(_p)
    _p.lower = _effect_lower(_p)


# ----------------------------------------------------------------------------- pure_callback

VMAP_METHODS = ("sequential", "sequential_unrolled", "expand_dims", "broadcast_all")


def _check_results(out, result_avals, out_tree, name: str) -> list:
    leaves, tree = tree_flatten(out)
    if tree != out_tree:
        raise TypeError(
            f"pure_callback: the callback {name} returned a value with tree structure {tree} "
            f"but result_shape_dtypes has structure {out_tree}; return the same pytree "
            "(tuple, list, dict) as result_shape_dtypes describes.")
    res = []
    for i, (x, a) in enumerate(zip(leaves, result_avals)):
        if isinstance(x, (bool, int, float)) and not a.shape:
            x = np.asarray(x, a.dtype)  # a Python scalar takes the declared dtype (JAX)
        try:
            x = np.asarray(x)
        except Exception:
            x = None
        if x is not None and x.dtype.kind not in "biuf":
            x = None  # not an array of numbers: named by its type below
        if x is None or x.shape != a.shape or x.dtype != a.dtype:
            got = (f"{type(leaves[i]).__name__} {leaves[i]!r:.40}" if x is None else
                   f"shape {x.shape} dtype {x.dtype}")
            raise TypeError(
                f"pure_callback: result {i} of the callback {name} has {got}, but "
                f"result_shape_dtypes declares shape {a.shape} dtype {a.dtype}; return "
                f"exactly that (e.g. np.asarray(out, dtype=np.{a.dtype}).reshape({a.shape})) "
                "or fix result_shape_dtypes.")
        res.append(x)
    return res


def _pure_impl(*args, callback, result_avals, out_tree, vmap_method, sharding):
    out = callback(*[host_value(a) for a in args])
    return _check_results(out, result_avals, out_tree, callback.__name__)


def _pure_aval(*avals, result_avals, **params):
    return list(result_avals)


def _no_derivative(*args, **params):
    raise ValueError("Pure callbacks do not support JVP. Please use `fl.custom_jvp` to use "
                     "callbacks while taking gradients (give the callback a rule with "
                     "@fl.custom_jvp and .defjvp, or fl.custom_vjp for reverse mode).")


def _pure_batch(args, dims, *, callback, result_avals, out_tree, vmap_method, sharding):
    params = dict(callback=callback, result_avals=result_avals, out_tree=out_tree,
                  vmap_method=vmap_method, sharding=sharding)
    size = _batch_size(args, dims)
    if vmap_method is None:
        raise NotImplementedError(
            "vmap is only supported for the pure_callback primitive when vmap_method is one "
            "of 'sequential', 'sequential_unrolled', 'expand_dims', 'broadcast_all', or "
            "'legacy_vectorized'. Got vmap_method=None. Pass vmap_method= to "
            f"fl.pure_callback (callback {callback.__name__}): 'sequential' calls it once per "
            "example, 'expand_dims'/'broadcast_all' once with batched arrays.")
    if vmap_method in ("sequential", "sequential_unrolled"):
        per = [pure_callback_p.bind(*[_example(a, i, d) for a, d in zip(args, dims)], **params)
               for i in range(size)]
        outs = [_stack(list(xs)) for xs in zip(*per)]
        return outs, [0] * len(outs)
    new = []
    for a, d in zip(args, dims):
        if d is not None:
            new.append(move_axis_to_front(a, d))
        elif vmap_method == "expand_dims":
            new.append(expand_dims(a, (0,)))
        else:  # broadcast_all
            new.append(move_axis_to_front(a, None, size))
    params["result_avals"] = tuple(ShapedArray((size,) + a.shape, a.dtype)
                                   for a in result_avals)
    outs = pure_callback_p.bind(*new, **params)
    return outs, [0] * len(outs)


def _pure_lower(*args, callback, result_avals, out_tree, vmap_method, sharding):
    def host(*xs):
        return _pure_impl(*[np.asarray(x) for x in xs], callback=callback,
                          result_avals=result_avals, out_tree=out_tree,
                          vmap_method=vmap_method, sharding=sharding)
    shapes = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in result_avals]
    return list(jax.pure_callback(host, shapes, *args, sharding=sharding,
                                  vmap_method="sequential"))


pure_callback_p = Primitive("pure_callback", multiple_results=True)
pure_callback_p.impl = _pure_impl
pure_callback_p.abstract_eval = _pure_aval
pure_callback_p.jvp = _no_derivative
pure_callback_p.vjp = _no_derivative
pure_callback_p.batch = _pure_batch
pure_callback_p.lower = _pure_lower
