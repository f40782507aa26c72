"""The error contract (api.md, "Errors"): bad input gets an exception that names the
offending argument or operation, the shapes/dtypes involved and what to do instead;
never a silent wrong answer, never a bare KeyError/AssertionError from the library.

Each case is a snippet of user code run in a small namespace (``x`` is ``f32[3]``,
``m`` is ``f32[2, 3]``).  The same snippets generate the README's error table
(``python tests/error_table.py`` imports ``CASES`` and ``run_case``), so the table
shows the library's messages verbatim.
"""
from __future__ import annotations

import re
import traceback
from typing import NamedTuple

import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp


class Case(NamedTuple):
    id: str
    bad_input: str          # what the user did wrong (table column 1)
    src: str                # the user's code; the last line raises
    exc: type               # expected exception type
    patterns: tuple         # regexes the message must contain (op/argument, shapes, fix)
    xfail: str | None = None  # reason, when the library's message is still deficient
    table: bool = True      # listed in the README table


def _namespace() -> dict:
    return {"np": np, "fl": fl, "fnp": fnp,
            "x": np.ones(3, np.float32), "m": np.ones((2, 3), np.float32)}


def run_case(case: Case) -> BaseException | None:
    """Run ``case.src``; return the exception it raised (None if it raised nothing)."""
    try:
        exec(compile(case.src, f"<{case.id}>", "exec"), _namespace())
    except Exception as e:  # noqa: BLE001  (what the user would see)
        return e
    return None


_LEAK = ("box = []\n"
         "fl.jit(lambda x: box.append(x) or x)(x)\n"
         "fnp.sin(box[0])")
_CUSTOM_VJP = ("@fl.custom_vjp\n"
               "def f(x):\n"
               "    return fnp.sin(x)\n"
               "f.defvjp(lambda x: (fnp.sin(x), x), lambda r, g: (g[:2],))\n"
               "fl.grad(lambda x: fnp.sum(f(x)))(x)")
_CUSTOM_JVP_SHAPE = ("@fl.custom_jvp\n"
                     "def f(x):\n"
                     "    return fnp.sin(x)\n"
                     "f.defjvp(lambda p, t: (fnp.sin(p[0]), t[0][:2]))\n"
                     "fl.jvp(f, (x,), (x,))")
_CUSTOM_JVP_PAIR = ("@fl.custom_jvp\n"
                    "def f(x):\n"
                    "    return fnp.sin(x)\n"
                    "f.defjvp(lambda p, t: fnp.sin(p[0]))\n"
                    "fl.jvp(f, (x,), (x,))")

CT = fl.ConcretizationTypeError
TC = fl.TracerArrayConversionError
FIX_CF = (r"fl\.lax\.cond", r"static_argnums")

