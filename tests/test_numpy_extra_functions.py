"""vectorize / apply_along_axis / apply_over_axes / piecewise / fromfunction, gradient,
unwrap, selections (compress extract choose put), casts, matvec/vecmat/vecdot, the real
part family, i0 and the windows, bit packing, mask_indices and print options, against
jax.numpy: values and dtypes eagerly and under fl.jit, derivatives against jax.grad,
fl.vmap, and the errors for bad input."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import ConcretizationTypeError
from tests.compare import same

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype(np.float32)
V = RNG.normal(size=5).astype(np.float32)


def reference(fn_ref, *args):
    """jax's result, computed under jax.jit (one compilation instead of many eager ones)
    unless the function needs concrete values."""
    try:
        return jax.jit(fn_ref)(*args)
    except (jax.errors.ConcretizationTypeError, jax.errors.NonConcreteBooleanIndexError,
            jax.errors.TracerIntegerConversionError, jax.errors.TracerBoolConversionError):
        return fn_ref(*args)


def same_tree(ours, ref, rtol=1e-6, atol=1e-7):
    if isinstance(ref, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(ref)
        for o, r in zip(ours, ref):
            same_tree(o, r, rtol, atol)
    else:
        same(ours, ref, rtol=rtol, atol=atol)


def both(fn_ours, fn_ref, *args, rtol=1e-6, atol=1e-7, jit=True):
    """Eager and jitted results of ours equal jax's (one array or nested tuples/lists)."""
    ref = reference(fn_ref, *args)
    same_tree(fn_ours(*args), ref, rtol, atol)
    if jit:
        same_tree(fl.jit(fn_ours)(*args), ref, rtol, atol)


def grad_both(fn_ours, fn_ref, *args, rtol=1e-5, atol=1e-6):
    g = fl.grad(lambda *a: fnp.sum(fn_ours(*a)))(*args)
    r = jax.jit(jax.grad(lambda *a: jnp.sum(fn_ref(*a))))(*args)
    same(g, r, rtol=rtol, atol=atol)


# ----------------------------------------------------------------------------- functional

def test_vectorize_scalar_function_broadcasts():
    f = lambda a, b: a * b + jnp.sin(a)  # noqa: E731
    g = lambda a, b: a * b + fnp.sin(a)  # noqa: E731
    a, b = V, X[:, :1]
    both(fnp.vectorize(g), jnp.vectorize(f), a, b)
    grad_both(fnp.vectorize(g), jnp.vectorize(f), a, b)


def test_vectorize_signature_and_excluded():
    sig = "(n),(n)->()"
    both(fnp.vectorize(fnp.dot, signature=sig), jnp.vectorize(jnp.dot, signature=sig),
         X, X[0])
    ours = fnp.vectorize(lambda x, p: fnp.sum(x ** p), excluded={1}, signature="(n)->()")
    ref = jnp.vectorize(lambda x, p: jnp.sum(x ** p), excluded={1}, signature="(n)->()")
    same(ours(X, 2), ref(X, 2), rtol=1e-6)
    same(fl.jit(lambda x: ours(x, 2))(X), ref(X, 2), rtol=1e-6)
    # multiple outputs
    two = "(n)->(),(n)"
    o = fnp.vectorize(lambda x: (fnp.sum(x), x * 2), signature=two)(X)
    r = jnp.vectorize(lambda x: (jnp.sum(x), x * 2), signature=two)(X)
    same(o[0], r[0], rtol=1e-6), same(o[1], r[1])


def test_vectorize_errors():
    f = fnp.vectorize(fnp.dot, signature="(n),(n)->()")
    with pytest.raises(ValueError, match="inconsistent size for core dimension 'n'"):
        f(np.ones(3, np.float32), np.ones(4, np.float32))
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        fnp.vectorize(fnp.dot, signature="n->()")(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="output shape"):
        fnp.vectorize(lambda x: x, signature="(n)->()")(np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match="can only exclude"):
        fnp.vectorize(fnp.dot, excluded={1.5})


def test_apply_along_axis_and_over_axes():
    f1 = lambda v: fnp.stack([fnp.sum(v * v), fnp.max(v)])  # noqa: E731
    r1 = lambda v: jnp.stack([jnp.sum(v * v), jnp.max(v)])  # noqa: E731
    x3 = RNG.normal(size=(2, 3, 4)).astype(np.float32)
    for axis in (0, 1, -1):
        both(lambda x: fnp.apply_along_axis(f1, axis, x),
             lambda x: jnp.apply_along_axis(r1, axis, x), x3, rtol=1e-5, jit=axis == 1)
    grad_both(lambda x: fnp.apply_along_axis(f1, 1, x),
              lambda x: jnp.apply_along_axis(r1, 1, x), x3)
    both(lambda x: fnp.apply_over_axes(fnp.sum, x, [0, 2]),
         lambda x: jnp.apply_over_axes(jnp.sum, x, [0, 2]), x3, rtol=1e-5)
    with pytest.raises(ValueError, match="out of bounds"):
        fnp.apply_along_axis(fnp.sum, 3, x3)


