"""The demo practice's assessments: Jonas Becker's 360 (with an uneven group, so the anonymity
rules show), his IPIP-50 answers and a mid-point pulse round; Ana Ruiz's first nominations.

Everything is derived from ``today`` and fixed seeds, so the same ``today`` gives the same
records. Clients that already have raters are left alone.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from coachkit.instruments import ipip50_items
from coachkit.model import Record
from coachkit.model.feedback360 import (
    SELF_ID,
    Rater,
    RaterResponse,
    default_competency_model,
)
from coachkit.model.ipip import IpipResponse
from coachkit.model.pulse import PulseItem, PulseResponse, PulseRound, pulse_response_id
from coachkit.model.release360 import new_snapshot, released
from coachkit.practice import Practice

_JONAS_RATERS = (
    ("r1", "Priya Natarajan", "manager"),
    ("r2", "Lena Hoffmann", "peer"),
    ("r3", "Marco Rossi", "peer"),
    ("r4", "Aisha Khan", "direct_report"),
    ("r5", "Ben Carter", "direct_report"),
    ("r6", "Chloé Martin", "direct_report"),
    ("r7", "Diego Alvarez", "direct_report"),
    ("r8", "Sam Ortiz", "other"),
)
# How others see Jonas per competency (c1..c10), and how he sees himself: delegation is the
# largest blind spot, composure under pressure a hidden strength.
_OTHERS = {
    "c1": 3.8,
    "c2": 3.4,
    "c3": 3.0,
    "c4": 2.2,
    "c5": 4.2,
    "c6": 3.9,
    "c7": 2.6,
    "c8": 3.5,
    "c9": 4.1,
    "c10": 3.9,
}
_SELF = {"c1": 4, "c2": 4, "c3": 3, "c4": 4, "c5": 4, "c6": 4, "c7": 2, "c8": 3, "c9": 4, "c10": 3}
_COMMENTS = {
    "r1": ("Calm judgement when things go wrong.", "Let the leads carry more of the weight.", ""),
    "r2": ("Generous with his time across teams.", "Decide faster on cross-team requests.", ""),
    "r3": ("Technical depth everyone trusts.", "", "Good partner in planning."),
    "r4": ("Shields the team from noise.", "Hand us whole problems, not tasks.", ""),
    "r5": ("Fair and consistent.", "Tell me sooner when something is off.", "Enjoy working for him."),
    "r6": ("Clear priorities each quarter.", "Step back in incident calls; we can handle them.", ""),
    "r7": ("Stays steady under pressure.", "More feedback between reviews.", ""),
}


def add_assessments(practice: Practice, ids: list[str], today: date) -> None:
    """Add the demo assessments to the demo clients (``ids`` as :func:`build_demo` returns them:
    Ana Ruiz, Jonas Becker, Mei Tanaka first)."""
    if len(ids) < 2:
        return
    ana, jonas = ids[0], ids[1]
    if not practice.store.all(jonas, Rater):
        practice.store.save_all(jonas, _jonas(today))
        released_at = _at(today - timedelta(days=120 - 14), 11)
        file = practice.store.load(jonas)
        practice.store.save(jonas, released(file, new_snapshot(file, released_at)))
    if not practice.store.all(ana, Rater):
        practice.store.save_all(ana, _ana(today), author="client")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _jonas(today: date) -> list[Record]:
    start = today - timedelta(days=120)
    rng = random.Random(2026)
    model = default_competency_model()
    model.locked_at = _at(start - timedelta(days=1), 9)
    records: list[Record] = [model]
    for rid, name, relationship in _JONAS_RATERS:
        records.append(
            Rater(
                id=rid,
                name=name,
                email=name.lower().replace(" ", ".").replace("é", "e") + "@example.org",
                relationship=relationship,
                nominated_by="client",
                nominated_on=start - timedelta(days=5),
                approved=True,
                approved_on=start - timedelta(days=3),
                invited_on=start - timedelta(days=2),
            )
        )
    own = {b.id: _SELF[c.id] for c, b in model.items}
    own["c10.3"] = 2  # "Stays composed under pressure": he rates himself low, others high
    records.append(RaterResponse(id=SELF_ID, ratings=dict(own), saved_at=model.locked_at, submitted_at=model.locked_at))
    for k, (rid, _, relationship) in enumerate(_JONAS_RATERS):
        if rid not in _COMMENTS:
            continue  # Sam Ortiz was invited and has not answered
        ratings: dict[str, int | None] = {}
        for c, b in model.items:
            if relationship == "peer" and c.id == "c3":
                ratings[b.id] = None  # peers can't say how he develops his own people
                continue
            if relationship == "manager" and b.id in ("c2.3", "c7.3"):
                ratings[b.id] = None
                continue
            base = 4.7 if b.id == "c10.3" else _OTHERS[c.id]
            ratings[b.id] = max(1, min(5, round(base + rng.uniform(-0.9, 0.9))))
        texts = _COMMENTS[rid]
        submitted = _at(start + timedelta(days=2 + k), 18)
        records.append(
            RaterResponse(
                id=rid,
                ratings=ratings,
                comments={f"q{i}": t for i, t in enumerate(texts, 1) if t},
                saved_at=submitted,
                submitted_at=submitted,
            )
        )
    records.append(_ipip(start + timedelta(days=10)))
    records += _pulse(start + timedelta(days=98))
    return records


def _ipip(on: date) -> IpipResponse:
    levels = {
        "Extraversion": 3,
        "Agreeableness": 4,
        "Conscientiousness": 4,
        "Emotional Stability": 4,
        "Intellect/Imagination": 5,
    }
    rng = random.Random(50)
    answers = {}
    for item in ipip50_items():
        level = max(1, min(5, levels[item.factor] + rng.choice((-1, 0, 0, 0, 1))))
        answers[item.code] = level if item.keyed > 0 else 6 - level
    return IpipResponse(answers=answers, started_on=on, completed_on=on)


def _pulse(opened: date) -> list[Record]:
    round_ = PulseRound(
        id="mid",
        stage="mid-point",
        label="Mid-point",
        opened_on=opened,
        items=[
            PulseItem("g1", "letting his leads make and own decisions without stepping in"),
            PulseItem("g2", "giving clear, timely feedback"),
        ],
        rater_ids=["r1", "r4", "r5", "r6"],
    )
    answers = {
        "r1": ({"g1": 2, "g2": 1}, {"g1": "The leads now run the weekly review."}),
        "r4": ({"g1": 1, "g2": 2}, {"g2": "I get feedback every couple of weeks now."}),
        "r5": ({"g1": 2, "g2": 0}, {}),
        "r6": ({"g1": 1, "g2": 1}, {"g1": "Still joins incident calls early, but less."}),
    }
    records: list[Record] = [round_]
    for k, (rid, (scores, comments)) in enumerate(answers.items()):
        at = _at(opened + timedelta(days=2 + k), 17)
        records.append(
            PulseResponse(
                id=pulse_response_id(round_.id, rid),
                round_id=round_.id,
                rater_id=rid,
                scores=dict(scores),
                comments=comments,
                saved_at=at,
                submitted_at=at,
            )
        )
    return records


def _ana(today: date) -> list[Record]:
    nominated = today - timedelta(days=2)
    return [
        Rater(id="r1", name="Daniel Okafor", relationship="manager", nominated_on=nominated),
        Rater(id="r2", name="Grace Liu", email="g.liu@example.org", relationship="peer", nominated_on=nominated),
        Rater(id="r3", name="Tomás Silva", relationship="direct_report", nominated_on=nominated),
    ]
