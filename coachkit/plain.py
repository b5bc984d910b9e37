"""User text stays text: never typeset as math where coachkit's own pages and workbooks show it.

JupyterLab typesets ``$...$``, ``\\(...\\)`` and ``\\begin{...}`` in widget text with MathJax, also
inside a chart's picture (a goal's objective is a row label). A label with a client's words
(“Cut costs from $5m to $3m”) must read as written. :func:`no_math` marks a widget MathJax
skips (the class JupyterLab's MathJax 3 ignores), with everything inside.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

NO_MATH_CLASS = "mathjax_ignore"
"""The CSS class MathJax 3 (as JupyterLab runs it) leaves alone, with everything inside."""


class _Classed(Protocol):
    def add_class(self, className: str) -> object: ...


W = TypeVar("W", bound=_Classed)


def no_math(widget: W) -> W:
    """Mark ``widget`` so its text is never typeset as math; returns it."""
    widget.add_class(NO_MATH_CLASS)
    return widget
