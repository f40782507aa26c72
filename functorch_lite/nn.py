"""``fl.nn``: activations, losses, layers and initializers as pure functions over pytrees.

Written only with the public API (``fnp``, ``fl.lax``, ``fl.random``), so every
function here works eagerly and under ``grad``/``vmap``/``jit`` alike.  Values
and derivatives follow ``jax.nn`` (and ``optax.losses`` for the losses), and are
finite for extreme inputs: logits of +-1e4 give no inf/NaN values or gradients,
``relu'(0) = 0``, and ``layer_norm`` of a constant row is finite.

Conventions (the teaching ones, stated once):

- parameters of a dense layer are ``{"W": (in, out), "b": (out,)}``; a layer computes
  ``x @ W + b`` on row vectors;
- losses take ``reduction="mean"`` (default), ``"sum"`` or ``"none"``.  For
  ``softmax_cross_entropy`` and ``multiclass_hinge`` the per-example loss is a
  scalar per row and ``"mean"`` averages over the batch; ``mse`` and
  ``sigmoid_binary_cross_entropy`` are elementwise and ``"mean"`` averages over
  all elements (PyTorch's ``MSELoss``/``BCEWithLogitsLoss`` convention);
- ``l2_penalty(params) = 0.5 * sum of squares of every leaf``, so its gradient is
  ``params`` itself (weight decay); multiply by the regularization strength.

>>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
>>> params = nn.init_mlp(0, [3, 4, 2])
>>> nn.mlp(params, fnp.ones((5, 3))).shape
(5, 2)
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import lax
from . import nn_initializers as initializers
from . import numpy as fnp
from . import random as frandom
from .transforms.custom import custom_jvp
from .tree_util import tree_leaves

__all__ = ["relu", "sigmoid", "tanh", "softplus", "gelu", "silu", "softmax", "log_softmax",
           "logsumexp", "one_hot", "mse", "softmax_cross_entropy", "sigmoid_binary_cross_entropy",
           "multiclass_hinge", "l2_penalty", "init_mlp", "mlp", "init_layer_norm", "layer_norm",
           "residual", "dense", "init_conv1d", "conv1d", "glorot_uniform", "he_normal",
           "initializers",
           # from nn_activations
           "identity", "relu6", "leaky_relu", "elu", "celu", "selu", "hard_tanh",
           "hard_sigmoid", "hard_silu", "hard_swish", "log_sigmoid", "swish", "mish",
           "soft_sign", "squareplus", "sparse_plus", "sparse_sigmoid", "glu", "log1mexp",
           "logmeanexp", "standardize",
           # from nn_attention
           "dot_product_attention"]

Array = Any


# --------------------------------------------------------------------- activations

def relu(x: Array) -> Array:
    """``max(x, 0)`` with derivative 0 at 0, as ``jax.nn.relu``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.relu(fnp.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.], dtype=float32)
    """
    x = fnp.asarray(x)
    return fnp.where(x > 0, x, 0)


def _neg_abs(x: Array) -> Array:
    """``-|x|`` whose derivative at 0 is -1 (one side), not abs's 0."""
    return fnp.where(x >= 0, -x, x)


def sigmoid(x: Array) -> Array:
    """The logistic function ``1 / (1 + exp(-x))``, as ``jax.nn.sigmoid``, computed
    from ``exp(-|x|)`` so no exponential overflows.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.sigmoid(fnp.array([0.0]))
    array([0.5], dtype=float32)
    """
    x = fnp.asarray(x)
    e = fnp.exp(_neg_abs(x))
    return fnp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def tanh(x: Array) -> Array:
    """Hyperbolic tangent, as ``jax.nn.tanh``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.tanh(fnp.array([0.0]))
    array([0.], dtype=float32)
    """
    return fnp.tanh(x)


def softplus(x: Array) -> Array:
    """``log(1 + exp(x))``, as ``jax.nn.softplus``: ``max(x, 0) + log1p(exp(-|x|))``,
    finite with derivative ``sigmoid(x)`` everywhere.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.softplus(fnp.array(1e4)))
    10000.0
    """
    x = fnp.asarray(x)
    # the two pieces' derivatives at 0 are 1 and -1/2: sigmoid(0) in total
    return fnp.where(x >= 0, x, 0 * x) + fnp.log1p(fnp.exp(_neg_abs(x)))


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)

