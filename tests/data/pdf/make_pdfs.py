"""The PDF fixtures of ``tests/data/pdf/`` (see README.md there): how each was made.

* ``corpus-NAME.pdf`` / ``real-NAME.pdf``: the workbook ``corpus/NAME.xlsx`` / ``corpus/real/NAME.xlsx``
  printed to PDF by LibreOffice (``soffice --headless --convert-to pdf``), after a print setup that a
  unit publishing its table would make: every used cell bordered (the ruling lines) and wrapped, row
  heights left to LibreOffice, landscape A4 scaled to one page wide (a sheet wider than the page
  would otherwise continue on further pages, column by column); the wide layouts repeat their
  header rows on every page (the reader drops them when it joins the pages). The Word table
  ``corpus/water-2023-standard.docx`` and the xls ``corpus/agri-2021-standard.xls`` are printed as
  they are (the xls through an xlsx copy for the print setup).
* ``noline-NAME.pdf``: a table drawn without ruling lines by reportlab (another producer; the CJK
  text in its built-in ``STSong-Light`` CID font), cells placed by position only.
* ``scan.pdf``: one page holding only an image of a table (no text layer), by reportlab.
* ``juesuan-multi.pdf``: a 决算公开-like document by reportlab: a 收入支出决算总表 and a
  支出决算表 (ruled), then a self-evaluation table (from ``corpus/clean-2022-standard.xlsx``).

Run from the repository root: ``.venv/bin/python tests/data/pdf/make_pdfs.py`` (needs LibreOffice
for the exports and reportlab for the others; writes into this folder).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CORPUS = ROOT / "corpus"
#: Workbooks printed to PDF (corpus/ and corpus/real/), and the documents printed as they are.
WORKBOOKS = sorted(CORPUS.glob("*.xlsx")) + sorted((CORPUS / "real").glob("*.xlsx"))
AS_IS = [CORPUS / "water-2023-standard.docx"]
VIA_XLSX = [CORPUS / "agri-2021-standard.xls"]
#: Wide layouts: rows repeated at the top of every page (their three header rows).
REPEAT = {"culture-2022-wide": "1:5", "housing-2021-wide-defects": "1:5"}


def pdf_name(source: Path) -> str:
    prefix = "real" if source.parent.name == "real" else "corpus"
    return f"{prefix}-{source.stem}.pdf"


def _soffice(source: Path, target: str, out: Path) -> Path:
    profile = (out / ".profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir", str(out),
         str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


def print_setup(source: Path, target: Path) -> None:
    """A copy of the workbook as a unit would print it: ruled, wrapped, one page wide."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    workbook = openpyxl.load_workbook(source)
    thin = Side(style="thin")
    for sheet in workbook.worksheets:
        height, width = sheet.max_row, sheet.max_column
        first = _first_table_row(sheet)
        for row in sheet.iter_rows(min_row=first, max_row=height, max_col=width):
            for cell in row:
                alignment = cell.alignment
                cell.alignment = Alignment(
                    horizontal=alignment.horizontal, vertical=alignment.vertical or "center", wrap_text=True
                )
        for row in sheet.iter_rows(min_row=first, max_row=height, max_col=width):
            for cell in row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        _fit_rows(sheet, first, height, width)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_area = None
        if source.stem in REPEAT:
            sheet.print_title_rows = REPEAT[source.stem]
    workbook.save(target)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fit_rows(sheet: object, first: int, height: int, width: int) -> None:
    """Row heights that show every wrapped line (LibreOffice keeps the heights a workbook gives)."""
    from openpyxl.utils import get_column_letter

    widths = {}
    for c in range(1, width + 1):
        dimension = sheet.column_dimensions.get(get_column_letter(c))  # type: ignore[attr-defined]
        widths[c] = dimension.width if dimension is not None and dimension.width else 8.43
    spans = {}
    for merged in sheet.merged_cells.ranges:  # type: ignore[attr-defined]
        rows = merged.max_row - merged.min_row + 1
        spans[(merged.min_row, merged.min_col)] = (
            rows,
            sum(widths.get(c, 8.43) for c in range(merged.min_col, merged.max_col + 1)),
        )
    need = {r: 1.0 for r in range(1, height + 1)}
    for row in sheet.iter_rows(min_row=1, max_row=height, max_col=width):  # type: ignore[attr-defined]
        for cell in row:
            if cell.value is None or not hasattr(cell, "column") or cell.row < first:
                continue
            rows, chars = spans.get((cell.row, cell.column), (1, widths.get(cell.column, 8.43)))
            usable = max(chars - 1.5, 2)
            lines = sum(max(1, -(-_display_width(part) // int(usable))) for part in str(cell.value).split("\n"))
            need[cell.row] = max(need[cell.row], lines / rows)
    for r, lines in need.items():
        sheet.row_dimensions[r].height = round(lines * 14.5 + 4, 1)  # type: ignore[attr-defined]


def _first_table_row(sheet: object) -> int:
    """The first row with more than one text: the title lines above it stay unruled."""
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        if sum(1 for cell in row if cell.value is not None and str(cell.value).strip()) > 1:
            return row[0].row
    return 1


def export_all(folder: Path = HERE) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for source in VIA_XLSX:
            copy = _soffice(source, "xlsx", work)
            renamed = work / f"{source.stem}.via.xlsx"
            copy.rename(renamed)
            staged = work / f"{source.stem}.xlsx"
            print_setup(renamed, staged)
            written.append(_pdf(staged, folder / pdf_name(source), work))
        for source in WORKBOOKS:
            staged = work / source.name
            print_setup(source, staged)
            written.append(_pdf(staged, folder / pdf_name(source.parent / source.name), work, source))
        for source in AS_IS:
            written.append(_pdf(source, folder / pdf_name(source), work))
    return written


def _pdf(staged: Path, target: Path, work: Path, source: Path | None = None) -> Path:
    out = work / "pdf"
    out.mkdir(exist_ok=True)
    made = _soffice(staged, "pdf", out)
    shutil.move(made, target)
    return target


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    only = sys.argv[1:]
    if not only or "export" in only:
        for path in export_all():
            print(path.relative_to(ROOT), path.stat().st_size)
    if not only or "reportlab" in only:
        from tests.data.pdf import drawn

        for path in drawn.write_all(HERE):
            print(path.relative_to(ROOT), path.stat().st_size)
