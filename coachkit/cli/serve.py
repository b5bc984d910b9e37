"""Commands for the private pages: ``serve`` (the dashboard server) and ``link`` (private links).

``link`` takes an action first, ``new`` being the default::

    coachkit link [new] CLIENT [--for client|sponsor] [--expires DAYS] [--base-url URL]
    coachkit link list CLIENT
    coachkit link revoke LINK_ID

``link list`` shows every link of a client (dashboard, sponsor, 360 rater and pulse links), whose
it is and when it was last opened.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from coachkit import links
from coachkit.cli.common import Subparsers, add_command, clip, practice_of
from coachkit.home.remind_loop import reminding
from coachkit.model import CaseFile
from coachkit.model.access import Link
from coachkit.model.feedback360 import Rater
from coachkit.server import DEFAULT_POOL, serve
from coachkit.services import engagements

LINK_ACTIONS = ("new", "list", "revoke")
LINK_USAGE = (
    "coachkit link [new] CLIENT [--for client|sponsor] [--expires DAYS] [--base-url URL] [-q]\n"
    "       coachkit link list CLIENT\n"
    "       coachkit link revoke LINK_ID"
)


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    p = add_command(
        subparsers,
        "serve",
        cmd_serve,
        "serve the private pages (client dashboards, sponsor views, rater forms) until Ctrl-C",
    )
    p.add_argument("--port", type=int, default=links.DEFAULT_PORT, help="port to listen on (default: %(default)s)")
    p.add_argument(
        "--host",
        default=links.DEFAULT_HOST,
        help="address to listen on (default: %(default)s, this computer only; 0.0.0.0 for every network)",
    )
    p.add_argument(
        "--pool",
        type=int,
        default=DEFAULT_POOL,
        metavar="N",
        help="kernels kept warm per page, so that a visitor need not wait for Python to start "
        "(default: %(default)s; 0: none)",
    )
    p.add_argument(
        "--remind",
        nargs="?",
        type=int,
        const=60,
        metavar="MINUTES",
        help="also send the reminders that are due (as `coachkit remind` does) every MINUTES (default 60) "
        "while serving",
    )

    p = add_command(
        subparsers,
        "link",
        cmd_link,
        "issue a private link to a client's dashboard or sponsor view; list or revoke links",
    )
    p.usage = LINK_USAGE
    p.description = (
        "issue a private link to a client's dashboard or sponsor view; list or revoke links. "
        "`link CLIENT` (or `link new CLIENT`) prints a new private link; its token is shown only this once. "
        "`link list CLIENT` lists a client's links with their state; `link revoke LINK_ID` ends one at once."
    )
    p.add_argument("words", nargs="+", metavar="ACTION_OR_CLIENT", help="CLIENT | new CLIENT | list CLIENT | revoke ID")
    p.add_argument(
        "--for",
        dest="audience",
        choices=("client", "sponsor"),
        help="whose page the link opens (new links only; default: client)",
    )
    p.add_argument(
        "--expires",
        type=int,
        metavar="DAYS",
        help=f"days until the link stops working (new links only; default: {links.DEFAULT_DAYS['client']})",
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="where the server is reached (new links only; default: $COACHKIT_BASE_URL, else http://127.0.0.1:8866/)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only the address (new links)")
    p.set_defaults(link_parser=p)


def cmd_serve(args: argparse.Namespace) -> int:
    """``coachkit serve``."""
    with practice_of(args) as practice, reminding(practice.home, args.remind):
        return serve(practice, host=args.host, port=args.port, pool=args.pool)


def cmd_link(args: argparse.Namespace) -> int:
    """``coachkit link``: new (the default), list or revoke."""
    parser: argparse.ArgumentParser = args.link_parser
    words: list[str] = args.words
    action = words[0] if words[0] in LINK_ACTIONS else "new"
    rest = words[1:] if words[0] in LINK_ACTIONS else words
    if len(rest) != 1:
        parser.error(f"`link {action}` takes exactly one {'LINK_ID' if action == 'revoke' else 'CLIENT'}")
    if action != "new" and (args.audience or args.expires is not None or args.base_url):
        parser.error(f"--for, --expires and --base-url go with new links, not with `link {action}`")
    with practice_of(args) as practice:
        if action == "list":
            found = links.list_links(practice, rest[0])
            _print_links(rest[0], engagements.load(practice, rest[0]), found)
            return 0
        if action == "revoke":
            link = links.revoke_link(practice, rest[0])
            print(f"Revoked link {link.id} ({link.audience} page of {link.client_id}): it no longer opens.")
            return 0
        audience = args.audience or "client"
        issued = links.create_link(practice, rest[0], audience, args.expires, args.base_url)
    print(issued.url)
    if args.quiet:
        return 0
    page = "dashboard" if audience == "client" else "sponsor view"
    print(
        f"Link {issued.link.id}: {rest[0]}'s {page}, valid until {issued.link.expires_at:%Y-%m-%d}. "
        "Send it privately; the token is shown only this once.",
        file=sys.stderr,
    )
    return 0


def _print_links(client_id: str, file: CaseFile, found: list[Link]) -> None:
    if not found:
        print(f"No links for {file.client.name} yet: `coachkit link {client_id}` makes one.")
        return
    now = datetime.now(UTC)
    rows = [f"{'LINK ID':<14} {'FOR':<8} {'WHOSE':<30} {'CREATED':<11} {'EXPIRES':<11} {'STATE':<8} LAST OPENED"]
    for link in found:
        used = f"{link.last_used_at:%Y-%m-%d %H:%M}" if link.last_used_at else "never"
        rows.append(
            f"{link.id:<14} {_audience(link):<8} {clip(_whose(file, link), 30):<30} "
            f"{link.created_at:%Y-%m-%d}  {link.expires_at:%Y-%m-%d}  {link.state(now):<8} {used}"
        )
    sys.stdout.write("\n".join(rows) + "\n")
    print("Tokens are never stored, so a link cannot be shown again: issue a new one if it is lost.")


def _audience(link: Link) -> str:
    target = links.link_target(link)
    return "pulse" if target is not None and target.is_pulse else link.audience


def _whose(file: CaseFile, link: Link) -> str:
    """Who opens the link, for the coach's eyes only (a rater's name is never shown elsewhere)."""
    if link.audience == "client":
        return file.client.name
    if link.audience == "sponsor":
        return ", ".join(s.name for s in file.sponsors) or "the sponsor"
    target = links.link_target(link)
    if target is None:
        return "?"
    rater = next((r for r in file.all(Rater) if r.id == target.rater_id), None)
    name = rater.name if rater is not None else f"rater {target.rater_id} (removed)"
    return f"{name}, round {target.round_id}" if target.is_pulse else name
