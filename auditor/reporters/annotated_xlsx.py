"""The annotated workbook: a copy of the checked table with every finding marked at its cell.

Reviewers of a 绩效自评表 want to see the problems where they are, not as a list of cell addresses.
This writer produces an ``.xlsx`` copy of the source in which each flagged cell is coloured by its
worst severity and carries one comment listing its findings (with suggestions), plus a ``findings``
sheet with one row per finding (accepted ones included) linking back to its cell.

An xlsx/xlsm source is copied with openpyxl, formatting kept; any other format (xls, csv/tsv/txt,
docx) is rebuilt from the reader's grids, one sheet per sheet or Word table, every cell written as
text. The source is only read. The copy is written to a temporary file in the destination folder
and moved into place, so a failed run never leaves a partial workbook.

The copy is inert — values only, nothing that runs, fetches or recalculates when it is opened
(:func:`_make_inert`): every formula is replaced by its cached value (or, where the file holds
none, by the formula's text as a string); external-workbook links (and DDE links with them),
data connections, query tables, pivot tables, charts, macros, ActiveX and embedded objects are
dropped; defined names, conditional formats and data validations that call a function or reach
outside the workbook are dropped; hyperlinks other than http(s)/mailto and in-workbook ones
(``javascript:``, ``file:``, UNC paths, relative paths) are removed; no ``calcPr`` asks for a
recalculation on load. What was removed is listed under the findings sheet. Text that looks like
a formula (``=``, ``+``, ``-``, ``@`` …) is stored as a string cell, never a formula, without
altering the visible text; characters XML 1.0 cannot hold are removed and text beyond Excel's
32,767-character cell limit is cut with "…".
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from auditor.errors import InputError
from auditor.fileio import current_umask
from auditor.model import Cell, Finding, Location, Severity, column_letter
from auditor.readers.grid import Grid
from auditor.reporters import FileResult
from auditor.reporters.csv_reporter import accepted
from auditor.reporters.grouping import causes, place_label, recurs_in
from auditor.reporters.sanitize import FORMULA_START
from auditor.reporters.text import FIELD_NAMES
from auditor.reporters.xlsx_styles import Stamp

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
FINDINGS_SHEET = "问题清单"
FINDINGS_SHEET_FALLBACK = "问题清单（auditor）"
#: Columns of the findings sheet and their widths (in Excel character units).
FINDINGS_COLUMNS = (
    ("规则", 8), ("规则说明", 30), ("严重性", 7), ("项目序号", 9), ("项目", 28), ("指标", 22),
    ("字段", 12), ("单元格", 16), ("原文", 40), ("说明", 50), ("建议", 40), ("同类问题", 30), ("状态", 16),
)  # fmt: skip
FINDINGS_HEADER = tuple(name for name, _ in FINDINGS_COLUMNS)
PENDING = "待改"
REJECTED_LABEL = "复核不采纳"
ACCEPTED = "已接受"
DELIMITED_SHEET = "表格"  # title of the one sheet rebuilt from csv/tsv/txt
SHEET_TITLE_MAX = 31
MAX_COLUMN_WIDTH = 30

# XML 1.0 allows tab, LF, CR and U+0020 upwards, except surrogates and U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL_TITLE = re.compile(r"[\[\]:*?/\\]")

SheetMap = dict[str | None, Worksheet]  # source sheet name (None for delimited text) → worksheet
Removed = Counter[str]  # what the inert copy left out (a Chinese noun phrase) → how many

#: Hyperlink schemes a reviewer may follow; anything else (javascript:, file:, UNC, relative) is removed.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: A formula that calls a function, reaches another workbook or is a DDE link.
_ACTIVE_FORMULA = re.compile(r"[(\[|]")
#: Parts of the source that openpyxl leaves out of the copy anyway, named for the note.
_DROPPED_PARTS = (
    (re.compile(r"xl/externalLinks/externalLink\d+\.xml"), "外部工作簿链接（含 DDE）"),
    (re.compile(r"xl/connections\.xml"), "数据连接"),
    (re.compile(r"xl/queryTables/.+\.xml"), "查询表"),
    (re.compile(r"xl/vbaProject\.bin"), "宏（VBA）"),
    (re.compile(r"xl/activeX/activeX\d+\.xml"), "ActiveX 控件"),
    (re.compile(r"xl/embeddings/.+"), "嵌入对象"),
    (re.compile(r"xl/pivotTables/pivotTable\d+\.xml"), "数据透视表"),
    (re.compile(r"xl/charts/chart\d+\.xml"), "图表"),
)
INERT_NOTE = "为安全起见，此副本只保留数值，已移除："


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
    workbook, sheets, comments, removed = _open_copy(result.submission.file_format, source, data)
    _annotate_cells(sheets, result.findings, comments)
    _add_findings_sheet(workbook, sheets, result.findings, removed)
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
    """Store ``text`` in ``cell`` as a string, never a formula, whatever it starts with.

    Text that starts like a formula also gets Excel's quote prefix (the hidden ``'``), so that it
    stays text even when someone edits the cell and presses Enter.
    """
    cell.value = safe_text(text)
    cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula; this makes it text
    if cell.value.startswith(FORMULA_START) and not isinstance(cell, MergedCell):
        cell.quotePrefix = True


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


def _open_copy(
    file_format: str, source: Path, data: bytes
) -> tuple[Workbook, SheetMap, dict[Location, str], Removed]:
    """The workbook to annotate, its sheets by source name, comments of a rebuilt source, what was removed.

    A source that can no longer be read (changed or damaged since it was linted) raises ValueError.
    """
    if not file_format:
        from auditor.readers.sniff import sniff

        file_format = sniff(source, data)
    if file_format == "xlsx":
        from auditor.readers.xlsx import merges_unformatted
        from auditor.readers.xlsx_merges import clip_merges

        try:
            # Merged ranges reaching far beyond the cells are clipped as the reader clips them (openpyxl
            # would create every cell of A20:XFD1048576); no text lives beyond, so the copy loses nothing.
            data, _ = clip_merges(data)
            # Merged cells keep their own styles from the file, without openpyxl re-deriving the borders
            # of every merged range from its top-left cell (most of the load of a heavily merged sheet).
            with warnings.catch_warnings(), merges_unformatted(keep_styles=True):
                warnings.simplefilter("ignore")  # openpyxl warns about parts it does not keep: that is the point
                # data_only: formula cells carry their cached values; _make_inert handles those without one.
                workbook = load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
        except Exception as exc:  # openpyxl raises assorted errors on damaged parts
            raise ValueError(f"{source}: 无法作为 xlsx 打开（{type(exc).__name__}）") from exc
        workbook.template = False  # saved as a plain .xlsx whatever it was (.xlsm, .xltx)
        try:
            removed = _make_inert(workbook, data)
        except Exception as exc:  # a part openpyxl kept but cannot walk: no copy rather than a live one
            raise ValueError(f"{source}: 无法生成只含数值的副本（{type(exc).__name__}）") from exc
        return workbook, {sheet.title: sheet for sheet in workbook.worksheets}, {}, removed
    from auditor.readers import load_grids

    try:
        _, grids = load_grids(source)
    except InputError as error:
        raise ValueError(error.one_line()) from error
    return (*_rebuild(grids), Counter())


def _rebuild(grids: list[Grid]) -> tuple[Workbook, SheetMap, dict[Location, str]]:
    """A new workbook with one sheet per source sheet, every cell as text, merged ranges merged again.

    A grid's cells usually all come from one sheet (its name); a PDF table continued over pages is one
    grid whose cells name their own page (``第2页 表1``), so each page gets its sheet and every cell
    lands where its location says — never on top of another page's cell.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: SheetMap = {}
    taken: set[str] = set()
    notes: dict[Location, str] = {}
    for grid in grids:
        parts: dict[str | None, list[tuple[int, int, Cell]]] = {}
        for r, row in enumerate(grid.rows, start=1):
            for c, cell in enumerate(row, start=1):
                name = cell.location.sheet if cell.location is not None and cell.location.sheet else grid.name
                parts.setdefault(name, []).append((r, c, cell))
        for name, cells in parts.items():
            if name in sheets:
                _fill_sheet(sheets[name], cells)
                continue
            title = sheet_title(name or DELIMITED_SHEET, taken)
            taken.add(title.casefold())
            sheet = workbook.create_sheet(title)
            sheets[name] = sheet
            _fill_sheet(sheet, cells)
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


