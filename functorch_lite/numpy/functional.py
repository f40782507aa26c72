"""Functions that apply a user's function over arrays, as ``jax.numpy``'s: ``vectorize``
(NumPy's generalized ufuncs, built on ``fl.vmap``), ``apply_along_axis``,
``apply_over_axes``, ``piecewise`` and ``fromfunction``.

All of them are written with ``fl.vmap`` and ``fl.lax.switch``, so the user's function is
traced once and batched, never called element by element in Python: they run under
``jit`` and ``grad`` and give the derivatives of the user's function.
"""
from __future__ import annotations

import functools
import operator
import re
from typing import Any
from collections.abc import Callable, Collection

import numpy as np

from .. import numpy as fnp
from ..core import Tracer

__all__ = ["vectorize", "apply_along_axis", "apply_over_axes", "piecewise", "fromfunction"]

_DIM = r"\w+"
_CORE_DIMS = f"(?:{_DIM}(?:,{_DIM})*)?"
_ARG = rf"\({_CORE_DIMS}\)"
_ARG_LIST = f"{_ARG}(?:,{_ARG})*"
_SIGNATURE = f"^{_ARG_LIST}->{_ARG_LIST}$"


def _vmap(f, in_axes=0, out_axes=0):
    from ..transforms.batching import vmap
    return vmap(f, in_axes=in_axes, out_axes=out_axes)


def _parse_signature(signature: str) -> tuple[list, list]:
    if not re.match(_SIGNATURE, signature.replace(" ", "")):
        raise ValueError(f"fnp.vectorize: not a valid gufunc signature: {signature!r} (e.g. "
                         "'(m,n),(n)->(m)').")
    args, outs = ([tuple(re.findall(_DIM, a)) for a in re.findall(_ARG, part)]
                  for part in signature.replace(" ", "").split("->"))
    return args, outs


def _update_sizes(sizes: dict, shape: tuple, core: tuple, context: str, is_input: bool):
    if is_input and len(shape) < len(core):
        raise ValueError(f"fnp.vectorize: input with shape {shape} does not have enough "
                         f"dimensions for all core dimensions {core} {context}")
    if not is_input and len(shape) != len(core):
        raise ValueError(f"fnp.vectorize: output shape {shape} does not match core "
                         f"dimensions {core} {context}")
    core_shape = shape[len(shape) - len(core):] if core else ()
    for d, n in zip(core, core_shape):
        if sizes.setdefault(d, n) != n:
            raise ValueError(f"fnp.vectorize: inconsistent size for core dimension {d!r}: "
                             f"{n} vs {sizes[d]} {context}")


def _apply_excluded(func, excluded, args, kwargs):
    if not excluded:
        return func, args, kwargs
    dyn_args = [a for i, a in enumerate(args) if i not in excluded]
    dyn_kwargs = {k: v for k, v in kwargs.items() if k not in excluded}
    static_args = [(i, args[i]) for i in sorted(e for e in excluded if isinstance(e, int))
                   if i < len(args)]
    static_kwargs = {k: v for k, v in kwargs.items() if k in excluded}

    def new_func(*a, **kw):
        a = list(a)
        for i, v in static_args:
            a.insert(i, v)
        return func(*a, **kw, **static_kwargs)
    return new_func, dyn_args, dyn_kwargs


