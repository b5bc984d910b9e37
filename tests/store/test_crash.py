"""A writer killed with SIGKILL mid-stream leaves a sound database holding every save it reported."""

from __future__ import annotations

import os
import random
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

from coachkit.model import CheckIn, Client, Goal
from coachkit.store import Store

SpawnWriter = Callable[..., "subprocess.Popen[str]"]
KILLS = 10
BATCH = 3  # check-ins per batch in _writers.py, saved with a goal revision in one transaction


def test_sigkill_mid_stream_keeps_every_reported_save(tmp_path: Path, spawn_writer: SpawnWriter) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    with Store(url) as store:
        client_id = store.add_client(Client(name="Crash Client")).id
    rng = random.Random(20261121)
    goal_revisions = 0

    for kill in range(KILLS):
        prefix = f"k{kill}"
        proc = spawn_writer("batches", url, client_id, prefix)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate()[1]
        reported: list[int] = []
        wanted = rng.randint(1, 40)
        while len(reported) < wanted:
            line = proc.stdout.readline()
            assert line, f"the writer stopped by itself: {proc.communicate()[1]}"
            reported.append(int(line))
        # let it get into the next save: somewhere between two saves and mid-commit
        spin = rng.randint(0, 200_000)
        while spin:
            spin -= 1
        os.kill(proc.pid, signal.SIGKILL)
        # Read the rest through the same reader: readline may have read lines ahead into its
        # buffer, which communicate() (reading the pipe itself) would never see.
        rest = proc.stdout.read()
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        reported += [int(line) for line in rest.split("\n")[:-1]]  # whole lines only

        with Store(url) as store:
            assert store.integrity() == "ok"
            ids = {c.id for c in store.all(client_id, CheckIn) if c.id.startswith(prefix + "-")}
            batches = {}
            for cid in ids:
                n = int(cid.split("-b")[1].split("-")[0])
                batches.setdefault(n, set()).add(cid)
            # every batch the writer reported is there, and no batch is torn
            for n in reported:
                assert n in batches, f"kill {kill}: reported batch {n} is missing"
            for n, members in batches.items():
                assert len(members) == BATCH, f"kill {kill}: batch {n} is torn: {sorted(members)}"
            # at most the one batch in flight was committed without being reported
            assert set(batches) - set(reported) <= {max(reported) + 1}
            history = store.history(client_id, Goal, "g1")
            assert [r.revision for r in history] == list(range(1, len(history) + 1))
            goal_revisions += len(batches)
            assert len(history) == goal_revisions
            last = history[-1].record
            assert last is not None and last.objective == f"Goal as of {prefix} batch {max(batches)}"
