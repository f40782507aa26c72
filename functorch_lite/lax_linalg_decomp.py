"""``fl.lax.linalg``'s decompositions with ``jax.lax.linalg``'s signatures and return
orders: ``eigh -> (v, w)``, ``svd -> (u, s, vh)`` (or ``s``), ``qr -> (q, r)``.  Unlike
``fnp.linalg`` they do not promote integer inputs: pass float32 or float64 arrays.
Eigenvectors and singular vectors may differ in sign from jax's (see
``ops/linalg_decomp.py``).

>>> import functorch_lite as fl
>>> import numpy as np
>>> v, w = fl.lax.linalg.eigh(np.array([[2.0, 0.0], [0.0, 1.0]]))
>>> w
array([1., 2.])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .core import Tracer
from .ops import linalg_decomp as _decomp

__all__ = ["eigh", "svd", "qr"]


def _operand(x):
    return x if isinstance(x, Tracer) else np.asarray(x)


def eigh(x: Any, *, lower: bool = True, symmetrize_input: bool = True,
         sort_eigenvalues: bool = True, subset_by_index: tuple[int, int] | None = None,
         implementation: Any = None) -> tuple[Any, Any]:
    """Eigendecomposition of symmetric matrices ``(..., n, n)``, as
    ``jax.lax.linalg.eigh``: ``(v, w)`` with ``w`` ascending and ``v[..., :, i]`` the unit
    eigenvector of ``w[..., i]``.  ``(x + x.T) / 2`` is decomposed when
    ``symmetrize_input`` (the default), else only the ``lower`` (or upper) triangle is read.

    >>> import functorch_lite as fl
    >>> v, w = fl.lax.linalg.eigh(np.array([[0.0, 1.0], [1.0, 0.0]], np.float32))
    >>> w
    array([-1.,  1.], dtype=float32)
    """
    if subset_by_index is not None:
        raise NotImplementedError("eigh: subset_by_index is not supported; compute all "
                                  "eigenpairs and slice them.")
    x = _operand(x)  # (sort_eigenvalues=False allows any order; ascending is one)
    _decomp.check_matrix("eigh", _decomp._aval(x), square=True)
    if symmetrize_input:
        x = (x + _decomp._mT(x)) / 2
    v, w = _decomp.eigh(x, lower=lower)
    return v, w


def svd(x: Any, *, full_matrices: bool = True, compute_uv: bool = True,
        subset_by_index: tuple[int, int] | None = None, algorithm: Any = None) -> Any:
    """Singular value decomposition of matrices ``(..., m, n)``, as
    ``jax.lax.linalg.svd``: ``(u, s, vh)`` with ``s`` descending, or ``s`` alone when
    ``compute_uv`` is false.

    >>> import functorch_lite as fl
    >>> fl.lax.linalg.svd(np.array([[0.0, 2.0], [3.0, 0.0]]), compute_uv=False)
    array([3., 2.])
    """
    if subset_by_index is not None:
        raise NotImplementedError("svd: subset_by_index is not supported; compute the full "
                                  "SVD and slice it.")
    x = _operand(x)
    if not compute_uv:
        return _decomp.svd(x, full_matrices=False, compute_uv=False)[0]
    s, u, vh = _decomp.svd(x, full_matrices=full_matrices, compute_uv=True)
    return u, s, vh


def qr(x: Any, *, pivoting: bool = False, full_matrices: bool = True,
       use_magma: Any = None) -> tuple[Any, Any]:
    """QR decomposition of matrices ``(..., m, n)``, as ``jax.lax.linalg.qr``: ``(q, r)``
    with ``q`` ``(m, m)`` when ``full_matrices`` (the default) else ``(m, min(m, n))``.

    >>> import functorch_lite as fl
    >>> q, r = fl.lax.linalg.qr(np.array([[0.0], [2.0]]))
    >>> q.shape, np.abs(r)
    ((2, 2), array([[2.],
           [0.]]))
    """
    if pivoting:
        raise NotImplementedError("qr: pivoting=True is not supported; use pivoting=False.")
    x = _operand(x)
    q, r = _decomp.qr(x, full_matrices=full_matrices)
    return q, r
