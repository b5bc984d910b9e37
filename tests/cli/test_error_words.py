"""The library's errors speak of the domain (fields like ``days``, no command to run); the command
line names its own options and adds what to run next."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

import coachkit
from coachkit import assessments as A
from coachkit.cli import main
from coachkit.errors import NotFound, ValidationError
from coachkit.practice import Practice

ROOT = Path(coachkit.__file__).resolve().parent
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


def _raised_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal inside a ``raise`` statement."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.append((part.lineno, part.value))
    return found


def test_library_errors_name_no_command_and_no_option() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if ROOT / "cli" in path.parents:
            continue
        for line, value in _raised_texts(ast.parse(path.read_text(encoding="utf-8"))):
            if "`coachkit " in value or value.startswith("--"):
                offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {value[:60]!r}")
    assert not offenders, "say it in the CLI (coachkit/cli/common.py), not the library: " + "; ".join(offenders)


def test_library_errors_carry_the_domain_field_and_what_was_not_found(demo_practice: Practice) -> None:
    with pytest.raises(ValidationError) as refused:
        A.issue_rater_links(demo_practice.store, "jonas-becker", "http://x", now=NOW, days=0)
    assert refused.value.field == "days" and "--" not in str(refused.value)
    with pytest.raises(NotFound) as missing:
        A.issue_pulse_links(demo_practice.store, "jonas-becker", "no-round", "http://x", now=NOW)
    found = (missing.value.kind, missing.value.key, missing.value.client_id)
    assert found == ("pulse round", "no-round", "jonas-becker")
    assert "coachkit" not in str(missing.value)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["raters", "links", "jonas-becker", "--days", "0"], "coachkit: --days: must be a whole number of days"),
        (["pulse", "links", "jonas-becker", "mid", "--days", "800"], "coachkit: --days: must be a whole number"),
        (["link", "jonas-becker", "--expires", "0"], "coachkit: --expires: must be a whole number of days"),
        (
            ["raters", "links", "jonas-becker", "--renew", "r99"],
            "coachkit: No rater 'r99' for jonas-becker. `coachkit raters list jonas-becker` shows the ids.",
        ),
        (
            ["pulse", "links", "jonas-becker", "end"],
            "coachkit: No pulse round 'end' for jonas-becker. `coachkit pulse list jonas-becker` shows them.",
        ),
        (["client", "show", "nobody"], "coachkit: No client with id 'nobody'. `coachkit client list` shows the ids."),
        (["link", "revoke", "0123456789ab"], "coachkit: No link with id '0123456789ab'. `coachkit link list CLIENT`"),
        (["session", "ana-ruiz", "--number", "1001"], "coachkit: --number: is 1001; it must be from 1 to 1000."),
        (["workbook", "ana-ruiz", "--phase", "0"], None),
    ],
)
def test_the_cli_names_its_options_and_what_to_run(
    demo_practice: Practice, capsys: pytest.CaptureFixture[str], args: list[str], line: str | None
) -> None:
    if line is None:  # a value argparse refuses itself: a usage error, exit 2
        with pytest.raises(SystemExit):
            main(["--home", str(demo_practice.home), *args])
        return
    assert main(["--home", str(demo_practice.home), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(line) and err.count("\n") == 1, err


def test_a_file_that_is_no_export_is_refused_with_how_to_make_one(
    demo_practice: Practice, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    assert main(["--home", str(demo_practice.home), "import", str(path)]) == 1
    assert capsys.readouterr().err == "coachkit: PATH: is not a coachkit export. `coachkit export ID` makes one.\n"