# The rational approximation of erf on [-4, 4] used by XLA/Eigen for float32
# (accurate to float32 rounding; erf(+-4) rounds to +-1 in float32).
_ERF_ALPHA = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
              -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
              -1.60960333262415e-02)
_ERF_BETA = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
             -7.37332916720468e-03, -1.42647390514189e-02)


def _polyval(coeffs: Sequence[float], x: Array) -> Array:
    out = coeffs[0] + 0 * x
    for c in coeffs[1:]:
        out = out * x + c
    return out


@custom_jvp
def _erf(x: Array) -> Array:
    x = fnp.clip(x, -4.0, 4.0)
    x2 = x * x
    return x * _polyval(_ERF_ALPHA, x2) / _polyval(_ERF_BETA, x2)


@_erf.defjvp
def _erf_jvp(primals, tangents):
    # the exact derivative 2/sqrt(pi) exp(-x^2), not the approximation's
    (x,), (t,) = primals, tangents
    return _erf(x), t * (2 / math.sqrt(math.pi)) * fnp.exp(-x * x)


def gelu(x: Array, approximate: bool = True) -> Array:
    """Gaussian error linear unit, as ``jax.nn.gelu``: the tanh approximation by
    default, ``x * Phi(x)`` with ``approximate=False`` (there ``erf`` is XLA's
    float32 rational approximation, so float64 inputs get float32 accuracy; its
    derivative is the exact ``2/sqrt(pi) exp(-x^2)``).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.gelu(fnp.array([0.0, 10.0]))
    array([ 0., 10.], dtype=float32)
    """
    x = fnp.asarray(x)
    if approximate:
        cdf = 0.5 * (1.0 + fnp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x ** 3))))
        return x * cdf
    return x * (_erf(x / math.sqrt(2)) + 1) / 2


def silu(x: Array) -> Array:
    """``x * sigmoid(x)`` (swish), as ``jax.nn.silu``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.silu(fnp.array([0.0]))
    array([0.], dtype=float32)
    """
    x = fnp.asarray(x)
    return x * sigmoid(x)


def _max_stopped(x: Array, axis, keepdims: bool = True) -> Array:
    """The max along ``axis`` (0 where it is not finite), held constant for AD."""
    m = fnp.max(x, axis=axis, keepdims=keepdims)
    return lax.stop_gradient(fnp.where(fnp.isfinite(m), m, fnp.zeros_like(m)))


def softmax(x: Array, axis: int | tuple[int, ...] | None = -1) -> Array:
    """``exp(x) / sum(exp(x))`` along ``axis``, with the max subtracted first, as
    ``jax.nn.softmax``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.softmax(fnp.array([1e4, 0.0]))
    array([1., 0.], dtype=float32)
    """
    x = fnp.asarray(x)
    e = fnp.exp(x - _max_stopped(x, axis))
    return e / fnp.sum(e, axis=axis, keepdims=True)


def log_softmax(x: Array, axis: int | tuple[int, ...] | None = -1) -> Array:
    """``x - logsumexp(x)`` along ``axis``, as ``jax.nn.log_softmax`` (shifted by
    the stop-gradient max, so logits of 1e4 give finite values and gradients).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.log_softmax(fnp.array([1e4, 0.0]))
    array([     0., -10000.], dtype=float32)
    """
    x = fnp.asarray(x)
    shifted = x - _max_stopped(x, axis)
    return shifted - fnp.log(fnp.sum(fnp.exp(shifted), axis=axis, keepdims=True))


