"""Charts drawn as rows (for :mod:`coachkit.pages.svgchart`): a category axis down the side and a
number, date or category axis along the bottom. A row holds horizontal bars (stacked, from a
base, either side of zero, one colour per bar), dots (filled or hollow circles, diamonds, stars,
start ticks) and lines joining them (a dumbbell's now-to-wanted bar, a goal's span from its
start to its target date), with dotted vertical marks (today, the gap bands).

This is how the 360 summary, the IPIP-50 profile, the sessions bar, the goal timeline, the
self-assessment dumbbells and the closure outcomes are drawn. Row labels are the figure's own
categories: the competency model's names and the five factors, but also goal objectives and
life-balance areas, which are client text: each is escaped, and a page holding the picture
marks it so MathJax leaves it alone (:func:`coachkit.pages.web.chart`). A trace's name never
enters the picture (see :func:`svgchart.legend`).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from coachkit.pages import svgchart as S

LABEL_CHARS = 44
ROW_FONT = 13


def is_rows(traces: list[dict[str, Any]]) -> bool:
    """Whether every trace is a horizontal bar or a scatter on category rows (dots or lines)."""
    drawn = [t for t in traces if t.get("x") or t.get("y")]  # an empty trace fits either kind
    return bool(drawn) and all(_is_bar(t) or _is_on_rows(t) for t in drawn)


def rows_parts(fig: go.Figure, traces: list[dict[str, Any]], layout: dict[str, Any], box: S.Box) -> list[str]:
    """The SVG parts of a rows chart inside ``box`` (the left edge moves right for the labels)."""
    rows: list[str] = []
    for t in traces:
        for y in t.get("y") or []:
            if str(y) not in rows:
                rows.append(str(y))
    labels = [_clip(S.plain(r)) for r in rows]
    left = max(box.left, min(box.right * 0.4, 14 + 7.0 * max((len(label) for label in labels), default=0)))
    box = S.Box(left, box.top, box.right, box.bottom)
    stacked = layout.get("barmode") == "stack"
    bars = [t for t in traces if _is_bar(t)]
    spans = _spans(bars, rows, stacked)
    xlayout = layout.get("xaxis") or {}
    axis = _axis(traces, spans, xlayout)
    band = (box.bottom - box.top) / max(1, len(rows))
    parts = _ticks(axis, xlayout, box)
    parts += S.marks(layout, axis, None, box)
    for row, label in enumerate(labels):
        centre = box.top + (row + 0.5) * band
        parts.append(S.text(box.left - 10, centre + 5, label, anchor="end", fill=S.INK, size=ROW_FONT))
    for lo, hi, name, colour, label, outside, slot, slots in spans:
        x0, x1 = box.x(axis.pos(lo)), box.x(axis.pos(hi))
        height = band * 0.6 / slots
        top = box.top + rows.index(name) * band + band * 0.2 + slot * height
        parts.append(
            f'<rect x="{min(x0, x1):.1f}" y="{top:.1f}" width="{abs(x1 - x0):.1f}" height="{height:.1f}" '
            f'fill="{colour}"/>'
        )
        if label and outside:
            right = hi >= lo
            at = (max(x0, x1) + 6) if right else (min(x0, x1) - 6)
            parts.append(S.text(at, top + height / 2 + 5, label, anchor="start" if right else "end", size=13))
        elif label and abs(x1 - x0) > 18:
            ink = S.INK if colour.lower() in ("#dee2e6", "#e9ecef", "#f1f3f5") else "#ffffff"
            parts.append(S.text((x0 + x1) / 2, top + height / 2 + 5, label, anchor="middle", fill=ink, size=14))
    scatters = [(i, t) for i, t in enumerate(traces) if _is_on_rows(t)]
    for i, trace in scatters:  # lines first, so every dot sits on top of them
        if "lines" in str(trace.get("mode") or ""):
            parts += _row_lines(fig, trace, i, rows, axis, box, band)
    for i, trace in scatters:
        if "markers" in str(trace.get("mode") or ""):
            parts += _dots(fig, trace, i, rows, axis, box, band)
    return parts


def _axis(traces: list[dict[str, Any]], spans: list[Any], xlayout: dict[str, Any]) -> S.Axis:
    """The axis along the bottom: categories (in the layout's order), dates, or numbers."""
    xs = [x for t in traces if _is_on_rows(t) for x in t.get("x") or [] if x is not None]
    order = xlayout.get("categoryarray")
    if order or (xs and not all(S.is_number(x) or S.as_date(x) for x in xs)):
        categories = tuple(dict.fromkeys([*(str(c) for c in order or ()), *(str(x) for x in xs)]))
        return S.Axis("category", -0.5, len(categories) - 0.5, categories)
    if xlayout.get("type") == "date" or (xs and all(S.as_date(x) for x in xs)):
        return S.Axis.of(xs, xlayout.get("range"), pad=True)
    values = [0.0] if spans else []
    values += [v for (lo, hi, *_rest) in spans for v in (lo, hi)]
    values += [float(x) for x in xs if S.is_number(x)]
    return S.Axis.numeric(values or [0.0, 1.0], xlayout.get("range"), floor=None, pad=False)


def _ticks(axis: S.Axis, xlayout: dict[str, Any], box: S.Box) -> list[str]:
    parts: list[str] = []
    if axis.kind == "number":
        ticks = [(v, S.number(v)) for v in axis.ticks(xlayout.get("dtick"))]
    else:
        ticks = [(v, label) for v, label in axis.labelled_ticks()]
    for value, label in ticks:
        x = box.x(axis.pos(value))
        parts.append(f'<line x1="{x:.1f}" y1="{box.top}" x2="{x:.1f}" y2="{box.bottom}" stroke="{S.GRID}"/>')
        parts.append(S.text(x, box.bottom + 20, label, anchor="middle", fill=S.MUTED, size=13))
    title = ((xlayout.get("title") or {}).get("text")) or ""
    if title:
        parts.append(S.text((box.left + box.right) / 2, box.bottom + 40, S.plain(title), anchor="middle", size=12))
    return parts


def _spans(
    bars: list[dict[str, Any]], rows: list[str], stacked: bool
) -> list[tuple[float, float, str, str, str, bool, int, int]]:
    """Each bar as (start, end, row, colour, text, text outside, slot, slots in the row)."""
    out = []
    start = dict.fromkeys(rows, 0.0)
    slots = 1 if stacked else max(1, len(bars))
    for index, trace in enumerate(bars):
        colours = (trace.get("marker") or {}).get("color")
        texts = list(trace.get("text") or [])
        bases = trace.get("base")
        outside = trace.get("textposition") == "outside"
        for j, (x, y) in enumerate(zip(trace.get("x") or [], trace.get("y") or [], strict=False)):
            if not S.is_number(x) or (stacked and float(x) <= 0):
                continue
            base = _at(bases, j)
            lo = start[str(y)] if stacked else (base if base is not None else 0.0)
            hi = lo + float(x)
            if stacked:
                start[str(y)] = hi
            colour = _at(colours, j, str) or S.trace_colour(trace, index, None)
            text = str(texts[j]) if j < len(texts) and texts[j] is not None else ""
            if not outside and not S.is_number(text):
                text = ""
            shown = S.number(float(text)) if text and not outside else S.plain(text)
            out.append((lo, hi, str(y), colour, shown, outside, 0 if stacked else index, slots))
    return out


def _points(
    trace: dict[str, Any], rows: list[str], axis: S.Axis, box: S.Box, band: float
) -> list[tuple[int, str, float, float]]:
    """Each drawable point of a trace as (its index, its row, x, y) in SVG units."""
    out = []
    for j, (x, y) in enumerate(zip(trace.get("x") or [], trace.get("y") or [], strict=False)):
        if x is None or str(y) not in rows or not (axis.kind != "number" or S.is_number(x)):
            continue
        out.append((j, str(y), box.x(axis.pos(x)), box.top + (rows.index(str(y)) + 0.5) * band))
    return out


def _row_lines(
    fig: go.Figure, trace: dict[str, Any], index: int, rows: list[str], axis: S.Axis, box: S.Box, band: float
) -> list[str]:
    line = trace.get("line") or {}
    colour = line.get("color") if isinstance(line.get("color"), str) else S.trace_colour(trace, index, fig)
    width = min(12.0, max(1.5, float(line.get("width") or 2.5)))
    by_row: dict[str, list[tuple[float, float]]] = {}
    for _, row, x, y in _points(trace, rows, axis, box, band):
        by_row.setdefault(row, []).append((x, y))
    return [
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width:.1f}" stroke-linecap="round"/>'
        for pts in by_row.values()
        if len(pts) > 1
    ]


