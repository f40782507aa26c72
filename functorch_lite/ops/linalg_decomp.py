"""Matrix decompositions: ``eigh``, ``svd``, ``qr``, as ``jax.lax.linalg``'s primitives
(the QR derivatives use ``triangular_solve`` from ``linalg_solve.py``).

Every primitive takes a stack of matrices ``(..., m, n)`` of float32/float64 and
states all its rules here: the NumPy (LAPACK) implementation, the shape/dtype rule,
JAX's JVP rule (``_eigh_jvp_rule``, ``_svd_jvp_rule``, ``qr_jvp_rule`` in
``jax._src.lax.linalg``), a VJP that is the transpose of that linear JVP (what JAX
derives), batching (the primitives already take leading batch dimensions, so a vmap
axis only moves to the front) and the lowering to ``jax.lax.linalg``.  The rules are
written with primitives, so second derivatives work wherever JAX's do.

Outputs follow ``jax.lax.linalg``: ``eigh -> [v, w]`` (eigenvectors in the columns of
``v``, eigenvalues ``w`` ascending; only the ``lower`` triangle is read), ``svd ->
[s, u, vt]`` (``[s]`` without ``compute_uv``), ``qr -> [q, r]``.

Signs: an eigenvector or a singular-vector pair is defined up to its sign, and two
LAPACK builds (NumPy's eagerly, XLA's under ``jit``) may choose different signs, as
may jax and this library.  Invariant quantities (reconstructions, projectors
``v v^T``, ``|v|`` for simple eigenvalues, the eigen/singular values themselves) agree.
Derivatives assume distinct eigenvalues (distinct nonzero singular values for the
singular vectors), as JAX's do; at repeated ones they are inf/nan, as in JAX.

One departure: JAX's eigh JVP recomputes the decomposition of ``(a + a.T) / 2`` and
differentiates that; these rules reuse the forward outputs.  With a symmetrized input
(``fnp.linalg.eigh``'s and ``fl.lax.linalg.eigh``'s default) the two agree to all
orders; with ``symmetrize_input=False`` first derivatives agree on symmetric input but
second derivatives differ (JAX's mix the raw and the symmetrized tangent), and on a
non-symmetric input JAX's ``jvp`` even returns other primal values than its plain call.
"""
from __future__ import annotations

import jax.lax as lax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, float32, float64
from . import elementwise as ew
from .linalg import dot_general
from .linalg_solve import triangular_solve
from .reductions import reduce_sum
from .rules import move_axis_to_front
from .shapes import concatenate, reshape, slice as lax_slice, transpose

_LAPACK = (np.dtype(float32), np.dtype(float64))


def _shape(x) -> tuple:
    return tuple(x.aval.shape) if hasattr(x, "aval") else np.shape(x)


def _dtype(x) -> np.dtype:
    return x.aval.dtype if hasattr(x, "aval") else np.result_type(x)


def _aval(x):
    from ..core import aval_of
    return aval_of(x)


def check_matrix(name: str, a, square: bool = False) -> None:
    """The shape/dtype check every decomposition shares: a stack of (square) matrices of
    float32 or float64, with a message that says what to do otherwise."""
    if a.ndim < 2:
        raise TypeError(f"{name}: expects a matrix or a stack of matrices (..., m, n), got "
                        f"{a.str_short()} of rank {a.ndim}; reshape it, e.g. x.reshape(1, -1) "
                        "for a row vector.")
    if square and a.shape[-1] != a.shape[-2]:
        raise TypeError(f"{name}: expects square matrices (..., n, n), got {a.str_short()}; "
                        "use fnp.linalg.svd for a non-square matrix.")
    if a.dtype not in _LAPACK:
        if a.dtype in FLOATS:
            how = ("float16/bfloat16 decompositions are not supported (as in JAX); compute in "
                   "float32: x.astype(fnp.float32)")
        else:
            how = ("convert it with x.astype(fnp.float32) (fnp.linalg's functions do this for "
                   "integer and bool input, as jax.numpy.linalg does)")
        raise TypeError(f"{name}: requires a float32 or float64 matrix, got {a.str_short()}; "
                        f"{how}.")