def logsumexp(a: Array, axis: int | tuple[int, ...] | None = None, b: Array | None = None,
              keepdims: bool = False, return_sign: bool = False) -> Array | tuple[Array, Array]:
    """``log(sum(b * exp(a)))`` along ``axis``, computed stably, as ``jax.nn.logsumexp``:
    entries with ``b == 0`` are left out (no NaN from an infinite ``a`` there), a negative
    sum gives NaN unless ``return_sign=True`` (then ``(log|sum|, sign(sum))``).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.logsumexp(fnp.array([1e4, 1e4])))
    10000.693359375
    >>> [float(v) for v in nn.logsumexp(fnp.array([0.0, 0.0]), b=fnp.array([1.0, -2.0]),
    ...                                 return_sign=True)]
    [0.0, -1.0]
    """
    a = fnp.asarray(a)
    if a.dtype not in (fnp.float16, fnp.bfloat16, fnp.float32, fnp.float64):
        a = a.astype(fnp.float32)
    if b is not None:
        b = fnp.asarray(b)
        a = fnp.where(b != 0, a, -fnp.inf)
    m = _max_stopped(a, axis)
    e = fnp.exp(a - m)
    if b is not None:
        e = b * e
    total = fnp.sum(e, axis=axis, keepdims=True)
    sign = fnp.sign(total)
    s = fnp.log(fnp.abs(total)) + m
    if b is not None and not return_sign:
        s = fnp.where(sign < 0, fnp.full_like(s, fnp.nan), s)
    if not keepdims:
        if axis is None:
            s, sign = fnp.reshape(s, ()), fnp.reshape(sign, ())
        else:
            s, sign = fnp.squeeze(s, axis=axis), fnp.squeeze(sign, axis=axis)
    return (s, sign) if return_sign else s


