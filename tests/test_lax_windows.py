"""fl.lax.reduce_window (pooling) and fl.lax.associative_scan match jax.lax's: values and
dtypes eagerly and under fl.jit, fl.vmap against jax.vmap, derivatives against JAX's
(ties included), and clear errors."""
import operator

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

R = np.random.default_rng(7)
TOL = dict(rtol=2e-5, atol=2e-5)

# (operand shape, window_dimensions, window_strides, padding, base_dilation, window_dilation)
CORPUS = [
    ((7,), (3,), (1,), "VALID", None, None),
    ((8,), (2,), (2,), "SAME", None, None),
    ((6,), (3,), (2,), [(-1, 2)], (2,), None),
    ((9,), (2,), (1,), "SAME_LOWER", None, (3,)),
    ((4, 5), (2, 2), (1, 1), "SAME", None, None),
    ((5, 6), (3, 2), (2, 1), [(1, 0), (0, 2)], (1, 2), None),
    ((4, 5), (2, 2), (1, 2), "VALID", None, (2, 1)),
    ((2, 5, 6, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID", None, None),  # NHWC max/avg pool
    ((2, 5, 6, 3), (1, 3, 3, 1), (1, 2, 2, 1), "SAME", None, None),
    ((1, 4, 4, 2), (1, 2, 3, 1), (1, 1, 2, 1), [(0, 0), (1, 2), (-1, 1), (0, 0)], (1, 2, 1, 1),
     (1, 1, 2, 1)),
]
IDS = [f"{c[0]}-w{c[1]}-s{c[2]}-{c[3] if isinstance(c[3], str) else 'pairs'}"
       f"{'-bd' if c[4] else ''}{'-wd' if c[5] else ''}" for c in CORPUS]
MONOIDS = {"add": 0.0, "max": -np.inf, "min": np.inf}


def _x(shape, dtype=np.float32):
    return R.standard_normal(shape).astype(dtype)


def _pool(lax, comp, case, init=None):
    _, wd, ws, pad, bd, wdl = case
    init = MONOIDS[comp] if init is None else init
    return lambda x: lax.reduce_window(x, init, getattr(lax, comp), wd, ws, pad, bd, wdl)


def _weighted(f, shape):
    """A scalar loss of the pooled output with distinct weights per output entry."""
    def loss(x, _f=f):
        y = _f(x)
        return (y * np.cos(np.arange(np.prod(shape)).reshape(shape)).astype(np.float32)).sum()
    return loss


def _close(ours, ref, **tol):
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.shape == ref.shape, (ours.shape, ref.shape)
    assert ours.dtype == ref.dtype, (ours.dtype, ref.dtype)
    np.testing.assert_allclose(ours, ref, **(tol or TOL))


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize("comp", list(MONOIDS))
@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_monoid_values_eager_and_jit(comp, case):
    x = _x(case[0])
    ref = _pool(jax.lax, comp, case)(x)
    _close(_pool(fl.lax, comp, case)(x), ref)
    _close(fl.jit(_pool(fl.lax, comp, case))(x), ref)


def test_monoids_bind_the_window_primitives():
    x = _x((6,))
    for comp, prim in (("add", "reduce_window_sum"), ("max", "reduce_window_max"),
                       ("min", "reduce_window_min")):
        for lax in (fl.lax, jax.lax):  # jax.lax's functions are recognised too
            jx = fl.make_jaxpr(lambda x: fl.lax.reduce_window(
                x, MONOIDS[comp], getattr(lax, comp), (2,), (1,), "VALID"))(x)
            assert [e.prim.name for e in jx.jaxpr.eqns] == [prim]
    # not the identity, or not a recognised function: JAX's generic reduction (no primitive)
    jx = fl.make_jaxpr(lambda x: fl.lax.reduce_window(x, 1.0, fl.lax.add, (2,), (1,),
                                                       "VALID"))(x)
    assert "reduce_window_sum" not in str(jx)


@pytest.mark.parametrize("dtype,comp,init", [
    (np.int32, "max", -2 ** 31), (np.int32, "min", 2 ** 31 - 1), (np.int32, "add", 0),
    (np.bool_, "max", False), (np.bool_, "min", True), (np.float64, "add", 0.0),
    (np.float16, "add", 0.0)])
def test_other_dtypes(dtype, comp, init):
    x = (R.standard_normal((4, 5)) * 4).astype(dtype)
    case = ((4, 5), (2, 2), (1, 2), "SAME", None, None)
    ref = np.asarray(_pool(jax.lax, comp, case, init)(x))
    if dtype == np.float64:  # float64 stays float64 here (jax without x64 mode: float32)
        ref = ref.astype(np.float64)
    tol = dict(rtol=2e-3, atol=2e-3) if dtype == np.float16 else {}
    _close(_pool(fl.lax, comp, case, init)(x), ref, **tol)
    _close(fl.jit(_pool(fl.lax, comp, case, init))(x), ref, **tol)


GENERIC = [  # (fl computation, jax computation, init)
    (fl.lax.mul, jax.lax.mul, 1.0),
    (fl.lax.mul, jax.lax.mul, 2.0),  # init applied once per window, padding skipped
    (fl.lax.add, jax.lax.add, 1.5),
    (fnp.add, jnp.add, 0.0),
    (operator.add, operator.add, 0.0),
    (fnp.maximum, jnp.maximum, -np.inf),
    (fnp.logaddexp, jnp.logaddexp, -np.inf),
]


@pytest.mark.parametrize("fl_comp,jax_comp,init", GENERIC,
                         ids=[f"{g[1].__name__}-{g[2]}" for g in GENERIC])
@pytest.mark.parametrize("case", [CORPUS[2], CORPUS[5], CORPUS[9]], ids=[IDS[2], IDS[5], IDS[9]])
def test_generic_computations(fl_comp, jax_comp, init, case):
    _, wd, ws, pad, bd, wdl = case
    x = _x(case[0])

    def run(lax, comp):
        return lambda x: lax.reduce_window(x, init, comp, wd, ws, pad, bd, wdl)
    ref = run(jax.lax, jax_comp)(x)
    _close(run(fl.lax, fl_comp)(x), ref, rtol=1e-4, atol=1e-5)
    _close(fl.jit(run(fl.lax, fl_comp))(x), ref, rtol=1e-4, atol=1e-5)
    t = _x(case[0])
    _close(fl.jvp(run(fl.lax, fl_comp), (x,), (t,))[1],
           jax.jvp(run(jax.lax, jax_comp), (x,), (t,))[1], rtol=1e-4, atol=1e-4)


def test_generic_pytree_operands():
    # a variadic reduction: per window, the value at the largest key (as JAX's own
    # argmax-pooling idiom)
    keys = np.array([1., 3., 3., 2., 5., 0.], np.float32)
    vals = np.arange(6.0, dtype=np.float32)

    def pick(lax):
        def comp(a, b):
            (ka, va), (kb, vb) = a, b
            w = lax.ge(ka, kb)
            return lax.select(w, ka, kb), lax.select(w, va, vb)
        return lambda k, v: lax.reduce_window((k, v), (-np.inf, 0.0), comp, (3,), (1,), "SAME")
    ref = pick(jax.lax)(keys, vals)
    for out in (pick(fl.lax)(keys, vals), fl.jit(pick(fl.lax))(keys, vals)):
        assert isinstance(out, tuple) and len(out) == 2
        for o, r in zip(out, ref):
            _close(o, r)


def test_traced_init_value_under_jit_and_vmap():
    x = _x((3, 6))
    inits = np.array([0.0, 1.0, -2.0], np.float32)

    def f(lax):
        return lambda x, i: lax.reduce_window(x, i, lax.add, (2,), (2,), "VALID")
    # (jax.vmap does not batch init values: compare with a loop)
    _close(fl.vmap(f(fl.lax))(x, inits), np.stack([f(jax.lax)(a, i) for a, i in zip(x, inits)]))
    _close(fl.jit(f(fl.lax))(x[0], inits[1]), f(jax.lax)(x[0], inits[1]))
    # a batched operand with a generic computation (and a concrete init value)

    def g(lax):
        return lambda x: lax.reduce_window(x, 2.0, lax.mul, (3,), (2,), "SAME")
    _close(fl.vmap(g(fl.lax))(x), jax.vmap(g(jax.lax))(x), rtol=1e-5, atol=1e-6)
    _close(fl.jit(fl.vmap(g(fl.lax)))(x), jax.vmap(g(jax.lax))(x), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("comp", ["add", "max"])  # (min: in the ties tests)
@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_grad_and_jvp_match_jax(comp, case):
    x = _x(case[0])
    out_shape = np.shape(_pool(jax.lax, comp, case)(x))
    ours, ref = _weighted(_pool(fl.lax, comp, case), out_shape), \
        _weighted(_pool(jax.lax, comp, case), out_shape)
    t = _x(case[0])
    _close(fl.jvp(_pool(fl.lax, comp, case), (x,), (t,))[1],
           jax.jvp(_pool(jax.lax, comp, case), (x,), (t,))[1])
    if comp != "add" and case[5] is not None:
        # as JAX: no reverse mode for max/min pooling with window dilation
        with pytest.raises(NotImplementedError, match="window dilation"):
            jax.grad(ref)(x)
        with pytest.raises(NotImplementedError, match="window dilation"):
            fl.grad(ours)(x)
        return
    if case[4] and not isinstance(case[3], str) and min(p[0] for p in case[3]) < 0:
        g = jax.jacfwd(ref)(x)  # jax.grad fails for negative padding with base dilation
    else:
        g = jax.grad(ref)(x)
    _close(fl.grad(ours)(x), g)
    if len(case[0]) == 4 or case[4]:  # the lowering of the derivative helpers
        _close(fl.jit(fl.grad(ours))(x), g)


TIES = [  # (x, window, strides, padding): repeated maxima/minima within windows
    (np.array([1., 3., 3., 2., 3., 3., 0.]), (3,), (1,), "VALID"),
    (np.array([2., 2., 2., 2., 2.]), (2,), (1,), "SAME"),
    (np.array([-np.inf, -np.inf, 1., -np.inf]), (2,), (1,), [(1, 0)]),
    (np.array([[1., 1., 2.], [1., 2., 2.], [2., 0., 2.]]), (2, 2), (1, 1), "VALID"),
    (np.array([[1., 1., 2.], [1., 2., 2.]]), (2, 2), (1, 1), "SAME"),
    (np.array([[0., 1., 1., 0.], [1., 1., 0., 1.]]), (2, 3), (1, 1), [(0, 1), (1, 1)]),
]


@pytest.mark.parametrize("comp", ["max", "min"])
@pytest.mark.parametrize("k", range(len(TIES)))
def test_ties_follow_jax(comp, k):
    x, wd, ws, pad = TIES[k]
    x = x.astype(np.float32) * (1 if comp == "max" else -1)
    case = (x.shape, wd, ws, pad, None, None)
    # reverse mode: the whole cotangent goes to the first extremum of each window
    np.testing.assert_array_equal(fl.jacrev(_pool(fl.lax, comp, case))(x),
                                  jax.jacrev(_pool(jax.lax, comp, case))(x))
    # forward mode: the same choice eagerly; XLA's CPU reduction may scan a padded
    # multi-dimensional window in another order (README of ops/windows: documented)
    ref = jax.jacfwd(_pool(jax.lax, comp, case))(x)
    if comp == "max":
        np.testing.assert_array_equal(fl.jit(fl.jacfwd(_pool(fl.lax, comp, case)))(x), ref)
    if len(wd) == 1 or pad == "VALID":
        np.testing.assert_array_equal(fl.jacfwd(_pool(fl.lax, comp, case))(x), ref)


@pytest.mark.parametrize("comp", list(MONOIDS))
def test_second_order(comp):
    case = ((3, 4), (2, 2), (1, 2), "SAME", None, None)
    x = _x(case[0])

    def loss(lax):
        return lambda x: (_pool(lax, comp, case)(x) ** 2).sum() + (x ** 3).sum()
    h = jax.hessian(loss(jax.lax))(x)
    _close(fl.hessian(loss(fl.lax))(x), h, rtol=1e-4, atol=1e-4)
    if comp == "max":
        _close(fl.jit(fl.hessian(loss(fl.lax)))(x), h, rtol=1e-4, atol=1e-4)
    v = _x(case[0])  # a Hessian-vector product, forward over reverse
    _close(fl.jvp(fl.grad(loss(fl.lax)), (x,), (v,))[1],
           jax.jvp(jax.grad(loss(jax.lax)), (x,), (v,))[1], rtol=1e-4, atol=1e-4)


def test_generic_path_is_reverse_differentiable():
    # JAX's generic reduce_window is forward-mode only; here it is differentiable in both
    # modes and the gradient agrees with JAX's forward-mode Jacobian
    x = _x((7,))

    def f(lax):
        return lambda x: lax.reduce_window(x, 1.0, lax.mul, (3,), (2,), "SAME")
    eye = np.eye(7, dtype=np.float32)  # (jax.jacfwd of a generic reduce_window fails)
    jac = np.stack([jax.jvp(f(jax.lax), (x,), (e,))[1] for e in eye], -1)
    _close(fl.jacrev(f(fl.lax))(x), jac, rtol=1e-5, atol=1e-5)
    _close(fl.jacfwd(f(fl.lax))(x), jac, rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------- vmap


@pytest.mark.parametrize("comp", list(MONOIDS))
@pytest.mark.parametrize("case", [CORPUS[1], CORPUS[5], CORPUS[8]], ids=[IDS[1], IDS[5], IDS[8]])
def test_vmap_matches_jax(comp, case):
    shape = case[0]
    per = (shape[1:],) + tuple(c if c is None or isinstance(c, str) else tuple(c)[1:]
                               for c in case[1:])
    x = _x(shape)
    f, g = _pool(fl.lax, comp, per), _pool(jax.lax, comp, per)
    ref = jax.vmap(g)(x)
    _close(fl.vmap(f)(x), ref)
    _close(fl.jit(fl.vmap(f))(x), ref)
    xt = np.moveaxis(x, 0, -1).copy()  # the batch axis last, out_axes too
    _close(fl.vmap(f, in_axes=-1, out_axes=-1)(xt), jax.vmap(g, in_axes=-1, out_axes=-1)(xt))
    # per-example gradients and batched tangents
    gref = jax.vmap(jax.grad(lambda x: (g(x) ** 2).sum()))(x)
    _close(fl.vmap(fl.grad(lambda x: (f(x) ** 2).sum()))(x), gref)
    t = _x(shape)
    x0 = x[0]  # an unbatched primal with batched tangents (a Jacobian by columns)
    _close(fl.vmap(lambda t: fl.jvp(f, (x0,), (t,))[1])(t),
           jax.vmap(lambda t: jax.jvp(g, (x0,), (t,))[1])(t))


# ----------------------------------------------------------------------------- errors


def test_errors_name_the_problem():
    x = _x((4, 5))
    rw = fl.lax.reduce_window
    with pytest.raises(TypeError, match="window_dimensions .* one entry per dimension"):
        rw(x, 0.0, fl.lax.add, (2,), (1,), "VALID")
    with pytest.raises(TypeError, match="window_strides must be positive"):
        rw(x, 0.0, fl.lax.add, (2, 2), (0, 1), "VALID")
    with pytest.raises(TypeError, match="base_dilation must be positive"):
        rw(x, 0.0, fl.lax.add, (2, 2), (1, 1), "VALID", base_dilation=(0, 1))
    with pytest.raises(ValueError, match="unrecognized padding 'FULL'"):
        rw(x, 0.0, fl.lax.add, (2, 2), (1, 1), "FULL")
    with pytest.raises(TypeError, match=r"sequence of \(low, high\) int pairs"):
        rw(x, 0.0, fl.lax.add, (2, 2), (1, 1), [(1, 1, 1), (0, 0, 0)])
    with pytest.raises(TypeError, match="crops more than"):
        rw(x, 0.0, fl.lax.add, (2, 2), (1, 1), [(-3, -3), (0, 0)])
    with pytest.raises(TypeError, match="must have a number dtype"):
        rw(np.array([True, False]), False, fl.lax.add, (2,), (1,), "VALID")
    with pytest.raises(TypeError, match="init_value must be a scalar of its operand's dtype"):
        rw(x, np.zeros(2, np.float32), fnp.add, (2, 2), (1, 1), "VALID")
    with pytest.raises(ValueError, match="same tree structure"):
        rw((x, x), 0.0, fnp.add, (2, 2), (1, 1), "VALID")
    with pytest.raises(TypeError, match="applied elementwise to whole arrays"):
        rw(x, -np.inf, lambda a, b: a if a > b else b, (2, 2), (1, 1), "VALID")
    with pytest.raises(TypeError, match="must return the operand's tree structure"):
        rw(x, 0.0, lambda a, b: (a + b, a), (2, 2), (1, 1), "VALID")
    with pytest.raises(TypeError, match="window_dimensions must be a sequence of Python ints"):
        rw(x, 0.0, fl.lax.add, "22", (1, 1), "VALID")
    # an empty output is not an error (as JAX)
    assert fl.lax.reduce_window(x, 0.0, fl.lax.add, (5, 5), (1, 1), "VALID").shape == (0, 1)


def test_padtype_to_pads_matches_jax():
    for shape, w, s, p in [((5, 6), (3, 2), (2, 2), "SAME"), ((5,), (4,), (3,), "SAME_LOWER"),
                           ((4, 4), (2, 2), (1, 1), "VALID"), ((7,), (3,), (1,), "same")]:
        assert [tuple(q) for q in fl.lax.padtype_to_pads(shape, w, s, p)] == \
            [tuple(q) for q in jax.lax.padtype_to_pads(shape, w, s, p)]


# ----------------------------------------------------------------------------- associative_scan


def _linear_recurrence(lax):
    # h_t = a_t * h_{t-1} + b_t as a scan over (a, b) pairs: a pytree fn
    def fn(l, r):
        (a1, b1), (a2, b2) = l, r
        return (lax.mul(a1, a2), lax.add(lax.mul(a2, b1), b2))
    return fn


SCAN_FNS = {
    "add": lambda lax: lax.add,
    "mul": lambda lax: lax.mul,
    "max": lambda lax: lax.max,
}


@pytest.mark.parametrize("name", list(SCAN_FNS))
@pytest.mark.parametrize("n", [1, 2, 5, 8])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_values(name, n, reverse):
    x = _x((n, 3))
    ref = jax.lax.associative_scan(SCAN_FNS[name](jax.lax), x, reverse=reverse)
    f = SCAN_FNS[name](fl.lax)
    _close(fl.lax.associative_scan(f, x, reverse=reverse), ref, rtol=1e-5, atol=1e-6)
    if n == 5:
        _close(fl.jit(lambda x: fl.lax.associative_scan(f, x, reverse=reverse))(x), ref,
               rtol=1e-5, atol=1e-6)
    xt = np.ascontiguousarray(x.T)
    _close(fl.lax.associative_scan(f, xt, reverse=reverse, axis=-1),
           jax.lax.associative_scan(SCAN_FNS[name](jax.lax), xt, reverse=reverse, axis=1),
           rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_pytree_grad_vmap(reverse):
    a, b = _x((7, 2)), _x((7, 2))

    def f(lax, scan):
        return lambda a, b: scan(_linear_recurrence(lax), (a, b), reverse=reverse)
    ref = f(jax.lax, jax.lax.associative_scan)(a, b)
    ours = f(fl.lax, fl.lax.associative_scan)(a, b)
    assert isinstance(ours, tuple) and len(ours) == 2
    for o, r in zip(ours, ref):
        _close(o, r, rtol=1e-5, atol=1e-6)

    def loss(lax, scan):
        return lambda a, b: (f(lax, scan)(a, b)[1] ** 2).sum()
    g_ref = jax.grad(loss(jax.lax, jax.lax.associative_scan), argnums=(0, 1))(a, b)
    g = fl.grad(loss(fl.lax, fl.lax.associative_scan), argnums=(0, 1))(a, b)
    gj = fl.jit(fl.grad(loss(fl.lax, fl.lax.associative_scan), argnums=(0, 1)))(a, b)
    for o, oj, r in zip(g, gj, g_ref):
        _close(o, r, rtol=1e-4, atol=1e-5)
        _close(oj, r, rtol=1e-4, atol=1e-5)
    # vmap over a leading batch axis (the scan runs along axis 0 of each example)
    A, B = _x((3, 6, 2)), _x((3, 6, 2))
    vref = jax.vmap(f(jax.lax, jax.lax.associative_scan))(A, B)
    vo = fl.vmap(f(fl.lax, fl.lax.associative_scan))(A, B)
    for o, r in zip(vo, vref):
        _close(o, r, rtol=1e-5, atol=1e-6)


def test_associative_scan_max_grad_ties_and_bool():
    x = np.array([1., 3., 3., 2., 5., 5., 0.], np.float32)

    def loss(lax, scan):
        return lambda x: (scan(lax.max, x) * np.arange(1.0, 8.0, dtype=np.float32)).sum()
    _close(fl.grad(loss(fl.lax, fl.lax.associative_scan))(x),
           jax.grad(loss(jax.lax, jax.lax.associative_scan))(x))
    m = np.array([False, True, False, False, True])
    _close(fl.lax.associative_scan(fl.lax.bitwise_or, m),
           jax.lax.associative_scan(jax.lax.bitwise_or, m))


def test_associative_scan_errors():
    with pytest.raises(ValueError, match="same size along axis 0"):
        fl.lax.associative_scan(fl.lax.add, (np.ones(3), np.ones(4)))
    with pytest.raises(ValueError, match="a scalar has no axis"):
        fl.lax.associative_scan(fl.lax.add, np.float32(1))
    with pytest.raises(ValueError, match="out of bounds"):
        fl.lax.associative_scan(fl.lax.add, np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="must return the tree structure"):
        fl.lax.associative_scan(lambda a, b: (a, b), np.ones(4))


# ----------------------------------------------------------------------------- lgamma, digamma

GAMMA_X = np.array([0.3, 1.7, 4.0, -1.5, -2.3], np.float32)
GAMMA_SPECIAL = np.array([0., -0.0, -1., -3., np.inf, -np.inf, np.nan, 0.5], np.float32)


@pytest.mark.parametrize("name", ["lgamma", "digamma"])
def test_lgamma_digamma_values_and_derivatives(name):
    f, g = getattr(fl.lax, name), getattr(jax.lax, name)
    for x in (GAMMA_X, GAMMA_SPECIAL):  # JAX's values at the poles and infinities
        _close(f(x), g(x), rtol=1e-5, atol=1e-6)
        _close(fl.jit(f)(x), g(x), rtol=1e-5, atol=1e-6)
    ff, gg = f, g
    for _ in range(3):  # up to the third derivative (polygamma of order 3 for digamma)
        ff, gg = fl.grad(ff), jax.grad(gg)
        _close(fl.vmap(ff)(GAMMA_X), jax.vmap(gg)(GAMMA_X), rtol=1e-4, atol=1e-5)
        _close(fl.vmap(ff)(GAMMA_SPECIAL), jax.vmap(gg)(GAMMA_SPECIAL), rtol=1e-4, atol=1e-5)
    _close(fl.jit(fl.vmap(fl.grad(fl.grad(f))))(GAMMA_X),
           jax.vmap(jax.grad(jax.grad(g)))(GAMMA_X), rtol=1e-4, atol=1e-5)
    x64 = GAMMA_X.astype(np.float64)
    assert f(x64).dtype == np.float64
    np.testing.assert_allclose(f(x64), g(GAMMA_X), rtol=1e-5)
    with pytest.raises(TypeError, match=f"{name}: x must be a floating-point array"):
        f(np.array([1, 2], np.int32))


# ----------------------------------------------------------------------------- small wrappers


def test_reciprocal_split_tile_match_jax():
    x = _x((3, 4))
    _close(fl.lax.reciprocal(x), jax.lax.reciprocal(x))
    with pytest.raises(TypeError):
        fl.lax.reciprocal(np.array([2], np.int32))
    for sizes, axis in (([1, 2], 0), ([0, 3, 1], 1), ([4], -1)):
        outs = fl.lax.split(x, sizes, axis)
        refs = jax.lax.split(x, sizes, axis)
        assert len(outs) == len(refs)
        for o, r in zip(outs, refs):
            _close(o, r)
    for reps in ((2, 1), (1, 3), (2, 2)):
        _close(fl.lax.tile(x, reps), jax.lax.tile(x, reps))
        _close(fl.jit(lambda x: fl.lax.tile(x, reps))(x), jax.lax.tile(x, reps))
    w = _x((6, 8))

    def loss(lax):
        return lambda x: (lax.tile(x, (2, 2)) * w).sum() + (lax.split(x, [1, 3], 1)[1] ** 2).sum()
    _close(fl.grad(loss(fl.lax))(x), jax.grad(loss(jax.lax))(x))
    _close(fl.vmap(lambda x: fl.lax.tile(x, (3,)))(x), jax.vmap(lambda x: jax.lax.tile(x, (3,)))(x))
    with pytest.raises(ValueError, match="sum of sizes 2 must be equal to dimension 0"):
        fl.lax.split(x, [1, 1], 0)
    with pytest.raises(TypeError, match="reps length must be equal to the ndim"):
        fl.lax.tile(x, (2,))


def test_rank0_operand():
    # (jax.jit(jax.grad(...)) of this aborts inside XLA's CPU compiler; here it lowers to
    # the one-entry window directly)
    s = np.float32(3.0)
    for comp in MONOIDS:
        case = ((), (), (), "VALID", None, None)
        _close(_pool(fl.lax, comp, case)(s), _pool(jax.lax, comp, case)(s))
        for d in (fl.grad(_pool(fl.lax, comp, case)), fl.jit(fl.grad(_pool(fl.lax, comp, case)))):
            assert float(d(s)) == 1.0
