"""Random numbers: one primitive, ``random_call``, that delegates to ``jax.random``.

Every draw of ``fl.random`` is ``bind(random_call_p, *operands, fn=..., names=...,
static=..., levels=...)``:

- ``fn``: the name of the ``jax.random`` function (``"normal"``, ``"split"``, ...);
- ``names``: the keyword each operand is passed as (``("key", "minval", "maxval")``);
- ``static``: the other keyword arguments as a sorted tuple of ``(name, value)``
  pairs (shapes, dtypes, flags, Python scalars), hashable;
- ``levels``: one ``in_axes`` tuple (``0`` or ``None`` per operand) per enclosing
  ``vmap``, outermost first: the draw runs under that many ``jax.vmap``\\ s.

So a draw is bit-identical to ``jax.random`` eagerly (the impl calls it), under
``jit`` (the lowering calls it), and under ``vmap`` (``jax.vmap`` of it, exactly
what JAX does for a batch of keys).  Keys are raw ``uint32[2]`` arrays, as
``jax.random.PRNGKey`` returns; they are not differentiable.  Draws are
differentiable only where JAX's are through a continuous parameter:
``uniform`` in ``minval``/``maxval`` and ``truncated_normal`` in
``lower``/``upper`` (formulas below); every other operand (keys, integer bounds,
probabilities, logits) gets a zero derivative, as in JAX.
"""
from __future__ import annotations

import functools

import jax
import numpy as np

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS
from . import elementwise as ew
from .rules import unbroadcast_to
from .shapes import reshape

_64 = frozenset({np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.uint64)})
_KEY_DTYPE = np.dtype(np.uint32)


def _shape(x) -> tuple:
    return tuple(x.aval.shape if hasattr(x, "aval") else np.shape(x))


def _dtype(x) -> np.dtype:
    return np.dtype(x.aval.dtype if hasattr(x, "aval") else np.result_type(x))


# --------------------------------------------------------------------- the delegated call

@functools.lru_cache(maxsize=1024)
def _jax_fn(fn: str, names: tuple, static: tuple, levels: tuple):
    """``jax.random.<fn>`` taking the operands positionally, ``jax.vmap``'d once per level."""
    f = getattr(jax.random, fn)
    kw = dict(static)

    def call(*ops):
        return f(**dict(zip(names, ops)), **kw)
    for axes in reversed(levels):  # the innermost vmap wraps first
        call = jax.vmap(call, in_axes=axes)
    return call


def _needs_x64(static: tuple, dtypes) -> bool:
    """64-bit mode only when a 64-bit dtype is asked for or passed in (JAX would
    otherwise truncate it to 32 bits)."""
    for _, v in static:
        if isinstance(v, np.dtype) and v in _64:
            return True
    return any(np.dtype(d) in _64 for d in dtypes)


def _per_example(shape: tuple, i: int, levels: tuple) -> tuple:
    """Operand ``i``'s shape without the batch axes the levels add in front."""
    return tuple(shape)[sum(1 for axes in levels if axes[i] is not None):]


def _check_key(fn: str, names: tuple, shapes, dtypes, levels: tuple) -> None:
    for i, n in enumerate(names):
        if n != "key":
            continue
        shape = _per_example(shapes[i], i, levels)
        dt = np.dtype(dtypes[i])
        if dt != _KEY_DTYPE:
            raise TypeError(
                f"fl.random.{fn}: the key must be a uint32[2] PRNG key, got an array of dtype "
                f"{dt} and shape {shape}; make keys with fl.random.key(seed) (or PRNGKey, "
                "split, fold_in).")
        if shape != (2,):
            batch = (" For a batch of keys, map over them with fl.vmap."
                     if len(shape) > 1 and shape[-1] == 2 else "")
            raise ValueError(
                f"fl.random.{fn}: the key must be a single uint32[2] PRNG key, got shape "
                f"{shape}; make keys with fl.random.key(seed) (or PRNGKey, split, fold_in)."
                + batch)


