"""Histograms, as ``jax.numpy``'s: ``histogram_bin_edges histogram histogram2d
histogramdd``.

The bin of each sample is found with ``searchsorted`` and the counts (or the sums of the
weights) gathered with a scatter-add, so the number of bins must be static (an int, or
the length of the given edges) but the data, the range and the weights may be traced:
they run under ``jit`` and ``vmap``, and are differentiable in the weights (and, with
``density=True``, in the range through the bin widths), as in JAX.
"""
from __future__ import annotations

import builtins
import operator
from typing import Any

import numpy as np

from .. import numpy as fnp
from ..core import ConcretizationTypeError, Tracer, dtypes
from .misc_more import _arr

__all__ = ["histogram_bin_edges", "histogram", "histogram2d", "histogramdd"]


def _inexact_dtype(*xs):
    dt = fnp.result_type(*xs)
    return dt if fnp.issubdtype(dt, fnp.floating) else np.dtype(dtypes.DEFAULT_FLOAT)


def _int_bins(bins, name: str) -> int:
    if isinstance(bins, Tracer):
        if bins.val is None:
            raise ConcretizationTypeError(f"fnp.{name}: an int bins argument must be static, got "
                                          f"the traced {bins.aval.str_short()}.")
        bins = bins.val
    try:
        n = operator.index(bins)
    except TypeError:
        raise TypeError(f"fnp.{name}: bins must be an int or a 1-D sequence of edges, got "
                        f"{bins!r}.") from None
    if n < 1:
        raise ValueError(f"fnp.{name}: the number of bins must be positive, got {n}.")
    return n


def histogram_bin_edges(a: Any, bins: Any = 10, range: Any = None,
                        weights: Any = None) -> Any:
    """The edges of the histogram bins of ``a`` (``bins + 1`` evenly spaced over ``range``,
    default ``(a.min(), a.max())``, widened by 0.5 each side when empty; or ``bins`` itself
    when it is a 1-D sequence), as ``jax.numpy.histogram_bin_edges``.

    >>> import functorch_lite.numpy as fnp
    >>> fnp.histogram_bin_edges(fnp.array([0.0, 1.0, 4.0]), bins=4)
    array([0., 1., 2., 3., 4.], dtype=float32)
    """
    if isinstance(bins, str):
        raise NotImplementedError("fnp.histogram_bin_edges: string values for bins are not "
                                  "implemented (as in JAX); pass an int or the edges.")
    arr = _arr(a, "histogram_bin_edges")
    dt = _inexact_dtype(arr)
    if (bins.ndim if isinstance(bins, Tracer) else np.ndim(bins)) == 1:
        return fnp.asarray(bins, dt)
    n = _int_bins(bins, "histogram_bin_edges")
    if range is None:
        if arr.size == 0:
            lo, hi = fnp.zeros((), dt), fnp.ones((), dt)
        else:
            lo, hi = fnp.asarray(fnp.min(arr), dt), fnp.asarray(fnp.max(arr), dt)
    else:
        r = fnp.asarray(range if isinstance(range, Tracer) else
                        (fnp.stack([fnp.asarray(v, dt) for v in range])
                         if isinstance(range, (list, tuple)) else range), dt)
        if r.shape != (2,):
            raise ValueError(f"fnp.histogram_bin_edges: range must be None or a pair of "
                             f"scalars, got shape {r.shape}.")
        lo, hi = r[0], r[1]
    same = hi == lo
    lo, hi = fnp.where(same, lo - 0.5, lo), fnp.where(same, hi + 0.5, hi)
    return fnp.linspace(lo, hi, n + 1, dtype=dt)


def histogram(a: Any, bins: Any = 10, range: Any = None, weights: Any = None,
              density: bool | None = None) -> tuple:
    """The histogram of ``a`` (flattened): ``(counts, bin_edges)``, the counts summing
    ``weights`` when given and normalized to a density with ``density=True``, as
    ``jax.numpy.histogram`` (the last bin includes its right edge; samples outside the
    edges are not counted).

    >>> import functorch_lite.numpy as fnp
    >>> counts, edges = fnp.histogram(fnp.array([0.0, 1.0, 1.5, 4.0]), bins=4)
    >>> counts, edges
    (array([1., 2., 0., 1.], dtype=float32), array([0., 1., 2., 3., 4.], dtype=float32))
    """
    x = _arr(a, "histogram")
    if weights is None:
        dt = _inexact_dtype(x)
        x = fnp.asarray(x, dt)
        w = fnp.ones_like(x)
    else:
        w = _arr(weights, "histogram")
        if w.shape != x.shape:
            raise ValueError(f"fnp.histogram: weights of shape {w.shape} should have the shape "
                             f"{x.shape} of a.")
        dt = _inexact_dtype(x, w)
        x, w = fnp.asarray(x, dt), fnp.asarray(w, dt)
    x, w = fnp.ravel(x), fnp.ravel(w)
    edges = histogram_bin_edges(x, bins, range)
    nb = edges.shape[0]
    idx = fnp.searchsorted(edges, x, side="right")
    idx = fnp.where(x == edges[-1], nb - 1, idx)
    counts = fnp.at(fnp.zeros(nb + 1, w.dtype))[idx].add(w)[1:nb]
    if density:
        widths = fnp.diff(edges)
        counts = counts / widths / fnp.sum(counts)
    return counts, edges


