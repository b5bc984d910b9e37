"""Charts stay readable with 0, 1 and many points: a date axis never spans less than a week or
ticks below a day, one point sits inside its range, and the legend sits between the title and
the plot, never over the axis title at the bottom."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from coachkit.charts.base import DAY_MS
from coachkit.charts.checkins import confidence_trend
from coachkit.charts.plan import goal_timeline
from coachkit.charts.progress import goal_progress, milestones_met_vs_planned
from coachkit.model import CaseFile, CheckIn, Client, Engagement, Goal, GoalProgress, Milestone

TODAY = date(2026, 11, 21)
GOALS = [Goal(id=f"g{i}", objective=f"Goal number {i} with a fairly long objective to name it") for i in range(5)]


def _file(check_ins: int, milestones: int = 0) -> CaseFile:
    records: list[object] = [
        Engagement(start=TODAY - timedelta(days=200), planned_end=TODAY + timedelta(days=30), status="active", phase=5),
        *GOALS,
    ]
    for n in range(check_ins):
        on = TODAY - timedelta(days=7 * (check_ins - 1 - n))
        records.append(
            CheckIn(id=f"c{n}", on=on, confidence=n % 11, progress=[GoalProgress(g.id, n % 11) for g in GOALS])
        )
    for n in range(milestones):
        records.append(
            Milestone(id=f"m{n}", goal_id="g0", title=f"Step {n}", target_date=TODAY - timedelta(days=20 * n))
        )
    return CaseFile.of(Client(id="c", name="Client"), records)  # type: ignore[arg-type]


def _days(value: str) -> date:
    return date.fromisoformat(str(value)[:10])


def _assert_readable_date_axis(fig: go.Figure, points: list[date]) -> None:
    axis = fig.layout.xaxis
    assert axis.type == "date"
    lo, hi = (_days(v) for v in axis.range)
    assert (hi - lo).days >= 6, "at least a week is shown"
    assert all(lo < p < hi for p in points), "every point lies inside the range, none on its edge"
    assert axis.dtick is not None
    assert axis.dtick == DAY_MS or isinstance(axis.dtick, str) or axis.dtick >= DAY_MS, "never a tick below a day"
    assert "%H" not in (axis.tickformat or "") and "%L" not in (axis.tickformat or "")
    ticks = (hi - lo).days / (axis.dtick / DAY_MS) if isinstance(axis.dtick, int | float) else (hi - lo).days / 30
    assert 1 <= ticks <= 16, "a handful of ticks, not a crowd"


def _assert_legend_above_plot(fig: go.Figure) -> None:
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.y >= 1.0
    rows = (sum(1 for t in fig.data if t.showlegend is not False and t.name) + 1) // 2
    assert fig.layout.margin.t >= 64 + 30 * rows - 30 * (rows == 1), "room for the title and every legend row"
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"


@pytest.mark.parametrize("count", [1, 2, 30])
def test_confidence_trend_date_axis_with_one_and_many_points(count: int) -> None:
    fig = confidence_trend(_file(count))
    points = [_days(x) for x in fig.data[0].x]
    assert len(points) == count
    _assert_readable_date_axis(fig, points)
    assert fig.layout.yaxis.range == (-0.5, 10.5)


def test_a_single_check_in_is_centred_in_a_week_of_whole_days() -> None:
    fig = confidence_trend(_file(1))
    lo, hi = (_days(v) for v in fig.layout.xaxis.range)
    assert (lo, hi) == (TODAY - timedelta(days=3), TODAY + timedelta(days=3))
    assert fig.layout.xaxis.dtick == DAY_MS and fig.layout.xaxis.tickformat == "%-d %b"


@pytest.mark.parametrize("count", [1, 3, 30])
def test_goal_progress_axis_and_legend(count: int) -> None:
    fig = goal_progress(_file(count))
    points = sorted({_days(x) for trace in fig.data for x in trace.x})
    _assert_readable_date_axis(fig, points)
    _assert_legend_above_plot(fig)
    assert len(fig.data) == len(GOALS)


def test_long_engagements_tick_by_month() -> None:
    fig = goal_progress(_file(60))
    assert fig.layout.xaxis.dtick in ("M1", "M3") and fig.layout.xaxis.tickformat == "%b %Y"


@pytest.mark.parametrize("chart", [confidence_trend, goal_progress])
def test_no_check_in_says_so_without_axes(chart: object) -> None:
    fig = chart(_file(0))  # type: ignore[operator]
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert "No check-ins yet" in fig.layout.annotations[0].text


@pytest.mark.parametrize("count", [1, 12])
def test_milestones_and_timeline_axes(count: int) -> None:
    file = _file(0, milestones=count)
    fig = milestones_met_vs_planned(file, TODAY)
    dates = sorted({_days(x) for trace in fig.data for x in trace.x})
    _assert_readable_date_axis(fig, [d for d in dates if d != TODAY])
    assert fig.layout.yaxis.dtick == 1, "whole milestones on the count axis"
    timeline = goal_timeline(file, TODAY)
    marks = sorted({_days(x) for trace in timeline.data for x in trace.x})
    _assert_readable_date_axis(timeline, marks[1:-1])
    _assert_legend_above_plot(timeline)