def _dots(
    fig: go.Figure, trace: dict[str, Any], index: int, rows: list[str], axis: S.Axis, box: S.Box, band: float
) -> list[str]:
    marker = trace.get("marker") or {}
    edge = marker.get("line") or {}
    own = S.trace_colour(trace, index, fig)
    parts = []
    for j, _, cx, cy in _points(trace, rows, axis, box, band):
        fill = _at(marker.get("color"), j, str) or own
        size = _at(marker.get("size"), j) or 8.0
        symbol = _at(marker.get("symbol"), j, str) or "circle"
        stroke_colour = _at(edge.get("color"), j, str)
        stroke_width = _at(edge.get("width"), j) or 0.0
        stroke = f' stroke="{stroke_colour}" stroke-width="{stroke_width:g}"' if stroke_colour and stroke_width else ""
        parts.append(_symbol(symbol, cx, cy, min(11.0, max(3.0, size / 2)), fill, stroke))
    return parts


def _symbol(symbol: str, cx: float, cy: float, r: float, fill: str, stroke: str) -> str:
    """One marker: a circle, a diamond, a five-pointed star or a short upright tick."""
    if symbol == "line-ns":
        return (
            f'<line x1="{cx:.1f}" y1="{cy - r:.1f}" x2="{cx:.1f}" y2="{cy + r:.1f}" stroke="{fill}" stroke-width="3"/>'
        )
    if symbol == "diamond":
        corners = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
    elif symbol == "star":
        corners = []
        for k in range(10):
            reach = r if k % 2 == 0 else r * 0.45
            corners.append(S.polar(cx, cy, reach, k * 36.0))
    else:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{fill}"{stroke}/>'
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    return f'<polygon points="{points}" fill="{fill}"{stroke}/>'


def _is_bar(trace: dict[str, Any]) -> bool:
    return trace.get("type") == "bar" and trace.get("orientation") == "h"


def _is_on_rows(trace: dict[str, Any]) -> bool:
    ys = trace.get("y") or []
    return (
        trace.get("type") in (None, "scatter")
        and bool(ys)
        and not any(S.is_number(y) or S.as_date(y) for y in ys)
        and any(part in str(trace.get("mode") or "markers") for part in ("markers", "lines"))
    )


def _at(values: Any, j: int, kind: type = float) -> Any:
    listed = isinstance(values, (list, tuple))
    value = (values[j] if j < len(values) else None) if listed else values
    if value is None:
        return None
    if kind is str:
        return value if isinstance(value, str) else None
    return float(value) if S.is_number(value) else None


def _clip(label: str) -> str:
    one_line = " ".join(label.replace("<br>", " ").split())
    return one_line if len(one_line) <= LABEL_CHARS else one_line[: LABEL_CHARS - 1] + "…"
