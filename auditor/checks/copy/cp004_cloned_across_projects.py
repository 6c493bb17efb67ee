"""CP004 cloned-across-projects: the same text in many projects, or in two indicators of one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.places import TextPlace, text_places
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.resources import PackMemo, pack_memo
from auditor.text.normalize import normalize
from auditor.text.similarity import copy_pack

_CLONE_TEXT = "已完成年初设定的各项绩效目标任务"


@register
class ClonedAcrossProjects(Rule):
    """同一段文字（≥8 字）出现在同一份自评表的 3 个以上项目中，或同一项目的两个不同指标中。

    ## 问题
    “各项工作及时开展完成,按时完成支付”“已完成年初设定的各项绩效目标任务”这样的文字被复制到每个
    项目；或同一项目的质量指标和社会效益指标写了同一句话。

    ## 为什么
    不同项目、不同指标的目标和完成情况不可能完全一样；整段复制说明指标没有针对项目设定，
    复核时视为绩效目标不具体。
    """

    code = "CP004"
    name = "cloned-across-projects"
    severity = Severity.WARNING
    summary = "同一段文字复制到多个项目或同一项目的多个指标"
    message = "“{text}”在{count}处重复出现（{where_list}），指标没有针对项目设定"
    rationale = "不同项目、不同指标的目标与完成不可能完全相同；整段复制说明指标没有针对项目设定。"
    examples = (
        Example("bad", {"projects": [
            {"name": f"项目{i}", "goal_completion": _CLONE_TEXT} for i in range(1, 4)]}, field="goal_completion"),
        Example("bad", {"indicators": {"质量指标": ["全面提升公厕硬件设施和管理服务水平", "已完成"],
                                       "社会效益指标": ["全面提升公厕硬件设施和管理服务水平", "群众满意"]}},
                field="target", indicator="社会效益指标"),
        Example("good", {"projects": [
            {"name": "甲", "goal_completion": "完成200家企业检查"},
            {"name": "乙", "goal_completion": "完成10场培训，培训1200人次"},
            {"name": "丙", "goal_completion": _CLONE_TEXT}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = copy_pack()
        min_projects = int(pack["clone_min_projects"])
        for places in clone_groups(ctx, pack):
            if len(places) == 1 and min_projects > 1:
                continue  # a text met once is no clone (most groups)
            projects = {place.project.index for place in places}
            flagged: list[TextPlace] = []
            if len(projects) >= min_projects:
                flagged = places
            else:
                for index in projects:
                    here = [p for p in places if p.project.index == index]
                    indicators = {id(p.indicator) for p in here if p.indicator is not None}
                    if len(indicators) >= 2:
                        flagged += here
            for place in flagged:
                others = [p for p in flagged if p is not place]
                yield ctx.finding(
                    self, place.project, place.field, place.cell, indicator=place.indicator,
                    count=len(flagged), where_list=_where(flagged),
                    related=tuple(ctx.place(p.project, p.field, p.cell, p.indicator) for p in others[:20]),
                    suggestion="针对本项目（本指标）写出具体的目标和完成情况",
                )  # fmt: skip


def _cjk_length(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


#: Memo by cell text: its normalised form when long enough to be a clone and not a placeholder, else None.
_CLONE_KEYS: PackMemo[str, str | None] = pack_memo()


def clone_groups(ctx: Context, pack: dict) -> list[list[TextPlace]]:
    """Places grouped by the same text: equal after normalisation, near-equal, or truncated copies."""
    min_length = int(pack["clone_min_length"])
    near, prefix_min = float(pack["clone_near_ratio"]), int(pack["clone_prefix_min_length"])
    long_length, long_ratio = int(pack["clone_long_length"]), float(pack["clone_long_ratio"])
    exact: dict[str, list[TextPlace]] = defaultdict(list)
    for place in text_places(ctx.submission, ("target", "completion", "goal_completion")):
        text = place.cell.text
        norm = _CLONE_KEYS.get(text, False)
        if norm is False:
            norm = normalize(text)
            norm = _CLONE_KEYS.put(text, norm if _cjk_length(norm) >= min_length and not is_not_applicable(norm) else None)
        if norm is not None:
            exact[norm].append(place)
    keys = sorted(exact, key=len, reverse=True)
    parent = {key: key for key in keys}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    # All pairwise similarities at once (rapidfuzz in C); then join the pairs close enough.
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    scores = cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=min(near, long_ratio), dtype=np.uint8)
    # The pairs i < j above the cutoff, in row order, read from the few non-zero scores (np.triu built
    # an n×n mask for every submission, costlier than the handful of pairs).
    rows, columns = np.nonzero(scores)
    for i, j in zip(rows.tolist(), columns.tolist(), strict=True):
        if i >= j:
            continue
        longer, shorter = keys[i], keys[j]
        limit = long_ratio if len(shorter) >= long_length else near
        if scores[i, j] >= limit:
            parent[root(shorter)] = root(longer)
    # Truncated copies: in lexicographic order a text's extensions follow it directly.
    ordered = sorted(keys)
    for i, shorter in enumerate(ordered):
        if len(shorter) < prefix_min:
            continue
        for longer in ordered[i + 1 :]:
            if not longer.startswith(shorter):
                break
            parent[root(shorter)] = root(longer)
    groups: dict[str, list[TextPlace]] = defaultdict(list)
    for key in keys:
        groups[root(key)].extend(exact[key])
    return list(groups.values())


def _where(places: list[TextPlace]) -> str:
    names = []
    for place in places[:6]:
        label = place.indicator.category if place.indicator else "整体完成情况"
        names.append(f"项目{place.project.index}{label}")
    more = f"等{len(places)}处" if len(places) > 6 else ""
    return "、".join(names) + more
