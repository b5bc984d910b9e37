"""The 360 anonymity engine: which rater groups may be shown, and the figures that may be shown.

Rules, for one figure (say, one item's ratings), given how many raters of each group answered it:

1. A figure needs at least ``threshold`` raters who are not the manager (never fewer than 3).
   Below that, nothing is shown at all (except the manager's own line, where agreed).
2. A group below the threshold is not shown on its own: it is folded into a line of combined
   others.
3. The manager is shown as a line of their own only where the coaching agreement says so;
   otherwise the manager is folded in with others, like a small group.
4. Everything shown must not let anyone work a hidden group out by subtraction (all raters'
   figure minus the shown lines). So while the folded groups hold fewer than ``threshold``
   non-manager raters, the smallest group still shown is folded too. The folded groups then
   always hold two or more groups and at least ``threshold`` non-manager raters, and they are
   shown together as one line, so no hidden group's figure can be derived from the rest.

The shown lines partition the raters: the manager's own line (where agreed), each group shown on
its own, and the combined line; the all-raters line is their union. Every figure carries its n.

A summary plans its lines once, from how many raters of each group submitted (never per item:
a line that changed with who said “can't say” would point to them). On an item where a line
holds fewer than the threshold of ratings, only the all-raters line is shown (and the manager's
own, where agreed); below the threshold there, nothing. Every number shown is then a sum over
one of the planned lines, which is what lets :mod:`coachkit.model.release360` compare releases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from coachkit.model.feedback360 import MANAGER, MIN_GROUP, RELATIONSHIP_LABELS, RELATIONSHIPS

ALL = "all"
COMBINED = "combined"
LINE_LABELS: dict[str, str] = {ALL: "All raters", COMBINED: "Others combined", **RELATIONSHIP_LABELS}


@dataclasses.dataclass(frozen=True)
class Layout:
    """Which lines one figure may show. ``separate`` lists the groups shown on their own (the
    manager first, where agreed); ``combined`` the groups folded together into one line (empty,
    or two or more groups holding at least the threshold of non-manager raters)."""

    threshold: int
    show_all: bool
    separate: tuple[str, ...]
    combined: tuple[str, ...]

    @property
    def lines(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(line key, groups in it) for every shown line, the all-raters line first."""
        out: list[tuple[str, tuple[str, ...]]] = []
        if self.show_all:
            out.append((ALL, self.all_groups))
        out += [(g, (g,)) for g in self.separate]
        if self.combined and self.separate:
            out.append((COMBINED, self.combined))
        return tuple(out)

    @property
    def all_groups(self) -> tuple[str, ...]:
        """Every group that has raters in this figure."""
        return tuple(g for g in RELATIONSHIPS if g in self.separate or g in self.combined)


def effective_threshold(threshold: int) -> int:
    """The threshold in force: as configured, but never below 3."""
    return max(MIN_GROUP, int(threshold))


def plan_layout(counts: Mapping[str, int], *, manager_separate: bool, threshold: int = MIN_GROUP) -> Layout:
    """The lines that may be shown for a figure whose groups have ``counts`` raters each."""
    t = effective_threshold(threshold)
    present = {g: int(counts.get(g, 0)) for g in RELATIONSHIPS if int(counts.get(g, 0)) > 0}
    manager_line = manager_separate and MANAGER in present
    non_manager = sum(n for g, n in present.items() if g != MANAGER)
    if non_manager < t:
        return Layout(t, False, (MANAGER,) if manager_line else (), ())
    shown = [g for g in RELATIONSHIPS if g in present and g != MANAGER and present[g] >= t]
    folded = [g for g in RELATIONSHIPS if g in present and g not in shown and not (g == MANAGER and manager_line)]

    def folded_non_manager() -> int:
        return sum(present[g] for g in folded if g != MANAGER)

    while folded and folded_non_manager() < t:
        smallest = min(shown, key=lambda g: (present[g], RELATIONSHIPS.index(g)))
        shown.remove(smallest)
        folded.append(smallest)
    separate = ((MANAGER,) if manager_line else ()) + tuple(shown)
    combined = tuple(g for g in RELATIONSHIPS if g in folded)
    return Layout(t, True, separate, combined)


@dataclasses.dataclass(frozen=True)
class Figure:
    """A shown figure: the mean of the ratings of the raters in ``groups``, and how many (n)."""

    line: str
    label: str
    groups: tuple[str, ...]
    n: int
    mean: float


def shown_figures(
    values: Mapping[str, Sequence[float]], *, manager_separate: bool, threshold: int = MIN_GROUP
) -> tuple[Figure, ...]:
    """The figures that may be shown for ratings grouped by relationship (one value per rater;
    “can't say” is simply absent). The all-raters figure comes first where it is shown."""
    layout = plan_layout({g: len(v) for g, v in values.items()}, manager_separate=manager_separate, threshold=threshold)
    out = []
    for line, groups in layout.lines:
        pooled = [float(x) for g in groups for x in values.get(g, ())]
        out.append(Figure(line, LINE_LABELS[line], groups, len(pooled), sum(pooled) / len(pooled)))
    return tuple(out)


def coarser_layouts(layout: Layout, counts: Mapping[str, int]) -> list[Layout]:
    """``layout`` and every coarser one, finest first: the smallest group shown on its own is
    folded in, one at a time, down to the all-raters line alone (the manager's own line, where
    agreed, stays)."""
    out = [layout]
    if not layout.show_all:
        return out
    manager = tuple(g for g in layout.separate if g == MANAGER)
    shown = [g for g in layout.separate if g != MANAGER]
    folded = list(layout.combined)
    while shown:
        smallest = min(shown, key=lambda g: (int(counts.get(g, 0)), RELATIONSHIPS.index(g)))
        shown.remove(smallest)
        folded.append(smallest)
        combined = tuple(g for g in RELATIONSHIPS if g in folded)
        out.append(Layout(layout.threshold, True, manager + tuple(shown), combined))
    return out


def fixed_figures(values: Mapping[str, Sequence[float]], layout: Layout) -> tuple[Figure, ...]:
    """The figures one item may show under a summary's planned ``layout`` (ratings grouped by
    relationship, “can't say” absent). Where any planned line holds fewer than the threshold of
    ratings other than the manager's, only the all-raters line is shown (with the manager's own,
    where agreed); where even that holds fewer, only the manager's own line."""
    t = layout.threshold

    def non_manager(groups: Sequence[str]) -> int:
        return sum(len(values.get(g, ())) for g in groups if g != MANAGER)

    lines = [(line, groups) for line, groups in layout.lines]
    if any(non_manager(groups) < t for line, groups in lines if line != MANAGER):
        lines = [(line, groups) for line, groups in lines if line in (ALL, MANAGER)]
        if any(non_manager(groups) < t for line, groups in lines if line == ALL):
            lines = [(line, groups) for line, groups in lines if line == MANAGER]
    if not layout.show_all:
        lines = [(MANAGER, (MANAGER,))] if MANAGER in layout.separate else []
    out = []
    for line, groups in lines:
        pooled = [float(x) for g in groups for x in values.get(g, ())]
        if pooled:
            out.append(Figure(line, LINE_LABELS[line], groups, len(pooled), sum(pooled) / len(pooled)))
    return tuple(out)
