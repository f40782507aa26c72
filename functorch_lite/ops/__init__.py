"""The primitives, one module per family.  See ``rules.py`` for how rules are written."""
from . import elementwise, reductions, shapes  # noqa: F401
