"""The progress report, one function per section; ``templates/report.ipynb`` calls them in order.

:func:`open_report` reads the client's case file once and keeps only what the audience may see
(:func:`coachkit.model.disclosure.disclose`): a sponsor's report is built from data that holds
nothing but the released goals, their progress and the session count, so no section can show
more. Sections also check the audience themselves, and return None where the audience has no
such section (the notebook then shows nothing). Every piece of client text is escaped.
"""

from __future__ import annotations

from datetime import date

from coachkit.charts.checkins import confidence_trend
from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.model import PHASES, CaseFile, CheckIn, Client, Goal
from coachkit.model.phase import current_phase, engagement_week
from coachkit.model.rules import (
    due_follow_ups,
    is_stalled,
    last_session_date,
    latest_progress,
    next_planned_session,
    overdue_actions,
    overdue_milestones,
    realism_warnings,
    sessions_held,
)

# The template calls these through this module, with the sections below.
from coachkit.pages.report_assessments import assessment_section as assessment_section
from coachkit.pages.report_assessments import pulse_section as pulse_section
from coachkit.pages.report_html import Section, badge, chart, day, facts, items, para, section, table, text
from coachkit.pages.report_view import ReportView as ReportView
from coachkit.pages.report_view import open_report as open_report
from coachkit.pages.report_view import report_day as report_day

STATUS_KIND = {"active": "blue", "achieved": "green", "on-hold": "grey", "dropped": "grey"}
OUTCOME_WORDS = {"not-met": "not met", "partly-met": "partly met", "met": "met", "exceeded": "exceeded"}


def warm_up() -> None:
    """Do once, ahead of the first report, what every report pays for the first time: plotly's
    figure machinery, its white template and its JSON encoder."""
    stand_in = CaseFile.of(Client(id="warm-up", name="Warm-up"), [CheckIn(id="c1", on=date(2000, 1, 1))])
    chart(confidence_trend(stand_in), "warm-up")


# --- sections -----------------------------------------------------------------------------------


def header(view: ReportView) -> Section:
    """Who the report is about, for whom, and as of when (or that no client was chosen)."""
    if view.problem is not None:
        return Section("header", f'<header class="ck-header"><p class="ck-problem">{text(view.problem)}</p></header>')
    c = view.file.client
    sub = ", ".join(text(v) for v in (c.role, c.organisation) if v)
    if view.for_sponsor:
        names = ", ".join(_sponsor_label(s.name, s.role) for s in view.file.sponsors) or "the sponsor"
        who = (
            f"Prepared for {names}. As agreed with {view.name}, it shows only the goals {view.name} chose "
            "to share, how they are progressing and how many sessions took place. What is said in "
            "coaching sessions stays between coach and client."
        )
    elif view.for_coach:
        who = (
            "Coach's copy, confidential. It holds everything in the client's record except your private "
            "session notes, which stay in the session workbooks."
        )
    else:
        who = (
            f"Prepared for {view.name}: your goals, your progress and the next steps, as of the date "
            "above. Your coach's private notes are never part of it."
        )
    html = (
        '<header class="ck-header">'
        f'<p class="ck-kicker">Coaching progress report · {day(view.on)}</p>'
        f"<h1>{view.name}</h1>" + (f'<p class="ck-sub">{sub}</p>' if sub else "") + f'<p class="ck-for">{who}</p>'
        "</header>"
    )
    return Section("header", html)


