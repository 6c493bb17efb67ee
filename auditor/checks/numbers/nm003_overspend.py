"""NM003 overspend: more was spent than budgeted."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class Overspend(Rule):
    """执行数大于预算数（超预算支出）。

    ## 问题
    全年执行数（实际支出合计）超过全年预算数（项目年度预算金额）。

    ## 为什么
    《预算法》要求支出以经批准的预算为依据，未列入预算的不得支出。超预算支出要么是金额填错，
    要么是需要说明的违规情形；执行率超过 100% 时得分也不能超过权重。
    """

    code = "NM003"
    name = "overspend"
    severity = Severity.WARNING
    summary = "执行数大于预算数（超预算支出）"
    message = "执行数{executed}大于预算数{budget}，超支{over:g}"
    rationale = "支出应以批准的预算为限（《预算法》）；超预算要么是填报错误，要么须作说明。"
    examples = (
        Example("bad", {"budget": {"annual": 100, "executed": 104.5, "rate": "104.50%"}}, field="budget"),
        Example("good", {"budget": {"annual": 100, "executed": 100, "rate": "100.00%"}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            base, total = project.budget.base, project.budget.total
            executed = total.executed if total else None
            if base is None or executed is None or executed.number is None or base.number is None:
                continue
            if executed.number > base.number + 1e-9:
                yield ctx.finding(
                    self, project, "budget", executed,
                    executed=executed.text, budget=base.text, over=round(executed.number - base.number, 6),
                    suggestion="核对执行数与预算数；确属超支的，应在存在的问题中说明原因",
                )  # fmt: skip