CASES = [
    # ------------------------------------------------------------- differentiation
    Case("grad_nonscalar", "`grad` of a non-scalar output",
         "fl.grad(lambda x: x * 2.0)(x)", TypeError,
         (r"^grad", r"scalar", r"f32\[3\]", r"\.sum\(\)", r"fl\.vjp|fl\.jacrev")),
    Case("grad_list_output", "`grad` of a function returning a list",
         "fl.grad(lambda x: [fnp.sum(x)])(x)", TypeError, (r"grad", r"scalar", r"list")),
    Case("grad_int_output", "`grad` of an integer output",
         "fl.grad(lambda x: fnp.sum(x).astype(fnp.int32))(x)", TypeError,
         (r"^grad", r"float", r"i32\[\]")),
    Case("grad_int_output_fix", "`grad` of an integer output: the fix",
         "fl.grad(lambda x: fnp.sum(x).astype(fnp.int32))(x)", TypeError,
         (r"astype|cast|float output dtype|fl\.vjp directly",), table=False),
    Case("jacrev_int_output", "`jacrev` of an integer output",
         "fl.jacrev(lambda x: x.astype(fnp.int32))(x)", TypeError,
         (r"jacrev", r"int32|i32", r"float|real")),
    Case("grad_int_input", "`grad` w.r.t. an integer input (no `allow_int`)",
         "fl.grad(lambda n: fnp.sum(n * 1.0))(np.arange(3, dtype=np.int32))", TypeError,
         (r"^grad", r"argument 0", r"int32", r"allow_int=True", r"astype")),
    Case("argnums_out_of_range", "`argnums` out of range",
         "fl.grad(lambda x: fnp.sum(x), argnums=1)(x)", ValueError,
         (r"grad", r"argnums=1", r"out of range", r"1 positional")),
    Case("argnums_not_int", "`argnums` not an int",
         "fl.grad(lambda x: fnp.sum(x), argnums=1.0)(x)", TypeError,
         (r"argnums", r"int", r"1\.0")),
    Case("has_aux_not_pair", "`has_aux=True` but the function returns no pair",
         "fl.grad(lambda x: fnp.sum(x), has_aux=True)(x)", TypeError,
         (r"^grad", r"has_aux=True", r"pair \(output, aux\)", r"Tracer|ndarray|float")),
    Case("jvp_tree", "`jvp` tangents with another tree structure",
         "fl.jvp(fnp.sin, (x,), ((x, x),))", TypeError,
         (r"^jvp", r"tree structure", r"PyTreeDef\(\(\*,\)\)", r"PyTreeDef\(\(\(\*, \*\),\)\)")),
    Case("jvp_shape", "`jvp` tangent of another shape",
         "fl.jvp(fnp.sin, (x,), (np.ones(4, np.float32),))", TypeError,
         (r"^jvp", r"tangent 0", r"f32\[4\]", r"f32\[3\]", r"must match primals")),
    Case("jvp_dtype", "`jvp` tangent of another dtype",
         "fl.jvp(fnp.sin, (x,), (np.ones(3),))", TypeError,
         (r"^jvp", r"f64\[3\]", r"f32\[3\]", r"astype")),
    Case("jvp_not_tuples", "`jvp` primals not a tuple",
         "fl.jvp(fnp.sin, x, x)", TypeError,
         (r"^jvp", r"tuples", r"jvp\(f, \(x,\), \(t,\)\)")),
    Case("vjp_tree", "`vjp_fn` cotangent with another tree structure",
         "fl.vjp(fnp.sin, x)[1]((x, x))", TypeError,
         (r"^vjp", r"cotangent", r"tree structure", r"one cotangent per output")),
    Case("vjp_shape", "`vjp_fn` cotangent of another shape",
         "fl.vjp(fnp.sin, x)[1](np.ones(4, np.float32))", TypeError,
         (r"^vjp", r"f32\[4\]", r"f32\[3\]", r"output's shape and dtype")),
    Case("vjp_dtype", "`vjp_fn` cotangent of another dtype",
         "fl.vjp(fnp.sin, x)[1](np.ones(3))", TypeError,
         (r"^vjp", r"f64\[3\]", r"f32\[3\]")),
    Case("linearize_shape", "`linearize`'s `jvp_fn` with a tangent of another shape",
         "fl.linearize(fnp.sin, x)[1](np.ones(4, np.float32))", TypeError,
         (r"^linearize", r"f32\[4\]", r"f32\[3\]")),
    Case("while_loop_grad", "reverse mode through `fl.lax.while_loop`",
         "fl.grad(lambda x: fl.lax.while_loop(lambda c: c < 10.0, lambda c: c * 2.0, x))(1.0)",
         TypeError, (r"[Rr]everse-mode", r"while_loop", r"fori_loop", r"scan", r"jvp")),
    Case("custom_vjp_bwd_shape", "`custom_vjp` bwd returning a cotangent of the wrong shape",
         _CUSTOM_VJP, TypeError, (r"custom_vjp", r"f32\[2\]", r"f32\[3\]")),
    Case("custom_jvp_tangent_shape", "`custom_jvp` rule returning a tangent of the wrong shape",
         _CUSTOM_JVP_SHAPE, TypeError, (r"custom_jvp", r"f32\[2\]", r"f32\[3\]")),
    Case("custom_jvp_not_pair", "`custom_jvp` rule not returning a pair",
         _CUSTOM_JVP_PAIR, TypeError, (r"custom_jvp", r"pair")),
    # ------------------------------------------------------------------- pytrees
    Case("tree_map_mismatch", "`fl.tree_util.tree_map` over trees of another structure",
         'fl.tree_util.tree_map(lambda a, b: a + b, {"w": x}, {"b": x})', ValueError,
         (r"pytree structure", r"'w'", r"'b'")),
    Case("optim_grads_tree", "`optim` update: grads and params of another structure",
         'opt = fl.optim.sgd(0.1)\n'
         'opt.update({"w": x}, opt.init({"w": x, "b": x}), {"w": x, "b": x})', ValueError,
         (r"fl\.optim\.sgd\.update", r"same tree structure", r"'b'")),
    Case("optim_state_tree", "`optim` update: state made for other params",
         'opt = fl.optim.adam(0.1)\n'
         'opt.update({"w": x, "b": x}, opt.init({"w": x}), {"w": x, "b": x})', ValueError,
         (r"fl\.optim\.adam\.update", r"state", r"PyTreeDef\(\{'w': \*\}\)", r"init\(params\)")),
    Case("optim_grads_shape", "`optim` update: a gradient of another shape",
         'opt = fl.optim.sgd(0.1)\n'
         'opt.update({"w": np.ones(4, np.float32)}, opt.init({"w": x}), {"w": x})', ValueError,
         (r"fl\.optim\.sgd\.update", r"\['w'\]", r"\(4,\)", r"\(3,\)", r"fl\.grad")),
    Case("vmap_in_axes_length", "`vmap` `in_axes` tuple of the wrong length",
         "fl.vmap(lambda a, b: a + b, in_axes=(0, 0, 0))(x, x)", ValueError,
         (r"^vmap", r"in_axes", r"3 entries", r"2 positional", r"one axis per argument")),
    Case("vmap_in_axes_prefix", "`vmap` `in_axes` not a prefix of the arguments",
         'fl.vmap(lambda d: d["w"], in_axes=({"b": 0},))({"w": x})', ValueError,
         (r"^vmap", r"in_axes", r"tree prefix", r"'b'", r"'w'")),
    Case("vmap_in_axes_type", "`vmap` `in_axes` entry not an int",
         'fl.vmap(fnp.sin, in_axes=("a",))(x)', TypeError,
         (r"^vmap", r"in_axes", r"int or None", r"'a'")),
    # ------------------------------------------------- abstract values (jit/vmap/...)
    Case("if_under_jit", "Python `if` on a traced value under `jit`",
         "fl.jit(lambda x: x if x > 0 else -x)(np.float32(1.0))", CT,
         (r"bool\(\)", r"bool\[\]", r"jit", *FIX_CF)),
    Case("if_under_vmap", "Python `if` on a traced value under `vmap`",
         "fl.vmap(lambda x: x if x > 0 else -x)(x)", CT, (r"bool\(\)", r"vmap", *FIX_CF)),
    Case("float_under_make_jaxpr", "`float()` of a traced value under `make_jaxpr`",
         "fl.make_jaxpr(lambda x: float(x) * x)(np.float32(1.0))", CT,
         (r"float\(\)", r"f32\[\]", r"make_jaxpr", *FIX_CF)),
    Case("int_under_jit", "`int()` of a traced value under `jit`",
         "fl.jit(lambda n: fnp.ones(3) * int(n))(3)", CT,
         (r"int\(\)", r"i32\[\]", *FIX_CF)),
    Case("bool_in_lax_body", "`bool()` of a traced value in a `fl.lax.scan` body",
         "fl.lax.scan(lambda c, v: (c, v if bool(v > 0) else -v), 0.0, x)", CT,
         (r"bool\(\)", r"control-flow body", *FIX_CF)),
    Case("np_asarray_tracer", "`np.asarray` of a tracer",
         "fl.jit(lambda x: np.asarray(x))(x)", TC, (r"np\.asarray", r"f32\[3\]", r"fnp")),
    Case("numpy_fn_on_tracer", "a NumPy function called on a tracer",
         "fl.jit(np.linalg.norm)(x)", TC, (r"NumPy function", r"f32\[3\]", r"fnp")),
    Case("traced_bool_mask", "boolean-mask indexing with a traced mask",
         "fl.jit(lambda x: x[x > 0])(x)", TypeError,
         (r"getitem", r"bool\[3\]", r"fnp\.where")),
    Case("escaped_tracer", "a tracer that escaped its transformation, used later",
         _LEAK, fl.UnexpectedTracerError, (r"escaped", r"f32\[3\]", r"Return it")),
    Case("escaped_tracer_names_transform", "an escaped tracer: the message names its origin",
         _LEAK, fl.UnexpectedTracerError, (r"\bjit\b",),
         table=False),
    Case("jit_static_unhashable", "`jit` static argument that is unhashable",
         "fl.jit(lambda x, n: x * len(n), static_argnums=1)(x, [1, 2])", TypeError,
         (r"^jit", r"static argument 1", r"unhashable type list", r"tuple")),
    Case("jit_static_argnums_range", "`jit` `static_argnums` out of range",
         "fl.jit(lambda x: x, static_argnums=3)(x)", ValueError,
         (r"static_argnums", r"3", r"1 positional")),
    Case("jit_static_argnames_unknown", "`jit` `static_argnames` naming no parameter",
         'fl.jit(lambda x: x, static_argnames="y")(x)', ValueError,
         (r"static_argnames", r"'y'")),
    Case("jit_non_array_arg", "a non-array argument to a transformed function",
         'fl.jit(fnp.sin)("abc")', TypeError,
         (r"str 'abc'", r"not a valid array", r"fnp\.asarray")),
    Case("unsupported_dtype", "an array of an unsupported dtype",
         'fnp.sin(np.array(["a"]))', TypeError, (r"dtype <U1", r"not supported", r"astype")),
    # ------------------------------------------------------------------- shapes
    Case("broadcast_add", "broadcasting mismatch in `+`/`add` (at trace time)",
         "fl.jit(lambda a, b: a + b)(m, np.ones(4, np.float32))", TypeError,
         (r"^add", r"\(2, 3\)", r"\(4,\)", r"broadcasting", r"reshape or transpose")),
    Case("broadcast_where", "broadcasting mismatch in `fnp.where`",
         "fnp.where(x > 0, m, np.ones(4, np.float32))", TypeError,
         (r"fnp\.where", r"\(3,\)", r"\(2, 3\)", r"\(4,\)", r"reshape or transpose")),
    Case("matmul_shapes", "`matmul`/`@` with mismatched inner dimensions",
         "fl.jit(lambda a, b: a @ b)(m, m)", TypeError,
         (r"^matmul", r"\(2, 3\)", r"3 columns", r"2 rows", r"transpose or reshape")),
    Case("dot_shapes", "`fnp.dot` with mismatched inner dimensions",
         "fnp.dot(m, m)", TypeError,
         (r"^dot", r"\(2, 3\)", r"size 3", r"size 2", r"[Tt]ranspose or reshape")),
    Case("reshape_size", "`reshape` to a different size",
         "fnp.reshape(x, (2, 2))", TypeError,
         (r"^reshape", r"\(3,\)", r"size 3", r"\(2, 2\)", r"size 4", r"must match")),
    Case("reshape_two_unknown", "`reshape` with two `-1`",
         "fnp.reshape(x, (-1, -1))", ValueError, (r"^reshape", r"one unknown", r"\(-1, -1\)")),
    Case("concatenate_shapes", "`concatenate` of mismatched shapes",
         "fnp.concatenate([m, np.ones((2, 4), np.float32)])", TypeError,
         (r"^concatenate", r"\(2, 4\)", r"\(2, 3\)", r"axis 0", r"reshape, broadcast")),
    Case("stack_shapes", "`stack` of mismatched shapes",
         "fnp.stack([x, np.ones(4, np.float32)])", ValueError,
         (r"^stack", r"\(4,\)", r"\(3,\)", r"same shape")),
    Case("index_out_of_bounds", "indexing out of bounds with a static int",
         "fl.jit(lambda x: x[5])(x)", IndexError,
         (r"^getitem", r"index 5", r"axis 0", r"size 3", r"\(3,\)")),
    Case("too_many_indices", "more indices than dimensions",
         "fl.jit(lambda x: x[0, 0])(x)", IndexError,
         (r"^getitem", r"too many indices", r"1-dimensional", r"\(3,\)")),
    Case("at_set_out_of_bounds", "`x.at[i].set` out of bounds",
         "fl.jit(lambda x: x.at[5].set(1.0))(x)", IndexError,
         (r"at\[\]\.set", r"index 5", r"\(3,\)")),
    Case("axis_out_of_range", "a reduction `axis` out of range",
         "fnp.sum(x, axis=2)", np.exceptions.AxisError,
         (r"fnp\.sum", r"axis 2", r"\(3,\)", r"valid axes are -1\.\.0")),
    Case("transpose_repeated_axis", "`transpose` with a repeated axis",
         "fnp.transpose(m, (0, 0))", ValueError,
         (r"^transpose", r"\(0, 0\)", r"dimension 2", r"only once")),
    Case("lax_wrapper_eager_shapes", "`fl.lax` primitive wrapper with bad shapes, eagerly",
         "fl.lax.reshape(x, (2, 2))", TypeError, (r"^reshape", r"\(3,\)|f32\[3\]", r"\(2, 2\)")),
    Case("lax_elementwise_dtype", "`fl.lax` elementwise function on a dtype XLA lacks it for",
         "fl.lax.tanh(np.arange(3))", TypeError,
         (r"^tanh", r"int\d+", r"floating-point", r"astype")),
    Case("lax_elementwise_mixed", "`fl.lax` binary function on two dtypes (lax does not promote)",
         "fl.lax.add(x, np.arange(3, dtype=np.int32))", TypeError,
         (r"^add", r"f32\[3\]", r"i32\[3\]", r"one dtype", r"astype")),
    # --------------------------------------------------------------------- vmap
    Case("vmap_sizes", "`vmap` over arguments of inconsistent sizes",
         "fl.vmap(lambda a, b: a + b)(x, np.ones(4, np.float32))", ValueError,
         (r"^vmap", r"inconsistent sizes", r"size 3", r"size 4", r"\(4,\)", r"same size")),
    Case("vmap_sizes_names_arguments", "`vmap` sizes error: names the arguments",
         "fl.vmap(lambda a, b: a + b)(x, np.ones(4, np.float32))", ValueError,
         (r"argument", r"in_axes"),
         table=False),
    Case("vmap_in_axes_range", "`vmap` `in_axes` out of range for an argument",
         "fl.vmap(fnp.sin, in_axes=2)(x)", ValueError,
         (r"^vmap", r"in_axes=2", r"\(3,\)", r"rank 1", r"None")),
    Case("vmap_out_axes_none", "`vmap` `out_axes=None` for a batched output",
         "fl.vmap(fnp.sin, out_axes=None)(x)", ValueError,
         (r"^vmap", r"out_axes=None", r"batched", r"e\.g\. 0")),
    Case("vmap_out_axes_range", "`vmap` `out_axes` out of range",
         "fl.vmap(fnp.sin, out_axes=3)(x)", ValueError, (r"out_axes", r"3", r"out of")),
    Case("vmap_axis_size_missing", "`vmap` with every `in_axes` None and no `axis_size`",
         "fl.vmap(fnp.sin, in_axes=None)(x)", ValueError,
         (r"^vmap", r"in_axes are None", r"axis_size=N")),
    Case("vmap_axis_size_conflict", "`vmap` `axis_size` disagreeing with the arguments",
         "fl.vmap(fnp.sin, axis_size=4)(x)", ValueError,
         (r"^vmap", r"axis_size=4", r"size 3")),
    # ----------------------------------------------------------------- control flow
    Case("cond_structure", "`fl.lax.cond` branches returning other structures",
         "fl.lax.cond(True, lambda x: x, lambda x: (x, x), x)", TypeError,
         (r"^cond", r"false_fun", r"true_fun", r"PyTreeDef", r"same structure")),
    Case("cond_shape", "`fl.lax.cond` branches returning other shapes",
         "fl.lax.cond(True, lambda x: x, lambda x: x[:2], x)", TypeError,
         (r"^cond", r"f32\[2\]", r"f32\[3\]", r"reshape")),
    Case("cond_dtype", "`fl.lax.cond` branches returning other dtypes",
         "fl.lax.cond(True, lambda x: x, lambda x: x.astype(fnp.int32), x)", TypeError,
         (r"^cond", r"i32\[3\]", r"f32\[3\]", r"\.astype")),
    Case("cond_pred_shape", "`fl.lax.cond` with a non-scalar predicate",
         "fl.lax.cond(x > 0, fnp.sin, fnp.cos, x)", TypeError,
         (r"^cond", r"predicate", r"\(3,\)", r"\.any\(\)", r"fnp\.where")),
    Case("switch_structure", "`fl.lax.switch` branches returning other structures",
         "fl.lax.switch(0, [lambda x: x, lambda x: (x,)], x)", TypeError,
         (r"^switch", r"branch 0", r"branch 1", r"same structure")),
    Case("switch_float_index", "`fl.lax.switch` with a float index",
         "fl.lax.switch(1.5, [fnp.sin, fnp.cos], x)", TypeError, (r"switch", r"integer")),
    Case("scan_carry_dtype", "`scan` body changing the carry's dtype",
         "fl.lax.scan(lambda c, v: (c.astype(np.float64), v), np.float32(0), x)", TypeError,
         (r"^scan", r"carry leaf 0", r"f32\[\]", r"f64\[\]", r"\.astype")),
    Case("scan_carry_shape", "`scan` body changing the carry's shape",
         "fl.lax.scan(lambda c, v: (fnp.stack([c, c]), v), np.float32(0), x)", TypeError,
         (r"^scan", r"f32\[\]", r"f32\[2\]", r"keep shapes")),
    Case("scan_carry_tree", "`scan` body changing the carry's structure",
         "fl.lax.scan(lambda c, v: ((c, c), v), np.float32(0), x)", TypeError,
         (r"^scan", r"PyTreeDef\(\(\*, \*\)\)", r"PyTreeDef\(\*\)", r"same container")),
    Case("scan_not_pair", "`scan` body not returning `(carry, y)`",
         "fl.lax.scan(lambda c, v: c, 0.0, x)", TypeError,
         (r"^scan", r"pair \(carry, y\)", r"Tracer", r"None")),
    Case("scan_lengths", "`scan` over `xs` leaves of different lengths",
         "fl.lax.scan(lambda c, v: (c, v), 0.0, (x, np.ones(4, np.float32)))", ValueError,
         (r"^scan", r"\[3, 4\]", r"\(3,\)", r"\(4,\)", r"same length")),
    Case("scan_length_conflict", "`scan` `length=` disagreeing with `xs`",
         "fl.lax.scan(lambda c, v: (c, v), 0.0, x, length=4)", ValueError,
         (r"^scan", r"length=4", r"\[3\]", r"drop length=")),
    Case("scan_no_length", "`scan` with neither `xs` nor `length`",
         "fl.lax.scan(lambda c, v: (c, v), 0.0, None)", ValueError,
         (r"^scan", r"xs is empty", r"length=N")),
    Case("fori_carry_tree", "`fori_loop` body changing the carry's structure",
         "fl.lax.fori_loop(0, 3, lambda i, c: (c, c), 1.0)", TypeError,
         (r"^fori_loop", r"body_fun", r"init_val", r"PyTreeDef\(\(\*, \*\)\)")),
    Case("fori_carry_dtype", "`fori_loop` body changing the carry's dtype",
         "fl.lax.fori_loop(0, 3, lambda i, c: c.astype(np.float64), np.float32(1))", TypeError,
         (r"^fori_loop", r"carry leaf 0", r"f32\[\]", r"f64\[\]", r"\.astype")),
    Case("while_carry_dtype", "`while_loop` body changing the carry's dtype",
         "fl.lax.while_loop(lambda c: c < 10, lambda c: c.astype(np.float64), np.float32(1))",
         TypeError, (r"^while_loop", r"carry leaf 0", r"f32\[\]", r"f64\[\]", r"\.astype")),
    Case("while_cond_not_scalar", "`while_loop` `cond_fun` returning an array",
         "fl.lax.while_loop(lambda c: c < 10.0, lambda c: c * 2.0, x)", TypeError,
         (r"^while_loop", r"cond_fun", r"bool\[3\]", r"\.all\(\)")),
    # ---------------------------------------------------------------- random, nn
    Case("random_int_key", "`fl.random` with an int instead of a key",
         "fl.random.normal(0, (2,))", TypeError,
         (r"fl\.random\.normal", r"uint32\[2\]", r"int(32|64)", r"fl\.random\.key\(seed\)")),
    Case("random_key_shape", "`fl.random` with a key of the wrong shape",
         "fl.random.normal(np.ones(3, np.uint32), (2,))", ValueError,
         (r"fl\.random\.normal", r"uint32\[2\]", r"\(3,\)", r"fl\.random\.key\(seed\)")),
    Case("random_int_shape", "`fl.random` with `shape` given as an int",
         "fl.random.normal(fl.random.key(0), 3)", TypeError,
         (r"fl\.random\.normal", r"sequence of ints", r"\(3,\)")),
    Case("random_negative_shape", "`fl.random` with a negative dimension",
         "fl.random.uniform(fl.random.key(0), (2, -1))", ValueError,
         (r"fl\.random\.uniform", r"\(2, -1\)", r"negative", r">= 0")),
    Case("ce_int_labels_shape", "`softmax_cross_entropy` with integer labels of a wrong shape",
         "fl.nn.softmax_cross_entropy(m, np.zeros(5, np.int32))", ValueError,
         (r"fl\.nn\.softmax_cross_entropy", r"\(2,\)", r"\(2, 3\)", r"\(5,\)")),
    Case("ce_onehot_shape", "`softmax_cross_entropy` with one-hot labels of a wrong shape",
         "fl.nn.softmax_cross_entropy(m, np.zeros((2, 5), np.float32))", ValueError,
         (r"fl\.nn\.softmax_cross_entropy", r"logits", r"\(2, 3\)", r"\(2, 5\)", r"match")),
    Case("mse_shape", "`mse` with mismatched shapes",
         "fl.nn.mse(m, x)", ValueError, (r"fl\.nn\.mse", r"pred", r"\(2, 3\)", r"\(3,\)")),
    Case("bce_shape", "`sigmoid_binary_cross_entropy` with mismatched shapes",
         "fl.nn.sigmoid_binary_cross_entropy(x, np.zeros(4, np.float32))", ValueError,
         (r"fl\.nn\.sigmoid_binary_cross_entropy", r"\(3,\)", r"\(4,\)")),
    Case("hinge_labels_shape", "`multiclass_hinge` with labels of a wrong shape",
         "fl.nn.multiclass_hinge(m, np.zeros(5, np.int32))", ValueError,
         (r"fl\.nn\.multiclass_hinge", r"\(2,\)", r"\(5,\)")),
    Case("loss_reduction", "a loss with an unknown `reduction`",
         'fl.nn.mse(x, x, reduction="avg")', ValueError,
         (r"fl\.nn\.mse", r"'mean', 'sum' or 'none'", r"'avg'")),
    Case("layer_norm_shape", "`layer_norm` params for another width",
         "fl.nn.layer_norm(fl.nn.init_layer_norm(3), np.ones((5, 4), np.float32))", ValueError,
         (r"fl\.nn\.layer_norm", r"\(3,\)", r"\(5, 4\)", r"init_layer_norm\(4\)")),
    Case("check_grads_mode", "`check_grads` with an unknown mode",
         'fl.test_util.check_grads(fnp.sin, (x,), modes=("bwd",))', ValueError,
         (r"check_grads", r"'bwd'", r"'fwd', 'rev'")),
    Case("check_grads_args", "`check_grads` args not a tuple",
         "fl.test_util.check_grads(fnp.sin, x)", TypeError,
         (r"check_grads", r"tuple", r"ndarray", r"\(x,\)")),
]

