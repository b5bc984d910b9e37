"""The store's promises, on SQLite and on PostgreSQL: revisions, history, removal, what must not
change, private links, copies of all rows, and forward migration."""

from __future__ import annotations

import base64
import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from coachkit.errors import Conflict, NotFound, StoreError, ValidationError
from coachkit.model import (
    Agreement,
    CheckIn,
    Client,
    Engagement,
    Goal,
    GoalAdjustment,
    GoalProgress,
    Reflection,
    Session,
    accept_agreement,
    agreement_sha256,
    next_agreement,
)
from coachkit.store import SCHEMA_VERSION, Store
from coachkit.store.schema import migrate, schema_version

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def client_id(store: Store) -> str:
    return store.add_client(Client(name="Ana Ruiz", organisation="Northwind")).id


def _rows(store: Store) -> int:
    return len(store.export_rows()["records"])


def test_a_client_gets_a_slug_id_and_its_first_revision(store: Store, client_id: str) -> None:
    assert client_id == "ana-ruiz"
    assert store.client(client_id).organisation == "Northwind"
    assert [h.revision for h in store.history(client_id, Client, client_id)] == [1]
    assert store.add_client(Client(name="Ana Ruiz")).id == "ana-ruiz-2"
    assert store.client_ids() == ["ana-ruiz", "ana-ruiz-2"]
    assert store.has_client("ana-ruiz") and not store.has_client("nobody")


def test_a_change_adds_a_revision_and_history_keeps_every_one(store: Store, client_id: str) -> None:
    goal = Goal(id="g1", objective="Delegate", measure="Hours", baseline="12", target="4")
    assert store.save(client_id, goal) == 1
    assert store.save(client_id, dataclasses.replace(goal, target="3"), author="client") == 2
    assert store.save(client_id, dataclasses.replace(goal, target="2")) == 3
    assert store.get(client_id, Goal, "g1").target == "2"
    history = store.history(client_id, Goal, "g1")
    assert [(h.revision, h.author) for h in history] == [(1, "coach"), (2, "client"), (3, "coach")]
    assert [h.record.target for h in history if isinstance(h.record, Goal)] == ["4", "3", "2"]
    assert all(h.saved_at.tzinfo is not None for h in history)
    assert history[0].saved_at <= history[-1].saved_at <= datetime.now(UTC)


def test_an_identical_save_writes_nothing(store: Store, client_id: str) -> None:
    check_in = CheckIn(id="c1", on=DAY, progress=[GoalProgress("g1", 4)], blockers="“quotes” & <tags> 🚀")
    assert store.save(client_id, check_in) == 1
    rows = _rows(store)
    assert store.save(client_id, CheckIn.from_data(check_in.to_data())) == 1
    assert store.save_all(client_id, [check_in, check_in]) == [1, 1]
    assert _rows(store) == rows
    assert len(store.history(client_id, CheckIn, "c1")) == 1


def test_remove_leaves_a_tombstone_and_the_history(store: Store, client_id: str) -> None:
    store.save(client_id, Reflection(id="r1", on=DAY, text="First thought"))
    store.save(client_id, Reflection(id="r2", on=DAY, text="Second thought"))
    store.remove(client_id, Reflection, "r1", author="client")
    assert store.find(client_id, Reflection, "r1") is None
    with pytest.raises(NotFound):
        store.get(client_id, Reflection, "r1")
    assert [r.id for r in store.all(client_id, Reflection)] == ["r2"]
    assert [r.id for r in store.load(client_id).reflections] == ["r2"]
    history = store.history(client_id, Reflection, "r1")
    assert [(h.revision, h.author, h.record is None) for h in history] == [(1, "coach", False), (2, "client", True)]
    assert isinstance(history[0].record, Reflection) and history[0].record.text == "First thought"
    with pytest.raises(NotFound):
        store.remove(client_id, Reflection, "r1")
    with pytest.raises(NotFound):
        store.remove(client_id, Reflection, "never-saved")
    with pytest.raises(Conflict):  # a client is erased, not removed
        store.remove(client_id, Client, client_id)
    assert store.load(client_id).client.name == "Ana Ruiz"
    assert store.save(client_id, Reflection(id="r1", on=DAY, text="Back again")) == 3


