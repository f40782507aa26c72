"""Pictures of the computational graph, drawn as backprop lectures draw circuits.

``graph(fun, *args)`` traces ``fun`` at ``args`` into a jaxpr, evaluates it, runs
reverse mode, and keeps for every equation (a *gate*) its inputs and outputs with
shape, dtype, forward value and gradient (the cotangent that reached the wire).
The result draws itself as Graphviz DOT text (always available), as SVG/PNG through
the ``dot`` program, and inline in Jupyter.  Inputs are on the left, the output on
the right, each wire carries its forward value above (green) and its gradient below
(red)::

    import functorch_lite as fl, functorch_lite.numpy as fnp
    g = fl.viz.graph(lambda x, y, z: (x + y) * z, -2.0, 5.0, -4.0, argnums=(0, 1, 2))
    g.render("circuit.png")

Large programs: mark sub-computations with ``with fl.named_scope("layer1"): ...``
inside the function and pass ``collapse=True`` to draw one box per scope.
"""
from __future__ import annotations

import contextlib
import html
import inspect
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from jax.tree_util import (
    DictKey,
    FlattenedIndexKey,
    GetAttrKey,
    SequenceKey,
    tree_flatten,
    tree_flatten_with_path,
    tree_unflatten,
)

from .core import Jaxpr, Literal, Tracer, Var, aval_of, eval_jaxpr_env, trace_flat
from .core import tracing as _tracing
from .core.dtypes import FLOATS, short_name
from .transforms.ad import backward_pass, concrete_value, vjp
from .transforms.api_util import flatten_fun, normalize_argnums

__all__ = ["graph", "named_scope", "Graph", "Node", "Wire", "Edge", "summarize"]

VALUE_COLOR = "#1a7f37"  # green: forward value (above the wire)
GRAD_COLOR = "#cf222e"   # red: gradient (below the wire)
_FULL_MAX = 6            # arrays with at most this many elements are shown in full
_INSTALL_HINT = ("pip install 'functorch_lite[viz]' (the graphviz Python package) and install "
                 "the Graphviz 'dot' program: apt-get install graphviz (Debian/Ubuntu), "
                 "brew install graphviz (macOS) or conda install -c conda-forge graphviz")


# ----------------------------------------------------------------------------- named scopes

# id(trace) -> [(scope path, first eqn index, end eqn index)], only for the traces that
# graph() is recording; every other trace ignores scopes (a scope then costs a list append).
_watched: dict[int, list] = {}
_scope_names: list[str] = []


class named_scope(contextlib.ContextDecorator):
    """Mark the equations recorded inside it as one named sub-computation (nestable;
    nested names join with ``/``), so ``fl.viz.graph(..., collapse=True)`` draws them as
    one box.  Also usable as a decorator.  Outside of ``fl.viz.graph`` it does nothing.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> def f(x):
    ...     with fl.viz.named_scope("square"):
    ...         y = fnp.multiply(x, x)
    ...     return fnp.sin(y)
    >>> [n.scope or n.label for n in fl.viz.graph(f, 1.0, collapse=True).ops]
    ['square', 'sin']
    """

    def __init__(self, name: str):
        if not isinstance(name, str) or not name:
            raise TypeError(f"named_scope: the name must be a non-empty string, got {name!r}")
        self.name = name
        self._open: list = []  # (trace, start, path) per active use (recursion-safe)

    def __enter__(self) -> named_scope:
        _scope_names.append(self.name)
        stack = _tracing._stack
        trace = stack[-1] if stack else None
        if trace is not None and id(trace) in _watched:
            self._open.append((trace, len(trace.eqns), "/".join(_scope_names)))
        else:
            self._open.append(None)
        return self

    def __exit__(self, *exc) -> bool:
        _scope_names.pop()
        entry = self._open.pop()
        if entry is not None:
            trace, start, path = entry
            ranges = _watched.get(id(trace))
            if ranges is not None and len(trace.eqns) > start:
                ranges.append((path, start, len(trace.eqns)))
        return False


def _eqn_scopes(n_eqns: int, ranges: list) -> list:
    """The innermost scope path of every equation (None outside every scope)."""
    scopes: list = [None] * n_eqns
    # outer (longer) ranges first, so inner ranges overwrite them
    for path, start, end in sorted(ranges, key=lambda r: (r[1] - r[2], r[0].count("/"))):
        scopes[start:end] = [path] * (end - start)
    return scopes