def one_hot(x: Array, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Array:
    """One-hot encoding of integer ``x`` (out-of-range values give all zeros), as
    ``jax.nn.one_hot``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.one_hot(fnp.array([0, 2]), 3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    x = fnp.asarray(x)
    dtype = fnp.float32 if dtype is None else dtype
    nd = x.ndim + 1
    ax = axis % nd if -nd <= axis < nd else None
    if ax is None:
        raise ValueError(f"fl.nn.one_hot: axis {axis} is out of bounds for a result of rank "
                         f"{nd}.")
    classes = fnp.reshape(fnp.arange(num_classes), (num_classes,) + (1,) * (nd - 1 - ax))
    return (fnp.expand_dims(x, ax) == classes).astype(dtype)


# --------------------------------------------------------------------- losses

def _reduce(losses: Array, reduction: str, fn: str) -> Array:
    if reduction == "mean":
        return fnp.mean(losses)
    if reduction == "sum":
        return fnp.sum(losses)
    if reduction == "none":
        return losses
    raise ValueError(f"fl.nn.{fn}: reduction must be 'mean', 'sum' or 'none', got "
                     f"{reduction!r}.")


def _check_same_shape(fn: str, a: Array, b: Array, an: str, bn: str) -> None:
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"fl.nn.{fn}: {an} has shape {tuple(a.shape)} but {bn} has shape "
                         f"{tuple(b.shape)}; they must match.")


def mse(pred: Array, target: Array, reduction: str = "mean") -> Array:
    """Squared error ``(pred - target)**2``, averaged over all elements (``"sum"``:
    summed; ``"none"``: elementwise).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.mse(fnp.array([1.0, 3.0]), fnp.array([0.0, 0.0])))
    5.0
    """
    pred, target = fnp.asarray(pred), fnp.asarray(target)
    _check_same_shape("mse", pred, target, "pred", "target")
    return _reduce(fnp.square(pred - target), reduction, "mse")


def _is_int(x: Array) -> bool:
    return np.issubdtype(np.dtype(x.dtype), np.integer)


def _integer_label_mask(fn: str, scores: Array, labels: Array) -> Array:
    """Boolean one-hot mask of integer ``labels`` (shape ``scores.shape[:-1]``)."""
    if tuple(labels.shape) != tuple(scores.shape[:-1]):
        raise ValueError(f"fl.nn.{fn}: integer labels must have shape {tuple(scores.shape[:-1])}"
                         f" (the scores' shape {tuple(scores.shape)} without the class axis), "
                         f"got {tuple(labels.shape)}.")
    n = scores.shape[-1]
    return fnp.expand_dims(labels, -1) == fnp.arange(n)


def softmax_cross_entropy(logits: Array, labels: Array, reduction: str = "mean") -> Array:
    """Cross-entropy ``-sum(labels * log_softmax(logits), -1)`` per example, with
    integer class ``labels`` (shape ``logits.shape[:-1]``) or one-hot/probability
    ``labels`` (shape ``logits.shape``); averaged over the batch.  Equals
    ``optax.losses.softmax_cross_entropy(_with_integer_labels)`` averaged.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.softmax_cross_entropy(fnp.array([[1e4, 0.0]]), fnp.array([1])))
    10000.0
    """
    logits, labels = fnp.asarray(logits), fnp.asarray(labels)
    logp = log_softmax(logits, axis=-1)
    if _is_int(labels):
        mask = _integer_label_mask("softmax_cross_entropy", logits, labels)
        losses = -fnp.sum(fnp.where(mask, logp, 0 * logp), axis=-1)
    else:
        _check_same_shape("softmax_cross_entropy", logits, labels, "logits",
                          "labels (one-hot or probabilities)")
        losses = -fnp.sum(labels * logp, axis=-1)
    return _reduce(losses, reduction, "softmax_cross_entropy")


def sigmoid_binary_cross_entropy(logits: Array, labels: Array, reduction: str = "mean") -> Array:
    """The logistic loss ``-y log sigmoid(z) - (1 - y) log(1 - sigmoid(z))`` written as
    ``softplus(z) - y z`` (stable for any ``z``), elementwise, averaged over all
    elements; equals ``optax.losses.sigmoid_binary_cross_entropy`` averaged.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.sigmoid_binary_cross_entropy(fnp.array([0.0]), fnp.array([1.0])))
    0.6931471824645996
    """
    logits, labels = fnp.asarray(logits), fnp.asarray(labels)
    _check_same_shape("sigmoid_binary_cross_entropy", logits, labels, "logits", "labels")
    labels = labels.astype(logits.dtype)
    return _reduce(softplus(logits) - labels * logits, reduction,
                   "sigmoid_binary_cross_entropy")


def multiclass_hinge(scores: Array, labels: Array, margin: float = 1.0,
                     reduction: str = "mean") -> Array:
    """The multiclass SVM loss ``sum_{j != y} max(0, s_j - s_y + margin)`` per example
    (integer ``labels``), averaged over the batch; the derivative of each hinge is
    the indicator ``s_j - s_y + margin > 0``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.multiclass_hinge(fnp.array([[3.0, 1.0, 2.5]]), fnp.array([0])))
    0.5
    """
    scores, labels = fnp.asarray(scores), fnp.asarray(labels)
    if not _is_int(labels):
        raise TypeError(f"fl.nn.multiclass_hinge: labels must be integer class indices, got "
                        f"dtype {labels.dtype}; use .astype(fnp.int32).")
    mask = _integer_label_mask("multiclass_hinge", scores, labels)
    correct = fnp.sum(fnp.where(mask, scores, 0 * scores), axis=-1, keepdims=True)
    margins = relu(scores - correct + margin)
    losses = fnp.sum(fnp.where(mask, 0 * margins, margins), axis=-1)
    return _reduce(losses, reduction, "multiclass_hinge")


def l2_penalty(params: Any) -> Array:
    """``0.5 * sum(p**2)`` over every leaf of ``params`` (gradient: ``params``).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> float(nn.l2_penalty({"W": fnp.array([1.0, 2.0]), "b": fnp.array([2.0])}))
    4.5
    """
    leaves = tree_leaves(params)
    if not leaves:
        return fnp.asarray(0.0)
    total = fnp.sum(fnp.square(fnp.asarray(leaves[0])))
    for p in leaves[1:]:
        total = total + fnp.sum(fnp.square(fnp.asarray(p)))
    return 0.5 * total


# --------------------------------------------------------------------- initializers

def glorot_uniform(key: Array, shape: Sequence[int], dtype: Any = None) -> Array:
    """Glorot/Xavier uniform draws on ``+-sqrt(6 / (fan_in + fan_out))``; bit-identical to
    ``jax.nn.initializers.glorot_uniform()(key, shape, dtype)`` (``fl.nn.initializers`` has
    the factories).

    >>> import functorch_lite as fl, functorch_lite.nn as nn
    >>> nn.glorot_uniform(fl.random.key(0), (3, 4)).shape
    (3, 4)
    """
    return initializers.glorot_uniform()(key, shape, dtype)


def he_normal(key: Array, shape: Sequence[int], dtype: Any = None) -> Array:
    """He/Kaiming draws with variance ``2 / fan_in`` from a normal truncated at two
    standard deviations; bit-identical to ``jax.nn.initializers.he_normal()(key, shape, dtype)``.

    >>> import functorch_lite as fl, functorch_lite.nn as nn
    >>> nn.he_normal(fl.random.key(0), (3, 4)).dtype
    dtype('float32')
    """
    return initializers.he_normal()(key, shape, dtype)


# --------------------------------------------------------------------- layers

def _as_key(seed_or_rng: Any, fn: str) -> Array:
    if isinstance(seed_or_rng, (bool, int, np.integer)):
        return frandom.key(int(seed_or_rng))
    if isinstance(seed_or_rng, np.random.Generator):
        return frandom.key(int(seed_or_rng.integers(2 ** 31)))
    shape = getattr(seed_or_rng, "shape", None)
    if shape is None or tuple(shape) != (2,):
        raise TypeError(f"fl.nn.{fn}: expected an int seed, a numpy Generator or an "
                        f"fl.random key (uint32[2]), got {type(seed_or_rng).__name__}"
                        f"{'' if shape is None else ' of shape ' + str(tuple(shape))}.")
    return seed_or_rng


def init_mlp(seed_or_rng: Any, sizes: Sequence[int], dtype: Any = None) -> list[dict]:
    """Parameters of a multilayer perceptron with layer widths ``sizes``:
    ``[{"W": (sizes[i], sizes[i+1]), "b": (sizes[i+1],)}, ...]``.  ``W`` is drawn with
    :func:`he_normal` (suited to ReLU), from ``fl.random.split(key, len(sizes) - 1)[i]``
    for layer ``i``; ``b`` is zero.  ``seed_or_rng`` is an int seed, a NumPy
    ``Generator`` or an ``fl.random`` key.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> [p["W"].shape for p in nn.init_mlp(0, [4, 8, 3])]
    [(4, 8), (8, 3)]
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"fl.nn.init_mlp: sizes needs at least an input and an output width, "
                         f"got {sizes}.")
    dt = np.dtype(np.float32 if dtype is None else dtype)
    keys = frandom.split(_as_key(seed_or_rng, "init_mlp"), len(sizes) - 1)
    return [{"W": he_normal(keys[i], (m, n), dt), "b": fnp.zeros((n,), dt)}
            for i, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]))]


