"""jit: lower the jaxpr to ``jax.lax`` inside ``jax.jit`` and cache the compiled function.

Cache key: input tree structure, each leaf's (shape, dtype, weak type), and the
static arguments.  A cache hit does one key build, one dict lookup and the jax
call.  64-bit mode is switched on only around lowering and calling, and only
for programs that hold a 64-bit value, so float64 stays float64.
"""
from __future__ import annotations

import functools
import inspect
import logging
import weakref
from typing import Any
from collections.abc import Callable

import jax
import numpy as np
from jax.tree_util import tree_flatten, tree_leaves, tree_map, tree_unflatten

from ..core import (ClosedJaxpr, Literal, Primitive, ShapedArray, Tracer, aval_of,
                    discarding_effects, interpreters, trace_flat)
from ..core.tracing import _effects
from ..core.avals import Weak
from ..core.tracebacks import api_boundary
from . import tape
from .api_util import check_callable, flatten_fun

log = logging.getLogger("functorch_lite.jit")
_config = {"log_compiles": False, "disable_jit": False}


def lower_jaxpr(jaxpr, consts: list, *args) -> list:
    """Evaluate ``jaxpr`` with each primitive's ``lower`` rule on jax values."""
    if isinstance(jaxpr, ClosedJaxpr):
        consts, args = jaxpr.consts, (consts, *args)
        jaxpr = jaxpr.jaxpr
    env = dict(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in jaxpr.eqns:
        invals = [v.val if type(v) is Literal else env[v] for v in eqn.invars]
        out = eqn.prim.lower(*invals, **eqn.params)
        if eqn.prim.multiple_results:
            env.update(zip(eqn.outvars, out))
        else:
            env[eqn.outvars[0]] = out
    return [v.val if type(v) is Literal else env[v] for v in jaxpr.outvars]


interpreters.lower_jaxpr = lower_jaxpr

_64 = {np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.uint64)}


def _needs_x64(jaxpr) -> bool:
    def any64(vs):
        return any(v.aval.dtype in _64 for v in vs)
    if any64(jaxpr.invars) or any64(jaxpr.constvars) or any64(jaxpr.outvars):
        return True
    return any(any64(e.outvars) or any64([v for v in e.invars]) for e in jaxpr.eqns) or \
        any(_needs_x64(p.jaxpr if isinstance(p, ClosedJaxpr) else p)
            for e in jaxpr.eqns for p in e.params.values()
            if isinstance(p, (ClosedJaxpr,)) or type(p).__name__ == "Jaxpr")


_ArrayImpl = type(jax.numpy.zeros(()))


def _signature(x):
    t = type(x)
    if t is _ArrayImpl:
        return (x.shape, x.dtype, x.weak_type)
    if t is np.ndarray:
        return (x.shape, x.dtype, False)
    if t is float:
        return ((), np.float32, True)
    if t is int:
        return ((), np.int32, True)
    if t is bool:
        return ((), np.bool_, False)
    if isinstance(x, jax.Array):
        return (x.shape, x.dtype, bool(getattr(x, "weak_type", False)))
    a = aval_of(x)
    return (a.shape, a.dtype, a.weak_type)


def _to_device_value(x):
    """Python scalars keep JAX's weak default dtypes (1.0 -> float32)."""
    t = type(x)
    if t is _ArrayImpl or t is np.ndarray:
        return x
    if t is float:
        return np.float32(x)
    if t is int:
        return np.int32(x)
    if isinstance(x, Weak):
        return x.val
    if isinstance(x, (list, tuple)):
        return np.asarray(x)
    return x


class _Compiled:
    __slots__ = ("jaxpr", "consts", "out_tree", "fn", "x64")

    def __init__(self, jaxpr, consts, out_tree, fn, x64):
        self.jaxpr, self.consts, self.out_tree, self.fn, self.x64 = \
            jaxpr, consts, out_tree, fn, x64

    def __call__(self, flat):
        if self.x64:
            with jax.enable_x64(True):
                return self.fn(*self.consts, *flat)
        return self.fn(*self.consts, *flat)


def _jitted_body(jaxpr):
    nc = len(jaxpr.constvars)

    def body(*args):
        return lower_jaxpr(jaxpr, args[:nc], *args[nc:])
    return body


_all_jitted: weakref.WeakSet = weakref.WeakSet()  # so fl.clear_caches() reaches them all


