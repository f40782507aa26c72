"""Automatic differentiation: jvp, linearize, vjp, grad, value_and_grad, jacobians.

Both modes are interpreters over the jaxpr of the function:

1. trace the function once at its primals (with their concrete values when
   known, so Python control flow on values works, as under ``jax.grad``);
2. the forward values: reused from that trace when the inputs are concrete
   (eager mode, autograd's tape), else replayed with ``eval_jaxpr`` so the
   forward equations land in the enclosing trace (nesting, jit);
3. forward mode pushes tangents through each equation's ``jvp`` rule; reverse
   mode walks the equations backwards through each ``vjp`` rule, adding the
   cotangents of fan-out with ``add_any`` and keeping zeros symbolic (absent).

Rules are written with traceable operations, so the result of a
transformation can be transformed again: ``grad(grad(f))``, ``jvp(grad(f))``.
"""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

import jax.dtypes
import numpy as np
from jax.tree_util import tree_flatten, tree_map, tree_unflatten

from ..core import (Jaxpr, Literal, Tracer, Var, aval_of, discarding_effects, eval_jaxpr_env,
                    interpreters, interpreting, read, trace_flat, value_of)
from ..core.dtypes import FLOATS
from ..core.tracebacks import api_boundary
from ..ops.tangents import add_any, zeros
from .api_util import check_callable, flatten_fun, normalize_argnums
from .tape import compiled_backward

float0 = jax.dtypes.float0


# ----------------------------------------------------------------------------- tracing

class _Linearized:
    """A function's jaxpr together with the values of all its variables."""

    __slots__ = ("jaxpr", "env", "out_tree", "aux", "replayed")

    def __init__(self, jaxpr, env, out_tree, aux, replayed):
        self.jaxpr = jaxpr
        self.env = env
        self.out_tree = out_tree
        self.aux = aux
        self.replayed = replayed  # values from an enclosing trace (not all concrete)

    def backward(self, out_cts: list) -> list:
        """The cotangents of the inputs (None where zero): from a compiled tape when
        the values are concrete and the structure was seen before, else by the walk."""
        if not self.replayed:
            cts = compiled_backward(self.jaxpr, self.env, out_cts)
            if cts is not None:
                return cts
        return backward_pass(self.jaxpr, self.env, out_cts)


def concrete_value(x, aval):
    """Non-tracer inputs as NumPy values of their abstract dtype (Python 1.0 -> float32)."""
    if isinstance(x, (Tracer, np.ndarray)):
        return x
    return np.asarray(x, dtype=aval.dtype)[()] if not aval.shape else np.asarray(x, aval.dtype)


