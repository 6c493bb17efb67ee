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
                        suggestion=_name_suggestion(target.text),
                    )  # fmt: skip


def _name_suggestion(text: str) -> str:
    """An example only when the bare name reads as one (``验收合格率≥××%``), never for a clause such as
    ``通过设备更新提高各部门工作效率``; a rate gets a percentage, anything else a figure with its unit."""
    from auditor.checks.suggestions import _NAME_MAX, _NOT_A_NAME

    name = _bare_name(text).strip()
    if not 2 <= len(name) <= _NAME_MAX or _NOT_A_NAME.search(name) or "提高" in name or "提升" in name:
        return "在指标名称后写明目标值（比较符、数值和单位）"
    value = "≥××%" if name.endswith(("率", "度")) else "≥××（单位）"
    return f"在名称后写明目标值，如“{name}{value}”"


def _bare_name(text: str) -> str:
    """The name without a trailing unit note such as （%）."""
    for note in ("（%）", "(%)", "（％）"):
        text = text.removesuffix(note)
    return text
