"""Pair a target's figures with a completion's figures for the same measure and unit.

Figures compare by value (≥ targets want more, ≤ targets less); dates compare by the calendar: a
deadline (``11月底前``, ``2023年12月31日前``) is met by any completion no later than it (``10月`` is early,
not short) and missed by one that certainly falls after it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from auditor.model import Cell, slot_init
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo
from auditor.text.measures import Mark, Quantity
from auditor.text.nlp import TextFacts

LESS_IS_BETTER = ("le", "lt")
DATE = "日期"  # the unit of a Quantity that stands for a calendar date (value = yyyymmdd)


@pack_cache
def numbers_pack() -> dict:
    return load_pack("numbers")


@slot_init
@dataclass(frozen=True, slots=True)
class Comparison:
    target: Quantity
    completion: Quantity
    direction: str  # "ge" (at least) or "le" (at most; dates are always "le": no later than)
    target_text: str = ""  # how the figure or date is written, for messages
    completion_text: str = ""

    @property
    def is_date(self) -> bool:
        return self.target.unit == DATE

    @property
    def shortfall(self) -> bool:
        if self.direction == "le":
            return self.completion.value > self.target.value
        return self.completion.value < self.target.value

    @property
    def ratio(self) -> float | None:
        """Completion proportion for scoring: actual/target for ≥, target/actual for ≤ (capped at 1).

        ``None`` for a late date: how much of the weight a delay earns is no proportion.
        """
        t, c = self.target.value, self.completion.value
        if self.is_date:
            return None if self.shortfall else 1.0
        if self.direction == "le":
            return 1.0 if c <= t else (t / c if c else 0.0)
        return 1.0 if c >= t else (c / t if t else 0.0)

    @property
    def raw_ratio(self) -> float | None:
        """The uncapped proportion (actual/target or target/actual), ``None`` for dates or a zero."""
        t, c = self.target.value, self.completion.value
        if self.is_date or not t or not c:
            return None
        return t / c if self.direction == "le" else c / t

    def shown(self, side: str) -> str:
        """The target (with its comparator) or the completion as a reader would write it."""
        if side == "target":
            if self.target_text:
                return self.target_text
            sign = {"ge": "≥", "le": "≤"}.get(self.direction, "")
            return f"{sign}{self.target.value:g}{self.target.unit}"
        return self.completion_text or f"{self.completion.value:g}{self.completion.unit}"


_WITHIN = ("内", "以内", "之内", "前", "之前", "以前")


def direction_of(facts: TextFacts, quantity: Quantity) -> str:
    """≥ unless a ≤-type comparator stands by the figure, or it is a time limit (10个工作日内)."""
    for mark in facts.comparators:
        if _near(mark, quantity) and mark.label in LESS_IS_BETTER:
            return "le"
    if facts.text[quantity.end : quantity.end + 2].startswith(_WITHIN):
        return "le"
    if any(word in facts.text for word in ("下降", "减少", "降低")) and quantity.unit == "%":
        return "ge"  # "下降10%以上": the decrease is at least 10%
    return "ge"


def _near(mark: Mark, quantity: Quantity) -> bool:
    return 0 <= quantity.start - mark.end <= 2 or 0 <= mark.start - quantity.end <= 2


def _context(facts: TextFacts, quantity: Quantity, width: int = 4) -> str:
    before = facts.text[max(0, quantity.start - width) : quantity.start]
    return "".join(ch for ch in before if "\u4e00" <= ch <= "\u9fff")


# ---------------------------------------------------------------------------------------- dates

_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年度?\s*)?(?P<m>\d{1,2})\s*月(?:份)?\s*(?:(?P<d>\d{1,2})\s*[日号]|(?P<part>底|末|初|上旬|中旬|下旬))?"
    r"|(?P<y2>\d{4})\s*[./-]\s*(?P<m2>\d{1,2})\s*[./-]\s*(?P<d2>\d{1,2})(?!\d)"
    r"|(?P<y3>\d{4})\s*年度?\s*(?P<ypart>年底|年末|底|末)?"
)
_RANGE = re.compile(r"^\s*(?:-|—|–|~|\uff5e|至|到)\s*")


@slot_init
@dataclass(frozen=True, slots=True)
class Span:
    """A calendar interval a text names: (year or None, month, day) at its start and its end."""

    start: int
    end: int
    year: int | None
    first: tuple[int, int]  # (month, day)
    last: tuple[int, int]
    text: str

    def ordinal(self, year: int, which: str) -> int:
        month, day = self.first if which == "first" else self.last
        return year * 10000 + month * 100 + day


def _month_end(year: int | None, month: int) -> int:
    return calendar.monthrange(year or 2001, month)[1]


def _span_of(match: re.Match[str]) -> Span | None:
    groups = match.groupdict()
    if groups["y3"]:
        part = groups["ypart"]
        first = (12, 1) if part else (1, 1)
        return Span(match.start(), match.end(), int(groups["y3"]), first, (12, 31), match.group(0))
    year_text = groups["y"] or groups["y2"]
    month = int(groups["m"] or groups["m2"])
    day_text = groups["d"] or groups["d2"]
    year = int(year_text) if year_text else None
    if not 1 <= month <= 12:
        return None
    end = _month_end(year, month)
    if day_text:
        day = int(day_text)
        if not 1 <= day <= end:
            return None
        first = last = (month, day)
    else:
        part = groups["part"]
        days = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, end), "底": (21, end), "末": (21, end)}
        low, high = days.get(part or "", (1, end))
        first, last = (month, low), (month, high)
    return Span(match.start(), match.end(), year, first, last, match.group(0))


def find_dates(text: str) -> list[Span]:
    return list(_find_dates(text))


@pack_cache
def _find_dates(text: str) -> tuple[Span, ...]:
    """Calendar dates and months in a text, ranges (``2023年1月-12月``) joined into one span."""
    spans: list[Span] = []
    for match in _DATE.finditer(text):
        span = _span_of(match)
        if span is None:
            continue
        if spans and _RANGE.fullmatch(text[spans[-1].end : span.start] or "x"):
            previous = spans.pop()
            year = span.year or previous.year
            span = Span(previous.start, span.end, previous.year or year, previous.first, span.last,
                        text[previous.start : span.end])  # fmt: skip
        spans.append(span)
    return tuple(spans)


def _unusable(text: str, span: Span) -> bool:
    """A date that is no deadline (开工不早于…后) or whose year is only relative (次年3月底前)."""
    pack = numbers_pack()
    after = text[span.end : span.end + 3].lstrip()
    if after.startswith(tuple(pack.get("date_not_before", ()))):
        return True
    before = text[max(0, span.start - 3) : span.start]
    return span.year is None and any(word in before for word in pack.get("relative_years", ()))


def compare_dates(target: TextFacts, completion: TextFacts, year: int | None = None) -> list[Comparison]:
    """A deadline against the date it was done: met when no later, short when certainly later."""
    ts = find_dates(target.text)
    cs = find_dates(completion.text)
    if not ts or len(ts) != len(cs) or any(_unusable(target.text, s) for s in ts):
        return []
    out = []
    for t, c in zip(ts, cs, strict=True):
        t_year, c_year = t.year, c.year
        if t_year is None and c_year is None:
            t_year = c_year = year or 2000
        elif t_year is None:
            if year is None:
                continue
            t_year = year
        elif c_year is None:
            c_year = t_year
        assert t_year is not None and c_year is not None
        deadline = t.ordinal(t_year, "last")
        if c.ordinal(c_year, "last") <= deadline:
            done = c.ordinal(c_year, "last")
        elif c.ordinal(c_year, "first") > deadline:
            done = c.ordinal(c_year, "first")
        else:
            continue  # 11月15日前 / 11月: cannot tell
        out.append(
            Comparison(
                Quantity(t.start, t.end, float(deadline), DATE), Quantity(c.start, c.end, float(done), DATE),
                "le", t.text + _suffix(target.text, t), c.text,
            )
        )  # fmt: skip
    return out


def _suffix(text: str, span: Span) -> str:
    match = re.match(r"(?:前|之前|以前|内|止)", text[span.end : span.end + 2])
    return match.group(0) if match else ""


def _outside(quantities: tuple[Quantity, ...], spans: list[Span]) -> list[Quantity]:
    """Figures that are not part of a date (the 11 of 11月底前 is a month, not a count)."""
    if not spans:
        return list(quantities)
    return [q for q in quantities if not any(q.start < s.end and s.start < q.end for s in spans)]


# ------------------------------------------------------------------------------------- figures


def compare(target: TextFacts, completion: TextFacts, year: int | None = None) -> list[Comparison]:
    """Comparisons of figures with the same unit, and of deadlines; ambiguous pairings are left out.

    Each (target, completion, year) is worked out once: the same pair recurs across rules and projects.
    The memo is keyed by the two texts (one text has one analysis), whose hashes strings keep.
    """
    key = (target.text, completion.text, year)
    found = _COMPARISONS.get(key)
    if found is None:
        found = _COMPARISONS.put(key, tuple(_compare_uncached(target, completion, year)))
    return list(found)


_COMPARISONS: PackMemo[tuple[str, str, int | None], tuple[Comparison, ...]] = pack_memo()


def _compare_uncached(target: TextFacts, completion: TextFacts, year: int | None = None) -> list[Comparison]:
    if not target.quantities and not find_dates(target.text):
        return []  # nothing in the target to compare (what the steps below find for it too, quicker)
    out = compare_dates(target, completion, year)
    t_quantities = _outside(target.quantities, find_dates(target.text))
    c_quantities = _outside(completion.quantities, find_dates(completion.text))
    # In the order the target names them (a set would order units by the process's hash seed).
    units = list(dict.fromkeys(q.unit for q in t_quantities if q.unit and q.unit not in ("名次",)))
    for unit in units:
        ts = [q for q in t_quantities if q.unit == unit]
        cs = [q for q in c_quantities if q.unit == unit]
        if not cs:
            continue
        if len(ts) == 1 and len(cs) == 1:
            out.append(_figures(target, ts[0], completion, cs[0]))
        elif len(ts) == len(cs):
            for t, c in zip(ts, cs, strict=True):
                if _context(target, t)[-2:] and _context(target, t)[-2:] == _context(completion, c)[-2:]:
                    out.append(_figures(target, t, completion, c))
    return out


def _figures(target: TextFacts, t: Quantity, completion: TextFacts, c: Quantity) -> Comparison:
    """A comparison that quotes both figures as written (with the target's own comparator, if any)."""
    start = t.start
    for mark in target.comparators:
        if 0 <= t.start - mark.end <= 1:
            start = mark.start
    shown = target.text[start : t.end]
    if start == t.start and direction_of(target, t) == "le":
        shown = "≤" + shown
    return Comparison(t, c, direction_of(target, t), shown, completion.text[c.start : c.end])


def compare_by_context(target: TextFacts, other: TextFacts) -> list[Comparison]:
    """Across cells: figures with the same unit and the same two words before them (备案750家/备案567家)."""
    out = []
    for t in target.quantities:
        key = _context(target, t)[-2:]
        if len(key) < 2 or not t.unit:
            continue
        for c in other.quantities:
            if c.unit == t.unit and _context(other, c)[-2:] == key and c.value != t.value:
                out.append(Comparison(t, c, direction_of(target, t)))
    return out


# --------------------------------------------------------------------------------------- money


def money_factor(unit: str) -> float | None:
    """How many 元 one of ``unit`` is (万元 → 10000), ``None`` for a unit that is not money."""
    factor = numbers_pack()["money_units"].get(unit)
    return float(factor) if factor is not None else None


_SUFFIX = re.compile(r"(百万元|千元|万元|亿元|元|万|亿)\s*$")


def amount_in_yuan(cell: Cell | None, money_unit: str) -> float | None:
    """A fund cell's amount in 元: its own unit suffix (125.25万), else the table's unit (万元)."""
    if cell is None or cell.number is None:
        return None
    match = _SUFFIX.search(cell.text)
    factor = money_factor(match.group(1) if match else money_unit) or money_factor("万元")
    return cell.number * (factor or 1.0)
