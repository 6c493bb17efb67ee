"""What an indicator's self-score should be, by the template's scoring method (shared by NM rules).

财预〔2020〕10号 and the provincial rules built on it: a met quantitative target earns its weight; a ≥
target falling short earns weight × completion/target, a ≤ target exceeded weight × target/completion;
no score is above its weight. Scores are published rounded, so comparisons allow the rounding of the
published score, or ``score_tolerance`` points, or ``score_tolerance_share`` of the weight.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context
from auditor.checks.numbers.figures import Comparison, compare, find_dates, numbers_pack
from auditor.checks.numbers.nm001_execution_rate_mismatch import rounding
from auditor.model import Cell, Indicator, Level, Project
from auditor.text.measures import Quantity
from auditor.text.numbers import parse_number


def number(cell: Cell | None) -> float | None:
    return cell.number if cell is not None else None


def tolerance(weight: float, score: Cell | None) -> float:
    pack = numbers_pack()
    slack = max(float(pack.get("score_tolerance", 0.1)), weight * float(pack.get("score_tolerance_share", 0.01)))
    return max(rounding(score) if score is not None else 0.0, slack) + 1e-9


def comparisons(ctx: Context, indicator: Indicator) -> list[Comparison]:
    """Target against completion, leaving out a satisfaction target above 100% (290%: no rate can meet it)."""
    return list(compared(ctx, indicator))


def compared(ctx: Context, indicator: Indicator) -> tuple[Comparison, ...]:
    """:func:`comparisons` as the tuple worked out once per indicator (for rules that only read it)."""
    key = ("comparisons", id(indicator))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = tuple(_comparisons(ctx, indicator))
    return found  # type: ignore[no-any-return]


def _comparisons(ctx: Context, indicator: Indicator) -> list[Comparison]:
    if not indicator.target.text.strip() or not indicator.completion.text.strip():
        return []  # (either cell blank: is_blank, inlined on this once-per-indicator path)
    found = compare(ctx.target_facts(indicator), ctx.completion_facts(indicator), ctx.submission.year)
    if not found:
        found = _bare(indicator)
    if indicator.level is Level.SATISFACTION:
        found = [c for c in found if not (c.target.unit == "%" and c.target.value > 100)]
    return found


def covers_target(ctx: Context, indicator: Indicator, found: list[Comparison]) -> bool:
    """Every figure and date of the target was compared (so "all met" means the whole target was met)."""
    facts = ctx.target_facts(indicator)
    dates = find_dates(facts.text)
    figures = [q for q in facts.quantities if not any(q.start < d.end and d.start < q.end for d in dates)]
    return bool(found) and len(found) >= len(figures) + len(dates)


def _bare(indicator: Indicator) -> list[Comparison]:
    """Plain figures on both sides (15 → 6; the unit in the name), where the direction is known."""
    target, done = indicator.target.text.strip(), indicator.completion.text.strip()
    t, c = parse_number(target), parse_number(done)
    if t is None or c is None:
        return []
    pack = numbers_pack()
    words = " ".join(cell.text for cell in (indicator.name, indicator.nature) if cell is not None)
    if any(mark in words for mark in pack.get("bare_at_most", ())):
        direction = "le"
    elif indicator.category in pack.get("bare_unknown_direction", ()):
        return []
    else:
        direction = "ge"
    return [Comparison(Quantity(0, len(target), t, ""), Quantity(0, len(done), c, ""), direction, target, done)]


def sub_rows(project: Project, parent: Indicator) -> tuple[Indicator, ...]:
    """The 其中 rows that follow a weighted parent row."""
    rows = project.indicators
    start = rows.index(parent) + 1
    out = []
    for row in rows[start:]:
        if not row.sub or row.category != parent.category:
            break
        out.append(row)
    return tuple(out)


def scored_rows(project: Project) -> Iterator[Indicator]:
    """Indicators whose scores make up the total: a parent's own score stands for its sub-rows."""
    skip: set[int] = set()
    for indicator in project.indicators:
        if id(indicator) in skip:
            continue
        if indicator.parent and number(indicator.score) is not None:
            skip.update(id(row) for row in sub_rows(project, indicator))
        if number(indicator.score) is not None:
            yield indicator


def weight_twice(indicator: Indicator) -> tuple[float, float, float, float] | None:
    """单项得分 × 权重占比 where the 单项得分 is already in points of the weight (Hebei variant).

    Returns (weight, item score, share, score) when the published score is the item score times the
    share although the item score equals the weight — the weight applied a second time.
    """
    item, share, score = number(indicator.item_score), number(indicator.share), number(indicator.score)
    if item is None or share is None or score is None or not 0 < share < 100:
        return None
    weight = number(indicator.weight)
    weight = weight if weight is not None and weight > 0 else share
    if abs(item - weight) > tolerance(weight, indicator.item_score) or item >= 100:
        return None
    if abs(score - item * share / 100) > tolerance(weight, indicator.score):
        return None
    if score >= weight - tolerance(weight, indicator.score):
        return None
    return weight, item, share, score
