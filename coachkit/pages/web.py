"""What every page served to a client, a sponsor or a rater shares: the request's query string,
the "not valid" and trouble pages, the look, charts as pictures, and text shown as text. The
path a visit takes (the link checked at every action) is :mod:`coachkit.pages.served`.

A served page runs in a kernel that Voilà may have started before anyone asked for it (a
preheated kernel). Such a page does its slow work first (imports, opening the practice,
warming plotly), then calls :func:`request_query` and only then reads client data, and only
the data the link's audience may see.
"""

from __future__ import annotations

import asyncio
import contextlib
import html as markup_escape
import io
import logging
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import NewType

import ipywidgets as W
import plotly.graph_objects as go

from coachkit.charts.base import styled
from coachkit.forms.base import text_label
from coachkit.forms.shared import is_shared, shared
from coachkit.pages.svgchart import figure_svg, legend
from coachkit.plain import NO_MATH_CLASS
from coachkit.practice import Practice
from coachkit.services import visits

log = logging.getLogger("coachkit.pages")

PAGE_CSS = """<style>
body.jp-Notebook { background: #f6f8fa; }
#rendered_cells > div { max-width: 1040px; margin: 0 auto; }
.jp-Cell, .jp-OutputArea-output { overflow: visible; }
.coachkit-page { font-size: 16px; color: #1f2328; gap: 4px; }
.coachkit-page .widget-label { font-size: 16px; }
.coachkit-title.widget-label { font-size: 32px; font-weight: 700; height: auto; line-height: 1.25;
  margin: 8px 0 2px; white-space: normal; }
.coachkit-subtitle.widget-label { color: #57606a; height: auto; white-space: normal; }
.coachkit-section-title.widget-label { font-size: 22px; font-weight: 600; height: auto; line-height: 1.3;
  margin: 24px 0 4px; white-space: normal; }
.coachkit-card { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; padding: 12px 18px;
  margin: 6px 0; }
.coachkit-goal-title.widget-label { font-size: 18px; font-weight: 600; height: auto; white-space: pre-wrap;
  line-height: 1.35; }
.coachkit-wrap.widget-label { white-space: pre-wrap; height: auto; line-height: 1.5; overflow: visible; }
.coachkit-muted.widget-label { color: #57606a; }
.coachkit-overdue.widget-label { color: #c92a2a; font-weight: 600; }
.coachkit-done.widget-label { color: #2f9e44; }
.coachkit-phases { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0 6px; }
.coachkit-phase { border-radius: 14px; padding: 2px 10px; font-size: 13px; background: #eaeef2; color: #57606a; }
.coachkit-phase-done { background: #d3f9d8; color: #2b8a3e; }
.coachkit-phase-current { background: #1f6feb; color: #ffffff; font-weight: 600; }
.coachkit-chart { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; padding: 8px 12px;
  margin: 6px 0; }
.coachkit-open { margin: 6px 0; font-size: 15px; align-self: flex-start; padding: 0 20px; }
.coachkit-form { background: #ffffff; border-radius: 10px; }
.coachkit-form-title.widget-label { font-size: 20px; font-weight: 600; height: auto; }
.coachkit-form textarea, .coachkit-form input { font-size: 16px; }
.coachkit-status.widget-label { font-weight: 600; white-space: normal; height: auto; margin-left: 12px; }
.coachkit-field-message.widget-label { color: #c92a2a; white-space: normal; height: auto; }
.coachkit-notice-warning.widget-label { color: #9c4221; white-space: normal; height: auto; }
.coachkit-notice-success.widget-label { color: #2b8a3e; white-space: normal; height: auto; }
.coachkit-notice-info.widget-label { white-space: normal; height: auto; }
.coachkit-invalid { margin-top: 60px; }
.coachkit-block .widget-html-content { font-size: 16px; line-height: 1.5; }
.coachkit-block .coachkit-title { font-size: 32px; font-weight: 700; line-height: 1.25; margin: 8px 0 2px; }
.coachkit-block .coachkit-subtitle { color: #57606a; }
.coachkit-block .coachkit-goal-title { font-size: 18px; font-weight: 600; line-height: 1.35; white-space: pre-wrap; }
.coachkit-block .coachkit-wrap { white-space: pre-wrap; }
.coachkit-block .coachkit-muted { color: #57606a; }
.coachkit-block .coachkit-overdue { color: #c92a2a; font-weight: 600; }
.coachkit-block .coachkit-line { margin: 2px 0; }
.coachkit-row { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
.coachkit-bar { width: 300px; height: 12px; background: #eaeef2; border-radius: 6px; overflow: hidden; }
.coachkit-bar > div { height: 100%; background: #1f6feb; }
</style>"""
"""Static CSS for every page. It never holds client text."""

