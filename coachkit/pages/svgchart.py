"""Draw coachkit's plotly figures as small static SVG pictures, in served pages and in the
coach's workbooks alike.

Loading plotly.js in a browser (about 5 MB) and drawing with it takes seconds on a small
machine; a dashboard has to be usable in about one, a workbook in JupyterLab in about three.
The charts stay plotly figures (:mod:`coachkit.charts`, drawn by plotly.js in reports only);
here the few shapes they use are drawn as SVG: line and step traces on a date, number or
category axis with the axes' titles, straight marks across the plot (today's dotted line, a
zero line, the pulse's +1 line with its note), the "nothing yet" message of an empty chart,
and charts made of rows (:mod:`coachkit.pages.svgrows`: bars, dots and lines on category rows,
such as the goal timeline, the self-assessment dumbbells, closure outcomes and the 360 and
IPIP-50 charts).

The SVG holds numbers, dates, the figure's own titles and its row labels, never a trace's
name: names can be client text (a goal's objective), so :func:`legend` hands them back for the
page to show as text beside the picture. Row labels can be client text too (goal names): every
piece of text is escaped, and the widget showing the picture is kept from MathJax.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

from coachkit.charts.base import PALETTE

WIDTH = 900
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#e6e9ed"
TOP = 64
"""Room above the plot for the title (what :func:`coachkit.charts.base.styled` keeps at least)."""


@dataclasses.dataclass(frozen=True)
class LegendEntry:
    """One line of a chart's legend: the colour and the trace's name (plain text)."""

    colour: str
    name: str


def legend(fig: go.Figure) -> list[LegendEntry]:
    """The named traces of a figure with their colours (a hollow marker's: its outline's), names
    unescaped to plain text."""
    out = []
    for i, trace in enumerate(_traces(fig)):
        name = trace.get("name")
        if name and trace.get("showlegend", True) is not False:
            colour = trace_colour(trace, i, fig)
            outline = ((trace.get("marker") or {}).get("line") or {}).get("color")
            if colour.lower() in ("white", "#fff", "#ffffff") and isinstance(outline, str):
                colour = outline
            out.append(LegendEntry(colour, html.unescape(str(name))))
    return out


def figure_svg(fig: go.Figure, width: int = WIDTH) -> str:
    """The figure as an SVG element (scales to its container's width)."""
    layout: dict[str, Any] = fig.to_plotly_json()["layout"]
    height = int(layout.get("height") or 380)
    margin = {"l": 60, "r": 20, "t": 50, "b": 50, **(layout.get("margin") or {})}
    # The figure keeps room above the plot for plotly's legend; here the legend is text below.
    spare = max(0, int(margin["t"]) - TOP)
    height, margin["t"] = height - spare, int(margin["t"]) - spare
    parts: list[str] = []
    title = ((layout.get("title") or {}).get("text")) or ""
    if title:
        parts.append(text(12, 26, plain(title), size=17, weight="600"))
    traces = _traces(fig)
    if not traces:
        for note in layout.get("annotations") or []:
            message = plain(str(note.get("text", "")))
            parts.append(text(width / 2, height / 2 + 10, message, anchor="middle", fill=MUTED))
        return _svg(width, height, parts)
    box = Box(margin["l"], margin["t"] - 10, width - margin["r"], height - margin["b"] + 10)
    from coachkit.pages import svgrows  # it draws with this module's plumbing

    if svgrows.is_rows(traces):
        parts += svgrows.rows_parts(fig, traces, layout, box)
    else:
        parts += _lines(fig, traces, layout, box)
    return _svg(width, height, parts)


# -- lines on a date, number or category axis -------------------------------------------------


def _lines(fig: go.Figure, traces: list[dict[str, Any]], layout: dict[str, Any], box: Box) -> list[str]:
    xs_all = [x for t in traces for x in (t.get("x") or [])]
    ys_all = [float(y) for t in traces for y in (t.get("y") or []) if is_number(y)]
    xaxis = Axis.of(xs_all, (layout.get("xaxis") or {}).get("range"), pad=True)
    yrange = (layout.get("yaxis") or {}).get("range")
    ymin = min([0.0, *ys_all])
    yaxis = Axis.numeric(ys_all or [0.0, 1.0], yrange, floor=ymin)
    parts = _grid(xaxis, yaxis, box, (layout.get("yaxis") or {}).get("dtick"))
    parts += _titles(layout, box)
    parts += marks(layout, xaxis, yaxis, box)
    for i, trace in enumerate(traces):
        colour = trace_colour(trace, i, fig)
        points = [
            (box.x(xaxis.pos(x)), box.y(yaxis.pos(float(y))))
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False)
            if is_number(y)
        ]
        if not points:
            continue
        step = ((trace.get("line") or {}).get("shape")) == "hv"
        path = _path(points, step)
        mode = str(trace.get("mode") or "lines+markers")
        if "lines" in mode and len(points) > 1:
            parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        if "markers" in mode:
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in points]
    return parts


def _titles(layout: dict[str, Any], box: Box) -> list[str]:
    """The axes' own titles (coachkit's words, never client text): below and beside the plot."""
    parts = []
    below = (((layout.get("xaxis") or {}).get("title") or {}).get("text")) or ""
    if below:
        parts.append(text((box.left + box.right) / 2, box.bottom + 42, plain(below), anchor="middle", size=12))
    beside = (((layout.get("yaxis") or {}).get("title") or {}).get("text")) or ""
    if beside:
        middle = (box.top + box.bottom) / 2
        parts.append(
            f'<g transform="translate(14 {middle:.1f}) rotate(-90)">'
            + text(0, 0, plain(beside), anchor="middle", fill=MUTED, size=12)
            + "</g>"
        )
    return parts


def marks(layout: dict[str, Any], xaxis: Axis, yaxis: Axis | None, box: Box) -> list[str]:
    """The figure's straight lines across the plot: vertical ones at an x value (today, the
    360 gap bands) and, where there is a y axis, horizontal ones at a y value (zero, the pulse's
    +1) with their annotation text (coachkit's words) at the right end."""
    parts = []
    for shape in layout.get("shapes") or []:
        if shape.get("type") != "line":
            continue
        line = shape.get("line") or {}
        colour = line.get("color") or "#868e96"
        dash = ' stroke-dasharray="3 4"' if line.get("dash") else ""
        style = f'stroke="{colour}" stroke-width="1.5"{dash}'
        x0, y0 = shape.get("x0"), shape.get("y0")
        if str(shape.get("xref", "x")).startswith("x") and "domain" not in str(shape.get("xref", "")):
            if x0 is None or x0 != shape.get("x1") or (xaxis.kind == "number" and not is_number(x0)):
                continue
            x = box.x(xaxis.pos(x0))
            if box.left - 1 <= x <= box.right + 1:
                parts.append(f'<line x1="{x:.1f}" y1="{box.top:.1f}" x2="{x:.1f}" y2="{box.bottom:.1f}" {style}/>')
        elif yaxis is not None and is_number(y0) and y0 == shape.get("y1"):
            y = box.y(yaxis.pos(float(y0)))
            parts.append(f'<line x1="{box.left:.1f}" y1="{y:.1f}" x2="{box.right:.1f}" y2="{y:.1f}" {style}/>')
    for note in layout.get("annotations") or [] if yaxis is not None else []:
        if note.get("yref") == "y" and is_number(note.get("y")) and note.get("text"):
            y = box.y(yaxis.pos(float(note["y"]))) - 6  # type: ignore[union-attr]
            parts.append(text(box.right - 4, y, plain(str(note["text"])), anchor="end", fill=MUTED, size=12))
    return parts


def polar(cx: float, cy: float, reach: float, degrees: float) -> tuple[float, float]:
    """The point ``reach`` away from (cx, cy), ``degrees`` clockwise from straight up."""
    turn = math.radians(degrees)
    return cx + reach * math.sin(turn), cy - reach * math.cos(turn)


def _path(points: list[tuple[float, float]], step: bool) -> str:
    out = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for x, y in points[1:]:
        out.append(f"H{x:.1f}V{y:.1f}" if step else f"L{x:.1f},{y:.1f}")
    return "".join(out)


