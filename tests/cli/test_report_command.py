"""``coachkit report``: the arguments reach the verb as meant, the outcome is printed plainly and
the exit status says whether anything failed. (The real batch runs in tests/reports/.)"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coachkit import reports
from coachkit.cli import main
from coachkit.practice import Practice
from coachkit.reports import ReportOutcome, ReportSummary, ReportTimings


def _fake_verb(calls: list[dict[str, Any]], fail: str | None = None):  # type: ignore[no-untyped-def]
    def write_reports(practice: Practice, client_ids: list[str], **options: Any) -> ReportSummary:
        calls.append({"home": practice.home, "client_ids": list(client_ids), **options})
        outcomes = []
        for client_id in client_ids:
            for audience in options["audiences"]:
                if client_id == fail:
                    outcomes.append(ReportOutcome(client_id, audience, error="a cell failed (KeyError)"))
                else:
                    path = practice.reports_dir(client_id) / f"2026-11-21-{audience}.html"
                    outcome = ReportOutcome(client_id, audience, (path,))
                    outcomes.append(outcome)
                options["on_progress"](outcomes[-1])
        return ReportSummary(outcomes, ReportTimings(wall=1.5))

    return write_reports


def test_arguments_reach_the_verb_and_failures_set_the_exit_status(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(reports, "write_reports", _fake_verb(calls, fail="mei-tanaka"))
    argv = ["--home", str(demo_practice.home), "report", "--all", "--audience", "sponsor,client"]
    status = main([*argv, "--format", "pdf,html", "--jobs", "3", "--date", "2026-11-21"])
    assert status == 1
    (call,) = calls
    assert call["home"] == demo_practice.home
    assert call["client_ids"] == ["ana-ruiz", "jonas-becker", "mei-tanaka"]
    assert call["audiences"] == ("sponsor", "client")
    assert call["formats"] == ("pdf", "html")
    assert call["jobs"] == 3 and call["report_date"] == date(2026, 11, 21)
    out, err = capsys.readouterr()
    assert "  written  jonas-becker (sponsor): reports/jonas-becker/2026-11-21-sponsor.html" in out
    assert "  FAILED   mei-tanaka (client): a cell failed (KeyError)" in out
    assert "Written: 4 of 6 reports (pdf, html) in reports/ in 1.5 s." in out
    assert "Failed: 2\n  mei-tanaka (sponsor): a cell failed (KeyError)" in out
    assert "6/6" in err, "the progress bar goes to stderr"


def test_defaults_are_the_client_report_in_html_on_every_core(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(reports, "write_reports", _fake_verb(calls))
    assert main(["--home", str(demo_practice.home), "report", "jonas-becker"]) == 0
    (call,) = calls
    assert call["client_ids"] == ["jonas-becker"]
    assert call["audiences"] == ("client",) and call["formats"] == ("html",)
    assert call["jobs"] is None and call["report_date"] is None
    assert "Failed" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jonas-becker", "--audience", "rater"], "--audience: 'rater' is not one of: client, sponsor, coach."),
        (["jonas-becker", "--format", "docx"], "--format: 'docx' is not one of: html, pdf."),
        ([], "CLIENT: name at least one client id, or use --all."),
        (["jonas-becker", "--all"], "--all: name clients or use --all, not both."),
        (["no-such-client"], "No client with id 'no-such-client'"),
        (["jonas-becker", "--jobs", "0"], "jobs: must be 1 or more."),
    ],
)
def test_bad_arguments_say_what_to_do_and_run_nothing(
    demo_practice: Practice, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--home", str(demo_practice.home), "report", *args]) == 1
    assert message in capsys.readouterr().err
    assert not any((demo_practice.home / "reports").glob("*/*.html"))


def test_all_on_a_practice_without_engagements_has_nothing_to_do(
    practice: Practice, capsys: pytest.CaptureFixture[str]
) -> None:
    practice.add_client("Someone New")
    assert main(["--home", str(practice.home), "report", "--all"]) == 0
    assert "nothing to report" in capsys.readouterr().out


def test_help_names_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    for option in ("--all", "--audience", "--format", "--jobs", "--date"):
        assert option in out
