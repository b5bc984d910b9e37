"""Assessment pages built headless: what the client, the coach's workbook and a rater see.

Canaries: a lone peer and a lone "other" rater write unique comments and give ratings no one
else gives. Before release the client sees none of it; after release the comments appear pooled
and unattributed, and no figure rests on the lone raters; another rater's page never shows them.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import ipywidgets as W
import pytest

from coachkit import assessments as A
from coachkit.links import DEFAULT_DAYS
from coachkit.model import Agreement, accept_agreement
from coachkit.model.feedback360 import RaterResponse
from coachkit.model.feedback_summary import build_summary, client_summary
from coachkit.model.ipip import IPIP_ID, IpipResponse
from coachkit.model.pulse import PulseItem, PulseResponse, PulseRound, pulse_response_id
from coachkit.pages import assessment as P
from coachkit.pages import rater as rater_module
from coachkit.pages import web
from coachkit.pages.rater import INVALID, rater_page
from coachkit.pages.served import ENDED_TITLE
from coachkit.practice import Practice

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
PEER_CANARY = "CANARY-7f3a-lone-peer"
OTHER_CANARY = "CANARY-91bc-lone-other"
NAMES = ("Pia Lone", "Otto Single", "Maria Boss", "Dana One", "Dev Two", "Dora Three", "Dirk Four")


def widgets(root: W.Widget) -> Iterator[W.Widget]:
    """Every widget in a tree."""
    yield root
    for child in getattr(root, "children", ()) or ():
        yield from widgets(child)


def page_text(root: W.Widget) -> str:
    """Everything a page holds as text: values, labels, options, and chart data in outputs."""
    out: list[str] = []
    for w in widgets(root):
        for attr in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, attr, None)
            if isinstance(v, str) and v.strip("\u200b"):
                out.append(html.unescape(re.sub(r"<[^>]+>", "", v)) if isinstance(w, W.HTML) else v)
        for option in getattr(w, "_options_labels", ()) or ():
            out.append(str(option))
        if isinstance(w, W.Output):
            out.append(json.dumps(w.outputs))
    return "\n".join(out)


def by_class(root: W.Widget, name: str) -> Any:
    """The one widget carrying a CSS class."""
    found = [w for w in widgets(root) if name in getattr(w, "_dom_classes", ())]
    assert len(found) == 1, (name, len(found))
    return found[0]


@pytest.fixture
def canary_360(practice: Practice) -> tuple[Practice, str, dict[str, str]]:
    """Rosa Diaz's 360: manager (shown apart, as agreed), one peer, one other, four direct reports."""
    store = practice.store
    cid = practice.add_client("Rosa Diaz").id
    agreement = accept_agreement(
        Agreement(id="1", version=1, manager_shown_separately=True), "Rosa Diaz", NOW - timedelta(days=40)
    )
    store.save(cid, agreement)
    relationships = ("peer", "other", "manager", "direct_report", "direct_report", "direct_report", "direct_report")
    ids = {}
    for name, relationship in zip(NAMES, relationships, strict=True):
        rater = A.nominate_rater(store, cid, name=name, relationship=relationship, today=TODAY)
        A.set_rater_approval(store, cid, rater.id, True, today=TODAY)
        ids[name] = rater.id
    model = A.competency_model(store, cid)
    for name in NAMES:
        lone = name in ("Pia Lone", "Otto Single")
        value = 1 if name == "Pia Lone" else 2 if name == "Otto Single" else 4
        comment = PEER_CANARY if name == "Pia Lone" else OTHER_CANARY if name == "Otto Single" else f"fine ({name})"
        if name == "Dirk Four":
            continue  # the fourth direct report answers later, through the page
        A.save_rater_response(
            store,
            cid,
            RaterResponse(
                id=ids[name],
                ratings={b.id: value for _, b in model.items},
                comments={"q1": comment} if lone else {},
            ),
            now=NOW,
            submit=True,
        )
    own = RaterResponse(id="self", ratings={b.id: 5 for _, b in model.items})
    A.save_rater_response(store, cid, own, now=NOW, submit=True, author="client")
    return practice, cid, ids


