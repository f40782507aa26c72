"""Random straight-line programs over the NumPy surface, for differential fuzzing.

A program is built from hypothesis draws as a list of source lines; it is
written ONCE against a namespace pair ``(np, lax)`` and runs unchanged with
``(functorch_lite.numpy, functorch_lite.lax)`` and with ``(jax.numpy, jax.lax)``::

    def program(np, lax, x0, x1):
        v2 = np.sin(x0)
        v3 = np.matmul(v2, x1)
        return v3

:meth:`Program.to_source` gives exactly the code that runs (the interpreter
``exec``s it), so a failing, shrunk program is printed as readable Python.

While generating, every variable carries its shape, its dtype and an interval
``[lo, hi]`` bounding its values.  The intervals keep inputs of each function in
its domain (``log`` of a value that may be negative is written
``np.log(np.add(np.square(v), 0.5))``) and magnitudes small (no overflow).
Points where a function is not differentiable (ties of ``max``/``maximum``,
``abs`` at 0, ``clip`` at a bound) cannot be excluded statically; the
:class:`Guard` namespace measures them on the actual inputs so derivative
properties can skip such (rare) examples.

Steps (each an ``op_*`` method of the builder): unary float functions in their
domains (sin ... arccosh, power), binary ones with broadcasting against
variables, fresh inputs or weak Python scalars (add ... logaddexp, maximum),
int32 arithmetic and bitwise ops, comparisons and logical ops on bool,
reductions (sum/mean/max/min/prod/var/any/all, axis int/tuple/negative,
keepdims), matmul/dot/outer/einsum/tensordot, reshape/transpose/swapaxes/
moveaxis/expand_dims/squeeze, basic slicing (steps, negative, ints), integer-array
indexing and ``take``, where, concatenate/stack, pad/tile/repeat/roll/flip/
tril/triu/diagonal, cumsum/cumprod/sort, astype, clip, ``lax.cond``/``lax.switch``
(branches closing over outer variables) and ``lax.scan`` (forward and reverse).

Only function calls are used (``np.multiply(a, b)``, never ``a * b``): eager
``fnp`` values are plain NumPy arrays, whose operators are NumPy's, not JAX's.
Indexing (``v[1:, ::-1]``, ``v[np.array([0, 2], dtype=np.int32)]``) and
``.astype`` behave the same in NumPy and JAX, so they are written directly.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

FLOATS = ("float32", "float64")
_RANK = {"bool": 0, "int32": 1, "float32": 2, "float64": 3}
LIMIT = 1e3        # bound on |value| of every float variable
INT_LIMIT = 1e4    # bound on |value| of every int32 variable


def promote(a: str, b: str) -> str:
    """JAX's promotion restricted to bool < int32 < float32 < float64."""
    return a if _RANK[a] >= _RANK[b] else b


def broadcast_shapes(*shapes) -> tuple | None:
    """NumPy broadcasting, or None when the shapes do not broadcast."""
    n = max(len(s) for s in shapes)
    out = []
    for i in range(n):
        dims = {s[len(s) - n + i] for s in shapes if len(s) - n + i >= 0}
        dims.discard(1)
        if len(dims) > 1:
            return None
        out.append(dims.pop() if dims else 1)
    return tuple(out)


def _fmt(x: float) -> str:
    return repr(float(x))


@dataclass
class Var:
    name: str
    shape: tuple
    dtype: str
    lo: float
    hi: float

    @property
    def is_float(self) -> bool:
        return self.dtype in FLOATS

    @property
    def bound(self) -> float:
        return max(abs(self.lo), abs(self.hi))

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass
class Program:
    """A generated program: its inputs, source lines and output variable."""

    inputs: list
    lines: list
    out: Var
    vars: list = field(default_factory=list)
    x64: bool = True
    _fn: object = None

    @property
    def scale(self) -> float:
        """The largest bound of any float variable (for tolerances)."""
        return max([1.0] + [v.bound for v in self.vars if v.is_float])

    def to_source(self) -> str:
        args = ", ".join(["np", "lax"] + [v.name for v in self.inputs])
        sig = ", ".join(f"{v.name}: {v.dtype}{list(v.shape)}" for v in self.inputs)
        body = "\n".join("    " + ln for ln in self.lines)
        return (f"# inputs: {sig}\n"
                f"def program({args}):\n{body}\n    return {self.out.name}\n")

    def fn(self):
        """The program as a Python function ``program(np, lax, *inputs)``."""
        if self._fn is None:
            env: dict = {}
            exec(compile(self.to_source(), "<fuzz program>", "exec"), env)  # noqa: S102
            self._fn = env["program"]
        return self._fn

    def __call__(self, ns, *inputs):
        return self.fn()(ns.np, ns.lax, *inputs)

    def make_inputs(self, rng: np.random.Generator, batch: tuple = ()) -> list:
        """Input arrays drawn inside each input's interval (a leading ``batch`` shape)."""
        return [random_value(rng, v, batch) for v in self.inputs]

    @property
    def float_argnums(self) -> tuple:
        return tuple(i for i, v in enumerate(self.inputs) if v.is_float)


def random_value(rng: np.random.Generator, v: Var, batch: tuple = ()) -> np.ndarray:
    shape = tuple(batch) + v.shape
    if v.dtype == "bool":
        return rng.random(shape) < 0.5
    if v.dtype == "int32":
        return rng.integers(int(v.lo), int(v.hi) + 1, shape).astype(np.int32)
    x = rng.uniform(v.lo, v.hi, shape)
    return np.asarray(x.astype(v.dtype))


class Namespace:
    """The pair of modules a program runs against; ``lax`` also carries the library's
    ``custom_jvp``/``custom_vjp`` (programs write ``@lax.custom_jvp``)."""

    def __init__(self, np_, lax, custom_jvp, custom_vjp):
        self.np = np_
        self.lax = _LaxWithCustomRules(lax, custom_jvp, custom_vjp)


