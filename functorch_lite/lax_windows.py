"""``fl.lax.reduce_window`` (pooling) and ``fl.lax.associative_scan``, as ``jax.lax``'s.

``reduce_window`` recognises, as JAX does, the monoids ``lax.add``, ``lax.max`` and
``lax.min`` (this library's or ``jax.lax``'s functions) with a concrete init value equal
to their identity (0, -inf / the dtype's minimum, +inf / its maximum) and binds the
primitives ``reduce_window_sum``/``max``/``min`` (``ops/windows.py``): fast eagerly,
lowered to ``jax.lax.reduce_window`` under ``jit``, with JAX's derivatives.  Any other
computation or init value (``fnp.add``, ``operator.mul``, ``lax.add`` with init 1, a
pytree of operands) is evaluated as JAX's generic reduce_window defines it: each output
is ``init`` combined with the window's entries in row-major order (padding and
base-dilation holes skipped).  That is written with slices, selects and the user's
computation applied to whole arrays of window entries (one call per window offset), so
it is differentiable (JAX's generic path is forward-mode only), batches and lowers like
any user code.

Beyond JAX (documented differences): the generic path is reverse-differentiable, its
init values may be traced or batched under ``vmap`` (``jax.vmap`` raises), and its
computation receives arrays of window entries rather than scalars (it must be
elementwise; for a non-associative computation the row-major order may differ from
XLA's unspecified one); ``window_strides=None`` with a string padding works (JAX's
fails); an unrecognized padding string raises ``ValueError`` (JAX: ``RuntimeError``).

``associative_scan`` is JAX's parallel prefix scan (pairs, recursion on half the
length, odd/even interleave), written with slices, concatenation, padding and ``fn``,
so ``grad``, ``vmap`` and ``jit`` of it follow from those.
"""
from __future__ import annotations

import itertools
import operator
from typing import Any
from collections.abc import Callable, Sequence

import jax
import numpy as np
from jax.tree_util import tree_flatten, tree_unflatten

from .core import Tracer, aval_of
from .lax_elementwise import _is_py_scalar, _operand, _scalar_as
from .lax_elementwise import add as _fl_add
from .lax_elementwise import max as _fl_max
from .lax_elementwise import min as _fl_min
from .ops import elementwise as _ew
from .ops import shapes as _sh
from .ops import windows as _win
from .ops.reductions import _identity

__all__ = ["reduce_window", "associative_scan"]

_MONOIDS = {_fl_add: "sum", jax.lax.add: "sum", _fl_max: "max", jax.lax.max: "max",
            _fl_min: "min", jax.lax.min: "min"}
_PRIMS = {"sum": _win.reduce_window_sum_p, "max": _win.reduce_window_max_p,
          "min": _win.reduce_window_min_p}


# ----------------------------------------------------------------------------- arguments

def _int_tuple(what: str, v: Any, n: int | None = None) -> tuple:
    try:
        if isinstance(v, (Tracer, str)):
            raise TypeError
        out = tuple(operator.index(k) for k in v)
    except TypeError:
        raise TypeError(f"reduce_window: {what} must be a sequence of Python ints, got "
                        f"{v!r:.60}") from None
    if n is not None and len(out) != n:
        raise TypeError(f"reduce_window: {what} {out} needs one entry per dimension of the "
                        f"operand (rank {n}), got {len(out)}.")
    return out


