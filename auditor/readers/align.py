"""Put the cells of a short row back under the right header: a small dynamic programme.

Text pulled from PDF or HTML loses empty (and sometimes non-empty) cells, so a row arrives with
fewer cells than its header and everything after the gap sits one column to the left. We align the
row's cells to the header's slots in order, allowing slots to be skipped ("lost") at a cost, and
score every placement by what the cell says: numbers under amounts, a percentage under 执行率,
``不适用`` in pairs, ``满意`` under 满意度, bare result words under 完成情况, and texts that other rows of
the same table place in a given slot. The cheapest consistent placement wins.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize
from auditor.text.numbers import parse_number

_VALUE_START = re.compile(r"^([≥≤><=]|不低于|不少于|不超过|达到|\d)")

#: Reward for a cell standing under its own header column, for rows as long as the header.
POSITIONAL_BONUS = 0.8
MONEY_SLOTS = frozenset({"budget_annual", "budget_initial", "executed_total", "executed_fiscal", "executed_other"})
TEXT_SLOTS = frozenset({"unit", "name", "goal", "goal_completion", "problems", "rectification", "department"})


@dataclass(frozen=True)
class Slot:
    """One place in the header: a project field, or one category's target/completion pair."""

    key: str  # field key, or the category for a pair
    pair: bool = False
    columns: tuple[int | None, ...] = (None,)  # header column(s), 1-based, where known


@dataclass
class Placement:
    """The outcome for one row: which cell index fills each slot side (None = lost/absent)."""

    assignment: dict[tuple[str, str], int | None]  # (slot key, side) → cell index
    lost: list[tuple[str, str]]  # slots presumed lost inside the row
    dropped: list[int]  # cell indices that fit no slot
    score: float


@pack_cache
def cues() -> dict[str, Any]:
    pack = load_pack("alignment")
    return {
        "lost": float(pack["lost_cell_cost"]),
        "extra": float(pack["extra_cell_cost"]),
        "category": {k: tuple(v) for k, v in pack["category_cues"].items()},
        "category_patterns": {k: tuple(re.compile(p) for p in v) for k, v in pack.get("category_patterns", {}).items()},
        "side_patterns": {
            side: tuple((re.compile(item["pattern"]), float(item["weight"])) for item in items)
            for side, items in pack.get("side_patterns", {}).items()
        },
        "completion_words": frozenset(normalize(w) for w in pack["completion_words"]),
        "completion_prefixes": tuple(pack["completion_prefixes"]),
        "name_suffixes": tuple(normalize(s) for s in pack["name_suffixes"]),
        "not_applicable": frozenset(normalize(w) for w in pack["not_applicable"]),
    }


@pack_cache  # pure in the text (and the alignment pack): memoised
def is_not_applicable(text: str) -> bool:
    return normalize(text) in cues()["not_applicable"]


@pack_cache  # pure in the text (and the alignment pack): memoised
def looks_like_completion(text: str) -> bool:
    norm = normalize(text)
    c = cues()
    return norm in c["completion_words"] or (len(norm) <= 12 and norm.startswith(c["completion_prefixes"]))


@pack_cache  # pure in the text (and the alignment pack): memoised
def looks_like_name(text: str) -> bool:
    norm = normalize(text)
    return not any(ch.isdigit() for ch in norm) and norm.endswith(cues()["name_suffixes"])


@pack_cache  # pure in the text (and the alignment pack): memoised
def _kind(text: str) -> str:
    norm = normalize(text)
    if not norm:
        return "blank"
    if norm.endswith("%") and parse_number(norm[:-1]) is not None:
        return "percent"
    value = parse_number(norm)
    if value is None:
        return "text"
    if value.is_integer() and "." not in norm and 0 < value < 10000:
        return "int"
    return "number"


