"""Limits hold before memory: each hostile input is refused (exit 2) or read, in under 10 s and 500 MB.

Every case runs the real command line in a child process (so a hang or a blow-up cannot take the test
run with it) under a probe that reports the child's own peak memory; the input's bytes and mtime are
compared before and after. The inputs are written by ``tests/data/hostile/reader_cases.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.child import run_measured
from tests.data.hostile import reader_cases

ROOT = Path(__file__).resolve().parent.parent
SECONDS, MEGABYTES = 10.0, 500.0


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _lint(*args: str, stdin: object = None) -> tuple[subprocess.CompletedProcess[str], float, float]:
    return run_measured("lint", "-q", "--format", "json", *args, stdin=stdin, timeout=60)


@pytest.mark.parametrize(
    ("case", "refused"),
    [
        ("merge-bomb", False),
        ("far-cell", False),
        ("many-cells", True),
        ("many-sheets", True),
        ("inflated", True),
        ("grid-span", True),
        ("many-tables", True),
        ("far-corner-xls", False),
        ("comma-line", True),
    ],
)
def test_hostile_input_is_refused_or_read_within_limits(tmp_path: Path, case: str, refused: bool) -> None:
    path = reader_cases.CASES[case](tmp_path)
    before = _fingerprint(path)
    result, elapsed, megabytes = _lint(str(path))
    assert elapsed < SECONDS and megabytes < MEGABYTES, (case, elapsed, megabytes)
    assert _fingerprint(path) == before
    if refused:
        assert result.returncode == 2, result.stderr[-500:]
        assert "[E109]" in result.stderr and str(path) in result.stderr
    else:
        assert result.returncode in (0, 1), result.stderr[-500:]
        report = json.loads(result.stdout)
        assert report["files"][0]["projects"] == 1


def test_merged_range_beyond_the_table_is_clipped_with_a_notice(tmp_path: Path) -> None:
    path = reader_cases.merge_bomb(tmp_path)
    result, _, _ = _lint(str(path))
    notices = json.loads(result.stdout)["files"][0]["notices"]
    assert any("A20:XFD1048576" in notice and "A20:F20" in notice for notice in notices)


def test_endless_standard_input_stops_at_the_size_limit(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text("[limits]\nmax-file-mb = 5\n", encoding="utf-8")
    with open("/dev/zero", "rb") as zero:
        result, elapsed, megabytes = _lint("--config", str(config), "-", stdin=zero)
    assert result.returncode == 2 and "[E109]" in result.stderr and "标准输入" in result.stderr
    assert elapsed < SECONDS and megabytes < MEGABYTES


def test_fifo_and_device_are_refused_by_kind(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "FIFO"), (Path("/dev/zero"), "设备文件")):
        result, elapsed, _ = _lint(str(path))
        assert result.returncode == 2 and kind in result.stderr and "[E101]" in result.stderr
        assert elapsed < SECONDS


def test_line_separators_inside_a_tsv_cell_do_not_split_rows(tmp_path: Path) -> None:
    rows = [
        ["项目名称", "示例"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
        ["", "产出指标", "数量指标", "检查\u2028次数", "≥4次", "5\x0c次\x85"],
        ["", "", "质量指标", "合格率", "≥95%", "97%"],
    ]
    path = tmp_path / "separators.tsv"
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    from auditor.readers import read_submission

    submission = read_submission(path)
    assert len(submission.projects) == 1
    names = [i.name.text for i in submission.projects[0].indicators]
    assert names == ["检查\u2028次数", "合格率"]


def test_csv_that_mentions_a_table_tag_is_read_as_csv(tmp_path: Path) -> None:
    from auditor.readers.sniff import sniff

    path = tmp_path / "mentions.csv"
    path.write_text("项目名称,示例\n说明,网页里的<table>标签不是表格\n", encoding="utf-8")
    assert sniff(path, path.read_bytes()) == "text"
    page = tmp_path / "page.xls"
    page.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    assert sniff(page, page.read_bytes()) == "html"  # a web page saved under .xls goes to the HTML reader


def test_word_table_inside_a_content_control_is_read(tmp_path: Path) -> None:
    rows = reader_cases._TABLE_ROWS
    table = reader_cases._word_table(rows)
    path = reader_cases._docx(tmp_path / "sdt.docx", f"<w:sdt><w:sdtContent>{table}</w:sdtContent></w:sdt>")
    from auditor.readers import read_submission

    submission = read_submission(path)
    assert [i.name.text for i in submission.projects[0].indicators] == ["检查次数"]


def test_workbook_with_a_dde_external_link_part_is_read(tmp_path: Path) -> None:
    """External-link parts (DDE, other workbooks) are never loaded: the tables around them still read."""
    from tests.data.hostile import make_hostile

    path = make_hostile.formulas_and_links(tmp_path, dde_link=True)
    from auditor.readers import read_submission

    assert read_submission(path).projects


def test_word_table_inside_a_text_box_is_read_once(tmp_path: Path) -> None:
    """A table drawn in a text box (DrawingML, with its VML fallback copy) is read, and only once."""
    table = reader_cases._word_table(reader_cases._TABLE_ROWS)
    box = f"<w:txbxContent>{table}</w:txbxContent>"
    body = (
        '<w:p xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:r><mc:AlternateContent>'
        f"<mc:Choice Requires=\"wps\"><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    path = reader_cases._docx(tmp_path / "textbox.docx", body)
    from auditor.readers import read_submission

    submission = read_submission(path)
    assert len(submission.projects) == 1
    assert [i.name.text for i in submission.projects[0].indicators] == ["检查次数"]
