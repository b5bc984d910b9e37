"""What a progress report is built from: :func:`open_report` reads the client's case file once
and keeps only what the audience may see (:func:`coachkit.model.disclosure.disclose`)."""

from __future__ import annotations

import dataclasses
from datetime import date

from coachkit.errors import CoachkitError, StoreError, ValidationError
from coachkit.model import CaseFile, Client, Goal
from coachkit.model.disclosure import check_audience, disclose
from coachkit.model.feedback360 import MIN_GROUP, Rater
from coachkit.model.feedback_summary import FeedbackSummary, build_summary, client_summary, current_model
from coachkit.model.ipip import IPIP_ID, IpipProfile, IpipResponse, score_ipip50
from coachkit.model.pulse import PulseResult, pulse_results
from coachkit.pages.report_html import text
from coachkit.practice import open_existing_practice


@dataclasses.dataclass(frozen=True)
class ReportView:
    """What one report is built from: the audience, the report's date, and the client's case
    file already cut down to what that audience may read."""

    audience: str
    on: date
    file: CaseFile
    feedback: FeedbackSummary | None = None
    profile: IpipProfile | None = None
    pulse: tuple[PulseResult, ...] = ()
    pulse_threshold: int = MIN_GROUP
    problem: str | None = None
    """Why there is no report to show (the template run without a client); the header says it."""

    @property
    def name(self) -> str:
        """The client's name (escaped)."""
        return text(self.file.client.name)

    @property
    def for_sponsor(self) -> bool:
        """True for the sponsor's report."""
        return self.audience == "sponsor"

    @property
    def for_coach(self) -> bool:
        """True for the coach's own copy."""
        return self.audience == "coach"

    def goal_name(self, goal_id: str) -> str:
        """A goal's objective (escaped), or a plain stand-in when the goal is not in view."""
        goal = self.file.one(Goal, goal_id)
        return text(goal.objective) if goal is not None else "(another goal)"


NO_CLIENT = (
    "No client chosen: this is the report template. Write a client's report with `coachkit report CLIENT`, "
    "or run it with papermill's `-p client_id CLIENT -p home PRACTICE`."
)


def report_day(report_date: str | date | None) -> date:
    """The report's date: ``YYYY-MM-DD`` (or a date), today when empty."""
    if isinstance(report_date, date):
        return report_date
    if not report_date:
        return date.today()
    try:
        return date.fromisoformat(report_date)
    except ValueError as exc:
        raise ValidationError("report_date", f"is {report_date!r}; write it as YYYY-MM-DD.") from exc


def open_report(client_id: str, home: str = ".", audience: str = "client", report_date: str = "") -> ReportView:
    """Read the client's case file and keep what ``audience`` (client, sponsor or coach) may see."""
    check_audience(audience)
    on = report_day(report_date)
    if not client_id.strip():  # the template run with its default parameters: nothing to read
        return ReportView(
            audience, on, CaseFile.of(Client(id="no-client", name="No client chosen"), []), problem=NO_CLIENT
        )
    with open_existing_practice(home) as practice:
        practice.require_client(client_id)
        try:
            file = practice.store.load(client_id)
        except CoachkitError:
            raise
        except Exception as exc:  # a damaged record: say so plainly, name no client text
            raise StoreError(f"The records of {client_id} could not be read ({exc.__class__.__name__}).") from exc
    feedback, profile = assessments_for(file, audience)
    shown = disclose(file, audience)
    threshold = current_model(file).min_group
    return ReportView(
        audience=audience,
        on=on,
        file=shown,
        feedback=feedback,
        profile=profile,
        pulse=pulse_for(file, shown),
        pulse_threshold=max(MIN_GROUP, threshold),
    )


def assessments_for(file: CaseFile, audience: str) -> tuple[FeedbackSummary | None, IpipProfile | None]:
    """The 360 summary and IPIP-50 profile ``audience`` may see, worked out from the full case
    file: the coach sees the current summary, the client the one the coach released (as it stood
    then) and their own profile; a sponsor sees neither."""
    if audience == "sponsor":
        return None, None
    summary = client_summary(file)
    if audience == "coach":
        summary = build_summary(file) if file.all(Rater) else None
    response = file.one(IpipResponse, IPIP_ID)
    profile = score_ipip50(response.answers) if response is not None else None
    return summary, profile


def pulse_for(file: CaseFile, shown: CaseFile) -> tuple[PulseResult, ...]:
    """The change pulse results a report shows, worked out from the full case file ``file``
    (the raters' answers are never in ``shown``): only goals the audience sees in ``shown`` (a
    sponsor's report: the released ones), each with its net score and n, without the comments."""
    visible = {g.id for g in shown.goals}
    results = pulse_results(file, threshold=current_model(file).min_group)
    return tuple(dataclasses.replace(r, comments=()) for r in results if r.goal_id in visible)
