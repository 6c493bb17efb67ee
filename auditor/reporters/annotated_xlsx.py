"""The annotated workbook: a copy of the checked table with every finding marked at its cell.

Reviewers of a 绩效自评表 want to see the problems where they are, not as a list of cell addresses.
This writer produces an ``.xlsx`` copy of the source in which each flagged cell is coloured by its
worst severity and carries one comment listing its findings (with suggestions), plus a ``findings``
sheet with one row per finding (accepted ones included) linking back to its cell.

An xlsx/xlsm source is copied with openpyxl, formatting kept (VBA dropped); any other format
(xls, csv/tsv/txt, docx) is rebuilt from the reader's grids, one sheet per sheet or Word table,
every cell written as text. The source is only read. The copy is written to a temporary file in
the destination folder and moved into place, so a failed run never leaves a partial workbook.

Everything written is inert: text that looks like a formula (``=``, ``+``, ``-``, ``@`` …) is stored
as a string cell, never a formula, without altering the visible text; characters XML 1.0 cannot
hold are removed and text beyond Excel's 32,767-character cell limit is cut with "…".
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from auditor.errors import InputError
from auditor.fileio import current_umask
from auditor.model import Finding, Location, Severity, column_letter
from auditor.readers.grid import Grid
from auditor.reporters import FileResult
from auditor.reporters.csv_reporter import accepted
from auditor.reporters.text import FIELD_NAMES

#: Fill of a flagged cell, by the worst severity of its findings (light, so the text stays readable).
ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")  # light red
WARNING_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")  # light yellow
INFO_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")  # light blue
SEVERITY_FILLS: dict[Severity, PatternFill] = {
    Severity.ERROR: ERROR_FILL,
    Severity.WARNING: WARNING_FILL,
    Severity.INFO: INFO_FILL,
}
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
LINK_FONT = Font(color="FF0563C1", underline="single")

COMMENT_AUTHOR = "auditor"
COMMENT_MAX_CHARS = 2000  # our part of a comment; a source comment kept before it is not counted
COMMENT_SEPARATOR = "──────── auditor ────────"
COMMENT_WIDTH_PX = 360
COMMENT_CHARS_PER_LINE = 24  # CJK characters that fit on one line of a comment that wide
COMMENT_LINE_PX = 18
COMMENT_MIN_HEIGHT_PX = 60
COMMENT_MAX_HEIGHT_PX = 600

EXCEL_MAX_CHARS = 32_767
ELLIPSIS = "…"
FINDINGS_SHEET = "findings"
FINDINGS_SHEET_FALLBACK = "findings (auditor)"
#: Columns of the findings sheet and their widths (in Excel character units).
FINDINGS_COLUMNS = (
    ("规则", 8), ("规则说明", 30), ("严重性", 7), ("项目序号", 9), ("项目", 28), ("指标", 22),
    ("字段", 12), ("单元格", 16), ("原文", 40), ("说明", 50), ("建议", 40), ("状态", 16),
)  # fmt: skip
FINDINGS_HEADER = tuple(name for name, _ in FINDINGS_COLUMNS)
PENDING = "待改"
ACCEPTED = "已接受"
DELIMITED_SHEET = "表格"  # title of the one sheet rebuilt from csv/tsv/txt
SHEET_TITLE_MAX = 31
MAX_COLUMN_WIDTH = 30

# XML 1.0 allows tab, LF, CR and U+0020 upwards, except surrogates and U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL_TITLE = re.compile(r"[\[\]:*?/\\]")

SheetMap = dict[str | None, Worksheet]  # source sheet name (None for delimited text) → worksheet


# ---------------------------------------------------------------- public API


def annotated_name(source: Path) -> str:
    """File name of the annotated copy: '<stem>.annotated.xlsx' (for any input format)."""
    return f"{source.stem}.annotated.xlsx"


def write_annotated(result: FileResult, source: Path, destination: Path) -> Path:
    """Write an annotated copy of `source` (the file `result.submission` was read from) to `destination`.

    ``destination`` is a full ``.xlsx`` path; it is written atomically (temp file in the same folder +
    ``os.replace``). ``source`` is never modified; a destination that resolves to the same file as
    the source raises :class:`ValueError`, and so does a source that can no longer be read or a copy
    that cannot be built; a file-system failure raises :class:`OSError`. Returns ``destination``.
    """
    _refuse_same_file(source, destination)
    data = source.read_bytes()
    workbook, sheets, comments = _open_copy(result.submission.file_format, source, data)
    _annotate_cells(sheets, result.findings, comments)
    _add_findings_sheet(workbook, sheets, result.findings)
    _save_atomically(workbook, destination)
    return destination


# ---------------------------------------------------------------- inert text


def safe_text(text: str, limit: int = EXCEL_MAX_CHARS) -> str:
    """``text`` without characters XML 1.0 cannot hold, cut to ``limit`` characters with a trailing "…"."""
    text = _ILLEGAL_XML.sub("", text)
    if len(text) > limit:
        text = text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return text


def put_text(cell: XlCell, text: str) -> None:
    """Store ``text`` in ``cell`` as a string, never a formula, whatever it starts with."""
    cell.value = safe_text(text)
    cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula; this makes it text


# ---------------------------------------------------------------- the copy


def _refuse_same_file(source: Path, destination: Path) -> None:
    same = destination.resolve() == source.resolve()
    if not same and destination.exists():
        try:
            same = os.path.samefile(source, destination)
        except OSError:
            same = False
    if same:
        raise ValueError(f"批注副本不能覆盖原文件：{destination}")


def _open_copy(file_format: str, source: Path, data: bytes) -> tuple[Workbook, SheetMap, dict[Location, str]]:
    """The workbook to annotate, its sheets by source name, and comments of a rebuilt source.

    A source that can no longer be read (changed or damaged since it was linted) raises ValueError.
    """
    if not file_format:
        from auditor.readers.sniff import sniff

        file_format = sniff(source, data)
    if file_format == "xlsx":
        try:
            workbook = load_workbook(io.BytesIO(data), data_only=False, keep_vba=False)
        except Exception as exc:  # openpyxl raises assorted errors on damaged parts
            raise ValueError(f"{source}: 无法作为 xlsx 打开（{type(exc).__name__}）") from exc
        workbook.template = False  # saved as a plain .xlsx whatever it was (.xlsm, .xltx)
        return workbook, {sheet.title: sheet for sheet in workbook.worksheets}, {}
    from auditor.readers import load_grids

    try:
        _, grids = load_grids(source)
    except InputError as error:
        raise ValueError(error.one_line()) from error
    return _rebuild(grids)


def _rebuild(grids: list[Grid]) -> tuple[Workbook, SheetMap, dict[Location, str]]:
    """A new workbook with one sheet per grid, every cell as text, merged ranges merged again."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: SheetMap = {}
    taken: set[str] = set()
    notes: dict[Location, str] = {}
    for grid in grids:
        title = sheet_title(grid.name or DELIMITED_SHEET, taken)
        taken.add(title.casefold())
        sheet = workbook.create_sheet(title)
        sheets.setdefault(grid.name, sheet)
        _fill_sheet(sheet, grid)
        notes.update(grid.notes)
    return workbook, sheets, notes


