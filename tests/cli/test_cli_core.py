"""The core commands and their error paths: one plain line and exit 1 for a person's mistake,
exit 2 for a usage mistake, never a traceback."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import coachkit
from coachkit.cli import build_parser, main
from coachkit.model import Goal
from coachkit.practice import init_practice

TODAY = "2026-11-21"
Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *args: str) -> tuple[int, str, str]:
    """``coachkit ARGS`` in this process: (exit status, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: usage errors and --help
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: Capsys, *args: str, status: int = 1) -> str:
    """Run a command that must fail: the status, and one plain line on stderr."""
    code, out, err = run(capsys, *args)
    assert code == status, (code, out, err)
    assert "Traceback" not in err + out
    if status == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("coachkit: "), err
        assert "unexpected error" not in err, err  # a foreseen mistake, not a bug
    return err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "practice"


@pytest.fixture
def demo_home(home: Path, capsys: Capsys) -> Path:
    assert run(capsys, "--home", str(home), "demo", "--today", TODAY)[0] == 0
    return home


def _export(capsys: Capsys, home: Path, client_id: str, fmt: str = "json") -> str:
    code, out, err = run(capsys, "--home", str(home), "export", client_id, "--format", fmt)
    assert code == 0, err
    return out


# -- init and demo -----------------------------------------------------------------------------