def _collapse_groups(n_eqns: int, ranges: list, collapse) -> list:
    """For each equation, the box it is drawn in (None: drawn on its own): the outermost
    scope to collapse that holds it.  Each use of a scope is its own box (a scope entered
    twice, e.g. by a helper called twice, gives ``name`` and ``name (2)``)."""
    if collapse is None or collapse is False:
        return [None] * n_eqns
    if collapse is True:
        eligible = list(ranges)
    else:
        wanted = {collapse} if isinstance(collapse, str) else set(collapse)
        known = set()
        for path, _, _ in ranges:
            parts = path.split("/")
            known.update(parts)
            known.update("/".join(parts[:k]) for k in range(1, len(parts) + 1))
        missing = sorted(wanted - known)
        if missing:
            found = sorted({r[0] for r in ranges})
            raise ValueError(
                f"fl.viz.graph: collapse={sorted(wanted)!r} names scope(s) {missing} that the "
                f"function never opened; the scopes recorded are {found or 'none'} (open one "
                "with `with fl.named_scope(name):` inside the function).")
        eligible = [r for r in ranges if r[0] in wanted or r[0].rsplit("/", 1)[-1] in wanted]
    groups: list = [None] * n_eqns
    uses: dict = {}
    covered = 0  # scopes nest or are disjoint: one sweep finds the outermost ones
    for path, start, end in sorted(eligible, key=lambda r: (r[1], -r[2])):
        if start < covered:
            continue  # inside a box already drawn
        uses[path] = uses.get(path, 0) + 1
        key = path if uses[path] == 1 else f"{path} ({uses[path]})"
        groups[start:end] = [key] * (end - start)
        covered = end
    return groups


# ----------------------------------------------------------------------------- value summaries