def _grid(xaxis: Axis, yaxis: Axis, box: Box, dtick: Any) -> list[str]:
    parts = []
    for value in yaxis.ticks(dtick):
        y = box.y(yaxis.pos(value))
        parts.append(f'<line x1="{box.left}" y1="{y:.1f}" x2="{box.right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(text(box.left - 8, y + 5, number(value), anchor="end", fill=MUTED, size=13))
    for value, label in xaxis.labelled_ticks():
        x = box.x(xaxis.pos(value))
        parts.append(f'<line x1="{x:.1f}" y1="{box.bottom}" x2="{x:.1f}" y2="{box.bottom + 5}" stroke="{MUTED}"/>')
        parts.append(text(x, box.bottom + 22, label, anchor="middle", fill=MUTED, size=13))
    parts.append(f'<line x1="{box.left}" y1="{box.bottom}" x2="{box.right}" y2="{box.bottom}" stroke="{MUTED}"/>')
    return parts


# -- plumbing ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Box:
    """The plotting area, in SVG units."""

    left: float
    top: float
    right: float
    bottom: float

    def x(self, fraction: float) -> float:
        return self.left + fraction * (self.right - self.left)

    def y(self, fraction: float) -> float:
        return self.bottom - fraction * (self.bottom - self.top)


@dataclasses.dataclass(frozen=True)
class Axis:
    """A date, number or category axis mapped onto 0..1."""

    kind: str  # "date", "number" or "category"
    lo: float
    hi: float
    categories: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Sequence[Any], given: Sequence[Any] | None, *, pad: bool) -> Axis:
        dated = bool(given) and all(as_date(v) is not None for v in given or ())
        if (values or dated) and all(as_date(v) is not None for v in values):
            if given and len(given) == 2 and all(as_date(v) is not None for v in given):
                first, last = (as_date(v).toordinal() for v in given)  # type: ignore[union-attr]
                return cls("date", float(first), float(last))
            days = [as_date(v).toordinal() for v in values]  # type: ignore[union-attr]
            lo, hi = min(days), max(days)
            if lo == hi:
                lo, hi = lo - 7, hi + 7
            extra = (hi - lo) * 0.04 if pad else 0
            return cls("date", lo - extra, hi + extra)
        if values and all(is_number(v) for v in values):
            return cls.numeric([float(v) for v in values], given, floor=None, pad=pad)
        cats = tuple(dict.fromkeys(str(v) for v in values))
        return cls("category", -0.5, len(cats) - 0.5, cats)

    @classmethod
    def numeric(
        cls, values: Sequence[float], given: Sequence[Any] | None, *, floor: float | None, pad: bool = True
    ) -> Axis:
        if given and len(given) == 2 and all(is_number(v) for v in given):
            return cls("number", float(given[0]), float(given[1]))
        lo = min(values) if floor is None else min(floor, *values)
        hi = max(values)
        if hi == lo:
            hi = lo + 1
        return cls("number", lo, hi + ((hi - lo) * 0.08 if pad else 0))

    def pos(self, value: Any) -> float:
        if self.kind == "date":
            d = as_date(value)
            v = float(d.toordinal()) if d is not None else self.lo
        elif self.kind == "category":
            v = float(self.categories.index(str(value))) if str(value) in self.categories else self.lo
        else:
            v = float(value)
        return (v - self.lo) / ((self.hi - self.lo) or 1.0)

    def ticks(self, dtick: Any) -> list[float]:
        step = float(dtick) if is_number(dtick) and float(dtick) > 0 else _nice_step(self.hi - self.lo)
        first = math.ceil(self.lo / step) * step
        out: list[float] = []
        value = first
        while value <= self.hi + 1e-9 and len(out) < 50:
            out.append(round(value, 6))
            value += step
        return out

    def labelled_ticks(self) -> list[tuple[Any, str]]:
        if self.kind == "category":
            return [(c, c if len(c) <= 16 else c[:15] + "…") for c in self.categories]
        if self.kind == "number":
            return [(v, number(v)) for v in self.ticks(None)]
        span = self.hi - self.lo
        step = max(1, int(_nice_step(span, target=6)))
        months = span > 75
        out: list[tuple[Any, str]] = []
        day = math.ceil(self.lo)
        while day <= self.hi:
            d = date.fromordinal(int(day))
            if months:
                if d.day == 1:
                    out.append((d.isoformat(), f"{d:%b %Y}" if d.month == 1 or not out else f"{d:%b}"))
                day += 1
            else:
                out.append((d.isoformat(), f"{d.day} {d:%b}"))
                day += step
        if months and len(out) > 8:
            out = out[:: math.ceil(len(out) / 8)]
        return out


def _nice_step(span: float, target: int = 5) -> float:
    raw = max(span, 1e-9) / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _traces(fig: go.Figure) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = fig.to_plotly_json()["data"]
    return data


def trace_colour(trace: dict[str, Any], index: int, fig: go.Figure | None) -> str:
    """A trace's colour: its own, else the figure's colourway's (coachkit's palette)."""
    marker = trace.get("marker") or {}
    if isinstance(marker.get("color"), str):
        return str(marker["color"])
    line = trace.get("line") or {}
    if isinstance(line.get("color"), str):
        return str(line["color"])
    colours = (fig.layout.colorway if fig is not None else None) or PALETTE
    return str(colours[index % len(colours)])


def as_date(value: Any) -> date | None:
    """``value`` as a date when it is one (or a ``YYYY-MM-DD`` string), else None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def is_number(value: Any) -> bool:
    """Whether ``value`` is a finite number (or a string holding one)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(float(value))
    if isinstance(value, str):
        try:
            return math.isfinite(float(value))
        except ValueError:
            return False
    return False


def number(value: float) -> str:
    """A number as a tick label: whole numbers without a decimal point."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def plain(text: str) -> str:
    """Figure text (plotly escapes HTML in it) made plain again, for :func:`text` to escape."""
    return html.unescape(text)


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    size: int = 15,
    weight: str = "400",
) -> str:
    """An SVG text element holding ``content``, escaped."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}" '
        f'font-weight="{weight}">{html.escape(content)}</text>'
    )


def _svg(width: int, height: int, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" style="max-width:{width}px;font-family:{FONT}">' + "".join(parts) + "</svg>"
    )