def dense(params: dict, x: Array) -> Array:
    """The affine layer ``x @ W + b`` with ``params = {"W": (in, out), "b": (out,)}``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.dense({"W": fnp.ones((2, 3)), "b": fnp.zeros(3)}, fnp.ones(2))
    array([2., 2., 2.], dtype=float32)
    """
    return fnp.matmul(x, params["W"]) + params["b"]


def mlp(params: Sequence[dict], x: Array, activation: Callable = relu) -> Array:
    """The MLP ``x -> act(x W1 + b1) -> ... -> x Wn + bn`` (no activation on the last
    layer), for ``x`` of shape ``(in,)`` or ``(batch, in)``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.mlp(nn.init_mlp(0, [2, 3]), fnp.zeros((4, 2))).shape
    (4, 3)
    """
    h = x
    for i, p in enumerate(params):
        h = dense(p, h)
        if i < len(params) - 1:
            h = activation(h)
    return h


def init_layer_norm(dim: int, dtype: Any = None) -> dict:
    """Parameters of :func:`layer_norm` over a last axis of size ``dim``:
    ``{"scale": ones(dim), "bias": zeros(dim)}``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.init_layer_norm(3)["scale"]
    array([1., 1., 1.], dtype=float32)
    """
    dt = np.dtype(np.float32 if dtype is None else dtype)
    return {"scale": fnp.ones((dim,), dt), "bias": fnp.zeros((dim,), dt)}


def layer_norm(params: dict, x: Array, eps: float = 1e-5) -> Array:
    """Normalize over the last axis, then scale and shift:
    ``(x - mean) / sqrt(var + eps) * scale + bias`` (flax's ``LayerNorm`` with
    ``eps`` inside the square root), finite for constant rows.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.layer_norm(nn.init_layer_norm(2), fnp.array([[1.0, 1.0]]))
    array([[0., 0.]], dtype=float32)
    """
    x = fnp.asarray(x)
    for name in ("scale", "bias"):
        ps = tuple(np.shape(params[name]))
        try:
            np.broadcast_shapes(tuple(x.shape), ps)
        except ValueError:
            raise ValueError(
                f"fl.nn.layer_norm: params[{name!r}] has shape {ps} but x has shape "
                f"{tuple(x.shape)}; it must match x's last axis: make the params with "
                f"init_layer_norm({x.shape[-1] if x.shape else 1}).") from None
    mean = fnp.mean(x, axis=-1, keepdims=True)
    centered = x - mean
    var = fnp.mean(fnp.square(centered), axis=-1, keepdims=True)
    return centered / fnp.sqrt(var + eps) * params["scale"] + params["bias"]


