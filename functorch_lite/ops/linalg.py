"""``dot_general``: the one contraction primitive, exactly ``jax.lax.dot_general``.

``dimension_numbers = ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``;
the output holds the batch dims, then the lhs free dims, then the rhs free dims
(each in operand order).  ``matmul``, ``dot``, ``tensordot`` and ``einsum`` in
``fnp`` all lower to it.  Its VJP is JAX's transpose of a bilinear map: another
``dot_general`` followed by a ``transpose``.
"""
from __future__ import annotations

import functools

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, bfloat16, bool_, float16, float32
from .rules import defjvp, defvjp


def _shape(x):
    s = getattr(x, "shape", None)
    return s if s is not None else np.shape(x)


def _dtype(x):
    d = getattr(x, "dtype", None)
    return d if d is not None else np.result_type(x)


_NORM: dict = {}


def _norm_dims(dimension_numbers) -> tuple:
    try:
        return _NORM[dimension_numbers]
    except (KeyError, TypeError):  # new, or unhashable (lists)
        pass
    out = _norm_dims_slow(dimension_numbers)
    try:
        _NORM[dimension_numbers] = out
    except TypeError:
        pass
    return out


def _norm_dims_slow(dimension_numbers) -> tuple:
    (lc, rc), (lb, rb) = dimension_numbers
    return ((tuple(int(i) for i in lc), tuple(int(i) for i in rc)),
            (tuple(int(i) for i in lb), tuple(int(i) for i in rb)))


def dot_general(lhs, rhs, dimension_numbers, preferred_element_type=None):
    """``jax.lax.dot_general``: contract ``lhs`` and ``rhs`` over the given dimensions.

    >>> import numpy as np
    >>> dot_general(np.ones((2, 3)), np.ones((3, 4)), (((1,), (0,)), ((), ()))).shape
    (2, 4)
    """
    pet = None if preferred_element_type is None else np.dtype(preferred_element_type)
    dims = _norm_dims(dimension_numbers)
    if not (hasattr(lhs, "aval") or hasattr(rhs, "aval")):  # eager: impl skips abstract_eval
        dot_general_shape(np.shape(lhs), np.shape(rhs), dims)
        ldt, rdt = _dtype(lhs), _dtype(rhs)
        if ldt != rdt:
            raise TypeError(f"dot_general: operands must have one dtype, got {ldt} and {rdt}; "
                            "promote them first (fnp.matmul/fnp.dot do this).")
    return bind(dot_general_p, lhs, rhs, dimension_numbers=dims, preferred_element_type=pet)


dot_general_p = Primitive("dot_general")

# --------------------------------------------------------------------- shape/dtype rule


@functools.lru_cache(maxsize=4096)
def dot_general_shape(lhs_shape: tuple, rhs_shape: tuple, dimension_numbers: tuple,
                      name: str = "dot_general") -> tuple:
    """The output shape; a TypeError names ``name``, both shapes and the dimension numbers."""
    (lc, rc), (lb, rb) = dimension_numbers

    def fail(why):
        raise TypeError(f"{name}: {why} (lhs shape {tuple(lhs_shape)}, rhs shape "
                        f"{tuple(rhs_shape)}, dimension_numbers={dimension_numbers}).")

    for side, shape, dims in (("lhs", lhs_shape, lc + lb), ("rhs", rhs_shape, rc + rb)):
        if any(not 0 <= d < len(shape) for d in dims):
            fail(f"a contracting or batch dimension of {side} is out of range for rank "
                 f"{len(shape)}")
        if len(set(dims)) != len(dims):
            fail(f"the contracting and batch dimensions of {side} repeat a dimension")
    if len(lc) != len(rc):
        fail(f"lhs has {len(lc)} contracting dimensions but rhs has {len(rc)}")
    if len(lb) != len(rb):
        fail(f"lhs has {len(lb)} batch dimensions but rhs has {len(rb)}")
    for a, b in zip(lc, rc):
        if lhs_shape[a] != rhs_shape[b]:
            fail(f"contracting dimension sizes differ: lhs dim {a} has size {lhs_shape[a]}, "
                 f"rhs dim {b} has size {rhs_shape[b]}")
    for a, b in zip(lb, rb):
        if lhs_shape[a] != rhs_shape[b]:
            fail(f"batch dimension sizes differ: lhs dim {a} has size {lhs_shape[a]}, "
                 f"rhs dim {b} has size {rhs_shape[b]}")
    batch = tuple(lhs_shape[d] for d in lb)
    lfree = tuple(s for d, s in enumerate(lhs_shape) if d not in lc and d not in lb)
    rfree = tuple(s for d, s in enumerate(rhs_shape) if d not in rc and d not in rb)
    return batch + lfree + rfree


