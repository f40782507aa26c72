"""Control flow as primitives holding sub-jaxprs: ``cond``, ``while``, ``scan``.

Operands are ``(*consts, *args)``: a body's closed-over values are explicit
operands, so outer tracers flow in like any other input.  Every rule builds its
new bodies by tracing a Python function that applies a transformation to the
old body (through ``core.interpreters``), then binds the primitive again: the
result is again control flow, so it can be transformed once more.
"""
from __future__ import annotations

import jax
import jax.lax as lax
import numpy as np

from ..core import (Jaxpr, Primitive, ShapedArray, Var, aval_of, discarding_effects, eval_jaxpr,
                    interpreters, trace_flat)
from ..core.dtypes import FLOATS
from .rules import move_axis_to_front
from .tangents import zeros

float0 = jax.dtypes.float0


def body_fn(jaxpr: Jaxpr):
    """A jaxpr whose constvars were opened into invars, as a Python function."""
    return lambda *a: eval_jaxpr(jaxpr, [], *a)


def open_jaxpr(jaxpr: Jaxpr) -> Jaxpr:
    """Turn constvars into leading invars (constants become operands)."""
    return Jaxpr([], list(jaxpr.constvars) + list(jaxpr.invars), jaxpr.eqns, jaxpr.outvars)


def trace_body(fun, avals, name: str = "an fl.lax control-flow body") -> tuple[Jaxpr, list]:
    """Trace ``fun(*args) -> list`` into an opened jaxpr and its const operands."""
    jaxpr, consts, _ = trace_flat(fun, list(avals), None, dce=True, name=name)
    return open_jaxpr(jaxpr), list(consts)


def _is_float(a) -> bool:
    return a.dtype in FLOATS


def _shape(x):
    return aval_of(x).shape


def _types(avals):
    return [(a.shape, a.dtype) for a in avals]


def _jvp_fun(f, in_avals):
    """(primals..., tangents of the float inputs...) -> (outs..., tangents of float outs...)."""
    fl = [i for i, a in enumerate(in_avals) if _is_float(a)]

    def g(*args):
        n = len(in_avals)
        primals, ts = list(args[:n]), list(args[n:])
        tangents = [np.zeros(a.shape, float0) for a in in_avals]
        for i, t in zip(fl, ts):
            tangents[i] = t
        outs, touts = interpreters.jvp(f, tuple(primals), tuple(tangents))
        return list(outs) + [t for o, t in zip(outs, touts) if _is_float(aval_of(o))]
    return g, fl


def _tangent_args(primals, tangents, fl):
    return [zeros(aval_of(primals[i])) if tangents[i] is None else tangents[i] for i in fl]


# ----------------------------------------------------------------------------- cond

cond_p = Primitive("cond", multiple_results=True)


def _cond_impl(index, *args, branches):
    i = int(np.clip(int(np.asarray(index)), 0, len(branches) - 1))
    return eval_jaxpr(branches[i], [], *args)


def _cond_aval(index, *avals, branches):
    if index.shape != () or index.dtype not in (np.dtype(np.int32), np.dtype(np.bool_)):
        raise TypeError(f"cond: the predicate/index must be a scalar bool or int32, got "
                        f"{index.str_short()}")
    outs = branches[0].out_avals
    for k, br in enumerate(branches[1:], 1):
        if _types(br.out_avals) != _types(outs):
            raise TypeError("cond/switch: branches must return values of identical types, but "
                            f"branch 0 returns {[a.str_short() for a in outs]} and branch {k} "
                            f"returns {[a.str_short() for a in br.out_avals]}")
    return [a.strip_weak() for a in outs]


def _cond_jvp(primals, tangents, ans, *, branches):
    index, args = primals[0], list(primals[1:])
    in_avals = [aval_of(a) for a in args]
    new = []
    for br in branches:
        g, fl = _jvp_fun(body_fn(br), in_avals)
        jx, consts = trace_body(g, in_avals + [in_avals[i] for i in fl])
        new.append((jx, consts))
    ts = _tangent_args(args, list(tangents[1:]), fl)
    outs = _bind_cond(index, args + ts, new)
    n = len(ans)
    touts = outs[n:]
    it = iter(touts)
    return [next(it) if _is_float(aval_of(o)) else None for o in ans]


