"""Open pages whose link ends, in Chromium on a real coachkit server: the dashboard, the sponsor
view and the rater page are opened first, then the link is revoked, expires, the rater loses the
coach's approval or the client is erased, and then the visitor acts on the old page. Each action
is refused, nothing reaches the database, the page says the link is no longer valid, and its
kernel is gone. A kernel is reached only with the page's own secret: a websocket to
``/api/kernels/<id>/channels`` with the kernel id alone is refused.

Also here: the pages ask no host but the coachkit server for anything (Playwright's request log)."""

from __future__ import annotations

import base64
import http.client
import os
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from coachkit import assessments as A
from coachkit.model import Reflection
from coachkit.model.feedback360 import RaterResponse
from coachkit.pages.served import ENDED_TITLE
from coachkit.portability import erase_client
from coachkit.practice import Practice
from coachkit.server import RunningServer
from coachkit.server.gate import PAGE_COOKIE

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]


JONAS = "jonas-becker"
MEI = "mei-tanaka"
GONE_WAIT = 90.0  # seconds a busy machine may take to shut a kernel down


def _kernel_and_secret(seen: Any) -> tuple[str, str]:
    """The page's kernel id and its secret, as the browser holds them (one page per context)."""
    cookies = [c for c in seen.page.context.cookies() if c["name"].startswith(PAGE_COOKIE)]
    assert len(cookies) == 1, [c["name"] for c in cookies]
    return cookies[0]["name"].removeprefix(PAGE_COOKIE), cookies[0]["value"]


