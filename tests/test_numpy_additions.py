"""fnp additions checked against jax.numpy (the oracle): the constants, ``take`` with its
out-of-bounds modes, ``take_along_axis``, the statistic / ramp / empty modes of ``pad``,
and ``where=`` on the reductions; eagerly, under ``fl.grad`` (vs ``jax.grad``),
``fl.vmap`` (vs ``jax.vmap``) and ``fl.jit``, plus the errors for bad input."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from compare import close, same

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 4)).astype(np.float32)
X3 = RNG.standard_normal((2, 3, 4)).astype(np.float32)
XI = RNG.integers(-9, 9, (3, 4)).astype(np.int32)


# ----------------------------------------------------------------------------- constants

@pytest.mark.parametrize("name", ["inf", "nan", "pi", "e", "euler_gamma", "newaxis"])
def test_constants_are_jax_numpys(name):
    ours, ref = getattr(fnp, name), getattr(jnp, name)
    assert type(ours) is type(ref)
    if ref is None:
        assert ours is None
    else:
        np.testing.assert_equal(ours, ref)


def test_constants_in_use():
    x = np.ones(3, np.float32)
    assert (x * fnp.pi).dtype == np.float32  # a Python float: weakly typed
    assert fnp.multiply(x, fnp.pi).dtype == np.float32
    close(fnp.multiply(x, fnp.pi), jnp.multiply(x, jnp.pi))
    assert fnp.zeros(3)[:, fnp.newaxis].shape == (3, 1)
    assert fl.jit(lambda t: t[fnp.newaxis] * fnp.e)(x).shape == (1, 3)
    assert bool(fnp.isinf(fnp.inf)) and bool(fnp.isnan(fnp.nan))
    close(fl.grad(lambda t: fnp.sin(t * fnp.pi))(0.25),
          jax.grad(lambda t: jnp.sin(t * jnp.pi))(0.25))


# ----------------------------------------------------------------------------- take

TAKE_INDICES = [
    np.array([0, -1, 3, -13, 12, 2]),  # in range, negative, out of range both sides
    np.array([[1, 20], [-2, 0]]),
    np.array(5),
    np.array([1, 250], np.uint8),
    np.array([2, -5], np.int64),
    np.array([], np.int32),
]


@pytest.mark.parametrize("mode", [None, "fill", "clip", "wrap"])
@pytest.mark.parametrize("axis", [None, 0, -1])
def test_take_matches_jax(mode, axis):
    for idx in TAKE_INDICES:
        same(fnp.take(X, idx, axis=axis, mode=mode), jnp.take(X, idx, axis=axis, mode=mode))
    idx = TAKE_INDICES[1]
    same(fnp.take(X, idx, axis=axis, mode=mode, fill_value=3),
         jnp.take(X, idx, axis=axis, mode=mode, fill_value=3))


@pytest.mark.parametrize("mode", [None, "clip", "wrap"])
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.bool_, np.float16])
def test_take_dtypes_and_default_fills_match_jax(mode, dtype):
    a = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    for axis in (None, 1):
        idx = TAKE_INDICES[0]
        same(fnp.take(a, idx, axis=axis, mode=mode), jnp.take(a, idx, axis=axis, mode=mode))
    same(fnp.take(a, idx, mode=mode, fill_value=1), jnp.take(a, idx, mode=mode, fill_value=1))


def test_take_eager_out_of_bounds_is_jaxs_not_numpys():
    x = np.arange(5.0, dtype=np.float32)
    out = fnp.take(x, [-1, 5, -6])
    same(out, jnp.take(x, jnp.array([-1, 5, -6])))
    assert np.isnan(out[1]) and np.isnan(out[2]) and out[0] == 4.0
    i = np.array([-1, 5, -6])
    same(fnp.take(x.astype(np.int32), i), jnp.take(x.astype(np.int32), i))  # int32 min
    same(fnp.take(x, i, mode="clip"), np.array([0.0, 4.0, 0.0], np.float32))
    same(fnp.take(x, i, mode="wrap"), np.array([4.0, 0.0, 4.0], np.float32))
    same(fnp.take(x, [True, False]), jnp.take(x, jnp.array([1, 0])))  # bools are 0/1 here too
    same(fnp.take(x, [2, 0]), np.take(x, [2, 0]))  # lists work, as in NumPy


@pytest.mark.parametrize("mode", [None, "clip", "wrap"])
def test_take_jit_with_traced_indices(mode):
    idx = np.array([[0, -1, 7], [3, -9, 2]], np.int32)
    for axis in (None, 0, 1):
        f = lambda a, i: fnp.take(a, i, axis=axis, mode=mode)
        g = lambda a, i: jnp.take(a, i, axis=axis, mode=mode)
        same(fl.jit(f)(X, idx), jax.jit(g)(X, idx))
        same(fl.jit(f)(XI, idx), jax.jit(g)(XI, idx))


@pytest.mark.parametrize("mode", [None, "clip", "wrap"])
def test_take_grad(mode):
    idx = np.array([[0, -1, 7], [3, -9, 3]])  # duplicates accumulate
    w = RNG.standard_normal((3, 2, 3)).astype(np.float32)

    def loss(lib):
        return lambda x: lib.sum(lib.take(x, idx, axis=1, mode=mode, fill_value=0.0) ** 2 * w)
    close(fl.grad(loss(fnp))(X), jax.grad(loss(jnp))(X))
    flat = lambda lib: lambda x: lib.sum(lib.sin(lib.take(x, idx, mode=mode, fill_value=-1.0)))
    close(fl.grad(flat(fnp))(X), jax.grad(flat(jnp))(X))
    close(fl.jit(fl.grad(flat(fnp)))(X), jax.grad(flat(jnp))(X))


def test_take_grad_with_traced_indices_under_jit():
    idx = np.array([4, -1, 9, 0], np.int32)

    def loss(lib):
        return lambda x, i: lib.sum(lib.take(x, i, axis=1, fill_value=0.0) * 2.0)
    close(fl.jit(fl.grad(loss(fnp)))(X, idx), jax.grad(loss(jnp))(X, idx))


@pytest.mark.parametrize("mode", [None, "clip", "wrap"])
def test_take_vmap(mode):
    idx = np.array([[0, 5, -1], [2, 2, -7], [3, 1, 0]], np.int32)
    for in_axes in [(0, 0), (0, None), (None, 0), (1, 1)]:
        a = X if in_axes[0] != 1 else X.T
        i = idx if in_axes[1] != 1 else idx.T
        if in_axes[0] is None:
            a = X[0]
        if in_axes[1] is None:
            i = idx[0]
        f = lambda a, i: fnp.take(a, i, mode=mode)
        g = lambda a, i: jnp.take(a, i, mode=mode)
        same(fl.vmap(f, in_axes)(a, i), jax.vmap(g, in_axes)(a, i))


def test_take_method_on_tracers():
    idx = np.array([1, 6])
    same(fl.jit(lambda t: t.take(idx, axis=1, mode="clip"))(X),
         jnp.asarray(X).take(idx, axis=1, mode="clip"))


def test_take_errors():
    with pytest.raises(ValueError, match=r"take: invalid mode='foo'.*'fill', 'clip', 'wrap'"):
        fnp.take(X, [0], mode="foo")
    with pytest.raises(NotImplementedError, match="mode='raise'.*'fill' or 'clip' or 'wrap'"):
        fnp.take(X, [0], mode="raise")
    with pytest.raises(TypeError, match="take: indices must have an integer dtype.*astype"):
        fnp.take(X, np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="take: indices must have an integer dtype"):
        fl.jit(lambda x, i: fnp.take(x, i))(X, np.array([1.0]))
    with pytest.raises(ValueError, match="take: fill_value must be a scalar"):
        fnp.take(X, [0], fill_value=np.ones(2))
    with pytest.raises(TypeError, match="take: fill_value must be a static scalar"):
        fl.jit(lambda x, v: fnp.take(x, [0, 20], fill_value=v))(X, 1.0)
    with pytest.raises(ValueError, match="take: axis 2 is out of bounds"):
        fnp.take(X, [0], axis=2)
    with pytest.raises(IndexError, match="empty axis"):
        fnp.take(np.zeros((0, 3)), [0], axis=0)
    with pytest.raises(NotImplementedError, match="out="):
        fnp.take(X, [0], out=np.zeros(1))


# ----------------------------------------------------------------------------- take_along_axis

ALONG_CASES = [  # (arr shape, indices, axis)
    ((2, 3, 4), RNG.integers(-6, 6, (2, 3, 4)), 2),
    ((2, 3, 4), RNG.integers(-6, 6, (2, 3, 4)), 0),
    ((2, 3, 4), RNG.integers(-6, 6, (1, 5, 4)), 1),  # index dims of size 1 broadcast
    ((2, 1, 4), RNG.integers(-6, 6, (2, 3, 2)), 2),  # and arr dims of size 1 too
    ((1, 3, 4), RNG.integers(-6, 6, (2, 1, 7)), -1),
    ((2, 3, 4), RNG.integers(-30, 30, (9,)), None),  # the flattened array
    ((3, 4), np.argsort(X, axis=1), 1),
    ((3, 4), np.argmax(X, axis=0, keepdims=True), 0),
    ((3, 4), np.zeros((3, 0), np.int32), 1),
    ((2, 3, 4), RNG.integers(0, 4, (2, 3, 2)).astype(np.uint8), 2),
    ((2, 3, 4), RNG.integers(-4, 4, (2, 3, 2)).astype(np.int64), 2),
]


@pytest.mark.parametrize("case", range(len(ALONG_CASES)))
@pytest.mark.parametrize("mode", [None, "clip"])
def test_take_along_axis_matches_jax(case, mode):
    shape, idx, axis = ALONG_CASES[case]
    a = (np.arange(int(np.prod(shape))).reshape(shape) % 7).astype(np.float32)
    same(fnp.take_along_axis(a, idx, axis=axis, mode=mode),
         jnp.take_along_axis(a, idx, axis=axis, mode=mode))
    if mode is None:
        same(fnp.take_along_axis(a, idx, axis, "fill", fill_value=5),
             jnp.take_along_axis(a, idx, axis, "fill", fill_value=5))
        same(fnp.take_along_axis(a, idx, axis, wrap_negative_indices=False),
             jnp.take_along_axis(a, idx, axis, wrap_negative_indices=False))


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.bool_])
def test_take_along_axis_dtypes_match_jax(dtype):
    for shape, idx, axis in (ALONG_CASES[0], ALONG_CASES[3]):
        a = (np.arange(int(np.prod(shape))).reshape(shape) % 7).astype(dtype)
        same(fnp.take_along_axis(a, idx, axis=axis), jnp.take_along_axis(a, idx, axis=axis))
        same(fnp.take_along_axis(a, idx, axis=axis, mode="clip"),
             jnp.take_along_axis(a, idx, axis=axis, mode="clip"))


def test_take_along_axis_default_axis_and_sorting():
    same(fnp.take_along_axis(X, fnp.argsort(X)), np.sort(X, axis=-1))
    same(fnp.take_along_axis(X, np.array([[-1], [4], [0]])),
         jnp.take_along_axis(X, jnp.array([[-1], [4], [0]]), axis=-1))


@pytest.mark.parametrize("case", [0, 2, 3, 5, 6])
def test_take_along_axis_jit_grad_vmap(case):
    shape, idx, axis = ALONG_CASES[case]
    a = RNG.standard_normal(shape).astype(np.float32)
    f = lambda lib: lambda x, i: lib.take_along_axis(x, i, axis=axis, fill_value=0.0)
    same(fl.jit(f(fnp))(a, idx.astype(np.int32)), jax.jit(f(jnp))(a, idx.astype(np.int32)))
    loss = lambda lib: lambda x: lib.sum(lib.cos(f(lib)(x, idx)) * f(lib)(x, idx))
    close(fl.grad(loss(fnp))(a), jax.grad(loss(jnp))(a))
    close(fl.jit(fl.grad(loss(fnp)))(a), jax.grad(loss(jnp))(a))
    if axis is None or idx.ndim < 2:
        return
    bx, bi = np.stack([a, a * 2]), np.stack([idx, idx[..., ::-1]])
    g = lambda lib: lambda x, i: lib.take_along_axis(x, i, axis=axis if axis < 0 else axis - 0)
    for in_axes, args in [((0, 0), (bx, bi)), ((0, None), (bx, idx)), ((None, 0), (a, bi))]:
        same(fl.vmap(g(fnp), in_axes)(*args), jax.vmap(g(jnp), in_axes)(*args))


def test_take_along_axis_vmap_traced_indices_out_of_bounds():
    idx = np.array([[0, 9], [-1, 2], [3, -7]], np.int32)
    f = lambda lib: lambda x, i: lib.take_along_axis(x, i, axis=0)
    same(fl.vmap(f(fnp))(X, idx), jax.vmap(f(jnp))(X, idx))
    same(fl.jit(fl.vmap(f(fnp)))(X, idx), jax.vmap(f(jnp))(X, idx))


def test_take_along_axis_errors():
    with pytest.raises(ValueError, match="same number of dimensions.*idx\\[:, None\\]"):
        fnp.take_along_axis(X, np.array([0, 1, 2]), axis=1)
    with pytest.raises(ValueError, match="axis=None the indices must be 1-D"):
        fnp.take_along_axis(X, np.zeros((2, 2), np.int32), axis=None)
    with pytest.raises(ValueError, match="invalid mode='wrap'.*'fill', 'clip'"):
        fnp.take_along_axis(X, np.zeros((3, 1), np.int32), axis=1, mode="wrap")
    with pytest.raises(ValueError, match="do not broadcast against arr"):
        fnp.take_along_axis(X, np.zeros((2, 1), np.int32), axis=1)
    with pytest.raises(TypeError, match="take_along_axis: indices must have an integer dtype"):
        fnp.take_along_axis(X, np.zeros((3, 1)), axis=1)
    with pytest.raises(TypeError, match="take_along_axis: indices must be integers"):
        fnp.take_along_axis(X, np.zeros((3, 1), bool), axis=1)
    with pytest.raises(ValueError, match="take_along_axis: axis 2 is out of bounds"):
        fnp.take_along_axis(X, np.zeros((3, 1), np.int32), axis=2)


# ----------------------------------------------------------------------------- pad

PAD_CASES = [
    dict(mode="maximum"),
    dict(mode="minimum"),
    dict(mode="mean"),
    dict(mode="maximum", stat_length=2),
    dict(mode="minimum", stat_length=(1, 10)),
    dict(mode="mean", stat_length=((1, 2), (3, 1))),
    dict(mode="mean", stat_length=(2,)),
    dict(mode="linear_ramp"),
    dict(mode="linear_ramp", end_values=(5.0, 2.0)),
    dict(mode="linear_ramp", end_values=((1, 2), (3, 4))),
    dict(mode="empty"),
]
PAD_WIDTHS = [2, ((1, 2), (0, 3)), (0, 1), ((3, 0), (0, 0))]


PAD_DTYPE_CASES = [(kw, dt) for kw in PAD_CASES for dt in (np.float32, np.int32)] + [
    (kw, dt) for kw in (PAD_CASES[0], PAD_CASES[2], PAD_CASES[5], PAD_CASES[8], PAD_CASES[10])
    for dt in (np.float64, np.float16, np.uint8)]


@pytest.mark.parametrize("kw,dtype", PAD_DTYPE_CASES,
                         ids=[f"{'-'.join(map(str, kw.values()))}-{np.dtype(dt).name}"
                              for kw, dt in PAD_DTYPE_CASES])
def test_pad_modes_match_jax(kw, dtype):
    a = (X * 4 if np.dtype(dtype).kind == "f" else np.abs(XI)).astype(dtype)
    with jax.enable_x64(dtype == np.float64):
        for width in PAD_WIDTHS if dtype == np.float32 else PAD_WIDTHS[:2]:
            ref = jnp.pad(a, width, **kw)
            ours = fnp.pad(a, width, **kw)
            if kw["mode"] == "linear_ramp" and np.dtype(dtype).kind in "iu":
                # an int ramp floors a float32 ramp, and XLA's float32 arithmetic can land
                # a hair below an integer where NumPy's lands on it: allow one step
                assert ours.dtype == ref.dtype and ours.shape == ref.shape
                np.testing.assert_allclose(ours, ref, atol=1)
                continue
            same(ours, ref, rtol=1e-3 if dtype == np.float16 else 1e-6)


def test_pad_mean_of_ints_rounds_half_to_even():
    x = np.array([1, 2, 3, 4], np.int32)  # mean 2.5 -> 2 (NumPy and JAX round to even)
    same(fnp.pad(x, 1, mode="mean"), jnp.pad(x, 1, mode="mean"))
    same(fnp.pad(x, 1, mode="mean", stat_length=2), jnp.pad(x, 1, mode="mean", stat_length=2))
    same(fnp.pad(x > 2, 1, mode="maximum"), jnp.pad(x > 2, 1, mode="maximum"))


def test_pad_of_a_scalar_and_nothing():
    for kw in PAD_CASES:
        same(fnp.pad(np.float32(3.0), 2, **kw), jnp.pad(np.float32(3.0), 2, **kw))
        same(fnp.pad(X, 0, **kw), jnp.pad(X, 0, **kw))


@pytest.mark.parametrize("kw", PAD_CASES, ids=lambda kw: "-".join(map(str, kw.values())))
def test_pad_modes_grad_jit_vmap(kw):
    width = ((1, 2), (2, 3))

    def loss(lib):
        return lambda x: lib.sum(lib.sin(lib.pad(x, width, **kw)) * lib.arange(9.0))
    close(fl.grad(loss(fnp))(X), jax.grad(loss(jnp))(X))
    close(fl.jit(fl.grad(loss(fnp)))(X), jax.grad(loss(jnp))(X))
    same(fl.jit(lambda x: fnp.pad(x, width, **kw))(X), jnp.pad(X, width, **kw))
    same(fl.vmap(lambda x: fnp.pad(x, width, **kw))(X3),
         jax.vmap(lambda x: jnp.pad(x, width, **kw))(X3))
    same(fl.vmap(lambda x: fnp.pad(x, width, **kw), in_axes=2)(X3),
         jax.vmap(lambda x: jnp.pad(x, width, **kw), in_axes=2)(X3))


def test_pad_errors():
    with pytest.raises(ValueError, match=r"pad: invalid mode='foo'; use one of .*'maximum'"):
        fnp.pad(X, 1, mode="foo")
    with pytest.raises(TypeError, match="pad: mode must be a string or a callable"):
        fnp.pad(X, 1, mode=3)
    with pytest.raises(TypeError, match=r"unsupported keyword\(s\) \['end_values'\] for mode "
                                        "'maximum' \\(it takes: stat_length\\)"):
        fnp.pad(X, 1, mode="maximum", end_values=1)
    with pytest.raises(TypeError, match="unsupported keyword.*'empty' \\(it takes: none\\)"):
        fnp.pad(X, 1, mode="empty", constant_values=1)
    with pytest.raises(ValueError, match="stat_length=0 must be positive"):
        fnp.pad(X, 1, mode="mean", stat_length=0)
    with pytest.raises(TypeError, match="stat_length must be integers"):
        fnp.pad(X, 1, mode="mean", stat_length=1.5)
    with pytest.raises(ValueError, match=r"end_values of shape \(1, 3\) is not valid.*\(2, 2\)"):
        fnp.pad(X, 1, mode="linear_ramp", end_values=((1, 2, 3),))
    with pytest.raises(TypeError, match="stat_length must be static"):
        fl.jit(lambda x, k: fnp.pad(x, 1, mode="mean", stat_length=k))(X, 2)
    with pytest.raises(ValueError, match="empty axis 0 with mode 'maximum'"):
        fnp.pad(np.zeros((0, 2)), 1, mode="maximum")
    with pytest.raises(ValueError, match="empty axis 0 with mode 'linear_ramp'"):
        fnp.pad(np.zeros((0, 2)), 1, mode="linear_ramp")


# ----------------------------------------------------------------------------- where=

MASK = RNG.random((3, 4)) > 0.4
ROW_MASK = np.array([True, False, True, True])
COL_MASK = np.array([[True], [False], [True]])
NONE_SELECTED = np.zeros((3, 4), bool)
WHERE_CASES = [  # (where, axis, keepdims)
    (MASK, None, False), (ROW_MASK, 1, True), (COL_MASK, 0, False), (NONE_SELECTED, 1, False),
    (True, (0, 1), True), (MASK, -1, False), (COL_MASK, None, True),
]
REDUCTIONS = [  # (name, extra keyword arguments jax.numpy needs)
    ("sum", {}), ("mean", {}), ("prod", {}), ("max", {"initial": -3.0}),
    ("min", {"initial": 3.0}), ("amax", {"initial": -3.0}), ("amin", {"initial": 3.0}),
    ("any", {}), ("all", {}),
]


@pytest.mark.parametrize("name,kw", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32, np.int8,
                                   np.uint8, np.bool_])
def test_where_reductions_match_jax(name, kw, dtype):
    a = (X * 3 if np.dtype(dtype).kind == "f" else
         np.abs(XI) if dtype == np.uint8 else XI % 3 if dtype == np.int8 else
         XI > 0 if dtype == np.bool_ else XI).astype(dtype)
    if dtype == np.uint8 and "initial" in kw:
        kw = {"initial": 0 if name in ("max", "amax") else 50}
    if dtype == np.bool_ and "initial" in kw:
        kw = {"initial": name in ("min", "amin")}
    ours_f, ref_f = getattr(fnp, name), getattr(jnp, name)
    with jax.enable_x64(dtype == np.float64):
        cases = WHERE_CASES if dtype in (np.float32, np.int32, np.bool_) else WHERE_CASES[:3]
        for where, axis, keepdims in cases:
            ref = ref_f(a, axis=axis, keepdims=keepdims, where=where, **kw)
            ours = ours_f(a, axis=axis, keepdims=keepdims, where=where, **kw)
            same(ours, ref, rtol=1e-3 if dtype == np.float16 else 1e-6)


def test_where_sum_and_prod_with_dtype_and_initial():
    same(fnp.sum(XI, where=MASK, initial=10, dtype=np.float32),
         jnp.sum(XI, where=MASK, initial=10, dtype=np.float32))
    same(fnp.prod(X, axis=0, where=ROW_MASK, initial=2.0),
         jnp.prod(X, axis=0, where=ROW_MASK, initial=2.0))
    same(fnp.mean(XI, axis=1, where=MASK, dtype=np.float16),
         jnp.mean(XI, axis=1, where=MASK, dtype=np.float16), rtol=1e-3)
    assert np.isnan(fnp.mean(X, where=NONE_SELECTED))  # mean of nothing is NaN, as JAX
    assert fnp.max(X, where=NONE_SELECTED, initial=-7.0) == -7.0


@pytest.mark.parametrize("name,kw", REDUCTIONS[:7], ids=[r[0] for r in REDUCTIONS[:7]])
def test_where_reductions_grad_jit_vmap(name, kw):
    ours_f, ref_f = getattr(fnp, name), getattr(jnp, name)
    x = X + np.arange(12, dtype=np.float32).reshape(3, 4) * 0.01  # no ties
    for where, axis in ((MASK, None), (ROW_MASK, 1), (COL_MASK, 1)):
        def f(lib_f):
            return lambda t: lib_f(t * t, axis=axis, where=where, **kw)
        close(fl.grad(lambda t: fnp.sum(f(ours_f)(t)))(x),
              jax.grad(lambda t: jnp.sum(f(ref_f)(t)))(x))
        close(fl.jit(f(ours_f))(x), f(ref_f)(x))
    # a traced mask under jit, a batched mask (and array) under vmap
    g = lambda lib_f: lambda t, m: lib_f(t, axis=0, where=m, **kw)
    close(fl.jit(g(ours_f))(x, MASK), jax.jit(g(ref_f))(x, MASK))
    close(fl.vmap(g(ours_f))(X3, np.stack([MASK, ~MASK])),
          jax.vmap(g(ref_f))(X3, np.stack([MASK, ~MASK])))
    close(fl.vmap(g(ours_f), (0, None))(X3, MASK), jax.vmap(g(ref_f), (0, None))(X3, MASK))
    close(fl.vmap(g(ours_f), (None, 0))(x, np.stack([MASK, ~MASK])),
          jax.vmap(g(ref_f), (None, 0))(x, np.stack([MASK, ~MASK])))
    close(fl.vmap(fl.grad(lambda t, m: fnp.sum(g(ours_f)(t, m))))(X3, np.stack([MASK, ~MASK])),
          jax.vmap(jax.grad(lambda t, m: jnp.sum(g(ref_f)(t, m))))(X3, np.stack([MASK, ~MASK])))


def test_where_any_all_traced():
    f = lambda lib: lambda t, m: (lib.any(t > 1.0, axis=1, where=m), lib.all(t > -1.0, where=m))
    for o, r in zip(fl.jit(f(fnp))(X, MASK), jax.jit(f(jnp))(X, MASK)):
        same(o, r)
    for o, r in zip(fl.vmap(f(fnp))(X3, np.stack([MASK, ~MASK])),
                    jax.vmap(f(jnp))(X3, np.stack([MASK, ~MASK]))):
        same(o, r)


def test_where_as_tracer_method():
    m = MASK
    same(fl.jit(lambda t: t.sum(axis=1, where=m))(X), jnp.asarray(X).sum(axis=1, where=m))
    same(fl.jit(lambda t: t.max(where=m, initial=0.0))(X), jnp.asarray(X).max(where=m, initial=0.0))


def test_where_errors():
    with pytest.raises(ValueError, match=r"fnp.max: .*specify 'initial'.*initial=-fnp.inf"):
        fnp.max(X, where=MASK)
    with pytest.raises(ValueError, match=r"fnp.min: .*specify 'initial'.*initial=fnp.inf"):
        fnp.amin(X, where=MASK)
    with pytest.raises(ValueError, match="fnp.sum: where must be None or a boolean array, got "
                                         "dtype float32; pass a mask"):
        fnp.sum(X, where=X)
    with pytest.raises(ValueError, match="fnp.mean: where must be None or a boolean array"):
        fl.jit(lambda t: fnp.mean(t, where=t))(X)
    with pytest.raises(ValueError, match=r"fnp.any: the where= mask of shape \(5,\) cannot be "
                                         r"broadcast to the shape \(3, 4\)"):
        fnp.any(X, where=np.ones(5, bool))
    with pytest.raises(ValueError, match=r"fnp.prod: the where= mask of shape \(2, 3, 4\)"):
        fnp.prod(X, where=np.ones((2, 3, 4), bool))  # the mask may not grow the array


@pytest.mark.parametrize("shift, axis", [(2, 1), (-1, 0), (7, None), ((1, 2), (0, 1))])
def test_roll_with_traced_shift_matches_jax(shift, axis):
    x = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    s = np.asarray(shift, np.int32)
    np.testing.assert_array_equal(fl.jit(lambda x, s: fnp.roll(x, s, axis))(x, s),
                                  jax.jit(lambda x, s: jnp.roll(x, s, axis))(x, s))
    np.testing.assert_array_equal(
        fl.vmap(lambda s: fnp.roll(np.arange(4.0), s))(np.array([0, 1, -3])),
        jax.vmap(lambda s: jnp.roll(np.arange(4.0), s))(np.array([0, 1, -3])))
