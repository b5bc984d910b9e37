"""Commands for the practice and its clients: init, demo, client, export, import, erase, backup, restore."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from coachkit import demo, portability
from coachkit.cli.common import Subparsers, add_client_command, add_command, add_group, clip, practice_of
from coachkit.errors import ValidationError
from coachkit.model import PHASES
from coachkit.model.phase import current_phase
from coachkit.model.rules import sessions_held
from coachkit.practice import init_practice
from coachkit.services import clients, engagements
from coachkit.terminal import write_data


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    add_command(subparsers, "init", cmd_init, "create the practice folder and its database")

    p = add_command(subparsers, "demo", cmd_demo, "create a demo practice with three varied clients")
    p.add_argument("--clients", type=int, default=0, metavar="N", help="also add N synthetic clients (for benchmarks)")
    p.add_argument(
        "--today", type=date.fromisoformat, metavar="YYYY-MM-DD", help="date the demo is built around (default: today)"
    )

    client_sub = add_group(subparsers, "client", "add, list and show clients")
    p = add_command(client_sub, "add", cmd_client_add, "add a client and print the new client id")
    p.add_argument("name", metavar="NAME", help="the client's full name (the id is made from it)")
    p.add_argument("--email", default="", help="the client's e-mail address")
    p.add_argument("--organisation", default="", help="where the client works")
    p.add_argument("--role", default="", help="the client's role or job title")
    p.add_argument(
        "--force",
        action="store_true",
        help="add the client even if one with the same name or e-mail exists (a second person)",
    )
    add_command(client_sub, "list", cmd_client_list, "list every client with their engagement's status")
    p = add_client_command(client_sub, "show", cmd_client_show, "show what is held about a client", metavar="ID")

    p = add_client_command(subparsers, "export", cmd_export, "export everything held about a client", metavar="ID")
    p.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="json (can be imported again) or csv (one row per field of every revision); default: json",
    )
    p.add_argument("--out", type=Path, metavar="PATH", help="file to write (default: standard output)")

    p = add_command(subparsers, "import", cmd_import, "import a client from a JSON export")
    p.add_argument("path", type=Path, metavar="PATH", help="a JSON file made by `coachkit export`")

    p = add_client_command(
        subparsers, "erase", cmd_erase, "erase every trace of a client (cannot be undone)", metavar="ID"
    )
    p.add_argument("--yes", action="store_true", help="confirm: erase for good")

    p = add_command(subparsers, "backup", cmd_backup, "copy the whole practice database to a new file")
    p.add_argument("path", type=Path, metavar="PATH", help="the backup file to write (it must not exist yet)")

    p = add_command(
        subparsers,
        "restore",
        cmd_restore,
        "replace the practice's data with a backup (a safety copy of the current data is kept first)",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="a backup file made by `coachkit backup`")


def cmd_init(args: argparse.Namespace) -> int:
    """``coachkit init``."""
    with init_practice(args.home) as practice:
        print(f"Practice ready in {practice.home}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``coachkit demo``."""
    if args.clients < 0:
        raise ValidationError("--clients", "must be 0 or more.")
    with init_practice(args.home) as practice:
        ids = demo.build_demo(practice, today=args.today or date.today(), synthetic=args.clients)
        print(f"Demo practice in {practice.home}: {len(ids)} clients.")
        for client, engagement in clients.roster(practice):
            if client.id in ids[:3]:
                print(f"  {client.id:<24} {client.name} ({_status(engagement, clients.phase(practice, client.id))})")
        if len(ids) > 3:
            print(f"  ... and {len(ids) - 3} synthetic clients")
        print("Next: `coachkit client show ID` to see what is held about a client.")
    return 0


