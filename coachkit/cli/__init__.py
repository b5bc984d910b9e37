"""The ``coachkit`` command: parses arguments and calls one library verb per command.

Expected errors (a :class:`~coachkit.errors.CoachkitError`) print one plain line and exit 1;
usage errors exit 2; Ctrl-C exits 130 (see :mod:`coachkit.cli.interrupts`). No traceback reaches
the terminal unless ``COACHKIT_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coachkit import __version__, settings
from coachkit.cli import assess, core, interrupts, reports, serve, workbooks
from coachkit.cli.common import Command, error_line
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
        epilog="settings read from the environment:\n" + settings.describe(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    with interrupts.stop_promptly():
        return _run(command, args)


def _run(command: Command, args: argparse.Namespace) -> int:
    try:
        return command(args)
    except CoachkitError as exc:
        print(f"coachkit: {error_line(exc, args.command)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(interrupts.STOPPED, file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
        if settings.read("COACHKIT_DEBUG"):
            raise
        print(
            f"coachkit: an unexpected error stopped this command ({exc.__class__.__name__}). "
            "Nothing was changed by the failing step; run again with COACHKIT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """Console-script entry point."""
    status = main()
    if status == 130:
        interrupts.exit_interrupted()
    sys.exit(status)
