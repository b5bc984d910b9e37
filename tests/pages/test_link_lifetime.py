"""Pages open while time passes: a state machine opens rater pages and dashboards, revokes links,
lets them expire, withdraws and gives back the coach's approval, erases the client, and saves
from every page still open, in any order. After each save: it was stored exactly when the
page's link still held, and a page that once ended never stores again."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as W
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from coachkit import assessments as A
from coachkit.links import DEFAULT_DAYS, create_link, open_link
from coachkit.model import Reflection
from coachkit.model.feedback360 import RaterResponse
from coachkit.pages.dashboard import Dashboard
from coachkit.pages.rater import rater_page
from coachkit.pages.served import Visit
from coachkit.portability import erase_client
from coachkit.practice import Practice, init_practice

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _widgets(root: W.Widget) -> list[W.Widget]:
    out = [root]
    for child in getattr(root, "children", ()) or ():
        out += _widgets(child)
    return out


def _one(root: W.Widget, css: str) -> Any:
    found = [w for w in _widgets(root) if css in getattr(w, "_dom_classes", ())]
    return found[0] if len(found) == 1 else None


class OpenPages(RuleBasedStateMachine):
    """One client, one approved rater; pages opened and acted on while links end."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="coachkit-lifetime-"))
        self.practice: Practice = init_practice(self.folder / "practice")
        self.now = START
        self.rater_pages: list[tuple[W.Widget, bool]] = []  # (page, opened while the link held)
        self.dashboards: list[Dashboard] = []
        self.ended: set[int] = set()  # ids of pages that refused once
        self.saves = 0

    def clock(self) -> datetime:
        return self.now

    @initialize()
    def set_up(self) -> None:
        store = self.practice.store
        self.client_id = self.practice.add_client("Rosa Diaz").id
        rater = A.nominate_rater(store, self.client_id, name="Ada Park", relationship="peer", today=START.date())
        A.set_rater_approval(store, self.client_id, rater.id, True, today=START.date())
        self.rater_id = rater.id
        (issued,) = A.issue_rater_links(store, self.client_id, "http://127.0.0.1:1", now=START)
        self.rater_query = issued.url.split("?", 1)[1]
        self.rater_link_id = issued.link.id
        client = create_link(self.practice, self.client_id, "client", base_url="http://127.0.0.1:1", now=START)
        self.client_query = client.url.split("?", 1)[1]
        self.client_link_id = client.link.id
        self.rater_revoked = self.client_revoked = self.erased = False
        self.approved = True

    # -- what the model says ---------------------------------------------------------------

    def rater_holds(self) -> bool:
        fresh = self.now < START + timedelta(days=DEFAULT_DAYS["rater"])
        return fresh and not (self.rater_revoked or self.erased) and self.approved

    def client_holds(self) -> bool:
        fresh = self.now < START + timedelta(days=DEFAULT_DAYS["client"])
        return fresh and not (self.client_revoked or self.erased)

    # -- time and the coach --------------------------------------------------------------------

    @rule(days=st.integers(min_value=1, max_value=130))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    @precondition(lambda self: not self.erased)
    @rule()
    def revoke_rater_link(self) -> None:
        self.practice.store.revoke_link(self.rater_link_id)
        self.rater_revoked = True

    @precondition(lambda self: not self.erased)
    @rule()
    def revoke_client_link(self) -> None:
        self.practice.store.revoke_link(self.client_link_id)
        self.client_revoked = True

    @precondition(lambda self: not self.erased)
    @rule(approved=st.booleans())
    def set_approval(self, approved: bool) -> None:
        A.set_rater_approval(self.practice.store, self.client_id, self.rater_id, approved, today=self.now.date())
        if not approved:
            self.rater_revoked = True  # withdrawing approval revokes the rater's links
        self.approved = approved

    @precondition(lambda self: not self.erased)
    @rule()
    def erase(self) -> None:
        erase_client(self.practice, self.client_id)
        self.erased = True

    # -- visitors ------------------------------------------------------------------------------

    @rule()
    def open_rater_page(self) -> None:
        page = rater_page(self.practice.home, query=self.rater_query, now=self.clock)
        opened = _one(page, "coachkit-save") is not None
        assert opened == self.rater_holds()
        if opened:
            self.rater_pages.append((page, True))

    @rule()
    def open_dashboard(self) -> None:
        link = open_link(self.practice, self.client_query, "client", now=self.now)
        assert (link is not None) == self.client_holds()
        if link is not None:
            visit = Visit(self.practice, link, clock=self.clock)
            self.dashboards.append(Dashboard(self.practice, self.client_id, self.now.date(), visit=visit))

    @precondition(lambda self: bool(self.rater_pages))
    @rule(which=st.integers(min_value=0, max_value=5))
    def rater_saves(self, which: int) -> None:
        page, _ = self.rater_pages[which % len(self.rater_pages)]
        self.saves += 1
        words = f"comment {self.saves}"
        expected = self.rater_holds() and id(page) not in self.ended
        box = _one(page, "coachkit-q-comment-q1")
        button = _one(page, "coachkit-save")
        if box is None or button is None:  # the page has ended: nothing left to act on
            assert not expected
            self.ended.add(id(page))
            return
        box.value = words
        button.click()
        stored = None if self.erased else self.practice.store.find(self.client_id, RaterResponse, self.rater_id)
        assert (stored is not None and stored.comments.get("q1") == words) == expected
        if not expected:
            self.ended.add(id(page))

    @precondition(lambda self: bool(self.dashboards))
    @rule(which=st.integers(min_value=0, max_value=5))
    def client_reflects(self, which: int) -> None:
        board = self.dashboards[which % len(self.dashboards)]
        self.saves += 1
        words = f"reflection {self.saves}"
        expected = self.client_holds() and id(board) not in self.ended
        form = board.forms["reflection"]
        form["text"].widget.value = words
        form.button.click()
        texts = [] if self.erased else [r.text for r in self.practice.store.all(self.client_id, Reflection)]
        assert (words in texts) == expected
        if not expected:
            self.ended.add(id(board))

    @invariant()
    def ended_pages_stay_ended(self) -> None:
        for board in self.dashboards:
            if id(board) in self.ended:
                assert board.visit is not None and board.visit.ended

    def teardown(self) -> None:
        W.Widget.close_all()
        self.practice.close()
        shutil.rmtree(self.folder, ignore_errors=True)


OpenPages.TestCase.settings = settings(
    max_examples=12, stateful_step_count=10, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestOpenPages = OpenPages.TestCase