def test_init_creates_the_practice_folders(home: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--home", str(home), "init")
    assert code == 0 and str(home) in out
    for sub in ("data", "workbooks", "reports"):
        assert (home / sub / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert (home / "data" / "coachkit.db").is_file()
    assert run(capsys, "--home", str(home), "init")[0] == 0  # again: harmless


def test_home_comes_from_the_environment(home: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHKIT_HOME", str(home))
    assert run(capsys, "init")[0] == 0
    assert (home / "data" / "coachkit.db").is_file()


def test_demo_builds_three_clients_once(demo_home: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--home", str(demo_home), "demo", "--today", TODAY)
    assert code == 0 and "3 clients" in out
    for client_id in ("ana-ruiz", "jonas-becker", "mei-tanaka"):
        assert client_id in out
    with init_practice(demo_home) as practice:
        assert practice.store.client_ids() == ["ana-ruiz", "jonas-becker", "mei-tanaka"]


def test_demo_with_synthetic_clients(home: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--home", str(home), "demo", "--clients", "5", "--today", TODAY)
    assert code == 0 and "8 clients" in out and "and 5 synthetic clients" in out
    code, out, _ = run(capsys, "--home", str(home), "client", "list")
    assert code == 0 and len(out.strip().splitlines()) == 1 + 8
    assert "synthetic-client-0005" in out


def test_demo_is_the_same_for_the_same_day(tmp_path: Path, capsys: Capsys) -> None:
    exports = []
    for n in (1, 2):
        home = tmp_path / f"demo-{n}"
        assert run(capsys, "--home", str(home), "demo", "--clients", "2", "--today", TODAY)[0] == 0
        with init_practice(home) as practice:
            ids = practice.store.client_ids()
        exports.append({cid: _timeless(json.loads(_export(capsys, home, cid))) for cid in ids})
    assert exports[0] == exports[1]
    assert len(exports[0]) == 5


def _timeless(export: dict[str, Any]) -> dict[str, Any]:
    """An export without the moments it was made and saved."""
    rows = [{k: v for k, v in row.items() if k != "saved_at"} for row in export["records"]]
    return {**{k: v for k, v in export.items() if k not in ("exported_at", "created_at")}, "records": rows}


def test_demo_refuses_bad_numbers_and_dates(home: Path, capsys: Capsys) -> None:
    assert "--clients" in refused(capsys, "--home", str(home), "demo", "--clients", "-1")
    refused(capsys, "--home", str(home), "demo", "--clients", "many", status=2)
    refused(capsys, "--home", str(home), "demo", "--today", "21/11/2026", status=2)


# -- clients -----------------------------------------------------------------------------------


def test_client_add_list_show(home: Path, capsys: Capsys) -> None:
    assert run(capsys, "--home", str(home), "init")[0] == 0
    code, out, _ = run(capsys, "--home", str(home), "client", "list")
    assert code == 0 and "No clients yet" in out
    code, out, _ = run(
        capsys, "--home", str(home), "client", "add", "Zoë O'Neil", "--email", "zoe@example.org", "--role", "CEO"
    )
    assert code == 0 and out.strip() == "zoe-o-neil"
    code, out, _ = run(capsys, "--home", str(home), "client", "add", "A very long name " * 5)
    assert code == 0
    code, out, _ = run(capsys, "--home", str(home), "client", "list")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].split() == ["ID", "NAME", "ORGANISATION", "STATUS"]
    assert lines[2].startswith("zoe-o-neil") and "Zoë O'Neil" in lines[2] and "no engagement yet" in lines[2]
    assert "…" in lines[1]  # the long name is clipped to its column
    code, out, _ = run(capsys, "--home", str(home), "client", "show", "zoe-o-neil")
    assert code == 0 and "Zoë O'Neil  [zoe-o-neil]" in out and "Role: CEO" in out
    assert "Engagement: not set up yet" in out and "Agreement: not accepted yet" in out


def test_client_show_of_a_demo_client(demo_home: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--home", str(demo_home), "client", "show", "jonas-becker")
    assert code == 0
    assert "Engagement: active, phase 5" in out and "Sessions: 8 held of 14 planned" in out
    assert "Agreement: version 1 accepted" in out and "Goals: 3, milestones: 6, actions: 4, check-ins: 8" in out
    assert "Sponsor: Tom Lindqvist (hr)" in out
    assert "Coach only" not in out  # private notes are never printed


def test_client_errors(home: Path, capsys: Capsys) -> None:
    assert run(capsys, "--home", str(home), "init")[0] == 0
    assert "name" in refused(capsys, "--home", str(home), "client", "add", "   ")
    assert "email" in refused(capsys, "--home", str(home), "client", "add", "Ana", "--email", "not-an-address")
    assert "client list" in refused(capsys, "--home", str(home), "client", "show", "nobody")
    refused(capsys, "--home", str(home), "client", "show", "../../etc")
    refused(capsys, "--home", str(home), "client", status=2)
    refused(capsys, "--home", str(home), "client", "remove", "x", status=2)


# -- export and import -------------------------------------------------------------------------


def test_export_json(demo_home: Path, capsys: Capsys, tmp_path: Path) -> None:
    export = json.loads(_export(capsys, demo_home, "mei-tanaka"))
    assert (export["format"], export["version"], export["client_id"]) == ("coachkit-export", 1, "mei-tanaka")
    kinds = {row["kind"] for row in export["records"]}
    assert {"client", "engagement", "agreement", "goal", "session", "follow_up", "closure"} <= kinds
    out = tmp_path / "mei.json"
    code, text, _ = run(capsys, "--home", str(demo_home), "export", "mei-tanaka", "--out", str(out))
    assert code == 0 and str(out) in text
    assert json.loads(out.read_text(encoding="utf-8"))["records"] == export["records"]


def test_export_csv(demo_home: Path, capsys: Capsys) -> None:
    with init_practice(demo_home) as practice:
        practice.store.save("ana-ruiz", Goal(id="g1", objective='Delegate, "really", to the\nsite leads'))
        practice.store.remove("ana-ruiz", Goal, "g2")
    rows = list(csv.reader(io.StringIO(_export(capsys, demo_home, "ana-ruiz", "csv"))))
    assert rows[0] == ["kind", "id", "revision", "saved_at", "author", "field", "value"]
    by_field = {(r[0], r[1], r[2], r[5]): r[6] for r in rows[1:]}
    assert by_field[("client", "ana-ruiz", "1", "name")] == "Ana Ruiz"
    assert by_field[("goal", "g1", "2", "objective")] == 'Delegate, "really", to the\nsite leads'
    assert by_field[("goal", "g1", "1", "target_date")] == "2027-04-11"  # 150 days after the start
    assert by_field[("goal", "g1", "1", "released_on")] == ""  # None is empty
    assert json.loads(by_field[("goal", "g1", "1", "findings")]) == []
    assert json.loads(by_field[("session", "1", "1", "number")]) == 1
    assert by_field[("goal", "g2", "2", "")] == "(removed)"
    assert json.loads(by_field[("agreement", "1", "1", "manager_shown_separately")]) is False
    assert {r[4] for r in rows[1:]} <= {"coach", "client"}  # the demo's 360 nominations are the client's


def test_export_errors(demo_home: Path, capsys: Capsys, tmp_path: Path) -> None:
    refused(capsys, "--home", str(demo_home), "export", "nobody")
    refused(capsys, "--home", str(demo_home), "export", "ana-ruiz", "--out", str(tmp_path / "no" / "such" / "x.json"))
    refused(capsys, "--home", str(demo_home), "export", "ana-ruiz", "--format", "xml", status=2)


def test_import_takes_an_export_back(demo_home: Path, capsys: Capsys, tmp_path: Path) -> None:
    path = tmp_path / "ana.json"
    path.write_text(_export(capsys, demo_home, "ana-ruiz"), encoding="utf-8")
    assert run(capsys, "--home", str(tmp_path / "other"), "init")[0] == 0
    code, out, _ = run(capsys, "--home", str(tmp_path / "other"), "import", str(path))
    assert code == 0 and out.strip() == "ana-ruiz"
    code, out, _ = run(capsys, "--home", str(demo_home), "import", str(path))
    assert code == 0 and out.strip() == "ana-ruiz-2"  # the id is taken here


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"not json at all", id="not-json"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[1, 2, 3]", id="a-list"),
        pytest.param(b'{"hello": "world"}', id="other-json"),
        pytest.param(b'{"format": "coachkit-export"}', id="no-records"),
        pytest.param(b'{"format": "coachkit-export", "version": "one"}', id="bad-version"),
        pytest.param(b'{"format": "coachkit-export", "version": 99}', id="newer"),
        pytest.param(b'{"format": "coachkit-export", "version": 1, "client_id": "x", "records": 5}', id="bad-rows"),
    ],
)
def test_import_refuses_what_is_no_export(home: Path, capsys: Capsys, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(content)
    assert run(capsys, "--home", str(home), "init")[0] == 0
    assert "no coachkit practice" not in refused(capsys, "--home", str(home), "import", str(path))
    with init_practice(home) as practice:
        assert practice.store.client_ids() == []


@pytest.mark.parametrize(
    ("change", "says"),
    [
        pytest.param(lambda e: e["records"].append(dict(e["records"][-1])), "twice", id="duplicate-revision"),
        pytest.param(lambda e: e["records"][-1].update(author="x" * 65), "author", id="long-author"),
        pytest.param(lambda e: e["records"][-1].update(saved_at="yesterday"), "saved_at", id="bad-time"),
        pytest.param(lambda e: e["records"][-1].update(kind="horoscope"), "cannot be read", id="unknown-kind"),
        pytest.param(lambda e: e["records"][-1].update(revision=0), "revision", id="revision-0"),
        pytest.param(
            lambda e: next(r for r in e["records"] if r["kind"] == "action")["data"].update(title=""),
            "title",
            id="invalid-record",
        ),
        pytest.param(lambda e: e["records"][-1].update(id="other"), "id", id="id-mismatch"),
        pytest.param(lambda e: e.pop("created_at"), "cannot be read", id="no-created-at"),
    ],
)
def test_import_refuses_a_damaged_export(
    demo_home: Path, capsys: Capsys, tmp_path: Path, change: Any, says: str
) -> None:
    export = json.loads(_export(capsys, demo_home, "ana-ruiz"))
    change(export)
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    assert run(capsys, "--home", str(tmp_path / "other"), "init")[0] == 0
    assert says in refused(capsys, "--home", str(tmp_path / "other"), "import", str(path))
    with init_practice(tmp_path / "other") as practice:
        assert practice.store.client_ids() == []  # nothing half-imported


def test_import_of_a_missing_file_or_a_folder(home: Path, capsys: Capsys, tmp_path: Path) -> None:
    assert "does not exist" in refused(capsys, "--home", str(home), "import", str(tmp_path / "missing.json"))
    refused(capsys, "--home", str(home), "import", str(tmp_path))


# -- erase, backup, restore --------------------------------------------------------------------


def test_erase_needs_yes_and_a_known_client(demo_home: Path, capsys: Capsys) -> None:
    assert "--yes" in refused(capsys, "--home", str(demo_home), "erase", "ana-ruiz")
    assert "client list" in refused(capsys, "--home", str(demo_home), "erase", "nobody", "--yes")
    refused(capsys, "--home", str(demo_home), "erase", "../data", "--yes")
    with init_practice(demo_home) as practice:
        assert practice.store.client_ids() == ["ana-ruiz", "jonas-becker", "mei-tanaka"]
    code, out, _ = run(capsys, "--home", str(demo_home), "erase", "ana-ruiz", "--yes")
    assert code == 0 and "Erased ana-ruiz" in out
    with init_practice(demo_home) as practice:
        assert practice.store.client_ids() == ["jonas-becker", "mei-tanaka"]


def test_backup_and_restore(demo_home: Path, capsys: Capsys, tmp_path: Path) -> None:
    path = tmp_path / "copies" / "b.db"
    code, out, _ = run(capsys, "--home", str(demo_home), "backup", str(path))
    assert code == 0 and str(path) in out and path.is_file()
    assert "exists" in refused(capsys, "--home", str(demo_home), "backup", str(path))
    assert run(capsys, "--home", str(demo_home), "erase", "mei-tanaka", "--yes")[0] == 0
    code, out, _ = run(capsys, "--home", str(demo_home), "restore", str(path))
    assert code == 0 and "data/backups/before-restore-" in out
    with init_practice(demo_home) as practice:
        assert "mei-tanaka" in practice.store.client_ids()


def test_restore_errors(demo_home: Path, capsys: Capsys, tmp_path: Path) -> None:
    assert "is not a file" in refused(capsys, "--home", str(demo_home), "restore", str(tmp_path / "missing.db"))
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    refused(capsys, "--home", str(demo_home), "restore", str(text))
    with init_practice(demo_home) as practice:
        assert len(practice.store.client_ids()) == 3


# -- usage -------------------------------------------------------------------------------------


def test_usage_mistakes_exit_2(home: Path, capsys: Capsys) -> None:
    assert "invalid choice" in refused(capsys, "--home", str(home), "frobnicate", status=2)
    refused(capsys, "--home", str(home), "init", "--colour", status=2)
    refused(capsys, status=2)  # no command at all
    refused(capsys, "--home", str(home), "export", status=2)  # a missing argument


def test_version_and_help(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"coachkit {coachkit.__version__}"
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "erase" in out and "--home" in out


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """(command path, help text) of every sub-command, however deep."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append(((*path, name), helps.get(name) or ""))
                found += _subcommands(sub, (*path, name))
    return found


def test_every_command_has_a_help_text(capsys: Capsys) -> None:
    commands = _subcommands(build_parser())
    names = {" ".join(p) for p, _ in commands}
    assert {"init", "demo", "client", "client add", "client list", "client show", "export", "import"} <= names
    assert {"erase", "backup", "restore"} <= names
    for path, help_text in commands:
        assert len(help_text) > 10, f"`coachkit {' '.join(path)}` has no help text"
        code, out, _ = run(capsys, *path, "--help")
        assert code == 0 and help_text in " ".join(out.split()), path


# -- through a real process --------------------------------------------------------------------


def _coachkit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(coachkit.__file__).resolve().parents[1])}
    env.pop("COACHKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "coachkit", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_exit_codes_of_the_real_command(tmp_path: Path) -> None:
    home = str(tmp_path / "practice")
    assert _coachkit("--home", home, "init").returncode == 0
    done = _coachkit("--home", home, "client", "add", "Ana Ruiz")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "ana-ruiz", "")
    done = _coachkit("--home", home, "client", "show", "nobody")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("coachkit: ") and "Traceback" not in done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = _coachkit("--home", home, "import", str(bad))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    done = _coachkit("--home", home, "frobnicate")
    assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr
