"""Moving values to and from the accelerator, and waiting for them, as JAX's
``device_put`` / ``device_get`` / ``block_until_ready``.

Eager results are NumPy arrays (already on the host); ``jit`` results are
``jax.Array``s, computed asynchronously on the device jax chose.  Every function of
the library accepts both, so these are only needed for timing and for staging data
on a GPU ahead of a jitted training loop.
"""
from __future__ import annotations

from typing import Any

import jax
from jax.tree_util import tree_leaves


def block_until_ready(x: Any) -> Any:
    """Wait until every ``jax.Array`` in the pytree ``x`` is computed; returns ``x``
    (NumPy values are ready already), as ``jax.block_until_ready``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.block_until_ready(fl.jit(lambda x: x * 2.0)(np.ones(2, np.float32)))
    Array([2., 2.], dtype=float32)
    """
    for leaf in tree_leaves(x):
        wait = getattr(leaf, "block_until_ready", None)
        if wait is not None:
            wait()
    return x


def device_put(x: Any, device: Any = None) -> Any:
    """The pytree ``x`` with its arrays as ``jax.Array``s on ``device`` (jax's default
    device when None), as ``jax.device_put``.

    >>> import functorch_lite as fl, numpy as np
    >>> type(fl.device_put(np.ones(2, np.float32))).__name__
    'ArrayImpl'
    """
    return jax.device_put(x, device)


def device_get(x: Any) -> Any:
    """The pytree ``x`` with its ``jax.Array``s copied to host NumPy arrays, as
    ``jax.device_get``.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.device_get(fl.jit(lambda x: x + 1.0)(np.zeros(2, np.float32)))
    array([1., 1.], dtype=float32)
    """
    return jax.device_get(x)
