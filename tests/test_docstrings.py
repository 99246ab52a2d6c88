"""The docstring examples are true: every `>>>` line in `keypoints` runs as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import keypoints

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(keypoints.__path__, "keypoints.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_run(name: str):
    module = importlib.import_module(name)
    # By the module itself: a package may export a function of the same name.
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} of {attempted} examples in {name} fail (see the output)"