_IDS = [c.id for c in CASES]
assert len(set(_IDS)) == len(_IDS)


def _param(c: Case):
    marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
    return pytest.param(c, id=c.id, marks=marks)


def _check(case: Case, err: BaseException | None) -> None:
    assert err is not None, f"{case.id}: no exception (silent acceptance)"
    msg = str(err)
    # never a bare internal error: a library exception names what went wrong
    assert type(err) not in (KeyError, AssertionError), f"{case.id}: bare {type(err).__name__}"
    assert len(msg) >= 30, f"{case.id}: message too terse: {msg!r}"
    assert isinstance(err, case.exc), f"{case.id}: {type(err).__name__}: {msg}"
    missing = [p for p in case.patterns if not re.search(p, msg)]
    assert not missing, f"{case.id}: message lacks {missing}:\n{msg}"


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_error_message(case: Case):
    _check(case, run_case(case))


def test_every_case_is_a_library_error_not_a_crash():
    """No case (deficient or not) surfaces as KeyError/AssertionError/IndexError raised
    without a message naming the operation."""
    for c in CASES:
        err = run_case(c)
        if err is None:
            continue
        assert not isinstance(err, (KeyError, AssertionError)), (c.id, err)
        if isinstance(err, IndexError):
            assert re.match(r"[\w.\[\]]+: ", str(err)), (c.id, err)  # "op: ..."


