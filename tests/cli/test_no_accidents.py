"""A careful coach's command line: no practice is made by a mistyped folder, and a client who is
already there is not added twice by accident."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachkit.cli import main
from coachkit.practice import init_practice

Capsys = pytest.CaptureFixture[str]

COMMANDS: list[list[str]] = [
    ["client", "list"],
    ["client", "add", "Ana Ruiz"],
    ["client", "show", "ana-ruiz"],
    ["export", "ana-ruiz"],
    ["import", "{export}"],
    ["erase", "ana-ruiz", "--yes"],
    ["backup", "{backup}"],
    ["restore", "{export}"],
    ["report", "ana-ruiz"],
    ["report", "--all"],
    ["workbook", "ana-ruiz"],
    ["session", "ana-ruiz"],
    ["lab"],
    ["serve", "--pool", "0"],
    ["link", "ana-ruiz"],
    ["link", "list", "ana-ruiz"],
    ["link", "revoke", "0123456789ab"],
    ["raters", "list", "ana-ruiz"],
    ["raters", "nominate", "ana-ruiz", "Bo Lind", "--relationship", "peer"],
    ["raters", "approve", "ana-ruiz", "--all"],
    ["raters", "links", "ana-ruiz"],
    ["pulse", "list", "ana-ruiz"],
    ["pulse", "links", "ana-ruiz", "mid-point-2026-11-21"],
]


def _run(capsys: Capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "files" / "ana.json"
    path.parent.mkdir()
    path.write_text('{"format": "coachkit-export", "version": 1}', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_mistyped_home_creates_nothing_and_says_where_it_looked(
    command: list[str], tmp_path: Path, export_file: Path, capsys: Capsys
) -> None:
    typo = tmp_path / "practise"
    args = [a.format(export=export_file, backup=tmp_path / "files" / "backup.db") for a in command]
    code, out, err = _run(capsys, "--home", str(typo), *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"no coachkit practice in {typo}" in err
    assert f"`coachkit --home {typo} init` creates one there" in err and "COACHKIT_HOME" in err
    assert not typo.exists()  # nothing was created by the mistake
    assert sorted(p.name for p in export_file.parent.iterdir()) == ["ana.json"]


def test_an_existing_folder_that_holds_no_practice_stays_as_it_was(tmp_path: Path, capsys: Capsys) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = _run(capsys, "--home", str(folder), "client", "list")
    assert code == 1 and f"no coachkit practice in {folder}" in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_coachkit_home_from_the_environment_is_checked_the_same_way(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACHKIT_HOME", str(tmp_path / "nowhere"))
    code, _, err = _run(capsys, "client", "add", "Ana Ruiz")
    assert code == 1 and f"no coachkit practice in {tmp_path / 'nowhere'}" in err
    assert not (tmp_path / "nowhere").exists()
    assert _run(capsys, "init")[0] == 0  # init is the way in; then the same command works
    assert _run(capsys, "client", "add", "Ana Ruiz")[:2] == (0, "ana-ruiz\n")


def test_the_real_command_exits_1_in_a_folder_without_a_practice(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coachkit", "client", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"no coachkit practice in {tmp_path}" in done.stderr
    assert list(tmp_path.iterdir()) == []


# -- the same client twice ---------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    with init_practice(tmp_path / "practice") as practice:
        practice.add_client("Priya Nair-O'Connor", email="priya@example.org")
        return practice.home


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["Priya Nair-O'Connor"], "name"),
        (["  priya   NAIR-o'connor "], "name"),
        (["Priya N. O'Connor", "--email", "Priya@Example.org"], "e-mail address"),
    ],
    ids=["same-name", "same-name-other-case", "same-email"],
)
def test_a_client_who_is_already_there_is_refused_with_their_id(
    home: Path, capsys: Capsys, args: list[str], what: str
) -> None:
    code, out, err = _run(capsys, "--home", str(home), "client", "add", *args)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert f"Priya Nair-O'Connor (priya-nair-o-connor) already has this {what}" in err
    assert "coachkit client show priya-nair-o-connor" in err and "--force" in err
    with init_practice(home) as practice:
        assert practice.store.client_ids() == ["priya-nair-o-connor"]


def test_force_adds_a_second_client_deliberately(home: Path, capsys: Capsys) -> None:
    code, out, _ = _run(capsys, "--home", str(home), "client", "add", "Priya Nair-O'Connor", "--force")
    assert code == 0 and out.strip() == "priya-nair-o-connor-2"
    code, out, _ = _run(capsys, "--home", str(home), "client", "list")
    assert "priya-nair-o-connor " in out and "priya-nair-o-connor-2" in out


def test_an_empty_email_matches_nobody(home: Path, capsys: Capsys) -> None:
    assert _run(capsys, "--home", str(home), "client", "add", "Ana Ruiz")[0] == 0
    assert _run(capsys, "--home", str(home), "client", "add", "Bo Lind")[0] == 0