def _fmt_num(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if not np.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"


def summarize(x, full_max: int = _FULL_MAX) -> str:
    """A short text for a value: in full when it has at most ``full_max`` elements,
    else its shape with the first numbers, min and max.

    >>> import numpy as np
    >>> summarize(np.float32(0.7310586))
    '0.731'
    >>> summarize(np.arange(10.0))
    'f64[10] [0, 1, 2, …] min 0 max 9'
    """
    if x is None:
        return "—"
    a = np.asarray(x)
    if a.ndim == 0:
        return _fmt_num(a.item())
    if a.size <= full_max:
        return np.array2string(a, separator=", ", formatter={"all": _fmt_num})
    head = ", ".join(_fmt_num(v) for v in a.ravel()[:3])
    desc = f"{short_name(a.dtype)}[{','.join(map(str, a.shape))}]"
    if a.size == 0:
        return desc
    return f"{desc} [{head}, …] min {_fmt_num(a.min())} max {_fmt_num(a.max())}"


def _short(x) -> str:
    """The text written on a wire: full when small, else shape and range."""
    if x is None:
        return ""
    a = np.asarray(x)
    if a.size <= _FULL_MAX:
        return summarize(a)
    desc = f"{short_name(a.dtype)}[{','.join(map(str, a.shape))}]"
    if a.size == 0:
        return desc
    return f"{desc} ∈[{_fmt_num(a.min())}, {_fmt_num(a.max())}]"


# ----------------------------------------------------------------------------- the graph object

@dataclass(eq=False)
class Wire:
    """A variable of the program: its name, shape, dtype, forward value and gradient
    (the total cotangent that reached it; None where no gradient flows)."""

    name: str
    shape: tuple
    dtype: np.dtype
    value: Any = None
    grad: Any = None

    @property
    def summary(self) -> str:
        return summarize(self.value)

    @property
    def grad_summary(self) -> str:
        return summarize(self.grad)

    def __repr__(self) -> str:
        g = "" if self.grad is None else f", grad={self.grad_summary}"
        return (f"Wire({self.name}: {short_name(self.dtype)}[{','.join(map(str, self.shape))}]"
                f" = {self.summary}{g})")


@dataclass(eq=False)
class Node:
    """A box of the picture: an input, a constant, a gate (one equation), a collapsed
    scope (several equations), or an output terminal."""

    id: str
    kind: str                 # "input" | "const" | "op" | "scope" | "output"
    label: str                # what the picture writes in the box
    op: str | None = None     # primitive name for gates
    inputs: list = field(default_factory=list)   # Wires (literals as constant Wires)
    outputs: list = field(default_factory=list)  # Wires
    params: dict = field(default_factory=dict)
    scope: str | None = None
    eqn_indices: list = field(default_factory=list)

    def __repr__(self) -> str:
        ins = ", ".join(w.name for w in self.inputs)
        outs = ", ".join(f"{w.name}={w.summary}" + ("" if w.grad is None else
                                                      f" (grad {w.grad_summary})")
                         for w in self.outputs)
        return f"Node({self.id} {self.label!r}: ({ins}) -> {outs})"


@dataclass(eq=False)
class Edge:
    """A wire drawn from ``src`` to ``dst``; ``grad`` is the gradient flowing back along
    this edge (when a wire fans out, each edge carries its share; they sum to
    ``wire.grad``)."""

    src: Node
    dst: Node
    wire: Wire
    grad: Any = None

    @property
    def value(self):
        return self.wire.value

    def __repr__(self) -> str:
        g = "" if self.grad is None else f", grad {summarize(self.grad)}"
        return (f"Edge({self.src.id} -> {self.dst.id}: {self.wire.name} = "
                f"{summarize(self.value)}{g})")


class Graph:
    """A traced program with each wire's forward value and gradient.

    Built by :func:`graph`.  ``nodes`` (inputs, constants, gates, scopes, outputs),
    ``edges``, ``inputs``/``outputs`` (Wires), ``wire(name)``, ``value(name)``,
    ``grad(name)``, ``find(op)``; ``to_dot()``, ``render(path)``; displays itself
    in Jupyter.
    """

    def __init__(self, nodes: list, edges: list, inputs: list, outputs: list, wires: dict,
                 jaxpr, out, grads, legend: str, backward: Graph | None = None,
                 title: str = ""):
        self.nodes = nodes
        self.edges = edges
        self.inputs = inputs
        self.outputs = outputs
        self.wires = wires
        self.jaxpr = jaxpr
        self.out = out
        self.grads = grads
        self.legend = legend
        self.backward = backward
        self.title = title

    @property
    def ops(self) -> list:
        """The gates (one per equation) and collapsed scope boxes, in program order."""
        return [n for n in self.nodes if n.kind in ("op", "scope")]

    def wire(self, name: str) -> Wire:
        try:
            return self.wires[name]
        except KeyError:
            raise KeyError(f"no wire named {name!r}; wires: {list(self.wires)}") from None

    def value(self, name: str):
        return self.wire(name).value

    def grad(self, name: str):
        return self.wire(name).grad

    def find(self, op: str) -> Node:
        """The single gate whose primitive (or label) is ``op``; use ``find_all`` for several."""
        hits = self.find_all(op)
        if len(hits) != 1:
            raise KeyError(f"{len(hits)} gates named {op!r} (gates: "
                           f"{[n.op or n.label for n in self.ops]}); use find_all")
        return hits[0]

    def find_all(self, op: str) -> list:
        return [n for n in self.ops if op in (n.op, n.label)]

    def edges_from(self, name: str) -> list:
        """The edges carrying the wire called ``name``."""
        return [e for e in self.edges if e.wire.name == name]

    def __repr__(self) -> str:
        lines = [f"Graph({len(self.inputs)} inputs, {len(self.ops)} gates, "
                 f"{len(self.outputs)} outputs)"]
        for n in self.nodes:
            if n.kind in ("op", "scope"):
                lines.append("  " + repr(n))
        return "\n".join(lines)

    # -- rendering ---------------------------------------------------------------------------

    def to_dot(self) -> str:
        """Graphviz DOT text: left to right, value above (green) and gradient below (red)
        each wire, one node per gate, input and output, and the legend as graph label."""
        out = ["digraph computational_graph {",
               '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.35, '
               f'ranksep=0.9, labelloc=b, labeljust=c, label={_legend_label(self.legend)}];',
               '  node [fontname="Helvetica", fontsize=14];',
               '  edge [fontname="Helvetica", fontsize=11, arrowsize=0.7, color="#555555"];']
        if self.backward is None:
            body, ins, outs = _dot_body(self, "", "  ")
            out += body + _rank_chain(ins, "  ") + _rank_chain(outs, "  ")
        else:
            # Two clusters, forward above backward.  dot (2.43) stacks clusters in reverse
            # order of declaration and orders a flat chain bottom-up inside a cluster,
            # hence the reversals.
            body_b, ins_b, outs_b = _dot_body(self.backward, "b_", "    ")
            body_f, ins_f, outs_f = _dot_body(self, "", "    ")
            out.append('  subgraph cluster_backward {')
            out.append('    label="backward program (the jaxpr that computes the gradients, '
                       'with its values)"; labelloc=t; fontsize=13; style=rounded; '
                       'color="#999999";')
            out += body_b + _rank_chain(ins_b[::-1], "    ") + _rank_chain(outs_b[::-1], "    ")
            out.append("  }")
            out.append('  subgraph cluster_forward {')
            out.append('    label="forward pass: values and gradients"; labelloc=t; fontsize=13; '
                       'style=rounded; color="#999999";')
            out += body_f + _rank_chain(ins_f[::-1], "    ") + _rank_chain(outs_f[::-1], "    ")
            out.append("  }")
        out.append("}")
        return "\n".join(out) + "\n"

    def pipe(self, format: str = "svg") -> bytes:
        """The picture rendered by Graphviz's ``dot`` in ``format`` (svg, png, pdf, ...)."""
        return _run_dot(self.to_dot(), format)

    def render(self, path: str, dpi: int | None = None) -> str:
        """Write the picture to ``path``; the format comes from the extension (``.svg``,
        ``.png``, ``.pdf``, ``.jpg``; ``.dot``/``.gv`` write the DOT text and need no
        Graphviz).  Returns ``path``."""
        ext = str(path).rsplit(".", 1)[-1].lower() if "." in str(path) else ""
        if ext in ("dot", "gv"):
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.to_dot())
            return str(path)
        if ext not in ("svg", "png", "pdf", "jpg", "jpeg"):
            raise ValueError(f"Graph.render: cannot tell the format from {path!r}; end the "
                             "file name with .svg, .png, .pdf, .jpg or .dot")
        dot = self.to_dot()
        if dpi is not None and ext in ("png", "jpg", "jpeg"):
            dot = dot.replace("graph [rankdir=LR,", f"graph [rankdir=LR, dpi={int(dpi)},", 1)
        data = _run_dot(dot, "jpg" if ext == "jpeg" else ext)
        with open(path, "wb") as f:
            f.write(data)
        return str(path)

    def _repr_svg_(self):
        if _dot_program() is None:
            return None
        return self.pipe("svg").decode("utf-8")

    def _repr_html_(self):
        if _dot_program() is not None:
            return None  # the SVG is shown
        return ("<p>Graphviz's <code>dot</code> is not installed, so here is the DOT text "
                f"({html.escape(_INSTALL_HINT)}):</p><pre>{html.escape(self.to_dot())}</pre>")


