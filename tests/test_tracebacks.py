"""Exceptions leaving a transformation show the user's frames, not the library's
interpreter frames (as JAX's traceback filtering does)."""
from __future__ import annotations

import os
import traceback

import numpy as np
import pytest

import functorch_lite as fl
import functorch_lite.numpy as fnp

PKG = os.path.dirname(os.path.abspath(fl.__file__)) + os.sep
NOTE = "removed its internal frames"


def _frames(e: BaseException) -> list:
    return traceback.extract_tb(e.__traceback__)


def _library_frames(e: BaseException) -> list:
    return [f for f in _frames(e) if f.filename.startswith(PKG)]


def _bad_loss(x):
    return fnp.sum(x @ fnp.ones((4, 2)))  # (3, 3) @ (4, 2): the user's mistake is here


def _raise_inside(x):
    raise ValueError("the user's own error") from KeyError("its cause")


CALLS = {
    "grad": lambda: fl.grad(_bad_loss)(np.ones((3, 3), np.float32)),
    "jit(grad)": lambda: fl.jit(fl.grad(_bad_loss))(np.ones((3, 3), np.float32)),
    "vmap": lambda: fl.vmap(_bad_loss)(np.ones((2, 3, 3), np.float32)),
    "jit(vmap(grad))": lambda: fl.jit(fl.vmap(fl.grad(_bad_loss)))(np.ones((2, 3, 3),
                                                                            np.float32)),
    "make_jaxpr": lambda: fl.make_jaxpr(_bad_loss)(np.ones((3, 3), np.float32)),
    "jacrev": lambda: fl.jacrev(_bad_loss)(np.ones((3, 3), np.float32)),
    "jvp": lambda: fl.jvp(_bad_loss, (np.ones((3, 3), np.float32),),
                          (np.ones((3, 3), np.float32),)),
    "scan body": lambda: fl.lax.scan(lambda c, x: (c, _bad_loss(x)), 0.0,
                                     np.ones((2, 3, 3), np.float32)),
    "checkpoint": lambda: fl.grad(fl.checkpoint(_bad_loss))(np.ones((3, 3), np.float32)),
}


@pytest.mark.parametrize("name", CALLS)
def test_the_user_line_is_last_and_library_frames_are_gone(name):
    with pytest.raises(TypeError, match="matmul: contracting dimensions differ") as info:
        CALLS[name]()
    e = info.value
    frames = _frames(e)
    assert frames[-1].name == "_bad_loss" and "fnp.ones((4, 2))" in frames[-1].line
    lib = _library_frames(e)
    # only the boundary's re-raise remains (JAX keeps its equivalent frame too)
    assert [f.name for f in lib] == ["reraise_with_user_frames"], [f.name for f in lib]
    assert sum(NOTE in n for n in e.__notes__) == 1  # once, even through nested boundaries


def test_library_errors_point_at_the_call():
    with pytest.raises(TypeError, match="grad requires a function with a scalar") as info:
        fl.grad(lambda x: x * 2.0)(np.ones(3, np.float32))
    frames = _frames(info.value)
    assert frames[0].name == "test_library_errors_point_at_the_call"
    assert len(_library_frames(info.value)) == 1


def test_the_exception_itself_is_unchanged():
    with pytest.raises(ValueError, match="the user's own error") as info:
        fl.jit(fl.grad(_raise_inside))(1.0)
    assert isinstance(info.value.__cause__, KeyError)
    assert _frames(info.value)[-1].name == "_raise_inside"


def test_filtering_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("FUNCTORCH_LITE_TRACEBACK_FILTERING", "off")
    with pytest.raises(TypeError) as info:
        fl.jit(fl.grad(_bad_loss))(np.ones((3, 3), np.float32))
    assert len(_library_frames(info.value)) > 5  # the interpreters' frames are all there
    assert not any(NOTE in n for n in getattr(info.value, "__notes__", []))
