"""Phase 2 records for 360-degree feedback: raters, the competency model, answers, the release.

One 360 per engagement. The client or coach nominates raters; the coach approves them; each
approved rater gets a private link and answers the competency model's items (1-5 or “can't
say”) and open questions. The client rates themself on the same items (the response with id
``self``). Answers can be saved and resumed; once submitted they are final. The competency model
is locked when the first answer arrives. The summary (see :mod:`coachkit.model.feedback_summary`)
reaches the client only after the coach releases it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from coachkit.errors import Conflict, ValidationError
from coachkit.model.answers import FINAL_ANSWERS as FINAL_ANSWERS  # importable from here as before
from coachkit.model.answers import check_answer_maps, check_answer_times, refuse_final
from coachkit.model.base import (
    NAME_TEXT,
    SHORT_TEXT,
    Record,
    check_bool,
    check_choice,
    check_date,
    check_datetime,
    check_email,
    check_int,
    check_items,
    check_text,
)
from coachkit.model.competencies import DEFAULT_COMPETENCIES, DEFAULT_OPEN_QUESTIONS

MANAGER = "manager"
RELATIONSHIPS: tuple[str, ...] = ("manager", "peer", "direct_report", "other")
RELATIONSHIP_LABELS: dict[str, str] = {
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
    "other": "Other colleagues",
}
RELATIONSHIP_SINGULAR: dict[str, str] = {
    "manager": "manager",
    "peer": "peer",
    "direct_report": "direct report",
    "other": "other colleague",
}
NOMINATORS = ("client", "coach")
SELF_ID = "self"
"""The id of the client's own rating (a :class:`RaterResponse` that no rater owns)."""

MIN_GROUP = 3
"""The smallest group ever shown on its own; a model may raise it, never lower it."""
MAX_ITEMS = 35
MAX_COMPETENCIES = 12
MAX_BEHAVIOURS = 4
MAX_OPEN_QUESTIONS = 3
ADVISED_RATERS = (4, 8)
MAX_RATERS = 25


@dataclasses.dataclass(kw_only=True)
class Rater(Record):
    """Someone nominated to give 360 feedback, and where their nomination stands."""

    KIND: ClassVar[str] = "rater"
    name: str
    email: str = ""
    relationship: str = "peer"
    nominated_by: str = "client"
    nominated_on: date | None = None
    approved: bool = False
    approved_on: date | None = None
    invited_on: date | None = None

    def validate(self) -> None:
        super().validate()
        check_text("name", self.name, max_len=NAME_TEXT, required=True)
        check_email("email", self.email)
        check_choice("relationship", self.relationship, RELATIONSHIPS)
        check_choice("nominated_by", self.nominated_by, NOMINATORS)
        check_date("nominated_on", self.nominated_on, required=False)
        check_bool("approved", self.approved)
        check_date("approved_on", self.approved_on, required=False)
        check_date("invited_on", self.invited_on, required=False)
        if self.id == SELF_ID:
            raise ValidationError("id", f"{SELF_ID!r} is kept for the client's own rating.")
        if self.approved and self.approved_on is None:
            raise ValidationError("approved_on", "is required once the rater is approved.")


@dataclasses.dataclass
class Behaviour:
    """One observable behaviour: a rated item."""

    id: str
    text: str


@dataclasses.dataclass
class Competency:
    """A competency and the behaviours that show it."""

    id: str
    name: str
    behaviours: list[Behaviour] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class OpenQuestion:
    """A question raters answer in their own words."""

    id: str
    text: str


COMPETENCY_MODEL_ID = "competency-model"


