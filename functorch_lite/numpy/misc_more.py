"""More ``jax.numpy`` functions written with ``fnp``'s own traceable functions: finite
differences (``gradient``), phase unwrapping, selections (``compress``, ``extract``,
``choose``, functional ``put``), copies and casts, the real-part family (``real imag conj
conjugate angle``: this library has no complex dtype, so a complex input raises), the
Bessel function ``i0`` and the window functions, bit packing, ``mask_indices`` and
NumPy's print options.

Each is composed of ``fnp`` operations, so it runs eagerly and under ``jit``, ``grad``
and ``vmap`` with the derivatives those give (``jax.numpy``'s, except ``i0``, whose
derivative is that of its Chebyshev expansion: equal to ``i1`` within float rounding).
"""
from __future__ import annotations

import operator
from typing import Any
from collections.abc import Callable

import numpy as np

from .. import numpy as fnp
from ..core import ConcretizationTypeError, Tracer, dtypes
from .statistics import _concrete as _known_value

__all__ = ["gradient", "unwrap", "compress", "extract", "choose", "put", "copy", "astype",
           "matvec", "vecmat", "vecdot", "i0", "hamming", "hanning", "blackman", "bartlett",
           "kaiser", "mask_indices", "packbits", "unpackbits", "iterable", "get_printoptions",
           "set_printoptions", "printoptions", "real", "imag", "conj", "conjugate", "angle"]

_INT = dtypes.DEFAULT_INT


def _arr(x, name: str):
    """``x`` as an operand; complex inputs get an error that says why."""
    if not isinstance(x, Tracer) and np.iscomplexobj(x):
        raise TypeError(f"fnp.{name}: complex inputs are not supported (functorch_lite has "
                        f"no complex dtype); pass real arrays.")
    return x if isinstance(x, Tracer) else fnp.asarray(x)


def _inexact(x):
    return x if fnp.issubdtype(x.dtype, fnp.floating) else fnp.asarray(x, dtypes.DEFAULT_FLOAT)


def _slice(x, axis: int, start, stop):
    return x[(slice(None),) * axis + (slice(start, stop),)]


# ----------------------------------------------------------------------------- differences

