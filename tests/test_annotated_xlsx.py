"""The annotated workbook: flagged cells coloured and commented, a findings sheet, inert text, safe writes.

Corpus samples (delimited text, xlsx) are linted with the default configuration and annotated into
``tmp_path``; the copies are re-opened with openpyxl and checked cell by cell against the findings.
Hostile tables (formula-like text, markup, very long and control-character text) must come out as
the exact strings, stored as text, in the cells, the comments and the findings sheet.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import hashlib
import io
import os
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from auditor.config import load_config
from auditor.model import Finding, Location, Severity
from auditor.reporters import FileResult
from auditor.reporters.annotated_xlsx import (
    COMMENT_AUTHOR,
    COMMENT_MAX_CHARS,
    COMMENT_SEPARATOR,
    DELIMITED_SHEET,
    EXCEL_MAX_CHARS,
    FINDINGS_HEADER,
    SEVERITY_FILLS,
    annotated_name,
    comment_entry,
    put_text,
    sheet_title,
    write_annotated,
)
from auditor.run import run
from tests.conftest import CORPUS, SEED

XLSX_SAMPLE = CORPUS / "housing-2021-wide-defects.xlsx"  # wide layout, merged header, many findings
WIDE_CSV = CORPUS / "transport-2021-wide.csv"
LONG_TEXT = "通过项目实施有效提高" + "群众安全感明显增强" * 1110  # 10,000 characters
assert len(LONG_TEXT) == 10_000
#: (row, column letter) → hostile text, at places of transport-2021-wide.csv where rules fire.
HOSTILE = {
    (7, "L"): "<script>alert(1)</script>",  # 数量指标 完成情况 (VG003)
    (7, "N"): '=HYPERLINK("http://x","y")',  # 质量指标 完成情况 (VG002)
    (7, "Q"): LONG_TEXT,  # 经济效益指标 年度指标内容 (MS005, VG001, LG002)
    (8, "W"): "+1+1",  # 满意度指标 年度指标内容 (MS004, ST005)
    (9, "W"): "@SUM(A1)",  # 满意度指标 年度指标内容 (MS004, ST005)
}
ACCEPT = (7, "R", "不适用", "auditor: ignore ST002 该项目不产生经济效益")  # ST002 at R7, accepted in the cell

XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLTM_MAIN = b"application/vnd.ms-excel.template.macroEnabled.main+xml"  # a macro template saved as .xlsm

CellKey = tuple[str, int, int]  # (sheet title in the annotated copy, row, column)


# ---------------------------------------------------------------- helpers


def lint(path: Path) -> FileResult:
    report = run(load_config(None), [path]).report
    assert not report.errors, report.errors
    assert len(report.files) == 1
    return report.files[0]


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def title_of(location: Location) -> str:
    return location.sheet or DELIMITED_SHEET


def flagged_cells(result: FileResult) -> dict[CellKey, list[Finding]]:
    cells: dict[CellKey, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.active and finding.location is not None:
            loc = finding.location
            cells[(title_of(loc), loc.row, loc.column)].append(finding)
    return cells


def commented_cells(workbook: Workbook, findings_title: str) -> dict[CellKey, str]:
    return {
        (sheet.title, cell.row, cell.column): cell.comment.text
        for sheet in workbook.worksheets
        if sheet.title != findings_title
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }


def copy_style(cell, style: str):
    """A cell's style object itself (openpyxl hands out proxies that compare by identity)."""
    return copy.copy(getattr(cell, style))


def column(letter: str) -> int:
    return ord(letter) - ord("A") + 1


def hostile_rows() -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(WIDE_CSV.read_text(encoding="utf-8-sig"))))
    for (row, letter), text in HOSTILE.items():
        rows[row - 1][column(letter) - 1] = text
    row, letter, text, directive = ACCEPT
    rows[row - 1][column(letter) - 1] = f"{text} {directive}"
    return rows


