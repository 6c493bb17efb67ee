"""NM010 arrival-score-contradicts-funds: full marks on 资金到位 while the fund block shows money missing."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import numbers_pack
from auditor.checks.numbers.scores import number
from auditor.checks.registry import register
from auditor.model import Finding, ManagementItem, Project, Severity


@register
class ArrivalScoreContradictsFunds(Rule):
    """“资金到位率”等过程评分项给了满分，而表内资金情况显示到位资金明显不足。

    ## 问题
    决策/过程/管理框架的自评表里，“资金到位率”“资金到位及时性”一类评分项得了满分（如 3/3），同一张表的
    资金情况却显示实际到位资金只有计划的七成（到位数 ÷ 计划数低于 95%，阈值见 rules/numbers.yaml）。

    ## 为什么
    到位率是按表内金额计算的客观指标；满分与表内数字矛盾，说明过程评分未按实际打分，自评结果不实。
    """

    code = "NM010"
    name = "arrival-score-contradicts-funds"
    severity = Severity.ERROR
    summary = "资金到位评分满分，但表内到位资金明显不足"
    message = "“{label}”得满分{score:g}，但表内实际到位资金{arrived}只占计划{planned}的{share:.1f}%"
    rationale = "资金到位率按表内金额计算；到位不足却给满分，过程评分与表内数字矛盾。"
    examples = (
        Example("bad", {"layout": "standard",
                        "budget": {"annual": 570, "arrived": 398.88, "executed": 395.86},
                        "management": [{"section": "过程", "label": "到位率", "weight": 3, "score": 3}]},
                field="budget"),
        Example("good", {"layout": "standard",
                         "budget": {"annual": 570, "arrived": 570, "executed": 560},
                         "management": [{"section": "过程", "label": "到位率", "weight": 3, "score": 3}]}),
        Example("good", {"layout": "standard",
                         "budget": {"annual": 570, "arrived": 398.88, "executed": 395.86},
                         "management": [{"section": "过程", "label": "到位率", "weight": 3, "score": 2.1}]},
                note="按到位比例扣了分"),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = numbers_pack()
        labels = tuple(pack.get("arrival_labels", ()))
        full_share = float(pack.get("arrival_full_share", 95))
        for project in ctx.submission.projects:
            arrival = _arrival(project)
            if arrival is None:
                continue
            arrived, planned, share = arrival
            if share >= full_share:
                continue
            for item in project.management:
                if not _full(item) or not any(label in item.label.text for label in labels):
                    continue
                yield ctx.finding(
                    self, project, "budget", item.score,
                    label=item.label.text.strip(), score=number(item.score), arrived=arrived, planned=planned,
                    share=share, suggestion="按到位数÷计划数给分，并说明资金未到位的原因",
                )  # fmt: skip


def _full(item: ManagementItem) -> bool:
    weight, score = number(item.weight), number(item.score)
    return weight is not None and score is not None and weight > 0 and score >= weight - 1e-9


def _arrival(project: Project) -> tuple[str, str, float] | None:
    """到位数, 计划数 (as written) and the arrived share in %, from the total line or the sum of lines."""
    budget = project.budget
    lines = [budget.total] if budget.total is not None else list(budget.lines)
    arrived_cells = [line.arrived for line in lines if line is not None and number(line.arrived) is not None]
    planned_cells = [
        line.annual or line.initial for line in lines
        if line is not None and number(line.arrived) is not None and number(line.annual or line.initial)
    ]  # fmt: skip
    if not arrived_cells or len(planned_cells) != len(arrived_cells):
        return None
    arrived = sum(number(cell) or 0.0 for cell in arrived_cells)
    planned = sum(number(cell) or 0.0 for cell in planned_cells)
    if planned <= 0:
        return None
    if len(arrived_cells) == 1:
        return arrived_cells[0].text, planned_cells[0].text, arrived / planned * 100  # type: ignore[union-attr]
    return f"{arrived:g}", f"{planned:g}", arrived / planned * 100
