"""vmap: a batching interpreter over the jaxpr.

The function is traced once at the per-example shapes; then each equation is
applied to batched values through its primitive's ``batch`` rule, which gets
every operand's batch axis (or None for an unbatched operand, which stays
unbatched: no needless broadcasting).
"""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np
from jax.tree_util import (keystr, tree_flatten, tree_flatten_with_path, tree_leaves,
                            tree_map, tree_unflatten)

from ..core import Literal, ShapedArray, aval_of, interpreters, interpreting, trace_flat
from ..core.tracebacks import api_boundary
from ..ops.rules import move_axis_to_front
from .ad import concrete_value
from .api_util import check_callable, flatten_fun


def _broadcast_prefix(prefix, tree, what: str) -> list:
    out: list = []
    try:
        tree_map(lambda ax, sub: out.extend([ax] * len(tree_leaves(sub))), prefix, tree,
                 is_leaf=lambda x: x is None)
    except ValueError as e:
        whose = "outputs'" if what == "out_axes" else "arguments'"
        raise ValueError(f"vmap: {what} {prefix!r} is not a tree prefix of the {whose} "
                         f"structure ({e}); give one axis per {whose[:-2]} or a matching "
                         "pytree.") from None
    return out


def _leaf_names(args: tuple, kwargs: dict) -> list:
    """'argument 0', "argument 1['W']", "keyword argument b" ... for each leaf."""
    names = [f"argument {p[0].idx}{keystr(p[1:])}" for p, _ in tree_flatten_with_path(args)[0]]
    return names + [f"keyword argument {p[0].key}{keystr(p[1:])}"
                    for p, _ in tree_flatten_with_path(kwargs)[0]]


def _move_axis(x, src: int | None, dst: int, size: int):
    from .. import numpy as fnp
    if src is None:
        x = move_axis_to_front(x, None, size)
        src = 0
    if src == dst:
        return x
    return fnp.moveaxis(x, src, dst)


def batch_jaxpr_eval(jaxpr, consts: list, args: list, dims: list, size: int):
    """Evaluate ``jaxpr`` on batched ``args`` (batch axis ``dims[i]`` or None).
    Returns ``(outs, out_dims)``."""
    with interpreting([*consts, *args]):
        return _batch_loop(jaxpr, consts, args, dims, size)


