"""Smaller top-level JAX names: device and backend queries, ``typeof``,
``ensure_compile_time_eval`` and ``named_call``.

The device queries delegate to jax: jitted code runs through ``jax.jit``, so jax's
devices are this library's devices (eager code runs in NumPy on the host).
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import jax

from .core import ShapedArray, aval_of
from .viz import named_scope


def devices(backend: str | None = None) -> list:
    """The devices of ``backend`` (jax's default backend when None), as ``jax.devices``.

    >>> import functorch_lite as fl, jax
    >>> fl.devices() == jax.devices()
    True
    """
    return jax.devices(backend)


def local_devices(process_index: int | None = None, backend: str | None = None,
                  host_id: int | None = None) -> list:
    """The devices attached to this process (or to ``process_index``), as
    ``jax.local_devices``.

    >>> import functorch_lite as fl, jax
    >>> fl.local_devices() == jax.local_devices()
    True
    """
    return jax.local_devices(process_index, backend, host_id)


def device_count(backend: str | None = None) -> int:
    """The number of devices of ``backend`` over all processes, as ``jax.device_count``.

    >>> import functorch_lite as fl
    >>> fl.device_count() >= 1
    True
    """
    return jax.device_count(backend)


def local_device_count(backend: str | None = None) -> int:
    """The number of devices of ``backend`` attached to this process, as
    ``jax.local_device_count``.

    >>> import functorch_lite as fl
    >>> fl.local_device_count() == len(fl.local_devices())
    True
    """
    return jax.local_device_count(backend)


def default_backend() -> str:
    """The platform name of jax's default backend (``'cpu'``, ``'gpu'``, ``'tpu'``), where
    ``jit`` compiles to, as ``jax.default_backend``.

    >>> import functorch_lite as fl
    >>> fl.default_backend() in ("cpu", "gpu", "tpu")
    True
    """
    return jax.default_backend()


def process_index(backend: str | None = None) -> int:
    """This process's index in a multi-process run (0 in a single process), as
    ``jax.process_index``.

    >>> import functorch_lite as fl
    >>> fl.process_index()
    0
    """
    return jax.process_index(backend)


def process_count(backend: str | None = None) -> int:
    """The number of processes of a multi-process run (1 in a single process), as
    ``jax.process_count``.

    >>> import functorch_lite as fl
    >>> fl.process_count()
    1
    """
    return jax.process_count(backend)


def typeof(x: Any) -> ShapedArray:
    """The abstract value of ``x``: its shape, dtype and weak type, as ``jax.typeof``.

    Returns this library's ``fl.ShapedArray`` (what its tracers carry and its jaxprs
    print), not jax's class: same ``shape``/``dtype``/``weak_type``/``ndim``/``size``,
    but it prints as the jaxprs do (``f32[3]`` rather than ``float32[3]``).  Works on
    arrays, Python scalars (weakly typed) and tracers inside every transformation.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.typeof(np.ones(3, np.float32))
    ShapedArray(f32[3])
    >>> fl.typeof(1.0)
    ShapedArray(f32[], weak_type=True)
    >>> fl.grad(lambda x: print(fl.typeof(x)) or x * 2.0)(1.0)
    ShapedArray(f32[], weak_type=True)
    np.float32(2.0)
    """
    return aval_of(x)


@contextlib.contextmanager
def ensure_compile_time_eval() -> Iterator[None]:
    """Evaluate operations on concrete values at once, even while tracing for ``jit``, as
    ``jax.ensure_compile_time_eval`` (a context manager, also usable as a decorator).

    In functorch_lite that is always the case: an operation none of whose inputs is a
    tracer runs its NumPy implementation right away (under ``jit`` too) and gives a
    concrete value, so this context changes nothing; it exists so JAX programs run
    unchanged.  As in JAX, operations on traced values stay traced inside it.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp, numpy as np
    >>> @fl.jit
    ... def f(x):
    ...     with fl.ensure_compile_time_eval():
    ...         n = int(fnp.arange(4).sum())  # concrete: usable as a Python int
    ...     return x * n
    >>> f(np.float32(1.0))
    Array(6., dtype=float32)
    """
    yield


def named_call(fun: Callable, *, name: str | None = None) -> Callable:
    """``fun`` with its computation named ``name`` (``fun.__name__`` when None), as
    ``jax.named_call``: the equations it records form one ``fl.named_scope``, which
    ``fl.viz.graph(..., collapse=True)`` draws as one box.  Values and derivatives are
    ``fun``'s.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> sq = fl.named_call(lambda x: x * x, name="square")
    >>> [n.scope or n.label for n in fl.viz.graph(lambda x: fnp.sin(sq(x)), 1.0,
    ...                                            collapse=True).ops]
    ['square', 'sin']
    >>> fl.grad(sq)(3.0)
    np.float32(6.0)
    """
    scope = name if name is not None else getattr(fun, "__name__", None)
    if not isinstance(scope, str) or not scope:
        raise TypeError(f"named_call: give a non-empty string name for {fun!r} (it has no "
                        f"__name__), got name={name!r}.")

    @functools.wraps(fun)
    def named(*args: Any, **kwargs: Any) -> Any:
        with named_scope(scope):
            return fun(*args, **kwargs)
    return named
