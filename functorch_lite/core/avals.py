"""Abstract values: what a tracer knows about an array (shape, dtype, weak type)."""
from __future__ import annotations

import numpy as np

from . import dtypes


class ShapedArray:
    """The abstract value of an array: shape, dtype and JAX's weak-type bit.

    >>> ShapedArray((2, 3), np.float32)
    ShapedArray(f32[2,3])
    """

    __slots__ = ("shape", "dtype", "weak_type")

    def __init__(self, shape: tuple, dtype, weak_type: bool = False):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def str_short(self) -> str:
        return f"{dtypes.short_name(self.dtype)}[{','.join(map(str, self.shape))}]"

    def __repr__(self) -> str:
        w = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_short()}{w})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, ShapedArray) and self.shape == other.shape
                and self.dtype == other.dtype and self.weak_type == other.weak_type)

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.weak_type))

    @classmethod
    def make(cls, shape: tuple, dtype: np.dtype, weak_type: bool = False) -> ShapedArray:
        """Construct from a tuple ``shape`` and an ``np.dtype`` (no conversions: hot paths)."""
        a = object.__new__(cls)
        a.shape = shape
        a.dtype = dtype
        a.weak_type = weak_type
        return a

    def strip_weak(self) -> ShapedArray:
        return ShapedArray(self.shape, self.dtype, False) if self.weak_type else self

    def update(self, shape=None, dtype=None, weak_type=None) -> ShapedArray:
        return ShapedArray(self.shape if shape is None else shape,
                           self.dtype if dtype is None else dtype,
                           self.weak_type if weak_type is None else weak_type)


_SUPPORTED = frozenset(dtypes.SUPPORTED)


class Weak:
    """A scalar already converted to its promoted dtype that keeps JAX's weak type
    (what a Python scalar operand becomes inside ``x * 2.0`` while tracing)."""

    __slots__ = ("val", "literal")

    def __init__(self, val):
        self.val = val
        self.literal = None  # its IR Literal, made once (tracing.Trace.to_atom)


_WEAK_CACHE: dict = {}


def weak_scalar(dtype: np.dtype, x: float) -> Weak:
    """The Weak of Python float ``x`` as ``dtype``, shared between uses (a loss says
    ``1.0 +`` and ``0.5 *`` on every call; their literals need making only once)."""
    key = (dtype, x)
    w = _WEAK_CACHE.get(key)
    if w is None:
        w = Weak(dtype.type(x))
        if x and x == x:  # not NaN (never matches a key), not 0.0 (equals -0.0)
            if len(_WEAK_CACHE) > 1024:
                _WEAK_CACHE.clear()
            _WEAK_CACHE[key] = w
    return w


def aval_of_value(x) -> ShapedArray:
    """Abstract value of a concrete (non-tracer) value, with JAX's weak typing."""
    t = type(x)
    if t is np.ndarray:
        dt = x.dtype
        if dt in _SUPPORTED or dt == dtypes.float0:  # float0: the tangent of an integer
            return ShapedArray.make(x.shape, dt)
        return ShapedArray.make(x.shape, dtypes.check_supported(dt))
    if t is Weak:
        return ShapedArray.make((), x.val.dtype, True)
    if isinstance(x, np.ndarray):
        return ShapedArray(x.shape, dtypes.check_supported(x.dtype), False)
    if isinstance(x, np.generic):  # before the Python types: np.float64 subclasses float
        return ShapedArray((), dtypes.check_supported(x.dtype), False)
    if isinstance(x, (bool, int, float)):
        return ShapedArray((), dtypes.python_scalar_dtype(x), not isinstance(x, bool))
    if hasattr(x, "shape") and hasattr(x, "dtype"):  # jax.Array and friends
        return ShapedArray(tuple(x.shape), dtypes.check_supported(x.dtype),
                           bool(getattr(x, "weak_type", False)))
    raise TypeError(f"{type(x).__name__} {x!r:.60} is not a valid array value for "
                    "functorch_lite; pass a numpy array, jax.Array, Python scalar or list "
                    "(use fnp.asarray to convert).")
