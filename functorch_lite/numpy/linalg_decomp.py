"""``fnp.linalg``'s decompositions and the functions built on them, as ``jax.numpy.linalg``:
``eigh eigvalsh svd svdvals qr pinv lstsq matrix_rank cond`` and the array-API helpers
``matrix_norm vector_norm vecdot matrix_transpose trace diagonal``.

The decompositions are the primitives of ``ops/linalg_decomp.py`` (so they run eagerly
with NumPy's LAPACK, lower to ``jax.lax.linalg`` under ``jit``, batch and differentiate);
everything else is composed from ``fnp`` functions.  Integer and bool input is promoted
to float32 first, as in ``jax.numpy.linalg``; float16/bfloat16 raise (as in JAX).

Eigenvectors and singular vectors are defined up to sign, and the sign chosen may differ
from jax's (two LAPACK builds): compare invariant quantities (reconstructions,
projectors, absolute values of the vectors).  This library has no complex dtype, so the
non-symmetric ``eig``/``eigvals`` (complex results in JAX) raise ``NotImplementedError``.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import Tracer, dtypes
from ..ops import linalg_decomp as _decomp

__all__ = ["EighResult", "SVDResult", "QRResult", "eigh", "eigvalsh", "svd", "svdvals", "qr",
           "pinv", "lstsq", "matrix_rank", "cond", "matrix_norm", "vector_norm", "vecdot",
           "matrix_transpose", "trace", "diagonal", "eig", "eigvals"]


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of :func:`eigh`."""
    eigenvalues: Any
    eigenvectors: Any


class SVDResult(NamedTuple):
    """``(U, S, Vh)`` of :func:`svd`."""
    U: Any
    S: Any
    Vh: Any


class QRResult(NamedTuple):
    """``(Q, R)`` of :func:`qr`."""
    Q: Any
    R: Any


def _fnp():
    from .. import numpy as fnp
    return fnp


def _inexact(x, name: str):
    """``x`` as an array; integer/bool input promoted to float32 (jax.numpy's rule)."""
    fnp = _fnp()
    if not isinstance(x, Tracer):
        x = fnp.asarray(x)
    if x.dtype not in dtypes.FLOATS:
        x = x.astype(np.float32)
    return x


def _ndim(x) -> int:
    return len(x.shape)


def _mT(x):
    return _fnp().swapaxes(x, -1, -2)


def _symmetrize(x):
    return (x + _mT(x)) / 2


# --------------------------------------------------------------------- eigh

