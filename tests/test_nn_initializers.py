"""fl.nn.initializers against jax.nn.initializers: bit for bit, eagerly and under jit."""
import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.random as fr
from functorch_lite.nn import initializers as ini

KEY = fr.key(7)

# (name, factory arguments, shape)
CASES = [
    ("zeros", None, (3, 2)), ("ones", None, (4,)),
    ("constant", (2.5,), (2, 3)),
    ("uniform", (), (5, 3)), ("uniform", (3.0,), (7,)),
    ("normal", (), (5, 3)), ("normal", (0.5,), (2, 2, 2)),
    ("truncated_normal", (), (6, 4)), ("truncated_normal", (1.0, None, -1.0, 0.5), (9,)),
    ("glorot_uniform", (), (3, 4)), ("glorot_normal", (), (5, 2, 7)),
    ("xavier_uniform", (), (4, 6)), ("xavier_normal", (), (6, 4)),
    ("lecun_uniform", (), (3, 5)), ("lecun_normal", (), (2, 3, 4)),
    ("he_uniform", (), (8, 3)), ("he_normal", (), (1, 1)),
    ("kaiming_uniform", (), (3, 3)), ("kaiming_normal", (), (4, 3)),
    ("he_normal", (0, 1), (3, 4, 5)),                   # in_axis=0, out_axis=1
    ("glorot_uniform", (-1, -2, 0), (2, 3, 4)),         # with a batch axis
    ("lecun_normal", ((0, 1), 2), (2, 3, 4)),           # a tuple of input axes
    ("orthogonal", (), (4, 3)), ("orthogonal", (), (3, 5)), ("orthogonal", (2.0, 0), (3, 2, 4)),
    ("delta_orthogonal", (), (3, 2, 4)), ("delta_orthogonal", (1.5,), (3, 3, 2, 2)),
]
IDS = [f"{n}{'' if a in (None, ()) else a}-{s}" for n, a, s in CASES]


def make(mod, name, args):
    f = getattr(mod, name)
    return f if args is None else f(*args)


def bits(a, b):
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))


@pytest.mark.parametrize("name,args,shape", CASES, ids=IDS)
def test_bit_identical_to_jax(name, args, shape):
    ours = make(ini, name, args)(KEY, shape)
    ref = make(jax.nn.initializers, name, args)(KEY, shape)
    assert isinstance(ours, np.ndarray)
    bits(ours, ref)
    # compiled, XLA may fuse the scaling into the draw's arithmetic (1 ulp off the eager
    # value): the reference is jax.jit of the same initializer
    bits(fl.jit(lambda k: make(ini, name, args)(k, shape))(KEY),
         jax.jit(lambda k: make(jax.nn.initializers, name, args)(k, shape))(KEY))


@pytest.mark.parametrize("name", ["normal", "glorot_uniform", "he_normal", "orthogonal"])
@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float64])
def test_dtypes(name, dtype):
    if name == "orthogonal" and dtype != np.float64:  # no 16-bit QR on CPU, in either
        for mod in (ini, jax.nn.initializers):
            with pytest.raises(NotImplementedError, match="Unsupported dtype"):
                mod.orthogonal()(KEY, (4, 6), dtype)
        return
    ours = make(ini, name, ())(KEY, (4, 6), dtype)
    with jax.enable_x64(dtype == np.float64):
        ref = make(jax.nn.initializers, name, ())(KEY, (4, 6), jnp.dtype(dtype))
    bits(ours, ref)
    # a dtype given to the factory is the default of its init
    bits(getattr(ini, name)(dtype=dtype)(KEY, (4, 6)), ours)


def test_variance_scaling_modes_and_statistics():
    for mode in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"):
        for dist in ("truncated_normal", "normal", "uniform"):
            ours = ini.variance_scaling(0.7, mode, dist)(KEY, (30, 20))
            bits(ours, jax.nn.initializers.variance_scaling(0.7, mode, dist)(KEY, (30, 20)))
    w = ini.variance_scaling(2.0, "fan_out", "uniform")(fr.key(1), (300, 400))
    assert abs(w.var() * 400 / 2.0 - 1) < 0.02


def test_orthogonal_is_orthogonal_and_empty_shapes():
    w = ini.orthogonal()(KEY, (5, 3))
    np.testing.assert_allclose(w.T @ w, np.eye(3), atol=1e-5)
    bits(ini.orthogonal()(KEY, (0, 3)), np.zeros((0, 3), np.float32))


@pytest.mark.parametrize("call,err,words", [
    (lambda: ini.he_normal()(KEY, (3,)), ValueError, ["1-dimensional", "in_axis"]),
    (lambda: ini.variance_scaling(1.0, "fan_sum", "normal"), ValueError,
     ["invalid mode", "fan_sum", "fan_geo_avg"]),
    (lambda: ini.variance_scaling(1.0, "fan_in", "cauchy"), ValueError,
     ["invalid distribution", "cauchy"]),
    (lambda: ini.normal()(KEY, (2,), np.int32), TypeError, ["normal", "float dtype", "int32"]),
    (lambda: ini.orthogonal()(KEY, (3,)), ValueError, ["at least a 2D shape", "(3,)"]),
    (lambda: ini.delta_orthogonal()(KEY, (3, 3)), ValueError, ["3D, 4D or 5D"]),
    (lambda: ini.delta_orthogonal()(KEY, (3, 4, 2)), ValueError, ["fan_in", "(4)", "(2)"]),
])
def test_errors(call, err, words):
    with pytest.raises(err) as e:
        call()
    for w in words:
        assert w in str(e.value), (w, str(e.value))
