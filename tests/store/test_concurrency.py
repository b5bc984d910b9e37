"""Two processes saving to the same client at once lose nothing and raise nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from coachkit.model import CheckIn, Client, Engagement, Goal
from coachkit.store import Store

SpawnWriter = Callable[..., "subprocess.Popen[str]"]
SAVES = 300  # per process: half new check-ins, half revisions of the shared goal


def test_two_processes_saving_to_one_engagement_lose_nothing(store_url: str, spawn_writer: SpawnWriter) -> None:
    with Store(store_url) as store:
        client = store.add_client(Client(name="Shared Client"))
        store.save_all(
            client.id,
            [
                Engagement(start=date(2026, 1, 1), planned_end=date(2026, 7, 1), status="active"),
                Goal(id="g1", objective="Shared goal"),
            ],
        )
        rows_before = len(store.dump_client(client.id)["records"])

    workers = {w: spawn_writer("concurrent", store_url, client.id, w, str(SAVES)) for w in ("a", "b")}
    for proc in workers.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    for proc in workers.values():  # both start saving at the same moment
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = {}
    for w, proc in workers.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports[w] = json.loads(out.strip().splitlines()[-1])
        assert reports[w]["errors"] == [], f"worker {w} raised: {reports[w]['errors'][:5]}"

    with Store(store_url) as store:
        dump = store.dump_client(client.id)
        assert len(dump["records"]) == rows_before + 2 * SAVES  # exactly 600 saves visible

        # revision numbers are contiguous for every record
        revisions: dict[tuple[str, str], list[int]] = {}
        for row in dump["records"]:
            revisions.setdefault((row["kind"], row["id"]), []).append(row["revision"])
        for key, revs in revisions.items():
            assert sorted(revs) == list(range(1, len(revs) + 1)), key

        # every check-in of both workers is there, whole
        check_ins = {c.id: c for c in store.all(client.id, CheckIn)}
        for w in workers:
            for i in range(0, SAVES, 2):
                assert check_ins[f"w{w}-c{i}"].note == f"worker {w}, save {i}"
        assert len(check_ins) == SAVES

        # the shared goal: one revision per save, numbers handed out once each, no gaps
        history = store.history(client.id, Goal, "g1")
        assert [r.revision for r in history] == list(range(1, SAVES + 2))
        returned = reports["a"]["revisions"]["goal"] + reports["b"]["revisions"]["goal"]
        assert sorted(returned) == list(range(2, SAVES + 2))
        assert all(rev == 1 for rev in reports["a"]["revisions"]["check_in"] + reports["b"]["revisions"]["check_in"])
        texts = Counter(r.author for r in history[1:])
        assert texts == {"worker-a": SAVES // 2, "worker-b": SAVES // 2}
        for r in history[1:]:
            assert r.record is not None and r.record.objective.startswith(
                f"Shared goal, revised by worker {r.author[-1]} "
            )

    # the two really were saving at the same time (else the test proved nothing)
    assert max(r["began"] for r in reports.values()) < min(r["ended"] for r in reports.values())


def test_processes_opening_a_new_database_at_once_all_succeed(store_url: str, spawn_writer: SpawnWriter) -> None:
    procs = [spawn_writer("open", store_url, "-", f"Client {n}") for n in range(3)]
    for proc in procs:  # all started, imports done, no database yet: now open it at once
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.strip().splitlines()[-1:]
    with Store(store_url) as store:
        assert store.client_ids() == ["client-0", "client-1", "client-2"]


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("CREATE TABLE other(x)")  # a new file, still in SQLite's first (rollback) journal mode
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(0.5)
db.execute("COMMIT")
"""


def test_opening_a_new_sqlite_file_while_another_process_holds_its_write_lock_waits(tmp_path: Path) -> None:
    """Seen in CI: of processes opening a new practice at once, one was told "database is locked"
    and gave up. Switching a file to WAL mode while another process holds its write lock is
    refused at once by SQLite, without the busy wait; opening must ask again until the lock is
    let go, and the file ends in WAL mode."""
    path = tmp_path / "store.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with Store(f"sqlite:///{path}") as store:
            client = store.add_client(Client(name="Opened While Locked"))
            assert store.client_ids() == [client.id]
    finally:
        holder.communicate(timeout=30)
    assert holder.returncode == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
