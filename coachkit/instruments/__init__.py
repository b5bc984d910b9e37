"""Public-domain instruments shipped as data (see ``SOURCE.md`` beside this file).

Only the standard library is used here, and nothing is read at import time: the items are read
from the package the first time they are asked for.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
from importlib import resources

IPIP50_FACTORS: tuple[str, ...] = (
    "Extraversion",
    "Agreeableness",
    "Conscientiousness",
    "Emotional Stability",
    "Intellect/Imagination",
)
"""The five factors, named as the instrument names them, in administration order."""

IPIP50_ANSWERS: tuple[tuple[int, str], ...] = (
    (1, "Very Inaccurate"),
    (2, "Moderately Inaccurate"),
    (3, "Neither Accurate Nor Inaccurate"),
    (4, "Moderately Accurate"),
    (5, "Very Accurate"),
)
"""The five answers and their labels."""

IPIP50_NAME = "50-item IPIP representation of the Goldberg (1992) markers for the Big-Five factor structure"
IPIP50_CITATION = (
    "Goldberg, L. R. (1992). The development of markers for the Big-Five factor structure. "
    "Psychological Assessment, 4, 26-42. Items from the International Personality Item Pool "
    "(ipip.ori.org), in the public domain."
)


@dataclasses.dataclass(frozen=True)
class IpipItem:
    """One statement: its code (``EXT1``), factor, keying (+1 or -1) and text."""

    code: str
    factor: str
    keyed: int
    text: str


@functools.cache
def ipip50_items() -> tuple[IpipItem, ...]:
    """The 50 items in administration order: interleaved by factor (EXT1, AGR1, CSN1, EST1,
    OPN1, EXT2, ...)."""
    raw = resources.files(__package__).joinpath("ipip50.csv").read_text(encoding="utf-8")
    items = [
        IpipItem(row["code"], row["factor"], 1 if row["keying"] == "+" else -1, row["text"])
        for row in csv.DictReader(io.StringIO(raw))
    ]
    by_factor = {f: [i for i in items if i.factor == f] for f in IPIP50_FACTORS}
    if len(items) != 50 or any(len(group) != 10 for group in by_factor.values()):
        raise RuntimeError("coachkit/instruments/ipip50.csv must hold 10 items for each of the 5 factors")
    return tuple(by_factor[f][n] for n in range(10) for f in IPIP50_FACTORS)
