"""Commands for assessments: ``raters`` (the 360's raters and their private links) and ``pulse``
(change pulse rounds and their links). Links are printed once, when issued: only their hash is
kept."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from coachkit import links
from coachkit.cli import outreach
from coachkit.cli.common import Subparsers, add_client_command, add_group, clip, practice_of
from coachkit.errors import ValidationError
from coachkit.model.feedback360 import NOMINATORS, RELATIONSHIP_SINGULAR, RELATIONSHIPS, rater_advice
from coachkit.model.pulse import PulseResponse, PulseRound, pulse_rounds
from coachkit.services import assessments as A
from coachkit.services import engagements


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    sub = add_group(subparsers, "raters", "360 raters: nominate, approve, list who answered, issue private links")
    p = add_client_command(
        sub, "list", cmd_raters_list, "list a client's raters, who has answered and their links' state"
    )

    p = add_client_command(sub, "nominate", cmd_raters_nominate, "nominate a rater (approve them before inviting)")
    p.add_argument("name", metavar="NAME", help="the rater's name (shown to the coach only)")
    p.add_argument("--relationship", choices=RELATIONSHIPS, required=True, help="how the rater works with the client")
    p.add_argument("--email", default="", help="the rater's e-mail address")
    p.add_argument("--by", choices=NOMINATORS, default="coach", help="who nominates (default: coach)")

    p = add_client_command(sub, "approve", cmd_raters_approve, "approve nominated raters (the coach's decision)")
    p.add_argument("rater_ids", nargs="*", metavar="RATER_ID", help="raters to approve (see `raters list`)")
    p.add_argument("--all", action="store_true", help="approve every nominated rater")

    p = add_client_command(
        sub,
        "links",
        cmd_raters_links,
        "issue a private link to every approved rater who has none yet, and print them (shown only once)",
    )
    _link_options(p)
    p.add_argument(
        "--renew",
        action="append",
        default=[],
        metavar="RATER_ID",
        help="revoke this rater's link and issue a new one (repeatable)",
    )
    outreach.register_raters_invite(sub)

    sub = add_group(subparsers, "pulse", "change pulse rounds and their raters' links")
    p = add_client_command(sub, "list", cmd_pulse_list, "list a client's pulse rounds and how many answered")
    p = add_client_command(
        sub, "links", cmd_pulse_links, "issue private links for a pulse round's raters and print them"
    )
    p.add_argument("round_id", metavar="ROUND", help="the round's id (`coachkit pulse list CLIENT` shows them)")
    _link_options(p)
    outreach.register_pulse_invite(sub)


def _link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help=f"where the rater page is served (default: ${links.BASE_URL_ENV}, else http://127.0.0.1:8866/)",
    )
    days = links.DEFAULT_DAYS["rater"]
    parser.add_argument(
        "--days",
        type=int,
        default=days,
        metavar="N",
        help=f"days the links stay valid, 1 to {links.MAX_DAYS} (default: {days})",
    )


def _now() -> datetime:
    return datetime.now(UTC)


def cmd_raters_list(args: argparse.Namespace) -> int:
    """``coachkit raters list``."""
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        rows = A.rater_statuses(practice, args.client_id, now=_now())
        threshold = A.competency_model(practice, args.client_id).min_group
    if not rows:
        print(f"No raters yet: `coachkit raters nominate {args.client_id} NAME --relationship peer` adds one.")
        return 0
    lines = [f"{'ID':<14} {'NAME':<26} {'RELATIONSHIP':<16} {'APPROVED':<9} {'ANSWERS':<24} LINK"]
    for row in rows:
        r = row.rater
        lines.append(
            f"{r.id:<14} {clip(r.name, 26):<26} {RELATIONSHIP_SINGULAR[r.relationship]:<16} "
            f"{'yes' if r.approved else 'no':<9} {row.answers:<24} {row.link}"
        )
    lines += rater_advice([row.rater for row in rows], threshold)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_raters_nominate(args: argparse.Namespace) -> int:
    """``coachkit raters nominate``."""
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        rater = A.nominate_rater(
            practice,
            args.client_id,
            name=args.name,
            relationship=args.relationship,
            email=args.email,
            by=args.by,
            today=date.today(),
        )
    print(f"Nominated {rater.name} ({RELATIONSHIP_SINGULAR[rater.relationship]}) as {rater.id}.")
    return 0


def cmd_raters_approve(args: argparse.Namespace) -> int:
    """``coachkit raters approve``."""
    if not args.all and not args.rater_ids:
        raise ValidationError("RATER_ID", "name the raters to approve, or give --all.")
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        approved = A.approve_raters(practice, args.client_id, None if args.all else args.rater_ids, today=date.today())
    print(f"Approved {len(approved)} rater(s): " + (", ".join(r.name for r in approved) or "none"))
    return 0


def cmd_raters_links(args: argparse.Namespace) -> int:
    """``coachkit raters links``."""
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        issued = A.issue_rater_links(
            practice, args.client_id, args.base_url, now=_now(), days=args.days, renew=args.renew
        )
    if not issued:
        print("No new links: every approved rater has a valid one (use --renew RATER_ID to replace one).")
        return 0
    print("Send each rater their own link; it is shown only now.")
    for link in issued:
        r = link.rater
        who = f"{r.name} ({RELATIONSHIP_SINGULAR[r.relationship]})" if r is not None else "A rater"
        print(f"{who}, valid until {link.expires_at:%Y-%m-%d}:")
        print(f"  {link.url}")
    return 0


def cmd_pulse_list(args: argparse.Namespace) -> int:
    """``coachkit pulse list``."""
    with practice_of(args) as practice:
        file = engagements.load(practice, args.client_id)
    rounds = pulse_rounds(file)
    if not rounds:
        print("No pulse rounds yet: open one from the workbook (phases 5-7).")
        return 0
    responses = file.all(PulseResponse)
    for round_ in rounds:
        done = sum(1 for r in responses if r.round_id == round_.id and r.submitted)
        print(f"{round_.id:<28} {_title(round_):<30} {round_.stage:<10} {done} of {len(round_.rater_ids)} answered")
    return 0


def cmd_pulse_links(args: argparse.Namespace) -> int:
    """``coachkit pulse links``."""
    with practice_of(args) as practice:
        practice.require_client(args.client_id)
        issued = A.issue_pulse_links(practice, args.client_id, args.round_id, args.base_url, now=_now(), days=args.days)
    if not issued:
        print("No new links: every rater of this round has a valid one.")
        return 0
    print("Send each rater their own link; it is shown only now.")
    for link in issued:
        print(f"{link.rater.name if link.rater is not None else 'A rater'}, valid until {link.expires_at:%Y-%m-%d}:")
        print(f"  {link.url}")
    return 0


def _title(round_: PulseRound) -> str:
    return clip(round_.title, 30)
