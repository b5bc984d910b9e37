"""Commands for the phase workbooks: workbook, session, lab.

The renderer (nbformat, nbclient, papermill) is imported only when one of these commands runs,
so that every other command starts fast."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from coachkit.cli import home, interrupts
from coachkit.cli.common import CLIENT_HELP, Subparsers, add_client_command, add_command, practice_of
from coachkit.errors import CoachkitError
from coachkit.server.stopping import kill_group, stop_process_group


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    p = add_client_command(
        subparsers,
        "workbook",
        cmd_workbook,
        "render a client's phase workbooks into workbooks/CLIENT/ (existing workbooks are kept as they are)",
    )
    p.add_argument(
        "--phase",
        type=int,
        action="append",
        choices=range(1, 8),
        metavar="N",
        help="render only phase N (1-7; repeat for several); default: all seven (phase 4 is the next session)",
    )
    _today(p)

    p = add_command(
        subparsers,
        "session",
        cmd_session,
        "render the workbook of a client's next session (04-session-NN.ipynb); or plan, move or cancel a "
        "session: `session plan CLIENT --at 'YYYY-MM-DD HH:MM' [--minutes N] [--where TEXT]`, "
        "`session move CLIENT --number N --at ...`, `session cancel CLIENT --number N`",
    )
    p.add_argument("client_id", metavar="CLIENT", help=CLIENT_HELP)
    p.add_argument("--number", type=int, metavar="N", help="this session number instead of the next one")
    _today(p)
    home.add_session_arguments(p)

    p = add_command(
        subparsers,
        "lab",
        cmd_lab,
        "start JupyterLab on the practice's workbooks (bound to 127.0.0.1), made for a screen share: "
        "a workbook runs by itself when opened, so its forms are live; prints the link to open "
        "(without CLIENT: the practice notebook, 00-practice.ipynb, rendered afresh and opened first)",
    )
    p.add_argument("client_id", metavar="CLIENT", nargs="?", help="open this client's folder")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument("--token", default="", help="the access token (default: a new random one)")


def _today(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the date the workbooks are rendered for (default: today)",
    )


if TYPE_CHECKING:
    from coachkit.render import RenderReport


def _print_report(report: RenderReport, home: Path) -> int:
    for path in report.written:
        print(f"wrote  {path.relative_to(home)}")
    for path in report.kept:
        print(f"kept   {path.relative_to(home)} (already there; delete it to render it again)")
    for path, error in report.failed:
        print(f"FAILED {path.relative_to(home)}: {error}")
    print(
        f"{len(report.written)} written, {len(report.kept)} kept, {len(report.failed)} failed "
        f"in {report.seconds:.1f} s. Next: `coachkit lab {report.client_id}` to open them."
    )
    return 0 if report.ok else 1


def cmd_workbook(args: argparse.Namespace) -> int:
    """``coachkit workbook``."""
    from coachkit import render

    with practice_of(args) as practice:
        report = render.render_workbooks(practice, args.client_id, args.phase, today=args.today)
        return _print_report(report, practice.home)


def cmd_session(args: argparse.Namespace) -> int:
    """``coachkit session``."""
    if home.is_session_verb(args):
        return home.cmd_session_verb(args)
    from coachkit import render

    with practice_of(args) as practice:
        report = render.render_session(practice, args.client_id, args.number, today=args.today)
        return _print_report(report, practice.home)


def cmd_lab(args: argparse.Namespace) -> int:
    """``coachkit lab``: runs until stopped with Ctrl-C."""
    from coachkit.lab.launch import share_launch

    with practice_of(args) as practice:
        launch = share_launch(practice, args.client_id, port=args.port, token=args.token)
        url = launch.url
        if not args.client_id:  # the practice notebook (what is due for everyone) opens first
            from coachkit import practice_book

            try:
                practice_book.render_practice_book(practice)
                url = practice_book.lab_url_opening_practice_book(url)
            except CoachkitError as exc:  # JupyterLab still starts, on the workbooks folder
                print(f"coachkit: {exc}", file=sys.stderr)
    print(f"JupyterLab on {launch.root}")
    print(f"Open: {url}")
    print("Stop with Ctrl-C.", flush=True)
    # A session of its own: Ctrl-C reaches only us, and we stop JupyterLab within seconds
    # (its own Ctrl-C handling would ask "Shutdown this Jupyter server?" and wait).
    lab = subprocess.Popen(launch.argv, env={**os.environ, **launch.env}, start_new_session=True)
    with interrupts.stopping_at_once(lambda: kill_group(lab)):
        try:
            return lab.wait()
        except KeyboardInterrupt:
            stop_process_group(lab)
            raise