def _bind_cond(index, args, traced):
    """Bind cond over per-branch (jaxpr, consts): all consts become shared operands."""
    all_consts, brs = [], []
    offsets = []
    for _jx, consts in traced:
        offsets.append(len(all_consts))
        all_consts.extend(consts)
    for (jx, consts), off in zip(traced, offsets):
        nconst = len(consts)
        dummies_before = [Var(aval_of(c)) for c in all_consts[:off]]
        dummies_after = [Var(aval_of(c)) for c in all_consts[off + nconst:]]
        brs.append(Jaxpr([], dummies_before + jx.invars[:nconst] + dummies_after +
                         jx.invars[nconst:], jx.eqns, jx.outvars))
    return cond_p.bind(index, *all_consts, *args, branches=tuple(brs))


def _cond_vjp(g, ans, args, needs, *, branches):
    index, ops = args[0], list(args[1:])
    in_avals = [aval_of(a) for a in ops]
    out_avals = [aval_of(a) for a in ans]
    gs = [zeros(a) if c is None else c for c, a in zip(g, out_avals)]
    traced = []
    for br in branches:
        f = body_fn(br)

        def bwd(*a, f=f):
            prim, cts = a[:len(in_avals)], a[len(in_avals):]
            with discarding_effects():  # the branch's effects ran in the forward pass
                _, f_vjp = interpreters.vjp(f, *prim)
            out = f_vjp(list(cts))
            return [out[i] for i, av in enumerate(in_avals) if _is_float(av)]
        traced.append(trace_body(bwd, in_avals + out_avals))
    cts = _bind_cond(index, ops + gs, traced)
    it = iter(cts)
    res = [None]
    for a, need in zip(in_avals, needs[1:]):
        c = next(it) if _is_float(a) else None
        res.append(c if need else None)
    return res


def _cond_batch(args, dims, *, branches):
    from .elementwise import convert_element_type, maximum, minimum, select_n
    index, idim = args[0], dims[0]
    ops, odims = list(args[1:]), list(dims[1:])
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    moved = [move_axis_to_front(a, d) if d is not None else a for a, d in zip(ops, odims)]
    in_axes = tuple(0 if d is not None else None for d in odims)
    if idim is None:
        traced = []
        for br in branches:
            vf = interpreters.vmap(body_fn(br), in_axes=in_axes, out_axes=0, axis_size=size)
            in_avals = [aval_of(m) for m in moved]
            traced.append(trace_body(lambda *a, vf=vf: list(vf(*a)), in_avals))
        return _bind_cond(index, moved, traced), [0] * len(branches[0].outvars)
    # A batched predicate: run every branch on the whole batch and select per lane.
    outs = [interpreters.vmap(body_fn(br), in_axes=in_axes, out_axes=0, axis_size=size)(*moved)
            for br in branches]
    idx = move_axis_to_front(index, idim)
    if aval_of(idx).dtype == np.dtype(np.bool_):
        idx = convert_element_type(idx, np.int32)
    # clamp into the branch range per lane, as the unbatched cond does (impl, lowering)
    idx = minimum(maximum(idx, np.int32(0)), np.int32(len(branches) - 1))
    res = []
    for k in range(len(branches[0].outvars)):
        cases = [o[k] for o in outs]
        r = len(_shape(cases[0]))
        from .shapes import broadcast_in_dim
        pi = broadcast_in_dim(idx, _shape(cases[0]), (0,)) if r > 1 else idx
        res.append(select_n(pi, *cases))
    return res, [0] * len(res)


def _cond_lower(index, *args, branches):
    fns = [lambda *a, br=br: interpreters.lower_jaxpr(br, [], *a) for br in branches]
    return lax.switch(lax.convert_element_type(index, np.int32), fns, *args)


cond_p.impl = _cond_impl
cond_p.abstract_eval = _cond_aval
cond_p.jvp = _cond_jvp
cond_p.vjp = _cond_vjp
cond_p.batch = _cond_batch
cond_p.lower = _cond_lower

# ----------------------------------------------------------------------------- while

while_p = Primitive("while", multiple_results=True)


