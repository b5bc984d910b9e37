"""Who may read what: a client's case file cut down to what one audience may see.

A report, a dashboard or anything else shown outside the coach's own workbook starts from
:func:`disclose`, so what must not reach a reader is not even in the data the page is built from:

- **coach**: everything except the coach's private session notes (a report can be printed,
  mailed or left on a desk; private notes stay in the session workbook).
- **client**: their own records, without the coach's private notes, the coach's notes of the
  initial meeting, the client's own evaluation of the coaching (it is for the coach),
  hand-entered assessment results (those reach a client only once the coach releases them), or
  any rater's raw answers, nominations and pulse answers: a client sees the 360 only as the
  anonymised summary the coach released (built before this cut, from the full file).
- **sponsor**: only the goals the client released (objective, measure, baseline, target, date,
  status), their milestones (titles and dates, no evidence), the progress rated on them at
  check-ins (no confidence shown, no blockers, no notes), sessions held and planned (dates only,
  never content), closure outcomes and follow-up ratings of released goals. Never reflections,
  actions, session content, private notes, self-assessment or any assessment.
"""

from __future__ import annotations

import dataclasses

from coachkit.errors import ValidationError
from coachkit.model.base import Record
from coachkit.model.casefile import CaseFile
from coachkit.model.closure import AssessmentResult, ClosureReflection, FollowUp
from coachkit.model.engagement import Client, InitialMeeting
from coachkit.model.feedback360 import Rater, RaterResponse
from coachkit.model.phase import current_phase
from coachkit.model.plan import Goal
from coachkit.model.progress import Session
from coachkit.model.pulse import PulseResponse, PulseRound

RATERS_ONLY = (Rater, RaterResponse, PulseRound, PulseResponse)
"""Records that name raters or hold their answers: the coach's alone."""

REPORT_AUDIENCES: tuple[str, ...] = ("client", "sponsor", "coach")
"""Who a report or view is for."""


def check_audience(audience: str) -> str:
    """``audience`` if it is one of :data:`REPORT_AUDIENCES`, else ValidationError."""
    if audience not in REPORT_AUDIENCES:
        raise ValidationError("audience", f"is {audience!r}; choose one of: {', '.join(REPORT_AUDIENCES)}.")
    return audience


def released_goals(file: CaseFile) -> list[Goal]:
    """Goals the client released to the sponsor, in the order they were set."""
    return [g for g in file.goals if g.released_to_sponsor]


def disclose(file: CaseFile, audience: str) -> CaseFile:
    """A new case file holding only what ``audience`` may read (the input is not changed)."""
    check_audience(audience)
    if audience == "sponsor":
        return dataclasses.replace(_for_sponsor(file), pinned_phase=current_phase(file))
    kept: list[Record] = []
    for kind_records in file.records.values():
        for record in kind_records.values():
            shown = _for_client(record) if audience == "client" else _for_coach(record)
            if shown is not None:
                kept.append(shown)
    disclosed = CaseFile.of(dataclasses.replace(file.client), kept)
    disclosed.pinned_phase = current_phase(file)
    return disclosed


def _for_coach(record: Record) -> Record:
    if isinstance(record, Session):
        return dataclasses.replace(record, private_notes="")
    return dataclasses.replace(record)


def _for_client(record: Record) -> Record | None:
    if isinstance(record, (AssessmentResult, *RATERS_ONLY)):
        return None
    if isinstance(record, InitialMeeting):
        return dataclasses.replace(record, notes="")
    if isinstance(record, ClosureReflection):
        return dataclasses.replace(record, client_evaluation="", client_rating=None)
    return _for_coach(record)


def _for_sponsor(file: CaseFile) -> CaseFile:
    c = file.client
    client = Client(id=c.id, name=c.name, role=c.role, organisation=c.organisation)
    goals = released_goals(file)
    ids = {g.id for g in goals}
    kept: list[Record] = [dataclasses.replace(s) for s in file.sponsors]
    if file.engagement is not None:
        kept.append(dataclasses.replace(file.engagement))
    kept += [dataclasses.replace(g, why="", findings=[], resources="") for g in goals]
    kept += [dataclasses.replace(m, evidence="") for m in file.milestones if m.goal_id in ids]
    kept += [_session_for_sponsor(s) for s in file.sessions]
    for check_in in file.check_ins:
        progress = [dataclasses.replace(p) for p in check_in.progress if p.goal_id in ids]
        if progress:
            kept.append(dataclasses.replace(check_in, progress=progress, blockers="", note=""))
    kept += [dataclasses.replace(e, evidence="", learning="") for e in file.evaluations if e.goal_id in ids]
    kept += [_follow_up_for_sponsor(f, ids) for f in file.follow_ups]
    return CaseFile.of(client, kept)


def _session_for_sponsor(session: Session) -> Session:
    """Number, date, length and status: that a session took place, never what was said."""
    return Session(
        id=session.id,
        number=session.number,
        held_on=session.held_on,
        duration_minutes=session.duration_minutes,
        status=session.status,
    )


def _follow_up_for_sponsor(follow_up: FollowUp, ids: set[str]) -> FollowUp:
    changes = [dataclasses.replace(c) for c in follow_up.changes if c.goal_id in ids]
    return dataclasses.replace(follow_up, changes=changes, notes="")
