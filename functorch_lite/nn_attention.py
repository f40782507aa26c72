"""``fl.nn.dot_product_attention``: scaled dot-product attention, as ``jax.nn``'s
``implementation="xla"`` computes it.

Layout ``BTNH`` (batch, query length, heads, head size) for the query and ``BSKH`` for
the key and value; ``N`` query heads share ``K`` key/value heads in groups of
``G = N // K`` (grouped-query attention).  The steps are JAX's, so values, dtypes and
derivatives match: logits in at least float32, scaled, plus ``bias``; masked places set
to a large negative number (not ``-inf``: a row with nothing visible is uniform, not
NaN); softmax in float32; probabilities cast to the key's dtype before the weighted sum.

>>> import functorch_lite.nn as nn, numpy as np
>>> q = k = v = np.eye(2, dtype=np.float32).reshape(1, 2, 1, 2)
>>> nn.dot_product_attention(q, k, v, is_causal=True)[0, :, 0].round(4)  # v = I: the weights
array([[1.    , 0.    ],
       [0.3302, 0.6698]], dtype=float32)
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import lax
from . import numpy as fnp

__all__ = ["dot_product_attention"]

Array = Any


def _ensure_4d(t):
    t = fnp.asarray(t)
    return fnp.expand_dims(t, tuple(range(4 - t.ndim))) if t.ndim < 4 else t


def _check(t, shape: list, dtype, name: str) -> None:
    """JAX's shape/dtype checks (``-1``: any size), with the expected layout named."""
    if t is None:
        return
    if t.ndim != len(shape):
        raise ValueError(f"dot_product_attention: {name} ndim should be {len(shape)}, but got "
                         f"{t.ndim} (shape {tuple(t.shape)}).")
    if dtype is not None and t.dtype != dtype:
        raise ValueError(f"dot_product_attention: {name} dtype should be {np.dtype(dtype)}, "
                         f"but got {t.dtype}; convert it with .astype.")
    if any(s != -1 and d != s for d, s in zip(t.shape, shape)):
        want = tuple("any" if s == -1 else s for s in shape)
        raise ValueError(f"dot_product_attention: {name} shape should be {want}, but got "
                         f"{tuple(t.shape)} (query BTNH, key and value BSKH).")


def _grouped(t, K: int, G: int):
    """A ``(B, N or 1, T, S)`` bias or mask as ``(B, K or 1, G or 1, T, S)``."""
    if t is None:
        return None
    b, n, tt, s = t.shape
    return t[:, :, None] if n == 1 else fnp.reshape(t, (b, K, G, tt, s))


def _visible(T: int, S: int, mask, is_causal, q_len, kv_len, window):
    """The combined boolean mask (broadcastable to ``(B, K, G, T, S)``), or None."""
    parts = [] if mask is None else [mask]
    if is_causal:
        parts.append(np.tril(np.ones((T, S), bool)))
    if window is not None:
        left, right = window
        q_pos, k_pos = np.arange(T)[:, None], np.arange(S)[None, :]
        parts.append((q_pos <= k_pos + left) & (q_pos >= k_pos - right))
    if q_len is not None or kv_len is not None:
        ok = True
        if q_len is not None:
            ok = fnp.arange(T)[None, :, None] < q_len[:, None, None]
        if kv_len is not None:
            ok = fnp.logical_and(ok, fnp.arange(S)[None, None, :] < kv_len[:, None, None])
        parts.append(fnp.asarray(ok)[:, None, None])
    if not parts:
        return None
    out = parts[0]
    for p in parts[1:]:
        out = fnp.logical_and(out, p)
    return out


