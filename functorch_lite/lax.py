"""``fl.lax``: structured control flow and thin wrappers over the primitives.

>>> import functorch_lite as fl
>>> fl.lax.fori_loop(0, 3, lambda i, x: x * 2.0, 1.0)
array(8., dtype=float32)
"""
from __future__ import annotations

import builtins
import operator
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np
from jax.tree_util import tree_flatten, tree_unflatten

from .core import ShapedArray, Tracer, aval_of
from .core.dtypes import FLOATS, INTS
from .core.tracebacks import api_boundary
from .numpy.promotion import to_operand, unweak
from .ops import reductions as _red
from .ops import shapes as _sh
from .ops import sorting as _srt
from .ops import special as _special
from .ops.control_flow import scan_p, trace_body, while_p
from .lax_elementwise import (_FLOAT_FIX, RoundingMethod, _check_kind,  # noqa: F401
                              _is_py_scalar, _kind, _operand, _scalar_as, abs, acos, acosh,
                              add, asin, asinh, atan, atan2, atanh, betainc, bitwise_and,
                              bitwise_not, bitwise_or, bitwise_xor, cbrt, ceil, clamp, clz,
                              cos, cosh, div, eq, erf, erf_inv, erfc, exp, exp2, expm1, floor,
                              ge, gt, igamma, igamma_grad_a, igammac, integer_pow, is_finite,
                              le, log, log1p, logistic, lt, max, min, mul, ne, neg, nextafter,
                              population_count, pow, rem, round, rsqrt, select, shift_left,
                              shift_right_arithmetic, shift_right_logical, sign, sin, sinh,
                              sqrt, square, sub, tan, tanh, zeta)
from .ops import elementwise as _ew
from .ops.elementwise import convert_element_type, select_n  # noqa: F401
from .ops.indexing import index, index_set
from .ops.linalg import dot_general  # noqa: F401
from .lax_convolution import (ConvDimensionNumbers, conv,  # noqa: F401
                              conv_dimension_numbers, conv_general_dilated, conv_transpose,
                              conv_with_general_padding)
from .ops.reductions import (argmax, argmin, reduce_and,  # noqa: F401
                             reduce_max, reduce_min, reduce_or, reduce_prod, reduce_sum)
from .ops.shapes import (broadcast_in_dim, broadcasted_iota, concatenate,  # noqa: F401
                         expand_dims, iota, rev, slice, slice_in_dim, squeeze,
                         transpose)
