"""Dtype utilities and type predicates: ``result_type``, ``promote_types``, ``can_cast``,
``finfo``, ``iinfo``, ``issubdtype``, ``isdtype``, ``isscalar``, ``isrealobj``,
``iscomplexobj``, ``isreal``, ``iscomplex``.

Promotion follows this library's lattice (``core.dtypes``, JAX's): Python scalars and the
Python types ``int``/``float`` are weakly typed, a bare Python float is float32 and a bare
int is int32, but explicit 64-bit dtypes stay 64-bit (JAX without x64 would shrink them).
There are no complex dtypes, so the complex predicates are False for every supported
input.
"""
from __future__ import annotations

from typing import Any

import jax
import ml_dtypes
import numpy as np

from ..core import Tracer, dtypes
from .creation import canonical_dtype
from .math import _args, _full_bool
from .promotion import dtype_weak

__all__ = ["result_type", "promote_types", "can_cast", "finfo", "iinfo", "issubdtype",
           "isdtype", "isscalar", "isrealobj", "iscomplexobj", "isreal", "iscomplex"]

DTypeLike = Any   # a np.dtype, a scalar type (fnp.float32), a name ('float32'), int/float/bool
ArrayLike = Any
Array = Any

_WEAK_TYPES = {int: dtypes.DEFAULT_INT, float: dtypes.DEFAULT_FLOAT}
_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def _is_dtype_like(x) -> bool:
    return isinstance(x, (str, np.dtype)) or (isinstance(x, type) and
                                              (issubclass(x, np.generic) or x in (int, float,
                                                                                  bool)))


def _dtype_of_spec(x, where: str, argname: str) -> tuple[np.dtype, bool]:
    """(dtype, weak) of a dtype specifier; the Python types int and float are weak."""
    if x is complex or (isinstance(x, type) and issubclass(x, np.complexfloating)):
        raise TypeError(f"fnp.{where}: {argname}={x!r} is complex; functorch_lite has no "
                        "complex dtypes.")
    if isinstance(x, type) and x in _WEAK_TYPES:
        return _WEAK_TYPES[x], True
    try:
        return dtypes.check_supported(canonical_dtype(x, f"fnp.{where}"), f"fnp.{where}"), False
    except TypeError as e:
        raise TypeError(f"fnp.{where}: {argname}={x!r} is not a supported dtype ({e}); pass "
                        "one of fnp.float32, fnp.int32, 'float16', ... (or an array, whose "
                        "dtype counts).") from None


def _dtype_weak_of(x, where: str, argname: str) -> tuple[np.dtype, bool]:
    """(dtype, weak) of an array, a Python/NumPy scalar or a dtype specifier."""
    if x is None:
        return dtypes.DEFAULT_FLOAT, False
    if _is_dtype_like(x) or x is complex:
        return _dtype_of_spec(x, where, argname)
    if iscomplexobj(x):
        raise TypeError(f"fnp.{where}: {argname} is complex; functorch_lite has no complex "
                        "dtypes.")
    try:
        return dtype_weak(x)
    except (TypeError, ValueError) as e:
        raise TypeError(f"fnp.{where}: cannot tell the dtype of {argname}={x!r:.60} ({e}); "
                        "pass an array, a scalar or a dtype.") from None


def result_type(*args: Any) -> np.dtype:
    """The dtype that an operation on ``args`` (arrays, scalars or dtypes) computes in,
    by JAX's promotion rules with weakly typed Python scalars.

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.result_type(np.ones(2, np.float16), 2.0), fnp.result_type(fnp.int8, fnp.uint8)
    (dtype('float16'), dtype('int16'))
    >>> fnp.result_type(1, 1.0), fnp.result_type(np.float64)   # float64 stays float64
    (dtype('float32'), dtype('float64'))
    """
    if not args:
        raise ValueError("fnp.result_type: at least one array or dtype is required, e.g. "
                         "fnp.result_type(x, y).")
    pairs = [_dtype_weak_of(a, "result_type", f"argument {i}") for i, a in enumerate(args)]
    return dtypes.result_type(*pairs)[0]


def promote_types(a: DTypeLike, b: DTypeLike) -> np.dtype:
    """The dtype two dtypes promote to (JAX's lattice: ``int8`` with ``uint8`` is
    ``int16``, an integer with a float is that float).  The Python types ``int`` and
    ``float`` are weak: they do not widen a strongly typed partner.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.promote_types(fnp.int8, fnp.uint8), fnp.promote_types(fnp.float16, int)
    (dtype('int16'), dtype('float16'))
    """
    pa = _spec_only(a, "a")
    pb = _spec_only(b, "b")
    return dtypes.promote(*pa, *pb)[0]


def _spec_only(x, argname: str) -> tuple[np.dtype, bool]:
    if not (_is_dtype_like(x) or x is complex):
        raise TypeError(f"fnp.promote_types: {argname}={x!r:.60} is not a dtype; pass a dtype "
                        "such as fnp.float32 (for arrays or scalars use fnp.result_type).")
    return _dtype_of_spec(x, "promote_types", argname)


