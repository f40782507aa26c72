"""``functorch_lite.numpy`` (``fnp``): a NumPy-compatible array API over primitives.

Eagerly each function returns a ``numpy.ndarray``; under a transformation it
records primitives.  Dtypes follow JAX (float32 by default, weak Python scalars).

>>> import functorch_lite.numpy as fnp
>>> fnp.sin(fnp.zeros(3))
array([0., 0., 0.], dtype=float32)
"""
from ..core.dtypes import (  # noqa: F401
                           bfloat16,
                           bool_,
                           float16,
                           float32,
                           float64,
                           int8,
                           int32,
                           int64,
                           uint8,
                           uint32,
)
from .creation import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .math import *  # noqa: F401,F403
from .reductions import *  # noqa: F401,F403
from .shapes import *  # noqa: F401,F403
from . import operators  # noqa: F401
