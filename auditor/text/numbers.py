"""Parse the numbers people write in budget tables.

Handles thousands separators (``1,273.65``), full-width digits and punctuation (``９９．８６％``),
percent signs, and the many ways of writing "nothing" (``—``, ``-``, ``无``, ``/``, empty).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Cell contents that mean "no value" rather than zero.
NULL_MARKERS = frozenset({"", "-", "—", "——", "–", "/", "\\", "无", "空", "—-", "--", "n/a", "na", "null"})

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_MONEY_SUFFIX = re.compile(r"(万元|元|万)$")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    return text


def is_null_marker(text: str) -> bool:
    """True for empty cells and placeholders such as ``—`` or ``无``."""
    return _clean(text).lower() in NULL_MARKERS


@lru_cache(maxsize=65536)
def parse_number(text: str) -> float | None:
    """A plain number (amount, weight, score): ``1,273.65`` → 1273.65; ``120万元`` → 120.0.

    Returns ``None`` for placeholders and for anything that is not just a number.
    """
    cleaned = _MONEY_SUFFIX.sub("", _clean(text))
    if cleaned.endswith("分"):
        cleaned = cleaned[:-1]
    if cleaned.lower() in NULL_MARKERS or not _NUMBER.match(cleaned) or not any(c.isdigit() for c in cleaned):
        return None
    return float(cleaned.replace(",", ""))


def parse_percent(text: str) -> float | None:
    """A percentage as a number of percent: ``99.86%`` → 99.86, ``0.9986`` → 99.86, ``88`` → 88.0.

    A bare number of at most 1.5 is read as a fraction (how spreadsheets store ``99.86%``).
    """
    cleaned = _clean(text)
    if cleaned.endswith("%"):
        value = parse_number(cleaned[:-1])
        return value
    value = parse_number(cleaned)
    if value is None:
        return None
    return value * 100 if abs(value) <= 1.5 else value


def decimals_of(text: str) -> int:
    """How many decimals a published figure carries (``99.86%`` → 2), for rounding tolerance."""
    cleaned = _clean(text).rstrip("%")
    if "." not in cleaned:
        return 0
    return len(cleaned.split(".", 1)[1])
