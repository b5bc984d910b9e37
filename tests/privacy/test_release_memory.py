"""360 releases over time: a release is a snapshot, and no sequence of releases lets the client
work out one rater's answer or a small group's by comparing them.

The state machine lives through 360 histories (raters nominated and approved, answers, late
answers, removals, approvals taken back and given again, releases and withdrawals; groups of 0-8
raters, thresholds 3-6). After every step a brute-force adversary holds every view the client
was ever shown and knows everything but the ratings themselves (which raters were counted in
each release, their groups, that every item was answered). It writes down every number the
views show as an exact linear equation in the raters' answers (one unknown per rater, item and
answer: 1-5 or “can't say”) and solves the system by rational elimination. It must not be able
to pin down any single rater's answer, nor any total of a group smaller than the threshold,
nor the author of any comment.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from coachkit.errors import ValidationError
from coachkit.model import Agreement, CaseFile, Client, Record, accept_agreement
from coachkit.model.anonymity import ALL
from coachkit.model.feedback360 import (
    FEEDBACK_RELEASE_ID,
    MANAGER,
    RELATIONSHIPS,
    Behaviour,
    Competency,
    CompetencyModel,
    FeedbackRelease,
    OpenQuestion,
    Rater,
    RaterResponse,
)
from coachkit.model.feedback_summary import FeedbackSummary, client_summary
from coachkit.model.release360 import new_snapshot, released, withdrawn

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
ITEMS = ("c1.1", "c1.2")
KINDS = (1, 2, 3, 4, 5, None)  # the answers an item can get; None is “can't say”
MODEL = CompetencyModel(
    competencies=[Competency("c1", "Delegating", [Behaviour("c1.1", "Hands over"), Behaviour("c1.2", "Stays out")])],
    open_questions=[OpenQuestion("q1", "Keep doing?")],
)


# -- the adversary -----------------------------------------------------------------------------


class Span:
    """Rows of an exact linear system over the rationals, kept in reduced echelon form, so that
    whether a vector is determined by the system is one reduction away."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, Fraction]] = {}  # pivot column -> row (pivot 1)

    def reduce(self, vector: dict[int, Fraction]) -> dict[int, Fraction]:
        v = {k: x for k, x in vector.items() if x}
        for pivot in sorted(self.rows):
            if pivot in v:
                factor = v[pivot]
                for k, x in self.rows[pivot].items():
                    y = v.get(k, Fraction(0)) - factor * x
                    if y:
                        v[k] = y
                    else:
                        v.pop(k, None)
        return v

    def add(self, vector: dict[int, Fraction]) -> None:
        v = self.reduce(vector)
        if not v:
            return
        pivot = min(v)
        scale = v[pivot]
        v = {k: x / scale for k, x in v.items()}
        for other in self.rows.values():
            if pivot in other:
                factor = other[pivot]
                for k, x in v.items():
                    y = other.get(k, Fraction(0)) - factor * x
                    if y:
                        other[k] = y
                    else:
                        other.pop(k, None)
        self.rows[pivot] = v

    def determines(self, vector: dict[int, Fraction]) -> bool:
        return not self.reduce(vector)


@dataclasses.dataclass(frozen=True)
class View:
    """One view the client was shown, and which raters (ids, groups) stood behind it."""

    summary: FeedbackSummary
    raters: tuple[tuple[str, str], ...]


