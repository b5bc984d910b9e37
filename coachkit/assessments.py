"""Assessment verbs that read or write the practice: nominating and approving raters, their
private links, saving answers (which locks the competency model), releasing the 360 summary,
pulse rounds and the IPIP-50.

Each verb takes the practice's :class:`~coachkit.store.Store` and the client id. Rater links are
made by :mod:`coachkit.links`, like every other link (audience ``rater``; the subject is the
rater's id for the 360, and ``pulse:<round id>:<rater id>`` for a pulse round). A token is shown
once, when it is issued.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from coachkit.errors import Conflict, NotFound, ValidationError
from coachkit.links import (
    IssuedLink,
    check_base_url,
    check_days,
    default_base_url,
    link_target,
    new_link,
)
from coachkit.model import Agreement, Edit
from coachkit.model import release360 as R360
from coachkit.model.access import Link
from coachkit.model.answers import refuse_final, stamp_answers
from coachkit.model.feedback360 import (
    COMPETENCY_MODEL_ID,
    MAX_RATERS,
    SELF_ID,
    CompetencyModel,
    FeedbackRelease,
    Rater,
    RaterResponse,
    check_complete,
    default_competency_model,
)
from coachkit.model.ipip import IPIP_ID, IpipProfile, IpipResponse, score_ipip50
from coachkit.pulse_rounds import issue_pulse_links as issue_pulse_links  # the pulse verbs, reached from here too
from coachkit.pulse_rounds import open_pulse_round as open_pulse_round
from coachkit.pulse_rounds import rater_pulse_round as rater_pulse_round
from coachkit.pulse_rounds import save_pulse_response as save_pulse_response
from coachkit.store import Store

RATER_AUDIENCE = "rater"


# -- raters ---------------------------------------------------------------------------------


def nominate_rater(
    store: Store,
    client_id: str,
    *,
    name: str,
    relationship: str,
    email: str = "",
    by: str = "client",
    today: date,
) -> Rater:
    """Add a nominated rater (not yet approved)."""
    current = store.all(client_id, Rater)
    if len(current) >= MAX_RATERS:
        raise ValidationError("name", f"there are already {len(current)} raters; {MAX_RATERS} is the most a 360 takes.")
    if any(r.name.strip().casefold() == name.strip().casefold() for r in current):
        raise ValidationError("name", f"“{name.strip()}” is already nominated.")
    rater = Rater(
        name=name.strip(), email=email.strip(), relationship=relationship, nominated_by=by, nominated_on=today
    )
    store.save(client_id, Edit.new(rater), author=by)
    return rater


def set_rater_approval(store: Store, client_id: str, rater_id: str, approved: bool, *, today: date) -> Rater:
    """Approve a rater, or take the approval back (which also revokes their links)."""
    found = store.find_revision(client_id, Rater, rater_id)
    if found is None:
        raise NotFound(f"No rater {rater_id!r} for client {client_id!r}.")
    rater, revision = found
    if approved == rater.approved:
        return rater
    updated = dataclasses.replace(rater, approved=approved, approved_on=today if approved else None)
    store.save(client_id, Edit(updated, revision))  # refused if the rater changed since it was read
    if not approved:
        revoke_rater_links(store, client_id, rater_id)
    return updated


def approve_raters(store: Store, client_id: str, rater_ids: Sequence[str] | None, *, today: date) -> list[Rater]:
    """Approve the named raters (every nominated one when ``rater_ids`` is None)."""
    raters = store.all(client_id, Rater)
    known = {r.id for r in raters}
    for rid in rater_ids or ():
        if rid not in known:
            raise NotFound(f"No rater {rid!r} for {client_id}.", kind="rater", key=rid, client_id=client_id)
    wanted = known if rater_ids is None else set(rater_ids)
    return [set_rater_approval(store, client_id, r.id, True, today=today) for r in raters if r.id in wanted]


def remove_rater(store: Store, client_id: str, rater_id: str) -> None:
    """Take a rater off the list: their links stop working and their answers no longer count
    (the history keeps them for the coach)."""
    revoke_rater_links(store, client_id, rater_id)
    store.remove(client_id, Rater, rater_id)


def revoke_rater_links(store: Store, client_id: str, rater_id: str, *, round_id: str | None = None) -> int:
    """Revoke a rater's valid links (only one pulse round's, when ``round_id`` is given)."""
    revoked = 0
    for link in store.links(client_id):
        target = link_target(link)
        if target is None or target.rater_id != rater_id or link.revoked_at is not None:
            continue
        if round_id is not None and target.round_id != round_id:
            continue
        store.revoke_link(link.id)
        revoked += 1
    return revoked


def issue_rater_links(
    store: Store,
    client_id: str,
    base_url: str | None = None,
    *,
    now: datetime,
    days: int | None = None,
    renew: Sequence[str] = (),
) -> list[IssuedLink]:
    """A private link for every approved rater who has no valid one yet (and a fresh one, the
    old revoked, for each rater in ``renew``). Marks each rater invited. ``days`` and
    ``base_url`` follow the rule of every link (:func:`coachkit.links.new_link`)."""
    check_days(RATER_AUDIENCE, days)
    check_base_url(base_url or default_base_url())
    raters = store.all(client_id, Rater)
    by_id = {r.id: r for r in raters}
    for rid in renew:
        if rid not in by_id:
            raise NotFound(f"No rater {rid!r} for {client_id}.", kind="rater", key=rid, client_id=client_id)
        if not by_id[rid].approved:
            raise ValidationError("renew", f"{by_id[rid].name} is not approved yet.")
    valid = {
        t.rater_id
        for link in store.links(client_id)
        if link.is_valid(now) and (t := link_target(link)) is not None and not t.is_pulse
    }
    issued = []
    for rater in raters:
        if not rater.approved or (rater.id in valid and rater.id not in renew):
            continue
        if rater.id in renew:
            revoke_rater_links(store, client_id, rater.id, round_id="")
        if rater.invited_on is None:
            rater = dataclasses.replace(rater, invited_on=now.date())
            store.save(client_id, rater)
        issued.append(
            new_link(
                store, client_id, RATER_AUDIENCE, days=days, base_url=base_url, subject=rater.id, now=now, rater=rater
            )
        )
    return issued


@dataclasses.dataclass(frozen=True)
class RaterStatus:
    """Where one rater stands (for the coach only: it says who answered)."""

    rater: Rater
    answers: str
    link: str


def rater_statuses(store: Store, client_id: str, *, now: datetime) -> list[RaterStatus]:
    """Every rater with the state of their answers and of their newest 360 link."""
    responses = {r.id: r for r in store.all(client_id, RaterResponse)}
    newest: dict[str, Link] = {}
    for link in store.links(client_id):  # newest first
        target = link_target(link)
        if target is not None and not target.is_pulse:
            newest.setdefault(target.rater_id, link)
    out = []
    for rater in store.all(client_id, Rater):
        response = responses.get(rater.id)
        if response is not None and response.submitted_at is not None:
            answers = f"submitted {response.submitted_at:%Y-%m-%d}"
        elif response is not None and response.started:
            answers = "started, not submitted"
        elif rater.approved:
            answers = "not started"
        else:
            answers = "awaiting approval"
        latest = newest.get(rater.id)
        if latest is None:
            link_state = "no link yet"
        elif latest.is_valid(now):
            link_state = f"valid until {latest.expires_at:%Y-%m-%d}"
        else:
            link_state = latest.state(now)
        out.append(RaterStatus(rater, answers, link_state))
    return out


# -- competency model and answers ---------------------------------------------------------------


def competency_model(store: Store, client_id: str) -> CompetencyModel:
    """The engagement's competency model (coachkit's default until one is saved)."""
    return store.find(client_id, CompetencyModel, COMPETENCY_MODEL_ID) or default_competency_model()


def save_competency_model(store: Store, client_id: str, model: CompetencyModel) -> CompetencyModel:
    """Save an edited model; refused once it is locked."""
    found = store.find_revision(client_id, CompetencyModel, COMPETENCY_MODEL_ID)
    if found is not None and found[0].locked:
        raise Conflict("The competency model is locked: answers have arrived, so its items can no longer change.")
    saved = dataclasses.replace(model, id=COMPETENCY_MODEL_ID, locked_at=None)
    store.save(client_id, Edit(saved, found[1] if found else None))
    return saved


def save_rater_response(
    store: Store, client_id: str, response: RaterResponse, *, now: datetime, submit: bool = False, author: str = "rater"
) -> RaterResponse:
    """Save a rater's (or the client's own) answers; ``submit`` makes them final, once every
    item is answered. The first answers lock the competency model, in the same transaction."""
    model = competency_model(store, client_id)
    if response.id != SELF_ID and store.find(client_id, Rater, response.id) is None:
        raise NotFound("This rater is no longer on the list; please contact the coach.")
    refuse_final(store.find(client_id, RaterResponse, response.id))
    known = {b.id for _, b in model.items}
    questions = {q.id for q in model.open_questions}
    rated = dataclasses.replace(response, ratings={k: v for k, v in response.ratings.items() if k in known})
    cleaned = stamp_answers(rated, now, asked=questions, submit=submit, complete=partial(check_complete, model))
    records: list[CompetencyModel | RaterResponse] = [cleaned]
    if cleaned.started and not model.locked:
        records.insert(0, dataclasses.replace(model, locked_at=now))
    store.save_all(client_id, records, author=author)
    return cleaned


def release_feedback(
    store: Store, client_id: str, *, now: datetime, by: str = "coach", released: bool = True
) -> FeedbackRelease:
    """Release the 360 summary to the client as it stands now (a snapshot, kept with every
    earlier one), or withdraw it. A release that would let the client work out one rater's or a
    small group's answers by comparing it with an earlier one is refused with ValidationError
    (field ``release``) saying why and what to wait for; nothing is saved then."""
    file = store.load(client_id)
    record = R360.released(file, R360.new_snapshot(file, now), by=by) if released else R360.withdrawn(file, now, by=by)
    store.save(client_id, record, author=by)
    return record


def release_check(store: Store, client_id: str, *, now: datetime) -> str:
    """Why the 360 cannot be released now ("" when it can)."""
    return R360.plan_release(store.load(client_id), now).reason


# -- IPIP-50 ---------------------------------------------------------------------------------


def save_ipip_answers(
    store: Store, client_id: str, answers: dict[str, int], *, today: date, author: str = "client"
) -> IpipResponse:
    """Save the client's IPIP-50 answers so far; marks them complete with the 50th."""
    found = store.find_revision(client_id, IpipResponse, IPIP_ID)
    current = found[0] if found else IpipResponse()
    merged = {**current.answers, **answers}
    response = IpipResponse(answers=merged, started_on=current.started_on or (today if merged else None))
    if response.complete:
        response.completed_on = current.completed_on or today
    store.save(client_id, Edit(response, found[1] if found else None), author=author)
    return response


def practice_ipip_profiles(store: Store) -> list[IpipProfile]:
    """Every completed IPIP-50 profile in the practice (one per client), for percentiles
    within the practice."""
    out = []
    for client_id in store.client_ids():
        response = store.find(client_id, IpipResponse, IPIP_ID)
        if response is not None and (profile := score_ipip50(response.answers)) is not None:
            out.append(profile)
    return out


def accepted_agreement(store: Store, client_id: str) -> Agreement | None:
    """The newest accepted agreement version, read on its own (a rater page loads nothing more)."""
    accepted = [a for a in store.all(client_id, Agreement) if a.accepted]
    return max(accepted, key=lambda a: a.version) if accepted else None
