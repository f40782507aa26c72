"""``where=`` on ``fnp.var``/``fnp.std`` and ``fnp.pad`` with ``mode="median"`` or a
callable mode, checked against jax.numpy (the oracle) for values, dtypes and shapes:
eagerly, under ``fl.jit``, ``fl.grad`` (vs ``jax.grad``) and ``fl.vmap`` (vs
``jax.vmap``), plus the errors for bad input."""
import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from compare import close, same

RNG = np.random.default_rng(11)
X = RNG.standard_normal((3, 4)).astype(np.float32)
X3 = RNG.standard_normal((2, 3, 4)).astype(np.float32)
XI = RNG.integers(-9, 9, (3, 4)).astype(np.int32)


def typed(dtype):
    """A (3, 4) test array of ``dtype`` with repeated values (ties) for the ints."""
    kind = np.dtype(dtype).kind
    if kind == "f" or dtype == ml_dtypes.bfloat16:
        return (X * 3).astype(dtype)
    if dtype == np.bool_:
        return XI > 0
    return (np.abs(XI) if kind == "u" else XI % 5 - 2 if dtype == np.int8 else XI).astype(dtype)


# ----------------------------------------------------------------------------- var/std where=

MASK = RNG.random((3, 4)) > 0.4
ROW_MASK = np.array([True, False, True, True])
COL_MASK = np.array([[True], [False], [True]])
NONE_SELECTED = np.zeros((3, 4), bool)
ONE_PER_ROW = np.eye(3, 4, dtype=bool)  # count 1: NaN for ddof=1, as JAX
WHERE_CASES = [  # (where, axis, keepdims, ddof)
    (MASK, None, False, 0), (ROW_MASK, 1, True, 0), (COL_MASK, 0, False, 1),
    (NONE_SELECTED, 1, False, 0), (np.True_, (0, 1), True, 0), (MASK, -1, False, 1),
    (COL_MASK, None, True, 2), (ONE_PER_ROW, 1, False, 1), (MASK, (1, 0), False, 3),
    (MASK, 0, True, 0.5),
]
DTYPES = [np.float32, np.float64, np.float16, ml_dtypes.bfloat16, np.int32, np.int8,
          np.uint8, np.bool_]


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_var_std_where_match_jax(name, dtype):
    a = typed(dtype)
    ours_f, ref_f = getattr(fnp, name), getattr(jnp, name)
    low = np.dtype(dtype).itemsize == 2
    with jax.enable_x64(dtype == np.float64):
        for where, axis, keepdims, ddof in WHERE_CASES:
            ref = ref_f(a, axis=axis, keepdims=keepdims, where=where, ddof=ddof)
            ours = ours_f(a, axis=axis, keepdims=keepdims, where=where, ddof=ddof)
            same(ours, ref, rtol=1e-2 if low else 1e-5)


