"""The project keeps its promises about itself: dependencies listed twice agree, the README's two
commands exist and CI runs the test one, every exported name can be imported, and pages, forms,
charts and the CLI reach the store only through coachkit.services."""

from __future__ import annotations

import ast
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


SERVICE_CALLERS = ("pages", "forms", "charts", "cli")
"""The rooms that reach the store only through :mod:`coachkit.services`."""


def _store_reaches(source: str) -> list[int]:
    """Lines of ``source`` that reach a store around the services: an attribute ``.store`` (as
    in ``practice.store.load``) or ``.store_``, or an import of ``coachkit.store``. Strings and
    comments do not count (``action="store_true"`` is fine)."""

    def reaches(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in ("store", "store_")
        if isinstance(node, ast.ImportFrom):
            return (node.module or "").startswith("coachkit.store")
        if isinstance(node, ast.Import):
            return any(alias.name.startswith("coachkit.store") for alias in node.names)
        return False

    lines = [node.lineno for node in ast.walk(ast.parse(source)) if reaches(node)]
    return lines


def test_the_store_scan_sees_what_import_linter_cannot() -> None:
    assert _store_reaches("file = practice.store.load(client_id)\n") == [1]
    assert _store_reaches("x = 1\nself.store_.save(c, r)\n") == [2]
    assert _store_reaches("import coachkit.store.store as s\n") == [1]
    assert _store_reaches('p.add_argument("--all", action="store_true")  # the store of x\n') == []


def test_pages_forms_charts_and_cli_reach_the_store_only_through_services() -> None:
    found = []
    for room in SERVICE_CALLERS:
        for path in sorted((ROOT / "coachkit" / room).rglob("*.py")):
            for line in _store_reaches(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "use coachkit.services instead of the store: " + ", ".join(found)


def test_every_service_says_what_it_does_and_takes_the_practice_first() -> None:
    import inspect
    import pkgutil

    import coachkit.services
    from coachkit.practice import Practice

    for info in pkgutil.iter_modules(coachkit.services.__path__):
        module = importlib.import_module(f"coachkit.services.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            assert (obj.__doc__ or "").strip(), f"{module.__name__}.{name} has no docstring"
            if f"{info.name}.{name}" not in ("binding.on_practice", "visits.open_practice"):  # they make one
                first = next(iter(inspect.signature(obj).parameters.values()))
                assert first.annotation in (Practice, "Practice"), f"{module.__name__}.{name} takes {first}"


def test_no_module_in_coachkit_is_over_400_lines() -> None:
    long = {}
    for path in sorted((ROOT / "coachkit").rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 400:
            long[str(path.relative_to(ROOT))] = lines
    assert not long, f"split these modules (400 lines at most): {long}"
