"""The rest of ``jax.nn``'s activations and helpers, re-exported by ``fl.nn``: the
ReLU family (``relu6``, ``leaky_relu``, ``elu``, ``celu``, ``selu``), the hard and sparse
variants, ``log_sigmoid``, ``mish``, ``soft_sign``, ``squareplus``, ``glu``,
``log1mexp``, ``logmeanexp``, ``standardize`` and ``identity``.

Each has ``jax.nn``'s formula, so its values and derivatives are JAX's, kinks included
(``relu6'`` is 0 at 0 and 6, ``leaky_relu'(0) = 1``, ``hard_tanh'`` is 1 at +-1).

>>> import functorch_lite.nn as nn, numpy as np
>>> nn.leaky_relu(np.array([-2.0, 3.0], np.float32))
array([-0.02,  3.  ], dtype=float32)
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import lax
from . import numpy as fnp
from .transforms.custom import custom_jvp

__all__ = ["identity", "relu6", "leaky_relu", "elu", "celu", "selu", "hard_tanh",
           "hard_sigmoid", "hard_silu", "hard_swish", "log_sigmoid", "swish", "mish",
           "soft_sign", "squareplus", "sparse_plus", "sparse_sigmoid", "glu", "log1mexp",
           "logmeanexp", "standardize"]

Array = Any


def _float(x: Array) -> Array:
    x = fnp.asarray(x)
    return x if fnp.issubdtype(x.dtype, fnp.floating) else x.astype(fnp.float32)


def _softplus(x: Array) -> Array:
    from .nn import softplus
    return softplus(x)


def identity(x: Array) -> Array:
    """``x`` itself, as ``jax.nn.identity``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.identity(np.array([1.0], np.float32))
    array([1.], dtype=float32)
    """
    return fnp.asarray(x)


def relu6(x: Array) -> Array:
    """``min(max(x, 0), 6)``; its derivative is 1 strictly inside ``(0, 6)``, 0 elsewhere
    (0 at the kinks, as ``jax.nn.relu6``).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.relu6(np.array([-1.0, 3.0, 9.0], np.float32))
    array([0., 3., 6.], dtype=float32)
    """
    x = fnp.asarray(x)
    inside = (x > 0) & (x < 6)
    return fnp.where(inside, x, fnp.where(x >= 6, fnp.full_like(x, 6), fnp.zeros_like(x)))


def leaky_relu(x: Array, negative_slope: Array = 0.01) -> Array:
    """``x`` for ``x >= 0``, ``negative_slope * x`` below.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.leaky_relu(np.array([-1.0, 2.0], np.float32), 0.1)
    array([-0.1,  2. ], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.where(x >= 0, x, negative_slope * x)


def elu(x: Array, alpha: Array = 1.0) -> Array:
    """``x`` for ``x > 0``, ``alpha (exp(x) - 1)`` below (no overflow for large ``x``).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.elu(np.array([-1.0, 2.0], np.float32))
    array([-0.63212055,  2.        ], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.where(x > 0, x, alpha * fnp.expm1(fnp.where(x > 0, 0.0, x)))


def celu(x: Array, alpha: Array = 1.0) -> Array:
    """``max(x, 0) + alpha (exp(min(x, 0) / alpha) - 1)``, as ``jax.nn.celu``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.celu(np.array([-1.0, 2.0], np.float32), 2.0)
    array([-0.78693867,  2.        ], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.maximum(x, 0.0) + alpha * fnp.expm1(fnp.minimum(x, 0.0) / alpha)


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def selu(x: Array) -> Array:
    """The scaled ELU ``scale * elu(x, alpha)`` with the self-normalizing constants.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.selu(np.array([1.0], np.float32))
    array([1.050701], dtype=float32)
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def hard_tanh(x: Array) -> Array:
    """``x`` clipped to ``[-1, 1]`` (derivative 1 on the closed interval, as JAX).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.hard_tanh(np.array([-3.0, 0.5, 3.0], np.float32))
    array([-1. ,  0.5,  1. ], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.where(x > 1, fnp.ones_like(x), fnp.where(x < -1, -fnp.ones_like(x), x))


def hard_sigmoid(x: Array) -> Array:
    """``relu6(x + 3) / 6``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.hard_sigmoid(np.array([-4.0, 0.0, 4.0], np.float32))
    array([0. , 0.5, 1. ], dtype=float32)
    """
    return relu6(fnp.asarray(x) + 3.0) / 6.0


def hard_silu(x: Array) -> Array:
    """``x * hard_sigmoid(x)`` (also ``hard_swish``).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.hard_silu(np.array([-4.0, 1.0], np.float32))
    array([-0.       ,  0.6666667], dtype=float32)
    """
    x = fnp.asarray(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def log_sigmoid(x: Array) -> Array:
    """``log(sigmoid(x)) = -softplus(-x)``, finite for large ``|x|``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.log_sigmoid(np.array([0.0, -100.0], np.float32))
    array([  -0.6931472, -100.       ], dtype=float32)
    """
    return -_softplus(-fnp.asarray(x))


def swish(x: Array) -> Array:
    """``x * sigmoid(x)``: ``silu``'s other name.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.swish(np.array([0.0], np.float32))
    array([0.], dtype=float32)
    """
    from .nn import silu
    return silu(x)


def mish(x: Array) -> Array:
    """``x * tanh(softplus(x))``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.mish(np.array([1.0], np.float32)).round(6)
    array([0.865098], dtype=float32)
    """
    x = fnp.asarray(x)
    return x * fnp.tanh(_softplus(x))


def soft_sign(x: Array) -> Array:
    """``x / (|x| + 1)``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.soft_sign(np.array([-1.0, 3.0], np.float32))
    array([-0.5 ,  0.75], dtype=float32)
    """
    x = fnp.asarray(x)
    return x / (fnp.abs(x) + 1)


def squareplus(x: Array, b: Array = 4) -> Array:
    """``(x + sqrt(x^2 + b)) / 2``, a smooth ReLU.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.squareplus(np.array([0.0], np.float32))
    array([1.], dtype=float32)
    """
    x = fnp.asarray(x)
    return (x + fnp.sqrt(fnp.square(x) + b)) / 2


def sparse_plus(x: Array) -> Array:
    """0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)^2 / 4`` between.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.sparse_plus(np.array([-2.0, 0.0, 2.0], np.float32))
    array([0.  , 0.25, 2.  ], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.where(x <= -1.0, 0.0, fnp.where(x >= 1.0, x, (x + 1.0) ** 2 / 4))


def sparse_sigmoid(x: Array) -> Array:
    """``clip(x + 1, 0, 2) / 2``, the derivative of ``sparse_plus``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.sparse_sigmoid(np.array([-2.0, 0.0, 2.0], np.float32))
    array([0. , 0.5, 1. ], dtype=float32)
    """
    return 0.5 * fnp.clip(fnp.asarray(x) + 1.0, 0.0, 2.0)


def glu(x: Array, axis: int = -1) -> Array:
    """The gated linear unit: ``x`` split in two halves ``a, b`` along ``axis``,
    ``a * sigmoid(b)``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.glu(np.array([2.0, 0.0], np.float32))
    array([1.], dtype=float32)
    """
    from .nn import sigmoid
    x = fnp.asarray(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(f"glu: the size {size} of axis {axis} (x of shape {x.shape}) must be "
                         "divisible by 2: glu splits it into a value half and a gate half.")
    x1, x2 = fnp.split(x, 2, axis)
    return x1 * sigmoid(x2)


@custom_jvp
def _log1mexp(x: Array) -> Array:
    c = math.log(2.0)
    return fnp.where(x < c, fnp.log(-fnp.expm1(-x)), fnp.log1p(-fnp.exp(-x)))


_log1mexp.defjvps(lambda g, ans, x: g / fnp.expm1(x))


def log1mexp(x: Array) -> Array:
    """``log(1 - exp(-x))`` for ``x > 0``, accurate near 0 and for large ``x`` (the
    derivative ``1 / expm1(x)``, as ``jax.nn.log1mexp``).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.log1mexp(np.array([1e-6, 50.0], np.float32))
    array([-1.3815511e+01, -1.9287499e-22], dtype=float32)
    """
    with np.errstate(all="ignore"):  # the branch ``where`` discards may divide by zero
        return _log1mexp(_float(x))


def logmeanexp(x: Array, axis: Any = None, where: Array | None = None,
               keepdims: bool = False) -> Array:
    """``log(mean(exp(x)))`` along ``axis``, stably (``where`` selects the entries).

    >>> import functorch_lite.nn as nn, numpy as np
    >>> float(nn.logmeanexp(np.array([1e4, 1e4], np.float32)))
    10000.0
    """
    from .nn import logsumexp
    x = _float(x)
    if where is None:
        lse = logsumexp(x, axis=axis, keepdims=keepdims)
        count = fnp.sum(fnp.ones_like(x), axis=axis, keepdims=keepdims)
    else:
        where = fnp.asarray(where)
        lse = logsumexp(x, axis=axis, b=where.astype(x.dtype) + fnp.zeros_like(x),
                        keepdims=keepdims)
        count = fnp.sum(fnp.broadcast_to(where, x.shape).astype(x.dtype), axis=axis,
                        keepdims=keepdims)
    return lse - fnp.log(count)


def standardize(x: Array, axis: Any = -1, mean: Array | None = None,
                variance: Array | None = None, epsilon: Array = 1e-5,
                where: Array | None = None, *, algorithm: str = "fast") -> Array:
    """``(x - mean) / sqrt(variance + epsilon)`` along ``axis`` (statistics computed when
    not given), as ``jax.nn.standardize``; ``algorithm="fast"`` computes the variance as
    ``mean(x^2) - mean^2`` (clipped at 0), ``"stable"`` as ``mean((x - mean)^2)``.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> nn.standardize(np.array([1.0, 3.0], np.float32))
    array([-0.999995,  0.999995], dtype=float32)
    """
    x = fnp.asarray(x)
    if mean is None:
        mean = fnp.mean(x, axis, keepdims=True, where=where)
    if variance is None:
        if algorithm == "stable":
            variance = fnp.mean(fnp.square(x - mean), axis, keepdims=True, where=where)
        elif algorithm == "fast":
            variance = fnp.mean(fnp.square(x), axis, keepdims=True, where=where) \
                - fnp.square(mean)
            variance = fnp.clip(variance, 0)
        else:
            raise ValueError(f"Unknown algorithm '{algorithm}'. Expected 'fast' or 'stable'.")
    return (x - mean) * lax.rsqrt(variance + epsilon)
