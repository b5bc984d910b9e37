"""A state machine over the real forms of two open front ends on one client: the goal editor,
the sponsor-release switch, the session notes and the reflection form, each saved, refused,
reloaded or reopened in any order. What a person sees after Reload is the saved value, nothing
saved is lost, and no save undoes another one."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from coachkit.forms.action_plan import goal_editor
from coachkit.forms.between import reflection_form, release_form
from coachkit.forms.session import work_form
from coachkit.model import Goal, Reflection, Session
from coachkit.practice import Practice
from tests.forms.conftest import TODAY

SOURCE = "jonas-becker"


class FrontEnd:
    """One open page: its forms and what each of them read."""

    def __init__(self, practice: Practice, client_id: str) -> None:
        store = practice.store
        file = store.load(client_id)

        def save(record: Any) -> int:
            return store.save(client_id, record)

        self.goals = goal_editor(file, save, TODAY)
        self.goals.select("g1")
        self.release = release_form(file, save, TODAY)
        self.work = work_form(3, save, lambda: store.find_revision(client_id, Session, "3"), TODAY)
        self.reflection = reflection_form(save, TODAY)
        goal = file.one(Goal, "g1")
        session = file.one(Session, "3")
        assert goal is not None and session is not None
        self.seen_target, self.seen_release, self.seen_view = (
            goal.target,
            goal.released_to_sponsor,
            session.perspectives,
        )


class TwoPages(RuleBasedStateMachine):
    practice: Practice

    def __init__(self) -> None:
        super().__init__()
        store = self.practice.store
        source = store.load(SOURCE)
        copy = store.add_client(dataclasses.replace(source.client, id="copy"))
        store.save_all(copy.id, [r for kind in source.records.values() for r in kind.values() if r.KIND != "client"])
        self.cid = copy.id
        self.store = store
        self.pages = [FrontEnd(self.practice, self.cid), FrontEnd(self.practice, self.cid)]
        goal = store.get(self.cid, Goal, "g1")
        self.target, self.released = goal.target, goal.released_to_sponsor
        self.view = store.get(self.cid, Session, "3").perspectives
        self.reflections: list[str] = []
        self.n = 0

    def _text(self, what: str) -> str:
        self.n += 1
        return f"{what} {self.n}"

    @rule(who=st.integers(0, 1))
    def set_the_target(self, who: int) -> None:
        page = self.pages[who]
        typed = self._text("target")
        page.goals["target"].widget.value = typed
        kept = page.goals.form.save()
        assert kept == (page.seen_target == self.target), page.goals.form.status.value
        if kept:
            self.target = page.seen_target = typed
            return
        assert page.goals.form.status.value.startswith("Someone saved this goal")
        assert page.goals.form.reload()
        assert page.goals["target"].widget.value == self.target
        assert page.goals["target"].message.value == f"You had typed: {typed}"
        page.seen_target = self.target

    @rule(who=st.integers(0, 1), wanted=st.booleans())
    def switch_the_release(self, who: int, wanted: bool) -> None:
        page = self.pages[who]
        page.release["release:g1"].widget.value = wanted
        kept = page.release.save()
        if wanted == page.seen_release:
            assert kept and "0 changed" in page.release.status.value  # nothing to write
            return
        assert kept == (page.seen_release == self.released), page.release.status.value
        if kept:
            self.released = page.seen_release = wanted
            return
        assert page.release.reload()
        assert page.release["release:g1"].widget.value == self.released
        page.seen_release = self.released

    @rule(who=st.integers(0, 1))
    def note_a_perspective(self, who: int) -> None:
        page = self.pages[who]
        typed = self._text("perspective")
        page.work["perspectives"].widget.value = typed
        kept = page.work.save()
        assert kept == (page.seen_view == self.view), page.work.status.value
        if kept:
            self.view = page.seen_view = typed
            return
        assert page.work.reload()
        assert page.work["perspectives"].widget.value == self.view
        page.seen_view = self.view

    @rule(who=st.integers(0, 1))
    def write_a_reflection(self, who: int) -> None:
        form = self.pages[who].reflection
        text = self._text("reflection")
        form["text"].widget.value = text
        assert form.save(), form.status.value
        self.reflections.append(text)

    @rule(who=st.integers(0, 1))
    def reopen(self, who: int) -> None:
        self.pages[who] = FrontEnd(self.practice, self.cid)

    @invariant()
    def the_store_holds_every_kept_save(self) -> None:
        goal = self.store.get(self.cid, Goal, "g1")
        assert (goal.target, goal.released_to_sponsor) == (self.target, self.released)
        assert self.store.get(self.cid, Session, "3").perspectives == self.view
        texts = [r.text for r in self.store.all(self.cid, Reflection)]
        assert all(t in texts for t in self.reflections)


def test_two_open_pages_saving_in_any_order_lose_nothing_and_undo_nothing(demo_practice: Practice) -> None:
    TwoPages.practice = demo_practice
    run_state_machine_as_test(
        TwoPages,
        settings=settings(
            max_examples=8, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
