"""``make_jaxpr``: a function's jaxpr at the abstract values of example arguments."""
from __future__ import annotations

from collections.abc import Callable

from jax.tree_util import tree_flatten

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
