"""The action plan on a timeline: each goal's span to its target date, its milestones (filled
once met), and today."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from coachkit.charts.base import PALETTE, date_axis, empty, plot_text, styled
from coachkit.model import CaseFile


def goal_timeline(file: CaseFile, today: date) -> go.Figure:
    """Goals as rows: a line from the start to the target date (only the start while a goal has
    no target date), milestones as dots."""
    title = "Goals and milestones over time"
    goals = [g for g in file.goals if g.status != "dropped"]
    if not goals:
        return empty(title, "No goals yet: add the first one above.")
    start = (
        file.engagement.start
        if file.engagement
        else min((m.target_date for m in file.milestones if m.target_date), default=today)
    )
    fig = go.Figure()
    labels = {g.id: plot_text(g.objective, 34) for g in goals}
    for i, g in enumerate(goals):
        colour = PALETTE[i % len(PALETTE)]
        if g.target_date:
            fig.add_trace(
                go.Scatter(
                    x=[start.isoformat(), g.target_date.isoformat()],
                    y=[labels[g.id]] * 2,
                    mode="lines+markers",
                    line={"color": colour, "width": 6},
                    marker={"symbol": ["line-ns", "star"], "size": [10, 18], "color": colour},
                    name=labels[g.id],
                    showlegend=False,
                    hovertext=["start", "target date"],
                )
            )
        else:  # still a row, so the goal is seen to have no target date yet
            fig.add_trace(
                go.Scatter(
                    x=[start.isoformat()],
                    y=[labels[g.id]],
                    mode="markers",
                    marker={"symbol": "line-ns", "size": 10, "color": colour, "line": {"width": 3, "color": colour}},
                    name=labels[g.id],
                    showlegend=False,
                    hovertext=["start (no target date yet)"],
                )
            )
    looks = {
        "milestone met": {"size": 16, "color": "#2f9e44", "line": {"width": 2, "color": "#2f9e44"}},
        "milestone planned": {"size": 16, "color": "white", "line": {"width": 3, "color": "#1f6feb"}},
    }
    points: dict[str, tuple[list[str], list[str], list[str]]] = {name: ([], [], []) for name in looks}
    for m in file.milestones:
        when = m.done_on or m.target_date
        if m.goal_id not in labels or when is None:
            continue
        xs, ys, texts = points["milestone met" if m.done_on else "milestone planned"]
        xs.append(when.isoformat())
        ys.append(labels[m.goal_id])
        texts.append(plot_text(m.title, 60))
    for name, (xs, ys, texts) in points.items():
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name=name, hovertext=texts, marker=looks[name]))
    fig.add_vline(x=today.isoformat(), line_dash="dot", line_color="#868e96")
    fig.update_yaxes(autorange="reversed")
    shown = [start, today, *(g.target_date for g in goals if g.target_date)]
    shown += [d for d in (m.done_on or m.target_date for m in file.milestones if m.goal_id in labels) if d]
    date_axis(fig, shown)
    return styled(fig, title, height=max(260, 120 + 60 * len(goals)))