def histogramdd(sample: Any, bins: Any = 10, range: Any = None, weights: Any = None,
                density: bool | None = None) -> tuple:
    """The ``D``-dimensional histogram of ``N`` samples ``sample`` (shape ``(N, D)``):
    ``(hist, [edges per dimension])``, as ``jax.numpy.histogramdd``; ``bins`` an int, or one
    int/edge array per dimension, ``range`` one pair (or None) per dimension.

    >>> import functorch_lite.numpy as fnp
    >>> h, edges = fnp.histogramdd(fnp.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]]), bins=2)
    >>> h
    array([[1, 0],
           [1, 1]], dtype=int32)
    """
    s = _arr(sample, "histogramdd")
    if s.ndim != 2:
        raise ValueError(f"fnp.histogramdd: sample must be 2-D (N samples of D coordinates), "
                         f"got shape {s.shape}.")
    if weights is None:
        dt = _inexact_dtype(s)
        s = fnp.asarray(s, dt)
        w = None
    else:
        w = _arr(weights, "histogramdd")
        if w.shape != s.shape[:1]:
            raise ValueError(f"fnp.histogramdd: should have one weight for each sample: "
                             f"weights of shape {w.shape} for {s.shape[0]} samples.")
        dt = _inexact_dtype(s, w)
        s, w = fnp.asarray(s, dt), fnp.asarray(w, dt)
    N, D = s.shape
    if range is not None and (len(range) != D or any(
            r is not None and np.shape(r)[0] != 2 for r in range)):
        raise ValueError(f"fnp.histogramdd: for sample.shape={(N, D)}, range must be a "
                         f"sequence of {D} pairs or Nones; got range={range!r}")
    try:
        per_dim = list(bins)
    except TypeError:
        per_dim = [bins] * D
    else:
        if len(per_dim) != D:
            raise ValueError(f"fnp.histogramdd: there should be one bin specification for "
                             f"each of the {D} dimensions, got {len(per_dim)}.")
    idxs, all_edges = [], []
    for i in builtins.range(D):
        r = None if range is None else range[i]
        edges = histogram_bin_edges(s[:, i], per_dim[i], r)
        idx = fnp.searchsorted(edges, s[:, i], side="right")
        idx = fnp.where(s[:, i] == edges[-1], idx - 1, idx)
        idxs.append(idx)
        all_edges.append(edges)
    nbins = tuple(e.shape[0] + 1 for e in all_edges)
    flat = fnp.ravel_multi_index(tuple(idxs), nbins, mode="clip")
    vals = fnp.ones(N, fnp.int32) if w is None else w
    total = int(np.prod(nbins))
    hist = fnp.at(fnp.zeros(total, vals.dtype))[flat].add(vals)
    hist = fnp.reshape(hist, nbins)[(slice(1, -1),) * D]
    if density:
        hist = fnp.asarray(hist, s.dtype)
        hist = hist / fnp.sum(hist)
        for norm in fnp.ix_(*[fnp.diff(e) for e in all_edges]):
            hist = hist / norm
    return hist, all_edges


def histogram2d(x: Any, y: Any, bins: Any = 10, range: Any = None, weights: Any = None,
                density: bool | None = None) -> tuple:
    """The 2-D histogram of the points ``(x, y)``: ``(hist, x_edges, y_edges)``, as
    ``jax.numpy.histogram2d`` (``bins``: an int, an edge array for both, or one per axis).

    >>> import functorch_lite.numpy as fnp
    >>> h, xe, ye = fnp.histogram2d(fnp.array([0.0, 1.0]), fnp.array([0.0, 1.0]), bins=2)
    >>> h
    array([[1, 0],
           [0, 1]], dtype=int32)
    """
    xa, ya = _arr(x, "histogram2d"), _arr(y, "histogram2d")
    try:
        n = len(bins)
    except TypeError:
        n = 1
    if n != 1 and n != 2:
        edges = fnp.asarray(bins)
        bins = [edges, edges]
    dt = fnp.result_type(xa, ya)
    sample = fnp.stack([fnp.asarray(xa, dt), fnp.asarray(ya, dt)], axis=1)
    hist, edges = histogramdd(sample, bins, range, weights, density)
    return hist, edges[0], edges[1]