def test_piecewise_values_grad_and_vmap():
    def ours(x):
        return fnp.piecewise(x, [x < 0, x > 1], [lambda v: v * v, lambda v: fnp.sin(v), 3.0])

    def ref(x):
        return jnp.piecewise(x, [x < 0, x > 1], [lambda v: v * v, lambda v: jnp.sin(v), 3.0])
    x = np.array([-2.0, -0.5, 0.3, 1.5, 4.0], np.float32)
    both(ours, ref, x)
    grad_both(ours, ref, x)
    same(fl.vmap(ours)(X), jax.vmap(ref)(X), rtol=1e-6)
    # nc functions: default 0 elsewhere; integer input keeps its dtype
    xi = np.array([-1, 0, 2], np.int32)
    both(lambda x: fnp.piecewise(x, [x > 0], [lambda v: v * 3]),
         lambda x: jnp.piecewise(x, [x > 0], [lambda v: v * 3]), xi)
    with pytest.raises(ValueError, match="either 2 or 3 functions"):
        fnp.piecewise(x, [x < 0, x > 1], [1.0])


def test_fromfunction():
    f = lambda i, j: i * 2 + j  # noqa: E731
    same(fnp.fromfunction(f, (2, 3)), jnp.fromfunction(f, (2, 3)))
    same(fnp.fromfunction(f, (2, 3), dtype=int), jnp.fromfunction(f, (2, 3), dtype=int))
    same(fl.jit(lambda: fnp.fromfunction(f, (3, 2)))(), jnp.fromfunction(f, (3, 2)))


# ----------------------------------------------------------------------------- gradient, unwrap

@pytest.mark.parametrize("args,kw", [((), {}), ((2.0,), {}), ((), {"axis": 1}),
                                     ((0.5, 2.0), {}), ((), {"axis": (0, -1)})])
def test_gradient_values(args, kw):
    both(lambda x: fnp.gradient(x, *args, **kw), lambda x: jnp.gradient(x, *args, **kw), X,
         rtol=1e-5)


def test_gradient_coordinates_grad_and_errors():
    c = np.array([0.0, 0.5, 1.5, 3.0, 3.2], np.float32)
    both(lambda v, c: fnp.gradient(v, c), lambda v, c: jnp.gradient(v, c), V, c, rtol=1e-5)
    grad_both(lambda v: fnp.gradient(v, c) ** 2, lambda v: jnp.gradient(v, c) ** 2, V)
    grad_both(lambda v: fnp.gradient(v * v, 0.5), lambda v: jnp.gradient(v * v, 0.5), V)
    same(fnp.gradient(np.array([1, 4, 9], np.int32)), jnp.gradient(jnp.array([1, 4, 9])))
    with pytest.raises(ValueError, match="too small"):
        fnp.gradient(np.ones((1, 3), np.float32))
    with pytest.raises(NotImplementedError, match="edge_order"):
        fnp.gradient(V, edge_order=2)
    with pytest.raises(ValueError, match="length"):
        fnp.gradient(V, np.ones(3, np.float32))
    with pytest.raises(TypeError, match="spacing arguments"):
        fnp.gradient(X, 1.0, 2.0, 3.0)


def test_unwrap():
    p = np.cumsum(RNG.uniform(-4, 4, size=(3, 12)), axis=1).astype(np.float32)
    both(fnp.unwrap, jnp.unwrap, p, rtol=1e-5, atol=1e-5)
    both(lambda p: fnp.unwrap(p, axis=0), lambda p: jnp.unwrap(p, axis=0), p, rtol=1e-5,
         atol=1e-5)
    both(lambda p: fnp.unwrap(p, discont=4.0, period=5.0),
         lambda p: jnp.unwrap(p, discont=4.0, period=5.0), p, rtol=1e-5, atol=1e-5)
    pi = np.array([0, 7, 15, 2, 40], np.int32)
    both(lambda p: fnp.unwrap(p, period=10), lambda p: jnp.unwrap(p, period=10), pi)
    grad_both(fnp.unwrap, jnp.unwrap, p[0])


# ----------------------------------------------------------------------------- selections

