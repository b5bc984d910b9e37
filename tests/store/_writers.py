"""Writer processes for the store's concurrency, crash and backup tests.

Run as a script in a child process (pytest does not collect it)::

    python _writers.py concurrent URL CLIENT WORKER N   wait for a line on stdin, do N saves, print a JSON report
    python _writers.py open URL - NAME                  wait for a line on stdin, open the store (creating or
                                                        migrating the database), add a client called NAME
    python _writers.py batches URL CLIENT PREFIX [N]    save batches until killed (or N of them); after each
                                                        save has returned, print its number (flushed)

A batch is three new check-ins and a revision of goal ``g1``, saved in one transaction, so a
test can tell a whole batch from a torn one.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta

from coachkit.model import CheckIn, Client, Goal, GoalProgress
from coachkit.store import Store

BATCH = 3
DAY0 = date(2026, 1, 1)


def batch(prefix: str, n: int) -> list[CheckIn | Goal]:
    """The records of batch ``n``: three check-ins and a goal revision naming the batch."""
    records: list[CheckIn | Goal] = [
        CheckIn(
            id=f"{prefix}-b{n}-{k}",
            on=DAY0 + timedelta(days=n % 3000),
            progress=[GoalProgress("g1", (n + k) % 11)],
            confidence=k,
            note=f"batch {n} item {k} " + "x" * 200,
        )
        for k in range(BATCH)
    ]
    records.append(Goal(id="g1", objective=f"Goal as of {prefix} batch {n}"))
    return records


def concurrent(url: str, client_id: str, worker: str, count: int) -> None:
    """``count`` saves: even ones a new check-in of this worker, odd ones a revision of the
    shared goal ``g1``. Reports the revision numbers each save returned and every error."""
    store = Store(url)
    print("ready", flush=True)
    sys.stdin.readline()
    began = time.time()
    revisions: dict[str, list[int]] = {"check_in": [], "goal": []}
    errors: list[str] = []
    for i in range(count):
        try:
            if i % 2 == 0:
                check_in = CheckIn(
                    id=f"w{worker}-c{i}",
                    on=DAY0 + timedelta(days=i),
                    progress=[GoalProgress("g1", i % 11)],
                    note=f"worker {worker}, save {i}",
                )
                revisions["check_in"].append(store.save(client_id, check_in, author=f"worker-{worker}"))
            else:
                goal = Goal(id="g1", objective=f"Shared goal, revised by worker {worker} at save {i}")
                revisions["goal"].append(store.save(client_id, goal, author=f"worker-{worker}"))
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"save {i}: {exc.__class__.__name__}: {exc}")
    ended = time.time()
    store.close()
    print(json.dumps({"revisions": revisions, "errors": errors, "began": began, "ended": ended}), flush=True)


def batches(url: str, client_id: str, prefix: str, limit: int | None) -> None:
    """Save batch after batch; print each batch's number only after ``save_all`` returned."""
    store = Store(url)
    print("ready", flush=True)
    n = 0
    while limit is None or n < limit:
        store.save_all(client_id, batch(prefix, n))
        sys.stdout.write(f"{n}\n")
        sys.stdout.flush()
        n += 1
    store.close()


def open_store(url: str, name: str) -> None:
    """Open the store the moment the test says so, and add one client."""
    print("ready", flush=True)
    sys.stdin.readline()
    with Store(url) as store:
        print(store.add_client(Client(name=name)).id, flush=True)


def main(argv: list[str]) -> None:
    """Dispatch on the first argument."""
    mode, url, client_id, name, *rest = argv
    if mode == "concurrent":
        concurrent(url, client_id, name, int(rest[0]))
    elif mode == "open":
        open_store(url, name)
    elif mode == "batches":
        batches(url, client_id, name, int(rest[0]) if rest else None)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