def dot_product_attention(query: Array, key: Array, value: Array, bias: Array | None = None,
                          mask: Array | None = None, *, scale: float | None = None,
                          is_causal: bool = False, query_seq_lengths: Array | None = None,
                          key_value_seq_lengths: Array | None = None,
                          local_window_size: int | tuple[int, int] | None = None,
                          implementation: str | None = None,
                          return_residual: bool = False) -> Array:
    """``softmax(scale * q kᵀ + bias, masked) v`` per head, as ``jax.nn.dot_product_attention``.

    ``query`` is ``(B, T, N, H)``, ``key``/``value`` ``(B, S, K, H)`` (or with leading axes
    dropped); ``bias``/``mask`` broadcast to ``(B, N, T, S)``; ``scale`` defaults to
    ``1/sqrt(H)``.  ``return_residual=True`` also returns the softmax's logsumexp
    ``(B, T, N)`` (without gradient).  Only the XLA formulation exists here:
    ``implementation="cudnn"`` raises.

    >>> import functorch_lite.nn as nn, numpy as np
    >>> q = np.ones((2, 3, 4, 8), np.float32); kv = np.ones((2, 5, 2, 8), np.float32)
    >>> nn.dot_product_attention(q, kv, kv).shape
    (2, 3, 4, 8)
    """
    if implementation not in (None, "xla"):
        if implementation == "cudnn":
            raise NotImplementedError("dot_product_attention: implementation='cudnn' (a GPU "
                                      "kernel) is not available here; use None or 'xla'.")
        raise ValueError(f"Unsupported implementation option: {implementation}")
    out_shape = fnp.shape(query)
    q, k, v = _ensure_4d(query), _ensure_4d(key), _ensure_4d(value)
    bias = None if bias is None else _ensure_4d(bias)
    mask = None if mask is None else _ensure_4d(mask)
    q_len = None if query_seq_lengths is None else fnp.asarray(query_seq_lengths)
    kv_len = None if key_value_seq_lengths is None else fnp.asarray(key_value_seq_lengths)
    if isinstance(local_window_size, int):
        local_window_size = (local_window_size, local_window_size)
    B, S, K, H = k.shape
    _check(v, [B, S, K, H], k.dtype, "value")
    _check(q, [B, -1, -1, H], k.dtype, "query")
    _check(mask, [-1] * 4, np.dtype(bool), "mask")
    _check(bias, [-1] * 4, None, "bias")
    _check(q_len, [B], np.dtype(np.int32), "query_seq_lengths")
    _check(kv_len, [B], np.dtype(np.int32), "key_value_seq_lengths")
    T, N = q.shape[1], q.shape[2]
    if N % K != 0:
        raise ValueError(f"The number of query heads must be a multiple of key/value heads, "
                         f"but got {N} vs {K}")
    G = N // K
    scale = 1.0 / math.sqrt(H) if scale is None else scale

    logits_dtype = fnp.promote_types(q.dtype, np.float32)
    qg = fnp.reshape(q, (B, T, K, G, H))
    logits = fnp.einsum("btkgh,bskh->bkgts", qg, k, preferred_element_type=logits_dtype)
    logits = logits * fnp.array(scale, dtype=logits.dtype)
    if bias is not None:
        logits = (logits + _grouped(bias, K, G)).astype(logits.dtype)
    visible = _visible(T, S, _grouped(mask, K, G), is_causal, q_len, kv_len,
                       local_window_size)
    if visible is not None:
        big = min(float(np.finfo(logits.dtype).max), float(np.finfo(np.float32).max))
        logits = fnp.where(visible, logits, fnp.array(-0.7 * big, dtype=logits.dtype))
    logits = logits.astype(np.float32)   # the softmax is float32, as in JAX
    from .nn import logsumexp, softmax
    probs = softmax(logits, axis=-1).astype(k.dtype)
    encoded = fnp.einsum("bkgts,bskh->btkgh", probs, v)
    if q_len is not None:
        encoded = encoded * (fnp.arange(T)[None, :] < q_len[:, None])[
            :, :, None, None, None].astype(encoded.dtype)
    encoded = fnp.reshape(encoded, out_shape)
    if not return_residual:
        return encoded
    lse = logsumexp(logits, axis=-1).astype(k.dtype)          # (B, K, G, T)
    lse = fnp.reshape(fnp.transpose(lse, (0, 3, 1, 2)), out_shape[:-1])
    return encoded, lax.stop_gradient(lse)
