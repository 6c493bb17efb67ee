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