# --------------------------------------------------------------------- small helpers
# (traceable: rules built from them can be differentiated, batched and lowered again)

def _mT(x):
    nd = len(_shape(x))
    return transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


def _mm(a, b):
    """``a @ b`` for stacks of matrices with the same leading dimensions."""
    nd = len(_shape(a))
    batch = tuple(range(nd - 2))
    return dot_general(a, b, (((nd - 1,), (nd - 2,)), (batch, batch)))


def _eye(n: int, dt):
    return np.eye(n, dtype=dt)


def _diag_part(m):
    """The diagonals of a stack of square matrices: (..., k, k) -> (..., k)."""
    s = _shape(m)
    return reduce_sum(ew.mul(m, _eye(s[-1], _dtype(m))), (len(s) - 1,))


def _diag_matrix(d):
    """Diagonal matrices from a stack of vectors: (..., k) -> (..., k, k)."""
    return ew.mul(_row(d), _eye(_shape(d)[-1], _dtype(d)))


def _row(d):
    s = _shape(d)
    return reshape(d, s[:-1] + (1, s[-1]))


def _col(d):
    s = _shape(d)
    return reshape(d, s + (1,))


def _add(a, b):
    return b if a is None else ew.add(a, b)


def _slice_last2(x, rows: tuple, cols: tuple):
    s = _shape(x)
    nb = len(s) - 2
    return lax_slice(x, (0,) * nb + (rows[0], cols[0]), s[:nb] + (rows[1], cols[1]))


def _batch_front(prim, args, dims, **params):
    (x,), (d,) = args, dims
    outs = bind(prim, move_axis_to_front(x, d), **params)
    return outs, [0] * len(outs)


# ===================================================================== eigh

eigh_p = Primitive("eigh", multiple_results=True)


def eigh(x, lower: bool = True) -> list:
    """Eigendecomposition of symmetric matrices ``(..., n, n)``: ``[v, w]`` with the
    eigenvalues ``w`` ascending and ``v[..., :, i]`` the unit eigenvector of ``w[..., i]``
    (``jax.lax.linalg.eigh`` with ``symmetrize_input=False``: only the ``lower``, or
    upper, triangle is read).

    >>> import numpy as np
    >>> v, w = eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> w
    array([1., 3.])
    """
    check_matrix("eigh", _aval(x), square=True)
    return bind(eigh_p, x, lower=bool(lower))


def _eigh_aval(a, *, lower):
    check_matrix("eigh", a, square=True)
    return [ShapedArray(a.shape, a.dtype), ShapedArray(a.shape[:-1], a.dtype)]


def _eigh_impl(x, *, lower):
    x = np.asarray(x)
    w, v = np.linalg.eigh(x, UPLO="L" if lower else "U")
    return [v.astype(x.dtype, copy=False), w.astype(x.dtype, copy=False)]


def _eigh_inverse_gaps(w):
    """``F[i, j] = 1 / (w[j] - w[i])`` off the diagonal, 0 on it (JAX's ``Fmat``)."""
    n = _shape(w)[-1]
    eye = _eye(n, _dtype(w))
    return ew.sub(ew.integer_pow(ew.add(eye, ew.sub(_row(w), _col(w))), -1), eye)


def _eigh_jvp(primals, tangents, ans, *, lower):
    (da,) = tangents
    if da is None:
        return [None, None]
    v, w = ans
    vt_da_v = _mm(_mm(_mT(v), da), v)
    dv = _mm(v, ew.mul(_eigh_inverse_gaps(w), vt_da_v))
    dw = _diag_part(vt_da_v)
    return [dv, dw]