def can_cast(from_: Any, to: DTypeLike, casting: str = "safe") -> bool:
    """Whether ``from_`` (a dtype or an array) casts to ``to`` under the rule ``casting``
    (``'no'``, ``'equiv'``, ``'safe'``, ``'same_kind'``, ``'unsafe'``), as NumPy's.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.can_cast(fnp.int8, fnp.float32), fnp.can_cast(fnp.float32, fnp.int32)
    (True, False)
    >>> fnp.can_cast(fnp.float32, fnp.int32, casting="unsafe")
    True
    """
    if casting not in _CASTINGS:
        raise ValueError(f"fnp.can_cast: casting={casting!r} must be one of {_CASTINGS}.")
    if isinstance(from_, (bool, int, float, complex)) and not isinstance(from_, np.generic):
        raise TypeError(f"fnp.can_cast: from_={from_!r} is a Python scalar, whose dtype depends "
                        "on what it meets (it is weakly typed); pass a dtype or an array "
                        "instead, e.g. fnp.can_cast(fnp.float32, to).")
    if _is_dtype_like(from_) or from_ is complex:
        src = _dtype_of_spec(from_, "can_cast", "from_")[0]
    else:
        src = _dtype_weak_of(from_, "can_cast", "from_")[0]
    dst = _dtype_of_spec(to, "can_cast", "to")[0]
    return bool(np.can_cast(src, dst, casting))


def _dtype_for_info(x, where: str) -> np.dtype:
    if isinstance(x, Tracer):
        return x.aval.dtype
    if _is_dtype_like(x) or x is complex:
        return _dtype_of_spec(x, where, where == "finfo" and "dtype" or "int_type")[0]
    if isinstance(x, (bool, int, float)) and not isinstance(x, np.generic):
        raise TypeError(f"fnp.{where}: got the Python scalar {x!r}; pass a dtype, e.g. "
                        f"fnp.{where}(fnp.{'float32' if where == 'finfo' else 'int32'}).")
    return _dtype_weak_of(x, where, "its argument")[0]


def finfo(dtype: DTypeLike) -> ml_dtypes.finfo:
    """Machine limits of a float dtype (``eps``, ``max``, ``tiny``, ``bits``, ...), the
    16-bit floats included; an array's dtype counts.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.finfo(fnp.float32).eps, fnp.finfo(fnp.bfloat16).bits
    (np.float32(1.1920929e-07), 16)
    """
    dt = _dtype_for_info(dtype, "finfo")
    if dt not in dtypes.FLOATS:
        raise ValueError(f"fnp.finfo: dtype {dt} is not a floating-point dtype; use "
                         f"fnp.iinfo({dt}) for integers.")
    return ml_dtypes.finfo(dt)


def iinfo(int_type: DTypeLike) -> ml_dtypes.iinfo:
    """Machine limits (``min``, ``max``, ``bits``) of an integer dtype; an array's dtype
    counts.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.iinfo(fnp.int8).min, fnp.iinfo(fnp.uint32).max
    (-128, 4294967295)
    """
    dt = _dtype_for_info(int_type, "iinfo")
    if dt not in dtypes.INTS:
        raise ValueError(f"fnp.iinfo: dtype {dt} is not an integer dtype; use "
                         f"fnp.finfo({dt}) for floats.")
    return ml_dtypes.iinfo(dt)


_ABSTRACT_FLOAT_PARENTS = (np.floating, np.inexact, np.number, np.generic)
# ml_dtypes' floats (bfloat16): floats for JAX, though their types are not np.floating's
_EXTRA_FLOAT_TYPES = frozenset(d.type for d in dtypes.FLOATS if not issubclass(d.type,
                                                                               np.floating))


def _scalar_type(x, argname: str) -> type:
    """``x`` as a NumPy scalar type: abstract classes (``fnp.floating``) stay as they are,
    anything ``np.dtype`` understands becomes its type (``float`` is float64, as NumPy's)."""
    if isinstance(x, type) and issubclass(x, np.generic):
        return x
    try:
        return np.dtype(x).type
    except TypeError:
        raise TypeError(f"fnp.issubdtype: {argname}={x!r:.60} is not a dtype or a scalar type; "
                        "pass e.g. x.dtype, fnp.float32 or fnp.floating.") from None


def issubdtype(arg1: DTypeLike, arg2: DTypeLike) -> bool:
    """Whether ``arg1`` is ``arg2`` or below it in NumPy's scalar type hierarchy
    (``fnp.floating``, ``fnp.integer``, ...); ``bfloat16`` counts as a float, as in JAX.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.issubdtype(fnp.float16, fnp.floating), fnp.issubdtype(fnp.bfloat16, fnp.inexact)
    (True, True)
    >>> fnp.issubdtype(fnp.int8, fnp.unsignedinteger)
    False
    """
    t1, t2 = _scalar_type(arg1, "arg1"), _scalar_type(arg2, "arg2")
    if t1 in _EXTRA_FLOAT_TYPES:
        return t2 in _ABSTRACT_FLOAT_PARENTS or t2 is t1
    return bool(np.issubdtype(t1, t2))