def test_compress_and_extract():
    cond = np.array([True, False, True], bool)
    same(fnp.compress(cond, X, axis=0), jnp.compress(cond, X, axis=0))
    same(fnp.compress(cond, X, axis=1), jnp.compress(cond, X, axis=1))
    same(fnp.compress(cond, X), jnp.compress(cond, X))
    both(lambda c, x: fnp.compress(c, x, axis=1, size=2, fill_value=-1.0),
         lambda c, x: jnp.compress(c, x, axis=1, size=2, fill_value=-1.0), cond, X)
    mask = X > 0
    same(fnp.extract(mask, X), jnp.extract(mask, X))
    both(lambda m, x: fnp.extract(m, x, size=8), lambda m, x: jnp.extract(m, x, size=8),
         mask, X)
    n = int(mask.sum())
    grad_both(lambda x: fnp.extract(mask, x) ** 2, lambda x: jnp.extract(mask, x, size=n) ** 2,
              X)
    with pytest.raises(ConcretizationTypeError, match="size="):
        fl.jit(lambda c, x: fnp.compress(c, x))(cond, V)
    with pytest.raises(ValueError, match="out of bounds"):
        fnp.compress(np.array([True, False, False, True]), np.ones(3))
    with pytest.raises(ValueError, match="1-D"):
        fnp.compress(np.ones((2, 2), bool), np.ones(3))


def test_choose():
    a = np.array([[0, 2, 1], [1, 0, 2]], np.int32)
    choices = [np.arange(3, dtype=np.float32) + 10 * k for k in range(3)]
    same(fnp.choose(a, choices), jnp.choose(a, choices))
    for mode in ("wrap", "clip"):
        big = a + 2
        both(lambda i: fnp.choose(i, choices, mode=mode),
             lambda i: jnp.choose(i, choices, mode=mode), big, jit=mode == "wrap")
    g = fl.grad(lambda c: fnp.sum(fnp.choose(a, [c, c * 2, c * 3]) ** 2))(choices[0])
    r = jax.grad(lambda c: jnp.sum(jnp.choose(a, [c, c * 2, c * 3]) ** 2))(choices[0])
    same(g, r)
    with pytest.raises(ValueError, match="invalid entry"):
        fnp.choose(a + 1, choices)
    with pytest.raises(ConcretizationTypeError, match="mode='wrap'"):
        fl.jit(lambda i: fnp.choose(i, choices))(a)
    with pytest.raises(ValueError, match="integer"):
        fnp.choose(a.astype(np.float32), choices)


def test_put():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    ind = np.array([0, 4, 7, -1], np.int32)
    v = np.array([10.0, 20.0], np.float32)
    for mode in (None, "clip", "wrap"):
        both(lambda x, i, v: fnp.put(x, i, v, mode=mode, inplace=False),
             lambda x, i, v: jnp.put(x, i, v, mode=mode, inplace=False), x, ind, v,
             jit=mode is None)
    g = fl.grad(lambda v: fnp.sum(fnp.put(x, ind[:2], v, inplace=False) ** 2))(v)
    r = jax.grad(lambda v: jnp.sum(jnp.put(x, ind[:2], v, inplace=False) ** 2))(v)
    same(g, r)
    with pytest.raises(ValueError, match="inplace=False"):
        fnp.put(x, ind, v)


def test_copy_astype_real_family():
    same(fnp.copy([1, 2]), jnp.copy(jnp.array([1, 2])))
    same(fnp.astype(X, np.int32), jnp.astype(X, jnp.int32))
    same(fnp.astype(np.array([1, 2], np.int32), None), jnp.astype(jnp.array([1, 2]), None))
    for f, r in [(fnp.real, jnp.real), (fnp.imag, jnp.imag), (fnp.conj, jnp.conj),
                 (fnp.conjugate, jnp.conjugate), (fnp.angle, jnp.angle)]:
        both(f, r, X, jit=f in (fnp.angle, fnp.imag))
        same(f(np.array([1, -2], np.int32)), r(jnp.array([1, -2], np.int32)))
        if f in (fnp.angle, fnp.conj):
            grad_both(lambda x: f(x) * x, lambda x: r(x) * x, X)
        with pytest.raises(TypeError, match="complex"):
            f(np.array([1 + 2j]))
    both(lambda x: fnp.angle(x, deg=True), lambda x: jnp.angle(x, deg=True), X)
    same(fnp.angle(np.float32(-1.0)), jnp.angle(np.float32(-1.0)))


