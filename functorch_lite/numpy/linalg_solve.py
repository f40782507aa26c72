"""``fnp.linalg`` for square systems, as ``jax.numpy.linalg``: ``solve inv det slogdet
cholesky matrix_power multi_dot tensorsolve tensorinv``.

All are compositions of the primitives ``lu``, ``triangular_solve`` and ``cholesky``
(``functorch_lite/ops/linalg_solve.py``) with matmuls and indexing, so they
differentiate (to any order), batch and lower under ``jit`` through those primitives'
rules.  Integer inputs are promoted to the default float (float32), as in JAX.
A singular matrix gives ``inf``/``nan`` values (``det`` gives 0), never an
exception, as ``jnp.linalg`` does (NumPy raises ``LinAlgError`` instead).
"""
from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..core import Tracer, dtypes
from ..ops.linalg_solve import cholesky as _cholesky_p
from ..ops.linalg_solve import lu as _lu
from ..ops.linalg_solve import triangular_solve
from .promotion import _canon_array, cast, dtype_weak

__all__ = ["solve", "inv", "det", "slogdet", "SlogdetResult", "cholesky", "matrix_power",
           "multi_dot", "tensorsolve", "tensorinv"]


def _fnp():
    from .. import numpy as fnp
    return fnp


def _array(x):
    return x if isinstance(x, Tracer) else _canon_array(x)


def _shape(x) -> tuple:
    return tuple(x.aval.shape) if isinstance(x, Tracer) else np.shape(x)


def _inexact(*xs) -> list:
    """``xs`` as arrays of one float dtype (integers and bools become float32, as JAX's
    ``promote_dtypes_inexact``)."""
    xs = [_array(x) for x in xs]
    dt, _ = dtypes.result_type(*[dtype_weak(x) for x in xs])
    if dt not in dtypes.FLOATS:
        dt = dtypes.DEFAULT_FLOAT
    return [cast(x, dt) for x in xs]


def _square(name: str, a) -> None:
    s = _shape(a)
    if len(s) < 2 or s[-1] != s[-2]:
        raise ValueError(f"{name}: the argument must be a (stack of) square matrices of shape "
                         f"(..., n, n), got shape {s}.")


def _mT(x):
    return _fnp().swapaxes(x, -1, -2)


def _perm_matrix(perm, dtype):
    fnp = _fnp()
    m = _shape(perm)[-1]
    return (fnp.expand_dims(perm, -1) == fnp.arange(m, dtype=np.int32)).astype(dtype)


def _lu_solve(lu_, perm, b):
    """``x`` with ``a @ x == b`` from ``a``'s factors; ``b`` is ``(..., n, k)`` with the
    batch dimensions of ``lu_``."""
    x = _fnp().matmul(_perm_matrix(perm, _array(b).dtype), b)  # b[..., perm, :]
    y = triangular_solve(lu_, x, left_side=True, lower=True, unit_diagonal=True)
    return triangular_solve(lu_, y, left_side=True, lower=False)


# ----------------------------------------------------------------------------- solve / inv

def solve(a: Any, b: Any) -> Any:
    """Solve ``a @ x == b`` for ``x``, as ``jax.numpy.linalg.solve``: ``a`` is
    ``(..., n, n)``; ``b`` of shape ``(n,)`` is one right-hand side (result ``(..., n)``),
    otherwise ``b`` is ``(..., n, k)`` (result ``(..., n, k)``), batch dimensions
    broadcasting.  LU with partial pivoting; a singular ``a`` gives inf/nan values.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.solve(fnp.array([[3.0, 1.0], [1.0, 2.0]]), fnp.array([9.0, 8.0]))
    array([2., 3.], dtype=float32)
    """
    fnp = _fnp()
    a, b = _inexact(a, b)
    sa, sb = _shape(a), _shape(b)
    if len(sa) < 2:
        raise ValueError(f"solve: left hand array must be at least two dimensional; got "
                         f"a.shape={sa}.")
    _square("solve", a)
    if len(sb) > 1 and len(sa) == len(sb) + 1 and sa[-1] == sb[-1] and sa[-1] != sb[-2]:
        raise ValueError(f"solve: invalid shapes {sa}, {sb}: b of shape (..., n) with more than "
                         "one dimension is not a batch of vectors (as in JAX >= 0.5); use "
                         "solve(a, b[..., None])[..., 0].")
    vector = len(sb) == 1
    if vector:
        b = fnp.expand_dims(b, -1)
        sb = _shape(b)
    n = sa[-1]
    if sb[-2] != n:
        raise ValueError(f"solve: b must have {n} rows to match a of shape {sa}, got b of "
                         f"shape {_shape(b) if not vector else sb[:-1]}.")
    batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    lu_, _, perm = _lu(a)
    if sa[:-2] != batch:
        lu_ = fnp.broadcast_to(lu_, batch + (n, n))
        perm = fnp.broadcast_to(perm, batch + (n,))
    if sb[:-2] != batch:
        b = fnp.broadcast_to(b, batch + sb[-2:])
    x = _lu_solve(lu_, perm, b)
    return x[..., 0] if vector else x


