"""What every command module shares: the practice a command works on, output helpers, and the
command line's words for the library's errors."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from typing import Any

from coachkit.errors import CoachkitError, NotFound, ValidationError
from coachkit.practice import DuplicateClient, NoPractice, Practice, open_existing_practice

Command = Callable[[argparse.Namespace], int]
Subparsers = Any  # argparse's private _SubParsersAction

CLIENT_HELP = "the client's id (`coachkit client list` shows them)"
"""The help text of every CLIENT argument."""

FLAGS: dict[str, str] = {
    "base_url": "--base-url",
    "days": "--days",
    "expires": "--expires",
    "pool": "--pool",
    "port": "--port",
    "phase": "--phase",
    "session_number": "--number",
    "renew": "--renew",
    "today": "--today",
    "jobs": "--jobs",
    "audience": "--audience",
    "format": "--format",
    "email": "--email",
    "out": "--out",
}
"""The option that sets each field the library names in its errors (where the field has one)."""


def practice_of(args: argparse.Namespace) -> Practice:
    """Open the practice named by ``--home`` (or its defaults); never creates one (only ``init``
    and ``demo`` do): :class:`~coachkit.practice.NoPractice` when there is none."""
    return open_existing_practice(args.home)


def add_command(subparsers: Subparsers, name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
    """Add a sub-command whose handler is ``func``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def add_client_command(
    subparsers: Subparsers, name: str, func: Command, help_text: str, *, metavar: str = "CLIENT"
) -> argparse.ArgumentParser:
    """Add a sub-command about one client: its handler is ``func``, its first argument the
    client's id (``args.client_id``)."""
    parser = add_command(subparsers, name, func, help_text)
    parser.add_argument("client_id", metavar=metavar, help=CLIENT_HELP)
    return parser


def add_group(subparsers: Subparsers, name: str, help_text: str, *, metavar: str = "ACTION") -> Subparsers:
    """Add a command made of sub-commands (``coachkit raters list``...); returns where they go.
    The sub-command chosen is ``args.<name>_command``."""
    group = subparsers.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(dest=f"{name}_command", metavar=metavar, required=True)


def add_clients_arguments(parser: argparse.ArgumentParser, *, each: str, every: str) -> None:
    """Add ``CLIENT ...`` (``args.client_ids``, help ``each``) and ``--all`` (help ``every``)."""
    parser.add_argument("client_ids", nargs="*", metavar="CLIENT", help=each)
    parser.add_argument("--all", action="store_true", help=every)


def named_clients(args: argparse.Namespace) -> list[str]:
    """The client ids given with :func:`add_clients_arguments`, each once, in the order given
    (empty with ``--all``): ValidationError unless either ids or ``--all`` are given."""
    if args.all and args.client_ids:
        raise ValidationError("--all", "name clients or use --all, not both.")
    if not args.all and not args.client_ids:
        raise ValidationError("CLIENT", "name at least one client id, or use --all.")
    return list(dict.fromkeys(args.client_ids))


COMMAND_FLAGS: dict[str, dict[str, str]] = {
    "link": {"days": "--expires"},
    "import": {"file": "PATH"},
    "backup": {"path": "PATH"},
    "restore": {"path": "PATH"},
}
"""Where a command calls a field differently from :data:`FLAGS`."""

NEXT_STEP: dict[str, str] = {
    "client": "`coachkit client list` shows the ids.",
    "link": "`coachkit link list CLIENT` shows them.",
    "rater": "`coachkit raters list {client_id}` shows the ids.",
    "pulse round": "`coachkit pulse list {client_id}` shows them.",
}
"""What to run to find the right id, per kind of thing not found."""

FIELD_HINTS: dict[tuple[str, str], str] = {
    ("import", "file"): "`coachkit export ID` makes one.",
    ("restore", "path"): "Name a backup made by `coachkit backup PATH`.",
}
"""What to do next, per command and refused field."""


def error_line(exc: CoachkitError, command: str = "") -> str:
    """The one line the command line prints for a library error raised while running
    ``command``: fields named as the options that set them, and what to run next where the
    library cannot know it."""
    if isinstance(exc, NoPractice):
        home = shlex.quote(str(exc.home))
        return (
            f"no coachkit practice in {exc.home}: `coachkit --home {home} init` creates one there; "
            "to use another, give --home PATH or set COACHKIT_HOME."
        )
    if isinstance(exc, DuplicateClient):
        return (
            f"{exc} `coachkit client show {exc.existing.id}` shows them; "
            "add --force to add a second client all the same."
        )
    if isinstance(exc, NotFound) and exc.kind in NEXT_STEP:
        return f"{exc} " + NEXT_STEP[exc.kind].format(client_id=shlex.quote(exc.client_id or "CLIENT"))
    if isinstance(exc, ValidationError):
        flag = COMMAND_FLAGS.get(command, {}).get(exc.field) or FLAGS.get(exc.field, exc.field)
        hint = FIELD_HINTS.get((command, exc.field))
        return f"{flag}: {exc.message}" + (f" {hint}" if hint else "")
    return str(exc)


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis (for table columns)."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1] + "…"
