"""NM007 shortfall-reason-missing: a figure or date short of its target, with no deviation reason."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import numbers_pack
from auditor.checks.numbers.scores import comparisons
from auditor.checks.options import is_empty, is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Indicator, Severity


@register
class ShortfallReasonMissing(Rule):
    """完成值未达到年度指标值（数字不足、超出上限或晚于期限），而“偏差原因”栏为空。

    ## 问题
    表中设有“偏差原因分析及改进措施”（未完成原因）一栏，某项指标的完成值按数字比较未达到目标——
    “≥”类少于目标、“≤”类超出上限、日期晚于期限——该栏却是空白、“无”或模板提示语，完成值里也没有说明原因。
    提前完成（“11月底前”由“10月”完成）、超额完成都不是偏差。

    ## 为什么
    财预〔2020〕10号附件要求对未完成的指标逐项分析偏差原因并提出改进措施；数字已经显示未达标而不作说明，
    自评流于形式，复核时会追问。
    """

    code = "NM007"
    name = "shortfall-reason-missing"
    severity = Severity.WARNING
    summary = "完成值未达目标，却未填写偏差原因"
    message = "{where}实际完成{actual}，未达到目标{target}，但偏差原因为空"
    rationale = "未完成的指标须逐项说明偏差原因和改进措施（财预〔2020〕10号）；数字显示未达标而不说明，自评流于形式。"
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "质量指标", "name": "临时救助标准", "target": "≤5300元/户", "completion": "5830元/户",
             "weight": 10, "score": 10, "reason": ""}]}, field="reason", indicator="质量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "验收时间", "target": "11月底前", "completion": "12月20日",
             "weight": 10, "score": 8, "reason": "无"}]}, field="reason", indicator="时效指标"),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "特困人员救助人数", "target": "≥4754人", "completion": "4604人",
             "weight": 5, "score": 4.8, "reason": "特困人员实行动态管理，年内有退出"}]}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "完成时间", "target": "2023年12月31日前", "completion": "2023年11月",
             "weight": 10, "score": 10, "reason": ""}]}, note="提前完成不是偏差"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                if indicator.reason is None or not _unexplained(indicator):
                    continue
                short = [c for c in comparisons(ctx, indicator) if c.shortfall]
                if not short:
                    continue
                first = short[0]
                yield ctx.finding(
                    self, project, "reason", indicator.reason, indicator=indicator,
                    actual=first.shown("completion"), target=first.shown("target"),
                    related=(ctx.place(project, "completion", indicator.completion, indicator),),
                    suggestion="写明未达标的原因和下一步改进措施",
                )  # fmt: skip


def _unexplained(indicator: Indicator) -> bool:
    reason = indicator.reason
    if not (is_empty(reason) or is_not_applicable(reason.text)):  # type: ignore[union-attr]
        return False
    cues = tuple(numbers_pack().get("reason_cues", ()))
    return not any(cue in indicator.completion.text for cue in cues)
