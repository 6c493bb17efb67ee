"""NM004 low-execution-unexplained: a low execution rate with no stated problem or reason."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable, structure
from auditor.checks.registry import register
from auditor.model import Finding, Project, Severity
from auditor.text.normalize import normalize

_EMPTY_EXPLANATIONS = frozenset({"0", "已完成", "完成", "无问题", "没有", "无"})


def explained(project: Project) -> bool:
    texts = [cell.text for cell in (project.problems, project.rectification) if cell is not None]
    texts += [ind.reason.text for ind in project.indicators if ind.reason is not None]
    return any(
        not is_not_applicable(text) and normalize(text) not in _EMPTY_EXPLANATIONS for text in texts if text.strip()
    )


@register
class LowExecutionUnexplained(Rule):
    """预算执行率低于阈值（默认 90%），但“存在的问题”“偏差原因”都没有说明。

    ## 问题
    执行率明显偏低，却没有在“项目执行中存在的问题”或“偏差原因分析”中说明原因和改进措施，
    或只填了“无”“0”“已完成”。

    ## 为什么
    多地自评办法要求执行率低于 90% 的项目说明原因；资金沉淀未作解释，复核时会扣分并追问。
    """

    code = "NM004"
    name = "low-execution-unexplained"
    severity = Severity.WARNING
    summary = "执行率低于阈值（默认90%）却未说明原因"
    message = "预算执行率为{rate:.2f}%，低于{threshold:g}%，但未说明存在的问题或偏差原因"
    rationale = "执行率偏低须说明原因和改进措施；资金沉淀不作解释，复核时扣分并追问。"
    examples = (
        Example("bad", {"budget": {"annual": 1444.64, "executed": 1273.65, "rate": "88.16%"}, "problems": ""},
                field="problems"),
        Example("good", {"budget": {"annual": 1444.64, "executed": 1273.65, "rate": "88.16%"},
                         "problems": "部分应急物资采购因供货延迟结转至下年，已督促供应商于次年一季度交付"}),
        Example("good", {"budget": {"annual": 100, "executed": 95, "rate": "95.00%"}, "problems": ""}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        threshold = float(structure().get("low_execution_threshold", 90))
        for project in ctx.submission.projects:
            rate = project.budget.execution_rate
            if rate is None or rate >= threshold or explained(project):
                continue
            # The wide layout has a 存在的问题 column; the standard template has only its fund section.
            field = "problems" if project.problems is not None else "budget"
            cell = project.problems or project.budget.rate
            yield ctx.finding(
                self, project, field, cell, rate=rate, threshold=threshold,
                suggestion="在“存在的问题”中说明资金未执行的原因，并写明整改措施",
            )  # fmt: skip
