"""fl.lax's convolutions match jax.lax's: values (eager and under fl.jit), gradients of
both operands (first and second order), vmap over either or both operands, and the
errors for bad input."""
import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.test_util import check_grads

R = np.random.default_rng(7)


def _shape(layout, sizes):
    return tuple(sizes[c] for c in layout)


def _case(dn, lhs_sizes, rhs_sizes, default_dn=False, **kw):
    """A configuration: dimension_numbers strings, the operand sizes by dimension letter,
    and conv_general_dilated's keyword arguments (``default_dn`` passes None)."""
    lhs = R.standard_normal(_shape(dn[0], lhs_sizes)).astype(np.float32)
    rhs = R.standard_normal(_shape(dn[1], rhs_sizes)).astype(np.float32)
    kw["dimension_numbers"] = None if default_dn else dn
    return lhs, rhs, kw


NCH, NCHW, NCDHW = ("NCH", "OIH", "NCH"), ("NCHW", "OIHW", "NCHW"), ("NCDHW", "OIDHW", "NCDHW")
NHWC = ("NHWC", "HWIO", "NHWC")
CASES = {
    "1d_valid": _case(NCH, dict(N=2, C=3, H=7), dict(O=4, I=3, H=3), True,
                      window_strides=(1,), padding="VALID"),
    "1d_same_stride2": _case(NCH, dict(N=2, C=3, H=8), dict(O=4, I=3, H=3),
                             window_strides=(2,), padding="SAME"),
    "1d_same_lower_rhs_dil": _case(NCH, dict(N=1, C=2, H=9), dict(O=3, I=2, H=3),
                                   window_strides=(1,), padding="SAME_LOWER",
                                   rhs_dilation=(2,)),
    "1d_neg_pad_lhs_dil": _case(NCH, dict(N=2, C=2, H=6), dict(O=3, I=2, H=2),
                                window_strides=(1,), padding=[(2, -1)], lhs_dilation=(2,)),
    "1d_stride_gt_kernel": _case(("NWC", "WIO", "NWC"), dict(N=1, C=1, W=8), dict(O=2, I=1, W=2),
                                 window_strides=(3,), padding="VALID"),
    "2d_valid": _case(NCHW, dict(N=2, C=3, H=6, W=5), dict(O=4, I=3, H=3, W=2), True,
                      window_strides=(1, 1), padding="VALID"),
    "2d_nhwc_same": _case(NHWC, dict(N=2, C=3, H=6, W=5), dict(O=4, I=3, H=3, W=2),
                          window_strides=(2, 1), padding="SAME"),
    "2d_groups2": _case(NCHW, dict(N=2, C=4, H=5, W=5), dict(O=6, I=2, H=3, W=3),
                        window_strides=(1, 1), padding=[(1, 0), (0, 1)], feature_group_count=2),
    "2d_depthwise": _case(NHWC, dict(N=1, C=3, H=5, W=4), dict(O=3, I=1, H=2, W=2),
                          window_strides=(1, 1), padding="SAME", feature_group_count=3),
    "2d_batch_groups": _case(NCHW, dict(N=4, C=3, H=5, W=5), dict(O=4, I=3, H=3, W=3),
                             window_strides=(1, 1), padding="VALID", batch_group_count=2),
    "2d_odd_layout_dilations": _case(("CHWN", "IOWH", "WNCH"), dict(N=2, C=2, H=5, W=4),
                                     dict(O=3, I=2, H=2, W=3), window_strides=(1, 2),
                                     padding=[(1, 1), (2, 0)], lhs_dilation=(1, 2),
                                     rhs_dilation=(2, 1)),
    "3d_same": _case(NCDHW, dict(N=1, C=2, D=4, H=5, W=3), dict(O=3, I=2, D=2, H=3, W=2),
                     window_strides=(1, 2, 1), padding="SAME"),
    "3d_ndhwc_groups_dil": _case(("NDHWC", "DHWIO", "NDHWC"), dict(N=1, C=2, D=4, H=5, W=3),
                                 dict(O=4, I=1, D=2, H=3, W=2), window_strides=(1, 2, 1),
                                 padding="SAME", rhs_dilation=(2, 1, 1), feature_group_count=2),
}
IDS = list(CASES)


