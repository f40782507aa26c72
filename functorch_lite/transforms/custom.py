"""``custom_jvp``, ``custom_vjp`` and ``checkpoint``: user-defined derivative rules and
rematerialization, as primitives that hold the function's jaxpr."""
from __future__ import annotations

import functools
import inspect
import operator
from typing import Any
from collections.abc import Callable

import numpy as np
from jax.tree_util import tree_flatten, tree_map, tree_unflatten

from ..core import Tracer, aval_of, trace_flat
from ..core.dtypes import FLOATS
from ..core.tracebacks import api_boundary
from ..ops.calls import custom_jvp_call_p, custom_vjp_call_p, remat_p
from ..ops.elementwise import convert_element_type
from ..ops.tangents import zeros
from .api_util import check_callable, flatten_fun


def _split(args, nondiff_argnums):
    nd = tuple(a % len(args) for a in nondiff_argnums) if args else ()
    dyn = [a for i, a in enumerate(args) if i not in nd]
    static = [args[i] for i in nd]
    return nd, static, dyn


def _rebuild(args_len, nd, static, dyn):
    it_s, it_d = iter(static), iter(dyn)
    return [next(it_s) if i in nd else next(it_d) for i in range(args_len)]


class _Staged:
    """``fun(*args)`` traced over its non-static arguments (those in ``static_argnums``
    are closed over), ready to be bound as a call primitive."""

    def __init__(self, fun, args, static_argnums):
        n = len(args)
        self.nd, self.static, self.dyn = _split(args, static_argnums)
        self.flat, self.in_tree = tree_flatten(tuple(self.dyn))
        self.n = n
        store: dict = {}
        body = flatten_fun(lambda *d: fun(*self.rebuild(d)), self.in_tree, store)
        self.jaxpr, self.consts, _ = trace_flat(
            body, [aval_of(x) for x in self.flat], None, dce=True,
            name=f"the custom rule call of {getattr(fun, '__name__', 'fun')}")
        self.out_tree = store["out_tree"]

    def rebuild(self, dyn) -> list:
        return _rebuild(self.n, self.nd, self.static, dyn)

    def bind(self, prim, **params):
        outs = prim.bind(*self.consts, *self.flat, jaxpr=self.jaxpr,
                         num_consts=len(self.consts), **params)
        return tree_unflatten(self.out_tree, outs)


def _any_tracer(args, static_argnums) -> bool:
    """Whether a non-static argument holds a tracer (else the function just runs)."""
    _, _, dyn = _split(args, static_argnums)
    return any(isinstance(x, Tracer) for x in tree_flatten(dyn)[0])


def _positional(fun: Callable, args: tuple, kwargs: dict) -> tuple:
    """A call's arguments as positional ones, keywords and defaults resolved against
    ``fun``'s signature (the rules receive every argument by position, as in JAX)."""
    try:
        params = _signature(fun)
    except (TypeError, ValueError):  # no signature (a builtin): nothing to resolve
        if kwargs:
            raise TypeError(f"{getattr(fun, '__name__', fun)}: keyword arguments cannot be "
                            "resolved without a signature; pass them by position.") from None
        return args
    if not kwargs and len(args) == len(params):
        return args
    bound = inspect.Signature(params).bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(f"{getattr(fun, '__name__', 'the function')}: keyword-only arguments "
                        f"({', '.join(bound.kwargs)}) are not supported by custom_jvp/"
                        "custom_vjp functions; make them positional.")
    return bound.args


@functools.lru_cache(maxsize=256)
def _signature(fun: Callable) -> tuple:
    return tuple(inspect.signature(fun).parameters.values())


