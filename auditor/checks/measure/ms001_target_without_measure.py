"""MS001 target-without-measure: a quantitative target with no figure, comparator or time bound."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from auditor.checks.base import Context, Example, Rule
from auditor.checks.measure.common import model_veto, quantitative
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.checks.suggestions import target_suggestion
from auditor.model import Finding, Severity


@register
class TargetWithoutMeasure(Rule):
    """数量、质量、时效、成本指标的年度指标值没有数字、比例、比较符或时限。

    ## 问题
    产出类指标（数量/质量/时效/成本）的目标应当是可衡量的值，如“≥200家”“合格率≥95%”“12月底前”；
    “按需采购办公设备”“完成系统建设”没有可以对照的标准。

    ## 为什么
    财预〔2021〕101号要求绩效目标“细化、量化、可衡量”。没有数值就无法判断是否完成，也无法计算得分。
    """

    code = "MS001"
    name = "target-without-measure"
    severity = Severity.WARNING
    summary = "产出类指标的目标没有数值、比较符或时限"
    message = "{category}的年度指标值“{text}”没有数值、比例或时限，无法衡量"
    rationale = "产出指标须细化、量化、可衡量（财预〔2021〕101号）；没有数值就无法判断完成与否，也无法计算得分。"
    examples = (
        Example("bad", {"indicators": {"数量指标": ["按需采购办公设备", "已采购"]}}, field="target", indicator="数量指标"),
        Example("good", {"indicators": {"数量指标": ["采购办公设备≥45台", "采购48台"],
                                        "时效指标": ["2020年12月31日前完成", "11月20日完成"],
                                        "质量指标": ["验收合格率100%", "验收合格率100%"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target = indicator.target
                if indicator.category not in quantitative() or target.is_blank or is_not_applicable(target.text):
                    continue
                if indicator.category == "时效指标":
                    continue  # MS003 says it more precisely
                facts = ctx.target_facts(indicator)
                if facts.has_measure or facts.name_only:
                    continue  # name-only targets are MS002's
                finding = ctx.finding(
                    self, project, "target", target, indicator=indicator, category=indicator.category,
                    suggestion=target_suggestion(indicator.category, ctx.submission.year),
                )  # fmt: skip
                veto = model_veto(indicator.expression("target"))
                yield finding if veto is None else replace(finding, suppression=veto)