def sheet_title(name: str, taken: set[str]) -> str:
    """``name`` as a valid, unused Excel sheet title (≤31 characters, none of []:*?/\\, unique)."""
    base = _ILLEGAL_TITLE.sub("_", safe_text(name)).strip().strip("'").strip() or DELIMITED_SHEET
    base = base[:SHEET_TITLE_MAX]
    title, number = base, 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    return title


def _fill_sheet(sheet: Worksheet, grid: Grid) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    spans: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    widths: dict[int, int] = {}
    for r, row in enumerate(grid.rows, start=1):
        for c, cell in enumerate(row, start=1):
            anchor = (cell.location.row, cell.location.column) if cell.location else (r, c)
            spans[anchor].append((r, c))
            if cell.text and len(spans[anchor]) == 1:
                target = sheet.cell(row=anchor[0], column=anchor[1])
                put_text(target, cell.text)
                target.number_format = "@"
                target.alignment = wrap
                widths[anchor[1]] = max(widths.get(anchor[1], 0), _display_width(cell.text))
    for anchor, places in spans.items():
        _merge_if_rectangle(sheet, anchor, places)
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = min(max(width + 2, 8), MAX_COLUMN_WIDTH)


def _merge_if_rectangle(sheet: Worksheet, anchor: tuple[int, int], places: list[tuple[int, int]]) -> None:
    """Merge the places one merged source cell covered, when they form a rectangle from its anchor."""
    if len(places) < 2:
        return
    rows = [r for r, _ in places]
    columns = [c for _, c in places]
    top, left, bottom, right = min(rows), min(columns), max(rows), max(columns)
    if (top, left) != anchor or len(set(places)) != (bottom - top + 1) * (right - left + 1):
        return
    sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def _display_width(text: str) -> int:
    """Rough width of the longest line in Excel character units (CJK characters count double)."""
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in longest[:MAX_COLUMN_WIDTH])