def _conv(lax, kw):
    return lambda lhs, rhs: lax.conv_general_dilated(lhs, rhs, **kw)


def _close(got, want, rtol=1e-5, atol=1e-5):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, \
        (got.shape, got.dtype, want.shape, want.dtype)
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol,
                               atol=atol)


@pytest.mark.parametrize("name", IDS)
def test_values_match_jax_eagerly_and_under_jit(name):
    lhs, rhs, kw = CASES[name]
    want = _conv(jax.lax, kw)(lhs, rhs)
    got = _conv(fl.lax, kw)(lhs, rhs)
    assert isinstance(got, np.ndarray)
    _close(got, want)
    _close(fl.jit(_conv(fl.lax, kw))(lhs, rhs), want)


@pytest.mark.parametrize("name", IDS)
def test_gradients_of_both_operands_match_jax(name):
    lhs, rhs, kw = CASES[name]
    ct = R.standard_normal(np.shape(_conv(jax.lax, kw)(lhs, rhs))).astype(np.float32)

    def loss(lax, np_):
        return lambda a, b: np_.sum(lax.conv_general_dilated(a, b, **kw) * ct)
    want = jax.grad(loss(jax.lax, jnp), (0, 1))(lhs, rhs)
    got = fl.grad(loss(fl.lax, fnp), (0, 1))(lhs, rhs)
    for g, w in zip(got, want):
        _close(g, w, rtol=1e-4, atol=1e-4)
    # forward mode agrees with reverse mode: <ct, J t> == <J^T ct, t>
    t = (R.standard_normal(lhs.shape).astype(np.float32),
         R.standard_normal(rhs.shape).astype(np.float32))
    _, jt = fl.jvp(_conv(fl.lax, kw), (lhs, rhs), t)
    np.testing.assert_allclose(np.sum(np.asarray(jt) * ct),
                               sum(np.sum(np.asarray(g) * ti) for g, ti in zip(got, t)),
                               rtol=1e-4)


@pytest.mark.parametrize("name", ["1d_same_stride2", "1d_neg_pad_lhs_dil", "2d_groups2",
                                  "2d_batch_groups", "2d_odd_layout_dilations",
                                  "3d_ndhwc_groups_dil"])
def test_second_order_matches_finite_differences(name):
    lhs, rhs, kw = CASES[name]
    check_grads(_conv(fl.lax, kw), (lhs.astype(np.float64), rhs.astype(np.float64)), order=2)


@pytest.mark.parametrize("name", ["1d_neg_pad_lhs_dil", "2d_nhwc_same", "2d_groups2",
                                  "2d_batch_groups"])
def test_grad_of_grad_matches_jax(name):
    lhs, rhs, kw = CASES[name]

    def outer(lax, np_, argnums):
        inner = jax.grad if lax is jax.lax else fl.grad

        def loss(a, b):
            return np_.sum(np_.tanh(lax.conv_general_dilated(a, b, **kw)) ** 2)
        return lambda a, b: np_.sum(inner(loss, argnums)(a, b) ** 2)
    for argnums in (0, 1):
        want = jax.jit(jax.grad(outer(jax.lax, jnp, argnums), (0, 1)))(lhs, rhs)
        got = fl.grad(outer(fl.lax, fnp, argnums), (0, 1))(lhs, rhs)
        for g, w in zip(got, want):
            _close(g, w, rtol=2e-4, atol=2e-4)


VMAP_AXES = [(0, None), (None, 0), (0, 0), (2, 1)]


@pytest.mark.parametrize("in_axes", VMAP_AXES, ids=str)
@pytest.mark.parametrize("name", ["1d_neg_pad_lhs_dil", "2d_nhwc_same", "2d_groups2",
                                  "2d_batch_groups", "2d_odd_layout_dilations", "3d_same"])
