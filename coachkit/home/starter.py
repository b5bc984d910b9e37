"""The agreement's starter text: a new agreement begins from the practice's template.

coachkit ships a sensible default (:data:`DEFAULT_TEMPLATE`). A practice replaces it with its own
file, ``agreement-template.md`` in the practice folder (``coachkit agreement template`` writes
the default there to start from). The file has one ``## `` heading per section, named as in the
agreement (Objectives, Expectations, Roles and responsibilities, ...); the text below a heading
fills that section. ``$client``, ``$coach``, ``$sponsor``, ``$sessions``, ``$minutes``,
``$cadence_weeks``, ``$start`` and ``$planned_end`` are replaced with the engagement's values.
"""

from __future__ import annotations

import string
from pathlib import Path

from coachkit.errors import ValidationError
from coachkit.model import AGREEMENT_SECTIONS, Agreement, CaseFile

TEMPLATE_FILE = "agreement-template.md"

DEFAULT_TEMPLATE = """\
# Coaching agreement: starter text

## Objectives
$client wants to grow as a leader through two to four goals that we set together in the first
weeks, each with a measure, a starting point and a target.

## Expectations
Both of us come prepared. $client does the actions agreed between sessions and tells me what
gets in the way; I challenge and support, and say so when I think the coaching is not helping.

## Roles and responsibilities
Coach ($coach): runs the sessions, keeps the records, holds confidentiality. Client ($client):
owns the goals and the actions. Sponsor ($sponsor): supports the goals, joins the three-way
meetings at the start, the mid-point and the end.

## Timeline and sessions
$sessions sessions of $minutes minutes, every $cadence_weeks weeks, from $start to $planned_end,
with a mid-point review and a closing review, and follow-ups 30, 90 and 180 days after the end.

## Scope
Leadership and working life. Therapy, medical, legal and financial advice are outside this
coaching; if they come up I will suggest where to find them.

## Confidentiality
What is said in our sessions stays between us. My notes are kept in my own practice records,
not in the organisation's systems, and are deleted a year after the engagement ends.

## Limits of confidentiality
I will break confidentiality only where there is a serious risk of harm to $client or to others,
where the law requires it (for example a court order), or where a crime is disclosed; where I
can, I will tell $client first.

## What the sponsor sees
Progress on the goals $client chooses to release, at the three-way meetings and in progress
reports. Never what is said in sessions, the reflections, or who said what in the 360.

## Fees, cancellation and ending the engagement
Fees as in the separate proposal. A session cancelled with less than 48 hours' notice counts as
held. Either of us may end the engagement with two weeks' notice.
"""


def template_text(home: Path) -> str:
    """The practice's template (``<home>/agreement-template.md``), else coachkit's default."""
    path = home / TEMPLATE_FILE
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                TEMPLATE_FILE, f"cannot be read ({exc.__class__.__name__}); fix or remove it."
            ) from exc
    return DEFAULT_TEMPLATE


def parse_template(text: str) -> dict[str, str]:
    """Section name -> text, from ``## Heading`` blocks (headings as in the agreement, any case)."""
    by_heading = {heading.casefold(): name for name, heading in AGREEMENT_SECTIONS}
    by_heading.update({name.casefold(): name for name, _ in AGREEMENT_SECTIONS})
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in [*text.splitlines(), "## "]:
        if line.startswith("## "):
            if current is not None:
                out[current] = " ".join(" ".join(lines).split())
            heading = line[3:].strip().casefold()
            if heading and heading not in by_heading:
                known = "; ".join(h for _, h in AGREEMENT_SECTIONS)
                raise ValidationError(TEMPLATE_FILE, f"has a section {line[3:].strip()!r}; the sections are: {known}.")
            current, lines = by_heading.get(heading), []
        elif current is not None:
            lines.append(line)
    return out


def starter_agreement(home: Path, file: CaseFile, *, coach_name: str = "your coach") -> Agreement:
    """Version 1 of an agreement for ``file``'s client, prefilled from the practice's template
    (not saved, not accepted)."""
    sections = parse_template(template_text(home))
    engagement = file.engagement
    values = {
        "client": file.client.name,
        "coach": coach_name or "your coach",
        "sponsor": ", ".join(s.name for s in file.sponsors) or "the sponsor",
    }
    if engagement is not None:
        values |= {
            "sessions": str(engagement.planned_sessions),
            "minutes": str(engagement.session_minutes),
            "cadence_weeks": str(engagement.cadence_weeks),
            "start": engagement.start.isoformat(),
            "planned_end": engagement.planned_end.isoformat(),
        }
    filled = {name: string.Template(text).safe_substitute(values) for name, text in sections.items()}
    agreement = Agreement(id="1", version=1)
    for name, text in filled.items():
        setattr(agreement, name, text)
    return agreement
