"""VG005 management-restates-item: a 资金管理 answer that only repeats the item it answers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_empty, is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, ManagementItem, Severity
from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize

_NOT_WORDS = re.compile(r"[\W_]+")


@pack_cache
def _pack() -> dict:
    pack = load_pack("completion")
    return {
        "filler": tuple(sorted((normalize(w) for w in pack["restatement_filler"]), key=len, reverse=True)),
        "compliance": re.compile(pack["compliance_answer"]),
        "criteria": frozenset(pack["criteria_sections"]),
        "verdicts": tuple(pack["verdict_words"]),
        "verdict_max": int(pack["verdict_max_length"]),
    }


def restates(label: str, content: str) -> str | None:
    """Why ``content`` says nothing beyond ``label``, or ``None``."""
    pack = _pack()
    text = _NOT_WORDS.sub("", normalize(content))
    if not text or any(ch.isdigit() for ch in text):
        return None
    if pack["compliance"].match(text):
        return "只说按要求完成，没有写出具体的标准、依据或做法"
    rest = text
    for word in pack["filler"]:
        rest = rest.replace(word, "")
    name = _NOT_WORDS.sub("", normalize(label))
    if name and all(ch in name for ch in rest):
        return "只是把项目名称改写成肯定句"
    if len(text) <= pack["verdict_max"] and text.endswith(pack["verdicts"]):
        return "只有结论，没有写出任何可以核实的情况"
    return None


@register
class ManagementRestatesItem(Rule):
    """资金管理等情况说明只是把项目名称改写成肯定句（“分配科学性”→“资金分配科学”），或只说“已按要求完成”。

    ## 问题
    转移支付等表式的“资金管理情况”逐项要求说明分配、下达、拨付、使用的情况，预算编制要求写明测算
    标准和依据。情况说明只把项目名称改写一遍（“下达及时性”→“资金下达及时”），或只写“已按要求完成预算”
    “按相关要求完成”，或只有一句结论（“资金下达及时”），没有任何可以核实的事实（下达日期、分配方法、
    测算标准）。

    ## 为什么
    情况说明是复核资金管理的依据（财预〔2020〕10号）；只有结论没有事实，等于没有说明，复核时视为
    套话。
    """

    code = "VG005"
    name = "management-restates-item"
    severity = Severity.WARNING
    summary = "资金管理等情况说明只复述项目名称或只说“按要求完成”"
    message = "“{label}”的情况说明“{text}”{reason}"
    rationale = "情况说明应写出可核实的事实（日期、方法、标准）；只有结论的说明无法复核（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"management": [{"section": "资金管理", "label": "分配科学性", "content": "资金分配科学",
                                        "remark": "暂无"}]}, field="budget"),
        Example("bad", {"management": [{"section": "资金投入", "label": "项目资金测算标准(文字描述)",
                                        "content": "已按要求完成预算"}]}, field="budget"),
        Example("bad", {"management": [{"section": "资金管理", "label": "", "content": "资金下达及时"}]},
                field="budget", note="只有结论"),
        Example("good", {"management": [{"section": "资金管理", "label": "下达及时性",
                                         "content": "资金于2024年3月5日下达，在收到文件后30日内"}]}),
        Example("good", {"management": [{"section": "资金管理", "label": "分配科学性",
                                         "content": "按因素法分配，困难群众人数占70%、救助支出占30%"}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        criteria = _pack()["criteria"]
        for project in ctx.submission.projects:
            for item in project.management:
                if not _answer(item, criteria):
                    continue
                reason = restates(item.label.text, item.content.text)  # type: ignore[union-attr]
                if reason:
                    yield ctx.finding(
                        self, project, "budget", item.content, label=item.label.text.strip(), reason=reason,
                        suggestion="写出可核实的事实，如分配方法和因素、下达日期和文号、测算标准和依据",
                    )  # fmt: skip


def _answer(item: ManagementItem, criteria: frozenset[str]) -> bool:
    """A described row whose content is the unit's answer (not a scored framework row's 评价标准)."""
    if is_empty(item.content) or is_not_applicable(item.content.text):  # type: ignore[union-attr]
        return False
    # Scored: a weight, or (where the weight column was not read) a score of its own.
    scored = any(cell is not None and not cell.is_blank for cell in (item.weight, item.score))
    return not (scored and item.section.strip() in criteria)
