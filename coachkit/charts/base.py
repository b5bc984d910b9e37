"""What every chart shares: one look, and text that plotly shows as text."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, timedelta

import plotly.graph_objects as go

PALETTE = ("#1f6feb", "#e8590c", "#2f9e44", "#9c36b5", "#c92a2a", "#0b7285", "#5c940d", "#862e9c")
FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 15}


def plot_text(text: str, width: int = 48) -> str:
    """Client text made safe for plotly (which reads a few HTML-like tags in labels): escaped,
    on one line, shortened to ``width`` characters."""
    line = " ".join(text.split())
    if len(line) > width:
        line = line[: width - 1] + "…"
    return html.escape(line, quote=False)


DAY_MS = 86_400_000
"""One day in plotly's date-axis units (milliseconds)."""


def _top_margin(fig: go.Figure) -> int:
    """Room for the title and, below it, the legend's rows (about two entries a row)."""
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    if fig.layout.showlegend is False or entries < 2:
        return 64
    return 64 + 30 * ((entries + 1) // 2)


INTERACTIVE_TEMPLATE = "plotly_white"
"""The plotly template of a chart drawn by plotly.js (a report's): white, light grid lines."""


def styled(fig: go.Figure, title: str, *, height: int = 380) -> go.Figure:
    """Apply coachkit's look: readable fonts, the title at the top and the legend between the
    title and the plot (never over an axis title).

    The figure carries no plotly template (``"none"``): pages and workbooks draw it as a picture
    (:mod:`coachkit.pages.svgchart`, which has its own look), and copying plotly's white template
    into each figure was most of the time a page spent on its charts. A chart drawn by plotly.js
    gets the template from :func:`interactive`."""
    fig.update_layout(
        title={"text": plot_text(title, 90), "x": 0.0, "xanchor": "left", "yref": "container", "y": 0.98,
               "yanchor": "top"},
        template="none",
        font=FONT,
        height=height,
        margin={"l": 60, "r": 20, "t": _top_margin(fig), "b": 60},
        legend={"orientation": "h", "xanchor": "left", "x": 0.0, "yanchor": "bottom", "y": 1.02},
        colorway=list(PALETTE),
    )  # fmt: skip
    return fig


def interactive(fig: go.Figure) -> go.Figure:
    """Give ``fig`` the look plotly.js draws it with (white background, light grid lines)."""
    fig.update_layout(template=INTERACTIVE_TEMPLATE)
    return fig


def date_axis(fig: go.Figure, days: Iterable[date], *, title: str | None = None) -> go.Figure:
    """A readable date axis for ``days``: whole days only, a range padded around the points
    (at least three days each side, so a single point sits in the middle of a week), and tick
    labels that name the day (short spans) or the month (long spans)."""
    chosen = sorted(set(days))
    if not chosen:
        return fig
    lo, hi = chosen[0], chosen[-1]
    span = (hi - lo).days
    pad = max(3, round(span * 0.05))
    axis: dict[str, object] = {
        "type": "date",
        "range": [(lo - timedelta(days=pad)).isoformat(), (hi + timedelta(days=pad)).isoformat()],
        "hoverformat": "%-d %b %Y",
        "tickformat": "%-d %b" if span <= 120 else "%b %Y",
    }
    if span + 2 * pad <= 14:
        axis["dtick"] = DAY_MS  # plotly would otherwise tick hours (or milliseconds) on a short range
    elif span + 2 * pad <= 70:
        axis["dtick"] = 7 * DAY_MS
    else:
        axis["dtick"] = "M1" if span <= 400 else "M3"
    if title is not None:
        axis["title_text"] = title
    fig.update_xaxes(**axis)
    return fig


def empty(title: str, message: str) -> go.Figure:
    """A chart with nothing to plot yet, saying so."""
    fig = go.Figure()
    fig.add_annotation(text=plot_text(message, 90), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return styled(fig, title, height=220)
