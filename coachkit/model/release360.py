"""Releasing the 360 to the client: a snapshot with a memory.

A release freezes the answers it counts (approved raters on the list, submitted by the moment of
release) and the lines it shows, in a :class:`ReleaseSnapshot` kept on the
:class:`FeedbackRelease` record with every earlier one. The client's view is read from the newest
snapshot, so a removal, an approval taken back or a late answer never changes what was released.

Why a later release can be refused. Every number a summary shows (a line's n and mean, the
spread of ratings, the “can't say” count, the comments) is a sum, over the raters of one shown
line, of something about each rater's answer. Whoever holds two views can subtract them. Over
all the views the client was shown, take the *cells*: the raters sorted by which shown lines
they were in, in every release. Subtraction can isolate a cell's total and nothing finer; so a
release is allowed only when every cell (the manager aside, where their own line is agreed)
holds at least ``threshold`` raters other than the manager. Two releases over the same raters
form the same cells; new answers must arrive at least ``threshold`` at a time; answers the client
saw can never be dropped from a later release (a removed rater's answers would be the
difference). When the planned lines fail, coarser ones are tried (groups folded in, down to the
all-raters line); when even that fails, the coach is told why and what to wait for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from coachkit.errors import ValidationError
from coachkit.model.anonymity import ALL, Layout, coarser_layouts, effective_threshold, plan_layout
from coachkit.model.casefile import CaseFile
from coachkit.model.feedback360 import (
    COMPETENCY_MODEL_ID,
    FEEDBACK_RELEASE_ID,
    MANAGER,
    RELATIONSHIP_LABELS,
    RELATIONSHIP_SINGULAR,
    RELATIONSHIPS,
    SELF_ID,
    CompetencyModel,
    FeedbackRelease,
    Rater,
    RaterResponse,
    ReleasedAnswer,
    ReleaseSnapshot,
)

NOTHING_YET = "too few raters have answered to show anything yet; nothing was released."


def counted_answers(file: CaseFile, as_of: datetime | None = None) -> list[ReleasedAnswer]:
    """The answers a summary counts: submitted (by ``as_of``, when given) by a rater who is on
    the list and approved. Answers of a removed or un-approved rater never count."""
    out = []
    for response in file.all(RaterResponse):
        rater = file.one(Rater, response.id)
        if rater is None or not rater.approved or response.submitted_at is None:
            continue
        if as_of is not None and response.submitted_at > as_of:
            continue
        out.append(ReleasedAnswer(rater.id, rater.relationship, dict(response.ratings), dict(response.comments)))
    return out


def own_ratings(file: CaseFile, as_of: datetime | None = None) -> dict[str, int | None] | None:
    """The client's own submitted ratings (by ``as_of``, when given), or None."""
    own = file.one(RaterResponse, SELF_ID)
    if own is None or own.submitted_at is None or (as_of is not None and own.submitted_at > as_of):
        return None
    return dict(own.ratings)


def group_counts(answers: Iterable[ReleasedAnswer]) -> dict[str, int]:
    """How many answers each group gave."""
    listed = list(answers)
    return {g: sum(1 for a in listed if a.relationship == g) for g in RELATIONSHIPS}


def snapshot_layout(snapshot: ReleaseSnapshot) -> Layout:
    """The lines a snapshot shows."""
    t = effective_threshold(snapshot.threshold)
    if not snapshot.separate and not snapshot.combined:
        return Layout(t, False, (), ())
    return Layout(t, True, tuple(snapshot.separate), tuple(snapshot.combined))


def line_sets(answers: Sequence[ReleasedAnswer], layout: Layout) -> list[frozenset[str]]:
    """The raters (ids) behind each line ``layout`` shows."""
    return [frozenset(a.rater_id for a in answers if a.relationship in groups) for _, groups in layout.lines]


def _public(answers: Sequence[ReleasedAnswer], layout: Layout, manager_separate: bool) -> set[str]:
    """Raters whose answers a view shows on a line of their own, as agreed (the manager)."""
    if not (manager_separate and MANAGER in layout.separate):
        return set()
    return {a.rater_id for a in answers if a.relationship == MANAGER}


def cells(
    views: Sequence[tuple[Sequence[ReleasedAnswer], Layout, bool]], *, lines: bool = True
) -> list[frozenset[str]]:
    """The raters sorted by which shown lines they were in, over all ``views`` (answers, layout,
    manager shown apart). With ``lines`` off, only the all-raters lines count (the comments are
    pooled over them, the manager's included); with it on, every line counts and the manager's
    answers, where a view showed them apart as agreed, are left out."""
    sets: list[frozenset[str]] = []
    public: set[str] = set()
    for answers, layout, manager_separate in views:
        shown = line_sets(answers, layout)
        sets += shown if lines else [s for (key, _), s in zip(layout.lines, shown, strict=True) if key == ALL]
        if lines:
            public |= _public(answers, layout, manager_separate)
    seen = set().union(*sets) - public if sets else set()
    by_signature: dict[tuple[bool, ...], set[str]] = {}
    for rater_id in seen:
        by_signature.setdefault(tuple(rater_id in s for s in sets), set()).add(rater_id)
    return [frozenset(c) for c in by_signature.values()]


