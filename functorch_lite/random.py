"""``fl.random``: JAX's counter-based PRNG, bit-identical to ``jax.random``.

Keys are raw ``uint32[2]`` arrays, exactly what ``jax.random.PRNGKey`` returns
(``key`` returns the same raw array rather than JAX's typed key; JAX typed keys
passed in are accepted and unwrapped).  Each function has ``jax.random``'s
signature and gives the same bits for the same key, eagerly, under ``jit``,
``vmap`` (over a batch of keys from ``split``) and inside ``fl.lax`` loops,
because every draw is one ``random_call`` primitive that delegates to
``jax.random`` (see ``functorch_lite/ops/random.py``).

>>> import functorch_lite.random as frandom
>>> k1, k2 = frandom.split(frandom.key(0))
>>> frandom.normal(k1, (2,)).shape
(2,)
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .core import Tracer
from .ops.random import random_call

__all__ = ["key", "PRNGKey", "split", "fold_in", "normal", "uniform", "randint", "bernoulli",
           "categorical", "permutation", "choice", "truncated_normal", "exponential", "laplace",
           "logistic", "cauchy", "gumbel", "maxwell", "rademacher", "bits", "poisson",
           "geometric", "gamma", "loggamma", "beta", "dirichlet", "chisquare", "t", "pareto",
           "lognormal", "multivariate_normal", "orthogonal"]

Array = Any


def _key(k) -> Array:
    """A key operand: tracers and arrays pass; a JAX typed key is unwrapped to its data."""
    if isinstance(k, Tracer):
        return k
    dt = getattr(k, "dtype", None)
    if dt is not None and not isinstance(dt, np.dtype):  # jax typed key: dtype key<fry>
        import jax
        return jax.random.key_data(k)
    if isinstance(k, (list, tuple)):
        return np.asarray(k, dtype=np.uint32)
    return k


def _operand(v):
    if isinstance(v, (list, tuple)):
        return np.asarray(v)
    return v


def _split_args(float_args: dict, to) -> tuple[dict, dict]:
    """Python scalars become static parameters (``to`` canonicalizes their type, so
    ``1`` and ``1.0`` are one cache entry); everything else an operand."""
    ops, static = {}, {}
    for n, v in float_args.items():
        if isinstance(v, (bool, int, float)) and not isinstance(v, np.generic):
            static[n] = to(v)
        else:
            ops[n] = _operand(v)
    return ops, static


def _shape(shape, fn: str):
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)):
        raise TypeError(f"fl.random.{fn}: shape must be a sequence of ints (e.g. ({shape},)), "
                        f"got the int {shape}.")
    try:
        out = tuple(int(d) for d in shape)
    except TypeError:
        raise TypeError(f"fl.random.{fn}: shape must be a sequence of ints, got {shape!r}.") \
            from None
    if any(d < 0 for d in out):
        raise ValueError(f"fl.random.{fn}: shape {out} has a negative dimension; sizes must be "
                         ">= 0 (there is no -1 inference for random shapes).")
    return out


def _float_dtype(dtype) -> np.dtype:
    return np.dtype(np.float32 if dtype is None else dtype)


# --------------------------------------------------------------------- keys

def PRNGKey(seed: int | Array, *, impl: Any = None) -> Array:  # noqa: N802 (JAX's name)
    """A raw ``uint32[2]`` key from an integer seed, as ``jax.random.PRNGKey``.

    >>> import functorch_lite.random as frandom
    >>> frandom.PRNGKey(0)
    array([0, 0], dtype=uint32)
    """
    if impl is not None:
        raise NotImplementedError("fl.random.PRNGKey: only the default threefry2x32 impl "
                                  "is supported (leave impl=None).")
    if isinstance(seed, (bool, int, np.integer)) and not isinstance(seed, Tracer):
        return random_call("PRNGKey", {}, {"seed": int(seed)})
    return random_call("PRNGKey", {"seed": _operand(seed)}, {})


def key(seed: int | Array, *, impl: Any = None) -> Array:
    """A PRNG key from an integer seed.  Unlike ``jax.random.key`` (a typed key),
    this returns the raw ``uint32[2]`` data, the same as ``PRNGKey(seed)``, which
    every function here (and ``jax.random``) accepts.

    >>> import functorch_lite.random as frandom
    >>> frandom.key(42)
    array([ 0, 42], dtype=uint32)
    """
    return PRNGKey(seed, impl=impl)


def split(key: Array, num: int | tuple[int, ...] = 2) -> Array:
    """``num`` new keys, shape ``(num, 2)`` (``num + (2,)`` for a tuple), as ``jax.random.split``.

    >>> import functorch_lite.random as frandom
    >>> frandom.split(frandom.key(0), 3).shape
    (3, 2)
    """
    num = tuple(int(n) for n in num) if isinstance(num, Sequence) else int(num)
    return random_call("split", {"key": _key(key)}, {"num": num})


def fold_in(key: Array, data: int | Array) -> Array:
    """A new key from ``key`` and the integer ``data``, as ``jax.random.fold_in``.

    >>> import functorch_lite.random as frandom
    >>> frandom.fold_in(frandom.key(0), 7).shape
    (2,)
    """
    ops, static = _split_args({"data": data}, int)
    return random_call("fold_in", {"key": _key(key), **ops}, static)


# --------------------------------------------------------------------- samplers

def normal(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard normal draws of ``shape`` (float32 by default), as ``jax.random.normal``.

    >>> import functorch_lite.random as frandom
    >>> frandom.normal(frandom.key(0), (3,)).dtype
    dtype('float32')
    """
    return random_call("normal", {"key": _key(key)},
                       {"shape": _shape(shape, "normal"), "dtype": _float_dtype(dtype)})


