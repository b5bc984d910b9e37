"""Phases 5-7: the stakeholder change pulse.

A few chosen raters answer, for each goal the client released (another only where the client
opted it in, which the round records), how much more or less effective the client has become at
a behaviour the coach words for them, asked as a sentence written for the rater (-3 much less
effective ... 0 no change ... +3 remarkably more effective), with one comment per goal. Rounds
run at the mid-point, at the end and at follow-ups. The net score of a goal in a round is the
mean of its answers; +1 or more is the usual bar for a change that others notice. As in the
360, a figure needs at least the threshold of answers (3), and comments are pooled in random
order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from coachkit.errors import Conflict, ValidationError
from coachkit.model.answers import FINAL_ANSWERS, check_answer_maps, check_answer_times
from coachkit.model.base import (
    SHORT_TEXT,
    Record,
    check_choice,
    check_date,
    check_items,
    check_text,
)
from coachkit.model.feedback360 import MIN_GROUP, Rater

if TYPE_CHECKING:
    from coachkit.model.casefile import CaseFile
    from coachkit.model.plan import Goal

PULSE_STAGES: tuple[str, ...] = ("mid-point", "end", "follow-up")
PULSE_SCALE: tuple[tuple[int, str], ...] = (
    (-3, "-3 Much less effective"),
    (-2, "-2 Clearly less"),
    (-1, "-1 Somewhat less"),
    (0, "0 No change"),
    (1, "+1 Somewhat more"),
    (2, "+2 Clearly more"),
    (3, "+3 Remarkably more"),
)
MEANINGFUL_CHANGE = 1.0
MAX_PULSE_ITEMS = 5
MAX_PULSE_RATERS = 12
RATER_ID_LEN = 40  # a rater in a round must be able to save an answer (its id is part of the answer's)


@dataclasses.dataclass
class PulseItem:
    """One goal as raters see it: the behaviour they judge, worded by the coach, and the
    question they read (empty in rounds saved before questions were kept: see
    :func:`pulse_question`)."""

    goal_id: str
    behaviour: str
    question: str = ""


@dataclasses.dataclass
class PulseOptIn:
    """The client's agreement that raters may be asked about a goal they did not release."""

    goal_id: str
    agreed_on: date


@dataclasses.dataclass(kw_only=True)
class PulseRound(Record):
    """One round of the pulse: when, which goals (as behaviours) and which raters."""

    KIND: ClassVar[str] = "pulse_round"
    stage: str = "mid-point"
    label: str = ""
    opened_on: date
    items: list[PulseItem] = dataclasses.field(default_factory=list)
    rater_ids: list[str] = dataclasses.field(default_factory=list)
    opted_in: list[PulseOptIn] = dataclasses.field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        check_text("id", self.id, max_len=40, required=True)
        if "." in self.id or ":" in self.id:
            raise ValidationError("id", "may not contain '.' or ':'.")
        check_choice("stage", self.stage, PULSE_STAGES)
        check_text("label", self.label, max_len=SHORT_TEXT)
        check_date("opened_on", self.opened_on)
        check_items("items", self.items, PulseItem)
        if not 1 <= len(self.items) <= MAX_PULSE_ITEMS:
            raise ValidationError("items", f"choose 1 to {MAX_PULSE_ITEMS} goals for the pulse.")
        goals: set[str] = set()
        for item in self.items:
            check_text("items", item.goal_id, max_len=200, required=True)
            check_text("items", item.behaviour, max_len=SHORT_TEXT, required=True)
            check_text("items", item.question, max_len=SHORT_TEXT)
            if item.question and not item.question.rstrip().endswith("?"):
                raise ValidationError("items", f"“{item.question}” should be a question ending with “?”.")
            if item.goal_id in goals:
                raise ValidationError("items", "asks about the same goal twice.")
            goals.add(item.goal_id)
        if not isinstance(self.rater_ids, list) or not 1 <= len(self.rater_ids) <= MAX_PULSE_RATERS:
            raise ValidationError("rater_ids", f"choose 1 to {MAX_PULSE_RATERS} raters for the pulse.")
        for i, rater_id in enumerate(self.rater_ids, 1):
            check_text(f"rater_ids (entry {i})", rater_id, max_len=RATER_ID_LEN, required=True)
        if len(set(self.rater_ids)) != len(self.rater_ids):
            raise ValidationError("rater_ids", "names the same rater twice.")
        check_items("opted_in", self.opted_in, PulseOptIn)
        for opt_in in self.opted_in:
            check_text("opted_in", opt_in.goal_id, max_len=200, required=True)
            check_date("opted_in", opt_in.agreed_on)

    @property
    def title(self) -> str:
        """The label, or the stage and date."""
        return self.label or f"{self.stage.capitalize()} ({self.opened_on.isoformat()})"


