"""Pages built headless (no kernel): summaries escape client text, refresh after saves, keep
private notes out, and a missing client gets a plain sentence."""

from __future__ import annotations

from datetime import date

import ipywidgets as W
import pytest

from coachkit.forms.style import LABEL_CSS
from coachkit.model import Goal, Session
from coachkit.pages import workbook
from coachkit.pages.phases.base import SCREEN_CSS
from coachkit.pages.phases.session import SessionPage
from coachkit.practice import Practice

TODAY = date(2026, 11, 21)
TRICKY = '<b>bold</b> & "quotes" 🚀'


def _last_widget(displayed: list[object]) -> W.Widget:
    widgets = [w for w in displayed if isinstance(w, W.Widget)]
    return widgets[-1]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Everything the page displays."""
    out: list[object] = []
    monkeypatch.setattr("coachkit.pages.phases.base.display", lambda *objs: out.extend(objs))
    return out


def test_summary_escapes_client_text_and_refreshes_after_a_save(demo_practice: Practice, shown: list[object]) -> None:
    page = workbook.open_page("jonas-becker", str(demo_practice.home), phase=3, today=TODAY)
    page.header()
    assert isinstance(shown[0], W.HTML) and shown[0].value == SCREEN_CSS + LABEL_CSS
    page.summary()
    summary = _last_widget(shown)
    assert isinstance(summary, W.HTML) and "Escalations down to 8 a week" in summary.value
    page.save(Goal(id="gx", objective=TRICKY, measure="m", target="t"))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; 🚀" in summary.value
    assert "<b>bold</b>" not in summary.value
    assert demo_practice.store.get("jonas-becker", Goal, "gx").objective == TRICKY


def test_session_summary_leaves_the_coachs_private_notes_out(demo_practice: Practice, shown: list[object]) -> None:
    page = workbook.open_page("jonas-becker", str(demo_practice.home), phase=4, session_number=8, today=TODAY)
    assert isinstance(page, SessionPage) and page.number == 8
    page.summary()
    html_widget = _last_widget(shown)
    assert isinstance(html_widget, W.HTML)
    assert "Energy and boundaries" in html_widget.value and "Coach only" not in html_widget.value
    nxt = workbook.open_page("jonas-becker", str(demo_practice.home), phase=4, today=TODAY)
    assert isinstance(nxt, SessionPage) and nxt.number == 9 and nxt.title() == "Coaching session 9"
    assert demo_practice.store.find("jonas-becker", Session, "10") is None


def test_unknown_client_gets_a_plain_sentence_and_nothing_else(demo_practice: Practice, shown: list[object]) -> None:
    page = workbook.open_page("no-such-client", str(demo_practice.home), phase=1, today=TODAY)
    page.header()
    page.agreement()
    texts = [w.value for w in shown if isinstance(w, W.Label)]
    assert any("No client with id 'no-such-client'" in t for t in texts)
    assert not [w for w in shown if isinstance(w, W.VBox)], "no forms for a client that does not exist"


def test_a_new_client_is_told_what_to_do_first(practice: Practice, shown: list[object]) -> None:
    client = practice.add_client("Ana New")
    for phase in (2, 3, 5, 6, 7):
        shown.clear()
        page = workbook.open_page(client.id, str(practice.home), phase=phase, today=TODAY)
        page.header()
        notices = [c.value for w in shown if isinstance(w, W.VBox) for c in w.children if isinstance(c, W.Label)]
        assert any("start with workbook 01" in n for n in notices), phase


def test_a_failing_part_shows_a_sentence_not_a_traceback(
    demo_practice: Practice, shown: list[object], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    page = workbook.open_page("jonas-becker", str(demo_practice.home), phase=3, today=TODAY)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("client text must not be logged")

    monkeypatch.setattr("coachkit.pages.phases.action_plan.goal_timeline", broken)
    page.timeline()
    (sentence,) = _last_widget(shown).children
    assert sentence.value == "This chart could not be drawn just now."
    assert "client text" not in caplog.text and "RuntimeError" in caplog.text
    caplog.clear()


def test_a_workbook_chart_is_a_picture_redrawn_after_each_save(demo_practice: Practice, shown: list[object]) -> None:
    page = workbook.open_page("jonas-becker", str(demo_practice.home), phase=3, today=TODAY)
    page.goals()
    editor_box = _last_widget(shown)
    page.timeline()
    frame = _last_widget(shown)
    picture = frame.children[0]
    assert isinstance(picture, W.HTML) and picture.value.startswith("<svg") and "Goals and milestones" in picture.value
    assert "mathjax_ignore" in picture._dom_classes
    before = picture.value
    assert picture.value.count("<polyline") == 3, "one span per goal with a target date"
    objective = next(w for w in _walk(editor_box) if isinstance(w, W.Textarea | W.Text) and w.value == "")
    objective.value = "Lead the " + TRICKY
    next(w for w in _walk(editor_box) if isinstance(w, W.DatePicker)).value = date(2027, 2, 1)
    button = next(w for w in _walk(editor_box) if isinstance(w, W.Button) and w.description.startswith("Save"))
    button.click()
    now = frame.children[0]
    assert isinstance(now, W.HTML) and now.value != before
    assert now.value.count("<polyline") == 4, "the new goal is a new row at once"
    assert "Lead the &lt;b&gt;bold&lt;/b&gt; &amp;" in now.value and "<b>bold</b>" not in now.value
    assert "application/vnd.plotly" not in repr([w.get_state() for w in _walk(frame)])


def _walk(root: W.Widget) -> list[W.Widget]:
    out = [root]
    for child in getattr(root, "children", ()) or ():
        out += _walk(child)
    return out
