"""``python -m coachkit``."""

from coachkit.cli import run

run()