def eigh(a: Any, UPLO: str | None = None, symmetrize_input: bool = True) -> EighResult:  # noqa: N803
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices ``(..., M, M)``, as
    ``jax.numpy.linalg.eigh``.  With ``symmetrize_input`` (default) ``(a + a.T) / 2`` is
    decomposed, which gives the right derivatives; otherwise only the ``UPLO`` triangle
    (``'L'``, the default, or ``'U'``) is read.  Column ``v[..., :, i]`` is the unit
    eigenvector of ``w[..., i]`` (its sign is arbitrary).

    >>> import functorch_lite.numpy as fnp
    >>> w, v = fnp.linalg.eigh(fnp.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> w
    array([1., 3.], dtype=float32)
    >>> fnp.abs(v).round(4)
    array([[0.7071, 0.7071],
           [0.7071, 0.7071]], dtype=float32)
    """
    if UPLO is None or UPLO == "L":
        lower = True
    elif UPLO == "U":
        lower = False
    else:
        raise ValueError(f"eigh: UPLO must be one of None, 'L', or 'U', got {UPLO!r}")
    a = _inexact(a, "eigh")
    _decomp.check_matrix("eigh", _decomp._aval(a), square=True)
    if symmetrize_input:
        a = _symmetrize(a)
    v, w = _decomp.eigh(a, lower=lower)
    return EighResult(w, v)


def eigvalsh(a: Any, UPLO: str | None = "L", *, symmetrize_input: bool = True) -> Any:  # noqa: N803
    """The eigenvalues (ascending) of symmetric matrices ``(..., M, M)``, as
    ``jax.numpy.linalg.eigvalsh``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.eigvalsh(fnp.array([[2.0, 0.0], [0.0, -1.0]]))
    array([-1.,  2.], dtype=float32)
    """
    return eigh(a, UPLO, symmetrize_input=symmetrize_input).eigenvalues


def eig(a: Any) -> Any:
    """Not available: the eigenvalues of a general matrix are complex, and functorch_lite
    has no complex dtype.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.eig(fnp.eye(2))
    Traceback (most recent call last):
    ...
    NotImplementedError: eig: ...
    """
    raise NotImplementedError(
        "eig: the eigenvalues and eigenvectors of a non-symmetric matrix are complex in JAX, "
        "and functorch_lite has no complex dtype; for a symmetric matrix use "
        "fnp.linalg.eigh (real, ascending), or fnp.linalg.svd for singular values.")


def eigvals(a: Any) -> Any:
    """Not available: the eigenvalues of a general matrix are complex (see :func:`eig`).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.eigvals(fnp.eye(2))
    Traceback (most recent call last):
    ...
    NotImplementedError: eigvals: ...
    """
    raise NotImplementedError(
        "eigvals: the eigenvalues of a non-symmetric matrix are complex in JAX, and "
        "functorch_lite has no complex dtype; for a symmetric matrix use "
        "fnp.linalg.eigvalsh, or fnp.linalg.svdvals for singular values.")


# --------------------------------------------------------------------- svd

def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False,
        subset_by_index: tuple[int, int] | None = None) -> Any:
    """Singular value decomposition ``a = U @ diag(S) @ Vh`` of matrices ``(..., M, N)``,
    as ``jax.numpy.linalg.svd``: ``SVDResult(U, S, Vh)`` with ``S`` descending, or ``S``
    alone when ``compute_uv`` is false.  ``full_matrices=True`` (the default) gives square
    ``U``/``Vh``; as in JAX, the derivative of the singular vectors then needs a square
    ``a``: pass ``full_matrices=False`` to differentiate them.  ``hermitian=True`` is a
    hint that is accepted but not used (the general SVD of a symmetric matrix is valid).

    >>> import functorch_lite.numpy as fnp
    >>> x = fnp.array([[3.0, 0.0], [0.0, -4.0], [0.0, 0.0]])
    >>> U, S, Vh = fnp.linalg.svd(x, full_matrices=False)
    >>> S
    array([4., 3.], dtype=float32)
    >>> bool(fnp.allclose(U @ fnp.diag(S) @ Vh, x))
    True
    """
    if subset_by_index is not None:
        raise NotImplementedError("svd: subset_by_index is not supported; compute the full "
                                  "SVD and slice the result.")
    a = _inexact(a, "svd")
    if not compute_uv:
        return _decomp.svd(a, full_matrices=False, compute_uv=False)[0]
    s, u, vt = _decomp.svd(a, full_matrices=full_matrices, compute_uv=True)
    return SVDResult(u, s, vt)


def svdvals(x: Any, /) -> Any:
    """The singular values (descending) of matrices ``(..., M, N)``, as
    ``jax.numpy.linalg.svdvals``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.svdvals(fnp.array([[0.0, 2.0], [-5.0, 0.0]]))
    array([5., 2.], dtype=float32)
    """
    return svd(x, compute_uv=False)


# --------------------------------------------------------------------- qr

def qr(a: Any, mode: str = "reduced") -> Any:
    """QR decomposition of matrices ``(..., M, N)``, as ``jax.numpy.linalg.qr``:
    ``QRResult(Q, R)`` for ``mode="reduced"`` (``Q`` is ``(M, K)``, ``K = min(M, N)``)
    or ``"complete"`` (``Q`` is ``(M, M)``), ``R`` alone for ``mode="r"``.  The signs of
    ``R``'s rows (and ``Q``'s columns) follow LAPACK and may differ from jax's.

    >>> import functorch_lite.numpy as fnp
    >>> Q, R = fnp.linalg.qr(fnp.array([[3.0, 1.0], [4.0, 2.0]]))
    >>> fnp.abs(R).round(4)
    array([[5. , 2.2],
           [0. , 0.4]], dtype=float32)
    >>> bool(fnp.allclose(Q @ R, fnp.array([[3.0, 1.0], [4.0, 2.0]]), atol=1e-6))
    True
    """
    if mode == "reduced" or mode == "r":
        full = False
    elif mode == "complete":
        full = True
    elif mode == "raw":
        raise NotImplementedError("qr: mode='raw' (LAPACK's Householder form) is not "
                                  "supported; use 'reduced', 'complete' or 'r'.")
    else:
        raise ValueError(f"qr: unsupported mode {mode!r}; use 'reduced', 'complete' or 'r'.")
    a = _inexact(a, "qr")
    q, r = _decomp.qr(a, full_matrices=full)
    return r if mode == "r" else QRResult(q, r)


# --------------------------------------------------------------------- built on the SVD

def _eps(dt) -> float:
    return float(np.finfo(dt).eps)


def _pinv_svd(a, rtol):
    """NumPy's algorithm: invert the singular values above ``rtol * largest``."""
    fnp = _fnp()
    m, n = a.shape[-2:]
    if rtol is None:
        rtol = 10.0 * max(m, n) * _eps(a.dtype)
    rtol = fnp.asarray(rtol, dtype=a.dtype) if not isinstance(rtol, Tracer) else rtol
    u, s, vh = svd(a, full_matrices=False)
    cutoff = fnp.expand_dims(rtol, -1) * s[..., 0:1]
    s = fnp.where(s > cutoff, s, fnp.inf)
    return fnp.matmul(_mT(vh), _mT(u) / s[..., :, None])


