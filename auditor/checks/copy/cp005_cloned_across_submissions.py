"""CP005 cloned-across-submissions: text (near-)duplicated from another department or year."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Project, Severity
from auditor.text.normalize import normalize
from auditor.text.similarity import copy_pack

FIELD_NAMES = {
    "target": "年度指标值",
    "completion": "完成值",
    "goal": "年初绩效目标",
    "goal_completion": "整体完成情况",
}


@register
class ClonedAcrossSubmissions(Rule):
    """文字与另一部门（或本部门往年）的自评表相同或高度相似（需要语料索引）。

    ## 问题
    目标、完成情况或整体完成情况照搬了别的部门、或本部门往年的自评表。需要先用
    ``auditor index build`` 建立语料索引，再以 ``auditor lint --index 索引文件`` 检查。
    被很多部门共用的文字（超过阈值）作为“全库通用套话”只报告一次。

    ## 为什么
    每个部门、每个年度的项目不同，绩效目标和完成情况不可能一字不差；照搬他人或往年文字，
    说明自评没有如实反映本年度的实际情况（财预〔2020〕10号要求如实自评）。
    """

    code = "CP005"
    name = "cloned-across-submissions"
    severity = Severity.WARNING
    summary = "文字与其他部门或往年的自评表相同或高度相似（需语料索引）"
    message = "文字照搬：{detail}"
    rationale = "不同部门、不同年度的目标与完成不可能一字不差；照搬他人或往年文字说明没有如实自评。"
    examples = (
        Example("bad", {"index": [{"department": "某区水务局", "year": 2021, "projects": [
            {"name": "河道整治", "goal_completion": "已完成年初设定的各项绩效目标任务，群众满意度高"}]}],
            "goal_completion": "已完成年初设定的各项绩效目标任务，群众满意度高"}, field="goal_completion"),
        Example("good", {"index": [{"department": "某区水务局", "year": 2021, "projects": [
            {"name": "河道整治", "goal_completion": "完成河道清淤12公里，水质达到Ⅳ类"}]}],
            "goal_completion": "完成校舍维修8所，面积12650平方米"}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        index = ctx.options.get("index")
        if index is None:
            return
        # Imported here: the index (and numpy) only costs a run that asks for it (lint --index).
        from auditor.index.lsh import MIN_CJK, cjk_length

        pack = copy_pack()
        threshold = float(pack["cross_min_ratio"])
        common = int(pack["corpus_boilerplate_departments"])
        allowed = {normalize(text) for text in pack.get("clone_allow") or []}
        submission = ctx.submission
        reported_common: set[str] = set()
        places = []
        for project, field, cell, indicator in _places(submission.projects):
            norm = normalize(cell.text)
            if cjk_length(norm) >= MIN_CJK and not is_not_applicable(norm) and norm not in allowed:
                places.append((project, field, cell, indicator, norm))
        # One batched lookup for the whole table (the index probes all texts in one join).
        lookups = index.lookup_many(
            [place[2].text for place in places],
            threshold,
            exclude=(submission.path, submission.department, submission.year),
        )
        for (project, field, cell, indicator, norm), lookup in zip(places, lookups, strict=True):
            if not lookup.matches:
                continue
            if lookup.departments > common:
                if norm in reported_common:
                    continue
                reported_common.add(norm)
                detail = f"“{_short(cell.text)}”在语料库中 {lookup.departments} 个部门的自评表里出现，属于全库通用套话"
            else:
                best = lookup.matches[0]
                kind = "相同" if best.similarity >= 100 else f"高度相似（相似度{best.similarity:.0f}%）"
                where = f"{best.department or '未知部门'}{best.year or ''}年度“{best.project}”的"
                where += f"{best.category or ''}{FIELD_NAMES.get(best.field, best.field)}"
                more = f"，另有 {lookup.uses - 1} 处" if lookup.uses > 1 else ""
                detail = f"与{where}{kind}{more}"
            yield ctx.finding(
                self, project, field, cell, indicator=indicator, detail=detail,
                suggestion="按本部门本年度的实际情况重新撰写",
            )  # fmt: skip


def _places(projects: tuple[Project, ...]) -> Iterator[tuple[Project, str, Cell, Indicator | None]]:
    for project in projects:
        yield project, "goal", project.goal, None
        yield project, "goal_completion", project.goal_completion, None
        for indicator in project.indicators:
            yield project, "target", indicator.target, indicator
            yield project, "completion", indicator.completion, indicator


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
