"""What a page's browser fetches besides the page itself, and how long it may keep it.

Voilà's application is ~3.6 MiB of scripts in ~50 files whose names carry no version
(``/voila/static/1621.voila.js``), so Voilà lets the browser keep none of them for sure: a
returning visitor's browser asks again for each (or guesses). coachkit serves the same files
under an address that names their version (``/coachkit/static/<tag>/``, the tag a digest of
Voilà's version and the files' names and sizes) and tells the browser to keep them for a year:
an upgrade changes the address, so a stale file is never used. The widget extensions' files
(``/voila/labextensions/<name>/static/``) carry a digest of their content in their names and are
kept a year too (the widget manager's script that :mod:`coachkit.server.assets` serves with a
longer wait included: should that change ever be changed, give the patched files another address,
or returning browsers keep the old one). Pages themselves are never cached (each carries a kernel
of its own).

The page template that asks for Voilà's script early is in ``share/voila/templates/coachkit``
(put on Jupyter's path for the server by :func:`coachkit.server.process.server_environment`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from voila import __version__ as voila_version
from voila.static_file_handler import MultiStaticFileHandler

TEMPLATE = "coachkit"
"""The Voilà template the pages render with (Voilà's ``lab`` with its script asked for early)."""
STATIC_URL_SETTING = "coachkit_static_url"
"""The application setting holding the versioned address of Voilà's scripts."""
ONE_YEAR = 365 * 24 * 3600
STATIC_ROUTE = "coachkit/static"


def static_tag(paths: Sequence[str]) -> str:
    """A short digest of Voilà's version and the names and sizes of the files in ``paths``:
    it changes whenever what is served there may have changed."""
    digest = hashlib.sha256(voila_version.encode())
    for root in paths:
        folder = Path(root)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                digest.update(f"{path.name}:{path.stat().st_size};".encode())
    return digest.hexdigest()[:16]


class VersionedStaticHandler(MultiStaticFileHandler):  # type: ignore[misc]
    """Voilà's own scripts under a versioned address, kept by the browser for a year."""

    def get_cache_time(self, path: str, modified: Any, mime_type: str) -> int:
        """A year: the address changes with the files."""
        return ONE_YEAR

    def set_extra_headers(self, path: str) -> None:
        """Say the file never changes at this address."""
        self.set_header("Cache-Control", f"public, max-age={ONE_YEAR}, immutable")


def static_route(server_url: str, paths: Sequence[str]) -> tuple[str, str, tuple[Any, ...]]:
    """The versioned address of Voilà's scripts and the route serving them there."""
    url = url_path_join(server_url, STATIC_ROUTE, static_tag(paths))
    return url, url_path_join(url, "(.*)"), (VersionedStaticHandler, {"paths": list(paths)})


def labextension_prefixes(server_url: str, labextension_paths: Iterable[str]) -> list[str]:
    """The addresses of the installed widget extensions' built files (named by their content)."""
    prefixes: list[str] = []
    for root in labextension_paths:
        folder = Path(root)
        if not folder.is_dir():
            continue
        for package in sorted(p.parent for p in [*folder.glob("*/package.json"), *folder.glob("@*/*/package.json")]):
            if (package / "static").is_dir():
                name = package.relative_to(folder).as_posix()
                prefixes.append(url_path_join(server_url, "voila/labextensions", name, "static") + "/")
    return sorted(set(prefixes))
