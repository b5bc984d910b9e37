"""`coachkit agenda` on the demo practice for a fixed day, and as the practice changes."""

from __future__ import annotations

import pytest

from coachkit.cli import main
from coachkit.home.agenda import PHASE_WORKBOOKS, build_agenda
from coachkit.model import FollowUp
from coachkit.practice import Practice
from coachkit.render import PHASE_TEMPLATES
from tests.conftest import DEMO_TODAY

Capsys = pytest.CaptureFixture[str]

EXPECTED = "\n".join(
    [
        "Ana Ruiz (ana-ruiz)",
        "  2026-11-21  phase                  Phase 2: Assessment and feedback"
        "  [workbooks/ana-ruiz/02-assessment.ipynb]",
        "  2026-11-24  action-due             Action due: Nominate six 360 raters (client)"
        "  [workbooks/ana-ruiz/04-session-02.ipynb]",
        "  2026-11-26  session                Session 2 at 14:00 (Video call: https://meet.example.org/ana-ruiz)"
        "  [workbooks/ana-ruiz/04-session-02.ipynb]",
        "",
        "Jonas Becker (jonas-becker)",
        "  2026-07-22  raters-not-answered    360: 1 rater invited, not answered: Sam Ortiz"
        "  [workbooks/jonas-becker/02-assessment.ipynb]",
        "  2026-11-18  overdue-action         Action overdue: Let leads chair the incident review twice (client)"
        "  [workbooks/jonas-becker/04-session-09.ipynb]",
        "  2026-11-20  check-in-missing       No check-in for 15 days (cadence 2 weeks)"
        "  [workbooks/jonas-becker/05-progress-review.ipynb]",
        "  2026-11-21  phase                  Phase 5: Continuous feedback and review"
        "  [workbooks/jonas-becker/05-progress-review.ipynb]",
        "  2026-11-21  stalled-goal           Goal stalled: Give clear, timely feedback to direct reports "
        "(no progress for 24 days, nothing booked)"
        "  [workbooks/jonas-becker/05-progress-review.ipynb]",
        "  2026-11-25  session                Session 9 at 09:30 (Brightline office, meeting room 3)"
        "  [workbooks/jonas-becker/04-session-09.ipynb]",
        "  2026-11-27  action-due             Action due: Block Tuesday and Thursday evenings (client)"
        "  [workbooks/jonas-becker/04-session-09.ipynb]",
        "",
        "Mei Tanaka (mei-tanaka)",
        "  2026-11-01  follow-up              180-day follow-up overdue  [workbooks/mei-tanaka/07-follow-up.ipynb]",
        "",
    ]
)


def _agenda(practice: Practice, capsys: Capsys, *extra: str) -> str:
    capsys.readouterr()
    assert main(["--home", str(practice.home), "agenda", "--today", DEMO_TODAY.isoformat(), *extra]) == 0
    return capsys.readouterr().out


def test_the_demo_agenda_lists_exactly_what_is_due(demo_practice: Practice, capsys: Capsys) -> None:
    out = _agenda(demo_practice, capsys)
    assert out == EXPECTED
    mei = out.split("Mei Tanaka (mei-tanaka)\n")[1]
    assert mei.count("\n") == 1, "the closed engagement shows only its follow-up still to be held"


def test_the_agenda_follows_the_practice(demo_practice: Practice, capsys: Capsys) -> None:
    """Cancel Jonas's next session: the engagement stalls (and the goal's own stall folds into it);
    plan a new one: the stall is gone. Mei's last follow-up held: Mei drops out."""
    home = ["--home", str(demo_practice.home)]
    assert main([*home, "session", "cancel", "jonas-becker", "--number", "9"]) == 0
    out = _agenda(demo_practice, capsys)
    jonas = out.split("Jonas Becker (jonas-becker)\n")[1].split("\n\n")[0]
    assert "stalled                No session for 22 days and none booked" in jonas
    assert "stalled-goal" not in jonas and "Session 9" not in jonas

    assert main([*home, "session", "plan", "jonas-becker", "--at", "2026-11-23 16:00"]) == 0
    jonas = _agenda(demo_practice, capsys).split("Jonas Becker (jonas-becker)\n")[1].split("\n\n")[0]
    assert "2026-11-23  session                Session 10 at 16:00" in jonas
    assert "No session for" not in jonas and "stalled-goal" in jonas

    follow_up = demo_practice.store.get("mei-tanaka", FollowUp, "d180")
    follow_up.held, follow_up.held_on = True, DEMO_TODAY
    demo_practice.store.save("mei-tanaka", follow_up)
    assert "Mei Tanaka" not in _agenda(demo_practice, capsys)
    assert _agenda(demo_practice, capsys, "--days", "0").count("action-due") == 0


def test_the_library_gives_typed_items_and_the_workbooks_exist(demo_practice: Practice) -> None:
    items = build_agenda(demo_practice.store, today=DEMO_TODAY)
    assert {i.client_id for i in items} == {"ana-ruiz", "jonas-becker", "mei-tanaka"}
    assert all(i.workbook.startswith(f"workbooks/{i.client_id}/") for i in items)
    assert {n: f"{name}.ipynb" for n, name in PHASE_TEMPLATES.items()} == PHASE_WORKBOOKS


def test_links_pulses_and_agreements_appear_when_they_need_the_coach(demo_practice: Practice) -> None:
    from datetime import UTC, datetime, time, timedelta

    from coachkit import links
    from coachkit.assessments import open_pulse_round
    from coachkit.model import Agreement
    from coachkit.model.pulse import PulseItem, PulseRound

    now = datetime.combine(DEMO_TODAY, time(9, 0), tzinfo=UTC)
    links.create_link(demo_practice, "ana-ruiz", "sponsor", days=5, now=now)
    links.create_link(demo_practice, "ana-ruiz", "client", days=90, now=now)
    open_pulse_round(
        demo_practice.store,
        "jonas-becker",
        PulseRound(id="end", stage="end", opened_on=DEMO_TODAY - timedelta(days=2),
                   items=[PulseItem("g1", "letting leads decide")], rater_ids=["r1", "r4"]),
    )  # fmt: skip
    demo_practice.store.save("ana-ruiz", Agreement(id="2", version=2, objectives="Revised"))
    items = build_agenda(demo_practice.store, today=DEMO_TODAY, now=now)
    kinds = {(i.client_id, i.kind): i for i in items}
    expiring = [i for i in items if i.kind == "link-expiring"]
    assert len(expiring) == 1 and "sponsor's link" in expiring[0].text, "only the link ending within the window"
    assert expiring[0].on == DEMO_TODAY + timedelta(days=5)
    assert "2 of 2 not answered" in kinds[("jonas-becker", "pulse-open")].text
    assert "version 2 not accepted" in kinds[("ana-ruiz", "agreement-not-accepted")].text
    assert ("mei-tanaka", "link-expiring") not in kinds
