"""fl.viz: computational graphs with forward values and gradients, as the lectures draw them."""
from __future__ import annotations

import re
import shutil
import sys
import time

import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp
from functorch_lite import viz

HAVE_DOT = shutil.which("dot") is not None


def circuit(x, y, z):
    q = x + y
    return q * z


def neuron(w, x):
    return 1.0 / (1.0 + fnp.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


W_LEC, X_LEC = (2.0, -3.0, -3.0), (-1.0, -2.0)


def _edge(g, src_name, dst_op):
    hits = [e for e in g.edges if e.wire.name == src_name and (e.dst.op or e.dst.label) == dst_op]
    assert len(hits) == 1, hits
    return hits[0]


# ----------------------------------------------------------------------------- lecture values

def test_circuit_values_and_gradients():
    g = viz.graph(circuit, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
    assert [w.name for w in g.inputs] == ["x", "y", "z"]
    assert [float(g.value(n)) for n in "xyz"] == [-2.0, 5.0, -4.0]
    assert [float(g.grad(n)) for n in "xyz"] == [-4.0, -4.0, 3.0]
    add, mul = g.find("add"), g.find("mul")
    assert add.label == "+" and mul.label == "*"
    q, f = add.outputs[0], mul.outputs[0]
    assert (float(q.value), float(q.grad)) == (3.0, -4.0)     # q = 3, dq = -4
    assert (float(f.value), float(f.grad)) == (-12.0, 1.0)    # f = -12, df = 1
    assert mul.inputs[0] is q and [w.name for w in add.inputs] == ["x", "y"]
    # the right edges carry them: x, y into +, z and q into *, f to the output
    for name, op, val, grad in [("x", "add", -2, -4), ("y", "add", 5, -4),
                                ("z", "mul", -4, 3), (q.name, "mul", 3, -4)]:
        e = _edge(g, name, op)
        assert (float(e.value), float(e.grad)) == (val, grad)
    (out_edge,) = [e for e in g.edges if e.dst.kind == "output"]
    assert out_edge.src is mul and (float(out_edge.value), float(out_edge.grad)) == (-12, 1)
    assert float(g.out) == -12.0
    ref = fl.grad(circuit, argnums=(0, 1, 2))(-2.0, 5.0, -4.0)
    np.testing.assert_allclose([float(v) for v in g.grads], [float(v) for v in ref])


def test_argnums_selects_the_differentiated_inputs():
    g = viz.graph(circuit, -2.0, 5.0, -4.0)  # argnums=0, like fl.grad
    assert float(g.grad("x")) == -4.0
    assert g.grad("y") is None and g.grad("z") is None   # not differentiated: no gradient
    assert float(g.grads) == -4.0
    assert _edge(g, "z", "mul").grad is None
    assert float(g.find("add").outputs[0].grad) == -4.0


def test_sigmoid_neuron_lecture_numbers():
    g = viz.graph(neuron, W_LEC, X_LEC, argnums=(0, 1))
    assert [w.name for w in g.inputs] == ["w0", "w1", "w2", "x0", "x1"]
    assert float(g.out) == pytest.approx(0.7311, abs=1e-4)
    assert round(float(g.out), 2) == 0.73
    dw, dx = g.grads
    np.testing.assert_allclose([float(v) for v in dw], [-0.1966, -0.3932, 0.1966], atol=1e-3)
    np.testing.assert_allclose([float(v) for v in dx], [0.3932, -0.5898], atol=1e-3)
    assert [round(float(v), 2) for v in dw] == [-0.20, -0.39, 0.20]
    assert [round(float(v), 2) for v in dx] == [0.39, -0.59]
    # the gates of the lecture, left to right
    assert [n.label for n in g.ops] == ["*", "*", "+", "+", "neg", "exp", "+1", "1/x"]
    # the gradients on the inner wires of the lecture: 0.20 into neg, -0.53 after exp
    assert float(g.find("neg").inputs[0].grad) == pytest.approx(0.1966, abs=1e-3)
    assert float(g.find("exp").outputs[0].grad) == pytest.approx(-0.5344, abs=1e-3)
    assert float(g.find("exp").outputs[0].value) == pytest.approx(0.3679, abs=1e-4)
    ref = fl.grad(neuron, argnums=(0, 1))(W_LEC, X_LEC)
    for a, b in zip(fl.tree_util.tree_leaves(g.grads), fl.tree_util.tree_leaves(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_literal_gates_are_named_like_the_lecture():
    def f(x):
        return 1.0 / (fnp.exp(x * -1.0) + 1.0) - 2.0
    g = viz.graph(f, 0.5)
    assert [n.label for n in g.ops] == ["*-1", "exp", "+1", "1/x", "-2"]


def test_fan_out_edges_carry_their_share_of_the_gradient():
    g = viz.graph(lambda x: x * x + 3.0 * x, 2.0)
    shares = sorted(float(e.grad) for e in g.edges if e.wire.name == "x")
    assert shares == [2.0, 2.0, 3.0]            # d(x*x) per operand, d(3x)
    assert float(g.grad("x")) == 7.0            # their sum: the copy gate adds gradients
    assert "Σ grad 7" in g.to_dot()


def test_grads_false_and_vector_output():
    g = viz.graph(circuit, -2.0, 5.0, -4.0, grads=False)
    assert g.grads is None and all(w.grad is None for w in g.wires.values())
    assert "forward values only" in g.to_dot()
    x = np.array([1.0, 2.0, 3.0], np.float32)
    g = viz.graph(lambda x: fnp.sin(x) * 2.0, x)   # non-scalar: gradient of the sum
    np.testing.assert_allclose(g.grads, 2 * np.cos(x), rtol=1e-6)
    assert "sum of the output" in g.to_dot()


def test_input_names_from_pytrees_and_integers():
    params = {"W": np.ones((2, 3), np.float32), "b": np.zeros(3, np.float32)}

    def f(params, x, n):
        return fnp.sum(fnp.tanh(x @ params["W"] + params["b"])) * n
    g = viz.graph(f, params, np.ones((4, 2), np.float32), 2)
    assert [w.name for w in g.inputs] == ["params.W", "params.b", "x", "n"]
    assert g.grad("x") is None and g.grad("n") is None
    ref = fl.grad(f)(params, np.ones((4, 2), np.float32), 2)
    np.testing.assert_allclose(g.grads["W"], ref["W"], rtol=1e-6)
    np.testing.assert_allclose(g.grads["b"], ref["b"], rtol=1e-6)


def test_summaries():
    assert viz.summarize(np.float32(0.7310586)) == "0.731"
    assert viz.summarize(np.float32(-12.0)) == "-12"
    assert viz.summarize(np.array([1.0, 2.5])) == "[1, 2.5]"
    s = viz.summarize(np.arange(20.0, dtype=np.float32).reshape(4, 5))
    assert s.startswith("f32[4,5] [0, 1, 2, …]") and "min 0" in s and "max 19" in s
    g = viz.graph(lambda x: fnp.sum(x * 2.0), np.arange(12.0, dtype=np.float32))
    w = g.find("mul").outputs[0]
    assert w.shape == (12,) and w.dtype == np.float32
    assert "f32[12]" in w.summary and "max 22" in w.summary


# ----------------------------------------------------------------------------- DOT

_NODE = re.compile(r"^\s*((?:b_)?(?:in|c|op|s|out))(\d+) \[", re.M)
_EDGE = re.compile(r"^\s*(\w+) -> (\w+) \[label=<", re.M)


def _dot_nodes(dot):
    return [m.group(1) + m.group(2) for m in _NODE.finditer(dot)]


def _check_structure(dot):
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")
    assert "rankdir=LR" in dot
    nodes = set(_dot_nodes(dot))
    edges = _EDGE.findall(dot)
    assert edges and all(a in nodes and b in nodes for a, b in edges)
    return nodes, edges


@pytest.mark.parametrize("which", ["circuit", "neuron"])
def test_dot_one_node_per_equation_and_input(which):
    if which == "circuit":
        g = viz.graph(circuit, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
        n_in = 3
    else:
        g = viz.graph(neuron, W_LEC, X_LEC, argnums=(0, 1))
        n_in = 5
    dot = g.to_dot()
    nodes, edges = _check_structure(dot)
    n_eqns = len(g.jaxpr.eqns)
    assert sum(n.startswith("op") for n in nodes) == n_eqns
    assert sum(n.startswith("in") for n in nodes) == n_in
    assert sum(n.startswith("out") for n in nodes) == 1      # the output terminal
    assert len(nodes) == n_eqns + n_in + 1
    assert len(edges) == len(g.edges)
    # every edge is labelled with the value (green) above the gradient (red)
    labels = re.findall(r"-> \w+ \[label=(<.*?>), tooltip", dot)
    assert len(labels) == len(edges)
    assert all(viz.VALUE_COLOR in lab and viz.GRAD_COLOR in lab for lab in labels)
    assert all(lab.index(viz.VALUE_COLOR) < lab.index(viz.GRAD_COLOR) for lab in labels)
    assert "forward value" in dot and "gradient" in dot         # the legend
    if which == "circuit":
        assert 'label="x"' in dot and 'label="+"' in dot and 'label="*"' in dot
        assert ">-12<" in dot and ">-4<" in dot and ">3<" in dot


def test_dot_parses_with_graphviz():
    dot = viz.graph(neuron, W_LEC, X_LEC, argnums=(0, 1), backward=True).to_dot()
    _check_structure(dot)
    try:
        import pydot
    except ImportError:
        pydot = None
    if pydot is not None:
        assert pydot.graph_from_dot_data(dot)
    if HAVE_DOT:
        import subprocess
        res = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True,
                             timeout=60)
        assert res.returncode == 0, res.stderr.decode()
        assert b"Warning" not in res.stderr and b"Error" not in res.stderr
        assert res.stdout.lstrip().startswith(b"<?xml") or b"<svg" in res.stdout


def test_backward_program_cluster():
    g = viz.graph(circuit, -2.0, 5.0, -4.0, argnums=(0, 1, 2), backward=True)
    b = g.backward
    assert b is not None and [w.name for w in b.inputs] == ["x", "y", "z"]
    assert [n.label for n in b.nodes if n.kind == "output"] == ["dx", "dy", "dz"]
    assert [float(w.value) for w in b.outputs] == [-4.0, -4.0, 3.0]
    # it is the DCE'd gradient program: every equation feeds an output
    used = {id(e.src) for e in b.edges}
    assert all(id(n) in used for n in b.nodes if n.kind == "op")
    dot = g.to_dot()
    assert "subgraph cluster_forward" in dot and "subgraph cluster_backward" in dot
    assert dot.count("b_op") >= len(b.jaxpr.eqns)


# ----------------------------------------------------------------------------- scopes, limits

def _mlp(params, x):
    h = x
    for i, (W, b) in enumerate(params):
        with viz.named_scope(f"layer{i}"):
            h = fnp.tanh(h @ W + b)
    with viz.named_scope("loss"):
        return fnp.mean(h ** 2)


def _mlp_args():
    rng = np.random.default_rng(0)
    params = [(rng.normal(size=(3, 4)).astype(np.float32), np.zeros(4, np.float32)),
              (rng.normal(size=(4, 2)).astype(np.float32), np.zeros(2, np.float32))]
    return params, rng.normal(size=(5, 3)).astype(np.float32)


def test_named_scope_collapse():
    params, x = _mlp_args()
    full = viz.graph(_mlp, params, x)
    assert {n.scope for n in full.ops} == {"layer0", "layer1", "loss"}
    g = viz.graph(_mlp, params, x, collapse=True)
    assert [n.kind for n in g.ops] == ["scope"] * 3
    assert [n.scope for n in g.ops] == ["layer0", "layer1", "loss"]
    l0, l1, loss = g.ops
    assert [w.name for w in l0.inputs] == ["x", "params[0][0]", "params[0][1]"]
    # the wire between the boxes keeps its value and gradient
    (h0,) = l0.outputs
    assert h0 in l1.inputs
    full_h0 = [n for n in full.ops if n.scope == "layer0"][-1].outputs[0]
    np.testing.assert_allclose(h0.value, full_h0.value)
    np.testing.assert_allclose(h0.grad, full_h0.grad)
    assert "layer0" in l0.label and "tanh" in l0.label
    _, edges = _check_structure(g.to_dot())
    assert len(_dot_nodes(g.to_dot())) == 5 + 3 + 1
    ref = fl.grad(_mlp)(params, x)
    for a, b in zip(fl.tree_util.tree_leaves(g.grads), fl.tree_util.tree_leaves(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    # only some scopes
    g1 = viz.graph(_mlp, params, x, collapse=["layer1"])
    assert [n.scope for n in g1.ops if n.kind == "scope"] == ["layer1"]
    assert len(g1.ops) == len(full.ops) - len([n for n in full.ops if n.scope == "layer1"]) + 1
    with pytest.raises(ValueError, match="layer7.*layer0"):
        viz.graph(_mlp, params, x, collapse=["layer7"])


def test_nested_scopes_and_decorator():
    @viz.named_scope("inner")
    def inner(x):
        return fnp.sin(x) * 2.0

    def f(x):
        with viz.named_scope("outer"):
            y = inner(x) + 1.0
        return fnp.exp(y)
    g = viz.graph(f, 0.3)
    assert [n.scope for n in g.ops] == ["outer/inner", "outer/inner", "outer", None]
    assert [n.label.split("\n")[0] for n in viz.graph(f, 0.3, collapse=True).ops] == \
        ["outer", "exp"]
    assert [n.kind for n in viz.graph(f, 0.3, collapse="inner").ops] == \
        ["scope", "op", "op"]
    # a scope entered twice gives two boxes, in order
    g2 = viz.graph(lambda x: fnp.exp(inner(inner(x))), 0.3, collapse=True)
    assert [n.scope or n.label for n in g2.ops] == ["inner", "inner (2)", "exp"]
    assert g2.ops[0].outputs[0] is g2.ops[1].inputs[0]
    # outside of fl.viz.graph a scope changes nothing
    assert float(f(0.3)) == pytest.approx(np.exp(np.sin(0.3) * 2 + 1), rel=1e-6)
    assert float(fl.grad(f)(0.3)) == pytest.approx(
        np.exp(np.sin(0.3) * 2 + 1) * 2 * np.cos(0.3), rel=1e-5)
    assert not viz._watched


def test_ten_thousand_equations_refused_fast():
    def big(x):
        for _ in range(10_000):
            x = x + 1.0
        return x
    t = time.perf_counter()
    with pytest.raises(ValueError) as ei:
        viz.graph(big, 0.0)
    assert time.perf_counter() - t < 2.0
    msg = str(ei.value)
    assert "10000 equations" in msg and "max_nodes=500" in msg
    assert "named_scope" in msg and "collapse" in msg


def test_ten_thousand_equations_collapsed_fast():
    def big(x):
        for i in range(100):
            with viz.named_scope(f"block{i}"):
                for _ in range(100):
                    x = x * 1.0001
        return x
    t = time.perf_counter()
    with pytest.raises(ValueError, match="collapse=True"):
        viz.graph(big, 1.0)
    g = viz.graph(big, 1.0, collapse=True)
    assert time.perf_counter() - t < 5.0
    assert len(g.ops) == 100 and len(g.jaxpr.eqns) == 10_000
    assert float(g.grads) == pytest.approx(1.0001 ** 10_000, rel=1e-3)
    assert len(_dot_nodes(g.to_dot())) == 102


# ----------------------------------------------------------------------------- rendering

def test_render_without_dot_gives_the_fix(monkeypatch, tmp_path):
    g = viz.graph(circuit, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
    monkeypatch.setattr(viz.shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(RuntimeError) as ei:
        g.render(str(tmp_path / "c.png"))
    msg = str(ei.value)
    assert "apt-get install graphviz" in msg and "functorch_lite[viz]" in msg
    assert not (tmp_path / "c.png").exists()
    assert g._repr_svg_() is None
    html = g._repr_html_()
    assert "<pre>" in html and "digraph" in html
    # the DOT text needs no Graphviz
    p = g.render(str(tmp_path / "c.dot"))
    assert open(p).read() == g.to_dot()


def test_render_formats(tmp_path):
    g = viz.graph(neuron, W_LEC, X_LEC, argnums=(0, 1))
    with pytest.raises(ValueError, match=r"\.svg"):
        g.render(str(tmp_path / "picture.bmpx"))
    if not HAVE_DOT:  # the real behaviour without Graphviz: the clear error
        with pytest.raises(RuntimeError, match="apt-get install graphviz"):
            g.render(str(tmp_path / "n.png"))
        return
    png = g.render(str(tmp_path / "n.png"))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    svg = g.render(str(tmp_path / "n.svg"))
    text = open(svg).read()
    assert "<svg" in text and "1/x" in text and "0.731" in text
    assert g._repr_svg_().lstrip().startswith("<?xml") and g._repr_html_() is None


def test_render_without_the_graphviz_package(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "graphviz", None)   # import graphviz -> ImportError
    g = viz.graph(circuit, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
    if not HAVE_DOT:
        with pytest.raises(RuntimeError, match="apt-get install graphviz"):
            g.render(str(tmp_path / "c.svg"))
        return
    p = g.render(str(tmp_path / "c.svg"))   # the dot program alone is enough
    assert "<svg" in open(p).read()