def test_an_accepted_agreement_cannot_change_but_a_new_version_can(store: Store, client_id: str) -> None:
    draft = Agreement(id="1", version=1, objectives="Lead the team", scope="Work")
    assert store.save(client_id, draft) == 1
    assert store.save(client_id, dataclasses.replace(draft, scope="Work only")) == 2  # drafts may change
    accepted = accept_agreement(store.get(client_id, Agreement, "1"), "Ana Ruiz", NOW)
    assert store.save(client_id, accepted) == 3
    rows = _rows(store)
    edited = dataclasses.replace(accepted, objectives="Something else")
    edited.accepted_sha256 = agreement_sha256(edited)  # valid in itself: only the store's rule refuses it
    with pytest.raises(Conflict):
        store.save(client_id, edited)
    with pytest.raises(Conflict):  # nor with something else alongside: neither is kept
        store.save_all(client_id, [Reflection(id="r9", on=DAY, text="kept?"), edited])
    assert _rows(store) == rows
    assert store.find(client_id, Reflection, "r9") is None
    assert store.save(client_id, accepted) == 3  # saving it unchanged is fine
    v2 = next_agreement(accepted)
    v2.objectives = "Lead the wider department"
    assert store.save(client_id, v2) == 1
    file = store.load(client_id)
    assert [a.version for a in file.agreements] == [1, 2]
    assert file.accepted_agreement == accepted and file.agreement == v2


def test_a_goal_adjustment_cannot_be_rewritten(store: Store, client_id: str) -> None:
    adjustment = GoalAdjustment(id="adj1", goal_id="g1", made_on=DAY, what_changed="Date moved", reason="Crunch")
    assert store.save(client_id, adjustment) == 1
    with pytest.raises(Conflict):
        store.save(client_id, dataclasses.replace(adjustment, reason="A nicer reason"))
    assert store.save(client_id, adjustment) == 1
    assert store.get(client_id, GoalAdjustment, "adj1").reason == "Crunch"
    assert len(store.history(client_id, GoalAdjustment, "adj1")) == 1


def test_refused_saves(store: Store, client_id: str) -> None:
    rows = _rows(store)
    with pytest.raises(NotFound):
        store.save("nobody", Reflection(on=DAY, text="x"))
    with pytest.raises(ValidationError) as err:
        store.save(client_id, Reflection(on=DAY, text=""))
    assert err.value.field == "text"
    for author in ("", "x" * 65, 5, None):
        with pytest.raises(ValidationError) as err:
            store.save(client_id, Reflection(on=DAY, text="x"), author=author)  # type: ignore[arg-type]
        assert err.value.field == "author"
    with pytest.raises(ValidationError) as err:
        store.save(client_id, Client(id="someone-else", name="Ana"))
    assert err.value.field == "id"
    assert _rows(store) == rows


def test_load_gives_the_current_case_file(store: Store, client_id: str) -> None:
    store.save_all(
        client_id,
        [
            Engagement(start=DAY, planned_end=DAY + timedelta(days=180), status="active"),
            Goal(id="g1", objective="Delegate"),
            Goal(id="g2", objective="Feedback"),
            Session(id="2", number=2, held_on=DAY + timedelta(days=14)),
            Session(id="1", number=1, held_on=DAY),
        ],
    )
    store.save(client_id, Goal(id="g1", objective="Delegate more"))
    file = store.load(client_id)
    assert file.client.name == "Ana Ruiz"
    assert [g.objective for g in file.goals] == ["Delegate more", "Feedback"]
    assert [s.number for s in file.sessions] == [1, 2]
    assert file.engagement is not None and file.engagement.status == "active"
    with pytest.raises(NotFound):
        store.load("nobody")
    roster = store.roster()
    assert [(c.id, e is not None) for c, e in roster] == [("ana-ruiz", True)]


def test_links_are_created_resolved_expired_and_revoked(store: Store, client_id: str) -> None:
    now = datetime.now(UTC)
    token, link = store.create_link(client_id, "sponsor", expires_at=now + timedelta(days=7), subject="Dan")
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    resolved = store.resolve_link(token)
    assert resolved is not None and (resolved.id, resolved.client_id, resolved.audience) == (
        link.id,
        client_id,
        "sponsor",
    )
    assert store.resolve_link(token + "x") is None
    assert store.resolve_link("") is None
    assert store.resolve_link("x" * 10_000) is None
    assert store.resolve_link(token, now + timedelta(days=8)) is None  # expired
    assert link.state(now + timedelta(days=8)) == "expired"

    other, _ = store.create_link(client_id, "client", expires_at=now + timedelta(days=7))
    assert [lk.audience for lk in store.links(client_id)] == ["client", "sponsor"]
    revoked = store.revoke_link(link.id)
    assert revoked.revoked_at is not None and revoked.state(now) == "revoked"
    assert store.resolve_link(token) is None
    assert store.resolve_link(other) is not None  # the other link still works
    assert store.revoke_link(link.id).revoked_at == revoked.revoked_at  # revoking twice changes nothing
    with pytest.raises(NotFound):
        store.revoke_link("no-such-link")
    with pytest.raises(NotFound):
        store.create_link("nobody", "client", expires_at=now + timedelta(days=1))
    for bad in ({"audience": "everyone"}, {"subject": "x" * 201}, {"expires_at": "tomorrow"}):
        with pytest.raises(ValidationError) as err:
            store.create_link(**{"client_id": client_id, "audience": "rater", "expires_at": now, **bad})  # type: ignore[arg-type]
        assert err.value.field == next(iter(bad))
    assert len(store.links(client_id)) == 2

    # the token itself is never stored: not in any column of any row
    for table, rows in store.export_rows().items():
        for row in rows:
            for value in row.values():
                assert token not in str(value) and other not in str(value), table


