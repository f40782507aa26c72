"""JAX's ``jax.tree`` module re-exported (``fl.tree.map``, ``leaves``, ``structure``,
``flatten``, ``unflatten``, ``reduce``, ``all``, ``transpose``, ``map_with_path``, ...),
as ``fl.tree_util`` re-exports ``jax.tree_util``: the same functions, so containers
registered with JAX are pytrees here too.

>>> import functorch_lite as fl
>>> fl.tree.map(lambda x: x * 2, {"a": 1, "b": (2, 3)})
{'a': 2, 'b': (4, 6)}
>>> fl.tree.leaves([1, (2, {"c": 3})])
[1, 2, 3]
"""
from jax.tree import (  # noqa: F401
    all,
    broadcast,
    flatten,
    flatten_with_path,
    leaves,
    leaves_with_path,
    map,
    map_with_path,
    reduce,
    reduce_associative,
    static,
    structure,
    transpose,
    unflatten,
)

__all__ = ["all", "broadcast", "flatten", "flatten_with_path", "leaves", "leaves_with_path",
           "map", "map_with_path", "reduce", "reduce_associative", "static", "structure",
           "transpose", "unflatten"]