@dataclasses.dataclass(kw_only=True)
class CompetencyModel(Record):
    """What raters rate in this engagement, and the smallest group shown on its own. Locked
    (``locked_at``) once the first answer arrives; after that it never changes."""

    KIND: ClassVar[str] = "competency_model"
    id: str = COMPETENCY_MODEL_ID
    competencies: list[Competency] = dataclasses.field(default_factory=list)
    open_questions: list[OpenQuestion] = dataclasses.field(default_factory=list)
    min_group: int = MIN_GROUP
    locked_at: datetime | None = None

    def validate(self) -> None:
        super().validate()
        check_items("competencies", self.competencies, Competency)
        if not 1 <= len(self.competencies) <= MAX_COMPETENCIES:
            raise ValidationError(
                "competencies", f"has {len(self.competencies)}; keep between 1 and {MAX_COMPETENCIES}."
            )
        ids: set[str] = set()
        names: set[str] = set()
        for c in self.competencies:
            check_text("competencies", c.name, max_len=200, required=True)
            if c.name.casefold() in names:
                raise ValidationError("competencies", f"names “{c.name}” twice.")
            names.add(c.name.casefold())
            check_items("competencies", c.behaviours, Behaviour)
            if not 1 <= len(c.behaviours) <= MAX_BEHAVIOURS:
                raise ValidationError(
                    "competencies", f"“{c.name}” has {len(c.behaviours)} behaviours; give it 1 to {MAX_BEHAVIOURS}."
                )
            for b in c.behaviours:
                check_text("competencies", b.text, max_len=SHORT_TEXT, required=True)
            for key in [c.id, *(b.id for b in c.behaviours)]:
                check_text("competencies", key, max_len=40, required=True)
                if key in ids:
                    raise ValidationError("competencies", f"uses the id {key!r} twice.")
                ids.add(key)
        if len(self.items) > MAX_ITEMS:
            raise ValidationError(
                "competencies", f"has {len(self.items)} behaviours in all; keep it to {MAX_ITEMS} (about 15 minutes)."
            )
        check_items("open_questions", self.open_questions, OpenQuestion)
        if len(self.open_questions) > MAX_OPEN_QUESTIONS:
            raise ValidationError(
                "open_questions", f"has {len(self.open_questions)}; keep it to {MAX_OPEN_QUESTIONS} or fewer."
            )
        for q in self.open_questions:
            check_text("open_questions", q.text, max_len=SHORT_TEXT, required=True)
            check_text("open_questions", q.id, max_len=40, required=True)
            if q.id in ids:
                raise ValidationError("open_questions", f"uses the id {q.id!r} twice.")
            ids.add(q.id)
        check_int("min_group", self.min_group, MIN_GROUP, 10)
        check_datetime("locked_at", self.locked_at, required=False)

    @property
    def items(self) -> list[tuple[Competency, Behaviour]]:
        """Every rated item with its competency, in order."""
        return [(c, b) for c in self.competencies for b in c.behaviours]

    @property
    def locked(self) -> bool:
        """True once answers have arrived."""
        return self.locked_at is not None


def default_competency_model() -> CompetencyModel:
    """coachkit's default model (ten competencies, 30 behaviours, three open questions)."""
    return CompetencyModel(
        competencies=[
            Competency(f"c{i}", name, [Behaviour(f"c{i}.{j}", text) for j, text in enumerate(texts, 1)])
            for i, (name, texts) in enumerate(DEFAULT_COMPETENCIES, 1)
        ],
        open_questions=[OpenQuestion(f"q{i}", text) for i, text in enumerate(DEFAULT_OPEN_QUESTIONS, 1)],
    )


def competency_text(model: CompetencyModel) -> str:
    """The model as editable text: ``## Competency`` headings, one ``- behaviour`` a line."""
    blocks = []
    for c in model.competencies:
        blocks.append("\n".join([f"## {c.name}", *(f"- {b.text}" for b in c.behaviours)]))
    return "\n\n".join(blocks) + "\n"


_HEADING = re.compile(r"^#+\s*(.*)$")
_BULLET = re.compile(r"^[-*•]\s*(.*)$")


def parse_competency_text(text: str) -> list[Competency]:
    """Competencies from :func:`competency_text`'s format; ids are numbered in order. Raises
    ValidationError (field ``competencies``) naming the line that cannot be read."""
    competencies: list[Competency] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            i = len(competencies) + 1
            competencies.append(Competency(f"c{i}", heading.group(1).strip()))
        elif bullet:
            if not competencies:
                raise ValidationError(
                    "competencies", f"line {number}: a behaviour comes before any “## competency” heading."
                )
            current = competencies[-1]
            current.behaviours.append(Behaviour(f"{current.id}.{len(current.behaviours) + 1}", bullet.group(1).strip()))
        else:
            raise ValidationError(
                "competencies", f"line {number}: start it with “## ” for a competency or “- ” for a behaviour."
            )
    return competencies


def model_advice(model: CompetencyModel) -> list[str]:
    """Plain advice when the model strays from what keeps a 360 short and useful."""
    advice = []
    if not 8 <= len(model.competencies) <= 12:
        advice.append(f"{len(model.competencies)} competencies: 8 to 12 usually cover leadership well.")
    for c in model.competencies:
        if not 2 <= len(c.behaviours) <= 4:
            advice.append(f"“{c.name}” has {len(c.behaviours)} behaviour(s): 2 to 4 give a steadier picture.")
    if not 2 <= len(model.open_questions) <= 3:
        advice.append(f"{len(model.open_questions)} open question(s): 2 or 3 is usual.")
    return advice


@dataclasses.dataclass(kw_only=True)
class RaterResponse(Record):
    """One rater's answers (``id`` is the rater's id, or ``self`` for the client's own rating).
    ``ratings`` maps an item id to 1-5, or to None for “can't say”; an item not in it is not
    answered yet. Once ``submitted_at`` is set the answers are final."""

    KIND: ClassVar[str] = "rater_response"
    ratings: dict[str, int | None] = dataclasses.field(default_factory=dict)
    comments: dict[str, str] = dataclasses.field(default_factory=dict)
    saved_at: datetime | None = None
    submitted_at: datetime | None = None

    def validate(self) -> None:
        super().validate()
        check_answer_maps(
            ("ratings", self.ratings), self.comments, keys="items", comment_keys="questions", key_len=40, low=1, high=5
        )
        check_answer_times(self)

    @property
    def submitted(self) -> bool:
        """True once the answers are final."""
        return self.submitted_at is not None

    @property
    def started(self) -> bool:
        """True once anything is answered."""
        return bool(self.ratings) or any(v.strip() for v in self.comments.values())


