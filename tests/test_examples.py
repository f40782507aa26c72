"""Every example runs in a smoke mode and shows that it learned / computed what it claims."""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))


def test_train_mlp_smoke(tmp_path):
    pytest.importorskip("sklearn", reason="the 'examples' extra provides scikit-learn")
    import train_mlp
    h = train_mlp.main(["--epochs", "10", "--quiet", "--plot", str(tmp_path / "curve.png")])
    assert h["loss"][-1] < h["loss"][0] / 3, h["loss"]  # the loss falls at least 3x
    assert h["test_acc"][-1] >= 0.90, h["test_acc"]
    assert (tmp_path / "curve.png").stat().st_size > 1000


def test_train_mlp_eager_equals_jit(tmp_path):
    pytest.importorskip("sklearn", reason="the 'examples' extra provides scikit-learn")
    import train_mlp
    a = train_mlp.main(["--epochs", "2", "--quiet", "--plot", str(tmp_path / "a.png")])
    b = train_mlp.main(["--epochs", "2", "--quiet", "--no-jit", "--plot", str(tmp_path / "b.png")])
    np.testing.assert_allclose(a["loss"], b["loss"], rtol=1e-4)


def test_backprop_by_hand(tmp_path, monkeypatch):
    import backprop_by_hand
    r = backprop_by_hand.main()
    assert [float(g) for g in r["circuit"]["grads"]] == [-4.0, -4.0, 3.0]
    np.testing.assert_allclose(r["neuron"]["dw"], [-0.20, -0.39, 0.20], atol=0.005)
    np.testing.assert_allclose(r["neuron"]["dx"], [0.39, -0.59], atol=0.005)
    assert r["linear"]["f"] == 0.5
    np.testing.assert_allclose(r["linear"]["jac"], [[0, -1, 1], [-2, 2, -3]])
    assert max(r[k]["err"] for k in r) < 1e-5


def test_higher_order():
    import higher_order
    r = higher_order.main()
    np.testing.assert_allclose(r["hv"], r["h"] @ np.array([1.0, -2.0, 0.5, 0.3]), rtol=1e-10)
    assert r["history"][-1] < 1e-10 < r["history"][0]  # Newton reaches the minimum


def test_per_example_grads():
    import per_example_grads
    r = per_example_grads.main(batch=8)
    assert r["max_diff"] < 1e-5
    assert np.all(r["norms"] > 0)