def _trace_forward(fun: Callable, primals_flat: list, in_tree, has_aux: bool,
                   fname: str, last: list | None = None) -> _Linearized:
    """Trace ``fun`` at the primals' values.  ``last``: ``[jaxpr, its outputs without
    aux, aux count]`` of the previous call of the same transformed function (or Nones),
    which guides this trace (``trace_flat``) and is updated by it."""
    store: dict = {}
    aux_box: list = []

    def user_fun(*args):
        out = fun(*args)
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(f"{fname} with has_aux=True requires the function to return a "
                                f"pair (output, aux), got {type(out).__name__}")
            out, aux = out
            aux_box.append(aux)
        return out

    if has_aux:
        flat_fun = flatten_fun(user_fun, in_tree, store)
    else:  # the common case in one closure (eager grad runs this on every call)
        def flat_fun(*flat_args):
            out_flat, store["out_tree"] = tree_flatten(fun(*tree_unflatten(in_tree, flat_args)))
            return out_flat
    avals, concrete, vals = [], [], []
    # replay the forward equations when an input comes from an enclosing trace (they must
    # land there) or has no value (traced abstractly, under jit/vmap)
    replay = False
    for p in primals_flat:
        a = aval_of(p)
        avals.append(a)
        if type(p) is not np.ndarray:
            if isinstance(p, Tracer):
                replay = True
            else:
                p = concrete_value(p, a)
        concrete.append(p)
        v = value_of(p)
        if v is None:
            replay = True
        vals.append(v)
    primals_flat = concrete
    aux_flat_box: list = []

    def with_aux(*args):
        outs = flat_fun(*args)
        aux_flat, aux_tree = tree_flatten(aux_box[0])
        aux_flat_box.append((len(aux_flat), aux_tree))
        return list(outs) + aux_flat

    # effects (debug.print) run while tracing concrete inputs; with borrowed values the
    # enclosing trace runs them when it replays the forward pass
    jaxpr, consts, env = trace_flat(with_aux if has_aux else flat_fun, avals, vals,
                                    name=fname, run_effects=not replay,
                                    guide=None if replay or last is None else last[0])
    for c in consts:
        if type(c) is not np.ndarray and isinstance(c, Tracer):
            replay = True
    if replay:
        env = _replay_forward(jaxpr, consts, primals_flat)
    aux = None
    full = jaxpr
    if has_aux:
        n_aux, aux_tree = aux_flat_box[0]
        n = len(full.outvars) - n_aux
        aux = tree_unflatten(aux_tree, [read(env, v) for v in full.outvars[n:]])
        if last is not None and full is last[0] and n_aux == last[2]:
            jaxpr = last[1]  # the same program as last time: the same view of it
        else:
            jaxpr = Jaxpr(full.constvars, full.invars, full.eqns, full.outvars[:n])
    if last is not None and not replay:
        last[:] = full, jaxpr, len(full.outvars) - len(jaxpr.outvars)
    return _Linearized(jaxpr, env, store["out_tree"], aux, replay)


def _replay_forward(jaxpr, consts: list, args: list) -> dict:
    """The forward equations evaluated again at the enclosing level (``eval_jaxpr_env``),
    except that a differentiated equation whose primitive has an ``ad_primal`` rule
    (custom_jvp/custom_vjp calls) presents that rule's outputs there.  As in JAX, an
    enclosing derivative then differentiates the custom rule's primal computation (the
    ``jvp`` rule's primal output, the ``fwd`` function) instead of the call again."""
    if all(e.prim.ad_primal is None for e in jaxpr.eqns):
        return eval_jaxpr_env(jaxpr, consts, args)
    active = _active_vars(jaxpr)

    def apply(eqn, invals):
        rule = eqn.prim.ad_primal
        if rule is not None and not active.isdisjoint(eqn.invars):
            return rule(*invals, **eqn.params)
        return eqn.prim.bind(*invals, **eqn.params)
    return eval_jaxpr_env(jaxpr, consts, args, apply)


# ----------------------------------------------------------------------------- forward mode

def _zero_tangent(x):
    a = aval_of(x)
    if a.dtype in FLOATS:
        return zeros(a)
    return np.zeros(a.shape, float0)


def _tangent_pass(jaxpr, env: dict, in_tangents: list) -> list:
    # The primal equations already ran (with their effects) in the forward pass; a jvp
    # rule that recomputes them (control flow, custom_jvp) must not print again (JAX).
    with interpreting(), discarding_effects():
        return _tangent_loop(jaxpr, env, in_tangents)


def _tangent_loop(jaxpr, env: dict, in_tangents: list) -> list:
    tenv = {v: t for v, t in zip(jaxpr.invars, in_tangents) if t is not None}
    for eqn in jaxpr.eqns:
        ts = [tenv.get(v) if type(v) is Var else None for v in eqn.invars]
        if all(t is None for t in ts):
            continue
        primals = [read(env, v) for v in eqn.invars]
        if eqn.prim.multiple_results:
            ans = [env[v] for v in eqn.outvars]
            outs = eqn.prim.jvp(primals, ts, ans, **eqn.params)
            for v, t in zip(eqn.outvars, outs):
                if t is not None:
                    tenv[v] = t
        else:
            t = eqn.prim.jvp(primals, ts, env[eqn.outvars[0]], **eqn.params)
            if t is not None:
                tenv[eqn.outvars[0]] = t
    outs = []
    for v in jaxpr.outvars:
        t = tenv.get(v) if type(v) is Var else None
        outs.append(_zero_tangent(read(env, v)) if t is None else t)
    return outs