def glance(view: ReportView) -> Section:
    """The engagement at a glance: status, dates, sessions, goals, milestones, actions."""
    file = view.file
    e = file.engagement
    if e is None:
        return section("glance", "At a glance", para("The engagement is not set up yet."))
    held = sessions_held(file)
    phase = current_phase(file)
    nxt = next_planned_session(file, view.on)
    sessions = f"{held} held of {e.planned_sessions} planned" + (f"; next on {day(nxt)}" if nxt else "")
    dates = f"started {day(e.start)}, planned end {day(e.planned_end)}"
    if e.status in ("contracting", "active", "closing") and e.start <= view.on <= e.planned_end:
        week, total = engagement_week(e, view.on)
        dates += f" (week {week} of {total})"
    elif e.ended_on is not None:
        dates += f"; ended {day(e.ended_on)}"
    goals = file.goals
    counts: dict[str, int] = {}
    for g in goals:
        counts[g.status] = counts.get(g.status, 0) + 1
    goal_line = f"{len(goals)}" + (f" ({', '.join(f'{n} {s}' for s, n in counts.items())})" if goals else "")
    if view.for_sponsor:
        goal_line = f"{len(goals)} shared with you" + (
            f" ({', '.join(f'{n} {s}' for s, n in counts.items())})" if goals else ""
        )
    ms = file.milestones
    met = sum(1 for m in ms if m.done_on is not None)
    due = sum(1 for m in ms if m.target_date is not None and m.target_date <= view.on)
    rows = [
        ("Engagement", f"{e.status.replace('-', ' ')}, phase {phase} of 7: {PHASES[phase]}"),
        ("Dates", dates),
        ("Sessions", sessions),
        ("Goals", goal_line),
        ("Milestones", f"{met} met of {len(ms)}; {due} planned by now" if ms else "none yet"),
    ]
    if not view.for_sponsor:
        acts = file.actions
        done = sum(1 for a in acts if a.done_on is not None)
        late = len(overdue_actions(file, view.on))
        rows.append(("Actions", f"{done} done of {len(acts)}" + (f"; {late} overdue" if late else "") if acts else ""))
        rows.append(
            (
                "Check-ins",
                f"{len(file.check_ins)}, the last on {day(file.check_ins[-1].on)}" if file.check_ins else "none yet",
            )
        )
        agreement = file.accepted_agreement
        if agreement is not None and agreement.accepted_at is not None:
            rows.append(("Agreement", f"version {agreement.version}, accepted {day(agreement.accepted_at.date())}"))
        rows.append(("Sponsors", ", ".join(_sponsor_label(s.name, s.role) for s in file.sponsors)))
    return section("glance", "At a glance", facts(rows))


def goals_section(view: ReportView) -> Section:
    """Each goal with its measure, latest progress and milestones (and, for client and coach,
    why it matters and how it changed)."""
    file = view.file
    if not file.goals:
        empty = "No goals have been shared with you yet." if view.for_sponsor else "No goals are set yet."
        return section("goals", "Goals and milestones", para(empty))
    intro = ""
    if view.for_sponsor:
        intro = para(f"These are the goals {view.name} chose to share with you.", "ck-note")
    return section("goals", "Goals and milestones", intro, *(_goal(view, g) for g in file.goals))


def _goal(view: ReportView, goal: Goal) -> str:
    file = view.file
    progress = latest_progress(file, goal.id)
    rows = [
        ("Measure", text(goal.measure)),
        ("Baseline", text(goal.baseline)),
        ("Target", text(goal.target)),
        ("Target date", day(goal.target_date) if goal.target_date else ""),
        ("Latest progress", f"{progress} of 10" if progress is not None else "not rated yet"),
    ]
    if view.for_coach and file.sponsors:
        shared = f"shared since {day(goal.released_on)}" if goal.released_to_sponsor else "not shared"
        rows.append(("Sponsor", shared))
    parts = [f"<h3>{text(goal.objective)} {badge(goal.status, STATUS_KIND.get(goal.status, ''))}</h3>"]
    if goal.why and not view.for_sponsor:
        parts.append(para(text(goal.why), "ck-why"))
    parts.append(facts(rows))
    if goal.findings and not view.for_sponsor:
        parts.append(para("Linked to: " + "; ".join(text(f) for f in goal.findings), "ck-note"))
    milestones = []
    for m in file.milestones_of(goal.id):
        if m.done_on is not None:
            state = badge("met", "green") + f" {day(m.done_on)}"
        elif m.target_date is not None and m.target_date < view.on:
            state = badge("overdue", "orange")
        else:
            state = badge("open", "plain")
        target = f" (target {day(m.target_date)})" if m.target_date else ""
        evidence = f'<br><span class="ck-evidence">{text(m.evidence)}</span>' if m.evidence else ""
        milestones.append(f"{state} {text(m.title)}{target}{evidence}")
    if milestones:
        parts.append("<h4>Milestones</h4>" + items(milestones, "ck-milestones"))
    changes = [a for a in file.adjustments if a.goal_id == goal.id]
    if changes and not view.for_sponsor:
        parts.append(
            "<h4>Changes to this goal</h4>"
            + items(f"{day(a.made_on)}: {text(a.what_changed)} <em>Why:</em> {text(a.reason)}" for a in changes)
        )
    return '<article class="ck-goal">' + "\n".join(parts) + "</article>"


