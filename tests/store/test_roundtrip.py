"""Data survives the trips it is meant to: export -> erase -> import, backup -> restore, and a
backup taken while another process writes is a consistent, complete copy."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coachkit import backup, erase_client, export_client, import_client, restore
from coachkit.errors import CoachkitError
from coachkit.model import CheckIn, Client, Goal, Reflection, record_type
from coachkit.practice import Practice
from coachkit.store import Store

SpawnWriter = Callable[..., "subprocess.Popen[str]"]
BATCH = 3  # check-ins per batch in _writers.py


def _without_time(export: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in export.items() if k != "exported_at"}


def test_export_erase_import_gives_back_the_same_data(demo_practice: Practice) -> None:
    ids = demo_practice.store.client_ids()
    exports = {cid: json.dumps(export_client(demo_practice, cid), ensure_ascii=False) for cid in ids}  # as files
    for cid in ids:
        erase_client(demo_practice, cid)
    assert demo_practice.store.client_ids() == []
    for cid in ids:
        assert import_client(demo_practice, json.loads(exports[cid])) == cid
    for cid in ids:
        again = export_client(demo_practice, cid)
        assert _without_time(again) == _without_time(json.loads(exports[cid]))
    # what a coach sees is the same too
    jonas = demo_practice.store.load("jonas-becker")
    assert len(jonas.sessions) == 9 and len(jonas.check_ins) == 8 and jonas.accepted_agreement is not None
    assert [h.revision for h in demo_practice.store.history("jonas-becker", Goal, "g1")] == [1]


def test_backup_change_restore_gives_back_the_same_data(demo_practice: Practice, tmp_path: Path) -> None:
    store = demo_practice.store
    store.save("ana-ruiz", Goal(id="g1", objective="Delegate decisions to the site leads, revised"))
    store.create_link("ana-ruiz", "client", expires_at=datetime.now(UTC) + timedelta(days=30))
    before = store.export_rows()
    exports = {cid: _without_time(export_client(demo_practice, cid)) for cid in store.client_ids()}
    path = backup(demo_practice, tmp_path / "backups" / "practice.db")
    assert not path.with_name(path.name + "-wal").exists()

    # change things: new client, new revisions, a removal, an erased client, a revoked link
    store.add_client(Client(name="Someone New"))
    store.save("jonas-becker", Goal(id="g1", objective="Changed after the backup"))
    store.remove("jonas-becker", Reflection, "r1")
    erase_client(demo_practice, "mei-tanaka")
    store.revoke_link(store.links("ana-ruiz")[0].id)
    assert store.export_rows() != before

    safety = restore(demo_practice, path)
    assert store.export_rows() == before
    assert {cid: _without_time(export_client(demo_practice, cid)) for cid in store.client_ids()} == exports
    assert store.integrity() == "ok"
    # the data it replaced is in the safety copy
    with Store(f"sqlite:///{safety}") as copy:
        assert "someone-new" in copy.client_ids() and "mei-tanaka" not in copy.client_ids()
    # and the restored practice takes new saves
    assert store.save("jonas-becker", Goal(id="g1", objective="After the restore")) == 2


def test_backup_while_another_process_writes_is_consistent(
    practice: Practice, tmp_path: Path, spawn_writer: SpawnWriter
) -> None:
    client = practice.add_client("Busy Client")
    proc = spawn_writer("batches", practice.store.url, client.id, "live", "100000")
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    copies = []
    batches_in_last_copy = 0
    for n in range(5):
        # wait until a batch the last copy could not hold is committed: each copy holds more
        while True:
            line = proc.stdout.readline()
            assert line, f"the writer stopped: {proc.communicate()[1]}"
            if int(line) >= batches_in_last_copy:
                break
        copies.append(backup(practice, tmp_path / f"copy-{n}.db"))
        with Store(f"sqlite:///{copies[-1]}") as copy:
            batches_in_last_copy = len(copy.history(client.id, Goal, "g1"))
    assert proc.poll() is None, "the writer stopped before the backups were done"
    proc.kill()
    proc.communicate()

    sizes = []
    for path in copies:
        with Store(f"sqlite:///{path}") as copy:
            assert copy.integrity() == "ok"
            dump = copy.dump_client(client.id)
            for row in dump["records"]:  # every row complete and readable
                assert row["data"] is not None
                record = record_type(row["kind"]).from_data(row["data"])
                record.validate()
            file = copy.load(client.id)
            batches: dict[str, int] = {}
            for check_in in file.all(CheckIn):
                key = check_in.id.rsplit("-", 1)[0]
                batches[key] = batches.get(key, 0) + 1
            assert batches and set(batches.values()) == {BATCH}  # no torn batch
            goal_history = copy.history(client.id, Goal, "g1")
            assert [h.revision for h in goal_history] == list(range(1, len(batches) + 1))
            last = max(int(k.split("-b")[1]) for k in batches)
            assert file.goals[0].objective == f"Goal as of live batch {last}"
            sizes.append(len(batches))
    assert sizes == sorted(set(sizes))  # each copy was taken later, with more data
    assert practice.store.integrity() == "ok"


def test_restore_keeps_a_safety_copy_each_time(practice: Practice, tmp_path: Path) -> None:
    practice.add_client("Keeps Going")
    path = backup(practice, tmp_path / "b.db")
    restore(practice, path)
    restore(practice, path)  # twice: two safety copies, both kept
    assert len(list((practice.data_dir / "backups").glob("*.db"))) == 2
    assert practice.store.client_ids() == ["keeps-going"]
    assert practice.store.save("keeps-going", Reflection(id="r", on=date(2026, 1, 1), text="still here")) == 1


@pytest.mark.parametrize("content", [b"", b"not a database\n", b'{"format": "coachkit-export"}', b"SQLite format 3"])
def test_restore_refuses_a_file_that_is_no_backup(practice: Practice, tmp_path: Path, content: bytes) -> None:
    practice.add_client("Must Survive")
    before = practice.store.export_rows()
    path = tmp_path / "not-a-backup.db"
    path.write_bytes(content)
    with pytest.raises(CoachkitError):
        restore(practice, path)
    assert practice.store.export_rows() == before
    assert path.read_bytes() == content  # and the file was left as it was


def test_restore_refuses_a_backup_of_a_newer_coachkit(practice: Practice, tmp_path: Path) -> None:
    practice.add_client("Present Day")
    path = backup(practice, tmp_path / "future.db")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    practice.add_client("Added Later")
    with pytest.raises(CoachkitError, match="newer coachkit"):
        restore(practice, path)
    assert practice.store.client_ids() == ["added-later", "present-day"]
