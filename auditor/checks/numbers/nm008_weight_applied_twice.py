"""NM008 weight-applied-twice: 单项得分 already in points of the weight, multiplied by the weight again."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.scores import weight_twice
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class WeightAppliedTwice(Rule):
    """折算得分把权重用了两次：单项指标得分已按分值计（等于分值），又乘以权重占比。

    ## 问题
    有的表（如河北“预算项目绩效自评表”）设“单项指标得分”“权重占比(%)”“折算得分”三栏：单项得分按百分制
    给出，再乘以权重占比折算。若单项得分已经按分值计（分值25的指标得了25分），再乘以权重占比25%，
    折算得分就成了6.25——权重被用了两次，达标的指标也只得四分之一的分。

    ## 为什么
    财预〔2020〕10号的计分方法是“达标得满分（分值）”；重复折算使得分与完成情况脱节，总分严重失真。
    """

    code = "NM008"
    name = "weight-applied-twice"
    severity = Severity.ERROR
    summary = "单项得分已按分值计，又乘以权重占比（权重用了两次）"
    message = (
        "{where}单项得分{item:g}已等于分值{weight:g}，又乘以权重占比{share:g}%，折算得分成了{score:g}，应为{item:g}"
    )
    rationale = "达标的指标应得满分（分值）；单项得分已按分值计又乘以权重，得分与完成情况脱节（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "质量指标", "name": "发放准确率", "target": "≥98%", "completion": "100%",
             "item_score": 25, "share": 25, "score": 6.25}]}, field="score", indicator="质量指标"),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "质量指标", "name": "发放准确率", "target": "≥98%", "completion": "100%",
             "item_score": 100, "share": 25, "score": 25}]}, note="单项得分按百分制，折算一次"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                twice = weight_twice(indicator)
                if twice is None:
                    continue
                weight, item, share, score = twice
                yield ctx.finding(
                    self, project, "score", indicator.score, indicator=indicator,
                    weight=weight, item=item, share=share, score=score,
                    related=(ctx.place(project, "score", indicator.item_score, indicator),),
                    suggestion="单项得分已按分值计的，直接作为得分；按百分制计的，再乘以权重占比",
                )  # fmt: skip
