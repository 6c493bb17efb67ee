"""The command line: exit codes, selection, the JSON contract, text output, ``auditor rules``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auditor import __version__
from auditor.cli import cli
from tests.conftest import CORPUS, SEED

CLEAN = CORPUS / "clean-2022-standard.xlsx"
CIVIL = CORPUS / "civil-2022-wide-gbk.txt"  # warnings only


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("lint", CLEAN), 0),
        (("lint", SEED), 1),
        (("lint", CIVIL), 0),
        (("lint", "--fail-level", "warning", CIVIL), 1),
        (("lint", "--fail-level", "none", SEED), 0),
        (("lint", "--select", "ST003", SEED), 0),
        (("lint", "--ignore", "CP", "--fail-level", "error", SEED), 0),
        (("lint", "--select", "XX9", SEED), 2),
        (("lint",), 2),
    ],
)
def test_exit_codes(args: tuple, code: int) -> None:
    assert run(*args).exit_code == code


def test_select_and_ignore_filter_findings() -> None:
    report = json.loads(run("lint", "--format", "json", "--select", "ST,NM", "--ignore", "ST001", SEED).output)
    codes = {f["code"] for f in report["findings"]}
    assert "ST003" in codes and "NM004" in codes
    assert all(code[:2] in ("ST", "NM") for code in codes) and "ST001" not in codes


def test_json_contract() -> None:
    report = json.loads(run("lint", "--format", "json", SEED, CLEAN).output)
    assert report["schema"] == "auditor/1"
    assert report["tool"] == {"name": "auditor", "version": __version__}
    for info in report["files"]:
        assert {"path", "layout", "department", "year", "projects", "indicators", "score"} <= info.keys()
        assert info["layout"] in ("wide", "standard") and 0 <= info["score"] <= 100
    required = {"code", "name", "severity", "message", "file", "department", "project_index", "project",
                "indicator", "field", "text", "location"}  # fmt: skip
    for finding in report["findings"]:
        assert required <= finding.keys()
        assert finding["severity"] in ("error", "warning", "info")
        if finding["indicator"] is None:
            assert finding["field"] in ("goal", "goal_completion", "budget", "problems", "score", "row")
        else:
            assert finding["field"] in ("target", "completion", "score", "reason")
        location = finding["location"]
        assert {"sheet", "row", "column", "cell"} <= location.keys()
    summary = report["summary"]
    assert summary["error"] + summary["warning"] + summary["info"] == len(report["findings"])
    assert sum(summary["by_code"].values()) == len(report["findings"])


def test_json_copy_finding_names_the_target_it_copies() -> None:
    report = json.loads(run("lint", "--format", "json", "--select", "CP001", SEED).output)
    finding = next(f for f in report["findings"] if f["project_index"] == 3 and f["indicator"] == "数量指标")
    assert finding["location"]["cell"] == "K14"
    assert finding["related"] == [
        {"project_index": 3, "indicator": "数量指标", "field": "target",
         "location": {"sheet": None, "row": 14, "column": 10, "cell": "J14"}}
    ]  # fmt: skip
    assert finding["suggestion"]


def test_output_is_deterministic() -> None:
    first = run("lint", "--format", "json", CORPUS).output
    assert first == run("lint", "--format", "json", CORPUS).output


def test_text_output_groups_by_file_and_project() -> None:
    output = run("lint", "--select", "ST003", SEED).output
    assert "深圳市龙岗区应急管理局" in output and "14个项目" in output
    assert "项目 5 其他一般管理事务" in output
    assert "ST003" in output and "质量指标·年度指标内容" in output
    assert "共检查 1 个文件" in output


def test_rules_list_and_doc() -> None:
    listing = run("rules")
    assert listing.exit_code == 0
    assert "CP001  错误  完成值与年度指标值完全相同" in listing.output
    assert "row-misaligned" not in listing.output and "warning" not in listing.output  # no slugs, no English
    doc = run("rules", "st003")
    assert doc.exit_code == 0 and "检查什么" in doc.output and "为什么" in doc.output
    assert "会报告的写法" in doc.output and "不会报告的写法" in doc.output
    assert "##" not in doc.output and "{" not in doc.output  # rendered for a person: no Markdown, no template
    assert run("rules", "XX999").exit_code == 2
    for family in ("NM", "数字", "nm"):
        listed = run("rules", family)
        assert listed.exit_code == 0 and "NM001" in listed.output and "CP001" not in listed.output


def test_committed_rule_docs_are_current(tmp_path) -> None:
    """docs/rules/ (linked from SARIF helpUri) is generated from the rules; regenerate on change."""
    from tests.conftest import ROOT

    result = CliRunner().invoke(cli, ["rules", "--write-docs", str(tmp_path)])
    assert result.exit_code == 0
    for generated in sorted(tmp_path.iterdir()):
        committed = ROOT / "docs" / "rules" / generated.name
        assert committed.exists(), f"run: auditor rules --write-docs docs/rules ({generated.name} missing)"
        assert committed.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), generated.name


def test_pre_commit_hook_declared() -> None:
    import yaml

    from tests.conftest import ROOT

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "auditor lint" and "xlsx" in hook["files"] and "docx" in hook["files"]
