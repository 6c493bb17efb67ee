"""Review decisions as data: the reviewer's 复核结论 read back from ``复核问题清单.xlsx``.

``auditor report`` writes ``复核问题清单.xlsx`` (:mod:`auditor.reporters.review_xlsx`): a row per finding
with a hidden 键 column — the rule code and the content key baselines use (department, project name,
indicator, field, rule and the normalised text; never a row or cell), so a decision survives re-runs,
inserted projects and next year's tables. The reviewer fills 复核结论 (确认 / 不采纳 / 已整改) and
复核意见. ``--decisions`` reads it back:

* **不采纳** — the reviewer rejects the finding: it is suppressed (``suppression.kind == "review"``), costs
  nothing and is listed as 复核不采纳 with the reviewer's reason;
* **确认** and **已整改** — the finding stands (and costs what it costs); both count as confirmed in
  ``auditor stats --decisions``.

The workbook is only ever read. One the tool did not write (no auditor mark, no 键 column), a key
that is not one auditor writes, or a 复核结论 outside the three values is a clear error (E114).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Finding, Suppression
from auditor.suppress import finding_key

WORKBOOK_NAME = "复核问题清单.xlsx"
SHEET = "复核问题清单"
MARK_SHEET = "auditor"
SCHEMA = "auditor-review/1"
VERDICT_COLUMN = "复核结论"
REASON_COLUMN = "复核意见"
KEY_COLUMN = "键"
CONFIRMED, REJECTED, FIXED = "确认", "不采纳", "已整改"
VERDICTS = (CONFIRMED, REJECTED, FIXED)
REJECTED_LABEL = "复核不采纳"
_KEY = re.compile(r"[A-Z]{2}\d{3}:[0-9a-f]{32}")


def review_key(finding: Finding) -> str:
    """``CODE:hash`` — the rule and the content key of :func:`auditor.suppress.finding_key`."""
    return f"{finding.code}:{finding_key(finding)}"


@dataclass(frozen=True)
class Decision:
    verdict: str
    reason: str = ""
    row: int = 0  # the workbook row it was read from (for messages)


@dataclass
class Decisions:
    """Decisions by key, and the rows of every finding listed (decided or not) for statistics."""

    path: str
    by_key: dict[str, Decision] = field(default_factory=dict)
    listed: Counter[str] = field(default_factory=Counter)  # rule code → rows in the workbook

    def get(self, finding: Finding) -> Decision | None:
        return self.by_key.get(review_key(finding))

    def merge(self, other: Decisions) -> None:
        self.by_key.update(other.by_key)
        self.listed.update(other.listed)


def load_decisions(path: Path) -> Decisions:
    """Read the reviewer's decisions; E114 for a workbook auditor did not write or a row it cannot use."""
    import openpyxl

    name = str(path)
    if not path.is_file():
        raise InputError("E114", name, "文件不存在" if not path.exists() else "不是普通文件")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError("E114", name, "不是 Excel 工作簿（.xlsx）") from exc
    try:
        if MARK_SHEET not in workbook.sheetnames or workbook[MARK_SHEET]["A1"].value != SCHEMA:
            raise InputError("E114", name, f"不是 auditor report 写出的{WORKBOOK_NAME}（缺少 auditor 的标记）")
        if SHEET not in workbook.sheetnames:
            raise InputError("E114", name, f"缺少“{SHEET}”工作表")
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = [str(value).strip() if value is not None else "" for value in next(rows, ())]
        missing = [title for title in (VERDICT_COLUMN, REASON_COLUMN, KEY_COLUMN, "规则") if title not in header]
        if missing:
            raise InputError("E114", name, f"缺少“{'”“'.join(missing)}”列（请勿删除或改名）")
        columns = {title: header.index(title) for title in (VERDICT_COLUMN, REASON_COLUMN, KEY_COLUMN)}
        decisions = Decisions(name)
        for number, row in enumerate(rows, start=2):
            decision = _decision(name, number, row, columns)
            if decision is None:
                continue
            key, verdict = decision
            decisions.listed[key.split(":")[0]] += 1
            if verdict is None:
                continue
            earlier = decisions.by_key.get(key)
            if earlier is not None and earlier.verdict != verdict.verdict:
                raise InputError("E114", name, f"第 {earlier.row} 行与第 {number} 行是同一问题，复核结论却不同")
            decisions.by_key[key] = verdict
        return decisions
    finally:
        workbook.close()


def _cell(row: tuple[object, ...], column: int) -> str:
    value = row[column] if column < len(row) else None
    return "" if value is None else str(value).strip()


def _decision(name: str, number: int, row: tuple[object, ...],
              columns: dict[str, int]) -> tuple[str, Decision | None] | None:  # fmt: skip
    key, verdict = _cell(row, columns[KEY_COLUMN]), _cell(row, columns[VERDICT_COLUMN])
    reason = _cell(row, columns[REASON_COLUMN])
    if not key:
        if verdict or reason:
            raise InputError("E114", name, f"第 {number} 行有复核结论但没有键（不是 auditor 写出的行，请勿新增行）")
        return None
    if not _KEY.fullmatch(key):
        raise InputError("E114", name, f"第 {number} 行的键“{key[:40]}”不是 auditor 写出的（请勿修改隐藏的“键”列）")
    if not verdict:
        return key, None
    if verdict not in VERDICTS:
        raise InputError("E114", name, f"第 {number} 行的复核结论“{verdict[:20]}”不是{'、'.join(VERDICTS)}之一")
    return key, Decision(verdict, reason, number)


