"""MS004 satisfaction-without-threshold: a 满意度 target with no threshold."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Indicator, Severity
from auditor.text.nlp import TextFacts
from auditor.text.normalize import normalize


@register
class SatisfactionWithoutThreshold(Rule):
    """满意度指标没有门槛值（如“≥90%”）。

    ## 问题
    满意度指标的年度指标值应写明门槛，如“服务对象满意度≥90%”；只写“服务对象满意度”“满意”
    没有可以对照的标准。

    ## 为什么
    满意度是财预〔2020〕10号规定的必设指标（10分），须量化并以调查结果佐证。
    """

    code = "MS004"
    name = "satisfaction-without-threshold"
    severity = Severity.WARNING
    summary = "满意度指标没有门槛值（如≥90%）"
    message = "满意度指标“{text}”没有写明门槛值"
    rationale = "满意度是必设指标，须量化（如≥90%）并以抽样调查等结果佐证（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"indicators": {"满意度指标": ["服务对象满意度", "100%满意"]}}, field="target", indicator="满意度指标"),
        Example("good", {"indicators": {"满意度指标": ["服务对象满意度≥90%", "问卷调查满意度93.6%"]}}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "满意度指标", "name": "满意度(%)", "target": "90", "completion": "100"}]},
                note="名称注明是百分比，裸数字即百分比"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.by_category("满意度指标"):
                target = indicator.target
                if target.is_blank or is_not_applicable(target.text):
                    continue
                facts = ctx.target_facts(indicator)
                if any(q.unit in ("%", "分") for q in facts.quantities) or (facts.quantities and facts.comparators):
                    continue
                if _percent_by_name(indicator, facts):
                    continue  # "90" under 服务对象满意度: the name makes it a percentage
                yield ctx.finding(
                    self, project, "target", target, indicator=indicator,
                    suggestion="写明满意度门槛和调查方式，如“服务对象满意度≥90%（抽样问卷调查）”",
                )  # fmt: skip


def _percent_by_name(indicator: Indicator, facts: TextFacts) -> bool:
    """A bare number up to 100 under a name that says it is a satisfaction percentage (满意度(%))."""
    name = normalize(indicator.name.text) if indicator.name is not None else ""
    return (
        "满意" in name
        and "%" in name
        and len(facts.quantities) == 1
        and facts.quantities[0].unit == ""
        and 0 < facts.quantities[0].value <= 100
    )
