"""The 360 anonymity engine, checked by construction and by brute-force arithmetic.

Hypothesis draws any group sizes (0, 1, 2 and more, with or without a manager, one or two
managers), the manager-separate flag and thresholds 3 to 6.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from coachkit.model.anonymity import ALL, COMBINED, Figure, plan_layout, shown_figures
from coachkit.model.feedback360 import MANAGER, RELATIONSHIPS

counts_strategy = st.fixed_dictionaries(
    {
        "manager": st.integers(0, 2),
        "peer": st.integers(0, 8),
        "direct_report": st.integers(0, 8),
        "other": st.integers(0, 6),
    }
)


def _non_manager(groups: tuple[str, ...], counts: dict[str, int]) -> int:
    return sum(counts[g] for g in groups if g != MANAGER)


@given(counts=counts_strategy, separate=st.booleans(), threshold=st.integers(3, 6))
@settings(max_examples=400, deadline=None)
def test_layout_by_construction(counts: dict[str, int], separate: bool, threshold: int) -> None:
    layout = plan_layout(counts, manager_separate=separate, threshold=threshold)
    present = {g for g, n in counts.items() if n > 0}
    assert layout.threshold == threshold
    # every shown line but the agreed manager line holds at least the threshold of non-manager raters
    for line, groups in layout.lines:
        if line == MANAGER:
            assert separate and groups == (MANAGER,)
            continue
        assert _non_manager(groups, counts) >= threshold, (line, groups)
    # a non-manager group below the threshold is never shown on its own
    assert all(g == MANAGER or counts[g] >= threshold for g in layout.separate)
    assert MANAGER not in layout.separate or separate
    if not layout.show_all:
        assert _non_manager(tuple(RELATIONSHIPS), counts) < threshold
        assert {line for line, _ in layout.lines} <= {MANAGER}
        return
    # the shown lines partition the raters: separate groups + the combined ones = everyone present
    assert set(layout.separate).isdisjoint(layout.combined)
    assert set(layout.separate) | set(layout.combined) == present
    # the hidden part (all minus the shown lines) is nothing, or two or more groups holding at
    # least the threshold of non-manager raters: no single group can be isolated by subtraction
    if layout.combined:
        assert len(layout.combined) >= 2
        assert all(counts[g] > 0 for g in layout.combined)
        assert _non_manager(layout.combined, counts) >= threshold


def _in_span(target: list[int], rows: list[list[int]]) -> bool:
    """Exact check (fractions) that ``target`` is a linear combination of ``rows``."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []

    def reduce(vec: list[Fraction]) -> list[Fraction]:
        vec = vec[:]
        for b, p in zip(basis, pivots, strict=True):
            if vec[p] != 0:
                factor = vec[p] / b[p]
                vec = [x - factor * y for x, y in zip(vec, b, strict=True)]
        return vec

    for row in rows:
        r = reduce([Fraction(x) for x in row])
        nz = next((i for i, x in enumerate(r) if x != 0), None)
        if nz is not None:
            basis.append(r)
            pivots.append(nz)
    return all(x == 0 for x in reduce([Fraction(x) for x in target]))


def _raters(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(g, k) for g in RELATIONSHIPS for k in range(counts[g])]


