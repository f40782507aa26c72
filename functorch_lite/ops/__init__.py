"""The primitives, one module per family.  See ``rules.py`` for how rules are written."""
from . import calls, control_flow, elementwise, indexing, linalg, reductions, shapes, tangents  # noqa: F401