def cmd_client_add(args: argparse.Namespace) -> int:
    """``coachkit client add``."""
    with practice_of(args) as practice:
        client = practice.add_client(
            args.name, email=args.email, organisation=args.organisation, role=args.role, force=args.force
        )
        print(client.id)
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    """``coachkit client list``."""
    with practice_of(args) as practice:
        roster = clients.roster(practice)
        phases = {
            client.id: clients.phase(practice, client.id) for client, engagement in roster if engagement is not None
        }
    if not roster:
        print("No clients yet: `coachkit client add NAME` adds one.")
        return 0
    lines = [f"{'ID':<28} {'NAME':<28} {'ORGANISATION':<22} STATUS"]
    for client, engagement in roster:
        status = _status(engagement, phases.get(client.id, 1))
        lines.append(f"{client.id:<28} {clip(client.name, 28):<28} {clip(client.organisation, 22):<22} {status}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_client_show(args: argparse.Namespace) -> int:
    """``coachkit client show``."""
    with practice_of(args) as practice:
        file = engagements.load(practice, args.client_id)
    c = file.client
    print(f"{c.name}  [{c.id}]")
    for label, value in (("Email", c.email), ("Role", c.role), ("Organisation", c.organisation)):
        if value:
            print(f"  {label}: {value}")
    e = file.engagement
    if e is None:
        print("  Engagement: not set up yet")
    else:
        phase = current_phase(file)
        print(f"  Engagement: {e.status}, phase {phase} ({PHASES[phase]}), {e.start} to {e.planned_end}")
        print(f"  Sessions: {sessions_held(file)} held of {e.planned_sessions} planned, every {e.cadence_weeks} weeks")
    agreement = file.accepted_agreement
    print(
        f"  Agreement: version {agreement.version} accepted {agreement.accepted_at:%Y-%m-%d}"
        if agreement
        else "  Agreement: not accepted yet"
    )
    for s in file.sponsors:
        print(f"  Sponsor: {s.name} ({s.relationship})")
    print(
        f"  Goals: {len(file.goals)}, milestones: {len(file.milestones)}, actions: {len(file.actions)}, "
        f"check-ins: {len(file.check_ins)}, follow-ups: {len(file.follow_ups)}"
    )
    for g in file.goals:
        print(f"    - [{g.status}] {g.objective}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``coachkit export``."""
    with practice_of(args) as practice:
        export = portability.export_client(practice, args.client_id)
    text = (
        json.dumps(export, indent=2, ensure_ascii=False) + "\n"
        if args.format == "json"
        else portability.export_csv(export)
    )
    if args.out is None:
        write_data(text)
    else:
        with practice_of(args) as practice:
            portability.write_export(practice, args.client_id, args.out, text)
        print(f"Wrote {args.out} (readable by your account only)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``coachkit import``."""
    try:
        export = json.loads(args.path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationError("PATH", f"{args.path} does not exist.") from exc
    except OSError as exc:  # a folder, no permission...
        raise ValidationError(
            "PATH", f"{args.path} cannot be read ({exc.strerror or exc.__class__.__name__})."
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError("PATH", f"{args.path} is not a JSON export made by `coachkit export`.") from exc
    with practice_of(args) as practice:
        print(portability.import_client(practice, export))
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    """``coachkit erase``."""
    if not args.yes:
        raise ValidationError("--yes", "erasing cannot be undone; add --yes to confirm.")
    with practice_of(args) as practice:
        done = portability.erase_client(practice, args.client_id)
    lines = [
        f"Erased {args.client_id}: records, history, links, workbooks and reports.",
        *(f"  backup rewritten without {args.client_id}: {path}" for path in done.rewritten),
        *(f"  export deleted: {path}" for path in done.deleted),
        *(f"  NOT changed: {path} ({why})" for path, why in done.unreachable),
        "  Pages still open for this client (a running `coachkit serve`) end at their next action; "
        "restart the server to end them at once.",
    ]
    print("\n".join(lines))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """``coachkit backup``."""
    with practice_of(args) as practice:
        path = portability.backup(practice, args.path)
    print(f"Backup written to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``coachkit restore``."""
    with practice_of(args) as practice:
        safety = portability.restore(practice, args.path)
    print(f"Restored from {args.path}; the data it replaced is kept in {safety}")
    return 0


def _status(engagement: object, phase: int) -> str:
    from coachkit.model import Engagement

    if not isinstance(engagement, Engagement):
        return "no engagement yet"
    return f"{engagement.status}, phase {phase}"