# ----------------------------------------------------------------------------- DOT helpers

def _q(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _h(s: str) -> str:
    return html.escape(str(s), quote=True)


def _legend_label(legend: str) -> str:
    return (f'<<font color="{VALUE_COLOR}">green, upper number on a wire: forward value</font>'
            f'&nbsp;&nbsp;&nbsp;<font color="{GRAD_COLOR}">red, lower number: gradient</font>'
            + (f"<br/>{_h(legend)}" if legend else "") + ">")


def _edge_label(value: str, grad: str | None) -> str:
    rows = f'<tr><td><font color="{VALUE_COLOR}">{_h(value)}</font></td></tr>'
    if grad is not None:
        rows += f'<tr><td><font color="{GRAD_COLOR}">{_h(grad)}</font></td></tr>'
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>>'


def _node_attrs(n: Node, fanout: int = 1) -> str:
    if n.kind == "input":
        w = n.outputs[0]
        if fanout > 1 and w.grad is not None:  # the copy gate adds the gradients of its uses
            return (f'label=<<b>{_h(n.label)}</b><br/><font color="{GRAD_COLOR}" '
                    f'point-size="11">Σ grad {_h(_short(w.grad))}</font>>, shape=plaintext, '
                    'fontsize=16')
        return f'label={_q(n.label)}, shape=plaintext, fontsize=16, fontname="Helvetica-Bold"'
    if n.kind == "const":
        return f'label={_q(n.label)}, shape=plaintext, fontcolor="#666666"'
    if n.kind == "output":
        return f'label={_q(n.label)}, shape=plaintext, fontsize=16, fontname="Helvetica-Bold"'
    if n.kind == "scope":
        return (f'label={_q(n.label)}, shape=box, style="rounded,filled", fillcolor="#eef2f8", '
                'color="#4a5a7a", penwidth=1.4')
    shape = "circle" if len(n.label) <= 4 else "box"
    style = '"filled"' if shape == "circle" else '"rounded,filled"'
    width = ', width=0.55, fixedsize=false' if shape == "circle" else ""
    return (f'label={_q(n.label)}, shape={shape}, style={style}, fillcolor="#ffffff", '
            f'color="#333333", penwidth=1.3{width}')


def _dot_body(g: Graph, prefix: str, pad: str) -> list:
    lines = []
    fanout: dict = {}
    for e in g.edges:
        fanout[id(e.src)] = fanout.get(id(e.src), 0) + 1
    for n in g.nodes:
        tip = _q(repr(n)[:500])
        attrs = _node_attrs(n, fanout.get(id(n), 0))
        lines.append(f"{pad}{prefix}{n.id} [{attrs}, tooltip={tip}];")
    # inputs top to bottom in the order the program first reads them (x0, w0 of the first
    # gate, then those of the next...): that is the lectures' order and avoids crossings
    first_use: dict = {}
    for k, e in enumerate(g.edges):
        first_use.setdefault(id(e.src), k)
    srcs = [n for n in g.nodes if n.kind in ("input", "const")]
    srcs.sort(key=lambda n: first_use.get(id(n), len(g.edges)))
    ins = [prefix + n.id for n in srcs]
    outs = [prefix + n.id for n in g.nodes if n.kind == "output"]
    for e in g.edges:
        label = _edge_label(_short(e.value), None if e.grad is None else _short(e.grad))
        tip = _q(f"{e.wire.name}: {summarize(e.value)}" +
                 ("" if e.grad is None else f"; grad {summarize(e.grad)}"))
        lines.append(f"{pad}{prefix}{e.src.id} -> {prefix}{e.dst.id} "
                     f"[label={label}, tooltip={tip}];")
    return lines, ins, outs


def _rank_chain(ids: list, pad: str) -> list:
    """One column of nodes in the given order (the invisible edges fix the order)."""
    if not ids:
        return []
    chain = " -> ".join(ids) + " [style=invis]" if len(ids) > 1 else ids[0]
    return [f"{pad}{{ rank=same; {chain}; }}"]


def _dot_program() -> str | None:
    return shutil.which("dot")


def _run_dot(dot_text: str, fmt: str) -> bytes:
    """Render DOT text with Graphviz (through the ``graphviz`` package when installed)."""
    exe = _dot_program()
    if exe is None:
        raise RuntimeError("fl.viz: rendering needs Graphviz's 'dot' program, which was not "
                           f"found on PATH. Install it: {_INSTALL_HINT}. "
                           "Graph.to_dot() gives the DOT text without it.")
    try:
        import graphviz
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            return graphviz.Source(dot_text).pipe(format=fmt)
        except graphviz.ExecutableNotFound as e:
            raise RuntimeError(f"fl.viz: Graphviz's 'dot' program could not be run ({e}). "
                               f"Install it: {_INSTALL_HINT}.") from e
    # the 'dot' program alone is enough: call it directly
    res = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                         capture_output=True, timeout=300)
    if res.returncode != 0:
        raise RuntimeError(f"fl.viz: dot failed: {res.stderr.decode(errors='replace')}")
    return res.stdout


