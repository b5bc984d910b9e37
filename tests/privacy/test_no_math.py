"""User text is never typeset as math in the coach's workbooks: the labels holding it carry the
class JupyterLab's MathJax skips, and so does each chart's picture (its row labels and title
can be client text) and its legend."""

from __future__ import annotations

import plotly.graph_objects as go

from coachkit.forms.base import Field, Form, notice
from coachkit.pages import web
from coachkit.plain import NO_MATH_CLASS

BUDGET = "Cut costs from $5m to $3m \\(soon\\)"


def test_labels_with_user_text_are_left_alone_by_mathjax() -> None:
    assert NO_MATH_CLASS in notice(BUDGET)._dom_classes
    form = Form(BUDGET, [Field("goal", "Goal")], lambda values: "saved", intro=BUDGET)
    labels = [w for w in form.widget.children if getattr(w, "value", None) == BUDGET]
    assert len(labels) == 2 and all(NO_MATH_CLASS in w._dom_classes for w in labels)
    assert NO_MATH_CLASS in form["goal"].message._dom_classes and NO_MATH_CLASS in form.status._dom_classes


def test_charts_in_workbooks_draw_dollar_labels_as_text() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[BUDGET], orientation="h", name=BUDGET), layout={"title": {"text": BUDGET}})
    (picture,) = web.chart(fig).children  # the picture and its legend, one widget MathJax skips
    assert NO_MATH_CLASS in picture._dom_classes
    assert picture.value.count(BUDGET) == 3, "the title, the row label and the legend's key, as written"
    assert f">{BUDGET}</span></div>" in picture.value
