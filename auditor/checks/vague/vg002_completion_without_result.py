"""VG002 completion-without-result: a completion that states no achieved value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.money import speaks_only_of_money
from auditor.checks.options import is_not_applicable
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.checks.suggestions import completion_suggestion
from auditor.model import Finding, Severity
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo
from auditor.text.normalize import normalize


@pack_cache
def _pack() -> dict:
    pack = load_pack("completion")
    return {
        "bare": frozenset(normalize(w) for w in pack["bare_results"]),
        "short": int(pack["short_without_figure"]),
        "unit_less": re.compile(pack["unit_less_figure"]),
        "copied_max": int(pack.get("copied_vague_max_length", 4)),
        "compliance": re.compile(pack.get("compliance", "(?!)")),
    }


@register
class CompletionWithoutResult(Rule):
    """完成情况没有写出实际完成的数值：“已完成”“满意”“提高”“100完成”，或目标有数值而完成没有。

    ## 问题
    完成值（或绩效目标整体完成情况）只说“已完成”“及时完成”“满意”“提高”“减少”“完成年度目标”，
    或写一句没有任何数据的话，而年度指标值给出了数量、比例或时限；照抄年度指标值的文字（“及时”“有效”
    “高”）同样没有写出结果；绩效目标整体完成情况只复述预算拨款、执行数和执行率，没有目标任务的完成结果。

    ## 为什么
    自评要求对照年度指标值写出实际完成值（财预〔2020〕10号）。只写“已完成”无法核实完成程度，
    也无法据以计算得分，是复核中最常见的扣分原因之一。
    """

    code = "VG002"
    name = "completion-without-result"
    severity = Severity.WARNING
    summary = "完成值没有写出实际达到的数值（“已完成”“满意”“提高”等）"
    message = "完成情况“{text}”{reason}，没有写出实际达到的数值"
    rationale = "完成值应对照年度指标值写出实际数量、比例或时间；只写“已完成”无法核实，也无法计算得分。"
    examples = (
        Example("bad", {"indicators": {"数量指标": ["检查企业≥200家", "已完成"]}}, field="completion", indicator="数量指标"),
        Example("bad", {"goal_completion": "已完成年初设定的各项绩效目标任务"}, field="goal_completion"),
        Example("bad", {"indicators": {"质量指标": ["备案审核合格率100%", "100完成"]}}, field="completion",
                indicator="质量指标"),
        Example("bad", {"goal_completion": "本年度财政拨款为150万元:执行数为125.25万元,完成预算的83.50%。"},
                field="goal_completion", note="只复述预算执行"),
        Example("bad", {"indicators": {"可持续影响指标": ["高", "高"]}}, field="completion",
                indicator="可持续影响指标", note="照抄的文字"),
        Example("bad", {"indicators": {"社会效益指标": ["改善群众出行条件", "改善群众出行条件"]}}, field="completion",
                indicator="社会效益指标", note="照抄的短语"),
        Example("good", {"goal_completion": "全年救助困难群众1.2万人次，支出资金125.25万元，执行率83.5%"}),
        Example("good", {"indicators": {"数量指标": ["检查企业≥200家", "实际检查企业212家"],
                                        "满意度指标": ["满意度≥90%", "抽样调查满意度93.6%"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = _pack()
        for place in text_places(ctx.submission, ("completion", "goal_completion")):
            text = place.cell.text
            indicator = place.indicator
            if indicator is not None:
                # An indicator's completion: what its text alone decides, worked out once per text.
                verdict = _VERDICTS.get(text)
                if verdict is None:
                    verdict = _VERDICTS.put(text, _text_verdict(ctx, text, pack))
                not_applicable, if_copied, otherwise = verdict
                if not_applicable:
                    continue
                if ctx.copied(indicator):
                    reason = if_copied
                elif _cut_copy(ctx, indicator.target.text, text):
                    continue  # the target's beginning, broken off (服务范 of 服务范围扩大): a truncation, not a statement
                elif otherwise is _BY_INDICATOR:
                    if ctx.target_facts(indicator).has_figure:
                        reason = "与有数值的年度指标值不对应"
                    elif indicator.category == "满意度指标":
                        reason = "没有写出满意度调查结果"
                    else:
                        continue
                else:
                    reason = otherwise
                if reason is None:
                    continue
                yield ctx.finding(
                    self, place.project, place.field, place.cell, indicator=indicator, reason=reason,
                    suggestion=completion_suggestion(indicator.category, indicator, ctx.submission.year),
                )  # fmt: skip
                continue
            if is_not_applicable(text):
                continue
            facts = ctx.facts(place.cell)
            norm = normalize(text)
            if indicator is not None and ctx.copied(indicator):
                if facts.has_measure or not (
                    len(norm) <= pack["copied_max"] or norm in pack["bare"] or pack["compliance"].match(norm)
                ):
                    continue  # a copied figure, threshold or sentence is CP001/CP002's (and VG003's)
                reason = "照抄了年度指标值"  # a copied word (及时, 有效, 高) states no result either
            elif indicator is not None and _cut_copy(ctx, indicator.target.text, text):
                continue  # the target's beginning, broken off (服务范 of 服务范围扩大): a truncation, not a statement
            elif place.field == "goal_completion" and speaks_only_of_money(text, facts):
                reason = "只复述了预算执行情况，没有写出目标任务的完成结果"
            elif norm in pack["bare"]:
                reason = "只是笼统的完成表述"
            elif pack["unit_less"].match(norm):
                reason = "只有数字没有单位和对象"
            elif facts.has_measure:
                continue
            elif len(norm) <= pack["short"]:
                reason = "过于笼统"
            elif indicator is not None and ctx.target_facts(indicator).has_figure:
                reason = "与有数值的年度指标值不对应"
            elif indicator is not None and indicator.category == "满意度指标":
                reason = "没有写出满意度调查结果"
            elif place.field == "goal_completion" and not facts.has_measure:
                reason = "只是笼统的完成表述"
            else:
                continue
            yield ctx.finding(
                self, place.project, place.field, place.cell, indicator=indicator, reason=reason,
                suggestion=completion_suggestion(indicator.category if indicator else None, indicator,
                                                 ctx.submission.year),
            )  # fmt: skip


#: What an indicator's completion text alone decides (:func:`_text_verdict`), by text.
_VERDICTS: PackMemo[str, tuple[bool, str | None, str | None]] = pack_memo()
#: The verdict depends on the indicator (its target's figures, its category).
_BY_INDICATOR = "by indicator"
#: Each distinct verdict once (a handful), so the memo holds no tuple of its own per text.
_SHARED: dict[tuple[bool, str | None, str | None], tuple[bool, str | None, str | None]] = {}


def _text_verdict(ctx: Context, text: str, pack: dict) -> tuple[bool, str | None, str | None]:
    """For an indicator's completion: (不适用, the reason when it copies the target, the reason
    otherwise — ``None`` for none, :data:`_BY_INDICATOR` when the indicator decides), as
    :meth:`CompletionWithoutResult.check` reads them in turn."""
    facts = ctx.facts(text)
    norm = normalize(text)
    if facts.has_measure or not (
        len(norm) <= pack["copied_max"] or norm in pack["bare"] or pack["compliance"].match(norm)
    ):
        if_copied = None  # a copied figure, threshold or sentence is CP001/CP002's (and VG003's)
    else:
        if_copied = "照抄了年度指标值"  # a copied word (及时, 有效, 高) states no result either
    otherwise: str | None
    if norm in pack["bare"]:
        otherwise = "只是笼统的完成表述"
    elif pack["unit_less"].match(norm):
        otherwise = "只有数字没有单位和对象"
    elif facts.has_measure:
        otherwise = None
    elif len(norm) <= pack["short"]:
        otherwise = "过于笼统"
    else:
        otherwise = _BY_INDICATOR
    verdict = (is_not_applicable(text), if_copied, otherwise)
    return _SHARED.setdefault(verdict, verdict)


def _cut_copy(ctx: Context, target: str, completion: str) -> bool:
    """The completion is the target's beginning, cut short inside a word (服务范 of 服务范|围扩大)."""
    facts, cut = ctx.facts(target), ctx.facts(completion).text
    if not 0 < len(cut) < len(facts.text) or not facts.text.startswith(cut):
        return False
    offsets, offset = set(), 0
    for token in facts.tokens:
        offset += len(token)
        offsets.add(offset)
    return len(cut) not in offsets