def _check_static_args(fun, argnums: tuple, argnames: tuple) -> None:
    """As ``jax.jit``: static_argnums/argnames must name parameters of ``fun``."""
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):  # builtins and the like: nothing to check against
        return
    name = getattr(fun, "__name__", "fun")
    kinds = {p.kind for p in params}
    if inspect.Parameter.VAR_POSITIONAL not in kinds:
        npos = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
        bad = [i for i in argnums if not -npos <= i < npos]
        if bad:
            raise ValueError(f"jit: static_argnums={argnums} but {name} accepts only {npos} "
                             f"positional argument(s), so {bad} name no argument; use indices "
                             f"in [-{npos}, {npos}).")
    if inspect.Parameter.VAR_KEYWORD not in kinds:
        names = {p.name for p in params if p.kind != p.POSITIONAL_ONLY}
        bad_names = sorted(set(argnames) - names)
        if bad_names:
            raise ValueError(f"jit: static_argnames has {bad_names}, which {name} does not "
                             f"take (its parameters: {sorted(names)}); fix the names.")


class Jitted:
    """A function compiled with XLA (through ``jax.jit``) on first call per input signature."""

    def __init__(self, fun: Callable, static_argnums=(), static_argnames=(), donate_argnums=(),
                 **jax_jit_kwargs):
        check_callable(fun, "jit")
        functools.update_wrapper(self, fun)
        self._fun = fun
        self._static_argnums = (static_argnums,) if isinstance(static_argnums, int) \
            else tuple(static_argnums)
        self._static_argnames = (static_argnames,) if isinstance(static_argnames, str) \
            else tuple(static_argnames)
        self._donate = (donate_argnums,) if isinstance(donate_argnums, int) \
            else tuple(donate_argnums)
        self._jax_kwargs = jax_jit_kwargs
        _check_static_args(fun, self._static_argnums, self._static_argnames)
        _all_jitted.add(self)
        self._cache: dict = {}
        self._traced_cache: dict = {}

    def _cache_size(self) -> int:
        """Number of compiled entries (one per traced signature), as in JAX."""
        return len(self._cache)

    def clear_cache(self) -> None:
        self._cache.clear()
        self._traced_cache.clear()

    def _split(self, args, kwargs):
        n = len(args)
        st = tuple(sorted({i % n for i in self._static_argnums if -n <= i < n}))
        static = []
        for i in st:
            a = args[i]
            try:
                hash(a)
            except TypeError:
                raise TypeError(
                    f"jit: static argument {i} of {getattr(self._fun, '__name__', 'fun')} has "
                    f"unhashable type {type(a).__name__}; static arguments must be hashable "
                    "(use a tuple instead of a list, or make the argument non-static).") from None
            static.append((i, a))
        skw = []
        dkw = {}
        for k, v in kwargs.items():
            if k in self._static_argnames:
                try:
                    hash(v)
                except TypeError:
                    raise TypeError(f"jit: static argument {k!r} has unhashable type "
                                    f"{type(v).__name__}; static arguments must be hashable.") \
                        from None
                skw.append((k, v))
            else:
                dkw[k] = v
        dyn = tuple(a for i, a in enumerate(args) if i not in st)
        return st, tuple(static), tuple(sorted(skw)), dyn, dkw

    def _trace(self, n, st, static, skw, dyn, dkw, flat, in_tree, avals):
        stat = dict(static)
        kw_static = dict(skw)

        def fun_dyn(dargs, dkwargs):
            it = iter(dargs)
            full = [stat[i] if i in stat else next(it) for i in range(n)]
            return self._fun(*full, **kw_static, **dkwargs)
        store: dict = {}
        jaxpr, consts, _ = trace_flat(flatten_fun(fun_dyn, in_tree, store), avals, None,
                                      dce=True,
                                      name=f"jit({getattr(self._fun, '__name__', 'fun')})")
        return jaxpr, consts, store["out_tree"]

    @api_boundary
    def __call__(self, *args, **kwargs):
        if _config["disable_jit"]:
            return self._fun(*args, **kwargs)
        if not kwargs and not self._static_argnums:
            # the hot path: one flatten, one key, one dict lookup, the jax call
            flat, in_tree = tree_flatten((args, {}))
            key = (in_tree, tuple(map(_signature, flat)), (), ())
            entry = self._cache.get(key)
            if entry is not None:
                return tree_unflatten(entry.out_tree, entry(list(map(_to_device_value, flat))))
        st, static, skw, dyn, dkw = self._split(args, kwargs)
        flat, in_tree = tree_flatten((dyn, dkw))
        for x in flat:
            if isinstance(x, Tracer):
                return self._call_traced(len(args), st, static, skw, dyn, dkw, flat, in_tree)
        key = (in_tree, tuple(map(_signature, flat)), static, skw)
        entry = self._cache.get(key)
        if entry is None:
            entry = self._compile(key, len(args), st, static, skw, dyn, dkw, flat, in_tree)
            if type(entry) is tuple:  # it closes over a tracer of an enclosing transformation
                jaxpr, consts, out_tree = entry
                return tree_unflatten(out_tree, self._bind(jaxpr, consts, flat))
        outs = entry(list(map(_to_device_value, flat)))
        return tree_unflatten(entry.out_tree, outs)

    def _compile(self, key, n, st, static, skw, dyn, dkw, flat, in_tree):
        avals = [ShapedArray(*sig) for sig in key[1]]
        jaxpr, consts, out_tree = self._trace(n, st, static, skw, dyn, dkw, flat, in_tree, avals)
        if any(isinstance(c, Tracer) for c in consts):
            return jaxpr, consts, out_tree  # a jit equation of the enclosing trace, not cached
        donate = ()
        if self._donate:
            sizes = [len(tree_leaves(a)) for a in dyn]
            dyn_idx = [i for i in range(n) if i not in st]
            starts = np.cumsum([0] + sizes)
            donate = tuple(len(consts) + j for i in self._donate for k, di in enumerate(dyn_idx)
                           if di == i % n for j in range(starts[k], starts[k + 1]))
        kwargs = dict(self._jax_kwargs)
        if "in_shardings" in kwargs:
            dyn_sh = kwargs.pop("in_shardings")
            flat_sh: list = []
            tree_map(lambda s, sub: flat_sh.extend([s] * len(tree_leaves(sub))),
                     tuple(dyn_sh), tuple(dyn), is_leaf=lambda s: s is None or
                     isinstance(s, jax.sharding.Sharding))
            kwargs["in_shardings"] = (*([None] * len(consts)), *flat_sh)
        fn = jax.jit(_jitted_body(jaxpr), donate_argnums=donate, **kwargs)
        x64 = _needs_x64(jaxpr)
        consts = [jax.numpy.asarray(c) if isinstance(c, np.ndarray) else c for c in consts] \
            if not x64 else consts
        entry = _Compiled(jaxpr, consts, out_tree, fn, x64)
        if not _effects.discard:  # traced without its effects: not for later calls
            self._cache[key] = entry
        if _config["log_compiles"]:
            log.warning("functorch_lite.jit: compiling %s for %s (cache size %d)",
                        getattr(self._fun, "__name__", "fun"),
                        ", ".join(a.str_short() for a in avals), len(self._cache))
        return entry

    def _call_traced(self, n, st, static, skw, dyn, dkw, flat, in_tree):
        avals = [aval_of(x) for x in flat]
        # a trace made while effects are discarded lacks them: cached apart
        key = (in_tree, tuple(avals), static, skw, _effects.discard > 0)
        hit = self._traced_cache.get(key)
        if hit is None:
            hit = self._trace(n, st, static, skw, dyn, dkw, flat, in_tree, avals)
            if not any(isinstance(c, Tracer) for c in hit[1]):  # closures over tracers: retrace
                self._traced_cache[key] = hit
        jaxpr, consts, out_tree = hit
        return tree_unflatten(out_tree, self._bind(jaxpr, consts, flat))

    def _bind(self, jaxpr, consts, flat):
        return jit_p.bind(*consts, *flat, jaxpr=jaxpr, num_consts=len(consts),
                          name=getattr(self._fun, "__name__", "fun"))

    def lower(self, *args, **kwargs):
        """The jaxpr this function traces to at ``args`` (for inspection)."""
        st, static, skw, dyn, dkw = self._split(args, kwargs)
        flat, in_tree = tree_flatten((dyn, dkw))
        jaxpr, consts, _ = self._trace(len(args), st, static, skw, dyn, dkw, flat, in_tree,
                                       [aval_of(x) for x in flat])
        return ClosedJaxpr(jaxpr, consts)


