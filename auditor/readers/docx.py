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
from auditor.readers.limits import LIMITS


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
    nested = 0
    for element in _blocks(document.element.body):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_text(Paragraph(element, document).text)
            if text:
                preamble.append(text)
            for box_table in element.iter(_W + "tbl"):  # a table in a text box inside the paragraph
                if _in_fallback(box_table):
                    continue  # the same text box again, for programs that cannot draw shapes
                grids.append(_table_grid(Table(box_table, document), len(grids) + 1, preamble[-6:], str(path)))
                preamble = []
        elif tag == "tbl":
            if len(grids) >= LIMITS.max_sheets:
                raise InputError("E109", str(path), f"表格超过上限 {LIMITS.max_sheets} 个")
            nested += sum(1 for inner in element.iter(_W + "tbl") if inner is not element)
            grids.append(_table_grid(Table(element, document), len(grids) + 1, preamble[-6:], str(path)))
            preamble = []
    grids = [grid for grid in grids if grid.rows]
    if nested and grids:
        grids[0].notices.append(f"文档中有 {nested} 个嵌套在单元格内的表格，只读取了其外层表格的文字")
    return grids


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _in_fallback(element: Any) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag.endswith("}Fallback"):
            return True
        parent = parent.getparent()
    return False


def _blocks(body: Any) -> Any:
    """Paragraphs and tables in reading order, looking inside content controls (w:sdt/w:sdtContent)
    and custom XML blocks, where templates often wrap their tables."""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("sdt", "customXml"):
            content = child.find(_W + "sdtContent") if tag == "sdt" else child
            if content is not None:
                yield from _blocks(content)
        elif tag in ("p", "tbl"):
            yield child


def _table_grid(table: Any, number: int, preamble: list[str], path: str = "") -> Grid:
    """One Word table as a grid; a table python-docx cannot lay out (no tblGrid …) is a damaged file."""
    from docx.oxml.exceptions import InvalidXmlError

    try:
        return _read_table(table, number, preamble)
    except (InvalidXmlError, ValueError, IndexError, AttributeError) as exc:
        raise InputError("E104", path, f"表{number}结构异常（{type(exc).__name__}）") from exc


def _read_table(table: Any, number: int, preamble: list[str]) -> Grid:
    name = f"表{number}"
    notices: list[str] = []
    notes: dict[Location, str] = {}
    # Paragraphs before the table come first, without a location (they are not table cells).
    rows: list[list[Cell]] = [[Cell(text, None)] for text in preamble]
    width = len(table.columns)
    if width > LIMITS.max_columns:
        raise InputError("E109", name, f"{name}有 {width} 列，超过上限 {LIMITS.max_columns}")
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
