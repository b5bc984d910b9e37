"""Charts drawn as rows (for :mod:`coachkit.pages.svgchart`): horizontal bars (stacked, from a
base, either side of zero, one colour per bar) and dot rows (a category axis down the side, a
number axis along the bottom), with dotted vertical marks. This is how the 360 summary, the
IPIP-50 profile and the sessions bar are drawn on a served page.

Row labels are the figure's own categories (the competency model's names, the five factors,
"sessions"), escaped; a trace's name never enters the picture (see :func:`svgchart.legend`).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from coachkit.pages import svgchart as S

LABEL_CHARS = 44
ROW_FONT = 13


def is_rows(traces: list[dict[str, Any]]) -> bool:
    """Whether every trace is a horizontal bar or a dot row (markers on category rows)."""
    return bool(traces) and all(_is_bar(t) or _is_dots(t) for t in traces)


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
    values = [0.0] if bars else []
    values += [v for (lo, hi, *_rest) in spans for v in (lo, hi)]
    values += [float(x) for t in traces if _is_dots(t) for x in t.get("x") or [] if S.is_number(x)]
    xlayout = layout.get("xaxis") or {}
    axis = S.Axis.numeric(values or [0.0, 1.0], xlayout.get("range"), floor=None, pad=False)
    band = (box.bottom - box.top) / max(1, len(rows))
    parts: list[str] = []
    for value in axis.ticks(xlayout.get("dtick")):
        x = box.x(axis.pos(value))
        parts.append(f'<line x1="{x:.1f}" y1="{box.top}" x2="{x:.1f}" y2="{box.bottom}" stroke="{S.GRID}"/>')
        parts.append(S.text(x, box.bottom + 20, S.number(value), anchor="middle", fill=S.MUTED, size=13))
    title = ((xlayout.get("title") or {}).get("text")) or ""
    if title:
        parts.append(S.text((box.left + box.right) / 2, box.bottom + 40, S.plain(title), anchor="middle", size=12))
    for shape in layout.get("shapes") or []:
        if shape.get("type") == "line" and S.is_number(shape.get("x0")):
            x = box.x(axis.pos(float(shape["x0"])))
            colour = (shape.get("line") or {}).get("color") or "#868e96"
            dash = ' stroke-dasharray="3 4"' if (shape.get("line") or {}).get("dash") else ""
            parts.append(
                f'<line x1="{x:.1f}" y1="{box.top:.1f}" x2="{x:.1f}" y2="{box.bottom:.1f}" '
                f'stroke="{colour}" stroke-width="1.5"{dash}/>'
            )
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
    for i, trace in enumerate(traces):
        if _is_dots(trace):
            parts += _dots(fig, trace, i, rows, axis, box, band)
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


def _dots(
    fig: go.Figure, trace: dict[str, Any], index: int, rows: list[str], axis: S.Axis, box: S.Box, band: float
) -> list[str]:
    marker = trace.get("marker") or {}
    fill = marker.get("color") if isinstance(marker.get("color"), str) else S.trace_colour(trace, index, fig)
    edge = (marker.get("line") or {}).get("color")
    width = (marker.get("line") or {}).get("width") or 0
    radius = min(9.0, max(3.0, float(marker.get("size") or 8) / 2))
    stroke = f' stroke="{edge}" stroke-width="{width}"' if isinstance(edge, str) and width else ""
    parts = []
    for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
        if not S.is_number(x) or str(y) not in rows:
            continue
        cx, cy = box.x(axis.pos(float(x))), box.top + (rows.index(str(y)) + 0.5) * band
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{fill}"{stroke}/>')
    return parts


def _is_bar(trace: dict[str, Any]) -> bool:
    return trace.get("type") == "bar" and trace.get("orientation") == "h"


def _is_dots(trace: dict[str, Any]) -> bool:
    ys = trace.get("y") or []
    return (
        trace.get("type") == "scatter"
        and "markers" in str(trace.get("mode") or "")
        and bool(ys)
        and not any(S.is_number(y) for y in ys)
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
