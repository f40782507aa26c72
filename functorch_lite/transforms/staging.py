"""``make_jaxpr`` and ``eval_shape``: a function's jaxpr, or its output shapes and
dtypes, at the abstract values of example arguments (nothing is computed)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
from jax.tree_util import tree_flatten, tree_unflatten

from ..core import ClosedJaxpr, aval_of, trace_flat
from ..core.tracebacks import api_boundary
from .api_util import check_callable, flatten_fun


def make_jaxpr(fun: Callable, static_argnums: int | tuple = ()) -> Callable:
    """Trace ``fun`` into a :class:`ClosedJaxpr` that prints in JAX's layout.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> print(fl.make_jaxpr(lambda x: fnp.sin(x) * 2.0)(1.0))
    { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }
    """
    check_callable(fun, "make_jaxpr")
    statics = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @api_boundary
    def wrapped(*args, **kwargs):
        n = len(args)
        st = {i % n for i in statics}
        dyn = [a for i, a in enumerate(args) if i not in st]

        def fun_dyn(*dargs):
            it = iter(dargs)
            full = [args[i] if i in st else next(it) for i in range(n)]
            return fun(*full, **kwargs)

        flat, in_tree = tree_flatten(tuple(dyn))
        store: dict = {}
        jaxpr, consts, _ = trace_flat(flatten_fun(fun_dyn, in_tree, store),
                                      [aval_of(x) for x in flat], None, dce=True,
                                      name=f"make_jaxpr({getattr(fun, '__name__', 'fun')})")
        return ClosedJaxpr(jaxpr, consts)
    return wrapped


@api_boundary
def eval_shape(fun: Callable, *args: Any, **kwargs: Any) -> Any:
    """The shapes and dtypes of ``fun(*args, **kwargs)`` as a pytree of
    ``jax.ShapeDtypeStruct`` (``fl.ShapeDtypeStruct``), found by tracing abstractly:
    nothing is computed, and the arguments may be ``ShapeDtypeStruct`` themselves.

    >>> import functorch_lite as fl, numpy as np
    >>> fl.eval_shape(lambda x: x.sum(axis=0) * 2.0, fl.ShapeDtypeStruct((2, 3), np.float32))
    ShapeDtypeStruct(shape=(3,), dtype=float32)
    """
    check_callable(fun, "eval_shape")
    flat, in_tree = tree_flatten((args, kwargs))

    def flat_fun(*xs):
        a, kw = tree_unflatten(in_tree, list(xs))
        out_flat, store["out_tree"] = tree_flatten(fun(*a, **kw))
        return out_flat

    store: dict = {}
    jaxpr, _, _ = trace_flat(flat_fun, [aval_of(x) for x in flat], None, dce=True,
                             name=f"eval_shape({getattr(fun, '__name__', 'fun')})")
    outs = [v.aval for v in jaxpr.outvars]
    return tree_unflatten(store["out_tree"], [
        jax.ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in outs])
