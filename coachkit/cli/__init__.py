"""The ``coachkit`` command: parses arguments and calls one library verb per command.

Expected errors (a :class:`~coachkit.errors.CoachkitError`) print one plain line and exit 1;
usage errors exit 2. No traceback reaches the terminal unless ``COACHKIT_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from coachkit import __version__
from coachkit.cli import assess, core, reports, serve, workbooks
from coachkit.cli.common import Command
from coachkit.errors import CoachkitError
from coachkit.terminal import safe_output

COMMAND_MODULES = (core, workbooks, assess, serve, reports)
"""Each module has ``register(subparsers)``; a new room's commands are added here."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to check that every command is documented)."""
    parser = argparse.ArgumentParser(
        prog="coachkit",
        description="A self-hosted workbook for executive coaching: clients, engagements, workbooks, "
        "dashboards and reports, with the data kept in your own practice folder.",
    )
    parser.add_argument("--version", action="version", version=f"coachkit {__version__}")
    parser.add_argument(
        "--home",
        help="the practice folder (default: $COACHKIT_HOME, else the current directory); "
        "$COACHKIT_DB may name another database (any SQLAlchemy URL)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Everything printed has its control
    characters escaped (:mod:`coachkit.terminal`): names and notes are shown, never obeyed."""
    with safe_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.func
    try:
        return command(args)
    except CoachkitError as exc:
        print(f"coachkit: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coachkit: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
        if os.environ.get("COACHKIT_DEBUG"):
            raise
        print(
            f"coachkit: an unexpected error stopped this command ({exc.__class__.__name__}). "
            "Nothing was changed by the failing step; run again with COACHKIT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
