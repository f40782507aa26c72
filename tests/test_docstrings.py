"""Every docstring example in the package runs and prints what it shows (the examples
are the documentation of each public function, so they must not drift)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import functorch_lite as fl

MODULES = sorted(m.name for m in pkgutil.walk_packages(fl.__path__, "functorch_lite."))


def test_the_package_has_examples():
    total = sum(len(doctest.DocTestFinder().find(importlib.import_module(m))) for m in MODULES)
    assert total >= 200


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail"