@pack_cache  # pure in the text (and the alignment pack): memoised
def field_score(key: str, text: str) -> float:
    """How well one cell fits one project-field slot."""
    kind = _kind(text)
    if kind == "blank":
        return 0.0
    if key == "index":
        return 2.0 if kind == "int" else -3.0
    if key in MONEY_SLOTS:
        return {"int": 1.5, "number": 1.5, "percent": -2.0}.get(kind, -3.0)
    if key == "rate":
        if kind == "percent":
            return 2.5
        value = parse_number(text)
        return 1.0 if value is not None and value <= 1.5 else (-1.0 if value is not None else -3.0)
    if key in TEXT_SLOTS:
        score = 0.5 if kind == "text" else -3.0
        if key == "goal_completion" and looks_like_completion(text):
            score += 0.3
        return score
    return 0.0


@pack_cache  # pure in the text (and the alignment pack): memoised
def side_score(category: str, side: str, text: str) -> float:
    """How well one cell fits the target or completion of one category."""
    kind = _kind(text)
    if kind == "blank":
        return 0.0
    c = cues()
    norm = normalize(text)
    score = 0.0
    if kind in ("int", "number") and len(norm) > 0:
        score -= 0.3
    own = any(word in norm for word in c["category"].get(category, ())) or any(
        pattern.search(norm) for pattern in c["category_patterns"].get(category, ())
    )
    if own:
        score += 0.6
    for pattern_side, patterns in c["side_patterns"].items():
        for pattern, weight in patterns:
            if pattern.search(norm):
                score += weight if pattern_side == side else -weight / 2
    if "满意" in norm:
        score += 1.5 if category == "满意度指标" else -1.0
    elif category == "满意度指标" and not is_not_applicable(text):
        score -= 0.8
    completion_like = looks_like_completion(text)
    if completion_like:
        score += 0.8 if side == "completion" else -0.8
    if looks_like_name(text):
        score += 0.5 if side == "target" else -0.5
    return score


@pack_cache  # pure in the text (and the alignment pack): memoised
def pair_score(target: str, completion: str) -> float:
    """Both cells of a category together: 不适用 comes in pairs; copies belong together."""
    na_t, na_c = is_not_applicable(target), is_not_applicable(completion)
    if na_t and na_c:
        return 1.5
    if na_t != na_c:
        return -1.5
    if target and normalize(target) == normalize(completion):
        return 1.5  # identical neighbours are a target and its copied completion, almost always
    if looks_like_name(target) and _VALUE_START.match(normalize(completion)):
        return 1.2  # an indicator name and its value, split over the two cells
    return 0.0


_COMPARATOR = re.compile(r"[≥≤><]|不低于|不少于|不超过|不高于|以上|以内|之前|日前|月底前")
_DATE = re.compile(r"\d{1,2}月(\d{1,2}日)?|\d{4}年")
_DECIMAL = re.compile(r"\d\.\d")

#: Weight of the table-learned shape model against the hand-written cues.
SHAPE_WEIGHT = 0.3


@pack_cache  # pure in the text (and the alignment pack): memoised
def shape(text: str) -> tuple[bool, ...]:
    """Coarse features of a cell's text, for a per-table model of what each place holds."""
    norm = normalize(text)
    length = len(norm)
    return (
        bool(_COMPARATOR.search(norm)),
        any(ch.isdigit() for ch in norm),
        "%" in norm,
        bool(_DECIMAL.search(norm)),
        bool(_DATE.search(norm)),
        looks_like_completion(norm),
        "满意" in norm,
        is_not_applicable(norm),
        length <= 6,
        length <= 15,
        length <= 40,
    )


