"""JAX's ``jax.dtypes`` re-exported (``float0``, ``bfloat16``, ``finfo``, ``iinfo``,
``issubdtype``, ``result_type``, ``canonicalize_dtype``, ...).

``fl.dtypes.float0`` equals ``fl.float0`` (the dtype of tangents of integer values).
One difference from this library's own values: ``canonicalize_dtype`` and
``result_type`` answer as JAX does without 64-bit mode (``float64 -> float32``), while
functorch_lite keeps float64 inputs float64 in every mode.

>>> import functorch_lite as fl, numpy as np
>>> fl.dtypes.float0 == fl.float0
True
>>> fl.dtypes.issubdtype(fl.dtypes.bfloat16, np.floating)
True
"""
from jax.dtypes import (  # noqa: F401
    TypePromotionError,
    bfloat16,
    canonicalize_dtype,
    extended,
    finfo,
    float0,
    iinfo,
    issubdtype,
    itemsize_bits,
    prng_key,
    result_type,
    scalar_type_of,
)

__all__ = ["TypePromotionError", "bfloat16", "canonicalize_dtype", "extended", "finfo",
           "float0", "iinfo", "issubdtype", "itemsize_bits", "prng_key", "result_type",
           "scalar_type_of"]
