"""MS002 indicator-name-only: the target is an indicator's name with no value."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class IndicatorNameOnly(Rule):
    """年度指标值只写了指标名称（“设备验收合格率”“覆盖率（%）”），没有给出数值。

    ## 问题
    “…率”“…数量”“…满意度”“…（%）”是指标的名称，年度指标值一栏应写目标值，如“合格率≥98%”。
    只有名称时，值往往错写到了完成情况一栏，或根本没有设定。

    ## 为什么
    指标名称不是目标：没有目标值就无法判断完成与否（财预〔2021〕101号“细化、量化”）。
    """

    code = "MS002"
    name = "indicator-name-only"
    severity = Severity.WARNING
    summary = "年度指标值只有指标名称，没有目标值"
    message = "年度指标值“{text}”只是指标名称，没有给出目标值"
    rationale = "指标名称不是目标；没有目标值就无法判断完成与否，也无法计分。"
    examples = (
        Example("bad", {"indicators": {"质量指标": ["设备验收合格率", "100%"]}}, field="target", indicator="质量指标"),
        Example("bad", {"indicators": {"数量指标": ["森林防火安全检查覆盖率（%）", "98%"]}}, field="target",
                indicator="数量指标"),
        Example("good", {"indicators": {"质量指标": ["设备验收合格率≥98%", "100%"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target = indicator.target
                if target.is_blank or indicator.category == "满意度指标":
                    continue  # a bare satisfaction name is MS004's
                facts = ctx.target_facts(indicator)
                if facts.name_only:
                    yield ctx.finding(
                        self, project, "target", target, indicator=indicator,
                        suggestion=f"在名称后写明目标值，如“{_bare_name(target.text)}≥95%”",
                    )  # fmt: skip


def _bare_name(text: str) -> str:
    """The name without a trailing unit note such as （%）."""
    for note in ("（%）", "(%)", "（％）"):
        text = text.removesuffix(note)
    return text
