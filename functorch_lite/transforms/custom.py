"""``custom_jvp``, ``custom_vjp`` and ``checkpoint``: user-defined derivative rules and
rematerialization, as primitives that hold the function's jaxpr."""
from __future__ import annotations

import functools
from typing import Any
from collections.abc import Callable

from jax.tree_util import tree_flatten, tree_unflatten

from ..core import Tracer, aval_of, trace_flat
from ..ops.calls import custom_jvp_call_p, custom_vjp_call_p, remat_p
from ..ops.tangents import zeros
from .api_util import flatten_fun


def _split(args, nondiff_argnums):
    nd = tuple(a % len(args) for a in nondiff_argnums) if args else ()
    dyn = [a for i, a in enumerate(args) if i not in nd]
    static = [args[i] for i in nd]
    return nd, static, dyn


def _rebuild(args_len, nd, static, dyn):
    it_s, it_d = iter(static), iter(dyn)
    return [next(it_s) if i in nd else next(it_d) for i in range(args_len)]


def _stage(fun, flat, in_tree):
    """Trace ``fun`` over flat inputs; returns (jaxpr, consts, out_tree)."""
    store: dict = {}
    jaxpr, consts, _ = trace_flat(flatten_fun(fun, in_tree, store), [aval_of(x) for x in flat],
                                  None, dce=True)
    return jaxpr, consts, store["out_tree"]


def _any_tracer(tree) -> bool:
    return any(isinstance(x, Tracer) for x in tree_flatten(tree)[0])


class custom_jvp:
    """A function with a user-defined JVP rule (``@f.defjvp``), as ``jax.custom_jvp``.

    Reverse mode transposes the rule's (linear) tangent map, so one rule serves both modes.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> @fl.custom_jvp
    ... def f(x):
    ...     return fnp.sin(x)
    >>> @f.defjvp
    ... def f_jvp(primals, tangents):
    ...     (x,), (t,) = primals, tangents
    ...     return f(x), 2.0 * t
    >>> fl.grad(f)(0.3)
    np.float32(2.0)
    """

    def __init__(self, fun: Callable, nondiff_argnums: tuple = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp_rule: Callable | None = None

    def defjvp(self, jvp: Callable, symbolic_zeros: bool = False) -> Callable:
        self.jvp_rule = jvp
        return jvp

    def __call__(self, *args: Any) -> Any:
        if self.jvp_rule is None:
            raise AttributeError(f"no JVP rule defined for custom_jvp function "
                                 f"{getattr(self.fun, '__name__', '')}; use .defjvp.")
        nd, static, dyn = _split(args, self.nondiff_argnums)
        if not _any_tracer(dyn):
            return self.fun(*args)
        flat, in_tree = tree_flatten(tuple(dyn))
        n = len(args)
        fun = lambda *d: self.fun(*_rebuild(n, nd, static, d))
        jaxpr, consts, out_tree = _stage(fun, flat, in_tree)
        rule = self.jvp_rule

        def jvp_flat(primals, tangents):
            p = tree_unflatten(in_tree, list(primals))
            t = tree_unflatten(in_tree, list(tangents))
            out, tout = rule(*static, tuple(p), tuple(t))
            return tree_flatten(out)[0], tree_flatten(tout)[0]
        jvp_flat.__name__ = getattr(rule, "__name__", "jvp")
        outs = custom_jvp_call_p.bind(*consts, *flat, jaxpr=jaxpr, num_consts=len(consts),
                                      jvp=jvp_flat)
        return tree_unflatten(out_tree, outs)


class custom_vjp:
    """A function with user-defined forward/backward passes (``f.defvjp(fwd, bwd)``).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> @fl.custom_vjp
    ... def clip_grad(x):
    ...     return x
    >>> clip_grad.defvjp(lambda x: (x, None), lambda res, g: (fnp.clip(g, -1.0, 1.0),))
    >>> fl.grad(lambda x: 5.0 * clip_grad(x))(2.0)
    np.float32(1.0)
    """

    def __init__(self, fun: Callable, nondiff_argnums: tuple = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable | None = None
        self.bwd: Callable | None = None

    def defvjp(self, fwd: Callable, bwd: Callable, symbolic_zeros: bool = False) -> None:
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args: Any) -> Any:
        if self.fwd is None:
            raise AttributeError("no VJP rule defined for custom_vjp function; use .defvjp.")
        nd, static, dyn = _split(args, self.nondiff_argnums)
        if not _any_tracer(dyn):
            return self.fun(*args)
        flat, in_tree = tree_flatten(tuple(dyn))
        n = len(args)
        fun = lambda *d: self.fun(*_rebuild(n, nd, static, d))
        jaxpr, consts, out_tree = _stage(fun, flat, in_tree)
        fwd_user, bwd_user = self.fwd, self.bwd
        avals = [aval_of(x) for x in flat]

        def fwd(primals):
            out, res = fwd_user(*_rebuild(n, nd, static, tree_unflatten(in_tree, primals)))
            return tree_flatten(out)[0], res

        def bwd(res, cts):
            g = tree_unflatten(out_tree, list(cts))
            got = bwd_user(*static, res, g)
            if not isinstance(got, tuple) or len(got) != len(dyn):
                n = f" of length {len(got)}" if isinstance(got, tuple) else ""
                raise TypeError(f"custom_vjp bwd must return a tuple with one cotangent per "
                                f"differentiable argument ({len(dyn)}), got "
                                f"{type(got).__name__}{n}")
            flat_ct = []
            for arg, c in zip(dyn, got):
                leaves = tree_flatten(arg)[0]
                cl = tree_flatten(c)[0] if c is not None else [None] * len(leaves)
                flat_ct.extend(cl)
            return [zeros(a) if c is None else c for c, a in zip(flat_ct, avals)]
        fwd.__name__ = getattr(fwd_user, "__name__", "fwd")
        bwd.__name__ = getattr(bwd_user, "__name__", "bwd")
        outs = custom_vjp_call_p.bind(*consts, *flat, jaxpr=jaxpr, num_consts=len(consts),
                                      fwd=fwd, bwd=bwd)
        return tree_unflatten(out_tree, outs)


def checkpoint(fun: Callable, *, prevent_cse: bool = True, policy: Any = None,
               static_argnums: tuple = ()) -> Callable:
    """Same values and gradients as ``fun``, but reverse mode keeps only its inputs and
    recomputes its intermediate values in the backward pass (alias ``remat``).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.grad(fl.checkpoint(lambda x: fnp.sin(fnp.sin(x))))(0.0)
    np.float32(1.0)
    """
    @functools.wraps(fun)
    def wrapped(*args):
        nd, static, dyn = _split(args, static_argnums)
        if not _any_tracer(dyn):
            return fun(*args)
        flat, in_tree = tree_flatten(tuple(dyn))
        n = len(args)
        jaxpr, consts, out_tree = _stage(lambda *d: fun(*_rebuild(n, nd, static, d)), flat,
                                         in_tree)
        outs = remat_p.bind(*consts, *flat, jaxpr=jaxpr, num_consts=len(consts))
        return tree_unflatten(out_tree, outs)
    return wrapped


remat = checkpoint
