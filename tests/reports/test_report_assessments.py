"""The 360 summary and the IPIP-50 profile in reports: a client sees the 360 only once the coach
released it, pooled and unattributed; a sponsor never sees either (in-process, no kernel)."""

from __future__ import annotations

from datetime import UTC, datetime

from coachkit import assessments as A
from coachkit.model.feedback360 import Rater, RaterResponse
from coachkit.pages import report
from coachkit.practice import Practice
from tests.conftest import DEMO_TODAY

JONAS = "jonas-becker"
CANARY = "Zq9PeerCanary: only one peer ever says this"


def _html(practice: Practice, audience: str) -> str:
    view = report.open_report(JONAS, str(practice.home), audience, DEMO_TODAY.isoformat())
    shown = [report.assessment_section(view), report.goals_section(view), report.header(view)]
    return "\n".join(s.html for s in shown if s is not None)


def _add_peers_one_with_canary(practice: Practice, at: datetime) -> None:
    """Three late peers (a release after the demo's must bring at least three new answers), one
    of them writing the canary."""
    store = practice.store
    model = A.competency_model(store, JONAS)
    for rid, name, comment in [
        ("rcanary", "Canary Rater Person", CANARY),
        ("rlate2", "Second Late Peer", ""),
        ("rlate3", "Third Late Peer", ""),
    ]:
        store.save(JONAS, Rater(id=rid, name=name, relationship="peer", approved=True, approved_on=at.date()))
        answers = RaterResponse(
            id=rid,
            ratings={b.id: 1 for _, b in model.items},
            comments={model.open_questions[0].id: comment} if comment else {},
        )
        A.save_rater_response(store, JONAS, answers, now=at, submit=True)


def test_client_sees_the_360_only_after_release_and_never_who_said_what(demo_practice: Practice) -> None:
    store = demo_practice.store
    names = [r.name for r in store.all(JONAS, Rater)]
    _add_peers_one_with_canary(demo_practice, datetime(2026, 11, 20, 9, tzinfo=UTC))
    A.release_feedback(store, JONAS, now=datetime(2026, 11, 20, 10, tzinfo=UTC), released=False)

    before = _html(demo_practice, "client")
    assert CANARY not in before and "Blind spots" not in before
    assert "Your coach will share your 360-degree feedback" in before
    assert "Personality profile (IPIP-50)" in before, "the client's own profile is theirs to see"

    A.release_feedback(store, JONAS, now=datetime(2026, 11, 20, 11, tzinfo=UTC))
    after = _html(demo_practice, "client")
    assert CANARY in after, "released comments are shown, pooled"
    assert "360-degree feedback" in after and "n=" in after
    for name in [*names, "Canary Rater Person", "Second Late Peer"]:
        assert name not in after, "no rater is ever named in the client's report"

    sponsor = _html(demo_practice, "sponsor")
    assert CANARY not in sponsor and "360" not in sponsor and "IPIP" not in sponsor

    coach = _html(demo_practice, "coach")
    assert CANARY in coach and "Personality profile (IPIP-50)" in coach


def test_client_report_data_holds_no_raw_rater_answers(demo_practice: Practice) -> None:
    view = report.open_report(JONAS, str(demo_practice.home), "client", DEMO_TODAY.isoformat())
    assert view.file.all(RaterResponse) == [] and view.file.all(Rater) == []
    assert view.feedback is not None and view.feedback.ready