def _nondiff(fun: Callable, nums, names, where: str) -> tuple:
    """``nondiff_argnums`` with the positions of ``nondiff_argnames`` added (as JAX, the
    rules then receive those arguments first, in positional order)."""
    nums = tuple(nums)
    if isinstance(names, str):
        names = (names,)
    if names:
        params = [p.name for p in _signature(fun)]
        for n in names:
            if n not in params:
                raise TypeError(f"{where}: nondiff_argnames entry {n!r} is not a parameter of "
                                f"{getattr(fun, '__name__', 'the function')} (its parameters: "
                                f"{', '.join(params)}).")
            nums += (params.index(n),)
        nums = tuple(sorted(set(nums)))
    return nums


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

    def __init__(self, fun: Callable, nondiff_argnums: tuple = (),
                 nondiff_argnames: tuple = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = _nondiff(fun, nondiff_argnums, nondiff_argnames, "custom_jvp")
        self.jvp_rule: Callable | None = None

    def defjvp(self, jvp: Callable, symbolic_zeros: bool = False) -> Callable:
        """Set the rule ``jvp(primals, tangents) -> (primal_out, tangent_out)``."""
        self.jvp_rule = jvp
        return jvp

    def defjvps(self, *jvps: Callable | None) -> None:
        """One rule per positional argument, as ``jax.custom_jvp.defjvps``:
        ``jvps[i](t_i, primal_out, *primals)`` is argument ``i``'s contribution to the
        output tangent (``None``: the output does not depend on it); they are summed.

        >>> import functorch_lite as fl, functorch_lite.numpy as fnp
        >>> @fl.custom_jvp
        ... def f(x, y):
        ...     return fnp.sin(x) * y
        >>> f.defjvps(lambda t, ans, x, y: fnp.cos(x) * y * t, lambda t, ans, x, y: fnp.sin(x) * t)
        >>> fl.grad(f, argnums=(0, 1))(0.0, 2.0)
        (np.float32(2.0), np.float32(0.0))
        """
        if self.nondiff_argnums:
            raise TypeError("custom_jvp.defjvps cannot be used with nondiff_argnums; write one "
                            "rule with .defjvp instead.")

        def jvp(primals, tangents):
            ans = self(*primals)
            parts = [f(t, ans, *primals) for f, t in zip(jvps, tangents) if f is not None]
            if not parts:
                from .. import numpy as fnp
                return ans, tree_map(fnp.zeros_like, ans)
            return ans, tree_map(lambda *xs: functools.reduce(operator.add, xs), *parts)
        jvp.__name__ = f"{getattr(self.fun, '__name__', 'f')}_jvps"
        self.defjvp(jvp)

    @api_boundary
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = _positional(self.fun, args, kwargs)
        if self.jvp_rule is None:
            raise AttributeError(f"no JVP rule defined for custom_jvp function "
                                 f"{getattr(self.fun, '__name__', '')}; use .defjvp.")
        if not _any_tracer(args, self.nondiff_argnums):
            return self.fun(*args)
        st = _Staged(self.fun, args, self.nondiff_argnums)
        rule = self.jvp_rule

        def jvp_flat(primals, tangents):
            p = tree_unflatten(st.in_tree, list(primals))
            t = tree_unflatten(st.in_tree, list(tangents))
            name = getattr(rule, "__name__", "jvp")
            r = rule(*st.static, tuple(p), tuple(t))
            if not (isinstance(r, (tuple, list)) and len(r) == 2):
                raise TypeError(f"custom_jvp rule {name} must return a pair (primal_out, "
                                f"tangent_out), got {type(r).__name__}"
                                + (f" of length {len(r)}" if isinstance(r, (tuple, list))
                                   else "") + ".")
            out_flat, tout_flat = tree_flatten(r[0])[0], tree_flatten(r[1])[0]
            if len(out_flat) != len(tout_flat):
                raise TypeError(f"custom_jvp rule {name}: primal_out has {len(out_flat)} "
                                f"leaves but tangent_out has {len(tout_flat)}; they must have "
                                "the same tree structure.")
            for i, (o, to) in enumerate(zip(out_flat, tout_flat)):
                oa, ta = aval_of(o), aval_of(to)
                if oa.dtype in FLOATS and (oa.shape != ta.shape or ta.dtype not in FLOATS):
                    raise TypeError(f"custom_jvp rule {name}: tangent_out leaf {i} is "
                                    f"{ta.str_short()} but primal_out leaf {i} is "
                                    f"{oa.str_short()}; the rule must return (primal_out, "
                                    "tangent_out) with tangent_out shaped like primal_out.")
            tout_flat = [_like_float(t, aval_of(o)) for o, t in zip(out_flat, tout_flat)]
            return out_flat, tout_flat
        jvp_flat.__name__ = getattr(rule, "__name__", "jvp")
        return st.bind(custom_jvp_call_p, jvp=jvp_flat)


def _like_float(t, a):
    """A rule's tangent/cotangent ``t`` in the float dtype of ``a`` (JAX accepts any float
    dtype there).  A rule computing on values that are not traced gets NumPy's promotion:
    ``g * k`` of a float32 ``g`` and an int32 ``k`` is float64 in NumPy (float32 in JAX),
    which the next rule could not combine with float32 values."""
    if isinstance(t, (int, float)) and a.dtype in FLOATS:  # a Python scalar (or bool)
        return np.asarray(t, a.dtype)[()]
    if a.dtype in FLOATS and aval_of(t).dtype != a.dtype:
        return convert_element_type(t, a.dtype)
    return t


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

    def __init__(self, fun: Callable, nondiff_argnums: tuple = (),
                 nondiff_argnames: tuple = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = _nondiff(fun, nondiff_argnums, nondiff_argnames, "custom_vjp")
        self.fwd: Callable | None = None
        self.bwd: Callable | None = None

    def defvjp(self, fwd: Callable, bwd: Callable, symbolic_zeros: bool = False) -> None:
        self.fwd, self.bwd = fwd, bwd

    @api_boundary
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = _positional(self.fun, args, kwargs)
        if self.fwd is None:
            raise AttributeError("no VJP rule defined for custom_vjp function; use .defvjp.")
        if not _any_tracer(args, self.nondiff_argnums):
            return self.fun(*args)
        st = _Staged(self.fun, args, self.nondiff_argnums)
        fwd_user, bwd_user = self.fwd, self.bwd
        avals = [aval_of(x) for x in st.flat]

        def fwd(primals):
            out, res = fwd_user(*st.rebuild(tree_unflatten(st.in_tree, primals)))
            return tree_flatten(out)[0], res

        def bwd(res, cts):
            got = bwd_user(*st.static, res, tree_unflatten(st.out_tree, list(cts)))
            if not isinstance(got, tuple) or len(got) != len(st.dyn):
                n = f" of length {len(got)}" if isinstance(got, tuple) else ""
                raise TypeError(f"custom_vjp bwd must return a tuple with one cotangent per "
                                f"differentiable argument ({len(st.dyn)}), got "
                                f"{type(got).__name__}{n}")
            flat_ct = []
            for arg, c in zip(st.dyn, got):
                leaves = tree_flatten(arg)[0]
                flat_ct.extend(tree_flatten(c)[0] if c is not None else [None] * len(leaves))
            name = getattr(bwd_user, "__name__", "bwd")
            for i, (c, a) in enumerate(zip(flat_ct, avals)):
                if c is None:
                    continue
                ca = aval_of(c)
                if ca.shape != a.shape or (a.dtype in FLOATS and ca.dtype not in FLOATS):
                    raise TypeError(f"custom_vjp bwd {name}: the cotangent for input leaf {i} "
                                    f"is {ca.str_short()} but that input is {a.str_short()}; "
                                    "bwd must return one cotangent per argument, with the "
                                    "argument's shape and dtype.")
            return [zeros(a) if c is None else _like_float(c, a) for c, a in zip(flat_ct, avals)]
        fwd.__name__ = getattr(fwd_user, "__name__", "fwd")
        bwd.__name__ = getattr(bwd_user, "__name__", "bwd")
        return st.bind(custom_vjp_call_p, fwd=fwd, bwd=bwd)


def checkpoint(fun: Callable, *, prevent_cse: bool = True, policy: Any = None,
               static_argnums: tuple = ()) -> Callable:
    """Same values and gradients as ``fun``, but reverse mode keeps only its inputs and
    recomputes its intermediate values in the backward pass (alias ``remat``).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.grad(fl.checkpoint(lambda x: fnp.sin(fnp.sin(x))))(0.0)
    np.float32(1.0)
    """
    check_callable(fun, "checkpoint")

    @functools.wraps(fun)
    @api_boundary
    def wrapped(*args):
        if not _any_tracer(args, static_argnums):
            return fun(*args)
        return _Staged(fun, args, static_argnums).bind(remat_p)
    return wrapped


remat = checkpoint
