"""ST002 not-applicable-misused: 不适用/无 where content is required, or on one side only."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable, required_categories
from auditor.checks.registry import register
from auditor.model import Finding, Severity


@register
class NotApplicableMisused(Rule):
    """必设指标填“不适用/无”，或一侧填“不适用”而另一侧填了内容。

    ## 问题
    数量、质量、时效和满意度指标是每个项目都应设置的指标，填“不适用”“无”等于没有设置；
    任何类别中，年度指标值写了内容而完成值写“不适用”（或反过来），前后矛盾。

    ## 为什么
    财预〔2020〕10号要求产出指标和满意度指标细化、量化；“不适用”只适合确实不涉及的效益类指标，
    且目标与完成应一致。
    """

    code = "ST002"
    name = "not-applicable-misused"
    severity = Severity.WARNING
    summary = "必设指标填“不适用/无”，或目标与完成一侧“不适用”一侧有内容"
    message = "{where}填写“{text}”：{reason}"
    rationale = "产出指标和满意度指标是每个项目必设的；“不适用”只能用于确不涉及的类别，且目标与完成须一致。"
    examples = (
        Example("bad", {"indicators": {"时效指标": ["不适用", "不适用"]}}, field="target", indicator="时效指标"),
        Example("bad", {"indicators": {"生态效益指标": ["绿化面积≥500平方米", "不适用"]}},
                field="completion", indicator="生态效益指标"),
        Example("good", {"indicators": {"生态效益指标": ["不适用", "不适用"],
                                        "时效指标": ["2022年12月31日前完成", "2022年11月20日完成"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        required = required_categories()
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target, completion = indicator.target, indicator.completion
                na_target = not target.is_blank and is_not_applicable(target.text)
                if not na_target and (completion.is_blank or not is_not_applicable(completion.text)):
                    continue  # neither side says 不适用 (most rows: nothing built for them)
                for field, cell, other in (("target", target, completion), ("completion", completion, target)):
                    if not (na_target if field == "target" else is_not_applicable(cell.text) and not cell.is_blank):
                        continue
                    if indicator.category in required:
                        reason = f"{indicator.category}是每个项目都应设置的指标，不能填“不适用”"
                    elif not other.is_blank and not is_not_applicable(other.text):
                        reason = "另一侧填写了具体内容，目标与完成前后矛盾"
                    else:
                        continue
                    yield ctx.finding(
                        self, project, field, cell, indicator=indicator, reason=reason,
                        suggestion=f"为{indicator.category}设置可衡量的目标值并填写实际完成值"
                        if indicator.category in required else "目标与完成应同时填写内容或同时注明不适用",
                    )  # fmt: skip
