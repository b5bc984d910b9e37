"""The report's assessment sections: the 360 summary and the IPIP-50 profile, and the change
pulse. Who sees what is decided once, in :func:`coachkit.pages.report_view.open_report`; these
sections only draw it, every figure with its n."""

from __future__ import annotations

from coachkit.charts.feedback360 import competency_dots, gap_bars
from coachkit.charts.ipip import ipip_profile
from coachkit.charts.pulse import pulse_net
from coachkit.model.feedback_summary import FeedbackSummary, Gap
from coachkit.pages.report_html import Section, chart, day, items, para, section, table, text
from coachkit.pages.report_view import ReportView


def assessment_section(view: ReportView) -> Section | None:
    """The 360 summary and the personality profile, where the audience may see them.

    The rules live here, whatever the results come from: a sponsor never sees assessments; a
    client sees only what the coach released; the coach sees every result. Until the assessment
    pages are wired in (:func:`_released_assessments`), the section says that none is released.
    """
    if view.for_sponsor:
        return None
    shown = _released_assessments(view)
    if not shown:
        return section("assessments", "Assessments", para("No assessment results yet."))
    return section("assessments", "Assessments", *shown)


def _released_assessments(view: ReportView) -> list[str]:
    """HTML fragments of the assessment results this (non-sponsor) audience may see: the
    anonymised 360 summary (for a client, only once the coach released it) and the IPIP-50 profile."""
    assert not view.for_sponsor
    parts: list[str] = []
    summary = view.feedback
    if summary is not None:
        parts += _feedback_parts(summary)
    elif not view.for_coach:
        parts.append(para("Your coach will share your 360-degree feedback once it is ready."))
    if view.profile is not None:
        rows = [[text(s.factor), f"{s.score}", f"{s.mean:.1f}"] for s in view.profile.scores]
        parts += [
            "<h3>Personality profile (IPIP-50)</h3>",
            para(
                "Raw scores from 10 to 50 per factor (the mean of 1 to 5 beside them). There are no population "
                "norms: read them as a starting point for conversation, not a ranking. Items from the public-domain "
                "IPIP-50 representation of Goldberg's (1992) Big-Five markers."
            ),
            chart(ipip_profile(view.profile), "ipip-profile"),
            table(["Factor", "Score (10-50)", "Mean (1-5)"], rows),
        ]
    return parts


def _feedback_parts(summary: FeedbackSummary) -> list[str]:
    """The 360 summary as report HTML: counts, how anonymity was kept, charts, gaps, strengths,
    development priorities and the pooled comments. Every figure carries its n."""
    answered = "; ".join(f"{text(g.label)}: {g.answered} of {g.approved}" for g in summary.groups)
    parts = ["<h3>360-degree feedback</h3>", para(f"Answers received: {answered or 'none yet'}.")]
    parts += [para(text(n), "ck-note") for n in summary.notes]
    if not summary.ready:
        return parts
    parts += [chart(competency_dots(summary), "feedback-competencies"), chart(gap_bars(summary), "feedback-gaps")]

    def gap_rows(gaps: tuple[Gap, ...]) -> list[list[str]]:
        return [
            [text(g.name), f"{g.self_score:.1f}", f"{g.others:.1f} (n={g.n})", f"{g.gap:+.1f}", text(g.band)]
            for g in gaps
        ]

    headers = ["Behaviour or competency", "Self", "Others", "Gap", "Size"]
    if summary.blind_spots:
        parts += [
            "<h4>Blind spots: you rate yourself higher than others do</h4>",
            table(headers, gap_rows(summary.blind_spots)),
        ]
    if summary.hidden_strengths:
        parts += [
            "<h4>Hidden strengths: others rate you higher than you do</h4>",
            table(headers, gap_rows(summary.hidden_strengths)),
        ]
    strengths = [
        [text(i.text), f"{i.others.mean:.1f} (n={i.others.n})" if i.others else "–"] for i in summary.strengths
    ]
    parts += ["<h4>Top strengths (rated highest by others)</h4>", table(["Behaviour", "Others"], strengths)]
    priorities = [
        [
            text(c.name),
            f"{c.others.mean:.1f} (n={c.others.n})" if c.others else "–",
            "–" if c.gap is None else f"{c.gap:+.1f}",
        ]
        for c in summary.priorities
    ]
    parts += ["<h4>Development priorities</h4>", table(["Competency", "Others", "Gap"], priorities)]
    for question, texts in summary.comments:
        if texts:
            parts += [f"<h4>{text(question)}</h4>", items(f"“{text(t)}”" for t in texts)]
    return parts


def pulse_section(view: ReportView) -> Section | None:
    """The change pulse: per goal and round, the net change others see (-3 to +3) with n, charted
    over the rounds. The sponsor's report holds only the goals the client released; no report
    holds the raters' comments (None when no round has been opened)."""
    results = list(view.pulse)
    if not results:
        return None
    intro = para(
        f"At the mid-point, the end and the follow-ups, a few people who work with {view.name} said for each "
        "goal how much more or less effective they have become, from -3 (much less) to +3 (much more). The net "
        f"score is the mean of their answers, shown once at least {view.pulse_threshold} have answered; n is how "
        "many answered. From +1 up, the change is one others notice."
    )
    rows = [
        [
            text(r.round_title),
            day(r.opened_on),
            view.goal_name(r.goal_id),
            f"{r.net:+.1f}" if r.net is not None else "too few answers",
            f"n={r.n}",
            f"{r.better} / {r.same} / {r.worse}" if r.net is not None else "–",
        ]
        for r in results
    ]
    headers = ["Round", "Opened", "Goal", "Net change", "Answers", "Better / same / worse"]
    return section("pulse", "Change pulse", intro, chart(pulse_net(results), "pulse"), table(headers, rows))