def _eigh_vjp(g, ans, args, needs, *, lower):
    gv, gw = g
    if not needs[0] or (gv is None and gw is None):
        return [None]
    v, w = ans
    inner = None if gw is None else _diag_matrix(gw)
    if gv is not None:
        inner = _add(inner, ew.mul(_eigh_inverse_gaps(w), _mm(_mT(v), gv)))
    return [_mm(_mm(v, inner), _mT(v))]


def _eigh_lower(x, *, lower):
    v, w = lax.linalg.eigh(x, lower=lower, symmetrize_input=False)
    return [v, w]


eigh_p.impl = _eigh_impl
eigh_p.abstract_eval = _eigh_aval
eigh_p.jvp = _eigh_jvp
eigh_p.vjp = _eigh_vjp
eigh_p.batch = lambda args, dims, **params: _batch_front(eigh_p, args, dims, **params)
eigh_p.lower = _eigh_lower


# ===================================================================== svd

svd_p = Primitive("svd", multiple_results=True)


def svd(x, full_matrices: bool = True, compute_uv: bool = True) -> list:
    """Singular value decomposition of matrices ``(..., m, n)``: ``[s, u, vt]`` with
    ``x = u @ diag(s) @ vt`` and ``s`` descending (``[s]`` when ``compute_uv`` is false).
    With ``full_matrices`` ``u`` is ``(m, m)`` and ``vt`` ``(n, n)``, else ``(m, k)`` and
    ``(k, n)``, ``k = min(m, n)``.  (``jax.lax.linalg.svd`` returns ``(u, s, vt)``.)

    >>> import numpy as np
    >>> svd(np.array([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False)
    [array([4., 3.])]
    """
    check_matrix("svd", _aval(x))
    return bind(svd_p, x, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))


def _svd_aval(a, *, full_matrices, compute_uv):
    check_matrix("svd", a)
    *batch, m, n = a.shape
    batch = tuple(batch)
    k = min(m, n)
    s = ShapedArray(batch + (k,), a.dtype)
    if not compute_uv:
        return [s]
    ku, kv = (m, n) if full_matrices else (k, k)
    return [s, ShapedArray(batch + (m, ku), a.dtype), ShapedArray(batch + (kv, n), a.dtype)]


def _svd_impl(x, *, full_matrices, compute_uv):
    x = np.asarray(x)
    try:
        outs = _np_svd(x, full_matrices, compute_uv)
    except np.linalg.LinAlgError:  # no convergence (NaN input): NaN there, as XLA gives
        outs = _svd_each(x, full_matrices, compute_uv)
    return [a.astype(x.dtype, copy=False) for a in outs]


def _np_svd(x, full_matrices, compute_uv):
    if not compute_uv:
        return [np.linalg.svd(x, compute_uv=False)]
    u, s, vt = np.linalg.svd(x, full_matrices=full_matrices)
    return [s, u, vt]


def _svd_each(x, full_matrices, compute_uv):
    avals = _svd_aval(ShapedArray(x.shape, x.dtype), full_matrices=full_matrices,
                      compute_uv=compute_uv)
    outs = [np.full(a.shape, np.nan, x.dtype) for a in avals]
    for idx in np.ndindex(*x.shape[:-2]):
        try:
            for o, r in zip(outs, _np_svd(x[idx], full_matrices, compute_uv)):
                o[idx] = r
        except np.linalg.LinAlgError:
            pass
    return outs


def _full_uv_error(shape) -> NotImplementedError:
    return NotImplementedError(
        f"svd: the derivative of the singular vectors with full_matrices=True is not "
        f"implemented for a non-square matrix (shape {tuple(shape)}), as in JAX; pass "
        "full_matrices=False (the extra columns are not unique), or use "
        "fnp.linalg.svdvals / compute_uv=False for the singular values alone.")


