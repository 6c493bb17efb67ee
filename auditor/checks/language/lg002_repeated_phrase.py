"""LG002 repeated-phrase: a word or clause repeated back to back, or a clause many times."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.resources import PackMemo, pack_memo
from auditor.text.normalize import analysis_form, normalize

_STUTTER = re.compile(r"([\u4e00-\u9fff]{2,12})\1")
_CLAUSES = re.compile(r"[;；。,，\n]+")
#: Clause repeated this many times in one cell (not back to back) is reported too.
CLAUSE_REPEATS = 3


@register
class RepeatedPhrase(Rule):
    """同一单元格中词语或分句重复：紧挨着重复（“有效提高有效提高”），或同一分句出现三次以上。

    ## 问题
    复制粘贴时多粘了一次，或把同一句话重复多遍凑字数。

    ## 为什么
    重复的文字说明填报时没有核对，复核人员会质疑整张表的认真程度。
    """

    code = "LG002"
    name = "repeated-phrase"
    severity = Severity.WARNING
    summary = "词语或分句重复（如“有效提高有效提高”）"
    message = "文字重复：“{phrase}”{how}"
    rationale = "重复的文字多为复制粘贴失误，说明填报时没有核对。"
    examples = (
        Example("bad", {"indicators": {"社会效益指标": ["有效提高疫情防控能力;有效提高有效提高应急处置能力", "有效提高"]}},
                field="target", indicator="社会效益指标"),
        Example("bad", {"indicators": {"社会效益指标": [
            "事故发生率比上年减少10%以上；事故发生率比上年减少10%以上；事故发生率比上年减少10%以上", "下降12%"]}},
                field="target", indicator="社会效益指标"),
        Example("good", {"indicators": {"数量指标": ["培训网格员≥380人，培训执法人员≥488人", "培训网格员386人"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        scope = ("goal", "goal_completion", "target", "completion", "reason", "problems")
        for place in text_places(ctx.submission, scope):
            if place.field == "completion" and place.indicator is not None and ctx.copied(place.indicator):
                continue
            text = place.cell.text
            repeat = _REPEATS.get(text, False)
            if repeat is False:
                repeat = _REPEATS.put(text, find_repeat(analysis_form(text)))
            if repeat is None:
                continue
            phrase, how, span = repeat
            yield ctx.finding(
                self, place.project, place.field, place.cell, indicator=place.indicator,
                phrase=phrase, how=how, span=span,
                suggestion=f"删去重复的“{phrase}”" if span else "删去重复的分句，每项内容只写一次",
            )  # fmt: skip


#: :func:`find_repeat` by cell text (one look-up per cell).
_REPEATS: PackMemo[str, tuple[str, str, tuple[int, int] | None] | None] = pack_memo()


def find_repeat(text: str) -> tuple[str, str, tuple[int, int] | None] | None:
    """``(phrase, how, span)`` of the first stutter or many-times clause in a text, or ``None``."""
    match = _STUTTER.search(text)
    if match:
        return match.group(1), "紧挨着重复了一遍", match.span()
    parts = _CLAUSES.split(text)
    if len(parts) < CLAUSE_REPEATS:
        return None  # too few clauses for one to recur that often (most cells)
    clauses = Counter(c for c in (normalize(x) for x in parts) if len(c) >= 4)
    for clause, n in clauses.items():
        if n >= CLAUSE_REPEATS:
            return clause, f"在同一单元格中出现了{n}次", None
    return None
