"""NM012 funding-rows-do-not-add-up: a funding total written as rows (资金合计, 其中 …) ≠ its parts."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import numbers_pack
from auditor.checks.numbers.nm001_execution_rate_mismatch import rounding
from auditor.checks.registry import register
from auditor.model import Cell, Finding, ManagementItem, Severity


@register
class FundingRowsDoNotAddUp(Rule):
    """资金安排以行列出（资金合计、其中：中央补助、市级资金、本级资金……），合计不等于其下各项之和。

    ## 问题
    转移支付等模板不用资金表，而把资金写成“自评内容 | 完成情况”行：一行写某项资金的合计，其下几行
    写中央、市级、本级等来源。合计应等于其下各来源之和。

    ## 为什么
    合计与分项对不上，说明某个来源金额填错或漏填，资金安排与执行的判断都失去依据。
    """

    code = "NM012"
    name = "funding-rows-do-not-add-up"
    severity = Severity.ERROR
    summary = "以行列出的资金合计不等于其下各来源之和"
    message = "“{label}”为{total}，但其下各来源之和为{parts_sum:g}（{parts}）"
    rationale = "合计应等于其下各来源之和；对不上说明金额错填或漏填，资金安排与执行的判断失去依据。"
    examples = (
        Example("bad", {"layout": "standard", "management": [
            {"section": "管理", "label": "特别扶助资金（万元） 年度预算资金总额", "content": "321.25"},
            {"section": "管理", "label": "其中：中央补助", "content": "166.00"},
            {"section": "管理", "label": "市级资金", "content": "136.00"},
            {"section": "管理", "label": "本级资金", "content": "20.25"},
        ]}, field="budget"),
        Example("good", {"layout": "standard", "management": [
            {"section": "管理", "label": "特别扶助资金（万元） 年度预算资金总额", "content": "322.25"},
            {"section": "管理", "label": "其中：中央补助", "content": "166.00"},
            {"section": "管理", "label": "市级资金", "content": "136.00"},
            {"section": "管理", "label": "本级资金", "content": "20.25"},
        ]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = numbers_pack()
        totals = tuple(pack.get("funding_total_words", ()))
        parts_words = tuple(pack.get("funding_part_words", ()))
        for project in ctx.submission.projects:
            for total, parts in _groups(project.management, totals, parts_words):
                total_cell = total.content
                assert total_cell is not None and total_cell.number is not None
                parts_sum = sum(item.content.number or 0.0 for item in parts if item.content is not None)
                tolerance = rounding(total_cell) + sum(rounding(_cell(item)) for item in parts) + 1e-9
                if abs(total_cell.number - parts_sum) <= tolerance:
                    continue
                listing = " + ".join(f"{_short(item.label.text)}{_cell(item).text}" for item in parts)
                yield ctx.finding(
                    self, project, "budget", total_cell,
                    label=_short(total.label.text), total=total_cell.text, parts_sum=round(parts_sum, 6), parts=listing,
                    suggestion="核对该项资金合计与中央、市级、本级等来源金额，补齐或更正有误的一项",
                )  # fmt: skip


def _cell(item: ManagementItem) -> Cell:
    return item.content if item.content is not None else Cell("")


def _short(label: str) -> str:
    text = " ".join(label.split())
    return text if len(text) <= 24 else text[:23] + "…"


def _groups(
    items: tuple[ManagementItem, ...], totals: tuple[str, ...], parts_words: tuple[str, ...]
) -> Iterator[tuple[ManagementItem, list[ManagementItem]]]:
    """(total row, its part rows): parts run from a total row to the next total or non-amount row."""
    total: ManagementItem | None = None
    parts: list[ManagementItem] = []
    for item in (*items, None):
        amount = item is not None and item.content is not None and item.content.number is not None
        label = item.label.text if item is not None else ""
        is_total = amount and any(word in label for word in totals)
        is_part = amount and not is_total and any(word in label for word in parts_words)
        if item is None or is_total or not is_part:
            if total is not None and len(parts) >= 2:
                yield total, parts
            total, parts = (item, []) if is_total else (None, [])
            continue
        if total is not None:
            parts.append(item)
