"""Check-in trends: the client's confidence over time and how often they checked in."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.charts.base import PALETTE, date_axis, empty, styled
from coachkit.model import CaseFile


def confidence_trend(file: CaseFile) -> go.Figure:
    """Confidence 0-10 at each check-in, as a dot plot joined by a line."""
    title = "Confidence at each check-in (0-10)"
    check_ins = file.check_ins
    if not check_ins:
        return empty(title, "No check-ins yet.")
    fig = go.Figure(
        go.Scatter(
            x=[c.on.isoformat() for c in check_ins],
            y=[c.confidence for c in check_ins],
            mode="lines+markers",
            name="confidence",
            line={"color": PALETTE[4]},
        )
    )
    fig.update_yaxes(range=[-0.5, 10.5], title_text="confidence", dtick=2)
    date_axis(fig, (c.on for c in check_ins), title="check-in")
    fig.update_layout(showlegend=False)
    return styled(fig, title, height=300)
