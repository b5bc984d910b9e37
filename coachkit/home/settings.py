"""The practice's own settings for the home: its time zone, the coach's name and address, and
the mail server. They live in ``practice.toml`` in the practice folder (table ``[home]``);
``COACHKIT_SMTP_URL`` overrides the mail server named there.

::

    [home]
    time_zone = "Europe/Berlin"
    coach_name = "Alex Morgan"
    coach_email = "alex@morgan-coaching.example"
    smtp_url = "smtp+starttls://alex:secret@mail.example:587"
    rater_reminder_days = 7
    follow_up_notice_days = 7
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coachkit.errors import ValidationError
from coachkit.settings import read as read_setting

SETTINGS_FILE = "practice.toml"
SMTP_ENV = "COACHKIT_SMTP_URL"


@dataclasses.dataclass(frozen=True)
class HomeSettings:
    """What the home needs to know about the practice (every field has a default)."""

    time_zone: str = "UTC"
    coach_name: str = ""
    coach_email: str = ""
    smtp_url: str = ""
    rater_reminder_days: int = 7
    follow_up_notice_days: int = 7

    @property
    def signature(self) -> str:
        """The name messages are signed with."""
        return self.coach_name or "Your coach"

    @property
    def zone(self) -> ZoneInfo:
        """The practice's time zone."""
        return ZoneInfo(self.time_zone)


_FIELDS = {f.name: f.type for f in dataclasses.fields(HomeSettings)}


def load_settings(home: Path) -> HomeSettings:
    """The settings in ``<home>/practice.toml`` (defaults where it is missing), with
    ``COACHKIT_SMTP_URL`` taking the place of ``smtp_url`` when set."""
    path = home / SETTINGS_FILE
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValidationError(SETTINGS_FILE, f"cannot be read ({exc}); fix the file or remove it.") from exc
        table = data.get("home", {})
        if not isinstance(table, dict):
            raise ValidationError(SETTINGS_FILE, "needs a [home] table.")
        for key, value in table.items():
            if key not in _FIELDS:
                raise ValidationError(f"{SETTINGS_FILE} home.{key}", f"is not a setting; known: {', '.join(_FIELDS)}.")
            values[key] = value
    env = read_setting(SMTP_ENV)
    if env:
        values["smtp_url"] = env
    settings = HomeSettings(**values)
    _check(settings)
    return settings


def _check(settings: HomeSettings) -> None:
    for name in ("time_zone", "coach_name", "coach_email", "smtp_url"):
        if not isinstance(getattr(settings, name), str):
            raise ValidationError(f"{SETTINGS_FILE} home.{name}", "must be text in quotes.")
    for name in ("rater_reminder_days", "follow_up_notice_days"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
            raise ValidationError(f"{SETTINGS_FILE} home.{name}", "must be a whole number of days from 1 to 90.")
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"{SETTINGS_FILE} home.time_zone",
            f"{settings.time_zone!r} is not a time zone; use a name like Europe/Berlin or America/New_York.",
        ) from exc