def test_vmap_over_either_or_both_operands_matches_jax(name, in_axes):
    lhs, rhs, kw = CASES[name]
    lb = lhs if in_axes[0] is None else np.stack([lhs, 2 * lhs, lhs - 1], in_axes[0])
    rb = rhs if in_axes[1] is None else np.stack([rhs, -rhs, 3 * rhs], in_axes[1])
    want = jax.vmap(_conv(jax.lax, kw), in_axes)(lb, rb)
    _close(fl.vmap(_conv(fl.lax, kw), in_axes)(lb, rb), want, rtol=1e-4, atol=1e-4)
    _close(fl.jit(fl.vmap(_conv(fl.lax, kw), in_axes))(lb, rb), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", ["2d_nhwc_same", "2d_batch_groups", "3d_ndhwc_groups_dil"])
def test_per_example_gradients_match_jax(name):
    # vmap of grad over examples of lhs: a batch of one example each (as in DP-SGD)
    lhs, rhs, kw = CASES[name]
    spec = kw["dimension_numbers"]
    n_axis = spec[0].index("N") if spec else 0
    examples = np.expand_dims(lhs, 0)  # the vmapped axis in front of a batch of size N

    def loss(lax, np_):
        return lambda w, x: np_.sum(np_.sin(lax.conv_general_dilated(x, w, **kw)))
    if kw.get("batch_group_count", 1) > 1:  # the batch must stay divisible by the groups
        examples = np.stack([lhs, lhs[::-1] if n_axis == 0 else lhs], 0)
    want = jax.vmap(jax.grad(loss(jax.lax, jnp)), (None, 0))(rhs, examples)
    got = fl.vmap(fl.grad(loss(fl.lax, fnp)), (None, 0))(rhs, examples)
    _close(got, want, rtol=1e-4, atol=1e-4)
    _close(fl.jit(fl.grad(loss(fl.lax, fnp)))(rhs, lhs), jax.grad(loss(jax.lax, jnp))(rhs, lhs),
           rtol=1e-4, atol=1e-4)


def test_jaxpr_holds_one_conv_equation_and_grad_is_convolutions():
    lhs, rhs, kw = CASES["2d_groups2"]
    text = str(fl.make_jaxpr(_conv(fl.lax, kw))(lhs, rhs))
    assert text.count("conv_general_dilated[") == 1
    assert "feature_group_count=2" in text and "padding=((1, 0), (0, 1))" in text
    grad_text = str(fl.make_jaxpr(fl.grad(
        lambda a, b: fnp.sum(fnp.sin(_conv(fl.lax, kw)(a, b))), (0, 1)))(lhs, rhs))
    assert grad_text.count("conv_general_dilated[") == 3  # forward + one per operand
    lin_text = str(fl.make_jaxpr(fl.grad(lambda a, b: fnp.sum(_conv(fl.lax, kw)(a, b)),
                                         (0, 1)))(lhs, rhs))
    assert lin_text.count("conv_general_dilated[") == 2  # a linear loss: no forward pass


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float64])
def test_other_float_dtypes(dtype):
    lhs, rhs, kw = CASES["2d_nhwc_same"]
    x, w = lhs.astype(dtype), rhs.astype(dtype)
    got = _conv(fl.lax, kw)(x, w)
    assert got.dtype == np.dtype(dtype)
    want = _conv(jax.lax, kw)(lhs, rhs)  # float32: jax computes float64 as float32 here
    tol = 1e-5 if dtype == np.float64 else 5e-2
    np.testing.assert_allclose(got.astype(np.float32), np.asarray(want), rtol=tol, atol=tol)
    assert fl.jit(_conv(fl.lax, kw))(x, w).dtype == np.dtype(dtype)
    if dtype != np.float64:
        _close(got, _conv(jax.lax, kw)(x, w), rtol=2e-2, atol=2e-2)


