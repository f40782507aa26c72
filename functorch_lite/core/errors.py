"""Exceptions raised while tracing, with messages that name the fix."""
from __future__ import annotations


class ConcretizationTypeError(TypeError):
    """A Python operation needed the concrete value of an abstract traced array."""


class TracerArrayConversionError(TypeError):
    """``np.asarray`` (or another NumPy function) was called on a tracer."""


class UnexpectedTracerError(RuntimeError):
    """A tracer escaped the transformation that created it and was used later."""


def concretization_error(tracer, what: str) -> ConcretizationTypeError:
    return ConcretizationTypeError(
        f"{what} was called on an abstract traced array {tracer.aval.str_short()} "
        "(under jit, vmap, make_jaxpr or an fl.lax control-flow body the value is not "
        "known while tracing). Python control flow on traced values is not possible "
        "here: use fl.lax.cond / fl.lax.switch / fnp.where for branches and "
        "fl.lax.fori_loop / fl.lax.while_loop / fl.lax.scan for loops, or mark the "
        "argument static with jit(..., static_argnums=...) so its value is known.")
