"""A format-neutral grid of cells: what every format reader produces and every layout parser reads.

Merged cells are resolved by repeating the top-left cell (same text, same :class:`Location`) over
the whole merged range, so a layout parser sees ``产出目标`` above each of its columns and can tell
repeats from distinct cells by their location.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.model import Cell, Location
from auditor.readers.limits import LIMITS


@dataclass
class Grid:
    """The cells of one sheet (workbook), table (docx) or whole file (csv/txt), row by row."""

    name: str | None
    rows: list[list[Cell]]
    ragged: bool = False  # rows may have lost cells (text pulled from PDF/HTML)
    notices: list[str] = field(default_factory=list)
    notes: dict[Location, str] = field(default_factory=dict)  # comments and auditor directives
    side_labels: dict[str, str] = field(default_factory=dict)  # header label → side, named by the side model

    def texts(self, row: int) -> list[str]:
        return [cell.text for cell in self.rows[row]]

    def row_is_blank(self, row: int) -> bool:
        return all(cell.is_blank for cell in self.rows[row])

    def distinct(self, row: int) -> list[Cell]:
        """The row's non-blank cells, each merged cell once."""
        seen: set[Location | None] = set()
        out: list[Cell] = []
        for cell in self.rows[row]:
            if cell.is_blank or (cell.location is not None and cell.location in seen):
                continue
            seen.add(cell.location)
            out.append(cell)
        return out


def clean_text(value: object) -> str:
    """A cell value as trimmed text; floats that are whole numbers lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        text = repr(round(value, 10))
        return text[:-2] if text.endswith(".0") else text
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip()


def build_rows(
    values: list[list[str]],
    sheet: str | None,
    notices: list[str],
    *,
    row_offset: int = 1,
    notes: dict[Location, str] | None = None,
) -> list[list[Cell]]:
    """Wrap plain text rows into located cells, trimming trailing empty rows and long texts."""
    rows: list[list[Cell]] = []
    empty_run = 0
    for r, row in enumerate(values):
        if not any(text.strip() for text in row):
            empty_run += 1
            if empty_run > LIMITS.max_empty_run:
                notices.append(
                    f"第{r + row_offset - empty_run + 1}行起连续空行超过{LIMITS.max_empty_run}行，其后内容未读取"
                )
                break
        else:
            empty_run = 0
        cells = []
        for c, text in enumerate(row):
            location = Location(r + row_offset, c + 1, sheet)
            if notes is not None:
                text = take_directive(text, notes, location)
            cells.append(Cell(cap(text, notices, r + row_offset, c + 1, sheet), location))
        rows.append(cells)
    while rows and not any(not cell.is_blank for cell in rows[-1]):
        rows.pop()
    return rows


def take_directive(text: str, notes: dict[Location, str], location: Location) -> str:
    """Strip an ``auditor: ignore …`` directive from a cell's text and remember it as a note."""
    if "auditor" not in text.lower():
        return text
    from auditor.suppress import split_directive

    clean, directive = split_directive(text)
    if directive:
        notes[location] = directive
    return clean


def cap(text: str, notices: list[str], row: int, column: int, sheet: str | None) -> str:
    if len(text) <= LIMITS.max_cell_chars:
        return text
    where = Location(row, column, sheet).cell
    notices.append(f"单元格 {where} 文本过长（{len(text)} 字），仅检查前 {LIMITS.max_cell_chars} 字")
    return text[: LIMITS.max_cell_chars]