def adversary_findings(views: list[View], threshold: int, manager_shown: bool) -> list[str]:
    """Everything the adversary can pin down; empty when the views keep their promise."""
    everyone = sorted({r for v in views for r in v.raters})
    ids = sorted({rid for rid, _ in everyone})
    column = {(rid, kind): n for n, (rid, kind) in enumerate((r, k) for r in ids for k in KINDS)}
    ratings = [k for k in KINDS if k is not None]

    def over(raters: set[str], weight: dict[int | None, int]) -> dict[int, Fraction]:
        return {column[(rid, k)]: Fraction(w) for rid in raters for k, w in weight.items() if w}

    count = {k: (1 if k is not None else 0) for k in KINDS}  # n counts ratings, not “can't say”
    total = {k: (k if k is not None else 0) for k in KINDS}  # mean * n is the sum of ratings
    public = {
        rid
        for v in views
        for rid, g in v.raters
        if g == MANAGER and manager_shown and any(f.line == MANAGER for i in v.summary.items for f in i.figures)
    }
    findings = []
    for item in ITEMS:
        span = Span()
        for rid in ids:  # every rater who submitted answered every item, with exactly one answer
            span.add({column[(rid, k)]: Fraction(1) for k in KINDS})
        for view in views:
            shown = next(i for i in view.summary.items if i.item_id == item)
            members = {g: {rid for rid, rg in view.raters if rg == g} for g in RELATIONSHIPS}
            for figure in shown.figures:
                behind = set().union(*(members[g] for g in figure.groups))
                span.add(over(behind, count))
                span.add(over(behind, total))
                if figure.line == ALL and shown.distribution is not None:
                    for k in ratings:
                        span.add(over(behind, {k: 1}))
                    span.add(over(behind, {None: 1}))
        for rid in ids:
            if rid in public:
                continue
            for k in KINDS:
                if span.determines({column[(rid, k)]: Fraction(1)}):
                    findings.append(f"{item}: whether {rid} answered {k}")
            if span.determines(over({rid}, total)):
                findings.append(f"{item}: {rid}'s rating")
        for view in views:
            for g in RELATIONSHIPS:
                group = {rid for rid, rg in view.raters if rg == g} - public
                if not group or len(group) >= threshold:
                    continue
                for name, weight in [("sum", total), ("n", count), ("can't say", {None: 1})]:
                    if span.determines(over(group, weight)):
                        findings.append(f"{item}: the {name} of {g} ({len(group)} raters)")
    # a comment's author: only raters counted in every view showing it and in none without it
    with_comments = [v for v in views if v.summary.comments]
    for view in with_comments:
        for text in view.summary.comments[0][1]:
            showing = [set(rid for rid, _ in v.raters) for v in with_comments if text in v.summary.comments[0][1]]
            hiding = [set(rid for rid, _ in v.raters) for v in with_comments if text not in v.summary.comments[0][1]]
            candidates = set.intersection(*showing) - set().union(*hiding)
            if len(candidates) < threshold:
                findings.append(f"the author of {text!r} is one of {len(candidates)}")
    return findings


# -- the histories ------------------------------------------------------------------------------