# ----------------------------------------------------------------------------- gate labels

_SYMBOL = {"add": "+", "add_any": "+", "sub": "-", "mul": "*", "div": "/", "neg": "neg",
           "logistic": "sigmoid", "max": "max", "min": "min", "pow": "**",
           "dot_general": "dot", "reduce_sum": "sum", "reduce_max": "max",
           "broadcast_in_dim": "broadcast", "convert_element_type": "astype"}


def _gate_label(eqn) -> str:
    name = eqn.prim.name
    sym = _SYMBOL.get(name, name)
    ins = eqn.invars
    if name == "integer_pow":
        return f"x^{eqn.params.get('y', '?')}"
    lits = [i for i, v in enumerate(ins) if type(v) is Literal]
    if len(ins) == 2 and len(lits) == 1:
        c = _fmt_num(np.asarray(ins[lits[0]].val).item())
        left = lits[0] == 0
        if name in ("add", "mul"):
            return f"{sym}{c}"
        if name == "sub":
            return f"{c}-x" if left else f"-{c}"
        if name == "div":
            return f"{c}/x" if left else f"/{c}"
        if name == "pow":
            return f"{c}**x" if left else f"x**{c}"
        if name in ("max", "min"):
            return f"{sym}(x,{c})"
        return f"{sym}({c},x)" if left else f"{sym}(x,{c})"
    if lits:
        shown = ", ".join("x" if type(v) is not Literal else
                          _fmt_num(np.asarray(v.val).item()) for v in ins)
        return f"{sym}({shown})"
    return sym


# ----------------------------------------------------------------------------- input names

def _path_name(base: str, path) -> str:
    """``w0`` for item 0 of a flat tuple/list argument ``w`` (the lectures' naming), else
    ``params[0].W``-style paths."""
    if len(path) == 1 and isinstance(path[0], (SequenceKey, FlattenedIndexKey)):
        k = path[0]
        return f"{base}{k.idx if isinstance(k, SequenceKey) else k.key}"
    s = base
    for k in path:
        if isinstance(k, SequenceKey):
            s += f"[{k.idx}]"
        elif isinstance(k, FlattenedIndexKey):
            s += f"[{k.key}]"
        elif isinstance(k, DictKey):
            s += f".{k.key}"
        elif isinstance(k, GetAttrKey):
            s += f".{k.name}"
        else:
            s += str(k)
    return s


def _arg_names(fun, args) -> list:
    """A name per flat input leaf: the parameter name, with ``0, 1, ...`` for the items of
    a tuple/list argument (``w0, w1``) and ``.key`` for dict entries."""
    params: list = []
    try:
        sig = inspect.signature(fun)
        for p in sig.parameters.values():
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                params.append(p.name)
            elif p.kind is p.VAR_POSITIONAL:
                params += [f"{p.name}{k}" for k in range(len(args) - len(params))]
                break
    except (TypeError, ValueError):
        pass
    names = []
    for i, a in enumerate(args):
        base = params[i] if i < len(params) else f"arg{i}"
        leaves = tree_flatten_with_path(a)[0]
        if len(leaves) == 1 and not leaves[0][0]:
            names.append(base)
        else:
            names += [_path_name(base, p) for p, _ in leaves]
    seen: dict = {}
    for k, nm in enumerate(names):  # names must be unique: they key the wires
        if nm in seen:
            seen[nm] += 1
            names[k] = f"{nm}#{seen[nm]}"
        else:
            seen[nm] = 0
    return names


def _letters():
    n = 0
    while True:
        s, k = "", n
        while not s or k:
            k, r = divmod(k, 26)
            s = chr(97 + r) + s
        yield s
        n += 1


# ----------------------------------------------------------------------------- building