def check_complete(model: CompetencyModel, response: RaterResponse) -> None:
    """Refuse a submission that leaves an item unanswered (“can't say” is an answer), naming
    the first one as ``item:<id>``."""
    missing = [b for _, b in model.items if b.id not in response.ratings]
    if missing:
        raise ValidationError(
            f"item:{missing[0].id}",
            f"please choose an answer (or “Can't say”): {len(missing)} statement(s) still open.",
        )


FEEDBACK_RELEASE_ID = "feedback-release"


@dataclasses.dataclass
class ReleasedAnswer:
    """One rater's submitted answers as a release froze them (id and group, never the name)."""

    rater_id: str
    relationship: str
    ratings: dict[str, int | None] = dataclasses.field(default_factory=dict)
    comments: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ReleaseSnapshot:
    """What one release showed the client, frozen: the answers it counted, the client's own
    rating, its lines (``separate`` groups, ``combined`` groups) and the approved raters per
    group. The client's view is read from here: later changes never alter it."""

    number: int
    released_at: datetime
    threshold: int
    manager_separate: bool
    separate: list[str] = dataclasses.field(default_factory=list)
    combined: list[str] = dataclasses.field(default_factory=list)
    answers: list[ReleasedAnswer] = dataclasses.field(default_factory=list)
    self_ratings: dict[str, int | None] | None = None
    approved: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class FeedbackRelease(Record):
    """The coach's release of the 360 summary, with its memory: ``snapshots`` holds every release
    the client was shown, oldest first; the client sees the newest while ``released`` is on.
    Withdrawing keeps the snapshots (a later release is checked against all of them)."""

    KIND: ClassVar[str] = "feedback_release"
    id: str = FEEDBACK_RELEASE_ID
    released: bool = True
    released_at: datetime
    released_by: str = "coach"
    snapshots: list[ReleaseSnapshot] = dataclasses.field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        check_bool("released", self.released)
        check_datetime("released_at", self.released_at)
        check_text("released_by", self.released_by, max_len=SHORT_TEXT, required=True)
        check_items("snapshots", self.snapshots, ReleaseSnapshot)
        for number, snapshot in enumerate(self.snapshots, 1):
            check_int("snapshots", snapshot.number, 1, len(self.snapshots))  # a number before it is shown
            if snapshot.number != number:
                raise ValidationError("snapshots", f"release {snapshot.number} is out of order (expected {number}).")
            check_items("snapshots", snapshot.answers, ReleasedAnswer)
            for answer in snapshot.answers:
                check_choice("snapshots", answer.relationship, RELATIONSHIPS)

    @property
    def current(self) -> ReleaseSnapshot | None:
        """The snapshot the client sees now (None while withdrawn, or for an old release)."""
        return self.snapshots[-1] if self.released and self.snapshots else None


def rater_advice(raters: Sequence[Rater], threshold: int = MIN_GROUP) -> list[str]:
    """Advice on the list of approved raters: 4-8 is the usual number, and a group smaller than
    the threshold will be folded in with others."""
    approved = [r for r in raters if r.approved]
    lo, hi = ADVISED_RATERS
    advice = [f"{lo} to {hi} raters who have worked with the client for 6 to 12 months usually give a clear picture."]
    if len(approved) < lo:
        advice.append(
            f"Warning: only {len(approved)} approved rater(s). With fewer than {lo} the results rest on very few views."
        )
    elif len(approved) > hi:
        advice.append(
            f"Warning: {len(approved)} approved raters. More than {hi} adds work for little new insight; "
            f"consider narrowing the list (at most {MAX_RATERS})."
        )
    for group in RELATIONSHIPS:
        if group == MANAGER:
            continue
        n = sum(1 for r in approved if r.relationship == group)
        if 0 < n < threshold:
            advice.append(
                f"{RELATIONSHIP_LABELS[group]}: {n} approved. Unless at least {threshold} of them answer, their "
                "answers are shown only combined with others."
            )
    return advice


def check_feedback_change(old: object, new: object) -> None:
    """Refuse changes that must not happen: a locked competency model edited, submitted answers
    changed."""
    if not isinstance(old, (CompetencyModel, RaterResponse)) or not isinstance(new, type(old)):
        return
    if old.to_data() == new.to_data():
        return
    if isinstance(old, CompetencyModel) and old.locked:
        raise Conflict("The competency model is locked: answers have arrived, so its items can no longer change.")
    if isinstance(old, RaterResponse):
        refuse_final(old)
