"""Hostile inputs for the readers' limits, written on demand (nothing large is committed).

Each function writes one small file into a folder and returns its path. The sizes are those of the
cases measured in issue 13 — a 7.7 KB workbook merging A20:XFD1048576, a sparse cell at XFD1048576,
hundreds of thousands of cells in a few MB, hundreds of sheets each under the per-member ratio check,
a Word table spanning 100,000 grid columns, hundreds of Word tables, an xls with its far corner set, a
CSV line of commas — small enough to build in a test, hostile enough to hang a reader without limits.

Run as a script to write them all into a folder: ``python tests/data/hostile/reader_cases.py OUT``.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_TABLE_ROWS = (
    ("项目名称", "示例项目"),
    ("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"),
    ("", "产出指标", "数量指标", "检查次数", "≥4次", "5次"),
)


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells(rows: tuple[tuple[str, ...], ...]) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(row, start=1)
            if text
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _workbook(path: Path, sheets: list[str]) -> Path:
    """An xlsx written part by part (no openpyxl: the point is what a hostile tool can write)."""
    entries = "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, len(sheets) + 1))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        types = "".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=types))
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", f"<workbook {_NS} {_REL_NS}><sheets>{entries}</sheets></workbook>")
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for n, body in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", body)
    return path


def _sheet(data: str, extra: str = "") -> str:
    return f"<worksheet {_NS}><sheetData>{data}</sheetData>{extra}</worksheet>"


def merge_bomb(folder: Path) -> Path:
    """One merged range A20:XFD1048576 over a small table (150 s, 9.4 GB before limits)."""
    merge = '<mergeCells count="1"><mergeCell ref="A20:XFD1048576"/></mergeCells>'
    return _workbook(folder / "merge-bomb.xlsx", [_sheet(_cells(_TABLE_ROWS), merge)])


def far_cell(folder: Path) -> Path:
    """A small table and one stray cell at XFD1048576 (79 s, 4.1 GB before limits)."""
    stray = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _workbook(folder / "far-cell.xlsx", [_sheet(_cells(_TABLE_ROWS) + stray)])


def many_cells(folder: Path, count: int = 400_000) -> Path:
    """Hundreds of thousands of numeric cells in a few MB (3.9 M cells ran 15 minutes before limits)."""
    width = 100
    rows = []
    for r in range(1, count // width + 1):
        cells = "".join(f'<c r="{_column(c)}{r}"><v>1</v></c>' for c in range(1, width + 1))
        rows.append(f'<row r="{r}">{cells}</row>')
    return _workbook(folder / "many-cells.xlsx", [_sheet(_cells(_TABLE_ROWS[:1]) + "".join(rows[1:]))])


def many_sheets(folder: Path, count: int = 250) -> Path:
    """More sheets than a workbook of tables has (400 sheets ran 300 s before limits)."""
    return _workbook(folder / "many-sheets.xlsx", [_sheet(_cells(_TABLE_ROWS))] * count)


def inflated(folder: Path, members: int = 120) -> Path:
    """Members just under 1 MB each, so no single one trips the ratio check; together > 100 MB."""
    padding = "<row/>" * (999_000 // 6)
    return _workbook(folder / "inflated.xlsx", [_sheet(padding)] * members)


def _docx(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return path


def _word_table(rows: tuple[tuple[str, ...], ...], span: int = 1) -> str:
    out = []
    width = max(len(row) for row in rows)
    for row in (tuple(row) + ("",) * (width - len(row)) for row in rows):
        cells = "".join(
            f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>'
            for text in row
        )
        out.append(f"<w:tr>{cells}</w:tr>")
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(max(len(row) for row in rows)))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(out)}</w:tbl>"


def grid_span(folder: Path) -> Path:
    """A Word table whose cells span 100,000 grid columns (a 39 KB docx spun before limits)."""
    return _docx(folder / "grid-span.docx", _word_table(_TABLE_ROWS, span=100_000))


def many_tables(folder: Path, count: int = 450) -> Path:
    """Hundreds of Word tables (450 took 106 s before limits)."""
    return _docx(folder / "many-tables.docx", _word_table(_TABLE_ROWS) * count)


def far_corner_xls(folder: Path) -> Path:
    """An xls with its last cell (row 65536, column IV) set: 9.7 KB, 85 s and 2.9 GB before limits."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    for r, row in enumerate(_TABLE_ROWS):
        for c, text in enumerate(row):
            sheet.write(r, c, text)
    sheet.write(65535, 255, "x")
    path = folder / "far-corner.xls"
    book.save(str(path))
    return path


def comma_line(folder: Path, commas: int = 2_000_000) -> Path:
    """One CSV line of commas (20 MB of them ran 76 s and 3.5 GB before limits)."""
    path = folder / "commas.csv"
    path.write_text("项目名称,示例\n" + "," * commas + "\n", encoding="utf-8")
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "merge-bomb": merge_bomb,
    "far-cell": far_cell,
    "many-cells": many_cells,
    "many-sheets": many_sheets,
    "inflated": inflated,
    "grid-span": grid_span,
    "many-tables": many_tables,
    "far-corner-xls": far_corner_xls,
    "comma-line": comma_line,
}

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, make in CASES.items():
        print(name, make(out))