def _check_tangents(primals_flat, tangents_flat, fname):
    out = []
    for i, (p, t) in enumerate(zip(primals_flat, tangents_flat)):
        pa = aval_of(p)
        ta = aval_of(t)
        if pa.dtype not in FLOATS:
            if ta.dtype != float0 or ta.shape != pa.shape:
                raise TypeError(f"{fname}: tangent {i} has shape/dtype {ta.str_short()} but its "
                                f"primal is the integer/bool {pa.str_short()}, whose tangent must "
                                f"be float0 of the same shape: pass np.zeros({pa.shape}, "
                                "jax.dtypes.float0).")
            out.append(None)  # integer primal: its tangent is float0, no derivative flows
            continue
        if pa.shape != ta.shape or pa.dtype != ta.dtype:
            raise TypeError(f"{fname}: tangent {i} has shape/dtype {ta.str_short()} but its "
                            f"primal has {pa.str_short()}; tangents must match primals in tree "
                            "structure, shape and dtype (cast with .astype(primal.dtype)).")
        out.append(t)
    return out


@api_boundary
def jvp(fun: Callable, primals, tangents, has_aux: bool = False):
    """Forward mode: ``(fun(*primals), J @ tangents)``.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.jvp(fnp.sin, (0.0,), (2.0,))
    (np.float32(0.0), np.float32(2.0))
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples (or lists) of arguments, "
                        f"got {type(primals).__name__} and {type(tangents).__name__}; "
                        "write jvp(f, (x,), (t,)).")
    primals, tangents = tuple(primals), tuple(tangents)
    p_flat, p_tree = tree_flatten(primals)
    t_flat, t_tree = tree_flatten(tangents)
    if p_tree != t_tree:
        raise TypeError(f"jvp: primal and tangent arguments must have equal tree structure, got "
                        f"{p_tree} and {t_tree}.")
    t_flat = _check_tangents(p_flat, t_flat, "jvp")
    lin = _trace_forward(fun, p_flat, p_tree, has_aux, "jvp")
    outs = [read(lin.env, v) for v in lin.jaxpr.outvars]
    touts = _tangent_pass(lin.jaxpr, lin.env, t_flat)
    res = (tree_unflatten(lin.out_tree, outs), tree_unflatten(lin.out_tree, touts))
    return res + (lin.aux,) if has_aux else res


@api_boundary
def linearize(fun: Callable, *primals, has_aux: bool = False):
    """``(fun(*primals), jvp_fn)`` where ``jvp_fn(*tangents)`` reuses the forward values
    (``(out, jvp_fn, aux)`` with ``has_aux``).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> y, f_jvp = fl.linearize(fnp.exp, 0.0)
    >>> f_jvp(3.0)
    np.float32(3.0)
    """
    p_flat, p_tree = tree_flatten(primals)
    lin = _trace_forward(fun, p_flat, p_tree, has_aux, "linearize")
    outs = [read(lin.env, v) for v in lin.jaxpr.outvars]

    @api_boundary
    def jvp_fn(*tangents):
        t_flat, t_tree = tree_flatten(tangents)
        if t_tree != p_tree:
            raise TypeError(f"linearize: tangents have tree structure {t_tree}, primals "
                            f"{p_tree}")
        t_flat = _check_tangents(p_flat, t_flat, "linearize")
        return tree_unflatten(lin.out_tree, _tangent_pass(lin.jaxpr, lin.env, t_flat))
    res = (tree_unflatten(lin.out_tree, outs), jvp_fn)
    return res + (lin.aux,) if has_aux else res


# ----------------------------------------------------------------------------- reverse mode

def _active_vars(jaxpr) -> set:
    """Variables that depend on a float input (not only through a ``zero_derivative``
    primitive such as ``stop_gradient``): only they need cotangents."""
    active = {v for v in jaxpr.invars if v.aval.dtype in FLOATS}
    for eqn in jaxpr.eqns:
        if not active.isdisjoint(eqn.invars) and not eqn.prim.zero_derivative:
            for v in eqn.outvars:
                if v.aval.dtype in FLOATS:
                    active.add(v)
    return active


def backward_pass(jaxpr, env: dict, out_cts: list, seen: dict | None = None) -> list:
    """Cotangents of ``jaxpr.invars`` (None where zero) given those of its outputs.

    With ``seen`` (a dict), every variable's total cotangent is also stored there
    (used to draw gradients on the computational graph).
    """
    with interpreting():
        return _backward_loop(jaxpr, env, out_cts, seen)


def _backward_loop(jaxpr, env: dict, out_cts: list, seen: dict | None) -> list:
    active = _active_vars(jaxpr)
    is_active = active.__contains__
    ct_env: dict = {}
    pop = ct_env.pop
    for v, ct in zip(jaxpr.outvars, out_cts):
        if ct is not None and v in active:
            ct_env[v] = add_any(ct_env[v], ct) if v in ct_env else ct
    for eqn in reversed(jaxpr.eqns):
        outvars = eqn.outvars
        if eqn.prim.multiple_results:
            g = [pop(v, None) for v in outvars]
            if seen is not None:
                seen.update((v, c) for v, c in zip(outvars, g) if c is not None)
            if all(c is None for c in g):
                continue
            ans = [env[v] for v in outvars]
        else:
            g = pop(outvars[0], None)
            if g is None:
                continue
            if seen is not None:
                seen[outvars[0]] = g
            ans = env[outvars[0]]
        invars = eqn.invars
        needs = list(map(is_active, invars))
        if True not in needs:
            continue
        args = [v.val if type(v) is Literal else env[v] for v in invars]
        cts = eqn.prim.vjp(g, ans, args, needs, **eqn.params)
        for v, ct, need in zip(invars, cts, needs):
            if need and ct is not None:  # fan-out: the copy gate adds its gradients
                ct_env[v] = add_any(ct_env[v], ct) if v in ct_env else ct
    if seen is not None:
        seen.update((v, c) for v, c in ct_env.items())
    return [ct_env.get(v) for v in jaxpr.invars]


def _check_cotangent(out, ct, i):
    oa, ca = aval_of(out), aval_of(ct)
    if oa.dtype not in FLOATS and oa.shape == ca.shape:
        return  # an integer output: its cotangent (float0, as JAX gives) is ignored
    if oa.shape != ca.shape or (oa.dtype != ca.dtype and not ca.weak_type):
        raise TypeError(f"vjp: cotangent {i} has shape/dtype {ca.str_short()} but the "
                        f"function's output {i} has {oa.str_short()}; pass a cotangent of the "
                        "output's shape and dtype.")


@api_boundary
def vjp(fun: Callable, *primals, has_aux: bool = False):
    """Reverse mode: ``(fun(*primals), vjp_fn)``; ``vjp_fn(ct)`` is a tuple, one cotangent
    per primal.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> y, f_vjp = fl.vjp(lambda x, y: x * y, 2.0, 3.0)
    >>> f_vjp(1.0)
    (np.float32(3.0), np.float32(2.0))
    """
    p_flat, p_tree = tree_flatten(primals)
    lin = _trace_forward(fun, p_flat, p_tree, has_aux, "vjp")
    outs = [read(lin.env, v) for v in lin.jaxpr.outvars]

    @api_boundary
    def vjp_fn(ct):
        ct_flat, ct_tree = tree_flatten(ct)
        if ct_tree != lin.out_tree:
            raise TypeError(f"vjp: the cotangent has tree structure {ct_tree} but the function's "
                            f"output has {lin.out_tree}; pass one cotangent per output leaf.")
        for i, (o, c) in enumerate(zip(outs, ct_flat)):
            _check_cotangent(o, c, i)
        ct_flat = [None if aval_of(o).dtype not in FLOATS else c for o, c in zip(outs, ct_flat)]
        cts = lin.backward(ct_flat)
        cts = [(_zero_tangent(p) if c is None else c) for p, c in zip(p_flat, cts)]
        return tuple(tree_unflatten(p_tree, cts))

    res = (tree_unflatten(lin.out_tree, outs), vjp_fn)
    return res + (lin.aux,) if has_aux else res


def _no_holomorphic(holomorphic: bool, fname: str) -> None:
    if holomorphic:
        raise TypeError(f"{fname}: holomorphic=True needs complex numbers, which functorch_lite "
                        "does not support; differentiate the real and imaginary parts as "
                        "separate real functions.")


def _check_grad_inputs(args, argnums, allow_int, fname):
    for i in argnums:
        x = args[i]
        if type(x) is np.ndarray and x.dtype in FLOATS:
            continue
        for leaf in tree_flatten(x)[0]:
            a = aval_of(leaf)
            if a.dtype not in FLOATS and not allow_int:
                fix = ("use fl.jvp directly" if fname == "jacfwd" else
                       "use allow_int=True to get float0 zeros for integer inputs")
                raise TypeError(
                    f"{fname} requires real-valued (float) inputs for differentiation, but "
                    f"argument {i} has a leaf of dtype {a.dtype} ({a.str_short()}). Pass floats "
                    f"(e.g. 1.0 instead of 1, or x.astype(fnp.float32)), choose other argnums, "
                    f"or {fix}.")


def _argnums_partial(fun, args, kwargs, argnums, allow_int, fname):
    """``fun`` as a function of the arguments at ``argnums`` only, and those arguments."""
    nums = normalize_argnums(argnums, len(args), fname)
    _check_grad_inputs(args, nums, allow_int, fname)

    def partial_fun(*dyn):
        full = list(args)
        for i, d in zip(nums, dyn):
            full[i] = d
        return fun(*full, **kwargs)
    return partial_fun, tuple([args[i] for i in nums])


def _value_and_grad_call(fun, argnums, has_aux, allow_int, args, kwargs, last: list):
    """``((out, aux) or out, grads)`` of ``fun(*args, **kwargs)``: one forward trace
    (with the values, eagerly) and one backward pass.  ``last``: the previous call's
    program (see ``_trace_forward``), which guides this call's trace; a training loop's
    calls repeat it, and so skip remaking it and its backward pass's signature."""
    partial_fun, dyn = _argnums_partial(fun, args, kwargs, argnums, allow_int, "grad")
    p_flat, p_tree = tree_flatten(dyn)
    lin = _trace_forward(partial_fun, p_flat, p_tree, has_aux, "grad", last)
    outvars = lin.jaxpr.outvars
    oa = outvars[0].aval if len(outvars) == 1 else None
    if oa is None or oa.shape != () or oa.dtype not in FLOATS or lin.out_tree.num_nodes != 1:
        _bad_grad_output(outvars, lin.out_tree)
    out = read(lin.env, outvars[0])
    cts = lin.backward([np.ones((), oa.dtype)])
    grads = tree_unflatten(p_tree, [(_zero_tangent(p) if c is None else c)
                                    for p, c in zip(p_flat, cts)])
    return ((out, lin.aux) if has_aux else out), (grads[0] if isinstance(argnums, int)
                                                  else grads)


