"""A practice: a folder with ``data/`` (the database), ``workbooks/`` and ``reports/``.

The folder is ``--home``, else ``COACHKIT_HOME``, else the current directory. ``COACHKIT_DB``
takes any SQLAlchemy URL instead of the embedded SQLite file (PostgreSQL for a firm).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path

from coachkit import settings
from coachkit.errors import Conflict, NotFound, ValidationError
from coachkit.model import Client
from coachkit.model.ids import is_client_id
from coachkit.store import Store

DB_FILE = "coachkit.db"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
"""Only the coach's own account may read the practice: folders 0700, files 0600."""
_GITIGNORE = "# Client data stays with the coach: nothing here is ever committed.\n*\n"


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """The practice folder: ``home``, else ``COACHKIT_HOME``, else the current directory."""
    chosen = home if home not in (None, "") else settings.read("COACHKIT_HOME") or "."
    return Path(chosen).expanduser().resolve()


def database_url(home: Path) -> str:
    """``COACHKIT_DB`` if set, else the SQLite file ``<home>/data/coachkit.db``."""
    return settings.read("COACHKIT_DB") or f"sqlite:///{home / 'data' / DB_FILE}"


@dataclasses.dataclass
class Practice:
    """A practice folder and its open store. Close it (or use ``with``) when done."""

    home: Path
    store: Store

    @property
    def data_dir(self) -> Path:
        """Where the SQLite file and safety copies live."""
        return self.home / "data"

    def workbooks_dir(self, client_id: str) -> Path:
        """``workbooks/<client-id>/`` (not created)."""
        return self.home / "workbooks" / _safe_id(client_id)

    def reports_dir(self, client_id: str) -> Path:
        """``reports/<client-id>/`` (not created)."""
        return self.home / "reports" / _safe_id(client_id)

    def add_client(
        self, name: str, *, email: str = "", organisation: str = "", role: str = "", force: bool = False
    ) -> Client:
        """Add a client; returns it with its new id. A client with the same name or e-mail is
        refused (:class:`DuplicateClient`) unless ``force`` says a second one is meant."""
        new = Client(id="new", name=name, email=email, organisation=organisation, role=role)
        if not force:
            same = matching_client(new, [client for client, _ in self.store.roster()])
            if same is not None:
                raise DuplicateClient(same, "email" if _same_email(same, new) else "name")
        return self.store.add_client(new)

    def require_client(self, client_id: str) -> Client:
        """The client with this id, or NotFound with a hint."""
        if not is_client_id(client_id) or not self.store.has_client(client_id):
            raise NotFound(f"No client with id {client_id!r}.", kind="client", key=client_id)
        return self.store.client(client_id)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Practice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuplicateClient(Conflict):
    """A new client would have the name or e-mail (``field``) of ``existing``."""

    def __init__(self, existing: Client, field: str) -> None:
        self.existing = existing
        self.field = field
        what = "e-mail address" if field == "email" else "name"
        super().__init__(f"{existing.name} ({existing.id}) already has this {what}.")


def matching_client(new: Client, existing: list[Client]) -> Client | None:
    """The first of ``existing`` with ``new``'s name (ignoring case and spacing) or e-mail."""
    for client in existing:
        if _same_name(client, new) or _same_email(client, new):
            return client
    return None


def _same_name(a: Client, b: Client) -> bool:
    return " ".join(a.name.casefold().split()) == " ".join(b.name.casefold().split())


def _same_email(a: Client, b: Client) -> bool:
    return bool(a.email.strip()) and a.email.strip().casefold() == b.email.strip().casefold()


def _safe_id(client_id: str) -> str:
    if not is_client_id(client_id):
        raise ValidationError("client_id", f"{client_id!r} is not a client id (lowercase letters, digits, hyphens).")
    return client_id


def restrict_umask() -> None:
    """Make every file and folder this process (and what it starts: kernels, servers) creates
    private to the coach's account (umask 077)."""
    os.umask(UMASK)


def make_private(path: Path) -> Path:
    """Set ``path`` to 0700 (a folder) or 0600 (a file), if it exists; returns it."""
    with contextlib.suppress(FileNotFoundError):
        path.chmod(FOLDER_MODE if path.is_dir() else FILE_MODE)
    return path


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as private folders; returns it."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    return make_private(path)


def init_practice(home: str | os.PathLike[str] | None = None) -> Practice:
    """Create the practice folders (private to the coach's account, each with a ``.gitignore``
    that keeps client data out of git) and open the store, creating or migrating the database.
    Sets the process's umask to 077, and the modes of ``data/``, ``workbooks/``, ``reports/``
    and the SQLite files (also of an older practice) to 0700/0600."""
    restrict_umask()
    root = resolve_home(home)
    if not root.exists():  # a folder of the coach's own (its mode is theirs) is left as it is
        private_folder(root)
    for sub in ("data", "workbooks", "reports"):
        folder = private_folder(root / sub)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
    practice = Practice(home=root, store=Store(database_url(root)))
    for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm"):
        make_private(root / "data" / name)
    return practice


class NoPractice(NotFound):
    """There is no practice in the folder looked in; ``home`` is that folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        super().__init__(f"There is no coachkit practice in {home}.")


def practice_exists(home: str | os.PathLike[str] | None = None) -> bool:
    """Whether the folder holds a practice made by :func:`init_practice`: its ``data/`` folder,
    and the SQLite file there unless ``COACHKIT_DB`` names another database."""
    root = resolve_home(home)
    if not (root / "data").is_dir():
        return False
    return bool(settings.read("COACHKIT_DB")) or (root / "data" / DB_FILE).is_file()


def open_existing_practice(home: str | os.PathLike[str] | None = None) -> Practice:
    """Open the practice in the folder, creating nothing: :class:`NoPractice` when there is none
    (a mistyped folder must not become an empty practice)."""
    if not practice_exists(home):
        raise NoPractice(resolve_home(home))
    return init_practice(home)


def open_practice(home: str | os.PathLike[str] | None = None) -> Practice:
    """Open an existing practice (or create it: opening is safe and idempotent)."""
    return init_practice(home)