def gradient(f: Any, *varargs: Any, axis: int | tuple | None = None,
             edge_order: int | None = None) -> Any:
    """The gradient of sampled values ``f`` by central differences inside and one-sided
    differences at the edges (``edge_order=1``), as ``jax.numpy.gradient``.  ``varargs``:
    one spacing for all axes, one per axis, each a scalar or a 1-D array of coordinates.
    Returns one array per axis (a list), or one array when one axis is asked for.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.gradient(fnp.array([1.0, 2.0, 4.0, 7.0]))
    array([1. , 1.5, 2.5, 3. ], dtype=float32)
    >>> fnp.gradient(fnp.array([1.0, 2.0, 4.0, 7.0]), 2.0)
    array([0.5 , 0.75, 1.25, 1.5 ], dtype=float32)
    """
    if edge_order is not None:
        raise NotImplementedError("fnp.gradient: the 'edge_order' argument is not supported "
                                  "(as in jax.numpy); the edges use first-order differences.")
    a = _inexact(_arr(f, "gradient"))
    nd = a.ndim
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
        for ax in axes:
            if not -nd <= operator.index(ax) < nd:
                raise ValueError(f"fnp.gradient: axis {ax} is out of bounds for an array of "
                                 f"dimension {nd}.")
        axes = tuple(operator.index(ax) % nd for ax in axes)
    if not axes:
        return []
    if min(a.shape[ax] for ax in axes) < 2:
        raise ValueError(f"fnp.gradient: the array of shape {a.shape} is too small to "
                         f"calculate a numerical gradient along axes {axes}; at least 2 "
                         "elements are required.")
    if len(varargs) == 0:
        dx = [1.0] * len(axes)
    elif len(varargs) == 1:
        dx = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        dx = list(varargs)
    else:
        raise TypeError(f"fnp.gradient: invalid number of spacing arguments {len(varargs)} "
                        f"for axis={axis} (give 0, 1 or {len(axes)}).")

    def along(h, ax: int):
        sl = lambda lo, hi: _slice(a, ax, lo, hi)  # noqa: E731
        upper = sl(1, 2) - sl(0, 1)
        lower = sl(-1, None) - sl(-2, -1)
        if np.ndim(h) == 0:
            h = h if isinstance(h, (int, float)) and not isinstance(h, bool) else \
                fnp.asarray(h, a.dtype)
            inner = (sl(2, None) - sl(None, -2)) * 0.5 / h
            return fnp.concatenate([upper / h, inner, lower / h], axis=ax)
        if np.ndim(h) != 1:
            raise ValueError("fnp.gradient: spacing arrays must be 1-D arrays or scalars, got "
                             f"shape {np.shape(h)}.")
        h = fnp.asarray(h, a.dtype)
        if h.shape[0] != a.shape[ax]:
            raise ValueError(f"fnp.gradient: the spacing array of length {h.shape[0]} must "
                             f"have the length {a.shape[ax]} of axis {ax}.")
        shape = [1] * nd
        shape[ax] = h.shape[0]
        h = fnp.reshape(h, shape)
        sx = lambda lo, hi: _slice(h, ax, lo, hi)  # noqa: E731
        upper = upper / (sx(1, 2) - sx(0, 1))
        lower = lower / (sx(-1, None) - sx(-2, -1))
        dx1 = sx(1, -1) - sx(0, -2)
        dx2 = sx(2, None) - sx(1, -1)
        ca = -dx2 / (dx1 * (dx1 + dx2))
        cb = (dx2 - dx1) / (dx1 * dx2)
        cc = dx1 / (dx2 * (dx1 + dx2))
        inner = ca * sl(0, -2) + cb * sl(1, -1) + cc * sl(2, None)
        return fnp.concatenate([upper, inner, lower], axis=ax)

    out = [along(h, ax) for ax, h in zip(axes, dx)]
    return out[0] if len(axes) == 1 else out


def unwrap(p: Any, discont: Any = None, axis: int = -1, period: Any = 2 * np.pi) -> Any:
    """``p`` with jumps larger than ``discont`` (default ``period / 2``) along ``axis``
    replaced by their ``period``-complement, as ``jax.numpy.unwrap``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unwrap(fnp.array([0.0, 3.0, 6.5, 0.5]))
    array([0.       , 3.       , 0.216815 , 0.5000005], dtype=float32)
    """
    x = _arr(p, "unwrap")
    x = fnp.asarray(x, fnp.result_type(x, period))
    if x.ndim == 0:
        raise ValueError("fnp.unwrap: p must have at least one dimension.")
    ax = operator.index(axis) % x.ndim
    if x.shape[ax] == 0:
        return x
    if discont is None:
        discont = period / 2
    interval = period // 2 if fnp.issubdtype(x.dtype, fnp.integer) else period / 2
    dd = fnp.diff(x, axis=ax)
    ddmod = fnp.mod(dd + interval, period) - interval
    ddmod = fnp.where((ddmod == -interval) & (dd > 0), interval, ddmod)
    correct = fnp.where(fnp.abs(dd) < discont, 0, ddmod - dd)
    return fnp.concatenate([_slice(x, ax, 0, 1),
                            _slice(x, ax, 1, None) + fnp.cumsum(correct, axis=ax)], axis=ax)


# ----------------------------------------------------------------------------- selections