@given(counts=counts_strategy, separate=st.booleans(), threshold=st.integers(3, 6), seed=st.integers(0, 10**6))
@settings(max_examples=300, deadline=None)
def test_no_hidden_group_can_be_derived_from_the_shown_figures(
    counts: dict[str, int], separate: bool, threshold: int, seed: int
) -> None:
    # Generic random values (the engine never looks at them), so an equality found below would
    # be a real derivation, not a coincidence of small integers.
    rng = random.Random(seed)
    values = {g: [rng.uniform(1, 5) for _ in range(counts[g])] for g in RELATIONSHIPS}
    figures = shown_figures(values, manager_separate=separate, threshold=threshold)
    layout = plan_layout(counts, manager_separate=separate, threshold=threshold)
    assert [(f.line, f.groups) for f in figures] == list(layout.lines)
    for f in figures:
        expected = [v for g in f.groups for v in values[g]]
        assert f.n == len(expected)
        assert abs(f.mean - sum(expected) / len(expected)) < 1e-9
    hidden = [g for g in RELATIONSHIPS if counts[g] > 0 and g not in {f.line for f in figures}]
    if not hidden:
        return

    # 1. brute-force arithmetic: no sum/difference of shown totals (mean x n) equals a hidden
    #    group's total, so its mean cannot be recovered either
    totals = [f.mean * f.n for f in figures]
    for group in hidden:
        target = sum(values[group])
        for coefficients in itertools.product((-1, 0, 1), repeat=len(totals)):
            if not any(coefficients):
                continue
            derived = sum(c * t for c, t in zip(coefficients, totals, strict=True))
            assert abs(derived - target) > 1e-7, (group, coefficients, [(f.line, f.groups) for f in figures])

    # 2. exact linear algebra over the raters: a hidden group's indicator is not a combination
    #    of the shown lines' indicators (with any coefficients at all)
    raters = _raters(counts)
    rows = [[1 if g in f.groups else 0 for g, _ in raters] for f in figures]
    for group in hidden:
        assert not _in_span([1 if g == group else 0 for g, _ in raters], rows), group


def test_the_demo_shape_folds_the_next_smallest_group() -> None:
    counts = {"manager": 1, "peer": 2, "direct_report": 4, "other": 0}
    layout = plan_layout(counts, manager_separate=True, threshold=3)
    # peers (2) are too few; direct reports alone would let peers be worked out by subtraction
    assert layout.lines == (
        (ALL, ("manager", "peer", "direct_report")),
        (MANAGER, (MANAGER,)),
        (COMBINED, ("peer", "direct_report")),
    )
    layout = plan_layout(counts, manager_separate=False, threshold=3)
    # manager (1) + peers (2) hold only 2 non-manager raters: direct reports fold too; one line
    assert layout.lines == ((ALL, ("manager", "peer", "direct_report")),)


def test_groups_at_the_threshold_stand_alone() -> None:
    counts = {"manager": 1, "peer": 3, "direct_report": 5, "other": 0}
    lines = plan_layout(counts, manager_separate=True, threshold=3).lines
    assert [line for line, _ in lines] == [ALL, MANAGER, "peer", "direct_report"]
    lines = plan_layout(counts, manager_separate=False, threshold=3).lines
    # the manager alone would be isolated by subtraction: peers (the smallest) fold with them
    assert lines == (
        (ALL, ("manager", "peer", "direct_report")),
        ("direct_report", ("direct_report",)),
        (COMBINED, ("manager", "peer")),
    )


def test_too_few_shows_nothing_but_an_agreed_manager_line() -> None:
    counts = {"manager": 1, "peer": 2, "direct_report": 0, "other": 0}
    assert plan_layout(counts, manager_separate=False).lines == ()
    assert plan_layout(counts, manager_separate=True).lines == ((MANAGER, (MANAGER,)),)
    assert plan_layout({}, manager_separate=True).lines == ()


def test_threshold_is_never_below_three() -> None:
    counts = {"manager": 0, "peer": 2, "direct_report": 2, "other": 0}
    layout = plan_layout(counts, manager_separate=False, threshold=1)
    assert layout.threshold == 3
    assert [line for line, _ in layout.lines] == [ALL]


def test_figures_carry_their_n() -> None:
    figures = shown_figures(
        {"manager": [2.0], "peer": [4.0, 4.0, 5.0], "direct_report": [3.0, 3.0, 3.0]}, manager_separate=True
    )
    assert figures[0] == Figure(ALL, "All raters", ("manager", "peer", "direct_report"), 7, 24 / 7)
    assert {(f.line, f.n) for f in figures} == {(ALL, 7), (MANAGER, 1), ("peer", 3), ("direct_report", 3)}
