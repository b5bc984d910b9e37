"""Commands of the coach's home: agenda, calendar, planning sessions and the agreement's starter
text. (Mail and reminders are in :mod:`coachkit.cli.outreach`.)"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from coachkit.cli.common import (
    Subparsers,
    add_client_command,
    add_clients_arguments,
    add_command,
    add_group,
    named_clients,
    practice_of,
)
from coachkit.errors import ValidationError
from coachkit.home import schedule
from coachkit.home.agenda import DEFAULT_DAYS, agenda_text
from coachkit.home.settings import load_settings
from coachkit.model import Edit
from coachkit.services import clients, engagements
from coachkit.services import home as home_service

SESSION_VERBS = ("plan", "move", "reschedule", "cancel")


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    p = add_command(
        subparsers,
        "agenda",
        cmd_agenda,
        "list what is due for every client (one line per item, by date, grouped by client)",
    )
    p.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"look N days ahead (default {DEFAULT_DAYS}); overdue items are always listed",
    )
    p.add_argument(
        "--today", type=date.fromisoformat, metavar="YYYY-MM-DD", help="the day the agenda is for (default: today)"
    )

    p = add_command(
        subparsers,
        "calendar",
        cmd_calendar,
        "write an .ics calendar of sessions, follow-ups and milestone dates (a client's file holds only theirs)",
    )
    add_clients_arguments(p, each="the clients whose events go in", every="every client (the coach's own calendar)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.ics", help="the file to write")

    sub = add_group(subparsers, "agreement", "the agreement's starter text")
    add_command(
        sub,
        "template",
        cmd_agreement_template,
        "write coachkit's default starter text to agreement-template.md in the practice folder, to edit",
    )
    p = add_client_command(
        sub,
        "start",
        cmd_agreement_start,
        "save a client's first agreement draft from the practice's template (only if there is none yet)",
    )


def add_session_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``coachkit session plan|move|cancel CLIENT`` (added to ``session``)."""
    p.usage = (
        "coachkit session CLIENT [--number N] [--today YYYY-MM-DD]\n"
        "       coachkit session plan CLIENT --at 'YYYY-MM-DD HH:MM' [--minutes N] [--where TEXT]\n"
        "       coachkit session move|reschedule CLIENT --number N --at 'YYYY-MM-DD HH:MM' [--minutes N]\n"
        "                [--where TEXT]\n"
        "       coachkit session cancel CLIENT --number N"
    )
    p.add_argument("verb_client", nargs="?", metavar="CLIENT", help=argparse.SUPPRESS)
    p.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="plan/move: when, in the practice's time zone")
    p.add_argument("--minutes", type=int, metavar="N", help="plan/move: how long (default: the engagement's)")
    p.add_argument("--where", metavar="TEXT", help="plan/move: a room or a video link")


def is_session_verb(args: argparse.Namespace) -> bool:
    """True for ``coachkit session plan|move|cancel CLIENT``."""
    return args.client_id in SESSION_VERBS and bool(args.verb_client)


def cmd_session_verb(args: argparse.Namespace) -> int:
    """``coachkit session plan|move|cancel CLIENT``."""
    verb, client_id = args.client_id.replace("reschedule", "move"), args.verb_client
    with practice_of(args) as practice:
        practice.require_client(client_id)
        zone = load_settings(practice.home).zone
        if verb == "cancel":
            if args.number is None:
                raise ValidationError("--number", "name the session to cancel: --number N.")
            session = home_service.cancel_session(practice, client_id, args.number)
            print(f"Session {session.number} of {client_id} cancelled (its history is kept).")
            return 0
        if not args.at:
            raise ValidationError("--at", "say when: --at 'YYYY-MM-DD HH:MM' (the practice's time zone).")
        starts = schedule.parse_local_time(args.at, zone)
        if verb == "plan":
            session = home_service.plan_session(
                practice, client_id, starts, zone=zone, minutes=args.minutes, where=args.where or "", number=args.number
            )
        else:
            if args.number is None:
                raise ValidationError("--number", "name the session to move: --number N.")
            session = home_service.reschedule_session(
                practice, client_id, args.number, starts, zone=zone, minutes=args.minutes, where=args.where
            )
        assert session.starts_at is not None
        where = f", {session.place}" if session.place else ""
        print(
            f"Session {session.number} of {client_id}: {session.starts_at.astimezone(zone):%Y-%m-%d %H:%M} "
            f"({zone.key}), {session.duration_minutes} minutes{where}."
        )
        return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    """``coachkit agenda``."""
    if not 0 <= args.days <= 366:
        raise ValidationError("--days", "must be from 0 to 366.")
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        today = args.today or datetime.now(settings.zone).date()
        items = home_service.agenda(practice, today=today, days=args.days, zone=settings.zone)
    sys.stdout.write(agenda_text(items))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    """``coachkit calendar``."""
    named = named_clients(args)
    if args.out.suffix.lower() != ".ics":
        raise ValidationError("--out", f"{args.out} should end in .ics so calendar programs open it.")
    with practice_of(args) as practice:
        settings = load_settings(practice.home)
        ids = clients.client_ids(practice) if args.all else named
        for client_id in ids:
            practice.require_client(client_id)
        data = home_service.calendar(
            practice, ids, zone=settings.zone, now=datetime.now(UTC), coach_name=settings.coach_name
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({data.count(b'BEGIN:VEVENT')} events, {settings.zone.key}).")
    return 0


def cmd_agreement_template(args: argparse.Namespace) -> int:
    """``coachkit agreement template``."""
    from coachkit.home.starter import DEFAULT_TEMPLATE, TEMPLATE_FILE

    with practice_of(args) as practice:
        path = practice.home / TEMPLATE_FILE
    if path.exists():
        print(f"{path} is already there; edit it (or delete it to start again from coachkit's default).")
        return 0
    path.write_text(DEFAULT_TEMPLATE, encoding="utf-8")
    print(f"wrote {path}: edit it; new agreements start from it.")
    return 0


def cmd_agreement_start(args: argparse.Namespace) -> int:
    """``coachkit agreement start``."""
    from coachkit.home.starter import starter_agreement

    with practice_of(args) as practice:
        file = engagements.load(practice, args.client_id)
        if file.agreement is not None:
            print(f"{args.client_id} has an agreement already (version {file.agreement.version}); nothing changed.")
            return 0
        settings = load_settings(practice.home)
        draft = starter_agreement(practice.home, file, coach_name=settings.coach_name)
        engagements.save(practice, args.client_id, Edit.new(draft))  # refused if an agreement appeared meanwhile
    print(f"Saved a draft agreement for {args.client_id} from the template; edit and accept it in 01-relationship.")
    return 0
