"""NM004 low-execution-unexplained: a low execution rate with no stated problem or reason."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import numbers_pack
from auditor.checks.options import is_empty, is_not_applicable, structure
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Project, Severity
from auditor.text.normalize import normalize

_EMPTY_EXPLANATIONS = frozenset({"0", "已完成", "完成", "无问题", "没有", "无", "暂无", "暂无问题"})


def _substantive(cell: Cell | None) -> bool:
    return not is_empty(cell) and not is_not_applicable(cell.text) and normalize(cell.text) not in _EMPTY_EXPLANATIONS  # type: ignore[union-attr]


def explained(project: Project) -> bool:
    """Something, somewhere, says why money went unspent.

    存在的问题, 整改措施 and 偏差原因 count when they say anything; the overall completion, narrative
    rows and fund-management remarks count when they give a reason (rules/numbers.yaml).
    """
    cells = [project.problems, project.rectification] + [ind.reason for ind in project.indicators]
    if any(_substantive(cell) for cell in cells):
        return True
    cues = tuple(numbers_pack().get("low_execution_cues", ()))
    narrative = [project.goal_completion, *project.explanations]
    for item in project.management:
        narrative += [item.remark, item.content]
    return any(_substantive(cell) and any(cue in cell.text for cue in cues) for cell in narrative)  # type: ignore[union-attr]


@register
class LowExecutionUnexplained(Rule):
    """预算执行率低于阈值（默认 90%），但“存在的问题”“偏差原因”都没有说明。

    ## 问题
    执行率明显偏低，却在表内任何地方都没有说明原因：“项目执行中存在的问题”“偏差原因分析”为空，
    或只填了“无”“0”“已完成”、模板提示语，总体完成情况、评价结论和资金管理说明里也没有写原因。
    报告在“存在的问题”处（表中没有该栏的，也指向应当说明原因的地方）。

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
        Example("good", {"budget": {"annual": 650, "executed": 94, "rate": "14.46%"},
                         "goal_completion": "部分经营主体台账不健全，按先建后补据实补贴，资金结余"},
                note="原因写在总体完成情况里"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        threshold = float(structure().get("low_execution_threshold", 90))
        for project in ctx.submission.projects:
            rate = project.budget.execution_rate
            if rate is None or rate >= threshold or explained(project):
                continue
            # Where the explanation belongs: 存在的问题 where the form has it, else the stated rate.
            cell = project.problems or project.budget.rate
            yield ctx.finding(
                self, project, "problems", cell, rate=rate, threshold=threshold,
                suggestion="在“存在的问题”中说明资金未执行的原因，并写明整改措施",
            )  # fmt: skip
