"""Readable terminal output, grouped by file and project: place, code, severity, message.

Cell text and file names are printed through :func:`auditor.reporters.sanitize.display`, so no escape
sequence or control character from an input reaches the terminal.
"""

from __future__ import annotations

from itertools import groupby

from auditor.model import Finding
from auditor.reporters import Report
from auditor.reporters.grouping import causes, cell_name, reading_order, recurs_in
from auditor.reporters.sanitize import display

FIELD_NAMES = {
    "target": "年度指标值", "completion": "完成值", "score": "得分", "reason": "偏差原因",
    "goal": "年初绩效目标", "goal_completion": "目标完成情况", "budget": "预算执行",
    "problems": "存在的问题", "row": "整行",
}  # fmt: skip
LAYOUT_NAMES = {
    "wide": "宽表（一行一个项目）",
    "standard": "标准表（一个项目一块）",
    "summary": "汇总表（一行一个项目的评价得分）",
}
KIND_NAMES = {"department": "部门整体支出", "summary": "评价结果汇总"}


def _place(finding: Finding) -> str:
    field = FIELD_NAMES.get(finding.field, finding.field)
    if finding.indicator:
        where = f"{finding.indicator}·{finding.indicator_name}" if finding.indicator_name else finding.indicator
        return f"{where}·{field}"
    return field


def _cell(finding: Finding) -> str:
    return cell_name(finding) or "-"


def render(report: Report) -> str:
    lines: list[str] = []
    for result in report.files:
        sub = result.submission
        facts = [LAYOUT_NAMES.get(sub.layout.value, sub.layout.value), sub.department or "部门未识别"]
        if sub.kind.value == "department":
            facts.insert(1, KIND_NAMES["department"])
        if sub.year:
            facts.append(f"{sub.year}年度")
        facts += [f"{len(sub.projects)}个项目", f"{sub.indicator_count}项指标", f"质量分 {result.score:g}"]
        lines.append(f"{sub.path}  [{' · '.join(facts)}]")
        for notice in sub.notices:
            lines.append(f"  注意：{notice}")
        # One cause (one rule on one text) is shown once, at its first place, with the places it recurs.
        grouped = causes(f for f in result.findings if f.active)
        first = {id(cause.first): cause for cause in grouped}
        repeats = {id(other): cause.first for cause in grouped for other in cause.others}
        active = sorted((f for f in result.findings if f.active),
                        key=lambda f: (f.project_index or 0, reading_order(f)))  # fmt: skip
        for (index, name), group in groupby(active, key=lambda f: (f.project_index, f.project)):
            members = list(group)
            shown = [finding for finding in members if id(finding) in first]
            header = f"  项目 {index} {name or ''}".rstrip() if index is not None else "  整个文件"
            if len(shown) < len(members):
                earlier = sorted({repeats[id(f)].project_index for f in members if id(f) in repeats} - {index},
                                 key=lambda number: number or 0)  # fmt: skip
                where = "、".join(f"项目 {number}" for number in earlier) + " " if earlier else "上文"
                header += f"（另有 {len(members) - len(shown)} 个问题与{where}列出的相同，不再重复）"
            lines.append(header)
            for finding in shown:
                head = f"    {_cell(finding):>8}  {finding.code} {finding.severity.chinese}"
                lines.append(f"{head}  {_place(finding)}：{finding.message}")
                others = recurs_in(first[id(finding)].others, limit=8)
                if others:
                    lines.append(f"    {'':>8}  {others}")
                if finding.suggestion:
                    lines.append(f"    {'':>8}  建议：{finding.suggestion}")
        if not any(f.active for f in result.findings):
            lines.append("  未发现问题")
        lines.append("")
    findings = report.active
    counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
    distinct = len(causes(findings))
    lines.append(
        f"共检查 {len(report.files)} 个文件，发现 {len(findings)} 个问题："
        f"错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
        + (f"；同一规则、同一文字只列一次，共 {distinct} 条" if distinct < len(findings) else "")
    )
    if report.suppressed:
        lines.append(f"另有 {len(report.suppressed)} 个问题已被接受（单元格批注或基线文件），未计入")
    if report.errors:
        lines.append(f"另有 {len(report.errors)} 个文件无法读取（见上方错误信息）")
    return display("\n".join(lines) + "\n")