@functools.lru_cache(maxsize=4096)
def _out_aval(fn: str, names: tuple, static: tuple, levels: tuple, sig: tuple) -> ShapedArray:
    """Output shape and dtype, from ``jax.eval_shape`` of the delegated call."""
    shapes = [s for s, _ in sig]
    dts = [d for _, d in sig]
    _check_key(fn, names, shapes, dts, levels)
    specs = [jax.ShapeDtypeStruct(s, d) for s, d in sig]
    call = _jax_fn(fn, names, static, levels)
    if _needs_x64(static, dts):
        with jax.enable_x64(True):
            out = jax.eval_shape(call, *specs)
    else:
        out = jax.eval_shape(call, *specs)
    return ShapedArray(tuple(out.shape), np.dtype(out.dtype))


def _impl(*ops, fn, names, static, levels):
    dts = [_dtype(o) for o in ops]
    _check_key(fn, names, [np.shape(o) for o in ops], dts, levels)
    call = _jax_fn(fn, names, static, levels)
    if _needs_x64(static, dts):
        with jax.enable_x64(True):
            return np.asarray(call(*ops))
    return np.asarray(call(*ops))


def _abstract_eval(*avals, fn, names, static, levels):
    return _out_aval(fn, names, static, levels, tuple((a.shape, a.dtype) for a in avals))


def _lower(*ops, fn, names, static, levels):
    out = _jax_fn(fn, names, static, levels)(*ops)
    # jit may lower the whole program in 64-bit mode, where jax.random's integer
    # results (e.g. categorical's indices) widen; keep the traced dtype.
    want = _out_aval(fn, names, static, levels,
                     tuple((tuple(o.shape), np.dtype(o.dtype)) for o in ops)).dtype
    return out if out.dtype == want else jax.lax.convert_element_type(out, want)


def _batch(args, dims, *, fn, names, static, levels):
    from .rules import move_axis_to_front
    moved = [a if d is None else move_axis_to_front(a, d) for a, d in zip(args, dims)]
    axes = tuple(None if d is None else 0 for d in dims)
    return bind(random_call_p, *moved, fn=fn, names=names, static=static,
                levels=(axes,) + levels), 0


# --------------------------------------------------------------------- derivatives
# uniform:          out = max(minval, u * (maxval - minval) + minval), u = uniform(key)
#                   d out / d minval = 1 - u,   d out / d maxval = u
# truncated_normal: out = sqrt2 * erfinv(a + u (b - a)), a = erf(lower / sqrt2), ...
#                   d out / d lower = (1 - u) exp(out^2/2 - lower^2/2)
#                   d out / d upper = u exp(out^2/2 - upper^2/2)
# (u is the same draw on [0, 1): uniform(key, shape, dtype) uses the same bits.)

_DIFF = {"uniform": ("minval", "maxval"), "truncated_normal": ("lower", "upper")}


def _unit_draw(ops, names, static, levels, out_shape, out_dtype):
    """``uniform(key, shape, dtype)`` in [0, 1) for the same key, broadcastable to the output."""
    k = names.index("key")
    kept = [lv for lv in levels if lv[k] is not None]
    base = out_shape[len(levels):]
    st = (("dtype", out_dtype), ("shape", base))
    u = bind(random_call_p, ops[k], fn="uniform", names=("key",), static=st,
             levels=tuple((0,) for _ in kept))
    # unbatched-key levels: a size-1 axis, so u broadcasts against the output
    return reshape(u, tuple(out_shape[j] if lv[k] is not None else 1
                            for j, lv in enumerate(levels)) + base)


def _aligned_shape(i, op_shape, levels, out_shape):
    """Operand ``i``'s shape with 1s where it broadcasts against the output."""
    lead = [out_shape[j] if lv[i] is not None else 1 for j, lv in enumerate(levels)]
    base = _per_example(op_shape, i, levels)
    nbase = len(out_shape) - len(levels)
    return tuple(lead) + (1,) * (nbase - len(base)) + tuple(base)


