"""Progress charts: goals over time, milestones met vs planned, sessions held vs planned."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from coachkit.charts.base import date_axis, empty, plot_text, styled
from coachkit.model import CaseFile, Goal
from coachkit.model.rules import progress_series, sessions_held


def goal_progress(file: CaseFile, goals: list[Goal] | None = None) -> go.Figure:
    """Progress 0-10 per goal at each check-in (``goals`` limits which goals are drawn)."""
    chosen = file.goals if goals is None else goals
    title = "Progress per goal (0-10)"
    series = [(g, progress_series(file, g.id)) for g in chosen]
    if not any(points for _, points in series):
        return empty(title, "No check-ins yet: progress appears here after the first one.")
    fig = go.Figure()
    for goal, points in series:
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[d.isoformat() for d, _ in points],
                    y=[p for _, p in points],
                    mode="lines+markers",
                    name=plot_text(goal.objective, 40),
                )
            )
    fig.update_yaxes(range=[-0.5, 10.5], title_text="progress", dtick=2)
    date_axis(fig, (d for _, points in series for d, _ in points), title="check-in")
    return styled(fig, title)


def milestones_met_vs_planned(file: CaseFile, today: date, goals: list[Goal] | None = None) -> go.Figure:
    """Cumulative milestones planned (by target date) and met (by done date), up to today."""
    title = "Milestones met vs planned"
    wanted = None if goals is None else {g.id for g in goals}
    ms = [m for m in file.milestones if wanted is None or m.goal_id in wanted]
    if not ms:
        return empty(title, "No milestones yet.")
    planned = sorted(m.target_date for m in ms if m.target_date is not None)
    met = sorted(m.done_on for m in ms if m.done_on is not None and m.done_on <= today)
    fig = go.Figure()
    for label, dates in (("planned", planned), ("met", met)):
        if dates:
            fig.add_trace(
                go.Scatter(
                    x=[d.isoformat() for d in dates],
                    y=list(range(1, len(dates) + 1)),
                    mode="lines+markers",
                    line_shape="hv",
                    name=label,
                )
            )
    fig.add_vline(x=today.isoformat(), line_dash="dot", line_color="#868e96")
    fig.update_yaxes(title_text="milestones", rangemode="tozero", dtick=1)
    date_axis(fig, [*planned, *met, today])
    return styled(fig, title)


def sessions_held_vs_planned(file: CaseFile) -> go.Figure:
    """One bar: sessions held, planned ahead, and left of the engagement's plan."""
    title = "Sessions"
    engagement = file.engagement
    if engagement is None:
        return empty(title, "The engagement is not set up yet.")
    held = sessions_held(file)
    booked = sum(1 for s in file.sessions if s.status == "planned")
    left = max(0, engagement.planned_sessions - held - booked)
    fig = go.Figure()
    for label, value, colour in (
        ("held", held, "#2f9e44"),
        ("booked", booked, "#1f6feb"),
        ("still to plan", left, "#dee2e6"),
    ):
        fig.add_trace(
            go.Bar(
                y=["sessions"],
                x=[value],
                name=label,
                orientation="h",
                marker_color=colour,
                text=[str(value)],
                textposition="inside",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, max(engagement.planned_sessions, held + booked)], title_text="sessions")
    return styled(fig, f"Sessions: {held} held of {engagement.planned_sessions} planned", height=200)
