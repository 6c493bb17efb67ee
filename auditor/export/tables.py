"""The rows of the exported tables, from one linted submission — the one definition of their columns.

``auditor export`` (pyarrow) and the Spark ``lint`` job (:mod:`auditor.distributed.lint`) both call
:func:`submission_rows`, so the same file gives the same rows on a laptop and on a cluster. Column
types are written once in :data:`SCHEMAS` as short names (``string``, ``int32``, ``int64``,
``double``, ``bool``, ``list<string>``) that :mod:`auditor.export.parquet` maps to Arrow and
:mod:`auditor.distributed.session` to Spark. Every table has ``year``, the partition column.
"""

from __future__ import annotations

import json
from hashlib import blake2b
from typing import Any

from auditor.index.lsh import indexable_text
from auditor.model import Cell, Finding, Location, Submission
from auditor.scoring import department_name, score_submission

Row = dict[str, Any]

_PLACE = [("sheet", "string"), ("row", "int32"), ("column", "int32")]
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "submissions": [
        ("submission_id", "int64"), ("path", "string"), ("department", "string"), ("layout", "string"),
        ("kind", "string"), ("format", "string"), ("money_unit", "string"), ("title", "string"),
        ("projects", "int32"), ("indicators", "int32"), ("score", "double"), ("grade", "string"),
        ("findings", "int32"), ("notices", "list<string>"), ("year", "int32"),
    ],
    "projects": [
        ("submission_id", "int64"), ("path", "string"), ("department", "string"), ("project_index", "int32"),
        ("name", "string"), ("unit", "string"), ("supervisor", "string"), ("execution_rate", "double"),
        *_PLACE, ("year", "int32"),
    ],
    "indicators": [
        ("submission_id", "int64"), ("path", "string"), ("department", "string"), ("project_index", "int32"),
        ("project", "string"), ("category", "string"), ("indicator_name", "string"), ("field", "string"),
        ("position", "int32"), ("text", "string"), *_PLACE, ("indexable", "bool"), ("year", "int32"),
    ],
    "findings": [
        ("submission_id", "int64"), ("file", "string"), ("department", "string"), ("code", "string"),
        ("name", "string"), ("severity", "string"), ("message", "string"), ("project_index", "int32"),
        ("project", "string"), ("indicator", "string"), ("indicator_name", "string"), ("field", "string"),
        ("text", "string"), *_PLACE, ("span_start", "int32"), ("span_end", "int32"), ("suggestion", "string"),
        ("suppressed", "string"), ("suppressed_reason", "string"), ("related", "string"), ("year", "int32"),
    ],
    "scores": [
        ("submission_id", "int64"), ("path", "string"), ("department", "string"), ("project_index", "int32"),
        ("project", "string"), ("score", "double"), ("grade", "string"), ("output", "double"),
        ("effect", "double"), ("satisfaction", "double"), ("budget", "double"), ("execution_rate", "double"),
        ("findings", "int32"), ("by_family", "string"), ("year", "int32"),
    ],
    "errors": [("path", "string"), ("message", "string"), ("year", "int32")],
}  # fmt: skip
TABLES = tuple(SCHEMAS)
#: 评分的四个部分 (rules/scoring.yaml) → the scores table's columns.
SECTIONS = {"产出": "output", "效益": "effect", "满意度": "satisfaction", "预算执行": "budget"}


def submission_id(path: str) -> int:
    """A signed 63-bit id of a submission's path: the same on every node, no coordination needed."""
    return int.from_bytes(blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "little") >> 1


def _place(location: Location | None) -> Row:
    if location is None:
        return {"sheet": None, "row": None, "column": None}
    return {"sheet": location.sheet, "row": location.row, "column": location.column}


def _text_cells(submission: Submission) -> list[tuple[int, str, str | None, str | None, str, Cell]]:
    """(project index, project, category, 三级指标 name, field, cell) of every text a clone or a reader may want."""
    out = []
    for project in submission.projects:
        name = project.name.text
        for field, cell in (("goal", project.goal), ("goal_completion", project.goal_completion)):
            out.append((project.index, name, None, None, field, cell))
        for indicator in project.indicators:
            label = indicator.name.text if indicator.name is not None and not indicator.name.is_blank else None
            for field, cell in (("target", indicator.target), ("completion", indicator.completion)):
                out.append((project.index, name, indicator.category, label, field, cell))
    return [item for item in out if not item[-1].is_blank]


