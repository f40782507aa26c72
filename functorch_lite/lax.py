"""``fl.lax``: structured control flow and thin wrappers over the primitives.

>>> import functorch_lite as fl
>>> fl.lax.fori_loop(0, 3, lambda i, x: x * 2.0, 1.0)
array(8., dtype=float32)
"""
from __future__ import annotations

import builtins
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np
from jax.tree_util import tree_flatten, tree_unflatten

from .core import ShapedArray, Tracer, aval_of
from .core.tracebacks import api_boundary
from .numpy.promotion import to_operand
from .ops.control_flow import scan_p, trace_body, while_p
from .ops.elementwise import (add, convert_element_type, cos, div, eq, exp, ge,  # noqa: F401
                              gt, integer_pow, le, log, lt, mul, ne, neg, pow, rem, rsqrt,
                              select_n, sign, sin, sqrt, sub)
from .ops.elementwise import maximum as max  # noqa: F401, A004  (lax.max is elementwise)
from .ops.indexing import index, index_set
from .ops.elementwise import minimum as min  # noqa: F401, A004
from .ops.linalg import dot_general  # noqa: F401
from .ops.reductions import (argmax, argmin, cumprod, cumsum, reduce_and,  # noqa: F401
                             reduce_max, reduce_min, reduce_or, reduce_prod, reduce_sum)
from .ops.shapes import (broadcast_in_dim, broadcasted_iota, concatenate,  # noqa: F401
                         expand_dims, iota, pad, reshape, rev, slice, slice_in_dim, squeeze,
                         transpose)
from .ops.sorting import sort  # noqa: F401
from .transforms.ad import stop_gradient  # noqa: F401


def _leaves(tree):
    flat, t = tree_flatten(tree)
    return [to_operand(x) if not isinstance(x, Tracer) else x for x in flat], t


def _avals(flat):
    out = []
    for x in flat:
        a = aval_of(x.val if hasattr(x, "val") and not isinstance(x, Tracer) else x)
        out.append(a)
    return out


def _unweak(flat):
    from .numpy.promotion import unweak
    return [unweak(x) for x in flat]


def _trace_tree_fun(fun, in_tree, avals, what, star=True):
    store: dict = {}

    def flat_fun(*args):
        tree = tree_unflatten(in_tree, list(args))
        out = fun(*tree) if star else fun(tree)
        leaves, tree = tree_flatten(out)
        store["tree"] = tree
        return leaves
    jx, consts = trace_body(flat_fun, avals,
                            name=f"the fl.lax.{what} body {getattr(fun, '__name__', 'fun')}")
    return jx, consts, store["tree"]


def _check_carry(what, in_tree, out_tree, in_avals, out_avals, skip=0):
    """Raise a TypeError when a loop body changes its carry's structure or types;
    ``skip`` leading leaves are the loop's own counters (not the user's carry)."""
    if in_tree != out_tree:
        raise TypeError(f"{what}: the body must return a carry with the same tree structure as "
                        f"its input, got {out_tree} for input {in_tree}; return the carry in "
                        "the same container (same tuple length / dict keys) it was given.")
    for i, (a, b) in enumerate(zip(in_avals, out_avals)):
        if i < skip:
            continue
        if (a.shape, a.dtype) != (b.shape, b.dtype):
            raise TypeError(f"{what}: the body must return a carry of the same type as its "
                            f"input, but carry leaf {i - skip} is {a.str_short()} on input and "
                            f"{b.str_short()} on output (keep shapes; use .astype to keep the "
                            "dtype).")


def _check_body_tree(what, v, new_v):
    """The user's loop body must give back its carry in the same pytree structure."""
    t_in, t_out = tree_flatten(v)[1], tree_flatten(new_v)[1]
    if t_in != t_out:
        raise TypeError(f"{what}: body_fun must return a carry with the same tree structure as "
                        f"init_val, got {t_out} for init_val {t_in}; return the carry in the "
                        "same container (same tuple length / dict keys) it was given.")


