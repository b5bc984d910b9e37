"""What every chart shares: one look, and text that plotly shows as text."""

from __future__ import annotations

import html

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


def styled(fig: go.Figure, title: str, *, height: int = 380) -> go.Figure:
    """Apply coachkit's look: white background, readable fonts, legend below."""
    fig.update_layout(
        title={"text": plot_text(title, 90), "x": 0.0},
        template="plotly_white",
        font=FONT,
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h", "y": -0.2},
        colorway=list(PALETTE),
    )
    return fig


def empty(title: str, message: str) -> go.Figure:
    """A chart with nothing to plot yet, saying so."""
    fig = go.Figure()
    fig.add_annotation(text=plot_text(message, 90), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return styled(fig, title, height=220)
