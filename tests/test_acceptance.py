"""Accepted findings: baselines that survive inserted rows, and in-cell directives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from tests.conftest import CORPUS, SEED


def run(*args: str):
    return CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", *map(str, args)])


def test_baseline_survives_an_inserted_project_row(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    before = run("--write-baseline", baseline, SEED)
    assert before.exit_code == 1
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert recorded["schema"] == "auditor-baseline/1"
    assert len(recorded["entries"]) == len(json.loads(before.stdout)["findings"])
    assert all("row" not in entry and "location" not in entry for entry in recorded["entries"])

    lines = SEED.read_text(encoding="utf-8").split("\n")
    first_data = next(i for i, line in enumerate(lines) if line.startswith("1\t"))
    new_row = "\t".join(
        ["0", "深圳市龙岗区应急管理局", "新增无人机巡查项目", "50", "40", "40", "80.00%", "开展无人机巡查",
         "已完成", "巡查≥100架次", "已完成", "发现隐患整改率≥95%", "97%", "2020年12月31日前", "12月20日完成",
         "不适用", "不适用", "不适用", "不适用", "不适用", "不适用", "群众满意度≥90%", "抽样调查满意度93%"]
    )  # fmt: skip
    inserted = tmp_path / "inserted.txt"
    inserted.write_text("\n".join([*lines[:first_data], new_row, *lines[first_data:]]), encoding="utf-8")

    after = run("--baseline", baseline, inserted)
    report = json.loads(after.stdout)
    active = [f for f in report["findings"] if "suppressed" not in f]
    assert active, "the new row's findings are reported"
    assert {f["project"] for f in active} == {"新增无人机巡查项目"}
    suppressed = [f for f in report["findings"] if "suppressed" in f]
    assert len(suppressed) == len(recorded["entries"])
    assert all(f["suppressed"]["kind"] == "baseline" for f in suppressed)
    assert "已按基线忽略" in after.stderr


def test_stale_baseline_entries_are_listed(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    run("--write-baseline", baseline, SEED)
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(SEED.read_text(encoding="utf-8").replace("安格员", "网格员"), encoding="utf-8")
    result = run("--baseline", baseline, fixed)
    assert "基线中已不存在的条目：LG001" in result.stderr


def test_bad_baseline_file(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text("{}", encoding="utf-8")
    result = run("--baseline", bad, SEED)
    assert result.exit_code == 2 and "E111" in result.stderr


def _directive_table(tmp_path: Path, directive: str) -> Path:
    text = SEED.read_text(encoding="utf-8").replace("设备验收合格率", "设备验收合格率" + directive, 1)
    path = tmp_path / "accepted.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_in_cell_directive_with_reason_suppresses_that_code_at_that_cell(tmp_path: Path) -> None:
    path = _directive_table(tmp_path, "【auditor: ignore MS002 该指标值在附表中列明】")
    report = json.loads(run("--select", "MS", path).stdout)
    at_cell = [f for f in report["findings"] if f["project_index"] == 4 and f["indicator"] == "质量指标"]
    assert at_cell and all(f["suppressed"] == {"kind": "in_source", "reason": "该指标值在附表中列明"} for f in at_cell)
    assert at_cell[0]["text"] == "设备验收合格率"  # the directive is not part of the text the rules read
    others = [f for f in report["findings"] if "suppressed" not in f]
    assert others and report["summary"]["suppressed"] == len(at_cell)


def test_in_cell_directive_without_reason_is_not_honoured(tmp_path: Path) -> None:
    path = _directive_table(tmp_path, " auditor: ignore MS002")
    result = run("--select", "MS002", path)
    report = json.loads(result.stdout)
    assert all("suppressed" not in f for f in report["findings"])
    assert "缺少理由" in result.stderr


def test_cell_comment_in_a_workbook(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.comments import Comment

    source = CORPUS / "culture-2022-wide.xlsx"
    workbook = openpyxl.load_workbook(source)
    report = json.loads(run("--select", "NM002", source).stdout)
    (finding,) = report["findings"]
    cell = workbook.worksheets[0][finding["location"]["cell"]]
    cell.comment = Comment("auditor: ignore NM002 其他资金由区体育基金拨付，另行核算", "科室")
    path = tmp_path / "commented.xlsx"
    workbook.save(path)
    result = run("--select", "NM002", path)
    (accepted,) = json.loads(result.stdout)["findings"]
    assert accepted["suppressed"]["reason"] == "其他资金由区体育基金拨付，另行核算"
    assert result.exit_code == 0


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_suppressed_findings_do_not_count(tmp_path: Path, fmt: str) -> None:
    path = _directive_table(tmp_path, "【auditor: ignore MS 附表列明】")
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", fmt, "--select", "MS002", str(path)])
    assert "设备验收合格率" not in result.stdout
