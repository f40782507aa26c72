"""Fuzz profiles and the program counter.

Default (CI): a fast deterministic profile (``derandomize=True``, a few hundred
programs over all properties).  Long profile, run by hand::

    FUZZ_LONG=1 python -m pytest tests/fuzz -p no:cacheprovider
    python -m pytest tests/fuzz --fuzz-long          # same (option known when tests/fuzz is named)

``FUZZ_EXAMPLES=N`` overrides the number of programs per property, ``FUZZ_MAX_STEPS=N``
the longest program (default 8 steps).  The number of
programs each property ran is printed at the end of the session and written to
``$FUZZ_COUNT_FILE`` (default ``/tmp/functorch_lite_fuzz_counts.json``), also
every 50 programs while the session runs.
"""
from __future__ import annotations

import os

from . import counter


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run the fuzz tests with the long profile (as FUZZ_LONG=1)")


def pytest_configure(config):
    try:
        long = config.getoption("--fuzz-long")
    except ValueError:
        long = False
    if long:
        os.environ["FUZZ_LONG"] = "1"


def pytest_terminal_summary(terminalreporter):
    counts = counter.COUNTS
    if not counts:
        return
    total = sum(counts.values())
    tr = terminalreporter
    tr.section("fuzz programs run")
    for name, n in sorted(counts.items()):
        tr.write_line(f"{name:40s} {n:8d}")
    tr.write_line(f"{'total':40s} {total:8d}  (profile: {counter.profile_name()})")
    counter.write()