def _channels(server: RunningServer, kernel_id: str, secret: str | None) -> int:
    """The HTTP status a websocket upgrade to the kernel's channels gets (101 when it opens)."""
    parts = urlsplit(server.base_url)
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
    }
    if secret is not None:
        headers["Cookie"] = f"{PAGE_COOKIE}{kernel_id}={secret}"
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        conn.request("GET", f"/api/kernels/{kernel_id}/channels?session_id=probe", headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def _kernel_status(server: RunningServer, kernel_id: str, secret: str) -> int:
    """The status of the page's own request for its kernel's record (200 while it runs)."""
    parts = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        conn.request("GET", f"/api/kernels/{kernel_id}", headers={"Cookie": f"{PAGE_COOKIE}{kernel_id}={secret}"})
        return conn.getresponse().status
    finally:
        conn.close()


def _wait_gone(server: RunningServer, kernel_id: str, secret: str) -> int:
    """Wait until the server no longer has the page's kernel; the last status seen (404: gone)."""
    deadline = time.monotonic() + GONE_WAIT
    status = _kernel_status(server, kernel_id, secret)
    while status == 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        status = _kernel_status(server, kernel_id, secret)
    return status


def _expire(practice: Practice, link_url: str) -> None:
    """Make the link behind ``link_url`` expired now (as time passing would)."""
    link = _link_of(practice, link_url)
    with sqlite3.connect(practice.home / "data" / "coachkit.db") as conn:
        past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        conn.execute("UPDATE links SET expires_at = ? WHERE id = ?", (past, link.id))


def _link_of(practice: Practice, link_url: str) -> Any:
    token = link_url.split("token=", 1)[1]
    link = practice.store.resolve_link(token)
    assert link is not None
    return link


def _reflect(page: Any, words: str) -> None:
    box = page.locator(".coachkit-form", has_text="Write a reflection").locator("textarea")
    box.fill(words)
    box.blur()
    page.get_by_role("button", name="Save reflection").click()


def test_a_kernel_answers_only_the_page_it_served(
    server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    seen = visit(link(JONAS, "sponsor"), "Coaching progress shared with you")
    kernel_id, secret = _kernel_and_secret(seen)
    assert _channels(server, kernel_id, None) == 403  # the id alone, as it is in the page
    assert _channels(server, kernel_id, "a-guessed-secret") == 403
    assert _channels(server, kernel_id, secret) == 101  # the page's own browser
    assert _kernel_status(server, kernel_id, secret) == 200
    for path in (f"api/kernels/{kernel_id}", f"voila/api/shutdown/{kernel_id}"):
        method = "POST" if "shutdown" in path else "GET"
        assert _status(server.base_url + path, method) == 403
    # only the kernel itself can ask for its end: a proof made without its key is refused
    end = f"{server.base_url}coachkit/end-page/{kernel_id}"
    assert _status(end, "POST", b'{"proof": "0000"}') == 403
    assert _status(f"{server.base_url}coachkit/end-page/00000000-0000-0000-0000-000000000000", "POST") == 404
    assert _channels(server, kernel_id, secret) == 101  # the refused requests did nothing


def _status(url: str, method: str, body: bytes = b"") -> int:
    request = urllib.request.Request(url, method=method, data=body if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


@pytest.mark.parametrize("ending", ["revoke", "expire"])
def test_a_dashboard_whose_link_ends_saves_nothing_and_ends(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any], ending: str
) -> None:
    url = link(JONAS)
    seen = visit(url, "Jonas Becker")
    kernel_id, secret = _kernel_and_secret(seen)
    words = f"Typed before the link ended ({ending})"
    if ending == "revoke":
        served.store.revoke_link(_link_of(served, url).id)
    else:
        _expire(served, url)
    _reflect(seen.page, words)
    seen.page.get_by_text(ENDED_TITLE).wait_for()
    assert words not in [r.text for r in served.store.all(JONAS, Reflection)]
    assert "Jonas Becker" not in seen.text()
    assert _wait_gone(server, kernel_id, secret) == 404  # the kernel is gone


def test_a_dashboard_section_opened_after_revocation_shows_nothing(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    url = link(JONAS)
    seen = visit(url, "Jonas Becker")
    kernel_id, secret = _kernel_and_secret(seen)
    served.store.revoke_link(_link_of(served, url).id)
    seen.page.get_by_role("button", name="Show your 360 feedback and personality profile").click()
    seen.page.get_by_text(ENDED_TITLE).wait_for()
    assert "360-degree feedback" not in seen.text().replace("Show your 360 feedback", "")
    assert "Personality profile" not in seen.text()
    assert _wait_gone(server, kernel_id, secret) == 404


def _rater_link(practice: Practice, server: RunningServer, client_id: str, name: str) -> tuple[str, str]:
    today = datetime.now(UTC).date()
    rater = A.nominate_rater(practice.store, client_id, name=name, relationship="peer", today=today)
    A.set_rater_approval(practice.store, client_id, rater.id, True, today=today)
    issued = [
        i
        for i in A.issue_rater_links(practice.store, client_id, server.base_url, now=datetime.now(UTC))
        if i.rater is not None and i.rater.id == rater.id
    ]
    return rater.id, issued[0].url


@pytest.mark.parametrize("ending", ["unapprove", "revoke"])
def test_a_rater_page_whose_link_ends_saves_and_submits_nothing(
    served: Practice, server: RunningServer, visit: Callable[..., Any], ending: str
) -> None:
    rater_id, url = _rater_link(served, server, MEI, f"Rater Who Loses ({ending})")
    seen = visit(url, "360-degree feedback for Mei Tanaka")
    kernel_id, secret = _kernel_and_secret(seen)
    page = seen.page
    page.locator(".coachkit-form textarea").first.fill("CANARY-rater-after-end")
    page.locator(".coachkit-form textarea").first.blur()
    if ending == "unapprove":
        A.set_rater_approval(served.store, MEI, rater_id, False, today=datetime.now(UTC).date())
    else:
        served.store.revoke_link(_link_of(served, url).id)
    page.locator(".coachkit-submit").click()
    page.locator(".coachkit-confirm").click()
    page.get_by_text(ENDED_TITLE).wait_for()
    assert served.store.find(MEI, RaterResponse, rater_id) is None  # nothing stored
    assert "Mei Tanaka" not in seen.text()
    assert _wait_gone(server, kernel_id, secret) == 404


def test_an_erased_clients_open_pages_end(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    client_id = served.add_client("Erin Erased").id
    dashboard = visit(link(client_id), "Erin Erased")
    sponsor = visit(link(client_id, "sponsor"), "Coaching progress shared with you")
    kernels = [_kernel_and_secret(dashboard), _kernel_and_secret(sponsor)]
    erase_client(served, client_id)
    _reflect(dashboard.page, "Written after the erase")
    dashboard.page.get_by_text(ENDED_TITLE).wait_for()
    assert not served.store.has_client(client_id)
    assert _wait_gone(server, *kernels[0]) == 404
    sponsor.page.get_by_text(ENDED_TITLE).wait_for()  # nobody acted: the page checked by itself
    assert "Erin Erased" not in sponsor.text()
    assert _wait_gone(server, *kernels[1]) == 404


def test_a_sponsor_view_left_open_ends_with_its_link(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    url = link(JONAS, "sponsor")
    seen = visit(url, "Coaching progress shared with you")
    kernel_id, secret = _kernel_and_secret(seen)
    served.store.revoke_link(_link_of(served, url).id)
    seen.page.get_by_text(ENDED_TITLE).wait_for()
    assert "Jonas Becker" not in seen.text()
    assert _wait_gone(server, kernel_id, secret) == 404


def test_pages_ask_no_other_host(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any], browser: Any
) -> None:
    _, rater_url = _rater_link(served, server, JONAS, "Rater Who Watches Requests")
    own = urlsplit(server.base_url).netloc
    for url, wait_for in (
        (link(JONAS), "Jonas Becker"),
        (link(JONAS, "sponsor"), "Coaching progress shared with you"),
        (rater_url, "360-degree feedback for Jonas Becker"),
    ):
        context = browser.new_context()
        asked: list[str] = []
        context.on("request", lambda request, log=asked: log.append(request.url))
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(url)
        page.get_by_text(wait_for).first.wait_for()
        page.wait_for_load_state("networkidle")
        hosts = {urlsplit(u).netloc for u in asked if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
        assert hosts == {own}, sorted(hosts)
        context.close()
