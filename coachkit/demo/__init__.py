"""The demo practice: three realistic engagements at different stages, the same every time for
the same ``today``, plus any number of synthetic clients for benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from coachkit.demo.ana import just_contracted
from coachkit.demo.jonas import mid_engagement
from coachkit.demo.mei import closed
from coachkit.demo.synthetic import synthetic_engagement
from coachkit.demo_assessments import add_assessments
from coachkit.model import Client, Record
from coachkit.practice import Practice

__all__ = ["DEMO_CLIENTS", "build_demo", "synthetic_engagement"]

DEMO_CLIENTS = ("Ana Ruiz", "Jonas Becker", "Mei Tanaka")


def build_demo(practice: Practice, *, today: date, synthetic: int = 0) -> list[str]:
    """Add the demo clients (skipping any that exist by name) and ``synthetic`` generated ones;
    returns the ids of the demo clients followed by the synthetic ones."""
    existing = {c.name: c.id for c, _ in practice.store.roster()}

    def add(name: str, build: Callable[[], tuple[Client, list[Record]]]) -> str:
        if name in existing:
            return existing[name]
        client, records = build()
        saved = practice.store.add_client(client)
        practice.store.save_all(saved.id, records)
        return saved.id

    builders = (just_contracted, mid_engagement, closed)
    ids = [add(name, partial(builder, today)) for name, builder in zip(DEMO_CLIENTS, builders, strict=True)]
    add_assessments(practice, ids, today)
    for n in range(1, synthetic + 1):
        name = f"Synthetic Client {n:04d}"
        ids.append(add(name, partial(synthetic_engagement, name, today, seed=n)))
    return ids
