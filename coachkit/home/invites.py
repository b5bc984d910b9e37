"""The messages the coach sends on purpose: a client's or sponsor's link, 360 invitations, pulse
invitations and a report. Each is a :class:`~coachkit.home.outbox.Pending` whose link is issued
only when it is really sent, and each holds only what its recipient may see: a rater's message
names the client and carries that rater's own link, nothing about other raters.

Every link is issued in :func:`_issue_page_link` or :func:`_issue_rater_link` (the one place to
repoint when link issuing changes).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
from datetime import datetime
from pathlib import Path

from coachkit import links
from coachkit.assessments import revoke_rater_links
from coachkit.errors import NotFound, ValidationError
from coachkit.home.mail import Draft
from coachkit.home.outbox import Pending
from coachkit.home.settings import HomeSettings
from coachkit.model import Edit
from coachkit.model.feedback360 import Rater
from coachkit.model.outreach import message_key
from coachkit.model.pulse import PulseRound
from coachkit.practice import Practice

LINK_PLACEHOLDER = "<a private link, issued when the message is sent>"
RATER_DAYS = links.DEFAULT_DAYS[links.RATER_AUDIENCE]


# -- the link seam -----------------------------------------------------------------------------


def _issue_page_link(practice: Practice, client_id: str, audience: str, base_url: str | None, now: datetime) -> str:
    return links.create_link(practice, client_id, audience, base_url=base_url, now=now).url


def _issue_rater_link(
    practice: Practice, client_id: str, rater: Rater, base_url: str, now: datetime, *, round_id: str = ""
) -> str:
    """A fresh link for one rater (their older link for the same 360 or round stops working)."""
    store = practice.store
    revoke_rater_links(store, client_id, rater.id, round_id=round_id)
    subject = links.pulse_subject(round_id, rater.id) if round_id else rater.id
    issued = links.new_link(
        store, client_id, links.RATER_AUDIENCE, base_url=base_url, subject=subject, now=now, rater=rater
    )
    found = store.find_revision(client_id, Rater, rater.id)
    if not round_id and found is not None and found[0].invited_on is None:
        current, revision = found
        invited = dataclasses.replace(current, invited_on=now.date())
        store.save(client_id, Edit.fields(invited, revision, current, ("invited_on",)))
    return issued.url


# -- composing -----------------------------------------------------------------------------------


def compose(
    key: str,
    kind: str,
    to_name: str,
    to: str,
    subject: str,
    paragraphs: list[str],
    settings: HomeSettings,
    *,
    link: str = "",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> Draft:
    """A plain-text and HTML message: a greeting, the paragraphs, the link if any, the coach's name."""
    first = to_name.split()[0] if to_name.strip() else "there"
    text_parts = [f"Hello {first},", *paragraphs]
    html_parts = [f"<p>Hello {html.escape(first)},</p>", *(f"<p>{html.escape(p)}</p>" for p in paragraphs)]
    if link:
        text_parts.append(f"Your private link (please do not forward it):\n{link}")
        html_parts.append(
            "<p>Your private link (please do not forward it):<br>"
            f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a></p>'
        )
    text_parts.append(f"With best wishes,\n{settings.signature}")
    html_parts.append(f"<p>With best wishes,<br>{html.escape(settings.signature)}</p>")
    body_html = "<!DOCTYPE html><html><body>" + "".join(html_parts) + "</body></html>"
    return Draft(key, kind, to_name, to, subject, "\n\n".join(text_parts) + "\n", body_html, attachments)


def link_messages(
    practice: Practice,
    client_id: str,
    audience: str,
    settings: HomeSettings,
    *,
    now: datetime,
    base_url: str | None = None,
    again: bool = False,
) -> list[Pending]:
    """The client's (or each sponsor's) own dashboard link, by e-mail."""
    client = practice.require_client(client_id)
    if audience == "client":
        recipients = [(client.name, client.email)]
        what = "your coaching dashboard: your goals, progress and check-ins between sessions"
    elif audience == "sponsor":
        recipients = [(s.name, s.email) for s in practice.store.load(client_id).sponsors]
        what = f"the progress view of {client.name}'s coaching (only what {client.name} chose to share)"
    else:
        raise ValidationError("audience", f"must be client or sponsor, not {audience!r}.")
    missing = [name for name, email in recipients if not email]
    if not recipients or len(missing) == len(recipients):
        raise ValidationError("email", f"no {audience} of {client_id} has an e-mail address; add one first.")
    out = []
    for name, email in recipients:
        if not email:
            continue
        key = message_key("link", client_id, audience, email.casefold(), now.isoformat() if again else "")
        subject = "Your coaching dashboard" if audience == "client" else f"Coaching progress: {client.name}"

        def make(dry: bool, name: str = name, email: str = email, key: str = key, subject: str = subject) -> Draft:
            link = LINK_PLACEHOLDER if dry else _issue_page_link(practice, client_id, audience, base_url, now)
            paragraphs = [f"Here is the link to {what}."]
            return compose(key, f"{audience}-link", name, email, subject, paragraphs, settings, link=link)

        out.append(Pending(client_id, key, f"{audience}-link", name, email, subject, make))
    return out


