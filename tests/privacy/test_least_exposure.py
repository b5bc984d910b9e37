"""Least exposure: the practice is private to the coach's account (folders 0700, files 0600),
erase reaches every export and backup coachkit wrote, and the terminal never obeys a name.

The modes and the terminal are checked through the real ``coachkit`` command in child
processes (the umask is a property of the process), the terminal through a real pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import secrets
import select
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coachkit import cli
from coachkit.demo import build_demo
from coachkit.model import Goal, Session
from coachkit.practice import init_practice
from coachkit.store import Store
from coachkit.terminal import escape_controls

TODAY = date(2026, 11, 21)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _coachkit(*args: str, home: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_HOME", "COACHKIT_DB")}
    done = subprocess.run(
        [sys.executable, "-m", "coachkit", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def _loose(home: Path) -> list[str]:
    """Every folder under ``home`` (itself included) not 0700 and every file not 0600."""
    found = []
    for path in [home, *sorted(home.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            found.append(f"{path.relative_to(home)}: {mode:o}")
    return found


def test_the_practice_stays_private_through_init_demo_workbook_report_backup_and_export(tmp_path: Path) -> None:
    home = tmp_path / "practice"
    _coachkit("init", home=home)
    assert _loose(home) == []
    _coachkit("demo", "--today", TODAY.isoformat(), home=home)
    _coachkit("workbook", "jonas-becker", "--phase", "2", "--today", TODAY.isoformat(), home=home)
    _coachkit("report", "jonas-becker", "--audience", "coach", "--jobs", "1", "--date", TODAY.isoformat(), home=home)
    _coachkit("backup", str(home / "data" / "copies" / "practice.db"), home=home)
    _coachkit("export", "jonas-becker", "--out", str(home / "jonas.json"), home=home)
    assert any(home.glob("workbooks/jonas-becker/*.ipynb")), "the workbook was written"
    assert any(home.glob("reports/jonas-becker/*.html")), "the report was written"
    assert (home / "data" / "coachkit.db").is_file()
    assert _loose(home) == []


def test_an_older_practice_is_made_private_when_opened(tmp_path: Path) -> None:
    home = tmp_path / "old"
    with init_practice(home):
        pass
    for path in (home / "data", home / "workbooks", home / "data" / "coachkit.db"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    _coachkit("client", "list", home=home)
    assert [p for p in _loose(home) if not p.startswith(".:")] == []


# -- erase reaches the copies ---------------------------------------------------------------------


def _traces(paths: list[Path], canary: str) -> list[str]:
    found = []
    patterns = {enc: canary.lower().encode(enc) for enc in ENCODINGS}
    for root in paths:
        for path in [root, *sorted(root.rglob("*"))] if root.is_dir() else [root]:
            if canary.lower() in str(path).lower():
                found.append(f"{path} (name)")
            if path.is_file():
                data = path.read_bytes().lower()
                found += [f"{path} ({enc})" for enc, p in patterns.items() if p in data]
    return found


def test_erase_after_backup_and_export_leaves_the_client_in_none_of_the_files_coachkit_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = f"Zq8Canary{secrets.token_hex(6)}"
    home = tmp_path / "practice"
    with init_practice(home) as practice:
        build_demo(practice, today=TODAY)
        client = practice.add_client("Robin Vale", organisation=canary)
        practice.store.save_all(
            client.id,
            [
                Goal(id="g1", objective=f"Lead with {canary}"),
                Session(id="1", number=1, held_on=TODAY, private_notes=canary),
            ],
        )
    cid = client.id
    inside_backup = home / "data" / "copies" / "weekly.db"
    inside_json, inside_csv = home / "exports" / "robin.json", home / "exports" / "robin.csv"
    outside_backup, outside_export = tmp_path / "usb" / "practice.db", tmp_path / "usb" / "robin.json"
    gone = home / "data" / "copies" / "deleted-by-the-coach.db"
    (home / "exports").mkdir()
    main = ["--home", str(home)]
    for path in (inside_backup, outside_backup, gone):
        assert cli.main([*main, "backup", str(path)]) == 0
    gone.unlink()
    for path, fmt in ((inside_json, "json"), (inside_csv, "csv"), (outside_export, "json")):
        assert cli.main([*main, "export", cid, "--format", fmt, "--out", str(path)]) == 0
    other_export = home / "exports" / "jonas.json"
    assert cli.main([*main, "export", "jonas-becker", "--out", str(other_export)]) == 0
    written = [inside_backup, inside_json, inside_csv, outside_backup, outside_export]
    assert all(_traces([p], canary) for p in written), "every copy held the client"
    capsys.readouterr()

    assert cli.main([*main, "erase", cid, "--yes"]) == 0
    said = capsys.readouterr().out

    assert _traces([home], canary) == [], "nothing coachkit wrote inside the practice holds the client"
    assert f"backup rewritten without {cid}: {inside_backup}" in said
    assert f"export deleted: {inside_json}" in said and f"export deleted: {inside_csv}" in said
    assert f"NOT changed: {outside_backup} (outside the practice folder" in said
    assert f"NOT changed: {outside_export} (outside the practice folder" in said
    assert f"NOT changed: {gone} (no longer there)" in said
    assert not inside_json.exists() and not inside_csv.exists()
    assert _traces([outside_backup], canary) and _traces([outside_export], canary), "outside copies are untouched"
    with Store(f"sqlite:///{inside_backup}") as copy:
        assert copy.integrity() == "ok"
        assert sorted(copy.client_ids()) == ["ana-ruiz", "jonas-becker", "mei-tanaka"]
    assert other_export.is_file() and "Jonas" in other_export.read_text(encoding="utf-8")
    assert stat.S_IMODE(inside_backup.stat().st_mode) == 0o600

    # a second erase (another client) still knows the outside backup, not the erased client's files
    assert cli.main([*main, "erase", "mei-tanaka", "--yes"]) == 0
    said = capsys.readouterr().out
    assert f"NOT changed: {outside_backup}" in said and str(outside_export) not in said


# -- the terminal -----------------------------------------------------------------------------------


def test_control_characters_are_written_out_never_sent() -> None:
    assert escape_controls("Ada\x1b[2J\x1b]0;owned\x07 Lovelace\r\n\tok") == (
        "Ada\\x1b[2J\\x1b]0;owned\\x07 Lovelace\\x0d\n\tok"
    )
    assert escape_controls("evil\u202egnp.exe \x9b31m") == "evil\\u202egnp.exe \\x9b31m"
    assert escape_controls("Chloé Martin — 5 ★") == "Chloé Martin — 5 ★"


def _through_a_terminal(*args: str, home: Path) -> bytes:
    """What ``coachkit ARGS`` writes to a real pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_HOME", "COACHKIT_DB")}
    process = subprocess.Popen(
        [sys.executable, "-m", "coachkit", "--home", str(home), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
        assert process.wait(timeout=120) == 0
    return seen


def test_a_client_named_with_escape_sequences_lists_safely(tmp_path: Path) -> None:
    home = tmp_path / "practice"
    hostile = "Mallory\x1b[2J\x1b]0;pwned\x07\x1b[31m Red"
    with init_practice(home) as practice:
        client = practice.add_client(hostile, organisation="Acme\x1b[8m hidden", role="CEO\rOverwritten")
        practice.store.save(client.id, Goal(id="g1", objective="Grow\x1b[5m blinking"))
    for args, shown in [
        (("client", "list"), b"Mallory\\x1b[2J"),
        (("client", "show", client.id), b"Mallory\\x1b[2J"),
        (("export", client.id, "--format", "csv"), b"Mallory\\x1b[2J"),
        (("export", client.id), b"Mallory\\u001b[2J"),  # JSON escapes it itself
    ]:
        seen = _through_a_terminal(*args, home=home)
        assert b"\x1b" not in seen and b"\x07" not in seen, (args, seen)
        assert shown in seen, (args, seen)
    piped = _coachkit("export", client.id, home=home).stdout
    assert "Mallory\\u001b[2J" in piped, "to a pipe the export is the data, JSON-escaped as JSON is"
