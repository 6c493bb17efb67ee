"""``--format sarif``: a SARIF 2.1.0 log for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers).

One run of the ``auditor`` driver. ``tool.driver.rules`` describes every registered rule, whether it
fired or not, so ``ruleIndex`` stays stable across runs. Each finding becomes one result:

- ``physicalLocation`` points at the table cell: ``startLine`` is the row and ``startColumn`` the
  table column (1-based; for delimited text the line and the field number), with the sheet and the
  A1 cell name in the location's ``properties`` and the cell text as the region's snippet;
- ``logicalLocations`` name the place in the form: 部门/项目N 项目名/指标/字段;
- ``partialFingerprints["auditor/v1"]`` hashes what the finding is about, not where it is, so it
  stays the same when rows are inserted or moved;
- suppressed findings are kept, with ``suppressions`` (``inSource`` for a cell note, ``external``
  for a baseline file), so viewers can show them as accepted.

Paths are relative URI references against the ``SRCROOT`` base (the directory auditor ran in),
percent-encoded from the file name's bytes; absolute paths become ``file:`` URIs (see
:func:`artifact_location`). Output is deterministic: results keep the report's order.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote_from_bytes

from auditor import __version__
from auditor.model import Finding, Location, Place
from auditor.reporters import Report
from auditor.reporters.sanitize import file_name_bytes, json_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "SRCROOT"
FINGERPRINT = "auditor/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SUPPRESSION_KINDS = {"in_source": "inSource", "baseline": "external"}
_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+")


def artifact_location(path: str) -> dict[str, str]:
    """The SARIF artifactLocation of a file path, always a valid URI reference.

    A relative path becomes a relative reference against ``SRCROOT``: forward slashes (``\\`` is a
    separator too, for paths written on Windows), ``.`` segments dropped, and each segment
    percent-encoded from the name's bytes — a file name that is not valid UTF-8 keeps its own bytes
    (``%B2%E2``), and ``:``, ``?``, ``#`` and ``%`` in a name are encoded, so the reference never reads
    as a scheme, query or fragment. An absolute path becomes a ``file:`` URI: ``file:///data/…``,
    ``file:///C:/…`` for a Windows drive, ``file://server/share/…`` for a UNC path.
    """
    if _WINDOWS_ABSOLUTE.match(path):  # C:\… or \\server\share\… ("a:b" is a POSIX name)
        drive = PureWindowsPath(path).drive
        segments = _segments(path[len(drive) :])
        if drive.startswith("\\\\"):
            server, _, share = drive.replace("\\", "/").strip("/").partition("/")
            return {"uri": "file://" + "/".join(_quote(part) for part in (server, share, *segments))}
        return {"uri": "file:///" + drive[0] + ":/" + "/".join(_quote(part) for part in segments)}
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return {"uri": "file:///" + "/".join(_quote(part) for part in _segments(posix))}
    return {"uri": "/".join(_quote(part) for part in _segments(posix)) or ".", "uriBaseId": SRCROOT}


def _segments(path: str) -> list[str]:
    """The path's segments, empty and ``.`` ones dropped (``..`` kept: it means something)."""
    return [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]


def _quote(segment: str) -> str:
    """One path segment percent-encoded from its bytes (undecodable bytes kept as they were on disk)."""
    return quote_from_bytes(file_name_bytes(segment), safe="")


def fingerprint(finding: Finding) -> str:
    """A location-independent identity — the same content key the baselines use."""
    from auditor.suppress import finding_key

    return finding_key(finding)


def _rules() -> list[dict[str, Any]]:
    from auditor.checks.registry import all_rules

    descriptors = []
    for code, rule in all_rules().items():
        help_text = inspect.cleandoc(rule.__doc__ or rule.summary)
        descriptors.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.rationale},
                "help": {"text": help_text, "markdown": help_text},
                "helpUri": f"docs/rules/{code}.md",
                "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
                "properties": {"family": code[:2]},
            }
        )
    return descriptors


def _qualified_name(department: str | None, project_index: int | None, project: str | None,
                    indicator: str | None, indicator_name: str | None, field: str) -> str:  # fmt: skip
    parts = [department or "部门未识别"]
    if project_index is not None:
        parts.append(f"项目{project_index} {project}" if project else f"项目{project_index}")
    if indicator:
        parts.append(f"{indicator}·{indicator_name}" if indicator_name else indicator)
    parts.append(field)
    return "/".join(parts)


def _physical(path: str, location: Location | None, snippet: str = "") -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    if location is not None:
        region: dict[str, Any] = {"startLine": location.row, "startColumn": location.column}
        if snippet:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return physical


def _cell_properties(location: Location | None) -> dict[str, Any]:
    if location is None:
        return {}
    props: dict[str, Any] = {"cell": location.cell}
    if location.sheet:
        props["sheet"] = location.sheet
    return {"properties": props}


def _related(finding: Finding, place: Place, number: int, projects: dict[tuple[str, int], str]) -> dict[str, Any]:
    project = projects.get((finding.file, place.project_index))
    name = _qualified_name(finding.department, place.project_index, project, place.indicator, place.indicator_name,
                           place.field)  # fmt: skip
    related: dict[str, Any] = {"id": number}
    if place.location is not None:
        related["physicalLocation"] = _physical(finding.file, place.location)
    related["logicalLocations"] = [
        {"name": place.indicator or place.field, "fullyQualifiedName": name, "kind": "member"}
    ]
    related["message"] = {"text": f"{place.location.cell} {name}" if place.location else name}
    related.update(_cell_properties(place.location))
    return related


def _result(finding: Finding, rule_index: dict[str, int], projects: dict[tuple[str, int], str]) -> dict[str, Any]:
    text = finding.message + (f"\n建议：{finding.suggestion}" if finding.suggestion else "")
    name = _qualified_name(finding.department, finding.project_index, finding.project, finding.indicator,
                           finding.indicator_name, finding.field)  # fmt: skip
    location: dict[str, Any] = {
        "physicalLocation": _physical(finding.file, finding.location, finding.text),
        "logicalLocations": [
            {"name": finding.indicator or finding.field, "fullyQualifiedName": name, "kind": "member"}
        ],
    }
    location.update(_cell_properties(finding.location))
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result["level"] = LEVELS[finding.severity.value]
    result["message"] = {"text": text}
    result["locations"] = [location]
    if finding.related:
        result["relatedLocations"] = [
            _related(finding, place, n, projects) for n, place in enumerate(finding.related, 1)
        ]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint(finding)}
    if finding.suppression is not None:
        suppression: dict[str, Any] = {"kind": SUPPRESSION_KINDS.get(finding.suppression.kind, "external")}
        if finding.suppression.reason:
            suppression["justification"] = finding.suppression.reason
        result["suppressions"] = [suppression]
    result["properties"] = {
        "project_index": finding.project_index,
        "project": finding.project,
        "department": finding.department,
        "indicator": finding.indicator,
        "field": finding.field,
        "indicator_name": finding.indicator_name,
    }
    return result


def render(report: Report) -> str:
    rules = _rules()
    rule_index = {rule["id"]: n for n, rule in enumerate(rules)}
    projects = {  # names for related places, which carry only the project's number
        (result.submission.path, project.index): project.name.text
        for result in report.files
        for project in result.submission.projects
    }
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": line}} for line in report.errors
        ]
    run = {
        "tool": {"driver": {"name": "auditor", "version": __version__, "rules": rules}},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "运行 auditor 时的工作目录"}}},
        "results": [_result(finding, rule_index, projects) for finding in report.findings],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_text(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"