def compress(condition: Any, a: Any, axis: int | None = None, *, size: int | None = None,
             fill_value: Any = 0, out: None = None) -> Any:
    """The slices of ``a`` along ``axis`` (the flattened ``a`` when None) where the 1-D
    ``condition`` is true, as ``jax.numpy.compress``; with static ``size`` (needed under
    ``jit``) the first ``size`` of them, padded with ``fill_value``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.compress(fnp.array([True, False, True]), fnp.array([1, 2, 3]))
    array([1, 3], dtype=int32)
    >>> fnp.compress(fnp.array([False, True, False]), fnp.array([1, 2, 3]), size=2)
    array([2, 0], dtype=int32)
    """
    if out is not None:
        raise NotImplementedError("fnp.compress: the 'out' argument is not supported (arrays "
                                  "are immutable); use the returned array.")
    cond = fnp.asarray(_arr(condition, "compress"), bool)
    x = _arr(a, "compress")
    if cond.ndim != 1:
        raise ValueError(f"fnp.compress: condition must be a 1-D array, got shape "
                         f"{cond.shape}.")
    if axis is None:
        x, ax = fnp.ravel(x), 0
    else:
        if not -x.ndim <= axis < x.ndim:
            raise ValueError(f"fnp.compress: axis {axis} is out of bounds for an array of "
                             f"dimension {x.ndim}.")
        ax = axis % x.ndim
        x = fnp.moveaxis(x, ax, 0)
    n = x.shape[0]
    cond, extra = cond[:n], cond[n:]
    x = x[:cond.shape[0]]
    if size is None:
        c = _concrete(cond, "compress")
        if np.any(_concrete(extra, "compress")):
            raise ValueError("fnp.compress: condition contains entries that are out of bounds "
                             f"for the axis of length {n}.")
        res = fnp.take(x, np.flatnonzero(c).astype(_INT), axis=0)
    else:
        size = operator.index(size)
        if not 0 <= size <= x.shape[0]:
            raise ValueError("fnp.compress: size must be non-negative and not greater than the "
                             f"length of the axis; got size={size} for length {x.shape[0]}.")
        mask = fnp.reshape(cond, (-1,) + (1,) * (x.ndim - 1))
        x = fnp.where(mask, x, fnp.asarray(fill_value, x.dtype))
        order = fnp.argsort(fnp.logical_not(cond), stable=True)
        res = fnp.take(x, order, axis=0)[:size]
    return fnp.moveaxis(res, 0, ax)


def _concrete(x, name: str) -> np.ndarray:
    return _known_value(x, name, "size", "size=10")


def extract(condition: Any, arr: Any, *, size: int | None = None, fill_value: Any = 0) -> Any:
    """The elements of the flattened ``arr`` where the flattened ``condition`` is true, as
    ``jax.numpy.extract`` (``size``/``fill_value`` as in :func:`compress`).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.extract(fnp.array([[True, False], [False, True]]), fnp.array([[1, 2], [3, 4]]))
    array([1, 4], dtype=int32)
    """
    return compress(fnp.ravel(_arr(condition, "extract")), fnp.ravel(_arr(arr, "extract")),
                    size=size, fill_value=fill_value)


def choose(a: Any, choices: Any, out: None = None, mode: str = "raise") -> Any:
    """An array built from ``choices[a[i]][i]`` (``a`` and the choices broadcast), as
    ``jax.numpy.choose``; ``mode`` ``"raise"`` (eager only), ``"wrap"`` or ``"clip"`` for
    out-of-range indices.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.choose(fnp.array([0, 1, 0]), [fnp.array([1, 2, 3]), fnp.array([10, 20, 30])])
    array([ 1, 20,  3], dtype=int32)
    """
    if out is not None:
        raise NotImplementedError("fnp.choose: the 'out' argument is not supported; use the "
                                  "returned array.")
    idx = _arr(a, "choose")
    if not fnp.issubdtype(idx.dtype, fnp.integer):
        raise ValueError(f"fnp.choose: a must have an integer dtype, got {idx.dtype}.")
    chs = [_arr(c, "choose") for c in choices]
    n = len(chs)
    if n == 0:
        raise ValueError("fnp.choose: choices must not be empty.")
    if mode == "raise":
        if isinstance(idx, Tracer) and idx.val is None:
            raise ConcretizationTypeError(
                "fnp.choose: mode='raise' needs the concrete values of a, unknown under "
                "jit/vmap; use mode='wrap' or mode='clip' instead.")
        v = _concrete(idx, "choose")
        if np.any((v < 0) | (v >= n)):
            raise ValueError(f"fnp.choose: invalid entry in the choice array a (each must be "
                             f"in [0, {n})).")
    elif mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = fnp.clip(idx, 0, n - 1)
    else:
        raise ValueError(f"fnp.choose: mode={mode!r} not understood; use 'raise', 'wrap' or "
                         "'clip'.")
    idx, *chs = fnp.broadcast_arrays(idx, *chs)
    stacked = fnp.stack(chs)
    return fnp.squeeze(fnp.take_along_axis(stacked, idx[None], axis=0), 0)


