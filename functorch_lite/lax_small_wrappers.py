"""Small ``jax.lax`` functions built from existing primitives: ``reciprocal``, ``split``,
``tile``, and the wrappers of the log-gamma primitives ``lgamma`` and ``digamma``
(``ops/gamma.py``), checked as ``jax.lax`` checks them.
"""
from __future__ import annotations

import operator
from typing import Any
from collections.abc import Sequence

import numpy as np

from .core import Tracer, aval_of
from .lax_elementwise import _FLOAT_FIX, _check_kind, _operand, integer_pow
from .ops import gamma as _gamma
from .ops import shapes as _sh

__all__ = ["reciprocal", "split", "tile", "lgamma", "digamma"]


def reciprocal(x: Any) -> Any:
    """``1 / x`` elementwise, as ``jax.lax.reciprocal`` (``integer_pow(x, -1)``, so
    integer arrays are rejected as in JAX).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.reciprocal(np.array([2.0, -4.0], np.float32))
    array([ 0.5 , -0.25], dtype=float32)
    """
    return integer_pow(x, -1)


def lgamma(x: Any) -> Any:
    """``log|Gamma(x)|`` elementwise, as ``jax.lax.lgamma`` (floating-point arrays; the
    derivative is ``digamma``).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.lgamma(np.array([0.5, 3.0], np.float32))
    array([0.5723649, 0.6931472], dtype=float32)
    """
    x = _operand(x)
    _check_kind("lgamma", "x", x, "f", "a floating-point array", _FLOAT_FIX)
    return _gamma.lgamma(x)


def digamma(x: Any) -> Any:
    """The digamma function ``d/dx lgamma(x)`` elementwise, as ``jax.lax.digamma``
    (NaN at 0, -1, -2, ...; the derivative is ``polygamma(1, x)``).

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.digamma(np.array([1.0, 0.0], np.float32))
    array([-0.5772157,        nan], dtype=float32)
    """
    x = _operand(x)
    _check_kind("digamma", "x", x, "f", "a floating-point array", _FLOAT_FIX)
    return _gamma.digamma(x)


def _static_ints(name: str, what: str, v: Any) -> tuple:
    try:
        if isinstance(v, (Tracer, str)):
            raise TypeError
        out = tuple(operator.index(k) for k in v)
    except TypeError:
        raise TypeError(f"{name}: {what} must be a sequence of Python ints, got "
                        f"{v!r:.60}") from None
    if any(k < 0 for k in out):
        raise ValueError(f"{name}: {what} must be non-negative, got {out}")
    return out


def split(operand: Any, sizes: Sequence[int], axis: int = 0) -> list:
    """``operand`` cut along ``axis`` into consecutive pieces of the given ``sizes``
    (which sum to that axis' length), as ``jax.lax.split``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.split(np.arange(6.0, dtype=np.float32), [2, 4])
    [array([0., 1.], dtype=float32), array([2., 3., 4., 5.], dtype=float32)]
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    sizes = _static_ints("split", "sizes", sizes)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"split: axis must be an int, got {axis!r:.40}")
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"split: axis {axis} is out of bounds for an operand of shape "
                         f"{shape}")
    ax = int(axis) % len(shape)
    if sum(sizes) != shape[ax]:
        raise ValueError(f"split: sum of sizes {sum(sizes)} must be equal to dimension {ax} "
                         f"of the operand shape {list(shape)} (sizes {list(sizes)}).")
    out, start = [], 0
    for n in sizes:
        out.append(_sh.slice_in_dim(x, start, start + n, 1, ax))
        start += n
    return out


def tile(operand: Any, reps: Sequence[int]) -> Any:
    """``operand`` repeated ``reps[i]`` times along each axis ``i`` (one rep per axis),
    as ``jax.lax.tile``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.tile(np.array([[1, 2], [3, 4]], np.int32), (2, 3))
    array([[1, 2, 1, 2, 1, 2],
           [3, 4, 3, 4, 3, 4],
           [1, 2, 1, 2, 1, 2],
           [3, 4, 3, 4, 3, 4]], dtype=int32)
    """
    x = _operand(operand)
    shape = tuple(aval_of(x).shape)
    reps = _static_ints("tile", "reps", reps)
    if len(reps) != len(shape):
        raise TypeError(f"tile: reps length must be equal to the ndim of x, got "
                        f"len(reps)={len(reps)} and x.ndim={len(shape)}.")
    # broadcast to (r0, d0, r1, d1, ...), then merge each (r_i, d_i) pair
    big = tuple(k for r, d in zip(reps, shape) for k in (r, d))
    b = _sh.broadcast_in_dim(x, big, tuple(range(1, 2 * len(shape), 2)))
    return _sh.reshape(b, tuple(r * d for r, d in zip(reps, shape)))
