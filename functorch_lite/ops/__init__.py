"""The primitives, one module per family.  See ``rules.py`` for how rules are written."""
from . import (  # noqa: F401
    calls,
    control_flow,
    elementwise,
    indexing,
    linalg,
    random,
    reductions,
    shapes,
    tangents,
)
