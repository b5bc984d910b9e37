"""360 charts, drawn only from the anonymised summary: self vs others per competency (a dot
plot), the gap between them (bars with the 0.5 / 1.0 / 1.5 bands) and the spread of answers per
item (stacked bars). No radar charts: readers misjudge them."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.charts.base import empty, plot_text, styled
from coachkit.model.anonymity import ALL
from coachkit.model.feedback_summary import GAP_BANDS, FeedbackSummary, gap_band

SELF_COLOUR = "#e8590c"
OTHERS_COLOUR = "#1f6feb"
LINE_COLOURS = {"manager": "#9c36b5", "peer": "#2f9e44", "direct_report": "#0b7285", "other": "#5c940d"}
BLIND_COLOURS = {"severe": "#c92a2a", "high": "#e8590c", "moderate": "#f59f00", None: "#adb5bd"}
HIDDEN_COLOURS = {"severe": "#1864ab", "high": "#1c7ed6", "moderate": "#74c0fc", None: "#adb5bd"}
SPREAD_COLOURS = ("#c92a2a", "#f08c00", "#ced4da", "#74c0fc", "#1c7ed6")


def _not_ready(summary: FeedbackSummary, title: str) -> go.Figure | None:
    if not summary.ready:
        return empty(title, f"Not enough answers yet: at least {summary.threshold} raters besides the manager.")
    return None


def competency_dots(summary: FeedbackSummary) -> go.Figure:
    """Per competency on the 1-5 scale: the client's own rating, all raters, and each line that
    may be shown on its own (manager where agreed, groups large enough, others combined)."""
    title = "Self and others by competency (1-5)"
    if (fig := _not_ready(summary, title)) is not None:
        return fig
    names = [plot_text(c.name, 36) for c in summary.competencies]
    fig = go.Figure()
    lines: dict[str, tuple[str, list[float | None], list[str]]] = {}
    for row, c in enumerate(summary.competencies):
        for f in c.figures:
            label, xs, texts = lines.setdefault(f.line, (f.label, [None] * len(names), [""] * len(names)))
            xs[row] = round(f.mean, 2)
            texts[row] = f"{f.label}: {f.mean:.1f} (n={f.n})"
    order = [ALL] + [k for k in lines if k != ALL]
    for key in order:
        if key not in lines:
            continue
        label, xs, texts = lines[key]
        big = key == ALL
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=names,
                mode="markers",
                name=label,
                text=texts,
                hoverinfo="text",
                marker={
                    "size": 16 if big else 10,
                    "color": OTHERS_COLOUR if big else LINE_COLOURS.get(key, "#868e96"),
                    "symbol": "circle" if big else "diamond",
                },
            )
        )
    if summary.self_rated:
        fig.add_trace(
            go.Scatter(
                x=[None if c.self_mean is None else round(c.self_mean, 2) for c in summary.competencies],
                y=names,
                mode="markers",
                name="Self",
                text=[f"Self: {c.self_mean:.1f}" if c.self_mean is not None else "" for c in summary.competencies],
                hoverinfo="text",
                marker={"size": 14, "color": "white", "line": {"color": SELF_COLOUR, "width": 3}},
            )
        )
    fig.update_xaxes(range=[0.8, 5.2], dtick=1, title_text="1 almost never · 5 almost always")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=120 + 42 * len(names))


def gap_bars(summary: FeedbackSummary) -> go.Figure:
    """Self minus all raters per competency: right of zero, a blind spot (the client rates
    themself higher); left, a hidden strength. Colours mark gaps of 0.5, 1.0 and 1.5 points."""
    title = "Gap between self and others by competency"
    if (fig := _not_ready(summary, title)) is not None:
        return fig
    rows = [c for c in summary.competencies if c.gap is not None]
    if not rows:
        return empty(title, "The client's own rating is needed to show gaps.")
    fig = go.Figure(
        go.Bar(
            x=[c.gap for c in rows],
            y=[plot_text(c.name, 36) for c in rows],
            orientation="h",
            marker_color=[
                (BLIND_COLOURS if (c.gap or 0.0) > 0 else HIDDEN_COLOURS)[gap_band(c.gap or 0.0)] for c in rows
            ],
            text=[f"{c.gap:+.1f}" for c in rows],
            textposition="outside",
            hovertext=[
                f"self {c.self_mean or 0:.1f} vs others {c.others.mean if c.others else 0:.1f} "
                f"(n={c.others.n if c.others else 0})"
                for c in rows
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    for bound, _ in GAP_BANDS:
        for sign in (-1, 1):
            fig.add_vline(x=sign * bound, line_dash="dot", line_color="#ced4da")
    fig.add_vline(x=0, line_color="#495057")
    fig.update_xaxes(range=[-3, 3], title_text="← hidden strength · self minus others · blind spot →")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=120 + 40 * len(rows))


def item_spread(summary: FeedbackSummary, competency_id: str | None = None) -> go.Figure:
    """How all raters' answers spread over 1-5 for each item (where the all-raters figure may
    be shown), as stacked bars; n and “can't say” in the hover text."""
    title = "Spread of answers per behaviour"
    if (fig := _not_ready(summary, title)) is not None:
        return fig
    items = [
        i
        for c in summary.competencies
        if competency_id in (None, c.competency_id)
        for i in c.items
        if i.distribution is not None
    ]
    if not items:
        return empty(title, "No behaviour has enough answers to show their spread.")
    labels = [plot_text(i.text, 56) for i in items]
    fig = go.Figure()
    for k in range(5):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[i.distribution[k] if i.distribution else 0 for i in items],
                name=str(k + 1),
                orientation="h",
                marker_color=SPREAD_COLOURS[k],
                hovertext=[
                    f"{k + 1}: {i.distribution[k] if i.distribution else 0} of n={i.others.n if i.others else 0}"
                    f" (can't say: {i.cant_say or 0})"
                    for i in items
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title_text="raters")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=140 + 28 * len(items))
