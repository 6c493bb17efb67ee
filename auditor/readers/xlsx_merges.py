"""Clip merged ranges that reach far beyond a sheet's cells, before openpyxl expands them.

openpyxl turns every cell of a merged range into an object when it loads a sheet, so one
``<mergeCell ref="A20:XFD1048576"/>`` in a 7 KB file asks for 17 billion of them. A range is clipped
to the sheet's last row and column that hold a cell (no text lives beyond them, so nothing is lost)
when its area exceeds ``max_cells``; the workbook is re-packed in memory with the clipped references
and a notice says so. Sheets without such ranges are left byte for byte as they were.
"""

from __future__ import annotations

import io
import re
import zipfile

from auditor.model import column_letter
from auditor.readers.limits import LIMITS

_MERGE = re.compile(rb'(<(?:\w+:)?mergeCell\s[^>]*?ref=")([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})(")')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,7})"')


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def clip_merges(data: bytes) -> tuple[bytes, list[str]]:
    """The workbook with oversized merged ranges clipped, and a notice per clipped range."""
    notices: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        patched: dict[str, bytes] = {}
        for info in infos:
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(info)
            if b"mergeCell" not in xml:
                continue
            merges = list(_MERGE.finditer(xml))
            big = [m for m in merges if _area(m) > LIMITS.max_cells]
            if not big:
                continue
            last_row, last_col = 1, 1
            for cell in _CELL_REF.finditer(xml):
                last_col = max(last_col, _column(cell.group(1)))
                last_row = max(last_row, int(cell.group(2)))

            def clip(match: re.Match[bytes], last_row: int = last_row, last_col: int = last_col) -> bytes:
                if _area(match) <= LIMITS.max_cells:
                    return match.group(0)
                first_col, first_row = _column(match.group(2)), int(match.group(3))
                end_col = max(first_col, min(_column(match.group(4)), last_col))
                end_row = max(first_row, min(int(match.group(5)), last_row))
                ref = f"{match.group(2).decode()}{first_row}:{column_letter(end_col)}{end_row}"
                original = b"%s%s:%s%s" % (match.group(2), match.group(3), match.group(4), match.group(5))
                notices.append(f"合并区域 {original.decode()} 远超表格范围，已按表格实际范围 {ref} 读取")
                return match.group(1) + ref.encode() + match.group(6)

            patched[name] = _MERGE.sub(clip, xml)
        if not patched:
            return data, notices
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                target.writestr(info, patched.get(info.filename) or archive.read(info))
    return out.getvalue(), notices


def _area(match: re.Match[bytes]) -> int:
    rows = abs(int(match.group(5)) - int(match.group(3))) + 1
    columns = abs(_column(match.group(4)) - _column(match.group(2))) + 1
    return rows * columns
