"""What reaches the coach's terminal: text only, never a control sequence.

A client's or rater's name, a goal or a comment can hold control characters (an ANSI escape
sequence can recolour, hide or rewrite what the coach sees, or retitle the window). Everything
the command line prints goes through :func:`escape_controls`: :func:`safe_output` wraps
standard output and standard error in streams that escape them, and ``coachkit export`` to a
terminal is escaped too (to a file or a pipe it writes the data as it is).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from typing import TextIO

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates (which reorder what is shown).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character (tab and newline aside) written out visibly, as
    ``\\x1b`` or ``\\u202e``."""
    return _CONTROLS.sub(_escape, text)


class EscapingStream(io.TextIOBase):
    """A text stream that escapes control characters before passing text on."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    def write(self, text: str) -> int:
        """Write ``text`` escaped; returns the length of ``text``, as streams do."""
        self.target.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self.target.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self.target.isatty()

    def writable(self) -> bool:
        """Always True."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The encoding of the stream underneath."""
        return str(getattr(self.target, "encoding", "utf-8"))


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Within the block, standard output and standard error escape control characters."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = EscapingStream(out)
    sys.stderr = EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


def write_data(text: str) -> None:
    """Write data (an export) to standard output: as it is to a file or a pipe, escaped when
    standard output is a terminal."""
    stream = sys.stdout
    if isinstance(stream, EscapingStream) and not stream.isatty():
        stream.target.write(text)
    else:
        stream.write(text)
