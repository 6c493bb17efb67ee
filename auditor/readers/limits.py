"""Limits that keep hostile or broken files from exhausting the machine.

Every limit has a default that no genuine 绩效自评表 comes near, can be changed in the
configuration (``[tool.auditor.limits]``), and when breached gives a one-line error naming the
file and the limit — never a crash, never a hang. See ``docs/security.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class Limits:
    max_file_mb: float = 200.0  # size of the input file (and of standard input)
    max_uncompressed_mb: float = 100.0  # xlsx/docx: sum of the zip members' sizes, declared and actual
    max_compression_ratio: float = 200.0  # xlsx/docx: uncompressed ÷ compressed, per member
    max_zip_members: int = 10_000
    max_sheets: int = 200  # worksheets or Word tables
    max_rows: int = 100_000  # rows per sheet (the extent that is read, not the sheet's nominal size)
    max_columns: int = 1_000  # columns per sheet, table or CSV row; cells beyond are not read
    max_cells: int = 300_000  # cells stored in one file (counted in the XML before any parser runs)
    max_merged_cells: int = 2_000  # merged ranges per sheet; each is clipped to the cells actually there
    max_line_chars: int = 4_000_000  # CSV/TSV: one line (a long cell is cut with a notice; this refuses)
    max_cell_chars: int = 20_000  # longer cell text is cut (with a notice), not rejected
    max_empty_run: int = 1_000  # consecutive empty rows after which a sheet is taken to end
    max_pdf_pages: int = 500  # PDF: pages (the page tree's /Count, then the pages walked)
    max_pdf_objects: int = 200_000  # PDF: indirect objects, counted in the file and its object streams
    max_pdf_inflated_mb: float = 200.0  # PDF: all Flate streams inflated, counted chunk by chunk before parsing
    max_pdf_nesting: int = 200  # PDF: arrays/dictionaries nested inside one another
    max_page_seconds: float = 10.0  # PDF: time to read one page
    max_convert_seconds: float = 120.0  # .doc/.wps/.et: time LibreOffice may take to convert one file


LIMITS = Limits()

#: Configuration names (kebab-case) of the limits.
NAMES = {f.name.replace("_", "-"): f.name for f in fields(Limits)}


def set_limits(values: dict[str, float]) -> None:
    """Apply configured limits (unknown names are rejected by the configuration loader)."""
    fresh = Limits()
    for name, value in values.items():
        attribute = NAMES[name]
        setattr(fresh, attribute, type(getattr(fresh, attribute))(value))
    for f in fields(Limits):
        setattr(LIMITS, f.name, getattr(fresh, f.name))
