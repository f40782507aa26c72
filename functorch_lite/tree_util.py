"""JAX's pytree library, re-exported: containers registered with JAX are pytrees here too.

>>> from functorch_lite import tree_util
>>> tree_util.tree_leaves({"a": 1, "b": (2, 3)})
[1, 2, 3]
"""
from jax.tree_util import *  # noqa: F401,F403
from jax.tree_util import (  # noqa: F401
                           register_pytree_node,
                           tree_flatten,
                           tree_leaves,
                           tree_map,
                           tree_structure,
                           tree_unflatten,
)
