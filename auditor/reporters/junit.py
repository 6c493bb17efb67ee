"""``--format junit``: JUnit XML, for CI systems that show test reports (Jenkins, GitLab, Azure Pipelines).

One ``<testsuite>`` per checked table (named by its path), one ``<testcase>`` per project
(``classname`` the department, ``name`` "项目N 名称"). Each active finding is a ``<failure>`` in its
project's test case (``type`` the rule code, ``message`` the Chinese message, the body the place,
the cell text and the suggestion); a project without findings passes. Findings not tied to a
project go to a "文件" test case; unreadable inputs are ``<error>`` test cases in an extra suite.
Counts follow the JUnit convention: ``failures`` counts failing test cases, not findings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from auditor.model import Finding
from auditor.reporters import FileResult, Report
from auditor.reporters.text import FIELD_NAMES

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILE_LEVEL = "文件"


def clean(text: str) -> str:
    """Replace characters XML 1.0 forbids with U+FFFD (ElementTree escapes the rest)."""
    return _INVALID_XML.sub("\ufffd", text)


def _failure_body(finding: Finding) -> str:
    loc = finding.location
    where = "-" if loc is None else (f"{loc.sheet}!{loc.cell}" if loc.sheet else loc.cell)
    field = FIELD_NAMES.get(finding.field, finding.field)
    place = "·".join(part for part in (finding.indicator, finding.indicator_name, field) if part)
    lines = [f"{finding.code} {finding.name}（{finding.severity.chinese}）", f"位置：{where} {place}"]
    if finding.text:
        lines.append(f"原文：{finding.text}")
    if finding.suggestion:
        lines.append(f"建议：{finding.suggestion}")
    return "\n".join(lines)


def _suite(result: FileResult) -> tuple[ET.Element, int, int]:
    sub = result.submission
    classname = clean(sub.department or sub.path)
    cases: dict[int | None, tuple[str, list[Finding]]] = {
        project.index: (f"项目{project.index} {project.name.text}".rstrip(), []) for project in sub.projects
    }
    for finding in result.findings:
        if not finding.active:
            continue
        key = finding.project_index
        if key not in cases:
            label = FILE_LEVEL if key is None else f"项目{key} {finding.project or ''}".rstrip()
            cases[key] = (label, [])
        cases[key][1].append(finding)
    suite = ET.Element("testsuite", name=clean(sub.path))
    failing = 0
    for name, findings in cases.values():
        case = ET.SubElement(suite, "testcase", classname=classname, name=clean(name))
        for finding in findings:
            failure = ET.SubElement(case, "failure", type=finding.code, message=clean(finding.message))
            failure.text = clean(_failure_body(finding))
        failing += bool(findings)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failing))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite, len(cases), failing


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="auditor")
    tests = failures = 0
    for result in report.files:
        suite, count, failing = _suite(result)
        root.append(suite)
        tests += count
        failures += failing
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="无法读取的文件", tests=str(len(report.errors)), failures="0",
                              errors=str(len(report.errors)), skipped="0")  # fmt: skip
        for line in report.errors:
            case = ET.SubElement(suite, "testcase", classname="auditor", name=clean(line))
            ET.SubElement(case, "error", type="input", message=clean(line))
        tests += len(report.errors)
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", str(len(report.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