def graph(fun: Callable, *args, argnums: int | Sequence[int] = 0, grads: bool = True,
          collapse: bool | str | Sequence[str] | None = None, max_nodes: int = 500,
          backward: bool = False) -> Graph:
    """Trace ``fun`` at ``args``, evaluate it and run reverse mode; the computational graph
    with every wire's forward value and gradient (w.r.t. the arguments at ``argnums``, as
    ``fl.grad(fun, argnums)`` computes it; a non-scalar output is seeded with ones, i.e.
    the gradient of its sum).

    ``collapse=True`` draws each top-level ``fl.named_scope`` as one box (a name or list
    of names: only those scopes).  More than ``max_nodes`` boxes raise a ``ValueError``
    (before any gradient is computed).  ``backward=True`` also draws the backward program
    (the DCE'd jaxpr of the gradient computation) beside the forward graph.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> g = fl.viz.graph(lambda x, y, z: fnp.multiply(fnp.add(x, y), z), -2.0, 5.0, -4.0,
    ...                  argnums=(0, 1, 2))
    >>> [float(g.grad(n)) for n in "xyz"]
    [-4.0, -4.0, 3.0]
    >>> float(g.find("add").outputs[0].value), float(g.find("mul").outputs[0].grad)
    (3.0, 1.0)
    """
    if not callable(fun):
        raise TypeError(f"fl.viz.graph: the first argument must be a function, got {fun!r:.60}")
    if not args:
        raise TypeError("fl.viz.graph: pass the arguments to evaluate the function at, e.g. "
                        "fl.viz.graph(f, 1.0, 2.0)")
    nums = normalize_argnums(argnums, len(args), "fl.viz.graph")
    flat, in_tree = tree_flatten(args)
    if any(isinstance(x, Tracer) for x in flat):
        raise TypeError("fl.viz.graph needs concrete arguments (arrays or numbers); it was "
                        "called on traced values inside a transformation.")
    avals = [aval_of(x) for x in flat]
    vals = [concrete_value(x, a) for x, a in zip(flat, avals)]
    names = _arg_names(fun, args)
    if len(names) != len(flat):
        names = [f"arg{i}" for i in range(len(flat))]
    # which flat leaves belong to the differentiated arguments
    leaf_arg: list = []
    for i, a in enumerate(args):
        leaf_arg += [i] * len(tree_flatten(a)[0])
    diff_idx = [k for k, i in enumerate(leaf_arg) if i in nums]

    store: dict = {}
    flat_fun = flatten_fun(fun, in_tree, store)
    ranges: list = []
    box: list = []

    def recorded(*tracers):
        trace = _tracing._stack[-1]
        box.append(trace)
        _watched[id(trace)] = ranges
        return flat_fun(*tracers)

    try:
        jaxpr, consts, env = trace_flat(recorded, avals, vals)
    finally:
        if box:
            _watched.pop(id(box[0]), None)
    eqns = jaxpr.eqns
    scopes = _eqn_scopes(len(eqns), ranges)
    groups = _collapse_groups(len(eqns), ranges, collapse)
    scopes_found = sorted({r[0] for r in ranges})

    # ---- count the boxes before doing any more work
    n_boxes = len(flat) + len(jaxpr.outvars) + len(jaxpr.constvars)
    seen_groups: set = set()
    for grp in groups:
        if grp is None:
            n_boxes += 1
        elif grp not in seen_groups:
            seen_groups.add(grp)
            n_boxes += 1
    if n_boxes > max_nodes:
        hint = (f"the function opened the scopes {scopes_found[:8]}"
                f"{' …' if len(scopes_found) > 8 else ''}: pass collapse=True to draw one box "
                "each" if scopes_found and collapse is None else
                "wrap its parts (e.g. each layer) in `with fl.named_scope('layer1'):` inside "
                "the function and pass collapse=True to draw one box per scope")
        raise ValueError(
            f"fl.viz.graph: the picture would have {n_boxes} boxes ({len(eqns)} equations), "
            f"more than max_nodes={max_nodes}; such a picture is unreadable and slow to lay "
            f"out. {hint[0].upper() + hint[1:]}, or raise max_nodes= if you really want it.")

    # ---- reverse mode: the total gradient on every wire
    totals: dict = {}
    out_cts: list = []
    if grads:
        for v in jaxpr.outvars:
            a = v.aval
            out_cts.append(np.ones(a.shape, a.dtype) if a.dtype in FLOATS else None)
        diff_vars = [jaxpr.invars[k] for k in diff_idx]
        sub = Jaxpr([], diff_vars, eqns, jaxpr.outvars)
        backward_pass(sub, env, out_cts, seen=totals)
        active = _active(sub)
        # symbolic zeros: an active wire that no gradient reached has gradient 0
        for v in active:
            if v not in totals:
                totals[v] = np.zeros(v.aval.shape, v.aval.dtype)
    else:
        active = set()

    out_names = [_out_label(fun, "out" if len(jaxpr.outvars) == 1 else f"out{k}",
                            len(jaxpr.outvars)) for k in range(len(jaxpr.outvars))]
    nodes, edges, wires, out_wires = _build(jaxpr, env, names, out_names, groups, scopes,
                                            totals, active, out_cts if grads else None)

    # ---- results as pytrees, as fl.grad / the function return them
    out_vals = [w.value for w in out_wires]
    out = tree_unflatten(store["out_tree"], out_vals) if "out_tree" in store else out_vals
    grads_tree = None
    if grads:
        per_arg = []
        for i in nums:
            leaves = [k for k, a in enumerate(leaf_arg) if a == i]
            gl = [wires[names[k]].grad if wires[names[k]].grad is not None else
                  np.zeros(avals[k].shape, avals[k].dtype) for k in leaves]
            per_arg.append(tree_unflatten(tree_flatten(args[i])[1], gl))
        grads_tree = per_arg[0] if isinstance(argnums, int) else tuple(per_arg)

    legend = ""
    if grads:
        which = ", ".join(names[k] for k in diff_idx) if len(diff_idx) <= 8 else \
            f"{len(diff_idx)} inputs"
        legend = f"gradients with respect to {which or 'nothing'}"
        if any(v.aval.shape != () for v in jaxpr.outvars):
            legend += " (of the sum of the output)"
    else:
        legend = "forward values only (grads=False)"
    title = getattr(fun, "__name__", "")
    result = Graph(nodes, edges, [wires[nm] for nm in names], out_wires, wires, jaxpr, out,
                   grads_tree, legend, None, title)
    if backward:
        result.backward = _backward_graph(flat_fun, vals, avals, names, diff_idx,
                                          jaxpr, max_nodes - n_boxes)
    return result