def _factor(name, ans, u, x, levels_i, levels, out_shape):
    """d out / d operand (already broadcast to the output's shape)."""
    if name in ("minval", "lower"):
        f = ew.sub(ew._c(u, 1), u)
    else:
        f = u
    if name in ("lower", "upper"):
        half = ew._c(ans, 0.5)
        xa = reshape(x, _aligned_shape(levels_i, _shape(x), levels, out_shape))
        f = ew.mul(f, ew.exp(ew.mul(half, ew.sub(ew.mul(ans, ans), ew.mul(xa, xa)))))
    return f


def _convert(x, dt):
    return x if _dtype(x) == dt else ew.convert_element_type(x, dt)


def _diff_operands(fn, names, ops):
    return [i for i, n in enumerate(names)
            if n in _DIFF.get(fn, ()) and _dtype(ops[i]) in FLOATS]


# Parameters through which JAX's draws are differentiable (implicit reparametrization of
# the gamma family, or the sampler's formula) but these are not: differentiating through
# them raises instead of giving a silent zero.
_NOT_HERE = {"gamma": ("a",), "loggamma": ("a",), "beta": ("a", "b"), "dirichlet": ("alpha",),
             "chisquare": ("df",), "t": ("df",), "pareto": ("b",), "lognormal": ("sigma",),
             "multivariate_normal": ("mean", "cov")}


def _refuse(fn, names, active) -> None:
    for n, a in zip(names, active):
        if a and n in _NOT_HERE.get(fn, ()):
            raise TypeError(
                f"fl.random.{fn} is not differentiable with respect to {n} here (JAX's is); "
                f"pass {n} as a constant (wrap it in fl.lax.stop_gradient), or write the draw "
                "from differentiable pieces (e.g. a normal draw scaled and shifted).")


def _jvp(primals, tangents, ans, *, fn, names, static, levels):
    _refuse(fn, names, [t is not None for t in tangents])
    idx = [i for i in _diff_operands(fn, names, primals) if tangents[i] is not None]
    if not idx:
        return None
    out_shape, out_dt = _shape(ans), _dtype(ans)
    u = _unit_draw(primals, names, static, levels, out_shape, out_dt)
    out = None
    for i in idx:
        x = _convert(primals[i], out_dt)
        t = _convert(tangents[i], out_dt)
        t = reshape(t, _aligned_shape(i, _shape(t), levels, out_shape))
        c = ew.mul(t, _factor(names[i], ans, u, x, i, levels, out_shape))
        out = c if out is None else ew.add(out, c)
    if _shape(out) != out_shape:  # every differentiated operand was smaller than the output
        from .shapes import broadcast_in_dim
        out = broadcast_in_dim(out, out_shape, tuple(range(len(out_shape))))
    return out


def _vjp(g, ans, args, needs, *, fn, names, static, levels):
    _refuse(fn, names, needs)
    cts: list = [None] * len(args)
    idx = [i for i in _diff_operands(fn, names, args) if needs[i]]
    if not idx:
        return cts
    out_shape, out_dt = _shape(ans), _dtype(ans)
    u = _unit_draw(args, names, static, levels, out_shape, out_dt)
    for i in idx:
        x = _convert(args[i], out_dt)
        ct = ew.mul(g, _factor(names[i], ans, u, x, i, levels, out_shape))
        ct = unbroadcast_to(ct, _aligned_shape(i, _shape(args[i]), levels, out_shape))
        cts[i] = _convert(reshape(ct, _shape(args[i])), _dtype(args[i]))
    return cts


random_call_p = Primitive("random_call")
random_call_p.impl = _impl
random_call_p.abstract_eval = _abstract_eval
random_call_p.jvp = _jvp
random_call_p.vjp = _vjp
random_call_p.batch = _batch
random_call_p.lower = _lower


def random_call(fn: str, operands: dict, static: dict):
    """Bind ``jax.random.<fn>(**operands, **static)`` as one ``random_call`` equation.

    ``operands`` hold arrays (or tracers); ``static`` hashable Python values.
    """
    names = tuple(operands)
    st = tuple(sorted(static.items()))
    return bind(random_call_p, *operands.values(), fn=fn, names=names, static=st, levels=())


__all__ = ["random_call_p", "random_call"]
