"""Suggestions built from the indicator itself: its name, unit, comparator and the table's year.

A suggestion tells the department what to write *for this indicator* — 写明实际完成的数量，如“安装水标尺266米”
for a 数量 target “安装水标尺≥266米” — never a fixed example from another department's table. When the
indicator gives nothing to build an example from (a sentence, no figure, no year), the suggestion
says what to write without an example rather than one that would read wrong. The wording of what to
write per category lives in ``rules/suggestions.yaml``.
"""

from __future__ import annotations

import re

from auditor.model import Cell, Indicator
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo

#: A subject that reads as an indicator name: no punctuation or digits, not a clause (通过…, 提高…).
_NOT_A_NAME = re.compile(r"[，,；;。：:、（）()\[\]【】“”\"'\d%％]|^(通过|提高|确保|进一步|有效|及时|按时|完成|做好|加强|推进)")
_NAME_MAX = 16


@pack_cache
def _pack() -> dict:
    return load_pack("suggestions")


def _what(category: str | None) -> str:
    pack = _pack()
    return str(pack["completion_by_category"].get(category or "", pack["default"]))


def subject(indicator: Indicator) -> str | None:
    """What the indicator measures, as a short name: its 三级指标 name, else the target's words before
    the comparator or figure (``安装水标尺`` of ``安装水标尺≥266米``); ``None`` when that is not a name."""
    from auditor.text.nlp import analyze

    candidates = []
    if indicator.name is not None and not indicator.name.is_blank:
        candidates.append(indicator.name.text.strip())
    target = indicator.target.text.strip()
    facts = analyze(target)
    marks = [mark.start for mark in facts.comparators] + [quantity.start for quantity in facts.quantities]
    if marks:
        candidates.append(target[: min(marks)].strip())
    for candidate in candidates:
        if 2 <= len(candidate) <= _NAME_MAX and not _NOT_A_NAME.search(candidate):
            return candidate
    return None


def target_value(indicator: Indicator) -> str | None:
    """The target's figure with its unit (``266米`` of ``≥266米``), or ``None``."""
    from auditor.text.nlp import analyze

    expression = indicator.expression("target")
    facts = analyze(expression)
    if len(facts.quantities) != 1:
        return None  # no figure, or several: an example would pick one arbitrarily
    quantity = facts.quantities[0]
    value = expression[quantity.start : quantity.end].strip()
    return value if quantity.unit else None  # a bare number says nothing without its unit


def completion_example(category: str | None, indicator: Indicator | None, year: int | None) -> str | None:
    """An example completion for this indicator, or ``None`` when it would read wrong."""
    if indicator is None:
        return None
    if category == "时效指标":
        return f"{year}年×月×日完成" if year else None
    value = target_value(indicator)
    if value is None:
        return None
    name = subject(indicator)
    if name is not None:
        return f"{name}{value}"
    if category == "数量指标":
        return f"实际完成{value}"
    return f"实际达到{value}" if value.endswith(("%", "％")) else None


def completion_suggestion(category: str | None, indicator: Indicator | None = None, year: int | None = None) -> str:
    """What to write as this indicator's completion, with an example built from it where one reads right.

    Worked out once per (category, year, target, name, unit, nature): the cells the example is built from.
    """
    key = (category, year) if indicator is None else (
        category, year, indicator.target.text, _text_of(indicator.name), _text_of(indicator.unit),
        _text_of(indicator.nature),
    )  # fmt: skip
    suggestion = _SUGGESTIONS.get(key)
    if suggestion is None:
        example = completion_example(category, indicator, year)
        what = _what(category)
        suggestion = _SUGGESTIONS.put(key, f"{what}，如“{example}”" if example else what)
    return suggestion


#: :func:`completion_suggestion` by what it is built from (three rules suggest for 10^4 completions a run).
_SUGGESTIONS: PackMemo[tuple[object, ...], str] = pack_memo()


def _text_of(cell: Cell | None) -> str | None:
    return cell.text if cell is not None else None


def deadline_suggestion(year: int | None) -> str:
    """MS003: a deadline in the table's own year (no example without one)."""
    return f"写明完成时限，如“{year}年×月×日前完成”" if year else "写明完成时限（某年某月某日前完成）"


def target_suggestion(category: str | None, year: int | None) -> str | None:
    """MS001: what a measurable target of this category states (no borrowed figures)."""
    if category == "时效指标":
        return deadline_suggestion(year)
    return _pack()["target_by_category"].get(category or "")