def test_preferred_element_type_and_integers():
    lhs, rhs, kw = CASES["2d_groups2"]
    x16, w16 = lhs.astype(np.float16), rhs.astype(np.float16)
    kw32 = dict(kw, preferred_element_type=np.float32)
    _close(_conv(fl.lax, kw32)(x16, w16), _conv(jax.lax, kw32)(x16, w16), rtol=1e-3, atol=1e-3)
    _close(fl.jit(_conv(fl.lax, kw32))(x16, w16), _conv(jax.lax, kw32)(x16, w16),
           rtol=1e-3, atol=1e-3)
    g = fl.grad(lambda a, b: fnp.sum(_conv(fl.lax, kw32)(a, b)), (0, 1))(x16, w16)
    jg = jax.grad(lambda a, b: jnp.sum(_conv(jax.lax, kw32)(a, b)), (0, 1))(x16, w16)
    for a, b in zip(g, jg):
        _close(a, b, rtol=1e-2, atol=1e-2)
    xi, wi = (R.integers(-3, 4, a.shape).astype(np.int32) for a in (lhs, rhs))
    _close(_conv(fl.lax, kw)(xi, wi), _conv(jax.lax, kw)(xi, wi), rtol=0, atol=0)
    kwf = dict(kw, preferred_element_type=np.float32)
    _close(_conv(fl.lax, kwf)(xi, wi), _conv(jax.lax, kwf)(xi, wi), rtol=0, atol=0)


def test_conv_and_conv_with_general_padding_match_jax():
    x = R.standard_normal((2, 3, 6, 5)).astype(np.float32)
    w = R.standard_normal((4, 3, 3, 2)).astype(np.float32)
    for padding in ("SAME", "VALID"):
        _close(fl.lax.conv(x, w, (2, 1), padding), jax.lax.conv(x, w, (2, 1), padding))
    args = ((1, 2), [(1, 2), (0, -1)], (2, 1), (1, 2))
    _close(fl.lax.conv_with_general_padding(x, w, *args),
           jax.lax.conv_with_general_padding(x, w, *args))
    _close(fl.jit(lambda a, b: fl.lax.conv_with_general_padding(a, b, *args))(x, w),
           jax.lax.conv_with_general_padding(x, w, *args))


TRANSPOSE_CASES = [
    dict(strides=(2,), padding="SAME"),
    dict(strides=(3,), padding="VALID", rhs_dilation=(2,)),
    dict(strides=(2,), padding=[(1, 0)]),
    dict(strides=(2,), padding=[(1, 1)], use_consistent_padding=True),
    dict(strides=(2,), padding="SAME", transpose_kernel=True),
]


@pytest.mark.parametrize("kw", TRANSPOSE_CASES, ids=str)
def test_conv_transpose_matches_jax(kw):
    x = R.standard_normal((2, 5, 3)).astype(np.float32)  # NHC
    w = R.standard_normal((3, 3, 4)).astype(np.float32)  # HIO
    if kw.get("transpose_kernel"):
        w = R.standard_normal((3, 4, 3)).astype(np.float32)  # HOI: swapped by the flag
    want = jax.lax.conv_transpose(x, w, **kw)
    _close(fl.lax.conv_transpose(x, w, **kw), want)
    grads = fl.grad(lambda a, b: fnp.sum(fl.lax.conv_transpose(a, b, **kw) ** 2), (0, 1))(x, w)
    jgrads = jax.grad(lambda a, b: jnp.sum(jax.lax.conv_transpose(a, b, **kw) ** 2), (0, 1))(x, w)
    for g, j in zip(grads, jgrads):
        _close(g, j, rtol=1e-4, atol=1e-4)


def test_conv_transpose_2d_nchw():
    x = R.standard_normal((1, 2, 4, 3)).astype(np.float32)
    w = R.standard_normal((3, 2, 3, 3)).astype(np.float32)
    kw = dict(strides=(2, 2), padding="SAME", dimension_numbers=("NCHW", "OIHW", "NCHW"))
    _close(fl.lax.conv_transpose(x, w, **kw), jax.lax.conv_transpose(x, w, **kw))


@pytest.mark.parametrize("dn", [None, ("NHWC", "HWIO", "NHWC"), ("NCHW", "OIHW", "NCHW"),
                                ("CHWN", "IOWH", "WNCH")])
