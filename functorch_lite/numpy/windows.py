"""1-D convolution and correlation: ``convolve`` and ``correlate``, as ``jax.numpy``.

Both are one ``conv_general_dilated`` (the convolution primitive of ``fl.lax``) of the
signal, zero-padded for ``mode``, with the kernel: its rules give gradients in the signal
and in the kernel, ``vmap`` (per-example convolution), and under ``jit`` XLA's own
convolution.
"""
from __future__ import annotations

from typing import Any


from ..core import Tracer, dtypes
from ..ops import shapes as sh
from ..ops.convolution import ConvDimensionNumbers, conv_general_dilated
from ..ops.rules import _shape
from .promotion import _canon_array, cast, dtype_weak, unweak

__all__ = ["convolve", "correlate"]

_MODES = ("full", "same", "valid")


def _operands(a, v, where: str, preferred_element_type):
    xs = [a if isinstance(a, Tracer) else _canon_array(a),
          v if isinstance(v, Tracer) else _canon_array(v)]
    shapes = [_shape(x) for x in xs]
    if any(len(s) != 1 for s in shapes):
        raise ValueError(f"{where}: a and v must be 1-D, got shapes {shapes[0]} and "
                         f"{shapes[1]}; use fnp.vmap for a batch of signals.")
    if 0 in (shapes[0][0], shapes[1][0]):
        raise ValueError(f"{where}: inputs cannot be empty, got shapes {shapes[0]} and "
                         f"{shapes[1]}")
    dt = dtypes.result_type(*(dtype_weak(x) for x in xs))[0]
    if preferred_element_type is None:
        dt = dtypes.float_of(dt)  # NumPy's (and JAX's) convolutions are inexact
    return [unweak(cast(x, dt)) for x in xs]


def _correlate_valid_padded(x, w, mode: str, where: str):
    """``out[k] = sum_j xpad[k + j] * w[j]`` with ``x`` padded for ``mode``."""
    if mode not in _MODES:
        raise ValueError(f"{where}: mode must be one of {list(_MODES)}, got {mode!r}")
    m = _shape(w)[0]
    lo, hi = {"valid": (0, 0), "same": (m // 2, m - m // 2 - 1),
              "full": (m - 1, m - 1)}[mode]
    out = conv_general_dilated(sh.reshape(x, (1, 1, _shape(x)[0])), sh.reshape(w, (1, 1, m)),
                               (1,), ((lo, hi),), (1,), (1,), _NCW)
    return sh.reshape(out, (_shape(out)[2],))


_NCW = ConvDimensionNumbers((0, 1, 2), (0, 1, 2), (0, 1, 2))  # (batch, channel, width)


def _finish(out, preferred_element_type):
    if preferred_element_type is not None:
        from ..ops import elementwise as ew
        from .creation import canonical_dtype
        dt = canonical_dtype(preferred_element_type, "convolve")
        if out.dtype != dt:
            out = ew.convert_element_type(out, dt)
    return out


def convolve(a: Any, v: Any, mode: str = "full", *, precision: Any = None,
             preferred_element_type: Any = None) -> Any:
    """The discrete linear convolution of the 1-D ``a`` and ``v`` (``mode`` ``"full"``,
    ``"same"`` or ``"valid"``, as ``jnp.convolve``); ints are computed as float32.
    Differentiable in both arguments; ``vmap`` it for a batch.

    >>> convolve([1.0, 2.0, 3.0], [0.0, 1.0, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5], dtype=float32)
    >>> convolve([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="same")
    array([1. , 2.5, 4. ], dtype=float32)
    """
    x, y = _operands(a, v, "convolve", preferred_element_type)
    if _shape(x)[0] < _shape(y)[0]:
        x, y = y, x
    out = _correlate_valid_padded(x, sh.rev(y, (0,)), mode, "convolve")
    return _finish(out, preferred_element_type)


def correlate(a: Any, v: Any, mode: str = "valid", *, precision: Any = None,
              preferred_element_type: Any = None) -> Any:
    """The cross-correlation ``c[k] = sum_n a[n + k] * v[n]`` of the 1-D ``a`` and ``v``
    (``mode`` ``"valid"`` by default, ``"same"`` or ``"full"``, as ``jnp.correlate``).

    >>> correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5])
    array([3.5], dtype=float32)
    >>> correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="full")
    array([0.5, 2. , 3.5, 3. , 0. ], dtype=float32)
    """
    x, y = _operands(a, v, "correlate", preferred_element_type)
    flip = _shape(x)[0] < _shape(y)[0]
    if flip:
        x, y = y, x
    out = _correlate_valid_padded(x, y, mode, "correlate")
    if flip:
        out = sh.rev(out, (0,))
    return _finish(out, preferred_element_type)
