"""The 360 records, the summary built from them, and the pulse results: pure, no database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachkit.errors import Conflict, ValidationError
from coachkit.model import Agreement, CaseFile, Client, Record, accept_agreement
from coachkit.model.anonymity import ALL, COMBINED
from coachkit.model.feedback360 import (
    MANAGER,
    RELATIONSHIPS,
    SELF_ID,
    Behaviour,
    Competency,
    CompetencyModel,
    FeedbackRelease,
    OpenQuestion,
    Rater,
    RaterResponse,
    check_complete,
    competency_text,
    default_competency_model,
    model_advice,
    parse_competency_text,
    rater_advice,
)
from coachkit.model.feedback_summary import BLIND_SPOT, build_summary, client_summary, gap_band
from coachkit.model.pulse import PulseItem, PulseResponse, PulseRound, pulse_response_id, pulse_results
from coachkit.model.rules import check_change

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
D0 = T0.date()


def _model() -> CompetencyModel:
    return CompetencyModel(
        competencies=[
            Competency("c1", "Delegating", [Behaviour("c1.1", "Hands over"), Behaviour("c1.2", "Stays out")]),
            Competency("c2", "Listening", [Behaviour("c2.1", "Listens"), Behaviour("c2.2", "Asks")]),
        ],
        open_questions=[OpenQuestion("q1", "Keep doing?"), OpenQuestion("q2", "Change?")],
    )


def _file(
    groups: dict[str, list[dict[str, int | None]]],
    *,
    separate: bool,
    own: dict[str, int | None] | None = None,
    comments: dict[str, dict[str, str]] | None = None,
    extra: list[Record] | None = None,
    model: CompetencyModel | None = None,
) -> CaseFile:
    agreement = accept_agreement(
        Agreement(id="1", version=1, manager_shown_separately=separate), "Client", T0 - timedelta(days=30)
    )
    records: list[Record] = [agreement, model or _model()]
    k = 0
    for group, answers in groups.items():
        for ratings in answers:
            k += 1
            rid = f"{group}-{k}"
            records.append(Rater(id=rid, name=rid, relationship=group, approved=True, approved_on=D0))
            records.append(
                RaterResponse(
                    id=rid,
                    ratings=dict(ratings),
                    comments=(comments or {}).get(rid, {}),
                    submitted_at=T0 + timedelta(hours=k),
                )
            )
    if own is not None:
        records.append(RaterResponse(id=SELF_ID, ratings=dict(own), submitted_at=T0))
    return CaseFile.of(Client(id="c", name="Client"), records + (extra or []))


def _all(value: int | None) -> dict[str, int | None]:
    return {"c1.1": value, "c1.2": value, "c2.1": value, "c2.2": value}


def test_uneven_groups_fold_and_the_lone_peer_is_never_isolated() -> None:
    canary = {"c1.1": 1, "c1.2": 1, "c2.1": 1, "c2.2": 1}
    file = _file(
        {"manager": [_all(3)], "peer": [canary], "direct_report": [_all(4)] * 4},
        separate=True,
        own=_all(5),
        comments={"peer-2": {"q1": "CANARY-PEER-COMMENT"}},
    )
    summary = build_summary(file)
    assert summary.ready and summary.answered == 6
    item = summary.items[0]
    lines = [(f.line, f.groups, f.n) for f in item.figures]
    # peer (1) is folded; direct reports (4) fold too, else subtraction would give the peer away
    assert lines == [
        (ALL, ("manager", "peer", "direct_report"), 6),
        (MANAGER, ("manager",), 1),
        (COMBINED, ("peer", "direct_report"), 5),
    ]
    assert all(f.line != "peer" and f.line != "direct_report" for i in summary.items for f in i.figures)
    assert not any(abs(f.mean - 1.0) < 1e-9 for i in summary.items for f in i.figures)
    assert summary.comments[0] == ("Keep doing?", ("CANARY-PEER-COMMENT",))
    assert item.distribution == (1, 0, 1, 4, 0) and item.cant_say == 0
    competency = summary.competencies[0]
    assert [(f.line, f.n) for f in competency.figures] == [(ALL, 6), (MANAGER, 1), (COMBINED, 5)]
    assert competency.gap == round(5 - (1 + 3 + 16) / 6, 2)
    assert summary.blind_spots[0].kind == BLIND_SPOT and summary.blind_spots[0].band == "severe"
    assert any("Peers: 1 answered" in n for n in summary.notes)


def test_manager_folds_in_unless_the_agreement_says_otherwise() -> None:
    groups = {"manager": [_all(2)], "peer": [_all(4)] * 3, "direct_report": [_all(5)] * 3}
    shown = build_summary(_file(groups, separate=True)).items[0].figures
    assert [f.line for f in shown] == [ALL, MANAGER, "peer", "direct_report"]
    folded = build_summary(_file(groups, separate=False)).items[0].figures
    # the manager alone in "others" could be subtracted out: the smallest group (peers) joins
    assert [(f.line, f.groups) for f in folded] == [
        (ALL, ("manager", "peer", "direct_report")),
        ("direct_report", ("direct_report",)),
        (COMBINED, ("manager", "peer")),
    ]


def test_too_few_answers_show_nothing() -> None:
    summary = build_summary(_file({"peer": [_all(4)] * 2}, separate=False, comments={"peer-1": {"q1": "hello"}}))
    assert not summary.ready
    assert all(not i.figures and i.distribution is None for i in summary.items)
    assert summary.comments == () and summary.priorities == () and summary.strengths == ()
    assert "Fewer than 3 raters" in summary.notes[0]


def test_cant_say_lowers_n_and_can_fold_more_groups_on_that_item() -> None:
    peer_cant = {"c1.1": None, "c1.2": 4, "c2.1": 4, "c2.2": 4}
    file = _file({"peer": [_all(4), _all(4), peer_cant], "direct_report": [_all(3)] * 3}, separate=False)
    summary = build_summary(file)
    first, second = summary.items[0], summary.items[1]
    assert [(f.line, f.n) for f in first.figures] == [(ALL, 5)]  # peers down to 2: everything combined
    assert first.cant_say == 1
    assert [(f.line, f.n) for f in second.figures] == [(ALL, 6), ("peer", 3), ("direct_report", 3)]
    assert any("can't say" in n for n in summary.notes)


def test_release_gates_the_client_summary_and_freezes_it() -> None:
    groups = {"peer": [_all(4)] * 3}
    file = _file(groups, separate=False)
    assert client_summary(file) is None
    release = FeedbackRelease(released_at=T0 + timedelta(days=1))
    late_rater = Rater(id="late", name="Late", relationship="peer", approved=True, approved_on=D0)
    late = RaterResponse(id="late", ratings=_all(1), submitted_at=T0 + timedelta(days=2))
    file = _file(groups, separate=False, extra=[release, late_rater, late])
    released = client_summary(file)
    assert released is not None and released.answered == 3  # the answer after the release is not in it
    assert build_summary(file).answered == 4
    withdrawn = _file(groups, separate=False, extra=[dataclasses.replace(release, released=False)])
    assert client_summary(withdrawn) is None


def test_comments_are_pooled_in_an_order_that_does_not_follow_the_raters() -> None:
    texts = [f"comment {k}" for k in range(8)]
    comments = {f"peer-{k + 1}": {"q2": t} for k, t in enumerate(texts)}
    summary = build_summary(_file({"peer": [_all(4)] * 8}, separate=False, comments=comments))
    question, shown = summary.comments[1]
    assert question == "Change?" and sorted(shown) == sorted(texts)
    assert list(shown) != texts
    again = build_summary(_file({"peer": [_all(4)] * 8}, separate=False, comments=comments))
    assert again.comments == summary.comments  # stable: a report shows the same order each time


@pytest.mark.parametrize(
    ("gap", "band"),
    [(0.49, None), (0.5, "moderate"), (0.99, "moderate"), (1.0, "high"), (1.5, "severe"), (-1.2, "high")],
)
def test_gap_bands(gap: float, band: str | None) -> None:
    assert gap_band(gap) == band


def test_priorities_are_blind_spots_first_then_lowest_rated() -> None:
    model = CompetencyModel(
        competencies=[Competency(f"c{i}", f"C{i}", [Behaviour(f"c{i}.1", f"b{i}")]) for i in range(1, 5)],
    )
    others = {"c1.1": 4, "c2.1": 2, "c3.1": 3, "c4.1": 5}
    own: dict[str, int | None] = {"c1.1": 5, "c2.1": 2, "c3.1": 3, "c4.1": 4}
    summary = build_summary(_file({"peer": [dict(others)] * 3}, separate=False, own=own, model=model))
    assert [c.name for c in summary.priorities] == ["C1", "C2", "C3"]
    assert [i.text for i in summary.strengths][:2] == ["b4", "b1"]
    assert [g.name for g in summary.hidden_strengths] == ["C4", "b4"]


answers_strategy = st.lists(
    st.tuples(
        st.sampled_from(RELATIONSHIPS),
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=4, max_size=4),
    ),
    max_size=14,
)


@given(answers=answers_strategy, separate=st.booleans(), threshold=st.integers(3, 6))
@settings(max_examples=150, deadline=None)
def test_no_summary_figure_rests_on_fewer_than_the_threshold(
    answers: list[tuple[str, list[int | None]]], separate: bool, threshold: int
) -> None:
    groups: dict[str, list[dict[str, int | None]]] = {}
    for group, values in answers:
        groups.setdefault(group, []).append(dict(zip(["c1.1", "c1.2", "c2.1", "c2.2"], values, strict=True)))
    model = dataclasses.replace(_model(), min_group=threshold)
    summary = build_summary(_file(groups, separate=separate, model=model))
    raters = [(g, r) for g, rs in groups.items() for r in rs]
    for competency in summary.competencies:
        ids = [i.item_id for i in competency.items]
        for item in competency.items:
            for f in item.figures:
                members = [r for g, r in raters if g in f.groups and r[item.item_id] is not None]
                assert f.n == len(members)
                if f.line == MANAGER:
                    assert separate
                    continue
                non_manager = [r for g, r in raters if g in f.groups and g != MANAGER and r[item.item_id] is not None]
                assert len(non_manager) >= threshold
        for f in competency.figures:
            if f.line == MANAGER:
                assert separate
                continue
            contributing = [g for g, r in raters if g in f.groups and any(r[k] is not None for k in ids)]
            assert sum(1 for g in contributing if g != MANAGER) >= threshold
    if not summary.ready:
        assert summary.comments == ()


def test_model_rules() -> None:
    model = default_competency_model()
    model.validate()
    assert len(model.competencies) == 10 and len(model.items) == 30 and len(model.open_questions) == 3
    assert model_advice(model) == []
    assert parse_competency_text(competency_text(model)) == model.competencies
    with pytest.raises(ValidationError, match="line 1"):
        parse_competency_text("- a behaviour without a heading")
    with pytest.raises(ValidationError, match="line 2"):
        parse_competency_text("## Listening\nListens well")
    too_many = CompetencyModel(
        competencies=[Competency(f"c{i}", f"C{i}", [Behaviour(f"c{i}.{j}", "b") for j in range(4)]) for i in range(9)]
    )
    with pytest.raises(ValidationError, match="36 behaviours"):
        too_many.validate()
    with pytest.raises(ValidationError) as err:
        dataclasses.replace(model, min_group=2).validate()
    assert err.value.field == "min_group"
    locked = dataclasses.replace(model, locked_at=T0)
    with pytest.raises(Conflict):
        check_change(locked, dataclasses.replace(locked, min_group=5))
    check_change(locked, locked)


def test_submitted_answers_are_final_and_must_be_complete() -> None:
    model = _model()
    partial = RaterResponse(id="r1", ratings={"c1.1": 4, "c1.2": None})
    with pytest.raises(ValidationError) as err:
        check_complete(model, partial)
    assert err.value.field == "item:c2.1"
    done = dataclasses.replace(partial, ratings=_all(None), submitted_at=T0)
    check_complete(model, done)
    with pytest.raises(Conflict):
        check_change(done, dataclasses.replace(done, ratings=_all(5)))
    check_change(partial, dataclasses.replace(partial, ratings=_all(5)))  # still open: fine
    with pytest.raises(ValidationError):
        RaterResponse(id="r1", ratings={"c1.1": 6}).validate()
    with pytest.raises(ValidationError):
        Rater(id=SELF_ID, name="x").validate()


def test_rater_advice() -> None:
    raters = [Rater(id=f"r{k}", name=f"R{k}", relationship="peer", approved=True, approved_on=D0) for k in range(2)]
    advice = rater_advice(raters)
    assert "4 to 8 raters" in advice[0]
    assert any(a.startswith("Warning: only 2 approved") for a in advice)
    assert any(a.startswith("Peers: 2 approved") for a in advice)
    many = [dataclasses.replace(raters[0], id=f"m{k}", relationship="direct_report") for k in range(9)]
    assert any(a.startswith("Warning: 9 approved") for a in rater_advice(many))


def test_pulse_results_need_the_threshold_of_answers() -> None:
    round_ = PulseRound(
        id="mid",
        stage="mid-point",
        opened_on=D0,
        items=[PulseItem("g1", "delegating"), PulseItem("g2", "feedback")],
        rater_ids=["a", "b", "c"],
    )
    raters: list[Record] = [Rater(id=r, name=r, approved=True, approved_on=D0) for r in "abc"]

    def answer(rater: str, g1: int | None, g2: int | None, note: str = "", done: bool = True) -> PulseResponse:
        return PulseResponse(
            id=pulse_response_id("mid", rater),
            round_id="mid",
            rater_id=rater,
            scores={"g1": g1, "g2": g2},
            comments={"g2": note} if note else {},
            submitted_at=T0 if done else None,
        )

    file = CaseFile.of(
        Client(id="c", name="C"),
        [*raters, round_, answer("a", 2, 1, "ONLY-ONE"), answer("b", 1, None), answer("c", 3, 2, done=False)],
    )
    g1, g2 = pulse_results(file)
    assert (g1.n, g1.net, g2.n, g2.net, g2.comments) == (2, None, 1, None, ())
    file = CaseFile.of(
        Client(id="c", name="C"),
        [*raters, round_, answer("a", 2, 1, "ONLY-ONE"), answer("b", 1, None), answer("c", 3, -1)],
    )
    g1, g2 = pulse_results(file)
    assert (g1.n, g1.net, g1.better, g1.same, g1.worse) == (3, 2.0, 3, 0, 0)
    assert (g2.n, g2.net) == (2, None)
    with pytest.raises(ValidationError):
        dataclasses.replace(round_, items=[]).validate()
    with pytest.raises(ValidationError):
        answer("a", 4, 0).validate()