class _LaxWithCustomRules:
    def __init__(self, lax, custom_jvp, custom_vjp):
        self._lax, self.custom_jvp, self.custom_vjp = lax, custom_jvp, custom_vjp

    def __getattr__(self, name):
        return getattr(self._lax, name)


# ----------------------------------------------------------------------------- guard

class Guard:
    """Wraps an eager ``fnp`` and records how close each non-smooth op came to its kink.

    Measured: abs/sign at 0, maximum/minimum ties, clip at a bound, max/min
    reduction ties, equal neighbours in sort.
    ``margin`` ends as the smallest distance seen (relative); derivative checks
    skip programs with ``margin < 1e-6``.  Calls on tracers (inside ``cond``/
    ``scan`` bodies) are not measured; the generator keeps bodies smooth.
    """

    def __init__(self, fnp):
        self._fnp = fnp
        self.margin = math.inf

    def _note(self, m):
        m = float(m)
        if not m >= 0:  # nan
            m = 0.0
        self.margin = min(self.margin, m)

    @staticmethod
    def _concrete(*xs) -> bool:
        return all(isinstance(x, (np.ndarray, np.generic, int, float, bool)) for x in xs)

    def __getattr__(self, name):
        f = getattr(self._fnp, name)
        check = getattr(self, "_check_" + name, None)
        if check is None:
            return f

        def wrapped(*args, **kwargs):
            if self._concrete(*args):
                check(*args, **kwargs)
            return f(*args, **kwargs)
        return wrapped

    def _rel(self, d, x):
        d = np.abs(np.asarray(d, np.float64))
        x = np.abs(np.asarray(x, np.float64))
        return np.min(d / (1.0 + x)) if d.size else math.inf

    def _check_abs(self, x):
        if np.asarray(x).dtype.kind == "f":
            self._note(self._rel(x, 0.0))

    def _check_sign(self, x):
        self._check_abs(x)

    def _check_maximum(self, a, b):
        a, b = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64))
        self._note(self._rel(a - b, a))

    _check_minimum = _check_maximum

    def _check_clip(self, x, lo, hi):
        x = np.asarray(x, np.float64)
        self._note(min(self._rel(x - lo, x), self._rel(x - hi, x)))

    def _check_max(self, x, axis=None, keepdims=False):
        x = np.asarray(x, np.float64)
        if x.ndim == 0:
            return
        axes = tuple(range(x.ndim)) if axis is None else (
            (axis,) if isinstance(axis, int) else tuple(axis))
        axes = tuple(a % x.ndim for a in axes)
        rest = [d for d in range(x.ndim) if d not in axes]
        y = np.transpose(x, rest + list(axes)).reshape([x.shape[d] for d in rest] + [-1])
        if y.shape[-1] < 2 or y.size == 0:
            return
        s = np.sort(y, axis=-1)
        self._note(self._rel(s[..., -1] - s[..., -2], s[..., -1]))
        self._note(self._rel(s[..., 1] - s[..., 0], s[..., 0]))

    _check_min = _check_max

    def _check_sort(self, x, axis=-1):
        x = np.asarray(x, np.float64)
        if x.ndim == 0 or x.shape[axis] < 2:
            return
        s = np.sort(x, axis=axis)
        self._note(self._rel(np.diff(s, axis=axis), np.take(s, range(1, x.shape[axis]),
                                                                 axis=axis)))


# ----------------------------------------------------------------------------- generator

# unary float ops: name -> (requirement on [lo, hi], fixer applied when it fails,
#                           interval of the result)
def _mono(f):
    return lambda lo, hi: (f(lo), f(hi))


def _sq(lo, hi):
    m = max(lo * lo, hi * hi)
    return (0.0 if lo <= 0 <= hi else min(lo * lo, hi * hi)), m


_POS = ("np.add(np.square({}), 0.5)", lambda lo, hi: (0.5, _sq(lo, hi)[1] + 0.5))
_UNIT = ("np.multiply(np.tanh({}), 0.9)", lambda lo, hi: (0.9 * math.tanh(lo), 0.9 * math.tanh(hi)))
_SQUASH = ("np.tanh({})", lambda lo, hi: (math.tanh(lo), math.tanh(hi)))
_GT1 = ("np.add(np.square({}), 1.5)", lambda lo, hi: (1.5, _sq(lo, hi)[1] + 1.5))

UNARY = {
    "sin": (None, None, lambda lo, hi: (-1.0, 1.0)),
    "cos": (None, None, lambda lo, hi: (-1.0, 1.0)),
    "tanh": (None, None, _mono(math.tanh)),
    "arctan": (None, None, _mono(math.atan)),
    "arcsinh": (None, None, _mono(math.asinh)),
    "negative": (None, None, lambda lo, hi: (-hi, -lo)),
    "square": (lambda lo, hi: max(-lo, hi) <= 30, _SQUASH, _sq),
    "exp": (lambda lo, hi: hi <= 5, _SQUASH, _mono(math.exp)),
    "expm1": (lambda lo, hi: hi <= 5, _SQUASH, _mono(math.expm1)),
    "sinh": (lambda lo, hi: max(-lo, hi) <= 4, _SQUASH, _mono(math.sinh)),
    "cosh": (lambda lo, hi: max(-lo, hi) <= 4, _SQUASH,
             lambda lo, hi: (1.0, math.cosh(max(-lo, hi)))),
    "log": (lambda lo, hi: lo >= 0.25, _POS, _mono(math.log)),
    "sqrt": (lambda lo, hi: lo >= 0.25, _POS, _mono(math.sqrt)),
    "reciprocal": (lambda lo, hi: lo >= 0.25, _POS, lambda lo, hi: (1 / hi, 1 / lo)),
    "log1p": (lambda lo, hi: lo >= -0.5, _POS, _mono(math.log1p)),
    "arcsin": (lambda lo, hi: -0.9 <= lo and hi <= 0.9, _UNIT, _mono(math.asin)),
    "arccos": (lambda lo, hi: -0.9 <= lo and hi <= 0.9, _UNIT,
               lambda lo, hi: (math.acos(hi), math.acos(lo))),
    "arctanh": (lambda lo, hi: -0.9 <= lo and hi <= 0.9, _UNIT, _mono(math.atanh)),
    "arccosh": (lambda lo, hi: lo >= 1.25, _GT1, _mono(math.acosh)),
    "tan": (lambda lo, hi: -1.2 <= lo and hi <= 1.2, _SQUASH, _mono(math.tan)),
    "abs": (None, None, lambda lo, hi: (_sq(lo, hi)[0] ** 0.5, max(-lo, hi))),
    "cube": (lambda lo, hi: max(-lo, hi) <= 9, _SQUASH, _mono(lambda x: x ** 3)),
    "pow_half": (lambda lo, hi: lo >= 0.25, _POS, _mono(math.sqrt)),
    "sign": (None, None, lambda lo, hi: (-1.0, 1.0)),
}
SMOOTH_UNARY = ("sin", "cos", "tanh", "arctan", "arcsinh", "negative")

