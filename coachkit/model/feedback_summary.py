"""The 360 summary: self vs others by competency and item, gaps, strengths, development
priorities, the spread of answers and the comments, all through the anonymity engine.

Only submitted answers of approved raters count. The lines are planned once per summary and
every item's figures come from :func:`fixed_figures`; a competency's figures are the means of
its items' shown figures, so they reveal nothing the item figures do not. Comments are pooled
across groups, in a random order that depends only on their text, once enough raters answered.
The client's summary is read from the release's snapshot (:mod:`coachkit.model.release360`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Sequence
from datetime import datetime

from coachkit.model.anonymity import ALL, Figure, Layout, effective_threshold, fixed_figures, plan_layout
from coachkit.model.casefile import CaseFile
from coachkit.model.feedback360 import (
    COMPETENCY_MODEL_ID,
    FEEDBACK_RELEASE_ID,
    MANAGER,
    RELATIONSHIP_LABELS,
    RELATIONSHIPS,
    CompetencyModel,
    FeedbackRelease,
    Rater,
    ReleasedAnswer,
    default_competency_model,
)
from coachkit.model.release360 import counted_answers, group_counts, own_ratings, snapshot_layout

GAP_BANDS: tuple[tuple[float, str], ...] = ((1.5, "severe"), (1.0, "high"), (0.5, "moderate"))
"""A gap between self and others of at least 0.5 points is moderate, 1.0 high, 1.5 severe."""
BLIND_SPOT = "blind spot"
HIDDEN_STRENGTH = "hidden strength"
TOP_STRENGTHS = 5
PRIORITIES = 3


@dataclasses.dataclass(frozen=True)
class ItemResult:
    """One behaviour: the client's own rating, the shown figures, and the spread of all raters'
    answers (counts of 1-5, and of “can't say”) where the all-raters figure is shown."""

    item_id: str
    competency_id: str
    text: str
    self_rating: int | None
    figures: tuple[Figure, ...]
    distribution: tuple[int, int, int, int, int] | None
    cant_say: int | None

    @property
    def others(self) -> Figure | None:
        """The all-raters figure, if shown."""
        return next((f for f in self.figures if f.line == ALL), None)

    @property
    def gap(self) -> float | None:
        """Self minus others (positive: the client rates themself higher)."""
        return _gap(self.self_rating, self.others)


@dataclasses.dataclass(frozen=True)
class CompetencyResult:
    """One competency: the client's own mean, the shown figures and its items."""

    competency_id: str
    name: str
    self_mean: float | None
    figures: tuple[Figure, ...]
    items: tuple[ItemResult, ...]

    @property
    def others(self) -> Figure | None:
        """The all-raters figure, if shown."""
        return next((f for f in self.figures if f.line == ALL), None)

    @property
    def gap(self) -> float | None:
        """Self minus others (positive: the client rates themself higher)."""
        return _gap(self.self_mean, self.others)


@dataclasses.dataclass(frozen=True)
class Gap:
    """A difference of at least 0.5 points between the client's view and others'."""

    level: str
    name: str
    competency: str
    self_score: float
    others: float
    n: int
    gap: float
    band: str
    kind: str


@dataclasses.dataclass(frozen=True)
class GroupCount:
    """How many raters of a group were approved and how many answered."""

    group: str
    label: str
    approved: int
    answered: int


@dataclasses.dataclass(frozen=True)
class FeedbackSummary:
    """Everything the 360 shows, already anonymised: safe for the coach's workbook and, once
    released, for the client."""

    threshold: int
    manager_separate: bool
    ready: bool
    answered: int
    groups: tuple[GroupCount, ...]
    self_rated: bool
    competencies: tuple[CompetencyResult, ...]
    blind_spots: tuple[Gap, ...]
    hidden_strengths: tuple[Gap, ...]
    strengths: tuple[ItemResult, ...]
    priorities: tuple[CompetencyResult, ...]
    comments: tuple[tuple[str, tuple[str, ...]], ...]
    notes: tuple[str, ...]
    as_of: datetime | None = None

    @property
    def items(self) -> list[ItemResult]:
        """Every item, competency by competency."""
        return [i for c in self.competencies for i in c.items]


def current_model(file: CaseFile) -> CompetencyModel:
    """The engagement's competency model: the saved one, else coachkit's default."""
    return file.one(CompetencyModel, COMPETENCY_MODEL_ID) or default_competency_model()


def manager_shown_separately(file: CaseFile) -> bool:
    """What the accepted agreement says (no accepted agreement: the manager is not shown apart)."""
    agreement = file.accepted_agreement
    return bool(agreement and agreement.manager_shown_separately)


def feedback_release(file: CaseFile) -> FeedbackRelease | None:
    """The release, if the coach has released the summary (and not withdrawn it)."""
    release = file.one(FeedbackRelease, FEEDBACK_RELEASE_ID)
    return release if release is not None and release.released else None


def client_summary(file: CaseFile) -> FeedbackSummary | None:
    """What the client may see: the summary read from the release's snapshot (what it froze,
    whatever changed since), or None while it is not released."""
    release = feedback_release(file)
    if release is None:
        return None
    snapshot = release.current
    if snapshot is None:  # released before snapshots were kept
        return build_summary(file, as_of=release.released_at)
    return summarise(
        current_model(file),
        snapshot.answers,
        snapshot.self_ratings,
        snapshot_layout(snapshot),
        approved=snapshot.approved,
        manager_separate=snapshot.manager_separate,
        as_of=snapshot.released_at,
    )


def build_summary(file: CaseFile, *, as_of: datetime | None = None) -> FeedbackSummary:
    """The anonymised summary of the 360 as it stands (answers submitted by ``as_of``, when
    given, by approved raters on the list): the coach's view, planned without the releases."""
    model = current_model(file)
    t = effective_threshold(model.min_group)
    separate = manager_shown_separately(file)
    answers = counted_answers(file, as_of)
    layout = plan_layout(group_counts(answers), manager_separate=separate, threshold=t)
    approved = {g: sum(1 for r in file.all(Rater) if r.approved and r.relationship == g) for g in RELATIONSHIPS}
    return summarise(
        model, answers, own_ratings(file, as_of), layout, approved=approved, manager_separate=separate, as_of=as_of
    )


def summarise(
    model: CompetencyModel,
    answers: Sequence[ReleasedAnswer],
    own: dict[str, int | None] | None,
    overall: Layout,
    *,
    approved: dict[str, int],
    manager_separate: bool,
    as_of: datetime | None,
) -> FeedbackSummary:
    """The summary of ``answers`` shown with the lines of ``overall`` (see :func:`fixed_figures`)."""
    t = overall.threshold
    counts = group_counts(answers)
    ready = overall.show_all
    competencies = []
    for c in model.competencies:
        items = [_item(c.id, b.id, b.text, answers, own, overall) for b in c.behaviours]
        self_values = [i.self_rating for i in items if i.self_rating is not None]
        competencies.append(
            CompetencyResult(
                c.id,
                c.name,
                sum(self_values) / len(self_values) if self_values else None,
                _competency_figures(items, answers) if ready else (),
                tuple(items),
            )
        )
    gaps = _gaps(competencies)
    rated = [i for c in competencies for i in c.items if i.others is not None]
    strengths = sorted(rated, key=lambda i: -(i.others.mean if i.others else 0.0))[:TOP_STRENGTHS]
    ranked = _priorities([c for c in competencies if c.others is not None])
    comments = _comments(model, answers) if ready else ()
    listed = [g for g in RELATIONSHIPS if approved.get(g, 0) or counts[g]]
    groups = tuple(GroupCount(g, RELATIONSHIP_LABELS[g], approved.get(g, 0), counts[g]) for g in listed)
    differ = ready and any(
        tuple(f.line for f in i.figures) != tuple(k for k, _ in overall.lines) for c in competencies for i in c.items
    )
    return FeedbackSummary(
        threshold=t,
        manager_separate=manager_separate,
        ready=ready,
        answered=len(answers),
        groups=groups,
        self_rated=own is not None,
        competencies=tuple(competencies),
        blind_spots=tuple(g for g in gaps if g.kind == BLIND_SPOT),
        hidden_strengths=tuple(g for g in gaps if g.kind == HIDDEN_STRENGTH),
        strengths=tuple(strengths),
        priorities=tuple(ranked),
        comments=comments,
        notes=tuple(_notes(counts, overall.separate, overall.combined, ready, manager_separate, t, differ)),
        as_of=as_of,
    )


def _gap(self_score: float | None, others: Figure | None) -> float | None:
    if self_score is None or others is None:
        return None
    return round(self_score - others.mean, 2)


def gap_band(gap: float) -> str | None:
    """``moderate``, ``high`` or ``severe`` for a gap of 0.5, 1.0 or 1.5 points or more (either
    direction); None below 0.5."""
    size = abs(round(gap, 2))
    return next((name for bound, name in GAP_BANDS if size >= bound), None)


def _item(
    competency_id: str,
    item_id: str,
    text: str,
    answers: Sequence[ReleasedAnswer],
    own: dict[str, int | None] | None,
    layout: Layout,
) -> ItemResult:
    values: dict[str, list[float]] = {g: [] for g in RELATIONSHIPS}
    cant_say = 0
    for answer in answers:
        if item_id not in answer.ratings:
            continue
        rating = answer.ratings[item_id]
        if rating is None:
            cant_say += 1
        else:
            values[answer.relationship].append(float(rating))
    figures = fixed_figures(values, layout)
    distribution: tuple[int, int, int, int, int] | None = None
    shown_cant_say: int | None = None
    if any(f.line == ALL for f in figures):
        pooled = [v for vs in values.values() for v in vs]
        c1, c2, c3, c4, c5 = (sum(1 for v in pooled if v == k) for k in range(1, 6))
        distribution = (c1, c2, c3, c4, c5)
        shown_cant_say = cant_say
    self_rating = own.get(item_id) if own is not None else None
    return ItemResult(item_id, competency_id, text, self_rating, figures, distribution, shown_cant_say)


def _competency_figures(items: Sequence[ItemResult], answers: Sequence[ReleasedAnswer]) -> tuple[Figure, ...]:
    # Each line's competency figure is the mean of that line's shown item figures (over the items
    # where it is shown with the same groups), so it reveals nothing the item figures do not.
    # Where one line is shown with different groups on different items (the combined line, after
    # "can't say"), the most common composition is used.
    found: dict[tuple[str, tuple[str, ...]], list[tuple[str, Figure]]] = {}
    for item in items:
        for f in item.figures:
            found.setdefault((f.line, f.groups), []).append((item.item_id, f))
    best: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, hits in found.items():
        line = key[0]
        if line not in best or len(hits) > len(found[best[line]]):
            best[line] = key
    out = []
    order = [f.line for i in items for f in i.figures]
    for line in sorted(best, key=order.index):
        groups = best[line][1]
        hits = found[best[line]]
        ids = {item_id for item_id, _ in hits}
        n = sum(1 for a in answers if a.relationship in groups and any(a.ratings.get(k) is not None for k in ids))
        out.append(Figure(line, hits[0][1].label, groups, n, sum(f.mean for _, f in hits) / len(hits)))
    return tuple(out)


def _priorities(competencies: Sequence[CompetencyResult]) -> list[CompetencyResult]:
    """Blind spots first (self above others by 0.5 or more, the largest gap first), then the
    competencies others rate lowest; the first three."""

    def others(c: CompetencyResult) -> float:
        return c.others.mean if c.others else 0.0

    blind = sorted((c for c in competencies if (c.gap or 0.0) >= 0.5), key=lambda c: (-(c.gap or 0.0), others(c)))
    rest = sorted((c for c in competencies if c not in blind), key=others)
    return (blind + rest)[:PRIORITIES]


def _gaps(competencies: Sequence[CompetencyResult]) -> list[Gap]:
    gaps = []
    for c in competencies:
        for level, name, self_score, others in [
            ("competency", c.name, c.self_mean, c.others),
            *(("item", i.text, i.self_rating, i.others) for i in c.items),
        ]:
            gap = _gap(self_score, others)
            if gap is None or self_score is None or others is None:
                continue
            band = gap_band(gap)
            if band is None:
                continue
            kind = BLIND_SPOT if gap > 0 else HIDDEN_STRENGTH
            gaps.append(Gap(level, name, c.name, float(self_score), others.mean, others.n, gap, band, kind))
    gaps.sort(key=lambda g: (g.level != "competency", -abs(g.gap)))
    return gaps


def _comments(model: CompetencyModel, answers: Sequence[ReleasedAnswer]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for q in model.open_questions:
        texts = sorted(t.strip() for r in answers if (t := r.comments.get(q.id, "")).strip())
        seed = hashlib.sha256("\x00".join(texts).encode("utf-8")).digest()
        random.Random(seed).shuffle(texts)
        out.append((q.text, tuple(texts)))
    return tuple(out)


def _notes(
    counts: dict[str, int],
    separate_groups: Sequence[str],
    combined: Sequence[str],
    ready: bool,
    manager_separate: bool,
    t: int,
    item_layouts_differ: bool,
) -> list[str]:
    notes = []
    if not ready:
        notes.append(
            f"Fewer than {t} raters other than the manager have answered, so no results can be shown yet "
            "without pointing to someone."
        )
    if counts.get(MANAGER):
        notes.append(
            "The manager's answers are shown as their own line, as the coaching agreement says."
            if manager_separate
            else "The manager's answers are included with others' and never shown on their own, as the "
            "coaching agreement says."
        )
    for g in combined:
        if g == MANAGER:
            continue
        label = RELATIONSHIP_LABELS[g]
        if counts[g] < t:
            notes.append(f"{label}: {counts[g]} answered, fewer than {t}, so their answers appear only combined.")
        else:
            notes.append(
                f"{label} are combined as well: shown apart, they would let the smaller group be worked out "
                "by subtraction."
            )
    if ready and combined and not separate_groups:
        notes.append("All answers are shown together only.")
    if item_layouts_differ:
        notes.append(
            "On some items fewer raters could answer (“can't say”), so only all raters together are shown there."
        )
    if ready:
        notes.append(
            f"Every figure shows n, the number of answers behind it. No group smaller than {t} appears on its own"
            + (" (the manager's line aside, as agreed)." if manager_separate and counts.get(MANAGER) else ".")
        )
        notes.append("Comments are shown together, in random order, never by group.")
    return notes