def _pinv_rule(rtol):
    """``pinv`` with JAX's custom JVP (Golub & Pereyra 1973): it holds at repeated and
    zero singular values, where differentiating the SVD would give inf/nan."""
    from ..transforms.custom import custom_jvp
    f = custom_jvp(lambda a: _pinv_svd(a, rtol))

    def jvp(primals, tangents):
        (a,), (a_dot,) = primals, tangents
        p = f(a)
        m, n = a.shape[-2:]
        if m >= n:
            s = (p @ _mT(p)) @ _mT(a_dot)
            t = (_mT(a_dot) @ _mT(p)) @ p
            p_dot = -(p @ a_dot) @ p + s - (s @ a) @ p + t - (p @ a) @ t
        else:
            s = p @ (_mT(p) @ _mT(a_dot))
            t = _mT(a_dot) @ (_mT(p) @ p)
            p_dot = -p @ (a_dot @ p) + s - s @ (a @ p) + t - p @ (a @ t)
        return p, p_dot
    f.defjvp(jvp)
    return f


def pinv(a: Any, rtol: Any = None, hermitian: bool = False) -> Any:
    """Moore-Penrose pseudo-inverse of matrices ``(..., M, N)`` through the SVD, as
    ``jax.numpy.linalg.pinv``: singular values ``<= rtol * largest`` count as zero
    (``rtol`` defaults to ``10 * max(M, N) * eps``).  Differentiated with JAX's custom
    rule, so derivatives exist at repeated singular values too.  ``hermitian`` is a hint
    (accepted, not used).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.pinv(fnp.array([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]], dtype=float32)
    """
    a = _inexact(a, "pinv")
    _decomp.check_matrix("pinv", _decomp._aval(a))
    if a.shape[-1] == 0 or a.shape[-2] == 0:
        raise ValueError(f"pinv: empty matrices {tuple(a.shape)} are not supported.")
    return _pinv_rule(rtol)(a)