def test_lone_raters_never_reach_the_client_before_release_nor_attributed_after(
    canary_360: tuple[Practice, str, dict[str, str]],
) -> None:
    practice, cid, _ids = canary_360
    store = practice.store
    assert client_summary(store.load(cid)) is None
    before = page_text(P.client_assessments(practice, cid))
    assert PEER_CANARY not in before and OTHER_CANARY not in before
    assert "once they are ready" in before
    assert not any(name in before for name in NAMES)

    A.release_feedback(store, cid, now=NOW + timedelta(hours=1))
    summary = client_summary(store.load(cid))
    assert summary is not None and summary.ready
    for item in summary.items:
        # peer (1) and other (1) fold, and the three direct reports fold with them; the lone
        # raters' values (1 and 2) never stand as a figure of their own
        assert [(f.line, f.groups) for f in item.figures] == [
            ("all", ("manager", "peer", "direct_report", "other")),
            ("manager", ("manager",)),
            ("combined", ("peer", "direct_report", "other")),
        ]
        assert all(f.mean not in (1.0, 2.0) for f in item.figures)
    after = page_text(P.client_assessments(practice, cid))
    assert PEER_CANARY in after and OTHER_CANARY in after  # released: pooled, in random order
    assert not any(name in after for name in NAMES)
    for w in widgets(P.client_assessments(practice, cid)):
        value = page_text(w) if isinstance(w, W.HTML) else getattr(w, "value", "")
        if isinstance(value, str) and "CANARY" in value:
            assert value in (f"“{PEER_CANARY}”", f"“{OTHER_CANARY}”")  # a comment alone, with no name or group
    assert "Peers:" in after  # counts per group, never figures: "Peers: 1 of 1"
    assert "(n=1)" in after  # the manager's own line, as agreed
    assert not any(f"{v:.1f} (n=1)" in after for v in (1.0, 2.0))

    # another rater's page shows neither the canaries nor anyone else's answers
    issued = {i.rater.name: i.url.split("token=")[1] for i in A.issue_rater_links(store, cid, "http://x", now=NOW)}
    page = rater_page(practice.home, query=f"token={issued['Dirk Four']}", now=lambda: NOW)
    text = page_text(page)
    assert "feedback for Rosa Diaz" in text
    assert PEER_CANARY not in text and OTHER_CANARY not in text
    assert not any(name in text for name in NAMES)
    assert by_class(page, "coachkit-q-item-c1-1").value is None
    own = page_text(rater_page(practice.home, query=f"token={issued['Pia Lone']}", now=lambda: NOW))
    assert PEER_CANARY in own and OTHER_CANARY not in own  # a rater sees only their own answers
    assert by_class(page, "coachkit-progress").value == "0 of 30 answered"


def test_a_rater_page_saves_its_own_answers_only(canary_360: tuple[Practice, str, dict[str, str]]) -> None:
    practice, cid, ids = canary_360
    store = practice.store
    issued = {i.rater.name: i.url.split("token=")[1] for i in A.issue_rater_links(store, cid, "http://x", now=NOW)}
    page = rater_page(practice.home, query=f"token={issued['Dirk Four']}", now=lambda: NOW)
    by_class(page, "coachkit-q-item-c1-1").value = 5
    by_class(page, "coachkit-q-comment-q2").value = "Sharper agendas"
    by_class(page, "coachkit-save").click()
    saved = store.get(cid, RaterResponse, ids["Dirk Four"])
    assert saved.ratings == {"c1.1": 5} and saved.comments["q2"] == "Sharper agendas" and not saved.submitted

    # a submitted rater sees their own answers, read-only
    page = rater_page(practice.home, query=f"token={issued['Dana One']}", now=lambda: NOW)
    assert by_class(page, "coachkit-q-item-c1-1").value == 4
    assert by_class(page, "coachkit-q-item-c1-1").disabled
    assert "final" in by_class(page, "coachkit-final-note").value
    assert "Sharper agendas" not in page_text(page)