_KINDS = {
    "bool": lambda dt: dt == dtypes.bool_,
    "signed integer": lambda dt: dt in dtypes.INTS and dt.kind == "i",
    "unsigned integer": lambda dt: dt in dtypes.INTS and dt.kind == "u",
    "integral": lambda dt: dt in dtypes.INTS,
    "real floating": lambda dt: dt in dtypes.FLOATS,
    "complex floating": lambda dt: dt.kind == "c",
    "numeric": lambda dt: dt in dtypes.INTS or dt in dtypes.FLOATS or dt.kind == "c",
}


def isdtype(dtype: DTypeLike, kind: str | DTypeLike | tuple) -> bool:
    """The Array API's dtype test: ``kind`` is a dtype, one of ``'bool'``, ``'signed
    integer'``, ``'unsigned integer'``, ``'integral'``, ``'real floating'``, ``'complex
    floating'``, ``'numeric'``, or a tuple of these (any may match).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.isdtype(fnp.bfloat16, "real floating"), fnp.isdtype(fnp.bool_, "numeric")
    (True, False)
    >>> fnp.isdtype(fnp.uint8, ("signed integer", fnp.uint8))
    True
    """
    dt = _isdtype_dtype(dtype)
    for k in kind if isinstance(kind, tuple) else (kind,):
        if isinstance(k, str):
            if k not in _KINDS:
                raise ValueError(f"fnp.isdtype: unknown kind={k!r}; use a dtype or one of "
                                 f"{list(_KINDS)}.")
            if _KINDS[k](dt):
                return True
        elif dt == _isdtype_dtype(k, "kind"):
            return True
    return False


def _isdtype_dtype(x, argname: str = "dtype") -> np.dtype:
    if isinstance(x, Tracer):
        return x.aval.dtype
    try:
        return np.dtype(x)
    except TypeError:
        dt = getattr(x, "dtype", None)
        if isinstance(dt, np.dtype):
            return dt
        raise TypeError(f"fnp.isdtype: {argname}={x!r:.60} is not a dtype; pass e.g. x.dtype "
                        "or fnp.float32.") from None


# --------------------------------------------------------------------- type predicates


def isscalar(element: Any) -> bool:
    """Whether ``element`` is a scalar: a Python or NumPy scalar, or a 0-d array (also a
    traced one), as ``jax.numpy.isscalar`` (which, unlike NumPy, counts 0-d arrays).

    >>> import functorch_lite.numpy as fnp, numpy as np
    >>> fnp.isscalar(1.0), fnp.isscalar(np.array(2)), fnp.isscalar([1.0])
    (True, True, False)
    """
    if np.isscalar(element):
        return True
    if isinstance(element, Tracer):
        return element.aval.ndim == 0
    if isinstance(element, (np.ndarray, jax.Array)):
        return element.ndim == 0
    return False


def iscomplexobj(x: Any) -> bool:
    """Whether ``x`` is complex or has a complex dtype (never, for this library's arrays).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.iscomplexobj(1.0), fnp.iscomplexobj(1j), fnp.iscomplexobj(fnp.zeros(2))
    (False, True, False)
    """
    if isinstance(x, (complex, np.complexfloating)):
        return True
    if x is None or isinstance(x, (bool, int, float, str, np.generic)):
        return False
    if isinstance(x, Tracer):
        return x.aval.dtype.kind == "c"
    dt = getattr(x, "dtype", None)
    if not isinstance(dt, np.dtype):
        try:
            dt = np.asarray(x).dtype
        except (TypeError, ValueError):
            return False
    return dt.kind == "c"


def isrealobj(x: Any) -> bool:
    """``not iscomplexobj(x)``: True for every input of a supported (real) dtype.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.isrealobj([1, 2]), fnp.isrealobj(2j)
    (True, False)
    """
    return not iscomplexobj(x)


def _real_operand(name: str, x):
    if iscomplexobj(x):
        raise TypeError(f"fnp.{name}: complex input is not supported (functorch_lite has no "
                        "complex dtypes); pass a real array, or use numpy.{name} on it.")
    return _args(name, x)[0]


def isreal(x: ArrayLike) -> Array:
    """Elementwise: True where the imaginary part is 0 (everywhere, for real arrays).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.isreal([1.0, 2.0])
    array([ True,  True])
    """
    return _full_bool(_real_operand("isreal", x), True)


def iscomplex(x: ArrayLike) -> Array:
    """Elementwise: True where the imaginary part is nonzero (nowhere, for real arrays).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.iscomplex([1.0, 2.0])
    array([False, False])
    """
    return _full_bool(_real_operand("iscomplex", x), False)
