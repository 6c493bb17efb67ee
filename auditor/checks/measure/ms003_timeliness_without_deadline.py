"""MS003 timeliness-without-deadline: a 时效 target with no date, period or time limit."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.checks.suggestions import deadline_suggestion
from auditor.model import Finding, Indicator, Severity
from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize


@register
class TimelinessWithoutDeadline(Rule):
    """时效指标没有日期、期限或时限，只写“及时”“按时”。

    ## 问题
    时效指标应写明完成时限，如“2020年12月31日前”“接报后10分钟内到达”“每季度”；
    “及时完成”“按时完成支付”没有可以对照的时间点；“免费开放率 100%”这样名称和目标值都与时间无关的比例
    更不是时效指标（“及时率”“开工率”有时间含义，不报告）。

    ## 为什么
    没有时限就无法判断是否及时，复核时认定为指标不可衡量（财预〔2021〕101号）。
    """

    code = "MS003"
    name = "timeliness-without-deadline"
    severity = Severity.WARNING
    summary = "时效指标没有日期、期限或时限（只写“及时”“按时”）"
    message = "时效指标“{text}”没有写明完成时限"
    rationale = "时效指标须写明时限，否则无法判断是否及时（财预〔2021〕101号“可衡量”）。"
    examples = (
        Example("bad", {"indicators": {"时效指标": ["各项工作及时开展完成,按时完成支付", "已按时完成"]}},
                field="target", indicator="时效指标"),
        Example("good", {"indicators": {"时效指标": ["2020年12月31日前完成验收", "2020年11月20日通过验收"]}}),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "免费开放率", "target": "100%", "completion": "100%"}]},
                field="target", indicator="时效指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "资金支付完成率100%", "target": "", "completion": ""}]},
                field="target", indicator="时效指标", note="目标值写进了指标名称"),
        Example("good", {"indicators": {"时效指标": ["接警后10分钟内到达现场", "平均8分钟到达"]}}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "资金发放及时率", "target": "100%", "completion": "100%"}]}),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "年度免费开放率", "target": "100%", "completion": "100%"}]},
                field="target", indicator="时效指标", note="“年度”指预算年度，不是时限"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.by_category("时效指标"):
                target = indicator.target
                if is_not_applicable(target.text):
                    continue
                if target.is_blank:
                    # The value written into the 三级指标's name (资金支付完成率100%) with the target cell
                    # left empty: the name is judged as the target (the empty cell is ST001's).
                    if indicator.name is None or not ctx.facts(indicator.name).quantities:
                        continue
                    facts = ctx.facts(indicator.name)
                else:
                    facts = ctx.target_facts(indicator)
                    if facts.name_only:
                        continue  # a bare indicator name is MS002's
                if facts.deadlines or any(
                    q.unit in ("天", "日", "小时", "分钟", "周", "个月", "月") for q in facts.quantities
                ):
                    continue
                # A rate (及时率 100%, 开工率 95%) needs words of time somewhere in its name or target;
                # 免费开放率 100% has none: nothing in it is about time.
                if any(q.unit == "%" for q in facts.quantities) and _speaks_of_time(indicator):
                    continue
                cell = indicator.name if target.is_blank and indicator.name is not None else target
                yield ctx.finding(
                    self, project, "target", cell, indicator=indicator,
                    suggestion=deadline_suggestion(ctx.submission.year),
                )  # fmt: skip


@pack_cache
def _time_words() -> tuple[str, ...]:
    return tuple(str(word) for word in load_pack("categories")["time_words"])


def _speaks_of_time(indicator: Indicator) -> bool:
    """Words of time in the name or target; 年度/全年/当年 name the budget year, not a time limit."""
    name = indicator.name.text if indicator.name is not None else ""
    text = normalize(name + indicator.target.text)
    text = re.sub("|".join(load_pack("categories").get("year_words", ())) or "(?!)", "", text)
    return any(word in text for word in _time_words())
