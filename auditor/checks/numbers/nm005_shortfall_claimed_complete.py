"""NM005 shortfall-claimed-complete: a completion figure below its target, while called met."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import Comparison
from auditor.checks.numbers.scores import compared
from auditor.checks.registry import register
from auditor.model import Finding, Indicator, Project, Severity

_CLAIMS = re.compile(r"已完成|全部完成|完成|达到|达标|已实现|实现|圆满")
_ALL_DONE = re.compile(r"全面完成|全部完成|圆满完成|均已完成|各项.{0,6}均.{0,4}完成|已完成年初设定的各项")
_ADMITS = re.compile(r"未完成|未达到|未达|未实现|差距|不足|偏差|延迟|滞后|逾期|推迟")
_ON_TIME = re.compile(r"按时|如期|按期|及时|提前")


def claimed_met(ctx: Context, project: Project, indicator: Indicator) -> bool:
    """The completion, the overall completion or a full score says the target was met."""
    completion = indicator.completion.text
    if _ADMITS.search(completion):
        return False
    if _CLAIMS.search(completion):
        return True
    weight = indicator.weight.number if indicator.weight is not None else None
    score = indicator.score.number if indicator.score is not None else None
    if weight is not None and score is not None:
        return score >= weight
    overall = project.goal_completion.text
    return bool(_CLAIMS.search(overall)) and not _ADMITS.search(overall)


@register
class ShortfallClaimedComplete(Rule):
    """完成值的数字低于年度指标值（同一计量单位），却声称已完成或给了满分。

    ## 问题
    年度指标值“≥200家”，完成值“完成180家”；或“≤90万元”而实际 96 万元，同时完成情况写“已完成”、
    或该指标得满分。小于等于（≤）类指标按“越低越好”比较；日期按先后比较：“11月底前”由“10月”完成是
    提前达标，由“12月”完成才是未达标（此时须写“按时”“如期”或得满分才算称已完成）。

    ## 为什么
    未达标却称完成，属于自评结果不实；按财预〔2020〕10号，未完成的定量指标应按完成比例计分并说明偏差原因。
    """

    code = "NM005"
    name = "shortfall-claimed-complete"
    severity = Severity.ERROR
    summary = "完成数值未达到目标，却称已完成或给满分"
    message = "年度指标值为{target}，实际完成{actual}，未达到目标，却{claim}"
    rationale = "未达标却称完成属于自评不实；未完成的定量指标应按完成比例计分并说明偏差原因（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"indicators": {"数量指标": ["检查企业≥200家", "已完成检查企业180家"]}}, field="completion",
                indicator="数量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "成本指标", "name": "项目总成本", "target": "≤90万元", "completion": "96万元",
             "weight": 10, "score": 10}]}, field="completion", indicator="成本指标"),
        Example("good", {"indicators": {"数量指标": ["检查企业≥200家", "检查企业180家，未完成原因：20家停产"]}}),
        Example("good", {"indicators": {"成本指标": ["≤90万元", "实际支出86.5万元，已完成"]}}),
        Example("good", {"indicators": {"时效指标": ["2023年12月31日前完成", "2023年11月已完成"]}},
                note="提前完成即达标"),
        Example("bad", {"indicators": {"时效指标": ["11月底前完成验收", "12月按时完成验收"]}}, field="completion",
                indicator="时效指标", note="晚于期限却称按时"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            yield from self._overall(ctx, project)
            for indicator in project.indicators:
                if indicator.target.is_blank or indicator.completion.is_blank:
                    continue
                for first in compared(ctx, indicator):
                    if first.shortfall and _claimed(ctx, project, indicator, first):
                        break
                else:
                    continue  # no figure short of its target and claimed met
                claim = "给了满分" if _full(indicator) else "称已完成"
                yield ctx.finding(
                    self, project, "completion", indicator.completion, indicator=indicator,
                    target=first.shown("target"), actual=first.shown("completion"), claim=claim,
                    related=(ctx.place(project, "target", indicator.target, indicator),),
                    suggestion="如实写明未完成的差距和原因，并按完成比例自评得分",
                )  # fmt: skip

    def _overall(self, ctx: Context, project: Project) -> Iterator[Finding]:
        """The overall completion claims everything was achieved while an indicator fell short."""
        overall = project.goal_completion
        if overall.is_blank or not _ALL_DONE.search(overall.text) or _ADMITS.search(overall.text):
            return
        for indicator in project.indicators:
            if indicator.target.is_blank or indicator.completion.is_blank or _ADMITS.search(indicator.completion.text):
                continue
            first = next((c for c in compared(ctx, indicator) if c.shortfall), None)
            if first is not None:
                yield ctx.finding(
                    self, project, "goal_completion", overall,
                    message=f"整体完成情况称“{_ALL_DONE.search(overall.text).group(0)}”，但{indicator.label}"  # type: ignore[union-attr]
                    f"实际完成{first.shown('completion')}，未达到目标{first.shown('target')}",
                    related=(ctx.place(project, "completion", indicator.completion, indicator),),
                    suggestion="整体完成情况应如实说明未完成的指标及原因",
                )  # fmt: skip
                return


def _claimed(ctx: Context, project: Project, indicator: Indicator, comparison: Comparison) -> bool:
    """A late date is only claimed met by words of punctuality or a full score (12月完成 is a fact)."""
    if not comparison.is_date:
        return claimed_met(ctx, project, indicator)
    return not _ADMITS.search(indicator.completion.text) and (
        _full(indicator) or bool(_ON_TIME.search(indicator.completion.text))
    )


def _full(indicator: Indicator) -> bool:
    if indicator.weight is None or indicator.score is None:
        return False
    weight, score = indicator.weight.number, indicator.score.number
    return weight is not None and score is not None and score >= weight