def padtype_to_pads(in_shape: Sequence[int], window_shape: Sequence[int],
                    window_strides: Sequence[int], padding: str) -> list[tuple[int, int]]:
    """The explicit ``(low, high)`` pairs of a ``"VALID"``, ``"SAME"`` or ``"SAME_LOWER"``
    padding, as ``jax.lax.padtype_to_pads`` (``window_shape`` already dilated).

    >>> padtype_to_pads((5,), (3,), (2,), "SAME")
    [(1, 1)]
    """
    kind = padding.upper() if isinstance(padding, str) else padding
    if kind == "VALID":
        return [(0, 0)] * len(in_shape)
    if kind not in ("SAME", "SAME_LOWER"):
        raise ValueError(f"reduce_window: unrecognized padding {padding!r}; expected 'VALID', "
                         "'SAME', 'SAME_LOWER' or a sequence of (low, high) pairs.")
    pads = []
    for d, w, s in zip(in_shape, window_shape, window_strides):
        out = -(-d // s)
        total = max((out - 1) * s + w - d, 0)
        lo, hi = total // 2, total - total // 2
        pads.append((lo, hi) if kind == "SAME" else (hi, lo))
    return pads


def _pads(padding: Any, shape: tuple, window: tuple, strides: tuple,
          window_dilation: tuple) -> tuple:
    if isinstance(padding, str):
        dilated = tuple((w - 1) * r + 1 for w, r in zip(window, window_dilation))
        return tuple(padtype_to_pads(shape, dilated, strides, padding))
    try:
        pads = tuple((operator.index(lo), operator.index(hi)) for lo, hi in padding)
    except (TypeError, ValueError):
        raise TypeError(f"reduce_window: padding must be 'VALID', 'SAME', 'SAME_LOWER' or a "
                        f"sequence of (low, high) int pairs, got {padding!r:.80}") from None
    if len(pads) != len(shape):
        raise TypeError(f"reduce_window: padding {pads} needs one (low, high) pair per "
                        f"dimension of the operand (shape {shape}).")
    return pads


def _monoid(computation: Callable, flat_init: list, dtype: np.dtype) -> str | None:
    """'sum'/'max'/'min' when JAX would use its monoid primitive: one operand, a known
    monoid and a concrete scalar init value equal to its identity."""
    try:
        kind = _MONOIDS.get(computation)
    except TypeError:  # an unhashable callable
        return None
    if kind is None or len(flat_init) != 1 or isinstance(flat_init[0], Tracer):
        return None
    try:
        val = np.asarray(flat_init[0])
    except Exception:
        return None
    if val.shape != ():
        return None
    ident = 0 if kind == "sum" else _identity(np.dtype(dtype), kind == "min")
    with np.errstate(invalid="ignore"):
        return kind if bool(val == ident) else None


# ----------------------------------------------------------------------------- reduce_window

def reduce_window(operand: Any, init_value: Any, computation: Callable,
                  window_dimensions: Sequence[int], window_strides: Sequence[int] | None = None,
                  padding: str | Sequence[tuple[int, int]] = "VALID",
                  base_dilation: Sequence[int] | None = None,
                  window_dilation: Sequence[int] | None = None) -> Any:
    """Reduce every window of ``operand`` with ``computation`` from ``init_value``, as
    ``jax.lax.reduce_window`` (what average and max pooling layers use).

    ``padding`` is ``"VALID"``, ``"SAME"``, ``"SAME_LOWER"`` or one ``(low, high)`` pair
    per axis (negative crops).  ``lax.add``/``lax.max``/``lax.min`` with their identity
    as ``init_value`` are primitives with JAX's derivatives (max/min: the first maximal
    entry of a window gets the tangent); other computations are applied, elementwise on
    whole arrays of window entries, once per window offset (see the module docstring).

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.arange(6.0, dtype=np.float32)
    >>> fl.lax.reduce_window(x, -np.inf, fl.lax.max, (2,), (2,), "VALID")
    array([1., 3., 5.], dtype=float32)
    >>> fl.lax.reduce_window(x, 0.0, fl.lax.add, (3,), (1,), "SAME")
    array([ 1.,  3.,  6.,  9., 12.,  9.], dtype=float32)
    >>> fl.lax.reduce_window(x + 1, 1.0, fl.lax.mul, (2,), (2,), "VALID")
    array([ 2., 12., 30.], dtype=float32)
    """
    flat, tree = tree_flatten(operand)
    flat_init, init_tree = tree_flatten(init_value)
    if tree != init_tree:
        raise ValueError(f"reduce_window: operand and init_value must have the same tree "
                         f"structure, got {tree} and {init_tree}.")
    if not flat:
        raise ValueError("reduce_window: needs at least one operand.")
    if not callable(computation):
        raise TypeError(f"reduce_window: computation must be a function of two operands, "
                        f"got {computation!r:.60}")
    flat = [_operand(x) for x in flat]
    avals = [aval_of(x) for x in flat]
    shape = tuple(avals[0].shape)
    if any(tuple(a.shape) != shape for a in avals[1:]):
        raise ValueError(f"reduce_window: all operands must have one shape, got "
                         f"{[a.str_short() for a in avals]}.")
    n = len(shape)
    window = _int_tuple("window_dimensions", window_dimensions, n)
    strides = (1,) * n if window_strides is None else \
        _int_tuple("window_strides", window_strides, n)
    bd = (1,) * n if base_dilation is None else _int_tuple("base_dilation", base_dilation, n)
    wd = (1,) * n if window_dilation is None else \
        _int_tuple("window_dilation", window_dilation, n)
    for what, v in (("window_dimensions", window), ("window_strides", strides),
                    ("base_dilation", bd), ("window_dilation", wd)):
        if any(k < 1 for k in v):
            raise TypeError(f"reduce_window: {what} must be positive integers, got {v}.")
    pads = _pads(padding, shape, window, strides, wd)
    out_shape = _win.window_shape("reduce_window", shape, window, strides, pads, bd, wd)
    params = dict(window_dimensions=window, window_strides=strides, padding=pads,
                  base_dilation=bd, window_dilation=wd)
    kind = _monoid(computation, flat_init, avals[0].dtype)
    if kind is not None:
        from .core import bind
        return tree_unflatten(tree, [bind(_PRIMS[kind], flat[0], **params)])
    inits = [_init_as(v, a) for v, a in zip(flat_init, avals)]
    outs = _generic(computation, tree, flat, inits, out_shape, params)
    return tree_unflatten(tree, outs)


def _init_as(v: Any, a) -> Any:
    """The init value as a scalar of its operand's dtype (a Python scalar takes it)."""
    if _is_py_scalar(v):
        return _scalar_as("reduce_window", "init_value", v, a.dtype, f"the operand "
                          f"({a.str_short()})")
    v = _operand(v)
    va = aval_of(v)
    if va.shape != () or va.dtype != a.dtype:
        raise TypeError(f"reduce_window: each init_value must be a scalar of its operand's "
                        f"dtype, got {va.str_short()} for operand {a.str_short()}; pass "
                        f"np.asarray(value, np.{a.dtype}) or a Python scalar.")
    return v


def _generic(computation, tree, flat, inits, out_shape, params):
    """JAX's generic reduce_window: ``init`` then each window entry, in row-major window
    order, combined by ``computation`` (entries in padding or dilation holes skipped)."""
    acc = [_sh.broadcast_in_dim(v, out_shape, ()) for v in inits]
    if 0 in out_shape:
        return acc
    shape = tuple(aval_of(flat[0]).shape)
    config = tuple((lo, hi, b - 1) for (lo, hi), b in zip(params["padding"],
                                                         params["base_dilation"]))
    if any(c != (0, 0, 0) for c in config):
        flat = [_sh.pad(x, np.zeros((), aval_of(x).dtype), config) for x in flat]
    real = _sh._pad_impl(np.ones(shape, np.bool_), np.bool_(False), padding_config=config)
    name = getattr(computation, "__name__", repr(computation))
    for offset in itertools.product(*(range(w) for w in params["window_dimensions"])):
        starts = tuple(k * r for k, r in zip(offset, params["window_dilation"]))
        limits = tuple(s0 + (o - 1) * s + 1 for s0, o, s in
                       zip(starts, out_shape, params["window_strides"]))
        mask = real[tuple(slice(a, b, s) for a, b, s in
                          zip(starts, limits, params["window_strides"]))]
        if not mask.any():
            continue
        entries = [_sh.slice(x, starts, limits, params["window_strides"]) for x in flat]
        try:
            new = computation(tree_unflatten(tree, acc), tree_unflatten(tree, entries))
        except ValueError as e:
            raise TypeError(f"reduce_window: the computation {name} failed on arrays of window "
                            f"entries ({e}); a computation other than lax.add/max/min with "
                            "their identity is applied elementwise to whole arrays of window "
                            "entries, so write it with elementwise functions (fl.lax.*, "
                            "fnp.maximum, ...), not Python if/max on values.") from e
        new_flat, new_tree = tree_flatten(new)
        if new_tree != tree:
            raise TypeError(f"reduce_window: the computation {name} must return the operand's "
                            f"tree structure {tree}, got {new_tree}.")
        new_flat = [_operand(v) for v in new_flat]
        for v, a in zip(new_flat, acc):
            va, aa = aval_of(v), aval_of(a)
            if tuple(va.shape) != tuple(aa.shape) or va.dtype != aa.dtype:
                raise TypeError(f"reduce_window: the computation {name} must return values of "
                                f"its inputs' shapes and dtypes ({aa.str_short()} per operand "
                                f"here), got {va.str_short()}.")
        if mask.all():
            acc = new_flat
        else:
            acc = [_ew.select_n(mask, a, v) for a, v in zip(acc, new_flat)]
    return acc


# ----------------------------------------------------------------------------- associative_scan

def _interleave(a: Any, b: Any, axis: int) -> Any:
    """``a[0], b[0], a[1], b[1], ...`` along ``axis`` (``a`` as long as ``b`` or one
    longer), by padding with zeros and adding (OR for bools), as JAX does."""
    same = aval_of(a).shape[axis] == aval_of(b).shape[axis]
    nd = len(aval_of(a).shape)
    a_pad = [(0, 0, 0)] * nd
    b_pad = [(0, 0, 0)] * nd
    a_pad[axis] = (0, 1 if same else 0, 1)
    b_pad[axis] = (1, 0 if same else 1, 1)
    dt = aval_of(a).dtype
    pa = _sh.pad(a, np.zeros((), dt), a_pad)
    pb = _sh.pad(b, np.zeros((), dt), b_pad)
    return _ew.bitwise_or(pa, pb) if dt == np.bool_ else _ew.add(pa, pb)


def associative_scan(fn: Callable, elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """All prefix combinations ``fn(...fn(fn(e0, e1), e2)..., ek)`` along ``axis`` of
    the pytree ``elems``, for an associative ``fn``, as ``jax.lax.associative_scan``
    (the same parallel algorithm, so results and derivatives agree with JAX's).

    ``fn`` receives and returns pytrees of ``elems``' structure, of arrays sliced along
    ``axis``; it must work elementwise (batched) on them.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.associative_scan(fl.lax.add, np.arange(5.0, dtype=np.float32))
    array([ 0.,  1.,  3.,  6., 10.], dtype=float32)
    >>> fl.lax.associative_scan(fl.lax.mul, np.array([1., 2., 3.], np.float32), reverse=True)
    array([6., 6., 3.], dtype=float32)
    """
    flat, tree = tree_flatten(elems)
    if not flat:
        raise ValueError("associative_scan: elems has no arrays; pass an array or a pytree "
                         "of arrays.")
    flat = [_operand(x) for x in flat]
    shapes = [tuple(aval_of(x).shape) for x in flat]
    nd = len(shapes[0])
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"associative_scan: axis must be an int, got {axis!r:.40}")
    if not -nd <= axis < nd:
        raise ValueError(f"associative_scan: axis {axis} is out of bounds for elems of shape "
                         f"{shapes[0]}" + (" (a scalar has no axis to scan along; reshape "
                                           "it to (1,))" if not nd else ""))
    ax = int(axis) % nd
    num = shapes[0][ax]
    if any(len(s) <= ax or s[ax] != num for s in shapes[1:]):
        raise ValueError(f"associative_scan: all arrays of elems must have the same size "
                         f"along axis {ax}, got shapes {shapes}.")
    if reverse:
        flat = [_sh.rev(x, (ax,)) for x in flat]
    name = getattr(fn, "__name__", repr(fn))

    def combine(a_flat, b_flat):
        c = fn(tree_unflatten(tree, a_flat), tree_unflatten(tree, b_flat))
        c_flat, c_tree = tree_flatten(c)
        if c_tree != tree:
            raise TypeError(f"associative_scan: fn {name} must return the tree structure of "
                            f"elems {tree}, got {c_tree}.")
        return [_operand(v) for v in c_flat]

    def sl(x, start, stop, stride=1):
        n = aval_of(x).shape[ax]
        stop = n + stop if stop < 0 else _min_int(stop, n)
        return _sh.slice_in_dim(x, start, stop, stride, ax)

    def scan(es):
        n = aval_of(es[0]).shape[ax]
        if n < 2:
            return es
        reduced = combine([sl(e, 0, -1, 2) for e in es], [sl(e, 1, n, 2) for e in es])
        odd = scan(reduced)
        if n % 2 == 0:
            even = combine([sl(e, 0, -1) for e in odd], [sl(e, 2, n, 2) for e in es])
        else:
            even = combine(odd, [sl(e, 2, n, 2) for e in es])
        even = [_sh.concatenate([sl(e, 0, 1), r], ax) for e, r in zip(es, even)]
        return [_interleave(e, o, ax) for e, o in zip(even, odd)]

    out = scan(flat)
    if reverse:
        out = [_sh.rev(x, (ax,)) for x in out]
    return tree_unflatten(tree, out)


def _min_int(a: int, b: int) -> int:
    return a if a < b else b
