"""The shape of the code: no import cycle, small files, no module that shadows the
standard library, and the README's exit codes are the table in `keypoints.errors`."""

from __future__ import annotations

import os
import subprocess
import sys

import grimp
import pytest

from conftest import REPO
from keypoints.errors import exit_code_table

SOURCE = REPO / "src" / "keypoints"
MAX_LINES = 500


def test_the_import_graph_has_no_cycle():
    """Function-local imports count too: a cycle hidden in a function is still a cycle."""
    graph = grimp.build_graph("keypoints", exclude_type_checking_imports=True)
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.add(" → ".join((module, *back)))
    assert sorted(cycles) == []


def test_no_source_file_is_over_500_lines():
    long = {
        str(path.relative_to(SOURCE)): n
        for path in SOURCE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.slow
def test_no_module_shadows_the_standard_library():
    """With src/keypoints on sys.path (running a file of it as a script), a module named
    like a standard one would be imported in its place: `select.py` broke `subprocess`.
    Every stdlib module named like one of ours must still come from the stdlib."""
    ours = {p.stem for p in SOURCE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    clashes = sorted(ours & set(sys.stdlib_module_names))
    check = (
        "import importlib, sys\n"
        f"for name in {clashes!r} + ['subprocess', 'selectors', 'asyncio']:\n"
        "    module = importlib.import_module(name)\n"
        "    where = getattr(module, '__file__', '') or ''\n"
        "    assert 'keypoints' not in where, f'{name} comes from {where}'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_readme_lists_the_exit_codes_of_keypoints_errors():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert exit_code_table() in readme


def test_every_error_has_an_exit_code_of_the_table():
    import keypoints.errors as errors

    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.KeypointsError)
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert cls.exit_code in errors.EXIT_CODE_MEANINGS, cls


def test_the_package_declares_its_public_api():
    import keypoints

    assert set(keypoints.__all__) >= {
        "extract", "Summarizer", "Settings", "Result", "Point", "Entity", "KeypointsError",
    }  # fmt: skip
    for name in keypoints.__all__:
        assert hasattr(keypoints, name), name


def test_notebooks_import_only_the_public_api():
    import json

    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "from keypoints" not in code and "import keypoints." not in code, notebook.name


def test_stage_files_follow_the_pipeline_order():
    """The stages are visible in the layout: one module per stage under stages/."""
    from keypoints.stages.base import STAGE_NAMES

    for name in STAGE_NAMES:
        assert (SOURCE / "stages" / f"{name}.py").is_file() or (
            SOURCE / "stages" / name / "__init__.py"
        ).is_file(), name
