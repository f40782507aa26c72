"""The core IR: printer (against jax.make_jaxpr), type checker, long programs,
closures over outer tracers, constants, and dtype promotion against jax.numpy."""
import itertools
import re
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite.core import (
    ClosedJaxpr,
    Eqn,
    Jaxpr,
    JaxprTypeError,
    Literal,
    ShapedArray,
    Tracer,
    Var,
    check_jaxpr,
    eval_jaxpr,
)
from functorch_lite.ops import elementwise as ew

F32 = np.float32
R = np.random.default_rng(0)
X23 = R.standard_normal((2, 3)).astype(F32)
Y23 = R.standard_normal((2, 3)).astype(F32)
V3 = R.standard_normal(3).astype(F32)
I3 = np.array([1, 2, 3], np.int32)
S = F32(0.5)
T = F32(1.5)


# ----------------------------------------------------------------------------- helpers

def _strip_params(text: str) -> str:
    """Remove every bracket group holding ``=`` (equation params, which may nest jaxprs);
    shape brackets such as ``f32[2,3]`` hold no ``=`` and stay."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "[":
            depth, j = 0, i
            while j < len(text):
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            group = text[i:j + 1]
            if "=" in group:
                i = j + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


_JAXPR_RE = re.compile(r"^\{ lambda (.*?) ?; (.*?)\. let(.*?) in \((.*)\) \}$")
_BINDER = re.compile(r"^([a-z_]+):(\w+\[[\d,]*\])$")
_EQN = re.compile(r"((?:[a-z_]+:\w+\[[\d,]*\] ?)+)= ([a-z_]\w*)((?: (?![a-z_]+:\w+\[)[^ ;]+)*)")


def canonical(text: str) -> str:
    """A jaxpr's text with params removed, layout (line breaks, ``;``) normalised and
    variables renamed in order of first appearance, so two printers' outputs that
    describe the same program compare equal."""
    flat = " ".join(_strip_params(text).split())
    m = _JAXPR_RE.match(flat)
    assert m, f"not a jaxpr text: {flat!r}"
    consts, ins, body, outs = m.groups()
    names: dict = {}

    def rn(tok: str) -> str:
        if tok == "_" or not re.fullmatch(r"[a-z]+", tok):
            return tok  # a literal such as 1.0:f32[] or a dropped variable
        return names.setdefault(tok, f"v{len(names)}")

    def binders(s: str) -> str:
        res = []
        for b in s.split():
            bm = _BINDER.match(b)
            assert bm, f"bad binder {b!r} in {flat!r}"
            res.append(f"{rn(bm.group(1))}:{bm.group(2)}")
        return " ".join(res)

    parts = [binders(consts), ";", binders(ins), ". let"]
    eqns = _EQN.findall(body)
    rebuilt = " ".join(f"{lhs.strip()} = {p}{args}" for lhs, p, args in eqns)
    assert " ".join(rebuilt.split()) == " ".join(body.replace(";", " ").split()), \
        f"could not parse the equations of {flat!r}"
    for lhs, prim, args in eqns:
        parts.append(f"{binders(lhs)} = {prim} {' '.join(rn(a) for a in args.split())};")
    parts.append("in (" + " ".join(rn(o) for o in outs.replace(",", " ").split()) + ")")
    return " ".join(parts)


def ours_and_jax(make, args):
    return str(fl.make_jaxpr(make(fnp))(*args)), str(jax.make_jaxpr(make(jnp))(*args))


# ----------------------------------------------------------------------------- (a) printer

# Programs written against a numpy namespace; our jaxpr must match JAX's structurally.
PRINT_CORPUS = [
    ("sin_mul_add", lambda np_: lambda x, y: np_.add(np_.multiply(np_.sin(x), y), 1.0), (S, T)),
    ("chain", lambda np_: lambda x: np_.exp(np_.tanh(np_.log(x))), (X23,)),
    ("two_unary", lambda np_: lambda x: np_.sin(np_.cos(x)), (S,)),
    ("identity", lambda np_: lambda x: x, (X23,)),
    ("sub_div_int_literal", lambda np_: lambda x, y: np_.divide(np_.subtract(x, y), 2),
     (X23, Y23)),
    ("rank_broadcast", lambda np_: lambda x, v: np_.add(x, v), (X23, V3)),
    ("int_to_float", lambda np_: lambda i: np_.sin(i), (I3,)),
    ("max_literal", lambda np_: lambda x: np_.maximum(x, 0.0), (X23,)),
    ("int_max", lambda np_: lambda i: np_.maximum(i, 0), (I3,)),
    ("numpy_scalar_const", lambda np_: lambda x: np_.multiply(x, np.float32(2)), (V3,)),
    ("array_const", lambda np_: lambda x: np_.multiply(x, V3), (V3,)),
    ("two_outputs", lambda np_: lambda x: (np_.sin(x), x), (V3,)),
    ("reused_input", lambda np_: lambda x: np_.multiply(np_.add(x, x), x), (X23,)),
    ("min_sub", lambda np_: lambda x, y: np_.minimum(np_.subtract(x, y), y), (X23, Y23)),
    ("dot", lambda np_: lambda x, v: np_.dot(x, v), (X23, V3)),
]


@pytest.mark.parametrize("name,make,args", PRINT_CORPUS, ids=[c[0] for c in PRINT_CORPUS])
def test_printer_matches_jax_structurally(name, make, args):
    ours, theirs = ours_and_jax(make, args)
    assert canonical(ours) == canonical(theirs), f"\nours:\n{ours}\njax:\n{theirs}"


def test_canonical_catches_differences():
    a = "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }"
    assert canonical(a) == canonical("{ lambda ; q:f32[]. let\n    z:f32[] = sin q\n  in (z,) }")
    assert canonical(a) != canonical("{ lambda ; a:f32[]. let b:f32[] = cos a in (b,) }")
    assert canonical(a) != canonical("{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) }")
    two = "{ lambda ; a:f32[] b:f32[]. let c:f32[] = mul a b; d:f32[] = add c 1.0:f32[] in (d,) }"
    assert canonical(two) != canonical(two.replace("mul a b", "mul b a"))


def test_printer_exact_sin_mul_add():
    f = lambda x, y: fnp.add(fnp.multiply(fnp.sin(x), y), 1.0)
    expected = ("{ lambda ; a:f32[] b:f32[]. let\n"
                "    c:f32[] = sin a\n"
                "    d:f32[] = mul c b\n"
                "    e:f32[] = add d 1.0:f32[]\n"
                "  in (e,) }")
    assert str(fl.make_jaxpr(f)(S, T)) == expected
    assert str(jax.make_jaxpr(lambda x, y: jnp.sin(x) * y + 1.0)(S, T)) == expected


def test_printer_exact_with_operators():
    """The same program written with the tracer operators prints the same text."""
    ours = str(fl.make_jaxpr(lambda x, y: fnp.sin(x) * y + 1.0)(S, T))
    assert ours == str(jax.make_jaxpr(lambda x, y: jnp.sin(x) * y + 1.0)(S, T))


# Programs where JAX's layout is the long (one equation per line) form, or the short
# one-line form: str() must equal JAX's text exactly in both.
EXACT_CORPUS = [
    ("multi_line", lambda np_: lambda x: np_.exp(np_.tanh(np_.log(x))), (X23,)),
    ("sub_div", lambda np_: lambda x, y: np_.divide(np_.subtract(x, y), 2), (X23, Y23)),
    ("int_to_float", lambda np_: lambda i: np_.sin(i), (I3,)),
    ("identity", lambda np_: lambda x: x, (X23,)),
    ("one_line_one_eqn", lambda np_: lambda x: np_.sin(x), (V3,)),
    ("one_line_two_eqns", lambda np_: lambda x: np_.sin(np_.cos(x)), (S,)),
    ("one_line_two_outputs", lambda np_: lambda x: (np_.sin(x), x), (V3,)),
    ("one_line_const", lambda np_: lambda x: np_.multiply(x, V3), (V3,)),
]


@pytest.mark.parametrize("name,make,args", EXACT_CORPUS, ids=[c[0] for c in EXACT_CORPUS])
def test_printer_layout_exactly_as_jax(name, make, args):
    ours, theirs = ours_and_jax(make, args)
    assert ours == theirs, f"\nours:\n{ours}\njax:\n{theirs}"


def _only_eqn(cj: ClosedJaxpr) -> Eqn:
    (eqn,) = cj.jaxpr.eqns
    return eqn


def test_params_broadcast_in_dim():
    eqn = fl.make_jaxpr(fnp.add)(X23, V3).jaxpr.eqns[0]
    assert eqn.prim.name == "broadcast_in_dim"
    assert eqn.params["shape"] == (1, 3)
    assert eqn.params["broadcast_dimensions"] == (1,)
    assert "broadcast_dimensions=(1,)" in str(fl.make_jaxpr(fnp.add)(X23, V3))


def test_params_convert_element_type():
    eqn = fl.make_jaxpr(fnp.sin)(I3).jaxpr.eqns[0]
    assert eqn.prim.name == "convert_element_type"
    assert eqn.params["new_dtype"] == np.float32
    assert eqn.params["weak_type"] is False
    # the param text is JAX's own here
    ours = str(fl.make_jaxpr(fnp.sin)(I3))
    theirs = str(jax.make_jaxpr(jnp.sin)(I3))
    assert "convert_element_type[new_dtype=float32 weak_type=False]" in ours
    assert "convert_element_type[new_dtype=float32 weak_type=False]" in theirs


def test_params_dot_general():
    eqn = _only_eqn(fl.make_jaxpr(fnp.dot)(X23, V3))
    assert eqn.prim.name == "dot_general"
    (lc, rc), (lb, rb) = eqn.params["dimension_numbers"]
    assert (tuple(lc), tuple(rc), tuple(lb), tuple(rb)) == ((1,), (0,), (), ())
    assert eqn.outvars[0].aval == ShapedArray((2,), F32)


def test_literals_print_with_type():
    assert "mul a 2.0:f32[]" in str(fl.make_jaxpr(lambda x: fnp.multiply(x, 2.0))(V3))
    assert "max a 0:i32[]" in str(fl.make_jaxpr(lambda i: fnp.maximum(i, 0))(I3))


def test_bool_max_and_literal_as_jax():
    b = np.array([True, False])
    # JAX records max here; an equivalent `or` is fine, the literal must print as JAX's
    ours = str(fl.make_jaxpr(lambda x: fnp.maximum(x, True))(b))
    assert re.search(r"= (max|or) a True:bool\[\]", ours), ours
    np.testing.assert_array_equal(fnp.maximum(b, False), b)


def test_variable_names_past_z():
    def f(x):
        for _ in range(30):
            x = fnp.sin(x)
        return x
    text = str(fl.make_jaxpr(f)(S))
    # a, ..., z, then ba, bb, ... as JAX does
    assert "ba:f32[] = sin z" in text
    assert text == str(jax.make_jaxpr(_jsin30)(S))


def _jsin30(x):
    for _ in range(30):
        x = jnp.sin(x)
    return x


# ----------------------------------------------------------------------------- (b) type checker

f32_3 = ShapedArray((3,), F32)


def _sin_eqn(inv, outv):
    return Eqn(ew.sin_p, [inv], [outv], {})


def test_check_accepts_well_typed():
    a = Var(f32_3)
    b = Var(f32_3)
    c = Var(f32_3)
    d = Var(f32_3)
    jaxpr = Jaxpr([], [a, b], [_sin_eqn(a, c), Eqn(ew.add_p, [c, b], [d], {})], [d, a])
    check_jaxpr(jaxpr)
    check_jaxpr(ClosedJaxpr(jaxpr, []))
    # a literal operand and a constvar
    k = Var(f32_3)
    e = Var(f32_3)
    lit = Literal(np.float32(1.0), ShapedArray((), F32, True))
    j2 = Jaxpr([k], [a], [Eqn(ew.mul_p, [a, lit], [e], {})], [e, k])
    check_jaxpr(ClosedJaxpr(j2, [np.ones(3, F32)]))


def test_check_accepts_traced_programs():
    progs = [(lambda x, y: fnp.add(fnp.multiply(fnp.sin(x), y), 1.0), (S, T)),
             (lambda x, v: fnp.dot(fnp.add(x, v), v), (X23, V3)),
             (lambda i: fnp.sin(i), (I3,)),
             (fl.grad(lambda x: fnp.sin(fnp.multiply(x, x))), (S,)),
             (lambda x: fl.jvp(fnp.tanh, (x,), (x,)), (V3,))]
    for f, args in progs:
        check_jaxpr(fl.make_jaxpr(f)(*args))


def test_check_rejects_wrong_output_shape():
    a, b = Var(f32_3), Var(ShapedArray((4,), F32))
    with pytest.raises(JaxprTypeError, match=r"sin.*f32\[4\].*f32\[3\]"):
        check_jaxpr(Jaxpr([], [a], [_sin_eqn(a, b)], [b]))


def test_check_rejects_wrong_dtype():
    a, b = Var(f32_3), Var(ShapedArray((3,), np.float64))
    with pytest.raises(JaxprTypeError, match=r"f64\[3\].*f32\[3\]"):
        check_jaxpr(Jaxpr([], [a], [_sin_eqn(a, b)], [b]))


def test_check_rejects_use_before_definition():
    a, b, c = Var(f32_3), Var(f32_3), Var(f32_3)
    # c is used by the first equation but defined by the second
    eqns = [Eqn(ew.add_p, [a, c], [b], {}), _sin_eqn(a, c)]
    with pytest.raises(JaxprTypeError, match="before it is defined"):
        check_jaxpr(Jaxpr([], [a], eqns, [b]))
    # an output that nothing defines
    with pytest.raises(JaxprTypeError, match="before it is defined"):
        check_jaxpr(Jaxpr([], [a], [], [Var(f32_3)]))


def test_check_rejects_double_binding():
    a, b = Var(f32_3), Var(f32_3)
    with pytest.raises(JaxprTypeError, match="bound twice"):
        check_jaxpr(Jaxpr([], [a], [_sin_eqn(a, b), _sin_eqn(a, b)], [b]))
    with pytest.raises(JaxprTypeError, match="bound twice"):  # rebinding an input
        check_jaxpr(Jaxpr([], [a], [_sin_eqn(a, a)], [a]))
    with pytest.raises(JaxprTypeError, match="bound twice"):  # same var as two inputs
        check_jaxpr(Jaxpr([], [a, a], [], [a]))


def test_check_rejects_wrong_number_of_outputs():
    a, b, c = Var(f32_3), Var(f32_3), Var(f32_3)
    with pytest.raises(JaxprTypeError, match="1 outputs.*binds 2"):
        check_jaxpr(Jaxpr([], [a], [Eqn(ew.sin_p, [a], [b, c], {})], [b]))
    with pytest.raises(JaxprTypeError, match="1 outputs.*binds 0"):
        check_jaxpr(Jaxpr([], [a], [Eqn(ew.sin_p, [a], [], {})], [a]))


def test_check_rejects_ill_typed_operands():
    a, b, c = Var(f32_3), Var(ShapedArray((4,), F32)), Var(f32_3)
    with pytest.raises(JaxprTypeError, match=r"add.*\(3,\).*\(4,\)"):
        check_jaxpr(Jaxpr([], [a, b], [Eqn(ew.add_p, [a, b], [c], {})], [c]))
    i = Var(ShapedArray((3,), np.int32))
    with pytest.raises(JaxprTypeError, match="add"):  # mixed dtypes need a convert first
        check_jaxpr(Jaxpr([], [a, i], [Eqn(ew.add_p, [a, i], [c], {})], [c]))


def test_check_error_is_a_type_error():
    assert issubclass(JaxprTypeError, TypeError)


# ----------------------------------------------------------------------------- (c) long programs

class _low_recursion_limit:
    """Proves a walk is iterative: Python frames are capped at ``limit``."""

    def __init__(self, limit: int = 500):
        self.limit = limit

    def __enter__(self):
        self.old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.limit, _depth() + 150))

    def __exit__(self, *exc):
        sys.setrecursionlimit(self.old)


def _depth() -> int:
    f, n = sys._getframe(), 0
    while f is not None:
        f, n = f.f_back, n + 1
    return n


def test_100k_equation_chain_traces_prints_checks_evaluates():
    n = 100_000

    def f(x):
        for _ in range(n):
            x = x + 1.0
        return x

    with _low_recursion_limit():
        cj = fl.make_jaxpr(f)(S)
        assert len(cj.jaxpr.eqns) == n
        text = str(cj)
        check_jaxpr(cj)
        (out,) = eval_jaxpr(cj.jaxpr, cj.consts, np.float32(2.0))
    assert text.count("\n") == n + 1
    assert out.dtype == F32 and out == 2.0 + n


def test_100k_equation_chain_dce_keeps_everything_live():
    def f(x):
        dead = fnp.sin(x)  # noqa: F841  (not an output: dropped)
        for _ in range(100_000):
            x = fnp.multiply(x, 1.0)
        return x
    with _low_recursion_limit():
        cj = fl.make_jaxpr(f)(S)
    assert len(cj.jaxpr.eqns) == 100_000
    assert all(e.prim.name == "mul" for e in cj.jaxpr.eqns)


def test_grad_through_10k_chain():
    n = 10_000

    def f(x):
        for _ in range(n):
            x = fnp.sin(x)
        return x

    x0 = np.float32(0.7)
    with _low_recursion_limit():
        g = fl.grad(f)(x0)
        cj = fl.make_jaxpr(fl.grad(f))(x0)
    # d/dx sin^n(x) = prod_k cos(x_k) with x_k the k-th iterate
    xs, d = x0, np.float32(1.0)
    for _ in range(n):
        d = d * np.cos(xs)
        xs = np.sin(xs)
    assert np.asarray(g).dtype == F32
    np.testing.assert_allclose(g, d, rtol=2e-3)
    with _low_recursion_limit():
        (g2,) = eval_jaxpr(cj.jaxpr, cj.consts, x0)
    np.testing.assert_allclose(g2, d, rtol=2e-3)


# ----------------------------------------------------------------------------- (d) closures, consts

def test_nested_grad_closure_fnp():
    f = fl.grad(lambda x: fl.grad(lambda y: fnp.multiply(x, y))(1.0))
    assert f(2.0) == 1.0
    assert fl.grad(lambda x: fl.grad(lambda y: fnp.multiply(fnp.multiply(x, x), y))(1.0))(3.0) \
        == 6.0


def test_nested_grad_closure():
    assert fl.grad(lambda x: fl.grad(lambda y: x * y)(1.0))(2.0) == 1.0
    # perturbations of the two levels stay apart: d/dx [x * d/dy (x * y)] = 2x
    assert fl.grad(lambda x: x * fl.grad(lambda y: x * y)(3.0))(2.0) == 4.0
    # jvp of grad closing over the outer primal
    out, tan = fl.jvp(lambda x: fl.grad(lambda y: x * y * y)(1.0), (F32(2.0),), (F32(1.0),))
    assert out == 4.0 and tan == 2.0


def test_nested_make_jaxpr_closure_is_a_constvar():
    inner = []

    def outer(x):
        inner.append(fl.make_jaxpr(lambda y: x * y)(1.0))
        return fnp.sin(x)

    outer_cj = fl.make_jaxpr(outer)(2.0)
    (cj,) = inner
    assert len(cj.jaxpr.constvars) == 1
    assert cj.jaxpr.constvars[0].aval.shape == () and cj.jaxpr.constvars[0].aval.dtype == F32
    assert isinstance(cj.consts[0], Tracer)  # the outer trace's x
    eqn = _only_eqn(cj)
    assert eqn.invars[0] is cj.jaxpr.constvars[0]
    assert eqn.invars[1] is cj.jaxpr.invars[0]
    assert str(cj) == "{ lambda a:f32[]; b:f32[]. let c:f32[] = mul a b in (c,) }" or \
        canonical(str(cj)) == canonical("{ lambda a:f32[]; b:f32[]. let c:f32[] = mul a b "
                                         "in (c,) }")
    # the outer program does not see the inner one (it only used x)
    assert [e.prim.name for e in outer_cj.jaxpr.eqns] == ["sin"]


def test_closure_jaxpr_matches_jax():
    ours, theirs = [], []

    def outer(np_, mk, store):
        def f(x):
            store.append(mk(lambda y: np_.add(np_.multiply(x, y), y))(1.0))
            return x
        return f

    fl.make_jaxpr(outer(fnp, fl.make_jaxpr, ours))(2.0)
    jax.make_jaxpr(outer(jnp, jax.make_jaxpr, theirs))(2.0)
    assert canonical(str(ours[0])) == canonical(str(theirs[0]))


def test_ops_on_closed_over_values_only_belong_to_the_outer_trace():
    """By design (one rule: an equation goes to the innermost trace among its
    operands), ``sin(x)`` of an outer ``x`` is recorded in the outer program and the
    inner program closes over its result (JAX, with its dynamic trace stack, would
    record it in the inner one; the values are the same)."""
    inner = []

    def outer(x):
        inner.append(fl.make_jaxpr(lambda y: fnp.multiply(fnp.sin(x), y))(1.0))
        return x

    fl.make_jaxpr(outer)(2.0)
    assert [e.prim.name for e in inner[0].jaxpr.eqns] == ["mul"]
    assert len(inner[0].jaxpr.constvars) == 1
    g = fl.grad(lambda x: fl.grad(lambda y: fnp.multiply(fnp.sin(x), y))(1.0))(0.5)
    np.testing.assert_allclose(g, np.cos(0.5), rtol=1e-6)


def test_numpy_array_constant_is_a_constvar():
    c = np.arange(3, dtype=F32) + 0.25
    cj = fl.make_jaxpr(lambda x: x * c + c)(V3)
    assert len(cj.jaxpr.constvars) == 1  # the same array once
    assert cj.jaxpr.constvars[0].aval == ShapedArray((3,), F32)
    np.testing.assert_array_equal(cj.consts[0], c)
    (out,) = eval_jaxpr(cj.jaxpr, cj.consts, V3)
    np.testing.assert_allclose(out, V3 * c + c, rtol=1e-6)
    # evaluating with other const values uses them
    (out2,) = eval_jaxpr(cj.jaxpr, [np.ones(3, F32)], V3)
    np.testing.assert_allclose(out2, V3 + 1, rtol=1e-6)


def test_closed_jaxpr_call_convention():
    cj = fl.make_jaxpr(lambda x: fnp.multiply(x, V3))(V3)
    (a,) = eval_jaxpr(cj, V3)
    (b,) = eval_jaxpr(cj.jaxpr, cj.consts, V3)
    np.testing.assert_array_equal(a, V3 * V3)
    np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- (e) promotion

SAMPLES = {
    "float32": np.array([1.5, -2.0], np.float32),
    "float64": np.array([1.5, -2.0], np.float64),
    "int32": np.array([3, -4], np.int32),
    "bool": np.array([True, False]),
    "py_int": 3,
    "py_float": 2.5,
}
PAIRS = list(itertools.product(SAMPLES, repeat=2))


def _jax_result(x, y):
    x64 = "float64" in (x, y)
    with jax.enable_x64(x64):
        a, b = SAMPLES[x], SAMPLES[y]
        out = jnp.add(a, b)
        aval = jax.make_jaxpr(jnp.add)(a, b).out_avals[0]
        return np.dtype(out.dtype), np.asarray(out), aval.weak_type


@pytest.mark.parametrize("x,y", PAIRS, ids=[f"{a}+{b}" for a, b in PAIRS])
def test_add_promotion_matches_jax(x, y):
    a, b = SAMPLES[x], SAMPLES[y]
    jdt, jval, jweak = _jax_result(x, y)
    out = fnp.add(a, b)
    assert np.asarray(out).dtype == jdt
    np.testing.assert_allclose(np.asarray(out, dtype=np.float64),
                               np.asarray(jval, dtype=np.float64))
    # the same under tracing, weak type included
    aval = fl.make_jaxpr(fnp.add)(a, b).out_avals[0]
    assert aval.dtype == jdt
    assert aval.weak_type == jweak


@pytest.mark.parametrize("x,y", PAIRS, ids=[f"{a}*{b}" for a, b in PAIRS])
def test_multiply_promotion_matches_jax(x, y):
    a, b = SAMPLES[x], SAMPLES[y]
    with jax.enable_x64("float64" in (x, y)):
        jdt = np.dtype(jnp.multiply(a, b).dtype)
    assert np.asarray(fnp.multiply(a, b)).dtype == jdt


def test_weak_scalar_keeps_array_dtype_under_tracing():
    for dt in (np.float32, np.float64, np.int32):
        arr = np.ones(2, dt)
        cj = fl.make_jaxpr(lambda x: fnp.multiply(x, 2))(arr)
        assert cj.out_avals[0].dtype == dt
        lit = cj.jaxpr.eqns[-1].invars[1]
        assert isinstance(lit, Literal) and lit.aval.dtype == dt
