"""NM002 funding-sum-mismatch: the total is not the sum of its funding sources."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.nm001_execution_rate_mismatch import rounding
from auditor.checks.options import structure
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Severity

PARTS = ("fiscal", "carryover", "other", "bond")
COLUMNS = {"initial": "年初预算数", "annual": "全年预算数", "executed": "执行数"}


@register
class FundingSumMismatch(Rule):
    """合计不等于各资金来源之和（财政拨款 + 非财政资金，或 当年财政拨款 + 上年结转 + 其他资金）。

    ## 问题
    宽表中“实际支出金额合计”应等于“财政拨款”加“非财政资金”；标准表中“年度资金总额”每一列
    （年初预算数、全年预算数、全年执行数）应等于其下各资金来源之和。

    ## 为什么
    合计与分项对不上，说明金额填错或漏填了某一资金来源，执行率和得分也随之失真。
    """

    code = "NM002"
    name = "funding-sum-mismatch"
    severity = Severity.ERROR
    summary = "合计不等于各资金来源之和"
    message = "{column}合计为{total}，但各资金来源之和为{parts_sum:g}（{parts}）"
    rationale = "合计应等于各资金来源之和；对不上说明金额错填或漏填，执行率与得分随之失真。"
    examples = (
        Example("bad", {"budget": {"annual": 100, "executed": 98, "fiscal": 90, "other": 5, "rate": "98.00%"}},
                field="budget"),
        Example("good", {"budget": {"annual": 100, "executed": 98, "fiscal": 90, "other": 8, "rate": "98.00%"}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        extra = float(structure().get("sum_tolerance", 0.0))
        for project in ctx.submission.projects:
            total = project.budget.total
            if total is None:
                continue
            parts = [line for line in project.budget.lines if line.kind in PARTS]
            for column, column_name in COLUMNS.items():
                total_cell: Cell | None = getattr(total, column)
                if total_cell is None or total_cell.number is None:
                    continue
                cells = [(line, getattr(line, column)) for line in parts]
                cells = [(line, cell) for line, cell in cells if cell is not None and cell.number is not None]
                if not cells:
                    continue
                parts_sum = sum(cell.number or 0.0 for _, cell in cells)
                tolerance = rounding(total_cell) + sum(rounding(cell) for _, cell in cells) + extra + 1e-9
                if abs(total_cell.number - parts_sum) > tolerance:
                    listing = " + ".join(f"{_label(line.kind, line.label.text)}{cell.text}" for line, cell in cells)
                    yield ctx.finding(
                        self, project, "budget", total_cell,
                        column=column_name, total=total_cell.text, parts_sum=round(parts_sum, 6), parts=listing,
                        suggestion="核对合计与各资金来源金额，补齐漏填的资金来源",
                    )  # fmt: skip


def _label(kind: str, written: str) -> str:
    names = {"fiscal": "财政拨款", "carryover": "上年结转", "other": "其他资金", "bond": "债券资金"}
    return written.replace("其中：", "").strip() or names.get(kind, kind)