def matrix_rank(M: Any, rtol: Any = None, *, hermitian: bool = False, tol: Any = None) -> Any:  # noqa: N803
    """The number of singular values above ``rtol * largest`` (int32), as
    ``jax.numpy.linalg.matrix_rank`` (``rtol`` defaults to ``max(M, N) * eps``).

    >>> import functorch_lite.numpy as fnp
    >>> int(fnp.linalg.matrix_rank(fnp.array([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    fnp = _fnp()
    if tol is not None:
        if rtol is not None:
            raise ValueError("matrix_rank: only one of tol or rtol may be specified.")
        rtol = tol
    M = _inexact(M, "matrix_rank")
    if _ndim(M) < 2:
        return fnp.any(M != 0).astype(np.int32)
    s = svdvals(M)
    if rtol is None:
        rtol = fnp.max(s, axis=-1) * (max(M.shape[-2:]) * _eps(s.dtype))
    else:
        rtol = fnp.asarray(rtol, dtype=s.dtype) if not isinstance(rtol, Tracer) else rtol
    return fnp.sum(s > fnp.expand_dims(rtol, -1), axis=-1).astype(np.int32)


def cond(x: Any, p: Any = None) -> Any:
    """Condition number ``norm(x, p) * norm(inv(x), p)``, as ``jax.numpy.linalg.cond``;
    for ``p`` None or 2 (-2) the ratio of the largest to the smallest singular value (or
    its inverse).  Other ``p`` need square matrices and ``fnp.linalg.inv``.

    >>> import functorch_lite.numpy as fnp
    >>> float(fnp.linalg.cond(fnp.array([[4.0, 0.0], [0.0, 0.5]])))
    8.0
    """
    fnp = _fnp()
    x = _inexact(x, "cond")
    if _ndim(x) < 2:
        raise ValueError(f"cond: input array must be at least 2D; got shape {tuple(x.shape)}")
    if x.shape[-1] == 0 or x.shape[-2] == 0:
        raise ValueError(f"cond: input array must not be empty; got shape {tuple(x.shape)}")
    if p is None or p == 2:
        s = svdvals(x)
        return s[..., 0] / s[..., -1]
    if p == -2:
        s = svdvals(x)
        r = s[..., -1] / s[..., 0]
    else:
        if x.shape[-2] != x.shape[-1]:
            raise ValueError(f"cond: for p={p!r}, the matrix must be square; got shape "
                             f"{tuple(x.shape)}")
        from . import linalg as _linalg
        inv = getattr(_linalg, "inv", None)
        if inv is None:
            raise NotImplementedError(f"cond: p={p!r} needs fnp.linalg.inv, which is not "
                                      "available; use p=None, 2 or -2.")
        r = matrix_norm(x, ord=p) * matrix_norm(inv(x), ord=p)
    return fnp.where(fnp.isnan(r) & ~fnp.any(fnp.isnan(x), axis=(-2, -1)), fnp.inf, r)


def lstsq(a: Any, b: Any, rcond: float | None = None, *,
          numpy_resid: bool = False) -> tuple:
    """Least-squares solution of ``a @ x = b`` through the SVD, as
    ``jax.numpy.linalg.lstsq``: ``(x, resid, rank, s)`` for ``a`` of shape ``(M, N)`` and
    ``b`` of shape ``(M,)`` or ``(M, K)``; ``resid`` holds the squared residual norms
    (always, unless ``numpy_resid`` asks for NumPy's empty residuals of rank-deficient or
    non-tall problems).

    >>> import functorch_lite.numpy as fnp
    >>> x, resid, rank, s = fnp.linalg.lstsq(fnp.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]),
    ...                                      fnp.array([1.0, 2.0, 3.0]))
    >>> x.round(4), resid.round(4), int(rank)
    (array([1., 1.], dtype=float32), array([9.], dtype=float32), 2)
    """
    fnp = _fnp()
    a, b = _inexact(a, "lstsq"), _inexact(b, "lstsq")
    if a.dtype != b.dtype:
        dt = np.promote_types(a.dtype, b.dtype)
        a, b = a.astype(dt), b.astype(dt)
    if _ndim(a) != 2:
        raise TypeError(f"lstsq: {_ndim(a)}-dimensional array given for a; it must be "
                        "two-dimensional (vmap over a stack of problems).")
    if _ndim(b) not in (1, 2):
        raise TypeError(f"lstsq: {_ndim(b)}-dimensional array given for b; it must be one "
                        "or two-dimensional.")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"lstsq: leading dimensions of input arrays must match, got a "
                         f"{tuple(a.shape)} and b {tuple(b.shape)}")
    b_ndim = _ndim(b)
    if b_ndim == 1:
        b = b[:, None]
    m, n = a.shape
    if a.size == 0:
        raise ValueError(f"lstsq: empty matrix a of shape {tuple(a.shape)} is not supported.")
    eps = _eps(a.dtype)
    if rcond is None:
        rcond = eps * max(n, m)
    else:
        rcond = fnp.where(fnp.asarray(rcond) < 0, eps, rcond)
    u, s, vt = svd(a, full_matrices=False)
    rc = fnp.asarray(rcond, dtype=s.dtype) if not isinstance(rcond, Tracer) \
        else rcond.astype(s.dtype)
    mask = (s > 0) & (s >= rc * s[0])
    rank = fnp.sum(mask).astype(np.int32)
    safe_s = fnp.where(mask, s, 1)
    s_inv = fnp.where(mask, 1 / safe_s, 0)[:, None]
    x = fnp.matmul(vt.T, s_inv * fnp.matmul(u.T, b))
    if numpy_resid:
        if isinstance(rank, Tracer):
            raise TypeError("lstsq: numpy_resid=True needs a concrete rank; it cannot be "
                            "used under jit/vmap (as in JAX).")
        if int(rank) < n or m <= n:
            resid = fnp.zeros((0,), a.dtype)
        else:
            resid = fnp.sum((b - fnp.matmul(a, x)) ** 2, axis=0)
    else:
        resid = fnp.sum((b - fnp.matmul(a, x)) ** 2, axis=0)
    if b_ndim == 1:
        x = fnp.ravel(x)  # resid keeps its shape (1,), as in JAX
    return x, resid, rank, s


# --------------------------------------------------------------------- array-API helpers

def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:  # noqa: A002
    """Norm of matrices over the last two axes, as ``jax.numpy.linalg.matrix_norm``
    (``ord`` in ``'fro', 'nuc', 1, -1, 2, -2, inf, -inf``).

    >>> import functorch_lite.numpy as fnp
    >>> float(fnp.linalg.matrix_norm(fnp.array([[3.0, 0.0], [0.0, -4.0]]), ord=2))
    4.0
    """
    from .linalg import norm
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


def vector_norm(x: Any, /, *, axis: int | tuple[int, ...] | None = None,
                keepdims: bool = False, ord: Any = 2) -> Any:  # noqa: A002
    """Vector norm over ``axis`` (all axes, flattened, when None), as
    ``jax.numpy.linalg.vector_norm`` (``ord`` a number, ``inf`` or ``-inf``).

    >>> import functorch_lite.numpy as fnp
    >>> float(fnp.linalg.vector_norm(fnp.array([[3.0, 0.0], [0.0, -4.0]])))
    5.0
    """
    fnp = _fnp()
    x = _inexact(x, "vector_norm")
    if isinstance(ord, str):
        raise ValueError(f"vector_norm: invalid order {ord!r} for a vector norm; use a number, "
                         "fnp.inf or -fnp.inf.")
    a = fnp.abs(x)
    if ord is None or ord == 2:
        return fnp.sqrt(fnp.sum(x * x, axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return fnp.max(a, axis=axis, keepdims=keepdims, initial=0)
    if ord == -np.inf:
        return fnp.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return fnp.sum((x != 0).astype(x.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return fnp.sum(a, axis=axis, keepdims=keepdims)
    p = float(ord)
    return fnp.power(fnp.sum(fnp.power(a, p), axis=axis, keepdims=keepdims), 1.0 / p)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1, precision: Any = None,
           preferred_element_type: Any = None) -> Any:
    """Dot products of vectors along ``axis`` (other axes broadcast), as
    ``jax.numpy.linalg.vecdot``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.vecdot(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([1.0, 1.0]))
    array([3., 7.], dtype=float32)
    """
    fnp = _fnp()
    x1, x2 = fnp.asarray(x1) if not isinstance(x1, Tracer) else x1, \
        fnp.asarray(x2) if not isinstance(x2, Tracer) else x2
    if x1.shape[axis] != x2.shape[axis]:
        raise ValueError(f"vecdot: the sizes of x1 {tuple(x1.shape)} and x2 {tuple(x2.shape)} "
                         f"along axis {axis} differ.")
    x1 = fnp.moveaxis(x1, axis, -1)
    x2 = fnp.moveaxis(x2, axis, -1)
    out = fnp.matmul(x1[..., None, :], x2[..., :, None],
                     preferred_element_type=preferred_element_type)
    return out[..., 0, 0]


def matrix_transpose(x: Any, /) -> Any:
    """Swap the last two axes, as ``jax.numpy.linalg.matrix_transpose``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.matrix_transpose(fnp.zeros((2, 3, 4))).shape
    (2, 4, 3)
    """
    fnp = _fnp()
    x = fnp.asarray(x) if not isinstance(x, Tracer) else x
    if _ndim(x) < 2:
        raise ValueError(f"matrix_transpose requires at least 2 dimensions; got "
                         f"ndim={_ndim(x)}")
    return _mT(x)


def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
    """Traces of the matrices in the last two axes, as ``jax.numpy.linalg.trace``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.trace(fnp.ones((2, 3, 3)))
    array([3., 3.], dtype=float32)
    """
    fnp = _fnp()
    x = fnp.asarray(x) if not isinstance(x, Tracer) else x
    if _ndim(x) < 2:
        raise ValueError(f"trace: x must be at least 2-dimensional, got shape {tuple(x.shape)}")
    return fnp.trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def diagonal(x: Any, /, *, offset: int = 0) -> Any:
    """Diagonals of the matrices in the last two axes, as ``jax.numpy.linalg.diagonal``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.linalg.diagonal(fnp.array([[1, 2], [3, 4]]))
    array([1, 4], dtype=int32)
    """
    fnp = _fnp()
    x = fnp.asarray(x) if not isinstance(x, Tracer) else x
    if _ndim(x) < 2:
        raise ValueError(f"diagonal: x must be at least 2-dimensional, got shape "
                         f"{tuple(x.shape)}")
    return fnp.diagonal(x, offset=offset, axis1=-2, axis2=-1)


# --------------------------------------------------------------------- norm's SVD orders

def _svd_matrix_norm(x, ord, axes: tuple, keepdims: bool):  # noqa: A002
    """``norm``'s matrix orders 2, -2 and 'nuc' over ``axes`` (from the singular values)."""
    fnp = _fnp()
    a0, a1 = axes
    y = fnp.moveaxis(x, (a0, a1), (-2, -1))
    s = svdvals(y)
    if ord == 2:
        out = s[..., 0]
    elif ord == -2:
        out = s[..., -1]
    else:
        out = fnp.sum(s, axis=-1)
    if keepdims:
        for ax in sorted(axes):
            out = fnp.expand_dims(out, ax)
    return out
