"""coachkit's default leadership competency model for 360 feedback, in the project's own words.

Ten competencies (the same names the self-assessment uses), three observable behaviours each
(30 rated items, about 15 minutes for a rater), rated by how often the person does them, and
three open questions. A coach can edit it per engagement before the first answer arrives.
"""

from __future__ import annotations

DEFAULT_COMPETENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Setting direction",
        (
            "Explains where the team is heading and why it matters.",
            "Turns the wider strategy into a few clear priorities for the team.",
            "Says no to work that does not serve the agreed priorities.",
        ),
    ),
    (
        "Communicating with clarity",
        (
            "Gets to the point in meetings and in writing.",
            "Checks that people have understood what was agreed.",
            "Listens fully before responding.",
        ),
    ),
    (
        "Developing others",
        (
            "Gives specific, timely feedback on how people are doing.",
            "Makes time to talk with people about their growth.",
            "Gives people stretching work and backs them while they learn.",
        ),
    ),
    (
        "Delegating",
        (
            "Hands over whole pieces of work together with the authority to decide.",
            "Stays out of the detail once work has been handed over.",
            "Agrees the expected outcome and check-in points when handing work over.",
        ),
    ),
    (
        "Making decisions",
        (
            "Decides in good time, even when information is incomplete.",
            "Explains how a decision was reached.",
            "Involves the people affected before deciding.",
        ),
    ),
    (
        "Building relationships",
        (
            "Builds trust with colleagues across the organisation.",
            "Shows real interest in other people's views.",
            "Keeps the promises they make.",
        ),
    ),
    (
        "Managing conflict",
        (
            "Raises difficult issues early and directly.",
            "Stays calm and respectful when disagreeing.",
            "Helps people who disagree find a way forward.",
        ),
    ),
    (
        "Leading change",
        (
            "Makes the case for a change in terms people can accept.",
            "Involves people in shaping how a change happens.",
            "Keeps a change going when it meets resistance.",
        ),
    ),
    (
        "Executing with focus",
        (
            "Follows commitments through to the end.",
            "Tracks progress and corrects course early.",
            "Removes obstacles that slow the team down.",
        ),
    ),
    (
        "Self-awareness",
        (
            "Asks for feedback on their own behaviour.",
            "Admits mistakes openly.",
            "Stays composed under pressure.",
        ),
    ),
)

DEFAULT_OPEN_QUESTIONS: tuple[str, ...] = (
    "What should this person keep doing?",
    "What one change would make this person more effective?",
    "Is there anything else you would like this person to hear?",
)

RATING_SCALE: tuple[tuple[int, str], ...] = (
    (1, "Almost never"),
    (2, "Rarely"),
    (3, "Sometimes"),
    (4, "Often"),
    (5, "Almost always"),
)
"""How often the person shows the behaviour; every item also offers “Can't say”."""