def inv(a: Any) -> Any:
    """The inverse of each square matrix ``a[..., :, :]``, as ``jax.numpy.linalg.inv``
    (``solve(a, eye)``; a singular matrix gives inf/nan values).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.inv(fnp.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    fnp = _fnp()
    (a,) = _inexact(a)
    _square("inv", a)
    s = _shape(a)
    return solve(a, fnp.broadcast_to(fnp.eye(s[-1], dtype=_array(a).dtype), s))


# ----------------------------------------------------------------------------- determinants

class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)`` of ``slogdet``, as JAX's namedtuple."""
    sign: Any
    logabsdet: Any


def _lu_diag_parity(a):
    """The diagonal of ``U`` and the number of row swaps of ``a``'s LU factorization."""
    fnp = _fnp()
    lu_, piv, _ = _lu(a)
    diag = fnp.diagonal(lu_, axis1=-2, axis2=-1)
    n = _shape(piv)[-1]
    parity = fnp.sum((piv != fnp.arange(n, dtype=np.int32)).astype(np.int32), axis=-1)
    return diag, parity


def _det_small(a, n: int):
    if n == 2:
        return a[..., 0, 0] * a[..., 1, 1] - a[..., 0, 1] * a[..., 1, 0]
    return (a[..., 0, 0] * a[..., 1, 1] * a[..., 2, 2]
            + a[..., 0, 1] * a[..., 1, 2] * a[..., 2, 0]
            + a[..., 0, 2] * a[..., 1, 0] * a[..., 2, 1]
            - a[..., 0, 2] * a[..., 1, 1] * a[..., 2, 0]
            - a[..., 0, 0] * a[..., 1, 2] * a[..., 2, 1]
            - a[..., 0, 1] * a[..., 1, 0] * a[..., 2, 2])


def det(a: Any) -> Any:
    """The determinant of each square matrix ``a[..., :, :]``, as
    ``jax.numpy.linalg.det`` (closed forms for 2x2 and 3x3, else the LU factorization:
    the product of ``U``'s diagonal times the sign of the row permutation).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.det(fnp.array([[1.0, 2.0], [3.0, 4.0]]))
    np.float32(-2.0)
    """
    (a,) = _inexact(a)
    _square("det", a)
    n = _shape(a)[-1]
    if n in (2, 3):
        return _det_small(a, n)
    if n < 2:
        return a[..., 0, 0] if n == 1 else _fnp().ones(_shape(a)[:-2], _array(a).dtype)
    return _det_lu(a)


def _det_lu_impl(a):
    diag, parity = _lu_diag_parity(a)
    sign = (1 - 2 * (parity % 2)).astype(_array(a).dtype)
    return sign * _fnp().prod(diag, axis=-1)


def _det_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    y, z = _cofactor_solve(x, g)
    return y, _fnp().trace(z, axis1=-1, axis2=-2)


def _cofactor_solve(a, b):
    """``(det(a), det(a) * solve(a, b))``, the latter finite for matrices of rank n - 1 too
    (JAX's ``_cofactor_solve``: the adjugate from the LU factors, with the last pivot
    replaced), and zero for lower ranks, so ``det``'s derivative is the adjugate."""
    fnp = _fnp()
    n = _shape(a)[-1]
    dt = _array(a).dtype
    batch = tuple(np.broadcast_shapes(_shape(a)[:-2], _shape(b)[:-2]))
    a = fnp.broadcast_to(a, batch + (n, n))
    b = fnp.broadcast_to(b, batch + (n, n))
    lu_, piv, perm = _lu(a)
    diag = fnp.diagonal(lu_, axis1=-2, axis2=-1)
    parity = fnp.sum((piv != fnp.arange(n, dtype=np.int32)).astype(np.int32), axis=-1)
    sign = (1 - 2 * (parity % 2)).astype(dt)
    partial_det = fnp.cumprod(diag, axis=-1) * sign[..., None]  # [..., -2]: det(u) / u_nn
    with np.errstate(divide="ignore", invalid="ignore"):
        corner = np.zeros((n, n), bool)
        corner[-1, -1] = True
        lu_ = fnp.where(corner, (1.0 / partial_det[..., -2])[..., None, None], lu_)
        d = triangular_solve(lu_, fnp.ones(batch + (n,), dt), left_side=False, lower=False)
        low_rank = fnp.any(fnp.isnan(d) | fnp.isinf(d), axis=-1)[..., None, None]
        zero = np.zeros((), dt)
        x = fnp.where(low_rank, zero, b)
        x = fnp.matmul(_perm_matrix(perm, dt), x)
        x = triangular_solve(lu_, x, left_side=True, lower=True, unit_diagonal=True)
        x = fnp.concatenate((x[..., :-1, :] * partial_det[..., -1, None, None], x[..., -1:, :]),
                            axis=-2)
        x = triangular_solve(lu_, x, left_side=True, lower=False)
        x = fnp.where(low_rank, zero, x)
    return partial_det[..., -1], x


