"""Saves state their base revision and the store refuses stale ones, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest

from coachkit.errors import NotFound, StaleEdit
from coachkit.model import CheckIn, Client, Edit, Goal, Reflection
from coachkit.model.rules import with_release
from coachkit.store import Store

TODAY = date(2026, 11, 21)


def _client(store: Store) -> str:
    client = store.add_client(Client(name="Edit Client"))
    store.save(client.id, Goal(id="g1", objective="Delegate", target="10 hours", target_date=date(2027, 3, 1)))
    return client.id


def test_a_save_based_on_the_current_revision_is_kept_and_one_based_on_an_older_is_refused(store_url: str) -> None:
    with Store(store_url) as store:
        cid = _client(store)
        file = store.load(cid)
        goal = file.one(Goal, "g1")
        assert goal is not None and file.revision_of(goal) == 1
        first = store.save(cid, file.edit(dataclasses.replace(goal, target="8 hours")))
        assert first == 2
        with pytest.raises(StaleEdit) as refused:  # a second front end still holds revision 1
            store.save(cid, file.edit(dataclasses.replace(goal, target="12 hours")))
        assert refused.value.kind == "goal" and refused.value.record_id == "g1"
        assert (refused.value.base, refused.value.revision) == (1, 2)
        assert isinstance(refused.value.current, Goal) and refused.value.current.target == "8 hours"
        assert "Someone saved this goal" in str(refused.value) and "since you opened it" in str(refused.value)
        assert store.get(cid, Goal, "g1").target == "8 hours"
        assert len(store.history(cid, Goal, "g1")) == 2
        # based on what it read now, the same front end saves
        again = store.load(cid)
        assert store.save(cid, again.edit(dataclasses.replace(again.goals[0], target="12 hours"))) == 3


def test_a_new_entry_is_refused_when_one_with_its_id_exists_and_a_removed_one_is_stale(store_url: str) -> None:
    with Store(store_url) as store:
        cid = _client(store)
        assert store.save(cid, Edit.new(Reflection(id="r1", on=TODAY, text="first"))) == 1
        with pytest.raises(StaleEdit):
            store.save(cid, Edit.new(Reflection(id="r1", on=TODAY, text="second")))
        assert store.get(cid, Reflection, "r1").text == "first"
        file = store.load(cid)
        store.remove(cid, Reflection, "r1")
        with pytest.raises(StaleEdit) as refused:
            store.save(cid, file.edit(Reflection(id="r1", on=TODAY, text="edited")))
        assert refused.value.revision is None and "removed" in str(refused.value)
        assert store.find(cid, Reflection, "r1") is None


def test_an_edit_of_some_fields_lands_on_the_current_value_and_keeps_the_others(store_url: str) -> None:
    with Store(store_url) as store:
        cid = _client(store)
        page = store.load(cid)  # the page is drawn
        drawn = page.goals[0]
        adjusted = store.save(
            cid, page.edit(dataclasses.replace(drawn, target="6 hours", target_date=date(2027, 5, 1)))
        )
        assert adjusted == 2
        # the release switch on the same page still holds revision 1 but owns only the release fields
        release = page.edit(with_release(drawn, True, TODAY), owns=("released_to_sponsor", "released_on"))
        assert store.save(cid, release) == 3
        goal = store.get(cid, Goal, "g1")
        assert (goal.target, goal.target_date, goal.released_to_sponsor) == ("6 hours", date(2027, 5, 1), True)
        # another front end switched it off since: switching it on again from the old page is refused
        now = store.load(cid)
        store.save(cid, now.edit(with_release(now.goals[0], False, TODAY), owns=("released_to_sponsor", "released_on")))
        with pytest.raises(StaleEdit):
            store.save(cid, Edit.fields(with_release(drawn, True, TODAY), 3, goal, ("released_to_sponsor",)))
        assert store.get(cid, Goal, "g1").released_to_sponsor is False


def test_update_reads_and_saves_in_one_transaction(store_url: str) -> None:
    with Store(store_url) as store:
        cid = _client(store)
        goal, revision = store.update(cid, Goal, "g1", lambda g: dataclasses.replace(g, measure="hours a week"))
        assert (goal.measure, revision) == ("hours a week", 2)
        assert store.find_revision(cid, Goal, "g1") == (goal, 2)
        with pytest.raises(NotFound):
            store.update(cid, Goal, "nope", lambda g: g)


def test_the_case_file_knows_the_revision_of_every_record(store_url: str) -> None:
    with Store(store_url) as store:
        cid = _client(store)
        for n in range(3):
            store.save(cid, Goal(id="g1", objective="Delegate", target=f"{n} hours"))
        store.save(cid, CheckIn(id="c1", on=TODAY, confidence=5))
        file = store.load(cid)
        assert file.revisions[("goal", "g1")] == 4
        assert file.revisions[("check_in", "c1")] == 1
        assert file.revisions[("client", cid)] == 1


def test_two_front_ends_saving_on_the_same_revision_at_once_keep_exactly_one(store_url: str) -> None:
    """The check is inside the write transaction: of two saves based on one revision, racing
    from two threads (two connections), exactly one is kept and the other is refused."""
    with Store(store_url) as store:
        cid = _client(store)
        for round_ in range(8):
            file = store.load(cid)
            goal = file.goals[0]
            start = threading.Barrier(2)
            outcome: dict[str, str] = {}
            edits = {n: Edit(dataclasses.replace(goal, target=f"{n} {round_}"), file.revision_of(goal)) for n in "ab"}
            threads = [threading.Thread(target=_race, args=(store, cid, edits[n], start, outcome, n)) for n in "ab"]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert sorted(outcome.values()) == ["kept", "refused"], outcome
            winner = next(n for n, o in outcome.items() if o == "kept")
            assert store.get(cid, Goal, "g1").target == f"{winner} {round_}"
        assert len(store.history(cid, Goal, "g1")) == 1 + 8


def _race(store: Store, cid: str, edit: Edit, start: threading.Barrier, outcome: dict[str, str], name: str) -> None:
    start.wait(timeout=60)
    try:
        store.save(cid, edit)
        outcome[name] = "kept"
    except StaleEdit:
        outcome[name] = "refused"
