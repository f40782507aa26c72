"""fl.nn: activations, losses, layers and initializers against jax.nn / optax.losses / numpy."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import functorch_lite as fl
import functorch_lite.nn as nn
import functorch_lite.numpy as fnp
import functorch_lite.random as fr
from functorch_lite.tree_util import tree_leaves

EXTREME = np.array([-1e4, -100.0, -30.0, -5.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 5.0, 30.0, 100.0,
                    1e4], np.float32)
ACTIVATIONS = ["relu", "sigmoid", "tanh", "softplus", "gelu", "silu", "relu6", "leaky_relu",
               "elu", "celu", "selu", "hard_tanh", "hard_sigmoid", "hard_silu", "hard_swish",
               "log_sigmoid", "swish", "mish", "soft_sign", "squareplus", "sparse_plus",
               "sparse_sigmoid", "identity"]
RNG = np.random.default_rng(0)


def close(a, b, rtol=1e-6, atol=1e-6):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def finite(*xs):
    for x in xs:
        assert np.all(np.isfinite(np.asarray(x))), x


# ----------------------------------------------------------------------------- activations

@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_values_and_grads_extreme(name):
    f, jf = getattr(nn, name), getattr(jax.nn, name)
    close(f(EXTREME), jf(EXTREME))
    g, jg = fl.vmap(fl.grad(f))(EXTREME), jax.vmap(jax.grad(jf))(EXTREME)
    finite(f(EXTREME), g)
    # atol: NumPy's tanh and XLA's differ by ~1e-7 near +-1 (XLA rounds tanh(-8.5) to -1)
    close(g, jg, atol=5e-6)
    close(fl.jit(f)(EXTREME), jf(EXTREME))
    close(fl.jit(fl.vmap(fl.grad(f)))(EXTREME), jg, atol=5e-6)


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=6)
@given(x=hnp.arrays(np.float32, (2, 6), elements=st.floats(-20, 20, width=32,
                                                          allow_subnormal=False)))
def test_activation_random_inputs(name, x):
    # one shape, random values: the activations are elementwise (or act along the last
    # axis), and jax's eager oracle then compiles once per activation, not per example.
    # No subnormals: XLA flushes them to zero (selu's slope at 1e-45 is its negative
    # side's there), NumPy does not (README, known gaps)
    f, jf = getattr(nn, name), getattr(jax.nn, name)
    close(f(x), jf(x), atol=2e-6)
    w = np.linspace(-1, 1, x.size, dtype=np.float32).reshape(x.shape)
    close(fl.grad(lambda x: fnp.sum(w * f(x)))(x), jax.grad(lambda x: jnp.sum(w * jf(x)))(x),
          atol=2e-6)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_float64(name):
    x = EXTREME.astype(np.float64)
    out = getattr(nn, name)(x)
    assert out.dtype == np.float64
    with jax.enable_x64(True):
        ref = getattr(jax.nn, name)(x)
        gref = jax.vmap(jax.grad(getattr(jax.nn, name)))(x)
    close(out, ref, rtol=1e-12, atol=1e-12)
    close(fl.vmap(fl.grad(getattr(nn, name)))(x), gref, rtol=1e-12, atol=1e-12)


def test_derivatives_at_zero_like_jax():
    assert float(fl.grad(nn.relu)(0.0)) == 0.0
    assert float(fl.grad(nn.relu)(1.0)) == 1.0
    assert float(fl.grad(nn.softplus)(0.0)) == 0.5
    assert float(fl.grad(nn.sigmoid)(0.0)) == 0.25
    assert float(fl.grad(nn.silu)(0.0)) == 0.5
    assert float(fl.grad(nn.gelu)(0.0)) == 0.5


def test_kinks_of_the_relu_family_like_jax():
    pts = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 6.0], np.float32)
    for name in ("relu6", "leaky_relu", "elu", "celu", "selu", "hard_tanh", "hard_sigmoid",
                 "hard_silu", "sparse_plus", "sparse_sigmoid", "soft_sign"):
        close(fl.vmap(fl.grad(getattr(nn, name)))(pts),
              jax.vmap(jax.grad(getattr(jax.nn, name)))(pts), atol=1e-6)
        close(fl.vmap(fl.grad(fl.grad(getattr(nn, name))))(pts + 0.5),
              jax.vmap(jax.grad(jax.grad(getattr(jax.nn, name))))(pts + 0.5), atol=1e-5)
    for alpha in (0.5, 2.0):
        close(nn.elu(EXTREME, alpha), jax.nn.elu(EXTREME, alpha))
        close(nn.celu(EXTREME, alpha), jax.nn.celu(EXTREME, alpha), rtol=1e-5)
        close(nn.leaky_relu(EXTREME, alpha), jax.nn.leaky_relu(EXTREME, alpha))
    close(nn.squareplus(EXTREME, 1.0), jax.nn.squareplus(EXTREME, 1.0))


def test_log1mexp_glu_logmeanexp_standardize():
    x = np.array([1e-30, 1e-6, 0.1, 0.69, 0.7, 5.0, 50.0, 1e4], np.float32)
    close(nn.log1mexp(x), jax.nn.log1mexp(x), rtol=1e-5)
    close(fl.jit(nn.log1mexp)(x), jax.nn.log1mexp(x), rtol=1e-5)
    close(fl.vmap(fl.grad(nn.log1mexp))(x[1:]), jax.vmap(jax.grad(jax.nn.log1mexp))(x[1:]),
          rtol=1e-5)
    a = RNG.normal(size=(3, 4)).astype(np.float32)
    for axis in (-1, 0):
        close(nn.glu(a, axis=-1 if axis == -1 else 1), jax.nn.glu(a, -1 if axis == -1 else 1))
        close(nn.logmeanexp(a, axis=axis), jax.nn.logmeanexp(a, axis=axis), rtol=1e-5)
        close(nn.standardize(a, axis=axis), jax.nn.standardize(a, axis=axis), rtol=1e-4,
              atol=1e-5)
        close(nn.standardize(a, axis=axis, algorithm="stable"),
              jax.nn.standardize(a, axis=axis, algorithm="stable"), rtol=1e-4, atol=1e-5)
    w = a > 0
    close(nn.logmeanexp(a, axis=1, where=w), jax.nn.logmeanexp(a, axis=1, where=w), rtol=1e-5)
    close(nn.logmeanexp(np.full(2, 1e4, np.float32)), jax.nn.logmeanexp(np.full(2, 1e4)))
    close(nn.standardize(a, where=w), jax.nn.standardize(a, where=w), rtol=1e-4, atol=1e-5)
    g = fl.grad(lambda a: fnp.sum(nn.glu(a) ** 2) + fnp.sum(nn.standardize(a) * a))(a)
    jg = jax.grad(lambda a: jnp.sum(jax.nn.glu(a) ** 2) + jnp.sum(jax.nn.standardize(a) * a))(a)
    close(g, jg, rtol=1e-4, atol=1e-5)
    close(fl.jit(lambda a: nn.logmeanexp(a, axis=0, keepdims=True))(a),
          jax.nn.logmeanexp(a, axis=0, keepdims=True), rtol=1e-5)
    with pytest.raises(ValueError, match="must be divisible by 2"):
        nn.glu(np.ones((3,), np.float32))
    with pytest.raises(ValueError, match="Unknown algorithm"):
        nn.standardize(a, algorithm="exact")


def test_gelu_exact():
    x = np.concatenate([EXTREME, np.linspace(-6, 6, 97, dtype=np.float32)])
    close(nn.gelu(x, approximate=False), jax.nn.gelu(x, approximate=False), atol=1e-6)
    close(fl.vmap(fl.grad(lambda x: nn.gelu(x, approximate=False)))(x),
          jax.vmap(jax.grad(lambda x: jax.nn.gelu(x, approximate=False)))(x), atol=2e-6)
    close(fl.jit(lambda x: nn.gelu(x, approximate=False))(x),
          jax.nn.gelu(x, approximate=False), atol=1e-6)


def test_relu_int_input():
    close(nn.relu(np.array([-2, 0, 3], np.int32)), jax.nn.relu(np.array([-2, 0, 3], np.int32)))


AXES = [-1, 0, (0, 1), None]


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family(name, axis):
    x = np.stack([EXTREME[:6], EXTREME[7:], RNG.normal(size=6).astype(np.float32)])
    f, jf = getattr(nn, name), getattr(jax.nn, name)
    close(f(x, axis=axis), jf(x, axis=axis), atol=1e-5)
    w = RNG.normal(size=x.shape).astype(np.float32)
    g = fl.grad(lambda x: fnp.sum(w * f(x, axis=axis)))(x)
    finite(f(x, axis=axis), g)
    close(g, jax.grad(lambda x: jnp.sum(w * jf(x, axis=axis)))(x), atol=1e-5)
    close(fl.jit(lambda x: f(x, axis=axis))(x), jf(x, axis=axis), atol=1e-5)


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp(axis, keepdims):
    x = np.stack([EXTREME[:6], EXTREME[7:], RNG.normal(size=6).astype(np.float32)])
    out = nn.logsumexp(x, axis=axis, keepdims=keepdims)
    ref = jax.nn.logsumexp(x, axis=axis, keepdims=keepdims)
    close(out, ref, rtol=1e-6)
    g = fl.grad(lambda x: fnp.sum(nn.logsumexp(x, axis=axis, keepdims=keepdims)))(x)
    finite(out, g)
    close(g, jax.grad(lambda x: jnp.sum(jax.nn.logsumexp(x, axis=axis, keepdims=keepdims)))(x))
    b = np.abs(RNG.normal(size=x.shape)).astype(np.float32)
    close(nn.logsumexp(x, axis=axis, b=b, keepdims=keepdims),
          jax.nn.logsumexp(x, axis=axis, b=b, keepdims=keepdims), rtol=1e-6)
    close(fl.jit(lambda x: nn.logsumexp(x, axis=axis, keepdims=keepdims))(x), ref, rtol=1e-6)


def test_log_softmax_masked_minus_inf():
    x = np.array([0.0, -np.inf, 1.0], np.float32)
    close(nn.log_softmax(x), jax.nn.log_softmax(x))
    close(nn.softmax(x), jax.nn.softmax(x))


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("dtype", [None, np.int32, np.float64])
def test_one_hot(axis, dtype):
    x = np.array([[0, 2, 5], [1, -1, 3]], np.int32)  # 5 and -1 are out of range: all zeros
    out = nn.one_hot(x, 4, dtype=dtype, axis=axis)
    with jax.enable_x64(dtype == np.float64):
        ref = jax.nn.one_hot(x, 4, dtype=jnp.float32 if dtype is None else dtype, axis=axis)
    close(out, ref)
    close(fl.jit(lambda x: nn.one_hot(x, 4, dtype=dtype, axis=axis))(x), ref)


# ----------------------------------------------------------------------------- losses

def _logits_and_labels(n=6, c=4):
    logits = RNG.normal(size=(n, c)).astype(np.float32) * 3
    logits[0] = [1e4, -1e4, 0.0, 1e4][:c]
    logits[1] = [-1e4, -1e4, -1e4, 1e4][:c]
    labels = np.array([1, 3, 0, 2, 1, 0][:n], np.int32)
    return logits, labels


def _check_loss(f, jf, args, diff_argnums=(0,), rtol=1e-5, atol=1e-5):
    out = f(*args)
    close(out, jf(*args), rtol=rtol, atol=atol)
    for i in diff_argnums:
        g = fl.grad(f, argnums=i)(*args)
        finite(out, g)
        close(g, jax.grad(jf, argnums=i)(*args), rtol=rtol, atol=atol)
    close(fl.jit(f)(*args), jf(*args), rtol=rtol, atol=atol)
    close(fl.jit(fl.grad(f))(*args), jax.grad(jf)(*args), rtol=rtol, atol=atol)


def test_mse():
    p = RNG.normal(size=(5, 3)).astype(np.float32)
    t = RNG.normal(size=(5, 3)).astype(np.float32)
    _check_loss(nn.mse, lambda p, t: jnp.mean((p - t) ** 2), (p, t), (0, 1))
    _check_loss(lambda p, t: nn.mse(p, t, reduction="sum"), lambda p, t: jnp.sum((p - t) ** 2),
                (p, t))
    close(nn.mse(p, t, reduction="none"), (p - t) ** 2)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_softmax_cross_entropy_integer_labels(reduction):
    logits, labels = _logits_and_labels()
    red = jnp.mean if reduction == "mean" else jnp.sum
    ref = lambda lg, y: red(optax.losses.softmax_cross_entropy_with_integer_labels(lg, y))
    _check_loss(lambda lg, y: nn.softmax_cross_entropy(lg, y, reduction=reduction), ref,
                (logits, labels))
    close(nn.softmax_cross_entropy(logits, labels, reduction="none"),
          optax.losses.softmax_cross_entropy_with_integer_labels(logits, labels), atol=1e-5)


def test_softmax_cross_entropy_probabilities():
    logits, labels = _logits_and_labels()
    onehot = np.eye(4, dtype=np.float32)[labels]
    probs = np.asarray(jax.nn.softmax(RNG.normal(size=(6, 4)).astype(np.float32)))
    for y in (onehot, probs):
        _check_loss(nn.softmax_cross_entropy,
                    lambda lg, y: jnp.mean(optax.losses.softmax_cross_entropy(lg, y)),
                    (logits, y), (0, 1))
    close(nn.softmax_cross_entropy(logits, onehot), nn.softmax_cross_entropy(logits, labels))


def test_softmax_cross_entropy_single_example_and_vmap():
    logits, labels = _logits_and_labels()
    per = fl.vmap(lambda lg, y: nn.softmax_cross_entropy(lg, y, reduction="none"))(logits, labels)
    close(per, optax.losses.softmax_cross_entropy_with_integer_labels(logits, labels), atol=1e-5)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_sigmoid_binary_cross_entropy(reduction):
    z = np.concatenate([EXTREME, RNG.normal(size=7).astype(np.float32)])
    y = (np.arange(z.size) % 2).astype(np.float32)
    red = jnp.mean if reduction == "mean" else jnp.sum
    _check_loss(lambda z, y: nn.sigmoid_binary_cross_entropy(z, y, reduction=reduction),
                lambda z, y: red(optax.losses.sigmoid_binary_cross_entropy(z, y)), (z, y), (0, 1))
    soft = np.linspace(0, 1, z.size, dtype=np.float32)
    _check_loss(nn.sigmoid_binary_cross_entropy,
                lambda z, y: jnp.mean(optax.losses.sigmoid_binary_cross_entropy(z, y)), (z, soft))


def _hinge_ref(scores, labels, margin=1.0):
    s_y = jnp.take_along_axis(scores, labels[:, None], axis=1)
    m = jnp.where(jnp.arange(scores.shape[1]) == labels[:, None], 0.0,
                  jnp.maximum(0.0, scores - s_y + margin))
    return jnp.mean(jnp.sum(m, axis=1))


@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_multiclass_hinge(margin):
    scores = RNG.normal(size=(8, 5)).astype(np.float32) * 2
    scores[0, :] = [1e4, -1e4, 0.0, 3.0, -2.0]
    labels = RNG.integers(0, 5, size=8).astype(np.int32)
    _check_loss(lambda s, y: nn.multiclass_hinge(s, y, margin=margin),
                lambda s, y: _hinge_ref(s, y, margin), (scores, labels))
    # the CS231n loop-based definition
    ref = np.mean([sum(max(0.0, s[j] - s[y] + margin) for j in range(5) if j != y)
                   for s, y in zip(scores.astype(np.float64), labels)])
    np.testing.assert_allclose(float(nn.multiclass_hinge(scores, labels, margin=margin)), ref,
                               rtol=1e-5)
    close(nn.multiclass_hinge(scores, labels, margin, reduction="sum"),
          8 * nn.multiclass_hinge(scores, labels, margin), rtol=1e-6)


def test_l2_penalty():
    params = [{"W": RNG.normal(size=(3, 2)).astype(np.float32), "b": np.ones(2, np.float32)},
              {"W": RNG.normal(size=(2, 1)).astype(np.float32), "b": np.zeros(1, np.float32)}]
    ref = 0.5 * sum(float(np.sum(np.asarray(p, np.float64) ** 2)) for p in tree_leaves(params))
    np.testing.assert_allclose(float(nn.l2_penalty(params)), ref, rtol=1e-6)
    g = fl.grad(nn.l2_penalty)(params)
    for a, b in zip(tree_leaves(g), tree_leaves(params)):
        close(a, b)
    np.testing.assert_allclose(float(fl.jit(nn.l2_penalty)(params)), ref, rtol=1e-6)


def test_loss_errors():
    logits, labels = _logits_and_labels()
    with pytest.raises(ValueError, match="reduction"):
        nn.mse(logits, logits, reduction="avg")
    with pytest.raises(ValueError, match="shape"):
        nn.softmax_cross_entropy(logits, labels[:3])
    with pytest.raises(ValueError, match="shape"):
        nn.softmax_cross_entropy(logits, np.ones((6, 3), np.float32))
    with pytest.raises(ValueError, match="shape"):
        nn.mse(logits, logits[:, :2])
    with pytest.raises(TypeError, match="integer"):
        nn.multiclass_hinge(logits, labels.astype(np.float32))


# ----------------------------------------------------------------------------- initializers

@pytest.mark.parametrize("shape", [(3, 4), (5, 2, 7), (1, 1)])
@pytest.mark.parametrize("name", ["glorot_uniform", "he_normal"])
def test_initializers_bit_identical(name, shape):
    key = fr.key(3)
    ours = getattr(nn, name)(key, shape)
    ref = getattr(jax.nn.initializers, name)()(key, shape)
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(ref))
    np.testing.assert_array_equal(np.asarray(fl.jit(lambda k: getattr(nn, name)(k, shape))(key)),
                                  np.asarray(ref))
    if shape != (5, 2, 7):
        return
    with jax.enable_x64(True):
        ref64 = getattr(jax.nn.initializers, name)()(key, shape, jnp.float64)
    ours64 = getattr(nn, name)(key, shape, np.float64)
    assert ours64.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(ours64), np.asarray(ref64))


def test_initializer_statistics():
    w = nn.glorot_uniform(fr.key(0), (200, 300))
    lim = np.sqrt(6 / 500)
    assert np.all(np.abs(w) <= lim) and abs(np.std(w) - lim / np.sqrt(3)) < 0.01 * lim
    h = nn.he_normal(fr.key(1), (400, 300))
    assert abs(np.std(h) - np.sqrt(2 / 400)) < 0.02 * np.sqrt(2 / 400)


def test_initializer_needs_2d():
    with pytest.raises(ValueError, match="2 dimensions"):
        nn.he_normal(fr.key(0), (3,))


# ----------------------------------------------------------------------------- layers

SIZES = [4, 8, 5, 3]


def test_init_mlp_shapes_and_draws():
    params = nn.init_mlp(0, SIZES)
    assert [(p["W"].shape, p["b"].shape) for p in params] == [((4, 8), (8,)), ((8, 5), (5,)),
                                                              ((5, 3), (3,))]
    keys = fr.split(fr.key(0), 3)
    for p, k, (m, n) in zip(params, keys, zip(SIZES[:-1], SIZES[1:])):
        assert p["W"].dtype == np.float32 and p["b"].dtype == np.float32
        np.testing.assert_array_equal(p["W"], jax.nn.initializers.he_normal()(k, (m, n)))
        np.testing.assert_array_equal(p["b"], np.zeros(n, np.float32))
    for seed in (fr.key(0), np.int64(0)):
        for a, b in zip(tree_leaves(nn.init_mlp(seed, SIZES)), tree_leaves(params)):
            np.testing.assert_array_equal(a, b)
    gen = nn.init_mlp(np.random.default_rng(5), SIZES)
    assert [p["W"].shape for p in gen] == [p["W"].shape for p in params]
    jitted = fl.jit(lambda k: nn.init_mlp(k, SIZES))(fr.key(0))
    for a, b in zip(tree_leaves(jitted), tree_leaves(params)):
        np.testing.assert_array_equal(np.asarray(a), b)
    assert nn.init_mlp(0, [2, 3], dtype=np.float64)[0]["W"].dtype == np.float64
    with pytest.raises(ValueError, match="sizes"):
        nn.init_mlp(0, [3])
    with pytest.raises(TypeError, match="seed"):
        nn.init_mlp("zero", SIZES)


def _np_mlp(params, x, act):
    h = x.astype(np.float64)
    for i, p in enumerate(params):
        h = h @ p["W"] + p["b"]
        if i < len(params) - 1:
            h = act(h)
    return h


@pytest.mark.parametrize("act,np_act", [(nn.relu, lambda h: np.maximum(h, 0)),
                                        (nn.tanh, np.tanh)])
def test_mlp_forward_matches_numpy(act, np_act):
    params = nn.init_mlp(1, SIZES)
    for p in params:
        p["b"] = RNG.normal(size=p["b"].shape).astype(np.float32)
    x = RNG.normal(size=(7, 4)).astype(np.float32)
    out = nn.mlp(params, x, activation=act)
    assert out.shape == (7, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, _np_mlp(params, x, np_act), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(nn.mlp(params, x[0], act), _np_mlp(params, x[:1], np_act)[0],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(fl.jit(lambda p, x: nn.mlp(p, x, act))(params, x)), out,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fl.vmap(lambda x: nn.mlp(params, x, act))(x), out, rtol=1e-5,
                               atol=1e-6)


def test_mlp_training_gradients_match_jax():
    params = nn.init_mlp(2, SIZES)
    x = RNG.normal(size=(6, 4)).astype(np.float32)
    y = np.array([0, 1, 2, 1, 0, 2], np.int32)

    def loss(p):
        return nn.softmax_cross_entropy(nn.mlp(p, x), y) + 1e-3 * nn.l2_penalty(p)

    def jloss(p):
        h = x
        for i, layer in enumerate(p):
            h = h @ layer["W"] + layer["b"]
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        l2 = 0.5 * sum(jnp.sum(v ** 2) for v in jax.tree_util.tree_leaves(p))
        return jnp.mean(optax.losses.softmax_cross_entropy_with_integer_labels(h, y)) + 1e-3 * l2
    np.testing.assert_allclose(float(loss(params)), float(jloss(params)), rtol=1e-5)
    for a, b in zip(tree_leaves(fl.grad(loss)(params)), tree_leaves(jax.grad(jloss)(params))):
        close(a, b, rtol=1e-4, atol=1e-6)
    for a, b in zip(tree_leaves(fl.jit(fl.grad(loss))(params)),
                    tree_leaves(jax.grad(jloss)(params))):
        close(np.asarray(a), b, rtol=1e-4, atol=1e-6)


def _jax_layer_norm(p, x, eps=1e-5):
    mean = jnp.mean(x, -1, keepdims=True)
    var = jnp.mean((x - mean) ** 2, -1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + eps) * p["scale"] + p["bias"]


def test_layer_norm():
    p = {"scale": RNG.normal(size=5).astype(np.float32),
         "bias": RNG.normal(size=5).astype(np.float32)}
    x = RNG.normal(size=(4, 5)).astype(np.float32) * 3 + 1
    x[1] = 2.5           # a constant row: zero variance
    x[2] = 0.0
    w = RNG.normal(size=x.shape).astype(np.float32)
    f = lambda p, x: fnp.sum(w * nn.layer_norm(p, x))
    jf = lambda p, x: jnp.sum(w * _jax_layer_norm(p, x))
    out = nn.layer_norm(p, x)
    finite(out)
    close(out, _jax_layer_norm(p, x), rtol=1e-5, atol=1e-5)
    close(out[1], p["bias"])
    gp, gx = fl.grad(f, argnums=(0, 1))(p, x)
    jgp, jgx = jax.grad(jf, argnums=(0, 1))(p, x)
    finite(gx, *tree_leaves(gp))
    close(gx, jgx, rtol=1e-4, atol=1e-4)
    for a, b in zip(tree_leaves(gp), tree_leaves(jgp)):
        close(a, b, rtol=1e-4, atol=1e-4)
    close(fl.jit(nn.layer_norm)(p, x), _jax_layer_norm(p, x), rtol=1e-5, atol=1e-5)
    finite(fl.jit(fl.grad(f, argnums=1))(p, x))
    init = nn.init_layer_norm(5)
    normed = nn.layer_norm(init, x)
    np.testing.assert_allclose(np.mean(normed[[0, 3]], -1), 0, atol=1e-5)
    np.testing.assert_allclose(np.var(normed[[0, 3]], -1), 1, atol=1e-3)


def test_residual():
    params = nn.init_mlp(0, [3, 3])
    block = nn.residual(lambda p, x: nn.mlp(p, x))
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    close(block(params, x), x + nn.mlp(params, x))
    close(nn.residual(nn.tanh)(x), x + np.tanh(x))
    g = fl.grad(lambda x: fnp.sum(nn.residual(nn.tanh)(x)))(x)
    close(g, 1 + (1 - np.tanh(x) ** 2), rtol=1e-6)
    close(np.asarray(fl.jit(block)(params, x)), block(params, x), atol=1e-6)


# ----------------------------------------------------------------------------- conv1d

def _np_conv1d(W, b, x, stride=1):
    K, cin, cout = W.shape
    L = x.shape[-2]
    n_out = (L - K) // stride + 1
    out = np.zeros(x.shape[:-2] + (n_out, cout))
    for t in range(n_out):
        for k in range(K):
            out[..., t, :] += x[..., t * stride + k, :].astype(np.float64) @ W[k]
    return out + b


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("stride", [1, 2])
def test_conv1d_matches_loops(batched, stride):
    params = nn.init_conv1d(0, 3, 2, 4)
    params["b"] = RNG.normal(size=4).astype(np.float32)
    x = RNG.normal(size=(5, 9, 2) if batched else (9, 2)).astype(np.float32)
    out = nn.conv1d(params, x, stride=stride)
    ref = _np_conv1d(params["W"], params["b"], x, stride)
    assert out.shape == ref.shape and out.dtype == np.float32
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(fl.jit(lambda p, x: nn.conv1d(p, x, stride))(params, x)),
                               ref, rtol=1e-5, atol=1e-5)


def test_conv1d_single_channel_is_np_convolve():
    w = RNG.normal(size=4).astype(np.float32)
    x = RNG.normal(size=11).astype(np.float32)
    params = {"W": w.reshape(4, 1, 1), "b": np.zeros(1, np.float32)}
    out = nn.conv1d(params, x[:, None])[:, 0]
    # deep-learning convolution is cross-correlation: np.convolve with the flipped kernel
    np.testing.assert_allclose(out, np.convolve(x, w[::-1], mode="valid"), rtol=1e-5, atol=1e-5)


def test_conv1d_grads_match_jax_conv():
    params = nn.init_conv1d(1, 3, 2, 4)
    x = RNG.normal(size=(3, 8, 2)).astype(np.float32)

    def jconv(p, x):
        out = jax.lax.conv_general_dilated(x, p["W"], (1,), "VALID",
                                           dimension_numbers=("NWC", "WIO", "NWC"))
        return jnp.sum(jnp.tanh(out + p["b"]))
    f = lambda p, x: fnp.sum(fnp.tanh(nn.conv1d(p, x)))
    np.testing.assert_allclose(float(f(params, x)), float(jconv(params, x)), rtol=1e-5)
    for a, b in zip(tree_leaves(fl.grad(f, argnums=(0, 1))(params, x)),
                    tree_leaves(jax.grad(jconv, argnums=(0, 1))(params, x))):
        close(a, b, rtol=1e-4, atol=1e-5)
    per = fl.vmap(lambda x: nn.conv1d(params, x))(x)
    np.testing.assert_allclose(per, nn.conv1d(params, x), rtol=1e-6, atol=1e-6)


def test_conv1d_errors():
    params = nn.init_conv1d(0, 3, 2, 4)
    with pytest.raises(ValueError, match="C_in|shape"):
        nn.conv1d(params, np.ones((5, 9, 3), np.float32))
    with pytest.raises(ValueError, match="kernel"):
        nn.conv1d(params, np.ones((2, 2), np.float32))
