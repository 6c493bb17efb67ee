"""Quality scores as text, JSON, CSV and Markdown (``auditor score`` and the report's summaries).

The figures come from :mod:`auditor.scoring`; this module only lays them out. CSV has one row per
project with its department's rank and score repeated, so that a spreadsheet can filter and pivot
it; cells that a spreadsheet would read as a formula are neutralised as in the lint CSV. All text
outputs go through :mod:`auditor.reporters.sanitize` (no control characters or escape sequences).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from auditor import __version__
from auditor.reporters import Report
from auditor.reporters.sanitize import csv_cell, display, json_text
from auditor.scoring import DepartmentScore, ProjectScore, weights

SCHEMA = "auditor-score/1"
FAMILIES = ("CP", "VG", "MS", "NM", "ST", "LG")
FAMILY_NAMES = {
    "CP": "照抄克隆",
    "VG": "空泛套话",
    "MS": "不可衡量",
    "NM": "数字矛盾",
    "ST": "结构缺失",
    "LG": "语言文字",
}


def render_text(departments: list[DepartmentScore], report: Report) -> str:
    bands = sorted(weights()["grades"].items(), key=lambda item: -float(item[1]))
    legend = "，".join(f"{name} ≥ {floor:g}" for name, floor in bands[:-1]) + f"，{bands[-1][0]} < {bands[-2][1]:g}"
    lines = [f"部门排名（质量分 0–100；{legend}）", ""]
    for department in departments:
        projects = department.projects
        lines.append(
            f"{department.rank:>3}. {department.department}  {department.score:.1f} {department.grade}"
            f"  （{len(department.submissions)} 份表，{len(projects)} 个项目，{department.findings} 个问题）"
        )
        for project in sorted(projects, key=lambda item: (item.score, item.index)):
            sections = " ".join(f"{name}{value:.0f}" for name, value in project.sections.items())
            rate = f"  执行率 {project.execution_rate:.2f}%" if project.execution_rate is not None else ""
            lines.append(
                f"       {project.score:5.1f} {project.grade}  {project.index}. {project.name}"
                f"  [{sections}]  问题 {project.findings}{rate}"
            )
    if report.unreadable:
        lines += ["", f"无法读取的文件（{len(report.unreadable)} 个）："]
        lines += [f"  {error}" for error in report.unreadable]
    return display("\n".join(lines) + "\n")


def render_json(departments: list[DepartmentScore], report: Report) -> str:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": "auditor", "version": __version__},
        "weights": weights(),
        "departments": [
            {
                "rank": department.rank,
                "department": department.department,
                "score": department.score,
                "grade": department.grade,
                "findings": department.findings,
                "by_family": department.by_family,
                "submissions": [
                    {
                        "path": submission.path,
                        "year": submission.year,
                        "score": submission.score,
                        "grade": submission.grade,
                        "findings": submission.findings,
                        "by_family": submission.by_family,
                        "projects": [_project_dict(project) for project in submission.projects],
                    }
                    for submission in department.submissions
                ],
            }
            for department in departments
        ],
        "errors": report.errors,
        "skipped": report.skipped,
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def _project_dict(project: ProjectScore) -> dict[str, Any]:
    return {
        "index": project.index,
        "name": project.name,
        "score": project.score,
        "grade": project.grade,
        "sections": project.sections,
        "execution_rate": project.execution_rate,
        "findings": project.findings,
        "by_family": project.by_family,
        "indicators": [
            {"category": item.category, "label": item.label, "score": item.score, "findings": item.findings}
            for item in project.indicators
        ],
    }


CSV_HEADER = [
    "部门排名", "部门", "部门得分", "部门等级", "文件", "年度", "项目序号", "项目名称", "项目得分", "项目等级",
    "产出", "效益", "满意度", "预算执行", "执行率(%)", "问题数", *(f"{code} {FAMILY_NAMES[code]}" for code in FAMILIES),
]  # fmt: skip


def render_csv(departments: list[DepartmentScore], report: Report | None = None) -> str:
    """One row per project (UTF-8 with BOM so that Excel opens it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for department in departments:
        for submission in department.submissions:
            for project in submission.projects:
                row: list[object] = [
                    department.rank, department.department, department.score, department.grade, submission.path,
                    submission.year or "", project.index, project.name, project.score, project.grade,
                    *(project.sections.get(name, "") for name in ("产出", "效益", "满意度", "预算执行")),
                    "" if project.execution_rate is None else project.execution_rate, project.findings,
                    *(project.by_family.get(code, 0) for code in FAMILIES),
                ]  # fmt: skip
                writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def render_markdown(departments: list[DepartmentScore], report: Report, pages: dict[str, str] | None = None) -> str:
    """A summary to paste into a memo: ranking, problems by rule, weakest projects."""
    pages = pages or {}
    projects = [project for department in departments for project in department.projects]
    lines = [
        "# 绩效自评表质量汇总",
        "",
        f"{len(departments)} 个部门，{sum(len(d.submissions) for d in departments)} 份自评表，"
        f"{len(projects)} 个项目，{len(report.active)} 个问题（已接受 {len(report.suppressed)} 个）。",
        "",
        "## 部门排名",
        "",
        "| 排名 | 部门 | 得分 | 等级 | 项目数 | 问题数 | " + " | ".join(FAMILY_NAMES[c] for c in FAMILIES) + " |",
        "|---:|---|---:|:---:|---:|---:|" + "---:|" * len(FAMILIES),
    ]
    for department in departments:
        name = _md(department.department)
        if department.department in pages:
            name = f"[{name}]({quote(pages[department.department])})"
        families = " | ".join(str(department.by_family.get(code, 0)) for code in FAMILIES)
        lines.append(
            f"| {department.rank} | {name} | {department.score:.1f} | {department.grade} | "
            f"{len(department.projects)} | {department.findings} | {families} |"
        )
    by_rule = Counter(finding.code for finding in report.active)
    if by_rule:
        from auditor.checks.registry import all_rules

        rules = all_rules()
        lines += ["", "## 最常见的问题", "", "| 规则 | 说明 | 次数 |", "|---|---|---:|"]
        lines += [
            f"| {code} | {_md(rules[code].summary) if code in rules else ''} | {count} |"
            for code, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))[:10]
        ]
    weakest = sorted(
        ((project, department) for department in departments for project in department.projects),
        key=lambda pair: (pair[0].score, pair[1].department, pair[0].index),
    )[:10]
    if weakest:
        lines += ["", "## 得分最低的项目", "", "| 部门 | 项目 | 得分 | 等级 | 问题数 |", "|---|---|---:|:---:|---:|"]
        lines += [
            f"| {_md(department.department)} | {project.index}. {_md(project.name)} | {project.score:.1f} | "
            f"{project.grade} | {project.findings} |"
            for project, department in weakest
        ]
    if report.unreadable:
        lines += ["", "## 无法读取的文件", ""] + [f"- {_md(error)}" for error in report.unreadable]
    return display("\n".join(lines) + "\n")


def _md(text: str) -> str:
    """Table-safe Markdown text: no pipes, newlines, controls or markup from the input."""
    out = " ".join(display(text).split()).replace("&", "&amp;")
    for char in "\\|*_`[]<>#":
        out = out.replace(char, "\\" + char)
    return out
