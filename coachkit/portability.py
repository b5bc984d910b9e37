"""Moving a client's data: export, import, erase; and whole-practice backup and restore.

Every export and backup file coachkit writes is noted in ``data/copies.json`` (a list for the
whole practice, not per client), so :func:`erase_client` can take the client out of each copy
inside the practice folder and say which it could not reach.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coachkit.errors import CoachkitError, StoreError, ValidationError
from coachkit.model import Client
from coachkit.model.ids import is_client_id, unique_slug
from coachkit.practice import Practice, make_private, private_folder
from coachkit.store import SCHEMA_VERSION, Store, database_schema_version

EXPORT_FORMAT = "coachkit-export"
EXPORT_VERSION = 1
SAFETY_DIR = "backups"
COPIES_FILE = "copies.json"
"""In ``data/``: every export and backup file coachkit wrote (path, kind, client, when)."""


@dataclasses.dataclass(frozen=True)
class Copy:
    """A file coachkit wrote that holds client data: a ``backup`` (every client) or an
    ``export`` (one client, ``client_id``)."""

    path: str
    kind: str
    client_id: str
    written_at: str


def copies(practice: Practice) -> list[Copy]:
    """Every export and backup file coachkit noted writing for this practice, oldest first."""
    path = practice.data_dir / COPIES_FILE
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Copy(str(r["path"]), str(r["kind"]), str(r.get("client_id", "")), str(r["written_at"])) for r in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{path} cannot be read; it lists the exports and backups coachkit wrote.") from exc


def _save_copies(practice: Practice, listed: list[Copy]) -> None:
    target = practice.data_dir / COPIES_FILE
    text = json.dumps([dataclasses.asdict(c) for c in listed], indent=1, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=practice.data_dir, prefix=".copies-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, target)
    make_private(target)


def note_copy(practice: Practice, path: Path, kind: str, client_id: str = "") -> None:
    """Add a written file to the practice's list of copies (once per path)."""
    resolved = str(path.expanduser().resolve())
    listed = [c for c in copies(practice) if c.path != resolved]
    listed.append(Copy(resolved, kind, client_id, datetime.now(UTC).isoformat()))
    _save_copies(practice, listed)


def write_export(practice: Practice, client_id: str, path: Path, text: str) -> Path:
    """Write an export (``text``, made by :func:`export_client`) to ``path``, readable by the
    coach's account only, and note it for erase. Raises ValidationError (field ``--out``)
    when the file cannot be written."""
    path = path.expanduser()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:  # no such folder, no permission...
        raise ValidationError("--out", f"cannot write {path} ({exc.strerror or exc.__class__.__name__}).") from exc
    make_private(path)
    note_copy(practice, path, "export", client_id)
    return path


def export_client(practice: Practice, client_id: str) -> dict[str, Any]:
    """Everything held about a client, every revision included, as JSON-ready data."""
    practice.require_client(client_id)
    dump = practice.store.dump_client(client_id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        **dump,
    }


def export_csv(export: dict[str, Any]) -> str:
    """An export as CSV, one row per field of every revision: kind, id, revision, saved_at,
    author, field, value (lists and nested values as JSON)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "id", "revision", "saved_at", "author", "field", "value"])
    for row in export["records"]:
        head = [row["kind"], row["id"], row["revision"], row["saved_at"], row["author"]]
        if row["data"] is None:
            writer.writerow([*head, "", "(removed)"])
            continue
        for field, value in row["data"].items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            writer.writerow([*head, field, "" if value is None else text])
    return out.getvalue()


def import_client(practice: Practice, export: dict[str, Any]) -> str:
    """Take an export back in; keeps the client's id where it is free. Returns the id."""
    if not isinstance(export, dict) or export.get("format") != EXPORT_FORMAT:
        raise ValidationError("file", "is not a coachkit export.")
    version = export.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("file", "is not a coachkit export (it has no readable version).")
    if version > EXPORT_VERSION:
        raise ValidationError("file", "comes from a newer coachkit; upgrade coachkit to import it.")
    try:
        client_rows = [r for r in export["records"] if r["kind"] == Client.KIND and r["data"]]
        name = str(client_rows[-1]["data"]["name"])
        wanted = str(export["client_id"])
    except (KeyError, IndexError, TypeError) as exc:
        raise ValidationError("file", "is incomplete: it holds no client record.") from exc
    taken = set(practice.store.client_ids())
    client_id = wanted if is_client_id(wanted) and wanted not in taken else unique_slug(name, taken)
    try:
        practice.store.load_dump(export, client_id=client_id)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CoachkitError):
            raise
        raise ValidationError("file", f"has a record that cannot be read ({exc.__class__.__name__}).") from exc
    return client_id