class Aligner:
    """Aligns rows of one table to its slots, learning from the table's other rows.

    The first pass uses the hand-written cues only; :meth:`learn` then takes from that pass (1)
    where recurring texts were put and (2) a small per-place model of text shapes (lengths,
    figures, comparators …), and the second pass adds both — each row judged by the *other* rows.
    """

    def __init__(self, slots: list[Slot]) -> None:
        self.slots = slots
        self.prior: dict[str, Counter[tuple[str, str]]] = {}
        self.shape_sums: dict[tuple[str, str], list[int]] = {}
        self.shape_n: Counter[tuple[str, str]] = Counter()
        self.shape_base: list[float] = []
        self._shape_fits: dict[tuple[tuple[str, str], tuple[bool, ...] | None, tuple[bool, ...]], float] = {}

    def learn(self, rows: list[list[str]], placements: list[Placement]) -> None:
        """Remember where each recurring text was placed and what each place's texts look like."""
        prior: dict[str, Counter[tuple[str, str]]] = {}
        sums: dict[tuple[str, str], list[int]] = {}
        n: Counter[tuple[str, str]] = Counter()
        for texts, placement in zip(rows, placements, strict=True):
            for norm, counts in _placed_texts(texts, placement).items():
                prior.setdefault(norm, Counter()).update(counts)
            for place, features in _placed_shapes(texts, placement).items():
                row_sum = sums.setdefault(place, [0] * len(features))
                for k, flag in enumerate(features):
                    row_sum[k] += flag
                n[place] += 1
        self.prior, self.shape_sums, self.shape_n = prior, sums, n
        self._shape_fits = {}
        total = sum(n.values())
        width = len(shape(""))
        self.shape_base = [(sum(row_sum[k] for row_sum in sums.values()) + 1) / (total + 2) for k in range(width)]

    def _prior(self, text: str, place: tuple[str, str], own: dict[str, Counter[tuple[str, str]]]) -> float:
        """Vote of the *other* rows: +1.5 when they all put this text here, −0.5 when none did."""
        norm = normalize(text)
        counts = self.prior.get(norm)
        if not counts:
            return 0.0
        mine = own.get(norm, Counter())
        total = sum(counts.values()) - sum(mine.values())
        if total <= 0:
            return 0.0
        share = (counts[place] - mine[place]) / total
        return 1.5 * share - 0.5 * (1 - share)

    def _shape_fit(self, text: str, place: tuple[str, str], own: dict[tuple[str, str], tuple[bool, ...]]) -> float:
        """Log-likelihood ratio of the cell's shape under this place's texts in the other rows."""
        if not text.strip() or place not in self.shape_sums:
            return 0.0
        mine = own.get(place)
        features = shape(text)
        key = (place, mine, features)
        fit = self._shape_fits.get(key)
        if fit is None:
            fit = self._shape_fits[key] = self._shape_score(features, place, mine)
        return fit

    def _shape_score(self, features: tuple[bool, ...], place: tuple[str, str], mine: tuple[bool, ...] | None) -> float:
        n = self.shape_n[place] - (1 if mine is not None else 0)
        if n < 2:
            return 0.0
        score = 0.0
        for k, flag in enumerate(features):
            hits = self.shape_sums[place][k] - (mine[k] if mine is not None else 0)
            p_here = (hits + 0.5) / (n + 1)
            base = self.shape_base[k]
            score += math.log(p_here / base) if flag else math.log((1 - p_here) / (1 - base))
        return max(-2.0, min(2.0, SHAPE_WEIGHT * score))

    def align(self, texts: list[str], own: Placement | None = None, positional: bool = False) -> Placement:
        """Best placement of ``texts`` (a row, trailing blanks trimmed) onto the slots."""
        c = cues()
        n_slots, n_cells = len(self.slots), len(texts)
        lost_cost, extra_cost = c["lost"], c["extra"]
        own_texts = _placed_texts(texts, own) if own is not None else {}
        own_shapes = _placed_shapes(texts, own) if own is not None else {}
        neg = float("-inf")
        # best[i][j]: best score having filled slots[:i] with cells[:j]
        best = [[neg] * (n_cells + 1) for _ in range(n_slots + 1)]
        back: list[list[tuple[int, int, tuple] | None]] = [[None] * (n_cells + 1) for _ in range(n_slots + 1)]
        best[0][0] = 0.0

        fits: dict[tuple[int, str, int], float] = {}

        def cell_fit(slot: Slot, side: str, j: int) -> float:
            key = (id(slot), side, j)
            fit = fits.get(key)
            if fit is None:
                fit = fits[key] = _cell_fit(slot, side, j)
            return fit

        def _cell_fit(slot: Slot, side: str, j: int) -> float:
            text = texts[j]
            base = side_score(slot.key, side, text) if slot.pair else field_score(slot.key, text)
            if positional and slot.columns[1 if side == "completion" else 0] == j + 1:
                base += POSITIONAL_BONUS
            place = (slot.key, side)
            return base + self._prior(text, place, own_texts) + self._shape_fit(text, place, own_shapes)

        for i in range(n_slots + 1):
            for j in range(n_cells + 1):
                here = best[i][j]
                if here == neg:
                    continue
                # Drop an extra cell that fits no slot.
                if j < n_cells and here - extra_cost > best[i][j + 1]:
                    best[i][j + 1] = here - extra_cost
                    back[i][j + 1] = (i, j, ("drop",))
                if i == n_slots:
                    continue
                slot = self.slots[i]
                # The further right a slot, the cheaper its loss (ties → keep cells to the left).
                lost = 0.0 if j == n_cells else lost_cost + 0.001 * (n_slots - i)
                options: list[tuple[int, float, tuple]] = []
                if slot.pair:
                    options.append((0, -2 * lost, ("pair", None, None)))
                    if j < n_cells:
                        options.append((1, cell_fit(slot, "target", j) - lost, ("pair", j, None)))
                        options.append((1, cell_fit(slot, "completion", j) - lost, ("pair", None, j)))
                    if j + 1 < n_cells:
                        score = (
                            cell_fit(slot, "target", j)
                            + cell_fit(slot, "completion", j + 1)
                            + pair_score(texts[j], texts[j + 1])
                        )
                        options.append((2, score, ("pair", j, j + 1)))
                else:
                    options.append((0, -lost, ("field", None)))
                    if j < n_cells:
                        options.append((1, cell_fit(slot, "value", j), ("field", j)))
                for used, score, move in options:
                    total = here + score
                    if total > best[i + 1][j + used]:
                        best[i + 1][j + used] = total
                        back[i + 1][j + used] = (i, j, move)
        # Trace back.
        assignment: dict[tuple[str, str], int | None] = {}
        lost_places: list[tuple[str, str]] = []
        dropped: list[int] = []
        i, j = n_slots, n_cells
        while (i, j) != (0, 0):
            step = back[i][j]
            assert step is not None
            pi, pj, move = step
            if move[0] == "drop":
                dropped.append(pj)
            else:
                slot = self.slots[pi]
                if move[0] == "pair":
                    for side, index in (("target", move[1]), ("completion", move[2])):
                        assignment[(slot.key, side)] = index
                        after = move[1] + 1 if side == "completion" and move[1] is not None else pj
                        if index is None and after < n_cells:
                            lost_places.append((slot.key, side))
                else:
                    assignment[(slot.key, "value")] = move[1]
                    if move[1] is None and pj < n_cells:
                        lost_places.append((slot.key, "value"))
            i, j = pi, pj
        lost_places.reverse()
        return Placement(assignment, lost_places, sorted(dropped), best[n_slots][n_cells])


def _placed_texts(texts: list[str], placement: Placement) -> dict[str, Counter[tuple[str, str]]]:
    """Normalised text → places it was put in, for one row (placeholders left out)."""
    placed: dict[str, Counter[tuple[str, str]]] = {}
    for place, index in placement.assignment.items():
        if index is None:
            continue
        norm = normalize(texts[index])
        if norm and not is_not_applicable(norm) and _kind(norm) == "text":
            placed.setdefault(norm, Counter())[place] += 1
    return placed


def _placed_shapes(texts: list[str], placement: Placement) -> dict[tuple[str, str], tuple[bool, ...]]:
    """Place → shape of its text, for one row's text places (numbers have their own cues)."""
    shapes = {}
    for place, index in placement.assignment.items():
        if index is None or not texts[index].strip():
            continue
        key, side = place
        if side == "value" and key not in TEXT_SLOTS:
            continue
        shapes[place] = shape(texts[index])
    return shapes
