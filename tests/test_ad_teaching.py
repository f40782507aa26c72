"""The backprop lectures' worked examples, with their numbers.

Each example is differentiated with ``fl.grad`` (and ``fl.jacfwd``/``fl.jacrev``
where the lecture draws a Jacobian), compared with the numbers on the slides or
with the hand-derived backward pass written in NumPy, and finally checked
against finite differences with ``check_grads`` (orders 1 and 2, both modes).
"""
from __future__ import annotations

import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.test_util import check_grads

# ----------------------------------------------------------------------------- (x + y) z


def add_mul(x, y, z):
    return (x + y) * z


def test_add_mul_circuit():
    f = add_mul
    assert f(-2.0, 5.0, -4.0) == -12.0
    gx, gy, gz = fl.grad(f, argnums=(0, 1, 2))(-2.0, 5.0, -4.0)
    assert (gx, gy, gz) == (-4.0, -4.0, 3.0)
    for g in (gx, gy, gz):
        assert np.asarray(g).dtype == np.float32
    v, g = fl.value_and_grad(f, argnums=(0, 1, 2))(-2.0, 5.0, -4.0)
    assert v == -12.0 and g == (-4.0, -4.0, 3.0)


def test_copy_gate_adds_gradients():
    # x is used twice: its gradient is the sum of both branches' gradients
    assert fl.grad(lambda x: x * x + x)(3.0) == 7.0
    assert fl.grad(lambda x, y: x * y + x, argnums=0)(2.0, 5.0) == 6.0


def test_max_gate_routes_gradient():
    gx, gy = fl.grad(lambda x, y: fnp.maximum(x, y) * 2.0, argnums=(0, 1))(3.0, 1.0)
    assert (gx, gy) == (2.0, 0.0)


# ----------------------------------------------------------------------------- sigmoid neuron

def neuron(w0, w1, w2, x0, x1):
    return 1.0 / (1.0 + fnp.exp(-(w0 * x0 + w1 * x1 + w2)))


def neuron_vec(w, x):
    return 1.0 / (1.0 + fnp.exp(-(fnp.dot(w[:2], x) + w[2])))


W_N, X_N = (2.0, -3.0, -3.0), (-1.0, -2.0)


def test_sigmoid_neuron_scalar_circuit():
    f = neuron(*W_N, *X_N)
    np.testing.assert_allclose(f, 0.73, atol=5e-3)
    g = fl.grad(neuron, argnums=(0, 1, 2, 3, 4))(*W_N, *X_N)
    np.testing.assert_array_equal(np.round(np.array(g[:3], np.float64), 2), [-0.20, -0.39, 0.20])
    np.testing.assert_array_equal(np.round(np.array(g[3:], np.float64), 2), [0.39, -0.59])
    # (1 - f) f is the local gradient of the sigmoid gate
    s = 1.0 / (1.0 + np.exp(-1.0))
    np.testing.assert_allclose(g, [-s * (1 - s), -2 * s * (1 - s), s * (1 - s),
                                   2 * s * (1 - s), -3 * s * (1 - s)], rtol=1e-6)


def test_sigmoid_neuron_vector_form():
    w, x = np.array(W_N, np.float32), np.array(X_N, np.float32)
    dw, dx = fl.grad(neuron_vec, argnums=(0, 1))(w, x)
    assert dw.dtype == np.float32 and dw.shape == (3,) and dx.shape == (2,)
    np.testing.assert_array_equal(np.round(dw.astype(np.float64), 2), [-0.20, -0.39, 0.20])
    np.testing.assert_array_equal(np.round(dx.astype(np.float64), 2), [0.39, -0.59])


# ----------------------------------------------------------------------------- two linear layers

X_L = np.array([1.0, 0.0, -1.0], np.float32)
Y_L = np.array([0.0, 1.0], np.float32)
W0_L = np.array([[0.0, 1.0, -1.0], [2.0, 0.0, 1.0]], np.float32)
W1_L = np.array([[-1.0, 0.0], [2.0, -1.0]], np.float32)


def two_linear(x, y, W0, W1):
    r = y - W1 @ (W0 @ x)
    return 0.5 * fnp.sum(r * r)