BINARY_FLOAT = ("add", "subtract", "multiply", "divide", "maximum", "minimum", "arctan2",
                "logaddexp")
BINARY_INT = ("add", "subtract", "multiply", "maximum", "minimum")
COMPARE = ("less", "greater", "less_equal", "greater_equal")
LOGICAL = ("logical_and", "logical_or", "logical_xor")


def _interval_binary(op, a, b):
    if op == "add":
        return a[0] + b[0], a[1] + b[1]
    if op == "subtract":
        return a[0] - b[1], a[1] - b[0]
    if op == "multiply":
        p = [x * y for x in a for y in b]
        return min(p), max(p)
    if op == "divide":  # b kept away from 0 by the caller
        p = [x / y for x in a for y in b]
        return min(p), max(p)
    if op == "maximum":
        return max(a[0], b[0]), max(a[1], b[1])
    if op == "minimum":
        return min(a[0], b[0]), min(a[1], b[1])
    if op == "arctan2":
        return -math.pi, math.pi
    if op == "logaddexp":
        return max(a[0], b[0]), max(a[1], b[1]) + math.log(2)
    raise ValueError(op)


class _Builder:
    """Builds one program from hypothesis draws."""

    def __init__(self, draw, *, x64: bool, float_dtypes, allow_int: bool, allow_bool: bool,
                 scalar_inputs: bool, control_flow: bool, custom_vjp: bool = True):
        self.draw = draw
        self.custom_vjp = custom_vjp  # False for programs that forward mode differentiates
        self.x64 = x64
        self.float_dtypes = float_dtypes
        self.allow_int, self.allow_bool = allow_int, allow_bool
        self.scalar_inputs = scalar_inputs
        self.control_flow = control_flow
        self.inputs: list[Var] = []
        self.vars: list[Var] = []
        self.lines: list[str] = []
        self.counter = itertools.count()

    # ---- helpers
    def sample(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    def boolean(self):
        return self.draw(st.booleans())

    def fresh(self, prefix="v"):
        return f"{prefix}{next(self.counter)}"

    def draw_shape(self, min_rank=0, max_rank=3):
        if self.scalar_inputs:
            return ()
        rank = self.integer(min_rank, max_rank)
        return tuple(self.integer(1, 4) for _ in range(rank))

    def new_input(self, shape, dtype, positive=None) -> Var:
        if dtype in FLOATS:
            if positive is None:
                positive = self.integer(0, 3) == 0
            lo, hi = (0.5, 2.0) if positive else (-2.0, 2.0)
        elif dtype == "int32":
            lo, hi = -4, 4
        else:
            lo, hi = 0, 1
        v = Var(self.fresh("x"), tuple(shape), dtype, lo, hi)
        self.inputs.append(v)
        self.vars.append(v)
        return v

    def emit(self, expr, shape, dtype, lo, hi) -> Var:
        if dtype == "bool":
            lo, hi = 0, 1
        elif dtype == "int32":
            lo, hi = int(math.floor(lo)), int(math.ceil(hi))
        v = Var(self.fresh(), tuple(shape), dtype, float(lo), float(hi))
        self.lines.append(f"{v.name} = {expr}")
        self.vars.append(v)
        return v

    def input_dtype(self):
        choices = list(self.float_dtypes)
        if self.allow_int:
            choices.append("int32")
        if self.allow_bool:
            choices.append("bool")
        return self.sample(choices)

    def pick(self, pred=lambda v: True):
        """A variable satisfying ``pred``; shrinks towards the most recent one (deep chains)."""
        cands = [v for v in self.vars if pred(v)]
        if not cands:
            return None
        return cands[-1 - self.integer(0, len(cands) - 1)]

    def operand_like(self, a: Var, dtype_ok, *, allow_const=True, exact_shape=False):
        """A second operand for ``a``: a variable, a fresh input, or a Python constant.

        Returns (source text, shape, dtype, lo, hi)."""
        kinds = ["var", "input"] + (["const"] if allow_const else [])
        kind = self.sample(kinds)
        if kind == "var":
            if exact_shape:
                b = self.pick(lambda v: dtype_ok(v.dtype) and v.shape == a.shape)
            else:
                b = self.pick(lambda v: dtype_ok(v.dtype) and broadcast_shapes(a.shape, v.shape)
                              is not None and len(broadcast_shapes(a.shape, v.shape)) <= 4)
            if b is not None:
                return b.name, b.shape, b.dtype, b.lo, b.hi
            kind = "input"
        if kind == "input":
            shape = a.shape if exact_shape else self.broadcast_partner(a.shape)
            dts = [d for d in (list(self.float_dtypes) + ["int32", "bool"])
                   if dtype_ok(d) and (d in FLOATS or (d == "int32" and self.allow_int)
                                       or (d == "bool" and self.allow_bool))]
            b = self.new_input(shape, self.sample(dts) if dts else a.dtype)
            return b.name, b.shape, b.dtype, b.lo, b.hi
        # a weak Python scalar of a's kind
        if a.dtype == "int32":
            c = self.integer(-3, 3)
            return str(c), (), "int32", c, c
        c = self.sample([0.5, -1.5, 2.0, 0.25, 3.0])
        return _fmt(c), (), a.dtype, c, c

    def broadcast_partner(self, shape):
        if self.scalar_inputs:
            return ()
        dims = [self.sample([d, 1]) if d != 1 else self.sample([1, self.integer(1, 4)])
                for d in shape]
        drop = self.integer(0, len(dims))
        dims = dims[drop:]
        if drop == 0 and len(shape) < 3 and self.boolean():
            dims = [self.integer(1, 3)] + dims
        return tuple(dims)

    # ---- ops (each returns the new Var or None when not applicable)
    def op_unary(self):
        a = self.pick(lambda v: v.is_float)
        if a is None:
            return None
        name = self.sample(list(UNARY))
        req, fix, ival = UNARY[name]
        src, lo, hi = a.name, a.lo, a.hi
        if req is not None and not req(lo, hi):
            src = fix[0].format(src)
            lo, hi = fix[1](lo, hi)
        lo, hi = ival(lo, hi)
        expr = {"cube": f"np.power({src}, 3)",
                "pow_half": f"np.power({src}, 0.5)"}.get(name, f"np.{name}({src})")
        return self.emit(expr, a.shape, a.dtype, lo, hi)

    def op_int_unary(self):
        a = self.pick(lambda v: v.dtype == "int32")
        if a is None:
            return None
        name = self.sample(["negative", "square", "abs", "sign", "floor_divide", "remainder",
                            "bitwise"])
        if name == "square" and a.bound > 100:
            name = "negative"
        if name in ("floor_divide", "remainder"):
            k = self.integer(1, 3)
            lo, hi = (a.lo // k, a.hi // k) if name == "floor_divide" else (0, k - 1)
            return self.emit(f"np.{name}({a.name}, {k})", a.shape, a.dtype, lo, hi)
        if name == "bitwise":
            op = self.sample(["bitwise_and", "bitwise_or", "bitwise_xor"])
            bsrc, bshape, _, blo, bhi = self.operand_like(a, lambda d: d == "int32")
            b = max(a.bound, abs(blo), abs(bhi))
            m = 2 ** int(math.ceil(math.log2(b + 1)))
            return self.emit(f"np.{op}({a.name}, {bsrc})", broadcast_shapes(a.shape, bshape),
                             "int32", -m, m)
        lo, hi = {"negative": (-a.hi, -a.lo), "square": _sq(a.lo, a.hi),
                  "abs": (0, a.bound), "sign": (-1, 1)}[name]
        return self.emit(f"np.{name}({a.name})", a.shape, a.dtype, lo, hi)

    def op_binary(self):
        a = self.pick(lambda v: v.dtype != "bool")
        if a is None:
            return None
        if a.is_float:
            name = self.sample(BINARY_FLOAT)
            ok = lambda d: d != "bool"  # noqa: E731
        else:
            name = self.sample(BINARY_INT)
            ok = lambda d: d == "int32"  # noqa: E731
        bsrc, bshape, bdt, blo, bhi = self.operand_like(a, ok)
        dt = promote(a.dtype, bdt)
        if dt == "int32" and name not in BINARY_INT:
            name = "add"
        if name in ("arctan2", "logaddexp", "divide") and dt not in FLOATS:
            name = "add"
        # divide: the divisor kept away from 0; arctan2: the second operand kept positive,
        # away from the branch cut where the sign of a zero (BLAS's and XLA's sums of
        # products differ there) flips the angle by 2*pi
        if name in ("divide", "arctan2") and not (blo >= 0.25):
            if bdt in FLOATS:
                bsrc, (blo, bhi) = _POS[0].format(bsrc), _POS[1](blo, bhi)
            else:
                name = "multiply"
        lo, hi = _interval_binary(name, (a.lo, a.hi), (blo, bhi))
        lim = LIMIT if dt in FLOATS else INT_LIMIT
        if max(abs(lo), abs(hi)) > lim:
            name = "add"
            lo, hi = _interval_binary(name, (a.lo, a.hi), (blo, bhi))
            if max(abs(lo), abs(hi)) > lim:
                return None
        shape = broadcast_shapes(a.shape, bshape)
        args = [a.name, bsrc]
        if name not in ("divide", "arctan2") and self.boolean():
            args.reverse()
            if name == "subtract":
                lo, hi = -hi, -lo
        return self.emit(f"np.{name}({args[0]}, {args[1]})", shape, dt, lo, hi)

    def op_compare(self):
        a = self.pick(lambda v: v.dtype != "bool")
        if a is None:
            return None
        name = self.sample(COMPARE)
        if a.is_float:
            c = self.sample([0.0, 0.5, -0.3, 1.0])
            bsrc, bshape = _fmt(c), ()
            if self.boolean():
                b = self.pick(lambda v: v.is_float and v is not a
                              and broadcast_shapes(a.shape, v.shape) is not None
                              and len(broadcast_shapes(a.shape, v.shape)) <= 4)
                if b is not None:
                    bsrc, bshape = b.name, b.shape
        else:
            bsrc, bshape = str(self.integer(-2, 2)), ()
        return self.emit(f"np.{name}({a.name}, {bsrc})", broadcast_shapes(a.shape, bshape),
                         "bool", 0, 1)

    def op_logical(self):
        a = self.pick(lambda v: v.dtype == "bool")
        if a is None:
            return None
        if self.boolean():
            return self.emit(f"np.logical_not({a.name})", a.shape, "bool", 0, 1)
        name = self.sample(LOGICAL)
        bsrc, bshape, _, _, _ = self.operand_like(a, lambda d: d == "bool", allow_const=False)
        return self.emit(f"np.{name}({a.name}, {bsrc})", broadcast_shapes(a.shape, bshape),
                         "bool", 0, 1)

    def op_reduce(self):
        a = self.pick()
        if a.dtype == "bool":
            name = self.sample(["any", "all"])
        elif a.dtype == "int32":
            name = self.sample(["max", "min"] if self.x64 else ["sum", "max", "min", "prod"])
        else:
            name = self.sample(["sum", "mean", "max", "min", "prod", "var"])
        # axis
        if a.rank == 0 or self.integer(0, 3) == 0:
            axes = None
        else:
            k = self.integer(1, a.rank)
            axes = tuple(self.draw(st.permutations(range(a.rank)))[:k])
            axes = tuple(ax - a.rank if self.boolean() else ax for ax in axes)
        keep = self.boolean()
        red = range(a.rank) if axes is None else [ax % a.rank for ax in axes]
        n = math.prod(a.shape[d] for d in red) if a.rank else 1
        shape = tuple((1 if d in red else s) for d, s in enumerate(a.shape)
                      if keep or d not in red)
        lo, hi = a.lo, a.hi
        if name == "sum":
            lo, hi = lo * n, hi * n
        elif name == "prod":
            b = a.bound ** n
            lo, hi = -b, b
        elif name == "var":
            lo, hi = 0.0, (hi - lo) ** 2
        lim = LIMIT if a.is_float else INT_LIMIT
        if max(abs(lo), abs(hi)) > lim:
            return None
        if axes is None:
            ax = ""
        elif len(axes) == 1 and self.boolean():
            ax = f", axis={axes[0]}"
        else:
            ax = f", axis={axes!r}"
        kd = ", keepdims=True" if keep else ""
        return self.emit(f"np.{name}({a.name}{ax}{kd})", shape, a.dtype, lo, hi)

    def op_matmul(self):
        a = self.pick(lambda v: v.rank >= 1 and v.dtype != "bool")
        if a is None:
            return None
        k = a.shape[-1]
        if a.rank == 1:
            bshape = self.sample([(k,), (k, self.integer(1, 4))])
        else:
            bshape = self.sample([(k,), (k, self.integer(1, 4))] +
                                 ([(a.shape[0], k, self.integer(1, 4))] if a.rank == 3 else []))
        b = self.pick(lambda v: v.shape == bshape and v.dtype != "bool" and v is not a)
        if b is None or self.boolean():
            b = self.new_input(bshape, self.sample(
                [d for d in self.float_dtypes] + (["int32"] if self.allow_int else [])))
        dt = promote(a.dtype, b.dtype)
        bound = a.bound * b.bound * k
        if bound > (LIMIT if dt in FLOATS else INT_LIMIT):
            return None
        if a.rank == 1 and len(bshape) == 1:
            shape = ()
        elif a.rank == 1:
            shape = (bshape[1],)
        elif len(bshape) == 1:
            shape = a.shape[:-1]
        else:
            shape = broadcast_shapes(a.shape[:-2], bshape[:-2]) + (a.shape[-2], bshape[-1])
        args = (a.name, b.name)
        return self.emit(f"np.matmul({args[0]}, {args[1]})", shape, dt, -bound, bound)

    def op_reshape(self):
        a = self.pick(lambda v: True)
        n = a.size
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        rank = self.integer(0 if n == 1 else 1, 3)
        shape, rem = [], n
        for _ in range(rank - 1):
            d = self.sample([d for d in divisors if rem % d == 0])
            shape.append(d)
            rem //= d
        if rank:
            shape.append(rem)
        shape = tuple(shape)
        txt = list(shape)
        if rank and self.boolean():
            txt[self.integer(0, rank - 1)] = -1
        return self.emit(f"np.reshape({a.name}, {tuple(txt)!r})", shape, a.dtype, a.lo, a.hi)

    def op_transpose(self):
        a = self.pick(lambda v: v.rank >= 2)
        if a is None:
            return None
        if self.boolean():
            return self.emit(f"np.transpose({a.name})", a.shape[::-1], a.dtype, a.lo, a.hi)
        perm = tuple(self.draw(st.permutations(range(a.rank))))
        return self.emit(f"np.transpose({a.name}, {perm!r})",
                         tuple(a.shape[p] for p in perm), a.dtype, a.lo, a.hi)

    def op_expand_squeeze(self):
        a = self.pick(lambda v: True)
        ones = [d for d, s in enumerate(a.shape) if s == 1]
        if ones and self.boolean():
            d = self.sample(ones)
            shape = a.shape[:d] + a.shape[d + 1:]
            return self.emit(f"np.squeeze({a.name}, axis={d})", shape, a.dtype, a.lo, a.hi)
        if a.rank >= 3:
            return None
        d = self.integer(0, a.rank)
        return self.emit(f"np.expand_dims({a.name}, {d})", a.shape[:d] + (1,) + a.shape[d:],
                         a.dtype, a.lo, a.hi)

    def op_slice(self):
        a = self.pick(lambda v: v.rank >= 1)
        if a is None:
            return None
        parts, shape = [], []
        for s in a.shape:
            kind = self.sample(["all", "slice", "int", "rev"])
            if kind == "all":
                parts.append(":")
                shape.append(s)
            elif kind == "int":
                i = self.integer(-s, s - 1)
                parts.append(str(i))
            elif kind == "rev":
                parts.append("::-1")
                shape.append(s)
            else:
                start = self.integer(0, s - 1)
                stop = self.integer(start + 1, s)
                step = self.integer(1, 2)
                parts.append(f"{start}:{stop}" + (f":{step}" if step > 1 else ""))
                shape.append(len(range(start, stop, step)))
        while len(parts) > 1 and parts[-1] == ":":
            parts.pop()
        return self.emit(f"{a.name}[{', '.join(parts)}]", tuple(shape), a.dtype, a.lo, a.hi)

    def op_gather(self):
        a = self.pick(lambda v: v.rank >= 1)
        if a is None:
            return None
        axis = self.integer(0, min(a.rank - 1, 1))
        s = a.shape[axis]
        n = self.integer(1, 4)
        idx = [self.integer(-s, s - 1) for _ in range(n)]
        ind = f"np.array({idx!r}, dtype=np.int32)"
        pre = ":, " * axis
        shape = a.shape[:axis] + (n,) + a.shape[axis + 1:]
        return self.emit(f"{a.name}[{pre}{ind}]", shape, a.dtype, a.lo, a.hi)

    def op_where(self):
        a = self.pick(lambda v: v.dtype != "bool")
        if a is None:
            return None
        c = self.pick(lambda v: v.dtype == "bool" and broadcast_shapes(v.shape, a.shape)
                      is not None and len(broadcast_shapes(v.shape, a.shape)) <= 4)
        if c is None or self.boolean():
            t = self.sample([0.0, 0.3, -0.5]) if a.is_float else self.integer(-1, 1)
            csrc, cshape = f"np.greater({a.name}, {t})", a.shape
        else:
            csrc, cshape = c.name, c.shape
        ok = (lambda d: d != "bool") if a.is_float else (lambda d: d == "int32")
        bsrc, bshape, bdt, blo, bhi = self.operand_like(a, ok)
        shape = broadcast_shapes(cshape, a.shape, bshape)
        if shape is None or len(shape) > 4:
            return None
        args = [a.name, bsrc] if self.boolean() else [bsrc, a.name]
        return self.emit(f"np.where({csrc}, {args[0]}, {args[1]})", shape,
                         promote(a.dtype, bdt), min(a.lo, blo), max(a.hi, bhi))

    def op_concat(self):
        a = self.pick(lambda v: v.rank >= 1)
        if a is None:
            return None
        axis = self.integer(0, a.rank - 1)
        stack = self.integer(0, 3) == 0 and a.rank < 3
        if stack:
            b = self.pick(lambda v: v.shape == a.shape and v.dtype == a.dtype)
            bshape = a.shape
        else:
            b = self.pick(lambda v: v.rank == a.rank and v.dtype == a.dtype and all(
                x == y for d, (x, y) in enumerate(zip(v.shape, a.shape)) if d != axis))
            bshape = a.shape[:axis] + (self.integer(1, 3),) + a.shape[axis + 1:]
        if b is None or self.boolean():
            b = self.new_input(bshape, a.dtype)
        lo, hi = min(a.lo, b.lo), max(a.hi, b.hi)
        ax = axis - a.rank if self.boolean() else axis
        if stack:
            shape = a.shape[:axis] + (2,) + a.shape[axis:]
            return self.emit(f"np.stack([{a.name}, {b.name}], axis={axis})", shape, a.dtype,
                             lo, hi)
        shape = a.shape[:axis] + (a.shape[axis] + b.shape[axis],) + a.shape[axis + 1:]
        return self.emit(f"np.concatenate([{a.name}, {b.name}], axis={ax})", shape, a.dtype,
                         lo, hi)

    def op_astype(self):
        a = self.pick(lambda v: True)
        if a.is_float:
            targets = [d for d in self.float_dtypes if d != a.dtype]
        elif a.dtype == "int32":
            targets = list(self.float_dtypes)
        else:
            targets = list(self.float_dtypes) + (["int32"] if self.allow_int else [])
        if not targets:
            return None
        t = self.sample(targets)
        return self.emit(f"{a.name}.astype(np.{t})", a.shape, t, a.lo, a.hi)

    def op_clip(self):
        a = self.pick(lambda v: v.is_float)
        if a is None:
            return None
        lo = self.sample([-1.0, -0.5, 0.0])
        hi = self.sample([0.5, 1.0, 2.0])
        return self.emit(f"np.clip({a.name}, {_fmt(lo)}, {_fmt(hi)})", a.shape, a.dtype,
                         min(max(a.lo, lo), hi), max(min(a.hi, hi), lo))

    def op_flip(self):
        a = self.pick(lambda v: v.rank >= 1)
        if a is None:
            return None
        ax = self.integer(0, a.rank - 1)
        return self.emit(f"np.flip({a.name}, axis={ax})", a.shape, a.dtype, a.lo, a.hi)

    def op_layout(self):
        """roll, swapaxes, moveaxis, tril/triu, pad, tile, repeat, take, diagonal."""
        a = self.pick(lambda v: v.rank >= 1)
        if a is None:
            return None
        kinds = ["roll", "pad", "tile", "repeat", "take"]
        if a.rank >= 2:
            kinds += ["swapaxes", "moveaxis", "tril", "triu", "diagonal"]
        kind = self.sample(kinds)
        r, sh = a.rank, a.shape
        if kind == "roll":
            shift = self.integer(-3, 3)
            if self.boolean():
                return self.emit(f"np.roll({a.name}, {shift})", sh, a.dtype, a.lo, a.hi)
            ax = self.integer(-r, r - 1)
            return self.emit(f"np.roll({a.name}, {shift}, axis={ax})", sh, a.dtype, a.lo, a.hi)
        if kind in ("swapaxes", "moveaxis"):
            i, j = self.integer(-r, r - 1), self.integer(-r, r - 1)
            perm = list(range(r))
            if kind == "swapaxes":
                perm[i], perm[j] = perm[j], perm[i]
            else:
                perm.pop(i % r)
                perm.insert(j % r, i % r)
            return self.emit(f"np.{kind}({a.name}, {i}, {j})", tuple(sh[p] for p in perm),
                             a.dtype, a.lo, a.hi)
        if kind in ("tril", "triu"):
            k = self.integer(-1, 1)
            lo, hi = min(a.lo, 0), max(a.hi, 0)
            return self.emit(f"np.{kind}({a.name}, {k})", sh, a.dtype, lo, hi)
        if kind == "pad":
            widths = tuple((self.integer(0, 2), self.integer(0, 1)) for _ in sh)
            shape = tuple(s + w0 + w1 for s, (w0, w1) in zip(sh, widths))
            return self.emit(f"np.pad({a.name}, {widths!r})", shape, a.dtype,
                             min(a.lo, 0), max(a.hi, 0))
        if kind == "tile":
            reps = tuple(self.integer(1, 2) for _ in range(self.integer(1, 3)))
            n = max(len(reps), r)
            rr = (1,) * (n - len(reps)) + reps
            ss = (1,) * (n - r) + sh
            if n > 4:
                return None
            return self.emit(f"np.tile({a.name}, {reps!r})", tuple(x * y for x, y in zip(ss, rr)),
                             a.dtype, a.lo, a.hi)
        if kind == "repeat":
            k = self.integer(1, 3)
            ax = self.integer(0, r - 1)
            shape = sh[:ax] + (sh[ax] * k,) + sh[ax + 1:]
            return self.emit(f"np.repeat({a.name}, {k}, axis={ax})", shape, a.dtype, a.lo, a.hi)
        if kind == "take":
            ax = self.integer(0, r - 1)
            idx = [self.integer(0, sh[ax] - 1) for _ in range(self.integer(1, 3))]
            shape = sh[:ax] + (len(idx),) + sh[ax + 1:]
            return self.emit(f"np.take({a.name}, np.array({idx!r}, dtype=np.int32), axis={ax})",
                             shape, a.dtype, a.lo, a.hi)
        # diagonal over the first two axes
        shape = sh[2:] + (min(sh[0], sh[1]),)
        return self.emit(f"np.diagonal({a.name})", shape, a.dtype, a.lo, a.hi)

    def op_scan_like(self):
        """cumsum, cumprod and sort along an axis (floats)."""
        a = self.pick(lambda v: v.rank >= 1 and v.is_float)
        if a is None:
            return None
        kind = self.sample(["cumsum", "sort", "cumprod"])
        ax = self.integer(-a.rank, a.rank - 1)
        n = a.shape[ax]
        lo, hi = a.lo, a.hi
        if kind == "cumsum":
            lo, hi = min(lo, lo * n), max(hi, hi * n)
        elif kind == "cumprod":
            b = max(1.0, a.bound) ** n
            lo, hi = -b, b
        if max(abs(lo), abs(hi)) > LIMIT:
            return None
        return self.emit(f"np.{kind}({a.name}, axis={ax})", a.shape, a.dtype, lo, hi)

    def op_contract(self):
        """einsum, dot, outer, tensordot with a fresh or existing operand."""
        a = self.pick(lambda v: v.rank in (1, 2) and v.dtype != "bool")
        if a is None:
            return None
        if a.rank == 1:
            kind = self.sample(["dot", "outer", "einsum_outer"])
            bshape = a.shape if kind == "dot" else (self.integer(1, 4),)
        else:
            kind = self.sample(["einsum_mm", "einsum_rowdot", "tensordot"])
            bshape = {"einsum_mm": (a.shape[1], self.integer(1, 4)),
                      "einsum_rowdot": a.shape,
                      "tensordot": a.shape}[kind]
        b = self.pick(lambda v: v.shape == bshape and v.dtype == a.dtype and v is not a)
        if b is None or self.boolean():
            b = self.new_input(bshape, a.dtype)
        k = a.shape[-1] if kind not in ("outer", "einsum_outer") else 1
        if kind == "tensordot":
            k = a.size
        bound = a.bound * b.bound * k
        if bound > (LIMIT if a.is_float else INT_LIMIT):
            return None
        x, y = a.name, b.name
        expr, shape = {
            "dot": (f"np.dot({x}, {y})", ()),
            "outer": (f"np.outer({x}, {y})", (a.shape[0], bshape[0])),
            "einsum_outer": (f"np.einsum('i,j->ij', {x}, {y})", (a.shape[0], bshape[0])),
            "einsum_mm": (f"np.einsum('ij,jk->ik', {x}, {y})", (a.shape[0], bshape[-1])),
            "einsum_rowdot": (f"np.einsum('ij,ij->i', {x}, {y})", (a.shape[0],)),
            "tensordot": (f"np.tensordot({x}, {y}, axes=2)", ()),
        }[kind]
        return self.emit(expr, shape, a.dtype, -bound, bound)

    def _smooth_expr(self, src):
        name = self.sample(SMOOTH_UNARY)
        return f"np.{name}({src})"

    def op_cond(self):
        a = self.pick(lambda v: v.is_float)
        if a is None:
            return None
        p = self.pick(lambda v: v.dtype != "bool")
        thr = self.sample([0.0, 0.5, -1.0])
        pred = self.sample(["sum", "max", "mean"])
        pred_src = f"np.greater(np.{pred}({p.name}), {thr})"
        if p.dtype == "int32":
            pred_src = f"np.greater(np.max({p.name}), {int(thr)})"
        # closed-over variable whose broadcast with a keeps a's shape and dtype
        clo = self.pick(lambda v: v.is_float and v is not a and v.dtype == a.dtype
                        and broadcast_shapes(a.shape, v.shape) == a.shape)
        t = self._smooth_expr("a")
        f = self.sample(["np.multiply(a, 0.5)", "np.negative(a)", "a", self._smooth_expr("a")])
        if clo is not None and self.boolean():
            f = f"np.add({f}, np.sin({clo.name}))"
        name = self.fresh("branch")
        self.lines.append(f"def {name}_t(a):")
        self.lines.append(f"    return {t}")
        self.lines.append(f"def {name}_f(a):")
        self.lines.append(f"    return {f}")
        lo, hi = min(-1.0, -a.bound - 1, a.lo), max(1.0, a.bound + 1, a.hi)
        if not a.bound + 1 < LIMIT:
            return None
        if p.rank >= 1 and p.is_float and self.integer(0, 2) == 0:
            # lax.switch on a count (the index is clamped, by JAX and by fl)
            self.lines.append(f"def {name}_s(a):")
            self.lines.append(f"    return {self._smooth_expr('a')}")
            idx = f"np.sum(np.greater({p.name}, {thr}).astype(np.int32))"
            return self.emit(f"lax.switch({idx}, [{name}_t, {name}_f, {name}_s], {a.name})",
                             a.shape, a.dtype, lo, hi)
        return self.emit(f"lax.cond({pred_src}, {name}_t, {name}_f, {a.name})", a.shape,
                         a.dtype, lo, hi)

    def op_scan(self):
        xs = self.pick(lambda v: v.rank >= 1 and v.is_float)
        if xs is None:
            return None
        c = self.pick(lambda v: v.is_float and v.rank <= 2)
        if c is None:
            return None
        xshape = xs.shape[1:]
        dt = promote(c.dtype, xs.dtype)
        if broadcast_shapes(c.shape, xshape) == c.shape:
            term = "x"
        else:
            term = "np.sum(x)"
        decay = self.sample([0.5, -0.8, 1.1])
        carry = f"np.tanh(np.add(np.multiply(c, {decay}), {self._smooth_expr(term)}))"
        if dt != c.dtype:
            carry += f".astype(np.{c.dtype})"
        y = self.sample(["np.multiply(n, 2.0)", "np.cos(c)", f"np.multiply(n, {term})"])
        ydt = dt if y.endswith(f"{term})") else c.dtype
        yshape = c.shape
        name = self.fresh("body")
        self.lines.append(f"def {name}(c, x):")
        self.lines.append(f"    n = {carry}")
        self.lines.append(f"    return n, {y}")
        rev = self.boolean()
        extra = ", reverse=True" if rev else ""
        cv = Var(self.fresh(), c.shape, c.dtype, -1.0, 1.0)
        yv = Var(self.fresh(), (xs.shape[0],) + yshape, ydt,
                 -2.0 * max(1.0, xs.bound), 2.0 * max(1.0, xs.bound))
        if yv.bound > LIMIT:
            return None
        self.lines.append(f"{cv.name}, {yv.name} = lax.scan({name}, {c.name}, {xs.name}{extra})")
        self.vars += [cv, yv]
        return self.sample([cv, yv])

    def op_custom(self):
        """A ``custom_jvp`` function (or ``custom_vjp``, unless forward mode will see the
        program) whose rule is deliberately NOT the true derivative: the libraries agree
        only if both use the rule, at every order (its primal computation, fwd, bwd)."""
        a = self.pick(lambda v: v.is_float)
        if a is None or not a.bound + 1 < LIMIT:
            return None
        name = self.fresh("custom")
        fn, dfn = self.sample(SMOOTH_UNARY), self.sample(SMOOTH_UNARY)
        scale = self.sample([0.5, 2.0, -1.5])
        again = self.boolean()  # the rule's primal: call the function again, or inline
        tangent = f"np.multiply(np.multiply(np.{dfn}(%s), {scale}), %s)"
        if self.custom_vjp and self.boolean():
            primal = f"{name}(a)" if again else f"np.{fn}(a)"
            self.lines += ["@lax.custom_vjp", f"def {name}(a):", f"    return np.{fn}(a)",
                           f"def {name}_fwd(a):", f"    return {primal}, (a,)",
                           f"def {name}_bwd(res, g):",
                           f"    return ({tangent % ('res[0]', 'g')},)",
                           f"{name}.defvjp({name}_fwd, {name}_bwd)"]
        else:
            primal = f"{name}(primals[0])" if again else f"np.{fn}(primals[0])"
            self.lines += ["@lax.custom_jvp", f"def {name}(a):", f"    return np.{fn}(a)",
                           f"@{name}.defjvp", f"def {name}_jvp(primals, tangents):",
                           f"    return {primal}, {tangent % ('primals[0]', 'tangents[0]')}"]
        return self.emit(f"{name}({a.name})", a.shape, a.dtype, -a.bound - 1, a.bound + 1)


OPS = ("op_unary", "op_binary", "op_reduce", "op_matmul", "op_reshape", "op_slice",
       "op_gather", "op_transpose", "op_where", "op_concat", "op_expand_squeeze", "op_compare",
       "op_logical", "op_int_unary", "op_astype", "op_clip", "op_flip", "op_cond", "op_scan",
       "op_layout", "op_scan_like", "op_contract", "op_custom")


@st.composite
def programs(draw, *, x64=None, float_dtypes=None, allow_int=True, allow_bool=True,
             scalar_inputs=False, float_out=False, max_steps=6, control_flow=True,
             min_steps=2, custom_vjp=True):
    """A strategy for :class:`Program`.

    ``x64=None`` draws it; without x64 the only float is float32 (programs
    then match JAX with 64-bit mode off, with it int reductions that default
    to int64 are avoided).  ``float_out`` makes the output a float variable
    derived from the inputs (for derivative properties).
    """
    if x64 is None:
        x64 = draw(st.booleans())
    if float_dtypes is None:
        float_dtypes = FLOATS if x64 else ("float32",)
    b = _Builder(draw, x64=x64, float_dtypes=tuple(float_dtypes), allow_int=allow_int,
                 allow_bool=allow_bool, scalar_inputs=scalar_inputs, control_flow=control_flow,
                 custom_vjp=custom_vjp)
    n_in = draw(st.integers(1, 2))
    for i in range(n_in):
        dt = b.sample(float_dtypes) if (i == 0 and float_out) else b.input_dtype()
        b.new_input(b.draw_shape(), dt)
    ops = [o for o in OPS if control_flow or o not in ("op_cond", "op_scan", "op_custom")]
    n_steps = draw(st.integers(min_steps, max_steps))
    last, done = None, 0
    for _ in range(3 * n_steps):  # ops that do not apply to the drawn operand are redrawn
        op = b.sample(ops)
        v = getattr(b, op)()
        if v is not None:
            last = v
            done += 1
            if done == n_steps:
                break
    if last is None:
        last = b.vars[-1]
    out = last
    if float_out and not out.is_float:
        out = [v for v in b.vars if v.is_float][-1]
    return Program(inputs=b.inputs, lines=b.lines, out=out, vars=b.vars, x64=x64)
