"""IPIP-50 scoring against answers worked out by hand, the shipped items and the percentile."""

from __future__ import annotations

from datetime import date

import pytest

from coachkit.errors import ValidationError
from coachkit.instruments import IPIP50_FACTORS, ipip50_items
from coachkit.model.ipip import FactorScore, IpipProfile, IpipResponse, practice_percentiles, score_ipip50

CODES = {
    "Extraversion": "EXT",
    "Agreeableness": "AGR",
    "Conscientiousness": "CSN",
    "Emotional Stability": "EST",
    "Intellect/Imagination": "OPN",
}


def _answers(per_factor: dict[str, list[int]]) -> dict[str, int]:
    return {f"{CODES[f]}{n}": a for f, answers in per_factor.items() for n, a in enumerate(answers, 1)}


def _scores(profile: IpipProfile | None) -> dict[str, tuple[int, float]]:
    assert profile is not None
    return {s.factor: (s.score, s.mean) for s in profile.scores}


def test_items_ship_in_the_package_in_administration_order() -> None:
    items = ipip50_items()
    assert len(items) == 50 and len({i.code for i in items}) == 50
    assert [i.code for i in items[:7]] == ["EXT1", "AGR1", "CSN1", "EST1", "OPN1", "EXT2", "AGR2"]
    assert [i.factor for i in items[:5]] == list(IPIP50_FACTORS)
    # reverse-keyed items per factor, as in the IPIP scoring key
    minus = {f: sorted(i.code for i in items if i.factor == f and i.keyed < 0) for f in IPIP50_FACTORS}
    assert minus["Extraversion"] == ["EXT10", "EXT2", "EXT4", "EXT6", "EXT8"]
    assert minus["Agreeableness"] == ["AGR1", "AGR3", "AGR5", "AGR7"]
    assert minus["Conscientiousness"] == ["CSN2", "CSN4", "CSN6", "CSN8"]
    assert minus["Emotional Stability"] == ["EST1", "EST10", "EST3", "EST5", "EST6", "EST7", "EST8", "EST9"]
    assert minus["Intellect/Imagination"] == ["OPN2", "OPN4", "OPN6"]


def test_all_ones() -> None:
    # + items score 1, - items score 5: E 5x1+5x5=30, A 6+20=26, C 6+20=26, ES 2+40=42, I 7+15=22
    profile = score_ipip50({i.code: 1 for i in ipip50_items()})
    assert _scores(profile) == {
        "Extraversion": (30, 3.0),
        "Agreeableness": (26, 2.6),
        "Conscientiousness": (26, 2.6),
        "Emotional Stability": (42, 4.2),
        "Intellect/Imagination": (22, 2.2),
    }


def test_all_fives() -> None:
    # + items score 5, - items score 1: E 25+5=30, A 30+4=34, C 30+4=34, ES 10+8=18, I 35+3=38
    profile = score_ipip50({i.code: 5 for i in ipip50_items()})
    assert _scores(profile) == {
        "Extraversion": (30, 3.0),
        "Agreeableness": (34, 3.4),
        "Conscientiousness": (34, 3.4),
        "Emotional Stability": (18, 1.8),
        "Intellect/Imagination": (38, 3.8),
    }


def test_a_mixed_vector_worked_by_hand() -> None:
    answers = _answers(
        {
            # keys + - + - + - + - + -; item scores 5 5 5 5 4 4 4 4 3 3 = 42
            "Extraversion": [5, 1, 5, 1, 4, 2, 4, 2, 3, 3],
            # keys - + - + - + - + + +; item scores 4 4 5 5 4 4 3 3 5 1 = 38
            "Agreeableness": [2, 4, 1, 5, 2, 4, 3, 3, 5, 1],
            # keys + - + - + - + - + +; item scores 1 5 1 5 1 5 1 5 1 1 = 26
            "Conscientiousness": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            # keys - + - + - - - - - -; item scores 2 2 2 2 2 2 2 2 2 2 = 20
            "Emotional Stability": [4, 2, 4, 2, 4, 4, 4, 4, 4, 4],
            # keys + - + - + - + + + +; item scores 3 4 2 5 1 3 4 2 5 3 = 32
            "Intellect/Imagination": [3, 2, 2, 1, 1, 3, 4, 2, 5, 3],
        }
    )
    assert _scores(score_ipip50(answers)) == {
        "Extraversion": (42, 4.2),
        "Agreeableness": (38, 3.8),
        "Conscientiousness": (26, 2.6),
        "Emotional Stability": (20, 2.0),
        "Intellect/Imagination": (32, 3.2),
    }


def test_no_score_until_all_fifty_are_answered() -> None:
    answers = {i.code: 3 for i in ipip50_items()}
    del answers["OPN10"]
    assert score_ipip50(answers) is None
    IpipResponse(answers=answers, started_on=date(2026, 1, 1)).validate()  # partly answered is fine
    with pytest.raises(ValidationError) as err:
        IpipResponse(answers=answers, completed_on=date(2026, 1, 2)).validate()
    assert err.value.field == "completed_on"
    with pytest.raises(ValidationError):
        IpipResponse(answers={"EXT1": 6}).validate()
    with pytest.raises(ValidationError):
        IpipResponse(answers={"XYZ1": 3}).validate()


def _profile(score: int) -> IpipProfile:
    return IpipProfile(tuple(FactorScore(f, score, score / 10) for f in IPIP50_FACTORS))


def test_percentile_within_the_practice_needs_thirty_profiles() -> None:
    population = [_profile(10 + k) for k in range(29)]
    assert practice_percentiles(population[5], population) is None
    population.append(_profile(40))  # 30 profiles: 10..38 and 40
    # 20 is above 10 profiles (10..19) and ties with itself: (10 + 0.5) / 30
    assert practice_percentiles(_profile(20), population) == {f: 35.0 for f in IPIP50_FACTORS}
    assert practice_percentiles(_profile(40), population) == {f: round(100 * 29.5 / 30, 1) for f in IPIP50_FACTORS}
