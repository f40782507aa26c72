"""Dtypes and JAX's type-promotion lattice (with weak types).

Python scalars are *weakly typed*: ``float32_array * 2.0`` stays float32.  The
lattice below is JAX's; its least upper bound gives the result dtype of every
binary operation.  Defaults follow JAX without x64: a bare Python float is
float32 and a bare Python int is int32, but explicit 64-bit inputs stay 64-bit.
"""
from __future__ import annotations

import functools

import ml_dtypes
import numpy as np

bfloat16 = np.dtype(ml_dtypes.bfloat16)
float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
uint16 = np.dtype(np.uint16)
uint32 = np.dtype(np.uint32)
uint64 = np.dtype(np.uint64)
bool_ = np.dtype(np.bool_)
# JAX's dtype of tangents and cotangents of integer and bool values: it holds no data
float0 = np.dtype([("float0", np.void, 0)])

SUPPORTED = (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
             bfloat16, float16, float32, float64)
_SUPPORTED_SET = frozenset(SUPPORTED)
FLOATS = frozenset((bfloat16, float16, float32, float64))
INTS = frozenset((int8, int16, int32, int64, uint8, uint16, uint32, uint64))

DEFAULT_FLOAT = float32
DEFAULT_INT = int32

SHORT_NAMES = {bool_: "bool", int8: "i8", int16: "i16", int32: "i32", int64: "i64",
               uint8: "u8", uint16: "u16", uint32: "u32", uint64: "u64",
               bfloat16: "bf16", float16: "f16", float32: "f32", float64: "f64",
               float0: "float0"}

# Nodes of the lattice: dtypes plus the two weak nodes 'i*' and 'f*'.
_UP = {
    bool_: ("i*",),
    "i*": (uint8, int8),
    uint8: (uint16, int16), uint16: (uint32, int32), uint32: (uint64, int64),
    uint64: ("f*",),
    int8: (int16,), int16: (int32,), int32: (int64,), int64: ("f*",),
    "f*": (bfloat16, float16),
    bfloat16: (float32,), float16: (float32,), float32: (float64,),
    float64: (),
}


def _ancestors(node) -> frozenset:
    seen = {node}
    stack = [node]
    while stack:
        for up in _UP[stack.pop()]:
            if up not in seen:
                seen.add(up)
                stack.append(up)
    return frozenset(seen)


_ANCESTORS = {n: _ancestors(n) for n in _UP}


def _node(dtype: np.dtype, weak: bool):
    if weak:
        if dtype in FLOATS:
            return "f*"
        if dtype in INTS:
            return "i*"
    return dtype


def is_float(dtype) -> bool:
    return np.dtype(dtype) in FLOATS


def is_int(dtype) -> bool:
    return np.dtype(dtype) in INTS


def check_supported(dtype, where: str = "array") -> np.dtype:
    """Return ``np.dtype(dtype)`` or raise a TypeError naming the dtype and the fix."""
    try:
        dt = np.dtype(dtype)
    except TypeError as e:
        raise TypeError(f"{where}: {dtype!r} is not a dtype functorch_lite understands; "
                        f"use one of {', '.join(str(d) for d in SUPPORTED)}.") from e
    if dt not in _SUPPORTED_SET:
        raise TypeError(f"{where}: dtype {dt} is not supported by functorch_lite "
                        f"(supported: {', '.join(str(d) for d in SUPPORTED)}); "
                        f"convert the input with .astype(...) first.")
    return dt


@functools.cache
def promote(dt1: np.dtype, weak1: bool, dt2: np.dtype, weak2: bool) -> tuple[np.dtype, bool]:
    """Least upper bound of two (dtype, weak) pairs in JAX's lattice."""
    n1, n2 = _node(dt1, weak1), _node(dt2, weak2)
    common = _ANCESTORS[n1] & _ANCESTORS[n2]
    # The least element of the common ancestors: the one all others are above.
    for c in common:
        if common <= _ANCESTORS[c]:
            if c == "f*":
                # a weak float meeting a weak float/int keeps the widest float seen
                wide = [d for d in (dt1, dt2) if d in FLOATS]
                return (max(wide, key=lambda d: d.itemsize) if wide else DEFAULT_FLOAT), True
            if c == "i*":
                wide = [d for d in (dt1, dt2) if d in INTS]
                return (max(wide, key=lambda d: d.itemsize) if wide else DEFAULT_INT), True
            return c, False
    raise TypeError(f"no common dtype for {dt1} and {dt2}")


def result_type(*pairs: tuple[np.dtype, bool]) -> tuple[np.dtype, bool]:
    dt, weak = pairs[0]
    for d2, w2 in pairs[1:]:
        dt, weak = promote(dt, weak, d2, w2)
    return dt, weak


def python_scalar_dtype(x) -> np.dtype:
    if isinstance(x, bool):
        return bool_
    if isinstance(x, int):
        return DEFAULT_INT
    if isinstance(x, float):
        return DEFAULT_FLOAT
    raise TypeError(f"unsupported Python scalar {x!r} of type {type(x).__name__}")


def default_dtype_of_array(arr: np.ndarray) -> np.dtype:
    """The dtype :func:`fnp.asarray` gives a NumPy array."""
    return check_supported(arr.dtype, "asarray")


def float_of(dtype: np.dtype) -> np.dtype:
    """The float dtype an op like ``mean`` or ``sin`` promotes an int/bool dtype to."""
    return dtype if dtype in FLOATS else DEFAULT_FLOAT


def short_name(dtype) -> str:
    return SHORT_NAMES.get(np.dtype(dtype), str(dtype))