def pulse_response_id(round_id: str, rater_id: str) -> str:
    """The id of a rater's answers in a round."""
    return f"{round_id}.{rater_id}"


@dataclasses.dataclass(kw_only=True)
class PulseResponse(Record):
    """A rater's answers in one round: goal id -> -3..+3 (None for “can't say”), and a comment
    per goal. Final once submitted."""

    KIND: ClassVar[str] = "pulse_response"
    round_id: str
    rater_id: str
    scores: dict[str, int | None] = dataclasses.field(default_factory=dict)
    comments: dict[str, str] = dataclasses.field(default_factory=dict)
    saved_at: datetime | None = None
    submitted_at: datetime | None = None

    def validate(self) -> None:
        super().validate()
        check_text("round_id", self.round_id, max_len=40, required=True)
        check_text("rater_id", self.rater_id, max_len=RATER_ID_LEN, required=True)
        if self.id != pulse_response_id(self.round_id, self.rater_id):
            raise ValidationError("id", "must be the round's id and the rater's id.")
        check_answer_maps(("scores", self.scores), self.comments, keys="goals", key_len=200, low=-3, high=3)
        check_answer_times(self)

    @property
    def submitted(self) -> bool:
        """True once the answers are final."""
        return self.submitted_at is not None


def check_pulse_change(old: object, new: object) -> None:
    """Refuse a change to submitted pulse answers."""
    if isinstance(new, PulseResponse) and isinstance(old, PulseResponse) and old.submitted and old != new:
        raise Conflict(FINAL_ANSWERS)


def check_pulse_complete(round_: PulseRound, response: PulseResponse) -> None:
    """Refuse a submission that leaves a goal unanswered (“can't say” is an answer)."""
    for item in round_.items:
        if item.goal_id not in response.scores:
            raise ValidationError(f"goal:{item.goal_id}", "please choose an answer (or “Can't say”).")


@dataclasses.dataclass(frozen=True)
class PulseResult:
    """One goal in one round: the net score (mean of answers) with n, or None below the
    threshold; how many saw it better, the same or worse; the pooled comments."""

    round_id: str
    round_title: str
    opened_on: date
    goal_id: str
    behaviour: str
    n: int
    net: float | None
    better: int
    same: int
    worse: int
    comments: tuple[str, ...]


def pulse_rounds(file: CaseFile) -> list[PulseRound]:
    """Rounds, oldest first."""
    return sorted(file.all(PulseRound), key=lambda r: (r.opened_on, r.id))


