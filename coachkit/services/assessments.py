"""The 360, the IPIP-50 and pulse rounds as a page or a command does them: nominate and approve
raters, issue their links, save answers, release the summary, open a round. The rules are in
:mod:`coachkit.assessments` and :mod:`coachkit.pulse_rounds`; each service here is one of their
verbs taking the practice (its first argument) instead of the store."""

from __future__ import annotations

from coachkit import assessments as A
from coachkit.assessments import RaterStatus
from coachkit.services.binding import on_practice

__all__ = [
    "RaterStatus",
    "accepted_agreement",
    "approve_raters",
    "competency_model",
    "issue_pulse_links",
    "issue_rater_links",
    "nominate_rater",
    "open_pulse_round",
    "practice_ipip_profiles",
    "rater_pulse_round",
    "rater_statuses",
    "release_feedback",
    "remove_rater",
    "save_competency_model",
    "save_ipip_answers",
    "save_pulse_response",
    "save_rater_response",
    "set_rater_approval",
]

# raters and their links
nominate_rater = on_practice(A.nominate_rater, module=__name__)
set_rater_approval = on_practice(A.set_rater_approval, module=__name__)
approve_raters = on_practice(A.approve_raters, module=__name__)
remove_rater = on_practice(A.remove_rater, module=__name__)
issue_rater_links = on_practice(A.issue_rater_links, module=__name__)
rater_statuses = on_practice(A.rater_statuses, module=__name__)

# the 360 itself
competency_model = on_practice(A.competency_model, module=__name__)
save_competency_model = on_practice(A.save_competency_model, module=__name__)
accepted_agreement = on_practice(A.accepted_agreement, module=__name__)
save_rater_response = on_practice(A.save_rater_response, module=__name__)
release_feedback = on_practice(A.release_feedback, module=__name__)

# IPIP-50
save_ipip_answers = on_practice(A.save_ipip_answers, module=__name__)
practice_ipip_profiles = on_practice(A.practice_ipip_profiles, module=__name__)

# pulse rounds
open_pulse_round = on_practice(A.open_pulse_round, module=__name__)
rater_pulse_round = on_practice(A.rater_pulse_round, module=__name__)
issue_pulse_links = on_practice(A.issue_pulse_links, module=__name__)
save_pulse_response = on_practice(A.save_pulse_response, module=__name__)