def uniform(key: Array, shape: Sequence[int] = (), dtype: Any = None, minval: Any = 0.0,
            maxval: Any = 1.0) -> Array:
    """Uniform draws on ``[minval, maxval)``, as ``jax.random.uniform``; differentiable
    in array-valued ``minval``/``maxval``.

    >>> import functorch_lite.random as frandom
    >>> x = frandom.uniform(frandom.key(0), (4,), minval=-1.0, maxval=1.0)
    >>> bool(((x >= -1) & (x < 1)).all())
    True
    """
    ops, static = _split_args({"minval": minval, "maxval": maxval}, float)
    return random_call("uniform", {"key": _key(key), **ops},
                       {"shape": _shape(shape, "uniform"), "dtype": _float_dtype(dtype),
                        **static})


def randint(key: Array, shape: Sequence[int], minval: Any, maxval: Any,
            dtype: Any = None) -> Array:
    """Integers on ``[minval, maxval)`` (int32 by default), as ``jax.random.randint``.

    >>> import functorch_lite.random as frandom
    >>> frandom.randint(frandom.key(0), (5,), 0, 3).dtype
    dtype('int32')
    """
    ops, static = _split_args({"minval": minval, "maxval": maxval}, int)
    return random_call("randint", {"key": _key(key), **ops},
                       {"shape": _shape(shape, "randint"),
                        "dtype": np.dtype(np.int32 if dtype is None else dtype), **static})


def bernoulli(key: Array, p: Any = 0.5, shape: Sequence[int] | None = None,
              mode: str = "low") -> Array:
    """Booleans that are True with probability ``p``, as ``jax.random.bernoulli``.

    >>> import functorch_lite.random as frandom
    >>> frandom.bernoulli(frandom.key(0), 0.5, (3,)).dtype
    dtype('bool')
    """
    ops, static = _split_args({"p": p}, float)
    return random_call("bernoulli", {"key": _key(key), **ops},
                       {"shape": _shape(shape, "bernoulli"), "mode": mode, **static})


def categorical(key: Array, logits: Array, axis: int = -1, shape: Sequence[int] | None = None,
                replace: bool = True, mode: str | None = None) -> Array:
    """Indices drawn with probabilities ``softmax(logits)`` along ``axis``, as
    ``jax.random.categorical`` (the logits get a zero derivative, as in JAX).

    >>> import functorch_lite.random as frandom
    >>> import numpy as np
    >>> int(frandom.categorical(frandom.key(0), np.array([-1e9, 0.0, -1e9])))
    1
    """
    return random_call("categorical", {"key": _key(key), "logits": _operand(logits)},
                       {"axis": int(axis), "shape": _shape(shape, "categorical"),
                        "replace": bool(replace), "mode": mode})


def _static_int(x, fn: str, what: str) -> int | None:
    """``x`` as a Python int when it is a concrete integer scalar, else None."""
    if isinstance(x, Tracer):
        if x.aval.shape:
            return None
        if x.val is None:
            raise TypeError(f"fl.random.{fn}: {what} must be a concrete integer (it sets the "
                            "output's shape), got a traced scalar; pass a Python int.")
        return int(x.val)
    if isinstance(x, (bool, int, np.integer)):
        return int(x)
    if np.ndim(x) == 0:
        if not np.issubdtype(np.asarray(x).dtype, np.integer):
            raise TypeError(f"fl.random.{fn}: {what} must be an integer or an array of at "
                            f"least one dimension, got {x!r}.")
        return int(np.asarray(x))
    return None