def _make_det_lu():
    from ..transforms.custom import custom_jvp
    f = custom_jvp(_det_lu_impl)
    f.defjvp(_det_jvp)
    return f


_det_lu = _make_det_lu()


def slogdet(a: Any, *, method: str | None = None) -> SlogdetResult:
    """Sign and natural log of the absolute determinant of each square matrix, as
    ``jax.numpy.linalg.slogdet``: a ``SlogdetResult(sign, logabsdet)``; a singular
    matrix gives ``(0, -inf)``.  Only ``method=None``/``"lu"`` is available.

    >>> import functorch_lite.numpy as fnp
    >>> sign, logabsdet = fnp.linalg.slogdet(fnp.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> sign, fnp.exp(logabsdet)
    (np.float32(-1.0), np.float32(2.0))
    """
    fnp = _fnp()
    if method not in (None, "lu"):
        raise ValueError(f"slogdet: unknown or unsupported method {method!r}; functorch_lite "
                         "supports 'lu' (the default, None).")
    (a,) = _inexact(a)
    _square("slogdet", a)
    n = _shape(a)[-1]
    dt = _array(a).dtype
    if n in (1, 2):  # closed forms, as JAX
        d = a[..., 0, 0] if n == 1 else _det_small(a, 2)
        return SlogdetResult(fnp.sign(d), fnp.log(fnp.abs(d)))
    diag, parity = _lu_diag_parity(a)
    is_zero = fnp.any(diag == 0, axis=-1)
    parity = parity + fnp.sum((diag < 0).astype(np.int32), axis=-1)
    sign = fnp.where(is_zero, np.zeros((), dt), (1 - 2 * (parity % 2)).astype(dt))
    with np.errstate(divide="ignore"):  # log(0) of a singular matrix: where picks -inf
        logdet = fnp.where(is_zero, np.array(-np.inf, dt),
                           fnp.sum(fnp.log(fnp.abs(diag)), axis=-1))
    return SlogdetResult(sign, logdet)


# ----------------------------------------------------------------------------- cholesky

def cholesky(a: Any, *, upper: bool = False, symmetrize_input: bool = True) -> Any:
    """The Cholesky factor of each symmetric positive-definite matrix, as
    ``jax.numpy.linalg.cholesky``: lower ``L`` with ``a = L @ L.T`` (upper ``U = L.T``
    with ``upper=True``).  With ``symmetrize_input`` (default) ``(a + a.T) / 2`` is
    factored, which makes derivatives symmetric.  NaN where ``a`` is not positive
    definite.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.cholesky(fnp.array([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]], dtype=float32)
    """
    (a,) = _inexact(a)
    _square("cholesky", a)
    if symmetrize_input:
        a = (a + _mT(a)) / 2
    L = _cholesky_p(a)
    return _mT(L) if upper else L


# ----------------------------------------------------------------------------- products

def matrix_power(a: Any, n: int) -> Any:
    """``a`` (square, ``(..., m, m)``) raised to the integer power ``n`` by repeated
    squaring, as ``jax.numpy.linalg.matrix_power`` (negative ``n`` inverts first).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.matrix_power(fnp.array([[1.0, 1.0], [0.0, 1.0]]), 3)
    array([[1., 3.],
           [0., 1.]], dtype=float32)
    """
    fnp = _fnp()
    arr = _array(a)
    s = _shape(arr)
    if len(s) < 2:
        raise TypeError(f"matrix_power: {len(s)}-dimensional array given. Array must be at "
                        "least two-dimensional.")
    if s[-2] != s[-1]:
        raise TypeError(f"matrix_power: last 2 dimensions of the array must be square, got "
                        f"shape {s}.")
    try:
        n = operator.index(n)
    except TypeError as err:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}.") from err
    if n == 0:
        return fnp.broadcast_to(fnp.eye(s[-2], dtype=arr.dtype), s)
    if n < 0:
        arr = inv(arr)
        n = -n
    if n == 1:
        return arr
    if n == 2:
        return arr @ arr
    if n == 3:
        return (arr @ arr) @ arr
    z = result = None
    while n > 0:
        z = arr if z is None else z @ z
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else result @ z
    return result


