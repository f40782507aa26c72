"""``conv_general_dilated``: XLA's convolution, exactly ``jax.lax.conv_general_dilated``.

The parameters are always canonical here (the user-facing parsing of strings, ``None``
and padding names lives in ``lax_convolution.py``):

- ``window_strides``, ``lhs_dilation``, ``rhs_dilation``: one int per spatial dim;
- ``padding``: one ``(low, high)`` pair of ints per spatial dim (negative crops);
- ``dimension_numbers``: a ``jax.lax.ConvDimensionNumbers`` ``(lhs_spec, rhs_spec,
  out_spec)``; ``lhs_spec = (batch dim, feature dim, spatial dims...)``, ``rhs_spec =
  (out-feature dim, in-feature dim, spatial dims...)``, ``out_spec`` like ``lhs_spec``;
  spatial dim ``i`` of all three (and the ``i``-th stride, padding, dilation) belong
  together;
- ``feature_group_count``, ``batch_group_count``: ints >= 1, at most one above 1.

The NumPy impl is im2col: dilate and pad the input once, take every window as a
strided view, copy the windows out (output positions innermost) and contract them with
the kernel in one (batched) matmul.

Convolution is bilinear, so its JVP is the sum of a convolution per tangent and its
VJP is JAX's pair of transposes (``_conv_general_dilated_transpose_lhs/_rhs``): two
more convolutions, written with ``conv_general_dilated`` itself, so they differentiate
again.  vmap folds the batch axis into the batch or feature dimensions (feature
groups), as JAX does.
"""
from __future__ import annotations

import functools

import jax.lax as lax
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..core import Primitive, ShapedArray, bind
from ..core.dtypes import FLOATS, INTS, bfloat16, float16, float32
from .rules import defjvp, defvjp

ConvDimensionNumbers = lax.ConvDimensionNumbers

conv_general_dilated_p = Primitive("conv_general_dilated")

_NAME = "conv_general_dilated"


def _shape(x) -> tuple:
    s = getattr(x, "shape", None)
    return tuple(s) if s is not None else np.shape(x)


def _dtype(x) -> np.dtype:
    d = getattr(x, "dtype", None)
    return np.dtype(d) if d is not None else np.result_type(x)


def conv_general_dilated(lhs, rhs, window_strides: tuple, padding: tuple,
                         lhs_dilation: tuple, rhs_dilation: tuple,
                         dimension_numbers: ConvDimensionNumbers,
                         feature_group_count: int = 1, batch_group_count: int = 1,
                         precision=None, preferred_element_type=None):
    """Bind the primitive with canonical parameters (see the module docstring).

    Eagerly the shape and dtype rule runs first, so bad input gets its message rather
    than NumPy's.

    >>> import numpy as np
    >>> dn = ConvDimensionNumbers((0, 1, 2), (0, 1, 2), (0, 1, 2))
    >>> conv_general_dilated(np.ones((1, 1, 4), np.float32), np.ones((1, 1, 2), np.float32),
    ...                      (1,), ((0, 0),), (1,), (1,), dn)
    array([[[2., 2., 2.]]], dtype=float32)
    """
    params = dict(window_strides=tuple(window_strides), padding=tuple(padding),
                  lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(rhs_dilation),
                  dimension_numbers=dimension_numbers,
                  feature_group_count=int(feature_group_count),
                  batch_group_count=int(batch_group_count), precision=precision,
                  preferred_element_type=preferred_element_type)
    if not (hasattr(lhs, "aval") or hasattr(rhs, "aval")):  # eager: impl skips abstract_eval
        _conv_aval(ShapedArray(_shape(lhs), _dtype(lhs)), ShapedArray(_shape(rhs), _dtype(rhs)),
                   **params)
    return bind(conv_general_dilated_p, lhs, rhs, **params)


# --------------------------------------------------------------------- shape/dtype rule

def _dilate_dim(d: int, dilation: int) -> int:
    return 0 if d == 0 else 1 + dilation * (d - 1)