from .transforms.ad import stop_gradient  # noqa: F401
from .lax_windows import associative_scan, padtype_to_pads, reduce_window  # noqa: F401
from .lax_small_wrappers import digamma, lgamma, reciprocal, split, tile  # noqa: F401
from . import lax_linalg as linalg  # noqa: F401  (fl.lax.linalg)


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

    ``pred`` is a scalar bool or number; as in JAX a number counts as ``pred != 0``
    (so ``-1`` and ``0.5`` take ``true_fun``).

    >>> import functorch_lite as fl
    >>> fl.lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 1.0)
    np.float32(2.0)
    >>> fl.lax.cond(-1, lambda x: x + 1.0, lambda x: x - 1.0, 1.0)
    np.float32(2.0)
    """
    return _switch(_cond_index(pred), [false_fun, true_fun], operands,
                   ("false_fun", "true_fun"), "cond")


_PRED_FIX = {
    "cond": "reduce it with .all() / .any(), or select elementwise with fnp.where(pred, x, y).",
    "switch": "the index must be a scalar integer (one branch is taken for the whole call); "
              "select elementwise with fnp.where or fnp.select instead.",
}


def _cond_index(pred):
    """The branch index (int32 0 or 1) of a ``cond`` predicate: bools as they are, numbers
    as ``pred != 0`` (JAX's rule), anything else a TypeError."""
    if pred is None:
        raise TypeError("cond: the predicate is None; pass a scalar bool (or a number, "
                        "nonzero meaning true).")
    if isinstance(pred, Tracer):
        a = pred.aval
        if a.shape != ():
            raise TypeError(f"cond: the predicate must be a scalar, got {a.str_short()}; "
                            f"{_PRED_FIX['cond']}")
        _check_pred_dtype(a.dtype)
        if a.dtype != np.bool_:
            pred = _ew.ne(pred, np.zeros((), a.dtype))
        return convert_element_type(pred, np.int32)
    try:
        p = np.asarray(pred)
    except Exception:
        p = np.asarray(None)
    if p.shape != ():
        raise TypeError(f"cond: the predicate must be a scalar, got shape {p.shape}; "
                        f"{_PRED_FIX['cond']}")
    _check_pred_dtype(p.dtype, pred)
    return np.int32(p != 0)


def _check_pred_dtype(dt, pred=None):
    if dt == np.bool_ or dt in INTS or dt in FLOATS:
        return
    got = f"{pred!r:.40} of dtype {dt}" if pred is not None else f"dtype {dt}"
    raise TypeError(f"cond: the predicate must be a scalar bool or real number (nonzero means "
                    f"true), got {got}; compare it explicitly, e.g. fl.lax.cond(x > 0, ...).")


def _switch_index(index: Tracer) -> Tracer:
    """A traced ``switch`` index as a scalar int32 (clamped by the caller)."""
    a = index.aval
    if a.shape != ():
        raise TypeError(f"switch: the index must be a scalar, got {a.str_short()}; "
                        f"{_PRED_FIX['switch']}")
    return convert_element_type(index, np.int32) if a.dtype != np.int32 else index


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
        idx = _switch_index(index)
        idx = min_p.bind(max_p.bind(idx, np.int32(0)), np.int32(len(branches) - 1))
    else:
        if np.shape(index) != ():
            raise TypeError(f"switch: the index must be a scalar, got shape {np.shape(index)}; "
                            f"{_PRED_FIX['switch']}")
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
def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any, *,
              unroll: int | bool | None = None) -> Any:
    """``for i in range(lower, upper): val = body_fun(i, val)``.

    With Python-int (static) bounds it is a ``scan`` and reverse-differentiable;
    with traced bounds it is a ``while_loop``.  ``unroll`` (static bounds only, as
    JAX) is passed to the scan.

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
        u = 1 if unroll is None or unroll is False else (n or 1) if unroll is True else unroll
        (_, out), _ = _scan(step, (np.int32(lo), init_val), None, n, False, "fori_loop", u)
        return out
    if unroll is not None:
        raise ValueError("fori_loop: unroll can be given only with static (Python int) bounds, "
                         "as in JAX; drop unroll= or make lower and upper concrete.")

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

def _split_starts(name: str, starts: Any) -> list:
    """The start indices as a list of scalars: a sequence as it is, a 1-D array (NumPy,
    jax.Array or traced) split into its elements, a scalar as a list of one."""
    if isinstance(starts, (tuple, list)):
        return list(starts)
    if isinstance(starts, Tracer):
        nd = starts.aval.ndim
        if nd == 1:
            return [starts[k] for k in range(starts.aval.shape[0])]
    else:
        arr = np.asarray(starts)
        nd = arr.ndim
        if nd == 1:
            return list(arr)
    if nd == 0:
        return [starts]
    raise TypeError(f"{name}: start_indices must be a sequence of scalars or a 1-D array, got "
                    f"an array of shape {tuple(aval_of(starts).shape)}; pass one start per "
                    "operand dimension.")


def _dynamic_starts(name: str, shape: tuple, starts: Any, sizes: tuple) -> tuple:
    """``(spec, index arrays)`` selecting ``sizes`` elements from ``starts`` along every
    axis, starts normalized as JAX's: negative ones count from the end, then each is
    clamped so the block fits (``0 <= start <= dim - size``)."""
    starts = _split_starts(name, starts)
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


# ----------------------------------------------------------------------------- creation, indexing

def _scalar_fill(name: str, fill_value: Any) -> None:
    shape = tuple(aval_of(_operand(fill_value)).shape)
    if shape:
        raise TypeError(f"{name}: fill_value must be a scalar, got shape {shape}; use "
                        "fnp.broadcast_to (or fnp.full, which broadcasts) for an array.")


def full(shape: Sequence[int] | int, fill_value: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with the scalar ``fill_value``, as ``jax.lax.full``
    (the dtype is ``dtype`` or ``fill_value``'s: ``1.5`` gives float32).

    >>> import functorch_lite as fl
    >>> fl.lax.full((2, 3), 1.5)
    array([[1.5, 1.5, 1.5],
           [1.5, 1.5, 1.5]], dtype=float32)
    """
    from . import numpy as fnp
    _scalar_fill("full", fill_value)
    return fnp.full(shape, fill_value, dtype)


