"""Awkward client names: safe, unique ids, and the name back exactly from the store and from an export."""

from __future__ import annotations

import json
import re
from pathlib import Path

from coachkit import cli
from coachkit.model import Client
from coachkit.practice import Practice, init_practice
from coachkit.store import Store

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
NAMES = [
    'O\'Brien "Bobby" D`Arcy',
    "Line one\nline two\r\nline three\ttab",
    "Ana 🚀 Ruiz 👩🏽‍💼",
    "محمد عبد الله",
    "דוד לוי",
    "\u202eevil\u202c name",
    "../../etc",
    "..\\..\\Windows",
    "/etc/passwd",
    "Robert'); DROP TABLE clients;--",
    "%s %d {0} $HOME `id`",
    "x" * 10_000,
    "Ana Ruiz",
    "ana ruiz",
    "ANA RUIZ",
    "Ána Ruíz",
    "ana_ruiz",
    "   ana.ruiz   ",
]


def _add_all(store: Store) -> dict[str, str]:
    ids = {}
    for name in NAMES:
        client = store.add_client(Client(name=name, organisation=name[:500]))
        ids[client.id] = name
    return ids


def test_awkward_names_get_safe_unique_ids_and_round_trip(store_url: str) -> None:
    with Store(store_url) as store:
        ids = _add_all(store)
    assert len(ids) == len(NAMES)
    for client_id in ids:
        assert SLUG.fullmatch(client_id) and "/" not in client_id
    with Store(store_url) as store:  # a fresh connection reads back exactly what was given
        assert sorted(store.client_ids()) == sorted(ids)
        for client_id, name in ids.items():
            client = store.client(client_id)
            assert client.name == name
            assert client.organisation == name[:500]
        assert sorted(c.name for c, _ in store.roster()) == sorted(NAMES)


def test_folders_of_awkward_clients_stay_inside_the_practice(practice: Practice) -> None:
    ids = _add_all(practice.store)
    for client_id in ids:
        for folder in (practice.workbooks_dir(client_id), practice.reports_dir(client_id)):
            assert folder.parent.parent == practice.home
            assert folder.name == client_id


def test_a_kept_id_must_be_a_safe_one(practice: Practice) -> None:
    client = practice.store.add_client(Client(id="../../etc", name="Sneaky"), keep_id=True)
    assert client.id == "sneaky"
    kept = practice.store.add_client(Client(id="ana-ruiz", name="Ana"), keep_id=True)
    assert kept.id == "ana-ruiz"


def test_awkward_names_round_trip_through_export_and_import(tmp_path: Path, capsys: object) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    with init_practice(source) as practice:
        ids = _add_all(practice.store)
    exports = tmp_path / "exports"
    exports.mkdir()
    assert cli.main(["--home", str(target), "init"]) == 0  # only init makes a practice
    for n, client_id in enumerate(ids):
        path = exports / f"{n}.json"
        assert cli.main(["--home", str(source), "export", client_id, "--out", str(path)]) == 0
        assert cli.main(["--home", str(target), "import", str(path)]) == 0  # id free: kept
        assert cli.main(["--home", str(source), "import", str(path)]) == 0  # id taken: a new one
        assert json.loads(path.read_text(encoding="utf-8"))["client_id"] == client_id
    with init_practice(target) as practice:
        assert {i: practice.store.client(i).name for i in practice.store.client_ids()} == ids
    with init_practice(source) as practice:
        all_ids = practice.store.client_ids()
        assert len(all_ids) == 2 * len(NAMES)
        names = sorted(practice.store.client(i).name for i in all_ids)
        assert names == sorted(NAMES + NAMES)
        for client_id in all_ids:
            assert SLUG.fullmatch(client_id)