# ---------------------------------------------------------------- marking cells


def _annotate_cells(sheets: SheetMap, findings: Iterable[Finding], comments: dict[Location, str]) -> None:
    """Colour and comment every cell with an active finding; carry over comments of a rebuilt source."""
    by_cell: dict[Location, list[Finding]] = defaultdict(list)
    for finding in findings:
        loc = finding.location
        if finding.active and loc is not None and loc.sheet in sheets:
            by_cell[_anchor(sheets[loc.sheet], loc)].append(finding)
    for loc, cell_findings in by_cell.items():
        cell = sheets[loc.sheet].cell(row=loc.row, column=loc.column)
        existing = cell.comment.text if cell.comment is not None else comments.get(loc)
        worst = max(cell_findings, key=lambda finding: finding.severity.rank).severity
        cell.fill = SEVERITY_FILLS[worst]
        cell.comment = make_comment(comment_text(cell_findings, existing))
    for loc, text in comments.items():
        if loc.sheet in sheets and loc not in by_cell and text.strip():
            sheets[loc.sheet].cell(row=loc.row, column=loc.column).comment = make_comment(safe_text(text))


def _anchor(sheet: Worksheet, loc: Location) -> Location:
    """The cell that holds a merged range's value and formatting (its top-left one)."""
    if isinstance(sheet._cells.get((loc.row, loc.column)), MergedCell):
        for merged in sheet.merged_cells.ranges:
            if merged.min_row <= loc.row <= merged.max_row and merged.min_col <= loc.column <= merged.max_col:
                return Location(merged.min_row, merged.min_col, loc.sheet)
    return loc


def comment_entry(finding: Finding) -> str:
    """One finding in a comment: ``[CODE 严重性] message`` and its suggestion on the next line."""
    entry = f"[{finding.code} {finding.severity.chinese}] {finding.message}"
    if finding.suggestion:
        entry += f"\n建议：{finding.suggestion}"
    return entry


def comment_text(findings: list[Finding], existing: str | None = None) -> str:
    """The comment of one cell: the source's own comment first, then our capped list of findings."""
    ordered = sorted(findings, key=lambda finding: -finding.severity.rank)
    ours = _fit([safe_text(comment_entry(finding)) for finding in ordered], COMMENT_MAX_CHARS)
    if existing and existing.strip():
        return safe_text(f"{existing.rstrip()}\n{COMMENT_SEPARATOR}\n{ours}")
    return ours


def _fit(entries: list[str], limit: int) -> str:
    """Join entries one per paragraph; past ``limit`` characters, end with how many there are in all."""
    joined = "\n".join(entries)
    if len(joined) <= limit:
        return joined
    tail = f"{ELLIPSIS}（共 {len(entries)} 条，见 findings 表）"
    kept: list[str] = []
    used = len(tail)
    for entry in entries:
        if used + len(entry) + 1 > limit:
            break
        kept.append(entry)
        used += len(entry) + 1
    if not kept:  # a single entry longer than the whole budget: cut it
        kept.append(entries[0][: limit - len(tail) - 1])
    return "\n".join([*kept, tail])


