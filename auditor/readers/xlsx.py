"""XLSX workbooks via openpyxl: every non-empty sheet becomes a :class:`Grid`, merged cells resolved."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, clean_text, take_directive
from auditor.readers.limits import LIMITS

_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")


#: The decimals a fixed-point number format shows: ``0.00``, ``#,##0.00``, ``0.0_ `` (the first section).
_FIXED_DECIMALS = re.compile(r"^[#,]*0\.(0+)(?:_.|\s)*(?:;|$)")


def format_value(value: Any, number_format: str | None) -> str:
    """A cell value as the text a reader of the sheet would see: percent formats applied, and a
    fixed-point format's decimals kept (``100`` shown as ``100.00`` is published to two places, which
    the rounding tolerances of the number rules read)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        if "%" in number_format:
            match = _PERCENT_DECIMALS.search(number_format)
            decimals = len(match.group(1)) if match else 0
            return f"{value * 100:.{decimals}f}%"
        fixed = _FIXED_DECIMALS.match(number_format)
        if fixed and abs(value) < 1e15:
            return f"{value:.{len(fixed.group(1))}f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value)


@contextlib.contextmanager
def merges_unformatted(keep_styles: bool = False) -> Iterator[None]:
    """openpyxl, loading a sheet, gives each merged range's edge cells its border (``MergedCellRange.format``),
    which the reader never looks at and which dominates loading heavily merged sheets: while the reader
    loads, merged cells are made as openpyxl makes them (every cell but the top-left a ``MergedCell``)
    without the borders.

    ``keep_styles``: each merged cell keeps the style its cell has in the file (borders included), for a
    copy that is saved again (the annotated workbook) and must look like its source.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

    def clean_merge_range(self: Any, mcr: Any) -> None:
        cells = mcr.cells
        next(cells)  # the top-left cell keeps its value
        for row, col in cells:
            merged = MergedCell(self, row, col)
            if keep_styles:
                old = self._cells.get((row, col))
                if old is not None and old.has_style:
                    merged._style = copy.copy(old._style)
            self._cells[row, col] = merged

    original = Worksheet._clean_merge_range
    Worksheet._clean_merge_range = clean_merge_range
    try:
        yield
    finally:
        Worksheet._clean_merge_range = original


def read_xlsx(path: Path, data: bytes) -> list[Grid]:
    import openpyxl

    from auditor.readers.xlsx_merges import clip_merges

    try:
        data, clipped = clip_merges(data)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise InputError("E104", str(path), "不是有效的 xlsx 压缩包") from exc
    try:
        with merges_unformatted():
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except zipfile.BadZipFile as exc:
        raise InputError("E104", str(path), "不是有效的 xlsx 压缩包") from exc
    except Exception as exc:  # openpyxl raises assorted errors on damaged parts
        raise InputError("E104", str(path), f"xlsx 结构异常（{type(exc).__name__}）") from exc
    formulas = _formula_sheets(data)
    grids = []
    for sheet in workbook.worksheets:
        grid = _sheet_grid(sheet, formulas.get(str(sheet.title)) if formulas else None)
        if grid.rows:
            grids.append(grid)
    workbook.close()
    if clipped and grids:
        grids[0].notices.extend(clipped)
    return grids


def _formula_sheets(data: bytes) -> dict[str, Any] | None:
    """Formula views of the sheets, loaded only when some formula has no cached value."""
    from auditor.readers.formulas import has_uncached_formulas

    if not has_uncached_formulas(data):
        return None
    import openpyxl

    try:
        with merges_unformatted():
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False, keep_links=False)
    except Exception:  # the data view loaded; a second view that fails only loses the recovery
        return None
    return {str(sheet.title): sheet for sheet in workbook.worksheets}


def _uncached(formula_sheet: Any, r: int, c: int, name: str, notices: list[str]) -> str:
    """A formula cell's text when its value was never cached: the constant it evaluates to, else ''."""
    from auditor.readers.formulas import constant_value

    value = formula_sheet.cell(r, c).value
    if not isinstance(value, str) or not value.startswith("="):
        return ""
    text = constant_value(value)
    where = Location(r, c, name).cell
    if text is None:
        notices.append(f"工作表“{name}”单元格 {where} 是公式且没有计算结果（{value[:40]}），按空单元格处理")
        return ""
    notices.append(f"工作表“{name}”单元格 {where} 是没有计算结果的公式 {value[:40]}，按其常量值“{text}”读取")
    return text


def _sheet_grid(sheet: Any, formula_sheet: Any = None) -> Grid:
    """The sheet's cells as a grid — built from the cells the file holds, never from its nominal size.

    A sheet may claim a dimension of A1:XFD1048576 or merge a range that large while holding a few
    cells: the grid spans only the rows up to the last text (stopping after ``max_empty_run`` empty
    rows) and ``max_columns`` columns, and every merged range is clipped to that extent.
    """
    name = str(sheet.title)
    notices: list[str] = []
    notes: dict[Location, str] = {}
    texts: dict[tuple[int, int], str] = {}
    wide = 0
    stored = sorted(sheet._cells.items())  # only the cells present in the file (openpyxl's own store)
    for (r, c), cell in stored:
        if cell.comment is not None and cell.comment.text:
            notes[Location(r, c, name)] = str(cell.comment.text)
        if c > LIMITS.max_columns:
            if cell.value is not None:
                wide += 1
            continue
        if cell.value is None:
            if formula_sheet is None:
                continue
            text = _uncached(formula_sheet, r, c, name, notices)
            if not text:
                continue
        else:
            text = format_value(cell.value, cell.number_format)
        text = take_directive(text, notes, Location(r, c, name))
        if text:
            texts[(r, c)] = cap(text, notices, r, c, name)
    if wide:
        notices.append(f"工作表“{name}”第{LIMITS.max_columns}列之后的 {wide} 个单元格未读取（超过列数上限）")
    last_row = _last_row(sorted({r for r, _ in texts}), name, notices)
    if last_row > LIMITS.max_rows:
        raise InputError("E109", name, f"工作表“{name}”有 {last_row} 行，超过上限 {LIMITS.max_rows}")
    texts = {key: value for key, value in texts.items() if key[0] <= last_row}
    max_column = max((c for _, c in texts), default=0)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > last_row or merged.min_col > max_column:
            continue
        for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for column in range(merged.min_col, min(merged.max_col, max_column) + 1):
                origin[(row, column)] = (merged.min_row, merged.min_col)
    if last_row * max_column > LIMITS.max_cells:
        detail = f"工作表“{name}”的表格范围 {last_row} 行 × {max_column} 列超过单元格上限 {LIMITS.max_cells}"
        raise InputError("E109", name, detail)
    rows: list[list[Cell]] = []
    for r in range(1, last_row + 1):
        cells = []
        for c in range(1, max_column + 1):
            src = origin.get((r, c), (r, c))
            cells.append(Cell(texts.get(src, ""), Location(src[0], src[1], name)))
        rows.append(cells)
    return Grid(name=name, rows=rows, notices=notices, notes=notes)


def _last_row(rows: list[int], name: str, notices: list[str]) -> int:
    """The last row before a run of more than ``max_empty_run`` empty rows (the sheet's table ends)."""
    last = 0
    for r in rows:
        if last and r - last - 1 > LIMITS.max_empty_run:
            notices.append(f"工作表“{name}”第{last + 1}行起连续空行超过{LIMITS.max_empty_run}行，其后内容未读取")
            break
        last = r
    return last
