"""Client ids are safe slugs made by the program, whatever the name looks like."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coachkit.model.ids import MAX_SLUG, is_client_id, slugify, unique_slug

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

AWKWARD_NAMES = [
    'O\'Brien "Bobby" D`Arcy',
    "Line one\nline two\r\nline three\ttab",
    "Ana 🚀 Ruiz 👩🏽‍💼",
    "محمد عبد الله",  # Arabic, right to left
    "דוד לוי",  # Hebrew, right to left
    "\u202eevil\u202c name",  # right-to-left override
    "../../etc",
    "..\\..\\Windows\\System32",
    "/etc/passwd",
    "C:\\Users\\ana",
    ".",
    "..",
    "~root",
    "name/with/slashes",
    "NUL",
    "con",
    "Robert'); DROP TABLE clients;--",
    "x" * 10_000,
    "Ünïcödé Çafé Ørsted Łódź",
    "ﬁnance ＦＵＬＬＷＩＤＴＨ",
    "-",
    "   ",
]
SAME_SLUG = [
    "Ana Ruiz",
    "ana ruiz",
    "ANA RUIZ",
    "Ána Ruíz",
    "ana_ruiz",
    "  Ana   Ruiz  ",
    "ana.ruiz",
    "Ana\nRuiz",
    "ana-ruiz",
]


def _safe(slug: str) -> None:
    assert SLUG.fullmatch(slug), slug
    assert is_client_id(slug)
    assert not {"/", "\\", ".", "\x00"} & set(slug)


def test_awkward_names_give_safe_slugs() -> None:
    for name in AWKWARD_NAMES:
        slug = slugify(name)
        _safe(slug)
        assert len(slug) <= MAX_SLUG


def test_examples_of_slugs() -> None:
    assert slugify("Ana Ruiz") == "ana-ruiz"
    assert slugify("Ünïcödé Çafé") == "unicode-cafe"
    assert slugify("../../etc") == "etc"
    assert slugify("محمد") == "client"  # nothing ASCII is left
    assert slugify("x" * 10_000) == "x" * MAX_SLUG
    assert slugify("a " * 30).endswith("a")  # cut at the limit, never on a hyphen


def test_names_that_slug_alike_get_distinct_ids() -> None:
    assert {slugify(n) for n in SAME_SLUG} == {"ana-ruiz"}
    taken: set[str] = set()
    for name in SAME_SLUG + AWKWARD_NAMES:
        slug = unique_slug(name, taken)
        _safe(slug)
        assert slug not in taken
        taken.add(slug)
    assert {"ana-ruiz", "ana-ruiz-2", "ana-ruiz-9", "client", "client-2"} <= taken


def test_client_id_shape_is_checked() -> None:
    for good in ("ana-ruiz", "client-12", "a", "x" * 48):
        assert is_client_id(good)
    for bad in ("", "-a", "a-", "a--b", "A", "a_b", "a/b", "../etc", "a.b", "é", "x" * 49, "a\n"):
        assert not is_client_id(bad), bad


@given(st.text(max_size=300))
@settings(max_examples=100, deadline=None)
def test_any_name_slugs_safely(name: str) -> None:
    slug = slugify(name)
    _safe(slug)
    assert len(slug) <= MAX_SLUG


@given(st.lists(st.text(max_size=20), max_size=30))
@settings(max_examples=50, deadline=None)
def test_unique_slugs_never_collide(names: list[str]) -> None:
    taken: set[str] = set()
    for name in names:
        slug = unique_slug(name, taken)
        _safe(slug)
        assert slug not in taken
        taken.add(slug)
