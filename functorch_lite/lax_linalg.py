"""``fl.lax.linalg``: the square-system primitives with ``jax.lax.linalg``'s signatures
(``cholesky``, ``triangular_solve``, ``lu``).  Unlike ``fnp.linalg`` they do not
promote integer inputs: pass float32 or float64 arrays.

>>> import functorch_lite as fl
>>> import numpy as np
>>> fl.lax.linalg.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
array([[2., 0.],
       [1., 2.]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .core import Tracer
from .ops import linalg_solve as _ls

__all__ = ["cholesky", "triangular_solve", "lu", "eigh", "svd", "qr"]


def _operand(x):
    return x if isinstance(x, Tracer) else np.asarray(x)


def cholesky(x: Any, *, symmetrize_input: bool = True) -> Any:
    """The lower Cholesky factor of each matrix ``x[..., :, :]``, as
    ``jax.lax.linalg.cholesky``: ``(x + x.T) / 2`` is factored when
    ``symmetrize_input`` (the default), else only the lower triangle of ``x`` is read.
    NaN where the matrix is not positive definite.

    >>> import functorch_lite as fl
    >>> fl.lax.linalg.cholesky(np.array([[1.0, 0.0], [0.0, 9.0]], np.float32))
    array([[1., 0.],
           [0., 3.]], dtype=float32)
    """
    x = _operand(x)
    if symmetrize_input:
        _ls._check_matrix("cholesky", "x", _ls._aval(x))
        x = (x + _ls._mT(x)) / 2
    return _ls.cholesky(x)


def triangular_solve(a: Any, b: Any, *, left_side: bool = False, lower: bool = False,
                     transpose_a: bool = False, conjugate_a: bool = False,
                     unit_diagonal: bool = False) -> Any:
    """Solve ``op(a) @ x == b`` (``left_side=True``) or ``x @ op(a) == b`` (the default)
    for triangular ``a``, as ``jax.lax.linalg.triangular_solve``: ``op(a)`` is ``a.T``
    when ``transpose_a``; only the ``lower`` (else upper) triangle of ``a`` is read and
    its diagonal is taken as ones with ``unit_diagonal``.  ``a`` is ``(..., m, m)`` and
    ``b`` ``(..., m, n)`` (left side) or ``(..., n, m)``, with equal batch dimensions.

    >>> import functorch_lite as fl
    >>> fl.lax.linalg.triangular_solve(np.array([[2.0, 1.0], [0.0, 4.0]]),
    ...                                np.array([[2.0, 9.0]]))
    array([[1., 2.]])
    """
    return _ls.triangular_solve(_operand(a), _operand(b), left_side=left_side, lower=lower,
                                transpose_a=transpose_a, conjugate_a=conjugate_a,
                                unit_diagonal=unit_diagonal)


def lu(x: Any) -> tuple[Any, Any, Any]:
    """LU decomposition with partial pivoting, as ``jax.lax.linalg.lu``: returns
    ``(lu, pivots, permutation)``; ``lu`` packs unit-lower ``L`` and upper ``U``,
    ``pivots`` are the int32 row swaps and ``permutation`` their result, so that
    ``x[..., permutation, :] == L @ U``.  Differentiable for square ``x``.

    >>> import functorch_lite as fl
    >>> lu_, pivots, perm = fl.lax.linalg.lu(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> lu_, pivots, perm
    (array([[2., 3.],
           [0., 1.]]), array([1, 1], dtype=int32), array([1, 0], dtype=int32))
    """
    return tuple(_ls.lu(_operand(x)))


# the decompositions (eigh, svd, qr) live in their own module
from .lax_linalg_decomp import eigh, qr, svd  # noqa: E402, F401

