"""MS005 effect-not-measurable: an 效益 target with neither a figure nor a graded scale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from auditor.checks.base import Context, Example, Rule
from auditor.checks.measure.common import effects, graded, model_veto
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class EffectNotMeasurable(Rule):
    """效益指标（经济/社会/生态/可持续影响）既没有数值也没有分级标准。

    ## 问题
    效益指标应量化（“事故起数比上年下降10%”）；确实无法量化的，应分级分档（好/较好/一般/较差）
    并说明依据。“有效提高疫情防控能力”既没有数值也没有等级。

    ## 为什么
    财预〔2021〕101号：定性指标也要“可衡量”，采用分级分档的方式表述。
    """

    code = "MS005"
    name = "effect-not-measurable"
    severity = Severity.WARNING
    summary = "效益指标既无数值也无分级标准"
    message = "{category}“{text}”既没有数值，也没有分级标准，无法衡量"
    rationale = "效益指标应量化；无法量化的须分级分档并说明依据（财预〔2021〕101号）。"
    examples = (
        Example("bad", {"indicators": {"社会效益指标": ["有效提高疫情防控能力", "有效提高"]}}, field="target",
                indicator="社会效益指标"),
        Example("good", {"indicators": {"社会效益指标": ["生产安全事故起数比上年下降≥10%", "下降12.5%"],
                                        "可持续影响指标": ["长效管护机制运行情况（好/较好/一般/较差）", "好"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target = indicator.target
                if indicator.category not in effects() or target.is_blank or is_not_applicable(target.text):
                    continue
                facts = ctx.target_facts(indicator)
                if facts.has_measure or graded(facts):
                    continue
                finding = ctx.finding(
                    self, project, "target", target, indicator=indicator, category=indicator.category,
                    suggestion="量化效益（写明对象、数值和比较基准，如“比上年下降×%”），或写明分级标准（好/较好/一般/较差）及依据",
                )  # fmt: skip
                veto = model_veto(indicator.expression("target"))
                yield finding if veto is None else replace(finding, suppression=veto)