def value_and_grad(fun: Callable, argnums: int | tuple = 0, has_aux: bool = False,
                   holomorphic: bool = False, allow_int: bool = False) -> Callable:
    """``(fun(*args), grad(fun)(*args))`` in one pass.

    >>> import functorch_lite as fl
    >>> fl.value_and_grad(lambda x: x * x)(3.0)
    (np.float32(9.0), np.float32(6.0))
    """
    check_callable(fun, "value_and_grad")
    _no_holomorphic(holomorphic, "value_and_grad")

    last = [None, None, 0]  # the previous call's program (_trace_forward)

    @api_boundary
    def vg(*args, **kwargs):
        return _value_and_grad_call(fun, argnums, has_aux, allow_int, args, kwargs, last)
    vg.__name__ = f"value_and_grad({getattr(fun, '__name__', 'fun')})"
    return vg


def _bad_grad_output(outvars, out_tree):
    desc = ", ".join(v.aval.str_short() for v in outvars) or "nothing"
    if len(outvars) == 1 and outvars[0].aval.shape == () and out_tree.num_nodes != 1:
        kind = type(tree_unflatten(out_tree, [0])).__name__
        raise TypeError(f"grad requires a scalar array output, but the function returned a "
                        f"{kind} holding {desc}; return the scalar itself (e.g. out[0]).")
    if len(outvars) == 1 and outvars[0].aval.shape == ():
        raise TypeError(f"grad requires a real-valued (float) scalar output, but the function "
                        f"returned {desc}: an integer or bool output has no gradient. Compute "
                        "the loss in floating point (drop the .astype, or use "
                        "x.astype(fnp.float32)).")
    raise TypeError(
        f"grad requires a function with a scalar float output, but it returned {desc}. "
        "Reduce it to a scalar (e.g. .sum() or .mean()), or use fl.vjp / fl.jacrev for "
        "vector outputs.")


