"""Property tests: whatever lands in a record's field, ``validate()`` accepts it or refuses it with
a ValidationError naming that field; never another exception. What it accepts can be stored.
A refused save writes nothing."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachkit.errors import Conflict, ValidationError
from coachkit.instruments import ipip50_items
from coachkit.model import (
    RECORD_TYPES,
    Action,
    Agreement,
    AssessmentResult,
    BalanceRating,
    CheckIn,
    Client,
    ClosureReflection,
    CompetencyRating,
    Engagement,
    FollowUp,
    Goal,
    GoalAdjustment,
    GoalChange,
    GoalEvaluation,
    GoalProgress,
    InitialMeeting,
    Milestone,
    Record,
    Reflection,
    SelfAssessment,
    Session,
    Sponsor,
    TransitionPlan,
    accept_agreement,
)
from coachkit.model.base import LONG_TEXT, NAME_TEXT, SHORT_TEXT
from coachkit.model.engagement import PhaseOverride
from coachkit.model.feedback360 import (
    SELF_ID,
    Behaviour,
    Competency,
    CompetencyModel,
    FeedbackRelease,
    OpenQuestion,
    Rater,
    RaterResponse,
)
from coachkit.model.ipip import IpipResponse
from coachkit.model.pulse import PulseItem, PulseResponse, PulseRound, pulse_response_id
from coachkit.store import Store

EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- one valid record of every kind (dates at the edges, so that a fuzzed date rarely trips an
#    ordering rule by accident) --------------------------------------------------------------

_ACCEPTED = accept_agreement(
    Agreement(id="1", version=1, objectives="Lead", scope="Work"), "Ana", datetime(2026, 1, 1, tzinfo=UTC)
)
_AT = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
_MODEL = CompetencyModel(
    competencies=[
        Competency("c1", "Delegating", [Behaviour("c1.1", "Hands over whole pieces of work."), Behaviour("c1.2", "x")]),
        Competency("c2", "Listening", [Behaviour("c2.1", "Listens fully before responding.")]),
    ],
    open_questions=[OpenQuestion("q1", "What should this person keep doing?")],
)
_ALL_ANSWERS = {item.code: 1 + i % 5 for i, item in enumerate(ipip50_items())}

VALID: dict[type[Record], list[Record]] = {
    Client: [Client(id="ana-ruiz", name="Ana Ruiz", email="ana@example.org", role="COO", organisation="Acme")],
    Sponsor: [Sponsor(id="sp1", name="Dan", email="", role="CEO", relationship="hr")],
    Engagement: [Engagement(start=date(1900, 1, 1), planned_end=date(2200, 12, 31), ended_on=None)],
    InitialMeeting: [InitialMeeting(held_on=date(2026, 1, 1), objectives="x", confidentiality_discussed=True)],
    PhaseOverride: [PhaseOverride(), PhaseOverride(phase=5, reason="Set by hand")],
    Agreement: [Agreement(id="1", version=1, objectives="Lead"), _ACCEPTED],
    SelfAssessment: [
        SelfAssessment(
            strengths=["Calm"],
            development_areas=["Delegating"],
            values=["Trust", "Family"],
            career_aspirations="CTO",
            competencies=[CompetencyRating("Delegating", 2, 4)],
            balance=[BalanceRating("Money", 5, 7)],
        )
    ],
    Goal: [Goal(id="g1", objective="Delegate", target_date=date(2026, 6, 1), findings=["360"])],
    Milestone: [Milestone(id="m1", goal_id="g1", title="Plan", target_date=date(2026, 3, 1))],
    Action: [Action(id="a1", title="Map decisions", due=date(2026, 2, 1), session_number=2)],
    GoalAdjustment: [GoalAdjustment(id="adj1", goal_id="g1", made_on=date(2026, 3, 1), what_changed="x", reason="y")],
    Session: [Session(id="3", number=3, held_on=date(2026, 2, 1), private_notes="coach only")],
    CheckIn: [CheckIn(id="c1", on=date(2026, 2, 8), progress=[GoalProgress("g1", 4)], confidence=6)],
    Reflection: [Reflection(id="r1", on=date(2026, 2, 9), text="It stung.")],
    GoalEvaluation: [GoalEvaluation(id="g1", goal_id="g1", outcome="met")],
    ClosureReflection: [ClosureReflection(successes="Board", client_rating=9)],
    TransitionPlan: [TransitionPlan(keep_doing="Round-table")],
    FollowUp: [
        FollowUp(id="d30", due=date(2026, 9, 1), held=True, held_on=date(2026, 9, 2), changes=[GoalChange("g1", 2)])
    ],
    AssessmentResult: [AssessmentResult(id="disc", instrument="DiSC", scores={"D": 3.5}, taken_on=date(2026, 1, 5))],
    # The first example of a kind is the one the store test edits: a draft, unlocked, not yet
    # final (the second, in its final state, has an id of its own so that it does not lock the first).
    Rater: [
        Rater(id="r1", name="Bo Lind", email="bo@example.org", relationship="peer", nominated_on=date(2026, 3, 1)),
        Rater(
            id="r2",
            name="Cy Ong",
            relationship="manager",
            nominated_by="coach",
            approved=True,
            approved_on=date(2026, 3, 2),
            invited_on=date(2026, 3, 3),
        ),
    ],
    CompetencyModel: [_MODEL, dataclasses.replace(_MODEL, id="competency-model-locked", min_group=4, locked_at=_AT)],
    RaterResponse: [
        RaterResponse(id="r1", ratings={"c1.1": 4, "c1.2": None}, comments={"q1": "Keep asking."}, saved_at=_AT),
        RaterResponse(
            id=SELF_ID,
            ratings={"c1.1": 3, "c1.2": 5, "c2.1": None},
            comments={"q1": ""},
            saved_at=_AT,
            submitted_at=_AT,
        ),
    ],
    FeedbackRelease: [
        FeedbackRelease(released_at=_AT),
        FeedbackRelease(id="feedback-release-withdrawn", released=False, released_at=_AT, released_by="Coach Kim"),
    ],
    IpipResponse: [
        IpipResponse(answers={"EXT1": 4, "AGR2": 1}, started_on=date(2026, 2, 1)),
        IpipResponse(
            id="ipip50-complete", answers=_ALL_ANSWERS, started_on=date(2026, 2, 1), completed_on=date(2026, 2, 2)
        ),
    ],
    PulseRound: [
        PulseRound(
            id="mid",
            stage="mid-point",
            opened_on=date(2026, 5, 1),
            items=[PulseItem("g1", "Delegates whole decisions."), PulseItem("g2", "Listens first.")],
            rater_ids=["r1", "r2"],
        )
    ],
    PulseResponse: [
        PulseResponse(
            id=pulse_response_id("mid", "r1"),
            round_id="mid",
            rater_id="r1",
            scores={"g1": 2, "g2": None},
            comments={"g1": "Fewer late nights."},
            saved_at=_AT,
        ),
        PulseResponse(
            id=pulse_response_id("mid", "r2"),
            round_id="mid",
            rater_id="r2",
            scores={"g1": -3, "g2": 3},
            saved_at=_AT,
            submitted_at=_AT,
        ),
    ],
}

# Rules between two fields name the field the rule is about (the later date, the id's partner,
# the hash over the agreement's text); a refusal may name one of these instead.
RELATED: dict[tuple[type[Record], str], set[str]] = {
    (Engagement, "start"): {"planned_end", "ended_on"},
    (Agreement, "id"): {"version"},
    (Agreement, "accepted_at"): {"accepted_by", "accepted_sha256"},
    (Session, "id"): {"number"},
    (GoalEvaluation, "id"): {"goal_id"},
    (Goal, "released_to_sponsor"): {"released_on"},
    (FollowUp, "held"): {"held_on"},
    (Rater, "approved"): {"approved_on"},
    (IpipResponse, "answers"): {"completed_on"},
    (PulseResponse, "round_id"): {"id"},
    (PulseResponse, "rater_id"): {"id"},
}
ACCEPTED_TEXT_FIELDS = {"version", "manager_shown_separately"} | {
    f.name for f in dataclasses.fields(Agreement) if typing.get_type_hints(Agreement)[f.name] is str
}

# Where a nested dataclass lives: its record and the list holding it ("a.b": the list ``b`` in the
# first entry of the list ``a``). A refusal names the record's list (the first part).
NESTED: dict[type[Any], tuple[type[Record], str]] = {
    GoalProgress: (CheckIn, "progress"),
    CompetencyRating: (SelfAssessment, "competencies"),
    BalanceRating: (SelfAssessment, "balance"),
    GoalChange: (FollowUp, "changes"),
    Competency: (CompetencyModel, "competencies"),
    Behaviour: (CompetencyModel, "competencies.behaviours"),
    OpenQuestion: (CompetencyModel, "open_questions"),
    PulseItem: (PulseRound, "items"),
}


def _replace_list(obj: Any, path: str, new: Any) -> Any:
    """``obj`` with the list at ``path`` replaced by ``new(that list)``."""
    head, _, rest = path.partition(".")
    value = getattr(obj, head)
    return dataclasses.replace(obj, **{head: [_replace_list(value[0], rest, new), *value[1:]] if rest else new(value)})


def test_every_record_type_has_a_valid_example() -> None:
    assert set(VALID) == set(RECORD_TYPES)
    for examples in VALID.values():
        for record in examples:
            record.validate()


def test_every_valid_example_round_trips_through_json() -> None:
    for examples in VALID.values():
        for record in examples:
            again = type(record).from_data(json.loads(json.dumps(record.to_data())))
            assert again == record


# -- what can land in a field ------------------------------------------------------------------

HUGE_INTS = st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**400, -(10**5000)])
TEXT_SIZES = st.sampled_from(
    [SHORT_TEXT, SHORT_TEXT + 1, 2_000, 2_001, NAME_TEXT, NAME_TEXT + 1, LONG_TEXT, LONG_TEXT + 1, 3 * LONG_TEXT]
)
HUGE_TEXTS = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "😀", " ", "\u202e"]), TEXT_SIZES)
TEXTS = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(categories=["Cs", "Cc", "Cf", "Co", "Zl", "Zp", "Lo", "So"]), max_size=10),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\n\t", "Robert'); DROP TABLE records;--", "../../etc", "ب", "ש"]),
    HUGE_TEXTS,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_INTS,
    st.floats(),
    TEXTS,
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.just(object()),
)
ANY = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.tuples(SCALARS),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), SCALARS, max_size=3),
    st.sets(st.integers(), max_size=2),
)


def _plausible(hint: Any) -> st.SearchStrategy[Any]:
    """Values of the field's own type (so that acceptance is exercised too), edges included."""
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return st.one_of(st.none(), *[_plausible(a) for a in args])
    if origin is list:
        return st.lists(_plausible(args[0]), max_size=4)
    if origin is dict:
        return st.dictionaries(TEXTS, st.one_of(st.floats(), st.integers(), HUGE_INTS, SCALARS), max_size=3)
    if dataclasses.is_dataclass(hint):
        return st.builds(hint, **{f.name: st.one_of(_plausible(f.type_hint), ANY) for f in _fields_with_hints(hint)})
    return {
        str: TEXTS,
        int: st.one_of(st.integers(-20, 2_000), HUGE_INTS),
        float: st.floats(),
        bool: st.booleans(),
        date: st.dates(),
        datetime: st.one_of(st.datetimes(), st.datetimes(timezones=st.just(UTC))),
    }[hint]


