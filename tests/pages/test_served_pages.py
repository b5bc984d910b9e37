"""The dashboard and sponsor pages built headless: who they show, what their widgets hold, and
saves made through their forms."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import ipywidgets as W
import pytest
from ipywidgets.widgets.widget import _instances
from servers import NOT_FOR_SPONSOR, PRIVATE_CANARIES, XSS_NAME, add_tricky_client

from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.links import issue_link, open_link
from coachkit.model import CheckIn, Goal, Reflection
from coachkit.pages import dashboard, shown, sponsor, web
from coachkit.pages.served import ENDED_TITLE, LINK_ENDED, Visit
from coachkit.pages.svgchart import figure_svg, legend
from coachkit.practice import Practice

TODAY = date(2026, 11, 21)


@pytest.fixture(autouse=True)
def _fresh_widgets() -> Iterator[None]:
    W.Widget.close_all()
    yield
    W.Widget.close_all()


def _states() -> str:
    """Everything the browser would be sent: the state of every live widget."""
    return json.dumps([w.get_state() for w in list(_instances.values())], ensure_ascii=False)


def _labels() -> list[str]:
    return [w.value for w in list(_instances.values()) if isinstance(w, W.Label)]


def _html_values() -> list[str]:
    return [w.value for w in list(_instances.values()) if isinstance(w, W.HTML)]


def _shown() -> list[str]:
    """The text the page shows: labels as they are, blocks (HTML) as the browser reads them."""
    return [*_labels(), *(html.unescape(re.sub(r"<[^>]+>", "\n", v)) for v in _html_values())]


def test_outside_voila_or_without_a_valid_token_the_page_holds_no_client_data(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    prepared = dashboard.prepare(str(demo_practice.home))
    page = dashboard.show(prepared)
    assert web.NOT_VALID_TITLE in _states()
    assert "Jonas" not in _states() and "Mei" not in _states()
    page.close()
    monkeypatch.setenv("QUERY_STRING", "client_id=jonas-becker")
    dashboard.show(prepared)
    assert "Jonas" not in _states()


def test_the_token_alone_decides_whose_dashboard_opens(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = issue_link(demo_practice, "jonas-becker")
    monkeypatch.setenv("QUERY_STRING", url.split("?", 1)[1] + "&client_id=mei-tanaka")
    prepared = dashboard.prepare(str(demo_practice.home))
    dashboard.show(prepared, today=TODAY)
    states = _states()
    assert "Jonas Becker" in states and "Mei Tanaka" not in states
    assert "Coach only" not in states  # the demo's private session notes
    sponsor.show(sponsor.prepare(str(demo_practice.home)), today=TODAY)
    assert web.NOT_VALID_TITLE in _states()  # a client's token does not open the sponsor view


def test_a_page_without_a_practice_is_not_valid(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "token=whatever")
    assert dashboard.prepare(str(tmp_path)).practice is None
    dashboard.show(dashboard.prepare(str(tmp_path)))
    assert web.NOT_VALID_TITLE in _states()
    assert not (tmp_path / "data").exists()  # type: ignore[operator]


def test_dashboard_shows_markup_as_text_and_never_private_notes(demo_practice: Practice) -> None:
    client_id = add_tricky_client(demo_practice, TODAY)
    page = dashboard.Dashboard(demo_practice, client_id, TODAY)
    states = _states()
    assert any(XSS_NAME in line.split("\n") for line in _shown())  # shown as written: text, never markup
    for canary in PRIVATE_CANARIES:
        assert canary not in states
    blocks = "".join(_html_values())
    assert "<img" not in blocks and "<script" not in blocks  # client text reaches HTML only escaped
    assert "Zoë &lt;img src=x onerror=alert(1)&gt;" in blocks and "Released goal &lt;img" in blocks
    assert page.widget.children


def test_dashboard_saves_and_redraws_from_the_database(demo_practice: Practice) -> None:
    page = dashboard.Dashboard(demo_practice, "jonas-becker", TODAY)
    form = page.forms["reflection"]
    form["text"].widget.value = "Headless reflection"
    form.button.click()
    assert form.status.value == "Reflection saved ✓"
    assert "Headless reflection" in [r.text for r in demo_practice.store.all("jonas-becker", Reflection)]
    assert any("Headless reflection" in v for v in _shown())

    check_in = page.forms["check_in"]
    check_in["progress:g3"].widget.value = 9
    check_in.button.click()
    assert any(p.progress == 9 for c in demo_practice.store.all("jonas-becker", CheckIn) for p in c.progress)
    assert any("9 of 10 at your last check-in" in v for v in _shown())

    opener = next(w for w in _instances.values() if isinstance(w, W.Button) and w.description.startswith("Choose"))
    opener.click()
    release = page.forms["release"]
    release["release:g3"].widget.value = True
    release.button.click()
    assert demo_practice.store.get("jonas-becker", Goal, "g3").released_to_sponsor


def test_sponsor_view_holds_only_released_progress(demo_practice: Practice) -> None:
    client_id = add_tricky_client(demo_practice, TODAY)
    view = sponsor.sponsor_view(demo_practice.store.load(client_id))
    assert [g.id for g in view.goals] == ["g1"]
    assert all(not c.blockers and not c.note for c in view.check_ins)
    assert all({p.goal_id for p in c.progress} == {"g1"} for c in view.check_ins)
    assert all(not s.agenda and not s.private_notes and not s.summary for s in view.sessions)
    assert view.closure is None and not view.reflections and not view.assessment_results
    assert view.self_assessment is None and not view.sponsors and not view.actions
    assert all(not m.evidence for m in view.milestones)

    sponsor.sponsor_page(demo_practice, client_id, TODAY)
    states = _states()
    assert any(XSS_NAME in v.split("\n") for v in _shown()) and "Released goal" in states
    assert "<img" not in "".join(_html_values())
    for canary in (*PRIVATE_CANARIES, *NOT_FOR_SPONSOR):
        assert canary not in states


def test_charts_are_pictures_without_client_text(demo_practice: Practice) -> None:
    client_id = add_tricky_client(demo_practice, TODAY)
    file = demo_practice.store.load(client_id)
    for fig in (goal_progress(file), milestones_met_vs_planned(file, TODAY), sessions_held_vs_planned(file)):
        svg = figure_svg(fig)
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "Zoë" not in svg and "<img" not in svg and "onerror" not in svg and "<script" not in svg
    keys = legend(goal_progress(file))
    assert keys[0].name.startswith("Released goal <img src=x")  # plain text, escaped where it is shown
    jonas = demo_practice.store.load("jonas-becker")
    svg = figure_svg(goal_progress(jonas))
    assert svg.count("<path") == 3 and "Nov" in svg
    assert ">8<" in figure_svg(sessions_held_vs_planned(jonas))  # sessions held, in the bar


def test_dashboard_opens_the_released_360_without_naming_raters(demo_practice: Practice) -> None:
    from coachkit.model.feedback360 import Rater

    names = [r.name for r in demo_practice.store.all("jonas-becker", Rater)]
    dashboard.Dashboard(demo_practice, "jonas-becker", TODAY)
    assert "Development priorities" not in _states(), "assessments open only on request"
    opener = next(w for w in _instances.values() if isinstance(w, W.Button) and "360" in w.description)
    opener.click()
    states = _states()
    assert "360-degree feedback" in states and "Development priorities" in states
    assert "Extraversion" in states  # the client's own IPIP-50 profile
    for name in names:
        assert name not in states, "no rater is named on the client's page"


def test_every_kind_of_engagement_has_a_dashboard_and_a_sponsor_view(demo_practice: Practice) -> None:
    fresh = demo_practice.add_client("New Client")
    for client_id in ("ana-ruiz", "jonas-becker", "mei-tanaka", fresh.id):
        dashboard.Dashboard(demo_practice, client_id, TODAY)
        sponsor.sponsor_page(demo_practice, client_id, TODAY)
        assert not any("could not be drawn" in v for v in _shown())
    shown = "\n".join(_shown())
    assert "The engagement has ended; your coach will be in touch for the follow-ups." in shown
    assert "Your coach is still setting up the engagement." in shown
    assert sponsor.NOTHING_SHARED in shown


def test_a_revoked_link_stops_an_open_page_from_saving(demo_practice: Practice) -> None:
    url = issue_link(demo_practice, "jonas-becker")
    link = open_link(demo_practice, url.split("?", 1)[1], "client")
    assert link is not None
    page = dashboard.Dashboard(demo_practice, "jonas-becker", TODAY, visit=Visit(demo_practice, link))
    form = page.forms["reflection"]
    form["text"].widget.value = "Before the link ends"
    form.button.click()
    assert form.status.value == "Reflection saved ✓"
    demo_practice.store.revoke_link(link.id)
    form["text"].widget.value = "After the link ended"
    form.button.click()
    assert form.status.value == f"Not saved: {LINK_ENDED}"
    assert "After the link ended" not in [r.text for r in demo_practice.store.all("jonas-becker", Reflection)]


def _progressive(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> tuple[dashboard.Dashboard, list[Any], Any]:
    """A served dashboard as Voilà's kernel builds it: the work for after the page went out is
    kept, to be run when the test says (the kernel's loop would run it 50 ms later)."""
    later: list[Any] = []
    monkeypatch.setattr(web, "later", lambda work, delay=web.AFTER_CELL: later.append(work))
    url = issue_link(practice, "jonas-becker")
    link = open_link(practice, url.split("?", 1)[1], "client")
    assert link is not None
    page = dashboard.Dashboard(practice, "jonas-becker", TODAY, visit=Visit(practice, link), progressive=True)
    return page, later, link


def test_a_served_dashboard_sends_its_heading_first_and_reads_the_rest_after(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_practice.store.save("jonas-becker", Reflection(id="r-late", on=TODAY, text="Written after the page went out"))
    page, later, _link = _progressive(demo_practice, monkeypatch)
    sent = _states()
    assert "Jonas Becker" in sent  # the heading goes out with the page
    assert "Save check-in" not in sent and "Build a bench of three leads" not in sent
    assert "Write a reflection" not in sent and "Written after the page went out" not in sent
    assert len(_instances) < 15, "the page's document waits for every widget made before it"
    (rest,) = later
    rest()
    shown = "\n".join(_shown())
    assert "Written after the page went out" in shown and "Write a reflection" in shown
    assert "Build a bench of three leads" in shown and "Mark an action done" in _states()
    check_in = page.forms["check_in"]
    assert check_in.button.description == "Save check-in" and check_in.widget in page.check_in.children
    check_in["blockers"].widget.value = "A check-in from the form drawn after the page"
    check_in.button.click()
    saved = [c.blockers for c in demo_practice.store.all("jonas-becker", CheckIn)]
    assert "A check-in from the form drawn after the page" in saved
    page.forms["reflection"]["text"].widget.value = "Saved from the rest of the page"
    page.forms["reflection"].button.click()
    assert "Saved from the rest of the page" in [r.text for r in demo_practice.store.all("jonas-becker", Reflection)]
    assert any("Saved from the rest of the page" in v for v in _shown())


def test_a_link_revoked_before_the_rest_is_drawn_ends_the_page_with_nothing_read(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, later, link = _progressive(demo_practice, monkeypatch)
    demo_practice.store.revoke_link(link.id)
    later.pop(0)()  # the forms and the rest: the link is checked again first
    states = _states()
    assert ENDED_TITLE in states
    assert "Build a bench of three leads" not in states and "Write a reflection" not in states
    assert "Save check-in" not in states and page.forms == {}
    assert page.stored is None


def test_a_rest_that_cannot_be_read_says_so_and_keeps_the_check_in(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, later, _link = _progressive(demo_practice, monkeypatch)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(dashboard, "goal_card", broken)
    later.pop(0)()
    shown = "\n".join(_shown())
    assert web.PART_MISSING in shown and "Traceback" not in shown and "went away" not in shown
    assert "Save check-in" in _states() and "Write a reflection" in shown  # what could be drawn stays
    assert page.stored is not None and page.forms["check_in"].button.description == "Save check-in"


def test_a_check_in_that_cannot_be_drawn_says_so_and_the_rest_still_comes(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, later, _link = _progressive(demo_practice, monkeypatch)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the goals could not be read")

    monkeypatch.setattr(dashboard, "check_in_form", broken)
    later.pop(0)()
    shown = "\n".join(_shown())
    assert web.PART_MISSING in shown and "could not be read" not in shown
    assert "Save check-in" not in _states() and "Write a reflection" in shown
    assert "Build a bench of three leads" in shown and page.stored is not None
    page.forms["reflection"]["text"].widget.value = "Still saved without the check-in"
    page.forms["reflection"].button.click()
    assert "Still saved without the check-in" in [r.text for r in demo_practice.store.all("jonas-becker", Reflection)]


def test_a_served_sponsor_view_draws_its_charts_after_the_link_was_checked_again(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    later: list[Any] = []
    monkeypatch.setattr(web, "later", lambda work, delay=web.AFTER_CELL: later.append(work))
    url = issue_link(demo_practice, "jonas-becker", "sponsor")
    link = open_link(demo_practice, url.split("?", 1)[1], "sponsor")
    assert link is not None
    sponsor.sponsor_page(demo_practice, "jonas-becker", TODAY, progressive=True, visit=Visit(demo_practice, link))
    assert "<svg" not in "".join(_html_values())  # the goals go out with the page, the charts after
    later.pop(0)()
    assert "<svg" in "".join(_html_values())

    W.Widget.close_all()
    sponsor.sponsor_page(demo_practice, "jonas-becker", TODAY, progressive=True, visit=Visit(demo_practice, link))
    demo_practice.store.revoke_link(link.id)  # revoked while the page is on its way
    later.pop(0)()
    assert ENDED_TITLE in _states() and "<svg" not in "".join(_html_values())


def test_a_served_dashboard_draws_its_charts_once_the_browser_has_the_rest(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts, below the fold, wait until the browser has been sent the rest of the page;
    then they are drawn from the case file read for the heading, and a save redraws them at once.
    A link revoked before then ends the page with no chart drawn."""
    after_sent: list[Any] = []
    monkeypatch.setattr(shown, "when_shown", lambda work, wait=shown.SHOWN_WAIT: after_sent.append(work))
    page, later, _link = _progressive(demo_practice, monkeypatch)
    later.pop(0)()  # the forms and the rest
    assert "Save check-in" in _states() and "Build a bench of three leads" in "\n".join(_shown())
    assert "<svg" not in "".join(_html_values()), "no chart before the browser has the rest"
    (charts,) = after_sent
    charts()
    assert page.stored is not None
    assert all("<svg" in frame.children[0].value for frame in page.stored.charts), "each chart in its frame"
    check_in = page.forms["check_in"]
    check_in["blockers"].widget.value = "A check-in once the charts are there"
    check_in.button.click()
    saved = [c.blockers for c in demo_practice.store.all("jonas-becker", CheckIn)]
    assert "A check-in once the charts are there" in saved
    assert len([v for v in _html_values() if "<svg" in v]) == 3, "redrawn, not drawn twice"

    W.Widget.close_all()
    page, later, link = _progressive(demo_practice, monkeypatch)
    later.pop(0)()
    demo_practice.store.revoke_link(link.id)  # revoked before the browser had the rest
    after_sent.pop()()
    assert ENDED_TITLE in _states() and "<svg" not in "".join(_html_values())
