"""MS006 goal-not-measurable: a project goal with nothing measurable in it."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule, _quote
from auditor.checks.money import speaks_only_of_money
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class GoalNotMeasurable(Rule):
    """年初绩效目标中没有任何可衡量的内容（数量、比例、时限）。

    ## 问题
    项目的年初绩效目标（预期目标）只描述要做什么，没有任何数量、比例或时限。

    ## 为什么
    总体目标应能分解为可衡量的指标；没有任何数值的目标通常意味着指标也无从量化（财预〔2021〕101号）。
    """

    code = "MS006"
    name = "goal-not-measurable"
    severity = Severity.INFO
    summary = "年初绩效目标中没有任何可衡量的内容"
    message = "年初绩效目标“{text}”中没有数量、比例或时限"
    money_message = "年初绩效目标“{text}”只列出资金金额，没有写出要完成的产出和效果"
    rationale = "总体目标应包含可衡量的产出或效果，便于分解为量化指标（财预〔2021〕101号）。"
    examples = (
        Example("bad", {"goal": "完成龙岗区安全生产网格化管理指挥系统"}, field="goal"),
        Example("bad", {"goal": "本项目共申请预算资金2026400元，其中村级组织运转400000元，村级事务补助960000元"},
                field="goal", note="目标只是一份资金明细"),
        Example("good", {"goal": "2020年12月底前建成网格化管理指挥系统，覆盖全区11个街道"}),
        Example("good", {"goal": "投入资金120万元，完成30公里农村道路养护"}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            goal = project.goal
            if goal.is_blank or is_not_applicable(goal.text):
                continue
            facts = ctx.facts(goal)
            if facts.has_measure and not speaks_only_of_money(goal.text, facts):
                continue
            yield ctx.finding(
                self, project, "goal", goal,
                message=None if not facts.has_measure else self.money_message.format(text=_quote(goal.text)),
                suggestion="在目标中写明当年要完成的数量、质量和时限（做什么、做多少、何时完成）",
            )  # fmt: skip
