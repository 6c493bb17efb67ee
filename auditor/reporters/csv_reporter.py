"""``--format csv``: one row per finding, for reviewers who sort and filter in Excel or WPS.

Column titles are Chinese; suppressed findings are included with the reason they were accepted in
the last column (blank for findings that count). The text starts with a UTF-8 byte order mark so
Excel detects the encoding, and rows end in CRLF (RFC 4180). Every cell goes through
:func:`auditor.reporters.sanitize.csv_cell`: control characters and terminal escape sequences are
removed and a value that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from auditor.model import Finding
from auditor.reporters import Report
from auditor.reporters.sanitize import csv_cell, neutralise
from auditor.reporters.text import FIELD_NAMES

HEADER = ("文件", "部门", "项目序号", "项目名称", "指标", "三级指标", "字段", "工作表", "单元格",
          "代码", "规则", "级别", "消息", "原文", "建议", "是否已接受")  # fmt: skip
BOM = "\ufeff"
__all__ = ["BOM", "HEADER", "accepted", "neutralise", "render"]  # neutralise: kept importable from here


def accepted(finding: Finding) -> str:
    """Why a suppressed finding was accepted: the cell note's reason, or 基线 for a baseline."""
    suppression = finding.suppression
    if suppression is None:
        return ""
    if suppression.kind == "review":
        return f"复核不采纳：{suppression.reason}" if suppression.reason else "复核不采纳"
    if suppression.kind == "baseline":
        return f"基线：{suppression.reason}" if suppression.reason else "基线"
    return suppression.reason or "已接受"


def _rule_summary(code: str, fallback: str) -> str:
    """The rule's one-line Chinese summary (what the 规则 column shows), else its name."""
    from auditor.checks.registry import get_rule

    rule = get_rule(code)
    return rule.summary if rule is not None else fallback


def _row(finding: Finding) -> list[str]:
    loc = finding.location
    values = [
        finding.file,
        finding.department or "",
        "" if finding.project_index is None else str(finding.project_index),
        finding.project or "",
        finding.indicator or "",
        finding.indicator_name or "",
        FIELD_NAMES.get(finding.field, finding.field),
        (loc.sheet or "") if loc else "",
        loc.cell if loc else "",
        finding.code,
        _rule_summary(finding.code, finding.name),
        finding.severity.chinese,
        finding.message,
        finding.text,
        finding.suggestion or "",
        accepted(finding),
    ]
    return [csv_cell(value) for value in values]


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_row(finding) for finding in report.findings)
    return BOM + buffer.getvalue()