def permutation(key: Array, x: int | Array, axis: int = 0, independent: bool = False) -> Array:
    """A random permutation of ``arange(x)`` (int ``x``) or of array ``x`` along
    ``axis``, as ``jax.random.permutation``; differentiable in ``x``.

    >>> import functorch_lite.random as frandom
    >>> sorted(frandom.permutation(frandom.key(0), 4).tolist())
    [0, 1, 2, 3]
    """
    from . import numpy as fnp
    n = _static_int(x, "permutation", "x")
    k = _key(key)
    if n is not None:
        return random_call("permutation", {"key": k}, {"x": n, "axis": 0,
                                                        "independent": bool(independent)})
    x = _operand(x)
    shape = x.aval.shape if isinstance(x, Tracer) else np.shape(x)
    ax = _axis(axis, len(shape), "permutation")
    if not independent or len(shape) == 1:
        idx = random_call("permutation", {"key": k},
                          {"x": shape[ax], "axis": 0, "independent": False})
        return fnp.take(x, idx, axis=ax)
    # Each vector along `axis` shuffled on its own: shuffle positions, then gather.
    iota = np.broadcast_to(np.arange(shape[ax], dtype=np.int32).reshape(
        (-1,) + (1,) * (len(shape) - 1 - ax)), shape)
    idx = random_call("permutation", {"key": k, "x": np.ascontiguousarray(iota)},
                      {"axis": ax, "independent": True})
    grids = list(np.indices(shape, dtype=np.int32, sparse=True))
    grids[ax] = idx
    return x[tuple(grids)] if isinstance(x, Tracer) else fnp.getitem(x, tuple(grids))


def _axis(axis: int, ndim: int, fn: str) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"fl.random.{fn}: axis {axis} is out of bounds for an array of rank "
                         f"{ndim}.")
    return axis % ndim


def choice(key: Array, a: int | Array, shape: Sequence[int] = (), replace: bool = True,
           p: Array | None = None, axis: int = 0, mode: str | None = None) -> Array:
    """Random samples of ``arange(a)`` (int ``a``) or of array ``a`` along ``axis``,
    with probabilities ``p``, as ``jax.random.choice``; differentiable in ``a``.

    >>> import functorch_lite.random as frandom
    >>> frandom.choice(frandom.key(0), 5, (3,), replace=False).shape
    (3,)
    """
    from . import numpy as fnp
    if not isinstance(shape, Sequence):
        raise TypeError(f"fl.random.choice: shape must be a sequence of ints, got {shape!r}.")
    shape = _shape(shape, "choice")
    n = _static_int(a, "choice", "a")
    arr = None
    if n is None:
        arr = _operand(a)
        ashape = arr.aval.shape if isinstance(arr, Tracer) else np.shape(arr)
        ax = _axis(axis, len(ashape), "choice")
        n = ashape[ax]
        if math.prod(shape) == 0:
            return fnp.zeros(shape, arr.dtype)
    ops = {"key": _key(key)}
    if p is not None:
        ops["p"] = _operand(p)
    idx = random_call("choice", ops, {"a": n, "shape": shape, "replace": bool(replace),
                                      "axis": 0, "mode": mode})
    # JAX draws the same indices for an array and gathers them: take gives its bits and
    # its derivative.
    return idx if arr is None else fnp.take(arr, idx, axis=ax)


def truncated_normal(key: Array, lower: Any, upper: Any, shape: Sequence[int] | None = None,
                     dtype: Any = None) -> Array:
    """Normal draws truncated to ``(lower, upper)``, as ``jax.random.truncated_normal``;
    differentiable in array-valued ``lower``/``upper``.

    >>> import functorch_lite.random as frandom
    >>> x = frandom.truncated_normal(frandom.key(0), -1.0, 1.0, (5,))
    >>> bool((abs(x) < 1).all())
    True
    """
    ops, static = _split_args({"lower": lower, "upper": upper}, float)
    return random_call("truncated_normal", {"key": _key(key), **ops},
                       {"shape": _shape(shape, "truncated_normal"),
                        "dtype": _float_dtype(dtype), **static})


# --------------------------------------------------------------------- more distributions
# Each delegates to jax.random (bit-identical).  Python-scalar parameters are static;
# array parameters are operands, not differentiable here: differentiating through the
# gamma family's shapes, pareto's b, lognormal's sigma or multivariate_normal's mean/cov
# raises (JAX's are differentiable there), and discrete draws have a zero derivative.

def _standard(fn: str, key: Array, shape, dtype) -> Array:
    return random_call(fn, {"key": _key(key)},
                       {"shape": _shape(shape, fn), "dtype": _float_dtype(dtype)})


