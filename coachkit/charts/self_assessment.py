"""Self-assessment charts: competency gaps and the life-balance wheel, as dot plots (now and
wanted joined by a line), never radar charts."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from coachkit.charts.base import PALETTE, empty, plot_text, styled
from coachkit.model import SelfAssessment


def _dumbbell(
    title: str, rows: Sequence[tuple[str, int, int]], names: tuple[str, str], scale: tuple[int, int]
) -> go.Figure:
    fig = go.Figure()
    labels = [plot_text(name, 34) for name, _, _ in rows]
    for label, first, second in zip(labels, (r[1] for r in rows), (r[2] for r in rows), strict=True):
        fig.add_trace(
            go.Scatter(
                x=[first, second],
                y=[label, label],
                mode="lines",
                line={"color": "#adb5bd", "width": 4},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    for i, name in enumerate(names):
        fig.add_trace(
            go.Scatter(
                x=[r[1 + i] for r in rows],
                y=labels,
                mode="markers",
                name=name,
                marker={"size": 16, "color": PALETTE[i], "symbol": "circle" if i == 0 else "diamond"},
            )
        )
    fig.update_xaxes(range=[scale[0] - 0.5, scale[1] + 0.5], dtick=1)
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=max(260, 60 + 42 * len(rows)))


def competency_gaps(assessment: SelfAssessment | None) -> go.Figure:
    """Each competency now and wanted (1-5), the largest gap first."""
    title = "Competencies: now and wanted"
    if assessment is None or not assessment.competencies:
        return empty(title, "No competencies rated yet.")
    rows = sorted(((c.name, c.current, c.desired) for c in assessment.competencies), key=lambda r: (r[1] - r[2], r[0]))
    return _dumbbell(title, rows, ("now", "wanted"), (1, 5))


def balance_wheel(assessment: SelfAssessment | None) -> go.Figure:
    """Each life-balance area now and wanted (1-10), in the wheel's order."""
    title = "Life balance: now and wanted"
    if assessment is None or not assessment.balance:
        return empty(title, "The balance wheel is not filled in yet.")
    rows = [(b.area, b.now, b.wanted) for b in assessment.balance]
    return _dumbbell(title, rows, ("now", "wanted"), (1, 10))
