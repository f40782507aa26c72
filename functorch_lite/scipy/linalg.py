"""``fl.scipy.linalg``: the dense linear algebra of ``jax.scipy.linalg`` that real-valued
models use most (Cholesky factors and solves, triangular solves, LU factors and solves,
``solve`` with ``assume_a``, ``block_diag``, and SciPy's spellings of ``inv``, ``det``,
``eigh``, ``svd``, ``qr``).  Each is written with ``fl.lax.linalg``/``fnp.linalg``, so it
runs eagerly and under ``grad``, ``vmap`` and ``jit``.  SciPy's ``overwrite_*`` and
``check_finite`` arguments are accepted and ignored, as in JAX.

>>> import functorch_lite.scipy.linalg as fla, numpy as np
>>> c = fla.cho_factor(np.array([[4.0, 2.0], [2.0, 5.0]], np.float32))
>>> fla.cho_solve(c, np.array([2.0, 1.0], np.float32))
array([0.5, 0. ], dtype=float32)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import lax
from .. import numpy as fnp
from ..core import Tracer, aval_of
from ..lax_linalg import cholesky as _lax_cholesky
from ..lax_linalg import lu as _lax_lu
from ..lax_linalg import triangular_solve as _triangular_solve
from ..numpy import linalg_solve as _ls
from ..numpy.linalg_solve import _inexact, _mT
from ..transforms.custom import custom_jvp

__all__ = ["cholesky", "cho_factor", "cho_solve", "solve_triangular", "solve", "lu",
           "lu_factor", "lu_solve", "block_diag", "inv", "det", "eigh", "svd", "qr"]

Array = Any


def _square(name: str, a) -> None:
    _ls._square(f"fl.scipy.linalg.{name}", a)


def cholesky(a: Array, lower: bool = False, overwrite_a: bool = False,
             check_finite: bool = True) -> Array:
    """The Cholesky factor of a symmetric positive definite ``a``: upper ``U`` with
    ``a = U.T @ U`` by default (SciPy's convention), lower ``L`` with ``lower=True``.
    Only the triangle named by ``lower`` is read, as in JAX.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]], np.float32))
    array([[2., 1.],
           [0., 2.]], dtype=float32)
    """
    del overwrite_a, check_finite
    (a,) = _inexact(a)
    _square("cholesky", a)
    factor = _lax_cholesky(a if lower else _mT(a), symmetrize_input=False)
    return factor if lower else _mT(factor)


def cho_factor(a: Array, lower: bool = False, overwrite_a: bool = False,
               check_finite: bool = True) -> tuple[Array, bool]:
    """``(c, lower)`` for :func:`cho_solve`: ``c`` is :func:`cholesky`'s factor (the other
    triangle is zero, where SciPy leaves junk).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.cho_factor(np.array([[9.0]], np.float32), lower=True)
    (array([[3.]], dtype=float32), True)
    """
    return cholesky(a, lower=lower), lower


def _vector_rhs(name: str, a, b) -> bool:
    """Whether ``b`` is a vector right-hand side (``(n,)``), checking its length."""
    n = aval_of(a).shape[-1]
    bs = aval_of(b).shape
    if not bs or (len(bs) == 1 and bs[0] != n) or (len(bs) > 1 and bs[-2] != n):
        raise ValueError(f"fl.scipy.linalg.{name}: b of shape {tuple(bs)} does not match the "
                         f"{n}x{n} matrix; b must be (n,) or (n, k) (with the batch "
                         "dimensions of a).")
    return len(bs) == 1


def cho_solve(c_and_lower: tuple[Array, bool], b: Array, overwrite_b: bool = False,
              check_finite: bool = True) -> Array:
    """``x`` with ``a @ x = b`` from ``cho_factor(a)``: two triangular solves.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> c = fla.cho_factor(np.array([[4.0, 0.0], [0.0, 9.0]], np.float32))
    >>> fla.cho_solve(c, np.array([[4.0], [9.0]], np.float32))
    array([[1.],
           [1.]], dtype=float32)
    """
    del overwrite_b, check_finite
    c, lower = c_and_lower
    c, b = _inexact(c, b)
    _square("cho_solve", c)
    vec = _vector_rhs("cho_solve", c, b)
    rhs = b[..., None] if vec else b
    y = _triangular_solve(c, rhs, left_side=True, lower=lower, transpose_a=not lower)
    x = _triangular_solve(c, y, left_side=True, lower=lower, transpose_a=lower)
    return x[..., 0] if vec else x


_TRANS = {0: False, "N": False, 1: True, "T": True, 2: True, "C": True}


def solve_triangular(a: Array, b: Array, trans: int | str = 0, lower: bool = False,
                     unit_diagonal: bool = False, overwrite_b: bool = False,
                     debug: Any = None, check_finite: bool = True) -> Array:
    """``x`` with ``op(a) @ x = b`` for triangular ``a`` (only its ``lower``, else upper,
    triangle is read); ``op`` is the transpose for ``trans`` 1/``"T"``/2/``"C"``.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.solve_triangular(np.array([[2.0, 1.0], [0.0, 4.0]], np.float32),
    ...                      np.array([4.0, 8.0], np.float32))
    array([1., 2.], dtype=float32)
    """
    del overwrite_b, debug, check_finite
    if trans not in _TRANS or isinstance(trans, bool):
        raise ValueError(f"fl.scipy.linalg.solve_triangular: invalid trans={trans!r}; use 0, "
                         "1, 2 or 'N', 'T', 'C'.")
    a, b = _inexact(a, b)
    _square("solve_triangular", a)
    vec = _vector_rhs("solve_triangular", a, b)
    x = _triangular_solve(a, b[..., None] if vec else b, left_side=True, lower=lower,
                          transpose_a=_TRANS[trans], unit_diagonal=unit_diagonal)
    return x[..., 0] if vec else x


def solve(a: Array, b: Array, lower: bool = False, overwrite_a: bool = False,
          overwrite_b: bool = False, debug: bool = False, check_finite: bool = True,
          assume_a: str = "gen") -> Array:
    """``x`` with ``a @ x = b``: an LU solve, or with ``assume_a="pos"`` a Cholesky solve
    reading the ``lower`` (else upper) triangle of ``a`` (its derivative is the general
    solve's, with the whole ``a``, as in JAX).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.solve(np.array([[2.0, 1.0], [1.0, 3.0]], np.float32),
    ...           np.array([3.0, 5.0], np.float32), assume_a="pos").round(5)
    array([0.8, 1.4], dtype=float32)
    """
    del overwrite_a, overwrite_b, debug, check_finite
    valid = ["gen", "sym", "her", "pos"]
    if assume_a not in valid:
        raise ValueError(f"Expected assume_a to be one of {valid}; got {assume_a!r}")
    if assume_a != "pos":
        return fnp.linalg.solve(a, b)
    return _pos_solve(bool(lower))(*_inexact(a, b))


def _make_pos_solve(lower: bool):
    """The Cholesky solve of ``a x = b`` reading one triangle of ``a``, with the derivative
    of the solve with the whole matrix ``a`` (``dx = a^-1 (db - da x)``), as JAX's
    ``custom_linear_solve`` gives it."""
    def plain(a, b):
        return cho_solve(cho_factor(a, lower=lower), b)

    @custom_jvp
    def pos_solve(a, b):
        return plain(a, b)

    @pos_solve.defjvp
    def pos_solve_jvp(primals, tangents):
        (a, b), (da, db) = primals, tangents
        x = plain(a, b)
        dax = fnp.matmul(da, x[..., None])[..., 0] if len(aval_of(b).shape) == 1 \
            else fnp.matmul(da, x)
        return x, plain(a, db - dax)
    return pos_solve


_POS_SOLVES = {flag: _make_pos_solve(flag) for flag in (False, True)}


def _pos_solve(lower: bool):
    return _POS_SOLVES[lower]


def lu_factor(a: Array, overwrite_a: bool = False,
              check_finite: bool = True) -> tuple[Array, Array]:
    """``(lu, piv)``: the packed LU factors of ``a`` with partial pivoting and SciPy's
    pivot indices (row ``i`` was swapped with row ``piv[i]``).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.lu_factor(np.array([[0.0, 1.0], [2.0, 3.0]], np.float32))
    (array([[2., 3.],
           [0., 1.]], dtype=float32), array([1, 1], dtype=int32))
    """
    del overwrite_a, check_finite
    (a,) = _inexact(a)
    lu_, piv, _ = _lax_lu(a)
    return lu_, piv


def _perm_from_pivots(piv, n: int):
    """The row permutation that the swaps ``piv`` (row ``i`` with row ``piv[i]``, in
    order) make: an int32 array, traceable (two gathers and two selects a pivot)."""
    shape = aval_of(piv).shape
    if len(shape) != 1:
        raise ValueError(f"fl.scipy.linalg.lu_solve: piv must be 1-D (one matrix), got shape "
                         f"{tuple(shape)}; use fl.vmap over a stack of factorizations.")
    rows = fnp.arange(n, dtype=np.int32)
    perm = rows
    for i in range(shape[0]):
        p = fnp.take(piv, i).astype(np.int32)
        here, there = fnp.take(perm, i), fnp.take(perm, p)
        perm = fnp.where(rows == i, there, fnp.where(rows == p, here, perm))
    return perm


def lu_solve(lu_and_piv: tuple[Array, Array], b: Array, trans: int = 0,
             overwrite_b: bool = False, check_finite: bool = True) -> Array:
    """``x`` with ``a @ x = b`` (``trans=0``) or ``a.T @ x = b`` (1 or 2) from
    :func:`lu_factor`'s ``(lu, piv)`` of one matrix (``fl.vmap`` for a stack).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> f = fla.lu_factor(np.array([[0.0, 1.0], [2.0, 3.0]], np.float32))
    >>> fla.lu_solve(f, np.array([1.0, 5.0], np.float32))
    array([1., 1.], dtype=float32)
    """
    del overwrite_b, check_finite
    if trans not in (0, 1, 2):
        raise ValueError(f"fl.scipy.linalg.lu_solve: invalid trans={trans!r}; use 0, 1 or 2.")
    lu_, piv = lu_and_piv
    lu_, b = _inexact(lu_, b)
    _square("lu_solve", lu_)
    n = aval_of(lu_).shape[-1]
    vec = _vector_rhs("lu_solve", lu_, b)
    rhs = b[..., None] if vec else b
    perm = _perm_from_pivots(piv, n)
    if trans == 0:  # P a = L U:  x = U^-1 L^-1 P b
        y = _triangular_solve(lu_, fnp.take(rhs, perm, axis=-2), left_side=True,
                              lower=True, unit_diagonal=True)
        x = _triangular_solve(lu_, y, left_side=True, lower=False)
    else:  # a.T = U.T L.T P:  x = P.T L.T^-1 U.T^-1 b
        y = _triangular_solve(lu_, rhs, left_side=True, lower=False, transpose_a=True)
        z = _triangular_solve(lu_, y, left_side=True, lower=True, transpose_a=True,
                              unit_diagonal=True)
        x = fnp.take(z, fnp.argsort(perm), axis=-2)
    return x[..., 0] if vec else x


def lu(a: Array, permute_l: bool = False, overwrite_a: bool = False,
       check_finite: bool = True) -> tuple[Array, ...]:
    """``(p, l, u)`` with ``a = p @ l @ u`` (``l`` unit lower, ``u`` upper), or
    ``(p @ l, u)`` with ``permute_l``, as ``jax.scipy.linalg.lu``.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> p, l, u = fla.lu(np.array([[0.0, 1.0], [2.0, 3.0]], np.float32))
    >>> p
    array([[0., 1.],
           [1., 0.]], dtype=float32)
    """
    del overwrite_a, check_finite
    (a,) = _inexact(a)
    lu_, _, perm = _lax_lu(a)
    m, n = aval_of(a).shape[-2:]
    k = min(m, n)
    dt = aval_of(a).dtype
    l_ = fnp.tril(lu_[..., :, :k], -1) + fnp.eye(m, k, dtype=dt)
    u_ = fnp.triu(lu_[..., :k, :])
    p = (fnp.arange(m, dtype=np.int32)[:, None] == perm[..., None, :]).astype(dt)
    if permute_l:
        return fnp.matmul(p, l_), u_
    return p, l_, u_


def block_diag(*arrs: Array) -> Array:
    """The block-diagonal matrix of the (at most 2-D) ``arrs``, as
    ``jax.scipy.linalg.block_diag``.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.block_diag(np.ones((1, 1), np.float32), 2 * np.ones((2, 1), np.float32))
    array([[1., 0.],
           [0., 2.],
           [0., 2.]], dtype=float32)
    """
    if not arrs:
        arrs = (fnp.zeros((1, 0)),)
    arrs = [a if isinstance(a, Tracer) else fnp.asarray(a) for a in arrs]
    dt = fnp.result_type(*arrs)
    for i, a in enumerate(arrs):
        if len(aval_of(a).shape) > 2:
            raise ValueError(f"Arguments to fl.scipy.linalg.block_diag must have at most 2 "
                             f"dimensions, got shape {aval_of(a).shape} at argument {i}.")
    mats = [fnp.atleast_2d(a).astype(dt) for a in arrs]
    total = sum(aval_of(m).shape[1] for m in mats)
    rows, col = [], 0
    for m in mats:
        c = aval_of(m).shape[1]
        rows.append(lax.pad(m, np.zeros((), dt), ((0, 0, 0), (col, total - c - col, 0))))
        col += c
    return fnp.concatenate(rows, axis=0)


def inv(a: Array, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """The inverse of a square matrix (``fnp.linalg.inv``).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.inv(np.array([[2.0, 0.0], [0.0, 4.0]], np.float32))
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    del overwrite_a, check_finite
    return fnp.linalg.inv(a)


