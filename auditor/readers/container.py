"""Inspect an xlsx/docx zip container before any parser opens it.

Rejects zip bombs (members that inflate beyond the size or ratio limits, too many members) and
XML with a document type declaration — OOXML parts never have one, and a DTD is how entity
expansion (billion laughs) and external entities get in. Reading only the zip directory and the
first bytes of each XML member keeps this cheap and bounded.
"""

from __future__ import annotations

import io
import re
import zipfile

from auditor.errors import InputError
from auditor.readers.limits import LIMITS

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_CELL = re.compile(rb"<(?:\w+:)?c[ >/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell[ >/]")
_TABLE = re.compile(rb"<w:tbl[ >]")
_SPAN = re.compile(rb'<w:gridSpan\s+w:val="(\d+)"')
_CHUNK = 1 << 20
_OVERLAP = 64
#: Bytes of each XML member scanned for a DTD (it must come before the root element).
_HEAD = 8192


def check_container(path: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError("E104", path, "压缩包结构损坏（文件可能被截断）") from exc
    with archive:
        members = archive.infolist()
        if len(members) > LIMITS.max_zip_members:
            raise InputError("E109", path, f"压缩包内有 {len(members)} 个文件，超过上限 {LIMITS.max_zip_members}")
        total = sum(member.file_size for member in members)
        if total > LIMITS.max_uncompressed_mb * 2**20:
            raise InputError(
                "E109",
                path,
                f"解压后共 {total / 2**20:.0f} MB，超过上限 {LIMITS.max_uncompressed_mb:g} MB（疑似压缩炸弹）",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 2**20 and ratio > LIMITS.max_compression_ratio:
                limit = f"{LIMITS.max_compression_ratio:g}:1"
                detail = f"“{member.filename}”压缩比 {ratio:.0f}:1，超过上限 {limit}（疑似压缩炸弹）"
                raise InputError("E109", path, detail)
            if member.filename.endswith((".xml", ".rels", ".vml")):
                try:
                    with archive.open(member) as handle:
                        head = handle.read(_HEAD)
                except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
                    raise InputError("E104", path, f"“{member.filename}”无法解压（{type(exc).__name__}）") from exc
                if _DTD.search(head):
                    raise InputError("E112", path, f"“{member.filename}”含有 DTD/实体声明（可能是实体膨胀攻击）")
        _scan_parts(path, archive, members)


def _scan_parts(path: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Stream the sheets and the Word body once, counting before any parser builds anything.

    The zip directory's sizes can lie and small members escape a ratio check, so the inflated bytes
    are counted as they stream (summed over every member read). Worksheets give their cell and merge
    counts, the Word body its tables and widest gridSpan. Memory stays one chunk per member.
    """
    budget = LIMITS.max_uncompressed_mb * 2**20
    inflated = 0
    cells = 0
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    if len(sheets) > LIMITS.max_sheets:
        raise InputError("E109", path, f"共 {len(sheets)} 个工作表，超过上限 {LIMITS.max_sheets}")
    body = [m for m in members if m.filename == "word/document.xml"]
    for member in sheets + body:
        counts = {"cells": 0, "merges": 0, "tables": 0, "span": 0}
        tail = b""
        try:
            with archive.open(member) as handle:
                while chunk := handle.read(_CHUNK):
                    inflated += len(chunk)
                    if inflated > budget:
                        detail = f"解压后超过 {LIMITS.max_uncompressed_mb:g} MB（疑似压缩炸弹）"
                        raise InputError("E109", path, detail)
                    window = tail + chunk
                    # Count only matches that start in this chunk (the overlap was counted before).
                    start = len(tail)
                    counts["cells"] += sum(1 for m in _CELL.finditer(window) if m.end() > start)
                    counts["merges"] += sum(1 for m in _MERGE.finditer(window) if m.end() > start)
                    counts["tables"] += sum(1 for m in _TABLE.finditer(window) if m.end() > start)
                    spans = [int(m.group(1)) for m in _SPAN.finditer(window) if m.end() > start]
                    counts["span"] = max([counts["span"], *spans])
                    tail = window[-_OVERLAP:]
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
            raise InputError("E104", path, f"“{member.filename}”无法解压（{type(exc).__name__}）") from exc
        cells += counts["cells"]
        if cells > LIMITS.max_cells:
            raise InputError("E109", path, f"单元格超过 {LIMITS.max_cells} 个（上限），未读取")
        if counts["merges"] > LIMITS.max_merged_cells:
            detail = f"“{member.filename}”有 {counts['merges']} 个合并单元格区域，超过上限 {LIMITS.max_merged_cells}"
            raise InputError("E109", path, detail)
        if counts["tables"] > LIMITS.max_sheets:
            raise InputError("E109", path, f"共 {counts['tables']} 个表格，超过上限 {LIMITS.max_sheets}")
        if counts["span"] > LIMITS.max_columns:
            detail = f"表格单元格跨 {counts['span']} 列（gridSpan），超过上限 {LIMITS.max_columns}"
            raise InputError("E109", path, detail)
