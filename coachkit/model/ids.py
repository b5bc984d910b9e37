"""Client ids: short, safe slugs made from a name, never the raw name."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 40


def slugify(name: str) -> str:
    """A lowercase ASCII slug of ``name`` (letters, digits, hyphens), or ``client`` when nothing
    usable is left. Path separators, dots and quotes never survive."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    return slug or "client"


def unique_slug(name: str, taken: set[str]) -> str:
    """:func:`slugify` of ``name``, with ``-2``, ``-3``... added until it is not in ``taken``."""
    base = slugify(name)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def is_client_id(value: str) -> bool:
    """True for a string that has the shape of a client id."""
    return bool(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value)) and len(value) <= MAX_SLUG + 8
