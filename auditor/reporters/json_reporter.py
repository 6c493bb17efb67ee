"""``--format json``: the machine-readable contract (schema ``auditor/1``)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from auditor import __version__
from auditor.model import Finding
from auditor.reporters import Report
from auditor.reporters.sanitize import json_text

SCHEMA = "auditor/1"


def finding_dict(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.file,
        "department": finding.department,
        "project_index": finding.project_index,
        "project": finding.project,
        "indicator": finding.indicator,
        "field": finding.field,
        "text": finding.text,
        "location": finding.location.to_dict() if finding.location else None,
    }
    if finding.indicator_name:
        out["indicator_name"] = finding.indicator_name
    if finding.span is not None:
        out["span"] = list(finding.span)
    if finding.related:
        out["related"] = [place.to_dict() for place in finding.related]
    if finding.suggestion:
        out["suggestion"] = finding.suggestion
    if finding.suppression is not None:
        out["suppressed"] = {"kind": finding.suppression.kind, "reason": finding.suppression.reason}
        if finding.suppression.kind == "review":
            out["suppressed"]["label"] = "复核不采纳"
    return out


def _with_review(finding: Finding, decisions: Any) -> dict[str, Any]:
    """The finding, plus the reviewer's decision read with ``--decisions`` (``review``: verdict, reason, key)."""
    out = finding_dict(finding)
    if decisions is not None:
        from auditor.review import review_key

        decision = decisions.get(finding)
        if decision is not None:
            out["review"] = {"verdict": decision.verdict, "reason": decision.reason, "key": review_key(finding)}
    return out


def render(report: Report) -> str:
    findings = report.findings
    active = report.active
    severities = Counter(finding.severity.value for finding in active)
    document = {
        "schema": SCHEMA,
        "tool": {"name": "auditor", "version": __version__},
        "files": [
            {
                "path": result.submission.path,
                "layout": result.submission.layout.value,
                "department": result.submission.department,
                "year": result.submission.year,
                "projects": len(result.submission.projects),
                "indicators": result.submission.indicator_count,
                "score": result.score,
                "money_unit": result.submission.money_unit,
                "format": result.submission.file_format,
                "notices": list(result.submission.notices),
            }
            for result in report.files
        ],
        "findings": [_with_review(finding, report.decisions) for finding in findings],
        "summary": {
            "error": severities.get("error", 0),
            "warning": severities.get("warning", 0),
            "info": severities.get("info", 0),
            "by_code": dict(sorted(Counter(finding.code for finding in active).items())),
            "suppressed": len(findings) - len(active),
            **({"review_rejected": sum(1 for f in findings if f.suppression and f.suppression.kind == "review")}
               if report.decisions is not None else {}),
        },
        "errors": report.errors,
        "skipped": report.skipped,
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
