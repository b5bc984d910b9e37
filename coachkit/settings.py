"""Every setting coachkit reads from the environment, as data: the only module that reads them.

Each :class:`Setting` names its environment variable, its default and a sentence of help; the
README's "Settings" section and ``coachkit --help`` list them all (a test checks the README).
Adding a setting is one line in :data:`SETTINGS`; code then calls :func:`read` with its name::

    from coachkit import settings

    url = settings.read("COACHKIT_BASE_URL")

A variable that is set but empty counts as unset (its default applies).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping


@dataclasses.dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, its default ("" for none) and what it does."""

    env: str
    default: str
    help: str

    def value(self, environ: Mapping[str, str] | None = None) -> str:
        """The value in ``environ`` (default: this process's environment), else the default."""
        source = os.environ if environ is None else environ
        return source.get(self.env) or self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("COACHKIT_HOME", "", "the practice folder when --home is not given (default: the current directory)"),
    Setting("COACHKIT_DB", "", "an SQLAlchemy URL for the database instead of the practice's data/coachkit.db"),
    Setting("COACHKIT_BASE_URL", "", "where private links point (default: http://127.0.0.1:8866/)"),
    Setting("COACHKIT_TODAY", "", "the date (YYYY-MM-DD) workbooks and pages are shown for (default: today)"),
    Setting("COACHKIT_CHROMIUM", "/usr/bin/chromium", "the Chromium that prints PDF reports"),
    Setting("COACHKIT_DEBUG", "", "set to 1 to let a failing command show its traceback"),
    Setting("COACHKIT_KERNEL_FORK", "1", "set to 0 to start every kernel as a new interpreter instead of a fork"),
)
"""Every setting, in the order the README and ``--help`` list them."""

_BY_ENV = {setting.env: setting for setting in SETTINGS}


def setting(env: str) -> Setting:
    """The setting read from environment variable ``env`` (a KeyError when it is not listed)."""
    return _BY_ENV[env]


def read(env: str, environ: Mapping[str, str] | None = None) -> str:
    """The value of the setting ``env`` (see :meth:`Setting.value`)."""
    return setting(env).value(environ)


def describe() -> str:
    """A few lines listing every setting and its help, for ``--help``."""
    width = max(len(s.env) for s in SETTINGS)
    return "\n".join(f"  {s.env:<{width}}  {s.help}" for s in SETTINGS)
