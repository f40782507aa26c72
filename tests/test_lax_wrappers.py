"""fl.lax's primitive wrappers match jax.lax's, eagerly and under fl.jit."""
import jax
import numpy as np
import pytest

import functorch_lite as fl

R = np.random.default_rng(3)
A = R.standard_normal((2, 3)).astype(np.float32)
B = R.standard_normal((3, 4)).astype(np.float32)
C = R.standard_normal((2, 3)).astype(np.float32)

CASES = [
    ("dot_general", lambda lax: lambda a, b: lax.dot_general(a, b, (((1,), (0,)), ((), ()))),
     (A, B)),
    ("max", lambda lax: lambda a, c: lax.max(a, c), (A, C)),
    ("min", lambda lax: lambda a, c: lax.min(a, c), (A, C)),
    ("reduce_max", lambda lax: lambda a: lax.reduce_max(a, (1,)), (A,)),
    ("reduce_sum", lambda lax: lambda a: lax.reduce_sum(a, (0,)), (A,)),
    ("broadcast_in_dim", lambda lax: lambda a: lax.broadcast_in_dim(a, (4, 2, 3), (1, 2)), (A,)),
    ("transpose", lambda lax: lambda a: lax.transpose(a, (1, 0)), (A,)),
    ("reshape", lambda lax: lambda a: lax.reshape(a, (3, 2)), (A,)),
    ("rev", lambda lax: lambda a: lax.rev(a, (0,)), (A,)),
    ("concatenate", lambda lax: lambda a, c: lax.concatenate([a, c], 0), (A, C)),
    ("pad", lambda lax: lambda a: lax.pad(a, np.float32(0), ((1, 0, 0), (0, 2, 1))), (A,)),
    ("select_n", lambda lax: lambda a, c: lax.select_n(a > 0, a, c), (A, C)),
    ("integer_pow", lambda lax: lambda a: lax.integer_pow(a, 3), (A,)),
    ("exp", lambda lax: lambda a: lax.exp(a), (A,)),
]


@pytest.mark.parametrize("name,make,args", CASES, ids=[c[0] for c in CASES])
def test_lax_wrapper_matches_jax(name, make, args):
    ref = np.asarray(make(jax.lax)(*args))
    for out in (make(fl.lax)(*args), fl.jit(make(fl.lax))(*args)):
        out = np.asarray(out)
        assert out.dtype == ref.dtype and out.shape == ref.shape
        np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)