def put(a: Any, ind: Any, v: Any, mode: str | None = None, *, inplace: bool = True) -> Any:
    """A copy of ``a`` with the flat positions ``ind`` set to ``v`` (repeated as needed),
    as ``jax.numpy.put``: arrays are immutable, so ``inplace=False`` is required.  ``mode``
    None drops out-of-range indices; ``"clip"`` and ``"wrap"`` as in NumPy.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.put(fnp.zeros(4), fnp.array([0, 2]), fnp.array([5.0, 6.0]), inplace=False)
    array([5., 0., 6., 0.], dtype=float32)
    """
    if inplace:
        raise ValueError("fnp.put cannot modify arrays in-place, because arrays are immutable "
                         "(as in JAX). Pass inplace=False to instead return an updated array.")
    x = _arr(a, "put")
    i = fnp.ravel(_arr(ind, "put"))
    vals = fnp.ravel(_arr(v, "put"))
    if not fnp.issubdtype(i.dtype, fnp.integer):
        raise TypeError(f"fnp.put: ind must have an integer dtype, got {i.dtype}.")
    if x.size == 0 or i.size == 0 or vals.size == 0:
        return x
    if vals.size < i.size:
        vals = fnp.tile(vals, -(-i.size // vals.size))
    vals = vals[:i.size]
    if mode is None:
        scatter = "drop"
    elif mode == "clip":
        i, scatter = fnp.clip(i, 0, x.size - 1), "promise_in_bounds"
    elif mode == "wrap":
        i, scatter = i % x.size, "promise_in_bounds"
    elif mode == "raise":
        raise NotImplementedError("fnp.put: mode='raise' is not supported (as in JAX); use "
                                  "mode='clip' or 'wrap'.")
    else:
        raise ValueError(f"fnp.put: mode should be one of 'wrap' or 'clip'; got {mode!r}.")
    # negative indices count from the end, as in NumPy
    i = fnp.where(i < 0, i + x.size, i)
    flat = fnp.at(fnp.ravel(x))[i].set(fnp.asarray(vals, x.dtype), mode=scatter)
    return fnp.reshape(flat, x.shape)


# ----------------------------------------------------------------------------- copies, casts

def copy(a: Any, order: str | None = None) -> Any:
    """A copy of ``a`` (an array, as ``jax.numpy.copy``).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.copy([1.0, 2.0])
    array([1., 2.], dtype=float32)
    """
    return fnp.array(_arr(a, "copy"), copy=True)


def astype(x: Any, dtype: Any, /, *, copy: bool = False, device: Any = None) -> Any:
    """``x`` cast to ``dtype`` (the default float when None), as ``jax.numpy.astype``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.astype(fnp.array([1.7, -2.5]), fnp.int32)
    array([ 1, -2], dtype=int32)
    """
    arr = _arr(x, "astype")
    return fnp.asarray(arr, dtypes.DEFAULT_FLOAT if dtype is None else dtype)


def matvec(x1: Any, x2: Any, /) -> Any:
    """Batched matrix-vector products ``x1 @ x2`` (signature ``(n,m),(m)->(n)``), as
    ``jax.numpy.matvec``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.matvec(fnp.eye(2) * 2, fnp.array([1.0, 3.0]))
    array([2., 6.], dtype=float32)
    """
    from .functional import vectorize
    return vectorize(fnp.matmul, signature="(n,m),(m)->(n)")(_arr(x1, "matvec"),
                                                              _arr(x2, "matvec"))


def vecmat(x1: Any, x2: Any, /) -> Any:
    """Batched vector-matrix products ``x1 @ x2`` (signature ``(n),(n,m)->(m)``), as
    ``jax.numpy.vecmat``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.vecmat(fnp.array([1.0, 3.0]), fnp.eye(2) * 2)
    array([2., 6.], dtype=float32)
    """
    from .functional import vectorize
    return vectorize(fnp.matmul, signature="(n),(n,m)->(m)")(_arr(x1, "vecmat"),
                                                              _arr(x2, "vecmat"))


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1, precision: Any = None,
           preferred_element_type: Any = None) -> Any:
    """Batched dot products along ``axis`` (the others broadcast), as
    ``jax.numpy.vecdot``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.vecdot(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([1.0, 1.0]))
    array([3., 7.], dtype=float32)
    """
    from .functional import vectorize
    a, b = _arr(x1, "vecdot"), _arr(x2, "vecdot")
    if a.ndim == 0 or b.ndim == 0 or a.shape[axis] != b.shape[axis]:
        raise ValueError(f"fnp.vecdot: axes must match; got shapes {a.shape} and {b.shape} "
                         f"with axis={axis}.")
    a, b = fnp.moveaxis(a, axis, -1), fnp.moveaxis(b, axis, -1)
    return vectorize(fnp.vdot, signature="(n),(n)->()")(a, b)


# ----------------------------------------------------------------------------- real part family

def real(val: Any) -> Any:
    """The real part: ``val`` itself, since this library has only real dtypes (a complex
    input raises), as ``jax.numpy.real`` on real arrays.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.real(fnp.array([1.0, -2.0]))
    array([ 1., -2.], dtype=float32)
    """
    return _arr(val, "real")


def imag(val: Any) -> Any:
    """The imaginary part: zeros of ``val``'s shape and dtype for real input, as
    ``jax.numpy.imag`` (a complex input raises).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.imag(fnp.array([1.0, -2.0]))
    array([0., 0.], dtype=float32)
    """
    return fnp.zeros_like(_arr(val, "imag"))


def conjugate(x: Any, /) -> Any:
    """The complex conjugate: ``x`` itself for real input, as ``jax.numpy.conjugate`` (a
    complex input raises).

    >>> import functorch_lite.numpy as fnp
    >>> fnp.conjugate(fnp.array([1, 2]))
    array([1, 2], dtype=int32)
    """
    return _arr(x, "conjugate")


def conj(x: Any, /) -> Any:
    """Alias of :func:`conjugate`.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.conj(fnp.array([1.5]))
    array([1.5], dtype=float32)
    """
    return _arr(x, "conj")


def angle(z: Any, deg: bool = False) -> Any:
    """The argument of each (real) element: 0 for ``z >= 0``, pi for ``z < 0`` (180 with
    ``deg``), as ``jax.numpy.angle``; a complex input raises.  Integer inputs give float32.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.angle(fnp.array([1.0, -2.0]))
    array([0.       , 3.1415927], dtype=float32)
    """
    x = _arr(z, "angle")
    dt = x.dtype
    if not fnp.issubdtype(dt, fnp.floating) or (x.ndim == 0 and dt != np.float64):
        dt = dtypes.DEFAULT_FLOAT  # as JAX: 0-d and integer inputs give the default float
    x = fnp.asarray(x, dt)
    res = fnp.arctan2(fnp.zeros_like(x), x)
    return fnp.degrees(res) if deg else res


# ----------------------------------------------------------------------------- Bessel i0, windows

# Cephes' Chebyshev coefficients for exp(-x) I0(x) on [0, 8] and exp(-x) sqrt(x) I0(x) on
# (8, inf), as numpy.i0 uses them
_I0A = [-4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
        1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
        -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
        9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
        -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
        1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
        -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
        1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
        -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
        1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1]
_I0B = [-7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
        3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
        1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
        -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
        7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
        -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
        3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
        2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
        8.04490411014108831608E-1]


def _chbevl(x, coeffs):
    b0, b1, b2 = coeffs[0], 0.0, 0.0
    for c in coeffs[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def i0(x: Any) -> Any:
    """The modified Bessel function of the first kind of order 0, as ``jax.numpy.i0``
    (Cephes' Chebyshev expansions, as ``numpy.i0``); ints give float32; differentiable.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.i0(fnp.array([0.0, 1.0, 2.0])).round(4)
    array([1.    , 1.2661, 2.2796], dtype=float32)
    """
    v = _arr(x, "i0")
    if v.dtype == np.bool_ or fnp.issubdtype(v.dtype, fnp.integer):
        v = fnp.asarray(v, dtypes.DEFAULT_FLOAT)
    if not fnp.issubdtype(v.dtype, fnp.floating):
        raise ValueError(f"fnp.i0: unsupported input dtype {v.dtype}.")
    ax = fnp.abs(v)
    small = ax <= 8.0
    # each branch sees only arguments in its own range, so neither makes NaN gradients
    xs = fnp.where(small, ax, 8.0)
    xl = fnp.where(small, 16.0, ax)
    lo = _chbevl(xs / 2.0 - 2.0, _I0A)
    hi = _chbevl(32.0 / xl - 2.0, _I0B) / fnp.sqrt(xl)
    return fnp.exp(ax) * fnp.where(small, lo, hi)


def _window_length(M, name: str) -> int:
    if isinstance(M, Tracer):
        if M.val is None:
            raise ConcretizationTypeError(f"fnp.{name}: the window length M must be a static "
                                          f"int, got the traced {M.aval.str_short()}.")
        M = M.val
    return operator.index(M)


def _window(M, name: str, body: Callable) -> Any:
    M = _window_length(M, name)
    if M <= 1:
        return fnp.ones((max(M, 0),), dtypes.DEFAULT_FLOAT)
    return body(M, fnp.arange(M, dtype=dtypes.DEFAULT_FLOAT))


def hamming(M: int) -> Any:
    """The Hamming window of length ``M`` (float32), as ``jax.numpy.hamming``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.hamming(3)
    array([0.08000001, 1.        , 0.08000001], dtype=float32)
    """
    return _window(M, "hamming", lambda M, n: 0.54 - 0.46 * fnp.cos(2 * np.pi * n / (M - 1)))


def hanning(M: int) -> Any:
    """The Hann window of length ``M`` (float32), as ``jax.numpy.hanning``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.hanning(3)
    array([0., 1., 0.], dtype=float32)
    """
    return _window(M, "hanning", lambda M, n: 0.5 * (1 - fnp.cos(2 * np.pi * n / (M - 1))))


def blackman(M: int) -> Any:
    """The Blackman window of length ``M`` (float32), as ``jax.numpy.blackman``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.blackman(3).round(4)
    array([-0.,  1., -0.], dtype=float32)
    """
    return _window(M, "blackman", lambda M, n: 0.42 - 0.5 * fnp.cos(2 * np.pi * n / (M - 1))
                   + 0.08 * fnp.cos(4 * np.pi * n / (M - 1)))


def bartlett(M: int) -> Any:
    """The Bartlett (triangular) window of length ``M`` (float32), as
    ``jax.numpy.bartlett``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.bartlett(5)
    array([0. , 0.5, 1. , 0.5, 0. ], dtype=float32)
    """
    return _window(M, "bartlett", lambda M, n: 1 - fnp.abs(2 * n + 1 - M) / (M - 1))


def kaiser(M: int, beta: Any) -> Any:
    """The Kaiser window of length ``M`` and shape ``beta`` (float32), as
    ``jax.numpy.kaiser``; differentiable in ``beta``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.kaiser(3, 0.0)
    array([1., 1., 1.], dtype=float32)
    """
    def body(M, n):
        alpha = 0.5 * (M - 1)
        return i0(beta * fnp.sqrt(1 - ((n - alpha) / alpha) ** 2)) / i0(beta)
    return _window(M, "kaiser", body)


# ----------------------------------------------------------------------------- bits, masks

def mask_indices(n: int, mask_func: Callable, k: int = 0, *,
                 size: int | None = None) -> tuple:
    """The indices ``(rows, cols)`` where ``mask_func(ones((n, n)), k)`` is nonzero (e.g.
    ``fnp.triu``), as ``jax.numpy.mask_indices``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.mask_indices(2, fnp.triu)
    (array([0, 0, 1], dtype=int32), array([0, 1, 1], dtype=int32))
    """
    n = operator.index(n)
    return tuple(fnp.nonzero(mask_func(fnp.ones((n, n)), k), size=size))


def _bitorder(bitorder: str, name: str) -> None:
    if bitorder not in ("little", "big"):
        raise ValueError(f"fnp.{name}: bitorder must be either 'little' or 'big', got "
                         f"{bitorder!r}.")


def packbits(a: Any, axis: int | None = None, bitorder: str = "big") -> Any:
    """The elements of the int/bool ``a`` read as bits (nonzero = 1), packed eight to a
    uint8 along ``axis`` (the flattened ``a`` when None), as ``jax.numpy.packbits``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.packbits(fnp.array([1, 0, 1, 1, 0, 0, 0, 0, 1]))
    array([176, 128], dtype=uint8)
    """
    x = _arr(a, "packbits")
    if not (fnp.issubdtype(x.dtype, fnp.integer) or x.dtype == np.bool_):
        raise TypeError(f"fnp.packbits: expected an input array of integer or boolean dtype, "
                        f"got {x.dtype}.")
    _bitorder(bitorder, "packbits")
    bits = fnp.asarray(x != 0, np.uint8)
    shifts = fnp.arange(8, dtype=np.uint8)
    if bitorder == "big":
        shifts = shifts[::-1]
    if axis is None:
        bits, axis = fnp.ravel(bits), 0
    bits = fnp.swapaxes(bits, axis, -1)
    rem = bits.shape[-1] % 8
    if rem:
        bits = fnp.pad(bits, [(0, 0)] * (bits.ndim - 1) + [(0, 8 - rem)])
    bits = fnp.reshape(bits, bits.shape[:-1] + (bits.shape[-1] // 8, 8))
    packed = fnp.asarray(fnp.sum(fnp.left_shift(bits, shifts), axis=-1), np.uint8)
    return fnp.swapaxes(packed, axis, -1)


def unpackbits(a: Any, axis: int | None = None, count: int | None = None,
               bitorder: str = "big") -> Any:
    """The bits of the uint8 ``a`` as a uint8 array of 0/1, unpacked along ``axis`` (the
    flattened ``a`` when None) and cut or zero-padded to ``count``, as
    ``jax.numpy.unpackbits``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.unpackbits(fnp.array([176], fnp.uint8))
    array([1, 0, 1, 1, 0, 0, 0, 0], dtype=uint8)
    """
    x = _arr(a, "unpackbits")
    if x.dtype != np.uint8:
        raise TypeError(f"fnp.unpackbits: expected an input array of dtype uint8, got "
                        f"{x.dtype}.")
    _bitorder(bitorder, "unpackbits")
    bits = fnp.left_shift(np.uint8(1), fnp.arange(8, dtype=np.uint8))
    if bitorder == "big":
        bits = bits[::-1]
    if axis is None:
        x, axis = fnp.ravel(x), 0
    x = fnp.swapaxes(x, axis, -1)
    out = fnp.asarray(fnp.bitwise_and(x[..., None], bits) > 0, np.uint8)
    out = fnp.reshape(out, out.shape[:-2] + (-1,))
    if count is not None:
        count = operator.index(count)
        if count > out.shape[-1]:
            out = fnp.pad(out, [(0, 0)] * (out.ndim - 1) + [(0, count - out.shape[-1])])
        else:
            out = out[..., :count]
    return fnp.swapaxes(out, axis, -1)


# ----------------------------------------------------------------------------- NumPy utilities

def iterable(y: Any) -> bool:
    """Whether ``y`` can be iterated over (``numpy.iterable``), as ``jax.numpy.iterable``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.iterable([1, 2]), fnp.iterable(3.0)
    (True, False)
    """
    return bool(np.iterable(y))


get_printoptions = np.get_printoptions
set_printoptions = np.set_printoptions
printoptions = np.printoptions