def _reduced_svd(a, ans, full_matrices, compute_uv):
    """``s, u, vt`` of the reduced SVD of ``a`` (from ``ans`` when it holds them)."""
    m, n = _shape(a)[-2:]
    if not compute_uv:
        return svd(a, full_matrices=False, compute_uv=True)
    s, u, vt = ans
    if full_matrices and m != n:
        k = min(m, n)
        u = _slice_last2(u, (0, m), (0, k))
        vt = _slice_last2(vt, (0, k), (0, n))
    return s, u, vt


def _svd_gaps(s):
    """JAX's ``F[i, j] = 1 / (s[j]^2 - s[i]^2)`` off the diagonal, 0 on it."""
    k = _shape(s)[-1]
    eye = _eye(k, _dtype(s))
    r, c = _row(s), _col(s)
    diffs = ew.mul(ew.add(r, c), ew.sub(r, c))
    return ew.sub(ew.div(np.ones((), _dtype(s)), ew.add(diffs, eye)), eye)


def _svd_jvp(primals, tangents, ans, *, full_matrices, compute_uv):
    (a,), (da,) = primals, tangents
    if da is None:
        return [None] * len(ans)
    m, n = _shape(a)[-2:]
    if compute_uv and full_matrices and m != n:
        raise _full_uv_error(_shape(a))
    s, u, vt = _reduced_svd(a, ans, full_matrices, compute_uv)
    v = _mT(vt)
    ds_mat = _mm(_mm(_mT(u), da), v)
    ds = _diag_part(ds_mat)
    if not compute_uv:
        return [ds]
    f = _svd_gaps(s)
    s_row, s_col = _row(s), _col(s)
    dss = ew.mul(s_row, ds_mat)  # dS @ diag(s)
    sds = ew.mul(s_col, ds_mat)  # diag(s) @ dS
    # JAX's 0.5 (dS - dS^H) diag(1/s) term vanishes for real matrices (its diagonal is 0)
    du = _mm(u, ew.mul(f, ew.add(dss, _mT(dss))))
    dv = _mm(v, ew.mul(f, ew.add(sds, _mT(sds))))
    if m > n:
        dav = _mm(da, v)
        du = ew.add(du, ew.div(ew.sub(dav, _mm(u, _mm(_mT(u), dav))), s_row))
    if n > m:
        dahu = _mm(_mT(da), u)
        dv = ew.add(dv, ew.div(ew.sub(dahu, _mm(v, _mm(vt, dahu))), s_row))
    return [ds, du, _mT(dv)]


def _svd_vjp(g, ans, args, needs, *, full_matrices, compute_uv):
    """The transpose of ``_svd_jvp``: ``A_bar = U dS_bar V^T`` plus, for non-square
    matrices, the parts of the vectors' cotangents outside the spans of ``U``/``V``."""
    (a,) = args
    gs, gu, gvt = (list(g) + [None, None])[:3]
    if not needs[0] or (gs is None and gu is None and gvt is None):
        return [None]
    m, n = _shape(a)[-2:]
    if full_matrices and m != n and (gu is not None or gvt is not None):
        raise _full_uv_error(_shape(a))
    s, u, vt = _reduced_svd(a, ans, full_matrices, compute_uv)
    k = min(m, n)
    ds_bar = None if gs is None else _diag_matrix(gs)
    s_row, s_col = _row(s), _col(s)
    if gu is not None or gvt is not None:
        f = _svd_gaps(s)
    if gu is not None:
        x = ew.mul(f, _mm(_mT(u), gu))
        ds_bar = _add(ds_bar, ew.mul(ew.add(x, _mT(x)), s_row))
    if gvt is not None:
        gv = _mT(gvt)
        y = ew.mul(f, _mm(vt, gv))
        ds_bar = _add(ds_bar, ew.mul(s_col, ew.add(y, _mT(y))))
    if ds_bar is None:
        ds_bar = np.zeros(_shape(a)[:-2] + (k, k), _dtype(a))
    ct = _mm(_mm(u, ds_bar), vt)
    if m > n and gu is not None:
        gus = ew.div(gu, s_row)
        ct = ew.add(ct, _mm(ew.sub(gus, _mm(u, _mm(_mT(u), gus))), vt))
    if n > m and gvt is not None:
        gvs = ew.div(gv, s_row)
        ct = ew.add(ct, _mm(u, _mT(ew.sub(gvs, _mm(_mT(vt), _mm(vt, gvs))))))
    return [ct]


