"""Regenerate the README's table of bad inputs and the library's messages, verbatim,
from the cases of tests/test_error_contract.py:

    python tests/error_table.py          # rewrites the table between the README markers
    python tests/error_table.py --all    # also lists cases still marked xfail
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- error-table:start -->", "<!-- error-table:end -->"
MAX = 320  # characters of a message before it is shortened with "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(src: str) -> str:
    return "<br>".join(f"`{_cell(ln)}`" for ln in src.splitlines() if ln.strip())


def _message(err: BaseException | None) -> str:
    if err is None:
        return "(no exception)"
    msg = re.sub(r"\s+", " ", str(err)).strip()
    return _cell(msg[:MAX].rstrip() + " …" if len(msg) > MAX else msg)


def table(include_xfail: bool = False) -> str:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    import test_error_contract as contract
    rows = ["| bad input | example call | exception | the message the library gives |",
            "| --- | --- | --- | --- |"]
    for case in contract.CASES:
        if not case.table or (case.xfail and not include_xfail):
            continue
        err = contract.run_case(case)
        etype = type(err).__name__ if err is not None else "—"
        rows.append(f"| {_cell(case.bad_input)} | {_code(case.src)} | `{etype}` | "
                    f"{_message(err)} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    readme = ROOT / "README.md"
    text = readme.read_text()
    i, j = text.index(START) + len(START), text.index(END)
    readme.write_text(text[:i] + "\n" + table(a.all) + "\n" + text[j:])
    print(f"README.md: error table rewritten ({table(a.all).count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
