"""Accepted findings: in-cell directives and baseline files.

**In-cell acceptance.** A spreadsheet user writes ``auditor: ignore CODE 理由…`` in a cell comment
(xlsx/xls), or at the end of the cell text (any format; the reader strips it from the text the
rules see). The finding of that code (or code prefix) at that cell is then *suppressed*: still in
JSON/SARIF, marked as accepted with its reason, but not counted. A directive without a reason is
not honoured, and the run says so.

**Baselines.** ``--write-baseline FILE`` records the current findings keyed by content that
survives edits — department, project name, indicator category and name, field, rule code and a
hash of the normalised text — never by row, so inserting a project row does not invalidate it.
``--baseline FILE`` suppresses findings recorded there, counts them, and lists stale entries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Finding, Location, Submission, Suppression
from auditor.text.normalize import normalize

BASELINE_SCHEMA = "auditor-baseline/1"
_CODE = r"[A-Za-z]{2}\d{0,3}"
DIRECTIVE = re.compile(
    rf"[【\[]?\s*auditor\s*[:：]\s*ignore\s+(?P<codes>{_CODE}(?:\s*[,，、]\s*{_CODE})*)(?P<reason>[^】\]\n]*)[】\]]?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Directive:
    codes: tuple[str, ...]
    reason: str

    def covers(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.codes)


def parse_directive(text: str) -> Directive | None:
    match = DIRECTIVE.search(text)
    if match is None:
        return None
    codes = tuple(c.strip().upper() for c in re.split(r"[,，、]", match.group("codes")) if c.strip())
    reason = match.group("reason").strip(" ：:，,。;；")
    return Directive(codes, reason)


def split_directive(text: str) -> tuple[str, str | None]:
    """Cell text without its directive, and the directive's text (readers call this)."""
    match = DIRECTIVE.search(text)
    if match is None:
        return text, None
    return (text[: match.start()] + text[match.end() :]).strip(), match.group(0).strip()


def apply_in_source(submission: Submission, findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """Mark findings accepted by a directive at their cell; notices for directives without reason."""
    notes: dict[Location, Directive] = {}
    notices: list[str] = []
    for location, text in submission.notes:
        directive = parse_directive(text)
        if directive is None:
            continue
        if not directive.reason:
            where = f"{location.sheet}!{location.cell}" if location.sheet else location.cell
            notices.append(f"{submission.path}: 单元格 {where} 的“auditor: ignore”缺少理由，未生效")
            continue
        notes[location] = directive
    if not notes:
        return findings, notices
    out = []
    for finding in findings:
        directive = notes.get(finding.location) if finding.location is not None else None
        if directive is not None and directive.covers(finding.code):
            finding = replace(finding, suppression=Suppression("in_source", directive.reason))
        out.append(finding)
    return out, notices


def finding_key(finding: Finding) -> str:
    """A content key that survives moved rows: no file position in it."""
    parts = [
        finding.department or "",
        finding.project or "",
        finding.indicator or "",
        finding.indicator_name or "",
        finding.field,
        finding.code,
        normalize(finding.text),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def baseline_document(findings: list[Finding]) -> str:
    entries = [
        {
            "key": finding_key(f),
            "code": f.code,
            "department": f.department,
            "project": f.project,
            "indicator": f.indicator,
            "indicator_name": f.indicator_name,
            "field": f.field,
            "text": f.text[:60],
        }
        for f in findings
        if f.active
    ]
    entries.sort(key=lambda e: (e["department"] or "", e["project"] or "", e["code"], e["key"]))
    return json.dumps({"schema": BASELINE_SCHEMA, "entries": entries}, ensure_ascii=False, indent=1) + "\n"


@dataclass
class Baseline:
    entries: list[dict[str, Any]]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError("E111", str(path), "文件不存在") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError("E111", str(path), "不是有效的 JSON") from exc
        if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
            raise InputError("E111", str(path), f"不是 {BASELINE_SCHEMA} 格式的基线文件")
        return cls(list(data.get("entries") or []))

    def apply(self, findings: list[Finding]) -> tuple[list[Finding], int, list[dict[str, Any]]]:
        """Suppress recorded findings; return them, how many were suppressed, and stale entries."""
        remaining = Counter(entry["key"] for entry in self.entries)
        out, suppressed = [], 0
        for finding in findings:
            key = finding_key(finding)
            if finding.active and remaining[key] > 0:
                remaining[key] -= 1
                suppressed += 1
                finding = replace(finding, suppression=Suppression("baseline", "已记录在基线文件中"))
            out.append(finding)
        stale = []
        for entry in self.entries:
            if remaining[entry["key"]] > 0:
                remaining[entry["key"]] -= 1
                stale.append(entry)
        return out, suppressed, stale
