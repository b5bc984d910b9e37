"""Closure and follow-up charts: each goal's outcome, and whether the gains held after the end."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.charts.base import empty, plot_text, styled
from coachkit.model import OUTCOMES, CaseFile
from coachkit.model.rules import sustainment_series

OUTCOME_NAMES = ("not met", "partly met", "met", "exceeded")


def goal_outcomes(file: CaseFile) -> go.Figure:
    """One dot per evaluated goal on the outcome scale (not met … exceeded)."""
    title = "Each goal's outcome"
    goals = {g.id: g for g in file.goals}
    rows = [(goals[e.goal_id].objective, OUTCOMES.index(e.outcome)) for e in file.evaluations if e.goal_id in goals]
    if not rows:
        return empty(title, "No goal evaluated yet.")
    fig = go.Figure(
        go.Scatter(
            x=[OUTCOME_NAMES[i] for _, i in rows],
            y=[plot_text(o, 40) for o, _ in rows],
            mode="markers",
            marker={"size": 20, "color": "#2f9e44"},
            showlegend=False,
        )
    )
    fig.update_xaxes(categoryorder="array", categoryarray=list(OUTCOME_NAMES), range=[-0.5, 3.5])
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=max(240, 120 + 50 * len(rows)))


def sustainment(file: CaseFile) -> go.Figure:
    """For each goal, the change reported at each follow-up (-3..+3) against days after the end."""
    title = "Did the gains hold? (change since the end, -3 to +3)"
    series = [(g, sustainment_series(file, g.id)) for g in file.goals]
    if not any(points for _, points in series):
        return empty(title, "No follow-up held yet: the first one appears here.")
    fig = go.Figure()
    for goal, points in series:
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[0, *(d for d, _ in points)],
                    y=[0, *(c for _, c in points)],
                    mode="lines+markers",
                    marker={"size": 12},
                    name=plot_text(goal.objective, 40),
                )
            )
    fig.add_hline(y=0, line_color="#868e96")
    fig.update_yaxes(range=[-3.5, 3.5], dtick=1, title_text="change")
    fig.update_xaxes(title_text="days after the end", rangemode="tozero")
    return styled(fig, title)