def _fill_sheet(sheet: Worksheet, cells: list[tuple[int, int, Cell]]) -> None:
    """Write ``(grid row, grid column, cell)`` triples at each cell's own location (its grid place when
    it has none), merging again what one merged source cell covered."""
    wrap = Stamp.register(sheet.parent, alignment=Alignment(wrap_text=True, vertical="top"))
    spans: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    widths: dict[int, int] = {}
    located = {(cell.location.row, cell.location.column) for _, _, cell in cells if cell.location is not None}
    for r, c, cell in cells:
        if cell.location is None and (r, c) in located:
            continue  # a title line read with a Word/PDF table: its grid place is a table cell's place
        anchor = (cell.location.row, cell.location.column) if cell.location else (r, c)
        spans[anchor].append((r, c))
        if cell.text and len(spans[anchor]) == 1:
            target = sheet.cell(row=anchor[0], column=anchor[1])
            put_text(target, cell.text)
            target.number_format = "@"
            wrap.apply(target)
            widths[anchor[1]] = max(widths.get(anchor[1], 0), _display_width(cell.text))
    for anchor, places in spans.items():
        _merge_if_rectangle(sheet, anchor, places)
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = min(max(width + 2, 8), MAX_COLUMN_WIDTH)


def _merge_if_rectangle(sheet: Worksheet, anchor: tuple[int, int], places: list[tuple[int, int]]) -> None:
    """Merge the places one merged source cell covered, when they form a rectangle, from its anchor
    (the grid may hold the cell elsewhere than its location: title lines above a Word table, a page)."""
    if len(places) < 2:
        return
    rows = [r for r, _ in places]
    columns = [c for _, c in places]
    top, left, bottom, right = min(rows), min(columns), max(rows), max(columns)
    if len(set(places)) != (bottom - top + 1) * (right - left + 1):
        return
    row, column = anchor
    sheet.merge_cells(
        start_row=row, start_column=column, end_row=row + bottom - top, end_column=column + right - left
    )


