"""ST001 missing-value: a required cell is empty."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import compare
from auditor.checks.options import is_empty, is_placeholder_name, required_categories
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Layout, Project, Severity

_LOST = "（此行在原表中少一格，推定缺失的正是此单元格）"


@register
class MissingValue(Rule):
    """必填内容为空：必设指标或计分指标的年度指标值、完成值，绩效目标及其完成情况，得分，或有扣分却未写偏差原因。

    ## 问题
    必须填写的单元格为空：每个项目都应设置的数量、质量、时效指标和服务对象满意度指标（目标值与完成值），
    其他设了分值的指标（包括下设“其中”子项、自身却没有数值的计分上级行），项目的年初绩效目标和绩效目标
    完成情况，设了分值的预算执行率得分和自评总分，得分低于分值（存在偏差）时的“偏差原因分析及改进措施”，
    以及汇总表表头设有、却未填写的评价等级。未设置（或整块为空）的必设类别在项目一级报告一次。
    只留着模板提示语（“对照年度目标，说明……（100字以内）”）的单元格视同为空；模板自带的空白占位行
    （“……”“指标2:”）和未使用的可选行不报告。

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
        Example("bad", {"goal": "", "indicators": {"数量指标": ["检查企业≥200家", "检查企业212家"]}}, field="goal"),
        Example("bad", {"layout": "standard", "goal": "完成检查", "indicators": [
            {"category": "质量指标", "name": "档案整理规范性", "target": "符合档案管理规范", "completion": "基本规范",
             "weight": 10, "score": 8, "reason": ""}]}, field="reason", indicator="质量指标",
                note="扣了分却不写原因（数值未达标而无原因的，由 NM007 报告）"),
        Example("bad", {"goal": "完成检查", "goal_completion": "对照年度目标,说明相关任务目标的完成情况(100字以内)"},
                field="goal_completion", note="模板提示语视同为空"),
        Example("bad", {"layout": "standard", "goal": "完成检查", "indicators": [
            {"category": "数量指标", "name": "★补助种植面积", "target": "", "completion": "", "weight": 10,
             "score": 10, "parent": True},
            {"category": "数量指标", "name": "其中梨树种植面积", "target": "6亩", "completion": "6亩", "sub": True}]},
                field="target", indicator="数量指标", note="计分的上级行自身没有数值"),
        Example("bad", {"layout": "standard", "goal": "完成检查", "indicators": [
            {"category": "数量指标", "name": "检查企业", "target": "≥200家", "completion": "212家", "weight": 50},
            {"category": "社会效益指标", "name": "足额保障率", "target": "100%", "completion": "", "weight": 30}]},
                field="row", note="未设置质量、时效、满意度指标，在项目一级报告一次"),
        Example("bad", {"layout": "summary", "projects": [{"name": "某工程", "total_score": 97, "grade": ""}]},
                field="score", note="汇总表有等级列，等级为空"),
        Example("bad", {"layout": "standard", "budget": {"annual": 880, "executed": 880, "rate": "", "weight": 10,
                                                          "score": 10}}, field="budget", note="执行率留空"),
        Example("bad", {"layout": "standard", "management": [
            {"section": "资金管理", "label": "分配科学性", "content": "按因素法分配，测算依据已公开"},
            {"section": "资金管理", "label": "下达及时性", "content": ""}]},
                field="budget", note="资金管理情况的情况说明留空"),
        Example("good", {"layout": "standard", "goal": "完成200家企业安全检查", "indicators": [
            {"category": "数量指标", "name": "检查企业", "target": "≥200家", "completion": "212家", "weight": 20},
            {"category": "数量指标", "name": "……", "target": "", "completion": ""},
            {"category": "质量指标", "name": "整改合格率", "target": "≥95%", "completion": "97%", "weight": 10},
            {"category": "时效指标", "name": "完成时间", "target": "12月31日前", "completion": "11月20日", "weight": 10},
            {"category": "生态效益指标", "name": "", "target": "", "completion": ""},
            {"category": "满意度指标", "name": "企业满意度", "target": "≥90%", "completion": "93%", "weight": 10}]},
                note="模板占位行和未使用的可选行不报告"),
        Example("good", {"goal": "完成200家企业安全检查", "indicators": {
            "数量指标": ["检查企业≥200家", "检查企业212家"], "质量指标": ["整改合格率≥95%", "整改合格率97%"],
            "时效指标": ["2022年12月31日前完成", "2022年11月20日完成"],
            "满意度指标": ["企业满意度≥90%", "抽样调查满意度93%"]}}),
    )  # fmt: skip

    layouts = ("wide", "standard", "summary")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.submission.layout is Layout.SUMMARY:
            yield from self._summary(ctx)
            return
        required = required_categories()
        for project in ctx.submission.projects:
            # The form has the field (a located cell) but nothing, or only the template's prompt, is in it;
            # a form without the field at all (or a copy cut before it) is not reported.
            for field, label in (("goal", "年初绩效目标"), ("goal_completion", "绩效目标整体完成情况")):
                cell = getattr(project, field)
                if is_empty(cell) and (cell.location is not None or not cell.is_blank):
                    yield self._missing(ctx, project, field, cell, label)
            yield from self._scores(ctx, project)
            yield from self._management(ctx, project)
            unused = [_unused(indicator) for indicator in project.indicators]  # (asked twice below: once each)
            present = {indicator.category for indicator, skip in zip(project.indicators, unused, strict=True) if not skip}
            absent = [category for category in required if category not in present]
            if absent and project.indicators:
                names = "、".join(absent)
                yield ctx.finding(self, project, "row", None,
                                  message=f"未设置{names}（或其内容为空），这些指标为必设指标",
                                  suggestion=f"补充{names}及其年度指标值和实际完成值")  # fmt: skip
            for indicator, skip in zip(project.indicators, unused, strict=True):
                if skip:
                    continue
                if indicator.category in required or _weighted(indicator) or indicator.parent:
                    for field, cell, label in (
                        ("target", indicator.target, "年度指标值"),
                        ("completion", indicator.completion, "实际完成值"),
                    ):
                        if is_empty(cell):
                            what = f"{indicator.label}的{label}"
                            if indicator.parent:
                                what = f"{indicator.label}（计分的上级指标行）的{label}"
                            yield self._missing(ctx, project, field, cell, what, indicator)
                deviation = self._deviation(ctx, indicator)
                if deviation:
                    yield ctx.finding(
                        self, project, "reason", indicator.reason, indicator=indicator,
                        message=f"{indicator.label}{deviation}，但未填写偏差原因分析及改进措施",
                        suggestion="写明未达标的原因和下一步改进措施",
                    )  # fmt: skip

    def _scores(self, ctx: Context, project: Project) -> Iterator[Finding]:
        """The 执行率 score and the total score: cells the form has, left empty while weights are given."""
        budget = project.budget
        if budget.rate_weight is not None and budget.rate_weight.number and is_empty(budget.rate_score) \
                and budget.rate_score is not None:
            yield ctx.finding(self, project, "budget", budget.rate_score,
                              message="预算执行率有分值但得分为空，该项为必填内容",
                              suggestion="按执行率×分值填写预算执行得分")  # fmt: skip
        if budget.rate is not None and is_empty(budget.rate) and budget.total is not None \
                and budget.total.executed is not None and budget.total.executed.number is not None:
            yield ctx.finding(self, project, "budget", budget.rate,
                              message="预算执行率为空（执行数已填写），该项为必填内容",
                              suggestion="按全年执行数÷全年预算数填写执行率")  # fmt: skip
        weighted = any(_weighted(indicator) for indicator in project.indicators)
        if project.total_score is not None and is_empty(project.total_score) and weighted:
            yield ctx.finding(self, project, "score", project.total_score,
                              message="自评总分为空，该项为必填内容", suggestion="填写各项得分之和")  # fmt: skip

    def _management(self, ctx: Context, project: Project) -> Iterator[Finding]:
        """资金管理情况 rows whose 情况说明 is empty: the form asks for each item, and one is left blank."""
        empty = [item for item in project.management if item.section == "资金管理" and is_empty(item.content)]
        if empty:
            names = "、".join(f"“{item.label.text}”" for item in empty[:4]) + ("等" if len(empty) > 4 else "")
            yield ctx.finding(self, project, "budget", empty[0].content or empty[0].label,
                              message=f"资金管理情况中{names}的情况说明为空，该项为必填内容",
                              suggestion="逐项写明资金分配、下达、拨付、使用等的实际情况")  # fmt: skip

    def _summary(self, ctx: Context) -> Iterator[Finding]:
        """Score summaries: a grade column the header announces, left empty."""
        for project in ctx.submission.projects:
            if project.grade is not None and project.grade.is_blank:
                yield ctx.finding(self, project, "score", project.grade,
                                  message="表头设有评价等级，但该项目的等级为空",
                                  suggestion="按得分填写评价等级（优/良/中/差）")  # fmt: skip

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
        short = [
            c for c in compare(ctx.target_facts(indicator), ctx.completion_facts(indicator))
            if c.shortfall and not (c.target.unit == "%" and c.target.value > 100)  # 290%: a misprint, not a target
        ]
        if short:
            return None  # a figure short of its target with no reason is NM007's finding, said once
        weight = indicator.weight.number if indicator.weight is not None else None
        score = indicator.score.number if indicator.score is not None else None
        if weight is not None and score is not None and score < weight:
            return f"得分{indicator.score.text}低于分值{indicator.weight.text}"  # type: ignore[union-attr]
        return None


def _weighted(indicator: Indicator) -> bool:
    """The row carries a positive weight (分值/权重)."""
    weight = indicator.weight.number if indicator.weight is not None else None
    return bool(weight and weight > 0)


def _unused(indicator: Indicator) -> bool:
    """A template slot nobody filled in (``……``, ``指标2:``, an empty category block), or a sub-row with
    nothing in it: not labelled, and a category holding only such rows counts as absent."""
    if indicator.parent or _weighted(indicator):
        return False
    name = indicator.name.text if indicator.name is not None else ""
    return is_empty(indicator.target) and is_empty(indicator.completion) and (
        is_placeholder_name(name) or indicator.sub or indicator.weight is not None
    )