def vectorize(pyfunc: Callable, *, excluded: Collection[int | str] = frozenset(),
              signature: str | None = None) -> Callable:
    """``pyfunc`` vectorized with broadcasting over leading dimensions, as
    ``jax.numpy.vectorize``: without ``signature`` it sees scalars, with one (e.g.
    ``"(n),(n)->()"``) it sees arrays of the core dimensions; ``excluded`` positions or
    keyword names are passed through unbatched.  Built on ``fl.vmap``.

    >>> import functorch_lite.numpy as fnp
    >>> f = fnp.vectorize(lambda a, b: a * b + 1.0)
    >>> f(fnp.array([1.0, 2.0]), fnp.array([[1.0], [3.0]]))
    array([[2., 3.],
           [4., 7.]], dtype=float32)
    >>> fnp.vectorize(fnp.dot, signature="(n),(n)->()")(fnp.ones((2, 3)), fnp.ones(3))
    array([3., 3.], dtype=float32)
    """
    if any(not isinstance(e, (str, int)) for e in excluded):
        raise TypeError(f"fnp.vectorize can only exclude integer or string arguments, got "
                        f"excluded={excluded!r}")
    if any(isinstance(e, int) and e < 0 for e in excluded):
        raise ValueError(f"fnp.vectorize: excluded={excluded!r} contains negative numbers")

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        context = f"(on a vectorized function with excluded={excluded!r} and " \
                  f"signature={signature!r})"
        func, args, kwargs = _apply_excluded(pyfunc, excluded, args, kwargs)
        if signature is not None:
            in_core, out_core = _parse_signature(signature)
        else:
            in_core, out_core = [()] * len(args), None
        none_args = {i for i, a in enumerate(args) if a is None}
        if none_args:
            if any(in_core[i] != () for i in none_args):
                raise ValueError(f"fnp.vectorize: cannot pass None at positions {none_args} "
                                 f"with signature={signature!r}")
            func, args, _ = _apply_excluded(func, none_args, args, {})
            in_core = [d for i, d in enumerate(in_core) if i not in none_args]
        args = tuple(a if isinstance(a, Tracer) else fnp.asarray(a) for a in args)
        if len(args) != len(in_core):
            raise TypeError(f"fnp.vectorize: wrong number of positional arguments: expected "
                            f"{len(in_core)}, got {len(args)} {context}")
        sizes: dict = {}
        shapes = []
        for a, core in zip(args, in_core):
            _update_sizes(sizes, a.shape, core, context, True)
            shapes.append(a.shape[:a.ndim - len(core)])
        bshape = fnp.broadcast_shapes(*shapes)
        if out_core is not None:
            inner = func

            def func(*a):
                out = inner(*a, **kwargs)
                outs = out if isinstance(out, tuple) else (out,)
                if len(out_core) > 1 and not isinstance(out, tuple):
                    raise TypeError(f"fnp.vectorize: the output must be a tuple when several "
                                    f"outputs are expected {context}")
                if len(outs) != len(out_core):
                    raise TypeError(f"fnp.vectorize: wrong number of outputs: expected "
                                    f"{len(out_core)}, got {len(outs)} {context}")
                sz = dict(sizes)
                for o, core in zip(outs, out_core):
                    _update_sizes(sz, tuple(np.shape(o)), core, context, False)
                return out
        else:
            inner0 = func

            def func(*a):
                return inner0(*a, **kwargs)
        squeezed, rev_shapes = [], []
        for a, core in zip(args, in_core):
            noncore = a.shape[:a.ndim - len(core)]
            filled = (1,) * (len(bshape) - len(noncore)) + tuple(noncore)
            rev_shapes.append(filled[::-1])
            squeezed.append(fnp.squeeze(a, axis=tuple(i for i, n in enumerate(noncore)
                                                      if n == 1)))
        vf = func
        expand = []
        for negdim, axis_sizes in enumerate(zip(*rev_shapes)):
            in_axes = tuple(None if n == 1 else 0 for n in axis_sizes)
            if all(ax is None for ax in in_axes):
                expand.append(len(bshape) - 1 - negdim)
            else:
                vf = _vmap(vf, in_axes)
        result = vf(*squeezed)
        if not expand:
            return result
        if isinstance(result, tuple):
            return tuple(fnp.expand_dims(r, tuple(expand)) for r in result)
        return fnp.expand_dims(result, tuple(expand))

    return wrapped


