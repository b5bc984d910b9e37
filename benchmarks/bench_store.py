"""How fast the store is, next to the plain alternative. Run by hand::

    python benchmarks/bench_store.py [--saves 1000] [--repeats 21] [--clients 1000]

1. Save: p50/p95 latency of single-record ``Store.save`` calls on SQLite, against plain
   ``sqlite3`` inserting the same JSON into the same table with the same pragmas.
2. Load: ``Store.load`` of a three-year engagement (150 sessions, 600 check-ins, goals,
   milestones, actions), median of repeats, against a plain SELECT + ``json.loads`` of the same rows.
3. List: wall time of the real ``coachkit client list`` in a new process over 1,000 clients.

Aims: save p95 <= 20 ms, load <= 100 ms, list <= 1 s. Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from coachkit.demo import build_demo
from coachkit.model import Action, CheckIn, Client, Engagement, Goal, GoalProgress, Milestone, Record, Session
from coachkit.practice import init_practice
from coachkit.store import Store

TODAY = date(2026, 11, 21)
AIMS = {"save_p95_ms": 20.0, "load_ms": 100.0, "list_s": 1.0}
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
    "PRAGMA secure_delete=ON",
    "PRAGMA synchronous=FULL",
)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def plain_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection set up like the store's."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def check_in(n: int) -> CheckIn:
    """A typical check-in between sessions."""
    return CheckIn(
        id=f"c{n}",
        on=TODAY - timedelta(days=n % 1000),
        progress=[GoalProgress(f"g{g}", (n + g) % 11) for g in range(1, 4)],
        confidence=n % 11,
        blockers="A release crunch and two people off sick." if n % 3 == 0 else "",
        note="Kept the two evenings free; delegated the incident review.",
    )


# -- 1. save ----------------------------------------------------------------------------------


def bench_save(folder: Path, saves: int) -> dict[str, float]:
    """Latency of single-record saves through the store and through plain sqlite3, taken in
    turns (one of each) so that both meet the same disk and the same load."""
    store = Store(f"sqlite:///{folder / 'save.db'}")
    client_id = store.add_client(Client(name="Bench Client")).id
    store.save(client_id, Goal(id="g1", objective="Delegate"))
    records: list[Record] = [
        check_in(n) if n % 4 else Goal(id="g1", objective=f"Delegate, revision {n}") for n in range(saves)
    ]
    # plain sqlite3: the same schema and indexes, the same JSON, one transaction per insert
    path = folder / "plain-save.db"
    Store(f"sqlite:///{path}").close()
    conn = plain_connection(path)
    conn.execute("INSERT INTO clients (id, created_at) VALUES ('bench', '2026-11-21T00:00:00+00:00')")

    def plain_insert(n: int, record: Record) -> None:
        data = json.dumps(record.to_data(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO records (client_id, kind, record_id, revision, saved_at, author, data) "
            "VALUES ('bench', ?, ?, ?, '2026-11-21T00:00:00+00:00', 'coach', ?)",
            (record.KIND, record.id, n + 1, data),
        )
        conn.execute("COMMIT")

    def timed(timings: list[tuple[float, float]], save: Callable[[], object]) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        save()
        timings.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))

    ours: list[tuple[float, float]] = []
    plain: list[tuple[float, float]] = []
    for n, record in enumerate(records):
        timed(ours, functools.partial(store.save, client_id, record))
        timed(plain, functools.partial(plain_insert, n, record))
    store.close()
    conn.close()
    ours, plain = ours[20:], plain[20:]  # the first ones warm up caches
    return {
        "save_p50_ms": statistics.median(w for w, _ in ours),
        "save_p95_ms": percentile([w for w, _ in ours], 0.95),
        "save_cpu_ms": statistics.median(c for _, c in ours),
        "plain_p50_ms": statistics.median(w for w, _ in plain),
        "plain_p95_ms": percentile([w for w, _ in plain], 0.95),
        "plain_cpu_ms": statistics.median(c for _, c in plain),
    }


# -- 2. load ----------------------------------------------------------------------------------


def three_year_engagement() -> tuple[Client, list[Record]]:
    """150 sessions, 600 check-ins, 8 goals with 40 milestones, 300 actions over three years."""
    start = TODAY - timedelta(days=3 * 365)
    records: list[Record] = [
        Engagement(start=start, planned_end=TODAY + timedelta(days=30), planned_sessions=160, status="active", phase=5)
    ]
    goals = [f"g{i}" for i in range(1, 9)]
    for i, gid in enumerate(goals, 1):
        records.append(
            Goal(
                id=gid,
                objective=f"Goal {i}: lead the wider department through the reorganisation",
                why="The department doubled in a year.",
                measure="Escalations a week",
                baseline="15",
                target="5",
                target_date=start + timedelta(days=365 * (1 + i % 3)),
            )
        )
        for m in range(5):
            records.append(
                Milestone(
                    id=f"m{i}-{m}",
                    goal_id=gid,
                    title=f"Milestone {m} of goal {i}",
                    target_date=start + timedelta(days=60 * (m + 1) * (1 + i % 3)),
                )
            )
    for n in range(1, 151):
        held = start + timedelta(days=7 * n)
        records.append(
            Session(
                id=str(n),
                number=n,
                held_on=held,
                agenda=f"Session {n}: review actions, practise the delegation conversation",
                reflection="Noticed the pull to rescue the team again; held back twice this week.",
                problems="Who owns the incident review.",
                skills="Delegation conversation; feedback (situation, behaviour, impact).",
                feedback="Clearer asks; still steps in too early.",
                perspectives="Escalations are a signal about the system, not about people.",
                summary=f"Session {n} held; two actions agreed.",
                private_notes="Coach only: over-functioning again; explore the fear of looking absent.",
            )
        )
        for a in range(2):
            records.append(
                Action(
                    id=f"a{n}-{a}",
                    title=f"Action {a} from session {n}",
                    due=held + timedelta(days=10),
                    done_on=held + timedelta(days=9) if (n + a) % 3 else None,
                    goal_id=goals[(n + a) % len(goals)],
                    session_number=n,
                )
            )
    for n in range(600):
        c = check_in(n)
        c.progress = [GoalProgress(g, (n + k) % 11) for k, g in enumerate(goals[:4])]
        records.append(c)
    return Client(name="Three Year Client", organisation="Brightline"), records


def bench_load(folder: Path, repeats: int) -> dict[str, float]:
    """``Store.load`` of a three-year engagement against plain SELECT + json.loads."""
    path = folder / "load.db"
    store = Store(f"sqlite:///{path}")
    client, records = three_year_engagement()
    client_id = store.add_client(client).id
    store.save_all(client_id, records)
    for goal in [r for r in records if isinstance(r, Goal)]:  # some history, as a real file has
        goal.target = "4"
        store.save(client_id, goal)
    rows = len(store.dump_client(client_id)["records"])
    store.load(client_id)
    ours = []
    for _ in range(repeats):
        start = time.perf_counter()
        file = store.load(client_id)
        ours.append((time.perf_counter() - start) * 1000)
    assert len(file.sessions) == 150 and len(file.check_ins) == 600
    store.close()

    conn = plain_connection(path)
    plain = []
    for _ in range(repeats):
        start = time.perf_counter()
        latest = {}
        for kind, rid, data in conn.execute(
            "SELECT kind, record_id, data FROM records WHERE client_id = ? ORDER BY seq", (client_id,)
        ):
            latest[(kind, rid)] = data
        loaded = [json.loads(d) for d in latest.values() if d is not None]
        plain.append((time.perf_counter() - start) * 1000)
    assert len(loaded) == len(records) + 1
    conn.close()
    return {"load_ms": statistics.median(ours), "plain_load_ms": statistics.median(plain), "load_rows": rows}


# -- 3. client list ---------------------------------------------------------------------------


def bench_list(folder: Path, clients: int, repeats: int) -> dict[str, float]:
    """Wall time of ``coachkit client list`` in a new process over ``clients`` synthetic clients."""
    home = folder / "practice"
    start = time.perf_counter()
    with init_practice(home) as practice:
        build_demo(practice, today=TODAY, synthetic=clients)
    built = time.perf_counter() - start
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("COACHKIT_DB", None)

    def run(*args: str) -> tuple[float, float]:
        """(wall, CPU) seconds of ``coachkit ARGS`` in a new process."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "coachkit", *args], capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert done.returncode == 0, done.stderr
        if args[-1] == "list":
            assert len(done.stdout.splitlines()) == clients + 4, "the list is incomplete"
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return elapsed, cpu

    run("--home", str(home), "client", "list")  # warm the file cache
    listing = [run("--home", str(home), "client", "list") for _ in range(repeats)]
    startup = [run("--version") for _ in range(repeats)]
    return {
        "list_s": statistics.median(w for w, _ in listing),
        "list_cpu_s": statistics.median(c for _, c in listing),
        "startup_s": statistics.median(w for w, _ in startup),
        "startup_cpu_s": statistics.median(c for _, c in startup),
        "build_s": built,
    }