NOT_VALID_TITLE = "This link is not valid"
NOT_VALID_TEXT = (
    "It may have expired, been replaced by a newer one, or been copied only in part. "
    "Please ask your coach for a new link."
)
PART_MISSING = "Part of this page could not be shown just now; please reload it in a minute."
AFTER_CELL = 0.05
"""Seconds after a page's cell has finished before :func:`later` work runs: the kernel first
tells Voilà the cell is done, so the page goes out without waiting for that work."""
TROUBLE_TEXT = "This page could not be shown just now. Please try again in a minute, or tell your coach."


def quiet_logs() -> None:
    """In a kernel started by Voilà, send coachkit's log lines to the kernel's own stderr (the
    server's console), never to the page. The lines name error types and places only, never
    client text. Elsewhere (tests, papermill) logging is left as it is."""
    if "VOILA_PREHEAT" not in os.environ:  # Voilà sets it in every kernel it starts
        return
    logger = logging.getLogger("coachkit")
    if not any(isinstance(h, _ConsoleHandler) for h in logger.handlers):
        handler = _ConsoleHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("[coachkit page] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)


class _ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Log lines to the server's console."""


def request_query() -> str | None:
    """Wait for the visitor's request and return its query string (None outside Voilà, e.g.
    under papermill). In a preheated kernel this is where the kernel waits for a visitor."""
    sink = io.StringIO()
    try:
        from voila.utils import get_query_string

        with warnings.catch_warnings(), contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
            warnings.simplefilter("ignore")
            query = get_query_string()
    except Exception as exc:
        log.error("could not read the request: %s", exc.__class__.__name__)
        return None
    return query or None


Markup = NewType("Markup", str)
"""HTML made by coachkit for a :func:`block`: program markup with every text in it escaped.
Only the functions below make it, so client text can reach a page as HTML only escaped."""


def _classes(classes: Sequence[str]) -> str:
    return markup_escape.escape(" ".join(classes), quote=True)


def line(value: str, *classes: str) -> Markup:
    """Text in a block, escaped (shown as written, never as HTML), with CSS classes;
    ``coachkit-wrap`` keeps its line breaks."""
    return Markup(f'<div class="{_classes(("coachkit-line", *classes))}">{markup_escape.escape(value)}</div>')


def chip(value: str, *classes: str) -> Markup:
    """A short text inside a line (a phase's name), escaped, with CSS classes."""
    return Markup(f'<span class="{_classes(classes)}">{markup_escape.escape(value)}</span>')


def group(parts: Sequence[Markup], *classes: str) -> Markup:
    """Parts of a block inside one element with CSS classes (``coachkit-card``, ``coachkit-row``)."""
    return Markup(f'<div class="{_classes(classes)}">{"".join(parts)}</div>')


def bar(value: int, top: int = 10) -> Markup:
    """A bar filled to ``value`` of ``top`` (a goal's progress), with the figure for screen readers."""
    share = max(0.0, min(1.0, value / top)) if top else 0.0
    return Markup(
        f'<div class="coachkit-bar" role="progressbar" aria-valuemin="0" aria-valuemax="{int(top)}"'
        f' aria-valuenow="{int(value)}"><div style="width: {share * 100:.0f}%"></div></div>'
    )


KEY_STYLE = "margin: 2px 16px 2px 0; padding-left: 8px; line-height: 1.5;"
"""A legend key's look, written into it: the same on a page and in a workbook."""
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-z]{3,20}|rgba?\([0-9., ]+\)")