def apply_along_axis(func1d: Callable, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Any:
    """``func1d`` applied to every 1-D slice of ``arr`` along ``axis`` (its outputs take
    that axis' place), as ``jax.numpy.apply_along_axis``: built on ``fl.vmap``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.apply_along_axis(fnp.sum, 1, fnp.array([[1.0, 2.0], [3.0, 4.0]]))
    array([3., 7.], dtype=float32)
    """
    x = arr if isinstance(arr, Tracer) else fnp.asarray(arr)
    nd = x.ndim
    if not -nd <= axis < nd:
        raise ValueError(f"fnp.apply_along_axis: axis {axis} is out of bounds for an array of "
                         f"dimension {nd}.")
    axis = operator.index(axis) % nd

    def func(a):
        return func1d(a, *args, **kwargs)
    for i in range(1, nd - axis):
        func = _vmap(func, in_axes=i, out_axes=-1)
    for _ in range(axis):
        func = _vmap(func, in_axes=0, out_axes=0)
    return func(x)


def apply_over_axes(func: Callable, a: Any, axes: Any) -> Any:
    """``func(a, axis)`` applied for each axis in ``axes`` in turn, a dropped axis put back
    as length 1, as ``jax.numpy.apply_over_axes``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.apply_over_axes(fnp.sum, fnp.ones((2, 3)), [0, 1])
    array([[6.]], dtype=float32)
    """
    x = a if isinstance(a, Tracer) else fnp.asarray(a)
    for axis in np.atleast_1d(np.asarray(axes)).tolist() if not isinstance(axes, int) \
            else [axes]:
        b = func(x, axis)
        if b.ndim == x.ndim:
            x = b
        elif b.ndim == x.ndim - 1:
            x = fnp.expand_dims(b, axis)
        else:
            raise ValueError(f"fnp.apply_over_axes: the function is not returning an array of "
                             f"the correct shape (got {b.shape} from an input of shape "
                             f"{x.shape}).")
    return x


def piecewise(x: Any, condlist: Any, funclist: Any, *args: Any, **kw: Any) -> Any:
    """A function defined piece by piece: where ``condlist[i]`` holds (the last true one
    wins), ``funclist[i](x)`` (or the constant ``funclist[i]``); elsewhere 0, or the extra
    last entry of ``funclist``, as ``jax.numpy.piecewise``.  Each function is applied to
    scalars (``fl.lax.switch`` vectorized), results are cast to ``x``'s dtype.

    >>> import functorch_lite.numpy as fnp
    >>> x = fnp.array([-2.0, 0.5, 3.0])
    >>> fnp.piecewise(x, [x < 0, x > 1], [lambda v: -v, lambda v: v * v, 7.0])
    array([2., 7., 9.], dtype=float32)
    """
    from ..lax import switch
    xa = x if isinstance(x, Tracer) else fnp.asarray(x)
    if isinstance(condlist, (list, tuple)):
        conds = fnp.stack([fnp.asarray(c, bool) for c in condlist]) if condlist else \
            fnp.zeros((0,) + xa.shape, bool)
    else:
        conds = fnp.asarray(condlist, bool)
        if conds.ndim == xa.ndim:
            conds = conds[None]
    funcs = list(funclist)
    nc, nf = conds.shape[0], len(funcs)
    if nf == nc + 1:
        funcs = funcs[-1:] + funcs[:-1]
    elif nf == nc:
        funcs = [0] + funcs
    else:
        raise ValueError(f"fnp.piecewise: with {nc} condition(s), either {nc} or {nc + 1} "
                         f"functions are expected; got {nf}.")
    if conds.shape[1:] != xa.shape:
        conds = fnp.broadcast_to(conds, (nc,) + tuple(xa.shape))
    dtype = xa.dtype
    index = fnp.argmax(fnp.cumsum(fnp.concatenate(
        [fnp.zeros_like(conds[:1]), conds], 0), 0, dtype=fnp.int32), 0)

    def branch(f):
        if callable(f):
            return lambda v: fnp.asarray(f(v, *args, **kw), dtype)
        return lambda v: fnp.full((), f, dtype)
    branches = [branch(f) for f in funcs]
    return vectorize(switch, excluded=(1,))(index, branches, xa)


def fromfunction(function: Callable, shape: Any, *, dtype: Any = float, **kwargs: Any) -> Any:
    """``function`` called once on index grids of ``shape`` (batched with ``fl.vmap``, so it
    sees scalars), as ``jax.numpy.fromfunction``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.fromfunction(lambda i, j: i + 10 * j, (2, 3), dtype=int)
    array([[ 0, 10, 20],
           [ 1, 11, 21]], dtype=int32)
    """
    shape = tuple(operator.index(s) for s in (shape if isinstance(shape, (tuple, list))
                                              else (shape,)))
    if any(s < 0 for s in shape):
        raise ValueError(f"fnp.fromfunction: the shape must be non-negative, got {shape}.")
    f = function
    n = len(shape)
    for i in range(n):
        in_axes = [0 if i == j else None for j in range(n)]
        f = _vmap(f, in_axes=tuple(in_axes[::-1]))
    return f(*(fnp.arange(s, dtype=dtype) for s in shape), **kwargs)