def _batch_loop(jaxpr, consts: list, args: list, dims: list, size: int):
    env: dict = {}
    for v, c in zip(jaxpr.constvars, consts):
        env[v] = (c, None)
    for v, a, d in zip(jaxpr.invars, args, dims):
        env[v] = (a, d)
    for eqn in jaxpr.eqns:
        vals, ds = [], []
        for v in eqn.invars:
            if type(v) is Literal:
                vals.append(v.val)
                ds.append(None)
            else:
                x, d = env[v]
                vals.append(x)
                ds.append(d)
        if all(d is None for d in ds):
            out = eqn.prim.bind(*vals, **eqn.params)
            od = [None] * len(eqn.outvars) if eqn.prim.multiple_results else None
        else:
            out, od = eqn.prim.batch(vals, ds, **eqn.params)
        if eqn.prim.multiple_results:
            for v, o, d in zip(eqn.outvars, out, od):
                env[v] = (o, d)
        else:
            env[eqn.outvars[0]] = (out, od)
    outs, odims = [], []
    for v in jaxpr.outvars:
        if type(v) is Literal:  # a constant output: its IR dtype (1.5 -> float32, as JAX)
            outs.append(np.asarray(v.val, v.aval.dtype))
            odims.append(None)
        else:
            outs.append(env[v][0])
            odims.append(env[v][1])
    return outs, odims


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0,
         axis_size: int | None = None) -> Callable:
    """Vectorize ``fun`` over a batch axis of its arguments.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.vmap(lambda x, y: fnp.dot(x, y), in_axes=(0, None))(fnp.ones((3, 2)), fnp.ones(2))
    array([2., 2., 2.], dtype=float32)
    """
    check_callable(fun, "vmap")
    if isinstance(in_axes, bool) or not (in_axes is None or isinstance(in_axes, (int, tuple,
                                                                                  list))):
        raise TypeError(f"vmap: in_axes must be an int, None, or a tuple with one entry per "
                        f"positional argument, got {in_axes!r}; for a dict argument write "
                        "in_axes=({'a': 0},).")

    @api_boundary
    def batched(*args, **kwargs):
        # as in JAX, keyword arguments are mapped over their leading axis
        flat, in_tree = tree_flatten((args, kwargs))
        axes = in_axes
        if isinstance(axes, list):
            axes = tuple(axes)
        if isinstance(axes, tuple) and len(axes) != len(args):
            raise ValueError(f"vmap: in_axes has {len(axes)} entries but the function was "
                             f"called with {len(args)} positional arguments; give one axis "
                             "per argument.")
        ax_flat = _broadcast_prefix(axes if isinstance(axes, tuple) else
                                    tuple([axes] * len(args)), args, "in_axes")
        ax_flat += [0] * (len(flat) - len(ax_flat))
        sizes: dict = {}
        norm = []
        for i, (x, ax) in enumerate(zip(flat, ax_flat)):
            if ax is None:
                norm.append(None)
                continue
            if not isinstance(ax, int) or isinstance(ax, bool):
                raise TypeError(f"vmap: in_axes entries must be int or None, got {ax!r}")
            shape = aval_of(x).shape
            if not shape:
                raise ValueError(f"vmap: in_axes={ax} for {_leaf_names(args, kwargs)[i]}, a "
                                 "scalar: it has no axis to map over; use in_axes=None for it.")
            if not -len(shape) <= ax < len(shape):
                raise ValueError(f"vmap: in_axes={ax} is out of range for "
                                 f"{_leaf_names(args, kwargs)[i]} of "
                                 f"shape {shape} (rank {len(shape)}); use an axis in "
                                 f"[-{len(shape)}, {len(shape)}) or None.")
            ax %= len(shape)
            norm.append(ax)
            sizes.setdefault(shape[ax], []).append((i, shape))
        if len(sizes) > 1:
            names = _leaf_names(args, kwargs)
            desc = "; ".join(f"size {s}: " + ", ".join(f"{names[i]} of shape {sh} (axis "
                                                       f"{norm[i]})" for i, sh in v)
                             for s, v in sizes.items())
            raise ValueError(f"vmap got inconsistent sizes for the mapped axes: {desc}. Give "
                             "every mapped argument the same size along its in_axes axis, or "
                             "use in_axes=None for arguments that are not batched.")
        if sizes:
            size = next(iter(sizes))
            if axis_size is not None and axis_size != size:
                raise ValueError(f"vmap: axis_size={axis_size} but the mapped axes have size "
                                 f"{size}")
        elif axis_size is None:
            raise ValueError("vmap: no argument is mapped (all in_axes are None), so the batch "
                             "size is unknown; pass axis_size=N.")
        else:
            size = axis_size
        avals = []
        for i, (x, ax) in enumerate(zip(flat, norm)):
            a = aval_of(x)
            # Python scalars and lists as arrays of their abstract dtype (2.0 -> float32)
            flat[i] = concrete_value(x, a)
            if ax is not None:
                a = ShapedArray(a.shape[:ax] + a.shape[ax + 1:], a.dtype, a.weak_type)
            avals.append(a)
        store: dict = {}
        jaxpr, consts, _ = trace_flat(flatten_fun(lambda a, k: fun(*a, **k), in_tree, store),
                                      avals, None,
                                      name=batched.__name__)
        outs, odims = batch_jaxpr_eval(jaxpr, consts, flat, norm, size)
        out_tree = store["out_tree"]
        oax = _broadcast_prefix(out_axes, tree_unflatten(out_tree, outs), "out_axes")
        res = []
        for o, d, ax in zip(outs, odims, oax):
            if ax is None:
                if d is not None:
                    raise ValueError("vmap: out_axes=None for an output that depends on the "
                                     "mapped inputs (it is batched); give it an axis, e.g. 0.")
                res.append(o)
                continue
            nd = len(aval_of(o).shape) + (d is None)
            if not isinstance(ax, int) or not -nd <= ax < nd:
                raise ValueError(f"vmap: out_axes={ax!r} is out of range for an output of "
                                 f"batched rank {nd}; use an axis in [-{nd}, {nd}) or None.")
            res.append(_move_axis(o, d, ax % nd, size))
        return tree_unflatten(out_tree, res)
    batched.__name__ = f"vmap({getattr(fun, '__name__', 'fun')})"
    return batched


interpreters.vmap = vmap
interpreters.batch_jaxpr = batch_jaxpr_eval
