"""Commands that send mail through the coach's own server: links, 360 and pulse invitations, a
report, and reminders. Each prints one line per message; ``--dry-run`` shows what would go and
issues no link. A message sent before is not sent again."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from coachkit.cli.common import Subparsers, add_client_command, add_command, add_group, practice_of
from coachkit.home import invites
from coachkit.home.outbox import Delivery, Pending
from coachkit.home.settings import load_settings
from coachkit.model.outreach import REMINDER_KINDS
from coachkit.practice import Practice
from coachkit.services import home as home_service


def _now() -> datetime:
    return datetime.now(UTC)


def _dry_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="show what would be sent; send nothing, issue no link")


def register(subparsers: Subparsers) -> None:
    """Add this module's commands (``raters invite`` and ``pulse invite`` are added to their
    groups by :func:`register_raters_invite` and :func:`register_pulse_invite`)."""
    sub = add_group(subparsers, "send", "send a link or a report by e-mail", metavar="WHAT")
    p = add_client_command(sub, "link", cmd_send_link, "e-mail the client (or each sponsor) their own private link")
    p.add_argument("--for", dest="audience", choices=("client", "sponsor"), default="client", help="who gets it")
    p.add_argument("--again", action="store_true", help="send a new link even if one was e-mailed before")
    _dry_run(p)
    p = add_client_command(sub, "report", cmd_send_report, "write the progress report as PDF and e-mail it")
    p.add_argument("--audience", choices=("client", "sponsor"), default="sponsor", help="who gets it (default sponsor)")
    p.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="the report's date (default: today)")
    _dry_run(p)

    p = add_command(
        subparsers,
        "remind",
        cmd_remind,
        "send the reminders due now (check-ins, raters, follow-ups, sessions tomorrow), each once; safe from cron",
    )
    _dry_run(p)
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="work out what is due as on this day, at noon in the practice's zone (default: now)",
    )

    p = add_client_command(
        subparsers,
        "reminders",
        cmd_reminders,
        "switch a client's reminders on or off, mute or unmute an address, and show the settings",
    )
    p.add_argument("--on", action="append", choices=REMINDER_KINDS, default=[], help="switch this kind on")
    p.add_argument("--off", action="append", choices=REMINDER_KINDS, default=[], help="switch this kind off")
    p.add_argument("--mute", action="append", default=[], metavar="EMAIL", help="send this address no reminders")
    p.add_argument("--unmute", action="append", default=[], metavar="EMAIL", help="send reminders again")


def register_raters_invite(sub: Subparsers) -> None:
    """Add ``coachkit raters invite CLIENT``."""
    p = add_client_command(sub, "invite", cmd_raters_invite, "e-mail each approved rater their own fresh private link")
    _dry_run(p)


def register_pulse_invite(sub: Subparsers) -> None:
    """Add ``coachkit pulse invite CLIENT ROUND``."""
    p = add_client_command(
        sub, "invite", cmd_pulse_invite, "e-mail each of a pulse round's raters their own private link"
    )
    p.add_argument("round_id", metavar="ROUND", help="the pulse round id (`coachkit pulse list CLIENT` shows them)")
    _dry_run(p)


def _send(practice: Practice, pending: Sequence[Pending], dry_run: bool) -> int:
    settings = load_settings(practice.home)
    delivery: Delivery = home_service.send(practice, pending, settings=settings, now=_now(), dry_run=dry_run)
    for line in delivery.lines():
        print(line)
    if dry_run:
        for draft in delivery.previews:
            print(f"\n--- to {draft.to} ---\n{draft.text}", end="")
    if not delivery.sent and not delivery.already:
        print("Nothing to send.")
    return 0


def cmd_send_link(args: argparse.Namespace) -> int:
    """``coachkit send link``."""
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        pending = invites.link_messages(practice, args.client_id, args.audience, settings, now=_now(), again=args.again)
        return _send(practice, pending, args.dry_run)


def cmd_raters_invite(args: argparse.Namespace) -> int:
    """``coachkit raters invite``."""
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        practice.require_client(args.client_id)
        return _send(practice, invites.rater_invitations(practice, args.client_id, settings, now=_now()), args.dry_run)


def cmd_pulse_invite(args: argparse.Namespace) -> int:
    """``coachkit pulse invite``."""
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        pending = invites.pulse_invitations(practice, args.client_id, args.round_id, settings, now=_now())
        return _send(practice, pending, args.dry_run)


def cmd_send_report(args: argparse.Namespace) -> int:
    """``coachkit send report``: writes the PDF with :mod:`coachkit.reports`, then sends it."""
    from coachkit.reports import write_reports

    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        settings = load_settings(practice.home)
        summary = write_reports(
            practice, [args.client_id], audiences=(args.audience,), formats=("html", "pdf"), jobs=1,
            report_date=args.date,
        )  # fmt: skip
        outcome = summary.outcomes[0]
        pdfs = [p for p in outcome.paths if p.suffix == ".pdf"]
        pages = [p for p in outcome.paths if p.suffix == ".html"]
        if not outcome.ok or not pdfs:
            print(f"coachkit: the report could not be written ({outcome.error}); nothing was sent.", file=sys.stderr)
            return 1
        pending = invites.report_messages(
            practice, args.client_id, args.audience, pdfs[0], settings, same_as=pages[0] if pages else None
        )
        return _send(practice, pending, args.dry_run)


def cmd_remind(args: argparse.Namespace) -> int:
    """``coachkit remind``."""
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        now = _now() if args.today is None else datetime.combine(args.today, time(12, 0), tzinfo=settings.zone)
        return _send(practice, home_service.reminders_due(practice, settings, now=now), args.dry_run)


def cmd_reminders(args: argparse.Namespace) -> int:
    """``coachkit reminders``."""
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        prefs = home_service.set_reminders(
            practice, args.client_id, on=args.on, off=args.off, mute=args.mute, unmute=args.unmute
        )
    on = [k for k in REMINDER_KINDS if k not in prefs.off]
    print(
        f"{args.client_id}: reminders on: {', '.join(on) or 'none'}; off: {', '.join(prefs.off) or 'none'}; "
        f"muted: {', '.join(prefs.muted) or 'no one'}."
    )
    return 0