def _strs(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@functools.lru_cache(maxsize=2048)
def conv_shape(lhs_shape: tuple, rhs_shape: tuple, window_strides: tuple, padding: tuple,
               lhs_dilation: tuple, rhs_dilation: tuple, dimension_numbers: tuple,
               feature_group_count: int, batch_group_count: int) -> tuple:
    """The output shape; errors name both operand shapes, the parameter at fault and the fix.

    >>> conv_shape((1, 2, 5), (3, 2, 2), (1,), ((0, 0),), (1,), (1,),
    ...            ((0, 1, 2), (0, 1, 2), (0, 1, 2)), 1, 1)
    (1, 3, 4)
    """
    shapes = f"lhs shape {_strs(lhs_shape)}, rhs shape {_strs(rhs_shape)}"

    def fail(kind, why):
        raise kind(f"{_NAME}: {why} ({shapes}).")

    nd = len(lhs_shape)
    if nd != len(rhs_shape):
        fail(TypeError, f"lhs and rhs must have the same rank, got {nd} and {len(rhs_shape)}; "
             "both are (batch/feature + spatial) arrays of rank 2 + number of spatial dims")
    if nd < 2:
        fail(TypeError, "lhs and rhs need rank >= 2 (a batch and a feature dimension, "
             "then the spatial dimensions)")
    check_specs(dimension_numbers, lhs_shape, rhs_shape)
    lspec, rspec, ospec = (tuple(s) for s in dimension_numbers)
    nsp = nd - 2
    for name, v in (("window_strides", window_strides), ("lhs_dilation", lhs_dilation),
                    ("rhs_dilation", rhs_dilation)):
        if len(v) != nsp:
            fail(TypeError, f"{name} {tuple(v)} needs one entry per spatial dimension ({nsp})")
        if any(int(s) < 1 for s in v):
            fail(ValueError, f"{name} {tuple(v)} must hold positive integers")
    if len(padding) != nsp or any(len(p) != 2 for p in padding):
        fail(TypeError, f"padding {tuple(padding)} needs one (low, high) pair per spatial "
             f"dimension ({nsp})")
    fgc, bgc = feature_group_count, batch_group_count
    if fgc < 1 or bgc < 1:
        fail(ValueError, f"feature_group_count ({fgc}) and batch_group_count ({bgc}) must be "
             "positive integers")
    if fgc > 1 and bgc > 1:
        fail(ValueError, f"at most one of feature_group_count ({fgc}) and batch_group_count "
             f"({bgc}) may be > 1")
    n, c = lhs_shape[lspec[0]], lhs_shape[lspec[1]]
    o, i = rhs_shape[rspec[0]], rhs_shape[rspec[1]]
    if c % fgc:
        fail(ValueError, f"feature_group_count={fgc} must divide the lhs feature dimension "
             f"size {c} (lhs dim {lspec[1]})")
    if c // fgc != i:
        fix = ("make the kernel's input-feature size equal to the input's feature size"
               if fgc == 1 else f"the kernel's input-feature size must be {c // fgc}")
        fail(ValueError, f"the lhs feature dimension size {c} (lhs dim {lspec[1]}) divided by "
             f"feature_group_count={fgc} must equal the rhs input feature dimension size {i} "
             f"(rhs dim {rspec[1]}); {fix}, or check dimension_numbers")
    for name, g in (("feature_group_count", fgc), ("batch_group_count", bgc)):
        if o % g:
            fail(ValueError, f"the rhs output feature dimension size {o} (rhs dim {rspec[0]}) "
                 f"must be a multiple of {name}={g}")
    if bgc > 1 and n % bgc:
        fail(ValueError, f"batch_group_count={bgc} must divide the lhs batch dimension size "
             f"{n} (lhs dim {lspec[0]})")
    out_sp = []
    for k in range(nsp):
        size = _dilate_dim(lhs_shape[lspec[2 + k]], lhs_dilation[k])
        lo, hi = padding[k]
        padded = size + lo + hi
        if padded < 0:
            fail(ValueError, f"negative padding {tuple(padding[k])} removes more than the "
                 f"size {size} of spatial dimension {k} (lhs dim {lspec[2 + k]})")
        if rhs_shape[rspec[2 + k]] == 0:
            fail(ValueError, f"the kernel's spatial dimension {k} (rhs dim {rspec[2 + k]}) has "
                 "size 0; XLA needs a non-empty window")
        window = _dilate_dim(rhs_shape[rspec[2 + k]], rhs_dilation[k])
        out_sp.append(0 if padded < window else (padded - window) // window_strides[k] + 1)
    out_t = (n // bgc, o) + tuple(out_sp)
    out = [0] * nd
    for pos, d in enumerate(ospec):
        out[d] = out_t[pos]
    return tuple(out)


def check_specs(dimension_numbers, lhs_shape: tuple, rhs_shape: tuple) -> None:
    """A TypeError unless each spec of ``dimension_numbers`` permutes the operands' dims."""
    nd = len(lhs_shape)
    for name, spec in zip(("lhs_spec", "rhs_spec", "out_spec"), dimension_numbers):
        if sorted(spec) != list(range(nd)):
            raise TypeError(
                f"{_NAME}: dimension_numbers.{name} {tuple(spec)} must be a permutation of the "
                f"{nd} dimensions (lhs shape {_strs(lhs_shape)}, rhs shape {_strs(rhs_shape)}); "
                "build dimension_numbers with fl.lax.conv_dimension_numbers(lhs.shape, "
                "rhs.shape, ('NCHW', 'OIHW', 'NCHW')) or pass the layout strings.")


def _check_dtypes(ldt: np.dtype, rdt: np.dtype, lshape: tuple, rshape: tuple,
                  preferred_element_type) -> np.dtype:
    """The output dtype; a TypeError for operands or a preferred_element_type XLA rejects."""
    if ldt == rdt and (ldt in FLOATS or ldt in INTS) and preferred_element_type is None:
        return ldt  # the common case, without building the messages
    lstr = ShapedArray(lshape, ldt).str_short()
    rstr = ShapedArray(rshape, rdt).str_short()
    if ldt != rdt:
        raise TypeError(f"{_NAME}: lhs and rhs must have the same dtype, got lhs {lstr} and "
                        f"rhs {rstr}; cast one with .astype (jax.lax does not promote).")
    if ldt not in FLOATS and ldt not in INTS:
        raise TypeError(f"{_NAME}: operands must be floating-point or integer arrays, got "
                        f"lhs {lstr} and rhs {rstr}; cast them with .astype(np.float32).")
    pet = preferred_element_type
    if pet is None:
        return ldt
    if not (pet in FLOATS or pet in INTS) or (ldt in FLOATS and pet not in FLOATS) or \
            (ldt in INTS and pet in INTS and ldt.kind == "i" and pet.kind != "i") or \
            pet.itemsize < ldt.itemsize:
        raise TypeError(f"{_NAME}: preferred_element_type {pet} is not compatible with "
                        f"operands of dtype {ldt}: it must be of the same kind (integer or "
                        f"floating; integer inputs may also ask for a float), the same "
                        f"signedness and not narrower; pass None to keep {ldt}.")
    return pet


def _conv_aval(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
               dimension_numbers, feature_group_count, batch_group_count, precision,
               preferred_element_type):
    out_dt = _check_dtypes(lhs.dtype, rhs.dtype, lhs.shape, rhs.shape, preferred_element_type)
    shape = conv_shape(lhs.shape, rhs.shape, window_strides, padding, lhs_dilation,
                       rhs_dilation, dimension_numbers, feature_group_count,
                       batch_group_count)
    return ShapedArray.make(shape, out_dt, False)


# --------------------------------------------------------------------- NumPy implementation

_COMPUTE = {float16: float32, bfloat16: float32}  # NumPy has no fast 16-bit float matmul


def _conv_impl(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
               dimension_numbers, feature_group_count, batch_group_count, precision,
               preferred_element_type):
    lhs, rhs = np.asarray(lhs), np.asarray(rhs)
    out_dt = _check_dtypes(lhs.dtype, rhs.dtype, lhs.shape, rhs.shape, preferred_element_type)
    out_shape = conv_shape(lhs.shape, rhs.shape, window_strides, padding, lhs_dilation,
                           rhs_dilation, dimension_numbers, feature_group_count,
                           batch_group_count)
    lspec, rspec, ospec = dimension_numbers
    cdt = _COMPUTE.get(out_dt, out_dt)
    x = lhs.transpose(lspec).astype(cdt, copy=False)  # (N, C, spatial...)
    w = rhs.transpose(rspec).astype(cdt, copy=False)  # (O, I, window...)
    x = _dilate_and_pad(x, lhs_dilation, padding)
    nsp = x.ndim - 2
    n, c = x.shape[:2]
    o, i = w.shape[:2]
    window = w.shape[2:]
    out_sp = tuple(out_shape[d] for d in ospec[2:])
    # every window as a view: window position p, offset k reads x[..., p*stride + k*dilation]
    st = x.strides
    view = as_strided(x, x.shape[:2] + out_sp + window,
                      st[:2] + tuple(st[2 + k] * window_strides[k] for k in range(nsp))
                      + tuple(st[2 + k] * rhs_dilation[k] for k in range(nsp)),
                      writeable=False)
    # groups outermost: view (groups, n', c', out..., window...), kernel (groups, o', c' * window)
    if batch_group_count > 1:
        groups = batch_group_count
        view = view.reshape((groups, n // groups, c) + view.shape[2:])
    else:
        groups = feature_group_count
        view = view.reshape((n, groups, c // groups) + view.shape[2:]).swapaxes(0, 1)
    gn, gc = view.shape[1], view.shape[2]
    # the im2col copy, output positions innermost (a fast copy, and the matmul then writes
    # the channels-first result directly)
    patches = view.transpose((0, 1, 2) + tuple(range(3 + nsp, 3 + 2 * nsp))
                             + tuple(range(3, 3 + nsp)))
    patches = patches.reshape(groups, gn, gc * _prod(window), _prod(out_sp))
    kernel = w.reshape(groups, 1, o // groups, i * _prod(window))
    res = np.matmul(kernel, patches)  # (groups, n', o', out)
    if groups > 1:
        res = res.swapaxes(0, 1)
    res = res.reshape((gn, o) + out_sp)
    out = res.transpose(tuple(np.argsort(ospec)))
    return np.ascontiguousarray(out, dtype=out_dt)


def _dilate_and_pad(x: np.ndarray, lhs_dilation: tuple, padding: tuple) -> np.ndarray:
    """``x`` (N, C, spatial...) with zeros between its spatial elements and at its edges
    (one allocation); negative padding crops the result."""
    if all(d == 1 for d in lhs_dilation) and all(lo == 0 and hi == 0 for lo, hi in padding):
        return x
    sp = x.shape[2:]
    dil = tuple(_dilate_dim(s, d) for s, d in zip(sp, lhs_dilation))
    grown = tuple(s + max(lo, 0) + max(hi, 0) for s, (lo, hi) in zip(dil, padding))
    out = np.zeros(x.shape[:2] + grown, x.dtype)
    out[(slice(None), slice(None)) + tuple(
        slice(max(lo, 0), max(lo, 0) + s, d)
        for s, d, (lo, _) in zip(dil, lhs_dilation, padding))] = x
    if any(lo < 0 or hi < 0 for lo, hi in padding):
        out = out[(slice(None), slice(None)) + tuple(
            slice(max(-lo, 0), g - max(-hi, 0)) for g, (lo, hi) in zip(grown, padding))]
    return out


def _prod(xs) -> int:
    p = 1
    for x in xs:
        p *= int(x)
    return p


# --------------------------------------------------------------------- derivatives

def _conv_jvp_lhs(t, ans, lhs, rhs, **params):
    return conv_general_dilated(t, rhs, **params)


def _conv_jvp_rhs(t, ans, lhs, rhs, **params):
    return conv_general_dilated(lhs, t, **params)


def _spec_transpose(spec: tuple) -> tuple:
    return (spec[1], spec[0]) + tuple(spec[2:])


def _take(shape: tuple, dims) -> tuple:
    return tuple(shape[d] for d in dims)


def _reshape_axis_into(src: int, dst: int, x):
    """Merge axis ``src`` into axis ``dst`` (numbered after removing ``src``), ``src``
    being the major part (JAX's helper of the same name)."""
    shape = _shape(x)
    perm = [i for i in range(len(shape)) if i != src]
    perm.insert(dst, src)
    new_shape = [shape[i] for i in range(len(shape)) if i != src]
    new_shape[dst] *= shape[src]
    if perm != list(range(len(shape))):
        x = _shapes.transpose(x, tuple(perm))
    return _shapes.reshape(x, tuple(new_shape))


def _reshape_axis_out_of(src: int, size1: int, x):
    """Split axis ``src`` into ``(size1, rest)``."""
    shape = list(_shape(x))
    shape[src:src + 1] = [size1, shape[src] // size1]
    return _shapes.reshape(x, tuple(shape))


def _as(x, dt):
    return x if _dtype(x) == dt else _elementwise.convert_element_type(x, dt)


def _vjp_lhs_padding(in_shape, window_dimensions, window_strides, out_shape, padding,
                     lhs_dilation, rhs_dilation) -> tuple:
    out = []
    for k in range(len(in_shape)):
        lhs_d = _dilate_dim(in_shape[k], lhs_dilation[k])
        rhs_d = _dilate_dim(window_dimensions[k], rhs_dilation[k])
        out_d = _dilate_dim(out_shape[k], window_strides[k])
        before = rhs_d - padding[k][0] - 1
        out.append((before, lhs_d + rhs_d - 1 - out_d - before))
    return tuple(out)


def _vjp_rhs_padding(in_shape, window_dimensions, window_strides, out_shape, padding,
                     lhs_dilation, rhs_dilation) -> tuple:
    out = []
    for k in range(len(in_shape)):
        lhs_d = _dilate_dim(in_shape[k], lhs_dilation[k])
        rhs_d = _dilate_dim(window_dimensions[k], rhs_dilation[k])
        out_d = _dilate_dim(out_shape[k], window_strides[k])
        lo = padding[k][0]
        out.append((lo, (out_d - lhs_d) + (rhs_d - lo - 1)))
    return tuple(out)


def _conv_vjp_lhs(g, ans, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                  dimension_numbers, feature_group_count, batch_group_count, precision,
                  preferred_element_type):
    ldt = _dtype(lhs)
    if ldt not in FLOATS:
        return None
    lhs_shape, rhs_shape = _shape(lhs), _shape(rhs)
    lspec, rspec, ospec = dimension_numbers
    t_rspec = _spec_transpose(rspec)
    fgc = feature_group_count
    if fgc > 1:  # the group axis moves from the kernel's out-features to its in-features
        rhs = _reshape_axis_out_of(rspec[0], fgc, rhs)
        rhs = _reshape_axis_into(rspec[0], rspec[1], rhs)
    elif batch_group_count > 1:
        rhs = _reshape_axis_out_of(rspec[0], batch_group_count, rhs)
        rhs = _reshape_axis_into(rspec[0], rspec[1], rhs)
        fgc = batch_group_count
    pads = _vjp_lhs_padding(_take(lhs_shape, lspec[2:]), _take(rhs_shape, rspec[2:]),
                            window_strides, _take(_shape(g), ospec[2:]), padding,
                            lhs_dilation, rhs_dilation)
    revd = _shapes.rev(rhs, tuple(rspec[2:]))
    gdt = _dtype(g)
    revd = _as(revd, gdt)
    out = conv_general_dilated(
        g, revd, window_strides=lhs_dilation, padding=pads, lhs_dilation=window_strides,
        rhs_dilation=rhs_dilation,
        dimension_numbers=ConvDimensionNumbers(tuple(ospec), t_rspec, tuple(lspec)),
        feature_group_count=fgc, batch_group_count=1, precision=precision,
        preferred_element_type=preferred_element_type)
    out = _as(out, ldt)
    if batch_group_count > 1:
        out = _reshape_axis_out_of(lspec[1], batch_group_count, out)
        out = _reshape_axis_into(lspec[1], lspec[0], out)
    return out


def _conv_vjp_rhs(g, ans, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                  dimension_numbers, feature_group_count, batch_group_count, precision,
                  preferred_element_type):
    rdt = _dtype(rhs)
    if rdt not in FLOATS:
        return None
    rhs_shape, gshape = _shape(rhs), _shape(g)
    if _prod(gshape) == 0:  # no output: a zero kernel cotangent (and no degenerate conv)
        return _elementwise.zeros_like(rhs)
    lspec, rspec, ospec = dimension_numbers
    fgc, bgc = feature_group_count, batch_group_count
    if bgc > 1:
        fgc, bgc = bgc, 1
    elif fgc > 1:
        fgc, bgc = 1, fgc
    pads = _vjp_rhs_padding(_take(_shape(lhs), lspec[2:]), _take(rhs_shape, rspec[2:]),
                            window_strides, _take(gshape, ospec[2:]), padding,
                            lhs_dilation, rhs_dilation)
    lhs = _as(lhs, _dtype(g))
    out = conv_general_dilated(
        lhs, g, window_strides=rhs_dilation, padding=pads, lhs_dilation=lhs_dilation,
        rhs_dilation=window_strides,
        dimension_numbers=ConvDimensionNumbers(_spec_transpose(lspec), _spec_transpose(ospec),
                                               _spec_transpose(rspec)),
        feature_group_count=fgc, batch_group_count=bgc, precision=precision,
        preferred_element_type=preferred_element_type)
    return _as(out, rdt)


defjvp(conv_general_dilated_p, _conv_jvp_lhs, _conv_jvp_rhs)
defvjp(conv_general_dilated_p, _conv_vjp_lhs, _conv_vjp_rhs)

# --------------------------------------------------------------------- batching


def _conv_batch(args, dims, **params):
    """JAX's rule: the vmapped axis joins the batch dimension (lhs batched), the kernel's
    out-features (rhs batched), or both operands' feature groups (both batched)."""
    (lhs, rhs), (ld, rd) = args, dims
    lspec, rspec, ospec = params["dimension_numbers"]
    fgc, bgc = params["feature_group_count"], params["batch_group_count"]
    if ld is None and rd is None:
        return conv_general_dilated(lhs, rhs, **params), None
    size = _shape(lhs)[ld] if ld is not None else _shape(rhs)[rd]
    if size == 0:  # the reshapes below cannot fold an empty axis: build the zeros directly
        ls, rs = list(_shape(lhs)), list(_shape(rhs))
        if ld is not None:
            ls.pop(ld)
        if rd is not None:
            rs.pop(rd)
        shape = conv_shape(tuple(ls), tuple(rs), params["window_strides"], params["padding"],
                           params["lhs_dilation"], params["rhs_dilation"], (lspec, rspec, ospec),
                           fgc, bgc)
        dt = params["preferred_element_type"]
        dt = _dtype(lhs) if dt is None else dt
        return np.zeros((0,) + shape, dt), 0

    def run(new_lhs, new_rhs, **changes):
        return conv_general_dilated(new_lhs, new_rhs, **{**params, **changes})

    if ld is not None and rd is not None:
        if bgc > 1:
            new_lhs = _reshape_axis_into(ld, lspec[0], lhs)
            changes = {"batch_group_count": bgc * size}
        else:
            new_lhs = _reshape_axis_into(ld, lspec[1], lhs)
            changes = {"feature_group_count": fgc * size}
        new_rhs = _reshape_axis_into(rd, rspec[0], rhs)
        out = run(new_lhs, new_rhs, **changes)
        return _reshape_axis_out_of(ospec[1], size, out), ospec[1]
    if ld is not None:
        if bgc == 1:
            new_lhs = _reshape_axis_into(ld, lspec[0], lhs)
        else:  # keep the batch groups outermost: (groups, vmapped, batch / groups)
            new_lhs = _reshape_axis_out_of(lspec[0] + int(ld <= lspec[0]), bgc, lhs)
            new_lhs = _reshape_axis_into(ld + int(lspec[0] < ld), lspec[0] + 1, new_lhs)
            new_lhs = _reshape_axis_into(lspec[0], lspec[0], new_lhs)
        out = run(new_lhs, rhs)
        return _reshape_axis_out_of(ospec[0], size, out), ospec[0]
    if fgc == 1 and bgc == 1:
        new_rhs = _reshape_axis_into(rd, rspec[0], rhs)
        out = run(lhs, new_rhs)
        return _reshape_axis_out_of(ospec[1], size, out), ospec[1]
    # groups must stay outermost in the kernel's out-features: (groups, vmapped, o / groups)
    groups = fgc if fgc > 1 else bgc
    new_rhs = _reshape_axis_out_of(rspec[0] + int(rd <= rspec[0]), groups, rhs)
    new_rhs = _reshape_axis_into(rd + int(rspec[0] < rd), rspec[0] + 1, new_rhs)
    new_rhs = _reshape_axis_into(rspec[0], rspec[0], new_rhs)
    out = run(lhs, new_rhs)
    out = _reshape_axis_out_of(ospec[1], groups, out)
    out = _reshape_axis_out_of(ospec[1] + 1, size, out)
    out = _reshape_axis_into(ospec[1], ospec[1] + 1, out)
    return out, ospec[1]


def _conv_lower(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                dimension_numbers, feature_group_count, batch_group_count, precision,
                preferred_element_type):
    return lax.conv_general_dilated(
        lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation, dimension_numbers,
        feature_group_count=feature_group_count, batch_group_count=batch_group_count,
        precision=precision, preferred_element_type=preferred_element_type)


conv_general_dilated_p.impl = _conv_impl
conv_general_dilated_p.abstract_eval = _conv_aval
conv_general_dilated_p.batch = _conv_batch
conv_general_dilated_p.lower = _conv_lower

from . import elementwise as _elementwise  # noqa: E402
from . import shapes as _shapes  # noqa: E402