def test_conv_dimension_numbers_matches_jax(dn):
    want = jax.lax.conv_dimension_numbers((2, 3, 4, 5), (2, 3, 4, 5), dn)
    got = fl.lax.conv_dimension_numbers((2, 3, 4, 5), (2, 3, 4, 5), dn)
    assert got == want and isinstance(got, fl.lax.ConvDimensionNumbers)
    lhs, rhs, kw = CASES["2d_odd_layout_dilations"]
    dn2 = fl.lax.conv_dimension_numbers(lhs.shape, rhs.shape, kw["dimension_numbers"])
    _close(fl.lax.conv_general_dilated(lhs, rhs, kw["window_strides"], kw["padding"],
                                       kw["lhs_dilation"], kw["rhs_dilation"], dn2),
           _conv(jax.lax, kw)(lhs, rhs))


def test_empty_outputs_and_lists():
    x = np.ones((2, 1, 2), np.float32)
    w = np.ones((3, 1, 3), np.float32)
    out = fl.lax.conv(x, w, (1,), "VALID")  # window longer than the input: no positions
    assert out.shape == (2, 3, 0) == jax.lax.conv(x, w, (1,), "VALID").shape
    g = fl.grad(lambda a, b: fnp.sum(fl.lax.conv(a, b, (1,), "VALID")), (0, 1))(x, w)
    assert np.all(g[0] == 0) and np.all(g[1] == 0) and g[1].shape == w.shape
    got = fl.lax.conv([[[1.0, 2.0, 3.0]]], [[[1.0, -1.0]]], (1,), "VALID")
    np.testing.assert_array_equal(got, np.array([[[-1.0, -1.0]]], np.float32))


X2, W2 = np.ones((2, 4, 5, 5), np.float32), np.ones((6, 2, 3, 3), np.float32)
ERRORS = [
    ("rank", lambda: fl.lax.conv(X2, W2[0], (1, 1), "VALID"), TypeError,
     r"same rank.*f32\[2,4,5,5\].*f32\[2,3,3\]"),
    ("features", lambda: fl.lax.conv(X2, W2, (1, 1), "VALID"), ValueError,
     r"lhs feature dimension size 4.*rhs input feature dimension size 2.*lhs shape \(2, 4, 5, 5\)"),
    ("group_divides", lambda: fl.lax.conv_general_dilated(X2, W2, (1, 1), "VALID",
                                                          feature_group_count=3),
     ValueError, r"feature_group_count=3 must divide the lhs feature dimension size 4"),
    ("both_groups", lambda: fl.lax.conv_general_dilated(X2, W2, (1, 1), "VALID",
                                                        feature_group_count=2,
                                                        batch_group_count=2),
     ValueError, "at most one of feature_group_count"),
    ("batch_groups", lambda: fl.lax.conv_general_dilated(X2[:1, :2], W2, (1, 1), "VALID",
                                                         batch_group_count=2),
     ValueError, r"batch_group_count=2 must divide the lhs batch dimension size 1"),
    ("dtype", lambda: fl.lax.conv(X2[:, :2], W2.astype(np.float16), (1, 1), "VALID"),
     TypeError, r"same dtype.*f32\[2,2,5,5\].*f16\[6,2,3,3\].*astype"),
    ("bool", lambda: fl.lax.conv(X2[:, :2] > 0, W2 > 0, (1, 1), "VALID"), TypeError,
     "floating-point or integer"),
    ("strides_len", lambda: fl.lax.conv(X2[:, :2], W2, (1,), "VALID"), TypeError,
     r"window_strides must be a sequence of 2 ints"),
    ("strides_zero", lambda: fl.lax.conv(X2[:, :2], W2, (1, 0), "VALID"), ValueError,
     r"window_strides must hold positive ints"),
    ("padding_name", lambda: fl.lax.conv(X2[:, :2], W2, (1, 1), "FULL"), ValueError,
     r"'VALID', 'SAME', 'SAME_LOWER'.*'FULL'"),
    ("padding_pairs", lambda: fl.lax.conv_general_dilated(X2[:, :2], W2, (1, 1), [(1, 1)]),
     TypeError, r"one \(low, high\) pair per spatial dimension \(2\)"),
    ("negative_pad", lambda: fl.lax.conv_general_dilated(X2[:, :2], W2, (1, 1),
                                                         [(-4, -3), (0, 0)]),
     ValueError, r"negative padding \(-4, -3\) removes more than the size 5"),
    ("string_pad_lhs_dil", lambda: fl.lax.conv_general_dilated(X2[:, :2], W2, (1, 1), "SAME",
                                                               lhs_dilation=(2, 1)),
     ValueError, "conv_transpose"),
    ("dn_string", lambda: fl.lax.conv_general_dilated(X2[:, :2], W2, (1, 1), "SAME",
                                                      dimension_numbers=("NCHW", "OIHW")),
     TypeError, r"bad dimension_numbers.*'NHWC', 'HWIO', 'NHWC'"),
    ("dn_perm", lambda: fl.lax.conv_general_dilated(
        X2[:, :2], W2, (1, 1), "SAME",
        dimension_numbers=fl.lax.ConvDimensionNumbers((0, 1, 2), (0, 1, 2), (0, 1, 2))),
     TypeError, r"dimension_numbers.lhs_spec \(0, 1, 2\) must be a permutation of the 4"),
    ("out_sharding", lambda: fl.lax.conv_general_dilated(X2[:, :2], W2, (1, 1), "SAME",
                                                         out_sharding="x"),
     NotImplementedError, "out_sharding"),
    ("empty_window", lambda: fl.lax.conv(X2[:, :2], W2[..., :0], (1, 1), "VALID"), ValueError,
     r"kernel's spatial dimension 1 \(rhs dim 3\) has size 0"),
    ("pet", lambda: fl.lax.conv(X2[:, :2], W2, (1, 1), "VALID", preferred_element_type=np.int32),
     TypeError, "preferred_element_type int32 is not compatible"),
]