def progress_section(view: ReportView) -> Section:
    """Progress per goal at each check-in, and milestones met against the plan."""
    file = view.file
    intro = para(
        "Progress on each goal as rated at the check-ins, from 0 (not started) to 10 (achieved); below it, "
        "milestones met against those planned by each date."
    )
    return section(
        "progress",
        "Progress over time",
        intro,
        chart(goal_progress(file), "goal-progress"),
        chart(milestones_met_vs_planned(file, view.on), "milestones"),
    )


def check_in_section(view: ReportView) -> Section | None:
    """Confidence over time and the latest check-ins with what was in the way (not for sponsors)."""
    if view.for_sponsor:
        return None
    check_ins = list(reversed(view.file.check_ins))
    if not check_ins:
        return section("check-ins", "Check-in trends", para("No check-ins yet."))
    shown = check_ins[:8]
    rows = [[day(c.on), f"{c.confidence}", text(c.blockers) or "–", text(c.note) or "–"] for c in shown]
    more = para(f"… and {len(check_ins) - len(shown)} earlier check-ins.", "ck-note") if len(check_ins) > 8 else ""
    return section(
        "check-ins",
        "Check-in trends",
        chart(confidence_trend(view.file), "confidence"),
        table(["Check-in", "Confidence", "What was in the way", "Note"], rows),
        more,
    )


def sessions_section(view: ReportView) -> Section:
    """Sessions held against the plan (with dates and topics for client and coach)."""
    file = view.file
    parts = [chart(sessions_held_vs_planned(file), "sessions")]
    last = last_session_date(file)
    nxt = next_planned_session(file, view.on)
    line = []
    if last is not None:
        line.append(f"Last session: {day(last)}.")
    if nxt is not None:
        line.append(f"Next session: {day(nxt)}.")
    if line:
        parts.append(para(" ".join(line)))
    if not view.for_sponsor:
        rows = [[str(s.number), day(s.held_on), s.status, text(s.agenda) or "–"] for s in file.sessions]
        parts.append(table(["No.", "Date", "Status", "Topic"], rows))
    return section("sessions", "Sessions held and planned", *parts)


def actions_section(view: ReportView) -> Section | None:
    """Actions agreed in sessions: which are done, which are open or overdue (not for sponsors)."""
    if view.for_sponsor:
        return None
    actions = view.file.actions
    if not actions:
        return section("actions", "Actions", para("No actions agreed yet."))
    done = [a for a in actions if a.done_on is not None]
    on_time = sum(1 for a in done if a.due is None or (a.done_on is not None and a.done_on <= a.due))
    rows = []
    for a in actions:
        if a.done_on is not None:
            state = badge("done", "green") + f" {day(a.done_on)}"
        elif a.due is not None and a.due < view.on:
            state = badge("overdue", "orange")
        else:
            state = badge("open", "plain")
        rows.append([text(a.title), text(a.owner), day(a.due), state])
    summary = para(f"{len(done)} of {len(actions)} actions done, {on_time} of them by their due date.")
    return section("actions", "Actions", summary, table(["Action", "Owner", "Due", "State"], rows))


def reflections_section(view: ReportView) -> Section | None:
    """The client's latest reflections, in their own words (not for sponsors)."""
    if view.for_sponsor or not view.file.reflections:
        return None
    latest = list(reversed(view.file.reflections))[:3]
    heading = "In the client's own words" if view.for_coach else "In your own words"
    quotes = "".join(f"<blockquote><p>{text(r.text)}</p><footer>{day(r.on)}</footer></blockquote>" for r in latest)
    return section("reflections", heading, quotes)