def jit(fun: Callable | None = None, *, static_argnums: Any = (), static_argnames: Any = (),
        donate_argnums: Any = (), **jax_jit_kwargs) -> Any:
    """Compile ``fun`` with XLA through ``jax.jit``; usable as ``@jit`` or
    ``partial(jit, static_argnums=...)``.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> f = fl.jit(lambda x: fnp.sin(x) * 2.0)
    >>> float(f(0.0))
    0.0
    """
    if fun is None:
        return lambda f: jit(f, static_argnums=static_argnums, static_argnames=static_argnames,
                             donate_argnums=donate_argnums, **jax_jit_kwargs)
    return Jitted(fun, static_argnums, static_argnames, donate_argnums, **jax_jit_kwargs)


# ----------------------------------------------------------------------------- the jit primitive
# When a jitted function is called inside another transformation it is recorded as
# one ``jit`` equation; its rules transform the body and compile the result again.

jit_p = Primitive("jit", multiple_results=True)
_rule_cache: dict = {}


def _body_fn(jaxpr, nc):
    from ..core import eval_jaxpr
    return lambda *a: eval_jaxpr(jaxpr, list(a[:nc]), *a[nc:])


def _cached(kind, jaxpr, extra, make):
    key = (kind, id(jaxpr), extra)
    hit = _rule_cache.get(key)
    if hit is None or hit[0] is not jaxpr:
        hit = (jaxpr, make())
        _rule_cache[key] = hit
    return hit[1]


