"""The primitives, one module per family.  See ``rules.py`` for how rules are written."""
from . import (calls, control_flow, elementwise, indexing, linalg, random,  # noqa: F401
               reductions, shapes, sorting, special, tangents)
