"""ST003 row-misaligned: a row had fewer (or more) cells than its header and was realigned."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.registry import register
from auditor.model import Finding, Severity


def _table(drop_quality_target: bool) -> str:
    """A small tab-separated wide table whose third row may have lost one cell."""
    header = [
        "序号\t项目名称\t项目年度预算金额\t实际支出合计\t预算支出执行率\t年初绩效目标\t数量指标\t\t质量指标\t\t满意度指标\t",
        "\t\t\t\t\t\t年度指标内容\t完成情况\t年度指标内容\t完成情况\t年度指标内容\t完成情况",
    ]
    rows = []
    for i, name in enumerate(("道路养护", "桥梁检测", "路灯维修"), start=1):
        cells = [str(i), name, "100", "98", "98.00%", f"完成{name}任务", "养护≥20公里", "养护21公里",
                 "验收合格率≥95%", "验收合格率98%", "群众满意度≥90%", "抽样调查满意度94%"]  # fmt: skip
        if drop_quality_target and i == 3:
            del cells[8]
        rows.append("\t".join(cells))
    return "\n".join(["某区交通运输局2022年度部门预算项目绩效自评表", *header, *rows]) + "\n"


@register
class RowMisaligned(Rule):
    """一行的单元格比表头少（或多），内容错位；报告推定缺失的单元格和归位方式。

    ## 问题
    从 PDF 或网页复制出的表格常丢失单元格，此后各格整体左移一列，完成值落到下一个指标的目标值下。
    读取时按内容（数字、百分比、“不适用”成对、满意度在末尾、同表其他行的同一文字）推定缺失位置并归位。

    ## 为什么
    错位的表格无法正确评价：每个指标的目标和完成都对不上号。提交前应修正原表。
    """

    code = "ST003"
    name = "row-misaligned"
    severity = Severity.WARNING
    summary = "行的单元格数与表头不符，内容错位（报告推定缺失的单元格及归位方式）"
    message = "此行{difference}，内容错位：{description}"
    rationale = "单元格丢失会使其后所有内容错列，指标目标与完成无法对应；应在原表中补齐后再提交。"
    layouts = ("wide",)
    examples = (
        Example("bad", {"table": _table(drop_quality_target=True)}, field="row",
                note="第3个项目的行丢失了质量指标的年度指标内容，其后各格左移一列"),
        Example("good", {"table": _table(drop_quality_target=False)}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        for project in ctx.submission.projects:
            realignment = project.realignment
            if realignment is None:
                continue
            lost = realignment.cells_expected - realignment.cells_found
            difference = f"比表头少 {lost} 个单元格" if lost > 0 else f"比表头多 {-lost} 个单元格"
            yield ctx.finding(
                self, project, "row", None,
                difference=difference, description=realignment.description,
                suggestion="对照原表补齐缺失的单元格（空白处可填“无”或“不适用”），避免内容错列",
            )  # fmt: skip
