"""VG003 completion-states-threshold: a completion written as a target (≥80%)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.checks.suggestions import completion_example
from auditor.model import Finding, Indicator, Severity
from auditor.resources import PackMemo, pack_memo
from auditor.text.normalize import normalize

_THRESHOLD = re.compile(r"^(≥|≤|>|<|>=|<=|不低于|不少于|不超过|不高于|不小于|不大于|大于|小于|高于|低于|至少)")
_ENDS_AS_TARGET = re.compile(r"^\d+(\.\d+)?\s*\S{0,3}(以上|以内|以下)$")
# An indicator name followed by a threshold and nothing else: "住户满意度≥90%".
_NAMED_THRESHOLD = re.compile(r"^[^\d≥≤<>,，;；]{1,20}(≥|≤|>=|<=|不低于|不少于|不超过|不高于)\s*\d+(\.\d+)?\s*\S{0,4}$")
# In an overall completion, a rate given as a threshold ("基本完成,达成率为90%以上") anywhere in the text.
_RATE_THRESHOLD = re.compile(
    r"\d+(\.\d+)?\s*%\s*(以上|以下|以内|左右)|(≥|≤|>=|<=|不低于|不少于|不超过|不高于)\s*\d+(\.\d+)?\s*%"
)


@register
class CompletionStatesThreshold(Rule):
    """完成值写成了目标的样子（“≥80%”“不低于90%”），而不是实际达到的数值。

    ## 问题
    完成值以比较符号或“不低于”“以上”开头/结尾，只复述门槛，没有写出实际达到多少；绩效目标整体完成情况
    把完成率写成门槛（“基本完成，达成率为90%以上”）。

    ## 为什么
    门槛不是结果：“≥80%”无法说明实际是 81% 还是 99%，得分也无法按完成比例计算。
    """

    code = "VG003"
    name = "completion-states-threshold"
    severity = Severity.WARNING
    summary = "完成值写成门槛（≥80%、不低于…），不是实际达到的数值"
    message = "完成值“{text}”只是门槛，没有写出实际达到的数值"
    rationale = "门槛不是结果：“≥80%”无法说明实际完成多少，得分也无法按完成比例计算。"
    examples = (
        Example("bad", {"indicators": {"质量指标": ["调查表数据合格率≥80%", "≥80%"]}}, field="completion",
                indicator="质量指标"),
        Example("bad", {"indicators": {"数量指标": ["培训≥300人次", "不少于300人次"]}}, field="completion",
                indicator="数量指标"),
        Example("bad", {"goal_completion": "目标1完成情况:基本完成,达成率为90%以上"}, field="goal_completion"),
        Example("good", {"goal_completion": "全年检查企业212家，整改合格率97%"}),
        Example("good", {"indicators": {"质量指标": ["合格率≥80%", "合格率86.4%"],
                                        "数量指标": ["检查覆盖率≥95%", "达到98%以上，实际检查1260家"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for place in text_places(ctx.submission, ("completion", "goal_completion")):
            if place.field == "goal_completion":
                norm = normalize(place.cell.text)
                threshold = bool(_RATE_THRESHOLD.search(norm.replace(">=", "≥").replace("<=", "≤")))
            else:
                text = place.cell.text
                threshold = _THRESHOLDS.get(text)  # (three patterns per completion: once per text)
                if threshold is None:
                    norm = normalize(text)
                    threshold = _THRESHOLDS.put(
                        text, bool(_THRESHOLD.match(norm) or _ENDS_AS_TARGET.match(norm) or _NAMED_THRESHOLD.match(norm))
                    )
            if threshold:
                yield ctx.finding(
                    self, place.project, place.field, place.cell, indicator=place.indicator,
                    suggestion=_suggestion(ctx, place.indicator),
                )  # fmt: skip


#: Whether an indicator's completion text is written as a threshold, by text.
_THRESHOLDS: PackMemo[str, bool] = pack_memo()


def _suggestion(ctx: Context, indicator: Indicator | None) -> str:
    """What to write, with an example built from the indicator where one reads right."""
    example = completion_example(indicator.category if indicator else None, indicator, ctx.submission.year)
    return f"写明实际达到的数值，如“{example}”" if example else "写明实际达到的数值，不写门槛"