def _jit_impl(*args, jaxpr, num_consts, name):
    f = _cached("impl", jaxpr, None, lambda: Jitted(_body_fn(jaxpr, num_consts)))
    return [np.asarray(o) for o in f(*args)]


def _jit_jvp(primals, tangents, ans, *, jaxpr, num_consts, name):
    from .ad import _zero_tangent, linearize
    body = _body_fn(jaxpr, num_consts)

    def tangents_out(p, t):
        # the forward pass is recomputed here: its effects already ran in the primal call
        with discarding_effects():
            _, f_jvp = linearize(body, *p)
        return f_jvp(*t)
    f = _cached("jvp", jaxpr, None, lambda: Jitted(tangents_out))
    ts = [_zero_tangent(p) if t is None else t for p, t in zip(primals, tangents)]
    return f(list(primals), ts)


def _jit_vjp(g, ans, args, needs, *, jaxpr, num_consts, name):
    from .ad import vjp
    body = _body_fn(jaxpr, num_consts)
    gs = [np.zeros(v.aval.shape, v.aval.dtype) if c is None else c
          for v, c in zip(jaxpr.outvars, g)]

    def cotangents(a, c):
        with discarding_effects():  # a recomputed forward pass: its effects already ran
            _, f_vjp = vjp(body, *a)
        return list(f_vjp(c))
    f = _cached("vjp", jaxpr, None, lambda: Jitted(cotangents))
    cts = f(list(args), gs)
    return [c if n else None for c, n in zip(cts, needs)]


def _jit_batch(args, dims, *, jaxpr, num_consts, name):
    from .batching import vmap
    body = _body_fn(jaxpr, num_consts)
    dims = tuple(dims)
    f = _cached("batch", jaxpr, dims, lambda: Jitted(vmap(body, in_axes=dims)))
    outs = f(*args)
    return outs, [0] * len(outs)


jit_p.impl = _jit_impl
jit_p.abstract_eval = lambda *avals, jaxpr, num_consts, name: jaxpr.out_avals
jit_p.jvp = _jit_jvp
jit_p.vjp = _jit_vjp
jit_p.batch = _jit_batch
jit_p.lower = lambda *args, jaxpr, num_consts, name: lower_jaxpr(
    jaxpr, list(args[:num_consts]), *args[num_consts:])


def clear_caches() -> None:
    """Drop the compiled functions held for transformed ``jit`` calls and the compiled
    backward passes of eager ``grad`` (as ``jax.clear_caches``)."""
    tape.clear()
    _rule_cache.clear()
    for j in list(_all_jitted):
        j.clear_cache()
    jax.clear_caches()


class _Config:
    """``fl.config.update("log_compiles", True)`` logs each jit compilation."""

    def update(self, name: str, value: Any) -> None:
        name = name.removeprefix("jax_")
        if name not in _config:
            raise KeyError(f"unknown functorch_lite option {name!r}; known: {sorted(_config)}")
        _config[name] = value


config = _Config()


class disable_jit:
    """Context manager under which ``jit``-compiled functions run as plain Python
    (eagerly, op by op), for debugging with ``print`` and breakpoints, as
    ``jax.disable_jit``.

    >>> import functorch_lite as fl
    >>> with fl.disable_jit():
    ...     print(fl.jit(lambda x: type(x).__name__)(1.0))
    float
    """

    def __init__(self, disable: bool = True):
        self.disable = disable

    def __enter__(self) -> None:
        self.prev = _config["disable_jit"]
        _config["disable_jit"] = bool(self.disable)

    def __exit__(self, *exc) -> bool:
        _config["disable_jit"] = self.prev
        return False
