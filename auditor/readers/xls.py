"""Legacy XLS workbooks via xlrd (formatting info on, so merged cells resolve)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, clean_text, take_directive
from auditor.readers.limits import LIMITS


class _Discard(io.TextIOBase):
    """Where xlrd's ``*** WARNING …`` lines go (its default logfile is sys.stdout, which carries JSON/SARIF)."""

    def write(self, text: str) -> int:
        return len(text)


_DISCARD = _Discard()


def read_xls(path: Path, data: bytes) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True, logfile=_DISCARD
        )
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError("E103", str(path)) from exc
        raise InputError("E104", str(path), f"xls 结构异常（{exc}）") from exc
    except Exception as exc:  # xlrd raises assorted errors on damaged files
        raise InputError("E104", str(path), f"xls 结构异常（{type(exc).__name__}）") from exc
    grids = []
    if book.nsheets > LIMITS.max_sheets:
        raise InputError("E109", str(path), f"共 {book.nsheets} 个工作表，超过上限 {LIMITS.max_sheets}")
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        grid = _sheet_grid(book, sheet, str(path))
        if grid.rows:
            grids.append(grid)
    return grids


def _sheet_grid(book: Any, sheet: Any, path: str) -> Grid:
    """The sheet's cells up to the last text (stopping after ``max_empty_run`` empty rows), at most
    ``max_columns`` wide — never the nominal extent a single far cell gives the sheet."""
    import xlrd

    notices: list[str] = []
    notes: dict[Location, str] = {}
    for (nr, nc), note in getattr(sheet, "cell_note_map", {}).items():
        notes[Location(nr + 1, nc + 1, sheet.name)] = str(note.text)
    filled: dict[int, int] = {}  # row → one past its last non-empty column
    wide = 0
    for r in range(sheet.nrows):
        length = sheet.row_len(r)
        last = 0
        for c in range(length):
            if sheet.cell_type(r, c) not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                if c >= LIMITS.max_columns:
                    wide += 1
                    continue
                last = c + 1
        if last:
            filled[r] = last
    if wide:
        notices.append(f"工作表“{sheet.name}”第{LIMITS.max_columns}列之后的 {wide} 个单元格未读取（超过列数上限）")
    last_row, previous = -1, None
    for r in sorted(filled):
        if previous is not None and r - previous - 1 > LIMITS.max_empty_run:
            where = f"工作表“{sheet.name}”第{previous + 2}行起"
            notices.append(f"{where}连续空行超过{LIMITS.max_empty_run}行，其后内容未读取")
            break
        last_row = previous = r
    if last_row + 1 > LIMITS.max_rows:
        raise InputError("E109", path, f"工作表“{sheet.name}”有 {last_row + 1} 行，超过上限 {LIMITS.max_rows}")
    width = max((filled[r] for r in filled if r <= last_row), default=0)
    if (last_row + 1) * width > LIMITS.max_cells:
        detail = f"工作表“{sheet.name}”的表格范围 {last_row + 1} 行 × {width} 列超过单元格上限 {LIMITS.max_cells}"
        raise InputError("E109", path, detail)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rlo, rhi, clo, chi in sheet.merged_cells:
        for r in range(rlo, min(rhi, last_row + 1)):
            for c in range(clo, min(chi, width)):
                origin[(r, c)] = (rlo, clo)
    rows = []
    for r in range(last_row + 1):
        cells = []
        for c in range(width):
            sr, sc = origin.get((r, c), (r, c))
            value, kind = "", xlrd.XL_CELL_EMPTY
            if sc < sheet.row_len(sr):
                value, kind = sheet.cell_value(sr, sc), sheet.cell_type(sr, sc)
            if kind == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(value, book.datemode).date().isoformat()
            location = Location(sr + 1, sc + 1, sheet.name)
            text = cap(take_directive(clean_text(value), notes, location), notices, sr + 1, sc + 1, sheet.name)
            cells.append(Cell(text, location))
        rows.append(cells)
    while rows and all(cell.is_blank for cell in rows[-1]):
        rows.pop()
    return Grid(name=sheet.name, rows=rows, notices=notices, notes=notes)
