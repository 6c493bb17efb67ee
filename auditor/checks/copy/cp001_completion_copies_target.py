"""CP001 completion-copies-target: the completion is the target, copied."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.copy.pairs import CP001_COLUMNS, CP001_WIDE, pair_verdict
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.checks.suggestions import completion_suggestion
from auditor.model import Finding, Layout, Severity
from auditor.text.normalize import normalize
from auditor.text.similarity import plain_figure


@register
class CompletionCopiesTarget(Rule):
    """完成值与年度指标值完全相同（规范化后：全半角、空白、句末标点不计）。

    ## 问题
    “实际完成值/完成情况”一栏照抄“年度指标值/年度指标内容”，没有写出实际完成了多少。
    目标值与完成值各占一栏的表式（标准表式）中，完成值等于一个单纯的目标数值或日期（“12个”“100%”
    “75元”“2021年12月完成”）是恰好达到目标，不报告；照抄的文字（“及时”“有效”“高”）和带比较符的
    门槛（“≥266米”）仍然报告。

    ## 为什么
    自评要求如实反映实际完成情况（财预〔2020〕10号）。照抄目标等于没有自评，
    复核时视为完成情况不实；应写出实际达到的数量、比例或时间。
    """

    code = "CP001"
    name = "completion-copies-target"
    severity = Severity.ERROR
    summary = "完成值与年度指标值完全相同"
    message = "完成值与年度指标值完全相同（“{text}”），未写出实际完成情况"
    rationale = "完成值照抄目标等于没有自评；应写出实际达到的数量、比例或时间（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"indicators": {"数量指标": ["完成33人防控一线工作补助发放", "完成33人防控一线工作补助发放。"]}},
                field="completion", indicator="数量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "新建道路长度", "target": "≥266米", "completion": "≥266米"}]},
                field="completion", indicator="数量指标", note="带比较符的门槛照抄到完成值"),
        Example("good", {"indicators": {"数量指标": ["发放补助≥33人", "实际发放补助33人"],
                                        "生态效益指标": ["不适用", "不适用"]}}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "补助种植面积", "target": "29.5亩", "completion": "29.5亩"},
            {"category": "时效指标", "name": "完成时间", "target": "2021年12月完成", "completion": "2021年12月完成"}]},
                note="标准表式中完成值恰好等于目标数值：达到目标，不是照抄"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        columns = ctx.submission.layout is not Layout.WIDE  # target and completion each in their own column
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target, completion = indicator.target, indicator.completion
                if pair_verdict(target.text, completion.text, *(_IN_COLUMNS if columns else _WIDE)):
                    yield ctx.finding(
                        self, project, "completion", completion, indicator=indicator,
                        related=(ctx.place(project, "target", target, indicator),),
                        suggestion=completion_suggestion(indicator.category, indicator, ctx.submission.year),
                    )  # fmt: skip


def _copies(target: str, completion: str, columns: bool) -> bool:
    """The completion copies the target."""
    if not target.strip() or not completion.strip() or is_not_applicable(target):
        return False
    if columns and plain_figure(completion):
        return False  # a target figure met exactly
    return normalize(target) == normalize(completion)


_WIDE = (CP001_WIDE, lambda target, completion: _copies(target, completion, False))
_IN_COLUMNS = (CP001_COLUMNS, lambda target, completion: _copies(target, completion, True))
