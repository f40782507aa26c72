"""Products for ``fnp``: dot, matmul, vdot, inner, outer, tensordot, kron, cross, einsum.

Every contraction lowers to the ``dot_general`` primitive (plus ``transpose``,
``reshape``, ``reduce_sum`` and an index gather for repeated einsum labels), with
JAX's dtype rules: operands are promoted to one dtype first (``int @ int`` stays
int, mixed operands promote) and no rank promotion happens.
"""
from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import Tracer, Weak, bind, dtypes
from ..ops import elementwise as ew
from ..ops.indexing import index, index_set
from ..ops.linalg import _MATMUL, _dot_impl, dot_general, dot_general_p, dot_general_shape
from ..ops.reductions import reduce_sum
from ..ops.shapes import broadcast_in_dim, reshape, transpose
from .promotion import _canon_array, cast, dtype_weak

_NUMERIC = dtypes.FLOATS | dtypes.INTS

__all__ = ["dot", "matmul", "vdot", "inner", "outer", "tensordot", "kron", "cross", "einsum"]


def _promote(*args) -> list:
    """JAX's dtype promotion of ``args`` to one dtype, without rank promotion."""
    if len(args) == 2:
        x, y = args
        tx, ty = type(x), type(y)
        if (tx is np.ndarray or tx is Tracer) and (ty is np.ndarray or ty is Tracer) \
                and x.dtype == y.dtype and not getattr(x, "weak_type", False) \
                and not getattr(y, "weak_type", False):
            return list(args)
    dt, weak = dtypes.result_type(*[dtype_weak(a) for a in args])
    out = []
    for a in args:
        c = cast(a, dt, weak)
        if isinstance(c, Weak):
            c = c.val
        elif not isinstance(c, (Tracer, np.ndarray)):
            c = _canon_array(c)
        out.append(c)
    return out


def _shape(x) -> tuple:
    return tuple(x.aval.shape) if isinstance(x, Tracer) else np.shape(x)


def _size(shape) -> int:
    return int(np.prod(shape, dtype=np.int64))


def _mul(a, b):
    """Elementwise product; for booleans a logical and (as ``jnp.multiply``)."""
    dt = a.aval.dtype if isinstance(a, Tracer) else np.result_type(a)
    if dt == np.bool_:
        return ew.bind(ew.and_p, a, b)
    return ew.mul(a, b)


def _check_dims(sa: tuple, sb: tuple, dims: tuple, name: str) -> None:
    """``dot_general_shape``'s shape check, with the fix added to its message."""
    try:
        dot_general_shape(sa, sb, dims, name)
    except TypeError as e:
        raise TypeError(f"{e} Transpose or reshape an operand so the contracted axes have "
                        "the same size.") from None


