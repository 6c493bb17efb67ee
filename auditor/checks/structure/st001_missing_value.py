"""ST001 missing-value: a required cell is empty."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import compare
from auditor.checks.options import required_categories
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Project, Severity

_LOST = "（此行在原表中少一格，推定缺失的正是此单元格）"


@register
class MissingValue(Rule):
    """必填内容为空：数量/质量/时效/满意度指标的年度指标值或完成值、年初绩效目标，或有扣分却未写偏差原因。

    ## 问题
    必须填写的单元格为空：每个项目都应设置的数量、质量、时效指标和服务对象满意度指标（目标值与完成值），
    项目的年初绩效目标，以及得分低于分值（存在偏差）时的“偏差原因分析及改进措施”。

    ## 为什么
    财预〔2020〕10号附件要求自评表完整反映各项指标的目标与完成情况；偏差须说明原因和改进措施。
    空白单元格无法评价，复核时通常直接扣分。
    """

    code = "ST001"
    name = "missing-value"
    severity = Severity.WARNING
    summary = "必填单元格为空（指标值、完成值、绩效目标或偏差原因）"
    message = "{where}为空，该项为必填内容{lost}"
    rationale = "自评表应完整反映每项必设指标的目标值与完成值；空白无法评价，复核时通常扣分（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"goal": "完成200家企业检查", "indicators": {"数量指标": ["检查企业≥200家", ""]}},
                field="completion", indicator="数量指标"),
        Example("bad", {"indicators": {"数量指标": ["检查企业≥200家", "检查企业212家"]}}, field="goal"),
        Example("bad", {"layout": "standard", "goal": "完成检查", "indicators": [
            {"category": "质量指标", "name": "合格率", "target": "≥95%", "completion": "90%",
             "weight": 10, "score": 8, "reason": ""}]}, field="reason", indicator="质量指标"),
        Example("good", {"goal": "完成200家企业安全检查", "indicators": {
            "数量指标": ["检查企业≥200家", "检查企业212家"], "质量指标": ["整改合格率≥95%", "整改合格率97%"],
            "时效指标": ["2022年12月31日前完成", "2022年11月20日完成"],
            "满意度指标": ["企业满意度≥90%", "抽样调查满意度93%"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        required = required_categories()
        for project in ctx.submission.projects:
            if project.goal.is_blank:
                yield self._missing(ctx, project, "goal", project.goal, "年初绩效目标")
            present = {indicator.category for indicator in project.indicators}
            for category in required:
                if category not in present:
                    yield ctx.finding(self, project, "target", None, category=category,
                                      message=f"未设置{category}，该类指标为必设指标",
                                      suggestion=f"补充{category}及其年度指标值和实际完成值")  # fmt: skip
            for indicator in project.indicators:
                if indicator.category in required:
                    for field, cell, label in (
                        ("target", indicator.target, "年度指标值"),
                        ("completion", indicator.completion, "实际完成值"),
                    ):
                        if cell.is_blank:
                            yield self._missing(ctx, project, field, cell, f"{indicator.label}的{label}", indicator)
                deviation = self._deviation(ctx, indicator)
                if deviation:
                    yield ctx.finding(
                        self, project, "reason", indicator.reason, indicator=indicator,
                        message=f"{indicator.label}{deviation}，但未填写偏差原因分析及改进措施",
                        suggestion="写明未达标的原因和下一步改进措施",
                    )  # fmt: skip

    def _missing(
        self, ctx: Context, project: Project, field: str, cell: Cell, where: str, indicator: Indicator | None = None
    ) -> Finding:
        return ctx.finding(
            self, project, field, cell, indicator=indicator,
            message=self.message.format(where=where, lost=_LOST if cell.lost else ""),
            suggestion="补充该项内容；确不适用的，应说明理由",
        )  # fmt: skip

    @staticmethod
    def _deviation(ctx: Context, indicator: Indicator) -> str | None:
        """What deviates — a deducted score or a figure short of its target — where 偏差原因 is empty."""
        if indicator.reason is None or not indicator.reason.is_blank:
            return None
        weight = indicator.weight.number if indicator.weight is not None else None
        score = indicator.score.number if indicator.score is not None else None
        if weight is not None and score is not None and score < weight:
            return f"得分{indicator.score.text}低于分值{indicator.weight.text}"  # type: ignore[union-attr]
        short = [c for c in compare(ctx.target_facts(indicator), ctx.completion_facts(indicator)) if c.shortfall]
        if short:
            c = short[0]
            return f"实际完成{c.completion.value:g}{c.completion.unit}未达到目标{c.target.value:g}{c.target.unit}"
        return None
