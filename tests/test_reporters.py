"""Every output format against golden files, plus each format's own contract.

Snapshots live in ``tests/snapshots``: ``lint_seed.*`` is ``auditor lint --format X`` on the seed
(run from the repository root with a relative path, so no machine path leaks in), ``synthetic.*``
a small hand-made report with suppressed findings and hostile text (formula, quotes, newlines, %).
After an intended change of output, rewrite them with ``UPDATE_SNAPSHOTS=1 pytest tests/test_reporters.py``
and review the diff.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from auditor.checks.registry import all_rules
from auditor.cli import cli
from auditor.model import Cell, Finding, Layout, Location, Place, Project, Severity, Submission, Suppression
from auditor.reporters import FileResult, Report, get_reporter
from auditor.reporters.csv_reporter import HEADER
from auditor.reporters.github import escape_data, escape_property
from auditor.reporters.sarif import artifact_location, fingerprint
from tests.conftest import ROOT, SEED

SNAPSHOTS = Path(__file__).parent / "snapshots"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SEED_ARG = SEED.relative_to(ROOT).as_posix()  # corpus/000_9d9dc482990db41b.txt
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "github": "github.txt",
    "junit": "junit.xml",
    "csv": "csv",
}
FORMATS = list(EXTENSIONS)
SYNTHETIC_PATH = "表格 目录/龙岗,区:自评%.xlsx"
HOSTILE = '=HYPERLINK("http://example.com","点我")\n第二行 "100%"'


# ---------------------------------------------------------------- helpers


def assert_snapshot(name: str, data: bytes) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"missing snapshot {name}; run with UPDATE_SNAPSHOTS=1 to create it"
    expected = path.read_bytes()
    if data != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(),
            data.decode("utf-8", "replace").splitlines(),
            f"snapshots/{name}",
            "actual",
            lineterm="",
        )
        pytest.fail("output differs from snapshot (UPDATE_SNAPSHOTS=1 rewrites it):\n" + "\n".join(list(diff)[:60]))


@pytest.fixture(scope="module")
def seed_outputs() -> dict[str, bytes]:
    """``auditor lint --format X corpus/…`` for every format, run from the repository root."""
    outputs: dict[str, bytes] = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(ROOT)
        for fmt in FORMATS:
            result = CliRunner().invoke(cli, ["lint", "--format", fmt, SEED_ARG])
            assert result.exit_code == 1, (fmt, result.output, result.exception)
            outputs[fmt] = result.stdout_bytes
    return outputs


def _finding(code: str, severity: Severity, message: str, **fields: object) -> Finding:
    base: dict[str, object] = {
        "code": code,
        "name": all_rules()[code].name,
        "severity": severity,
        "message": message,
        "file": SYNTHETIC_PATH,
        "department": "某某区应急管理局",
        "project_index": 1,
        "project": "网格化系统",
        "indicator": None,
        "field": "goal",
    }
    base.update(fields)
    return Finding(**base)  # type: ignore[arg-type]


def synthetic_report() -> Report:
    """A small report covering the awkward cases: suppressions, formulas, quotes, newlines, %."""
    projects = tuple(
        Project(index=i, name=Cell(name), location=Location(row=3 + i, column=1, sheet="Sheet1"))
        for i, name in ((1, "网格化系统"), (2, "应急物资储备"), (3, "无问题项目"))
    )
    submission = Submission(
        path=SYNTHETIC_PATH, layout=Layout.WIDE, projects=projects, department="某某区应急管理局", year=2021
    )
    findings = [
        _finding(
            "CP001", Severity.ERROR, '完成值“=HYPERLINK("…")”与目标相同：完成率 100%,\n请核对',
            indicator="数量指标", indicator_name="系统上线, 数量", field="completion", text=HOSTILE,
            location=Location(row=14, column=11, sheet="Sheet1"),
            related=(Place(1, "数量指标", "target", Location(row=14, column=10, sheet="Sheet1"), "系统上线, 数量"),
                     Place(2, None, "goal", None)),
            suggestion="写明实际完成的数量，如“上线 1 套”",
        ),
        _finding(
            "VG002", Severity.WARNING, "完成情况“已完成”只是笼统的完成表述", field="goal_completion", text="已完成",
            location=Location(row=14, column=9, sheet="Sheet1"),
            suppression=Suppression("in_source", "已说明：按文件口径"),
        ),
        _finding(
            "MS001", Severity.WARNING, "年度指标值没有数值", project_index=2, project="应急物资储备",
            indicator="质量指标", field="target", text="合格", location=Location(row=15, column=12, sheet="Sheet1"),
            suppression=Suppression("baseline"),
        ),
        _finding(
            "NM004", Severity.WARNING, "执行率与金额不符", project_index=None, project=None, field="budget",
            text="-5",
        ),
        _finding(
            "MS003", Severity.INFO, "时效指标没有写明完成时限", project_index=2, project="应急物资储备",
            indicator="时效指标", field="target", text="\t@SUM(A1)\x01", location=Location(row=15, column=14),
        ),
    ]  # fmt: skip
    return Report(files=[FileResult(submission, findings, 61.5)], errors=["E101 不存在.xlsx：文件不存在"])


def render(fmt: str, report: Report) -> bytes:
    return get_reporter(fmt)(report).encode("utf-8")


# ---------------------------------------------------------------- snapshots and determinism


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_matches_snapshot(fmt: str, seed_outputs: dict[str, bytes]) -> None:
    assert_snapshot(f"lint_seed.{EXTENSIONS[fmt]}", seed_outputs[fmt])


@pytest.mark.parametrize("fmt", FORMATS)
def test_synthetic_matches_snapshot(fmt: str) -> None:
    assert_snapshot(f"synthetic.{EXTENSIONS[fmt]}", render(fmt, synthetic_report()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_outputs_are_byte_identical_across_runs(fmt: str, seed_outputs: dict[str, bytes], monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    again = CliRunner().invoke(cli, ["lint", "--format", fmt, SEED_ARG])
    assert again.stdout_bytes == seed_outputs[fmt]
    assert render(fmt, synthetic_report()) == render(fmt, synthetic_report())


def test_snapshots_hold_no_machine_paths(seed_outputs: dict[str, bytes]) -> None:
    for fmt, data in seed_outputs.items():
        text = data.decode("utf-8")
        assert str(ROOT) not in text and "file://" not in text, fmt


# ---------------------------------------------------------------- SARIF


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_sarif_validates_against_the_schema(seed_outputs: dict[str, bytes], sarif_validator) -> None:
    for data in (seed_outputs["sarif"], render("sarif", synthetic_report())):
        log = json.loads(data)
        errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_describes_every_rule_and_indexes_results(seed_outputs: dict[str, bytes]) -> None:
    run = json.loads(seed_outputs["sarif"])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(all_rules())
    for rule in rules:
        assert rule["helpUri"] == f"docs/rules/{rule['id']}.md" and rule["help"]["text"]
        assert rule["properties"]["family"] == rule["id"][:2]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"] == {"uri": SEED_ARG, "uriBaseId": "SRCROOT"}
        assert location["properties"]["cell"]
    prints = [result["partialFingerprints"]["auditor/v1"] for result in run["results"]]
    assert len(set(prints)) == len(prints)


def test_sarif_synthetic_details() -> None:
    run = json.loads(render("sarif", synthetic_report()))["runs"][0]
    results = {result["ruleId"]: result for result in run["results"]}
    first = results["CP001"]
    uri = first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E8%A1%A8%E6%A0%BC%20%E7%9B%AE%E5%BD%95/%E9%BE%99%E5%B2%97%2C%E5%8C%BA%3A%E8%87%AA%E8%AF%84%25.xlsx"
    assert first["locations"][0]["properties"] == {"sheet": "Sheet1", "cell": "K14"}
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 14
    assert first["message"]["text"].endswith("\n建议：写明实际完成的数量，如“上线 1 套”")
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "某某区应急管理局/项目1 网格化系统/数量指标·系统上线, 数量/completion"
    )
    assert [len(r.get("physicalLocation", {})) for r in first["relatedLocations"]] == [2, 0]
    assert "suppressions" not in first
    assert results["VG002"]["suppressions"] == [{"kind": "inSource", "justification": "已说明：按文件口径"}]
    assert results["MS001"]["suppressions"] == [{"kind": "external"}]
    assert "region" not in results["NM004"]["locations"][0]["physicalLocation"]
    assert results["MS003"]["level"] == "note"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "E101 不存在.xlsx：文件不存在"


def test_sarif_fingerprint_is_stable_when_rows_move() -> None:
    finding = synthetic_report().findings[0]
    moved = dataclasses.replace(finding, location=Location(row=40, column=3, sheet="Sheet2"), project_index=7)
    assert fingerprint(moved) == fingerprint(finding)
    assert fingerprint(dataclasses.replace(finding, text=finding.text + "x")) != fingerprint(finding)
    assert fingerprint(dataclasses.replace(finding, code="CP002")) != fingerprint(finding)


def test_sarif_artifact_locations() -> None:
    assert artifact_location("./a/b c.txt") == {"uri": "a/b%20c.txt", "uriBaseId": "SRCROOT"}
    assert artifact_location("a\\表.xlsx") == {"uri": "a/%E8%A1%A8.xlsx", "uriBaseId": "SRCROOT"}
    assert artifact_location("/data/表.xlsx") == {"uri": "file:///data/%E8%A1%A8.xlsx"}


# ---------------------------------------------------------------- GitHub


GITHUB_LINE = re.compile(r"^::(error|warning|notice) ([^:\r\n]*)::([^\r\n]*)$")


def _github_parse(line: str) -> tuple[str, dict[str, str], str]:
    match = GITHUB_LINE.match(line)
    assert match, line
    props = dict(part.split("=", 1) for part in match.group(2).split(","))
    return match.group(1), props, match.group(3)


def test_github_one_line_per_active_finding(seed_outputs: dict[str, bytes]) -> None:
    lines = seed_outputs["github"].decode("utf-8").splitlines()
    report = json.loads(seed_outputs["json"])
    active = [f for f in report["findings"] if "suppressed" not in f]
    assert len(lines) == len(active)
    for line, finding in zip(lines, active, strict=True):
        command, props, message = _github_parse(line)
        assert command == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert props["file"] == SEED_ARG and props["line"] == str(finding["location"]["row"])
        assert props["title"] == f"{finding['code']} {finding['name']}"
        assert message.startswith(f"[{finding['location']['cell']}] ")


def test_github_escapes() -> None:
    assert escape_data("100%\r\n完成") == "100%25%0D%0A完成"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    lines = render("github", synthetic_report()).decode("utf-8").splitlines()
    assert len(lines) == 3 + 1  # three active findings, one unreadable input
    command, props, message = _github_parse(lines[0])
    assert command == "error"
    assert props == {"file": "表格 目录/龙岗%2C区%3A自评%25.xlsx", "line": "14", "col": "11",
                     "title": "CP001 completion-copies-target"}  # fmt: skip
    assert message.startswith('[Sheet1!K14] 完成值“=HYPERLINK("…")”与目标相同：完成率 100%25,%0A请核对%0A建议：')
    _, props, _ = _github_parse(lines[1])
    assert "line" not in props  # no location, no line
    assert _github_parse(lines[2])[0] == "notice"


# ---------------------------------------------------------------- JUnit


def test_junit_parses_and_counts(seed_outputs: dict[str, bytes]) -> None:
    root = ET.fromstring(seed_outputs["junit"])
    report = json.loads(seed_outputs["json"])
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == SEED_ARG
    cases = suites[0].findall("testcase")
    assert len(cases) == report["files"][0]["projects"] == int(root.get("tests"))
    assert {case.get("classname") for case in cases} == {"深圳市龙岗区应急管理局"}
    failures = [failure for case in cases for failure in case.findall("failure")]
    assert len(failures) == len([f for f in report["findings"] if "suppressed" not in f])
    assert int(root.get("failures")) == sum(1 for case in cases if case.find("failure") is not None)
    assert cases[0].get("name").startswith("项目1 ")


def test_junit_synthetic_escaping() -> None:
    root = ET.fromstring(render("junit", synthetic_report()))
    assert root.get("tests") == "5" and root.get("failures") == "3" and root.get("errors") == "1"
    suite, errors = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["项目1 网格化系统", "项目2 应急物资储备", "项目3 无问题项目", "文件"]
    assert [f.get("type") for f in cases["项目1 网格化系统"].findall("failure")] == ["CP001"]  # VG002 suppressed
    assert cases["项目3 无问题项目"].find("failure") is None
    failure = cases["项目1 网格化系统"].find("failure")
    assert failure.get("message") == '完成值“=HYPERLINK("…")”与目标相同：完成率 100%,\n请核对'
    assert f"原文：{HOSTILE}" in failure.text
    assert "\ufffd" in cases["项目2 应急物资储备"].find("failure").text  # \x01 cannot be carried by XML
    assert errors.find("testcase/error").get("message") == "E101 不存在.xlsx：文件不存在"


# ---------------------------------------------------------------- CSV


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_round_trips(seed_outputs: dict[str, bytes]) -> None:
    rows = _csv_rows(seed_outputs["csv"])
    report = json.loads(seed_outputs["json"])
    assert tuple(rows[0]) == HEADER
    assert len(rows) - 1 == len(report["findings"])
    for row, finding in zip(rows[1:], report["findings"], strict=True):
        record = dict(zip(HEADER, row, strict=True))
        assert record["代码"] == finding["code"] and record["单元格"] == finding["location"]["cell"]
        assert record["原文"].lstrip("'") == finding["text"] and record["消息"] == finding["message"]
    assert seed_outputs["csv"].count(b"\r\n") >= len(rows)


def test_csv_neutralises_formulas_and_keeps_suppressed() -> None:
    rows = _csv_rows(render("csv", synthetic_report()))
    records = {row[9]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert len(records) == 5
    assert records["CP001"]["原文"] == "'" + HOSTILE  # quotes and newline survive the round trip
    assert records["CP001"]["工作表"] == "Sheet1" and records["CP001"]["三级指标"] == "系统上线, 数量"
    assert records["NM004"]["原文"] == "'-5" and records["NM004"]["项目序号"] == ""
    assert records["MS003"]["原文"] == "'\t@SUM(A1)"  # the control character removed, the tab kept
    assert records["VG002"]["是否已接受"] == "已说明：按文件口径"
    assert records["MS001"]["是否已接受"] == "基线"
    assert records["CP001"]["是否已接受"] == ""
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row), row
