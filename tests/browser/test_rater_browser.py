"""The rater page end to end: a real Voilà serving templates/rater.ipynb, Debian's Chromium,
a real SQLite practice. One server for the module; every page load is a fresh kernel."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from coachkit import assessments as A
from coachkit.model.feedback360 import Behaviour, Competency, CompetencyModel, OpenQuestion, RaterResponse
from coachkit.practice import init_practice
from coachkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-b41d first rater's own words"
SEEDED = "CANARY-c93e a third rater's words, saved before the server started"
LOAD_TIMEOUT = 90_000  # ms: a cold kernel on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A practice with one client, three approved raters (links issued) and a small competency
    model; Voilà serving the rater page on it. (The pulse route of the same page is covered
    headless in tests/pages.)"""
    home = tmp_path_factory.mktemp("rater-browser") / "practice"
    now = datetime.now(UTC)
    with init_practice(home) as practice:
        store = practice.store
        cid = practice.add_client("Rosa Diaz").id
        A.save_competency_model(
            store,
            cid,
            CompetencyModel(
                competencies=[
                    Competency(
                        "c1", "Listening", [Behaviour("c1.1", "Lets others finish."), Behaviour("c1.2", "Asks first.")]
                    ),
                    Competency("c2", "Focus", [Behaviour("c2.1", "Ends meetings on time.")]),
                ],
                open_questions=[OpenQuestion("q1", "What should this person keep doing?")],
            ),
        )
        raters = {}
        for name in ("Ada Park", "Bo Lind", "Cy Moss"):
            rater = A.nominate_rater(store, cid, name=name, relationship="peer", today=now.date())
            raters[name] = A.set_rater_approval(store, cid, rater.id, True, today=now.date())
        links = {i.rater.name: i.url for i in A.issue_rater_links(store, cid, "http://127.0.0.1:1", now=now)}
        seeded = RaterResponse(
            id=raters["Cy Moss"].id, ratings={"c1.1": 1, "c1.2": 1, "c2.1": 1}, comments={"q1": SEEDED}
        )
        A.save_rater_response(store, cid, seeded, now=now, submit=True)
    port = _free_port()
    env = dict(
        os.environ, COACHKIT_HOME=str(home), PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    env.pop("COACHKIT_DB", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(ROOT / "templates" / "rater.ipynb"),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--show_tracebacks=False",
        ],
        env=env,
        cwd=str(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Voilà did not start")
                time.sleep(0.3)
        base = f"http://127.0.0.1:{port}"

        def page_url(link: str) -> str:
            # links name the shared server's path (/voila/render/rater.ipynb); this Voilà serves
            # the one notebook at /, so only the query string carries over
            assert urlsplit(link).path == "/voila/render/rater.ipynb"
            return f"{base}/?{urlsplit(link).query}"

        yield {
            "home": home,
            "client_id": cid,
            "raters": raters,
            "urls": {name: page_url(url) for name, url in links.items()},
            "base": base,
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    p = context.new_page()
    p.set_default_timeout(LOAD_TIMEOUT)
    yield p
    context.close()


def _open(page: Any, url: str) -> None:
    page.goto(url, timeout=LOAD_TIMEOUT)
    page.wait_for_selector(".coachkit-rater-page", timeout=LOAD_TIMEOUT)


def _choose(page: Any, item: str, answer: str) -> None:
    page.locator(f".coachkit-q-item-{item}").get_by_role("button", name=answer, exact=True).click()


def _chosen(page: Any, item: str) -> list[str]:
    return [t.strip() for t in page.locator(f".coachkit-q-item-{item} button.mod-active").all_inner_texts()]


def _stored(served: dict[str, Any], name: str) -> RaterResponse | None:
    with Store(f"sqlite:///{served['home'] / 'data' / 'coachkit.db'}") as store:
        return store.find(served["client_id"], RaterResponse, served["raters"][name].id)


def test_a_rater_answers_saves_resumes_and_submits(served: dict[str, Any], page: Any) -> None:
    _open(page, served["urls"]["Ada Park"])
    assert "360-degree feedback for Rosa Diaz" in page.inner_text("body")
    _choose(page, "c1-1", "4")
    _choose(page, "c1-2", "Can't say")
    page.locator(".coachkit-q-comment-q1 textarea").fill(CANARY)
    page.locator(".coachkit-save").click()
    page.wait_for_selector(".coachkit-status:has-text('Saved ✓ 2 of 3 answered')")
    saved = _stored(served, "Ada Park")
    assert saved is not None and saved.ratings == {"c1.1": 4, "c1.2": None} and saved.comments == {"q1": CANARY}
    assert saved.submitted_at is None

    page.reload()  # a new kernel: the answers come back from the database
    page.wait_for_selector(".coachkit-rater-page", timeout=LOAD_TIMEOUT)
    assert _chosen(page, "c1-1") == ["4"] and _chosen(page, "c1-2") == ["Can't say"] and _chosen(page, "c2-1") == []
    assert page.locator(".coachkit-q-comment-q1 textarea").input_value() == CANARY
    assert page.inner_text(".coachkit-progress") == "2 of 3 answered"

    page.locator(".coachkit-submit").click()
    page.locator(".coachkit-confirm").click()
    page.wait_for_selector(".coachkit-status:has-text('Not submitted yet')")  # one statement is still open
    assert _stored(served, "Ada Park").submitted_at is None  # type: ignore[union-attr]
    _choose(page, "c2-1", "5")
    page.locator(".coachkit-submit").click()
    page.locator(".coachkit-confirm").click()
    page.wait_for_selector(".coachkit-final-note:has-text('Submitted ✓')")
    final = _stored(served, "Ada Park")
    assert final is not None and final.submitted_at is not None
    assert final.ratings == {"c1.1": 4, "c1.2": None, "c2.1": 5}
    # final: read-only at once (a reload shows the same, see tests/pages: the page of a submitted rater)
    assert page.locator(".coachkit-q-item-c1-1 button").first.is_disabled()
    assert page.locator(".coachkit-q-comment-q1 textarea").is_disabled()
    assert not page.locator(".coachkit-save").is_visible()
    assert not page.locator(".coachkit-submit").is_visible()


def test_another_raters_link_shows_nothing_of_the_first(served: dict[str, Any], page: Any) -> None:
    seeded = _stored(served, "Cy Moss")
    assert seeded is not None and seeded.comments == {"q1": SEEDED}  # another rater's answers are there
    _open(page, served["urls"]["Bo Lind"])
    body = page.inner_text("body")
    assert "360-degree feedback for Rosa Diaz" in body
    assert page.locator(".coachkit-q-comment-q1 textarea").input_value() == ""
    assert all(_chosen(page, item) == [] for item in ("c1-1", "c1-2", "c2-1"))
    content = page.content()
    for text in (SEEDED, CANARY, "Cy Moss", "Ada Park"):
        assert text not in body and text not in content