def _colour(value: str) -> str:
    """A CSS colour as charts give it (``#1f6feb``, ``rgba(...)``, a name), else grey."""
    return value if _COLOUR.fullmatch(value) else "#868e96"


def block(parts: Sequence[Markup]) -> W.HTML:
    """What a page only shows (no input in it) as one widget: one model for the browser to
    build where labels and boxes would each be one. Never typeset as math."""
    return W.HTML(
        value="".join(parts),
        layout=shared("layout"),
        style=shared("html-style"),
        _dom_classes=(NO_MATH_CLASS, "coachkit-block"),
    )


def css() -> W.HTML:
    """The page's static style sheet as a widget."""
    return W.HTML(value=PAGE_CSS, layout=shared("hidden"), style=shared("html-style"))


def box(children: Sequence[W.Widget] = (), *classes: str, layout: str = "layout") -> W.VBox:
    """A vertical box."""
    return W.VBox(list(children), layout=shared(layout), _dom_classes=classes)


def text(value: str, *classes: str, layout: W.Layout | None = None) -> W.Label:
    """Text shown as text (never HTML, never typeset as math: a label's ``$...$`` stays as
    written), with CSS classes."""
    return text_label(value, *classes, layout=layout or shared("layout"))


def paragraph(value: str, *classes: str) -> W.Label:
    """Longer text that wraps onto several lines, shown as text."""
    return text(value, "coachkit-wrap", *classes)


def card(children: list[W.Widget], *classes: str) -> W.VBox:
    """A white box around related lines."""
    return box(children, "coachkit-card", *classes)


def section(title: str) -> W.Label:
    """A section heading."""
    return text(title, "coachkit-section-title")


def page(children: list[W.Widget]) -> W.VBox:
    """The page's outermost box, with the style sheet."""
    return box([css(), *children], "coachkit-page", layout="full")


def not_valid_page() -> W.VBox:
    """What a missing, wrong, expired or revoked link shows: no client data at all."""
    return page(
        [
            card(
                [
                    text(NOT_VALID_TITLE, "coachkit-title"),
                    paragraph(NOT_VALID_TEXT),
                ],
                "coachkit-invalid",
            )
        ]
    )


def trouble_page() -> W.VBox:
    """What a page shows when something failed on our side: a plain sentence, no details."""
    return page([card([text("Sorry", "coachkit-title"), paragraph(TROUBLE_TEXT)], "coachkit-invalid")])


def chart(fig: go.Figure | None = None) -> W.VBox:
    """A chart drawn as a static picture (see :mod:`coachkit.pages.svgchart`), with its legend
    shown as text below it."""
    frame = box((), "coachkit-chart", layout="full")
    if fig is not None:
        show_chart(frame, fig)
    return frame


def show_chart(frame: W.VBox, fig: go.Figure) -> None:
    """Replace what ``frame`` shows with ``fig``: the picture and its legend, one widget."""
    # Row labels and legend names may be client text (a goal's objective): escaped in the SVG and
    # in the legend, and left alone by MathJax.
    keys = [
        Markup(
            f'<span class="coachkit-key" style="{KEY_STYLE} border-left: 14px solid {_colour(entry.colour)};">'
            f"{markup_escape.escape(entry.name)}</span>"
        )
        for entry in legend(fig)
    ]
    picture = Markup(figure_svg(fig))
    legend_row = Markup(f'<div class="coachkit-keys" style="display: flex; flex-wrap: wrap;">{"".join(keys)}</div>')
    replace(frame, [block([picture, *([legend_row] if keys else [])])])


