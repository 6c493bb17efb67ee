"""MS007 target-figure-without-meaning: a figure that does not say what it measures."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_empty, is_not_applicable, structure
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Severity
from auditor.resources import PackMemo, pack_memo
from auditor.text.normalize import normalize

_BARE = re.compile(r"^(≥|≤|>|<|=|>=|<=)?\s*\d+(\.\d+)?$")
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")


def meaningless(ctx: Context, indicator: Indicator) -> str | None:
    """Why the target's figure measures nothing, or ``None``."""
    options = structure()
    name = normalize(indicator.name.text) if indicator.name is not None else ""
    expression = normalize(indicator.expression("target"))
    facts = ctx.target_facts(indicator)
    whole = name + expression
    if any(word in whole for word in options["question_words"]) and any(q.unit == "%" for q in facts.quantities):
        return "是一个是否的问题，却用比例作目标值"
    bare_name = _BRACKETED.sub("", name).strip()
    if bare_name.endswith(tuple(options["count_name_endings"])) and facts.quantities \
            and all(q.unit == "%" for q in facts.quantities) and not bare_name.endswith("率"):
        return "是一个数量，却用百分比作目标值"
    percent_only = bool(facts.quantities) and all(q.unit == "%" for q in facts.quantities)
    if percent_only and bare_name.startswith(tuple(options.get("slogan_name_openers", ()))) \
            and not any(word in bare_name for word in options.get("percent_name_words", ())):
        return "用百分比作目标值，却看不出是什么的比例"
    unit = indicator.unit.text.strip() if indicator.unit is not None else ""
    if _BARE.match(expression) and not unit and bare_name and not _BRACKETED.search(name) \
            and not bare_name.endswith(tuple(options["measure_name_endings"])):
        return "只有数字，没有单位，也看不出衡量的是什么"
    return None


@register
class TargetFigureWithoutMeaning(Rule):
    """目标值的数字说不出衡量的是什么：没有单位和对象（“学校发展能力 100”），“是否…”配比例，数量配百分比，
    “促进…发展”配百分比。

    ## 问题
    目标值有数字却无法衡量：指标名称不是可以计数或计比例的对象，目标值又只有一个裸数字（“学校发展能力”
    “100”）；“是否…”本是是/否问题，却给了“95%”；“培训人数”是数量，却写成“100%”。

    ## 为什么
    绩效指标须“细化、量化、可衡量”（财预〔2021〕101号）：数字要有单位和明确的衡量对象，才能与
    完成值比较、据以计分。
    """

    code = "MS007"
    name = "target-figure-without-meaning"
    severity = Severity.WARNING
    summary = "目标值的数字没有单位或衡量对象（裸数字、“是否…”配比例、数量配百分比）"
    message = "{where}的目标值“{text}”{reason}"
    rationale = "数字要有单位和明确的衡量对象才能与完成值比较、据以计分（财预〔2021〕101号“可衡量”）。"
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "社会效益指标", "name": "学校发展能力", "target": "100", "completion": "100"}]},
                field="target", indicator="社会效益指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "质量指标", "name": "是否按规定公示", "target": "95%", "completion": "100%"}]},
                field="target", indicator="质量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "培训人数", "target": "100%", "completion": "100%"}]},
                field="target", indicator="数量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "可持续影响指标", "name": "促进社区文化事业健康发展", "target": "≥100%", "completion": "100%"}]},
                field="target", indicator="可持续影响指标", note="目标的百分比"),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "社会效益指标", "name": "提高居民健康知晓率", "target": "≥85%", "completion": "88%"}]}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "培训人数", "target": "≥300", "completion": "312"},
            {"category": "质量指标", "name": "验收合格率", "target": "100", "completion": "100"},
            {"category": "数量指标", "name": "新建管理用房(≥**平方米)", "target": "22.8", "completion": "22.8"},
            {"category": "社会效益指标", "name": "学校发展能力", "target": "100", "unit": "分", "completion": "96"}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target = indicator.target
                if is_empty(target) or is_not_applicable(target.text):
                    continue
                name, unit, nature = indicator.name, indicator.unit, indicator.nature
                # The cells meaningless() reads; most rows have only a target (then its text is the key).
                key: str | tuple[str | None, ...] = target.text if name is None and unit is None and nature is None \
                    else (target.text, _text_of(name), _text_of(unit), _text_of(nature))  # fmt: skip
                reason = _REASONS.get(key, False)
                if reason is False:
                    reason = _REASONS.put(key, meaningless(ctx, indicator))
                if reason:
                    yield ctx.finding(
                        self, project, "target", target, indicator=indicator, reason=reason,
                        suggestion="写明衡量对象和单位，如“培训人数≥300人”“公示率100%”",
                    )  # fmt: skip


#: :func:`meaningless` by the cells it reads (target, name, unit, nature): boilerplate rows recur.
_REASONS: PackMemo[str | tuple[str | None, ...], str | None] = pack_memo()


def _text_of(cell: Cell | None) -> str | None:
    return cell.text if cell is not None else None
