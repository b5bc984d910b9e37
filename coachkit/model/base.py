"""Validation helpers and the codec that turns records into plain data and back.

Records are dataclasses. Each one names its ``KIND`` (the word the store files it under) and
checks itself in ``validate()``, raising :class:`~coachkit.errors.ValidationError` with the
field's name. Nothing here touches a file, a database or a widget.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar, Union

from coachkit.errors import ValidationError

R = TypeVar("R", bound="Record")

SHORT_TEXT = 500
NAME_TEXT = 10_000
LONG_TEXT = 100_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_id() -> str:
    """A fresh random id for a record (12 hex characters)."""
    return uuid.uuid4().hex[:12]


@dataclasses.dataclass(kw_only=True)
class Record:
    """Something a coach or client enters, kept by the store with every revision."""

    KIND: ClassVar[str] = ""
    id: str = dataclasses.field(default_factory=new_id)

    def validate(self) -> None:
        """Raise ValidationError naming the first field that is not acceptable."""
        check_text("id", self.id, max_len=200, required=True)

    def to_data(self) -> dict[str, Any]:
        """The record as JSON-ready data (dates as ISO strings)."""
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_data(cls: type[R], data: dict[str, Any]) -> R:
        """Build a record from :meth:`to_data` output; unknown keys are ignored."""
        decoders = _field_decoders(cls)  # type: ignore[arg-type]
        return cls(**{name: decode(data[name]) for name, decode in decoders if name in data})


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(tp: Any, value: Any) -> Any:
    return _decoder(tp)(value)


def _same(value: Any) -> Any:
    return value


@functools.cache
def _field_decoders(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    hints = _hints(cls)
    return tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))


@functools.cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function that turns JSON data back into a value of type ``tp`` (None stays None).
    Built once per type: loading a large case file decodes thousands of records."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decoder(args[0]) if len(args) == 1 else _same
    if origin is list:
        (item_type,) = typing.get_args(tp)
        item = _decoder(item_type)
        return lambda value: None if value is None else [item(v) for v in value]
    if origin is dict:
        _, item_type = typing.get_args(tp)
        item = _decoder(item_type)
        return lambda value: None if value is None else {k: item(v) for k, v in value.items()}
    if tp is datetime:
        return lambda value: None if value is None else datetime.fromisoformat(value)
    if tp is date:
        return lambda value: None if value is None else date.fromisoformat(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        fields = dict(_field_decoders(tp))
        cls = tp
        return lambda value: (
            None if value is None else cls(**{k: fields[k](v) for k, v in value.items() if k in fields})
        )
    if tp is float:
        return lambda value: float(value) if isinstance(value, int) else value
    return _same


# --- validators: each raises ValidationError(field, plain sentence) ---------------------------


def _shown(value: object, limit: int = 60) -> str:
    """``value`` as a message may quote it: short, and never failing (Python refuses to print
    integers of more than 4,300 digits)."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown_number(value: int | float) -> str:
    try:
        return f"{value:g}"
    except (OverflowError, ValueError):  # an integer too large for a float
        return _shown(value)


def check_text(field: str, value: object, *, max_len: int = LONG_TEXT, required: bool = False) -> None:
    """Text of at most ``max_len`` characters; ``required`` refuses an empty or blank one."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text.")
    if required and not value.strip():
        raise ValidationError(field, "is required: please fill it in.")
    if len(value) > max_len:
        raise ValidationError(field, f"is {len(value):,} characters long; please keep it to {max_len:,} or fewer.")
    if "\x00" in value:
        raise ValidationError(field, "contains a NUL character; please remove it.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: no database can store them
        raise ValidationError(field, "contains a broken character that cannot be stored; please retype it.") from exc


def check_texts(field: str, values: object, *, max_items: int = 50, max_len: int = SHORT_TEXT) -> None:
    """A list of short texts (strengths, values...), none blank."""
    if not isinstance(values, list):
        raise ValidationError(field, "must be a list of entries.")
    if len(values) > max_items:
        raise ValidationError(field, f"has {len(values)} entries; please keep it to {max_items}.")
    for i, v in enumerate(values, 1):
        check_text(f"{field} (entry {i})", v, max_len=max_len, required=True)


def check_items(field: str, values: object, item_type: type, *, max_items: int = 200) -> list[Any]:
    """A list of ``item_type`` entries (ratings, progress per goal...); returns it."""
    if not isinstance(values, list):
        raise ValidationError(field, "must be a list of entries.")
    if len(values) > max_items:
        raise ValidationError(field, f"has {len(values)} entries; please keep it to {max_items}.")
    for i, v in enumerate(values, 1):
        if not isinstance(v, item_type):
            raise ValidationError(f"{field} (entry {i})", "is not a rating this list can hold.")
    return values


def check_int(field: str, value: object, lo: int, hi: int, *, required: bool = True) -> None:
    """A whole number from ``lo`` to ``hi`` (or None when not required)."""
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be a whole number from {lo} to {hi}.")
    if not lo <= value <= hi:
        raise ValidationError(field, f"is {_shown(value)}; it must be from {lo} to {hi}.")


def check_number(field: str, value: object, lo: float, hi: float, *, required: bool = True) -> None:
    """A number from ``lo`` to ``hi`` (or None when not required)."""
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ValidationError(field, f"must be a number from {lo:g} to {hi:g}.")
    if not lo <= value <= hi:
        raise ValidationError(field, f"is {_shown_number(value)}; it must be from {lo:g} to {hi:g}.")


def check_date(field: str, value: object, *, required: bool = True) -> None:
    """A calendar date between 1900 and 2200 (or None when not required)."""
    if value is None and not required:
        return
    if value is None:
        raise ValidationError(field, "is required: please pick a date.")
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, "must be a date (YYYY-MM-DD).")
    if not date(1900, 1, 1) <= value <= date(2200, 12, 31):
        raise ValidationError(field, f"is {value.isoformat()}; please pick a date between 1900 and 2200.")


def check_datetime(field: str, value: object, *, required: bool = True) -> None:
    """A point in time (or None when not required)."""
    if value is None and not required:
        return
    if not isinstance(value, datetime):
        raise ValidationError(field, "must be a date and time.")


def check_choice(field: str, value: object, choices: tuple[str, ...]) -> None:
    """One of ``choices``."""
    if value not in choices:
        raise ValidationError(field, f"is {_shown(value)}; choose one of: {', '.join(choices)}.")


def check_bool(field: str, value: object, *, required: bool = True) -> None:
    """True or False (or None when not required)."""
    if value is None and not required:
        return
    if not isinstance(value, bool):
        raise ValidationError(field, "must be yes or no.")


def check_email(field: str, value: object) -> None:
    """An email address, or empty for none."""
    check_text(field, value, max_len=320)
    assert isinstance(value, str)
    if value and not _EMAIL.match(value):
        raise ValidationError(field, f"{value!r} does not look like an email address (name@example.org).")


def check_order(first: str, a: date | None, second: str, b: date | None) -> None:
    """``b`` must not come before ``a`` (either may be missing)."""
    if a is not None and b is not None and b < a:
        raise ValidationError(second, f"({b.isoformat()}) comes before {first} ({a.isoformat()}).")
