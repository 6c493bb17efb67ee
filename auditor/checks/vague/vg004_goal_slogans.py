"""VG004 goal-slogans: a project goal made of slogans, with nothing to achieve in it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_empty, is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize

_SENTENCES = re.compile(r"[。；;！!？?\n]+")


@pack_cache
def _slogans() -> tuple[tuple[str, ...], int, int]:
    pack = load_pack("vague")
    words = tuple(normalize(w) for w in pack["slogan_words"])
    return words, int(pack["slogan_min_words"]), int(pack["slogan_chars_per_word"])


_TITLES = re.compile(r"《[^》]*》")


def slogan_words(text: str) -> list[str]:
    """The distinct slogan words of ``rules/vague.yaml`` (``slogan_words``) in ``text``, in order
    (titles of documents in 《》 are not read)."""
    normal = _TITLES.sub("", normalize(text))
    found = sorted((normal.find(word), word) for word in _slogans()[0] if word in normal)
    return [word for _, word in found]


@register
class GoalSlogans(Rule):
    """年初绩效目标（或其中一句）由口号堆砌而成（“促进…和谐”“改善…推进…强化…更好的确保…”），没有要完成的内容。

    ## 问题
    项目的年初绩效目标（预期目标、总体目标），或其中单独的一句，没有数量、比例或时限，只是“促进”
    “推进”“强化”“改善”“更好的确保”之类的口号，看不出项目当年要做什么、做到什么程度。

    ## 为什么
    绩效目标应说明项目在一定期限内预期达到的产出和效果，并能分解为可衡量的指标（财预〔2021〕101号）。
    口号式的目标无法分解，也无法据以评价完成情况。
    """

    code = "VG004"
    name = "goal-slogans"
    severity = Severity.WARNING
    summary = "年初绩效目标只是口号（促进、推进、强化、更好的确保…），没有要完成的内容"
    message = "年初绩效目标“{text}”只是口号（{words}），没有写出要完成的产出和效果"
    rationale = "绩效目标应写明预期产出和效果并能分解为可衡量的指标；口号式目标无法评价（财预〔2021〕101号）。"
    examples = (
        Example("bad", {"goal": "为全县共享改革开放成果,促进社会稳定文明和谐"}, field="goal"),
        Example("bad", {"goal": "改善困难群众就医待遇,推进长效机制建立健全,强化综合保障水平,更好的确保困难群众基本生活"},
                field="goal"),
        Example("bad", {"goal": "为全县19名百岁老人按月发放高龄津贴。\n为全县共享改革开放成果,促进社会稳定文明和谐"},
                field="goal", note="其中一句是口号"),
        Example("good", {"goal": "保持和稳定地方粮食储备机制"}, note="没有数值但也不是口号（MS006 的事）"),
        Example("good", {"goal": "进一步强化应急救援能力，全面提升处置水平，全年开展演练12场"},
                note="有可衡量的内容"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        _, minimum, per_word = _slogans()

        def slogans(part: str) -> list[str] | None:
            found = slogan_words(part)
            dense = len(found) >= minimum and len(found) * per_word >= len(normalize(part))
            return found if dense and not ctx.facts(part).has_measure else None

        for project in ctx.submission.projects:
            goal = project.goal
            if is_empty(goal) or is_not_applicable(goal.text):
                continue
            # The goal as a whole, or one of its sentences (lines), is slogans with nothing measurable.
            parts = [goal.text, *(p for p in _SENTENCES.split(goal.text) if p.strip())]
            words = next((found for part in parts if (found := slogans(part))), None)
            if words:
                yield ctx.finding(
                    self, project, "goal", goal, words="、".join(words),
                    suggestion="写明当年要完成的产出和效果（对象、数量、金额和时限），不用口号",
                )  # fmt: skip