def det(a: Array, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """The determinant of a square matrix (``fnp.linalg.det``).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> float(fla.det(np.array([[2.0, 1.0], [1.0, 3.0]], np.float32)))
    5.0
    """
    del overwrite_a, check_finite
    return fnp.linalg.det(a)


def eigh(a: Array, b: Array | None = None, lower: bool = True, eigvals_only: bool = False,
         overwrite_a: bool = False, overwrite_b: bool = False, type: int = 1,  # noqa: A002
         check_finite: bool = True, subset_by_index: Any = None,
         subset_by_value: Any = None, driver: Any = None) -> Any:
    """Eigenvalues (ascending) and eigenvectors of a symmetric ``a``, reading its
    ``lower`` (else upper) triangle; ``w`` alone with ``eigvals_only``.  The generalized
    problem (``b``) and subsets are not supported (as in JAX).

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.eigh(np.array([[2.0, 0.0], [0.0, 1.0]], np.float32), eigvals_only=True)
    array([1., 2.], dtype=float32)
    """
    del overwrite_a, overwrite_b, check_finite, driver
    if b is not None or type != 1 or subset_by_index is not None \
            or subset_by_value is not None:
        raise NotImplementedError("fl.scipy.linalg.eigh: only the standard problem (no b, "
                                  "type=1, no subsets) is supported, as in JAX.")
    w, v = fnp.linalg.eigh(a, UPLO="L" if lower else "U", symmetrize_input=False)
    return w if eigvals_only else (w, v)


def svd(a: Array, full_matrices: bool = True, compute_uv: bool = True,
        overwrite_a: bool = False, check_finite: bool = True,
        lapack_driver: str = "gesdd") -> Any:
    """The singular value decomposition ``(u, s, vh)`` (``s`` alone without
    ``compute_uv``), as ``fnp.linalg.svd``.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> fla.svd(np.array([[3.0, 0.0], [0.0, -2.0]], np.float32), compute_uv=False)
    array([3., 2.], dtype=float32)
    """
    del overwrite_a, check_finite, lapack_driver
    return fnp.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)