def _while_impl(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cc = list(args[:cond_nconsts])
    bc = list(args[cond_nconsts:cond_nconsts + body_nconsts])
    carry = list(args[cond_nconsts + body_nconsts:])
    while bool(eval_jaxpr(cond_jaxpr, [], *cc, *carry)[0]):
        carry = eval_jaxpr(body_jaxpr, [], *bc, *carry)
    return carry


def _while_aval(*avals, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    carry = avals[cond_nconsts + body_nconsts:]
    if _types(body_jaxpr.out_avals) != _types(carry):
        raise TypeError("while_loop: body_fun must return a carry of the same type as its input, "
                        f"got input {[a.str_short() for a in carry]} and output "
                        f"{[a.str_short() for a in body_jaxpr.out_avals]}")
    c = cond_jaxpr.out_avals
    if len(c) != 1 or c[0].shape != () or c[0].dtype != np.bool_:
        raise TypeError("while_loop: cond_fun must return a scalar boolean, got "
                        f"{[a.str_short() for a in c]}")
    return [a.strip_weak() for a in carry]


def _while_jvp(primals, tangents, ans, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    nc, nb = cond_nconsts, body_nconsts
    cc, bc, carry = primals[:nc], primals[nc:nc + nb], primals[nc + nb:]
    bc_avals = [aval_of(a) for a in bc]
    carry_avals = [aval_of(a) for a in carry]
    fl_c = [i for i, a in enumerate(carry_avals) if _is_float(a)]
    fl_b = [i for i, a in enumerate(bc_avals) if _is_float(a)]
    cbody = body_fn(body_jaxpr)

    def body(*a):
        nbc, ncar = len(bc), len(carry)
        b, c = list(a[:nbc]), list(a[nbc:nbc + ncar])
        rest = list(a[nbc + ncar:])
        bt, ct = rest[:len(fl_b)], rest[len(fl_b):]
        tb = [np.zeros(x.shape, float0) for x in bc_avals]
        tc = [np.zeros(x.shape, float0) for x in carry_avals]
        for i, t in zip(fl_b, bt):
            tb[i] = t
        for i, t in zip(fl_c, ct):
            tc[i] = t
        outs, touts = interpreters.jvp(cbody, tuple(b + c), tuple(tb + tc))
        return list(outs) + [touts[i] for i in fl_c]
    bt_avals = [bc_avals[i] for i in fl_b]
    ct_avals = [carry_avals[i] for i in fl_c]
    # body operands: (body consts, bc tangents) are loop-invariant; carry = (carry, carry tangents)
    bjx, bconsts = trace_body(
        lambda *a: body(*a[:len(bc)], *a[len(bc) + len(bt_avals):len(bc) + len(bt_avals) +
                                           len(carry)],
                        *a[len(bc):len(bc) + len(bt_avals)],
                        *a[len(bc) + len(bt_avals) + len(carry):]),
        bc_avals + bt_avals + carry_avals + ct_avals)
    ccall = body_fn(cond_jaxpr)
    cjx, cconsts = trace_body(lambda *a: ccall(*a[:nc + len(carry)]),
                              [aval_of(a) for a in cc] + carry_avals + ct_avals)
    bts = _tangent_args(list(bc), list(tangents[nc:nc + nb]), fl_b)
    cts = _tangent_args(list(carry), list(tangents[nc + nb:]), fl_c)
    outs = while_p.bind(*cconsts, *cc, *bconsts, *bc, *bts, *carry, *cts,
                        cond_jaxpr=cjx, body_jaxpr=bjx, cond_nconsts=len(cconsts) + nc,
                        body_nconsts=len(bconsts) + nb + len(bts))
    touts = outs[len(carry):]
    it = iter(touts)
    return [next(it) if i in fl_c else None for i in range(len(carry))]


def _while_vjp(*a, **k):
    raise TypeError("Reverse-mode differentiation does not work through fl.lax.while_loop (its "
                    "trip count is not known in advance, so the forward values cannot be kept). "
                    "Use fl.lax.fori_loop with static bounds or fl.lax.scan, or forward mode "
                    "(jvp / jacfwd).")


def _while_batch(args, dims, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    from .elementwise import select_n
    from .reductions import reduce_or
    from .shapes import broadcast_in_dim
    nc, nb = cond_nconsts, body_nconsts
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    consts = list(args[:nc + nb])
    cdims = list(dims[:nc + nb])
    carry = [move_axis_to_front(a, d, size) for a, d in zip(args[nc + nb:], dims[nc + nb:])]
    consts = [move_axis_to_front(a, d) if d is not None else a for a, d in zip(consts, cdims)]
    c_axes = tuple(0 if d is not None else None for d in cdims[:nc]) + (0,) * len(carry)
    b_axes = tuple(0 if d is not None else None for d in cdims[nc:]) + (0,) * len(carry)
    vcond = interpreters.vmap(body_fn(cond_jaxpr), in_axes=c_axes, axis_size=size)
    vbody = interpreters.vmap(body_fn(body_jaxpr), in_axes=b_axes, axis_size=size)
    carry_avals = [aval_of(c) for c in carry]
    cc_avals = [aval_of(c) for c in consts[:nc]]
    bc_avals = [aval_of(c) for c in consts[nc:]]

    def cond(*a):
        return [reduce_or(vcond(*a)[0], (0,))]

    def body(*a):
        ccs, bcs, cs = a[:nc], a[nc:nc + nb], a[nc + nb:]
        pred = vcond(*ccs, *cs)[0]
        new = vbody(*bcs, *cs)
        out = []
        for old, nw in zip(cs, new):
            s = _shape(old)
            p = broadcast_in_dim(pred, s, (0,)) if len(s) > 1 else pred
            out.append(select_n(p, old, nw))
        return out
    cjx, cconsts = trace_body(cond, cc_avals + carry_avals)
    bjx, bconsts = trace_body(body, cc_avals + bc_avals + carry_avals)
    outs = while_p.bind(*cconsts, *consts[:nc], *bconsts, *consts[:nc], *consts[nc:], *carry,
                        cond_jaxpr=cjx, body_jaxpr=bjx, cond_nconsts=len(cconsts) + nc,
                        body_nconsts=len(bconsts) + nc + nb)
    return outs, [0] * len(outs)


def _while_lower(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    nc, nb = cond_nconsts, body_nconsts
    cc, bc, carry = args[:nc], args[nc:nc + nb], args[nc + nb:]
    return lax.while_loop(
        lambda c: interpreters.lower_jaxpr(cond_jaxpr, [], *cc, *c)[0],
        lambda c: tuple(interpreters.lower_jaxpr(body_jaxpr, [], *bc, *c)), tuple(carry))


while_p.impl = _while_impl
while_p.abstract_eval = _while_aval
while_p.jvp = _while_jvp
while_p.vjp = _while_vjp
while_p.batch = _while_batch
while_p.lower = _while_lower

# ----------------------------------------------------------------------------- scan

scan_p = Primitive("scan", multiple_results=True)


def _scan_impl(*args, jaxpr, num_consts, num_carry, length, reverse):
    consts = list(args[:num_consts])
    carry = list(args[num_consts:num_consts + num_carry])
    xs = args[num_consts + num_carry:]
    ys = []
    order = range(length - 1, -1, -1) if reverse else range(length)
    for i in order:
        out = eval_jaxpr(jaxpr, [], *consts, *carry, *[np.asarray(x)[i] for x in xs])
        carry, y = out[:num_carry], out[num_carry:]
        ys.append(y)
    if reverse:
        ys.reverse()
    n_y = len(jaxpr.outvars) - num_carry
    y_avals = jaxpr.out_avals[num_carry:]
    stacked = [np.stack([np.asarray(y[k]) for y in ys]).astype(y_avals[k].dtype) if ys else
               np.zeros((0,) + y_avals[k].shape, y_avals[k].dtype) for k in range(n_y)]
    return [np.asarray(c) for c in carry] + stacked


def _scan_aval(*avals, jaxpr, num_consts, num_carry, length, reverse):
    carry = avals[num_consts:num_consts + num_carry]
    xs = avals[num_consts + num_carry:]
    for x in xs:
        if not x.shape or x.shape[0] != length:
            raise TypeError(f"scan: every xs leaf must have leading dimension length={length}, "
                            f"got {x.str_short()}")
    outs = jaxpr.out_avals
    if _types(outs[:num_carry]) != _types(carry):
        raise TypeError("scan: the body must return a carry of the same type as its input, got "
                        f"input {[a.str_short() for a in carry]} and output "
                        f"{[a.str_short() for a in outs[:num_carry]]}")
    return [a.strip_weak() for a in carry] + [
        ShapedArray((length,) + a.shape, a.dtype) for a in outs[num_carry:]]


def _scan_jvp(primals, tangents, ans, *, jaxpr, num_consts, num_carry, length, reverse):
    nc, nk = num_consts, num_carry
    avals = [aval_of(a) for a in primals]
    body_avals = avals[:nc + nk] + [ShapedArray(a.shape[1:], a.dtype) for a in avals[nc + nk:]]
    fl = [i for i, a in enumerate(avals) if _is_float(a)]
    g, _ = _jvp_fun(body_fn(jaxpr), body_avals)
    fl_const = [i for i in fl if i < nc]
    fl_carry = [i for i in fl if nc <= i < nc + nk]
    fl_xs = [i for i in fl if i >= nc + nk]
    n_out_carry_t = sum(1 for a in jaxpr.out_avals[:nk] if _is_float(a))

    # new operand order: consts, const tangents | carry, carry tangents | xs, xs tangents
    def body(*a):
        k = 0
        c = list(a[k:k + nc]); k += nc
        ct = list(a[k:k + len(fl_const)]); k += len(fl_const)
        car = list(a[k:k + nk]); k += nk
        cart = list(a[k:k + len(fl_carry)]); k += len(fl_carry)
        x = list(a[k:k + len(avals) - nc - nk]); k += len(avals) - nc - nk
        xt = list(a[k:])
        outs = g(*c, *car, *x, *ct, *cart, *xt)
        n_out = len(jaxpr.outvars)
        o, t = outs[:n_out], outs[n_out:]
        return o[:nk] + t[:n_out_carry_t] + o[nk:] + t[n_out_carry_t:]
    b_avals = (body_avals[:nc] + [body_avals[i] for i in fl_const] + body_avals[nc:nc + nk] +
               [body_avals[i] for i in fl_carry] + body_avals[nc + nk:] +
               [body_avals[i] for i in fl_xs])
    jx, consts = trace_body(body, b_avals)
    ts = _tangent_args(list(primals), list(tangents), fl)
    tc = ts[:len(fl_const)]
    tk = ts[len(fl_const):len(fl_const) + len(fl_carry)]
    tx = ts[len(fl_const) + len(fl_carry):]
    outs = scan_p.bind(*consts, *primals[:nc], *tc, *primals[nc:nc + nk], *tk,
                       *primals[nc + nk:], *tx, jaxpr=jx,
                       num_consts=len(consts) + nc + len(tc), num_carry=nk + len(tk),
                       length=length, reverse=reverse)
    carry_t = outs[nk:nk + len(tk)]
    n_y = len(jaxpr.outvars) - nk
    y_t = outs[nk + len(tk) + n_y:]
    res, it_c, it_y = [], iter(carry_t), iter(y_t)
    for i, a in enumerate(ans):
        if not _is_float(aval_of(a)):
            res.append(None)
        else:
            res.append(next(it_c) if i < nk else next(it_y))
    return res


def _scan_vjp(g, ans, args, needs, *, jaxpr, num_consts, num_carry, length, reverse):
    # Forward: rerun the scan emitting each step's input carry (the residuals).
    # Backward: a reverse scan whose body is the VJP of one step.
    nc, nk = num_consts, num_carry
    avals = [aval_of(a) for a in args]
    consts, carry0, xs = list(args[:nc]), list(args[nc:nc + nk]), list(args[nc + nk:])
    x_avals = [ShapedArray(a.shape[1:], a.dtype) for a in avals[nc + nk:]]
    step = body_fn(jaxpr)

    def fwd_body(*a):
        out = step(*a)
        return list(out[:nk]) + list(a[nc:nc + nk])
    with discarding_effects():  # recomputed steps: their effects ran in the forward pass
        fjx, fconsts = trace_body(fwd_body, avals[:nc + nk] + x_avals)
    fouts = scan_p.bind(*fconsts, *consts, *carry0, *xs, jaxpr=fjx,
                        num_consts=len(fconsts) + nc, num_carry=nk, length=length,
                        reverse=reverse)
    carries = fouts[nk:]  # stacked input carry of every step
    out_avals = [aval_of(a) for a in ans]
    gs = [zeros(a) if c is None else c for c, a in zip(g, out_avals)]
    g_carry, g_ys = gs[:nk], gs[nk:]
    fl_const = [i for i in range(nc) if _is_float(avals[i])]
    fl_carry = [i for i in range(nk) if _is_float(avals[nc + i])]
    fl_x = [i for i, a in enumerate(x_avals) if _is_float(a)]
    y_avals = [ShapedArray(a.shape[1:], a.dtype) for a in out_avals[nk:]]
    carry_avals = avals[nc:nc + nk]

    def bwd_body(*a):
        k = 0
        c = list(a[k:k + nc]); k += nc
        acc = list(a[k:k + len(fl_const)]); k += len(fl_const)
        ct_carry = list(a[k:k + nk]); k += nk
        car = list(a[k:k + nk]); k += nk
        x = list(a[k:k + len(x_avals)]); k += len(x_avals)
        gy = list(a[k:])
        with discarding_effects():
            _, f_vjp = interpreters.vjp(lambda *p: step(*p), *c, *car, *x)
        cts = f_vjp(ct_carry + gy)
        d_c = [cts[i] for i in fl_const]
        d_car = [cts[nc + i] if i in fl_carry else zeros(carry_avals[i]) for i in range(nk)]
        d_x = [cts[nc + nk + i] for i in fl_x]
        from .tangents import add_any
        return [add_any(s, d) for s, d in zip(acc, d_c)] + d_car + d_x
    b_avals = (avals[:nc] + [avals[i] for i in fl_const] + carry_avals + carry_avals +
               x_avals + y_avals)
    bjx, bconsts = trace_body(bwd_body, b_avals)
    acc0 = [zeros(avals[i]) for i in fl_const]
    bouts = scan_p.bind(*bconsts, *consts, *acc0, *g_carry, *carries, *xs, *g_ys, jaxpr=bjx,
                        num_consts=len(bconsts) + nc, num_carry=len(fl_const) + nk,
                        length=length, reverse=not reverse)
    d_consts = bouts[:len(fl_const)]
    d_carry0 = bouts[len(fl_const):len(fl_const) + nk]
    d_xs = bouts[len(fl_const) + nk:]
    res = [None] * len(args)
    for i, d in zip(fl_const, d_consts):
        res[i] = d
    for i in fl_carry:
        res[nc + i] = d_carry0[i]
    for i, d in zip(fl_x, d_xs):
        res[nc + nk + i] = d
    return [r if n else None for r, n in zip(res, needs)]


def _scan_batch(args, dims, *, jaxpr, num_consts, num_carry, length, reverse):
    from .shapes import transpose
    nc, nk = num_consts, num_carry
    size = next(_shape(a)[d] for a, d in zip(args, dims) if d is not None)
    consts = [move_axis_to_front(a, d) if d is not None else a
              for a, d in zip(args[:nc], dims[:nc])]
    carry = [move_axis_to_front(a, d, size) for a, d in zip(args[nc:nc + nk], dims[nc:nc + nk])]
    xs = []
    x_axes = []
    for a, d in zip(args[nc + nk:], dims[nc + nk:]):
        if d is None:
            xs.append(a)
            x_axes.append(None)
        else:
            a = move_axis_to_front(a, d)  # (B, T, ...) -> (T, B, ...)
            r = len(_shape(a))
            xs.append(transpose(a, (1, 0) + tuple(range(2, r))))
            x_axes.append(0)
    in_axes = tuple(0 if d is not None else None for d in dims[:nc]) + (0,) * nk + tuple(x_axes)
    vb = interpreters.vmap(body_fn(jaxpr), in_axes=in_axes, out_axes=0, axis_size=size)
    b_avals = ([aval_of(c) for c in consts] + [aval_of(c) for c in carry] +
               [ShapedArray(aval_of(x).shape[1:], aval_of(x).dtype) for x in xs])
    bjx, bconsts = trace_body(lambda *a: list(vb(*a)), b_avals)
    outs = scan_p.bind(*bconsts, *consts, *carry, *xs, jaxpr=bjx,
                       num_consts=len(bconsts) + nc, num_carry=nk, length=length,
                       reverse=reverse)
    return outs, [0] * nk + [1] * (len(outs) - nk)


def _scan_lower(*args, jaxpr, num_consts, num_carry, length, reverse):
    nc, nk = num_consts, num_carry
    consts, carry, xs = args[:nc], args[nc:nc + nk], args[nc + nk:]

    def f(c, x):
        out = interpreters.lower_jaxpr(jaxpr, [], *consts, *c, *x)
        return tuple(out[:nk]), tuple(out[nk:])
    c, ys = lax.scan(f, tuple(carry), tuple(xs), length=length, reverse=reverse)
    return list(c) + list(ys)


scan_p.impl = _scan_impl
scan_p.abstract_eval = _scan_aval
scan_p.jvp = _scan_jvp
scan_p.vjp = _scan_vjp
scan_p.batch = _scan_batch
scan_p.lower = _scan_lower