def grad(fun: Callable, argnums: int | tuple = 0, has_aux: bool = False,
         holomorphic: bool = False, allow_int: bool = False) -> Callable:
    """The gradient of a scalar function, as a pytree like the argument(s) at ``argnums``.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.grad(lambda x: (x ** 2).sum())(fnp.array([1.0, 2.0]))
    array([2., 4.], dtype=float32)
    """
    check_callable(fun, "grad")
    _no_holomorphic(holomorphic, "grad")

    last = [None, None, 0]  # the previous call's program (_trace_forward)

    @api_boundary
    def g(*args, **kwargs):
        out, gr = _value_and_grad_call(fun, argnums, has_aux, allow_int, args, kwargs, last)
        return (gr, out[1]) if has_aux else gr
    g.__name__ = f"grad({getattr(fun, '__name__', 'fun')})"
    return g


# ----------------------------------------------------------------------------- jacobians

def _std_basis(flat: list):
    """Rows of the identity, one pytree-leaf-shaped block per input element."""
    from .. import numpy as fnp
    sizes = [int(np.prod(aval_of(x).shape)) for x in flat]
    n = sum(sizes)
    dt = aval_of(flat[0]).dtype if flat else np.float32
    eye = np.eye(n, dtype=dt)
    out, start = [], 0
    for x, s in zip(flat, sizes):
        a = aval_of(x)
        out.append(fnp.reshape(eye[:, start:start + s].astype(a.dtype), (n,) + a.shape))
        start += s
    return out, n


