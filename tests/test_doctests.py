"""The examples in nnlib's docstrings run, as doctests, in `make test` (every module, private ones too)."""

import doctest
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

import nnlib

MODULES = ["nnlib", *(f"nnlib.{m.name}" for m in pkgutil.iter_modules([str(Path(nnlib.__file__).parent)]))]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=True)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples failed"


def test_there_are_examples_to_run():
    attempted = sum(doctest.testmod(import_module(name), report=False).attempted for name in MODULES)
    assert attempted >= 4