def test_delete_client_removes_rows_and_links(store: Store, client_id: str) -> None:
    keep = store.add_client(Client(name="Jonas Becker")).id
    store.save(client_id, Reflection(id="r1", on=DAY, text="x"))
    store.save(keep, Reflection(id="r1", on=DAY, text="y"))
    store.create_link(client_id, "client", expires_at=datetime.now(UTC) + timedelta(days=1))
    store.delete_client(client_id)
    rows = store.export_rows()
    assert {r["client_id"] for r in rows["records"]} == {keep}
    assert rows["links"] == [] and [c["id"] for c in rows["clients"]] == [keep]
    assert store.get(keep, Reflection, "r1").text == "y"
    with pytest.raises(NotFound):
        store.delete_client(client_id)


def test_dump_and_load_dump_round_trip(store: Store, client_id: str) -> None:
    store.save(client_id, Goal(id="g1", objective="One"))
    store.save(client_id, Goal(id="g1", objective="Two"))
    store.remove(client_id, Goal, "g1")
    dump = store.dump_client(client_id)
    store.load_dump(dump, client_id="ana-copy")
    copy = store.dump_client("ana-copy")
    expected = []
    for row in dump["records"]:
        if row["kind"] == "client":  # the client record carries the client's (new) id
            row = {**row, "id": "ana-copy", "data": {**row["data"], "id": "ana-copy"}}
        expected.append(row)
    assert copy["records"] == expected
    assert copy["created_at"] == dump["created_at"]


def test_all_rows_can_be_replaced_and_saving_goes_on(store: Store, client_id: str, tmp_path: Path) -> None:
    """What restore does: rows from another database (with their sequence numbers) replace these,
    and new saves still get fresh numbers."""
    with Store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        for name in ("Mei Tanaka", "Jonas Becker"):
            cid = other.add_client(Client(name=name)).id
            for n in range(5):
                other.save(cid, Goal(id="g1", objective=f"Revision {n}"))
        other.create_link(cid, "client", expires_at=datetime.now(UTC) + timedelta(days=1))
        rows = other.export_rows()
    store.replace_rows(rows)
    assert store.export_rows() == rows
    assert store.client_ids() == ["jonas-becker", "mei-tanaka"]
    assert store.save("jonas-becker", Goal(id="g1", objective="After the copy")) == 6
    assert store.add_client(Client(name="Someone New")).id == "someone-new"
    seqs = [r["seq"] for r in store.export_rows()["records"]]
    assert len(seqs) == len(set(seqs)) == len(rows["records"]) + 2


def test_a_database_at_schema_version_1_is_migrated_on_open(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        assert migrate(conn, target=1) == 1
        now = NOW.isoformat()
        conn.execute(sa.text("INSERT INTO clients (id, created_at) VALUES ('old-client', :now)"), {"now": now})
        data = '{"email":"","id":"old-client","name":"Old Client","organisation":"","role":""}'
        conn.execute(
            sa.text(
                "INSERT INTO records (client_id, kind, record_id, revision, saved_at, author, data) "
                "VALUES ('old-client', 'client', 'old-client', 1, :now, 'coach', :data)"
            ),
            {"now": now, "data": data},
        )
    indexes = {ix["name"] for table in ("records", "links") for ix in sa.inspect(engine).get_indexes(table)}
    assert not {"ix_records_client", "ix_records_kind", "ix_links_client"} & indexes

    with Store(store_url) as store:
        assert store.client("old-client").name == "Old Client"
        assert store.save("old-client", Goal(id="g1", objective="New")) == 1
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
    indexes = {ix["name"] for table in ("records", "links") for ix in sa.inspect(engine).get_indexes(table)}
    assert {"ix_records_client", "ix_records_kind", "ix_links_client"} <= indexes
    engine.dispose()
    with Store(store_url) as store:  # opening again changes nothing
        assert store.client_ids() == ["old-client"]


def test_integrity_is_ok(store: Store) -> None:
    assert store.integrity() == "ok"


def test_an_unreachable_database_is_one_plain_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")
    assert "Traceback" not in str(err.value)
    with pytest.raises(StoreError) as err:
        Store("postgresql+psycopg://someone:secret-pw@127.0.0.1:1/none")
    assert "secret-pw" not in str(err.value)
