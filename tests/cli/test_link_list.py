"""``coachkit link list``: every link of a client, whose it is and when it was last opened, for
rater and pulse links too; as a coach lives it: issue, a link is opened, list again."""

from __future__ import annotations

import pytest

from coachkit.cli import main
from coachkit.links import open_link
from coachkit.practice import Practice

Capsys = pytest.CaptureFixture[str]


def _run(capsys: Capsys, practice: Practice, *args: str) -> str:
    assert main(["--home", str(practice.home), *args]) == 0
    return capsys.readouterr().out


def test_link_list_shows_audience_whose_and_last_opened_for_every_kind(demo_practice: Practice, capsys: Capsys) -> None:
    client_url = _run(capsys, demo_practice, "link", "jonas-becker", "-q").strip()
    _run(capsys, demo_practice, "link", "jonas-becker", "--for", "sponsor", "-q")
    rater_urls = [line.strip() for line in _run(capsys, demo_practice, "raters", "links", "jonas-becker").splitlines()]
    pulse_urls = [
        line.strip() for line in _run(capsys, demo_practice, "pulse", "links", "jonas-becker", "mid").splitlines()
    ]
    rater_urls = [u for u in rater_urls if u.startswith("http")]
    pulse_urls = [u for u in pulse_urls if u.startswith("http")]
    assert rater_urls and pulse_urls

    out = _run(capsys, demo_practice, "link", "list", "jonas-becker")
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["LINK", "ID", "FOR"] and "WHOSE" in header and header.endswith("LAST OPENED")
    listed = [line for line in lines if line and not line.startswith("Tokens")]
    assert len(listed) == 2 + len(rater_urls) + len(pulse_urls)
    assert all(line.endswith("never") for line in listed)
    kinds = ("client", "sponsor", "rater", "pulse")
    by_kind = {kind: [line for line in listed if line.split()[1] == kind] for kind in kinds}
    assert len(by_kind["rater"]) == len(rater_urls) and len(by_kind["pulse"]) == len(pulse_urls)
    assert "Jonas Becker" in by_kind["client"][0]
    file = demo_practice.store.load("jonas-becker")
    assert all(s.name in by_kind["sponsor"][0] for s in file.sponsors[:1])
    assert "Priya Natarajan" in out and "round mid" in " ".join(by_kind["pulse"])

    # the client opens the dashboard, one rater their 360 page and one their pulse page
    for url, audience in ((client_url, "client"), (rater_urls[0], "rater"), (pulse_urls[0], "rater")):
        assert open_link(demo_practice, url.split("?", 1)[1], audience) is not None
    out = _run(capsys, demo_practice, "link", "list", "jonas-becker")
    listed = [line for line in out.splitlines()[1:] if line and not line.startswith("Tokens")]
    opened = [line for line in listed if not line.endswith("never")]
    assert sorted(line.split()[1] for line in opened) == ["client", "pulse", "rater"]
    assert all(line.split()[-2].startswith("20") for line in opened)  # a date and a time, not "never"
    for url in (client_url, *rater_urls, *pulse_urls):
        assert url.split("token=")[1] not in out  # tokens are never shown again


def test_link_list_of_a_client_without_links_quotes_the_real_command(demo_practice: Practice, capsys: Capsys) -> None:
    out = _run(capsys, demo_practice, "link", "list", "mei-tanaka")
    assert "No links for Mei Tanaka yet: `coachkit link mei-tanaka` makes one." in out