def full_like(x: Any, fill_value: Any, dtype: Any = None,
              shape: Sequence[int] | None = None) -> Any:
    """An array like ``x`` (its shape and dtype unless given) filled with the scalar
    ``fill_value``, as ``jax.lax.full_like``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.full_like(np.zeros(2, np.int32), 2.7)
    array([2, 2], dtype=int32)
    """
    from . import numpy as fnp
    _scalar_fill("full_like", fill_value)
    return fnp.full_like(_operand(x), fill_value, dtype, shape)


def _axis_of(name: str, shape: tuple, axis: Any) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: axis must be an int, got {axis!r:.40}")
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"{name}: axis={axis} is out of bounds for an operand of shape {shape}")
    return int(axis) % len(shape)


def _drop_axis(x: Any, axis: int, keepdims: bool) -> Any:
    return x if keepdims else _sh.squeeze(x, (axis,))


def index_in_dim(operand: Any, index: int, axis: int = 0, keepdims: bool = True) -> Any:
    """Entry ``index`` (a static int; negative counts from the end) along ``axis``, as
    ``jax.lax.index_in_dim``; the axis is kept with size 1 unless ``keepdims=False``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.index_in_dim(np.arange(6).reshape(2, 3), -1, axis=1, keepdims=False)
    array([2, 5])
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    axis = _axis_of("index_in_dim", shape, axis)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index_in_dim: index must be a static int, got {index!r:.40}; use "
                        "fl.lax.dynamic_index_in_dim for a traced index.")
    if not -shape[axis] <= index < shape[axis]:
        raise IndexError(f"index_in_dim: index {index} is out of bounds for axis {axis} with "
                         f"size {shape[axis]}")
    i = int(index) % shape[axis]
    return _drop_axis(_sh.slice_in_dim(x, i, i + 1, 1, axis), axis, keepdims)


def dynamic_index_in_dim(operand: Any, index: Any, axis: int = 0,
                         keepdims: bool = True) -> Any:
    """Entry ``index`` (may be traced; clamped into range, negative counts from the end)
    along ``axis``, as ``jax.lax.dynamic_index_in_dim``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.dynamic_index_in_dim(np.arange(6).reshape(2, 3), 1, axis=1)
    array([[1],
           [4]])
    """
    x = _operand(operand)
    axis = _axis_of("dynamic_index_in_dim", tuple(aval_of(x).shape), axis)
    return _drop_axis(dynamic_slice_in_dim(x, index, 1, axis), axis, keepdims)


def dynamic_update_index_in_dim(operand: Any, update: Any, index: Any, axis: int) -> Any:
    """``operand`` with entry ``index`` along ``axis`` replaced by ``update`` (with or
    without that axis), as ``jax.lax.dynamic_update_index_in_dim``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.dynamic_update_index_in_dim(np.zeros((2, 3)), np.ones(2), 1, axis=1)
    array([[0., 1., 0.],
           [0., 1., 0.]])
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    axis = _axis_of("dynamic_update_index_in_dim", shape, axis)
    u = _operand(update)
    if len(aval_of(u).shape) == len(shape) - 1:
        u = _sh.expand_dims(u, (axis,))
    return dynamic_update_slice_in_dim(x, u, index, axis)