def matmul(a, b, *, precision=None, preferred_element_type=None) -> Any:
    """Matrix product with NumPy's ``matmul`` rules (1-D operands, broadcast batch dims).

    >>> import numpy as np
    >>> matmul(np.ones((2, 3), np.float32), np.ones((3,), np.float32))
    array([3., 3.], dtype=float32)
    """
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2 \
            and a.dtype == b.dtype and a.shape[1] == b.shape[0] and a.dtype != np.bool_ \
            and preferred_element_type is None and a.dtype in _NUMERIC:
        return _dot_impl(a, b, dimension_numbers=_MATMUL, preferred_element_type=None)
    ta, tb = type(a), type(b)
    if (ta is Tracer or ta is np.ndarray) and (tb is Tracer or tb is np.ndarray) \
            and preferred_element_type is None:
        # traced 2-D @ 2-D of one dtype (an MLP layer): nothing to promote or check
        va = a.aval if ta is Tracer else a  # shape/dtype as plain attributes
        vb = b.aval if tb is Tracer else b
        sa, sb = va.shape, vb.shape
        if len(sa) == 2 and len(sb) == 2 and sa[1] == sb[0] and va.dtype == vb.dtype \
                and va.dtype in _NUMERIC and not (ta is Tracer and va.weak_type) \
                and not (tb is Tracer and vb.weak_type):
            return bind(dot_general_p, a, b, dimension_numbers=_MATMUL,
                        preferred_element_type=None)
    a, b = _promote(a, b)
    sa, sb = _shape(a), _shape(b)
    if not sa or not sb:
        raise TypeError(f"matmul: operands must be at least 1-dimensional, got shapes {sa} and "
                        f"{sb}; use fnp.multiply (or *) for scalars.")
    ka = sa[-1]
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if ka != kb:
        raise TypeError(f"matmul: contracting dimensions differ: lhs shape {sa} has {ka} "
                        f"columns (last axis) but rhs shape {sb} has {kb} rows "
                        f"({'its only' if len(sb) == 1 else 'second-to-last'} axis); "
                        "transpose or reshape an operand so they agree.")
    pet = preferred_element_type
    if len(sb) <= 2:
        return dot_general(a, b, (((len(sa) - 1,), (0,)), ((), ())), pet)
    if len(sa) == 1:
        return dot_general(a, b, (((0,), (len(sb) - 2,)), ((), ())), pet)
    ba, bb = sa[:-2], sb[:-2]
    try:
        batch = tuple(np.broadcast_shapes(ba, bb))
    except ValueError:
        raise TypeError(f"matmul: the batch dimensions of shapes {sa} and {sb} cannot be "
                        "broadcast together.") from None
    a = _bcast(a, batch + sa[-2:])
    b = _bcast(b, batch + sb[-2:])
    nb = len(batch)
    dims = (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb))))
    return dot_general(a, b, dims, pet)


def _bcast(x, shape: tuple):
    s = _shape(x)
    if s == shape:
        return x
    return broadcast_in_dim(x, shape, tuple(range(len(shape) - len(s), len(shape))))


def dot(a, b, *, precision=None, preferred_element_type=None) -> Any:
    """``numpy.dot``: contracts the last axis of ``a`` with the second-to-last of ``b``
    (its only axis when 1-D); scalars multiply.

    >>> import numpy as np
    >>> int(dot(np.array([1, 2]), np.array([3, 4])))
    11
    """
    a, b = _promote(a, b)
    sa, sb = _shape(a), _shape(b)
    if not sa or not sb:
        out = _mul(a, b)
        if preferred_element_type is not None:
            out = ew.convert_element_type(out, preferred_element_type)
        return out
    kb = 0 if len(sb) == 1 else len(sb) - 2
    dims = (((len(sa) - 1,), (kb,)), ((), ()))
    _check_dims(sa, sb, dims, "dot")
    return dot_general(a, b, dims, preferred_element_type)


def vdot(a, b, *, precision=None, preferred_element_type=None) -> Any:
    """Dot product of the flattened operands.

    >>> import numpy as np
    >>> float(vdot(np.ones((2, 2)), np.ones((2, 2))))
    4.0
    """
    a, b = _promote(a, b)
    a = reshape(a, (_size(_shape(a)),))
    b = reshape(b, (_size(_shape(b)),))
    return dot(a, b, preferred_element_type=preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None) -> Any:
    """Contracts the last axes of ``a`` and ``b`` (``numpy.inner``).

    >>> import numpy as np
    >>> inner(np.ones((2, 3)), np.ones((4, 3))).shape
    (2, 4)
    """
    a, b = _promote(a, b)
    sa, sb = _shape(a), _shape(b)
    if not sa or not sb:
        return dot(a, b, preferred_element_type=preferred_element_type)
    dims = (((len(sa) - 1,), (len(sb) - 1,)), ((), ()))
    _check_dims(sa, sb, dims, "inner")
    return dot_general(a, b, dims, preferred_element_type)


def outer(a, b) -> Any:
    """``a.ravel()[:, None] * b.ravel()[None, :]``.

    >>> import numpy as np
    >>> outer(np.array([1, 2]), np.array([1, 10, 100]))
    array([[  1,  10, 100],
           [  2,  20, 200]])
    """
    a, b = _promote(a, b)
    a = reshape(a, (_size(_shape(a)), 1))
    b = reshape(b, (1, _size(_shape(b))))
    return _mul(a, b)