def exponential(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard exponential draws, as ``jax.random.exponential``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.exponential(frandom.key(0), (4,)) >= 0).all())
    True
    """
    return _standard("exponential", key, shape, dtype)


def laplace(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard Laplace draws, as ``jax.random.laplace``.

    >>> import functorch_lite.random as frandom
    >>> frandom.laplace(frandom.key(0), (2, 3)).shape
    (2, 3)
    """
    return _standard("laplace", key, shape, dtype)


def logistic(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard logistic draws, as ``jax.random.logistic``.

    >>> import functorch_lite.random as frandom
    >>> frandom.logistic(frandom.key(0), (3,)).dtype
    dtype('float32')
    """
    return _standard("logistic", key, shape, dtype)


def cauchy(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard Cauchy draws, as ``jax.random.cauchy``.

    >>> import functorch_lite.random as frandom
    >>> frandom.cauchy(frandom.key(0), (3,)).shape
    (3,)
    """
    return _standard("cauchy", key, shape, dtype)


def maxwell(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Standard Maxwell draws (the norm of a 3-D standard normal), as
    ``jax.random.maxwell``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.maxwell(frandom.key(0), (4,)) > 0).all())
    True
    """
    return _standard("maxwell", key, shape, dtype)


def gumbel(key: Array, shape: Sequence[int] = (), dtype: Any = None,
           mode: str | None = None) -> Array:
    """Standard Gumbel draws, as ``jax.random.gumbel``.

    >>> import functorch_lite.random as frandom
    >>> frandom.gumbel(frandom.key(0), (3,)).shape
    (3,)
    """
    return random_call("gumbel", {"key": _key(key)},
                       {"shape": _shape(shape, "gumbel"), "dtype": _float_dtype(dtype),
                        "mode": mode})


def rademacher(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Draws of -1 or +1 with equal probability (int32 by default), as
    ``jax.random.rademacher``.

    >>> import functorch_lite.random as frandom
    >>> sorted(set(frandom.rademacher(frandom.key(0), (50,)).tolist()))
    [-1, 1]
    """
    return random_call("rademacher", {"key": _key(key)},
                       {"shape": _shape(shape, "rademacher"),
                        "dtype": np.dtype(np.int32 if dtype is None else dtype)})


def bits(key: Array, shape: Sequence[int] = (), dtype: Any = None) -> Array:
    """Uniform random bits (uint32 by default), as ``jax.random.bits``.

    >>> import functorch_lite.random as frandom
    >>> frandom.bits(frandom.key(0), (2,)).dtype
    dtype('uint32')
    """
    return random_call("bits", {"key": _key(key)},
                       {"shape": _shape(shape, "bits"),
                        "dtype": np.dtype(np.uint32 if dtype is None else dtype)})


def _with_params(fn: str, key: Array, params: dict, shape, dtype) -> Array:
    ops, static = _split_args(params, float)
    return random_call(fn, {"key": _key(key), **ops},
                       {"shape": _shape(shape, fn), "dtype": dtype, **static})


def poisson(key: Array, lam: Any, shape: Sequence[int] | None = None,
            dtype: Any = None) -> Array:
    """Poisson draws with rate ``lam`` (int32 by default), as ``jax.random.poisson``.

    >>> import functorch_lite.random as frandom
    >>> frandom.poisson(frandom.key(0), 3.0, (4,)).dtype
    dtype('int32')
    """
    return _with_params("poisson", key, {"lam": lam}, shape,
                        np.dtype(np.int32 if dtype is None else dtype))


def geometric(key: Array, p: Any, shape: Sequence[int] | None = None,
              dtype: Any = None) -> Array:
    """Geometric draws (trials to the first success, ``>= 1``), as
    ``jax.random.geometric``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.geometric(frandom.key(0), 0.3, (5,)) >= 1).all())
    True
    """
    return _with_params("geometric", key, {"p": p}, shape,
                        np.dtype(np.int32 if dtype is None else dtype))