def broadcast(operand: Any, sizes: Sequence[int]) -> Any:
    """``operand`` with new leading axes of ``sizes``, as ``jax.lax.broadcast``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.broadcast(np.array([1., 2.], np.float32), (3,)).shape
    (3, 2)
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    sizes = tuple(sizes)
    if any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0
           for d in sizes):
        raise TypeError(f"broadcast: sizes must be non-negative ints, got {sizes}")
    n = len(sizes)
    return broadcast_in_dim(x, tuple(int(d) for d in sizes) + shape,
                            tuple(range(n, n + len(shape))))


def _same_dtype(lhs: Any, rhs: Any, preferred_element_type: Any) -> tuple:
    """``lhs`` and ``rhs`` in their promoted dtype (jax.lax's dot functions accept mixed
    dtypes and promote), and the preferred element type as an np.dtype or None."""
    from .core.dtypes import result_type
    la, ra = aval_of(lhs), aval_of(rhs)
    if la.dtype != ra.dtype:
        dt, _ = result_type((la.dtype, False), (ra.dtype, False))
        lhs, rhs = (v if aval_of(v).dtype == dt else convert_element_type(v, dt)
                    for v in (lhs, rhs))
    pet = None if preferred_element_type is None else np.dtype(preferred_element_type)
    return lhs, rhs, pet


def dot(lhs: Any, rhs: Any, precision: Any = None, preferred_element_type: Any = None) -> Any:
    """The vector-vector, matrix-vector or matrix-matrix product, as ``jax.lax.dot``
    (``precision`` is accepted and ignored: NumPy computes in full precision).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.dot(np.ones((2, 3), np.float32), np.array([1., 2., 3.], np.float32))
    array([6., 6.], dtype=float32)
    """
    del precision
    lhs, rhs = _operand(lhs), _operand(rhs)
    ls, rs = tuple(aval_of(lhs).shape), tuple(aval_of(rhs).shape)
    if len(ls) not in (1, 2) or len(rs) not in (1, 2) or ls[-1] != rs[0]:
        raise TypeError(f"dot: takes vectors and matrices with a shared contracted size "
                        f"(lhs's last axis, rhs's first), got lhs {ls} and rhs {rs}; use "
                        "fl.lax.dot_general with dimension_numbers for other products.")
    lhs, rhs, pet = _same_dtype(lhs, rhs, preferred_element_type)
    return dot_general(lhs, rhs, (((len(ls) - 1,), (0,)), ((), ())),
                       preferred_element_type=pet)


def batch_matmul(lhs: Any, rhs: Any, precision: Any = None) -> Any:
    """Matrix products over the leading (batch) axes, as ``jax.lax.batch_matmul``:
    ``lhs`` ``(..., m, k)`` and ``rhs`` ``(..., k, n)`` of one rank and batch shape.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.batch_matmul(np.ones((4, 2, 3), np.float32), np.ones((4, 3, 5), np.float32)).shape
    (4, 2, 5)
    """
    del precision
    lhs, rhs = _operand(lhs), _operand(rhs)
    ls, rs = tuple(aval_of(lhs).shape), tuple(aval_of(rhs).shape)
    if len(ls) < 2 or len(ls) != len(rs) or ls[:-2] != rs[:-2] or ls[-1] != rs[-2]:
        raise TypeError(f"batch_matmul: operands must have one rank >= 2, one batch shape and "
                        f"lhs (..., m, k) against rhs (..., k, n), got lhs {ls} and rhs {rs}; "
                        "use fnp.matmul, which broadcasts batch axes.")
    lhs, rhs, _ = _same_dtype(lhs, rhs, None)
    batch = tuple(range(len(ls) - 2))
    return dot_general(lhs, rhs, (((len(ls) - 1,), (len(rs) - 2,)), (batch, batch)))


def collapse(operand: Any, start_dimension: int, stop_dimension: int | None = None) -> Any:
    """``operand`` with the axes ``start_dimension:stop_dimension`` merged into one, as
    ``jax.lax.collapse`` (negative dimensions count from the end).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.collapse(np.ones((2, 3, 4), np.float32), 1).shape
    (2, 12)
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    lo, hi, _ = builtins.slice(start_dimension, stop_dimension).indices(len(shape))
    if hi < lo:
        raise ValueError(f"collapse: stop_dimension {stop_dimension} comes before "
                         f"start_dimension {start_dimension} for shape {shape}")
    size = int(np.prod(shape[lo:hi], dtype=np.int64))
    return _sh.reshape(x, shape[:lo] + (size,) + shape[hi:])


