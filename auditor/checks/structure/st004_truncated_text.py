"""ST004 truncated-text: text that breaks off mid-sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.resources import PackMemo, pack_memo
from auditor.text.normalize import analysis_form

# A stray comma after a whole clause is common in published tables and not a cut; a comma after a stub
# of one or two characters is (_STUB_CLAUSE).
_DANGLING = re.compile(r"([、（(“\"《：:]|[的和及与或并且而为对将把从向在以])$")
_TERMINAL = re.compile(r"[。！？!?；;.…”\"）)】\]》]$")
# A last clause of one or two characters after a comma ("…经营收入有所增加，带动") broke off.
_STUB_CLAUSE = re.compile(r"[，,]([\u4e00-\u9fff]{1,2})$")
_WHOLE_SHORT_CLAUSES = frozenset({"完成", "达标", "合格", "满意", "良好", "较好", "显著", "到位", "已完成", "等"})


@register
class TruncatedText(Rule):
    """文字在句子中间断掉：以“的”“和”“、”“（”结尾，或多句文字的最后一句没有结束（句末多一个逗号不算）。

    ## 问题
    从系统导出或复制时单元格被截断（常见于 255 字上限、PDF 分页），末尾停在半句话上。

    ## 为什么
    截断的内容无法完整反映目标或完成情况，提交前应补全。
    """

    code = "ST004"
    name = "truncated-text"
    severity = Severity.INFO
    summary = "文字在句子中间断掉（疑似被截断）"
    message = "“…{tail}”疑似在句子中间断掉，内容不完整"
    rationale = "截断的文字无法完整反映目标或完成情况；多因导出字数上限或分页造成，提交前应补全。"
    examples = (
        Example("bad", {"goal": "在事故调查中需要具有专业资质的鉴定机构协助开展鉴定工作。为事故原因准确性"}, field="goal"),
        Example("bad", {"goal": "完成全区200家企业安全检查和"}, field="goal"),
        Example("good", {"goal": "完成全区200家企业安全检查。开展10场专项培训。"}),
        Example("good", {"goal": "完成全区200家企业安全检查"}),
        Example("good", {"goal": "为百岁老人发放补贴,使老年人得到更好的照顾。\n促进社会稳定文明和谐"},
                note="两行合在一个单元格，各自完整"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for place in text_places(ctx.submission, ("goal", "goal_completion", "target", "completion", "problems")):
            text = place.cell.text
            cut = _CUTS.get(text, False)
            if cut is False:
                cut = _CUTS.put(text, _cut(text))
            if cut is not None:
                text, full = cut
                yield ctx.finding(
                    self, place.project, place.field, place.cell, indicator=place.indicator, tail=text[-12:],
                    span=(max(0, len(full) - 12), len(full)),
                    suggestion="对照原始材料补全被截断的文字",
                )  # fmt: skip


#: Memo of :func:`_cut` by cell text.
_CUTS: PackMemo[str, tuple[str, str] | None] = pack_memo()


def _cut(cell_text: str) -> tuple[str, str] | None:
    """(last line, whole text) of a cell text that breaks off, else ``None``."""
    full = analysis_form(cell_text).rstrip()
    # Lines of one cell (two rows of a table joined) are judged apart: only the last can break off.
    text = full.split("\n")[-1].rstrip()
    if len(text) < 6:
        return None
    sentences = [s for s in re.split(r"[。！？!?]", text) if s.strip()]
    stub = _STUB_CLAUSE.search(text)
    broken = (
        bool(_DANGLING.search(text))
        or (len(sentences) >= 2 and "。" in text and not _TERMINAL.search(text))
        or (stub is not None and stub.group(1) not in _WHOLE_SHORT_CLAUSES)
    )
    return (text, full) if broken else None
