"""NM009 cost-exceeds-spending: a 成本指标 completion above the money actually spent."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import amount_in_yuan, money_factor, numbers_pack
from auditor.checks.numbers.nm001_execution_rate_mismatch import rounding
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Project, Severity
from auditor.text.measures import Quantity
from auditor.text.nlp import TextFacts


@register
class CostExceedsSpending(Rule):
    """成本指标的完成值高于资金表中的实际执行数。

    ## 问题
    成本指标完成值写“150万元”，而同一张表的资金情况显示全年只执行了 125.25 万元：完成值与资金执行
    自相矛盾（多半是照抄了预算数）。按元、万元、亿元换算后比较；单位成本（元/人、人均……）不比较；
    目标本身超出本项目预算的（如工程总投资）也不比较。

    ## 为什么
    成本指标反映实际花了多少钱，只能来自执行数；高于执行数说明完成值没有如实填写，成本控制的评价也就落空。
    """

    code = "NM009"
    name = "cost-exceeds-spending"
    severity = Severity.ERROR
    summary = "成本指标完成值高于实际执行数"
    message = "{where}完成值为{text}，高于资金表中的全年执行数{executed}"
    rationale = "成本指标的完成值应是实际支出；高于执行数说明完成值照抄预算或填写有误，成本评价落空。"
    examples = (
        Example("bad", {"layout": "standard", "budget": {"annual": 150, "executed": 125.25, "rate": "83.5%"},
                        "indicators": [{"category": "成本指标", "name": "运行维护费", "target": "150万",
                                        "completion": "150万", "weight": 10, "score": 10}]},
                field="completion", indicator="成本指标"),
        Example("good", {"layout": "standard", "budget": {"annual": 150, "executed": 125.25, "rate": "83.5%"},
                         "indicators": [{"category": "成本指标", "name": "运行维护费", "target": "≤150万元",
                                         "completion": "125.25万元", "weight": 10, "score": 10}]}),
        Example("good", {"budget": {"annual": 30, "executed": 30, "rate": "100%"},
                         "indicators": {"成本指标": ["人均救助标准≤5300元/户", "人均5830元/户"]}},
                note="单位成本不与总支出比较"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        unit = ctx.submission.money_unit
        for project in ctx.submission.projects:
            executed, base = _spent(project)
            spent = amount_in_yuan(executed, unit)
            if executed is None or spent is None:
                continue
            budget = amount_in_yuan(base, unit)
            slack = rounding(executed) * (spent / executed.number if executed.number else 1.0)  # type: ignore[operator]
            for indicator in project.by_category("成本指标"):
                if indicator.completion.is_blank or indicator.sub:
                    continue
                target = _totals(ctx.target_facts(indicator), indicator)
                if budget is not None and any(value > budget * 1.01 for value in target):
                    continue  # a target beyond this budget (总投资) is about more money than the table shows
                done = _totals(ctx.completion_facts(indicator), indicator)
                if done and max(done) > spent + slack + 0.001 * spent:
                    yield ctx.finding(
                        self, project, "completion", indicator.completion, indicator=indicator,
                        executed=_shown(executed, unit),
                        related=(ctx.place(project, "budget", executed),),
                        suggestion="成本指标完成值应填实际支出（不超过执行数），并与资金表核对",
                    )  # fmt: skip


def _spent(project: Project) -> tuple[Cell | None, Cell | None]:
    """全年执行数 and the budget of the total line (or of the only line the table has)."""
    budget = project.budget
    line = budget.total or (budget.lines[0] if len(budget.lines) == 1 else None)
    if line is None:
        return None, None
    base = budget.base if budget.total is not None else (line.annual or line.initial)
    return line.executed, base


def _totals(facts: TextFacts, indicator: Indicator) -> list[float]:
    """Money figures in 元 that are totals, not unit costs (75元/人, 人均…)."""
    marks = tuple(numbers_pack().get("per_unit_marks", ()))
    text = facts.text
    out = []
    for quantity in facts.quantities:
        factor = _factor(quantity, indicator)
        if factor is None:
            continue
        after, before = text[quantity.end : quantity.end + 2], text[max(0, quantity.start - 4) : quantity.start]
        if any(mark in after or (mark != "/" and mark in before) for mark in marks):
            continue
        if any(mark in (indicator.name.text if indicator.name else "") for mark in marks if mark != "/"):
            continue
        out.append(quantity.value * factor)
    return out


def _factor(quantity: Quantity, indicator: Indicator) -> float | None:
    if quantity.unit:
        return money_factor(quantity.unit)
    unit = indicator.unit.text.strip() if indicator.unit is not None else ""
    return money_factor(unit) if unit else None


def _shown(cell: Cell, unit: str) -> str:
    text = cell.text.strip()
    return text if not text[-1:].isdigit() else f"{text}{unit}"