def _dot_aval(lhs, rhs, *, dimension_numbers, preferred_element_type):
    if lhs.dtype != rhs.dtype:
        raise TypeError(f"dot_general: operands must have one dtype, got {lhs.str_short()} and "
                        f"{rhs.str_short()}; promote them first (fnp.matmul/fnp.dot do this).")
    shape = dot_general_shape(lhs.shape, rhs.shape, dimension_numbers)
    dt = lhs.dtype if preferred_element_type is None else preferred_element_type
    return ShapedArray.make(shape, dt, lhs.weak_type and rhs.weak_type
                            and preferred_element_type is None)


# --------------------------------------------------------------------- NumPy implementation

_COMPUTE = {float16: float32, bfloat16: float32}  # NumPy has no fast 16-bit float matmul
_MATMUL = (((1,), (0,)), ((), ()))


# One contraction of matrices or vectors: a single BLAS call on (transposed) views, keyed
# by (lhs transposed, rhs transposed); ``_dot_specialize`` decides the key once
_DOTS = {(False, False): lambda a, b: a @ b, (True, False): lambda a, b: a.T @ b,
         (False, True): lambda a, b: a @ b.T, (True, True): lambda a, b: a.T @ b.T}


def _dot_impl(lhs, rhs, *, dimension_numbers, preferred_element_type):
    if type(lhs) is not np.ndarray:
        lhs = np.asarray(lhs)
    if type(rhs) is not np.ndarray:
        rhs = np.asarray(rhs)
    out_dt = lhs.dtype if preferred_element_type is None else preferred_element_type
    if dimension_numbers == _MATMUL and out_dt == rhs.dtype and lhs.ndim == 2 \
            and rhs.ndim == 2 and out_dt not in _COMPUTE and out_dt != bool_:
        return lhs @ rhs  # the MLP hot path
    cdt = _COMPUTE.get(out_dt, out_dt)
    if lhs.dtype != cdt:
        lhs = lhs.astype(cdt)
    if rhs.dtype != cdt:
        rhs = rhs.astype(cdt)
    (lc, rc), (lb, rb) = dimension_numbers
    if not lb and lhs.ndim <= 2 and rhs.ndim <= 2 and len(lc) == 1 and cdt != bool_:
        # one contraction of matrices/vectors: a single BLAS call on (transposed) views
        out = _DOTS[lhs.ndim == 2 and lc[0] == 0, rhs.ndim == 2 and rc[0] == 1](lhs, rhs)
    elif not lb and not lc and cdt != bool_:
        out = np.multiply.outer(lhs, rhs)  # no contraction: exact products, -0 kept
    else:
        out = _dot_via_matmul(lhs, rhs, lc, rc, lb, rb)
    if out.dtype != out_dt:
        out = out.astype(out_dt)
    return out


def _dot_via_matmul(lhs, rhs, lc, rc, lb, rb):
    """(batch, free, contract) @ (batch, contract, free): one batched BLAS call."""
    lfree = [d for d in range(lhs.ndim) if d not in lc and d not in lb]
    rfree = [d for d in range(rhs.ndim) if d not in rc and d not in rb]
    bshape = [lhs.shape[d] for d in lb]
    lf = [lhs.shape[d] for d in lfree]
    rf = [rhs.shape[d] for d in rfree]
    b, m, n = _prod(bshape), _prod(lf), _prod(rf)
    k = _prod([lhs.shape[d] for d in lc])
    if lhs.dtype == bool_:  # matmul of bools is an OR of ANDs, as in XLA
        a = np.transpose(lhs, list(lb) + lfree + list(lc)).reshape(b, m, k).astype(np.int32)
        c = np.transpose(rhs, list(rb) + list(rc) + rfree).reshape(b, k, n).astype(np.int32)
        return (a @ c).astype(bool_).reshape(bshape + lf + rf)
    a = np.transpose(lhs, list(lb) + lfree + list(lc)).reshape(b, m, k)
    c = np.transpose(rhs, list(rb) + list(rc) + rfree).reshape(b, k, n)
    if k == 1:  # batched outer products (per-example gradients)
        out_shape = bshape + lf + rf
        return _batched_outer(a[:, :, 0], c[:, 0, :], len(out_shape) == 3).reshape(out_shape)
    return np.matmul(a, c).reshape(bshape + lf + rf)