def submission_rows(submission: Submission, findings: list[Finding]) -> dict[str, list[Row]]:
    """The rows of every table for one linted submission (its findings as the run left them)."""
    sid, path, year = submission_id(submission.path), submission.path, submission.year
    base = {"submission_id": sid, "path": path, "department": submission.department, "year": year}
    scored = score_submission(submission, findings)
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    rows["submissions"].append({
        **base, "layout": submission.layout.value, "kind": submission.kind.value, "format": submission.file_format,
        "money_unit": submission.money_unit, "title": submission.title, "projects": len(submission.projects),
        "indicators": submission.indicator_count, "score": scored.score, "grade": scored.grade,
        "findings": scored.findings, "notices": list(submission.notices),
    })  # fmt: skip
    for project in submission.projects:
        rows["projects"].append({
            **base, "project_index": project.index, "name": project.name.text,
            "unit": project.unit.text if project.unit is not None else None,
            "supervisor": project.department.text if project.department is not None else None,
            "execution_rate": project.budget.execution_rate, **_place(project.location),
        })  # fmt: skip
    for position, (index, project, category, label, field, cell) in enumerate(_text_cells(submission)):
        rows["indicators"].append({
            **base, "project_index": index, "project": project, "category": category, "indicator_name": label,
            "field": field, "position": position, "text": cell.text, **_place(cell.location),
            "indexable": indexable_text(field, cell.text),
        })  # fmt: skip
    for finding in findings:
        rows["findings"].append(finding_row(finding, sid, year))
    department = department_name(submission)
    for project in scored.projects:
        rows["scores"].append({
            "submission_id": sid, "path": path, "department": department, "year": year,
            "project_index": project.index, "project": project.name, "score": project.score, "grade": project.grade,
            **{column: project.sections.get(section) for section, column in SECTIONS.items()},
            "execution_rate": project.execution_rate, "findings": project.findings,
            "by_family": json.dumps(project.by_family, ensure_ascii=False, sort_keys=True),
        })  # fmt: skip
    return rows


def finding_row(finding: Finding, sid: int, year: int | None) -> Row:
    span = finding.span or (None, None)
    related = [place.to_dict() for place in finding.related]
    suppression = finding.suppression
    return {
        "submission_id": sid, "file": finding.file, "department": finding.department, "code": finding.code,
        "name": finding.name, "severity": finding.severity.value, "message": finding.message,
        "project_index": finding.project_index, "project": finding.project, "indicator": finding.indicator,
        "indicator_name": finding.indicator_name, "field": finding.field, "text": finding.text,
        **_place(finding.location), "span_start": span[0], "span_end": span[1], "suggestion": finding.suggestion,
        "suppressed": suppression.kind if suppression else None,
        "suppressed_reason": suppression.reason if suppression else None,
        "related": json.dumps(related, ensure_ascii=False) if related else None, "year": year,
    }  # fmt: skip


def error_row(message: str) -> Row:
    return {"path": message.split(": ", 1)[0], "message": message, "year": None}


def finding_dict(row: Row) -> dict[str, Any]:
    """A findings row read back, as the JSON report (``auditor/1``) writes the finding."""
    location = None
    if row.get("row") is not None:
        location = Location(int(row["row"]), int(row["column"]), row.get("sheet")).to_dict()
    out: dict[str, Any] = {
        "code": row["code"], "name": row["name"], "severity": row["severity"], "message": row["message"],
        "file": row["file"], "department": row["department"], "project_index": _int(row["project_index"]),
        "project": row["project"], "indicator": row["indicator"], "field": row["field"], "text": row["text"],
        "location": location,
    }  # fmt: skip
    if row.get("indicator_name"):
        out["indicator_name"] = row["indicator_name"]
    if row.get("span_start") is not None:
        out["span"] = [int(row["span_start"]), int(row["span_end"])]
    if row.get("related"):
        out["related"] = json.loads(row["related"])
    if row.get("suggestion"):
        out["suggestion"] = row["suggestion"]
    if row.get("suppressed"):
        out["suppressed"] = {"kind": row["suppressed"], "reason": row.get("suppressed_reason") or ""}
        if row["suppressed"] == "review":
            out["suppressed"]["label"] = "复核不采纳"
    return out


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


