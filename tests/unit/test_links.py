"""Private links: issuing, opening from a page's query string, listing and revoking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coachkit.errors import NotFound, ValidationError
from coachkit.links import (
    DEFAULT_DAYS,
    MAX_DAYS,
    base_url_for,
    check_base_url,
    create_link,
    issue_link,
    list_links,
    open_link,
    revoke_link,
    token_from_query,
)
from coachkit.model.access import token_hash
from coachkit.practice import Practice

JONAS = "jonas-becker"


def _query(url: str) -> str:
    return url.split("?", 1)[1]


def test_a_link_opens_its_page_for_its_client_only(demo_practice: Practice) -> None:
    url = issue_link(demo_practice, JONAS, "client", 30, "http://coach.example:8866")
    assert url.startswith("http://coach.example:8866/voila/render/dashboard.ipynb?token=")
    token = token_from_query(_query(url))
    assert token is not None and len(token) >= 32  # 192 random bits, URL-safe
    link = open_link(demo_practice, _query(url), "client")
    assert link is not None and link.client_id == JONAS and link.audience == "client"
    assert open_link(demo_practice, _query(url), "sponsor") is None  # another audience's page
    stored = demo_practice.store.export_rows()["links"]
    assert token not in repr(stored) and token_hash(token) in repr(stored)
    assert demo_practice.store.links(JONAS)[0].last_used_at is not None


def test_sponsor_links_open_the_sponsor_view(demo_practice: Practice) -> None:
    issued = create_link(demo_practice, "mei-tanaka", "sponsor", None, "https://coach.example/")
    assert "/voila/render/sponsor.ipynb?token=" in issued.url
    lifetime = issued.link.expires_at - issued.link.created_at
    assert abs(lifetime - timedelta(days=DEFAULT_DAYS["sponsor"])) < timedelta(seconds=5)
    link = open_link(demo_practice, _query(issued.url), "sponsor")
    assert link is not None and link.client_id == "mei-tanaka"


@pytest.mark.parametrize(
    "query",
    [None, "", "token=", "token", "client_id=jonas-becker", "token=" + "A" * 32, "token=%ZZ", "a=1&" * 60 + "token=x"],
)
def test_missing_or_wrong_tokens_open_nothing(demo_practice: Practice, query: str | None) -> None:
    issue_link(demo_practice, JONAS)
    assert open_link(demo_practice, query, "client") is None


def test_two_tokens_open_nothing_even_if_one_is_right(demo_practice: Practice) -> None:
    mine = _query(issue_link(demo_practice, JONAS))
    other = _query(issue_link(demo_practice, "mei-tanaka"))
    assert open_link(demo_practice, f"{mine}&{other}", "client") is None
    assert open_link(demo_practice, f"{mine}&{mine}", "client") is None
    link = open_link(demo_practice, f"client_id=mei-tanaka&{mine}&home=/elsewhere", "client")
    assert link is not None and link.client_id == JONAS  # only the token decides


def test_expired_and_revoked_links_open_nothing(demo_practice: Practice) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=10)
    expired = create_link(demo_practice, JONAS, "client", 3, now=long_ago)
    assert open_link(demo_practice, _query(expired.url), "client") is None
    live = create_link(demo_practice, JONAS, "client", 3)
    assert open_link(demo_practice, _query(live.url), "client") is not None
    revoked = revoke_link(demo_practice, live.link.id)
    assert revoked.revoked_at is not None
    assert open_link(demo_practice, _query(live.url), "client") is None
    states = {link.id: link.state(datetime.now(UTC)) for link in list_links(demo_practice, JONAS)}
    assert states == {expired.link.id: "expired", live.link.id: "revoked"}


def test_bad_requests_are_refused_plainly(demo_practice: Practice) -> None:
    with pytest.raises(NotFound):
        issue_link(demo_practice, "nobody")
    with pytest.raises(NotFound):
        issue_link(demo_practice, "../etc")
    with pytest.raises(ValidationError) as err:
        issue_link(demo_practice, JONAS, "coach")
    assert err.value.field == "audience"
    for days in (0, -1, MAX_DAYS + 1):
        with pytest.raises(ValidationError) as err:
            issue_link(demo_practice, JONAS, "client", days)
        assert err.value.field == "days"  # the domain word; the CLI says --expires
    with pytest.raises(ValidationError):
        issue_link(demo_practice, JONAS, base_url="javascript:alert(1)")
    with pytest.raises(NotFound):
        revoke_link(demo_practice, "no-such-link")
    with pytest.raises(NotFound):
        list_links(demo_practice, "nobody")


def test_base_urls() -> None:
    assert base_url_for("0.0.0.0", 8866) == "http://127.0.0.1:8866/"
    assert base_url_for("::1", 9000) == "http://[::1]:9000/"
    assert check_base_url("https://coach.example/pages") == "https://coach.example/pages/"
    with pytest.raises(ValidationError):
        check_base_url("http://x/?token=1")