def test_table_cases_cover_the_api_contract_list():
    """The api.md 'Errors' list, item by item, has a case in the table."""
    ids = {c.id for c in CASES if c.table}
    for required in ("grad_nonscalar", "grad_int_input", "jvp_tree", "jvp_shape", "jvp_dtype",
                     "tree_map_mismatch", "optim_grads_tree", "vmap_in_axes_prefix",
                     "if_under_jit", "if_under_vmap", "float_under_make_jaxpr",
                     "int_under_jit", "escaped_tracer", "broadcast_add", "matmul_shapes",
                     "np_asarray_tracer", "numpy_fn_on_tracer"):
        assert required in ids


def test_readme_table_has_a_row_per_case():
    """README.md's error table (written by tests/error_table.py) lists every table case
    with the exception type the library raises now."""
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    body = readme[readme.index("<!-- error-table:start -->"):
                  readme.index("<!-- error-table:end -->")]
    for c in CASES:
        if c.table and not c.xfail:
            row = next((ln for ln in body.splitlines()
                        if ln.startswith(f"| {c.bad_input.replace('|', chr(92) + '|')} |")),
                       None)
            assert row is not None, f"{c.id}: no README row; run python tests/error_table.py"
            assert f"`{type(run_case(c)).__name__}`" in row, (c.id, row)


