"""``fl.lax``'s convolutions, with ``jax.lax``'s signatures and argument parsing.

Every function here ends in the one primitive ``conv_general_dilated``
(``ops/convolution.py``), so all of them differentiate (to any order), batch and jit.
``precision`` is accepted and passed on to XLA under ``fl.jit``; the NumPy evaluation
always computes in full precision (16-bit floats accumulate in float32).

>>> import functorch_lite as fl, numpy as np
>>> x = np.arange(5.0, dtype=np.float32).reshape(1, 1, 5)   # (batch, feature, width)
>>> fl.lax.conv(x, np.ones((1, 1, 2), np.float32), (1,), "VALID")
array([[[1., 3., 5., 7.]]], dtype=float32)
"""
from __future__ import annotations

import operator
from typing import Any
from collections.abc import Sequence

import jax.lax as _jlax
import numpy as np

from .core import aval_of
from .lax_elementwise import _operand
from .ops import convolution as _conv
from .ops import shapes as _sh

ConvDimensionNumbers = _jlax.ConvDimensionNumbers

_NAME = "conv_general_dilated"


def conv_dimension_numbers(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                           dimension_numbers: Any) -> ConvDimensionNumbers:
    """``dimension_numbers`` (``None``, a ``ConvDimensionNumbers`` or a triple of layout
    strings such as ``("NHWC", "HWIO", "NHWC")``) in canonical form, as
    ``jax.lax.conv_dimension_numbers``: for lhs and output ``(batch dim, feature dim,
    spatial dims...)``, for rhs ``(out-feature dim, in-feature dim, spatial dims...)``,
    spatial dims in the order they appear in the rhs string.

    >>> import functorch_lite as fl
    >>> fl.lax.conv_dimension_numbers((1, 5, 5, 3), (2, 2, 3, 8), ("NHWC", "HWIO", "NHWC"))
    ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))
    """
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        try:
            return ConvDimensionNumbers(*(tuple(operator.index(d) for d in spec)
                                          for spec in dimension_numbers))
        except TypeError:
            raise TypeError(f"{_NAME}: ConvDimensionNumbers must hold three tuples of ints, "
                            f"got {dimension_numbers!r:.120}.") from None
    try:
        return _jlax.conv_dimension_numbers(tuple(lhs_shape), tuple(rhs_shape),
                                            dimension_numbers)
    except TypeError as e:
        raise TypeError(f"{_NAME}: bad dimension_numbers {dimension_numbers!r:.80} for lhs "
                        f"shape {tuple(lhs_shape)} and rhs shape {tuple(rhs_shape)}: {e} "
                        "Pass None (NCH.../OIH...) or one string per operand, e.g. "
                        "('NHWC', 'HWIO', 'NHWC').") from None


def _ints(name: str, value: Any, n: int) -> tuple:
    try:
        out = tuple(operator.index(v) for v in value)
    except TypeError:
        out = None
    if out is None or len(out) != n:
        raise TypeError(f"{_NAME}: {name} must be a sequence of {n} ints (one per spatial "
                        f"dimension), got {value!r:.80}.")
    if any(v < 1 for v in out):
        raise ValueError(f"{_NAME}: {name} must hold positive ints, got {out}.")
    return out