def rater_invitations(
    practice: Practice, client_id: str, settings: HomeSettings, *, now: datetime, base_url: str | None = None
) -> list[Pending]:
    """An invitation for each approved rater with an e-mail address, each with their own fresh link."""
    client = practice.require_client(client_id)
    base = base_url or links.default_base_url()
    out = []
    for rater in practice.store.all(client_id, Rater):
        if not rater.approved or not rater.email:
            continue
        key = message_key("rater-invite", client_id, rater.id, rater.email.casefold())
        subject = f"Your feedback for {client.name}"

        def make(dry: bool, rater: Rater = rater, key: str = key, subject: str = subject) -> Draft:
            link = LINK_PLACEHOLDER if dry else _issue_rater_link(practice, client_id, rater, base, now)
            paragraphs = [
                f"{client.name} is working with a coach and would value your feedback. It takes about "
                "fifteen minutes; your answers are pooled with others' and never shown as yours alone.",
                f"The link stays open for {RATER_DAYS} days; you can save and come back before you submit.",
            ]
            return compose(key, "rater-invite", rater.name, rater.email, subject, paragraphs, settings, link=link)

        out.append(Pending(client_id, key, "rater-invite", rater.name, rater.email, subject, make))
    return out


def pulse_invitations(
    practice: Practice,
    client_id: str,
    round_id: str,
    settings: HomeSettings,
    *,
    now: datetime,
    base_url: str | None = None,
) -> list[Pending]:
    """An invitation for each of a pulse round's raters with an e-mail address."""
    client = practice.require_client(client_id)
    round_ = practice.store.find(client_id, PulseRound, round_id)
    if round_ is None:
        raise NotFound(f"No pulse round {round_id!r} for {client_id}.")
    base = base_url or links.default_base_url()
    out = []
    for rid in round_.rater_ids:
        rater = practice.store.find(client_id, Rater, rid)
        if rater is None or not rater.email:
            continue
        key = message_key("pulse-invite", client_id, round_id, rater.id, rater.email.casefold())
        subject = f"A short pulse for {client.name}"

        def make(dry: bool, rater: Rater = rater, key: str = key, subject: str = subject) -> Draft:
            link = (
                LINK_PLACEHOLDER if dry else _issue_rater_link(practice, client_id, rater, base, now, round_id=round_id)
            )
            paragraphs = [
                f"A few minutes, a few questions: has {client.name} changed in the areas you rated before? "
                "Your answers are pooled with others'."
            ]
            return compose(key, "pulse-invite", rater.name, rater.email, subject, paragraphs, settings, link=link)

        out.append(Pending(client_id, key, "pulse-invite", rater.name, rater.email, subject, make))
    return out


def report_messages(
    practice: Practice, client_id: str, audience: str, pdf: Path, settings: HomeSettings, *, same_as: Path | None = None
) -> list[Pending]:
    """The report PDF (written by :mod:`coachkit.reports` for ``audience``) to that audience.
    A report is the same report when ``same_as`` (its HTML, byte-identical for the same data and
    date) is unchanged, else when the PDF is: the same report is not sent twice."""
    client = practice.require_client(client_id)
    content = pdf.read_bytes()
    digest = hashlib.sha256(same_as.read_bytes() if same_as is not None else content).hexdigest()
    if audience == "client":
        recipients = [(client.name, client.email)]
    elif audience == "sponsor":
        recipients = [(s.name, s.email) for s in practice.store.load(client_id).sponsors]
    else:
        raise ValidationError("audience", f"must be client or sponsor, not {audience!r}.")
    attachment = (f"progress-report-{client_id}.pdf", content, "application/pdf")
    out = []
    for name, email in recipients:
        if not email:
            continue
        key = message_key("report", client_id, audience, email.casefold(), digest)
        subject = f"Coaching progress report: {client.name}"

        def make(dry: bool, name: str = name, email: str = email, key: str = key, subject: str = subject) -> Draft:
            paragraphs = ["The progress report is attached as a PDF."]
            return compose(key, "report", name, email, subject, paragraphs, settings, attachments=(attachment,))

        out.append(Pending(client_id, key, "report", name, email, subject, make))
    if not out:
        raise ValidationError("email", f"no {audience} of {client_id} has an e-mail address; add one first.")
    return out