def _svd_lower(x, *, full_matrices, compute_uv):
    if not compute_uv:
        return [lax.linalg.svd(x, full_matrices=False, compute_uv=False)]
    u, s, vt = lax.linalg.svd(x, full_matrices=full_matrices, compute_uv=True)
    return [s, u, vt]


svd_p.impl = _svd_impl
svd_p.abstract_eval = _svd_aval
svd_p.jvp = _svd_jvp
svd_p.vjp = _svd_vjp
svd_p.batch = lambda args, dims, **params: _batch_front(svd_p, args, dims, **params)
svd_p.lower = _svd_lower


# ===================================================================== qr

qr_p = Primitive("qr", multiple_results=True)


def qr(x, full_matrices: bool = True) -> list:
    """QR decomposition of matrices ``(..., m, n)``: ``[q, r]`` with ``x = q @ r``,
    orthonormal columns in ``q`` and ``r`` upper triangular; ``q`` is ``(m, m)`` with
    ``full_matrices`` else ``(m, k)``, ``k = min(m, n)`` (``jax.lax.linalg.qr``).

    >>> import numpy as np
    >>> q, r = qr(np.array([[3.0], [4.0]]), full_matrices=False)
    >>> np.abs(r)
    array([[5.]])
    """
    check_matrix("qr", _aval(x))
    return bind(qr_p, x, full_matrices=bool(full_matrices))


def _qr_aval(a, *, full_matrices):
    check_matrix("qr", a)
    *batch, m, n = a.shape
    batch = tuple(batch)
    k = m if full_matrices else min(m, n)
    return [ShapedArray(batch + (m, k), a.dtype), ShapedArray(batch + (k, n), a.dtype)]


def _qr_impl(x, *, full_matrices):
    x = np.asarray(x)
    q, r = np.linalg.qr(x, mode="complete" if full_matrices else "reduced")
    return [q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)]


def _thin_qr_jvp(q, r, dx):
    """JAX's JVP of ``x = q r`` for ``m >= n`` (j-towns.github.io/papers/qr-derivative.pdf)."""
    dx_rinv = triangular_solve(r, dx, left_side=False, lower=False)  # dx @ r^{-1}
    qt_dx_rinv = _mm(_mT(q), dx_rinv)
    n = _shape(r)[-1]
    lower_part = ew.mul(qt_dx_rinv, np.tril(np.ones((n, n), _dtype(r)), -1))
    do = ew.sub(lower_part, _mT(lower_part))  # skew-symmetric
    dq = ew.add(_mm(q, ew.sub(do, qt_dx_rinv)), dx_rinv)
    dr = _mm(ew.sub(qt_dx_rinv, do), r)
    return dq, dr


def _qr_jvp(primals, tangents, ans, *, full_matrices):
    (x,), (dx,) = primals, tangents
    if dx is None:
        return [None, None]
    q, r = ans
    m, n = _shape(x)[-2:]
    if m < n:  # wide: x = q [r1 r2], with x1 = q r1 square and r2 = q^T x2
        x2 = _slice_last2(x, (0, m), (m, n))
        dx1 = _slice_last2(dx, (0, m), (0, m))
        dx2 = _slice_last2(dx, (0, m), (m, n))
        r1 = _slice_last2(r, (0, m), (0, m))
        dq, dr1 = _thin_qr_jvp(q, r1, dx1)
        dr2 = ew.add(_mm(_mT(dq), x2), _mm(_mT(q), dx2))
        return [dq, concatenate([dr1, dr2], len(_shape(dr1)) - 1)]
    if full_matrices and m > n:
        raise NotImplementedError(
            f"qr: the derivative with full_matrices=True (mode='complete') of a tall matrix "
            f"(shape {tuple(_shape(x))}) is not implemented; use mode='reduced' "
            "(full_matrices=False), whose Q and R are the ones determined by the matrix.")
    return list(_thin_qr_jvp(q, r, dx))


