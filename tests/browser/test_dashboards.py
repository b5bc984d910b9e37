"""The client dashboard and the sponsor view in Chromium, served by a real Voilà: who sees
what, markup shown as text, saves that land in the database, and ten visitors at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from servers import NOT_FOR_SPONSOR, PRIVATE_CANARIES, SYNTHETIC, XSS_NAME

from coachkit.model import Action, Reflection
from coachkit.practice import Practice
from coachkit.server import RunningServer

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]

NOT_VALID = "This link is not valid"
JONAS = "jonas-becker"
MEI_TRACES = ("Mei Tanaka", "Harbour Health", "Present strategy to the board", "clinical directors")


def _names(practice: Practice) -> list[str]:
    return [client.name for client, _ in practice.store.roster()]


def test_missing_wrong_expired_revoked_or_misaddressed_links_load_no_client_data(
    served: Practice, server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    revoked = link(JONAS)
    served.store.revoke_link(served.store.links(JONAS)[0].id)
    page = server.base_url + "voila/render/"
    urls = [
        page + "dashboard.ipynb",
        page + "dashboard.ipynb?token=" + "A" * 32,
        link(JONAS, expired=True),
        revoked,
        link(JONAS, "sponsor").replace("sponsor.ipynb", "dashboard.ipynb"),
        link(JONAS).replace("dashboard.ipynb", "sponsor.ipynb"),
    ]
    names = _names(served)
    for url in urls:
        seen = visit(url, NOT_VALID)
        everything = seen.everything()
        for secret in (*names, "Jonas", "jonas-becker", "Brightline", *PRIVATE_CANARIES, "Goals shared", "Check in"):
            assert secret not in everything, (url, secret)


def test_a_link_shows_its_own_client_whatever_else_the_address_says(
    server: RunningServer, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    jonas = link(JONAS)
    mei = link("mei-tanaka")
    token = jonas.split("token=", 1)[1]
    mei_token = mei.split("token=", 1)[1]
    base = server.base_url + "voila/render/dashboard.ipynb?"
    variants = {
        jonas + "&client_id=mei-tanaka": "Jonas Becker",
        f"{base}client_id=mei-tanaka&token={token}&home=/tmp": "Jonas Becker",
        f"{base}token={token}&token={mei_token}": NOT_VALID,
        f"{base}token={mei_token[:-2]}&client_id=mei-tanaka": NOT_VALID,
    }
    for url, expected in variants.items():
        seen = visit(url, expected, charts=3 if expected != NOT_VALID else 0)
        everything = seen.everything()
        for trace in (*MEI_TRACES, "Coach only"):  # Mei's data; the coach's notes on Jonas
            assert trace not in everything, (url, trace)


def test_markup_is_shown_as_text_and_private_notes_never_reach_a_page(
    served: Practice, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    client_id = next(c.id for c, _ in served.store.roster() if c.name == XSS_NAME)
    seen = visit(link(client_id), "Zoë", charts=3)
    for button in ("Mark an action done", "Note a milestone's evidence", "Choose what your sponsor sees"):
        seen.page.get_by_role("button", name=button).click()
    seen.page.get_by_role("button", name="Save action").wait_for()
    seen.page.get_by_role("button", name="Save choices").wait_for()
    title = seen.page.locator(".coachkit-title").first.inner_text()
    assert title == XSS_NAME  # the markup is there, as text
    text = seen.text()
    assert "Released goal <img src=x onerror=alert(1)>" in text
    assert "Action <img src=x onerror=alert(1)>" in text
    assert "REFLECTION-CANARY-2b1c <img src=x" in text
    assert seen.page.locator("img[src='x']").count() == 0
    assert seen.page.evaluate("[...document.scripts].filter(s => s.text.includes(\"alert('s')\")).length") == 0
    everything = seen.everything()
    for canary in PRIVATE_CANARIES:
        assert canary not in everything
    assert seen.dialogs == []

    sponsor = visit(link(client_id, "sponsor"), "Goals shared with you", charts=3)
    assert sponsor.page.locator(".coachkit-title").first.inner_text() == XSS_NAME
    assert "Released goal <img src=x onerror=alert(1)>" in sponsor.text()
    assert "Milestone <img src=x onerror=alert(1)>" in sponsor.text()
    assert sponsor.page.locator("img[src='x']").count() == 0
    everything = sponsor.everything()
    for canary in (*PRIVATE_CANARIES, *NOT_FOR_SPONSOR):
        assert canary not in everything
    assert sponsor.dialogs == []


def test_saves_in_the_browser_land_in_the_database_and_show_on_the_next_visit(
    served: Practice, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    url = link(JONAS)
    seen = visit(url, "Jonas Becker")
    page = seen.page
    words = "Written in the browser: <b>not bold</b> & “quoted”"
    box = page.locator(".coachkit-form", has_text="Write a reflection").locator("textarea")
    box.fill(words)
    box.blur()
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Reflection saved ✓").wait_for()
    assert words in [r.text for r in served.store.all(JONAS, Reflection)]
    page.locator(".coachkit-wrap", has_text=words).first.wait_for()  # the page redrew itself

    page.get_by_role("button", name="Mark an action done").click()
    page.get_by_role("button", name="Save action").click()
    page.get_by_text("marked done ✓").wait_for()
    assert served.store.get(JONAS, Action, "a3").done_on is not None

    page.reload()
    page.locator(".coachkit-wrap", has_text=words).first.wait_for()
    assert "Let leads chair the incident review twice" not in seen.text()  # no longer due


def test_a_failed_save_says_so_plainly(served: Practice, link: Callable[..., str], visit: Callable[..., Any]) -> None:
    seen = visit(link(JONAS), "Jonas Becker")
    db = served.home / "data" / "coachkit.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_reflections BEFORE INSERT ON records WHEN NEW.kind = 'reflection' "
            "BEGIN SELECT RAISE(ABORT, 'SECRET-DB-DETAIL'); END"
        )
    try:
        box = seen.page.locator(".coachkit-form", has_text="Write a reflection").locator("textarea")
        box.fill("This one will not be saved")
        box.blur()
        seen.page.get_by_role("button", name="Save reflection").click()
        seen.page.get_by_text("Not saved: something went wrong on our side").wait_for()
    finally:
        with sqlite3.connect(db) as conn:
            conn.execute("DROP TRIGGER refuse_reflections")
    text = seen.text()
    for leak in ("Traceback", "SECRET-DB-DETAIL", "IntegrityError", "sqlalchemy", 'File "', ".py"):
        assert leak not in text
    assert "This one will not be saved" not in [r.text for r in served.store.all(JONAS, Reflection)]


def test_ten_clients_at_once_each_see_their_own_dashboard(
    served: Practice, server: RunningServer, browser: Any, link: Callable[..., str]
) -> None:
    """Ten pages sent to ten links in the same instant (the pool holds two warm kernels, so
    eight start while the others load): every one becomes usable (its check-in form can be
    saved) and shows its own client and no other."""
    clients = [f"synthetic-client-{n:04d}" for n in range(1, SYNTHETIC + 1)]
    names = {c: served.store.client(c).name for c in clients}
    urls = [link(client) for client in clients]
    contexts = [browser.new_context() for _ in clients]
    try:
        pages = [context.new_page() for context in contexts]
        for page, url in zip(pages, urls, strict=True):
            page.set_default_timeout(300_000)
            page.evaluate("url => { setTimeout(() => { window.location.href = url; }, 0); }", url)
        for page, client in zip(pages, clients, strict=True):
            page.wait_for_url("**/voila/render/**")
            save = page.get_by_role("button", name="Save check-in")
            save.wait_for(state="visible")
            assert save.is_enabled()
            title = page.locator(".coachkit-title").first
            assert title.inner_text() == names[client]
            text = page.inner_text("body")
            for other, name in names.items():
                assert (name in text) == (other == client), (client, other)
    finally:
        for context in contexts:
            context.close()


def test_the_released_360_and_the_personality_profile_draw_as_charts(
    link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    seen = visit(link(JONAS), "Jonas Becker", charts=3)  # the three progress charts
    page = seen.page
    page.get_by_role("button", name="Show your 360 feedback and personality profile").click()
    page.get_by_text("Personality profile (IPIP-50)").wait_for()
    page.wait_for_function("document.querySelectorAll('.coachkit-chart svg').length >= 7")
    pictures = page.locator(".coachkit-chart svg")
    titles = [pictures.nth(i).locator("text").first.text_content() for i in range(pictures.count())]
    for title in (
        "Self and others by competency (1-5)",
        "Gap between self and others by competency",
        "Spread of answers per behaviour",
        "Big-Five profile (IPIP-50), scores 10-50",
    ):
        assert title in titles
    profile = pictures.nth(titles.index("Big-Five profile (IPIP-50), scores 10-50"))
    assert profile.locator("rect").count() == 5  # one bar per factor
    assert "Extraversion" in (profile.text_content() or "")
    dots = pictures.nth(titles.index("Self and others by competency (1-5)"))
    assert dots.locator("circle").count() >= 10
    assert "<chart:" not in seen.text()


def test_dollar_signs_in_what_a_client_writes_stay_text(
    served: Practice, link: Callable[..., str], visit: Callable[..., Any]
) -> None:
    seen = visit(link(JONAS), "Jonas Becker")
    page = seen.page
    words = r"Budget $x^2$ went from $5 to $10 \(not math\)"
    box = page.locator(".coachkit-form", has_text="Write a reflection").locator("textarea")
    box.fill(words)
    box.blur()
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Reflection saved ✓").wait_for()
    shown = page.locator(".coachkit-wrap", has_text="Budget").first
    shown.wait_for()
    page.wait_for_load_state("networkidle")  # MathJax, bundled with the page, loads on demand
    assert words in shown.inner_text()
    assert page.locator("mjx-container, .MathJax").count() == 0
