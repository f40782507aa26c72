"""fl.random: bit-identical to jax.random eagerly, under jit, vmap, scan/fori_loop, and AD."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functorch_lite as fl
import functorch_lite.numpy as fnp
import functorch_lite.random as fr

KEY = fr.key(0)
JKEY = jax.random.PRNGKey(0)
P = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
LOGITS = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]], np.float32)
X = np.arange(12.0, dtype=np.float32).reshape(3, 4)

# (name, draw(random_module, key)): the same call through fl.random and jax.random
CALLS = [
    ("split", lambda r, k: r.split(k)),
    ("split3", lambda r, k: r.split(k, 3)),
    ("split_tuple", lambda r, k: r.split(k, (2, 3))),
    ("fold_in", lambda r, k: r.fold_in(k, 17)),
    ("fold_in_array", lambda r, k: r.fold_in(k, np.int32(5))),
    ("normal", lambda r, k: r.normal(k, (3, 2))),
    ("normal_scalar", lambda r, k: r.normal(k)),
    ("uniform", lambda r, k: r.uniform(k, (5,))),
    ("uniform_bounds", lambda r, k: r.uniform(k, (5,), minval=-2.0, maxval=3.0)),
    ("uniform_array_bounds", lambda r, k: r.uniform(k, (2, 3), minval=np.zeros(3, np.float32),
                                                     maxval=np.arange(1.0, 4.0, dtype=np.float32))),
    ("uniform_f16", lambda r, k: r.uniform(k, (4,), dtype=jnp.float16)),
    ("randint", lambda r, k: r.randint(k, (6,), 0, 10)),
    ("randint_array", lambda r, k: r.randint(k, (2, 3), np.array([0, 5, 10]), 20)),
    ("randint_i8", lambda r, k: r.randint(k, (6,), -5, 5, dtype=jnp.int8)),
    ("bernoulli", lambda r, k: r.bernoulli(k, 0.3, (10,))),
    ("bernoulli_default", lambda r, k: r.bernoulli(k)),
    ("bernoulli_array", lambda r, k: r.bernoulli(k, P)),
    ("categorical", lambda r, k: r.categorical(k, LOGITS)),
    ("categorical_axis0", lambda r, k: r.categorical(k, LOGITS, axis=0)),
    ("categorical_shape", lambda r, k: r.categorical(k, LOGITS[0], shape=(7,))),
    ("permutation_int", lambda r, k: r.permutation(k, 10)),
    ("permutation_array", lambda r, k: r.permutation(k, X)),
    ("permutation_axis1", lambda r, k: r.permutation(k, X, axis=1)),
    ("permutation_independent", lambda r, k: r.permutation(k, X, axis=1, independent=True)),
    ("permutation_1d", lambda r, k: r.permutation(k, np.arange(7.0, dtype=np.float32))),
    ("choice_int", lambda r, k: r.choice(k, 10, (4,))),
    ("choice_noreplace", lambda r, k: r.choice(k, 10, (4,), replace=False)),
    ("choice_p", lambda r, k: r.choice(k, 4, (5,), p=P)),
    ("choice_p_noreplace", lambda r, k: r.choice(k, 4, (3,), replace=False, p=P)),
    ("choice_array", lambda r, k: r.choice(k, X, (2,))),
    ("choice_array_axis1", lambda r, k: r.choice(k, X, (2, 2), axis=1, replace=False)),
    ("truncated_normal", lambda r, k: r.truncated_normal(k, -1.0, 2.0, (6,))),
    ("truncated_normal_arrays", lambda r, k: r.truncated_normal(
        k, np.array([-1.0, 0.0], np.float32), np.float32(1.5))),
    ("exponential", lambda r, k: r.exponential(k, (4,))),
    ("laplace", lambda r, k: r.laplace(k, (2, 3))),
    ("logistic", lambda r, k: r.logistic(k, (4,))),
    ("cauchy", lambda r, k: r.cauchy(k, (4,))),
    ("gumbel", lambda r, k: r.gumbel(k, (4,))),
    ("gumbel_high", lambda r, k: r.gumbel(k, (4,), mode="high")),
    ("maxwell", lambda r, k: r.maxwell(k, (4,))),
    ("rademacher", lambda r, k: r.rademacher(k, (6,))),
    ("bits", lambda r, k: r.bits(k, (3,))),
    ("bits_u8", lambda r, k: r.bits(k, (3,), dtype=jnp.uint8)),
    ("poisson", lambda r, k: r.poisson(k, 3.0, (5,))),
    ("poisson_array", lambda r, k: r.poisson(k, np.array([0.5, 4.0, 30.0], np.float32))),
    ("geometric", lambda r, k: r.geometric(k, 0.3, (5,))),
    ("gamma", lambda r, k: r.gamma(k, 2.5, (4,))),
    ("gamma_array", lambda r, k: r.gamma(k, np.array([0.3, 1.0, 7.0], np.float32))),
    ("loggamma", lambda r, k: r.loggamma(k, 0.01, (3,))),
    ("beta", lambda r, k: r.beta(k, 2.0, 3.0, (4,))),
    ("beta_array", lambda r, k: r.beta(k, P, np.float32(2.0))),
    ("dirichlet", lambda r, k: r.dirichlet(k, np.array([1.0, 2.0, 3.0], np.float32), (2,))),
    ("chisquare", lambda r, k: r.chisquare(k, 3.0, (4,))),
    ("t", lambda r, k: r.t(k, 4.0, (4,))),
    ("pareto", lambda r, k: r.pareto(k, 3.0, (4,))),
    ("lognormal", lambda r, k: r.lognormal(k, 0.5, (4,))),
    ("lognormal_default", lambda r, k: r.lognormal(k)),
    ("multivariate_normal", lambda r, k: r.multivariate_normal(
        k, np.array([1.0, -1.0], np.float32), np.array([[2.0, 0.5], [0.5, 1.0]], np.float32),
        (3,))),
    ("multivariate_normal_eigh", lambda r, k: r.multivariate_normal(
        k, np.zeros(2, np.float32), np.eye(2, dtype=np.float32), method="eigh")),
    ("orthogonal", lambda r, k: r.orthogonal(k, 3)),
    ("orthogonal_batch_m", lambda r, k: r.orthogonal(k, 4, (2,), m=2)),
]
IDS = [c[0] for c in CALLS]


def assert_bits_equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    if a.dtype.kind == "f":  # compare the bits: NaN == NaN, -0.0 != 0.0
        a, b = a.reshape(-1).view(np.uint8), b.reshape(-1).view(np.uint8)
    np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- keys

@pytest.mark.parametrize("seed", [0, 1, 42, 2**31 - 1, -1, -123])
def test_key_matches_prngkey(seed):
    k = fr.key(seed)
    assert isinstance(k, np.ndarray) and k.dtype == np.uint32 and k.shape == (2,)
    assert_bits_equal(k, jax.random.PRNGKey(seed))
    assert_bits_equal(fr.PRNGKey(seed), jax.random.PRNGKey(seed))
    assert_bits_equal(k, jax.random.key_data(jax.random.key(seed)))


def test_typed_jax_key_is_accepted():
    assert_bits_equal(fr.normal(jax.random.key(3), (4,)),
                      jax.random.normal(jax.random.key(3), (4,)))


def test_jax_array_key_is_accepted():
    assert_bits_equal(fr.normal(jax.random.PRNGKey(3), (4,)),
                      jax.random.normal(jax.random.PRNGKey(3), (4,)))


# ----------------------------------------------------------------------------- eager

@pytest.mark.parametrize("name,draw", CALLS, ids=IDS)
def test_eager_bit_identical(name, draw):
    out = draw(fr, KEY)
    assert isinstance(out, np.ndarray)
    assert_bits_equal(out, draw(jax.random, JKEY))


@settings(max_examples=12)
@given(seed=st.integers(0, 2**31 - 1),
       shape=st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple),
       fn=st.sampled_from(["normal", "uniform", "bits_split"]))
def test_eager_bit_identical_hypothesis(seed, shape, fn):
    k, jk = fr.key(seed), jax.random.PRNGKey(seed)
    if fn == "bits_split":
        assert_bits_equal(fr.split(k, len(shape) + 1), jax.random.split(jk, len(shape) + 1))
    else:
        assert_bits_equal(getattr(fr, fn)(k, shape), getattr(jax.random, fn)(jk, shape))


def test_float64_under_x64():
    out = fr.normal(KEY, (4,), dtype=np.float64)
    assert out.dtype == np.float64
    u = fr.uniform(KEY, (4,), dtype=np.float64, minval=np.zeros(4), maxval=2.0)
    assert u.dtype == np.float64
    with jax.enable_x64(True):
        assert_bits_equal(out, jax.random.normal(JKEY, (4,), dtype=jnp.float64))
        assert_bits_equal(u, jax.random.uniform(JKEY, (4,), dtype=jnp.float64,
                                                minval=np.zeros(4), maxval=2.0))
    r = fr.randint(KEY, (3,), 0, 2**40, dtype=np.int64)
    assert r.dtype == np.int64
    with jax.enable_x64(True):
        assert_bits_equal(r, jax.random.randint(JKEY, (3,), 0, 2**40, dtype=jnp.int64))
    f = fl.jit(lambda k: fr.normal(k, (4,), dtype=np.float64))
    assert_bits_equal(np.asarray(f(KEY)), out)


# ----------------------------------------------------------------------------- jit

@pytest.mark.parametrize("name,draw", CALLS, ids=IDS)
def test_jit_bit_identical(name, draw):
    # the reference is jax.jit of the same draw: XLA may fuse the arithmetic around the
    # bits differently from eager jax (truncated_normal with array bounds, beta: 1 ulp)
    out = fl.jit(lambda k: draw(fr, k))(KEY)
    assert isinstance(out, jax.Array)
    if name in ("truncated_normal_arrays", "beta", "beta_array"):
        assert_bits_equal(out, jax.jit(lambda k: draw(jax.random, k))(JKEY))
    else:  # equal to eager jax, which equals jax.jit for these draws (one compile less)
        assert_bits_equal(out, draw(jax.random, JKEY))


def test_jit_traced_nonkey_operands():
    f = fl.jit(lambda k, lo, p, d: (fr.uniform(k, (3,), minval=lo, maxval=4.0),
                                   fr.bernoulli(k, p, (3,)), fr.fold_in(k, d)))
    outs = f(KEY, np.float32(1.0), np.float32(0.7), np.int32(9))
    refs = (jax.random.uniform(JKEY, (3,), minval=np.float32(1.0), maxval=4.0),
            jax.random.bernoulli(JKEY, np.float32(0.7), (3,)),
            jax.random.fold_in(JKEY, 9))
    for o, r in zip(outs, refs):
        assert_bits_equal(o, r)


def test_key_from_traced_seed():
    f = fl.jit(lambda s: fr.normal(fr.PRNGKey(s), (2,)))
    assert_bits_equal(f(np.int32(7)), jax.random.normal(jax.random.PRNGKey(7), (2,)))


def test_jit_mixed_with_64bit_program():
    # a float64 value elsewhere lowers the program in 64-bit mode; the draws keep their dtypes
    f = fl.jit(lambda k, y: (fr.categorical(k, LOGITS), fr.normal(k, (2,)), y * 2))
    c, n, _ = f(KEY, np.ones(2))
    assert_bits_equal(c, jax.random.categorical(JKEY, LOGITS))
    assert_bits_equal(n, jax.random.normal(JKEY, (2,)))


# ----------------------------------------------------------------------------- vmap

VMAP_CALLS = [c for c in CALLS if c[0] in {
    "split3", "fold_in", "normal", "uniform_array_bounds", "randint_array", "bernoulli_array",
    "categorical", "permutation_array", "permutation_independent", "choice_p", "choice_array",
    "truncated_normal_arrays", "exponential", "poisson_array", "gamma_array", "beta_array",
    "dirichlet", "multivariate_normal", "orthogonal"}]


@pytest.mark.parametrize("name,draw", VMAP_CALLS, ids=[c[0] for c in VMAP_CALLS])
def test_vmap_over_split_keys(name, draw):
    keys = fr.split(KEY, 3)
    out = fl.vmap(lambda k: draw(fr, k))(keys)
    assert_bits_equal(out, jax.vmap(lambda k: draw(jax.random, k))(keys))


def test_nested_vmap_and_jit_of_vmap():
    keys = fr.split(KEY, (2, 3))
    f = lambda k: fr.uniform(k, (4,))
    jf = lambda k: jax.random.uniform(k, (4,))
    ref = jax.vmap(jax.vmap(jf))(keys)
    assert_bits_equal(fl.vmap(fl.vmap(f))(keys), ref)
    assert_bits_equal(fl.jit(fl.vmap(fl.vmap(f)))(keys), ref)
    assert_bits_equal(fl.vmap(fl.jit(fl.vmap(f)))(keys), ref)


def test_vmap_batched_key_axis1():
    keys = np.ascontiguousarray(fr.split(KEY, 4).T)  # (2, 4): keys along axis 1
    out = fl.vmap(lambda k: fr.normal(k, (2,)), in_axes=1)(keys)
    assert_bits_equal(out, jax.vmap(lambda k: jax.random.normal(k, (2,)), in_axes=1)(keys))


def test_vmap_over_nonkey_operands():
    lo = np.array([0.0, 1.0, 2.0], np.float32)
    out = fl.vmap(lambda m: fr.uniform(KEY, (2,), minval=m, maxval=5.0))(lo)
    assert_bits_equal(out, jax.vmap(lambda m: jax.random.uniform(JKEY, (2,), minval=m,
                                                                 maxval=5.0))(lo))
    keys = fr.split(KEY, 3)
    out = fl.vmap(lambda k, p: fr.bernoulli(k, p, (4,)))(keys, lo / 3)
    assert_bits_equal(out, jax.vmap(lambda k, p: jax.random.bernoulli(k, p, (4,)))(keys, lo / 3))
    data = np.array([1, 2, 3], np.int32)
    out = fl.vmap(lambda d: fr.fold_in(KEY, d))(data)
    assert_bits_equal(out, jax.vmap(lambda d: jax.random.fold_in(JKEY, d))(data))


def test_vmap_seeds():
    seeds = np.arange(4, dtype=np.int32)
    assert_bits_equal(fl.vmap(fr.PRNGKey)(seeds), jax.vmap(jax.random.PRNGKey)(seeds))


# ----------------------------------------------------------------------------- loops

def test_scan_body():
    def body(r):
        def f(carry, _):
            k, s = carry
            k, sub = r.split(k)
            x = r.normal(sub, (2,))
            return (k, s + x), x
        return f
    init = (KEY, np.zeros(2, np.float32))
    (k, s), xs = fl.lax.scan(body(fr), init, None, length=4)
    (jk, js), jxs = jax.lax.scan(body(jax.random), init, None, length=4)
    assert_bits_equal(k, jk)
    assert_bits_equal(s, js)
    assert_bits_equal(xs, jxs)
    (k2, s2), xs2 = fl.jit(lambda c: fl.lax.scan(body(fr), c, None, length=4))(init)
    assert_bits_equal(xs2, jxs)
    assert_bits_equal(k2, jk)


def test_scan_over_keys():
    keys = fr.split(KEY, 5)
    _, xs = fl.lax.scan(lambda c, k: (c, fr.uniform(k, (3,))), 0.0, keys)
    _, jxs = jax.lax.scan(lambda c, k: (c, jax.random.uniform(k, (3,))), 0.0, keys)
    assert_bits_equal(xs, jxs)


def test_fori_loop_body():
    def body(r):
        def f(i, carry):
            k, s = carry
            k = r.fold_in(k, i)
            return k, s + r.uniform(k, (3,))
        return f
    init = (KEY, np.zeros(3, np.float32))
    k, s = fl.lax.fori_loop(0, 5, body(fr), init)
    jk, js = jax.lax.fori_loop(0, 5, body(jax.random), init)
    assert_bits_equal(k, jk)
    assert_bits_equal(s, js)
    k, s = fl.jit(lambda c: fl.lax.fori_loop(0, 5, body(fr), c))(init)
    assert_bits_equal(s, js)


# ----------------------------------------------------------------------------- AD

def _close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


def test_draws_are_constants_for_ad():
    # a sample's parameters-free draws contribute nothing to the gradient
    g = fl.grad(lambda w: fnp.sum(w * fr.normal(KEY, (3,))))(np.ones(3, np.float32))
    assert_bits_equal(g, jax.random.normal(JKEY, (3,)))
    g = fl.grad(lambda lg: fnp.sum(fr.categorical(KEY, lg).astype(np.float32) * lg[:, 0]))(LOGITS)
    assert_bits_equal(g, jax.grad(lambda lg: jnp.sum(jax.random.categorical(JKEY, lg)
                                                     .astype(np.float32) * lg[:, 0]))(LOGITS))


@pytest.mark.parametrize("argnum", [0, 1])
def test_uniform_grad_matches_jax(argnum):
    lo, hi = np.array([-1.0, 0.5, 2.0], np.float32), np.float32(3.0)
    w = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3)
    f = lambda r, s: lambda lo, hi: (w * r.uniform(k_of(r), (2, 3), minval=lo, maxval=hi)).sum()
    k_of = lambda r: KEY if r is fr else JKEY
    _close(fl.grad(f(fr, fnp), argnums=argnum)(lo, hi),
           jax.grad(f(jax.random, jnp), argnums=argnum)(lo, hi))
    _close(fl.jit(fl.grad(f(fr, fnp), argnums=argnum))(lo, hi),
           jax.grad(f(jax.random, jnp), argnums=argnum)(lo, hi))
    t = (np.ones(3, np.float32), np.float32(0.0)) if argnum == 0 else \
        (np.zeros(3, np.float32), np.float32(1.0))
    g = lambda r: lambda lo, hi: r.uniform(k_of(r), (2, 3), minval=lo, maxval=hi)
    (o, to), (jo, jto) = fl.jvp(g(fr), (lo, hi), t), jax.jvp(g(jax.random), (lo, hi), t)
    assert_bits_equal(o, jo)
    _close(to, jto)


@pytest.mark.parametrize("argnum", [0, 1])
def test_truncated_normal_grad_matches_jax(argnum):
    lo = np.array([-1.0, -0.5, 0.0, -2.0], np.float32)
    hi = np.float32(1.5)
    w = np.array([1.0, -2.0, 3.0, 0.5], np.float32)
    f = lambda r, k: lambda lo, hi: (w * r.truncated_normal(k, lo, hi, (4,))).sum()
    _close(fl.grad(f(fr, KEY), argnums=argnum)(lo, hi),
           jax.grad(f(jax.random, JKEY), argnums=argnum)(lo, hi), rtol=1e-4, atol=1e-5)


def test_grad_under_vmap_of_batched_draws():
    keys = fr.split(KEY, 3)
    lo = np.array([-1.0, 0.0, 0.5], np.float32)

    def f(r):
        return lambda lo: r.uniform(KEY if r is fr else JKEY, (4,), minval=lo, maxval=2.0).sum()
    _close(fl.vmap(fl.grad(f(fr)))(lo), jax.vmap(jax.grad(f(jax.random)))(lo))

    def g(r, s):
        return lambda lo: s.sum(jax.vmap(lambda k, l: r.truncated_normal(k, l, 2.0, (4,)))(
            keys, lo) if r is jax.random else fl.vmap(
            lambda k, l: r.truncated_normal(k, l, 2.0, (4,)))(keys, lo))
    _close(fl.grad(g(fr, fnp))(lo), jax.grad(g(jax.random, jnp))(lo), rtol=1e-4, atol=1e-5)


def test_check_grads_uniform_bounds():
    from functorch_lite.test_util import check_grads
    f = lambda lo, hi: fr.uniform(KEY, (3,), dtype=np.float64, minval=lo, maxval=hi)
    check_grads(f, (np.array([-1.0, 0.0, 1.0]), np.array(3.0)), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("which", ["permutation", "permutation_axis1", "choice", "choice_axis1"])
def test_gather_style_draws_are_differentiable(which):
    w = np.arange(12.0, dtype=np.float32).reshape(3, 4) - 5

    def f(r, s, k):
        def loss(x):
            if which == "permutation":
                y = r.permutation(k, x)
            elif which == "permutation_axis1":
                y = r.permutation(k, x, axis=1, independent=True)
            elif which == "choice":
                y = r.choice(k, x, (3,), replace=False)
            else:
                y = r.choice(k, x, (4,), axis=1)
            return s.sum(s.sin(y / 10) * w[: y.shape[0], : y.shape[1]])
        return loss
    _close(fl.grad(f(fr, fnp, KEY))(X), jax.grad(f(jax.random, jnp, JKEY))(X))


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize("bad", [np.zeros(3, np.uint32), np.zeros((), np.uint32),
                                 np.zeros(2, np.float32), np.zeros(2, np.int32)])
def test_bad_key_raises(bad):
    with pytest.raises((TypeError, ValueError), match="key"):
        fr.normal(bad, (2,))
    with pytest.raises((TypeError, ValueError), match="key"):
        fl.jit(lambda k: fr.normal(k, (2,)))(bad)


def test_batch_of_keys_points_to_vmap():
    with pytest.raises(ValueError, match="vmap"):
        fr.normal(fr.split(KEY, 3), (2,))
    with pytest.raises(ValueError, match="vmap"):
        fl.make_jaxpr(lambda k: fr.uniform(k))(fr.split(KEY, 3))


def test_bad_shape_argument():
    with pytest.raises(TypeError, match="shape"):
        fr.normal(KEY, 3)


def test_make_jaxpr_records_one_equation():
    jaxpr = fl.make_jaxpr(lambda k: fr.normal(k, (3,)))(KEY)
    assert "random_call" in str(jaxpr)
    assert len(jaxpr.jaxpr.eqns) == 1



def test_parameters_not_differentiable_here_raise():
    # JAX differentiates gamma-family draws in their shape parameters (implicit
    # reparametrization); a silent zero here would be a wrong answer, so it raises
    a = np.array([1.5, 2.0], np.float32)
    for f in (lambda a: fr.gamma(KEY, a), lambda a: fr.beta(KEY, a, 2.0),
              lambda a: fr.dirichlet(KEY, a), lambda a: fr.pareto(KEY, a),
              lambda a: fr.multivariate_normal(KEY, a, np.eye(2, dtype=np.float32))):
        with pytest.raises(TypeError, match="is not differentiable with respect to"):
            fl.grad(lambda a: fnp.sum(f(a)))(a)
        with pytest.raises(TypeError, match="is not differentiable with respect to"):
            fl.jvp(f, (a,), (np.ones(2, np.float32),))
    # constants are fine, and a draw that does not depend on the inputs too
    g = fl.grad(lambda x: fnp.sum(x * fr.gamma(KEY, fl.lax.stop_gradient(x))))(a)
    np.testing.assert_allclose(g, np.asarray(jax.random.gamma(JKEY, a)), rtol=1e-6)
    # discrete draws: a zero derivative, as in JAX
    assert float(fl.grad(lambda lam: fnp.sum(fr.poisson(KEY, lam, (3,)).astype(
        fnp.float32)) * lam)(np.float32(2.0))) == float(
        np.sum(np.asarray(jax.random.poisson(JKEY, 2.0, (3,)))))
