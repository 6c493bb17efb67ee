"""XLSX workbooks via openpyxl: every non-empty sheet becomes a :class:`Grid`, merged cells resolved."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, clean_text, take_directive
from auditor.readers.limits import LIMITS

_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")


def format_value(value: Any, number_format: str | None) -> str:
    """A cell value as the text a reader of the sheet would see (percent formats applied)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format and "%" in number_format:
        match = _PERCENT_DECIMALS.search(number_format)
        decimals = len(match.group(1)) if match else 0
        return f"{value * 100:.{decimals}f}%"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value)


def read_xlsx(path: Path, data: bytes) -> list[Grid]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
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
    return grids


def _formula_sheets(data: bytes) -> dict[str, Any] | None:
    """Formula views of the sheets, loaded only when some formula has no cached value."""
    from auditor.readers.formulas import has_uncached_formulas

    if not has_uncached_formulas(data):
        return None
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
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
    name = str(sheet.title)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                origin[(row, column)] = (merged.min_row, merged.min_col)
    notices: list[str] = []
    notes: dict[Location, str] = {}
    texts: dict[tuple[int, int], str] = {}
    max_column = 0
    rows: list[list[Cell]] = []
    empty_run = 0
    for row_cells in sheet.iter_rows():
        if not row_cells:
            continue
        r = row_cells[0].row
        values = []
        for cell in row_cells:
            if cell.comment is not None and cell.comment.text:
                notes[Location(r, cell.column, name)] = str(cell.comment.text)
            if cell.value is None:
                if formula_sheet is None:
                    continue
                text = _uncached(formula_sheet, r, cell.column, name, notices)
                if not text:
                    continue
            else:
                text = format_value(cell.value, cell.number_format)
            text = take_directive(text, notes, Location(r, cell.column, name))
            if text:
                texts[(r, cell.column)] = cap(text, notices, r, cell.column, name)
                values.append(cell.column)
        if values:
            empty_run = 0
            max_column = max(max_column, *values)
        elif (r, 1) not in origin:
            empty_run += 1
            if empty_run > LIMITS.max_empty_run:
                notices.append(
                    f"工作表“{name}”第{r - empty_run + 1}行起连续空行超过{LIMITS.max_empty_run}行，其后内容未读取"
                )
                break
    last_row = max((r for r, _ in texts), default=0)
    max_column = max([max_column] + [c for (r, c) in origin if r <= last_row and (r, c) in origin])
    for r in range(1, last_row + 1):
        cells = []
        for c in range(1, max_column + 1):
            src = origin.get((r, c), (r, c))
            cells.append(Cell(texts.get(src, ""), Location(src[0], src[1], name)))
        rows.append(cells)
    return Grid(name=name, rows=rows, notices=notices, notes=notes)
