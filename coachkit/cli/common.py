"""What every command module shares: the practice a command works on, and output helpers."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from coachkit.practice import Practice, open_practice

Command = Callable[[argparse.Namespace], int]
Subparsers = Any  # argparse's private _SubParsersAction


def practice_of(args: argparse.Namespace) -> Practice:
    """Open the practice named by ``--home`` (or its defaults)."""
    return open_practice(args.home)


def add_command(subparsers: Subparsers, name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
    """Add a sub-command whose handler is ``func``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser
