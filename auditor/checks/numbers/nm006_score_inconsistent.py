"""NM006 score-inconsistent: self-scores that cannot be right (standard layout)."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import compare
from auditor.checks.numbers.nm001_execution_rate_mismatch import rounding
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Indicator, Project, Severity
from auditor.text.normalize import normalize

_VAGUE_COMPLETIONS = frozenset({"已完成", "完成", "满意", "及时完成", "达到预期", "达成预期指标", "较好", "良好", "好"})
_TOLERANCE = 0.051


@register
class ScoreInconsistent(Rule):
    """自评得分前后矛盾：得分高于分值、总分不等于各项之和、执行率得分不等于执行率×权重、
    完成值为空/笼统/未达标却得满分。

    ## 问题
    标准表中每个指标有分值与得分。常见错误：得分超过分值；总分不是各项得分加执行率得分之和；
    预算执行率得分不等于“执行率 × 分值”（超过100%按满分计）；完成值空白、只写“已完成”
    或数字低于目标，却给了满分（自评得分虚高）。

    ## 为什么
    财预〔2020〕10号附件规定了计分方法：定量指标按完成比例计分，执行率得分 = 执行率 × 权重，
    总分为各项之和。得分与表内内容矛盾，说明自评不实。
    """

    code = "NM006"
    name = "score-inconsistent"
    severity = Severity.ERROR
    summary = "自评得分与分值、执行率或完成情况矛盾（含总分不等于各项之和）"
    message = "自评得分有误：{detail}"
    rationale = "自评得分须按财预〔2020〕10号的计分方法；与表内内容矛盾即自评得分虚高或计算错误。"
    layouts = ("standard",)
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "已完成",
             "weight": 20, "score": 20}]}, field="score", indicator="数量指标"),
        Example("bad", {"layout": "standard", "total_score": 95, "budget": {"annual": 100, "executed": 90,
            "rate": "90.00%", "weight": 10, "score": 9}, "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "212家",
             "weight": 90, "score": 90}]}, field="score"),
        Example("good", {"layout": "standard", "total_score": 99, "budget": {"annual": 100, "executed": 90,
            "rate": "90.00%", "weight": 10, "score": 9}, "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "检查企业212家",
             "weight": 90, "score": 90}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            yield from self._indicators(ctx, project)
            yield from self._rate_score(ctx, project)
            yield from self._total(ctx, project)

    def _indicators(self, ctx: Context, project: Project) -> Iterator[Finding]:
        for indicator in project.indicators:
            weight = indicator.weight.number if indicator.weight is not None else None
            score = indicator.score.number if indicator.score is not None else None
            if weight is None or score is None:
                continue
            detail = None
            if score > weight + 1e-9:
                detail = f"{indicator.label}得分{score:g}高于分值{weight:g}"
            elif score >= weight - 1e-9 and weight > 0:
                detail = self._full_marks_problem(ctx, indicator)
            if detail:
                yield ctx.finding(
                    self, project, "score", indicator.score, indicator=indicator, detail=detail,
                    suggestion="按完成情况如实计分：定量指标按完成比例，定性指标按三档标准",
                )  # fmt: skip

    @staticmethod
    def _full_marks_problem(ctx: Context, indicator: Indicator) -> str | None:
        completion = indicator.completion
        name = indicator.label
        if completion.is_blank:
            return f"{name}完成值为空，却得满分"
        if is_not_applicable(completion.text) and not is_not_applicable(indicator.target.text):
            return f"{name}完成值为“{completion.text}”，却得满分"
        if normalize(completion.text) in _VAGUE_COMPLETIONS and ctx.target_facts(indicator).has_figure:
            return f"{name}完成值只写“{completion.text}”，没有实际数值，却得满分"
        short = [c for c in compare(ctx.target_facts(indicator), ctx.completion_facts(indicator)) if c.shortfall]
        if short:
            c = short[0]
            return (
                f"{name}实际完成{c.completion.value:g}{c.completion.unit}，未达到目标"
                f"{c.target.value:g}{c.target.unit}，却得满分（按完成比例应得约"
                f"{c.ratio * (indicator.weight.number or 0):.2f}分）"
            )
        return None

    def _rate_score(self, ctx: Context, project: Project) -> Iterator[Finding]:
        budget = project.budget
        if budget.rate is None or budget.rate_weight is None or budget.rate_score is None:
            return
        rate, weight, score = budget.rate.percent, budget.rate_weight.number, budget.rate_score.number
        if rate is None or weight is None or score is None:
            return
        expected = min(rate, 100.0) / 100 * weight
        tolerance = max(rounding(budget.rate_score), _TOLERANCE) + weight * 0.005
        if score > weight + 1e-9 or abs(score - expected) > tolerance:
            yield ctx.finding(
                self, project, "budget", budget.rate_score,
                detail=f"预算执行率得分{score:g}，按执行率{rate:g}%×分值{weight:g}应为{expected:.2f}",
                suggestion=f"执行率得分应为 {expected:.2f}",
            )  # fmt: skip

    def _total(self, ctx: Context, project: Project) -> Iterator[Finding]:
        total = project.total_score.number if project.total_score is not None else None
        scores = [ind.score.number for ind in project.indicators if ind.score is not None]
        if total is None or not scores or any(s is None for s in scores):
            return
        rate_score = project.budget.rate_score.number if project.budget.rate_score is not None else 0.0
        expected = sum(s for s in scores if s is not None) + (rate_score or 0.0)
        if abs(total - expected) > max(rounding(project.total_score), _TOLERANCE) + 0.01 * len(scores):
            yield ctx.finding(
                self, project, "score", project.total_score,
                detail=f"总分{total:g}不等于各项得分之和{expected:.2f}",
                suggestion=f"总分应为各指标得分与执行率得分之和（{expected:.2f}）",
            )  # fmt: skip
