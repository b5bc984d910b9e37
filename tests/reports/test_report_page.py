"""The report's audience rules and sections, in-process (no kernel): what each audience's data
holds, and that client text comes out escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachkit.errors import StoreError, ValidationError
from coachkit.model import AssessmentResult, Session
from coachkit.model.disclosure import disclose
from coachkit.pages import report
from coachkit.practice import open_practice
from tests.reports.canaries import (
    BROKEN,
    CLIENT_EVALUATION,
    JONAS,
    MEI,
    NEVER_FOR_SPONSOR,
    PRIVATE_NOTE,
    RELEASED_TEXT,
    TODAY,
    XSS,
    XSS_ESCAPED,
)

SECTIONS = (
    report.header,
    report.glance,
    report.goals_section,
    report.progress_section,
    report.check_in_section,
    report.sessions_section,
    report.actions_section,
    report.reflections_section,
    report.assessment_section,
    report.closure_section,
    report.next_steps,
)


def _page(home: Path, client_id: str, audience: str) -> str:
    view = report.open_report(client_id, str(home), audience, TODAY.isoformat())
    shown = [section(view) for section in SECTIONS]
    return "\n".join(s._repr_html_() for s in shown if s is not None)


def _data(home: Path, client_id: str, audience: str) -> str:
    with open_practice(home) as practice:
        file = practice.store.load(client_id)
    file.records.setdefault(AssessmentResult.KIND, {})["x"] = AssessmentResult(
        id="x", instrument="DiSC", summary="CANARY-ASSESSMENT"
    )
    shown = disclose(file, audience)
    return json.dumps([r.to_data() for kind in shown.records.values() for r in kind.values()])


def test_sponsor_data_holds_only_released_goals_their_progress_and_session_dates(canary_home: Path) -> None:
    data = _data(canary_home, JONAS, "sponsor")
    for what, canary in NEVER_FOR_SPONSOR.items():
        assert canary not in data, what
    assert "CANARY-ASSESSMENT" not in data and "self_assessment" not in data
    assert RELEASED_TEXT in data and XSS in data
    assert CLIENT_EVALUATION not in _data(canary_home, MEI, "sponsor")


def test_client_and_coach_data_never_hold_private_notes(canary_home: Path) -> None:
    client, coach = _data(canary_home, JONAS, "client"), _data(canary_home, JONAS, "coach")
    for data in (client, coach):
        assert PRIVATE_NOTE not in data and "Coach only:" not in data
    assert "CANARY-ASSESSMENT" not in client, "hand-entered results reach a client only once released"
    assert NEVER_FOR_SPONSOR["check-in blockers"] in client and NEVER_FOR_SPONSOR["reflection"] in coach
    assert CLIENT_EVALUATION not in _data(canary_home, MEI, "client")
    assert CLIENT_EVALUATION in _data(canary_home, MEI, "coach")


@pytest.mark.parametrize("audience", ["client", "sponsor", "coach"])
def test_client_text_is_escaped_in_every_section(canary_home: Path, audience: str) -> None:
    page = _page(canary_home, JONAS, audience)
    assert XSS_ESCAPED in page
    assert "<img" not in page and "<script>alert" not in page


def test_sponsor_sections_show_released_progress_and_nothing_else(canary_home: Path) -> None:
    view = report.open_report(JONAS, str(canary_home), "sponsor", TODAY.isoformat())
    for section in (report.check_in_section, report.actions_section, report.reflections_section):
        assert section(view) is None
    assert report.assessment_section(view) is None, "a sponsor never sees assessments"
    page = _page(canary_home, JONAS, "sponsor")
    assert RELEASED_TEXT in page and "Priya Natarajan" in page
    for what, canary in NEVER_FOR_SPONSOR.items():
        assert canary not in page, what
    assert "confidence" not in page.lower()


def test_assessment_section_without_results_says_so(canary_home: Path) -> None:
    view = report.open_report(MEI, str(canary_home), "client", TODAY.isoformat())
    section = report.assessment_section(view)
    assert section is not None and "Your coach will share your 360-degree feedback" in section.html
    coach = report.assessment_section(report.open_report(MEI, str(canary_home), "coach", TODAY.isoformat()))
    assert coach is not None and "No assessment results yet." in coach.html


def test_coach_copy_flags_what_needs_attention_but_not_private_notes(canary_home: Path) -> None:
    page = _page(canary_home, JONAS, "coach")
    assert "Needs your attention" in page and "not shared" in page
    assert PRIVATE_NOTE not in page
    mei = _page(canary_home, MEI, "coach")
    assert CLIENT_EVALUATION in mei and CLIENT_EVALUATION not in _page(canary_home, MEI, "client")


def test_chart_ids_come_from_content(canary_home: Path) -> None:
    first = _page(canary_home, JONAS, "client")
    assert first == _page(canary_home, JONAS, "client")
    assert 'id="chart-goal-progress-' in first


def test_damaged_records_and_bad_parameters_raise_plain_errors(canary_home: Path) -> None:
    with pytest.raises(StoreError, match="could not be read"):
        report.open_report(BROKEN, str(canary_home), "client", TODAY.isoformat())
    with pytest.raises(ValidationError, match="audience"):
        report.open_report(JONAS, str(canary_home), "rater", TODAY.isoformat())
    with pytest.raises(ValidationError, match="report_date"):
        report.open_report(JONAS, str(canary_home), "client", "21/11/2026")


def test_disclose_leaves_the_case_file_untouched(canary_home: Path) -> None:
    with open_practice(canary_home) as practice:
        file = practice.store.load(JONAS)
    disclose(file, "sponsor")
    disclose(file, "coach")
    session = file.one(Session, "10")
    assert session is not None and session.private_notes == PRIVATE_NOTE
