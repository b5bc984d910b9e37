"""The change pulse over time: the net score per goal at each round, with the +1 bar."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.charts.base import date_axis, empty, plot_text, styled
from coachkit.model.pulse import MEANINGFUL_CHANGE, PulseResult


def pulse_net(results: list[PulseResult]) -> go.Figure:
    """Net score (-3..+3) per goal and round; rounds with too few answers leave a gap."""
    title = "Change others notice, per goal (-3 to +3)"
    if not any(r.net is not None for r in results):
        return empty(title, "No pulse round has enough answers yet (3 are needed).")
    fig = go.Figure()
    goals: dict[str, list[PulseResult]] = {}
    for r in results:
        goals.setdefault(r.goal_id, []).append(r)
    for rows in goals.values():
        rows.sort(key=lambda r: r.opened_on)
        fig.add_trace(
            go.Scatter(
                x=[r.opened_on.isoformat() for r in rows],
                y=[r.net for r in rows],
                mode="lines+markers",
                name=plot_text(rows[-1].behaviour, 40),
                text=[
                    plot_text(r.round_title, 30)
                    + (f": net {r.net:+.1f} (n={r.n})" if r.net is not None else f": too few answers (n={r.n})")
                    for r in rows
                ],
                hoverinfo="text+name",
                marker={"size": 12},
            )
        )
    fig.add_hline(
        y=MEANINGFUL_CHANGE, line_dash="dash", line_color="#2f9e44", annotation_text="+1: a change others notice"
    )
    fig.add_hline(y=0, line_color="#868e96")
    fig.update_yaxes(range=[-3.2, 3.2], dtick=1, title_text="net score")
    date_axis(fig, (r.opened_on for r in results), title="round opened")
    return styled(fig, title)