def residual(f: Callable) -> Callable:
    """The residual block ``x -> x + f(x)``.  The block takes the same arguments as
    ``f`` and ``x`` is the last one: ``residual(f)(params, x) = x + f(params, x)``
    (or ``residual(g)(x) = x + g(x)``); ``f`` must keep ``x``'s shape.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> block = nn.residual(lambda p, x: p["w"] * x)
    >>> block({"w": fnp.array(2.0)}, fnp.array([1.0, 3.0]))
    array([3., 9.], dtype=float32)
    """
    def block(*args: Any) -> Array:
        if not args:
            raise TypeError("fl.nn.residual: the block needs its input x as its last argument.")
        return args[-1] + f(*args)
    block.__name__ = f"residual({getattr(f, '__name__', 'f')})"
    return block


def init_conv1d(seed_or_rng: Any, kernel_size: int, in_channels: int, out_channels: int,
                dtype: Any = None) -> dict:
    """Parameters of :func:`conv1d`: ``{"W": (K, C_in, C_out)`` drawn with
    :func:`he_normal` (fan_in = K * C_in), ``"b": zeros(C_out)}``.

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.init_conv1d(0, 3, 2, 4)["W"].shape
    (3, 2, 4)
    """
    dt = np.dtype(np.float32 if dtype is None else dtype)
    key = _as_key(seed_or_rng, "init_conv1d")
    return {"W": he_normal(key, (kernel_size, in_channels, out_channels), dt),
            "b": fnp.zeros((out_channels,), dt)}


def conv1d(params: dict, x: Array, stride: int = 1) -> Array:
    """1-D convolution with "VALID" padding (cross-correlation, as in deep learning):
    ``out[..., t, o] = sum_{k, c} x[..., t * stride + k, c] W[k, c, o] + b[o]`` for ``x``
    of shape ``(N, L, C_in)`` or ``(L, C_in)`` and ``W`` of shape ``(K, C_in, C_out)``;
    the output has length ``(L - K) // stride + 1``.  One ``fl.lax.conv_general_dilated``
    (XLA's convolution under ``jit``).

    >>> import functorch_lite.nn as nn, functorch_lite.numpy as fnp
    >>> nn.conv1d(nn.init_conv1d(0, 3, 2, 4), fnp.ones((5, 2))).shape
    (3, 4)
    """
    x = fnp.asarray(x)
    W, b = params["W"], params["b"]
    wshape = tuple(W.shape)
    if len(wshape) != 3:
        raise ValueError(f"fl.nn.conv1d: W must have shape (K, C_in, C_out), got {wshape}.")
    K, cin, cout = wshape
    if x.ndim not in (2, 3) or x.shape[-1] != cin:
        raise ValueError(f"fl.nn.conv1d: x must have shape (N, L, {cin}) or (L, {cin}) to match "
                         f"W of shape {wshape}, got {tuple(x.shape)}.")
    L = x.shape[-2]
    if L < K:
        raise ValueError(f"fl.nn.conv1d: the input length {L} is shorter than the kernel "
                         f"size {K} ('VALID' convolution needs L >= K).")
    dt = fnp.result_type(x, W)  # as the matmul it replaces: one promoted dtype
    batched = (x if x.ndim == 3 else fnp.expand_dims(x, 0)).astype(dt)
    out = lax.conv_general_dilated(batched, fnp.asarray(W).astype(dt), (stride,), "VALID",
                                   dimension_numbers=("NWC", "WIO", "NWC"))
    return (out if x.ndim == 3 else out[0]) + b


# the rest of jax.nn's activations live in their own module
from .nn_activations import (celu, elu, glu, hard_sigmoid, hard_silu, hard_swish,  # noqa: E402
                             hard_tanh, identity, leaky_relu, log1mexp, log_sigmoid,
                             logmeanexp, mish, relu6, selu, soft_sign, sparse_plus,
                             sparse_sigmoid, squareplus, standardize, swish)
from .nn_attention import dot_product_attention  # noqa: E402
