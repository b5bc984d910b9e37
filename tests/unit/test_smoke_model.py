"""First checks of the model's codec and the agreement's hash."""

from datetime import UTC, date, datetime

import pytest

from coachkit.errors import ValidationError
from coachkit.model import Agreement, CheckIn, Goal, GoalProgress, accept_agreement, agreement_sha256


def test_record_round_trips_through_plain_data() -> None:
    check_in = CheckIn(id="c1", on=date(2026, 1, 5), progress=[GoalProgress("g1", 4)], blockers="<b>“x”</b> 🚀")
    again = CheckIn.from_data(check_in.to_data())
    assert again == check_in


def test_accepted_agreement_hash_covers_its_text() -> None:
    draft = Agreement(id="1", version=1, objectives="Lead the team")
    accepted = accept_agreement(draft, "Ana", datetime(2026, 1, 1, tzinfo=UTC))
    assert accepted.accepted_sha256 == agreement_sha256(accepted)
    accepted.validate()
    tampered = Agreement.from_data({**accepted.to_data(), "objectives": "Something else"})
    with pytest.raises(ValidationError) as err:
        tampered.validate()
    assert err.value.field == "accepted_sha256"


def test_goal_requires_objective() -> None:
    with pytest.raises(ValidationError) as err:
        Goal(objective="  ").validate()
    assert err.value.field == "objective"
