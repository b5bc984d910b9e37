"""Every chart a workbook or page shows is drawn as an SVG picture (no plotly.js): for each demo
client, a client with nothing saved and a client with a single check-in, each chart function
gives well-formed SVG with what the figure holds; the goal timeline draws goals as rows on a
date axis; goal names with markup or dollar signs stay escaped text that MathJax leaves alone."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from coachkit.charts.checkins import confidence_trend
from coachkit.charts.closure import goal_outcomes, sustainment
from coachkit.charts.plan import goal_timeline
from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.charts.self_assessment import balance_wheel, competency_gaps
from coachkit.model import CaseFile, CheckIn, Client, Engagement, Goal, GoalProgress, Milestone
from coachkit.pages import web
from coachkit.pages.svgchart import figure_svg, legend
from coachkit.plain import NO_MATH_CLASS
from coachkit.practice import Practice
from tests.conftest import DEMO_TODAY

SVG = "{http://www.w3.org/2000/svg}"
CHARTS: dict[str, Callable[[CaseFile], go.Figure]] = {
    "timeline": lambda f: goal_timeline(f, DEMO_TODAY),
    "progress": goal_progress,
    "milestones": lambda f: milestones_met_vs_planned(f, DEMO_TODAY),
    "sessions": sessions_held_vs_planned,
    "confidence": confidence_trend,
    "outcomes": goal_outcomes,
    "sustainment": sustainment,
    "gaps": lambda f: competency_gaps(f.self_assessment),
    "balance": lambda f: balance_wheel(f.self_assessment),
}
MARKUP = "<img src=x onerror=alert(1)>"
DOLLARS = "Cut costs from $5m to $3m"


def _tree(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed, every text escaped
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _files(practice: Practice) -> dict[str, CaseFile]:
    files = {c: practice.store.load(c) for c in ("ana-ruiz", "jonas-becker", "mei-tanaka")}
    jonas = files["jonas-becker"]
    kept = [r for kind in jonas.records.values() for r in kind.values() if not isinstance(r, CheckIn)]
    files["one check-in"] = CaseFile.of(jonas.client, [*kept, jonas.check_ins[0]])
    files["nothing saved"] = CaseFile.of(Client(id="new", name="New"), [])
    return files


def test_every_chart_of_every_kind_of_client_is_a_picture(demo_practice: Practice) -> None:
    for who, file in _files(demo_practice).items():
        for name, build in CHARTS.items():
            fig = build(file)
            root = _tree(figure_svg(fig))
            texts = _texts(root)
            assert texts[0] == fig.layout.title.text.replace("&amp;", "&"), (who, name)
            if not fig.data:  # the "nothing yet" message
                assert len(texts) == 2, (who, name)
                continue
            drawn = [e for e in root.iter() if e.tag.split("}")[1] in ("circle", "polygon", "rect", "path", "polyline")]
            assert drawn, f"{who} {name}: something is drawn"


def test_a_single_check_in_sits_inside_a_week_of_days(demo_practice: Practice) -> None:
    file = _files(demo_practice)["one check-in"]
    for fig in (confidence_trend(file), goal_progress(file)):
        root = _tree(figure_svg(fig))
        labels = _texts(root)
        days = [t for t in labels if t.split(" ")[0].isdigit() and t.endswith(("Jul", "Aug"))]
        assert 5 <= len(days) <= 9, labels
        xs = [float(c.get("cx", 0)) for c in root.iter(f"{SVG}circle")]
        assert xs and all(300 < x < 600 for x in xs), "the one point sits in the middle"


def test_the_goal_timeline_draws_goals_as_rows_on_a_date_axis(demo_practice: Practice) -> None:
    jonas = demo_practice.store.load("jonas-becker")
    root = _tree(figure_svg(goal_timeline(jonas, DEMO_TODAY)))
    texts = _texts(root)
    goals = [g for g in jonas.goals if g.status != "dropped"]
    for goal in goals:
        assert any(goal.objective.startswith(t.rstrip("…")) for t in texts), goal.objective
    assert len(list(root.iter(f"{SVG}polyline"))) == sum(1 for g in goals if g.target_date), "start to target"
    met = [m for m in jonas.milestones if m.done_on]
    planned = [m for m in jonas.milestones if not m.done_on and m.target_date]
    circles = list(root.iter(f"{SVG}circle"))
    assert len([c for c in circles if c.get("fill") == "#2f9e44"]) == len(met), "met milestones are filled"
    hollow = [c for c in circles if c.get("fill") == "white" and c.get("stroke") == "#1f6feb"]
    assert len(hollow) == len(planned), "planned milestones are hollow"
    assert len(list(root.iter(f"{SVG}polygon"))) == sum(1 for g in goals if g.target_date), "a star at each target"
    dotted = [e for e in root.iter(f"{SVG}line") if e.get("stroke-dasharray")]
    assert len(dotted) == 1, "today's dotted line"
    assert any(t in texts for t in ("Sep", "Oct", "Nov", "Dec")), "months along the bottom"
    keys = {k.name: k.colour for k in legend(goal_timeline(jonas, DEMO_TODAY))}
    assert keys == {"milestone met": "#2f9e44", "milestone planned": "#1f6feb"}, "a hollow key shows its outline"


def test_goal_names_with_markup_and_dollars_stay_escaped_text(demo_practice: Practice) -> None:
    today = date(2026, 11, 21)
    file = CaseFile.of(
        Client(id="x", name="X"),
        [
            Engagement(start=today - timedelta(days=30), planned_end=today + timedelta(days=90), status="active"),
            Goal(id="g1", objective=f"Grow {MARKUP}", target_date=today + timedelta(days=60)),
            Goal(id="g2", objective=DOLLARS),  # no target date yet: still a row
            Milestone(id="m1", goal_id="g1", title=MARKUP, target_date=today + timedelta(days=5)),
            CheckIn(id="c1", on=today, confidence=5, progress=[GoalProgress("g1", 3), GoalProgress("g2", 4)]),
        ],
    )
    for fig in (goal_timeline(file, today), goal_progress(file)):
        svg = figure_svg(fig)
        assert "<img" not in svg and "onerror=alert(1)>" not in svg
        texts = _texts(_tree(svg))
        frame = web.chart(fig)
        (picture,) = frame.children  # the picture and its legend: one widget
        assert picture.value.startswith(svg) and NO_MATH_CLASS in picture._dom_classes, "MathJax leaves it alone"
        keys = picture.value[len(svg) :]
        assert "<img" not in keys and "onerror=alert(1)>" not in keys, "legend names reach the page escaped"
        names = [html.unescape(n) for n in re.findall(r'<span class="coachkit-key"[^>]*>([^<]*)</span>', keys)]
        if fig.layout.title.text.startswith("Goals"):
            assert f"Grow {MARKUP}" in texts and DOLLARS in texts, "row labels read as the client wrote them"
            assert svg.count("<polyline") == 1, "a span only for the goal with a target date"
        else:
            assert set(names) == {f"Grow {MARKUP}", DOLLARS}, "legend names read as the client wrote them"


@pytest.mark.parametrize("name", ["gaps", "balance"])
def test_self_assessment_dumbbells_join_now_and_wanted(demo_practice: Practice, name: str) -> None:
    file = demo_practice.store.load("jonas-becker")
    assessment = file.self_assessment
    assert assessment is not None
    rows = (
        [(c.current, c.desired) for c in assessment.competencies]
        if name == "gaps"
        else [(b.now, b.wanted) for b in assessment.balance]
    )
    root = _tree(figure_svg(CHARTS[name](file)))
    assert len(list(root.iter(f"{SVG}polyline"))) == len(rows), "a bar from now to wanted in each row"
    assert len(list(root.iter(f"{SVG}circle"))) == len(rows), "now as a dot"
    assert len(list(root.iter(f"{SVG}polygon"))) == len(rows), "wanted as a diamond"


def test_closure_outcomes_sit_on_the_outcome_scale(demo_practice: Practice) -> None:
    mei = demo_practice.store.load("mei-tanaka")
    root = _tree(figure_svg(goal_outcomes(mei)))
    texts = _texts(root)
    assert [t for t in texts if t in ("not met", "partly met", "met", "exceeded")] == [
        "not met",
        "partly met",
        "met",
        "exceeded",
    ]
    assert len(list(root.iter(f"{SVG}circle"))) == len(mei.evaluations)


def test_sustainment_draws_zero_as_a_level_line(demo_practice: Practice) -> None:
    mei = demo_practice.store.load("mei-tanaka")
    root = _tree(figure_svg(sustainment(mei)))
    lines = [e for e in root.iter(f"{SVG}line") if e.get("stroke") == "#868e96"]
    assert lines and all(e.get("y1") == e.get("y2") for e in lines), "the zero line lies across, not upright"
    assert "days after the end" in _texts(root)
