"""``复核问题清单.xlsx``: one cross-department workbook in which the reviewer records decisions.

A row per finding (accepted ones too) with department, file, project, place, rule, text, message and
suggestion; findings of one cause (one rule on one text, see :mod:`auditor.reporters.grouping`) sit
together and share a 同类问题 number, so a reviewer can filter them and decide them alike. Two columns
are the reviewer's: 复核结论 (a drop-down: 确认 / 不采纳 / 已整改) and 复核意见. A hidden 键 column holds
the content key (:func:`auditor.review.review_key`) and a very hidden ``auditor`` sheet marks the
workbook as auditor's, so ``--decisions`` can tell it from any other workbook. Decisions given with
``--decisions`` are filled in again, so a re-run keeps them. Text is stored as text, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from auditor.reporters import Report
from auditor.reporters.annotated_xlsx import HEADER_FILL, _rule_summary, _save_atomically, put_text, status, write_row
from auditor.reporters.grouping import causes
from auditor.reporters.text import FIELD_NAMES
from auditor.reporters.xlsx_styles import Stamp
from auditor.review import (
    KEY_COLUMN,
    MARK_SHEET,
    REASON_COLUMN,
    SCHEMA,
    SHEET,
    VERDICT_COLUMN,
    VERDICTS,
    review_key,
)
from auditor.scoring import department_name

COLUMNS = (
    ("序号", 6), ("部门", 22), ("文件", 24), ("项目序号", 8), ("项目", 26), ("指标", 20), ("字段", 12),
    ("单元格", 10), ("规则", 8), ("规则说明", 28), ("严重性", 7), ("原文", 36), ("说明", 44), ("建议", 36),
    ("同类问题", 10), ("状态", 14), (VERDICT_COLUMN, 10), (REASON_COLUMN, 30), (KEY_COLUMN, 10),
)  # fmt: skip
HEADER = tuple(name for name, _ in COLUMNS)
REVIEWER_FILL_COLOUR = "FFFFF2CC"
PROMPT = "确认：问题成立；不采纳：问题不成立（不扣分，请在复核意见中写明理由）；已整改：已按要求改正"


def write_review_workbook(report: Report, destination: Path) -> Path:
    """Write the review list to ``destination`` atomically; returns it."""
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    reviewer_fill = PatternFill(fill_type="solid", start_color=REVIEWER_FILL_COLOUR, end_color=REVIEWER_FILL_COLOUR)
    for column, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = reviewer_fill if name in (VERDICT_COLUMN, REASON_COLUMN) else HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Stamp.register(workbook, alignment=Alignment(wrap_text=True, vertical="top"))
    decisions = report.decisions
    row = 1
    ordered = sorted(report.files, key=lambda result: (department_name(result.submission), result.submission.path))
    for number, cause in enumerate((c for result in ordered for c in causes(result.findings)), start=1):
        for finding in cause.findings:
            row += 1
            decision = decisions.get(finding) if decisions is not None else None
            indicator = finding.indicator or ""
            if indicator and finding.indicator_name:
                indicator += f"·{finding.indicator_name}"
            loc = finding.location
            values: list[Any] = [
                row - 1, finding.department or department_name_of(report, finding.file), finding.file,
                finding.project_index if finding.project_index is not None else "", finding.project or "",
                indicator, FIELD_NAMES.get(finding.field, finding.field),
                (f"{loc.sheet}!{loc.cell}" if loc.sheet else loc.cell) if loc else "",
                finding.code, _rule_summary(finding.code) or finding.name, finding.severity.chinese, finding.text,
                finding.message, finding.suggestion or "", f"第 {number} 类（{cause.count} 处）", status(finding),
                decision.verdict if decision else "", decision.reason if decision else "", review_key(finding),
            ]  # fmt: skip
            write_row(sheet, row, values, wrap)
    verdict_letter = get_column_letter(HEADER.index(VERDICT_COLUMN) + 1)
    validation = DataValidation(
        type="list", formula1=f'"{",".join(VERDICTS)}"', allow_blank=True, showErrorMessage=True,
        errorTitle="复核结论", error=f"请从下拉列表中选择：{'、'.join(VERDICTS)}",
        promptTitle="复核结论", prompt=PROMPT,
        showInputMessage=True,
    )  # fmt: skip
    sheet.add_data_validation(validation)
    if row > 1:
        validation.add(f"{verdict_letter}2:{verdict_letter}{row}")
    sheet.column_dimensions[get_column_letter(HEADER.index(KEY_COLUMN) + 1)].hidden = True
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER) - 1)}{max(row, 1)}"
    mark = workbook.create_sheet(MARK_SHEET)
    mark["A1"] = SCHEMA
    mark["A2"] = "auditor report 写出的复核问题清单；请勿修改此表和隐藏的“键”列。"
    mark.sheet_state = "veryHidden"
    _save_atomically(workbook, destination)
    return destination


def department_name_of(report: Report, path: str) -> str:
    for result in report.files:
        if result.submission.path == path:
            return department_name(result.submission)
    return ""
