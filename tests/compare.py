"""Comparisons shared by the fnp test files: same shape, dtype and values."""
import numpy as np


def same(ours, ref, rtol=1e-6, atol=0.0):
    """Same shape, dtype and values (NaNs in the same places)."""
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.shape == ref.shape, (ours.shape, ref.shape)
    assert ours.dtype == ref.dtype, (ours.dtype, ref.dtype)
    if ours.dtype.kind in "biu":
        np.testing.assert_array_equal(ours, ref)
    else:
        np.testing.assert_allclose(ours.astype(np.float64), ref.astype(np.float64), rtol=rtol,
                                   atol=atol, equal_nan=True)


def close(ours, ref):
    """Values within float32 tolerances (dtypes may differ)."""
    np.testing.assert_allclose(np.asarray(ours, np.float64), np.asarray(ref, np.float64),
                               rtol=1e-5, atol=1e-6, equal_nan=True)
