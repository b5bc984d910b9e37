"""Settings as data: every setting is listed once, documented in the README and in ``--help``,
and no other module of coachkit reads the environment for one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import coachkit
from coachkit import settings
from coachkit.cli import build_parser

ROOT = Path(coachkit.__file__).resolve().parent
README = ROOT.parent / "README.md"


def _readme_settings_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Settings\n(.*?)^## ", text, flags=re.M | re.S)
    assert match, "README.md has no '## Settings' section"
    return match.group(1)


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.env)
def test_every_setting_is_documented_in_the_readme_and_help(setting: settings.Setting) -> None:
    section = _readme_settings_section()
    row = next((line for line in section.splitlines() if line.startswith(f"| `{setting.env}` |")), None)
    assert row is not None, f"{setting.env} is not in the README's Settings table"
    assert row.count("|") == 4 and row.split("|")[3].strip(), f"{setting.env} has no explanation in the README"
    assert setting.help.strip()
    assert setting.env in build_parser().format_help()


def test_the_readme_lists_no_setting_that_does_not_exist() -> None:
    listed = set(re.findall(r"^\| `(COACHKIT_[A-Z_]+)` \|", _readme_settings_section(), flags=re.M))
    assert listed == {s.env for s in settings.SETTINGS}


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's top-level ``NAME = "text"`` constants."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _setting_reads(tree: ast.Module) -> list[int]:
    """Lines that read a coachkit variable (``COACHKIT_...``) from ``os.environ`` / ``os.getenv``.
    Variables of Jupyter and Voilà themselves are theirs to document; passing the whole
    environment on to a child process is not reading a setting."""
    constants = _constants(tree)

    def coachkit_key(key: ast.expr) -> bool:
        name = key.value if isinstance(key, ast.Constant) else constants.get(getattr(key, "id", ""), "")
        return not isinstance(name, str) or name.startswith("COACHKIT_") or not name

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target in ("os.environ.get", "os.getenv", "environ.get") and node.args and coachkit_key(node.args[0]):
                lines.append(node.lineno)
        is_subscript = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
        if is_subscript and ast.unparse(node.value) in ("os.environ", "environ") and coachkit_key(node.slice):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_module_reads_the_environment() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == ROOT / "settings.py":
            continue
        for line in _setting_reads(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert not offenders, "read the environment through coachkit.settings instead: " + ", ".join(offenders)


def test_a_setting_falls_back_to_its_default_when_unset_or_empty() -> None:
    chromium = settings.setting("COACHKIT_CHROMIUM")
    assert chromium.value({}) == "/usr/bin/chromium"
    assert chromium.value({"COACHKIT_CHROMIUM": ""}) == "/usr/bin/chromium"
    assert chromium.value({"COACHKIT_CHROMIUM": "/opt/chromium"}) == "/opt/chromium"
    with pytest.raises(KeyError):
        settings.read("COACHKIT_NOT_A_SETTING")