# ----------------------------------------------------------------------------- cumulative ops

def _cum_axis(name: str, x: Any, axis: Any) -> int:
    """``axis`` checked as jax.lax's cumulative ops do (non-negative and in range)."""
    shape = tuple(aval_of(x).shape)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: axis must be an int, got {axis!r:.40}")
    if not shape:
        raise ValueError(f"{name}: the operand is a scalar (shape ()); there is no axis to "
                         "accumulate along: reshape it to (1,) or skip the call.")
    if not 0 <= axis < len(shape):
        hint = f"axis={axis % len(shape)}" if -len(shape) <= axis < 0 else \
            f"an axis in 0..{len(shape) - 1}"
        raise ValueError(f"{name}: axis={axis} is out of bounds for an operand of shape "
                         f"{shape}; jax.lax's cumulative ops take a non-negative axis "
                         f"(XLA does not allow negative ones): pass {hint}.")
    _check_kind(name, "operand", x, "if", "a number array",
                "convert it, e.g. .astype(fnp.int32) for a mask.")
    return int(axis)


def cumsum(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
    """Running sum along ``axis`` (from the end when ``reverse``), as ``jax.lax.cumsum``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.cumsum(np.array([[1., 2.], [3., 4.]], np.float32))
    array([[1., 2.],
           [4., 6.]], dtype=float32)
    """
    x = _operand(operand)
    return _red.cumsum(x, _cum_axis("cumsum", x, axis), bool(reverse))


def cumprod(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
    """Running product along ``axis`` (from the end when ``reverse``), as
    ``jax.lax.cumprod``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.cumprod(np.array([1., 2., 3.], np.float32), reverse=True)
    array([6., 6., 3.], dtype=float32)
    """
    x = _operand(operand)
    return _red.cumprod(x, _cum_axis("cumprod", x, axis), bool(reverse))


def cummax(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
    """Running maximum along ``axis`` (from the end when ``reverse``), as
    ``jax.lax.cummax`` (NaN propagates; the derivative splits ties as JAX's does).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.cummax(np.array([1., 3., 2., 5.], np.float32))
    array([1., 3., 3., 5.], dtype=float32)
    """
    x = _operand(operand)
    return _special.cummax(x, _cum_axis("cummax", x, axis), bool(reverse))


def cummin(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
    """Running minimum along ``axis`` (from the end when ``reverse``), as
    ``jax.lax.cummin``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.cummin(np.array([3., 1., 2.], np.float32), reverse=True)
    array([1., 1., 2.], dtype=float32)
    """
    x = _operand(operand)
    return _special.cummin(x, _cum_axis("cummin", x, axis), bool(reverse))


def cumlogsumexp(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
    """Running ``log(sum(exp(x)))`` along ``axis`` (from the end when ``reverse``), as
    ``jax.lax.cumlogsumexp``: no overflow for large entries; the derivative is that of
    JAX's parallel prefix scan of ``logaddexp``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.cumlogsumexp(np.array([0., 0., 1000.], np.float32))
    array([0.000000e+00, 6.931472e-01, 1.000000e+03], dtype=float32)
    """
    x = _operand(operand)
    _check_kind("cumlogsumexp", "operand", x, "f", "a floating-point array", _FLOAT_FIX)
    return _special.cumlogsumexp(x, _cum_axis("cumlogsumexp", x, axis), bool(reverse))


# ----------------------------------------------------------------------------- sorting

def _sort_dimension(name: str, shape: tuple, dimension: Any) -> int:
    if isinstance(dimension, bool) or not isinstance(dimension, (int, np.integer)):
        raise TypeError(f"{name}: dimension must be an int, got {dimension!r:.40}")
    nd = len(shape)
    if not -nd <= dimension < nd:
        raise ValueError(f"{name}: dimension={dimension} is out of bounds for operands of "
                         f"shape {shape}" + ("; a scalar has nothing to sort (reshape it to "
                                             "(1,))." if not nd else
                                             f"; pass a dimension in {-nd}..{nd - 1}."))
    return int(dimension) % nd


def sort(operand: Any, dimension: int = -1, is_stable: bool = True,
         num_keys: int = 1) -> Any:
    """Sort along ``dimension``, as ``jax.lax.sort``.

    One array gives the sorted array.  A tuple/list of arrays (one shape) gives a tuple:
    sorted lexicographically by the first ``num_keys`` of them, the others permuted
    along (so the gradient flows back to every operand through the permutation).
    NaNs sort last, ``-0.0 == 0.0``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.sort(np.array([3., 1., 2.], np.float32))
    array([1., 2., 3.], dtype=float32)
    >>> keys, vals = fl.lax.sort((np.array([2, 1, 2]), np.array([0., 1., 2.])), num_keys=1)
    >>> keys, vals
    (array([1, 2, 2]), array([1., 0., 2.]))
    """
    single = not isinstance(operand, (tuple, list))
    ops = [operand] if single else list(operand)
    if not ops:
        raise TypeError("sort: operand is an empty sequence; pass an array or a non-empty "
                        "tuple of arrays.")
    if isinstance(num_keys, bool) or not isinstance(num_keys, (int, np.integer)):
        raise TypeError(f"sort: num_keys must be an int, got {num_keys!r:.40}")
    if single and num_keys != 1:
        raise ValueError(f"sort: num_keys={num_keys} must equal 1 for a single operand; pass "
                         "a tuple of operands to sort by several keys.")
    if not 1 <= num_keys <= len(ops):
        raise ValueError(f"sort: num_keys={num_keys} must be between 1 and the number of "
                         f"operands ({len(ops)}).")
    xs = [_operand(o) for o in ops]
    shapes = [tuple(aval_of(x).shape) for x in xs]
    if len(set(shapes)) != 1:
        raise TypeError(f"sort: all operands must have one shape, got shapes {shapes}; "
                        "broadcast them first (fnp.broadcast_to).")
    dim = _sort_dimension("sort", shapes[0], dimension)
    out = _srt.sort(*xs, dimension=dim, is_stable=bool(is_stable), num_keys=int(num_keys))
    return out[0] if single else tuple(out)


def sort_key_val(keys: Any, values: Any, dimension: int = -1,
                 is_stable: bool = True) -> tuple[Any, Any]:
    """``keys`` sorted along ``dimension`` and ``values`` permuted along, as
    ``jax.lax.sort_key_val``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.sort_key_val(np.array([3., 1., 2.]), np.array([0, 1, 2]))
    (array([1., 2., 3.]), array([1, 2, 0]))
    """
    return sort((keys, values), dimension=dimension, is_stable=is_stable, num_keys=1)


def top_k(operand: Any, k: int, *, axis: int = -1) -> tuple[Any, Any]:
    """The ``k`` largest entries along ``axis`` in descending order and their int32
    indices, as ``jax.lax.top_k``: ties go to the lower index, NaN counts as the
    largest and ``0.0`` above ``-0.0``.  Differentiable in the values.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.top_k(np.array([1., 3., 2., 3.], np.float32), 2)
    (array([3., 3.], dtype=float32), array([1, 3], dtype=int32))
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    ax = _sort_dimension("top_k", shape, axis) if shape else None
    if ax is None:
        raise ValueError("top_k: the operand is a scalar (shape ()); top_k needs an axis to "
                         "select along: reshape it to (1,).")
    if isinstance(k, Tracer):
        raise TypeError("top_k: k must be a static Python int (the output shape depends on "
                        "it), got a traced value; pass it as a constant or mark it in "
                        "static_argnums.")
    try:
        kk = operator.index(k)
    except TypeError:
        if not (isinstance(k, (float, np.floating)) and float(k).is_integer()):
            raise TypeError(f"top_k: k must be an int, got {k!r:.40}") from None
        kk = int(k)
    n = shape[ax]
    if not 0 <= kk <= n:
        raise ValueError(f"top_k: k={kk} must lie between 0 and the size {n} of axis {ax} "
                         f"of the operand (shape {shape}).")
    from .core.dtypes import int32
    # Descending order with ties to the lower index, by an ascending stable sort of the
    # reversed array (then reversed back).  Floats get a second key, atan2(x, -1) = +-pi
    # at +-0, so -0.0 sorts below 0.0 as in XLA's top_k; it carries no gradient.
    xr = _sh.rev(x, (ax,))
    keys = [xr]
    if _kind(aval_of(x).dtype) == "f":
        from .ops.elementwise import atan2_p
        keys.append(stop_gradient(atan2_p.bind(xr, np.asarray(-1, aval_of(x).dtype))))
    iota_r = _sh.rev(broadcasted_iota(int32, shape, ax), (ax,))
    out = _srt.sort(*keys, iota_r, dimension=ax, num_keys=len(keys))
    vals, idx = out[0], out[-1]
    vals = _sh.rev(_sh.slice_in_dim(vals, n - kk, n, 1, ax), (ax,))
    idx = _sh.rev(_sh.slice_in_dim(idx, n - kk, n, 1, ax), (ax,))
    return vals, idx


# ----------------------------------------------------------------------------- shapes

def reshape(operand: Any, new_sizes: Sequence[int] | int,
            dimensions: Sequence[int] | None = None) -> Any:
    """``operand`` with shape ``new_sizes`` (same number of elements), as
    ``jax.lax.reshape``; ``dimensions`` first transposes the operand (row-major order of
    the permuted axes).

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    >>> fl.lax.reshape(x, (3, 2))
    array([[0., 1.],
           [2., 3.],
           [4., 5.]], dtype=float32)
    >>> fl.lax.reshape(x, (6,), dimensions=(1, 0))
    array([0., 3., 1., 4., 2., 5.], dtype=float32)
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    sizes = (new_sizes,) if isinstance(new_sizes, (int, np.integer)) else tuple(new_sizes)
    if any(isinstance(d, (bool, Tracer)) or not isinstance(d, (int, np.integer)) or d < 0
           for d in sizes):
        raise TypeError(f"reshape: new_sizes must be non-negative Python ints, got {sizes}; "
                        "lax.reshape infers no -1 dimension (compute it, or use "
                        "fnp.reshape / x.reshape, which do).")
    if dimensions is not None:
        dims = tuple(dimensions)
        if sorted(dims) != list(range(len(shape))):
            raise TypeError(f"reshape: dimensions must be a permutation of the operand's "
                            f"dimensions, got dimensions {dims} for shape {shape}.")
        if dims != tuple(range(len(shape))):
            x = transpose(x, dims)
    return _sh.reshape(x, tuple(int(d) for d in sizes))


def pad(operand: Any, padding_value: Any,
        padding_config: Sequence[tuple[int, int, int]]) -> Any:
    """Pad ``operand`` with the scalar ``padding_value``; ``padding_config`` holds one
    ``(low, high, interior)`` triple per dimension (negative low/high crop), as
    ``jax.lax.pad``.  A Python scalar padding value takes the operand's dtype.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.pad(np.array([1., 2.], np.float32), 0.0, [(1, 2, 1)])
    array([0., 1., 0., 2., 0., 0.], dtype=float32)
    """
    x = _operand(operand)
    xa = aval_of(x)
    if _is_py_scalar(padding_value):
        pv = _scalar_as("pad", "padding_value", padding_value, xa.dtype,
                        f"the operand ({xa.str_short()})")
    else:
        pv = _operand(padding_value)
        pa = aval_of(pv)
        if pa.shape != () or pa.dtype != xa.dtype:
            raise TypeError(f"pad: padding_value must be a scalar of the operand's dtype "
                            f"{xa.dtype} (operand {xa.str_short()}), got {pa.str_short()}; "
                            f"pass a Python scalar or np.asarray(value, np.{xa.dtype}).")
    try:
        config = [tuple(operator.index(v) for v in c) for c in padding_config]
    except TypeError:
        config = None
    if config is None or len(config) != len(xa.shape) or any(len(c) != 3 for c in config):
        raise TypeError(f"pad: padding_config must hold one (low, high, interior) triple of "
                        f"ints per dimension of the operand {xa.str_short()}, got "
                        f"{padding_config!r:.80}.")
    return _sh.pad(x, pv, config)
