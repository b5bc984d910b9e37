"""Small HTML builders for the progress report: every piece of client text goes through
:func:`text` (``html.escape``), charts are embedded with a div id derived from their content so
the same data always gives the same bytes, and plotly.js itself is left to the exporter, which
puts it into the page once."""

from __future__ import annotations

import dataclasses
import hashlib
import html
from collections.abc import Iterable, Sequence
from datetime import date

import plotly.graph_objects as go

from coachkit.charts.base import interactive

CHART_CONFIG = {"displayModeBar": False, "responsive": True}


@dataclasses.dataclass(frozen=True)
class Section:
    """One part of a report, displayed by the notebook as HTML."""

    name: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the plain-text form carries no client text
        return f"<report section: {self.name}>"


def text(value: str) -> str:
    """Client text as HTML text: escaped, line breaks kept."""
    return html.escape(value, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def day(value: date | None) -> str:
    """``21 Nov 2026`` (or an en dash for no date); no locale involved."""
    if value is None:
        return "–"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def section(name: str, heading: str, *parts: str) -> Section:
    """A report section with its heading (``heading`` is our own words, not client text)."""
    body = "\n".join(p for p in parts if p)
    return Section(name, f'<section class="ck-section ck-{name}">\n<h2>{heading}</h2>\n{body}\n</section>')


def para(content: str, cls: str = "") -> str:
    """A paragraph of already-escaped content."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{content}</p>"


def facts(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of labels (our words) and already-escaped values."""
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows if value)
    return f'<table class="ck-facts">{body}</table>' if body else ""


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "ck-table") -> str:
    """A table with our headers and already-escaped cells."""
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def items(entries: Iterable[str], cls: str = "") -> str:
    """A bulleted list of already-escaped entries."""
    lis = "".join(f"<li>{e}</li>" for e in entries)
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>{lis}</ul>" if lis else ""


def badge(label: str, kind: str = "") -> str:
    """A small label such as a status (``kind`` picks its colour)."""
    return f'<span class="ck-badge ck-badge-{kind or "plain"}">{html.escape(label)}</span>'


def chart(fig: go.Figure, name: str) -> str:
    """A plotly figure as an HTML fragment without plotly.js (the exporter adds it once per
    report), drawn with plotly's white template. The div id comes from the figure's content, so it
    is the same on every run."""
    interactive(fig)
    if fig.layout.showlegend is not False and len(fig.data) > 1:
        # The legend sits below the plot, where an x-axis title would print on top of it; the
        # axis holds dates or counts that the chart's title already names.
        fig.update_xaxes(title_text=None)
    digest = hashlib.sha256(f"{name}\n{fig.to_json()}".encode()).hexdigest()[:12]
    fragment = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}-{digest}",
        config=CHART_CONFIG,
        default_width="100%",
    )
    return f'<figure class="ck-chart">{fragment}</figure>'
