"""``coachkit erase ID --yes`` leaves no byte of the client anywhere in the practice folder."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coachkit import backup, cli, export_client, restore
from coachkit.demo import build_demo
from coachkit.model import CheckIn, Goal, GoalAdjustment, GoalProgress, Reflection, Session
from coachkit.practice import init_practice
from coachkit.store import Store

TODAY = date(2026, 11, 21)


def _canary() -> str:
    return f"Zq7Canary{secrets.token_hex(6)}"


ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _traces(home: Path, canary: str) -> list[str]:
    """Every file under ``home`` (hidden ones, ``-wal`` and ``-shm`` included) whose bytes or
    path hold the canary, in any case."""
    found = []
    patterns = {enc: canary.lower().encode(enc) for enc in ENCODINGS}
    for path in sorted(home.rglob("*")):
        if canary.lower() in str(path.relative_to(home)).lower():
            found.append(f"{path} (name)")
        if path.is_file():
            data = path.read_bytes().lower()
            found += [f"{path} ({enc})" for enc, p in patterns.items() if p in data]
    return found


def _build(home: Path, canary: str) -> str:
    """The demo's three clients plus one whose every text holds the canary; files written for
    it in workbooks/ and reports/. Returns its id."""
    with init_practice(home) as practice:
        build_demo(practice, today=TODAY)
        client = practice.add_client(f"{canary} Person", email=f"{canary}@example.org", organisation=canary)
        store = practice.store
        store.save_all(
            client.id,
            [
                Goal(id="g1", objective=f"Lead with {canary}", why=canary),
                Session(id="1", number=1, held_on=TODAY, private_notes=f"Coach only: {canary}"),
                Reflection(id="r1", on=TODAY, text=f"I noticed {canary} again."),
                CheckIn(id="c1", on=TODAY, progress=[GoalProgress("g1", 3)], note=canary),
                GoalAdjustment(id="adj1", goal_id="g1", made_on=TODAY, what_changed=canary, reason=canary),
            ],
        )
        store.save(client.id, Goal(id="g1", objective=f"Lead with {canary}, revised"))  # history holds both
        store.remove(client.id, Reflection, "r1")  # a tombstone; the old text stays in history
        store.create_link(client.id, "client", expires_at=datetime.now(UTC) + timedelta(days=7), subject=canary)
        for folder in (practice.workbooks_dir(client.id), practice.reports_dir(client.id)):
            folder.mkdir(parents=True)
            (folder / "workbook.ipynb").write_text(f'{{"cells": ["{canary}"]}}', encoding="utf-8")
            (folder / "report.txt").write_text(f"Report for {canary}", encoding="utf-16")
        return client.id


def _others(home: Path, except_id: str) -> dict[str, Any]:
    with init_practice(home) as practice:
        return {
            cid: {k: v for k, v in export_client(practice, cid).items() if k != "exported_at"}
            for cid in practice.store.client_ids()
            if cid != except_id
        }


def _erase(home: Path, client_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--home", str(home), "erase", client_id, "--yes"]) == 0
    assert client_id in capsys.readouterr().out


def test_erase_leaves_no_trace_in_any_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    canary = _canary()
    home = tmp_path / "practice"
    client_id = _build(home, canary)
    assert canary.lower() in client_id  # the id is a trace too
    others = _others(home, client_id)
    for fmt in ("json", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert cli.main(["--home", str(home), "export", client_id, "--format", fmt, "--out", str(out)]) == 0
        assert canary in out.read_text(encoding="utf-8")
    traces = _traces(home, canary)
    assert any("coachkit.db" in t for t in traces) and any("utf-16" in t for t in traces)  # the search works

    # a coach's notebook has the practice open meanwhile (an idle connection in its pool)
    with Store(f"sqlite:///{home / 'data' / 'coachkit.db'}") as notebook:
        assert client_id in notebook.client_ids()
        _erase(home, client_id, capsys)
        assert _traces(home, canary) == []
        assert client_id not in notebook.client_ids()
    assert _traces(home, canary) == []
    assert _others(home, client_id) == others
    with init_practice(home) as practice:
        assert practice.store.integrity() == "ok"
        assert client_id not in practice.store.client_ids()
        assert practice.store.links(client_id) == []


def test_erase_also_cleans_the_safety_copies_of_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    canary = _canary()
    home = tmp_path / "practice"
    client_id = _build(home, canary)
    with init_practice(home) as practice:
        backup(practice, tmp_path / "outside" / "before.db")
        practice.add_client("Added After The Backup")
        safety = restore(practice, tmp_path / "outside" / "before.db")
        assert safety.parent == practice.data_dir / "backups"
    assert any(str(safety) in t for t in _traces(home, canary))
    others = _others(home, client_id)

    _erase(home, client_id, capsys)

    assert _traces(home, canary) == []
    assert _others(home, client_id) == others
    with Store(f"sqlite:///{safety}") as copy:
        assert copy.integrity() == "ok"
        assert client_id not in copy.client_ids()
        assert "added-after-the-backup" in copy.client_ids()
        assert len(copy.client_ids()) == 4  # the demo's three and the one added after the backup
