"""fl.lax control flow: eager vs jit vs jax.lax, with gradients through cond, switch, scan,
fori_loop, forward mode through while_loop, and vmap of each."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.test_util import check_grads


def both(f_builder, *args, rtol=1e-5, atol=1e-6):
    """Run the same program with (fl, fnp) eagerly, under fl.jit, and with (jax.lax, jnp)."""
    ours = f_builder(fl.lax, fnp)(*args)
    jitted = fl.jit(f_builder(fl.lax, fnp))(*args)
    ref = f_builder(jax.lax, jnp)(*args)
    for o in (ours, jitted):
        for a, b in zip(jax.tree_util.tree_leaves(o), jax.tree_util.tree_leaves(ref)):
            a, b = np.asarray(a), np.asarray(b)
            assert a.dtype == b.dtype, (a.dtype, b.dtype)
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    return ours


def cond_prog(lax, np_):
    return lambda x: lax.cond(np_.sum(x) > 0, lambda y: np_.sin(y) * 2.0, lambda y: y * y, x)


def switch_prog(lax, np_):
    return lambda i, x: lax.switch(i, [lambda y: y + 1.0, lambda y: np_.cos(y), lambda y: y * y],
                                   x)


def scan_prog(lax, np_):
    def f(c0, xs):
        def step(c, x):
            c = np_.tanh(c * x + 0.5)
            return c, c * 2.0
        return lax.scan(step, c0, xs)
    return f


def fori_prog(lax, np_):
    return lambda x: lax.fori_loop(0, 5, lambda i, v: v * 0.9 + np_.sin(v) * i, x)


def while_prog(lax, np_):
    return lambda x: lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * 1.5),
                                    (0, x))


X = np.array([0.3, -1.2, 0.7], np.float32)


def test_cond_matches_jax_both_branches():
    both(cond_prog, X)
    both(cond_prog, -X)


@pytest.mark.parametrize("i", [-1, 0, 1, 2, 7])
def test_switch_clamps_index_like_jax(i):
    both(switch_prog, np.int32(i), X)


def test_scan_matches_jax():
    both(scan_prog, X, np.linspace(-1, 1, 6, dtype=np.float32)[:, None] * np.ones(3, np.float32))


def test_scan_reverse_and_length():
    out = fl.lax.scan(lambda c, x: (c + x, c), 0.0, fnp.arange(4.0), reverse=True)
    ref = jax.lax.scan(lambda c, x: (c + x, c), 0.0, jnp.arange(4.0), reverse=True)
    np.testing.assert_allclose(out[1], ref[1])
    c, ys = fl.lax.scan(lambda c, _: (c * 2.0, c), 1.0, None, length=3)
    np.testing.assert_allclose(ys, [1.0, 2.0, 4.0])


def test_fori_and_while_match_jax():
    both(fori_prog, X)
    both(while_prog, X)


def test_grad_through_cond_switch_scan_fori():
    x64 = X.astype(np.float64)
    check_grads(lambda x: fnp.sum(cond_prog(fl.lax, fnp)(x)), (x64,), order=2)
    check_grads(lambda x: fnp.sum(cond_prog(fl.lax, fnp)(x)), (-x64,), order=2)
    check_grads(lambda x: fnp.sum(switch_prog(fl.lax, fnp)(1, x)), (x64,), order=2)
    xs = np.linspace(-1, 1, 12).reshape(4, 3)
    check_grads(lambda c, xs: fnp.sum(scan_prog(fl.lax, fnp)(c, xs)[1]), (x64, xs), order=2)
    check_grads(lambda x: fnp.sum(fori_prog(fl.lax, fnp)(x)), (x64,), order=2)


def test_grads_equal_jax():
    xs = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
    g = fl.grad(lambda c, xs: fnp.sum(scan_prog(fl.lax, fnp)(c, xs)[1]), argnums=(0, 1))(X, xs)
    r = jax.grad(lambda c, xs: jnp.sum(scan_prog(jax.lax, jnp)(c, xs)[1]), argnums=(0, 1))(X, xs)
    for a, b in zip(g, r):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    gj = fl.jit(fl.grad(lambda x: fnp.sum(fori_prog(fl.lax, fnp)(x))))(X)
    rj = jax.grad(lambda x: jnp.sum(fori_prog(jax.lax, jnp)(x)))(X)
    np.testing.assert_allclose(gj, rj, rtol=1e-5, atol=1e-6)


def test_while_forward_mode_and_reverse_error():
    f = lambda x: while_prog(fl.lax, fnp)(x)[1]
    t = fl.jvp(f, (X,), (np.ones(3, np.float32),))[1]
    rt = jax.jvp(lambda x: while_prog(jax.lax, jnp)(x)[1], (X,), (np.ones(3, np.float32),))[1]
    np.testing.assert_allclose(t, rt, rtol=1e-6)
    with pytest.raises(TypeError, match="while_loop"):
        fl.grad(lambda x: fnp.sum(f(x)))(X)


def test_vmap_of_control_flow():
    xs = np.stack([X, -X, 2 * X])
    for prog in (cond_prog, fori_prog):
        out = fl.vmap(prog(fl.lax, fnp))(xs)
        ref = jax.vmap(prog(jax.lax, jnp))(xs)
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    # batched predicate of a while loop: lanes finish at different times
    f = lambda n, x: fl.lax.while_loop(lambda c: c[0] < n, lambda c: (c[0] + 1, c[1] * 2.0),
                                       (0, x))[1]
    g = lambda n, x: jax.lax.while_loop(lambda c: c[0] < n, lambda c: (c[0] + 1, c[1] * 2.0),
                                        (0, x))[1]
    ns = np.array([1, 3, 0], np.int32)
    np.testing.assert_allclose(fl.vmap(f)(ns, X), jax.vmap(g)(ns, X))
    # scan with a batched carry
    c = fl.vmap(lambda c0: scan_prog(fl.lax, fnp)(c0, np.ones((4, 3), np.float32))[0])(xs)
    r = jax.vmap(lambda c0: scan_prog(jax.lax, jnp)(c0, np.ones((4, 3), np.float32))[0])(xs)
    np.testing.assert_allclose(c, r, rtol=1e-5, atol=1e-6)


def test_control_flow_errors():
    with pytest.raises(TypeError, match="same type"):
        fl.lax.fori_loop(0, 3, lambda i, x: fnp.ones(4), fnp.ones(3))
    with pytest.raises(TypeError, match="identical types|same structure"):
        fl.lax.cond(True, lambda x: x, lambda x: fnp.ones(4), fnp.ones(3))
    with pytest.raises(TypeError, match="scalar boolean"):
        fl.lax.while_loop(lambda c: c, lambda c: c, fnp.ones(3))
