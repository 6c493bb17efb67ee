"""Word documents via python-docx: each table is a :class:`Grid` named ``表N``; merged cells resolved.

Paragraphs before a table (its title, ``部门名称：…``) become leading rows of that table's grid, so
the layout parser finds department and year the same way as in a spreadsheet.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, clean_text, take_directive


def read_docx(path: Path, data: bytes) -> list[Grid]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError("E104", str(path), "不是有效的 docx 压缩包") from exc
    except Exception as exc:  # python-docx raises assorted errors on damaged parts
        raise InputError("E104", str(path), f"docx 结构异常（{type(exc).__name__}）") from exc

    grids: list[Grid] = []
    preamble: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_text(Paragraph(child, document).text)
            if text:
                preamble.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            grids.append(_table_grid(table, len(grids) + 1, preamble[-6:]))
            preamble = []
    return [grid for grid in grids if grid.rows]


def _table_grid(table: Any, number: int, preamble: list[str]) -> Grid:
    name = f"表{number}"
    notices: list[str] = []
    notes: dict[Location, str] = {}
    # Paragraphs before the table come first, without a location (they are not table cells).
    rows: list[list[Cell]] = [[Cell(text, None)] for text in preamble]
    width = len(table.columns)
    cells_flat = table._cells  # one list for the whole table keeps merged cells' identities stable
    origin: dict[int, tuple[int, int]] = {}
    for index, cell in enumerate(cells_flat):
        r, c = divmod(index, width)
        if c == 0:
            rows.append([])
        src = origin.setdefault(id(cell), (r + 1, c + 1))
        location = Location(src[0], src[1], name)
        text = cap(take_directive(clean_text(cell.text), notes, location), notices, src[0], src[1], name)
        rows[-1].append(Cell(text, location))
    return Grid(name=name, rows=rows, notices=notices, notes=notes)