def main() -> None:
    """Run the three benchmarks and print the figures next to the aims."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--clients", type=int, default=1000)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it)")
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        folder = Path(tmp)
        save = bench_save(folder, args.saves)
        print(
            f"save   ({args.saves} single-record saves, SQLite): p50 {save['save_p50_ms']:.2f} ms, "
            f"p95 {save['save_p95_ms']:.2f} ms (aim <= {AIMS['save_p95_ms']:g}); plain sqlite3 p50 "
            f"{save['plain_p50_ms']:.2f} ms, p95 {save['plain_p95_ms']:.2f} ms; ratio p50 "
            f"{save['save_p50_ms'] / save['plain_p50_ms']:.1f}x, "
            f"p95 {save['save_p95_ms'] / save['plain_p95_ms']:.1f}x; "
            f"CPU per save {save['save_cpu_ms']:.2f} ms vs {save['plain_cpu_ms']:.2f} ms"
        )
        load = bench_load(folder, args.repeats)
        print(
            f"load   (three-year engagement, {load['load_rows']:.0f} rows): median {load['load_ms']:.1f} ms "
            f"(aim <= {AIMS['load_ms']:g}); plain SELECT + json.loads {load['plain_load_ms']:.1f} ms; "
            f"ratio {load['load_ms'] / load['plain_load_ms']:.1f}x"
        )
        listing = bench_list(folder, args.clients, max(3, args.repeats // 4))
        print(
            f"list   (`coachkit client list`, {args.clients + 3} clients, new process): median "
            f"{listing['list_s']:.2f} s wall, {listing['list_cpu_s']:.2f} s CPU (aim <= {AIMS['list_s']:g}); "
            f"`coachkit --version` alone {listing['startup_s']:.2f} s wall, {listing['startup_cpu_s']:.2f} s CPU; "
            f"building the practice took {listing['build_s']:.0f} s"
        )
        missed = [
            name
            for name, value in (
                ("save_p95_ms", save["save_p95_ms"]),
                ("load_ms", load["load_ms"]),
                ("list_s", listing["list_s"]),
            )
            if value > AIMS[name]
        ]
        print("aims: all met" if not missed else f"aims missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
