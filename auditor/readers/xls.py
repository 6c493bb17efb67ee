"""Legacy XLS workbooks via xlrd (formatting info on, so merged cells resolve)."""

from __future__ import annotations

from pathlib import Path

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, clean_text, take_directive


def read_xls(path: Path, data: bytes) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError("E103", str(path)) from exc
        raise InputError("E104", str(path), f"xls 结构异常（{exc}）") from exc
    except Exception as exc:  # xlrd raises assorted errors on damaged files
        raise InputError("E104", str(path), f"xls 结构异常（{type(exc).__name__}）") from exc
    grids = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    origin[(r, c)] = (rlo, clo)
        notices: list[str] = []
        notes: dict[Location, str] = {}
        for (nr, nc), note in getattr(sheet, "cell_note_map", {}).items():
            notes[Location(nr + 1, nc + 1, sheet.name)] = str(note.text)
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                sr, sc = origin.get((r, c), (r, c))
                value = sheet.cell_value(sr, sc)
                if sheet.cell_type(sr, sc) == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode).date().isoformat()
                location = Location(sr + 1, sc + 1, sheet.name)
                text = cap(take_directive(clean_text(value), notes, location), notices, sr + 1, sc + 1, sheet.name)
                cells.append(Cell(text, location))
            rows.append(cells)
        while rows and all(cell.is_blank for cell in rows[-1]):
            rows.pop()
        if rows:
            grids.append(Grid(name=sheet.name, rows=rows, notices=notices, notes=notes))
    return grids
