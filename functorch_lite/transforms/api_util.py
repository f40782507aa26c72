"""Pytree plumbing shared by the transformations: flattening, argnums, checks."""
from __future__ import annotations

from jax.tree_util import tree_flatten, tree_unflatten


def flatten_fun(fun, in_tree, store: dict):
    """``fun`` over a pytree -> a function over a flat list; records the output tree."""
    def flat_fun(*flat_args):
        out = fun(*tree_unflatten(in_tree, list(flat_args)))
        out_flat, out_tree = tree_flatten(out)
        store["out_tree"] = out_tree
        return out_flat
    return flat_fun


def normalize_argnums(argnums, nargs: int, fname: str) -> tuple[int, ...]:
    if not isinstance(argnums, (int, tuple, list)):
        raise TypeError(f"{fname}: argnums must be an int or a tuple of ints, got "
                        f"{argnums!r} ({type(argnums).__name__}).")
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    out = []
    for a in nums:
        if not isinstance(a, int):
            raise TypeError(f"{fname}: argnums must be ints, got {a!r}")
        if not -nargs <= a < nargs:
            raise ValueError(f"{fname}: argnums={argnums!r} is out of range for a function "
                             f"called with {nargs} positional argument(s)")
        out.append(a % nargs)
    return tuple(out)


def check_callable(fun, fname: str) -> None:
    """A TypeError at wrapping time (as JAX) when ``fun`` cannot be called."""
    if not callable(fun):
        raise TypeError(f"{fname}: expected a callable to transform, got {fun!r} of type "
                        f"{type(fun).__name__}.")
