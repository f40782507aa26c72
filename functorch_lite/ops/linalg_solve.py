"""Square linear systems: ``cholesky``, ``triangular_solve`` and ``lu``, the primitives of
``jax.lax.linalg`` that ``fnp.linalg.solve/inv/det/slogdet/cholesky`` are built from.

Each takes a stack of matrices ``(..., m, m)`` (leading batch dimensions, as JAX) and
states all its rules here: NumPy/SciPy impl, shape/dtype rule, JVP, VJP, batching and
lowering to ``jax.lax.linalg``.  The derivative rules are JAX's:

- Cholesky (Murray 2016): ``dL = L Phi(L^-1 dA L^-T)``, ``Phi`` keeping the lower
  triangle with the diagonal halved; its VJP is the transpose
  ``ct_A = L^-T Phi(L^T G) L^-1``.
- ``triangular_solve`` is linear in ``b`` (its transpose flips ``transpose_a``) and
  ``dX = -op(A)^-1 op(dA) X`` in ``a`` (``dA`` masked to the triangle read).
- LU (square): ``W = L^-1 P dA U^-1``, ``dLU = L tril(W, -1) + triu(W) U``; the VJP
  transposes each step.

Like XLA, a singular or indefinite input gives ``inf``/``nan`` values, never an
exception: ``cholesky`` of a matrix that is not positive definite is NaN in its lower
triangle, a zero pivot makes ``triangular_solve`` divide by zero.
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import scipy.linalg.blas

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import int32
from .rules import move_axis_to_front

_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _aval(x):
    if hasattr(x, "aval"):
        return x.aval
    x = np.asarray(x)
    return ShapedArray(x.shape, x.dtype)


def _check_matrix(name: str, arg: str, aval, square: bool = True) -> None:
    """Rank >= 2, float32/float64 and (when ``square``) square trailing dimensions."""
    if aval.ndim < 2:
        raise ValueError(f"{name}: {arg} must be a (stack of) matrices of shape (..., m, m), got "
                         f"rank {aval.ndim} ({aval.str_short()}); reshape it to 2-D first.")
    if square and aval.shape[-1] != aval.shape[-2]:
        raise ValueError(f"{name}: {arg} must be square in its last two dimensions, got shape "
                         f"{aval.shape}; for non-square systems use a least-squares solver.")
    if np.dtype(aval.dtype) not in _DTYPES:
        raise TypeError(f"{name}: {arg} must be float32 or float64, got {aval.str_short()}; "
                        "convert it first (x.astype(fnp.float32)), as fnp.linalg functions do "
                        "for integer inputs.")


def _batched(x: np.ndarray, k: int = 2):
    """Iterate over the matrices of a stack (the last ``k`` axes)."""
    return np.ndindex(*x.shape[:-k]) if x.ndim > k else [()]


def _mT(x):
    from .. import numpy as fnp
    return fnp.swapaxes(x, -1, -2)


def _mm(a, b):
    from .. import numpy as fnp
    return fnp.matmul(a, b)


def _eye_like(x):
    from .. import numpy as fnp
    n = _aval(x).shape[-1]
    return fnp.eye(n, dtype=_aval(x).dtype)


# ============================================================================ cholesky

cholesky_p = Primitive("cholesky")


def cholesky(x):
    """The lower Cholesky factor ``L`` of each matrix ``x[..., :, :]`` (only its lower
    triangle is read), ``x = L L^T``; NaN where ``x`` is not positive definite.  The
    primitive: ``fl.lax.linalg.cholesky`` symmetrizes its input first, as JAX.

    >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]])
    """
    if not hasattr(x, "aval"):
        x = np.asarray(x)
        _check_matrix("cholesky", "x", _aval(x))
    return bind(cholesky_p, x)


def _cholesky_aval(x):
    _check_matrix("cholesky", "x", x)
    return ShapedArray(x.shape, x.dtype)


def _cholesky_impl(x):
    x = np.asarray(x)
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError:  # some matrix is not positive definite: NaNs there, as XLA
        out = np.zeros_like(x)
        nan_tril = np.where(np.tri(x.shape[-1], dtype=bool), np.nan, 0).astype(x.dtype)
        for i in _batched(x):
            try:
                out[i] = np.linalg.cholesky(x[i])
            except np.linalg.LinAlgError:
                out[i] = nan_tril
        return out


def _phi(x):
    """The lower triangle of ``x`` with its diagonal halved."""
    from .. import numpy as fnp
    n = _aval(x).shape[-1]
    return fnp.tril(x) * (1.0 - 0.5 * np.eye(n, dtype=_aval(x).dtype))


def _cholesky_jvp(primals, tangents, ans):
    (t,) = tangents
    if t is None:
        return None
    L = ans
    tmp = triangular_solve(L, t, left_side=False, lower=True, transpose_a=True)  # dA L^-T
    inner = triangular_solve(L, tmp, left_side=True, lower=True)  # L^-1 dA L^-T
    return _mm(L, _phi(inner))


def _cholesky_vjp(g, ans, args, needs):
    if not needs[0] or g is None:
        return [None]
    L = ans
    p = _phi(_mm(_mT(L), g))  # Phi(L^T G)
    tmp = triangular_solve(L, p, left_side=False, lower=True)  # P L^-1
    return [triangular_solve(L, tmp, left_side=True, lower=True, transpose_a=True)]


def _cholesky_batch(args, dims):
    (x,), (d,) = args, dims
    return bind(cholesky_p, move_axis_to_front(x, d)), 0


def _cholesky_lower(x):
    import jax.lax.linalg as lax_linalg
    return lax_linalg.cholesky(x, symmetrize_input=False)


cholesky_p.impl = _cholesky_impl
cholesky_p.abstract_eval = _cholesky_aval
cholesky_p.jvp = _cholesky_jvp
cholesky_p.vjp = _cholesky_vjp
cholesky_p.batch = _cholesky_batch
cholesky_p.lower = _cholesky_lower

# ============================================================================ triangular_solve

triangular_solve_p = Primitive("triangular_solve")


def triangular_solve(a, b, *, left_side: bool = False, lower: bool = False,
                     transpose_a: bool = False, conjugate_a: bool = False,
                     unit_diagonal: bool = False):
    """Solve ``op(a) x = b`` (``left_side``) or ``x op(a) = b`` for triangular ``a``, as
    ``jax.lax.linalg.triangular_solve``: ``op`` transposes when ``transpose_a``, only the
    ``lower`` (or upper) triangle of ``a`` is read, and its diagonal is taken as ones
    with ``unit_diagonal``.  ``a`` is ``(..., m, m)``, ``b`` is ``(..., m, n)`` when
    ``left_side`` else ``(..., n, m)``, with the same batch dimensions; a ``b`` of one
    dimension less than ``a`` is one vector per matrix (``(..., m)``), as in JAX.

    >>> triangular_solve(np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([[2.0], [3.0]]),
    ...                  left_side=True, lower=True)
    array([[1.],
           [2.]])
    """
    params = dict(left_side=bool(left_side), lower=bool(lower), transpose_a=bool(transpose_a),
                  conjugate_a=bool(conjugate_a), unit_diagonal=bool(unit_diagonal))
    if not (hasattr(a, "aval") or hasattr(b, "aval")):
        a, b = np.asarray(a), np.asarray(b)
    singleton = _aval(b).ndim == _aval(a).ndim - 1 and _aval(a).ndim >= 2
    if singleton:  # one right-hand vector per matrix
        from .shapes import expand_dims
        b = expand_dims(b, (_aval(b).ndim if left_side else _aval(b).ndim - 1,))
    if not (hasattr(a, "aval") or hasattr(b, "aval")):
        _triangular_solve_aval(_aval(a), _aval(b), **params)
    out = bind(triangular_solve_p, a, b, **params)
    if singleton:
        from .shapes import squeeze
        out = squeeze(out, (_aval(out).ndim - 1 if left_side else _aval(out).ndim - 2,))
    return out


def _triangular_solve_aval(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    name = "triangular_solve"
    _check_matrix(name, "a", a)
    _check_matrix(name, "b", b, square=False)
    if a.dtype != b.dtype:
        raise TypeError(f"{name}: a and b must have one dtype, got {a.str_short()} and "
                        f"{b.str_short()}; convert one of them.")
    if a.shape[:-2] != b.shape[:-2]:
        raise ValueError(f"{name}: a and b must have the same batch dimensions, got a "
                         f"{a.str_short()} and b {b.str_short()}; broadcast them first.")
    m = a.shape[-1]
    k = b.shape[-2] if left_side else b.shape[-1]
    if k != m:
        side = "rows" if left_side else "columns"
        raise ValueError(f"{name}: b must have {m} {side} to match a {a.str_short()} with "
                         f"left_side={left_side}, got b {b.str_short()}.")
    return ShapedArray(b.shape, b.dtype)


def _trsm(a, b, left_side, lower, transpose_a, unit_diagonal):
    """BLAS trsm on each matrix: no singularity check, so zero pivots give inf/nan."""
    out = np.empty(b.shape, b.dtype)
    if b.size == 0:
        return out
    f = scipy.linalg.blas.get_blas_funcs("trsm", (a, b))
    for i in _batched(b):
        out[i] = f(1.0, a[i], b[i], side=0 if left_side else 1, lower=int(lower),
                   trans_a=int(transpose_a), diag=int(unit_diagonal))
    return out


def _triangular_solve_impl(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    a, b = np.asarray(a), np.asarray(b)
    with np.errstate(all="ignore"):
        return _trsm(a, b, left_side, lower, transpose_a, unit_diagonal)


def _tri_mask(x, lower: bool, unit_diagonal: bool):
    """The part of ``x`` that ``triangular_solve`` reads."""
    from .. import numpy as fnp
    k = 1 if unit_diagonal else 0
    return fnp.tril(x, -k) if lower else fnp.triu(x, k)


def _ts_jvp_a(t, ans, a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    ga = -_tri_mask(t, lower, unit_diagonal)
    if transpose_a:
        ga = _mT(ga)
    kw = dict(left_side=left_side, lower=lower, transpose_a=transpose_a,
              conjugate_a=conjugate_a, unit_diagonal=unit_diagonal)
    if left_side:  # A^-1 (-dA) X
        return _mm(triangular_solve(a, ga, **kw), ans)
    return _mm(ans, triangular_solve(a, ga, **kw))  # X (-dA) A^-1


def _ts_jvp_b(t, ans, a, b, **params):
    return triangular_solve(a, t, **params)


def _triangular_solve_jvp(primals, tangents, ans, **params):
    ta, tb = tangents
    out = None
    if tb is not None:
        out = _ts_jvp_b(tb, ans, *primals, **params)
    if ta is not None:
        c = _ts_jvp_a(ta, ans, *primals, **params)
        out = c if out is None else out + c
    return out


def _triangular_solve_vjp(g, ans, args, needs, *, left_side, lower, transpose_a, conjugate_a,
                          unit_diagonal):
    a, _ = args
    if g is None or not (needs[0] or needs[1]):
        return [None, None]
    # the cotangent of b: the same solve with op(a) transposed
    ct_b = triangular_solve(a, g, left_side=left_side, lower=lower,
                            transpose_a=not transpose_a, conjugate_a=conjugate_a,
                            unit_diagonal=unit_diagonal)
    ct_a = None
    if needs[0]:
        z = -_mm(ct_b, _mT(ans)) if left_side else -_mm(_mT(ans), ct_b)
        ct_a = _tri_mask(_mT(z) if transpose_a else z, lower, unit_diagonal)
    return [ct_a, ct_b if needs[1] else None]


def _triangular_solve_batch(args, dims, **params):
    size = next(_aval(x).shape[d] for x, d in zip(args, dims) if d is not None)
    a, b = (move_axis_to_front(x, d, size) for x, d in zip(args, dims))
    return bind(triangular_solve_p, a, b, **params), 0


def _triangular_solve_lower(a, b, **params):
    import jax.lax.linalg as lax_linalg
    return lax_linalg.triangular_solve(a, b, **params)


triangular_solve_p.impl = _triangular_solve_impl
triangular_solve_p.abstract_eval = _triangular_solve_aval
triangular_solve_p.jvp = _triangular_solve_jvp
triangular_solve_p.vjp = _triangular_solve_vjp
triangular_solve_p.batch = _triangular_solve_batch
triangular_solve_p.lower = _triangular_solve_lower

# ============================================================================ lu

lu_p = Primitive("lu", multiple_results=True)


def lu(x) -> list:
    """LU decomposition with partial pivoting of each matrix ``x[..., :, :]`` (m x n), as
    ``jax.lax.linalg.lu``: ``[lu, pivots, permutation]`` where ``lu`` holds ``L`` below
    the diagonal (unit diagonal implied) and ``U`` on and above it, ``pivots`` (int32,
    ``min(m, n)``) are LAPACK's row swaps (0-based) and ``permutation`` (int32, ``m``) is
    their effect: ``x[..., permutation, :] == L @ U``.  Derivatives need square ``x``.

    >>> lu_, piv, perm = lu(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> lu_, piv, perm
    (array([[3.        , 4.        ],
           [0.33333333, 0.66666667]]), array([1, 1], dtype=int32), array([1, 0], dtype=int32))
    """
    if not hasattr(x, "aval"):
        x = np.asarray(x)
        _check_matrix("lu", "x", _aval(x), square=False)
    return bind(lu_p, x)


def _lu_aval(x):
    _check_matrix("lu", "x", x, square=False)
    m, n = x.shape[-2:]
    batch = x.shape[:-2]
    return [ShapedArray(x.shape, x.dtype), ShapedArray(batch + (min(m, n),), int32),
            ShapedArray(batch + (m,), int32)]


def _lu_impl(x):
    x = np.asarray(x)
    m, n = x.shape[-2:]
    k = min(m, n)
    lu_ = np.empty_like(x)
    piv = np.zeros(x.shape[:-2] + (k,), np.int32)
    perm = np.empty(x.shape[:-2] + (m,), np.int32)
    for i in _batched(x):
        if k == 0:
            lu_[i] = x[i]
            perm[i] = np.arange(m)
            continue
        with warnings.catch_warnings():  # a singular matrix factors fine (a zero pivot)
            warnings.simplefilter("ignore")
            lu_[i], p = scipy.linalg.lu_factor(x[i], check_finite=False)
        piv[i] = p
        order = np.arange(m)
        for j, pj in enumerate(p):
            order[j], order[pj] = order[pj], order[j]
        perm[i] = order
    return [lu_, piv, perm]


def _lu_factors(lu_):
    """Unit lower ``L`` and upper ``U`` of a square packed factorization."""
    from .. import numpy as fnp
    return fnp.tril(lu_, -1) + _eye_like(lu_), fnp.triu(lu_)


def _perm_matrix(perm, dtype):
    """``P`` with ``P @ x == x[..., perm, :]`` (one-hot rows: batches and differentiates
    as a plain matmul)."""
    from .. import numpy as fnp
    m = _aval(perm).shape[-1]
    return (fnp.expand_dims(perm, -1) == fnp.arange(m, dtype=np.int32)).astype(dtype)


def _check_square_for_ad(x, what: str) -> None:
    m, n = _aval(x).shape[-2:]
    if m != n:
        raise NotImplementedError(f"lu: {what} of the LU decomposition is implemented for "
                                  f"square matrices only, got shape {_aval(x).shape}.")


def _lu_jvp(primals, tangents, ans):
    (t,) = tangents
    if t is None:
        return [None, None, None]
    _check_square_for_ad(primals[0], "forward-mode differentiation (jvp)")
    lu_, _, perm = ans
    L, U = _lu_factors(lu_)
    from .. import numpy as fnp
    x = _mm(_perm_matrix(perm, _aval(t).dtype), t)  # P dA
    la = triangular_solve(L, x, left_side=True, lower=True, unit_diagonal=True)
    w = triangular_solve(U, la, left_side=False, lower=False)  # L^-1 P dA U^-1
    return [_mm(L, fnp.tril(w, -1)) + _mm(fnp.triu(w), U), None, None]


def _lu_vjp(g, ans, args, needs):
    g = g[0]
    if g is None or not needs[0]:
        return [None]
    _check_square_for_ad(args[0], "reverse-mode differentiation (vjp/grad)")
    lu_, _, perm = ans
    L, U = _lu_factors(lu_)
    from .. import numpy as fnp
    ct_w = fnp.tril(_mm(_mT(L), g), -1) + fnp.triu(_mm(g, _mT(U)))
    y = triangular_solve(L, ct_w, left_side=True, lower=True, transpose_a=True,
                         unit_diagonal=True)  # L^-T ct_w
    ct_x = triangular_solve(U, y, left_side=False, lower=False, transpose_a=True)  # .. U^-T
    return [_mm(_mT(_perm_matrix(perm, _aval(g).dtype)), ct_x)]  # P^T ct_x


def _lu_batch(args, dims):
    (x,), (d,) = args, dims
    outs = bind(lu_p, move_axis_to_front(x, d))
    return outs, [0, 0, 0]


def _lu_lower(x):
    import jax.lax.linalg as lax_linalg
    return list(lax_linalg.lu(x))


lu_p.impl = _lu_impl
lu_p.abstract_eval = _lu_aval
lu_p.jvp = _lu_jvp
lu_p.vjp = _lu_vjp
lu_p.batch = _lu_batch
lu_p.lower = _lu_lower
