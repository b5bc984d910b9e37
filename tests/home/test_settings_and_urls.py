"""The home's settings, the SMTP URL, and old session records still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachkit.errors import ValidationError
from coachkit.home.mail import parse_smtp_url
from coachkit.home.settings import load_settings
from coachkit.model import Session


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.local", ("mail.local", 25, "none", "", "")),
        ("smtp://mail.local:2525?starttls=1", ("mail.local", 2525, "starttls", "", "")),
        ("smtp+starttls://alex:p%40ss%3Aword@mail.example", ("mail.example", 587, "starttls", "alex", "p@ss:word")),
        ("smtps://alex%40firm.example:pw@mail.example", ("mail.example", 465, "ssl", "alex@firm.example", "pw")),
    ],
)
def test_smtp_urls(url: str, expected: tuple[str, int, str, str, str]) -> None:
    server = parse_smtp_url(url, default_sender="coach@firm.example")
    assert (server.host, server.port, server.tls, server.user, server.password) == expected
    assert server.sender == "coach@firm.example"
    assert "pw" not in repr(server) and "word" not in repr(server) and "word" not in server.shown


def test_smtp_url_sender_and_refusals() -> None:
    assert parse_smtp_url("smtp://h?from=me@x.example").sender == "me@x.example"
    for bad in ("http://mail.example", "smtp://", "mail.example:25", "smtp://h:port"):
        with pytest.raises(ValidationError) as err:
            parse_smtp_url(bad, default_sender="me@x.example")
        assert err.value.field == "COACHKIT_SMTP_URL"
    with pytest.raises(ValidationError, match="names no sender"):
        parse_smtp_url("smtp://h")


def test_settings_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(tmp_path).time_zone == "UTC"
    (tmp_path / "practice.toml").write_text(
        '[home]\ntime_zone = "Asia/Tokyo"\nsmtp_url = "smtp://file.example"\n', encoding="utf-8"
    )
    assert load_settings(tmp_path).smtp_url == "smtp://file.example"
    monkeypatch.setenv("COACHKIT_SMTP_URL", "smtp://env.example")
    settings = load_settings(tmp_path)
    assert (settings.zone.key, settings.smtp_url) == ("Asia/Tokyo", "smtp://env.example")
    for text, field in (
        ('[home]\ntime_zone = "Mars/Olympus"\n', "home.time_zone"),
        ("[home]\nrater_reminder_days = 0\n", "home.rater_reminder_days"),
        ("[home]\ncolour = 1\n", "home.colour"),
        ("[home\n", "practice.toml"),
    ):
        (tmp_path / "practice.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError) as err:
            load_settings(tmp_path)
        assert field in err.value.field


def test_a_session_saved_before_times_existed_still_reads() -> None:
    old = {"id": "2", "number": 2, "held_on": "2026-03-01", "duration_minutes": 60, "status": "held"}
    session = Session.from_data(old)
    assert (session.starts_at, session.place) == (None, "")
    session.validate()