def small_cells(views: Sequence[tuple[Sequence[ReleasedAnswer], Layout, bool]], threshold: int) -> list[frozenset[str]]:
    """The cells (of the figures, or of the comments) holding fewer than ``threshold`` raters
    other than the manager."""
    managers = {a.rater_id for answers, _, _ in views for a in answers if a.relationship == MANAGER}
    found = {c for c in cells(views) + cells(views, lines=False) if len(c - managers) < threshold}
    return sorted(found, key=sorted)


@dataclasses.dataclass(frozen=True)
class ReleasePlan:
    """What releasing now would show: ``layout`` over ``answers``, or None with ``reason``."""

    answers: tuple[ReleasedAnswer, ...]
    layout: Layout | None
    reason: str = ""


def _history(release: FeedbackRelease | None) -> list[ReleaseSnapshot]:
    return list(release.snapshots) if release is not None else []


def plan_release(file: CaseFile, now: datetime) -> ReleasePlan:
    """The finest lines that may be released now, given every earlier release the client saw."""
    model = file.one(CompetencyModel, COMPETENCY_MODEL_ID)
    t = effective_threshold(model.min_group if model is not None else 0)
    agreement = file.accepted_agreement
    manager_separate = bool(agreement and agreement.manager_shown_separately)
    answers = tuple(counted_answers(file, now))
    counts = group_counts(answers)
    first = plan_layout(counts, manager_separate=manager_separate, threshold=t)
    if not first.show_all:
        return ReleasePlan(answers, None, NOTHING_YET)
    history = [
        (s.answers, snapshot_layout(s), s.manager_separate)
        for s in _history(file.one(FeedbackRelease, FEEDBACK_RELEASE_ID))
    ]
    for layout in coarser_layouts(first, counts):
        if not small_cells([*history, (answers, layout, manager_separate)], t):
            return ReleasePlan(answers, layout)
    return ReleasePlan(answers, None, _reason(history, answers, t))


def _describe(answers: Iterable[ReleasedAnswer]) -> str:
    counts = group_counts(answers)
    parts = []
    for g in RELATIONSHIPS:
        if counts[g]:
            parts.append(f"{counts[g]} from {'the manager' if g == MANAGER else RELATIONSHIP_LABELS[g].lower()}")
    return ", ".join(parts)


def _reason(
    history: Sequence[tuple[Sequence[ReleasedAnswer], Layout, bool]], answers: Sequence[ReleasedAnswer], t: int
) -> str:
    seen = {a.rater_id: a for old, layout, _ in history if layout.show_all for a in old}
    now_ids = {a.rater_id for a in answers}
    dropped = [a for rid, a in seen.items() if rid not in now_ids]
    if dropped:
        return (
            f"{len(dropped)} answer(s) the client has already seen no longer count ({_describe(dropped)}: "
            "the rater was removed or is no longer approved). Any new release would let them be worked out "
            "by comparing it with the earlier one, so the released summary stays as it is."
        )
    new = [a for a in answers if a.rater_id not in seen]
    new_others = sum(1 for a in new if a.relationship != MANAGER)
    if new and new_others < t:
        wait = t - new_others
        return (
            f"Only {_describe(new)} arrived since the last release; comparing the two releases would show "
            f"{'that answer' if len(new) == 1 else 'those answers'}. Wait for {wait} more answer(s) from "
            f"raters other than the manager (any {', '.join(RELATIONSHIP_SINGULAR[g] for g in RELATIONSHIPS[1:])})."
        )
    return "Releasing now would let a small group's answers be worked out by comparing it with an earlier release."


def new_snapshot(file: CaseFile, now: datetime) -> ReleaseSnapshot:
    """The snapshot a release now would freeze; ValidationError (field ``release``) saying why
    not, and what to wait for, when no release is allowed."""
    plan = plan_release(file, now)
    if plan.layout is None:
        raise ValidationError("release", plan.reason)
    model = file.one(CompetencyModel, COMPETENCY_MODEL_ID)
    agreement = file.accepted_agreement
    release = file.one(FeedbackRelease, FEEDBACK_RELEASE_ID)
    approved = {g: sum(1 for r in file.all(Rater) if r.approved and r.relationship == g) for g in RELATIONSHIPS}
    return ReleaseSnapshot(
        number=len(_history(release)) + 1,
        released_at=now,
        threshold=effective_threshold(model.min_group if model is not None else 0),
        manager_separate=bool(agreement and agreement.manager_shown_separately),
        separate=list(plan.layout.separate),
        combined=list(plan.layout.combined),
        answers=list(plan.answers),
        self_ratings=own_ratings(file, now),
        approved={g: n for g, n in approved.items() if n},
    )


def released(file: CaseFile, snapshot: ReleaseSnapshot, *, by: str = "coach") -> FeedbackRelease:
    """The release record with ``snapshot`` added to its memory (and in force)."""
    history = _history(file.one(FeedbackRelease, FEEDBACK_RELEASE_ID))
    return FeedbackRelease(
        released=True, released_at=snapshot.released_at, released_by=by, snapshots=[*history, snapshot]
    )


def withdrawn(file: CaseFile, now: datetime, *, by: str = "coach") -> FeedbackRelease:
    """The release record withdrawn (its memory kept)."""
    history = _history(file.one(FeedbackRelease, FEEDBACK_RELEASE_ID))
    return FeedbackRelease(released=False, released_at=now, released_by=by, snapshots=history)