def _out_label(fun, nm: str, n_out: int) -> str:
    fname = getattr(fun, "__name__", "")
    if n_out == 1 and fname and fname.isidentifier():
        return fname
    return nm


def _active(jaxpr) -> set:
    active = {v for v in jaxpr.invars if v.aval.dtype in FLOATS}
    for eqn in jaxpr.eqns:
        if any(type(v) is Var and v in active for v in eqn.invars):
            active.update(v for v in eqn.outvars if v.aval.dtype in FLOATS)
    return active


def _edge_shares(eqn, env: dict, totals: dict, active: set, uses: dict) -> list:
    """Per input edge of ``eqn``: the gradient flowing back along it (None: none).

    A wire read once carries its total gradient; a wire that fans out carries on each
    edge the vector-Jacobian product of that use (they sum to the total)."""
    needs = [type(v) is Var and v in active for v in eqn.invars]
    if not any(needs):
        return [None] * len(eqn.invars)
    if all(not need or uses.get(v, 0) <= 1 for v, need in zip(eqn.invars, needs)):
        return [totals.get(v) if need else None for v, need in zip(eqn.invars, needs)]
    if eqn.prim.multiple_results:
        g = [totals.get(v) for v in eqn.outvars]
        ans = [env[v] for v in eqn.outvars]
        if all(c is None for c in g):
            return [None] * len(eqn.invars)
    else:
        g = totals.get(eqn.outvars[0])
        ans = env[eqn.outvars[0]]
        if g is None:
            return [None] * len(eqn.invars)
    args = [v.val if type(v) is Literal else env[v] for v in eqn.invars]
    cts = eqn.prim.vjp(g, ans, args, needs, **eqn.params)
    out = []
    for v, ct, need in zip(eqn.invars, cts, needs):
        if not need:
            out.append(None)
        elif ct is None:
            out.append(np.zeros(v.aval.shape, v.aval.dtype))
        else:
            out.append(np.asarray(ct))
    return out


