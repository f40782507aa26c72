"""``fl.nn.initializers``: ``jax.nn.initializers``, bit-identical to it.

Each factory returns ``init(key, shape, dtype=float32)``; the draws come from
``fl.random`` (bit-identical to ``jax.random``) and the scaling is JAX's, done in the
same dtype, so weights equal JAX's bit for bit, eagerly and under ``fl.jit``.

>>> import functorch_lite as fl
>>> from functorch_lite.nn import initializers
>>> initializers.lecun_normal()(fl.random.key(0), (3, 4)).shape
(3, 4)
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import numpy as fnp
from . import random as frandom
from .core.dtypes import FLOATS
from .numpy.creation import _shape_arg
from .numpy.indexing import at

__all__ = ["zeros", "ones", "constant", "uniform", "normal", "truncated_normal",
           "variance_scaling", "glorot_uniform", "glorot_normal", "xavier_uniform",
           "xavier_normal", "lecun_uniform", "lecun_normal", "he_uniform", "he_normal",
           "kaiming_uniform", "kaiming_normal", "orthogonal", "delta_orthogonal"]

Array = Any
Initializer = Callable[..., Array]


def _float_dtype(dtype, name: str) -> np.dtype:
    dt = np.dtype(np.float32 if dtype is None else dtype)
    if dt not in FLOATS:
        raise TypeError(f"fl.nn.initializers.{name}: dtype must be a float dtype, got {dt} "
                        "(complex weights are not supported); pass e.g. fnp.float32.")
    return dt


def _shape(shape, name: str) -> tuple:
    return _shape_arg(shape, f"fl.nn.initializers.{name}")


def zeros(key: Array, shape: Sequence[int], dtype: Any = None) -> Array:
    """All zeros (``key`` unused).

    >>> import functorch_lite as fl
    >>> zeros(fl.random.key(0), (2,))
    array([0., 0.], dtype=float32)
    """
    return fnp.zeros(_shape(shape, "zeros"), _float_dtype(dtype, "zeros"))


def ones(key: Array, shape: Sequence[int], dtype: Any = None) -> Array:
    """All ones (``key`` unused).

    >>> import functorch_lite as fl
    >>> ones(fl.random.key(0), (2,))
    array([1., 1.], dtype=float32)
    """
    return fnp.ones(_shape(shape, "ones"), _float_dtype(dtype, "ones"))


def constant(value: Any, dtype: Any = None) -> Initializer:
    """An initializer filling with ``value``.

    >>> import functorch_lite as fl
    >>> constant(-7)(fl.random.key(0), (2,))
    array([-7., -7.], dtype=float32)
    """
    def init(key, shape, dtype=dtype):
        return fnp.full(_shape(shape, "constant"), value, dtype=_float_dtype(dtype, "constant"))
    return init


def uniform(scale: float = 1e-2, dtype: Any = None) -> Initializer:
    """Uniform draws on ``[0, scale)``.

    >>> import functorch_lite as fl
    >>> float(uniform(1.0)(fl.random.key(0), (100,)).max()) < 1.0
    True
    """
    def init(key, shape, dtype=dtype):
        dt = _float_dtype(dtype, "uniform")
        return frandom.uniform(key, _shape(shape, "uniform"), dt) * np.asarray(scale, dt)
    return init


def normal(stddev: float = 1e-2, dtype: Any = None) -> Initializer:
    """Normal draws with standard deviation ``stddev``.

    >>> import functorch_lite as fl
    >>> normal(2.0)(fl.random.key(0), (2, 3)).shape
    (2, 3)
    """
    def init(key, shape, dtype=dtype):
        dt = _float_dtype(dtype, "normal")
        return frandom.normal(key, _shape(shape, "normal"), dt) * np.asarray(stddev, dt)
    return init


def truncated_normal(stddev: float = 1e-2, dtype: Any = None, lower: float = -2.0,
                     upper: float = 2.0) -> Initializer:
    """``stddev`` times a standard normal truncated to ``[lower, upper]``.

    >>> import functorch_lite as fl
    >>> float(abs(truncated_normal(1.0)(fl.random.key(0), (500,))).max()) <= 2.0
    True
    """
    def init(key, shape, dtype=dtype):
        dt = _float_dtype(dtype, "truncated_normal")
        return (frandom.truncated_normal(key, lower, upper, _shape(shape, "truncated_normal"), dt)
                * np.asarray(stddev, dt))
    return init


def _compute_fans(shape: tuple, in_axis, out_axis, batch_axis, name: str):
    """JAX's fans: the sizes at ``in_axis``/``out_axis`` times the receptive field."""
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(f"fl.nn.initializers.{name}: can't compute input and output sizes of "
                         f"a {len(shape)}-dimensional weights tensor (shape {shape}) with the "
                         "default in_axis; give a shape of at least 2 dimensions (..., "
                         "fan_in, fan_out) or in_axis explicitly.")

    def size(axes):
        return shape[axes] if isinstance(axes, int) else math.prod([shape[i] for i in axes])
    in_size, out_size, batch = size(in_axis), size(out_axis), size(batch_axis)
    receptive = math.prod(shape) / in_size / out_size / batch
    return in_size * receptive, out_size * receptive


_MODES = ("fan_in", "fan_out", "fan_avg", "fan_geo_avg")
_DISTRIBUTIONS = ("truncated_normal", "normal", "uniform")