class ReleaseHistories(RuleBasedStateMachine):
    """360 histories with the client's every view kept and attacked."""

    @initialize(threshold=st.integers(3, 6), manager_shown=st.booleans())
    def start(self, threshold: int, manager_shown: bool) -> None:
        self.threshold = threshold
        self.manager_shown = manager_shown
        agreement = accept_agreement(
            Agreement(id="1", version=1, manager_shown_separately=manager_shown), "Client", T0 - timedelta(days=30)
        )
        model = dataclasses.replace(MODEL, min_group=threshold, locked_at=T0)
        self.records: dict[tuple[str, str], Record] = {}
        for r in (agreement, model):
            self.records[(r.KIND, r.id)] = r
        self.clock = T0
        self.next_rater = 0
        self.views: list[View] = []
        self.shown: FeedbackSummary | None = None

    def file(self) -> CaseFile:
        return CaseFile.of(Client(id="c", name="Client"), list(self.records.values()))

    def tick(self) -> datetime:
        self.clock += timedelta(hours=1)
        return self.clock

    def put(self, record: Record) -> None:
        self.records[(record.KIND, record.id)] = record

    def raters(self) -> list[Rater]:
        return [r for r in self.records.values() if isinstance(r, Rater)]

    def answered(self) -> set[str]:
        return {r.id for r in self.records.values() if isinstance(r, RaterResponse) and r.submitted}

    @rule(group=st.sampled_from(RELATIONSHIPS), approved=st.booleans())
    def nominate(self, group: str, approved: bool) -> None:
        if sum(1 for r in self.raters() if r.relationship == group) >= 8:
            return
        self.next_rater += 1
        rid = f"r{self.next_rater}"
        day = self.tick().date()
        self.put(Rater(id=rid, name=rid, relationship=group, approved=approved, approved_on=day if approved else None))

    @rule(group=st.sampled_from(RELATIONSHIPS), size=st.integers(1, 4), data=st.data())
    def wave(self, group: str, size: int, data: st.DataObject) -> None:
        """Several raters of one group nominated, approved and answering at once."""
        for _ in range(size):
            self.nominate(group, True)
            rid = f"r{self.next_rater}"
            if (Rater.KIND, rid) in self.records and rid not in self.answered():
                self.put_answer(rid, data)

    def put_answer(self, rid: str, data: st.DataObject) -> None:
        ratings = {item: data.draw(st.sampled_from(KINDS)) for item in ITEMS}
        at = self.tick()
        self.put(RaterResponse(id=rid, ratings=ratings, comments={"q1": f"comment of {rid}"}, submitted_at=at))

    @precondition(lambda self: any(r.id not in self.answered() for r in self.raters()))
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        waiting = sorted(r.id for r in self.raters() if r.id not in self.answered())
        self.put_answer(data.draw(st.sampled_from(waiting)), data)

    @precondition(lambda self: bool(self.raters()))
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        rater = data.draw(st.sampled_from(sorted(self.raters(), key=lambda r: r.id)))
        del self.records[(Rater.KIND, rater.id)]
        self.tick()

    @precondition(lambda self: bool(self.raters()))
    @rule(data=st.data())
    def toggle_approval(self, data: st.DataObject) -> None:
        rater = data.draw(st.sampled_from(sorted(self.raters(), key=lambda r: r.id)))
        day = self.tick().date()
        self.put(dataclasses.replace(rater, approved=not rater.approved, approved_on=None if rater.approved else day))

    @rule()
    def release(self) -> None:
        file = self.file()
        now = self.tick()
        try:
            snapshot = new_snapshot(file, now)
        except ValidationError as refused:
            assert refused.field == "release" and str(refused)
            return
        self.put(released(file, snapshot))
        shown = client_summary(self.file())
        assert shown is not None
        self.shown = shown
        self.views.append(View(shown, tuple((a.rater_id, a.relationship) for a in snapshot.answers)))

    @rule()
    def withdraw(self) -> None:
        file = self.file()
        if file.one(FeedbackRelease, FEEDBACK_RELEASE_ID) is None:
            return
        self.put(withdrawn(file, self.tick()))
        self.shown = None

    @invariant()
    def the_client_sees_the_last_release_unchanged(self) -> None:
        if not hasattr(self, "views"):
            return
        assert client_summary(self.file()) == self.shown

    @invariant()
    def no_view_gives_anyone_away(self) -> None:
        if not hasattr(self, "views") or not self.views:
            return
        assert adversary_findings(self.views, self.threshold, self.manager_shown) == []
        for view in self.views:
            competency_figures_add_nothing(view.summary)


def competency_figures_add_nothing(summary: FeedbackSummary) -> None:
    """A competency's figure is the mean of its items' shown figures on the same line (so the
    adversary, who holds those, learns nothing more from it)."""
    for c in summary.competencies:
        for figure in c.figures:
            same = [f.mean for i in c.items for f in i.figures if (f.line, f.groups) == (figure.line, figure.groups)]
            assert same and abs(figure.mean - sum(same) / len(same)) < 1e-9


ReleaseHistories.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_release_histories = ReleaseHistories.TestCase


# -- the histories of the issue, step by step -----------------------------------------------------


def _history(separate: bool = False) -> ReleaseHistories:
    machine = ReleaseHistories()
    machine.start(3, separate)
    return machine


