"""CP003 indicator-restates-goal: an indicator repeats the project goal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.text.normalize import normalize
from auditor.text.similarity import copy_pack, same_text

_ENUMERATED = re.compile(r"(^|[。；;])\s*[(（]?[1-9一二三四五六][)）、.．]")


@register
class IndicatorRestatesGoal(Rule):
    """指标的年度指标值（或完成值）照搬项目的年初绩效目标。

    ## 问题
    指标应把总体目标分解为可衡量的数量、质量、时效等；把整个目标原样填进某个指标，等于没有分解。

    ## 为什么
    财预〔2021〕101号要求绩效指标是对绩效目标的细化、量化；照搬目标的指标无法衡量。
    """

    code = "CP003"
    name = "indicator-restates-goal"
    severity = Severity.WARNING
    summary = "指标照搬项目的年初绩效目标"
    message = "{where}“{text}”照搬了项目的年初绩效目标，没有分解为可衡量的指标"
    rationale = "绩效指标应是对总体目标的细化和量化；照搬目标等于没有设定指标（财预〔2021〕101号）。"
    examples = (
        Example("bad", {"goal": "完成龙岗区安全生产网格化管理指挥系统",
                        "indicators": {"数量指标": ["完成龙岗区安全生产网格化管理指挥系统", "已完成"]}},
                field="target", indicator="数量指标"),
        Example("good", {"goal": "完成200家企业隐患排查，开展10场专项培训",
                         "indicators": {"数量指标": ["隐患排查企业≥200家", "排查企业206家"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = copy_pack()
        min_length, ratio = int(pack["goal_min_length"]), float(pack["goal_ratio"])
        coverage = float(pack["goal_coverage"])
        for project in ctx.submission.projects:
            goal = normalize(project.goal.text)
            if len(goal) < min_length:
                continue
            enumerated = bool(_ENUMERATED.search(goal))
            compared = normalize(goal)  # the goal as similarity() compares it
            for indicator in project.indicators:
                for field in ("target", "completion"):
                    cell = indicator.target if field == "target" else indicator.completion
                    text = normalize(cell.text)
                    if not text or is_not_applicable(text):
                        continue
                    if field == "completion" and same_text(indicator.target.text, cell.text):
                        continue  # a copy of the target: CP001 reports it
                    # One item of an enumerated goal is a decomposition, not a restatement.
                    covers = (
                        not enumerated
                        and len(text) >= min_length
                        and text in goal
                        and len(text) >= coverage * len(goal)
                    )
                    if text == goal or goal in text or covers or _similar(text, compared, ratio):
                        yield ctx.finding(
                            self, project, field, cell, indicator=indicator,
                            related=(ctx.place(project, "goal", project.goal),),
                            suggestion="把目标分解为可衡量的指标（衡量对象、比较符、数值和单位）",
                        )  # fmt: skip


def _similar(text: str, goal: str, ratio: float) -> bool:
    """``similarity(text, goal) >= ratio`` for the goal as :func:`similarity` compares it.

    Texts whose lengths alone keep them below the ratio are not compared: the ratio is
    ``200·matches / (len_a + len_b)`` with at most ``min(len_a, len_b)`` matches, and most
    indicator texts are far shorter than their project's goal (every cell of every project asks).
    """
    text = normalize(text)
    a, b = len(text), len(goal)
    if 200 * min(a, b) < (ratio - 0.001) * (a + b):
        return False
    return float(fuzz.ratio(text, goal)) >= ratio