def test_var_std_where_broadcasts_over_leading_axes_and_takes_options():
    for where in (ROW_MASK, COL_MASK, MASK, np.array(True)):
        for axis in ((0, 2), 1, None, -1):
            same(fnp.var(X3, axis=axis, where=where), jnp.var(X3, axis=axis, where=where))
            same(fnp.std(X3, axis=axis, where=where, keepdims=True),
                 jnp.std(X3, axis=axis, where=where, keepdims=True))
    same(fnp.var(X, axis=1, where=MASK, correction=1), jnp.var(X, axis=1, where=MASK,
                                                              correction=1))
    same(fnp.std(XI, axis=0, where=MASK, dtype=np.float16),
         jnp.std(XI, axis=0, where=MASK, dtype=np.float16), rtol=1e-3)
    same(fnp.var(XI, where=MASK, dtype=float), jnp.var(XI, where=MASK, dtype=float))
    # an all-True mask is the plain variance
    same(fnp.var(X, axis=0, where=np.ones((3, 4), bool)), fnp.var(X, axis=0))
    same(fnp.std(X, where=np.ones((3, 4), bool), ddof=1), fnp.std(X, ddof=1))
    assert np.isnan(fnp.var(X, where=NONE_SELECTED))


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_where_grad_jit_vmap(name):
    ours_f, ref_f = getattr(fnp, name), getattr(jnp, name)
    x = X + np.arange(12, dtype=np.float32).reshape(3, 4) * 0.01
    for k, (where, axis, _, ddof) in enumerate(WHERE_CASES):
        def f(lib_f, where=where, axis=axis, ddof=ddof):
            return lambda t: lib_f(t * t, axis=axis, where=where, ddof=ddof)
        # NaN gradients (empty or too-small selections) land where JAX's do
        close(fl.grad(lambda t: fnp.sum(f(ours_f)(t)))(x),
              jax.grad(lambda t: jnp.sum(f(ref_f)(t)))(x))
        if k % 2 != (name == "std"):  # compiled: half the cases each (two XLA builds per
            continue                  # side per case), var and std taking opposite halves
        # compiled, a one-element selection's variance is ~1e-16, not 0 (XLA's rounding,
        # under jax.jit too), so std's gradient there is finite: compare with jax.jit
        close(fl.jit(fl.grad(lambda t: fnp.sum(f(ours_f)(t))))(x),
              jax.jit(jax.grad(lambda t: jnp.sum(f(ref_f)(t))))(x))
        same(fl.jit(f(ours_f))(x), jax.jit(f(ref_f))(x), rtol=1e-5, atol=1e-6)
    # a traced mask under jit, a batched mask (and array) under vmap
    g = lambda lib_f: lambda t, m: lib_f(t, axis=0, where=m, ddof=1)
    masks = np.stack([MASK, ~MASK])
    same(fl.jit(g(ours_f))(x, MASK), jax.jit(g(ref_f))(x, MASK), rtol=1e-5)
    same(fl.vmap(g(ours_f))(X3, masks), jax.vmap(g(ref_f))(X3, masks), rtol=1e-5)
    same(fl.vmap(g(ours_f), (0, None))(X3, MASK), jax.vmap(g(ref_f), (0, None))(X3, MASK),
         rtol=1e-5)
    same(fl.vmap(g(ours_f), (None, 0))(x, masks), jax.vmap(g(ref_f), (None, 0))(x, masks),
         rtol=1e-5)
    same(fl.vmap(g(ours_f), (2, None))(X3, ROW_MASK[:2, None] & np.ones((2, 3), bool)),
         jax.vmap(g(ref_f), (2, None))(X3, ROW_MASK[:2, None] & np.ones((2, 3), bool)),
         rtol=1e-5)
    close(fl.vmap(fl.grad(lambda t, m: fnp.sum(g(ours_f)(t, m))))(X3, masks),
          jax.vmap(jax.grad(lambda t, m: jnp.sum(g(ref_f)(t, m))))(X3, masks))
    close(fl.grad(lambda t: fnp.sum(fl.vmap(g(ours_f), (0, None))(t, MASK)))(X3),
          jax.grad(lambda t: jnp.sum(jax.vmap(g(ref_f), (0, None))(t, MASK)))(X3))


def test_var_std_where_as_tracer_methods():
    same(fl.jit(lambda t: t.var(axis=1, where=MASK))(X),
         jnp.asarray(X).var(axis=1, where=MASK), rtol=1e-5)
    same(fl.jit(lambda t, m: t.std(where=m, ddof=1))(X, MASK),
         jnp.asarray(X).std(where=MASK, ddof=1), rtol=1e-5)


def test_var_std_where_errors():
    with pytest.raises(ValueError, match=r"fnp.var: the where= mask of shape \(5,\) cannot be "
                                         r"broadcast to the shape \(3, 4\)"):
        fnp.var(X, where=np.ones(5, bool))
    with pytest.raises(ValueError, match=r"fnp.std: the where= mask of shape \(2, 3, 4\) "
                                         r"cannot be broadcast to the shape \(3, 4\)"):
        fnp.std(X, axis=0, where=np.ones((2, 3, 4), bool))  # the mask may not grow the array
    with pytest.raises(ValueError, match=r"fnp.var: the where= mask of shape \(4,\)"):
        fl.jit(lambda t, m: fnp.var(t, where=m))(X3[:, :, :3], ROW_MASK)
    with pytest.raises(ValueError, match="fnp.var: where must be None or a boolean array, got "
                                         "dtype float32"):
        fnp.var(X, where=X)
    with pytest.raises(ValueError, match="fnp.std: where must be None or a boolean array"):
        fl.jit(lambda t: fnp.std(t, where=t))(X)
    with pytest.raises(TypeError, match="fnp.var: where= must be a boolean array"):
        fnp.var(X, where=[object()])
    with pytest.raises(NotImplementedError, match="fnp.std: the argument out="):
        fnp.std(X, out=np.zeros(()), where=MASK)