def tensordot(a, b, axes: int | Sequence = 2, *, precision=None,
              preferred_element_type=None) -> Any:
    """Sum products over ``axes``: an int N (last N of ``a`` with first N of ``b``) or a
    pair of axis sequences, as ``numpy.tensordot``.

    >>> import numpy as np
    >>> tensordot(np.ones((2, 3, 4)), np.ones((3, 4, 5))).shape
    (2, 5)
    """
    a, b = _promote(a, b)
    sa, sb = _shape(a), _shape(b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(len(sa), len(sb)):
            raise TypeError(f"tensordot: axes={n} must be between 0 and the smaller rank of "
                            f"shapes {sa} and {sb}")
        ca, cb = tuple(range(len(sa) - n, len(sa))), tuple(range(n))
    else:
        try:
            xa, xb = axes
        except (TypeError, ValueError):
            raise TypeError(f"tensordot: axes must be an int or a pair of axis sequences, got "
                            f"{axes!r}") from None
        xa = (xa,) if isinstance(xa, (int, np.integer)) else tuple(xa)
        xb = (xb,) if isinstance(xb, (int, np.integer)) else tuple(xb)
        if len(xa) != len(xb):
            raise TypeError(f"tensordot: axes {axes!r} pair {len(xa)} axes of a with "
                            f"{len(xb)} axes of b")
        ca = tuple(_norm_axis(i, len(sa), "tensordot") for i in xa)
        cb = tuple(_norm_axis(i, len(sb), "tensordot") for i in xb)
    dims = ((ca, cb), ((), ()))
    _check_dims(sa, sb, dims, "tensordot")
    return dot_general(a, b, dims, preferred_element_type)


def _norm_axis(i: int, nd: int, name: str) -> int:
    i = int(i)
    if not -nd <= i < nd:
        raise TypeError(f"{name}: axis {i} is out of range for an operand of rank {nd}")
    return i % nd


def kron(a, b) -> Any:
    """Kronecker product (``numpy.kron``).

    >>> import numpy as np
    >>> kron(np.eye(2, dtype=np.int32), np.array([[1, 2]], dtype=np.int32))
    array([[1, 2, 0, 0],
           [0, 0, 1, 2]], dtype=int32)
    """
    a, b = _promote(a, b)
    sa, sb = _shape(a), _shape(b)
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    a = reshape(a, tuple(d for s in sa for d in (s, 1)))
    b = reshape(b, tuple(d for s in sb for d in (1, s)))
    return reshape(_mul(a, b), tuple(x * y for x, y in zip(sa, sb)))


def _moveaxis(x, src: int, dst: int):
    nd = len(_shape(x))
    src, dst = src % nd, dst % nd
    if src == dst:
        return x
    perm = [i for i in range(nd) if i != src]
    perm.insert(dst, src)
    return transpose(x, tuple(perm))


def _component(x, i: int):
    """``x[..., i]``."""
    s = _shape(x)
    spec = tuple(("s", 0, d, 1) for d in s[:-1]) + (("i", i),)
    return index(x, [], spec)


def cross(a, b, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Any:
    """Cross product of 2- or 3-vectors along the given axes (``numpy.cross``).

    >>> import numpy as np
    >>> cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _promote(a, b)
    a = _moveaxis(a, axisa, -1) if _shape(a) else a
    b = _moveaxis(b, axisb, -1) if _shape(b) else b
    na, nb = _shape(a)[-1:], _shape(b)[-1:]
    if na not in ((2,), (3,)) or nb not in ((2,), (3,)):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must be "
                         f"2 or 3), got vectors of shapes {_shape(a)} and {_shape(b)} along "
                         "the chosen axes")
    a0, a1 = _component(a, 0), _component(a, 1)
    b0, b1 = _component(b, 0), _component(b, 1)
    c2 = ew.sub(_mul(a0, b1), _mul(a1, b0))
    if na == (2,) and nb == (2,):
        return c2
    if na == (3,) and nb == (3,):
        a2, b2 = _component(a, 2), _component(b, 2)
        c0 = ew.sub(_mul(a1, b2), _mul(a2, b1))
        c1 = ew.sub(_mul(a2, b0), _mul(a0, b2))
    elif na == (3,):
        a2 = _component(a, 2)
        c0 = ew.neg(_mul(a2, b1))
        c1 = _mul(a2, b0)
    else:
        b2 = _component(b, 2)
        c0 = _mul(a1, b2)
        c1 = ew.neg(_mul(a0, b2))
    out = _stack_last([c0, c1, c2])
    return _moveaxis(out, -1, axisc)


def _stack_last(cs: list):
    """``stack(cs, axis=-1)`` for same-dtype operands that broadcast together."""
    shape = tuple(np.broadcast_shapes(*(_shape(c) for c in cs)))
    dt = cs[0].aval.dtype if isinstance(cs[0], Tracer) else np.result_type(cs[0])
    out = broadcast_in_dim(np.zeros((), dt), shape + (len(cs),), ())
    full = tuple(("s", 0, d, 1) for d in shape)
    for i, c in enumerate(cs):
        out = index_set(out, _bcast(c, shape), [], full + (("i", i),))
    return out


# --------------------------------------------------------------------- einsum

_ELL_LABELS = [chr(c) for c in range(0x3B1, 0x3B1 + 52)]  # Greek letters: never user labels


def _parse_einsum(subscripts: str, shapes: list) -> tuple[list, str]:
    """Explicit labels per operand and the output labels, ellipses expanded."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, out = subscripts.split("->")
        explicit = True
    else:
        lhs, out, explicit = subscripts, "", False
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: the subscripts {subscripts!r} name {len(terms)} operands but "
                         f"{len(shapes)} were given")
    n_ell = 0
    for t, s in zip(terms, shapes):
        if "..." in t:
            n_ell = max(n_ell, len(s) - len(t.replace("...", "")))
    ell = "".join(_ELL_LABELS[:n_ell])
    labels = []
    for t, s in zip(terms, shapes):
        if t.count("...") > 1 or ("." in t.replace("...", "")):
            raise ValueError(f"einsum: invalid ellipsis in subscript term {t!r}")
        for ch in t.replace("...", ""):
            if ch not in string.ascii_letters:
                raise ValueError(f"einsum: invalid subscript {ch!r} in {subscripts!r}; use "
                                 "letters a-z, A-Z")
        if "..." in t:
            k = len(s) - len(t.replace("...", ""))
            if k < 0:
                raise ValueError(f"einsum: term {t!r} has more labels than operand dims {s}")
            t = t.replace("...", ell[n_ell - k:] if k else "")
        if len(t) != len(s):
            raise ValueError(f"einsum: subscript term {t!r} names {len(t)} dimensions but the "
                             f"operand has shape {tuple(s)}")
        labels.append(t)
    if explicit:
        if "..." in out:
            out = out.replace("...", ell)
        elif ell:
            raise ValueError(f"einsum: the inputs of {subscripts!r} have ellipsis dimensions "
                             "but the output has no '...' to put them in; add '...' to the "
                             "output (or sum them explicitly).")
        for ch in out:
            if not any(ch in t for t in labels):
                raise ValueError(f"einsum: output subscript {ch!r} does not appear in the "
                                 f"inputs of {subscripts!r}")
        if len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscript in {subscripts!r} repeats a label")
    else:
        counts: dict = {}
        for t in labels:
            for ch in t:
                counts[ch] = counts.get(ch, 0) + 1
        out = ell + "".join(sorted(ch for ch, c in counts.items() if c == 1 and ch not in ell))
    return labels, out


def _take_diagonals(x, lab: str):
    """Collapse repeated labels of one operand (``'ii' -> 'i'``) with an index gather."""
    while True:
        rep = next((ch for ch in lab if lab.count(ch) > 1), None)
        if rep is None:
            return x, lab
        s = _shape(x)
        pos = [i for i, ch in enumerate(lab) if ch == rep]
        sizes = {s[i] for i in pos}
        if len(sizes) != 1:
            raise ValueError(f"einsum: label {rep!r} repeats with different sizes {sizes}")
        rest = [i for i in range(len(lab)) if i not in pos]
        x = transpose(x, tuple(pos + rest)) if pos + rest != list(range(len(lab))) else x
        n = s[pos[0]]
        ar = np.arange(n, dtype=np.int32)
        spec = (("a",),) * len(pos) + tuple(("s", 0, s[i], 1) for i in rest)
        x = index(x, [ar] * len(pos), spec)
        lab = rep + "".join(lab[i] for i in rest)


def _sum_labels(x, lab: str, keep) -> tuple:
    axes = tuple(i for i, ch in enumerate(lab) if ch not in keep)
    if not axes:
        return x, lab
    return reduce_sum(x, axes), "".join(ch for ch in lab if ch in keep)


def _drop_axis(x, lab: str, ch: str):
    """Remove a size-1 axis (a broadcast label) by reshaping."""
    i = lab.index(ch)
    s = _shape(x)
    return reshape(x, s[:i] + s[i + 1:]), lab[:i] + lab[i + 1:]


def _contract(x, lx: str, y, ly: str, keep: set, pet):
    # size-1 broadcasting of shared labels: the size-1 side is constant along the label
    sx, sy = _shape(x), _shape(y)
    for ch in [c for c in lx if c in ly]:
        dx, dy = sx[lx.index(ch)], sy[ly.index(ch)]
        if dx != dy:
            if dx == 1:
                x, lx = _drop_axis(x, lx, ch)
            elif dy == 1:
                y, ly = _drop_axis(y, ly, ch)
            else:
                raise ValueError(f"einsum: label {ch!r} has sizes {dx} and {dy} in two operands")
            sx, sy = _shape(x), _shape(y)
    x, lx = _sum_labels(x, lx, keep | set(ly))
    y, ly = _sum_labels(y, ly, keep | set(lx))
    shared = [c for c in lx if c in ly]
    batch = [c for c in shared if c in keep]
    contract = [c for c in shared if c not in keep]
    dims = ((tuple(lx.index(c) for c in contract), tuple(ly.index(c) for c in contract)),
            (tuple(lx.index(c) for c in batch), tuple(ly.index(c) for c in batch)))
    out = dot_general(x, y, dims, pet)
    lab = "".join(batch) + "".join(c for c in lx if c not in shared) + \
        "".join(c for c in ly if c not in shared)
    return out, lab


def einsum(subscripts: str, *operands, out=None, optimize: Any = "optimal", precision=None,
           preferred_element_type=None) -> Any:
    """Einstein summation (``numpy.einsum``), lowered to ``dot_general``, ``transpose``,
    ``reduce_sum`` and diagonal gathers.  Supports explicit (``'ij,jk->ik'``) and implicit
    (``'ij,jk'``) outputs, batch labels, repeated labels (``'ii->i'``), ``...`` and any
    number of operands (contracted left to right).

    >>> import numpy as np
    >>> einsum("bij,bjk->bik", np.ones((2, 3, 4)), np.ones((2, 4, 5))).shape
    (2, 3, 5)
    """
    if out is not None:
        raise NotImplementedError("einsum: the out= argument is not supported (arrays are "
                                  "immutable); use the return value.")
    if not isinstance(subscripts, str):
        raise TypeError("einsum: only the string subscripts form is supported, e.g. "
                        "einsum('ij,jk->ik', a, b)")
    if not operands:
        raise ValueError("einsum: at least one operand is required")
    ops = _promote(*operands)
    labels, out_lab = _parse_einsum(subscripts, [_shape(o) for o in ops])
    pet = preferred_element_type
    xs = []
    for x, lab in zip(ops, labels):
        x, lab = _take_diagonals(x, lab)
        xs.append((x, lab))
    keep_out = set(out_lab)
    x, lx = xs[0]
    for i in range(1, len(xs)):
        later = set(keep_out)
        for _, l2 in xs[i + 1:]:
            later |= set(l2)
        y, ly = xs[i]
        x, lx = _contract(x, lx, y, ly, later, pet)
    x, lx = _sum_labels(x, lx, keep_out)
    if len(xs) == 1 and pet is not None:
        x = ew.convert_element_type(x, pet)
    if lx != out_lab:
        x = transpose(x, tuple(lx.index(c) for c in out_lab))
    return x


# ----------------------------------------------------------------------------- norms
# ``fnp.linalg.norm`` (not exported at the top level, as in NumPy), composed of the
# elementwise and reduction functions so it differentiates and batches like thefnp.

def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A002
    """Vector and matrix norms, as ``jax.numpy.linalg.norm`` (real inputs; the matrix
    orders 2, -2 and 'nuc' come from the singular values, ``fnp.linalg.svdvals``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.norm(fnp.array([3.0, 4.0]))
    np.float32(5.0)
    >>> fnp.linalg.norm(fnp.array([[1.0, -2.0], [3.0, 4.0]]), ord=1)
    array(6., dtype=float32)
    """
    from .. import numpy as fnp
    x = fnp.asarray(x) if not isinstance(x, Tracer) else x
    if x.dtype not in dtypes.FLOATS:  # norms of integer arrays are float, as in JAX
        x = x.astype(np.float32)
    ndim = len(_shape(x))
    if axis is None:
        if ord is None:  # 2-norm of the flattened array (Frobenius for matrices)
            return _keep_all(fnp.sqrt(fnp.sum(x * x)), ndim, keepdims)
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % ndim for a in axes)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: axis must name one or two dimensions, got {axis!r}.")