def closure_section(view: ReportView) -> Section | None:
    """At and after the end: each goal against its baseline, what was learned, the plan to keep
    the gains, and the follow-ups (None while the engagement runs)."""
    file = view.file
    e = file.engagement
    ending = e is not None and e.status in ("closing", "closed", "ended-early")
    if not (ending or file.evaluations or file.follow_ups):
        return None
    parts: list[str] = []
    if file.evaluations:
        rows = []
        for ev in file.evaluations:
            row = [view.goal_name(ev.goal_id), text(ev.baseline) or "–", text(ev.end_value) or "–"]
            row.append(
                badge(
                    OUTCOME_WORDS.get(ev.outcome, ev.outcome), "green" if ev.outcome in ("met", "exceeded") else "plain"
                )
            )
            if not view.for_sponsor:
                row.append(text(ev.evidence) or "–")
            rows.append(row)
        headers = ["Goal", "Baseline", "At the end", "Outcome"] + ([] if view.for_sponsor else ["Evidence"])
        parts.append("<h3>Goals at the end</h3>" + table(headers, rows))
    closure = file.closure
    if closure is not None and not view.for_sponsor:
        parts.append(
            "<h3>Looking back</h3>"
            + facts(
                [
                    ("Successes", text(closure.successes)),
                    ("Learning", text(closure.learning)),
                    ("What changed", text(closure.how_changed)),
                ]
            )
        )
        if view.for_coach:
            rating = f"{closure.client_rating} of 10" if closure.client_rating is not None else ""
            parts.append(
                "<h4>The client's evaluation of the coaching (coach only)</h4>"
                + facts([("Evaluation", text(closure.client_evaluation)), ("Rating", rating)])
            )
    plan = file.transition_plan
    if plan is not None and not view.for_sponsor:
        parts.append(
            "<h3>Keeping the gains</h3>"
            + facts(
                [
                    ("Keep doing", text(plan.keep_doing)),
                    ("Warning signs", text(plan.warning_signs)),
                    ("Support", text(plan.support)),
                ]
            )
        )
    if file.follow_ups:
        rows = []
        for f in file.follow_ups:
            if f.held:
                held = day(f.held_on)
            elif f.held is False:
                held = "did not take place"
            else:
                held = "due, not held yet" if f.due <= view.on else "to come"
            changes = "; ".join(f"{view.goal_name(c.goal_id)}: {c.change:+d}" for c in f.changes) or "–"
            row = [f"{f.days_after_end} days ({day(f.due)})", held, changes]
            if not view.for_sponsor:
                row.append(text(f.notes) or "–")
            rows.append(row)
        headers = ["Follow-up", "Held", "Gains held (-3 to +3)"] + ([] if view.for_sponsor else ["Notes"])
        parts.append("<h3>Follow-ups</h3>" + table(headers, rows))
    if not parts:
        parts.append(para("The closing review is still to come."))
    return section("closure", "Closure and follow-up", *parts)


def next_steps(view: ReportView) -> Section:
    """What comes next: the next session, open actions, upcoming milestones and follow-ups;
    in the coach's copy, what needs attention."""
    file = view.file
    steps: list[str] = []
    nxt = next_planned_session(file, view.on)
    if nxt is not None:
        steps.append(f"Next session on {day(nxt)}.")
    if not view.for_sponsor:
        open_acts = [a for a in file.actions if a.done_on is None][:5]
        steps += [f"Action: {text(a.title)}" + (f" (due {day(a.due)})" if a.due else "") for a in open_acts]
    upcoming = [m for m in file.milestones if m.done_on is None and m.target_date and m.target_date >= view.on]
    upcoming.sort(key=lambda m: (m.target_date, m.title))
    steps += [f"Milestone: {text(m.title)} (target {day(m.target_date)})" for m in upcoming[:3]]
    for f in file.follow_ups:
        if f.held is None:
            when = f"due since {day(f.due)}" if f.due <= view.on else f"due {day(f.due)}"
            steps.append(f"Follow-up {f.days_after_end} days after the end, {when}.")
    parts = [
        items(steps) if steps else para("Nothing is scheduled yet: the next steps are agreed at the next session.")
    ]
    if view.for_coach:
        parts.append(_attention(view))
    return section("next-steps", "Next steps", *parts)


def _attention(view: ReportView) -> str:
    file = view.file
    notes: list[str] = []
    notes += [f"Overdue action: {text(a.title)} (due {day(a.due)})" for a in overdue_actions(file, view.on)]
    notes += [
        f"Overdue milestone: {text(m.title)} (target {day(m.target_date)})" for m in overdue_milestones(file, view.on)
    ]
    notes += [f"Follow-up due: {f.days_after_end} days after the end" for f in due_follow_ups(file, view.on)]
    if is_stalled(file, view.on):
        notes.append("No session for three weeks and none booked.")
    notes += [text(w) for w in realism_warnings(file)]
    if file.sponsors and file.goals and not any(g.released_to_sponsor for g in file.goals):
        notes.append("No goal is shared with the sponsor yet: the sponsor's report will be empty.")
    if not notes:
        return ""
    return "<h3>Needs your attention</h3>" + items(notes, "ck-attention")


def _sponsor_label(name: str, role: str) -> str:
    return text(name) + (f" ({text(role)})" if role else "")