def load_all(paths: Iterable[Path]) -> Decisions | None:
    """Several workbooks (later ones win for the same finding); ``None`` when none is given."""
    out: Decisions | None = None
    for path in paths:
        decisions = load_decisions(path)
        if out is None:
            out = decisions
        else:
            out.merge(decisions)
    return out


def apply_decisions(findings: list[Finding], decisions: Decisions) -> list[Finding]:
    """不采纳 suppresses an active finding (kind ``review``, the reviewer's reason); others are unchanged."""
    out = []
    for finding in findings:
        decision = decisions.get(finding)
        if decision is not None and decision.verdict == REJECTED and finding.active:
            finding = replace(finding, suppression=Suppression("review", decision.reason))
        out.append(finding)
    return out


def apply_to_report(report: Any, decisions: Decisions) -> int:
    """Apply the decisions to every file of a lint report and score the files again (scores come from
    the findings only). Returns how many decisions matched no finding of this run."""
    from auditor.scoring import submission_score

    seen: set[str] = set()
    for result in report.files:
        seen.update(review_key(finding) for finding in result.findings)
        result.findings = apply_decisions(result.findings, decisions)
        result.score = submission_score(result.submission, result.findings)
    report.decisions = decisions
    return sum(1 for key in decisions.by_key if key not in seen)


@dataclass(frozen=True)
class RuleStats:
    code: str
    confirmed: int
    fixed: int
    rejected: int
    undecided: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.fixed + self.rejected

    @property
    def precision(self) -> float | None:
        """Share of decided findings the reviewers upheld (确认 or 已整改), or ``None`` when none was decided."""
        return (self.confirmed + self.fixed) / self.decided if self.decided else None


def rule_stats(decisions: Decisions) -> list[RuleStats]:
    """Per rule: how often reviewers confirmed, fixed, rejected, or left a finding undecided."""
    verdicts: dict[str, Counter[str]] = {}
    for key, decision in decisions.by_key.items():
        verdicts.setdefault(key.split(":")[0], Counter())[decision.verdict] += 1
    out = []
    for code in sorted(set(decisions.listed) | set(verdicts)):
        counts = verdicts.get(code, Counter())
        decided = sum(counts.values())
        out.append(RuleStats(code, counts[CONFIRMED], counts[FIXED], counts[REJECTED],
                             max(decisions.listed[code] - decided, 0)))  # fmt: skip
    return out


STATS_HEADER = ("规则", "规则说明", "确认", "已整改", "不采纳", "未复核", "采纳率")


def stats_total(stats: list[RuleStats]) -> RuleStats:
    """The counts of every rule added up (code ``合计``)."""
    names = ("confirmed", "fixed", "rejected", "undecided")
    return RuleStats("合计", *(sum(getattr(item, name) for item in stats) for name in names))


def render_stats_json(stats: list[RuleStats]) -> str:
    """``auditor stats --format json``: per rule and in total, for a portal or a spreadsheet of many years."""
    import json

    from auditor.checks.registry import get_rule

    def entry(item: RuleStats, summary: str) -> dict[str, object]:
        return {
            "code": item.code, "summary": summary, "confirmed": item.confirmed, "fixed": item.fixed,
            "rejected": item.rejected, "undecided": item.undecided,
            "precision": round(item.precision, 4) if item.precision is not None else None,
        }  # fmt: skip

    rules = [entry(item, rule.summary if (rule := get_rule(item.code)) else "") for item in stats]
    document = {"rules": rules, "total": entry(stats_total(stats), "")}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_stats_csv(stats: list[RuleStats]) -> str:
    """``auditor stats --format csv``: one row per rule and a 合计 row (UTF-8 with BOM, for Excel/WPS)."""
    import csv
    import io

    from auditor.checks.registry import get_rule
    from auditor.reporters.csv_reporter import BOM
    from auditor.reporters.sanitize import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STATS_HEADER)
    for item in [*stats, stats_total(stats)]:
        rule = get_rule(item.code)
        rate = f"{item.precision:.4f}" if item.precision is not None else ""
        writer.writerow([csv_cell(value) for value in (
            item.code, rule.summary if rule else "", str(item.confirmed), str(item.fixed), str(item.rejected),
            str(item.undecided), rate)])  # fmt: skip
    return BOM + buffer.getvalue()


def render_stats(stats: list[RuleStats]) -> str:
    """``auditor stats --decisions``: one line per rule, then the total."""
    from auditor.checks.registry import get_rule

    lines = ["规则        确认  已整改  不采纳  未复核  采纳率  规则说明"]  # CJK characters are two columns wide

    def line(label: str, item: RuleStats, summary: str) -> str:
        rate = f"{item.precision:.0%}" if item.precision is not None else "—"
        wide = sum(1 for ch in label if ord(ch) > 0x2E80)
        counts = f"{item.confirmed:>8}{item.fixed:>8}{item.rejected:>8}{item.undecided:>8}{rate:>8}"
        return f"{label.ljust(8 - wide)}{counts}  {summary}".rstrip()

    for item in stats:
        rule = get_rule(item.code)
        lines.append(line(item.code, item, rule.summary if rule else ""))
    lines.append(line("合计", stats_total(stats), ""))
    lines.append("采纳率 =（确认 + 已整改）÷ 已复核；未复核的问题不计入。")
    return "\n".join(lines) + "\n"