def jacfwd(fun: Callable, argnums: int | tuple = 0, has_aux: bool = False,
           holomorphic: bool = False) -> Callable:
    """Jacobian by forward mode (``vmap`` of ``jvp`` over the standard basis).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.jacfwd(lambda x: x * 2.0)(fnp.ones(2))
    array([[2., 0.],
           [0., 2.]], dtype=float32)
    """
    check_callable(fun, "jacfwd")
    _no_holomorphic(holomorphic, "jacfwd")

    @api_boundary
    def jac(*args, **kwargs):
        from .. import numpy as fnp
        from .batching import vmap
        partial_fun, dyn = _argnums_partial(fun, args, kwargs, argnums, False, "jacfwd")

        d_flat, d_tree = tree_flatten(dyn)
        basis, n = _std_basis(d_flat)

        def push(*t_flat):
            return jvp(partial_fun, dyn, tree_unflatten(d_tree, list(t_flat)), has_aux=has_aux)

        res = vmap(push, in_axes=0, out_axes=0, axis_size=n)(*basis) if n else None
        if has_aux:
            y, tout, aux = res
            aux = tree_map(lambda a: a[0], aux)
        else:
            y, tout = res
        y = tree_map(lambda a: a[0], y)
        # tout leaves: (n, *out_shape) -> out_shape + in_shapes, split per input leaf
        out_flat, out_tree = tree_flatten(tout)
        jac_leaves = []
        for o, yo in zip(out_flat, tree_flatten(y)[0]):
            oshape = aval_of(o).shape[1:]
            parts, start = [], 0
            for x in d_flat:
                xs = aval_of(x).shape
                s = int(np.prod(xs))
                if aval_of(o).dtype == float0:  # an integer output: zeros of its dtype (JAX)
                    parts.append(np.zeros(oshape + xs, aval_of(yo).dtype))
                    continue
                blk = o[start:start + s]
                blk = fnp.reshape(blk, xs + oshape)
                perm = tuple(range(len(xs), len(xs) + len(oshape))) + tuple(range(len(xs)))
                parts.append(fnp.transpose(blk, perm))
                start += s
            jac_leaves.append(_assemble(parts, d_tree, argnums))
        out = tree_unflatten(out_tree, jac_leaves)
        return (out, aux) if has_aux else out
    return jac