class Answers:
    """Draws fixed answers where the machine would draw them at random."""

    def __init__(self, value: int | None) -> None:
        self.value = value

    def draw(self, strategy: object) -> int | None:
        return self.value


def _raters(machine: ReleaseHistories, group: str, n: int, value: int | None) -> None:
    machine.wave(group, n, Answers(value))  # type: ignore[arg-type]


def test_a_naive_second_view_gives_the_late_rater_away() -> None:
    """The adversary is able: two plain summaries, before and after one late answer, show that
    rater's ratings (which is what the release's memory prevents)."""
    from coachkit.model.feedback_summary import build_summary

    machine = _history()
    for group, n in (("manager", 1), ("peer", 2), ("direct_report", 4)):
        _raters(machine, group, n, 4)
    first = View(build_summary(machine.file()), tuple((r.id, r.relationship) for r in machine.raters()))
    _raters(machine, "other", 1, 1)
    second = View(build_summary(machine.file()), tuple((r.id, r.relationship) for r in machine.raters()))
    found = adversary_findings([first, second], 3, False)
    assert "c1.1: r8's rating" in found and "c1.2: r8's rating" in found
    assert any("author of 'comment of r8'" in f for f in found)


def test_the_late_rater_of_the_issue_waits_for_two_more() -> None:
    """Manager 1, peers 2, direct reports 4 released; one other colleague answers late: the coach
    is told to wait for two more answers; once they are in, the release goes out and still
    gives no one away."""
    machine = _history()
    for group, n in (("manager", 1), ("peer", 2), ("direct_report", 4)):
        _raters(machine, group, n, 4)
    machine.release()
    first = machine.shown
    assert first is not None and first.answered == 7
    _raters(machine, "other", 1, 1)
    try:
        new_snapshot(machine.file(), machine.tick())
    except ValidationError as refused:
        assert refused.field == "release"
        assert "Only 1 from other colleagues arrived since the last release" in str(refused)
        assert "Wait for 2 more answer(s)" in str(refused)
    else:
        raise AssertionError("the second release went out with one new answer")
    assert client_summary(machine.file()) == first
    _raters(machine, "peer", 2, 2)
    machine.release()
    assert len(machine.views) == 2 and machine.shown is not None and machine.shown.answered == 10
    assert adversary_findings(machine.views, 3, False) == []


def test_a_removed_rater_leaves_the_release_as_it_was_and_blocks_a_new_one() -> None:
    machine = _history(separate=True)
    _raters(machine, "manager", 1, 5)
    _raters(machine, "peer", 3, 3)
    _raters(machine, "direct_report", 4, 4)
    machine.release()
    first = machine.shown
    assert first is not None
    peer = next(r for r in machine.raters() if r.relationship == "peer")
    del machine.records[(Rater.KIND, peer.id)]
    report = next(r for r in machine.raters() if r.relationship == "direct_report")
    machine.put(dataclasses.replace(report, approved=False, approved_on=None))
    assert client_summary(machine.file()) == first
    _raters(machine, "other", 4, 2)
    try:
        new_snapshot(machine.file(), machine.tick())
    except ValidationError as refused:
        assert "the client has already seen no longer count" in str(refused)
    else:
        raise AssertionError("a release dropped answers the client had seen")
    assert client_summary(machine.file()) == first


def test_cant_say_never_shows_which_group_it_came_from() -> None:
    """One release: the folded manager says “can't say” on an item; the lines stay the same on
    every item, so the figures do not point to the manager."""
    machine = _history()
    _raters(machine, "manager", 1, None)
    _raters(machine, "peer", 2, 3)
    _raters(machine, "direct_report", 4, 4)
    _raters(machine, "other", 1, 2)
    machine.release()
    shown = machine.shown
    assert shown is not None
    layouts = {tuple((f.line, f.groups) for f in i.figures) for i in shown.items}
    assert len(layouts) == 1
    assert adversary_findings(machine.views, 3, False) == []
