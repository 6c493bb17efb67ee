"""NM006 score-inconsistent: self-scores that cannot be right (standard layout)."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.nm001_execution_rate_mismatch import rate_rounding, rounding
from auditor.checks.numbers.scores import (
    comparisons,
    covers_target,
    number,
    scored_rows,
    sub_rows,
    tolerance,
    weight_twice,
)
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Project, Severity
from auditor.text.normalize import normalize

_VAGUE_COMPLETIONS = frozenset({"已完成", "完成", "满意", "及时完成", "达到预期", "达成预期指标", "较好", "良好", "好"})
_TOLERANCE = 0.051


@register
class ScoreInconsistent(Rule):
    """自评得分前后矛盾：得分高于分值或高于按完成比例应得的分数、已达标却扣分、总分不等于各项之和、
    执行率得分不等于执行率×分值、完成值为空/笼统/未达标却得满分。

    ## 问题
    标准表中每个指标有分值与得分。按计分方法：定量指标达标得满分；“≥”类未达标得 分值×完成值÷目标值，
    “≤”类超出上限得 分值×目标值÷完成值；任何得分都不超过分值。常见错误：得分超过分值（超额完成也不应
    超过分值，没有分值列时按完成比例反推）；未达标却给满分，或给分高于按完成比例应得的分数；完成值已达到
    目标（日期提前也算达到）却扣了分；总分不是各项得分加执行率得分之和；预算执行率得分不等于
    “执行率 × 分值”（超过100%按满分计）；完成值空白或只写“已完成”却给了满分。
    得分低于按完成比例应得的分数不报告（评分可以更严）。

    ## 为什么
    财预〔2020〕10号附件规定了计分方法：定量指标按完成比例计分，执行率得分 = 执行率 × 权重，
    总分为各项之和。得分与表内内容矛盾，说明自评不实或计算错误。
    """

    code = "NM006"
    name = "score-inconsistent"
    severity = Severity.ERROR
    summary = "自评得分与分值、完成比例、执行率或完成情况矛盾（含总分不等于各项之和）"
    message = "自评得分有误：{detail}"
    rationale = "自评得分须按财预〔2020〕10号的计分方法；与表内内容矛盾即自评得分虚高或计算错误。"
    layouts = ("standard",)
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "已完成",
             "weight": 20, "score": 20}]}, field="score", indicator="数量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "预算执行率", "target": "100%", "completion": "83.5%",
             "weight": 20, "score": 18}]}, field="score", indicator="数量指标",
                note="按完成比例应得 20×83.5% = 16.7 分"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "质量指标", "name": "办结率", "target": "≥98%", "completion": "100%",
             "weight": 25, "score": 20}]}, field="score", indicator="质量指标", note="已达标却扣分"),
        Example("bad", {"layout": "standard", "total_score": 95, "budget": {"annual": 100, "executed": 90,
            "rate": "90.00%", "weight": 10, "score": 9}, "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "212家",
             "weight": 90, "score": 90}]}, field="score"),
        Example("good", {"layout": "standard", "total_score": 99, "budget": {"annual": 100, "executed": 90,
            "rate": "90.00%", "weight": 10, "score": 9}, "indicators": [
            {"category": "数量指标", "name": "检查企业数", "target": "≥200家", "completion": "检查企业212家",
             "weight": 90, "score": 90}]}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "时效指标", "name": "完成时间", "target": "11月底前", "completion": "10月完成",
             "weight": 10, "score": 10}]}, note="日期提前完成即达标"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            yield from self._indicators(ctx, project)
            yield from self._rate_score(ctx, project)
            yield from self._total(ctx, project)

    def _indicators(self, ctx: Context, project: Project) -> Iterator[Finding]:
        for indicator in project.indicators:
            score = number(indicator.score)
            if score is None or weight_twice(indicator) is not None:
                continue  # NM008 reports a weight applied twice
            weight = number(indicator.weight)
            if weight is None and indicator.item_score is None:
                detail = self._above_implied_weight(ctx, indicator, score)
            elif weight is None:
                detail = None
            else:
                detail = self._against_weight(ctx, project, indicator, weight, score)
            if detail:
                yield ctx.finding(
                    self, project, "score", indicator.score, indicator=indicator, detail=detail,
                    suggestion="按完成情况如实计分：定量指标按完成比例，定性指标按三档标准，得分不超过分值",
                )  # fmt: skip

    def _against_weight(
        self, ctx: Context, project: Project, indicator: Indicator, weight: float, score: float
    ) -> str | None:
        name, slack = indicator.label, tolerance(weight, indicator.score)
        if score > weight + 1e-9:
            return f"{name}得分{score:g}高于分值{weight:g}"
        if weight <= 0:
            return None
        rows = (indicator,)
        if indicator.parent and indicator.completion.is_blank:
            subs = tuple(row for row in sub_rows(project, indicator) if not row.completion.is_blank)
            rows = subs or rows
        if score >= weight - 1e-9:
            for row in rows:
                detail = self._full_marks_problem(ctx, row, weight)
                if detail:
                    return detail
            return None
        found = [c for row in rows for c in comparisons(ctx, row)]
        short = [c for c in found if c.shortfall and c.ratio is not None]
        if short:
            ratio = max(c.ratio for c in short if c.ratio is not None)
            expected = weight * ratio
            if score > expected + slack:
                c = short[0]
                return (
                    f"{name}实际完成{c.shown('completion')}，目标{c.shown('target')}，按完成比例应得约"
                    f"{expected:.2f}分，却给了{score:g}分"
                )
            return None
        met = found and not any(c.shortfall for c in found) and all(covers_target(ctx, row, found) for row in rows)
        if met and score < weight - slack and not _explained(indicator):
            if any(_copied_claim(row) for row in rows):
                return None  # a copied threshold or phrase is CP/VG's business, not proof of meeting it
            c = found[0]
            return f"{name}实际完成{c.shown('completion')}，已达到目标{c.shown('target')}，却只得{score:g}分（分值{weight:g}）"
        return None

    def _weights(self, ctx: Context, project: Project) -> Finding | None:
        """The stated total of the 分值 column against the weights it should add up: every scored row's
        weight plus the 执行率 weight (the template's 100 = 预算执行 + 产出 + 效益 + 满意度)."""
        stated = number(project.total_weight)
        rate_weight = number(project.budget.rate_weight)
        rows = list(scored_rows(project))
        row_weights = [number(row.weight) for row in rows]
        if stated is None or rate_weight is None or not rows or any(w is None for w in row_weights):
            return None
        expected = sum(w or 0.0 for w in row_weights) + rate_weight
        if abs(expected - stated) <= max(rounding(project.total_weight), _TOLERANCE):  # type: ignore[arg-type]
            return None
        return ctx.finding(
            self, project, "score", project.total_weight,
            detail=f"各项分值之和（指标{expected - rate_weight:g} + 预算执行{rate_weight:g} = {expected:g}）不等于总分值{stated:g}",
            suggestion=f"按模板调整各项分值，使指标分值与预算执行分值之和为{stated:g}",
        )  # fmt: skip

    def _above_implied_weight(self, ctx: Context, indicator: Indicator, score: float) -> str | None:
        """No 分值 column: a score that is weight × completion/target uncapped betrays its weight.

        31.9 for 12767.36 against 8000 is 20 × 159.6%: the weight is 20 and the score should stop there.
        Only non-integer scores are read this way (a capped score is its weight, usually whole).
        """
        if float(score).is_integer():
            return None
        found = comparisons(ctx, indicator)
        if len(found) != 1:
            return None
        ratio = found[0].raw_ratio
        if ratio is None or ratio <= 1:
            return None
        weight = round(score / ratio)
        if weight < 1 or abs(score - weight * ratio) > rounding(indicator.score) + 0.005 * weight:  # type: ignore[arg-type]
            return None
        if score <= weight + tolerance(weight, indicator.score):
            return None
        return (
            f"{indicator.label}得分{score:g}即分值{weight}×完成比例{ratio:.1%}，超过了分值{weight}"
            "（超额完成也只得满分）"
        )

    @staticmethod
    def _full_marks_problem(ctx: Context, indicator: Indicator, weight: float) -> str | None:
        completion = indicator.completion
        name = indicator.label
        if completion.is_blank:
            return f"{name}完成值为空，却得满分"
        if is_not_applicable(completion.text) and not is_not_applicable(indicator.target.text):
            return f"{name}完成值为“{completion.text}”，却得满分"
        if normalize(completion.text) in _VAGUE_COMPLETIONS and ctx.target_facts(indicator).has_figure:
            return f"{name}完成值只写“{completion.text}”，没有实际数值，却得满分"
        short = [c for c in comparisons(ctx, indicator) if c.shortfall]
        if short:
            c = short[0]
            if c.ratio is None:
                return f"{name}实际完成{c.shown('completion')}，晚于目标{c.shown('target')}，却得满分"
            return (
                f"{name}实际完成{c.shown('completion')}，未达到目标{c.shown('target')}，却得满分"
                f"（按完成比例应得约{c.ratio * weight:.2f}分）"
            )
        return None

    def _rate_score(self, ctx: Context, project: Project) -> Iterator[Finding]:
        budget = project.budget
        weight, score = number(budget.rate_weight), number(budget.rate_score)
        rate, rate_slack = _rate_for_score(project)
        if rate is None or weight is None or score is None or budget.rate_score is None:
            return
        expected = min(rate, 100.0) / 100 * weight
        slack = max(rounding(budget.rate_score), _TOLERANCE) + weight * 0.005 + weight * rate_slack / 100
        if score > weight + 1e-9 or abs(score - expected) > slack:
            yield ctx.finding(
                self, project, "budget", budget.rate_score,
                detail=f"预算执行率得分{score:g}，按执行率{rate:.2f}%×分值{weight:g}应为{expected:.2f}",
                suggestion=f"执行率得分应为 {expected:.2f}",
            )  # fmt: skip

    def _total(self, ctx: Context, project: Project) -> Iterator[Finding]:
        weights = self._weights(ctx, project)
        if weights is not None:
            yield weights
            return
        total = number(project.total_score)
        rows = list(scored_rows(project))
        if total is None or not rows:
            return
        scores = [number(row.score) or 0.0 for row in rows]
        rate_score = number(project.budget.rate_score) or 0.0
        rate_cell = project.budget.rate_score  # a 预算执行率 scoring row is the rate's score: counted once
        managed = sum(number(item.score) or 0.0 for item in project.management if item.score is not rate_cell)
        candidates = {sum(scores) + rate_score, sum(scores) + rate_score + managed, sum(scores) + managed}
        slack = max(rounding(project.total_score), _TOLERANCE) + 0.01 * len(scores)  # type: ignore[arg-type]
        if all(abs(total - expected) > slack for expected in candidates):
            expected = sum(scores) + rate_score + managed
            yield ctx.finding(
                self, project, "score", project.total_score,
                detail=f"总分{total:g}不等于各项得分之和{expected:.2f}",
                suggestion=f"总分应为各指标得分与执行率得分之和（{expected:.2f}）",
            )  # fmt: skip


def _copied_claim(indicator: Indicator) -> bool:
    """The completion repeats a threshold or phrase of the target (≥266米 → ≥266米), read as one phrase
    each side (指标性质 + 指标值 + 单位). A plain figure met exactly (100% → 100%, 72890元) is a result."""
    from auditor.text.similarity import is_copy, plain_figure

    target, completion = indicator.expression("target"), indicator.expression("completion")
    return is_copy(target, completion) and not plain_figure(completion)


def _explained(indicator: Indicator) -> bool:
    reason = indicator.reason
    return reason is not None and not reason.is_blank and not is_not_applicable(reason.text)


def _rate_for_score(project: Project) -> tuple[float | None, float]:
    """The 执行率 a score is computed from, in %, and how far its publication may round it.

    The stated rate, with the rounding of how it is printed (``0.1`` is a fraction to one decimal: ±5
    points); where the amounts give the same rate within that rounding, the computed rate (a stated
    rate that disagrees with the amounts is NM001's finding, not the score's).
    """
    budget = project.budget
    stated: Cell | None = budget.rate
    base, total = budget.base, budget.total
    executed = total.executed if total is not None else None
    computed = None
    if base is not None and base.number and executed is not None and executed.number is not None:
        computed = executed.number / base.number * 100
    if stated is None or stated.percent is None:
        return computed, 0.0
    slack = rate_rounding(stated)
    if computed is not None and abs(min(computed, 100.0) - min(stated.percent, 100.0)) <= slack + 0.01:
        return computed, 0.0
    return stated.percent, slack
