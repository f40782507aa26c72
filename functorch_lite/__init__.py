"""functorch_lite: JAX-style function transformations over a small traced IR.

>>> import functorch_lite as fl
>>> import functorch_lite.numpy as fnp
>>> fl.grad(lambda x: fnp.sin(x) * x)(0.0)
np.float32(0.0)
"""
from . import lax, numpy, tree_util  # noqa: F401
from .core import ClosedJaxpr, Jaxpr, ShapedArray  # noqa: F401
from .core.errors import ConcretizationTypeError, TracerArrayConversionError, UnexpectedTracerError  # noqa: F401
from .transforms.ad import (grad, hessian, jacfwd, jacrev, jvp, linearize,  # noqa: F401, E402
                            stop_gradient, value_and_grad, vjp)
from .transforms.batching import vmap  # noqa: F401, E402
from .transforms.staging import make_jaxpr  # noqa: F401, E402
from .transforms.custom import checkpoint, custom_jvp, custom_vjp, remat  # noqa: F401, E402
from . import test_util  # noqa: F401, E402
from .transforms.jit import clear_caches, config, jit  # noqa: F401, E402
