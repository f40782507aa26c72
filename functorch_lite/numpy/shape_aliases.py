"""The Array API standard's names for shape functions: ``concat``, ``permute_dims`` and
``matrix_transpose``, as ``jax.numpy`` has them (thin wrappers over ``shapes``)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import Tracer
from .shapes import concatenate, transpose

__all__ = ["concat", "permute_dims", "matrix_transpose"]


def concat(arrays: Sequence[Any], /, *, axis: int | None = 0) -> Any:
    """Join arrays along an existing axis (flattened first when ``axis`` is None); the
    Array API name of :func:`concatenate`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.concat([fnp.zeros((1, 2)), fnp.ones((1, 2))], axis=1)
    array([[0., 0., 1., 1.]], dtype=float32)
    """
    return concatenate(arrays, axis=axis)


def permute_dims(a: Any, /, axes: Sequence[int]) -> Any:
    """Permute the axes of ``a`` (``axes`` is required); the Array API name of
    :func:`transpose`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.permute_dims(fnp.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    """
    return transpose(a, axes)


def matrix_transpose(x: Any, /) -> Any:
    """Swap the last two axes of an array of matrices (``x.mT``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.matrix_transpose(fnp.zeros((5, 2, 3))).shape
    (5, 3, 2)
    """
    nd = x.aval.ndim if isinstance(x, Tracer) else np.ndim(x)
    if nd < 2:
        raise ValueError(f"fnp.matrix_transpose: x must be at least two-dimensional, got "
                         f"ndim={nd}; use fnp.transpose (or reshape x to (1, n)) for a vector.")
    return transpose(x, (*range(nd - 2), nd - 1, nd - 2))