_BLAS = frozenset({np.dtype(np.float32), np.dtype(np.float64)})
_BLAS_MIN = 1024  # below this many outputs per block NumPy's own loops win


def _batched_outer(a, c, any_layout: bool = False):
    """``out[i] = outer(a[i], c[i])`` for float ``a[b, m]`` and ``c[b, n]``.

    Big float blocks go to BLAS as a batched matrix product whose contracted axis is
    padded to size 2 with zeros (``a*c + 0*0`` is ``a*c``, except that a product of
    -0.0 comes out +0.0, as it does from einsum): np.matmul leaves a size-1
    contraction to its slow generic loop, and BLAS writes the 25.6 MB of a per-example
    gradient on every core, about 1.4x faster than einsum's loop, which NumPy runs on
    one.  Otherwise einsum, with the longer axis innermost when
    ``any_layout`` allows returning a transposed view (2x faster for (100, 10) blocks).
    """
    b, m, n = a.shape[0], a.shape[1], c.shape[1]
    dt = np.result_type(a, c)
    if dt in _BLAS and m * n >= _BLAS_MIN:
        a2 = np.empty((b, m, 2), dt)
        a2[:, :, 0] = a
        a2[:, :, 1] = 0
        c2 = np.empty((b, 2, n), dt)
        c2[:, 0, :] = c
        c2[:, 1, :] = 0
        return np.matmul(a2, c2)
    if any_layout and n < m:
        return np.einsum("bm,bn->bnm", a, c).transpose(0, 2, 1)
    return np.einsum("bm,bn->bmn", a, c)


def _prod(xs) -> int:
    p = 1
    for x in xs:
        p *= int(x)
    return p


# --------------------------------------------------------------------- derivatives

def _dot_jvp_lhs(t, ans, lhs, rhs, *, dimension_numbers, preferred_element_type):
    return dot_general(t, _as(rhs, _dtype(t)), dimension_numbers, preferred_element_type)


def _dot_jvp_rhs(t, ans, lhs, rhs, *, dimension_numbers, preferred_element_type):
    return dot_general(_as(lhs, _dtype(t)), t, dimension_numbers, preferred_element_type)


def _as(x, dt):
    return x if _dtype(x) == dt else _elementwise.convert_element_type(x, dt)


def _ranges_like(*xs):
    start = 0
    for x in xs:
        yield tuple(range(start, start + len(x)))
        start += len(x)


def _remaining(n, *removed):
    gone = set().union(*map(set, removed))
    return tuple(i for i in range(n) if i not in gone)


def _argsort(seq) -> tuple:
    """np.argsort for the few axis numbers of a shape, without the array round trip."""
    return tuple(sorted(range(len(seq)), key=seq.__getitem__))


@functools.lru_cache(maxsize=1024)
def _transpose_plan(dimension_numbers, x_ndim: int, y_ndim: int, side: int):
    """JAX's ``_dot_general_transpose_lhs`` worked out once per layout: how to contract
    the cotangent with the other operand ``y`` to get operand ``side``'s cotangent.
    Returns (y_first, dimension_numbers, transpose permutation or None)."""
    if side == 1:  # the rhs's cotangent: the lhs rule with the operands' roles swapped
        (lc, rc), (lb, rb) = dimension_numbers
        dimension_numbers = ((rc, lc), (rb, lb))
    (x_contract, y_contract), (x_batch, y_batch) = dimension_numbers
    x_kept = _remaining(x_ndim, x_contract, x_batch)
    y_kept = _remaining(y_ndim, y_contract, y_batch)
    if side == 1:
        ans_batch, ans_y, _ = _ranges_like(x_batch, y_kept, x_kept)
    else:
        ans_batch, _, ans_y = _ranges_like(x_batch, x_kept, y_kept)
    x_contract_sorted_by_y = tuple(x_contract[i] for i in _argsort(y_contract))
    out_axes = _argsort(tuple(x_batch) + x_kept + x_contract_sorted_by_y)
    identity = tuple(range(len(out_axes)))
    if out_axes != identity and _argsort(
            tuple(x_batch) + x_contract_sorted_by_y + x_kept) == identity:
        # y first gives x's layout directly (e.g. W in x @ W): no transpose to copy
        return True, ((y_kept, ans_y), (tuple(y_batch), ans_batch)), None
    return False, ((ans_y, y_kept), (ans_batch, tuple(y_batch))), \
        (out_axes if out_axes != identity else None)


