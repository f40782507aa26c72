"""Big NumPy kernels split over threads (functorch_lite.ops.threads) give the same
results as one call, and the thread-count setting is checked."""
from __future__ import annotations

import os
import signal
import time

import jax
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.ops import threads
from functorch_lite.ops.linalg import _batched_outer


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(threads, "MIN_ELEMENTS", 16)


def _outer_ref(a, c):
    return a[:, :, None] * c[:, None, :]


@pytest.mark.parametrize("n_threads", ["2", "3", "5"])
@pytest.mark.parametrize("batch", [2, 7, 64])
def test_split_outer_product_equals_one_call(monkeypatch, small_threshold, n_threads, batch):
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", n_threads)
    rng = np.random.default_rng(batch)
    a = rng.standard_normal((batch, 33)).astype(np.float32)
    c = rng.standard_normal((batch, 5)).astype(np.float32)
    seen = []
    assert threads.split_leading(batch, 10**6, lambda s: seen.append((s.start, s.stop)))
    covered = sorted(i for lo, hi in seen for i in range(lo, hi))
    assert covered == list(range(batch))  # every row exactly once
    np.testing.assert_array_equal(_batched_outer(a, c), _outer_ref(a, c))


def test_no_split_below_threshold_or_with_one_thread(monkeypatch):
    calls = []
    assert not threads.split_leading(64, threads.MIN_ELEMENTS - 1, calls.append)
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", "1")
    assert not threads.split_leading(64, threads.MIN_ELEMENTS * 4, calls.append)
    assert not threads.split_leading(1, threads.MIN_ELEMENTS * 4, calls.append)
    assert calls == []


def test_bad_thread_count_names_the_variable(monkeypatch):
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="FUNCTORCH_LITE_NUM_THREADS='many'"):
        threads.num_threads()


def test_a_worker_error_reaches_the_caller(monkeypatch, small_threshold):
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", "2")

    def kernel(s):
        if s.start > 0:
            raise RuntimeError("boom in a worker")
    with pytest.raises(RuntimeError, match="boom in a worker"):
        threads.split_leading(8, 10**6, kernel)


def test_per_example_gradients_through_the_split_kernel(monkeypatch, small_threshold):
    # vmap(grad) of a linear layer: its weight gradient is a batched outer product
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", "2")
    rng = np.random.default_rng(0)
    w = rng.standard_normal((6, 3)).astype(np.float32)
    x = rng.standard_normal((9, 6)).astype(np.float32)
    per_ex = fl.vmap(fl.grad(lambda w, x: fnp.sum(fnp.tanh(x @ w))), in_axes=(None, 0))(w, x)
    loop = np.stack([fl.grad(lambda w, x: fnp.sum(fnp.tanh(x @ w)))(w, xi) for xi in x])
    np.testing.assert_allclose(per_ex, loop, rtol=1e-6)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")  # jax's threads: unused here
def test_split_works_in_a_forked_child(monkeypatch, small_threshold):
    monkeypatch.setenv("FUNCTORCH_LITE_NUM_THREADS", "2")
    a, c = np.ones((4, 8), np.float32), np.full((4, 3), 2.0, np.float32)
    _batched_outer(a, c)  # the parent's pool exists before the fork
    pid = os.fork()
    if pid == 0:  # child: a pool inherited without its threads would hang here
        ok = np.array_equal(_batched_outer(a, c), _outer_ref(a, c))
        os._exit(0 if ok else 1)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the split kernel hung in a forked child")
        time.sleep(0.01)
    assert os.WEXITSTATUS(status) == 0


@pytest.mark.parametrize("lhs_shape,rhs_shape", [((5, 40), (5, 3)), ((5, 3), (5, 40)),
                                                  ((5, 4, 6), (5, 3)), ((5, 2), (5, 7, 3))])
def test_batched_outer_products_in_either_layout(lhs_shape, rhs_shape):
    # dot_general with a batch dimension and no contraction; the short-last-axis case is
    # computed with the long axis innermost and returned as a transposed view
    rng = np.random.default_rng(1)
    a = rng.standard_normal(lhs_shape).astype(np.float32)
    c = rng.standard_normal(rhs_shape).astype(np.float32)
    dims = (((), ()), ((0,), (0,)))
    got = fl.lax.dot_general(a, c, dims)
    want = np.asarray(jax.lax.dot_general(a, c, dims))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