def _display_width(text: str) -> int:
    """Rough width of the longest line in Excel character units (CJK characters count double)."""
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in longest[:MAX_COLUMN_WIDTH])


# ---------------------------------------------------------------- values only


def _make_inert(workbook: Workbook, data: bytes) -> Removed:
    """Leave nothing in ``workbook`` (loaded ``data_only`` from ``data``) that runs, fetches or recalculates."""
    removed: Removed = Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            for pattern, what in _DROPPED_PARTS:
                if pattern.fullmatch(name):
                    removed[what] += 1
    removed["公式（以计算结果代替）"] += _replace_formulas(workbook, _formula_texts(data))
    for chartsheet in list(workbook.chartsheets):
        workbook.remove(chartsheet)  # its chart is counted with the chart parts
    for name in list(workbook.defined_names):
        if _ACTIVE_FORMULA.search(workbook.defined_names[name].attr_text or ""):
            del workbook.defined_names[name]
            removed["含函数或外部引用的名称"] += 1
    for sheet in workbook.worksheets:
        for name in list(sheet.defined_names):
            if _ACTIVE_FORMULA.search(sheet.defined_names[name].attr_text or ""):
                del sheet.defined_names[name]
                removed["含函数或外部引用的名称"] += 1
        sheet._charts = []  # series are formulas (possibly into other workbooks); counted from the parts
        sheet._pivots = []  # pivot caches refresh on load and may query a connection
        removed["条件格式（含公式）"] += _drop_active_conditional_formats(sheet)
        removed["数据验证（含公式）"] += _drop_active_validations(sheet)
        for cell in sheet._cells.values():  # only the cells the file has (never the whole used range)
            link = cell.hyperlink
            if link is not None and not _safe_link(link.target, link.location):
                cell.hyperlink = None
                removed["非 http(s)/mailto 超链接"] += 1
    workbook._external_links = []  # keep_links=False already; never any on save
    workbook.vba_archive = None
    return +removed  # zero counts dropped