@dataclasses.dataclass
class _F:
    name: str
    type_hint: Any


def _fields_with_hints(cls: type[Any]) -> list[_F]:
    hints = typing.get_type_hints(cls)
    return [_F(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


def _cases() -> Iterator[Any]:
    for cls, examples in VALID.items():
        for i, base in enumerate(examples):
            for f in _fields_with_hints(cls):
                yield pytest.param(base, f, id=f"{cls.__name__}{i or ''}.{f.name}")


def _allowed(base: Record, field: str) -> set[str]:
    allowed = {field} | RELATED.get((type(base), field), set())
    if isinstance(base, Agreement) and base.accepted and field in ACCEPTED_TEXT_FIELDS:
        allowed.add("accepted_sha256")  # any change to accepted text breaks its hash
    return allowed


def _check(record: Record, allowed: set[str]) -> None:
    """``validate()`` accepts (and the record survives the store's JSON codec) or names a field."""
    try:
        record.validate()
    except ValidationError as err:
        assert isinstance(err.field, str) and err.message
        assert any(err.field == a or err.field.startswith(a + " ") for a in allowed), (err.field, allowed)
        assert "Traceback" not in str(err)
        return
    text = json.dumps(record.to_data(), sort_keys=True, ensure_ascii=False)
    text.encode("utf-8")  # what the database is given
    again = type(record).from_data(json.loads(text))
    again.validate()
    assert again.to_data() == record.to_data()
    assert again == record


@pytest.mark.parametrize(("base", "field"), list(_cases()))
@EXAMPLES
@given(data=st.data())
def test_a_field_takes_any_value_or_names_itself(base: Record, field: _F, data: st.DataObject) -> None:
    value = data.draw(st.one_of(ANY, _plausible(field.type_hint)), label=field.name)
    _check(dataclasses.replace(base, **{field.name: value}), _allowed(base, field.name))


# Hypothesis cannot print a dict keyed by an integer too long to show, so odd keys are listed here.
ODD_KEYS = [10**5000, 2**63, -1, 1.5, float("nan"), None, True, (1,), date(2026, 1, 1), "", " ", "\ud800", "a\x00"]


def _dict_cases() -> Iterator[Any]:
    for cls, examples in VALID.items():
        for i, base in enumerate(examples):
            for f in _fields_with_hints(cls):
                if typing.get_origin(f.type_hint) is dict:
                    yield pytest.param(base, f.name, id=f"{cls.__name__}{i or ''}.{f.name}")


@pytest.mark.parametrize(("base", "field"), list(_dict_cases()))
@pytest.mark.parametrize("key", [*ODD_KEYS, "x" * (LONG_TEXT + 1)], ids=lambda k: type(k).__name__)
def test_a_dict_field_takes_any_key_or_names_itself(base: Record, field: str, key: Any) -> None:
    value = next(iter(getattr(base, field).values()), 1)
    _check(dataclasses.replace(base, **{field: {key: value}}), _allowed(base, field))


@pytest.mark.parametrize(
    ("nested", "field"),
    [pytest.param(n, f, id=f"{n.__name__}.{f.name}") for n in NESTED for f in _fields_with_hints(n)],
)
@EXAMPLES
@given(data=st.data())
def test_a_nested_field_takes_any_value_or_names_its_list(nested: type[Any], field: _F, data: st.DataObject) -> None:
    owner, path = NESTED[nested]
    value = data.draw(st.one_of(ANY, _plausible(field.type_hint)), label=field.name)
    record = _replace_list(
        VALID[owner][0], path, lambda items: [dataclasses.replace(items[0], **{field.name: value}), *items[1:]]
    )
    _check(record, {path.partition(".")[0]})


@pytest.mark.parametrize(
    ("owner", "list_field"), [pytest.param(o, f, id=f"{o.__name__}.{f}") for o, f in NESTED.values()]
)
@EXAMPLES
@given(items=st.lists(ANY, max_size=3))
def test_a_list_of_anything_is_refused_by_name(owner: type[Record], list_field: str, items: list[Any]) -> None:
    _check(_replace_list(VALID[owner][0], list_field, lambda _: items), {list_field.partition(".")[0]})


# -- a refused save writes nothing -------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    """One SQLite store for every example (each example compares before with after)."""
    path: Path = tmp_path_factory.mktemp("props") / "props.db"
    with Store(f"sqlite:///{path}") as store:
        client = store.add_client(Client(name="Property Client"))
        for examples in VALID.values():
            for record in examples:
                if not isinstance(record, Client):
                    store.save(client.id, record)
        yield store, client.id


def _snapshot(store: Store, client_id: str, base: Record, record: Record) -> tuple[int, list[Any]]:
    """Row count, and the history of the record before and after the change of field."""
    ids = [base.id] + ([record.id] if isinstance(record.id, str) and record.id != base.id else [])
    histories = [store.history(client_id, type(base), i) for i in ids]
    return len(store.export_rows()["records"]), [[(h.revision, h.author, h.record) for h in h_] for h_ in histories]


@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_a_refused_save_writes_nothing(shared_store: tuple[Store, str], data: st.DataObject) -> None:
    store, client_id = shared_store
    cls = data.draw(st.sampled_from([c for c in RECORD_TYPES if c is not Client]), label="kind")
    base = VALID[cls][0]
    field = data.draw(st.sampled_from(_fields_with_hints(cls)), label="field")
    value = data.draw(st.one_of(ANY, _plausible(field.type_hint)), label="value")
    record = dataclasses.replace(base, **{field.name: value})
    try:
        record.validate()
    except ValidationError:
        accepted = False
    else:
        accepted = True
    before = _snapshot(store, client_id, base, record)
    if accepted:
        try:
            store.save(client_id, record)
        except Conflict:  # an accepted agreement, an adjustment, a locked model, final answers must not change
            assert cls in (Agreement, GoalAdjustment, CompetencyModel, RaterResponse, PulseResponse)
            assert _snapshot(store, client_id, base, record) == before
            return
        assert store.find(client_id, cls, record.id) == cls.from_data(json.loads(json.dumps(record.to_data())))
        return
    good = Reflection(id="alongside", on=date(2026, 1, 1), text=f"saved with a bad {field.name}")
    with pytest.raises(ValidationError):
        store.save(client_id, record)
    with pytest.raises(ValidationError):  # with a good record alongside: neither is kept
        store.save_all(client_id, [good, record])
    assert _snapshot(store, client_id, base, record) == before
    assert store.find(client_id, Reflection, "alongside") is None