def _keep_all(y, ndim: int, keepdims: bool):
    return reshape(y, (1,) * ndim) if keepdims else y


def _vector_norm(x, ord, axis: int, keepdims: bool):
    from .. import numpy as fnp
    a = fnp.abs(x)
    if ord is None or ord == 2:
        return fnp.sqrt(fnp.sum(x * x, axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return fnp.max(a, axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return fnp.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return fnp.sum((x != 0).astype(x.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return fnp.sum(a, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; a vector norm takes a number.")
    p = float(ord)
    return fnp.power(fnp.sum(fnp.power(a, p), axis=axis, keepdims=keepdims), 1.0 / p)


def _matrix_norm(x, ord, axes: tuple, keepdims: bool):
    from .. import numpy as fnp
    a0, a1 = axes
    if ord is None or ord == "fro":
        return fnp.sqrt(fnp.sum(x * x, axis=axes, keepdims=keepdims))
    if ord in (1, -1, np.inf, -np.inf):
        inner, outer = (a0, a1) if ord in (1, -1) else (a1, a0)  # 1: max column sum
        sums = fnp.sum(fnp.abs(x), axis=inner, keepdims=True)
        pick = fnp.max if ord in (1, np.inf) else fnp.min
        out = pick(sums, axis=outer, keepdims=True)
        return out if keepdims else fnp.squeeze(out, axis=axes)
    if ord in (2, -2, "nuc"):
        return _svd_matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: invalid order {ord!r} for a matrix norm; use None, 'fro', 'nuc', "
                     "1, -1, 2, -2, inf or -inf (or pick one axis for a vector norm).")


# square systems (``fnp.linalg.solve`` and friends) live in their own module
from .linalg_solve import (SlogdetResult, cholesky, det, inv, matrix_power,  # noqa: E402, F401
                           multi_dot, slogdet, solve, tensorinv, tensorsolve)

# decompositions (``fnp.linalg.eigh``, ``svd``, ``qr`` and what is built on them)
from .linalg_decomp import (EighResult, QRResult, SVDResult, cond, diagonal,  # noqa: E402, F401
                            eig, eigh, eigvals, eigvalsh, lstsq, matrix_norm, matrix_rank,
                            matrix_transpose, pinv, qr, svd, _svd_matrix_norm, svdvals, trace,
                            vecdot, vector_norm)