@api_boundary
def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, as one primitive.

    >>> import functorch_lite as fl
    >>> fl.lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 1.0)
    np.float32(2.0)
    """
    return _switch(_to_index(pred, "cond"), [false_fun, true_fun], operands,
                   ("false_fun", "true_fun"), "cond")


_PRED_FIX = {
    "cond": "reduce it with .all() / .any(), or select elementwise with fnp.where(pred, x, y).",
    "switch": "the index must be a scalar integer (one branch is taken for the whole call); "
              "select elementwise with fnp.where or fnp.select instead.",
}


def _to_index(pred, what):
    if isinstance(pred, Tracer):
        a = pred.aval
        if a.shape != ():
            raise TypeError(f"{what}: the predicate must be a scalar, got {a.str_short()}; "
                            f"{_PRED_FIX[what]}")
        return convert_element_type(pred, np.int32) if a.dtype != np.int32 else pred
    p = np.asarray(pred)
    if p.shape != ():
        raise TypeError(f"{what}: the predicate must be a scalar, got shape {p.shape}; "
                        f"{_PRED_FIX[what]}")
    return np.int32(p)


@api_boundary
def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    """``branches[clamp(index)](*operands)``, as one ``cond`` primitive.

    >>> import functorch_lite as fl
    >>> fl.lax.switch(1, [lambda x: x, lambda x: 2.0 * x], 3.0)
    np.float32(6.0)
    """
    if not branches:
        raise ValueError("switch: branches must be a non-empty sequence of functions")
    dt = index.aval.dtype if isinstance(index, Tracer) else np.result_type(index)
    if dt.kind not in "iu":
        raise TypeError(f"switch: the index must be an integer scalar, got {index!r:.40} of "
                        f"dtype {dt}; pass an int (e.g. int(i), or "
                        "fnp.round(i).astype(fnp.int32) for a traced value).")
    if isinstance(index, Tracer):
        from .ops.elementwise import max_p, min_p
        idx = _to_index(index, "switch")
        idx = min_p.bind(max_p.bind(idx, np.int32(0)), np.int32(len(branches) - 1))
    else:
        idx = np.int32(np.clip(int(np.asarray(index)), 0, len(branches) - 1))
    return _switch(idx, branches, operands, [f"branch {k}" for k in range(len(branches))],
                   "switch")


def _switch(idx, branches, operands, names, what):
    flat, in_tree = _leaves(tuple(operands))
    flat = _unweak(flat)
    avals = [aval_of(x) for x in flat]
    traced, trees = [], []
    for br in branches:
        jx, consts, tree = _trace_tree_fun(br, in_tree, avals, what)
        traced.append((jx, consts))
        trees.append(tree)
    for k, t in enumerate(trees[1:], 1):
        if t != trees[0]:
            raise TypeError(f"{what}: {names[0]} returns tree {trees[0]} but {names[k]} "
                            f"returns {t}; all branches must return the same structure "
                            "(same tuple length / dict keys).")
    from .ops.control_flow import _types
    for k, (jx, _) in enumerate(traced[1:], 1):
        if _types(jx.out_avals) != _types(traced[0][0].out_avals):
            raise TypeError(
                f"{what}: branches must return values of identical types (shape and dtype), but "
                f"{names[0]} returns {[a.str_short() for a in traced[0][0].out_avals]} and "
                f"{names[k]} returns {[a.str_short() for a in jx.out_avals]}; reshape, "
                "broadcast (fnp.broadcast_to) or cast (.astype) the outputs so they agree.")
    from .ops.control_flow import _bind_cond
    outs = _bind_cond(idx, flat, traced)
    return tree_unflatten(trees[0], outs)


@api_boundary
def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    """Loop ``val = body_fun(val)`` while ``cond_fun(val)``; forward-mode differentiable only.

    >>> import functorch_lite as fl
    >>> fl.lax.while_loop(lambda x: x < 10.0, lambda x: x * 2.0, 1.0)
    np.float32(16.0)
    """
    return _while_loop(cond_fun, body_fun, init_val, "while_loop", 0)


def _while_loop(cond_fun, body_fun, init_val, what, skip):
    flat, tree = _leaves(init_val)
    flat = _unweak(flat)
    avals = [aval_of(x) for x in flat]
    cjx, cconsts, ctree = _trace_tree_fun(cond_fun, tree, avals, what, star=False)
    bjx, bconsts, btree = _trace_tree_fun(body_fun, tree, avals, what, star=False)
    _check_carry(what, tree, btree, avals, bjx.out_avals, skip)
    c = cjx.out_avals
    if len(c) != 1 or c[0].shape != () or c[0].dtype != np.bool_:
        raise TypeError("while_loop: cond_fun must return a scalar boolean, got "
                        f"{[a.str_short() for a in c]}; reduce an array condition with "
                        ".all() / .any() and compare numbers explicitly (e.g. x < 10.0).")
    outs = while_p.bind(*cconsts, *bconsts, *flat, cond_jaxpr=cjx, body_jaxpr=bjx,
                        cond_nconsts=len(cconsts), body_nconsts=len(bconsts))
    return tree_unflatten(tree, outs)


@api_boundary
def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    """``for i in range(lower, upper): val = body_fun(i, val)``.

    With Python-int (static) bounds it is a ``scan`` and reverse-differentiable;
    with traced bounds it is a ``while_loop``.

    >>> import functorch_lite as fl
    >>> fl.lax.fori_loop(0, 4, lambda i, x: x + i, 0)
    array(6, dtype=int32)
    """
    static = not isinstance(lower, Tracer) and not isinstance(upper, Tracer)
    if static:
        lo, hi = int(lower), int(upper)
        n = hi - lo if hi > lo else 0  # (this module defines lax.max)

        def step(carry, _):
            i, v = carry
            new_v = body_fun(i, v)
            _check_body_tree("fori_loop", v, new_v)
            return (i + np.int32(1), new_v), None
        (_, out), _ = _scan(step, (np.int32(lo), init_val), None, n, False, "fori_loop", 1)
        return out

    def wcond(c):
        return c[0] < c[1]

    def wbody(c):
        i, hi, v = c
        new_v = body_fun(i, v)
        _check_body_tree("fori_loop", v, new_v)
        return (i + np.int32(1), hi, new_v)
    lo = lower if isinstance(lower, Tracer) else np.int32(lower)
    hi = upper if isinstance(upper, Tracer) else np.int32(upper)
    return _while_loop(wcond, wbody, (lo, hi, init_val), "fori_loop", 2)[2]


@api_boundary
def scan(f: Callable, init: Any, xs: Any = None, length: int | None = None,
         reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:
    """``carry, y = f(carry, x)`` over the leading axis of ``xs``; returns ``(carry, ys)``.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.lax.scan(lambda c, x: (c + x, c * x), 0.0, fnp.arange(3.0))[1]
    array([0., 0., 2.], dtype=float32)
    """
    return _scan(f, init, xs, length, reverse, "scan", 0)


def _scan(f, init, xs, length, reverse, what, skip):
    c_flat, c_tree = _leaves(init)
    c_flat = _unweak(c_flat)
    x_flat, x_tree = _leaves(xs)
    x_flat = _unweak(x_flat)
    lengths = {aval_of(x).shape[0] for x in x_flat if aval_of(x).shape}
    if any(not aval_of(x).shape for x in x_flat):
        shapes = [aval_of(x).shape for x in x_flat]
        raise TypeError("scan: every leaf of xs must have a leading axis to scan over, but xs "
                        f"has leaves of shapes {shapes}; stack the per-step values along a "
                        "new axis 0, or pass a scalar through the carry / a closure instead.")
    if length is None:
        if not lengths:
            raise ValueError("scan: xs is empty, so the number of steps is unknown; pass "
                             "length=N.")
        if len(lengths) > 1:
            shapes = [aval_of(x).shape for x in x_flat]
            raise ValueError(f"scan: xs leaves have different leading sizes {sorted(lengths)} "
                             f"(leaf shapes {shapes}); every leaf of xs is scanned along axis "
                             "0, so they must all have the same length.")
        length = lengths.pop()
    elif lengths and lengths != {length}:
        raise ValueError(f"scan: length={length} but xs leaves have leading sizes "
                         f"{sorted(lengths)}; drop length= or make it equal to the leading "
                         "size of xs.")
    c_avals = [aval_of(x) for x in c_flat]
    x_avals = [ShapedArray(aval_of(x).shape[1:], aval_of(x).dtype) for x in x_flat]
    store: dict = {}

    def body(*a):
        carry = tree_unflatten(c_tree, list(a[:len(c_flat)]))
        x = tree_unflatten(x_tree, list(a[len(c_flat):]))
        out = f(carry, x)
        if not (isinstance(out, tuple) and len(out) == 2):
            got = (f"a tuple of length {len(out)}" if isinstance(out, tuple)
                   else type(out).__name__)
            raise TypeError(f"scan: f must return a pair (carry, y), got {got}; return "
                            "(new_carry, None) when there is no per-step output.")
        new_c, y = out
        cl, ct = tree_flatten(new_c)
        yl, yt = tree_flatten(y)
        store["c"], store["y"] = ct, yt
        return cl + yl
    jx, consts = trace_body(body, c_avals + x_avals,
                            name=f"the fl.lax.{what} body {getattr(f, '__name__', 'f')}")
    _check_carry(what, c_tree, store["c"], c_avals, jx.out_avals[:len(c_flat)], skip)
    outs = scan_p.bind(*consts, *c_flat, *x_flat, jaxpr=jx, num_consts=len(consts),
                       num_carry=len(c_flat), length=int(length), reverse=bool(reverse))
    carry = tree_unflatten(c_tree, outs[:len(c_flat)])
    ys = tree_unflatten(store["y"], outs[len(c_flat):])
    return carry, ys


def map(f: Callable, xs: Any) -> Any:  # noqa: A001
    """``stack([f(x) for x in xs])`` as a scan.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.lax.map(lambda x: x * 2.0, fnp.arange(3.0))
    array([0., 2., 4.], dtype=float32)
    """
    return scan(lambda c, x: (c, f(x)), (), xs)[1]



# ----------------------------------------------------------------------------- dynamic slicing
# Compositions of the indexing primitives, so they differentiate, batch (e.g. a batched
# start index under vmap) and lower like any gather/scatter.

def _dynamic_starts(name: str, shape: tuple, starts: Any, sizes: tuple) -> tuple:
    """``(spec, index arrays)`` selecting ``sizes`` elements from ``starts`` along every
    axis, starts normalized as JAX's: negative ones count from the end, then each is
    clamped so the block fits (``0 <= start <= dim - size``)."""
    starts = list(starts) if isinstance(starts, (tuple, list)) else [starts]
    if len(starts) != len(shape) or len(sizes) != len(shape):
        raise TypeError(f"{name}: operand of shape {shape} needs one start index and one "
                        f"size per dimension ({len(shape)}), got {len(starts)} start indices "
                        f"and sizes {tuple(sizes)}.")
    if any(not 0 <= n <= d for n, d in zip(sizes, shape)):
        raise TypeError(f"{name}: slice sizes {tuple(sizes)} must lie between 0 and the "
                        f"operand's shape {shape} in every dimension.")
    for s_ in starts:
        dt = np.result_type(s_) if not isinstance(s_, Tracer) else s_.aval.dtype
        if not np.issubdtype(dt, np.integer):
            raise TypeError(f"{name}: start indices must be integers, got {dt}; use "
                            ".astype(fnp.int32) or Python ints.")
    if all(isinstance(s_, (int, np.integer)) for s_ in starts):  # static: one slice
        spec = []
        for s_, n, d in zip(starts, sizes, shape):
            s_ = int(s_) + d if int(s_) < 0 else int(s_)
            s_ = builtins.max(0, builtins.min(s_, d - n))  # lax.max/min are elementwise
            spec.append(("s", s_, s_ + n, 1))
        return tuple(spec), []
    from . import numpy as fnp
    arrays = []
    for k, (s_, n, d) in enumerate(zip(starts, sizes, shape)):
        s_ = fnp.asarray(s_).astype(fnp.int32)
        s_ = fnp.clip(fnp.where(s_ < 0, s_ + d, s_), 0, d - n)
        mesh = [1] * len(shape)
        mesh[k] = n
        arrays.append((fnp.arange(n, dtype=fnp.int32) + s_).reshape(mesh))
    return (("a",),) * len(shape), arrays


def dynamic_slice(operand: Any, start_indices: Any, slice_sizes: Sequence[int]) -> Any:
    """``operand[s0:s0+n0, s1:s1+n1, ...]`` with (possibly traced) starts, as
    ``jax.lax.dynamic_slice``: negative starts count from the end and every start is
    clamped so the block lies inside the operand.

    >>> import numpy as np
    >>> dynamic_slice(np.arange(6.0), (4,), (3,))
    array([3., 4., 5.])
    """
    x = to_operand(operand) if not isinstance(operand, Tracer) else operand
    shape = tuple(aval_of(x).shape)
    spec, arrays = _dynamic_starts("dynamic_slice", shape, start_indices,
                                   tuple(int(n) for n in slice_sizes))
    return index(x, arrays, spec)


def dynamic_update_slice(operand: Any, update: Any, start_indices: Any) -> Any:
    """``operand`` with the block at ``start_indices`` replaced by ``update``, as
    ``jax.lax.dynamic_update_slice`` (starts normalized and clamped like
    :func:`dynamic_slice`).

    >>> import numpy as np
    >>> dynamic_update_slice(np.zeros(5), np.ones(2), (4,))
    array([0., 0., 0., 1., 1.])
    """
    x = to_operand(operand) if not isinstance(operand, Tracer) else operand
    u = to_operand(update) if not isinstance(update, Tracer) else update
    xa, ua = aval_of(x), aval_of(u)
    if xa.dtype != ua.dtype or len(ua.shape) != len(xa.shape):
        raise TypeError(f"dynamic_update_slice: update {ua.str_short()} must have the "
                        f"operand's dtype and rank ({xa.str_short()}); cast or reshape it.")
    spec, arrays = _dynamic_starts("dynamic_update_slice", tuple(xa.shape), start_indices,
                                   tuple(ua.shape))
    return index_set(x, u, arrays, spec)


def dynamic_slice_in_dim(operand: Any, start_index: Any, slice_size: int,
                         axis: int = 0) -> Any:
    """:func:`dynamic_slice` along one ``axis`` (all of every other axis).

    >>> import numpy as np
    >>> dynamic_slice_in_dim(np.arange(6.0).reshape(3, 2), 1, 2).shape
    (2, 2)
    """
    shape = tuple(aval_of(operand).shape)
    axis %= len(shape)
    starts = [0] * len(shape)
    starts[axis] = start_index
    sizes = list(shape)
    sizes[axis] = slice_size
    return dynamic_slice(operand, starts, sizes)


def dynamic_update_slice_in_dim(operand: Any, update: Any, start_index: Any,
                                axis: int) -> Any:
    """:func:`dynamic_update_slice` at ``start_index`` along one ``axis``.

    >>> import numpy as np
    >>> dynamic_update_slice_in_dim(np.zeros((3, 2)), np.ones((1, 2)), 2, 0)[2]
    array([1., 1.])
    """
    starts = [0] * len(aval_of(operand).shape)
    starts[axis % len(starts)] = start_index
    return dynamic_update_slice(operand, update, starts)
