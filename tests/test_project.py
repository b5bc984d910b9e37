"""The project keeps its promises about itself: dependencies listed twice agree, the README's two
commands exist and CI runs the test one, and every exported name can be imported."""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from pathlib import Path

import coachkit

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement (PEP 503)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _conda_dependencies(text: str) -> set[str]:
    """Names in environment.yml's ``dependencies`` (the nested pip list left out)."""
    names, inside = set(), False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.startswith("dependencies:")
            continue
        entry = re.match(r"^  - (.+)$", line)
        if inside and entry and not entry.group(1).rstrip().endswith(":"):
            names.add(_name(entry.group(1)))
    return names


def test_environment_yml_lists_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    conda = _conda_dependencies((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert runtime, "pyproject.toml lists no dependencies"
    assert runtime <= conda, f"missing from environment.yml: {sorted(runtime - conda)}"
    assert "python" in conda


def test_readme_names_the_two_commands_and_ci_runs_the_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/demo" in readme and "scripts/test" in readme
    for script in ("scripts/demo", "scripts/test", ".ci/run"):
        path = ROOT / script
        assert path.is_file(), script
        assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash"), script
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^[^#\n]*\bscripts/test\b", ci, re.MULTILINE), ".ci/run does not call scripts/test"


def test_scripts_are_executable() -> None:
    for script in ("scripts/demo", "scripts/test", ".ci/run"):
        assert os.access(ROOT / script, os.X_OK), f"{script} is not executable (git update-index --chmod=+x)"


def test_every_exported_name_is_importable() -> None:
    assert coachkit.__all__ == sorted(coachkit.__all__)
    for name in coachkit.__all__:
        assert getattr(coachkit, name) is not None, name
    namespace: dict[str, object] = {}
    exec("from coachkit import *", namespace)
    assert set(coachkit.__all__) <= set(namespace)
    for module in ("coachkit.model", "coachkit.store", "coachkit.forms"):
        mod = importlib.import_module(module)
        for name in mod.__all__:
            assert hasattr(mod, name), f"{module}.{name}"


def test_public_callables_have_docstrings() -> None:
    for name in coachkit.__all__:
        obj = getattr(coachkit, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"coachkit.{name} has no docstring"


def test_client_data_is_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for pattern in ("/data/", "/reports/", "*.db", "*.db-wal", "*.db-shm"):
        assert pattern in ignored, pattern


def test_no_module_in_coachkit_is_over_400_lines() -> None:
    long = {}
    for path in sorted((ROOT / "coachkit").rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 400:
            long[str(path.relative_to(ROOT))] = lines
    assert not long, f"split these modules (400 lines at most): {long}"