def _formula_texts(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Each sheet's formulas by (row, column), streamed from the sheet parts (shared formulas expanded).

    Only the cells the file holds are visited — never the sheet's nominal extent, which a hostile
    file may claim to be A1:XFD1048576 (openpyxl's read-only rows would pad every missing cell).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    from auditor.readers.formulas import has_formulas

    formulas: dict[str, dict[tuple[int, int], str]] = {}
    if not has_formulas(data):
        return formulas
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        for sheet in source.worksheets:
            found: dict[tuple[int, int], str] = {}
            with sheet._get_source() as part:
                for _, row in WorkSheetParser(part, sheet._shared_strings, data_only=False).parse():
                    for cell in row:
                        if cell.get("data_type") == "f" and cell.get("value") is not None:
                            value = cell["value"]
                            found[(cell["row"], cell["column"])] = str(getattr(value, "text", None) or value)
            if found:
                formulas[sheet.title] = found
    finally:
        source.close()
    return formulas


def _replace_formulas(workbook: Workbook, formulas: dict[str, dict[tuple[int, int], str]]) -> int:
    """Formula cells get their cached value (already loaded), or their formula's text where there is none."""
    count = 0
    for sheet in workbook.worksheets:
        for (row, column), formula in formulas.get(sheet.title, {}).items():
            cell = sheet._cells.get((row, column))
            if cell is None or isinstance(cell, MergedCell):
                continue
            count += 1
            if cell.value is None:
                put_text(cell, formula if formula.startswith("=") else f"={formula}")
            elif isinstance(cell.value, str):
                put_text(cell, cell.value)
        for cell in sheet._cells.values():  # anything still a formula (none expected after data_only)
            if cell.data_type == "f" or isinstance(cell.value, (ArrayFormula, DataTableFormula)):
                put_text(cell, str(getattr(cell.value, "text", None) or cell.value))
                count += 1
    return count


def _drop_active_conditional_formats(sheet: Worksheet) -> int:
    """Remove conditional-format rules whose formulas call a function or reach outside the workbook."""
    kept, dropped = ConditionalFormattingList(), 0
    for formatting in sheet.conditional_formatting:
        for rule in formatting.rules:
            if any(_ACTIVE_FORMULA.search(str(formula)) for formula in rule.formula or ()):
                dropped += 1
            else:
                kept.add(str(formatting.sqref), rule)
    sheet.conditional_formatting = kept
    return dropped


def _drop_active_validations(sheet: Worksheet) -> int:
    """Remove data validations whose formulas call a function or reach outside the workbook."""
    validations = sheet.data_validations.dataValidation
    safe = [
        validation
        for validation in validations
        if not any(_ACTIVE_FORMULA.search(formula or "") for formula in (validation.formula1, validation.formula2))
    ]
    sheet.data_validations.dataValidation = safe
    return len(validations) - len(safe)


def _safe_link(target: str | None, location: str | None) -> bool:
    """A hyperlink a reviewer may follow: http(s)/mailto, or a place in this workbook."""
    if target:
        cleaned = "".join(ch for ch in target if ch.isprintable() and not ch.isspace())  # " java\tscript:"
        scheme = _SCHEME.match(cleaned)
        if scheme is None or scheme.group(1).lower() not in SAFE_SCHEMES:
            return False  # javascript:, file:, \\server\share, a relative path to a local file …
        if scheme.group(1).lower() != "mailto" and not cleaned[scheme.end() :].startswith("//"):
            return False
    return not (location and _ACTIVE_FORMULA.search(location))


def _removed_note(removed: Removed) -> str:
    return INERT_NOTE + "、".join(f"{what} {count} 处" for what, count in removed.items()) + "。"


# ---------------------------------------------------------------- marking cells


def _annotate_cells(sheets: SheetMap, findings: Iterable[Finding], comments: dict[Location, str]) -> None:
    """Colour and comment every cell with an active finding; carry over comments of a rebuilt source."""
    by_cell: dict[Location, list[Finding]] = defaultdict(list)
    for finding in findings:
        loc = finding.location
        if finding.active and loc is not None and loc.sheet in sheets:
            by_cell[_anchor(sheets[loc.sheet], loc)].append(finding)
    stamps: dict[tuple[int, Severity], Stamp] = {}  # per workbook (the sheets may come from several)
    for loc, cell_findings in by_cell.items():
        cell = sheets[loc.sheet].cell(row=loc.row, column=loc.column)
        existing = cell.comment.text if cell.comment is not None else comments.get(loc)
        worst = max(cell_findings, key=lambda finding: finding.severity.rank).severity
        workbook = sheets[loc.sheet].parent
        stamp = stamps.get((id(workbook), worst))
        if stamp is None:
            stamp = stamps[(id(workbook), worst)] = Stamp.register(workbook, fill=SEVERITY_FILLS[worst])
        stamp.apply(cell)
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
    tail = f"{ELLIPSIS}（共 {len(entries)} 条，见“问题清单”工作表）"
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


def _add_findings_sheet(
    workbook: Workbook, sheets: SheetMap, findings: list[Finding], removed: Removed | None = None
) -> Worksheet:
    """One row per finding (accepted ones too), header frozen, filterable, linked to each cell.

    Below them, after an empty row, a note of what the inert copy removed (when it removed anything).
    """
    taken = {title.casefold() for title in workbook.sheetnames}
    title = FINDINGS_SHEET if FINDINGS_SHEET not in taken else sheet_title(FINDINGS_SHEET_FALLBACK, taken)
    sheet = workbook.create_sheet(title)
    for column, (name, width) in enumerate(FINDINGS_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[column_letter(column)].width = width
    wrap = Stamp.register(workbook, alignment=Alignment(wrap_text=True, vertical="top"))
    link = Stamp.register(workbook, font=LINK_FONT)
    # One cause (one rule on one text) is read once: its first row names the other places; the rows of
    # the other places stay (for filters) but are folded away (Excel's row grouping, “+” to unfold).
    grouped = causes(findings)
    first_of = {id(other): cause.first for cause in grouped for other in cause.others}
    others_of = {id(cause.first): cause.others for cause in grouped}
    for row, finding in enumerate(findings, start=2):
        first = first_of.get(id(finding))
        same = f"同 {place_label(first)}" if first is not None else recurs_in(others_of.get(id(finding), []), 20)
        if first is not None:
            sheet.row_dimensions[row].outlineLevel = 1
            sheet.row_dimensions[row].hidden = True
        write_row(sheet, row, [*_finding_values(finding)[:-1], same, status(finding)], wrap)
        _link_cell(sheet.cell(row=row, column=FINDINGS_HEADER.index("单元格") + 1), finding.location, sheets, link)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(FINDINGS_HEADER))}{len(findings) + 1}"
    if removed:
        put_text(sheet.cell(row=len(findings) + 3, column=1), _removed_note(removed))
    return sheet


def write_row(sheet: Worksheet, row: int, values: list[Any], style: Stamp) -> None:
    """One listing row: numbers as numbers, text stored as text (never a formula), every cell styled."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, int):
            cell.value = value
        elif value:
            put_text(cell, value)
        style.apply(cell)


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
    """待改 for a finding that counts, 已接受（理由） for one accepted in the source or a baseline,
    复核不采纳（理由） for one the reviewer rejected."""
    if finding.active:
        return PENDING
    if finding.suppression is not None and finding.suppression.kind == "review":
        reason = finding.suppression.reason
        return f"{REJECTED_LABEL}（{reason}）" if reason else REJECTED_LABEL
    reason = accepted(finding)
    return ACCEPTED if reason in ("", ACCEPTED) else f"{ACCEPTED}（{reason}）"


def _link_cell(cell: XlCell, location: Location | None, sheets: SheetMap, link: Stamp) -> None:
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
    link.apply(cell)


# ---------------------------------------------------------------- saving


def _save_atomically(workbook: Workbook, destination: Path) -> None:
    """Save to a temporary file beside ``destination``, then move it into place in one step."""
    # No recalculation on load (openpyxl's default asks for one; there is nothing to calculate).
    workbook.calculation = CalcProperties(fullCalcOnLoad=None)
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