def write_hostile_csv(folder: Path) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(hostile_rows())
    path = folder / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_hostile_xlsx(folder: Path) -> Path:
    """The hostile table as a workbook: every value a string cell, the directive in a comment."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    row_accept, letter_accept, text_accept, directive = ACCEPT
    for r, values in enumerate(hostile_rows(), start=1):
        for c, value in enumerate(values, start=1):
            if (r, c) == (row_accept, column(letter_accept)):
                value = text_accept
            if value:
                put_text(sheet.cell(row=r, column=c), value)
    sheet.cell(row=row_accept, column=column(letter_accept)).comment = openpyxl.comments.Comment(directive, "审核人")
    sheet["L7"].comment = openpyxl.comments.Comment("=原有批注：请核实", "审核人")  # flagged cell
    sheet["A1"].comment = openpyxl.comments.Comment("原有批注：标题", "审核人")  # cell without findings
    workbook.create_sheet("问题清单")["A1"] = "已有同名工作表"
    path = folder / "hostile.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def seed_result() -> FileResult:
    return lint(SEED)


@pytest.fixture(scope="module")
def xlsx_result() -> FileResult:
    return lint(XLSX_SAMPLE)


# ---------------------------------------------------------------- corpus samples


@pytest.mark.parametrize("which", ["seed", "xlsx"])
def test_corpus_sample_is_annotated_cell_by_cell(which: str, request, tmp_path: Path) -> None:
    source, result = (SEED, request.getfixturevalue("seed_result"))
    if which == "xlsx":
        source, result = (XLSX_SAMPLE, request.getfixturevalue("xlsx_result"))
    assert result.findings, "the sample must have findings for this test to mean anything"
    before = fingerprint(source)
    source_comments: dict[CellKey, str] = {}
    if which == "xlsx":
        original = openpyxl.load_workbook(source)
        source_comments = commented_cells(original, "")

    destination = write_annotated(result, source, tmp_path / annotated_name(source))

    assert destination == tmp_path / f"{source.stem}.annotated.xlsx"
    assert fingerprint(source) == before
    workbook = openpyxl.load_workbook(destination)
    assert workbook.sheetnames[-1] == "问题清单"
    flagged = flagged_cells(result)
    comments = commented_cells(workbook, "问题清单")
    assert set(comments) == set(flagged) | set(source_comments)
    for key, findings in flagged.items():
        sheet, row, col = key
        cell = workbook[sheet].cell(row=row, column=col)
        worst = max(findings, key=lambda finding: finding.severity.rank).severity
        assert cell.fill.fgColor.rgb == SEVERITY_FILLS[worst].fgColor.rgb, key
        assert cell.comment.author == COMMENT_AUTHOR
        text = comments[key]
        if key in source_comments:
            assert text.startswith(source_comments[key])
        capped = text.endswith(f"…（共 {len(findings)} 条，见“问题清单”工作表）")
        assert len(text) <= COMMENT_MAX_CHARS + len(source_comments.get(key, "")) + len(COMMENT_SEPARATOR) + 2
        for finding in findings:
            assert capped or comment_entry(finding) in text
    rows = list(workbook["问题清单"].iter_rows(values_only=True))
    assert rows[0] == FINDINGS_HEADER
    assert [row[0] for row in rows[1:]] == [finding.code for finding in result.findings]
    assert all(row[-1] == "待改" for row in rows[1:])


def test_unflagged_cells_keep_their_look(xlsx_result: FileResult, tmp_path: Path) -> None:
    destination = write_annotated(xlsx_result, XLSX_SAMPLE, tmp_path / "copy.xlsx")
    original = openpyxl.load_workbook(XLSX_SAMPLE)
    annotated = openpyxl.load_workbook(destination)
    flagged = flagged_cells(xlsx_result)
    for sheet in original.worksheets:
        assert sheet.merged_cells.ranges == annotated[sheet.title].merged_cells.ranges
        for row in sheet.iter_rows():
            for cell in row:
                mirror = annotated[sheet.title].cell(row=cell.row, column=cell.column)
                assert mirror.value == cell.value
                for style in ("font", "border", "alignment", "protection"):
                    assert copy_style(mirror, style) == copy_style(cell, style), (cell.coordinate, style)
                assert mirror.number_format == cell.number_format
                if (sheet.title, cell.row, cell.column) not in flagged:
                    assert copy_style(mirror, "fill") == copy_style(cell, "fill"), cell.coordinate


def test_findings_sheet_links_to_each_cell(seed_result: FileResult, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write_annotated(seed_result, SEED, tmp_path / "seed.xlsx"))
    sheet = workbook["问题清单"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(seed_result.findings) + 1}"
    where = FINDINGS_HEADER.index("单元格") + 1
    for row, finding in enumerate(seed_result.findings, start=2):
        cell = sheet.cell(row=row, column=where)
        assert finding.location is not None
        assert cell.value == f"{DELIMITED_SHEET}!{finding.location.cell}"
        assert cell.hyperlink is not None and cell.hyperlink.location == f"'{DELIMITED_SHEET}'!{finding.location.cell}"
        assert sheet.cell(row=row, column=FINDINGS_HEADER.index("说明") + 1).value == finding.message


# ---------------------------------------------------------------- hostile tables


def assert_exact_text(cell, text: str) -> None:
    assert cell.value == text
    assert cell.data_type == "s"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_hostile_text_stays_inert_and_exact(kind: str, tmp_path: Path) -> None:
    source = write_hostile_csv(tmp_path) if kind == "csv" else write_hostile_xlsx(tmp_path)
    result = lint(source)
    sheet_name = DELIMITED_SHEET if kind == "csv" else "自评表"
    flagged = flagged_cells(result)
    for row, letter in HOSTILE:
        assert (sheet_name, row, column(letter)) in flagged, f"no finding at {letter}{row}; the test needs one"
    before = fingerprint(source)

    (tmp_path / "out").mkdir()
    destination = write_annotated(result, source, tmp_path / "out" / annotated_name(source))

    assert fingerprint(source) == before
    workbook = openpyxl.load_workbook(destination)
    findings_title = "问题清单" if kind == "csv" else "问题清单（auditor）"
    assert workbook.sheetnames[-1] == findings_title
    sheet = workbook[sheet_name]
    for (row, letter), text in HOSTILE.items():
        cell = sheet[f"{letter}{row}"]
        assert_exact_text(cell, text)
        comment = cell.comment.text
        for finding in flagged[(sheet_name, row, column(letter))]:
            assert comment_entry(finding) in comment  # messages quote the hostile text verbatim
    # The findings sheet: 原文 holds each hostile text exactly, as a string.
    findings_sheet = workbook[findings_title]
    original = FINDINGS_HEADER.index("原文") + 1
    texts = {}
    for row in range(2, findings_sheet.max_row + 1):
        cell = findings_sheet.cell(row=row, column=original)
        if cell.value is not None:
            assert cell.data_type == "s"
            texts[cell.value] = cell
    for text in HOSTILE.values():
        assert_exact_text(texts[text], text)
    for row in findings_sheet.iter_rows(min_row=1):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    for sheet_ in workbook.worksheets:
        for row in sheet_.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet_.title, cell.coordinate)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_accepted_finding_listed_but_not_marked(kind: str, tmp_path: Path) -> None:
    source = write_hostile_csv(tmp_path) if kind == "csv" else write_hostile_xlsx(tmp_path)
    result = lint(source)
    row, letter, _, directive = ACCEPT
    accepted = [f for f in result.findings if not f.active]
    assert [f.code for f in accepted] == ["ST002"] and accepted[0].location.cell == f"{letter}{row}"

    workbook = openpyxl.load_workbook(write_annotated(result, source, tmp_path / "copy.xlsx"))

    sheet = workbook[DELIMITED_SHEET if kind == "csv" else "自评表"]
    cell = sheet[f"{letter}{row}"]
    assert cell.fill.fgColor.rgb not in {fill.fgColor.rgb for fill in SEVERITY_FILLS.values()}
    assert cell.comment is not None and cell.comment.text == directive  # the source's note, nothing added
    findings_sheet = workbook.worksheets[-1]
    states = [r[-1] for r in findings_sheet.iter_rows(min_row=2, values_only=True)]
    assert states.count("已接受（该项目不产生经济效益）") == 1
    assert states.count("待改") == len(result.findings) - 1


def test_source_comments_come_first(tmp_path: Path) -> None:
    source = write_hostile_xlsx(tmp_path)
    result = lint(source)
    workbook = openpyxl.load_workbook(write_annotated(result, source, tmp_path / "copy.xlsx"))
    sheet = workbook["自评表"]
    assert sheet["A1"].comment.text == "原有批注：标题"
    merged = sheet["L7"].comment.text
    assert merged.startswith(f"=原有批注：请核实\n{COMMENT_SEPARATOR}\n[")
    assert workbook["问题清单"]["A1"].value == "已有同名工作表"


def test_hostile_findings_are_cleaned_and_capped(tmp_path: Path) -> None:
    """Control characters and lone surrogates are dropped; over-long texts and comments are cut."""
    source = CORPUS / "transport-2021-wide.csv"
    result = lint(source)
    target = next(f for f in result.findings if f.active and f.location is not None)
    nasty = "=A\x00B\x07C\x0bD\ud800E\ufffeF\tG\nH"
    clean = "=ABCDEF\tG\nH"
    huge = "长" * 40_000
    extra = [
        dataclasses.replace(
            target, code=f"XX{n:03d}", message=f"{nasty}第{n}条" + "说明" * 60, suggestion=nasty, text=huge
        )
        for n in range(40)
    ]
    result = dataclasses.replace(result, findings=[*result.findings, *extra])
    workbook = openpyxl.load_workbook(write_annotated(result, source, tmp_path / "copy.xlsx"))

    loc = target.location
    comment = workbook[DELIMITED_SHEET].cell(row=loc.row, column=loc.column).comment.text
    assert len(comment) <= COMMENT_MAX_CHARS
    count = sum(1 for f in result.findings if f.active and f.location == loc)
    assert comment.endswith(f"…（共 {count} 条，见“问题清单”工作表）")
    assert f"[XX000 {target.severity.chinese}] {clean}第0条" in comment
    rows = list(workbook["问题清单"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.findings)
    last = rows[-1]
    assert last[FINDINGS_HEADER.index("说明")].startswith(clean + "第39条")
    assert last[FINDINGS_HEADER.index("建议")] == clean
    original = last[FINDINGS_HEADER.index("原文")]
    assert len(original) == EXCEL_MAX_CHARS and original.endswith("…") and original[:-1] == huge[: EXCEL_MAX_CHARS - 1]


def test_put_text_keeps_exact_text(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    values = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "a\r\nb", " =1 ", "=", "'=quoted", "普通文本"]
    for row, value in enumerate(values, start=1):
        put_text(workbook.active.cell(row=row, column=1), value)
    workbook.save(tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    for row, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == value


def test_sheet_titles_follow_excel_rules() -> None:
    taken: set[str] = set()
    first = sheet_title("a/b\\c[d]e:f*g?h" + "x" * 40, taken)
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    taken.add(first.casefold())
    second = sheet_title("A/B\\C[D]E:F*G?H" + "X" * 40, taken)
    assert second != first and len(second) <= 31 and second.casefold() not in taken
    assert sheet_title("", set()) == DELIMITED_SHEET
    assert sheet_title("'引号'", set()) == "引号"


def test_other_formats_are_rebuilt_as_text(tmp_path: Path) -> None:
    source = CORPUS / "water-2023-standard.docx"
    result = lint(source)
    workbook = openpyxl.load_workbook(write_annotated(result, source, tmp_path / "water.xlsx"))
    assert workbook.sheetnames == ["表1", "表2", "问题清单"]
    values = [cell for sheet in workbook.worksheets[:2] for row in sheet.iter_rows() for cell in row if cell.value]
    assert values and all(cell.data_type == "s" and isinstance(cell.value, str) for cell in values)
    assert set(commented_cells(workbook, "问题清单")) == set(flagged_cells(result))


@pytest.mark.parametrize("main", [XLSM_MAIN, XLTM_MAIN])
def test_xlsm_is_saved_as_plain_xlsx(main: bytes, xlsx_result: FileResult, tmp_path: Path) -> None:
    source = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(XLSX_SAMPLE) as original, zipfile.ZipFile(source, "w") as macro:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(XLSX_MAIN, main)
            macro.writestr(item, data)
        macro.writestr("xl/vbaProject.bin", b"\x00not really vba")
    assert main in zipfile.ZipFile(source).read("[Content_Types].xml")
    result = dataclasses.replace(xlsx_result, submission=dataclasses.replace(xlsx_result.submission, path=str(source)))
    destination = write_annotated(result, source, tmp_path / annotated_name(source))
    assert destination.name == "macro.annotated.xlsx"
    with zipfile.ZipFile(destination) as archive:
        types = archive.read("[Content_Types].xml")
        assert XLSX_MAIN in types and b"macroEnabled" not in types and b"template" not in types
        assert "xl/vbaProject.bin" not in archive.namelist()
    assert openpyxl.load_workbook(destination).sheetnames[-1] == "问题清单"


# ---------------------------------------------------------------- writing safely


def test_destination_equal_to_source_is_refused(xlsx_result: FileResult, tmp_path: Path) -> None:
    source = tmp_path / "same.xlsx"
    source.write_bytes(XLSX_SAMPLE.read_bytes())
    before = fingerprint(source)
    (tmp_path / "sub").mkdir()
    for destination in (source, tmp_path / "sub" / ".." / "same.xlsx"):
        with pytest.raises(ValueError):
            write_annotated(xlsx_result, source, destination)
    link = tmp_path / "link.xlsx"
    try:
        link.symlink_to(source)
    except OSError:
        link = None
    if link is not None:
        with pytest.raises(ValueError):
            write_annotated(xlsx_result, source, link)
    assert fingerprint(source) == before


def test_failed_save_leaves_nothing_behind(xlsx_result: FileResult, tmp_path: Path, monkeypatch) -> None:
    def broken_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 partial")
        raise OSError("磁盘已满")

    monkeypatch.setattr(Workbook, "save", broken_save)
    destination = tmp_path / "out.xlsx"
    with pytest.raises(OSError):
        write_annotated(xlsx_result, XLSX_SAMPLE, destination)
    assert not destination.exists()
    assert os.listdir(tmp_path) == []
    # An earlier good copy stays as it was.
    destination.write_bytes(b"earlier copy")
    with pytest.raises(OSError):
        write_annotated(xlsx_result, XLSX_SAMPLE, destination)
    assert destination.read_bytes() == b"earlier copy"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_severity_fills_are_distinct() -> None:
    colours = {SEVERITY_FILLS[severity].fgColor.rgb for severity in Severity}
    assert len(colours) == len(Severity)


def test_pdf_table_over_pages_gets_a_sheet_per_page_and_keeps_every_cell(tmp_path: Path) -> None:
    """A table joined over PDF pages is rebuilt page by page: no page's cells overwrite another's."""
    import openpyxl

    from auditor.config import Config
    from auditor.readers import load_grids
    from auditor.reporters.annotated_xlsx import write_annotated
    from auditor.run import run

    source = Path(__file__).parent / "data" / "pdf" / "corpus-clean-2022-standard.pdf"
    _, grids = load_grids(source)
    pages = {cell.location.sheet for grid in grids for row in grid.rows for cell in row if cell.location}
    assert len(pages) >= 2
    result = run(Config(), [source]).report.files[0]
    target = tmp_path / "annotated.xlsx"
    written = write_annotated(result, source, target)
    book = openpyxl.load_workbook(written)
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                if cell.location is None or not cell.text:
                    continue
                sheet = next(s for s in book.worksheets if s.title.startswith(cell.location.sheet[:20]))
                assert sheet.cell(cell.location.row, cell.location.column).value == cell.text