# ----------------------------------------------------------------------------- pad median

MEDIAN_STATS = [None, 1, 2, 3, (1, 10), ((1, 2), (3, 1)), (2,), ((4, 1),)]
PAD_WIDTHS = [2, ((1, 2), (0, 3)), (0, 1), ((3, 0), (0, 0))]


@pytest.mark.parametrize("stat_length", MEDIAN_STATS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_pad_median_matches_jax(stat_length, dtype):
    a = typed(dtype)
    low = np.dtype(dtype).itemsize == 2
    with jax.enable_x64(dtype == np.float64):
        for width in PAD_WIDTHS:
            ref = jnp.pad(a, width, mode="median", stat_length=stat_length)
            ours = fnp.pad(a, width, mode="median", stat_length=stat_length)
            same(ours, ref, rtol=1e-2 if low else 1e-6)


def test_pad_median_of_ints_rounds_half_to_even_and_nan_propagates():
    x = np.array([1, 2, 3, 4, -2, -1, 7, 8], np.int32)  # medians 2.5, -1.5, 7.5, ...
    for sl in (None, 2, 4, (2, 3), 5):
        same(fnp.pad(x, (3, 2), mode="median", stat_length=sl),
             jnp.pad(x, (3, 2), mode="median", stat_length=sl))
    for dt in (np.int8, np.uint8, np.int16, np.uint32):
        v = np.array([[1, 2, 3, 5], [6, 6, 1, 0]], dt)
        same(fnp.pad(v, 1, mode="median"), jnp.pad(v, 1, mode="median"))
        same(fnp.pad(v, 1, mode="median", stat_length=2),
             jnp.pad(v, 1, mode="median", stat_length=2))
    f = np.array([[1.0, np.nan, 4.0, 3.0, 8.0], [2.0, 1.0, 0.0, 9.0, 5.0]], np.float32)
    for sl in (None, 2, (2, 3)):
        same(fnp.pad(f, (1, 2), mode="median", stat_length=sl),
             jnp.pad(f, (1, 2), mode="median", stat_length=sl))


def test_pad_median_of_a_scalar_and_nothing():
    same(fnp.pad(np.float32(3.0), 2, mode="median"), jnp.pad(np.float32(3.0), 2, mode="median"))
    same(fnp.pad(X, 0, mode="median"), jnp.pad(X, 0, mode="median"))
    same(fnp.pad(XI, ((0, 0), (1, 1)), mode="median", stat_length=3),
         jnp.pad(XI, ((0, 0), (1, 1)), mode="median", stat_length=3))


@pytest.mark.parametrize("stat_length", [None, 2, ((1, 3), (2, 2))], ids=str)
def test_pad_median_grad_jit_vmap(stat_length):
    width = ((1, 2), (2, 3))
    kw = dict(mode="median", stat_length=stat_length)
    tied = np.round(X * 2) / 2  # ties: the gradient follows the stable sort, as JAX's

    def loss(lib):
        return lambda x: lib.sum(lib.sin(lib.pad(x, width, **kw)) * lib.arange(9.0))
    for x in (X, tied):
        close(fl.grad(loss(fnp))(x), jax.grad(loss(jnp))(x))
        close(fl.jit(fl.grad(loss(fnp)))(x), jax.grad(loss(jnp))(x))
    same(fl.jit(lambda x: fnp.pad(x, width, **kw))(X), jnp.pad(X, width, **kw))
    same(fl.jit(lambda x: fnp.pad(x, width, **kw))(XI), jnp.pad(XI, width, **kw))
    same(fl.vmap(lambda x: fnp.pad(x, width, **kw))(X3),
         jax.vmap(lambda x: jnp.pad(x, width, **kw))(X3))
    same(fl.vmap(lambda x: fnp.pad(x, width, **kw), in_axes=2)(X3),
         jax.vmap(lambda x: jnp.pad(x, width, **kw), in_axes=2)(X3))
    close(fl.vmap(fl.grad(loss(fnp)))(X3), jax.vmap(jax.grad(loss(jnp)))(X3))


def test_pad_median_errors():
    with pytest.raises(TypeError, match=r"unsupported keyword\(s\) \['end_values'\] for mode "
                                        "'median' \\(it takes: stat_length\\)"):
        fnp.pad(X, 1, mode="median", end_values=1)
    with pytest.raises(ValueError, match="stat_length=0 must be positive"):
        fnp.pad(X, 1, mode="median", stat_length=0)
    with pytest.raises(TypeError, match="stat_length must be static"):
        fl.jit(lambda x, k: fnp.pad(x, 1, mode="median", stat_length=k))(X, 2)
    with pytest.raises(ValueError, match="empty axis 0 with mode 'median'"):
        fnp.pad(np.zeros((0, 2)), 1, mode="median")


# ----------------------------------------------------------------------------- pad callable

def ends(xp):
    """The JAX docs' example, written for either library: ``kwargs`` fill the pad."""
    def pad_func(row, width, iaxis, kwargs):
        i = xp.arange(row.shape[0])
        row = xp.where(i < width[0], kwargs.get("lo", 0), row)
        return xp.where(i >= row.shape[0] - width[1], kwargs.get("hi", 0), row)
    return pad_func


def at_ends(row, width, iaxis, kwargs):
    """The JAX docs' example verbatim (``row.at``: ``row`` is a tracer here)."""
    row = row.at[:width[0]].set(kwargs["lo"])
    return row.at[row.shape[0] - width[1]:].set(kwargs["hi"])


def by_axis(xp):
    """Uses ``iaxis`` and the whole row (so later axes see earlier axes' result)."""
    return lambda row, width, iaxis, kwargs: xp.add(xp.multiply(row, iaxis + 2),
                                                    xp.sum(row) * kwargs["k"])


def mirror(xp):
    """The 'reflect' mode rebuilt from the protocol (a gather by index)."""
    def pad_func(row, width, iaxis, kwargs):
        n = row.shape[0]
        b, e = int(width[0]), int(width[1])
        j = np.arange(n) - b
        m = n - b - e
        period = 2 * (m - 1) if m > 1 else 1
        j = np.abs(np.mod(j, period))
        j = np.where(j >= m, period - j, j) + b
        return xp.take(row, j)
    return pad_func


def as_float(xp):
    return lambda row, width, iaxis, kwargs: xp.multiply(row, 0.5)


CALLABLE_WIDTHS = {1: [2, (1, 3), (0, 1), ((3, 0),)], 2: [2, ((1, 2), (0, 3)), (0, 1),
                                                            ((3, 0), (2, 2))],
                   3: [1, ((1, 2), (0, 3), (2, 0))]}


CALLABLE_CASES = [(f, np.float32) for f in (ends, by_axis, mirror, as_float)] + [
    (ends, np.int32), (as_float, np.int32), (by_axis, np.float16), (mirror, np.float16),
    (ends, np.bool_), (mirror, np.bool_)]  # every function in float32, each other dtype twice


@pytest.mark.parametrize("func,dtype", CALLABLE_CASES,
                         ids=[f"{f.__name__}-{np.dtype(d).name}" for f, d in CALLABLE_CASES])
def test_pad_callable_matches_jax(func, dtype):
    kw = {"lo": -3, "hi": 7} if func is ends else {"k": 1} if func is by_axis else {}
    for a in (typed(dtype), typed(dtype)[0], X3.astype(dtype)):
        for width in CALLABLE_WIDTHS[a.ndim]:
            ref = jnp.pad(a, width, func(jnp), **kw)
            ours = fnp.pad(a, width, func(fnp), **kw)
            # float16: XLA keeps some float16 intermediates in float32
            same(ours, ref, rtol=1e-2 if dtype == np.float16 else 1e-6)


def test_pad_callable_gets_jaxs_arguments():
    seen = {"fnp": [], "jnp": []}

    def recorder(key, xp):
        def pad_func(row, width, iaxis, kwargs):
            seen[key].append((tuple(int(w) for w in width), iaxis, tuple(row.shape),
                              np.dtype(row.dtype).name, dict(kwargs)))
            return row
        return pad_func
    for a, width in ((X3, ((1, 2), (0, 3), (2, 1))), (XI[0], 3), (X, 0)):
        same(fnp.pad(a, width, recorder("fnp", fnp), extra=1.5),
             jnp.pad(a, width, recorder("jnp", jnp), extra=1.5))
    assert seen["fnp"] == seen["jnp"]
    assert seen["fnp"][0] == ((1, 2), 0, (5,), "float32", {"extra": 1.5})
    # the slices come zero-padded on every axis
    same(fnp.pad(XI, ((1, 2), (3, 0)), lambda r, w, i, k: r), jnp.pad(XI, ((1, 2), (3, 0))))


def test_pad_callable_with_row_at_and_shape_changes():
    # JAX's docs example, row.at and all: rows are tracers under vmap (2-D+) and jit
    same(fnp.pad(XI, 2, at_ends, lo=-10, hi=10), jnp.pad(XI, 2, at_ends, lo=-10, hi=10))
    same(fl.jit(lambda x: fnp.pad(x, 2, at_ends, lo=-1.0, hi=1.0))(X[0]),
         jnp.pad(X[0], 2, at_ends, lo=-1.0, hi=1.0))
    # a 1-D eager row is a concrete NumPy array: fnp.at works there and under tracing
    eager = fnp.pad(XI[0], (1, 2), lambda r, w, i, k: fnp.at(r)[0].set(5))
    same(eager, jnp.pad(XI[0], (1, 2), lambda r, w, i, k: r.at[0].set(5)))
    # whatever comes back is the new slice (a scalar drops the axis, as JAX)
    same(fnp.pad(XI[0], 1, lambda r, w, i, k: fnp.sum(r)),
         jnp.pad(XI[0], 1, lambda r, w, i, k: jnp.sum(r)))
    same(fnp.pad(XI, 1, lambda r, w, i, k: r[1:]), jnp.pad(XI, 1, lambda r, w, i, k: r[1:]))
    # a scalar has no axes to pad: returned as it is, as with the string modes (jnp.pad
    # raises here, broadcasting the pad widths to pairs twice)
    same(fnp.pad(np.float32(2.0), 3, ends(fnp)), np.float32(2.0))


@pytest.mark.parametrize("func", [ends, by_axis, mirror], ids=["ends", "by_axis", "mirror"])
def test_pad_callable_grad_jit_vmap(func):
    width = ((1, 2), (2, 3))
    kw = {"lo": -3.0, "hi": 7.0} if func is ends else {"k": 0.5} if func is by_axis else {}

    def loss(lib):
        return lambda x: lib.sum(lib.sin(lib.pad(x, width, func(lib), **kw)) * lib.arange(9.0))
    close(fl.grad(loss(fnp))(X), jax.grad(loss(jnp))(X))
    close(fl.jit(fl.grad(loss(fnp)))(X), jax.jit(jax.grad(loss(jnp)))(X))
    same(fl.jit(lambda x: fnp.pad(x, width, func(fnp), **kw))(X),
         jax.jit(lambda x: jnp.pad(x, width, func(jnp), **kw))(X), rtol=1e-5)
    same(fl.vmap(lambda x: fnp.pad(x, width, func(fnp), **kw))(X3),
         jax.vmap(lambda x: jnp.pad(x, width, func(jnp), **kw))(X3), rtol=1e-5)
    same(fl.vmap(lambda x: fnp.pad(x, width, func(fnp), **kw), in_axes=1)(X3),
         jax.vmap(lambda x: jnp.pad(x, width, func(jnp), **kw), in_axes=1)(X3), rtol=1e-5)
    close(fl.vmap(fl.grad(loss(fnp)))(X3), jax.vmap(jax.grad(loss(jnp)))(X3))
    w1 = (2, 1)
    same(fl.vmap(lambda x: fnp.pad(x, w1, func(fnp), **kw))(X),
         jax.vmap(lambda x: jnp.pad(x, w1, func(jnp), **kw))(X), rtol=1e-5)


def test_pad_callable_errors():
    with pytest.raises(TypeError, match="pad: mode must be a string or a callable, got 3"):
        fnp.pad(X, 1, mode=3)
    with pytest.raises(ZeroDivisionError):  # the callable's own errors surface unchanged
        fnp.pad(X[0], 1, lambda r, w, i, k: 1 / 0)
    with pytest.raises(TypeError, match="pad: pad_width must be integers"):
        fnp.pad(X, 1.5, ends(fnp))
