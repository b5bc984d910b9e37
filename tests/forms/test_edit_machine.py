"""A state machine over interleaved saves from two open front ends, on every kind of record a
client's case holds: no save is lost and none is silently undone.

Each front end is what a form holds: a :class:`~coachkit.forms.base.Basis` (the value and
revision of every entry it read). It edits its copy of an entry of any kind, creates new
entries, switches a goal's sponsor release (an edit that owns only those fields), presses
Reload after a refusal, or reopens the page. The model of truth (value and revision of every
entry, and every save that was kept) is checked against the store after each step.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from coachkit.errors import CoachkitError, StaleEdit, ValidationError
from coachkit.forms.basis import Basis
from coachkit.model import RECORD_TYPES, CheckIn, Edit, Goal, GoalAdjustment, Record, Reflection, new_id, next_agreement
from coachkit.model.rules import check_change, with_release
from coachkit.practice import Practice
from coachkit.store import Store

CLIENTS = ("jonas-becker", "mei-tanaka")
TODAY = date(2026, 11, 21)
Key = tuple[str, str]
RELEASE = ("released_to_sponsor", "released_on")


def _changed(value: Any, text: str, n: int) -> Any:
    """Another value of the same type: a text, or a whole number one up or down."""
    if isinstance(value, str):
        return text
    return value + (1 if n % 2 else -1)


def _text_fields(record: Record) -> list[str]:
    """The fields of ``record`` that take another text (or a number one up or down) and stay valid."""
    out = []
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name in ("id", "version", "number") or isinstance(value, bool) or not isinstance(value, (str, int)):
            continue
        try:
            for n in (0, 1):
                candidate = dataclasses.replace(record, **{f.name: _changed(value, "edited text", n)})
                candidate.validate()
                check_change(record, candidate)
        except (ValidationError, CoachkitError):
            continue
        out.append(f.name)
    return sorted(out, key=lambda name: not isinstance(getattr(record, name), str))


def _editable(store: Store, client_id: str) -> dict[str, tuple[Key, str]]:
    """For each kind of record the client holds, one entry and a text field to edit in it."""
    file = store.load(client_id)
    found: dict[str, tuple[Key, str]] = {}
    for kind in RECORD_TYPES:
        for record in file.all(kind):
            names = _text_fields(record)
            if names:
                found[kind.KIND] = ((kind.KIND, record.id), names[0])
                break
    return found


class TwoFrontEnds(RuleBasedStateMachine):
    """Two open front ends (say a JupyterLab kernel and a Voilà page) on one client."""

    practice: Practice
    client_id: str

    def __init__(self) -> None:
        super().__init__()
        store = self.practice.store
        self.store = store
        source = store.load(self.client_id)  # each example works on a fresh copy of the client
        copy = store.add_client(dataclasses.replace(source.client, id="copy"))
        store.save_all(copy.id, [r for r in self._records(source) if r.KIND != "client"])
        self.client_id = copy.id
        self.editable = _editable(store, self.client_id)
        file = store.load(self.client_id)
        self.truth: dict[Key, tuple[Record, int]] = {
            (r.KIND, r.id): (r, file.revisions[(r.KIND, r.id)]) for kind in file.records.values() for r in kind.values()
        }
        self.views = [Basis.of(file, self._records(file)), Basis.of(file, self._records(file))]
        self.first = {key: record for key, (record, _) in self.truth.items()}
        self.kept: list[tuple[Key, int, dict[str, Any]]] = []
        self.counter = 0

    @staticmethod
    def _records(file: Any) -> list[Record]:
        return [r for kind in file.records.values() for r in kind.values()]

    def _text(self, who: int) -> str:
        self.counter += 1
        return f"front end {who}, save {self.counter}"

    def _save(self, who: int, edit: Edit, expect_kept: bool) -> None:
        key = (edit.record.KIND, edit.record.id)
        before = self.truth.get(key)
        try:
            revision = self.store.save(self.client_id, edit, author="coach")
        except StaleEdit as exc:
            assert not expect_kept, f"a save based on the current revision of {key} was refused"
            assert (exc.kind, exc.record_id) == key
            assert exc.revision == (before[1] if before else None)
            self.views[who].reloaded(exc)  # the person presses Reload
            return
        assert expect_kept, f"a save of {key} based on an old revision was kept: it undid another save"
        saved = self.store.get(self.client_id, type(edit.record), edit.record.id)
        self.truth[key] = (saved, revision)
        self.views[who].saved(edit, revision)
        self.views[who].read(saved, revision)
        self.kept.append((key, revision, saved.to_data()))

    @rule(who=st.integers(0, 1), kind=st.sampled_from(sorted(k.KIND for k in RECORD_TYPES)))
    def edit_an_entry(self, who: int, kind: str) -> None:
        """Change a text field of the front end's copy of an entry and save it, full record."""
        if kind not in self.editable:
            return
        key, name = self.editable[kind]
        view = self.views[who]
        mine = view.origins.get(key)
        if mine is None:
            return
        text = self._text(who)
        record = dataclasses.replace(mine, **{name: _changed(getattr(self.first[key], name), text, self.counter)})
        edit = view.edit(record)
        current = self.truth.get(key)
        self._save(who, edit, expect_kept=current is not None and edit.base == current[1])

    @rule(who=st.integers(0, 1), kind=st.sampled_from(["check_in", "reflection", "goal_adjustment"]))
    def create_an_entry(self, who: int, kind: str) -> None:
        """A creating form: every save is a new entry."""
        text = self._text(who)
        record: Record
        if kind == "check_in":
            record = CheckIn(id=new_id(), on=TODAY, confidence=5, note=text)
        elif kind == "reflection":
            record = Reflection(id=new_id(), on=TODAY, text=text)
        else:
            record = GoalAdjustment(id=new_id(), goal_id="g1", made_on=TODAY, what_changed=text, reason="because")
        self._save(who, Edit.new(record), expect_kept=True)

    @precondition(lambda self: any(k[0] == "goal" for k in self.truth))
    @rule(who=st.integers(0, 1), on=st.booleans())
    def switch_the_release(self, who: int, on: bool) -> None:
        """The release switch: owns only the release fields of the goal, never its target."""
        key = min(k for k in self.truth if k[0] == "goal")
        view = self.views[who]
        mine = view.origins.get(key)
        if not isinstance(mine, Goal):
            return
        edit = view.edit(with_release(mine, on, TODAY), owns=RELEASE, checks=RELEASE[:1])
        current = self.truth[key][0]
        untouched = getattr(current, RELEASE[0]) == getattr(mine, RELEASE[0])  # the switch, not its date
        self._save(who, edit, expect_kept=untouched or self.truth[key][1] == edit.base)
        if key in self.truth:
            goal = self.truth[key][0]
            assert isinstance(goal, Goal) and isinstance(current, Goal)
            assert (goal.target, goal.target_date, goal.objective) == (
                current.target,
                current.target_date,
                current.objective,
            )

    @rule(who=st.integers(0, 1))
    def reopen(self, who: int) -> None:
        """The person reloads the page: the front end reads everything anew."""
        file = self.store.load(self.client_id)
        self.views[who] = Basis.of(file, self._records(file))

    @invariant()
    def the_store_holds_the_truth(self) -> None:
        file = self.store.load(self.client_id)
        for key, (record, revision) in self.truth.items():
            held = file.records.get(key[0], {}).get(key[1])
            assert held is not None, f"{key} was lost"
            assert held.to_data() == record.to_data(), f"{key} was changed behind the model's back"
            assert file.revisions[key] == revision

    @invariant()
    def no_kept_save_is_lost(self) -> None:
        for key, revision, data in self.kept[-5:]:  # the newest; older ones were checked when they were new
            history = self.store.history(self.client_id, type(self.truth[key][0]), key[1])
            assert history[revision - 1].record is not None
            assert history[revision - 1].record.to_data() == data  # type: ignore[union-attr]


@pytest.mark.parametrize("client_id", CLIENTS)
def test_two_front_ends_interleaving_saves_lose_nothing_and_undo_nothing(
    demo_practice: Practice, client_id: str
) -> None:
    TwoFrontEnds.practice = demo_practice
    TwoFrontEnds.client_id = client_id
    store = demo_practice.store
    accepted = store.load(client_id).agreement
    store.save(client_id, next_agreement(accepted))  # a draft: an accepted version never changes
    editable = set(_editable(store, client_id))
    assert {"agreement", "engagement", "goal", "milestone", "session", "check_in", "sponsor", "client"} <= editable
    # every kind the client holds is edited, except those no one may change once saved (they are
    # only ever created: the creating rule covers adjustments; answers have rules of their own)
    held = {kind for kind, records in store.load(client_id).records.items() if records}
    assert held - editable <= {
        "goal_adjustment",
        "competency_model",
        "ipip_response",
        "pulse_response",
        "rater_response",
    }
    run_state_machine_as_test(
        TwoFrontEnds,
        settings=settings(
            max_examples=8, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
