"""The case file: everything currently held about one client, in plain objects."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TypeVar

from coachkit.model.base import Record
from coachkit.model.closure import (
    CLOSURE_ID,
    TRANSITION_ID,
    AssessmentResult,
    ClosureReflection,
    FollowUp,
    GoalEvaluation,
    TransitionPlan,
)
from coachkit.model.edit import Edit
from coachkit.model.engagement import (
    ENGAGEMENT_ID,
    INITIAL_MEETING_ID,
    Agreement,
    Client,
    Engagement,
    InitialMeeting,
    PhaseOverride,
    Sponsor,
)
from coachkit.model.feedback360 import CompetencyModel, FeedbackRelease, Rater, RaterResponse
from coachkit.model.ipip import IpipResponse
from coachkit.model.plan import SELF_ASSESSMENT_ID, Action, Goal, GoalAdjustment, Milestone, SelfAssessment
from coachkit.model.progress import CheckIn, Reflection, Session
from coachkit.model.pulse import PulseResponse, PulseRound

R = TypeVar("R", bound=Record)

RECORD_TYPES: tuple[type[Record], ...] = (
    Client,
    Sponsor,
    Engagement,
    PhaseOverride,
    InitialMeeting,
    Agreement,
    SelfAssessment,
    Goal,
    Milestone,
    Action,
    GoalAdjustment,
    Session,
    CheckIn,
    Reflection,
    GoalEvaluation,
    ClosureReflection,
    TransitionPlan,
    FollowUp,
    AssessmentResult,
    Rater,
    CompetencyModel,
    RaterResponse,
    FeedbackRelease,
    IpipResponse,
    PulseRound,
    PulseResponse,
)
"""Every kind of record the store keeps; a new kind is added here."""

KINDS: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}


def record_type(kind: str) -> type[Record]:
    """The record class filed under ``kind``."""
    return KINDS[kind]


@dataclasses.dataclass
class CaseFile:
    """Current records of one client, by kind and id. Accessors return sorted lists."""

    client: Client
    records: dict[str, dict[str, Record]] = dataclasses.field(default_factory=dict)
    revisions: dict[tuple[str, str], int] = dataclasses.field(default_factory=dict)
    """The revision each record was read at, by (kind, id), when the store filled the file."""
    pinned_phase: int | None = None
    """The phase of the whole case, kept when the file is cut down for an audience
    (:func:`coachkit.model.disclosure.disclose`), so every view shows the same phase."""

    @classmethod
    def of(
        cls, client: Client, records: Iterable[Record], revisions: dict[tuple[str, str], int] | None = None
    ) -> CaseFile:
        """A case file holding ``records`` (the last one of a kind and id wins), read at
        ``revisions`` (by kind and id) when they come from the store."""
        file = cls(client=client, revisions=dict(revisions or {}))
        for r in records:
            file.records.setdefault(r.KIND, {})[r.id] = r
        return file

    def revision_of(self, record: Record) -> int | None:
        """The revision ``record``'s entry was read at; None when it was not read (a new one)."""
        return self.revisions.get((record.KIND, record.id))

    def edit(self, record: Record, *, owns: Iterable[str] | None = None) -> Edit:
        """``record`` as an :class:`~coachkit.model.edit.Edit` based on the revision its entry was
        read at (only the fields ``owns``, when given, laid onto the entry as it is when saved)."""
        base = self.revision_of(record)
        if owns is None:
            return Edit(record, base)
        return Edit.fields(record, base, self.one(type(record), record.id), owns)

    def all(self, kind: type[R]) -> list[R]:
        """Every current record of ``kind``, in the order they were first saved."""
        return [r for r in self.records.get(kind.KIND, {}).values() if isinstance(r, kind)]

    def one(self, kind: type[R], record_id: str) -> R | None:
        """The record of ``kind`` with ``record_id``, or None."""
        r = self.records.get(kind.KIND, {}).get(record_id)
        return r if isinstance(r, kind) else None

    @property
    def engagement(self) -> Engagement | None:
        """The engagement, once it is set up."""
        return self.one(Engagement, ENGAGEMENT_ID)

    @property
    def initial_meeting(self) -> InitialMeeting | None:
        """Notes of the initial meeting, if taken."""
        return self.one(InitialMeeting, INITIAL_MEETING_ID)

    @property
    def sponsors(self) -> list[Sponsor]:
        """The sponsors, in the order they were added."""
        return self.all(Sponsor)

    @property
    def agreements(self) -> list[Agreement]:
        """Every agreement version, oldest first."""
        return sorted(self.all(Agreement), key=lambda a: a.version)

    @property
    def agreement(self) -> Agreement | None:
        """The newest agreement version."""
        versions = self.agreements
        return versions[-1] if versions else None

    @property
    def accepted_agreement(self) -> Agreement | None:
        """The newest accepted agreement version."""
        accepted = [a for a in self.agreements if a.accepted]
        return accepted[-1] if accepted else None

    @property
    def self_assessment(self) -> SelfAssessment | None:
        """The client's self-assessment, if begun."""
        return self.one(SelfAssessment, SELF_ASSESSMENT_ID)

    @property
    def goals(self) -> list[Goal]:
        """Goals in the order they were set."""
        return self.all(Goal)

    def milestones_of(self, goal_id: str) -> list[Milestone]:
        """A goal's milestones by target date (undated last)."""
        ms = [m for m in self.all(Milestone) if m.goal_id == goal_id]
        return sorted(ms, key=lambda m: (m.target_date is None, m.target_date or m.done_on, m.title))

    @property
    def milestones(self) -> list[Milestone]:
        """All milestones."""
        return self.all(Milestone)

    @property
    def actions(self) -> list[Action]:
        """Actions by due date (undated last)."""
        return sorted(self.all(Action), key=lambda a: (a.due is None, a.due))

    @property
    def adjustments(self) -> list[GoalAdjustment]:
        """Goal adjustments, oldest first."""
        return sorted(self.all(GoalAdjustment), key=lambda a: a.made_on)

    @property
    def sessions(self) -> list[Session]:
        """Sessions by number."""
        return sorted(self.all(Session), key=lambda s: s.number)

    @property
    def check_ins(self) -> list[CheckIn]:
        """Check-ins, oldest first."""
        return sorted(self.all(CheckIn), key=lambda c: c.on)

    @property
    def reflections(self) -> list[Reflection]:
        """The client's reflections, oldest first."""
        return sorted(self.all(Reflection), key=lambda r: r.on)

    @property
    def evaluations(self) -> list[GoalEvaluation]:
        """Closure evaluations of goals."""
        return self.all(GoalEvaluation)

    @property
    def closure(self) -> ClosureReflection | None:
        """The closure reflection, if begun."""
        return self.one(ClosureReflection, CLOSURE_ID)

    @property
    def transition_plan(self) -> TransitionPlan | None:
        """The transition plan, if begun."""
        return self.one(TransitionPlan, TRANSITION_ID)

    @property
    def follow_ups(self) -> list[FollowUp]:
        """Follow-ups by due date."""
        return sorted(self.all(FollowUp), key=lambda f: f.due)

    @property
    def assessment_results(self) -> list[AssessmentResult]:
        """Hand-entered results of other instruments."""
        return self.all(AssessmentResult)