def _assemble(parts, d_tree, argnums):
    tree = tree_unflatten(d_tree, parts)
    return tree[0] if isinstance(argnums, int) else tree


def jacrev(fun: Callable, argnums: int | tuple = 0, has_aux: bool = False,
           holomorphic: bool = False, allow_int: bool = False) -> Callable:
    """Jacobian by reverse mode (``vmap`` of ``vjp`` over the output's standard basis).

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.jacrev(lambda x: x * 2.0)(fnp.ones(2))
    array([[2., 0.],
           [0., 2.]], dtype=float32)
    """
    check_callable(fun, "jacrev")
    _no_holomorphic(holomorphic, "jacrev")

    @api_boundary
    def jac(*args, **kwargs):
        from .. import numpy as fnp
        from .batching import vmap
        partial_fun, dyn = _argnums_partial(fun, args, kwargs, argnums, allow_int, "jacrev")

        res = vjp(partial_fun, *dyn, has_aux=has_aux)
        y, f_vjp = res[0], res[1]
        y_flat, y_tree = tree_flatten(y)
        for o in y_flat:
            if aval_of(o).dtype not in FLOATS:
                raise TypeError(
                    f"jacrev requires real-valued (float) outputs, but the function returned "
                    f"{aval_of(o).str_short()}; an integer or bool output has no Jacobian. "
                    "Compute it in floating point, or use fl.vjp directly.")
        basis, n = _std_basis(y_flat)
        d_flat, d_tree = tree_flatten(dyn)
        cts = vmap(lambda *b: tree_flatten(f_vjp(tree_unflatten(y_tree, list(b))))[0],
                   in_axes=0, out_axes=0, axis_size=n)(*basis)
        # cts[j]: (n, *in_shape_j); n spans all output leaves
        out_leaves, start = [], 0
        for o in y_flat:
            oshape = aval_of(o).shape
            s = int(np.prod(oshape))
            # an integer input (allow_int): zeros of its dtype, as JAX
            parts = [np.zeros(oshape + aval_of(x).shape, aval_of(x).dtype)
                     if aval_of(c).dtype == float0 else
                     fnp.reshape(c[start:start + s], oshape + aval_of(x).shape)
                     for c, x in zip(cts, d_flat)]
            out_leaves.append(_assemble(parts, d_tree, argnums))
            start += s
        out = tree_unflatten(y_tree, out_leaves)
        return (out, res[2]) if has_aux else out
    return jac


def hessian(fun: Callable, argnums: int | tuple = 0, has_aux: bool = False,
            holomorphic: bool = False) -> Callable:
    """``jacfwd(jacrev(fun))``.

    >>> import functorch_lite as fl, functorch_lite.numpy as fnp
    >>> fl.hessian(lambda x: (x ** 3).sum())(fnp.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]], dtype=float32)
    """
    check_callable(fun, "hessian")
    _no_holomorphic(holomorphic, "hessian")

    @api_boundary
    def hess(*args, **kwargs):
        normalize_argnums(argnums, len(args), "hessian")
        return jacfwd(jacrev(fun, argnums, has_aux), argnums, has_aux)(*args, **kwargs)
    return hess


def stop_gradient(x: Any) -> Any:
    """``x`` with zero derivative (applied to every float leaf of a pytree).

    >>> import functorch_lite as fl
    >>> fl.grad(lambda x: x * fl.stop_gradient(x))(3.0)
    np.float32(3.0)
    """
    from ..ops.elementwise import stop_gradient_p

    def leaf(v):
        if aval_of(v).dtype not in FLOATS:
            return v
        return stop_gradient_p.bind(v)
    return tree_map(leaf, x)


interpreters.jvp = jvp
interpreters.vjp = vjp