def pulse_results(file: CaseFile, *, threshold: int = MIN_GROUP) -> list[PulseResult]:
    """Per round and goal, the shown results from submitted answers of current raters. Below
    the threshold of answers, no figure and no comment is shown (n is)."""
    t = max(MIN_GROUP, threshold)
    responses = [r for r in file.all(PulseResponse) if r.submitted and file.one(Rater, r.rater_id) is not None]
    out = []
    for round_ in pulse_rounds(file):
        mine = [r for r in responses if r.round_id == round_.id and r.rater_id in round_.rater_ids]
        for item in round_.items:
            scores = [s for r in mine if (s := r.scores.get(item.goal_id)) is not None]
            enough = len(scores) >= t
            texts = sorted(c.strip() for r in mine if (c := r.comments.get(item.goal_id, "")).strip())
            random.Random(hashlib.sha256("\x00".join(texts).encode("utf-8")).digest()).shuffle(texts)
            out.append(
                PulseResult(
                    round_id=round_.id,
                    round_title=round_.title,
                    opened_on=round_.opened_on,
                    goal_id=item.goal_id,
                    behaviour=item.behaviour,
                    n=len(scores),
                    net=round(sum(scores) / len(scores), 2) if enough else None,
                    better=sum(1 for s in scores if s > 0) if enough else 0,
                    same=sum(1 for s in scores if s == 0) if enough else 0,
                    worse=sum(1 for s in scores if s < 0) if enough else 0,
                    comments=tuple(texts) if enough else (),
                )
            )
    return out


# -- what raters are asked ----------------------------------------------------------------------

_NOT_VERBS = frozenset(
    {"a", "an", "the", "my", "our", "their", "more", "less", "better", "fewer", "greater", "stronger"}
    | {"clearer", "higher", "lower", "same", "no", "new"}
)
_PRONOUNS = {"i": "they", "i'm": "they're", "me": "them", "my": "their", "mine": "theirs", "myself": "themselves"}
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def _gerund(verb: str) -> str:
    word = verb.lower()
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    vowel_groups = re.findall(r"[aeiou]+", word)
    if len(vowel_groups) == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", word):
        return word + word[-1] + "ing"
    return word + "ing"


def suggest_behaviour(objective: str) -> str:
    """A goal's objective worded as the behaviour raters judge, in the third person: “Delegate
    decisions to my leads” becomes “delegating decisions to their leads”. Only the first word
    changes case (names and acronyms stay as written). An objective that does not start with
    a verb is kept as it is."""
    text = " ".join(objective.split()).rstrip(" .!")
    text = _WORD.sub(lambda m: _PRONOUNS.get(m.group().lower(), m.group()), text)
    first = _WORD.match(text)
    if first is None or first.group().lower() in _NOT_VERBS or first.group().lower() in _PRONOUNS.values():
        return text
    word = first.group()
    if word.isupper() and len(word) > 1:
        return text
    return _gerund(word) + text[first.end() :]


def pulse_question(item: PulseItem, client_name: str = "") -> str:
    """The question a rater reads for ``item``: the coach's own, else a sentence made from the
    behaviour (“Since the coaching began, how much more or less effective has Jonas become at
    delegating decisions to their leads?”)."""
    if item.question.strip():
        return item.question.strip()
    who = client_name.split()[0] if client_name.split() else "this person"
    behaviour = item.behaviour.strip().rstrip(" .?!")
    first = _WORD.match(behaviour)
    if first is not None and first.group().lower().endswith("ing"):
        return f"Since the coaching began, how much more or less effective has {who} become at {behaviour}?"
    return f"Since the coaching began, how much more or less effective has {who} become here: {behaviour}?"


def asked_goal_ids(round_: PulseRound, goals: Iterable[Goal]) -> set[str]:
    """The goals of ``round_`` raters may be asked about now: released by the client, or opted
    in by them for this round (a goal no longer released drops out at once)."""
    opted = {o.goal_id for o in round_.opted_in}
    return {g.id for g in goals if g.released_to_sponsor or g.id in opted}


def rater_round(round_: PulseRound, goals: Iterable[Goal], client_name: str) -> PulseRound:
    """``round_`` as a rater may see it: only the goals they may be asked about, each with the
    question they read."""
    asked = asked_goal_ids(round_, goals)
    items = [
        PulseItem(i.goal_id, i.behaviour, pulse_question(i, client_name)) for i in round_.items if i.goal_id in asked
    ]
    return dataclasses.replace(round_, items=items)