def _pads_of(name: str, padding: str, in_shape: tuple, window: tuple,
             strides: tuple) -> tuple:
    """'VALID' / 'SAME' / 'SAME_LOWER' as (low, high) pairs (``jax.lax.padtype_to_pads``)."""
    kind = padding.upper()
    if kind == "VALID":
        return tuple((0, 0) for _ in in_shape)
    if kind not in ("SAME", "SAME_LOWER"):
        raise ValueError(f"{name}: padding must be 'VALID', 'SAME', 'SAME_LOWER' or a "
                         f"sequence of (low, high) int pairs, got {padding!r}.")
    pads = []
    for d, k, s in zip(in_shape, window, strides):
        total = max((-(-d // s) - 1) * s + k - d, 0)
        lo = total // 2 if kind == "SAME" else total - total // 2
        pads.append((lo, total - lo))
    return tuple(pads)


def conv_general_dilated(lhs: Any, rhs: Any, window_strides: Sequence[int],
                         padding: str | Sequence[tuple[int, int]],
                         lhs_dilation: Sequence[int] | None = None,
                         rhs_dilation: Sequence[int] | None = None,
                         dimension_numbers: Any = None, feature_group_count: int = 1,
                         batch_group_count: int = 1, precision: Any = None,
                         preferred_element_type: Any = None, out_sharding: Any = None) -> Any:
    """General N-d convolution with strides, padding, dilations, layouts and groups, as
    ``jax.lax.conv_general_dilated`` (a cross-correlation, as in deep learning).

    ``padding`` is ``'VALID'``, ``'SAME'``, ``'SAME_LOWER'`` or one ``(low, high)`` pair
    per spatial dimension; ``lhs_dilation`` > 1 is a transposed convolution (string
    padding is then an error, as in JAX); ``dimension_numbers`` defaults to
    ``('NC...', 'OI...', 'NC...')``.  ``out_sharding`` must be None (shard through
    ``fl.jit``'s sharding arguments instead).

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.ones((1, 4, 4, 2), np.float32)                 # NHWC
    >>> w = np.ones((3, 3, 2, 5), np.float32)                 # HWIO
    >>> y = fl.lax.conv_general_dilated(x, w, (1, 1), "SAME",
    ...                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
    >>> y.shape, y[0, :, :, 0]
    ((1, 4, 4, 5), array([[ 8., 12., 12.,  8.],
           [12., 18., 18., 12.],
           [12., 18., 18., 12.],
           [ 8., 12., 12.,  8.]], dtype=float32))
    """
    if out_sharding is not None:
        raise NotImplementedError(f"{_NAME}: out_sharding is not supported; pass shardings "
                                  "to fl.jit (in_shardings/out_shardings) instead.")
    lhs, rhs = _operand(lhs), _operand(rhs)
    la, ra = aval_of(lhs), aval_of(rhs)
    lshape, rshape = tuple(la.shape), tuple(ra.shape)
    if len(lshape) != len(rshape) or len(lshape) < 2:
        raise TypeError(f"{_NAME}: lhs and rhs must have the same rank >= 2 (batch and "
                        f"feature dimensions, then the spatial ones), got lhs {la.str_short()} "
                        f"and rhs {ra.str_short()}.")
    dn = conv_dimension_numbers(lshape, rshape, dimension_numbers)
    _conv.check_specs(dn, lshape, rshape)
    n = len(lshape) - 2
    strides = _ints("window_strides", window_strides, n)
    ldil = (1,) * n if lhs_dilation is None else _ints("lhs_dilation", lhs_dilation, n)
    rdil = (1,) * n if rhs_dilation is None else _ints("rhs_dilation", rhs_dilation, n)
    if isinstance(padding, str):
        if any(d != 1 for d in ldil):
            raise ValueError(f"{_NAME}: string padding {padding!r} is not implemented with "
                             f"lhs_dilation {ldil} (a transposed convolution); give explicit "
                             "(low, high) pairs or use fl.lax.conv_transpose.")
        window = tuple(_conv._dilate_dim(rshape[dn.rhs_spec[2 + k]], rdil[k]) for k in range(n))
        pads = _pads_of(_NAME, padding, tuple(lshape[dn.lhs_spec[2 + k]] for k in range(n)),
                        window, strides)
    else:
        try:
            pads = tuple((operator.index(lo), operator.index(hi)) for lo, hi in padding)
        except (TypeError, ValueError):
            raise ValueError(f"{_NAME}: padding must be 'VALID', 'SAME', 'SAME_LOWER' or a "
                             f"sequence of (low, high) int pairs, got {padding!r:.80}.") from None
        if len(pads) != n:
            raise TypeError(f"{_NAME}: padding {pads} needs one (low, high) pair per spatial "
                            f"dimension ({n}) of lhs {la.str_short()}.")
    groups = []
    for name, g in (("feature_group_count", feature_group_count),
                    ("batch_group_count", batch_group_count)):
        try:
            groups.append(operator.index(g))
        except TypeError:
            raise TypeError(f"{_NAME}: {name} must be a positive int, got {g!r:.40}.") from None
    pet = None if preferred_element_type is None else np.dtype(preferred_element_type)
    if isinstance(precision, list):
        precision = tuple(precision)
    return _conv.conv_general_dilated(lhs, rhs, strides, pads, ldil, rdil, dn, groups[0],
                                      groups[1], precision, pet)


def conv(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: str,
         precision: Any = None, preferred_element_type: Any = None) -> Any:
    """Convolution in the ``NC...``/``OI...`` layout, as ``jax.lax.conv``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.lax.conv(np.ones((1, 1, 3, 3), np.float32), np.ones((2, 1, 2, 2), np.float32),
    ...             (1, 1), "VALID").shape
    (1, 2, 2, 2)
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs: Any, rhs: Any, window_strides: Sequence[int],
                              padding: str | Sequence[tuple[int, int]],
                              lhs_dilation: Sequence[int] | None,
                              rhs_dilation: Sequence[int] | None, precision: Any = None,
                              preferred_element_type: Any = None) -> Any:
    """Convolution in the ``NC...``/``OI...`` layout with explicit padding and dilations,
    as ``jax.lax.conv_with_general_padding``.

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.array([[[1., 2., 3.]]], np.float32)
    >>> fl.lax.conv_with_general_padding(x, np.ones((1, 1, 2), np.float32), (1,), [(1, 1)],
    ...                                  None, None)
    array([[[1., 3., 5., 3.]]], dtype=float32)
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=lhs_dilation,
                                rhs_dilation=rhs_dilation, precision=precision,
                                preferred_element_type=preferred_element_type)


def _conv_transpose_padding(k: int, s: int, padding: Any) -> tuple:
    """Before/after padding of one dimension of a transposed convolution (JAX's rule)."""
    if padding == "SAME":
        pad_len = k + s - 2
        pad_a = k - 1 if s > k - 1 else int(np.ceil(pad_len / 2))
    elif padding == "VALID":
        pad_len = k + s - 2 + max(k - s, 0)
        pad_a = k - 1
    elif isinstance(padding, tuple):
        pads = tuple(k - p - 1 for p in padding)
        pad_a, pad_len = pads[0], sum(pads)
    else:
        raise ValueError(f"conv_transpose: invalid padding {padding!r}; use 'SAME', 'VALID' "
                         "or (low, high) pairs.")
    return pad_a, pad_len - pad_a


_TRANSPOSE_LAYOUTS = {2: ("NC", "IO", "NC"), 3: ("NHC", "HIO", "NHC"),
                      4: ("NHWC", "HWIO", "NHWC"), 5: ("NHWDC", "HWDIO", "NHWDC")}


def conv_transpose(lhs: Any, rhs: Any, strides: Sequence[int],
                   padding: str | Sequence[tuple[int, int]],
                   rhs_dilation: Sequence[int] | None = None, dimension_numbers: Any = None,
                   transpose_kernel: bool = False, precision: Any = None,
                   preferred_element_type: Any = None,
                   use_consistent_padding: bool = False) -> Any:
    """The N-d "transposed convolution" (a fractionally strided convolution), as
    ``jax.lax.conv_transpose``; the layout defaults to TensorFlow's (``NHWC``/``HWIO``).

    >>> import functorch_lite as fl, numpy as np
    >>> x = np.array([[[1.], [2.]]], np.float32)              # NHC: (1, 2, 1)
    >>> fl.lax.conv_transpose(x, np.ones((2, 1, 1), np.float32), (2,), "VALID")[0, :, 0]
    array([1., 1., 2., 2.], dtype=float32)
    """
    lhs, rhs = _operand(lhs), _operand(rhs)
    lshape, rshape = tuple(aval_of(lhs).shape), tuple(aval_of(rhs).shape)
    nd = len(lshape)
    if nd != len(rshape) or nd < 2:
        raise TypeError(f"conv_transpose: lhs and rhs must have the same rank >= 2, got "
                        f"shapes {lshape} and {rshape}.")
    if dimension_numbers is None:
        if nd not in _TRANSPOSE_LAYOUTS:
            raise ValueError(f"conv_transpose: no default dimension_numbers for rank {nd}; "
                             "pass dimension_numbers.")
        dimension_numbers = _TRANSPOSE_LAYOUTS[nd]
    dn = conv_dimension_numbers(lshape, rshape, dimension_numbers)
    _conv.check_specs(dn, lshape, rshape)
    k_sdims = tuple(rshape[d] for d in dn.rhs_spec[2:])
    n = nd - 2
    if rhs_dilation is None:
        rhs_dilation = (1,) * n
    strides = _ints("strides", strides, n)
    rdil = _ints("rhs_dilation", rhs_dilation, n)
    if use_consistent_padding or (isinstance(padding, str) and padding in {"SAME", "VALID"}):
        effective = [_conv._dilate_dim(k, r) for k, r in zip(k_sdims, rdil)]
        replicated = [padding] * n if isinstance(padding, str) else \
            [tuple(p) for p in padding]
        pads: Any = tuple(_conv_transpose_padding(k, s, p)
                          for k, s, p in zip(effective, strides, replicated))
    else:
        pads = padding
    if transpose_kernel:  # flip the window and swap the kernel's in/out features
        rhs = _sh.rev(rhs, tuple(dn.rhs_spec[2:]))
        perm = list(range(nd))
        o, i = dn.rhs_spec[0], dn.rhs_spec[1]
        perm[o], perm[i] = perm[i], perm[o]
        rhs = _sh.transpose(rhs, tuple(perm))
    return conv_general_dilated(lhs, rhs, (1,) * n, pads, strides, rdil, dn,
                                precision=precision,
                                preferred_element_type=preferred_element_type)
