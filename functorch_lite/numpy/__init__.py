"""``functorch_lite.numpy`` (``fnp``): a NumPy-compatible array API over primitives.

Eagerly each function returns a ``numpy.ndarray``; under a transformation it
records primitives.  Dtypes follow JAX (float32 by default, weak Python scalars).
The dtype names are NumPy scalar types, so ``fnp.float32(0.5)`` works as in JAX, and
the constants ``inf nan pi e euler_gamma newaxis`` are NumPy's (Python floats and None).

>>> import functorch_lite.numpy as fnp
>>> fnp.sin(fnp.zeros(3))
array([0., 0., 0.], dtype=float32)
>>> fnp.zeros(2)[:, fnp.newaxis].shape, float(fnp.cos(fnp.pi)), fnp.isinf(fnp.inf).item()
((2, 1), -1.0, True)
>>> fnp.bool is fnp.bool_, fnp.issubdtype(fnp.bfloat16, fnp.floating)
(True, True)
"""
import ml_dtypes as _ml_dtypes
import numpy as _np

from . import operators  # noqa: F401  (installs the tracer operators and methods)
from .creation import *  # noqa: F403
from .dtype_utils import *  # noqa: F403
from .indexing import *  # noqa: F403
from .linalg import *  # noqa: F403
from .math import *  # noqa: F403
from .reductions import *  # noqa: F403
from .shape_aliases import *  # noqa: F403
from .shapes import *  # noqa: F403
from .statistics import *  # noqa: F403
from .windows import *  # noqa: F403
from .misc_more import *  # noqa: F403,E402  (after the above: built from them)
from .functional import *  # noqa: F403,E402
from .setops import *  # noqa: F403,E402
from .polynomials import *  # noqa: F403,E402
from .histograms import *  # noqa: F403,E402

bfloat16 = _ml_dtypes.bfloat16
bool_ = _np.bool_
float16, float32, float64 = _np.float16, _np.float32, _np.float64
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
# jax.numpy's other scalar type names; the 64-bit ones stay 64-bit here (fnp.float_(1.0) is a
# float64, where JAX without x64 gives float32)
bool = _np.bool_  # noqa: A001
single, double, float_ = _np.float32, _np.float64, _np.float64
int_, uint = _np.int64, _np.uint64
dtype = _np.dtype
generic, number, inexact, floating = _np.generic, _np.number, _np.inexact, _np.floating
integer, signedinteger, unsignedinteger = _np.integer, _np.signedinteger, _np.unsignedinteger

# NumPy's constants, as jax.numpy re-exports them: Python floats (weakly typed in
# arithmetic, so ``x32 * fnp.pi`` stays float32) and None for a new axis
e = _np.e
euler_gamma = _np.euler_gamma
inf = _np.inf
nan = _np.nan
newaxis = None
pi = _np.pi
