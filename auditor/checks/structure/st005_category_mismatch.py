"""ST005 category-mismatch: content that does not belong to its category."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable, structure
from auditor.checks.registry import register
from auditor.model import CATEGORIES, Finding, Indicator, Severity
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo
from auditor.text.normalize import normalize


@pack_cache
def _pack() -> dict:
    return load_pack("categories")


def mismatch(indicator: Indicator) -> str | None:
    """Why a target does not belong to its category, or ``None``."""
    # The standard layout names the indicator in its own column; read name and target together.
    name = indicator.name.text if indicator.name is not None else ""
    text = normalize(name + indicator.target.text)
    if indicator.category == "生态效益指标":
        foreign = _first("ecology_foreign_words", text)
        if foreign and not _first("ecology_words", text):
            return f"生态效益指标写的是“{foreign}”方面的内容，不涉及生态环境"
    elif indicator.category == "满意度指标":
        if not _first("satisfaction_words", text):
            return "满意度指标中没有涉及满意度的内容"
    elif indicator.category == "经济效益指标":
        foreign = _first("economy_foreign_words", text)
        if foreign and not has_own_cue("经济效益指标", text):
            return f"经济效益指标写的是“{foreign}”，衡量的是工作本身，不是经济效益"
    elif indicator.category in ("社会效益指标", "可持续影响指标"):
        foreign = _first("effect_foreign_words", text)
        if foreign and not has_own_cue(indicator.category, text):
            return f"{indicator.category}写的是“{foreign}”，衡量的是工作本身的完成，不是项目带来的效益"
    elif indicator.category == "数量指标":
        foreign = _first("quantity_foreign_words", text)
        if foreign and not has_own_cue("数量指标", text):
            return f"数量指标写的是“{foreign}”，是成本或资金管理要求，不是产出数量"
    elif indicator.category == "时效指标":
        target = normalize(indicator.target.text)  # the name may well say 时间; the target must too
        opens = target.startswith(tuple(_pack()["justification_openers"]))
        if opens and not _first("time_words", target):
            return "时效指标写的是项目理由，不是时间要求"
    return None


def has_own_cue(category: str, text: str) -> bool:
    """The text speaks of ``category`` in that category's words (``category_cues``)."""
    cues = _cue_pattern(category)
    return cues is not None and cues.search(normalize(text)) is not None


def _first(words: str, text: str) -> str | None:
    """The first word of the lexicon ``words`` (in the lexicon's order) that the text contains."""
    pattern = _lexicon_pattern(words)
    if pattern is None or pattern.search(text) is None:
        return None
    return next(word for word in _pack().get(words, ()) if word in text)


@pack_cache
def _lexicon_pattern(words: str) -> re.Pattern[str] | None:
    listed = sorted(_pack().get(words, ()), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in listed)) if listed else None


@pack_cache
def _cue_pattern(category: str) -> re.Pattern[str] | None:
    words = sorted(_pack()["category_cues"].get(category, ()), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words)) if words else None


def model_verdict(category: str, text: str, scores: dict[str, float]) -> str | None:
    """Why the category model's ``scores`` for ``text`` say it does not belong in ``category``, or ``None``.

    The model must move the indicator to another 一级指标 (产出/效益/满意度), in a direction listed in
    ``model_category_moves``: neighbouring categories of one level (数量/质量, 社会/生态效益…) overlap in
    real tables and in the labelling guide alike, and an outcome written under an output heading (事故
    死亡率下降 as the 质量 of safety work) is a defensible convention that reviewers accept, whereas an
    output written as an effect, or satisfaction anywhere but 满意度, is not. It must be confident of the
    other category and give its own almost nothing. And the words must agree: none of the own
    category's words (which may outvote the model), at least one of the other's (evidence, not absence —
    as in the rule-based checks above).
    """
    options = structure()
    if not scores or category not in CATEGORIES:
        return None
    best = max(scores, key=scores.__getitem__)
    if best not in CATEGORIES or CATEGORIES[best] == CATEGORIES[category]:
        return None
    if CATEGORIES[best].value not in options["model_category_moves"].get(CATEGORIES[category].value, ()):
        return None
    if scores[best] < float(options["model_category_threshold"]):
        return None
    if scores.get(category, 0.0) > float(options["model_category_own_max"]):
        return None
    if has_own_cue(category, text) or not has_own_cue(best, text):
        return None
    return f"内容更像{best}（模型判断，概率{scores[best]:.2f}）"


def model_mismatch(indicator: Indicator) -> str | None:
    """The category model is confident the target belongs elsewhere (see models/README.md)."""
    if not structure().get("model_category", False):
        return None
    from auditor.ml.predict import probabilities

    name = indicator.name.text if indicator.name is not None else ""
    text = name + indicator.target.text
    if not worth_asking(indicator.category, text):
        return None
    return model_verdict(indicator.category, text, probabilities("category", text, "target"))