def qr(a: Array, overwrite_a: bool = False, lwork: Any = None, mode: str = "full",
       pivoting: bool = False, check_finite: bool = True) -> Any:
    """The QR decomposition with SciPy's modes: ``"full"`` (``q`` square, the default),
    ``"economic"`` (reduced) and ``"r"`` (``(r,)``, a 1-tuple holding the full ``r``, as
    SciPy); ``"raw"`` and column pivoting are not supported.

    >>> import functorch_lite.scipy.linalg as fla, numpy as np
    >>> q, r = fla.qr(np.array([[3.0], [4.0]], np.float32))
    >>> q.shape, r.shape
    ((2, 2), (2, 1))
    """
    del overwrite_a, lwork, check_finite
    if pivoting:
        raise NotImplementedError("fl.scipy.linalg.qr: pivoting=True is not supported "
                                  "(as in JAX).")
    modes = {"full": "complete", "economic": "reduced", "r": "complete"}
    if mode not in modes:
        raise ValueError(f"fl.scipy.linalg.qr: unsupported mode {mode!r}; use 'full', "
                         "'economic' or 'r'.")
    if mode == "r":  # the r of the full decomposition, as SciPy and JAX
        return (fnp.linalg.qr(a, mode="complete")[1],)
    return tuple(fnp.linalg.qr(a, mode=modes[mode]))
