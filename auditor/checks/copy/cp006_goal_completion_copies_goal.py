"""CP006 goal-completion-copies-goal: the overall completion is the goal, copied whole or in part."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz.distance import Indel

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_empty, is_not_applicable
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.text.normalize import normalize
from auditor.text.similarity import copy_pack, similarity


def _copied_share(goal: str, completion: str, min_run: int) -> float:
    """The share of ``completion``'s characters that lie in runs of at least ``min_run`` characters also
    found, in order, in ``goal`` (the copied part of an excerpt or a patchwork of the goal)."""
    copied = 0
    for block in Indel.opcodes(completion, goal):
        if block.tag == "equal" and block.src_end - block.src_start >= min_run:
            copied += block.src_end - block.src_start
    return copied / len(completion) if completion else 0.0


@register
class GoalCompletionCopiesGoal(Rule):
    """绩效目标完成情况照抄年初绩效目标（全文、近似全文，或摘抄其中一段而未写出任何实际结果）。

    ## 问题
    “绩效目标整体完成情况/全年实际完成情况”一栏与“年初设定目标/预期目标”一字不差或几乎相同，
    或只是摘抄目标中的一段、拼接目标中的几段，没有增加任何实际完成的数量、比例或时间。

    ## 为什么
    整体完成情况应对照目标写出实际完成了什么（财预〔2020〕10号）。照抄目标等于没有自评，
    复核时视为完成情况不实。
    """

    code = "CP006"
    name = "goal-completion-copies-goal"
    severity = Severity.WARNING
    summary = "绩效目标完成情况照抄年初绩效目标"
    message = "绩效目标完成情况“{text}”{how}，没有写出实际完成情况"
    rationale = "整体完成情况应对照目标写出实际结果；照抄目标等于没有自评（财预〔2020〕10号）。"
    examples = (
        Example("bad", {"goal": "落实39户特色种养业奖补政策,增加脱贫户家庭收入",
                        "goal_completion": "落实39户特色种养业奖补政策，增加脱贫户家庭收入。"}, field="goal_completion"),
        Example("bad", {"goal": "为我县百岁高龄老年人发放补贴,使老年人得到更好的照顾。为全县共享改革开放成果,促进社会稳定文明和谐",
                        "goal_completion": "为我县百岁高龄老年人发放补贴,使老年人得到更好的照顾。"},
                field="goal_completion", note="摘抄目标的一段"),
        Example("good", {"goal": "落实39户特色种养业奖补政策,增加脱贫户家庭收入",
                         "goal_completion": "已向39户发放奖补资金9.48万元，户均增收2400元"}),
        Example("good", {"goal": "改善困难群众就医待遇，强化医疗救助综合保障水平",
                         "goal_completion": "全年医疗救助11万人次，强化医疗救助综合保障水平"},
                note="摘抄之外写出了实际完成的数量"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = copy_pack()
        min_length = int(pack["goal_min_length"])
        ratio = float(pack["goal_completion_ratio"])
        min_run, share = int(pack["goal_completion_min_run"]), float(pack["goal_completion_share"])
        for project in ctx.submission.projects:
            goal_cell, cell = project.goal, project.goal_completion
            if is_empty(goal_cell) or is_empty(cell) or is_not_applicable(cell.text):
                continue
            goal, completion = normalize(goal_cell.text), normalize(cell.text)
            if len(completion) < min_length:
                continue
            if goal == completion:
                how = "与年初绩效目标完全相同"
            elif similarity(goal, completion) >= ratio:
                how = "与年初绩效目标几乎相同"
            elif completion in goal:
                how = "是年初绩效目标中的一段"
            elif _copied_share(goal, completion, min_run) >= share and not _new_figures(ctx, goal, completion):
                how = "大段摘抄年初绩效目标，没有增加实际完成的数值"
            else:
                continue
            yield ctx.finding(
                self, project, "goal_completion", cell, how=how,
                related=(ctx.place(project, "goal", goal_cell),),
                suggestion="对照目标写出实际完成的数量、质量和时间",
            )  # fmt: skip


def _new_figures(ctx: Context, goal: str, completion: str) -> bool:
    """The completion states a figure the goal did not."""
    before = {(q.value, q.unit) for q in ctx.facts(goal).quantities}
    return any((q.value, q.unit) not in before for q in ctx.facts(completion).quantities)