@dataclasses.dataclass(frozen=True)
class EraseReport:
    """What erase did to the copies coachkit wrote: files rewritten without the client,
    files deleted, and files it could not change (with why)."""

    rewritten: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unreachable: tuple[tuple[str, str], ...] = ()


def erase_client(practice: Practice, client_id: str) -> EraseReport:
    """Every trace of a client gone: rows and history, links, workbooks, reports, safety copies,
    no readable remnant in the database files; and the client taken out of every backup and
    export coachkit wrote inside the practice folder (a backup rewritten without them, their
    own exports deleted). Copies outside the practice folder, or no longer there, are listed in
    the report, unchanged."""
    practice.require_client(client_id)
    for folder in (practice.workbooks_dir(client_id), practice.reports_dir(client_id)):
        if folder.exists():
            shutil.rmtree(folder)
    practice.store.delete_client(client_id)
    practice.store.compact()
    for safety in sorted((practice.data_dir / SAFETY_DIR).glob("*.db")):
        _erase_from_backup(safety, client_id)
    rewritten: list[str] = []
    deleted: list[str] = []
    unreachable: list[tuple[str, str]] = []
    kept: list[Copy] = []
    home = practice.home.resolve()
    for copy in copies(practice):
        path = Path(copy.path)
        if copy.kind == "export" and copy.client_id != client_id:
            kept.append(copy)
            continue
        if not path.is_file():
            unreachable.append((copy.path, "no longer there"))
            continue
        if not path.resolve().is_relative_to(home):
            unreachable.append((copy.path, "outside the practice folder; erase it there yourself"))
            if copy.kind == "backup":  # an export names the client: it leaves the list once reported
                kept.append(copy)
            continue
        if copy.kind == "export":
            path.unlink()
            deleted.append(copy.path)
            continue
        try:
            _erase_from_backup(path, client_id)
        except (CoachkitError, OSError, ValueError) as exc:
            unreachable.append((copy.path, f"could not be rewritten ({exc.__class__.__name__})"))
            kept.append(copy)
            continue
        rewritten.append(copy.path)
        kept.append(copy)
    _save_copies(practice, kept)
    return EraseReport(tuple(rewritten), tuple(deleted), tuple(unreachable))


def _erase_from_backup(path: Path, client_id: str) -> None:
    with Store(f"sqlite:///{path}") as old:
        if old.has_client(client_id):
            old.delete_client(client_id)
        old.compact()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    make_private(path)


def backup(practice: Practice, path: Path) -> Path:
    """A consistent copy of the whole practice database in a new SQLite file at ``path``, taken
    in one read transaction, so others may keep writing meanwhile."""
    path = path.expanduser().resolve()
    if path.exists():
        raise ValidationError("path", f"{path} exists already; choose a new file name.")
    if not path.parent.exists():
        private_folder(path.parent)
    rows = practice.store.export_rows()
    path.touch(mode=0o600)
    with Store(f"sqlite:///{path}") as copy:
        copy.replace_rows(rows)
        copy.compact()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    make_private(path)
    note_copy(practice, path, "backup")
    return path


def restore(practice: Practice, path: Path) -> Path:
    """Replace the practice's data with a backup. The data it replaces is kept first as a
    safety copy in ``data/backups/``; returns that copy's path."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ValidationError("path", f"{path} is not a file.")
    # checked before opening it as a store, which would turn any file into an empty practice
    version = database_schema_version(f"sqlite:///{path}")
    if version == 0:
        raise ValidationError("path", f"{path} is not a coachkit backup.")
    if version > SCHEMA_VERSION:
        raise ValidationError("path", f"{path} comes from a newer coachkit; upgrade coachkit to restore it.")
    with Store(f"sqlite:///{path}") as source:
        if source.integrity() != "ok":
            raise StoreError(f"{path} is damaged (integrity check failed); it was not restored.")
        rows = source.export_rows()
    safety_dir = private_folder(practice.data_dir / SAFETY_DIR)
    safety = backup(practice, safety_dir / f"before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.db")
    practice.store.replace_rows(rows)
    practice.store.compact()
    return safety
