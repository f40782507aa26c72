"""Debugging inside transformed functions: ``fl.debug.print`` and ``fl.debug.callback``.

As ``jax.debug.print`` / ``jax.debug.callback``: eagerly they run at once; under
``grad``/``jvp``/``vjp`` they run once, with the primal values; under ``jit`` they run at
every execution with the runtime values (not while tracing); under ``vmap`` once per
example.  They are kept by dead-code elimination although they return nothing.

>>> import functorch_lite as fl, functorch_lite.numpy as fnp
>>> def f(x):
...     fl.debug.print("x = {x}", x=x)
...     return fnp.sin(x)
>>> g = fl.grad(f)(0.0)
x = 0.0
"""
from __future__ import annotations

import string
from typing import Any
from collections.abc import Callable

import numpy as np
from jax.tree_util import tree_flatten

from .core import aval_of
from .ops.callbacks import FlatCallback, debug_callback_p, debug_print_p

__all__ = ["print", "callback"]


def _split_callback_args(args: tuple, kwargs: dict):
    """``(in_tree, dynamic leaves, static leaves)``: array leaves become operands; the
    others (strings, None, ...) are passed to the callback unchanged."""
    leaves, in_tree = tree_flatten((args, kwargs))
    dyn, static = [], []
    for i, x in enumerate(leaves):
        try:
            aval_of(x)
        except (TypeError, ValueError):
            static.append((i, x))
        else:
            dyn.append(x)
    return in_tree, dyn, tuple(static)


class _FormatChecker(string.Formatter):
    """Checks a format string against its arguments without formatting (as JAX)."""

    def format_field(self, value, format_spec):
        return ""

    def check_unused_args(self, used_args, args, kwargs):
        unused = [a for i, a in enumerate(args) if i not in used_args]
        unused_kw = [k for k in kwargs if k not in used_args]
        if unused:
            raise ValueError(f"Unused positional arguments to `fl.debug.print`: {unused}")
        if unused_kw:
            raise ValueError(
                f"Unused keyword arguments to `fl.debug.print`: {unused_kw}. You may be passing "
                "an f-string (i.e, `f\"{x}\"`) into `fl.debug.print` and instead should pass in "
                "a regular string.")


_checker = _FormatChecker()


def print(fmt: str | None = None, *args: Any, ordered: bool = False,
          partitioned: bool = False, skip_format_check: bool = False,
          **kwargs: Any) -> Callable[..., None] | None:
    """Print ``fmt.format(*args, **kwargs)`` with the values ``args`` have when the program
    runs (as ``jax.debug.print``): at once eagerly, at every call of a ``jit`` function,
    once per example under ``vmap``, with the primal values under differentiation.

    Pass a plain string, not an f-string: formatting is delayed until the values exist.
    ``fl.debug.print(ordered=True)("x={}", x)`` is the two-call form of the options.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.debug.print("x = {}", fnp.arange(3.0))
    x = [0. 1. 2.]
    >>> f = fl.jit(lambda x: (fl.debug.print("y = {y}", y=x * 2), x)[1])
    >>> _ = fl.block_until_ready((f(1.0), f(2.0)))
    y = 2.0
    y = 4.0
    """
    def _print(fmt: str, *c_args: Any, **c_kwargs: Any) -> None:
        if not skip_format_check:
            _checker.format(fmt, *c_args, **c_kwargs)
        has_placeholders = False
        if fmt:
            _, field, *_ = next(iter(string.Formatter().parse(fmt)))
            has_placeholders = field is not None
        in_tree, dyn, static = _split_callback_args(c_args, c_kwargs)
        debug_print_p.bind(*dyn, fmt=fmt, has_placeholders=has_placeholders, in_tree=in_tree,
                           static_args=static,
                           np_printoptions=tuple(np.get_printoptions().items()),
                           ordered=ordered, partitioned=partitioned)

    if fmt is not None:
        _print(fmt, *args, **kwargs)
        return None
    if args or kwargs:
        raise TypeError(f"debug.print received unexpected arguments in the two-call form: "
                        f"{args=} {kwargs=}; write fl.debug.print(ordered=True)(fmt, *args).")
    return _print


def callback(callback: Callable[..., Any] | None = None, *args: Any, ordered: bool = False,
             partitioned: bool = False, **kwargs: Any) -> Callable[..., None] | None:
    """Call ``callback(*args, **kwargs)`` on the host with NumPy values whenever the program
    runs (as ``jax.debug.callback``): at once eagerly, at every call of a ``jit`` function,
    once per example under ``vmap``, with the primal values under differentiation.  Its
    return value is ignored.

    >>> import functorch_lite as fl
    >>> seen = []
    >>> def f(x):
    ...     fl.debug.callback(lambda v: seen.append(float(v)), x)
    ...     return x * x
    >>> fl.grad(f)(3.0)
    np.float32(6.0)
    >>> seen
    [3.0]
    """
    def _callback(cb: Callable[..., Any], *c_args: Any, **c_kwargs: Any) -> None:
        if not callable(cb):
            raise TypeError(f"first argument to fl.debug.callback must be callable, but got "
                            f"an object of type {type(cb).__name__}")
        in_tree, dyn, static = _split_callback_args(c_args, c_kwargs)
        debug_callback_p.bind(*dyn, callback=FlatCallback(cb, in_tree, static),
                              ordered=ordered, partitioned=partitioned)

    if callback is not None:
        _callback(callback, *args, **kwargs)
        return None
    if args or kwargs:
        raise TypeError(f"debug.callback received unexpected arguments in the two-call form: "
                        f"{args=} {kwargs=}; write fl.debug.callback(ordered=True)(f, *args).")
    return _callback