def make_comment(text: str) -> Comment:
    """A comment by ``auditor``, sized so that its text shows without scrolling (within reason)."""
    lines = sum(max(1, math.ceil(len(line) / COMMENT_CHARS_PER_LINE)) for line in text.split("\n"))
    height = min(max(COMMENT_MIN_HEIGHT_PX, lines * COMMENT_LINE_PX + 12), COMMENT_MAX_HEIGHT_PX)
    return Comment(text, COMMENT_AUTHOR, height=height, width=COMMENT_WIDTH_PX)


# ---------------------------------------------------------------- the findings sheet


def _add_findings_sheet(workbook: Workbook, sheets: SheetMap, findings: list[Finding]) -> Worksheet:
    """One row per finding (accepted ones too), header frozen, filterable, linked to each cell."""
    taken = {title.casefold() for title in workbook.sheetnames}
    title = FINDINGS_SHEET if FINDINGS_SHEET not in taken else sheet_title(FINDINGS_SHEET_FALLBACK, taken)
    sheet = workbook.create_sheet(title)
    for column, (name, width) in enumerate(FINDINGS_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, finding in enumerate(findings, start=2):
        for column, value in enumerate(_finding_values(finding), start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, int):
                cell.value = value
            elif value:
                put_text(cell, value)
            cell.alignment = wrap
        _link_cell(sheet.cell(row=row, column=FINDINGS_HEADER.index("单元格") + 1), finding.location, sheets)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(FINDINGS_HEADER))}{len(findings) + 1}"
    return sheet


def _rule_summary(code: str) -> str:
    """The rule's one-line Chinese summary (the findings sheet is read by people, not tools)."""
    from auditor.checks.registry import all_rules

    rule = all_rules().get(code)
    return rule.summary if rule is not None else ""


def _finding_values(finding: Finding) -> list[Any]:
    indicator = finding.indicator or ""
    if indicator and finding.indicator_name:
        indicator = f"{indicator}·{finding.indicator_name}"
    return [
        finding.code,
        _rule_summary(finding.code) or finding.name,
        finding.severity.chinese,
        finding.project_index if finding.project_index is not None else "",
        finding.project or "",
        indicator,
        FIELD_NAMES.get(finding.field, finding.field),
        "",  # 单元格: written by _link_cell
        finding.text,
        finding.message,
        finding.suggestion or "",
        status(finding),
    ]


def status(finding: Finding) -> str:
    """待改 for a finding that counts, 已接受（理由） for one accepted in the source or a baseline."""
    if finding.active:
        return PENDING
    reason = accepted(finding)
    return ACCEPTED if reason in ("", ACCEPTED) else f"{ACCEPTED}（{reason}）"


def _link_cell(cell: XlCell, location: Location | None, sheets: SheetMap) -> None:
    """The finding's cell address, linked to that cell in this workbook when the sheet is here."""
    if location is None:
        return
    sheet = sheets.get(location.sheet)
    if sheet is None:
        put_text(cell, f"{location.sheet}!{location.cell}" if location.sheet else location.cell)
        return
    put_text(cell, f"{sheet.title}!{location.cell}")
    quoted = sheet.title.replace("'", "''")
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!{location.cell}")
    cell.font = LINK_FONT


# ---------------------------------------------------------------- saving


def _save_atomically(workbook: Workbook, destination: Path) -> None:
    """Save to a temporary file beside ``destination``, then move it into place in one step."""
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        with open(temporary, "rb") as saved:
            os.fsync(saved.fileno())
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp creates 0600; the copy is an ordinary file
        os.replace(temporary, destination)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, Exception) and not isinstance(exc, (OSError, ValueError)):
            raise ValueError(f"{destination}: 无法写出批注工作簿（{type(exc).__name__}）") from exc
        raise
