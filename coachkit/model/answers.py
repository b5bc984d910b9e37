"""What a 360 rater's answers and a pulse rater's answers have in common: a map of scores and a
map of comments checked the same way, saved as the rater goes and final once submitted."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Protocol, TypeVar

from coachkit.errors import Conflict, ValidationError
from coachkit.model.base import NAME_TEXT, check_datetime, check_int, check_text

FINAL_ANSWERS = "These answers were submitted and are final; they cannot change."


class AnswerSheet(Protocol):
    """Answers saved as a rater goes, final once ``submitted_at`` is set."""

    comments: dict[str, str]
    saved_at: datetime | None
    submitted_at: datetime | None


S = TypeVar("S", bound=AnswerSheet)


def check_answer_maps(
    scores: tuple[str, object],
    comments: object,
    *,
    keys: str,
    key_len: int,
    low: int,
    high: int,
    comment_keys: str | None = None,
) -> None:
    """ValidationError unless ``scores`` (the field's name and its value) maps keys of at most
    ``key_len`` characters to ``low``..``high`` or None, and ``comments`` maps such keys to text;
    ``keys`` (and ``comment_keys``, where they differ) say what the keys are in the message."""
    field, values = scores
    if not isinstance(values, dict):
        raise ValidationError(field, f"must map {keys} to answers.")
    for key, value in values.items():
        check_text(field, key, max_len=key_len, required=True)
        check_int(field, value, low, high, required=False)
    if not isinstance(comments, dict):
        raise ValidationError("comments", f"must map {comment_keys or keys} to answers.")
    for key, text in comments.items():
        check_text("comments", key, max_len=key_len, required=True)
        check_text("comments", text, max_len=NAME_TEXT)


def check_answer_times(sheet: AnswerSheet) -> None:
    """ValidationError unless the times a sheet was saved and submitted are real times or None."""
    check_datetime("saved_at", sheet.saved_at, required=False)
    check_datetime("submitted_at", sheet.submitted_at, required=False)


def refuse_final(current: AnswerSheet | None) -> None:
    """Conflict when the answers saved so far were already submitted."""
    if current is not None and current.submitted_at is not None:
        raise Conflict(FINAL_ANSWERS)


def stamp_answers(sheet: S, now: datetime, *, asked: Collection[str], submit: bool, complete: Callable[[S], None]) -> S:
    """``sheet`` as saved at ``now``, its comments only on what was ``asked``; with ``submit``
    also final, once ``complete`` has checked that nothing is left unanswered."""
    comments = {k: v for k, v in sheet.comments.items() if k in asked}
    saved = dataclasses.replace(sheet, comments=comments, saved_at=now, submitted_at=None)  # type: ignore[type-var]
    if submit:
        complete(saved)
        saved = dataclasses.replace(saved, submitted_at=now)  # type: ignore[type-var]
    return saved
