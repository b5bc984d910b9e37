"""The change pulse in the progress reports of the demo's mid-engagement client (Jonas Becker,
one mid-point round answered by four raters on two goals): the client's and the coach's reports
chart it with its n; the sponsor's holds it only for the goals the client released, so when the
client withdraws a goal from the sponsor, the next sponsor report no longer shows its pulse."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from coachkit.cli import main
from coachkit.model import Goal
from coachkit.pages import report
from coachkit.practice import init_practice

JONAS = "jonas-becker"
DAY = "2026-11-21"
SHARED_GOAL = "letting his leads make and own"  # g1: released, its pulse wording (as charted)
WITHDRAWN_GOAL = "giving clear, timely feedback"  # g2: withdrawn from the sponsor below
AUDIENCES = ("client", "sponsor", "coach")


@pytest.fixture(scope="module")
def home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo practice after Jonas withdrew his feedback goal (g2) from the sponsor."""
    home = tmp_path_factory.mktemp("pulse") / "practice"
    shutil.copytree(demo_template, home)
    with init_practice(home) as practice:
        goal = practice.store.get(JONAS, Goal, "g2")
        practice.store.save(JONAS, dataclasses.replace(goal, released_to_sponsor=False, released_on=None))
    return home


def _section(home: Path, audience: str) -> str:
    view = report.open_report(JONAS, str(home), audience, DAY)
    shown = report.pulse_section(view)
    assert shown is not None, audience
    return shown.html


def test_pulse_sections_hold_net_and_n_per_goal_and_only_released_goals_for_the_sponsor(home: Path) -> None:
    for audience in ("client", "coach"):
        html = _section(home, audience)
        assert "Change pulse" in html and 'class="ck-chart"' in html
        assert SHARED_GOAL in html and WITHDRAWN_GOAL in html  # the chart's traces
        assert html.count("n=4") >= 2 and "+1.5" in html and "+1.0" in html
    sponsor = _section(home, "sponsor")
    assert SHARED_GOAL in sponsor and "+1.5" in sponsor and "n=4" in sponsor
    assert WITHDRAWN_GOAL not in sponsor and "+1.0" not in sponsor
    with init_practice(home) as practice:
        withdrawn = practice.store.get(JONAS, Goal, "g2").objective
    assert withdrawn not in sponsor


def test_a_client_without_a_pulse_round_has_no_pulse_section(home: Path) -> None:
    assert report.pulse_section(report.open_report("mei-tanaka", str(home), "client", DAY)) is None


@pytest.mark.kernel
def test_the_written_reports_carry_the_pulse_chart_and_its_n(home: Path) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(["--home", str(home), "report", JONAS, "--audience", ",".join(AUDIENCES), "--date", DAY])
    assert status == 0, out.getvalue()
    pages = {a: (home / "reports" / JONAS / f"{DAY}-{a}.html").read_text(encoding="utf-8") for a in AUDIENCES}
    for audience, html in pages.items():
        assert 'class="ck-section ck-pulse"' in html, audience
        pulse = html[html.index('class="ck-section ck-pulse"') :]
        pulse = pulse[: pulse.index("</section>")]
        assert 'class="ck-chart"' in pulse and "chart-pulse-" in pulse and "n=4" in pulse, audience
        assert SHARED_GOAL in pulse
        assert (WITHDRAWN_GOAL in pulse) is (audience != "sponsor"), audience
