"""Widgets that show the anonymised 360 summary, the IPIP-50 profile and the pulse, shared by
the coach's workbook and the client's dashboard. All client text is shown as text (labels) or
escaped before it enters HTML."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as W
import plotly.graph_objects as go

from coachkit.charts.feedback360 import competency_dots, gap_bars, item_spread
from coachkit.charts.ipip import ipip_profile
from coachkit.charts.pulse import pulse_net
from coachkit.forms import notice
from coachkit.forms.answers import para
from coachkit.instruments import IPIP50_CITATION
from coachkit.model.anonymity import ALL
from coachkit.model.feedback_summary import FeedbackSummary, Gap
from coachkit.model.ipip import IpipProfile
from coachkit.model.pulse import MEANINGFUL_CHANGE, PulseResult
from coachkit.pages.web import chart

TABLE_STYLE = "border-collapse:collapse;font-size:14px;margin:6px 0"
CELL = "padding:4px 10px;border-bottom:1px solid #e9ecef;text-align:left;vertical-align:top"


def heading(text: str) -> W.HTML:
    """A section heading (the text is escaped)."""
    return W.HTML(value=f"<h3 style='margin:14px 0 4px'>{html.escape(text)}</h3>")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> W.HTML:
    head = "".join(f"<th style='{CELL}'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{CELL}'>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return W.HTML(value=f"<table style='{TABLE_STYLE}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _gap_rows(gaps: Sequence[Gap]) -> list[list[str]]:
    return [[g.name, g.level, _num(g.self_score), f"{g.others:.1f} (n={g.n})", f"{g.gap:+.1f}", g.band] for g in gaps]


Draw = Callable[[go.Figure], W.Widget]
"""How a section shows a figure; by default :func:`coachkit.pages.web.chart` (a picture, no
plotly.js), in the coach's workbook as on a served page."""


def summary_widget(summary: FeedbackSummary, draw: Draw = chart) -> W.VBox:
    """The whole anonymised summary: who answered (counts only), how the anonymity rules were
    applied, charts, gaps, strengths, development priorities, item figures and comments."""
    parts: list[W.Widget] = [heading("360-degree feedback")]
    answered = " · ".join(f"{g.label}: {g.answered} of {g.approved}" for g in summary.groups)
    parts.append(W.Label(value=f"Answers received: {answered or 'none yet'}"))
    parts += [para(n, css="coachkit-notice-info") for n in summary.notes]
    if not summary.ready:
        return W.VBox(parts)
    parts += [draw(competency_dots(summary)), draw(gap_bars(summary))]
    if summary.blind_spots:
        parts.append(heading("Blind spots: you rate yourself higher than others do"))
        parts.append(_table(["", "level", "self", "others", "gap", "size"], _gap_rows(summary.blind_spots)))
    if summary.hidden_strengths:
        parts.append(heading("Hidden strengths: others rate you higher than you do"))
        parts.append(_table(["", "level", "self", "others", "gap", "size"], _gap_rows(summary.hidden_strengths)))
    parts.append(heading("Top strengths (rated highest by others)"))
    parts.append(
        _table(
            ["behaviour", "others", "self"],
            [
                [i.text, f"{i.others.mean:.1f} (n={i.others.n})" if i.others else "–", _num(i.self_rating)]
                for i in summary.strengths
            ],
        )
    )
    parts.append(heading("Development priorities"))
    parts.append(
        W.Label(value="Largest blind spots first, then what others rate lowest. Pick one to three to work on.")
    )
    parts.append(
        _table(
            ["competency", "others", "self", "gap"],
            [
                [
                    c.name,
                    f"{c.others.mean:.1f} (n={c.others.n})" if c.others else "–",
                    _num(c.self_mean),
                    "–" if c.gap is None else f"{c.gap:+.1f}",
                ]
                for c in summary.priorities
            ],
        )
    )
    parts.append(heading("Every behaviour"))
    for c in summary.competencies:
        lines: list[tuple[str, str]] = []
        for i in c.items:
            for f in i.figures:
                if (f.line, f.label) not in lines and f.line != ALL:
                    lines.append((f.line, f.label))
        header = ["behaviour", "self", "all raters", *(label for _, label in lines), "can't say"]
        rows = []
        for i in c.items:
            by_line = {f.line: f for f in i.figures}
            row = [i.text, _num(i.self_rating)]
            for key in [ALL, *(k for k, _ in lines)]:
                shown = by_line.get(key)
                row.append(f"{shown.mean:.1f} (n={shown.n})" if shown else "–")
            row.append("–" if i.cant_say is None else str(i.cant_say))
            rows.append(row)
        parts += [W.HTML(value=f"<b>{html.escape(c.name)}</b>"), _table(header, rows)]
    parts.append(draw(item_spread(summary)))
    parts.append(heading("In their own words"))
    parts.append(W.Label(value="Comments from all raters together, in random order, without names or groups."))
    for question, texts in summary.comments:
        parts.append(W.HTML(value=f"<b>{html.escape(question)}</b>"))
        parts += [para(f"“{t}”", css="coachkit-comment") for t in texts] or [W.Label(value="(no comments)")]
    return W.VBox(parts)


def profile_widget(
    profile: IpipProfile | None, percentiles: dict[str, float] | None = None, draw: Draw = chart
) -> W.VBox:
    """The IPIP-50 profile: chart, the scores as a table, and what the numbers mean."""
    parts: list[W.Widget] = [heading("Personality profile (IPIP-50)")]
    if profile is None:
        parts.append(notice("The profile appears once all 50 statements are answered."))
        return W.VBox(parts)
    parts.append(draw(ipip_profile(profile, percentiles)))
    header = ["factor", "score (10-50)", "mean (1-5)"] + (["percentile in this practice"] if percentiles else [])
    rows = [
        [s.factor, str(s.score), f"{s.mean:.1f}"]
        + ([f"{percentiles[s.factor]:.0f}"] if percentiles and s.factor in percentiles else [])
        for s in profile.scores
    ]
    parts.append(_table(header, rows))
    parts.append(
        W.Label(
            value="Raw scores on their range: there are no published norms for this inventory, so none are invented."
        )
    )
    parts.append(para(IPIP50_CITATION))
    return W.VBox(parts)


def pulse_widget(results: Sequence[PulseResult], draw: Draw = chart) -> W.VBox:
    """The pulse: net score per goal over the rounds, a table with n, and pooled comments."""
    parts: list[W.Widget] = [heading("Change pulse")]
    if not results:
        parts.append(notice("No pulse round yet."))
        return W.VBox(parts)
    parts.append(draw(pulse_net(list(results))))
    rows = [
        [
            r.round_title,
            r.behaviour,
            f"{r.net:+.1f}" if r.net is not None else "too few answers",
            str(r.n),
            f"{r.better} / {r.same} / {r.worse}" if r.net is not None else "–",
        ]
        for r in results
    ]
    parts.append(_table(["round", "goal (as raters saw it)", "net", "n", "better / same / worse"], rows))
    parts.append(W.Label(value=f"A net of +{MEANINGFUL_CHANGE:.0f} or more is a change others clearly notice."))
    for r in results:
        if r.comments:
            parts.append(W.HTML(value=f"<b>{html.escape(r.round_title)}: {html.escape(r.behaviour)}</b>"))
            parts += [para(f"“{t}”", css="coachkit-comment") for t in r.comments]
    return W.VBox(parts)