def later(work: Callable[[], None], delay: float = AFTER_CELL) -> None:
    """Run ``work`` on the kernel's own event loop (its main thread) just after the current cell,
    so that the page is sent first; at once outside a kernel (tests, scripts: an event loop that
    is not a kernel's, such as a browser driver's, may never run it). Widgets are only ever made
    on that thread: the widget manager's request for every widget's state must never see the set
    of widgets change under it."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None or not in_kernel():
        work()
        return
    loop.call_later(delay, work)


def in_kernel() -> bool:
    """Whether this process is an IPython kernel (where :func:`later` work runs after the cell)."""
    app = sys.modules.get("ipykernel.kernelapp")
    return app is not None and bool(app.IPKernelApp.initialized())


def drawn(draw: Callable[[], object], where: W.Box) -> bool:
    """Run ``draw``; when it fails, ``where`` says that part of the page is missing (the error is
    logged by its kind only). True when drawn."""
    try:
        draw()
    except Exception as exc:
        part_missing(where, exc)
        return False
    return True


def part_missing(where: W.Box, exc: BaseException) -> None:
    """Show in ``where`` that a part of the page could not be drawn (never the error itself)."""
    log.error("part of a page could not be drawn: %s", exc.__class__.__name__)
    with contextlib.suppress(Exception):
        replace(where, [paragraph(PART_MISSING, "coachkit-notice-warning")])


def draw_charts(charts: Sequence[tuple[W.VBox, Callable[[], go.Figure]]]) -> None:
    """Build each figure and show it in its frame; a chart that fails says so in a plain line."""
    for frame, make in charts:
        try:
            show_chart(frame, make())
        except Exception as exc:
            log.error("a chart could not be drawn: %s", exc.__class__.__name__)
            replace(frame, [text("This chart could not be drawn just now.", "coachkit-muted")])


def on_demand(label: str, build: Callable[[], W.Widget]) -> W.VBox:
    """A button that builds a part of the page when pressed, so the first view stays light."""
    button = W.Button(
        description=label,
        icon="chevron-down",
        layout=shared("button"),
        style=shared("button-style"),
        _dom_classes=("coachkit-open",),
    )
    holder = box([button])

    def open_part(_button: W.Button) -> None:
        try:
            part = build()
        except Exception as exc:
            log.error("a part of the page could not be opened: %s", exc.__class__.__name__)
            part = text("This part could not be opened just now; please reload the page.", "coachkit-notice-warning")
        replace(holder, [part])

    button.on_click(open_part)
    return holder


def replace(container: W.Box, children: Sequence[W.Widget]) -> None:
    """Show ``children`` in ``container``, closing the widgets shown before (their models leave
    the page)."""
    old = list(container.children)
    container.children = tuple(children)
    for widget in old:
        if widget not in children:
            close_tree(widget)


def close_tree(widget: W.Widget) -> None:
    """Close a widget, its layout and style, and everything inside it."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, W.Widget) and not is_shared(part):
            part.close()
    widget.close()


def prepare_page(home: str = ".") -> Practice | None:
    """Everything slow a page does before a visitor arrives: logs to the console, imports and
    first-time caches (Voilà's request helper, plotly, the store's queries), the practice opened.
    Reads no client data. Returns the practice (None when there is none)."""
    quiet_logs()
    warm_up()
    practice = visits.open_practice(home)
    if practice is not None:
        visits.warm(practice)
    return practice


_WARMED: list[bool] = []
"""Not empty once :func:`warm_up` ran in this process (or in the fork server it was forked from)."""


def warm_up() -> None:
    """Do once, before a visitor arrives, the slow first-time work of drawing a chart and a form
    (imports and caches inside plotly and ipywidgets). Creates no widget that stays. A kernel
    forked from coachkit's fork server, which ran it already, skips it: its caches came with the
    fork, and drawing the figure again cost every refill of a page's pool about 10 ms for nothing
    (more in a fresh fork, where each first write copies a memory page)."""
    if _WARMED:
        return
    with contextlib.suppress(ImportError):
        import voila.utils  # noqa: F401  (imported here, before the visitor, not in request_query)

    fig = go.Figure(go.Scatter(x=["2026-01-01"], y=[1], mode="lines+markers", name="warm"))
    fig.add_trace(go.Bar(y=["a"], x=[1], orientation="h"))
    styled(fig, "warm")
    figure_svg(fig)
    legend(fig)
    _WARMED.append(True)