def _transpose_operand(g, x, y, dimension_numbers, side: int):
    """The cotangent of operand ``x`` (``side`` 0 = lhs, 1 = rhs) of ``dot_general``,
    ``y`` being the other operand: one dot_general (and maybe a transpose)."""
    try:  # arrays and tracers (the backward pass's hot path: no helper calls)
        x_ndim, y_ndim, gdt, xdt, ydt = len(x.shape), len(y.shape), g.dtype, x.dtype, y.dtype
    except AttributeError:  # a Python scalar operand
        x_ndim, y_ndim = len(_shape(x)), len(_shape(y))
        gdt, xdt, ydt = _dtype(g), _dtype(x), _dtype(y)
    y_first, dims, perm = _transpose_plan(dimension_numbers, x_ndim, y_ndim, side)
    if ydt != gdt:
        y = _elementwise.convert_element_type(y, gdt)
    if y_first:
        ct = bind(dot_general_p, y, g, dimension_numbers=dims, preferred_element_type=None)
    else:
        ct = bind(dot_general_p, g, y, dimension_numbers=dims, preferred_element_type=None)
        if perm is not None:
            ct = _shapes.transpose(ct, perm)
    return ct if gdt == xdt else _as(ct, xdt)


def _dot_vjp_lhs(g, ans, lhs, rhs, *, dimension_numbers, preferred_element_type):
    if getattr(lhs, "dtype", None) not in FLOATS and _dtype(lhs) not in FLOATS:
        return None
    return _transpose_operand(g, lhs, rhs, dimension_numbers, 0)


def _dot_vjp_rhs(g, ans, lhs, rhs, *, dimension_numbers, preferred_element_type):
    if getattr(rhs, "dtype", None) not in FLOATS and _dtype(rhs) not in FLOATS:
        return None
    return _transpose_operand(g, rhs, lhs, dimension_numbers, 1)


defjvp(dot_general_p, _dot_jvp_lhs, _dot_jvp_rhs)
defvjp(dot_general_p, _dot_vjp_lhs, _dot_vjp_rhs)

# --------------------------------------------------------------------- batching


def _dot_batch(args, dims, *, dimension_numbers, preferred_element_type):
    """Batch axes become a leading batch dimension of the contraction (no transposes)."""
    (lhs, rhs), (dl, dr) = args, dims
    (lc, rc), (lb, rb) = dimension_numbers

    def shift(ds, d):
        return tuple(i + (i >= d) for i in ds)

    if dl is not None and dr is not None:
        new = ((shift(lc, dl), shift(rc, dr)), ((dl,) + shift(lb, dl), (dr,) + shift(rb, dr)))
        return dot_general(lhs, rhs, new, preferred_element_type), 0
    if dl is not None:
        new = ((shift(lc, dl), rc), (shift(lb, dl), rb))
        lfree_before = sum(1 for i in range(dl) if i not in new[0][0] and i not in new[1][0])
        return dot_general(lhs, rhs, new, preferred_element_type), len(lb) + lfree_before
    new = ((lc, shift(rc, dr)), (lb, shift(rb, dr)))
    lhs_free = len(_shape(lhs)) - len(lc) - len(lb)
    rfree_before = sum(1 for i in range(dr) if i not in new[0][1] and i not in new[1][1])
    return dot_general(lhs, rhs, new, preferred_element_type), len(lb) + lhs_free + rfree_before


def _dot_specialize(lhs, rhs, *, dimension_numbers, preferred_element_type):
    """``_dot_impl``'s one-contraction branch for float32/float64, without batch dims."""
    (lc, rc), (lb, rb) = dimension_numbers
    dt = lhs.dtype
    if (lb or len(lc) != 1 or dt not in _BLAS or rhs.dtype != dt
            or preferred_element_type not in (None, dt)
            or not 1 <= lhs.ndim <= 2 or not 1 <= rhs.ndim <= 2):
        return None
    return _DOTS[lhs.ndim == 2 and lc[0] == 0, rhs.ndim == 2 and rc[0] == 1]


dot_general_p.impl = _dot_impl
dot_general_p.specialize = _dot_specialize
dot_general_p.abstract_eval = _dot_aval
dot_general_p.batch = _dot_batch
dot_general_p.lower = lambda lhs, rhs, *, dimension_numbers, preferred_element_type: \
    lax.dot_general(lhs, rhs, dimension_numbers, preferred_element_type=preferred_element_type)

from . import elementwise as _elementwise  # noqa: E402
from . import shapes as _shapes  # noqa: E402
