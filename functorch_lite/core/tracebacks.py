"""Tracebacks that end in the user's code.

An exception leaving a transformation (``grad(f)(x)``, ``jit(f)(x)``, a
``fl.lax`` loop ...) would show a dozen of the library's interpreter frames
between the user's call and the user's line that failed.  As JAX does, an API
boundary removes the library's own frames from the traceback (keeping the
exception, its message, cause and context) and adds a note saying so.
``FUNCTORCH_LITE_TRACEBACK_FILTERING=off`` keeps every frame (for debugging the
library itself).
"""
from __future__ import annotations

import functools
import os
import types
from collections.abc import Callable

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NOTE = ("(functorch_lite removed its internal frames from this traceback; set "
         "FUNCTORCH_LITE_TRACEBACK_FILTERING=off to see them)")


def filtering_on() -> bool:
    """Whether tracebacks are filtered (``FUNCTORCH_LITE_TRACEBACK_FILTERING``)."""
    return os.environ.get("FUNCTORCH_LITE_TRACEBACK_FILTERING", "on").lower() not in (
        "off", "0", "false", "no")


def _user_frames_only(tb: types.TracebackType | None) -> types.TracebackType | None:
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            kept.append(tb)
        tb = tb.tb_next
    out = None
    for t in reversed(kept):
        out = types.TracebackType(out, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return out


def api_boundary(fun: Callable) -> Callable:
    """Wrap ``fun`` so that exceptions leave it with the library's frames removed.

    >>> @api_boundary
    ... def f(x):
    ...     return 1 / x
    >>> f(2)
    0.5
    """
    @functools.wraps(fun)
    def reraise_with_user_frames(*args, **kwargs):
        try:
            return fun(*args, **kwargs)
        except Exception as e:
            if not filtering_on():
                raise
            if _NOTE not in getattr(e, "__notes__", ()):
                e.add_note(_NOTE)
            raise e.with_traceback(_user_frames_only(e.__traceback__))  # noqa: B904
    return reraise_with_user_frames