def test_two_linear_layers_values_and_gradients():
    assert two_linear(X_L, Y_L, W0_L, W1_L) == 0.5
    gx, gW0, gW1 = fl.grad(two_linear, argnums=(0, 2, 3))(X_L, Y_L, W0_L, W1_L)
    np.testing.assert_array_equal(gx, [0.0, 1.0, -1.0])
    np.testing.assert_array_equal(gW0, [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(gW1, [[-1.0, -1.0], [0.0, 0.0]])
    for g in (gx, gW0, gW1):
        assert isinstance(g, np.ndarray) and g.dtype == np.float32


@pytest.mark.parametrize("jac", [fl.jacfwd, fl.jacrev], ids=["jacfwd", "jacrev"])
def test_two_linear_layers_jacobian(jac):
    J = jac(lambda x: W1_L @ (W0_L @ x))(X_L)
    assert J.shape == (2, 3) and J.dtype == np.float32
    np.testing.assert_array_equal(J, [[0.0, -1.0, 1.0], [-2.0, 2.0, -3.0]])


# ----------------------------------------------------------------------------- softmax network

N, D, H, C = 6, 4, 5, 3
R = np.random.default_rng(0)
X_S = R.standard_normal((N, D))
W1_S = R.standard_normal((D, H)) * 0.5
W2_S = R.standard_normal((H, C)) * 0.5
LABELS = np.array([0, 2, 1, 1, 0, 2], np.int32)


def softmax_net(W1, W2, X, labels):
    h = 1.0 / (1.0 + fnp.exp(-(X @ W1)))
    scores = h @ W2
    z = scores - fl.lax.stop_gradient(fnp.max(scores, axis=1, keepdims=True))
    logp = z - fnp.log(fnp.sum(fnp.exp(z), axis=1, keepdims=True))
    return -fnp.mean(logp[fnp.arange(X.shape[0]), labels])


def softmax_net_by_hand(W1, W2, X, labels):
    """The lecture's backward pass: S - I_y at the scores, through W2 and the sigmoid."""
    n = X.shape[0]
    h = 1.0 / (1.0 + np.exp(-(X @ W1)))
    s = h @ W2
    S = np.exp(s - s.max(axis=1, keepdims=True))
    S /= S.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(S[np.arange(n), labels]))
    dS = S.copy()
    dS[np.arange(n), labels] -= 1.0
    dW2 = h.T @ dS / n
    dW1 = X.T @ ((dS @ W2.T) * h * (1.0 - h)) / n
    return loss, dW1, dW2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_network_gradients_equal_hand_derived(dtype):
    W1, W2, X = (a.astype(dtype) for a in (W1_S, W2_S, X_S))
    loss, (g1, g2) = fl.value_and_grad(softmax_net, argnums=(0, 1))(W1, W2, X, LABELS)
    ref_loss, ref1, ref2 = softmax_net_by_hand(W1_S, W2_S, X_S, LABELS)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert np.asarray(loss).dtype == dtype and g1.dtype == dtype and g2.dtype == dtype
    assert g1.shape == (D, H) and g2.shape == (H, C)
    np.testing.assert_allclose(loss, ref_loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(g1, ref1, rtol=10 * tol, atol=tol)
    np.testing.assert_allclose(g2, ref2, rtol=10 * tol, atol=tol)


# ----------------------------------------------------------------------------- finite differences

def _f64(*a):
    return tuple(np.asarray(x, np.float64) for x in a)


CHECKS = [
    ("add_mul", add_mul, _f64(-2.0, 5.0, -4.0)),
    ("neuron", neuron, _f64(*W_N, *X_N)),
    ("neuron_vec", neuron_vec, _f64(W_N, X_N)),
    ("two_linear", two_linear, _f64(X_L, Y_L, W0_L, W1_L)),
    ("softmax_net", lambda W1, W2, X: softmax_net(W1, W2, X, LABELS), _f64(W1_S, W2_S, X_S)),
]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name,f,args", CHECKS, ids=[c[0] for c in CHECKS])
def test_check_grads(name, f, args, order):
    check_grads(f, args, order=order, modes=("fwd", "rev"))


@pytest.mark.parametrize("name,f,args", CHECKS, ids=[c[0] for c in CHECKS])
def test_check_grads_float32(name, f, args):
    args32 = tuple(a.astype(np.float32) for a in args)
    check_grads(f, args32, order=1, modes=("fwd", "rev"))


def test_check_grads_catches_a_wrong_rule():
    """check_grads is not vacuous: a custom rule with a wrong derivative fails it."""
    @fl.custom_jvp
    def bad_sin(x):
        return fnp.sin(x)

    @bad_sin.defjvp
    def bad_sin_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return bad_sin(x), 2.0 * fnp.cos(x) * t

    for mode in ("fwd", "rev"):
        with pytest.raises(AssertionError):
            check_grads(bad_sin, (np.array([0.3, 0.9]),), order=1, modes=(mode,))