def test_matvec_vecmat_vecdot():
    m = RNG.normal(size=(2, 3, 4)).astype(np.float32)
    v4 = RNG.normal(size=(4,)).astype(np.float32)
    v3 = RNG.normal(size=(2, 3)).astype(np.float32)
    both(fnp.matvec, jnp.matvec, m, v4, rtol=1e-5)
    both(fnp.vecmat, jnp.vecmat, v3, m, rtol=1e-5)
    both(fnp.vecdot, jnp.vecdot, m, v4, rtol=1e-5)
    both(lambda a, b: fnp.vecdot(a, b, axis=1), lambda a, b: jnp.vecdot(a, b, axis=1), m,
         m, rtol=1e-5)
    grad_both(fnp.matvec, jnp.matvec, m, v4)
    with pytest.raises(ValueError, match="axes must match"):
        fnp.vecdot(m, v3)


# ----------------------------------------------------------------------------- i0, windows

def test_i0_values_and_grad():
    x = np.array([-30.0, -9.0, -8.0, -1.0, 0.0, 0.5, 3.0, 7.9, 8.1, 20.0, 60.0], np.float32)
    both(fnp.i0, jnp.i0, x, rtol=2e-6)
    same(fnp.i0(x.astype(np.float64)), np.i0(x.astype(np.float64)), rtol=1e-13)
    same(fnp.i0(np.array([1, 2], np.int32)), jnp.i0(jnp.array([1, 2])), rtol=1e-6)
    g = fl.vmap(fl.grad(fnp.i0))(x)
    r = jax.vmap(jax.grad(jnp.i0))(x)
    same(g, r, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["hamming", "hanning", "blackman", "bartlett"])
def test_windows(name):
    for M in (0, 1, 2, 7):
        same(getattr(fnp, name)(M), getattr(jnp, name)(M), rtol=1e-6, atol=1e-7)
    same(fl.jit(lambda: getattr(fnp, name)(6))(), getattr(jnp, name)(6), rtol=1e-6, atol=1e-7)
    with pytest.raises(TypeError):
        getattr(fnp, name)(2.5)


def test_kaiser():
    for M, beta in [(1, 3.0), (8, 14.0)]:
        same(fnp.kaiser(M, beta), jnp.kaiser(M, beta), rtol=1e-5, atol=1e-7)
    g = fl.grad(lambda b: fnp.sum(fnp.kaiser(7, b)))(np.float32(3.0))
    r = jax.grad(lambda b: jnp.sum(jnp.kaiser(7, b)))(np.float32(3.0))
    same(g, r, rtol=1e-4)


# ----------------------------------------------------------------------------- bits, masks, misc

@pytest.mark.parametrize("axis", [None, 1])
@pytest.mark.parametrize("bitorder", ["big", "little"])
def test_packbits_unpackbits(axis, bitorder):
    bits = RNG.integers(0, 2, size=(3, 11)).astype(np.int32)
    both(lambda b: fnp.packbits(b, axis=axis, bitorder=bitorder),
         lambda b: jnp.packbits(b, axis=axis, bitorder=bitorder), bits, jit=axis is None)
    packed = np.asarray(jnp.packbits(bits, axis=axis, bitorder=bitorder))
    both(lambda p: fnp.unpackbits(p, axis=axis, bitorder=bitorder),
         lambda p: jnp.unpackbits(p, axis=axis, bitorder=bitorder), packed, jit=axis == 1)
    for count in (3, 20):
        both(lambda p: fnp.unpackbits(p, axis=axis, count=count, bitorder=bitorder),
             lambda p: jnp.unpackbits(p, axis=axis, count=count, bitorder=bitorder), packed,
             jit=False)


def test_bits_errors():
    with pytest.raises(TypeError, match="integer or boolean"):
        fnp.packbits(np.ones(3, np.float32))
    with pytest.raises(TypeError, match="uint8"):
        fnp.unpackbits(np.ones(3, np.int32))
    with pytest.raises(ValueError, match="bitorder"):
        fnp.packbits(np.ones(3, np.int32), bitorder="middle")


def test_mask_indices_iterable_printoptions():
    for fn, ref, k in [(fnp.triu, jnp.triu, 0), (fnp.triu, jnp.triu, -1),
                       (fnp.tril, jnp.tril, 1)]:
        o, r = fnp.mask_indices(4, fn, k), jnp.mask_indices(4, ref, k)
        same(o[0], r[0]), same(o[1], r[1])
    o = fl.jit(lambda: fnp.mask_indices(3, fnp.triu, size=7))()
    r = jnp.mask_indices(3, jnp.triu, size=7)
    same(o[0], r[0]), same(o[1], r[1])
    assert fnp.iterable([1]) and not fnp.iterable(1.0) and fnp.iterable(np.ones(2))
    assert fnp.get_printoptions() == np.get_printoptions()
    with fnp.printoptions(precision=2):
        assert np.get_printoptions()["precision"] == 2
    assert np.get_printoptions()["precision"] == fnp.get_printoptions()["precision"]
