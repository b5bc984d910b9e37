"""The IPIP-50 profile: one bar per factor on its 10-50 range (no invented norms)."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.charts.base import empty, styled
from coachkit.model.ipip import IpipProfile

FACTOR_COLOURS = ("#1f6feb", "#2f9e44", "#9c36b5", "#0b7285", "#e8590c")


def ipip_profile(profile: IpipProfile | None, percentiles: dict[str, float] | None = None) -> go.Figure:
    """Bars of the five factor scores on 10-50, labelled with the 1-5 mean and, when given, the
    percentile within the practice."""
    title = "Big-Five profile (IPIP-50), scores 10-50"
    if profile is None:
        return empty(title, "The profile appears once all 50 statements are answered.")
    labels = []
    for s in profile.scores:
        text = f"{s.score} (mean {s.mean:.1f})"
        if percentiles is not None and s.factor in percentiles:
            text += f" · {percentiles[s.factor]:.0f}th percentile in this practice"
        labels.append(text)
    fig = go.Figure(
        go.Bar(
            x=[s.score - 10 for s in profile.scores],
            base=[10] * len(profile.scores),
            y=[s.factor for s in profile.scores],
            orientation="h",
            marker_color=list(FACTOR_COLOURS),
            text=labels,
            textposition="outside",
            hoverinfo="text",
            hovertext=labels,
            showlegend=False,
        )
    )
    fig.update_xaxes(range=[10, 50], dtick=10, title_text="score (10 = lowest possible, 50 = highest possible)")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=320)
