"""Where an engagement stands: the phase derived from what is recorded, and the week count.

Every view (the workbooks, the client's dashboard, the sponsor's view, the reports, the CLI)
asks :func:`current_phase` and :func:`engagement_week`, so they all say the same thing. The
phase follows the work; the coach may set it by hand with a
:class:`~coachkit.model.engagement.PhaseOverride`, itself a recorded entry with its history.
"""

from __future__ import annotations

from datetime import date

from coachkit.model.casefile import CaseFile
from coachkit.model.engagement import PHASE_OVERRIDE_ID, Engagement, PhaseOverride
from coachkit.model.feedback360 import FeedbackRelease
from coachkit.model.ipip import IpipResponse
from coachkit.model.pulse import PulseRound

ENDED = ("closed", "ended-early")


def assessment_done(file: CaseFile) -> bool:
    """True once the client assessed themselves, a 360 was released, a personality profile was
    completed or another instrument's result was entered."""
    sa = file.self_assessment
    if sa is not None and (sa.strengths or sa.development_areas or sa.competencies or sa.balance):
        return True
    if file.all(FeedbackRelease) or file.assessment_results:
        return True
    return any(r.complete for r in file.all(IpipResponse))


def plan_set(file: CaseFile) -> bool:
    """True once a goal has a measure and a target date, or a milestone is set."""
    return bool(file.milestones) or any(g.measure.strip() and g.target_date for g in file.goals)


def derived_phase(file: CaseFile) -> int:
    """The phase (1-7) the recorded work has reached, step by step: the agreement accepted 2,
    then the assessment done 3, then the plan set 4 (or at once, with a plan, when two sessions
    were held), then 5 once feedback runs alongside the sessions (two held, and a check-in or
    goal adjustment after the first, or a stakeholder pulse); the closure begun (or the
    engagement closing or ended) 6; a follow-up held, or the engagement ended with follow-ups
    planned, 7."""
    held = sorted(s.held_on for s in file.sessions if s.status == "held")
    phase = 1
    if file.accepted_agreement is not None:
        phase = 2
    if phase == 2 and assessment_done(file):
        phase = 3
    if plan_set(file) and (phase == 3 or len(held) >= 2):
        phase = 4
    if phase == 4 and len(held) >= 2:
        first = held[0]
        ongoing = (
            any(c.on >= first for c in file.check_ins)
            or any(a.made_on >= first for a in file.adjustments)
            or bool(file.all(PulseRound))
        )
        if ongoing:
            phase = 5
    closure = file.closure
    engagement = file.engagement
    status = engagement.status if engagement is not None else ""
    if file.evaluations or (closure is not None and _filled(closure)) or file.transition_plan or status == "closing":
        phase = 6
    if status in ENDED:
        phase = 7 if file.follow_ups else 6
    if any(f.held for f in file.follow_ups):
        phase = 7
    return phase


def _filled(record: object) -> bool:
    return any(bool(getattr(record, name, "")) for name in ("successes", "learning", "how_changed"))


def phase_override(file: CaseFile) -> PhaseOverride | None:
    """The coach's override of the phase, when one is recorded."""
    return file.one(PhaseOverride, PHASE_OVERRIDE_ID)


def current_phase(file: CaseFile) -> int:
    """The phase every view shows: the coach's override when set, else :func:`derived_phase`
    (for a file cut down for an audience, the phase of the whole case)."""
    if file.pinned_phase is not None:
        return file.pinned_phase
    override = phase_override(file)
    if override is not None and override.phase is not None:
        return override.phase
    return derived_phase(file)


def engagement_weeks(engagement: Engagement) -> int:
    """How many weeks the engagement runs, start to planned end (a started week counts)."""
    days = (engagement.planned_end - engagement.start).days
    return max(1, -(-days // 7))


def engagement_week(engagement: Engagement, on: date) -> tuple[int, int]:
    """(week, of weeks) on ``on``: week 1 is the first seven days; before the start it is week 1,
    after the planned end the last week."""
    total = engagement_weeks(engagement)
    week = (on - engagement.start).days // 7 + 1
    return min(total, max(1, week)), total