def variance_scaling(scale: float, mode: str, distribution: str,
                     in_axis: int | Sequence[int] = -2, out_axis: int | Sequence[int] = -1,
                     batch_axis: int | Sequence[int] = (), dtype: Any = None,
                     name: str = "variance_scaling") -> Initializer:
    """Draws with variance ``scale / n``, ``n`` the fan chosen by ``mode``, from a normal
    truncated at two standard deviations, a normal, or a uniform distribution.

    >>> import functorch_lite as fl
    >>> w = variance_scaling(2.0, "fan_in", "normal")(fl.random.key(0), (400, 300))
    >>> round(float(w.std() ** 2 * 400), 1)
    2.0
    """
    if mode not in _MODES:
        raise ValueError(f"invalid mode for variance scaling initializer: {mode} (one of "
                         f"{', '.join(_MODES)})")
    if distribution not in _DISTRIBUTIONS:
        raise ValueError(f"invalid distribution for variance scaling initializer: "
                         f"{distribution} (one of {', '.join(_DISTRIBUTIONS)})")

    def init(key, shape, dtype=dtype):
        shape = _shape(shape, name)
        dt = _float_dtype(dtype, name)
        fan_in, fan_out = _compute_fans(shape, in_axis, out_axis, batch_axis, name)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2,
             "fan_geo_avg": (fan_in * fan_out) ** 0.5}[mode]
        variance = np.asarray(scale / n, dtype=dt)
        if distribution == "truncated_normal":  # the stddev of N(0, 1) truncated to (-2, 2)
            stddev = (np.sqrt(variance) / np.asarray(.87962566103423978, dt)).astype(dt)
            return frandom.truncated_normal(key, -2.0, 2.0, shape, dt) * stddev
        if distribution == "normal":
            return frandom.normal(key, shape, dt) * np.sqrt(variance)
        return frandom.uniform(key, shape, dt, -1.0) * np.sqrt(3 * variance).astype(dt)
    return init


def _preset(name: str, scale: float, mode: str, distribution: str, doc: str):
    def factory(in_axis: int | Sequence[int] = -2, out_axis: int | Sequence[int] = -1,
                batch_axis: int | Sequence[int] = (), dtype: Any = None) -> Initializer:
        return variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis,
                                dtype, name)
    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = (f"{doc}: ``variance_scaling({scale}, {mode!r}, {distribution!r})``.\n\n"
                       f"    >>> import functorch_lite as fl\n"
                       f"    >>> {name}()(fl.random.key(0), (3, 4)).shape\n"
                       f"    (3, 4)\n    ")
    return factory


glorot_uniform = xavier_uniform = _preset("glorot_uniform", 1.0, "fan_avg", "uniform",
                                          "Glorot/Xavier uniform")
glorot_normal = xavier_normal = _preset("glorot_normal", 1.0, "fan_avg", "truncated_normal",
                                        "Glorot/Xavier normal")
lecun_uniform = _preset("lecun_uniform", 1.0, "fan_in", "uniform", "LeCun uniform")
lecun_normal = _preset("lecun_normal", 1.0, "fan_in", "truncated_normal", "LeCun normal")
he_uniform = kaiming_uniform = _preset("he_uniform", 2.0, "fan_in", "uniform",
                                       "He/Kaiming uniform")
he_normal = kaiming_normal = _preset("he_normal", 2.0, "fan_in", "truncated_normal",
                                     "He/Kaiming normal")


def orthogonal(scale: float = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """``scale`` times a uniformly random orthogonal matrix, reshaped so that
    ``column_axis`` holds the columns.

    >>> import functorch_lite as fl, numpy as np
    >>> w = orthogonal()(fl.random.key(0), (3, 3))
    >>> np.allclose(w @ w.T, np.eye(3), atol=1e-5)
    True
    """
    def init(key, shape, dtype=dtype):
        shape = _shape(shape, "orthogonal")
        dt = _float_dtype(dtype, "orthogonal")
        if len(shape) < 2:
            raise ValueError(f"fl.nn.initializers.orthogonal requires at least a 2D shape, "
                             f"got {shape}.")
        if any(d == 0 for d in shape):
            return fnp.zeros(shape, dt)
        n_cols = shape[column_axis]
        q = frandom.orthogonal(key, math.prod(shape) // n_cols, (), dt, n_cols)
        q = fnp.reshape(q, tuple(np.delete(shape, column_axis)) + (n_cols,))
        return np.asarray(scale, dt) * fnp.moveaxis(q, -1, column_axis)
    return init


def delta_orthogonal(scale: float = 1.0, column_axis: int = -1, dtype: Any = None
                     ) -> Initializer:
    """For 3-D/4-D/5-D convolution kernels: zeros except an orthogonal matrix at the
    spatial centre (Xiao et al., 2018).

    >>> import functorch_lite as fl
    >>> w = delta_orthogonal()(fl.random.key(0), (3, 2, 2))
    >>> bool((w[0] == 0).all() and (w[2] == 0).all())
    True
    """
    def init(key, shape, dtype=dtype):
        shape = _shape(shape, "delta_orthogonal")
        dt = _float_dtype(dtype, "delta_orthogonal")
        if len(shape) not in (3, 4, 5):
            raise ValueError(f"fl.nn.initializers.delta_orthogonal requires a 3D, 4D or 5D "
                             f"shape, got {shape}.")
        if shape[-1] < shape[-2]:
            raise ValueError(f"fl.nn.initializers.delta_orthogonal: `fan_in` ({shape[-2]}) "
                             f"must be less or equal than `fan_out` ({shape[-1]}).")
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        m = orthogonal(scale, column_axis, dt)(key, shape[-2:])
        return at(fnp.zeros(shape, dt))[centre].set(m)
    return init