def _build(jaxpr, env: dict, names: list, out_names: list, groups: list, scopes: list,
           totals: dict, active: set, out_cts: list | None):
    """Nodes, edges and wires of ``jaxpr`` with the values in ``env`` and gradients in
    ``totals`` (equations of one collapse group share one scope box)."""
    wires: dict = {}
    wire_of: dict = {}
    taken = set(names)
    gen = _letters()

    def new_wire(v, name):
        val = env.get(v)
        g = totals.get(v)
        w = Wire(name, tuple(v.aval.shape), v.aval.dtype,
                 None if val is None else np.asarray(val), None if g is None else np.asarray(g))
        wires[name] = w
        wire_of[v] = w
        return w

    def fresh():
        while True:
            s = next(gen)
            if s not in taken:
                taken.add(s)
                return s

    def lit_wire(lit):
        val = np.asarray(lit.val)
        return Wire(_fmt_num(val.item()), (), lit.aval.dtype, val, None)

    nodes: list = []
    producer: dict = {}
    for k, (v, nm) in enumerate(zip(jaxpr.invars, names)):
        n = Node(f"in{k}", "input", nm, outputs=[new_wire(v, nm)])
        nodes.append(n)
        producer[v] = n
    for k, v in enumerate(jaxpr.constvars):
        nm = f"const{k}"
        taken.add(nm)
        w = new_wire(v, nm)
        n = Node(f"c{k}", "const", f"{nm}\n{_short(w.value)}", outputs=[w])
        nodes.append(n)
        producer[v] = n

    eqns = jaxpr.eqns
    scope_nodes: dict = {}
    owner: list = []
    for i, eqn in enumerate(eqns):
        outs = [new_wire(v, fresh()) for v in eqn.outvars]
        grp = groups[i]
        if grp is None:
            n = Node(f"op{i}", "op", _gate_label(eqn), eqn.prim.name,
                     [wire_of[v] if type(v) is Var else lit_wire(v) for v in eqn.invars],
                     outs, dict(eqn.params), scopes[i], [i])
            nodes.append(n)
        else:
            n = scope_nodes.get(grp)
            if n is None:
                n = Node(f"s{len(scope_nodes)}", "scope", grp, None, scope=grp)
                scope_nodes[grp] = n
                nodes.append(n)
            n.eqn_indices.append(i)
        owner.append(n)
        for v in eqn.outvars:
            producer[v] = n

    # edges, each with its share of the gradient
    uses: dict = {}
    for eqn in eqns:
        for v in eqn.invars:
            if type(v) is Var:
                uses[v] = uses.get(v, 0) + 1
    for v in jaxpr.outvars:
        if type(v) is Var:
            uses[v] = uses.get(v, 0) + 1
    edges: list = []
    scope_edges: dict = {}  # (src node, scope node, var) -> Edge (shares summed)
    for i, eqn in enumerate(eqns):
        dst = owner[i]
        shares = _edge_shares(eqn, env, totals, active, uses) if active else None
        for pos, v in enumerate(eqn.invars):
            if type(v) is not Var:
                continue
            src = producer[v]
            if src is dst:
                continue  # inside a collapsed scope
            share = None if shares is None else shares[pos]
            if dst.kind == "scope":
                key = (id(src), id(dst), v)
                prev = scope_edges.get(key)
                if prev is not None:
                    if share is not None:
                        prev.grad = share if prev.grad is None else prev.grad + share
                    continue
                e = scope_edges[key] = Edge(src, dst, wire_of[v], share)
                dst.inputs.append(wire_of[v])
            else:
                e = Edge(src, dst, wire_of[v], share)
            edges.append(e)
    out_wires = []
    for k, v in enumerate(jaxpr.outvars):
        w = wire_of[v] if type(v) is Var else lit_wire(v)
        out_wires.append(w)
        n = Node(f"out{k}", "output", out_names[k], inputs=[w])
        nodes.append(n)
        if type(v) is Var:
            ct = out_cts[k] if out_cts is not None and v in active else None
            edges.append(Edge(producer[v], n, w, None if ct is None else np.asarray(ct)))
    for n in scope_nodes.values():
        listed = set()
        for e in edges:
            if e.src is n and id(e.wire) not in listed:
                listed.add(id(e.wire))
                n.outputs.append(e.wire)
        ops = [eqns[i].prim.name for i in n.eqn_indices]
        kinds = ", ".join(dict.fromkeys(_SYMBOL.get(o, o) for o in ops))
        if len(kinds) > 40:
            kinds = kinds[:39] + "…"
        n.label = f"{n.scope}\n{len(ops)} op{'s' if len(ops) != 1 else ''}: {kinds}"
    return nodes, edges, wires, out_wires


def _backward_graph(flat_fun, vals, avals, names, diff_idx, fwd_jaxpr, budget) -> Graph:
    """The DCE'd jaxpr computing the gradients (forward replay + backward pass), drawn
    with the values of its wires."""
    out_avals = [v.aval for v in fwd_jaxpr.outvars]

    def grads_of(*flat_args):
        def f_diff(*diff):
            full = list(flat_args)
            for k, d in zip(diff_idx, diff):
                full[k] = d
            return list(flat_fun(*full))
        _, f_vjp = vjp(f_diff, *[flat_args[k] for k in diff_idx])
        cts = [np.ones(a.shape, a.dtype) if a.dtype in FLOATS else np.zeros(a.shape, a.dtype)
               for a in out_avals]
        return list(f_vjp(cts))

    bjaxpr, consts, _ = trace_flat(grads_of, avals, None, dce=True)
    n = len(bjaxpr.invars) + len(bjaxpr.constvars) + len(bjaxpr.eqns) + len(bjaxpr.outvars)
    if n > budget:
        raise ValueError(f"fl.viz.graph(backward=True): the backward program has {n} boxes, "
                         "more than what max_nodes leaves after the forward graph; raise "
                         "max_nodes= or draw the forward graph alone (backward=False).")
    env = eval_jaxpr_env(bjaxpr, list(consts), list(vals))
    none = [None] * len(bjaxpr.eqns)
    out_names = ["d" + names[k] for k in diff_idx]
    nodes, edges, wires, outs = _build(bjaxpr, env, names, out_names, none, none, {}, set(),
                                       None)
    return Graph(nodes, edges, [wires[nm] for nm in names], outs, wires, bjaxpr, None, None,
                 "")
