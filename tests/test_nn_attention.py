"""fl.nn.dot_product_attention against jax.nn.dot_product_attention: values for every
option, dtypes, gradients, jit, vmap and the errors."""
import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.nn as nn
import functorch_lite.numpy as fnp

B, T, S, N, K, H = 2, 3, 5, 4, 2, 8
rng = np.random.default_rng(0)
Q = rng.standard_normal((B, T, N, H)).astype(np.float32)
KEY = rng.standard_normal((B, S, K, H)).astype(np.float32)
V = rng.standard_normal((B, S, K, H)).astype(np.float32)
BIAS = rng.standard_normal((B, N, T, S)).astype(np.float32)
MASK = rng.random((B, 1, T, S)) > 0.3
QLEN, KVLEN = np.array([2, 3], np.int32), np.array([4, 1], np.int32)

OPTIONS = {
    "plain": {},
    "causal": dict(is_causal=True),
    "bias": dict(bias=BIAS),
    "bias_one_head": dict(bias=BIAS[:, :1]),
    "mask": dict(mask=MASK),
    "mask_per_head": dict(mask=rng.random((B, N, T, S)) > 0.5),
    "lengths": dict(query_seq_lengths=QLEN, key_value_seq_lengths=KVLEN),
    "kv_lengths": dict(key_value_seq_lengths=KVLEN),
    "window": dict(local_window_size=1),
    "window_causal_scale": dict(local_window_size=(2, 0), is_causal=True, scale=0.3),
    "everything": dict(bias=BIAS, mask=MASK, is_causal=True, query_seq_lengths=QLEN,
                       key_value_seq_lengths=KVLEN, local_window_size=(1, 2)),
    "residual": dict(return_residual=True, mask=MASK, bias=BIAS),
}


def close(a, b, rtol=1e-5, atol=1e-6):
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x.shape, y.shape, x.dtype, y.dtype)
        np.testing.assert_allclose(x.astype(np.float64), y.astype(np.float64), rtol=rtol,
                                   atol=atol)


@pytest.mark.parametrize("name", OPTIONS)
def test_values_match_jax(name):
    kw = OPTIONS[name]
    close(nn.dot_product_attention(Q, KEY, V, **kw), jax.nn.dot_product_attention(Q, KEY, V, **kw))


def test_a_fully_masked_row_is_uniform_not_nan():
    mask = np.zeros((B, 1, T, S), bool)
    out = nn.dot_product_attention(Q, KEY, V, mask=mask)
    assert np.isfinite(out).all()
    close(out, jax.nn.dot_product_attention(Q, KEY, V, mask=mask))
    np.testing.assert_allclose(out[:, :, 0], np.repeat(V.mean(1)[:, None, 0], T, 1), rtol=1e-5)


def test_three_dimensional_inputs_and_multi_query():
    q, k, v = Q[0], KEY[0, :, :1], V[0, :, :1]          # (T, N, H), one key/value head
    close(nn.dot_product_attention(q, k, v, is_causal=True),
          jax.nn.dot_product_attention(q, k, v, is_causal=True))


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16])
def test_half_precision(dtype):
    q, k, v = (a.astype(dtype) for a in (Q, KEY, V))
    ours = nn.dot_product_attention(q, k, v, bias=BIAS.astype(dtype), is_causal=True)
    assert ours.dtype == dtype
    close(ours, jax.nn.dot_product_attention(q, k, v, bias=BIAS.astype(dtype), is_causal=True),
          rtol=2e-2, atol=2e-2)


def test_float64_under_x64():
    q, k, v = (a.astype(np.float64) for a in (Q, KEY, V))
    ours = nn.dot_product_attention(q, k, v, mask=MASK, return_residual=True)
    with jax.enable_x64(True):
        ref = jax.nn.dot_product_attention(q, k, v, mask=MASK, return_residual=True)
    assert ours[0].dtype == np.float64
    close(ours, ref, rtol=1e-6)  # the softmax is float32 in both


@pytest.mark.parametrize("name", ["plain", "bias", "everything", "window_causal_scale"])
def test_gradients_match_jax(name):
    kw = dict(OPTIONS[name])
    bias = kw.pop("bias", None)
    w = np.cos(np.arange(Q.size, dtype=np.float32)).reshape(Q.shape)

    def loss(lib, attn):
        def f(q, k, v, b):
            return lib.sum(w * attn(q, k, v, bias=b, **kw))
        return f
    argnums = (0, 1, 2, 3) if bias is not None else (0, 1, 2)
    ours = fl.grad(loss(fnp, nn.dot_product_attention), argnums)(Q, KEY, V, bias)
    theirs = jax.grad(loss(jnp, jax.nn.dot_product_attention), argnums)(Q, KEY, V, bias)
    close(ours, theirs, rtol=1e-4, atol=1e-5)
    close(fl.jit(fl.grad(loss(fnp, nn.dot_product_attention), argnums))(Q, KEY, V, bias),
          theirs, rtol=1e-4, atol=1e-5)


def test_residual_has_no_gradient():
    g = fl.grad(lambda q: fnp.sum(nn.dot_product_attention(q, KEY, V, return_residual=True)[1]))
    np.testing.assert_array_equal(g(Q), np.zeros_like(Q))


def test_jit_and_vmap():
    kw = dict(mask=MASK, is_causal=True, key_value_seq_lengths=KVLEN)
    want = jax.nn.dot_product_attention(Q, KEY, V, **kw)
    close(fl.jit(lambda q, k, v: nn.dot_product_attention(q, k, v, **kw))(Q, KEY, V), want)
    # vmap over a leading axis of a batch of (T, N, H) queries
    per = fl.vmap(lambda q, k, v: nn.dot_product_attention(q, k, v, is_causal=True))(Q, KEY, V)
    close(per, jax.vmap(lambda q, k, v: jax.nn.dot_product_attention(q, k, v, is_causal=True))(
        Q, KEY, V))


@pytest.mark.parametrize("call,err,words", [
    (lambda: nn.dot_product_attention(Q, KEY, V[..., :4]), ValueError,
     ["value shape", "(2, 5, 2, 8)"]),
    (lambda: nn.dot_product_attention(Q, KEY, V.astype(np.float64)), ValueError,
     ["value dtype", "float32"]),
    (lambda: nn.dot_product_attention(Q[..., :3, :], KEY, V), ValueError, ["multiple", "3 vs 2"]),
    (lambda: nn.dot_product_attention(Q, KEY, V, mask=MASK.astype(np.int32)), ValueError,
     ["mask dtype", "bool"]),
    (lambda: nn.dot_product_attention(Q, KEY, V, query_seq_lengths=QLEN.astype(np.int64)),
     ValueError, ["query_seq_lengths dtype", "int32"]),
    (lambda: nn.dot_product_attention(Q, KEY, V, bias=np.ones((1, 1, 1, 1, 1), np.float32)),
     ValueError, ["bias ndim should be 4"]),
    (lambda: nn.dot_product_attention(Q, KEY, V, implementation="cudnn"), NotImplementedError,
     ["cudnn", "'xla'"]),
    (lambda: nn.dot_product_attention(Q, KEY, V, implementation="triton"), ValueError,
     ["Unsupported implementation"]),
])
def test_errors(call, err, words):
    with pytest.raises(err) as e:
        call()
    for w in words:
        assert w in str(e.value), (w, str(e.value))