def multi_dot(arrays: Sequence[Any], *, precision: Any = None) -> Any:
    """The product of a chain of matrices, as ``jax.numpy.linalg.multi_dot``: the first
    and last arrays may be vectors, the others must be matrices.  Evaluated in the
    cheapest order (the classic matrix-chain dynamic programme).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.multi_dot([fnp.ones(2), fnp.ones((2, 3)), fnp.ones(3)])
    np.float32(6.0)
    """
    arrs = [_array(x) for x in arrays]
    if len(arrs) < 2:
        raise ValueError(f"multi_dot requires at least two arrays; got len(arrays)={len(arrs)}")
    shapes = [_shape(x) for x in arrs]
    if not (len(shapes[0]) in (1, 2) and len(shapes[-1]) in (1, 2)
            and all(len(s) == 2 for s in shapes[1:-1])):
        raise ValueError("multi_dot: input arrays must all be two-dimensional, except for the "
                         "first and last array which may be 1 or 2 dimensional. Got array "
                         f"shapes {shapes}")
    if any(s[-1] != t[0] for s, t in zip(shapes[:-1], shapes[1:])):
        raise ValueError("multi_dot: last dimension of each array must match first dimension "
                         f"of following array. Got array shapes {shapes}")
    # a vector end counts as a 1-row (1-column) matrix in the cost; matmul of the original
    # arrays then gives the vector (or scalar) results directly
    dims = [1 if len(shapes[0]) == 1 else shapes[0][0]] + [s[-1] if len(s) == 2 else 1
                                                             for s in shapes]
    return _chain(arrs, _chain_order(dims), 0, len(arrs) - 1)


def _chain_order(p: list) -> list:
    """split[i][j]: where the cheapest product of matrices i..j splits (CLRS 15.2)."""
    k = len(p) - 1
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(1, k):
        for i in range(k - length):
            j = i + length
            cost[i][j] = math.inf
            for s in range(i, j):
                c = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, s
    return split


def _chain(arrs, split, i, j):
    if i == j:
        return arrs[i]
    s = split[i][j]
    return _fnp().matmul(_chain(arrs, split, i, s), _chain(arrs, split, s + 1, j))


# ----------------------------------------------------------------------------- tensors

def tensorinv(a: Any, ind: int = 2) -> Any:
    """The inverse of ``a`` for ``tensordot(., ., ind)``, as
    ``jax.numpy.linalg.tensorinv``: shape ``a.shape[ind:] + a.shape[:ind]``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.tensorinv(2.0 * fnp.eye(4).reshape(4, 2, 2), ind=1).shape
    (2, 2, 4)
    """
    arr = _array(a)
    ind = operator.index(ind)
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer; got ind={ind}")
    s = _shape(arr)
    contracting, batch = s[:ind], s[ind:]
    flat = (math.prod(contracting), math.prod(batch))
    if flat[0] != flat[1]:
        raise ValueError("tensorinv is only possible when the product of the first `ind` "
                         "dimensions equals that of the remaining dimensions. got "
                         f"a.shape={s} with ind={ind}.")
    return _fnp().reshape(inv(_fnp().reshape(arr, flat)), (*batch, *contracting))


def tensorsolve(a: Any, b: Any, axes: tuple[int, ...] | None = None) -> Any:
    """Solve ``tensordot(a, x, x.ndim) == b`` for ``x``, as
    ``jax.numpy.linalg.tensorsolve`` (``axes`` of ``a`` are first moved to the end).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.tensorsolve(2.0 * fnp.eye(4).reshape(2, 2, 4), fnp.ones((2, 2)))
    array([0.5, 0.5, 0.5, 0.5], dtype=float32)
    """
    fnp = _fnp()
    a, b = _array(a), _array(b)
    if axes is not None:
        nd = len(_shape(a))
        order = [i for i in range(nd) if i not in {k % nd for k in axes}]
        a = fnp.transpose(a, order + [k % nd for k in axes])  # as numpy.linalg.tensorsolve
    sa, sb = _shape(a), _shape(b)
    out_shape = sa[len(sb):]
    if sa[:len(sb)] != sb:
        raise ValueError("tensorsolve: after moving axes to end, leading shape of a must match "
                         f"shape of b. got a.shape={sa}, b.shape={sb}")
    size = math.prod(sb)
    if size != math.prod(out_shape):
        raise ValueError("tensorsolve: input arrays must have prod(a.shape[:b.ndim]) == "
                         f"prod(a.shape[b.ndim:]); got a.shape={sa}, b.ndim={len(sb)}.")
    a = fnp.reshape(a, (size, math.prod(out_shape)))
    return fnp.reshape(solve(a, fnp.reshape(b, (size,))), out_shape)
