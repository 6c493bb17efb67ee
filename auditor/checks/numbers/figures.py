"""Pair a target's figures with a completion's figures for the same measure and unit."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.text.measures import Mark, Quantity
from auditor.text.nlp import TextFacts

LESS_IS_BETTER = ("le", "lt")


@dataclass(frozen=True)
class Comparison:
    target: Quantity
    completion: Quantity
    direction: str  # "ge" (at least) or "le" (at most)

    @property
    def shortfall(self) -> bool:
        if self.direction == "le":
            return self.completion.value > self.target.value
        return self.completion.value < self.target.value

    @property
    def ratio(self) -> float:
        """Completion proportion, for scoring: actual/target for ≥, target/actual for ≤ (capped at 1)."""
        t, c = self.target.value, self.completion.value
        if self.direction == "le":
            return 1.0 if c <= t else (t / c if c else 0.0)
        return 1.0 if c >= t else (c / t if t else 0.0)


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


def compare(target: TextFacts, completion: TextFacts) -> list[Comparison]:
    """Comparisons of figures with the same unit; ambiguous pairings are left out."""
    out = []
    units = {q.unit for q in target.quantities if q.unit and q.unit not in ("名次",)}
    for unit in units:
        ts = [q for q in target.quantities if q.unit == unit]
        cs = [q for q in completion.quantities if q.unit == unit]
        if not cs:
            continue
        if len(ts) == 1 and len(cs) == 1:
            out.append(Comparison(ts[0], cs[0], direction_of(target, ts[0])))
        elif len(ts) == len(cs):
            for t, c in zip(ts, cs, strict=True):
                if _context(target, t)[-2:] and _context(target, t)[-2:] == _context(completion, c)[-2:]:
                    out.append(Comparison(t, c, direction_of(target, t)))
    return out


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