# ------------------------------------------------------------- the user's line


def _user_frames(err: BaseException, needle: str) -> list:
    """Frames of this test file whose source line contains ``needle``."""
    return [f for f in traceback.extract_tb(err.__traceback__)
            if f.filename == __file__ and needle in (f.line or "")]


def _bad_add(a, b):
    y = fnp.sin(a)
    return y + b  # <- the user's line


def _bad_matmul(a, b):
    y = fnp.cos(a)
    return fnp.sum(y @ b)  # <- the user's line


_TRANSFORMS = [
    ("jit", lambda f, a, b: fl.jit(f)(a, b)),
    ("make_jaxpr", lambda f, a, b: fl.make_jaxpr(f)(a, b)),
    ("vmap", lambda f, a, b: fl.vmap(f, in_axes=(0, None))(np.stack([a, a]), b)),
    ("grad", lambda f, a, b: fl.grad(lambda a: fnp.sum(f(a, b)))(a)),
    ("jit_grad", lambda f, a, b: fl.jit(fl.grad(lambda a: fnp.sum(f(a, b))))(a)),
]


@pytest.mark.parametrize("name,run", _TRANSFORMS, ids=[n for n, _ in _TRANSFORMS])
@pytest.mark.parametrize("f,needle,op", [(_bad_add, "y + b", "add"),
                                         (_bad_matmul, "y @ b", "matmul")],
                         ids=["add", "matmul"])
def test_shape_error_traceback_points_at_user_line(name, run, f, needle, op):
    """Shape errors are raised while tracing, from inside the user's function, so the
    traceback's last user frame is the offending line (the message itself names the
    op and shapes, as JAX's does; neither library puts file:line into the message)."""
    a, b = np.ones((2, 3), np.float32), np.ones((4, 5), np.float32)
    with pytest.raises(TypeError) as ei:
        run(f, a, b)
    assert re.match(op, str(ei.value)), str(ei.value)
    assert "(4, 5)" in str(ei.value)
    frames = _user_frames(ei.value, needle)
    assert frames, "the traceback does not reach the user's line"
    # and it is the innermost frame of this file: nothing of the user's runs after it
    mine = [fr for fr in traceback.extract_tb(ei.value.__traceback__) if fr.filename == __file__]
    assert mine[-1].line == frames[-1].line


def test_concretization_error_traceback_points_at_user_line():
    def f(x):
        y = fnp.sin(x)
        if y > 0:  # <- the user's line
            return y
        return -y
    with pytest.raises(fl.ConcretizationTypeError) as ei:
        fl.jit(f)(np.float32(1.0))
    assert _user_frames(ei.value, "if y > 0")
