"""``auditor report``: the folder an auditor forwards, end to end through the CLI.

The HTML pages are checked in a real browser by tests/test_report_html.py and the workbooks by
tests/test_annotated_xlsx.py; here: what the command writes, that inputs stay untouched, and that
the folder is never read back as input.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLES = ("000_9d9dc482990db41b.txt", "housing-2021-wide-defects.xlsx", "water-2023-standard.docx")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    for name in SAMPLES:
        shutil.copy2(CORPUS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def written(tables: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], object]:
    before = fingerprints(tables)
    out = tmp_path_factory.mktemp("report") / "审核报告"
    result = CliRunner().invoke(cli, ["report", "--isolated", str(tables), "-o", str(out)])
    return out, before, result


def fingerprints(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() + str(path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def test_report_writes_every_part(written):
    out, _, result = written
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / ".auditor-report").is_file()
    pages = sorted(out.glob("dept-*.html"))
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))
    departments = {item["department"] for item in summary["files"]}
    assert len(pages) == len(departments) == 3
    workbooks = sorted(path.name for path in (out / "annotated").iterdir())
    assert workbooks == sorted(f"{Path(name).stem}.annotated.xlsx" for name in SAMPLES)
    rows = list(csv.reader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == sum(item["projects"] for item in summary["files"])
    markdown = (out / "summary.md").read_text(encoding="utf-8")
    assert "## 部门排名" in markdown and "深圳市龙岗区应急管理局" in markdown
    assert "| VG002 | 完成值没有写出实际达到的数值" in markdown  # rules named in Chinese, not by their slugs
    for page in pages:
        assert f"({quote(page.name)})" in markdown  # the ranking links each department's page
    assert str(out / "index.html") in result.stdout


def test_report_never_touches_its_inputs(written, tables):
    _, before, _ = written
    assert fingerprints(tables) == before


def test_annotated_workbooks_open_with_findings_sheet(written):
    out, _, _ = written
    for path in (out / "annotated").iterdir():
        workbook = openpyxl.load_workbook(path)
        assert "问题清单" in workbook.sheetnames
        assert workbook["问题清单"].max_row > 1


def test_report_folder_is_not_read_back_as_input(written, tables, tmp_path):
    out, _, _ = written
    corpus = tmp_path / "corpus"
    shutil.copytree(tables, corpus)
    shutil.copytree(out, corpus / "报告")
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", str(corpus)])
    files = json.loads(result.stdout)["files"]
    assert len(files) == len(SAMPLES)
    assert "报告" not in result.stderr


def test_summaries_only(tables, tmp_path):
    out = tmp_path / "out"
    arguments = ["report", "--isolated", "-q", "--no-html", "--no-xlsx", str(tables), "-o", str(out)]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""
    written = sorted(path.name for path in out.iterdir())
    assert written == [".auditor-report", "report.json", "summary.csv", "summary.md"]


def test_output_that_is_a_file_is_one_line_exit_2(tables, tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--isolated", str(tables), "-o", str(blocker)])
    assert result.exit_code == 2
    assert "不是目录" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_unreadable_input_is_listed_and_exits_2(tables, tmp_path):
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", "--isolated", "--no-xlsx", str(broken), str(tables / SAMPLES[0]), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "坏文件.xlsx" in result.stderr
    assert "坏文件.xlsx" in (out / "summary.md").read_text(encoding="utf-8")
    assert "坏文件.xlsx" in (out / "index.html").read_text(encoding="utf-8")


def test_a_folder_holding_the_inputs_is_refused(tables, tmp_path):
    for out in (tables, tables.parent):
        result = CliRunner().invoke(cli, ["report", "--isolated", str(tables), "-o", str(out)])
        assert result.exit_code == 2
        assert "报告目录包含输入" in result.stderr and len(result.stderr.splitlines()) == 1
        assert not (out / ".auditor-report").exists()


def test_a_non_empty_folder_that_is_not_a_report_is_refused(tables, tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "index.html").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--isolated", str(tables), "-o", str(out)])
    assert result.exit_code == 2 and "不是 auditor 报告目录" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_second_run_replaces_the_report_and_keeps_other_files(tables, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["report", "--isolated", "-q", str(tables), "-o", str(out)]).exit_code == 0
    assert len(list(out.glob("dept-*.html"))) == 3
    (out / "说明.txt").write_text("reviewer's notes", encoding="utf-8")
    single = str(tables / SAMPLES[1])
    assert CliRunner().invoke(cli, ["report", "--isolated", "-q", single, "-o", str(out)]).exit_code == 0
    assert len(list(out.glob("dept-*.html"))) == 1
    assert [path.name for path in (out / "annotated").iterdir()] == ["housing-2021-wide-defects.annotated.xlsx"]
    assert (out / "说明.txt").read_text(encoding="utf-8") == "reviewer's notes"
    manifest = (out / ".auditor-report").read_text(encoding="utf-8")
    assert "dept-01-" in manifest and "说明.txt" not in manifest


def test_unreadable_file_in_a_folder_is_listed_in_the_report(tables, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy2(tables / SAMPLES[0], folder / SAMPLES[0])
    (folder / "截断.xlsx").write_bytes(b"PK\x03\x04 truncated")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--isolated", "-q", "--no-xlsx", str(folder), "-o", str(out)])
    assert result.exit_code == 0  # skipped in a folder, as lint does
    for name in ("index.html", "summary.md", "report.json"):
        assert "截断.xlsx" in (out / name).read_text(encoding="utf-8"), name
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["skipped"]


def test_a_file_named_twice_is_scored_once(tables):
    seed = tables / SAMPLES[0]
    twice = [str(seed), str(seed.parent / ".." / seed.parent.name / seed.name)]
    result = CliRunner().invoke(cli, ["score", "--isolated", "--format", "json", *twice])
    [department] = json.loads(result.stdout)["departments"]
    assert len(department["submissions"]) == 1


def test_standard_input_is_refused_clearly(tables, tmp_path):
    result = CliRunner().invoke(cli, ["report", "--isolated", "-", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "标准输入" in result.stderr


def test_annotated_copies_mirror_the_input_folders(tables, tmp_path):
    pile = tmp_path / "pile"
    for batch in ("2021", "2022"):
        (pile / batch).mkdir(parents=True)
        shutil.copy2(tables / SAMPLES[0], pile / batch / SAMPLES[0])
    out = tmp_path / "out"
    arguments = ["report", "--isolated", "-q", "--no-html", str(pile), "-o", str(out)]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    written = sorted(path.relative_to(out / "annotated").as_posix() for path in (out / "annotated").rglob("*.xlsx"))
    assert written == [f"{batch}/000_9d9dc482990db41b.annotated.xlsx" for batch in ("2021", "2022")]
    shutil.rmtree(pile / "2022")
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    assert [path.name for path in (out / "annotated").iterdir()] == ["000_9d9dc482990db41b.annotated.xlsx"]
