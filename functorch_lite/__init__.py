"""functorch_lite: JAX-style function transformations over a small traced IR.

>>> import functorch_lite as fl
>>> import functorch_lite.numpy as fnp
>>> fl.grad(lambda x: fnp.sin(x) * x)(0.0)
np.float32(0.0)
"""
from jax import Array, ShapeDtypeStruct

from . import lax, nn, numpy, optim, random, test_util, tree_util, viz
from . import debug
from .callbacks import pure_callback
from . import dtypes, scipy, tree
from .api_extras import (default_backend, device_count, devices, ensure_compile_time_eval,
                         local_device_count, local_devices, named_call, process_count,
                         process_index, typeof)
from .core import ClosedJaxpr, Jaxpr, ShapedArray
from .core.dtypes import float0
from .core.errors import ConcretizationTypeError, TracerArrayConversionError, UnexpectedTracerError
from .device import block_until_ready, device_get, device_put
from .transforms.ad import (grad, hessian, jacfwd, jacrev, jvp, linearize, stop_gradient,
                            value_and_grad, vjp)
from .transforms.ad import jacrev as jacobian
from .transforms.batching import vmap
from .transforms.custom import checkpoint, custom_jvp, custom_vjp, remat
from .transforms.jit import clear_caches, config, disable_jit, jit
from .transforms.staging import eval_shape, make_jaxpr
from .transforms.closure import closure_convert, custom_gradient
from .transforms.transpose import linear_transpose
from .viz import named_scope

__all__ = ["lax", "nn", "numpy", "optim", "random", "test_util", "tree_util", "viz",
           "debug", "pure_callback",
           "ClosedJaxpr", "Jaxpr", "ShapedArray", "ConcretizationTypeError",
           "TracerArrayConversionError", "UnexpectedTracerError", "grad", "hessian", "jacfwd",
           "jacrev", "jvp", "linearize", "stop_gradient", "value_and_grad", "vjp", "vmap",
           "checkpoint", "custom_jvp", "custom_vjp", "remat", "clear_caches", "config", "jit",
           "make_jaxpr", "named_scope", "ShapeDtypeStruct", "float0", "block_until_ready",
           "device_get", "device_put", "jacobian", "disable_jit", "eval_shape",
           "Array", "dtypes", "scipy", "tree", "default_backend", "device_count", "devices",
           "ensure_compile_time_eval", "local_device_count", "local_devices", "named_call",
           "process_count", "process_index", "typeof", "closure_convert", "custom_gradient",
           "linear_transpose"]
