"""``closure_convert`` and ``custom_gradient``: making the values a function closes over
explicit, as JAX's functions of those names.

Both trace a Python function into a jaxpr (``trace_flat``); the constants it closed
over that are tracers of an enclosing transformation are hoisted out as explicit
values, so they can cross a custom-derivative boundary (``custom_vjp``) or a ``vmap``.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from jax.tree_util import (register_pytree_node_class, tree_flatten, tree_unflatten,
                           treedef_is_leaf)

from ..core import Tracer, aval_of, eval_jaxpr, trace_flat
from ..core.tracebacks import api_boundary
from .api_util import check_callable, flatten_fun
from .custom import custom_vjp


def _trace(fun: Callable, args: tuple, name: str):
    flat, in_tree = tree_flatten(args)
    store: dict = {}
    jaxpr, consts, _ = trace_flat(flatten_fun(fun, in_tree, store),
                                  [aval_of(x) for x in flat], None, dce=True,
                                  name=f"{name}({getattr(fun, '__name__', 'fun')})")
    return jaxpr, consts, in_tree, store["out_tree"]


@api_boundary
def closure_convert(fun: Callable, *example_args: Any) -> tuple[Callable, list]:
    """``(converted_fun, hoisted)``: ``converted_fun(*args, *hoisted)`` computes
    ``fun(*args)`` for arguments shaped like ``example_args``, with the values ``fun``
    closes over that are traced by an enclosing transformation (``hoisted``) passed
    explicitly; concrete constants stay closed over.  As ``jax.closure_convert``, for
    passing a function into a ``custom_vjp`` whose rules must see those values.

    >>> import functorch_lite as fl
    >>> def outer(w):
    ...     f, hoisted = fl.closure_convert(lambda x: x * w, 1.0)
    ...     assert len(hoisted) == 1     # w is traced by grad: hoisted
    ...     return f(3.0, *hoisted)
    >>> fl.grad(outer)(2.0)
    np.float32(3.0)
    >>> f, hoisted = fl.closure_convert(lambda x: x * 2.0, 1.0)
    >>> f(4.0), hoisted
    (np.float32(8.0), [])
    """
    check_callable(fun, "closure_convert")
    jaxpr, consts, in_tree, out_tree = _trace(fun, example_args, "closure_convert")
    where = [i for i, c in enumerate(consts) if isinstance(c, Tracer)]
    hoisted = [consts[i] for i in where]

    def converted_fun(*args_hconsts: Any) -> Any:
        n = len(args_hconsts) - len(hoisted)
        args, given = args_hconsts[:n], args_hconsts[n:]
        cs = list(consts)
        for i, c in zip(where, given):
            cs[i] = c
        flat, in_tree2 = tree_flatten(tuple(args))
        if in_tree != in_tree2:
            raise TypeError("The inputs to the closure produced by closure_convert must have "
                            "the same Pytree structure as the example arguments passed when "
                            f"closure_convert was called. Expected {in_tree}, but got "
                            f"{in_tree2}")
        return tree_unflatten(out_tree, eval_jaxpr(jaxpr, cs, *flat))
    converted_fun.__name__ = f"closure_converted({getattr(fun, '__name__', 'fun')})"
    return converted_fun, hoisted


@register_pytree_node_class
class _Residuals:
    """A traced gradient function: its jaxpr (static) and its closed-over values
    (pytree children, so ``vmap`` of a ``custom_gradient`` function batches them)."""

    def __init__(self, jaxpr, in_tree, out_tree, consts):
        self.jaxpr, self.in_tree, self.out_tree, self.consts = jaxpr, in_tree, out_tree, consts

    def tree_flatten(self):
        return self.consts, (self.jaxpr, self.in_tree, self.out_tree)

    @classmethod
    def tree_unflatten(cls, aux, consts):
        return cls(*aux, list(consts))


def custom_gradient(fun: Callable) -> Callable:
    """A function with a custom gradient, as ``jax.custom_gradient`` (TensorFlow's
    ``tf.custom_gradient`` API): ``fun(*args)`` returns ``(out, vjp_fn)``, where
    ``vjp_fn(cotangent_of_out)`` gives one cotangent per argument (a tuple; a bare value
    when there is one argument).  The result computes ``out``; reverse mode uses
    ``vjp_fn`` (built on ``fl.custom_vjp``, so forward mode raises, as in JAX).

    >>> import functorch_lite as fl
    >>> @fl.custom_gradient
    ... def f(x):
    ...     return x ** 2, lambda g: (g * x,)
    >>> f(3.0), fl.grad(f)(3.0)
    (9.0, np.float32(3.0))
    >>> @fl.custom_gradient
    ... def g(x, y):
    ...     return x * y, lambda ct: (ct * y, ct * x)
    >>> fl.grad(g, argnums=(0, 1))(3.0, 4.0)
    (np.float32(4.0), np.float32(3.0))
    """
    check_callable(fun, "custom_gradient")

    def call(*args: Any, **kwargs: Any) -> tuple:
        got = fun(*args, **kwargs)
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and callable(got[1])):
            raise TypeError(f"custom_gradient: {getattr(fun, '__name__', 'the function')} must "
                            "return a pair (output, vjp_fn) with vjp_fn a function of the "
                            f"output's cotangent, got {type(got).__name__}.")
        return got

    @functools.wraps(fun)
    def primal(*args: Any, **kwargs: Any) -> Any:
        return call(*args, **kwargs)[0]
    wrapped = custom_vjp(primal)

    def fwd(*args: Any) -> tuple:
        ans, rule = call(*args)
        ans_flat, ans_tree = tree_flatten((ans,))
        jaxpr, consts, _, in_tree = _trace(
            lambda *cts: rule(*cts), tuple(tree_unflatten(ans_tree, [
                _ct_struct(aval_of(a)) for a in ans_flat])), "custom_gradient vjp_fn")
        return ans, _Residuals(jaxpr, in_tree, ans_tree, consts)

    def bwd(res: _Residuals, cts: Any) -> tuple:
        cts_flat, tree = tree_flatten((cts,))
        if tree != res.out_tree:
            raise TypeError(f"custom_gradient: cotangent structure {tree} differs from the "
                            f"output's {res.out_tree}.")
        out = tree_unflatten(res.in_tree, eval_jaxpr(res.jaxpr, res.consts, *cts_flat))
        return (out,) if treedef_is_leaf(res.in_tree) else out
    wrapped.defvjp(fwd, bwd)
    return wrapped


def _ct_struct(aval):
    import jax
    return jax.ShapeDtypeStruct(aval.shape, aval.dtype)