@pytest.mark.parametrize("name,fn,exc,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_the_operands_and_the_fix(name, fn, exc, match):
    with pytest.raises(exc, match=match):
        fn()


def test_errors_at_trace_time_under_jit_and_vmap():
    f = fl.jit(lambda a, b: fl.lax.conv(a, b, (1, 1), "VALID"))
    with pytest.raises(ValueError, match=r"lhs feature dimension size 4.*rhs input feature"):
        f(X2, W2)
    with pytest.raises(ValueError, match="feature"):
        fl.vmap(lambda a: fl.lax.conv(a, W2, (1, 1), "VALID"))(X2[None])


def test_hessian_and_zero_size_vmap_match_jax():
    x = R.standard_normal((1, 2, 5)).astype(np.float32)
    w = R.standard_normal((2, 1, 2)).astype(np.float32)
    kw = dict(window_strides=(2,), padding="SAME", feature_group_count=2)

    def loss(lax, np_):
        return lambda a, b: np_.sum(np_.sin(lax.conv_general_dilated(a, b, **kw)))
    for argnums in (0, 1):
        _close(fl.hessian(loss(fl.lax, fnp), argnums)(x, w),
               jax.jit(jax.hessian(loss(jax.lax, jnp), argnums))(x, w), rtol=1e-5, atol=1e-5)
    empty = np.zeros((0,) + x.shape, np.float32)
    _close(fl.vmap(lambda a: fl.lax.conv_general_dilated(a, w, **kw))(empty),
           jax.vmap(lambda a: jax.lax.conv_general_dilated(a, w, **kw))(empty))


@pytest.mark.parametrize("precision", [None, "highest", jax.lax.Precision.HIGHEST,
                                       (jax.lax.Precision.HIGH, jax.lax.Precision.HIGHEST)],
                         ids=str)
def test_precision_is_accepted_and_passed_to_xla(precision):
    lhs, rhs, kw = CASES["2d_nhwc_same"]
    kw = dict(kw, precision=precision)
    want = _conv(jax.lax, kw)(lhs, rhs)
    _close(_conv(fl.lax, kw)(lhs, rhs), want)
    _close(fl.jit(_conv(fl.lax, kw))(lhs, rhs), want)
