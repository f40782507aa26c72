"""Session-wide count of fuzz programs run per property (printed by conftest.py)."""
from __future__ import annotations

import json
import os
from collections import Counter

COUNTS: Counter = Counter()


def is_long() -> bool:
    return os.environ.get("FUZZ_LONG", "") not in ("", "0")


def profile_name() -> str:
    return "long" if is_long() else "fast"


def count_file() -> str:
    return os.environ.get("FUZZ_COUNT_FILE", "/tmp/functorch_lite_fuzz_counts.json")


def write() -> None:
    try:
        with open(count_file(), "w") as f:
            json.dump({"profile": profile_name(), "counts": COUNTS,
                       "total": sum(COUNTS.values())}, f, indent=1)
    except OSError:
        pass


def count(name: str) -> None:
    COUNTS[name] += 1
    if sum(COUNTS.values()) % 50 == 0:  # progress of long runs, readable while they run
        write()
