"""The core: abstract values, the IR, primitives, tracing and evaluation (NumPy only)."""
from . import dtypes, interpreters, keys
from .avals import ShapedArray, Weak, aval_of_value
from .errors import ConcretizationTypeError, TracerArrayConversionError, UnexpectedTracerError
from .eval import eval_jaxpr, eval_jaxpr_env, read
from .ir import (ClosedJaxpr, Eqn, Jaxpr, JaxprTypeError, Literal, Var, check_jaxpr, dce_jaxpr,
                 eqn_has_effects, pp_jaxpr)
from .primitive import Primitive, bind
from .tracing import (Trace, Tracer, aval_of, discarding_effects, interpreting, is_tracer,
                      new_trace, trace_flat, value_of)

__all__ = ["dtypes", "interpreters", "keys", "ShapedArray", "Weak", "aval_of_value",
           "ConcretizationTypeError", "TracerArrayConversionError", "UnexpectedTracerError",
           "eval_jaxpr", "eval_jaxpr_env", "read", "ClosedJaxpr", "Eqn", "Jaxpr",
           "JaxprTypeError", "Literal", "Var", "check_jaxpr", "dce_jaxpr", "eqn_has_effects",
           "pp_jaxpr", "Primitive", "bind", "Trace", "Tracer", "aval_of", "discarding_effects",
           "interpreting", "is_tracer", "new_trace", "trace_flat", "value_of"]
