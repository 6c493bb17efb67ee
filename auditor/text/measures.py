"""Find measures in Chinese text: quantities with units, comparators, deadlines and periods.

Pure functions over normalised text (see :func:`auditor.text.normalize.normalize`); offsets are
character offsets into that text. The spaCy components in :mod:`auditor.text.nlp` call these and
attach the results to the Doc. Vocabulary comes from ``rules/quantities.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import slot_init
from auditor.resources import load_pack, pack_cache


@slot_init
@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, e.g. 200家 (value 200, unit 家) or 95% (unit %)."""

    start: int
    end: int
    value: float
    unit: str  # "%" for percentages, "" for a bare number


@slot_init
@dataclass(frozen=True, slots=True)
class Mark:
    """A comparator, deadline or phrase found in the text."""

    start: int
    end: int
    label: str  # comparator kind (ge, le …), "deadline", or a phrase's pack label
    text: str


@pack_cache
def _pack() -> dict:
    return load_pack("quantities")


@pack_cache
def _patterns() -> dict[str, re.Pattern[str]]:
    pack = _pack()
    units = sorted({str(u) for u in pack["units"]}, key=len, reverse=True)
    digits = "".join(pack["chinese_digits"]) + "".join(pack["chinese_units"])
    unit_alt = "|".join(re.escape(u) for u in units)
    comparator_words = sorted(
        ((word, kind) for kind, words in pack["comparators"].items() for word in words), key=lambda p: -len(p[0])
    )
    return {
        "arabic": re.compile(rf"(?<![\d.])(\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(%|‰|{unit_alt})?"),
        "percent_words": re.compile(rf"百分之([{digits}点]+)"),
        "chinese": re.compile(rf"(?<![{digits}])([{digits}]+)\s*({unit_alt})"),
        "rank": re.compile(rf"(?:前|第)([{digits}\d]+)(?:名)?"),
        "comparator": re.compile("|".join(re.escape(word) for word, _ in comparator_words)),
        "deadline": re.compile("|".join(f"(?:{p})" for p in pack["deadlines"])),
        "not_measure": re.compile("|".join(f"(?:{p})" for p in pack["not_measures"])),
        "zero": re.compile(r"零(事故|伤亡|投诉|差错)|无(人员)?(伤亡|死亡|事故|投诉)|不发生|未发生"),
    }


@pack_cache
def _comparator_kind() -> dict[str, str]:
    return {word: kind for kind, words in _pack()["comparators"].items() for word in words}


def chinese_number(text: str) -> float | None:
    """``两`` → 2, ``十二`` → 12, ``三百五十`` → 350, ``十万`` → 100000, ``九十五点五`` → 95.5."""
    pack = _pack()
    digits, units = pack["chinese_digits"], pack["chinese_units"]
    if "点" in text:
        whole, _, frac = text.partition("点")
        head = chinese_number(whole) if whole else 0.0
        if head is None or not frac or any(ch not in digits for ch in frac):
            return None
        return head + float("0." + "".join(str(digits[ch]) for ch in frac))
    total, section, number = 0, 0, 0
    seen = False
    for ch in text:
        if ch in digits:
            number, seen = digits[ch], True
        elif ch in units:
            unit = units[ch]
            if unit >= 10000:
                section = (section + number) * unit
                total, section = total + section, 0
            else:
                section += (number or 1) * unit
            number, seen = 0, True
        else:
            return None
    return float(total + section + number) if seen else None


#: A year or a date at a figure (the figure is part of a deadline, not a quantity).
_DATE_AHEAD = re.compile(r"\d{4}年|\d{1,2}月\d|\d{1,2}日")


def masked_form(text: str) -> str:
    """The text with enumerators and citations blanked out (same length, so offsets hold)."""
    return _patterns()["not_measure"].sub(lambda m: " " * len(m.group(0)), text)


def find_quantities(text: str, masked: str | None = None) -> list[Quantity]:
    """Quantities in ``text``; ``masked`` is its :func:`masked_form` form when the caller has it already."""
    pats = _patterns()
    if masked is None:
        masked = masked_form(text)
    found: list[Quantity] = []
    occupied = bytearray(len(masked) + 1)  # characters already inside a quantity: linear, whatever the count

    def free(start: int, end: int) -> bool:
        return occupied.find(1, start, end) < 0

    def take(span: tuple[int, int]) -> None:
        occupied[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

    for match in pats["percent_words"].finditer(masked):
        value = chinese_number(match.group(1))
        if value is not None:
            found.append(Quantity(match.start(), match.end(), value, "%"))
            take(match.span())
    for match in pats["arabic"].finditer(masked):
        if not free(*match.span()):
            continue
        # A year or date is a deadline, not a quantity.
        unit = match.group(2) or ""
        if unit in ("年", "月", "日") and _DATE_AHEAD.match(masked, match.start()):
            continue
        value = float(match.group(1).replace(",", ""))
        found.append(Quantity(match.start(), match.end(), value, unit))
        take(match.span())
    for match in pats["chinese"].finditer(masked):
        if not free(*match.span()):
            continue
        value = chinese_number(match.group(1))
        if value is not None and not (
            match.group(1) in ("一", "万", "千", "百") and match.group(2) in ("些", "批", "点")
        ):
            found.append(Quantity(match.start(), match.end(), value, match.group(2)))
            take(match.span())
    for match in pats["rank"].finditer(masked):
        if free(*match.span()):
            number = match.group(1)
            value = float(number) if number.isdigit() else chinese_number(number)
            if value is not None:
                found.append(Quantity(match.start(), match.end(), value, "名次"))
    return sorted(found, key=lambda q: q.start)


def find_comparators(text: str) -> list[Mark]:
    kinds = _comparator_kind()
    return [Mark(m.start(), m.end(), kinds[m.group(0)], m.group(0)) for m in _patterns()["comparator"].finditer(text)]


def find_deadlines(text: str, masked: str | None = None) -> list[Mark]:
    """Deadlines and periods in ``text``; ``masked`` is its :func:`masked_form` form when the caller has it already."""
    if masked is None:
        masked = masked_form(text)
    return [Mark(m.start(), m.end(), "deadline", m.group(0)) for m in _patterns()["deadline"].finditer(masked)]


def has_zero_target(text: str) -> bool:
    """``零事故``, ``无人员伤亡``, ``不发生…``: a zero target is a measure too."""
    return bool(_patterns()["zero"].search(text))
