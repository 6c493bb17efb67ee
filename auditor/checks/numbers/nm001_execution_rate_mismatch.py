"""NM001 execution-rate-mismatch: the stated 执行率 is not 执行数 / 预算数."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import structure
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Severity
from auditor.text.numbers import decimals_of


def rounding(cell: Cell) -> float:
    """Half a unit of the last decimal the figure was published with."""
    return 0.5 * 10 ** -decimals_of(cell.text)


def rate_rounding(cell: Cell) -> float:
    """Half a unit of the last printed decimal of a rate, in percentage points.

    ``83.5%`` → 0.05; ``20`` (a percentage without its sign) → 0.5; ``0.1`` (a fraction, one decimal) → 5.
    """
    text = cell.text.strip()
    decimals = decimals_of(text)
    if text.endswith(("%", "％")):
        return 0.5 * 10**-decimals
    value = cell.number
    if value is not None and abs(value) <= 1.5:
        return 0.5 * 10 ** -(decimals - 2)
    return 0.5 * 10**-decimals


@register
class ExecutionRateMismatch(Rule):
    """填报的预算执行率与“执行数÷预算数”不符（超出公布数字的舍入误差）。

    ## 问题
    执行率 = 全年执行数 ÷ 全年预算数（调整后预算，含结转）。填报的执行率与据表内金额计算的结果不一致。

    以小数（``0.1``）或不带百分号（``20``）填写的执行率，在其印刷精度内与计算结果相符的，不报告。

    ## 为什么
    执行率是自评得分的直接依据（预算执行率分值 = 执行率 × 权重）。数字前后不一致说明填报有误，
    复核时会被追问或扣分（财预〔2020〕10号附件）。
    """

    code = "NM001"
    name = "execution-rate-mismatch"
    severity = Severity.ERROR
    summary = "填报的执行率与执行数÷预算数不符"
    message = "填报执行率为{stated}，但按执行数{executed}÷预算数{budget}计算应为{computed:.2f}%"
    rationale = "执行率是预算执行得分的直接依据，应等于全年执行数÷全年预算数；不一致说明填报有误。"
    examples = (
        Example("bad", {"budget": {"annual": 200, "executed": 176.4, "rate": "95.00%"}}, field="budget"),
        Example("good", {"budget": {"annual": 1444.64, "executed": "1,273.65", "rate": "88.16%"}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        extra = float(structure().get("rate_tolerance", 0.01))
        for project in ctx.submission.projects:
            budget = project.budget
            base, total = budget.base, budget.total
            executed = total.executed if total else None
            stated_cell = budget.rate
            if base is None or executed is None or stated_cell is None:
                continue
            stated, spent, planned = stated_cell.percent, executed.number, base.number
            if stated is None or spent is None or not planned:
                continue
            computed = spent / planned * 100
            if stated == 100 and computed > 100:
                continue  # capped at 100%: overspending is NM003's business
            tolerance = (
                rate_rounding(stated_cell)
                + computed * ((rounding(executed) / spent if spent else 0.0) + rounding(base) / planned)
                + extra
            )
            if abs(stated - computed) > tolerance:
                yield ctx.finding(
                    self, project, "budget", stated_cell,
                    stated=stated_cell.text, executed=executed.text, budget=base.text, computed=computed,
                    suggestion=f"核对金额与执行率，执行率应填 {computed:.2f}%",
                )  # fmt: skip