def worth_asking(category: str, text: str) -> bool:
    """Could :func:`model_verdict` report this text at all? Its word tests, without the model.

    A text with its own category's words, or with no words of any category it may move to, is never
    reported whatever the model says; skipping the model for it keeps linting fast and changes nothing.
    """
    if category not in CATEGORIES or has_own_cue(category, text):
        return False
    moves = structure()["model_category_moves"].get(CATEGORIES[category].value, ())
    return any(has_own_cue(other, text) for other, level in CATEGORIES.items() if level.value in moves)


def not_a_satisfaction_result(ctx: Context, indicator: Indicator) -> bool:
    """A satisfaction completion that reports neither satisfaction nor a figure (e.g. complaints)."""
    completion = indicator.completion
    if completion.is_blank or is_not_applicable(completion.text):
        return False
    text = normalize(completion.text)
    return not any(word in text for word in _pack()["satisfaction_words"]) and not ctx.facts(completion).has_figure


#: Memo of :func:`mismatch` or :func:`model_mismatch` by (category, name, target): boilerplate recurs.
_TARGET_REASONS: PackMemo[tuple[str, str, str], str | None] = pack_memo()


def _target_reason(indicator: Indicator) -> str | None:
    key = (indicator.category, indicator.name.text if indicator.name is not None else "", indicator.target.text)
    reason = _TARGET_REASONS.get(key, False)
    if reason is False:
        reason = _TARGET_REASONS.put(key, mismatch(indicator) or model_mismatch(indicator))
    return reason  # type: ignore[return-value]


@register
class CategoryMismatch(Rule):
    """指标内容不属于所在类别：生态效益下写事故、经济损失或食品安全，经济效益下写运行正常率，时效指标写项目理由，满意度指标写别的内容。

    ## 问题
    二级指标类别决定了指标要衡量什么：生态效益衡量对环境的影响，时效衡量时间，满意度衡量服务对象的评价。
    内容与类别不符，多是套用模板或错列。

    ## 为什么
    类别错配的指标衡量不了该类绩效，对应分值也就无从评价（财预〔2020〕10号指标体系）。
    """

    code = "ST005"
    name = "category-mismatch"
    severity = Severity.WARNING
    summary = "指标内容与其类别不符（如生态效益下写经济/事故套话）"
    message = "内容与类别不符：{where}“{text}”，{reason}"
    rationale = "二级指标类别决定了衡量什么；内容与类别不符，该类绩效就无从评价。"
    examples = (
        Example("bad", {"indicators": {"生态效益指标": ["通过项目实施有效降低事故发生减少经济损失", "减少经济损失"]}},
                field="target", indicator="生态效益指标"),
        Example("bad", {"indicators": {"满意度指标": ["通过网格员的巡查素质,达到培训目的", "满意"]}}, field="target",
                indicator="满意度指标"),
        Example("bad", {"indicators": {"时效指标": ["为查清事故真相,查明事故原因,需派专人赴外地调查取证", "及时完成"]}},
                field="target", indicator="时效指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "生态效益指标", "name": "食品安全指标达标率", "target": "100%", "completion": "100%"}]},
                field="target", indicator="生态效益指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "经济效益指标", "name": "大厅运行正常率", "target": "100%", "completion": "100%"}]},
                field="target", indicator="经济效益指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "成本控制", "target": "不超过预算", "completion": "不超过预算"}]},
                field="target", indicator="数量指标", note="成本要求写在数量指标下"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "社会效益指标", "name": "与委托运营方合同完成率", "target": "=100%", "completion": "100%"}]},
                field="target", indicator="社会效益指标", note="产出的完成率写在效益指标下"),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "新建村卫生室数量", "target": "≥5个，资金使用不超过预算", "completion": "6个"}]}),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "社会效益指标", "name": "群众就医任务完成率", "target": "≥95%", "completion": "97%"}]},
                note="说到群众：是效益"),
        Example("good", {"indicators": {"生态效益指标": ["新增绿化面积≥3公顷", "新增绿化3.2公顷"],
                                        "满意度指标": ["服务对象满意度≥90%", "调查满意度94%"],
                                        "时效指标": ["为保障汛期安全，5月31日前完成", "5月28日完成"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                if not indicator.target.is_blank and not is_not_applicable(indicator.target.text):
                    reason = _target_reason(indicator)
                    if reason:
                        yield ctx.finding(
                            self, project, "target", indicator.target, indicator=indicator, reason=reason,
                            suggestion=f"按{indicator.category}的含义重新设置指标，其他内容移到对应类别",
                        )  # fmt: skip
                if indicator.category == "满意度指标" and not_a_satisfaction_result(ctx, indicator):
                    yield ctx.finding(
                        self, project, "completion", indicator.completion, indicator=indicator,
                        reason="满意度的完成值没有写满意度调查结果",
                        suggestion="写明满意度调查方式和结果，如“抽样调查满意度93.6%”；意见建议写入存在的问题",
                    )  # fmt: skip
