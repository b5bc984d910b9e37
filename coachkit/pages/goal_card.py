"""What the client's dashboard and the sponsor's view both show: the heading (phase, phase strip,
dates, sessions), a goal's card (measure, latest progress, milestones), and dates as people
write them. One block each:
nothing in them takes input, and every text in them is escaped by :mod:`coachkit.pages.web`."""

from __future__ import annotations

from datetime import date

import ipywidgets as W

from coachkit.model import PHASES, CaseFile, Goal, Milestone
from coachkit.model.phase import current_phase, engagement_week
from coachkit.model.rules import latest_progress, milestones_done, sessions_held
from coachkit.pages import web


def phase_line(file: CaseFile) -> str:
    """``Phase 5 of 7: Continuous feedback and review``, or a note that nothing is set up yet."""
    engagement = file.engagement
    if engagement is None:
        return "Your coach is still setting up the engagement."
    phase = current_phase(file)
    return f"Phase {phase} of {len(PHASES)}: {PHASES[phase]}"


def timeline_line(file: CaseFile, today: date) -> str:
    """Dates of the engagement and how far along it is."""
    engagement = file.engagement
    if engagement is None:
        return ""
    if engagement.ended_on is not None or engagement.status in ("closed", "ended-early"):
        ended = engagement.ended_on or engagement.planned_end
        return f"Engagement from {day(engagement.start)} to {day(ended)} (ended)."
    week, total = engagement_week(engagement, today)
    return f"Engagement from {day(engagement.start)} to {day(engagement.planned_end)}: week {week} of {total}."


def milestone_line(milestone: Milestone, today: date) -> tuple[str, str]:
    """A milestone in words, and its tone (``done``, ``overdue`` or ``open``)."""
    if milestone.done_on is not None:
        return f"✓ {milestone.title}: met {day(milestone.done_on)}", "done"
    if milestone.target_date is None:
        return f"○ {milestone.title}", "open"
    if milestone.target_date < today:
        return f"! {milestone.title}: was due {day(milestone.target_date)}", "overdue"
    return f"○ {milestone.title}: due {day(milestone.target_date)}", "open"


def phase_strip(phase: int) -> web.Markup:
    """The seven phases as a row of chips, the current one marked (program text only)."""
    chips = []
    for number, name in PHASES.items():
        state = "done" if number < phase else "current" if number == phase else "todo"
        chips.append(web.chip(f"{number} {name}", "coachkit-phase", f"coachkit-phase-{state}"))
    return web.group(chips, "coachkit-phases")


def heading(file: CaseFile, today: date, subtitle: str, *, more: tuple[str, ...] = ()) -> W.HTML:
    """A page's heading: the client's name, ``subtitle``, and a card with the phase, the phase
    strip, the engagement's dates and sessions, and ``more`` lines."""
    engagement = file.engagement
    lines = [web.line(phase_line(file), "coachkit-goal-title")]
    facts = list(more)
    if engagement is not None:
        lines.append(phase_strip(current_phase(file)))
        held = f"Sessions: {sessions_held(file)} held of {engagement.planned_sessions} planned."
        facts[:0] = [timeline_line(file, today), held]
    if facts:
        lines.append(web.line("\n".join(facts), "coachkit-wrap"))
    parts = [web.line(file.client.name, "coachkit-title")]
    if subtitle:
        parts.append(web.line(subtitle, "coachkit-subtitle"))
    return web.block([*parts, web.group(lines, "coachkit-card")])


def goal_card(file: CaseFile, goal: Goal, today: date, *, audience: str) -> W.HTML:
    """A goal with its measure, latest progress and milestones (for ``client`` or ``sponsor``):
    one block, since nothing in it takes input."""
    lines = [web.line(goal.objective, "coachkit-goal-title")]
    facts = [f"Status: {goal.status}"] if goal.status != "active" else []
    measure = measure_line(goal)
    if measure:
        facts.append(measure)
    if facts:
        lines.append(web.line("\n".join(facts), "coachkit-wrap", "coachkit-muted"))
    progress = latest_progress(file, goal.id)
    whose = "your" if audience == "client" else "the"
    said = f"{progress} of 10 at {whose} last check-in" if progress is not None else "Not rated yet"
    lines.append(web.group([web.bar(progress or 0), web.line(said, "coachkit-muted")], "coachkit-row"))
    met, planned = milestones_done(file, goal.id)
    if planned:
        words = [milestone_line(m, today) for m in file.milestones_of(goal.id)]
        late = sum(1 for _, tone in words if tone == "overdue")
        summary = f"Milestones: {met} of {planned} met" + (f", {late} overdue" if late else "")
        lines.append(web.line(summary, "coachkit-overdue" if late else "coachkit-muted"))
        lines.append(web.line("\n".join(w for w, _ in words), "coachkit-wrap"))
    if audience == "client":
        shared = (
            f"Shared with your sponsor since {day(goal.released_on)}."
            if goal.released_to_sponsor and goal.released_on
            else "Not shared with your sponsor."
        )
        lines.append(web.line(shared, "coachkit-muted"))
    elif goal.released_on:
        lines.append(web.line(f"Shared since {day(goal.released_on)}.", "coachkit-muted"))
    return web.block([web.group(lines, "coachkit-card")])


def measure_line(goal: Goal) -> str:
    """A goal's measure, baseline, target and date in one line."""
    parts = []
    if goal.measure:
        parts.append(f"Measure: {goal.measure}")
    if goal.baseline or goal.target:
        parts.append(f"from {goal.baseline or '?'} to {goal.target or '?'}")
    if goal.target_date:
        parts.append(f"by {day(goal.target_date)}")
    return " · ".join(parts)


def day(value: date | None) -> str:
    """A date as people write it: ``21 Nov 2026``."""
    return "" if value is None else f"{value.day} {value:%b %Y}"
