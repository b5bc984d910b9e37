"""Pulse rounds: opening a round (only about goals the client released, or opted in), the
raters' links for it, what a rater is asked, and saving their answers. Reached through
:mod:`coachkit.assessments` like every other assessment verb."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import partial

from coachkit.errors import Conflict, NotFound, ValidationError
from coachkit.links import (
    RATER_AUDIENCE,
    IssuedLink,
    check_base_url,
    check_days,
    default_base_url,
    link_target,
    new_link,
    pulse_subject,
)
from coachkit.model import Client, Goal
from coachkit.model.answers import refuse_final, stamp_answers
from coachkit.model.feedback360 import Rater
from coachkit.model.pulse import (
    PulseResponse,
    PulseRound,
    asked_goal_ids,
    check_pulse_complete,
    pulse_question,
    rater_round,
)
from coachkit.store import Store


def open_pulse_round(store: Store, client_id: str, round_: PulseRound) -> PulseRound:
    """Save a new pulse round after checking its goals and raters exist, and that each goal is
    one the client released (or opted in for this round, as ``round_.opted_in`` records). Each
    item keeps the question its raters will read."""
    file = store.load(client_id)
    if file.one(PulseRound, round_.id) is not None:
        raise Conflict(f"A pulse round {round_.id!r} exists already.")
    goals = {g.id: g for g in file.goals}
    raters = {r.id for r in file.all(Rater)}
    asked = asked_goal_ids(round_, file.goals)
    for item in round_.items:
        if item.goal_id not in goals:
            raise ValidationError("items", f"there is no goal {item.goal_id!r}.")
        if item.goal_id not in asked:
            raise ValidationError(
                "items",
                f"“{goals[item.goal_id].objective}” is not released by the client; leave it out, or ask the client "
                "to release it (or to agree that raters are asked about it, recorded with the round).",
            )
    for rid in round_.rater_ids:
        if rid not in raters:
            raise ValidationError("rater_ids", f"there is no rater {rid!r}.")
    worded = [dataclasses.replace(i, question=pulse_question(i, file.client.name)) for i in round_.items]
    saved = dataclasses.replace(round_, items=worded)
    store.save(client_id, saved)
    return saved


def rater_pulse_round(store: Store, client_id: str, round_id: str) -> PulseRound:
    """A pulse round as its raters may see it: only goals the client released or opted in, each
    with the question raters read. NotFound if there is no such round."""
    round_ = store.get(client_id, PulseRound, round_id)
    client = store.get(client_id, Client, client_id)
    return rater_round(round_, store.all(client_id, Goal), client.name)


def issue_pulse_links(
    store: Store,
    client_id: str,
    round_id: str,
    base_url: str | None = None,
    *,
    now: datetime,
    days: int | None = None,
) -> list[IssuedLink]:
    """A private link for each of the round's raters who has no valid one for it yet."""
    round_ = store.find(client_id, PulseRound, round_id)
    if round_ is None:
        raise NotFound(
            f"No pulse round {round_id!r} for {client_id}.", kind="pulse round", key=round_id, client_id=client_id
        )
    check_days(RATER_AUDIENCE, days)
    check_base_url(base_url or default_base_url())
    valid = {
        t.rater_id
        for link in store.links(client_id)
        if link.is_valid(now) and (t := link_target(link)) is not None and t.round_id == round_id
    }
    issued = []
    for rid in round_.rater_ids:
        rater = store.find(client_id, Rater, rid)
        if rater is None or rid in valid:
            continue
        subject = pulse_subject(round_id, rid)
        issued.append(
            new_link(
                store, client_id, RATER_AUDIENCE, days=days, base_url=base_url, subject=subject, now=now, rater=rater
            )
        )
    return issued


def save_pulse_response(
    store: Store, client_id: str, response: PulseResponse, *, now: datetime, submit: bool = False
) -> PulseResponse:
    """Save a pulse rater's answers; ``submit`` makes them final once every goal is answered."""
    round_ = rater_pulse_round(store, client_id, response.round_id)
    if response.rater_id not in round_.rater_ids or store.find(client_id, Rater, response.rater_id) is None:
        raise NotFound("This rater is not part of the pulse round; please contact the coach.")
    refuse_final(store.find(client_id, PulseResponse, response.id))
    goals = {i.goal_id for i in round_.items}
    scored = dataclasses.replace(response, scores={k: v for k, v in response.scores.items() if k in goals})
    cleaned = stamp_answers(scored, now, asked=goals, submit=submit, complete=partial(check_pulse_complete, round_))
    store.save(client_id, cleaned, author="rater")
    return cleaned
