"""Phase 2: the client's self-assessment (the 360 and personality profile are added beside it)."""

from __future__ import annotations

from coachkit.charts.self_assessment import balance_wheel, competency_gaps
from coachkit.forms.self_assessment import balance_form, competency_form, profile_form, values_form
from coachkit.model import CaseFile, SelfAssessment
from coachkit.model.plan import SELF_ASSESSMENT_ID
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class SelfAssessmentPage(WorkbookPage):
    """Workbook 02: assessment and feedback."""

    PHASE = 2

    def _load(self) -> tuple[SelfAssessment, int] | None:
        return self.find_revision(SelfAssessment, SELF_ASSESSMENT_ID)

    @section
    def strengths(self) -> None:
        """Strengths, development areas and career aspirations."""
        self.show(profile_form(self.case, self.save, self._load).widget)

    @section
    def values(self) -> None:
        """Values, chosen and ranked."""
        self.show(values_form(self.case, self.save, self._load).widget)

    @section
    def competencies(self) -> None:
        """Competencies now and wanted, with the gaps charted."""
        self.show(
            competency_form(self.case, self.save, self._load).widget,
            self.live_chart(lambda f: competency_gaps(f.self_assessment)),
        )

    @section
    def balance(self) -> None:
        """The life-balance wheel, with its chart."""
        self.show(
            balance_form(self.case, self.save, self._load).widget,
            self.live_chart(lambda f: balance_wheel(f.self_assessment)),
        )

    def saved_summary(self, f: CaseFile) -> str:
        """What is saved of the self-assessment."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """The self-assessment as saved, escaped."""
    sa = f.self_assessment
    if sa is None:
        return summary_html("What is saved", [], "Nothing saved of the self-assessment yet.")
    gaps = sorted(sa.competencies, key=lambda c: c.current - c.desired)
    rows = [
        ("Strengths", "\n".join(f"• {s}" for s in sa.strengths)),
        ("Development areas", "\n".join(f"• {s}" for s in sa.development_areas)),
        ("Values, most important first", "\n".join(f"{i}. {v}" for i, v in enumerate(sa.values, 1))),
        ("Career aspirations", sa.career_aspirations),
        (
            "Largest competency gaps",
            "\n".join(f"• {c.name}: {c.current} now, {c.desired} wanted" for c in gaps if c.desired > c.current),
        ),
        (
            "Balance: widest gaps",
            "\n".join(
                f"• {b.area}: {b.now} now, {b.wanted} wanted"
                for b in sorted(sa.balance, key=lambda b: b.now - b.wanted)[:3]
                if b.wanted > b.now
            ),
        ),
    ]
    return summary_html("What is saved", rows)
