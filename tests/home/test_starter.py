"""A new agreement starts from the practice's starter text (coachkit's default, or the practice's file)."""

from __future__ import annotations

from datetime import date

import pytest

from coachkit.cli import main
from coachkit.forms.relationship import AgreementEditor
from coachkit.home.starter import DEFAULT_TEMPLATE, TEMPLATE_FILE, parse_template, starter_agreement
from coachkit.model import AGREEMENT_SECTIONS, Agreement, Engagement, Sponsor
from coachkit.pages.phases.relationship import RelationshipPage
from coachkit.practice import Practice

Capsys = pytest.CaptureFixture[str]
TODAY = date(2026, 11, 21)


@pytest.fixture
def lea(practice: Practice) -> str:
    """A client with an engagement and a sponsor, and no agreement yet."""
    cid = practice.add_client("Lea Brandt").id
    practice.store.save_all(
        cid,
        [
            Engagement(start=date(2026, 12, 1), planned_end=date(2027, 6, 1), planned_sessions=10, cadence_weeks=3),
            Sponsor(id="sp1", name="Omar Reyes"),
        ],
    )
    return cid


def test_the_default_fills_every_section_with_the_engagement(practice: Practice, lea: str) -> None:
    assert set(parse_template(DEFAULT_TEMPLATE)) == {name for name, _ in AGREEMENT_SECTIONS}
    agreement = starter_agreement(practice.home, practice.store.load(lea), coach_name="Alex Morgan")
    assert (agreement.version, agreement.accepted) == (1, False)
    assert all(getattr(agreement, name).strip() for name, _ in AGREEMENT_SECTIONS)
    assert "10 sessions of 60 minutes, every 3 weeks, from 2026-12-01 to 2027-06-01" in agreement.timeline
    assert "Omar Reyes" in agreement.roles and "Alex Morgan" in agreement.roles and "Lea Brandt" in agreement.roles
    assert "$" not in "".join(getattr(agreement, name) for name, _ in AGREEMENT_SECTIONS)
    agreement.validate()


def test_the_practice_file_is_used_by_the_command_and_the_workbook(
    practice: Practice, lea: str, capsys: Capsys
) -> None:
    home = ["--home", str(practice.home)]
    assert main([*home, "agreement", "template"]) == 0
    path = practice.home / TEMPLATE_FILE
    text = path.read_text(encoding="utf-8").replace(
        "Fees as in the separate proposal.", "Fees: 300 a session, invoiced monthly to $sponsor."
    )
    path.write_text(text, encoding="utf-8")

    page = RelationshipPage(str(practice.home), lea, TODAY)
    saved: list[Agreement] = []
    editor = AgreementEditor(
        page.case, lambda r: saved.append(r) or practice.store.save(lea, r), starter=page._starter()
    )
    assert "300 a session, invoiced monthly to Omar Reyes" in editor.form["terms"].widget.value
    assert "Lea Brandt" in editor.form["objectives"].widget.value
    assert practice.store.find(lea, Agreement, "1") is None, "the starter text is only a prefill until saved"

    assert main([*home, "agreement", "start", lea]) == 0
    stored = practice.store.get(lea, Agreement, "1")
    assert "300 a session" in stored.terms and not stored.accepted
    assert main([*home, "agreement", "start", lea]) == 0
    assert "already" in capsys.readouterr().out
    assert RelationshipPage(str(practice.home), lea, TODAY)._starter() is None, "an existing agreement is kept"


def test_a_bad_template_is_one_plain_line_and_saves_nothing(practice: Practice, lea: str, capsys: Capsys) -> None:
    (practice.home / TEMPLATE_FILE).write_text("## Objectives\nGrow.\n\n## Snacks\nBiscuits.\n", encoding="utf-8")
    assert main(["--home", str(practice.home), "agreement", "start", lea]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and TEMPLATE_FILE in err[0] and "Snacks" in err[0]
    assert practice.store.find(lea, Agreement, "1") is None
    assert RelationshipPage(str(practice.home), lea, TODAY)._starter() is None, "the workbook falls back to empty boxes"
