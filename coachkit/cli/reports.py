"""The ``report`` command: progress reports for clients, sponsors and the coach, in batch."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from coachkit.cli.common import Subparsers, add_clients_arguments, add_command, named_clients, practice_of
from coachkit.model.disclosure import REPORT_AUDIENCES
from coachkit.services.reports import clients_with_engagement

if TYPE_CHECKING:
    from coachkit.reports import ReportOutcome


def register(subparsers: Subparsers) -> None:
    """Add this module's commands."""
    p = add_command(
        subparsers,
        "report",
        cmd_report,
        "write progress reports (HTML that opens offline, and PDF) into each client's reports folder",
    )
    add_clients_arguments(
        p, each="client ids (`coachkit client list` shows them)", every="every client whose engagement is set up"
    )
    p.add_argument(
        "--audience",
        default="client",
        help="who the report is for: client, sponsor (only what the client released) or coach; "
        "several separated by commas (default: client)",
    )
    p.add_argument("--format", default="html", help="html, pdf or html,pdf (default: html)")
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="reports made at once, each on a fresh kernel (default: the number of cores)",
    )
    p.add_argument(
        "--date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the report's date: what counts as today and the date in the file name (default: today)",
    )


def cmd_report(args: argparse.Namespace) -> int:
    """``coachkit report``."""
    from tqdm import tqdm

    # Imported here, not at the top: the report runner brings papermill and nbconvert, which
    # every other command can do without.
    from coachkit.reports import REPORT_FORMATS, parse_choices, write_reports

    audiences = parse_choices(args.audience, REPORT_AUDIENCES, "--audience")
    formats = parse_choices(args.format, REPORT_FORMATS, "--format")
    named = named_clients(args)
    with practice_of(args) as practice:
        client_ids = clients_with_engagement(practice) if args.all else named
        if not client_ids:
            print("No client has an engagement yet: there is nothing to report.")
            return 0
        home = practice.home
        with tqdm(total=len(client_ids) * len(audiences), desc="Reports", unit="report", file=sys.stderr) as bar:

            def progress(outcome: ReportOutcome) -> None:
                bar.write(_line(outcome, home), file=sys.stdout)
                bar.update(1)

            summary = write_reports(
                practice,
                client_ids,
                audiences=audiences,
                formats=formats,
                jobs=args.jobs,
                report_date=args.date,
                on_progress=progress,
            )
    written, failed = summary.written, summary.failed
    print(
        f"Written: {len(written)} of {len(summary.outcomes)} reports ({', '.join(formats)}) "
        f"in {_relative(home / 'reports', home)}/ in {summary.timings.wall:.1f} s."
    )
    if failed:
        print(f"Failed: {len(failed)}")
        for outcome in failed:
            print(f"  {outcome.client_id} ({outcome.audience}): {outcome.error}")
        return 1
    return 0


def _line(outcome: ReportOutcome, home: Path) -> str:
    if outcome.ok:
        files = ", ".join(_relative(p, home) for p in outcome.paths)
        return f"  written  {outcome.client_id} ({outcome.audience}): {files}"
    return f"  FAILED   {outcome.client_id} ({outcome.audience}): {outcome.error}"


def _relative(path: Path, home: Path) -> str:
    try:
        return str(path.relative_to(home))
    except ValueError:
        return str(path)
