"""Moving a client's data: export, import, erase; and whole-practice backup and restore."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coachkit.errors import CoachkitError, StoreError, ValidationError
from coachkit.model import Client
from coachkit.model.ids import is_client_id, unique_slug
from coachkit.practice import Practice
from coachkit.store import SCHEMA_VERSION, Store, database_schema_version

EXPORT_FORMAT = "coachkit-export"
EXPORT_VERSION = 1
SAFETY_DIR = "backups"


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


def erase_client(practice: Practice, client_id: str) -> None:
    """Every trace of a client gone: rows and history, links, workbooks, reports, safety copies,
    and no readable remnant in the database files."""
    practice.require_client(client_id)
    for folder in (practice.workbooks_dir(client_id), practice.reports_dir(client_id)):
        if folder.exists():
            shutil.rmtree(folder)
    practice.store.delete_client(client_id)
    practice.store.compact()
    for copy in sorted((practice.data_dir / SAFETY_DIR).glob("*.db")):
        with Store(f"sqlite:///{copy}") as old:
            if old.has_client(client_id):
                old.delete_client(client_id)
            old.compact()


def backup(practice: Practice, path: Path) -> Path:
    """A consistent copy of the whole practice database in a new SQLite file at ``path``, taken
    in one read transaction, so others may keep writing meanwhile."""
    path = path.expanduser().resolve()
    if path.exists():
        raise ValidationError("path", f"{path} exists already; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = practice.store.export_rows()
    with Store(f"sqlite:///{path}") as copy:
        copy.replace_rows(rows)
        copy.compact()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
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
    safety_dir = practice.data_dir / SAFETY_DIR
    safety_dir.mkdir(parents=True, exist_ok=True)
    safety = backup(practice, safety_dir / f"before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.db")
    practice.store.replace_rows(rows)
    practice.store.compact()
    return safety