def _qr_vjp(g, ans, args, needs, *, full_matrices):
    """The transpose of ``_qr_jvp`` (the linear map ``dx -> (dq, dr)``)."""
    (x,) = args
    gq, gr = g
    if not needs[0] or (gq is None and gr is None):
        return [None]
    q, r = ans
    m, n = _shape(x)[-2:]
    if full_matrices and m > n:
        raise NotImplementedError(
            f"qr: the derivative with full_matrices=True (mode='complete') of a tall matrix "
            f"(shape {tuple(_shape(x))}) is not implemented; use mode='reduced' "
            "(full_matrices=False), whose Q and R are the ones determined by the matrix.")
    if m < n:
        r1 = _slice_last2(r, (0, m), (0, m))
        x2 = _slice_last2(x, (0, m), (m, n))
        gr1 = None if gr is None else _slice_last2(gr, (0, m), (0, m))
        gr2 = None if gr is None else _slice_last2(gr, (0, m), (m, n))
        # dr2 = dq^T x2 + q^T dx2
        if gr2 is not None:
            gq = _add(gq, _mm(x2, _mT(gr2)))
        gx1 = _thin_qr_vjp(q, r1, gq, gr1)
        gx2 = _mm(q, gr2) if gr2 is not None else np.zeros(_shape(x2), _dtype(x))
        return [concatenate([gx1, gx2], len(_shape(x)) - 1)]
    return [_thin_qr_vjp(q, r, gq, gr)]


def _thin_qr_vjp(q, r, gq, gr):
    """Transpose of ``_thin_qr_jvp``.  With ``C = q^T dx r^{-1}``, ``L = tril(C, -1)``,
    ``do = L - L^T``: ``dq = q (do - C) + dx r^{-1}``, ``dr = (C - do) r``."""
    n = _shape(r)[-1]
    dt = _dtype(r)
    # cotangents of do, C and of the direct term  P = dx r^{-1}
    g_do = None
    g_c = None
    g_p = None
    if gq is not None:
        qt_gq = _mm(_mT(q), gq)
        g_do = qt_gq
        g_c = ew.neg(qt_gq)
        g_p = gq
    if gr is not None:
        gr_rt = _mm(gr, _mT(r))
        g_c = _add(g_c, gr_rt)
        g_do = _add(g_do, ew.neg(gr_rt))
    # do = L - L^T, L = tril(C, -1): C_bar += tril(do_bar - do_bar^T, -1)
    strict = np.tril(np.ones((n, n), dt), -1)
    g_c = _add(g_c, ew.mul(ew.sub(g_do, _mT(g_do)), strict))
    # C = q^T P: P_bar += q C_bar
    g_p = _add(g_p, _mm(q, g_c))
    # P = dx r^{-1} (x r = dx): dx_bar = P_bar r^{-T}
    return triangular_solve(r, g_p, left_side=False, lower=False, transpose_a=True)


def _qr_lower(x, *, full_matrices):
    q, r = lax.linalg.qr(x, full_matrices=full_matrices)
    return [q, r]


qr_p.impl = _qr_impl
qr_p.abstract_eval = _qr_aval
qr_p.jvp = _qr_jvp
qr_p.vjp = _qr_vjp
qr_p.batch = lambda args, dims, **params: _batch_front(qr_p, args, dims, **params)
qr_p.lower = _qr_lower
