"""The change pulse asks raters only about goals the client released (or opted in, recorded
with the round), in questions written for the rater; a goal taken back drops out of open
rounds at once (library and the rater's page, in-process)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import ipywidgets as W
import pytest

from coachkit import assessments as A
from coachkit.errors import ValidationError
from coachkit.model import Goal
from coachkit.model.pulse import PulseItem, PulseOptIn, PulseResponse, PulseRound, pulse_question, pulse_response_id
from coachkit.model.pulse import suggest_behaviour as worded
from coachkit.pages.rater import rater_page
from coachkit.practice import Practice

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
JONAS = "jonas-becker"
PRIVATE = "Protect two evenings a week for family"

DEMO_QUESTIONS = {
    ("ana-ruiz", "g1"): "Since the coaching began, how much more or less effective has Ana become at "
    "delegating operational decisions to the three site leads?",
    ("ana-ruiz", "g2"): "Since the coaching began, how much more or less effective has Ana become at "
    "running leadership meetings that end in clear decisions?",
    ("jonas-becker", "g1"): "Since the coaching began, how much more or less effective has Jonas become at "
    "building a bench of three leads who can run their teams without escalation?",
    ("jonas-becker", "g2"): "Since the coaching began, how much more or less effective has Jonas become at "
    "giving clear, timely feedback to direct reports?",
    ("jonas-becker", "g3"): "Since the coaching began, how much more or less effective has Jonas become at "
    "protecting two evenings a week for family?",
    ("mei-tanaka", "g1"): "Since the coaching began, how much more or less effective has Mei become at "
    "presenting strategy to the board with confidence?",
    ("mei-tanaka", "g2"): "Since the coaching began, how much more or less effective has Mei become at "
    "building trust with the clinical directors?",
}


def _texts(root: W.Widget) -> Iterator[str]:
    for attr in ("value", "description", "placeholder", "tooltip"):
        value = getattr(root, attr, None)
        if isinstance(value, str):
            yield html.unescape(re.sub(r"<[^>]+>", "", value))
    for child in getattr(root, "children", ()) or ():
        yield from _texts(child)


def test_the_question_for_each_demo_goal_reads_as_a_sentence(demo_practice: Practice) -> None:
    found = {}
    for client_id in ("ana-ruiz", "jonas-becker", "mei-tanaka"):
        file = demo_practice.store.load(client_id)
        for goal in file.goals:
            found[(client_id, goal.id)] = pulse_question(PulseItem(goal.id, worded(goal.objective)), file.client.name)
    assert found == DEMO_QUESTIONS


@pytest.mark.parametrize(
    ("objective", "behaviour"),
    [
        ("Stop rescuing my team in incidents.", "stopping rescuing their team in incidents"),
        ("Tie up loose ends before I leave", "tying up loose ends before they leave"),
        ("Lead EMEA reviews calmly", "leading EMEA reviews calmly"),
        ("Be more visible to my peers", "being more visible to their peers"),
        ("More delegation", "More delegation"),
    ],
)
def test_goals_are_worded_in_the_third_person_without_lower_casing_names(objective: str, behaviour: str) -> None:
    assert worded(objective) == behaviour


def test_a_goal_the_client_did_not_release_never_reaches_a_rater(demo_practice: Practice) -> None:
    store = demo_practice.store
    goals = {g.id: g for g in store.all(JONAS, Goal)}
    assert goals["g3"].objective == PRIVATE and not goals["g3"].released_to_sponsor
    items = [PulseItem("g1", worded(goals["g1"].objective)), PulseItem("g3", worded(PRIVATE))]
    with pytest.raises(ValidationError) as refused:
        A.open_pulse_round(
            store, JONAS, PulseRound(id="end", stage="end", opened_on=TODAY, items=items, rater_ids=["r1"])
        )
    assert refused.value.field == "items" and "is not released by the client" in str(refused.value)
    assert store.find(JONAS, PulseRound, "end") is None, "nothing was saved"

    items = [PulseItem("g1", worded(goals["g1"].objective)), PulseItem("g2", worded(goals["g2"].objective))]
    saved = A.open_pulse_round(
        store, JONAS, PulseRound(id="end", stage="end", opened_on=TODAY, items=items, rater_ids=["r1", "r4"])
    )
    assert [i.question for i in saved.items] == [DEMO_QUESTIONS[(JONAS, "g1")], DEMO_QUESTIONS[(JONAS, "g2")]]
    token = A.issue_pulse_links(store, JONAS, "end", "http://x", now=NOW)[0].url.split("token=")[1]
    before = "\n".join(_texts(rater_page(demo_practice.home, query=f"token={token}", now=lambda: NOW)))
    assert DEMO_QUESTIONS[(JONAS, "g1")] in before and DEMO_QUESTIONS[(JONAS, "g2")] in before
    assert "protecting two evenings" not in before.lower() and PRIVATE.lower() not in before.lower()

    # the client takes goal g2 back while the round is open: it leaves the rater's questions at once
    store.save(JONAS, Goal(**{**goals["g2"].__dict__, "released_to_sponsor": False, "released_on": None}))
    after = "\n".join(_texts(rater_page(demo_practice.home, query=f"token={token}", now=lambda: NOW)))
    assert DEMO_QUESTIONS[(JONAS, "g1")] in after and "feedback to direct reports" not in after
    assert [i.goal_id for i in A.rater_pulse_round(store, JONAS, "end").items] == ["g1"]
    answer = PulseResponse(
        id=pulse_response_id("end", "r1"), round_id="end", rater_id="r1", scores={"g1": 2, "g2": -3}, comments={}
    )
    A.save_pulse_response(store, JONAS, answer, now=NOW, submit=True)
    kept = store.get(JONAS, PulseResponse, pulse_response_id("end", "r1"))
    assert kept.scores == {"g1": 2} and kept.submitted, "an answer about a goal no longer released is not kept"


def test_a_goal_the_client_opted_in_is_asked_and_the_opt_in_is_kept(demo_practice: Practice) -> None:
    store = demo_practice.store
    round_ = PulseRound(
        id="follow",
        stage="follow-up",
        opened_on=TODAY,
        items=[PulseItem("g3", worded(PRIVATE))],
        rater_ids=["r1"],
        opted_in=[PulseOptIn("g3", date(2026, 11, 20))],
    )
    A.open_pulse_round(store, JONAS, round_)
    saved = store.get(JONAS, PulseRound, "follow")
    assert saved.opted_in == [PulseOptIn("g3", date(2026, 11, 20))]
    shown = A.rater_pulse_round(store, JONAS, "follow")
    assert [i.question for i in shown.items] == [DEMO_QUESTIONS[(JONAS, "g3")]]


def test_a_question_must_be_a_question() -> None:
    with pytest.raises(ValidationError) as refused:
        PulseRound(
            id="mid", opened_on=TODAY, items=[PulseItem("g1", "delegating", "Delegation.")], rater_ids=["r1"]
        ).validate()
    assert refused.value.field == "items" and "ending with “?”" in str(refused.value)