def _held(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What a served page leaves for just after its document went out, kept to be run when the
    test says (Voilà's kernel would run it 50 ms later)."""
    held: list[Any] = []
    monkeypatch.setattr(web, "later", lambda work, delay=web.AFTER_CELL: held.append(work))
    return held


def test_a_rater_page_sends_its_heading_first_and_the_sheet_after_checking_the_link_again(
    canary_360: tuple[Practice, str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    practice, cid, ids = canary_360
    store = practice.store
    issued = {i.rater.name: i.url.split("token=")[1] for i in A.issue_rater_links(store, cid, "http://x", now=NOW)}
    held = _held(monkeypatch)
    page = rater_page(practice.home, query=f"token={issued['Dirk Four']}", now=lambda: NOW)
    assert "360-degree feedback for Rosa Diaz" in page_text(page)
    assert not [w for w in widgets(page) if "coachkit-save" in getattr(w, "_dom_classes", ())]
    (sheet,) = held
    sheet()
    by_class(page, "coachkit-q-item-c1-1").value = 3
    by_class(page, "coachkit-save").click()
    assert store.get(cid, RaterResponse, ids["Dirk Four"]).ratings == {"c1.1": 3}

    # the coach withdraws a rater's approval while their page is on its way: no sheet is drawn
    held.clear()
    page = rater_page(practice.home, query=f"token={issued['Dev Two']}", now=lambda: NOW)
    A.set_rater_approval(store, cid, ids["Dev Two"], False, today=TODAY)
    held.pop(0)()
    text = page_text(page)
    assert ENDED_TITLE in text and "coachkit-save" not in json.dumps([w.get_state() for w in widgets(page)])


def test_a_rater_sheet_that_cannot_be_drawn_says_so_without_the_error(
    canary_360: tuple[Practice, str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    practice, cid, _ids = canary_360
    issued = {
        i.rater.name: i.url.split("token=")[1] for i in A.issue_rater_links(practice.store, cid, "http://x", now=NOW)
    }
    held = _held(monkeypatch)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the competency model went missing")

    monkeypatch.setattr(rater_module, "rater_form", broken)
    page = rater_page(practice.home, query=f"token={issued['Dirk Four']}", now=lambda: NOW)
    held.pop(0)()
    text = page_text(page)
    assert web.PART_MISSING in text and "went missing" not in text and "Traceback" not in text
    assert "360-degree feedback for Rosa Diaz" in text


@pytest.mark.parametrize("query", [None, "", "token=", "token=not-a-token", "x=1", "token=a&token=b"])
def test_no_valid_token_loads_nothing(practice: Practice, query: str | None) -> None:
    page = rater_page(practice.home, query=query)  # None: read from Voilà, which is not running here
    assert INVALID in page_text(page)


def test_expired_revoked_or_unapproved_links_are_not_valid(canary_360: tuple[Practice, str, dict[str, str]]) -> None:
    practice, cid, ids = canary_360
    store = practice.store
    issued = {i.rater.name: i.url.split("token=")[1] for i in A.issue_rater_links(store, cid, "http://x", now=NOW)}
    token = issued["Dirk Four"]
    assert "feedback for Rosa Diaz" in page_text(rater_page(practice.home, query=f"token={token}", now=lambda: NOW))
    later = NOW + timedelta(days=DEFAULT_DAYS["rater"] + 1)
    assert _not_valid(rater_page(practice.home, query=f"token={token}", now=lambda: later))
    A.set_rater_approval(store, cid, ids["Dirk Four"], False, today=TODAY)
    assert _not_valid(rater_page(practice.home, query=f"token={token}", now=lambda: NOW))
    sponsor_token, _ = store.create_link(cid, "sponsor", expires_at=later, subject="sp1")
    assert _not_valid(rater_page(practice.home, query=f"token={sponsor_token}", now=lambda: NOW))


def _not_valid(page: W.Widget) -> bool:
    text = page_text(page)
    return INVALID in text and "Rosa Diaz" not in text


def test_the_demo_shows_the_anonymity_rules(demo_practice: Practice) -> None:
    file = demo_practice.store.load("jonas-becker")
    summary = client_summary(file)
    assert summary is not None
    assert [(g.group, g.answered) for g in summary.groups] == [
        ("manager", 1),
        ("peer", 2),
        ("direct_report", 4),
        ("other", 0),
    ]
    assert [f.line for f in summary.competencies[0].figures] == ["all", "manager", "combined"]
    assert any(n.startswith("Peers: 2 answered") for n in summary.notes)
    assert any(n.startswith("Direct reports are combined as well") for n in summary.notes)
    assert summary.priorities[0].name == "Delegating" and summary.blind_spots[0].band == "severe"
    text = page_text(P.client_assessments(demo_practice, "jonas-becker"))
    assert "Stays composed under pressure." in text and "Emotional Stability" in text
    assert "Priya Natarajan" not in text and "Lena Hoffmann" not in text

    ana = page_text(P.feedback_raters("ana-ruiz", demo_practice.home, today=date(2026, 11, 21)))
    assert "Warning: only 0 approved" in ana and "Grace Liu" in ana


def test_coach_pages_release_and_pulse(demo_practice: Practice) -> None:
    home = demo_practice.home
    results = P.feedback_results("jonas-becker", home, now=NOW)
    text = page_text(results)
    assert "Released to the client on" in text and "Delegating" in text
    switch = next(w for w in widgets(results) if isinstance(w, W.Checkbox))
    switch.value = False
    next(w for w in widgets(results) if isinstance(w, W.Button) and w.description == "Save").click()
    assert client_summary(demo_practice.store.load("jonas-becker")) is None
    assert "Not released" in page_text(results)

    pulse = page_text(P.pulse_rounds("jonas-becker", home, today=TODAY))
    assert "letting his leads make and own decisions" in pulse and "+1.5" in pulse
    editor = page_text(P.competency_model_editor("jonas-becker", home))
    assert "Locked: answers have arrived" in editor
    own = P.self_rating("jonas-becker", home)
    assert by_class(own, "coachkit-q-item-c10-3").value == 2


def test_ipip_page_and_practice_percentiles(demo_practice: Practice) -> None:
    page = P.ipip_questionnaire("jonas-becker", demo_practice.home)
    assert by_class(page, "coachkit-progress").value == "50 of 50 answered"
    text = page_text(page)
    assert "Intellect/Imagination" in text and "percentile in this practice" not in text
    jonas = demo_practice.store.get("jonas-becker", IpipResponse, IPIP_ID)
    for n in range(30):
        cid = demo_practice.add_client(f"Profile {n}").id
        demo_practice.store.save(
            cid, dataclasses.replace(jonas, answers={k: 1 + (n + i) % 5 for i, k in enumerate(jonas.answers)})
        )
    widget = P.ipip_results_widget(demo_practice, "jonas-becker")
    assert "percentile in this practice" not in page_text(widget)  # an option, off by default
    next(w for w in widgets(widget) if isinstance(w, W.Checkbox)).value = True
    assert "percentile in this practice" in page_text(widget)
    assert "percentile in this practice" in page_text(
        P.ipip_results_widget(demo_practice, "jonas-becker", with_percentiles=True)
    )


def test_summary_never_changes_between_coach_and_client_views(demo_practice: Practice) -> None:
    file = demo_practice.store.load("jonas-becker")
    released = client_summary(file)
    assert released is not None and released == build_summary(file, as_of=released.as_of)
    assert all(f.line != "peer" for i in released.items for f in i.figures)
    assert isinstance(dataclasses.asdict(released), dict)


def test_a_pulse_link_opens_that_rounds_form_only(demo_practice: Practice) -> None:
    store = demo_practice.store
    round_ = PulseRound(
        id="end", stage="end", opened_on=TODAY, items=[PulseItem("g2", "giving feedback")], rater_ids=["r2"]
    )
    A.open_pulse_round(store, "jonas-becker", round_)
    issued = A.issue_pulse_links(store, "jonas-becker", "end", "http://x", now=NOW)
    token = issued[0].url.split("token=")[1]
    page = rater_page(demo_practice.home, query=f"token={token}", now=lambda: NOW)
    text = page_text(page)
    assert "Change pulse for Jonas Becker" in text and "giving feedback" in text
    assert "letting his leads" not in text  # the other round's wording stays out
    by_class(page, "coachkit-q-goal-g2").value = -1
    by_class(page, "coachkit-q-comment-g2").value = "Less often lately"
    by_class(page, "coachkit-submit").click()
    by_class(page, "coachkit-confirm").click()
    saved = store.get("jonas-becker", PulseResponse, pulse_response_id("end", "r2"))
    assert (saved.scores, saved.comments, saved.submitted_at) == ({"g2": -1}, {"g2": "Less often lately"}, NOW)
    # the same rater's 360 link is separate: a pulse token never opens the 360 form
    assert "360-degree feedback" not in text
