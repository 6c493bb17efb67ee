"""ST006 input-as-output: a budget measure (执行率, 拨款率, an amount of money) set as an output or effect."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_empty, is_not_applicable
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Severity
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo
from auditor.text.normalize import normalize


@pack_cache
def _pack() -> dict:
    pack = load_pack("categories")
    return {
        "input": tuple(normalize(w) for w in pack["input_words"]),
        "money": frozenset(pack["money_units"]),
        "funding": tuple(pack["funding_words"]),
        "context": tuple(pack["budget_context"]),
    }


def input_measure(ctx: Context, indicator: Indicator) -> str | None:
    """What budget input the indicator measures instead of an output or effect, or ``None``."""
    if indicator.category == "成本指标":
        return None
    pack = _pack()
    name = indicator.name.text if indicator.name is not None else ""
    text = normalize(name + indicator.target.text)
    for word in pack["input"]:
        if word in text and any(context in text for context in pack["context"]):
            return f"“{word}”衡量的是预算资金的投入和执行"
    if indicator.category == "数量指标":
        quantities = ctx.target_facts(indicator).quantities
        money = [q for q in quantities if q.unit in pack["money"] or (q.unit == "万" and _funding(text))]
        if quantities and len(money) == len(quantities):
            return "目标值是一笔资金，衡量的是投入而不是产出"
    return None


def _funding(text: str) -> bool:
    return any(word in text for word in _pack()["funding"])


@register
class InputAsOutput(Rule):
    """把预算投入当作产出或效益：预算执行率、拨款率、资金到位率作指标，或数量指标的目标值是一笔资金。

    ## 问题
    产出指标衡量项目提供了多少产品和服务，效益指标衡量带来的效果；预算执行率、资金拨款率、到位率和
    资金金额衡量的是投入，已在“预算执行情况”中评价。把它们写成数量、质量、时效或效益指标，等于
    没有设置产出和效益指标，并让同一执行率重复计分。

    ## 为什么
    财预〔2020〕10号：预算执行率单独计分（10分），产出、效益指标应反映资金使用的结果；以投入代替产出
    的指标无法评价绩效。
    """

    code = "ST006"
    name = "input-as-output"
    severity = Severity.WARNING
    summary = "把预算投入（执行率、拨款率、资金金额）当作产出或效益指标"
    message = "{where}“{text}”：{reason}，不是{category}"
    rationale = "执行率和资金已在预算执行中评价；产出、效益指标应反映资金使用的结果（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "预算执行率", "target": "100%", "completion": "83.5%"}]},
                field="target", indicator="数量指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "发放补助资金", "target": "≥50万元", "completion": "50万元"}]},
                field="target", indicator="数量指标"),
        Example("good", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "补助户数", "target": "≥39户", "completion": "39户"},
            {"category": "成本指标", "name": "市民中心运行维护费", "target": "≤150万元", "completion": "125.25万元"},
            {"category": "时效指标", "name": "资金发放及时率", "target": "100%", "completion": "100%"},
            {"category": "质量指标", "name": "示范区配方肥到位率", "target": "≥80%", "completion": "85%"}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                named = indicator.name is not None and not indicator.name.is_blank
                if (is_empty(indicator.target) and not named) or is_not_applicable(indicator.target.text):
                    continue
                key = (indicator.category, indicator.target.text, _text_of(indicator.name), _text_of(indicator.unit),
                       _text_of(indicator.nature))  # fmt: skip
                reason = _REASONS.get(key, False)
                if reason is False:
                    reason = _REASONS.put(key, input_measure(ctx, indicator))
                if reason:
                    yield ctx.finding(
                        self, project, "target", indicator.target, indicator=indicator, reason=reason,
                        suggestion=f"改为反映资金使用结果的{indicator.category}，如补助户数、建成数量、服务人次",
                    )  # fmt: skip


#: :func:`input_measure` by the cells it reads (category, target, name, unit, nature): boilerplate recurs.
_REASONS: PackMemo[tuple[str | None, ...], str | None] = pack_memo()


def _text_of(cell: Cell | None) -> str | None:
    return cell.text if cell is not None else None