def gamma(key: Array, a: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Array:
    """Gamma draws with shape ``a`` (unit scale), as ``jax.random.gamma``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.gamma(frandom.key(0), 2.0, (4,)) > 0).all())
    True
    """
    return _with_params("gamma", key, {"a": a}, shape, _float_dtype(dtype))


def loggamma(key: Array, a: Any, shape: Sequence[int] | None = None,
             dtype: Any = None) -> Array:
    """Logarithms of gamma draws, accurate for small ``a``, as ``jax.random.loggamma``.

    >>> import functorch_lite.random as frandom
    >>> frandom.loggamma(frandom.key(0), 0.01, (3,)).shape
    (3,)
    """
    return _with_params("loggamma", key, {"a": a}, shape, _float_dtype(dtype))


def beta(key: Array, a: Any, b: Any, shape: Sequence[int] | None = None,
         dtype: Any = None) -> Array:
    """Beta draws, as ``jax.random.beta``.

    >>> import functorch_lite.random as frandom
    >>> x = frandom.beta(frandom.key(0), 2.0, 3.0, (4,))
    >>> bool(((x > 0) & (x < 1)).all())
    True
    """
    return _with_params("beta", key, {"a": a, "b": b}, shape, _float_dtype(dtype))


def dirichlet(key: Array, alpha: Any, shape: Sequence[int] | None = None,
              dtype: Any = None) -> Array:
    """Dirichlet draws (rows on the simplex), as ``jax.random.dirichlet``.

    >>> import functorch_lite.random as frandom, numpy as np
    >>> x = frandom.dirichlet(frandom.key(0), np.array([1.0, 2.0, 3.0], np.float32))
    >>> round(float(x.sum()), 5)
    1.0
    """
    return random_call("dirichlet", {"key": _key(key), "alpha": _operand(alpha)},
                       {"shape": _shape(shape, "dirichlet"), "dtype": _float_dtype(dtype)})


def chisquare(key: Array, df: Any, shape: Sequence[int] | None = None,
              dtype: Any = None) -> Array:
    """Chi-square draws with ``df`` degrees of freedom, as ``jax.random.chisquare``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.chisquare(frandom.key(0), 3.0, (4,)) > 0).all())
    True
    """
    return _with_params("chisquare", key, {"df": df}, shape, _float_dtype(dtype))


def t(key: Array, df: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Array:
    """Student's t draws, as ``jax.random.t``.

    >>> import functorch_lite.random as frandom
    >>> frandom.t(frandom.key(0), 3.0, (4,)).shape
    (4,)
    """
    return _with_params("t", key, {"df": df}, shape, _float_dtype(dtype))


def pareto(key: Array, b: Any, shape: Sequence[int] | None = None,
           dtype: Any = None) -> Array:
    """Pareto draws with shape ``b`` (``>= 1``), as ``jax.random.pareto``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.pareto(frandom.key(0), 3.0, (4,)) >= 1).all())
    True
    """
    return _with_params("pareto", key, {"b": b}, shape, _float_dtype(dtype))


def lognormal(key: Array, sigma: Any = 1.0, shape: Sequence[int] | None = None,
              dtype: Any = None) -> Array:
    """Log-normal draws ``exp(sigma * normal)``, as ``jax.random.lognormal``.

    >>> import functorch_lite.random as frandom
    >>> bool((frandom.lognormal(frandom.key(0), 0.5, (4,)) > 0).all())
    True
    """
    return _with_params("lognormal", key, {"sigma": sigma}, shape, _float_dtype(dtype))


def multivariate_normal(key: Array, mean: Array, cov: Array,
                        shape: Sequence[int] | None = None, dtype: Any = None,
                        method: str = "cholesky") -> Array:
    """Multivariate normal draws (``method`` "cholesky", "eigh" or "svd" factors ``cov``),
    as ``jax.random.multivariate_normal``.

    >>> import functorch_lite.random as frandom, numpy as np
    >>> frandom.multivariate_normal(frandom.key(0), np.zeros(2, np.float32),
    ...                             np.eye(2, dtype=np.float32), (5,)).shape
    (5, 2)
    """
    if method not in ("cholesky", "eigh", "svd"):
        raise ValueError(f"fl.random.multivariate_normal: method must be one of 'cholesky', "
                         f"'eigh' or 'svd', got {method!r}.")
    return random_call("multivariate_normal",
                       {"key": _key(key), "mean": _operand(mean), "cov": _operand(cov)},
                       {"shape": _shape(shape, "multivariate_normal"),
                        "dtype": _float_dtype(dtype), "method": method})


def orthogonal(key: Array, n: int, shape: Sequence[int] = (), dtype: Any = None,
               m: int | None = None) -> Array:
    """Haar-random ``(n, m)`` matrices with orthonormal columns or rows (``m = n`` by
    default), as ``jax.random.orthogonal``.

    >>> import functorch_lite.random as frandom, numpy as np
    >>> q = frandom.orthogonal(frandom.key(0), 3)
    >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-5))
    True
    """
    static = {"n": int(n), "shape": _shape(shape, "orthogonal"), "dtype": _float_dtype(dtype)}
    if m is not None:
        static["m"] = int(m)
    return random_call("orthogonal", {"key": _key(key)}, static)
