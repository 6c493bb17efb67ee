"""Choose a reader by what the file contains, not only by its extension."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from auditor.errors import InputError
from auditor.readers.container import check_container

SUPPORTED_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".docx", ".csv", ".tsv", ".txt"})

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes) -> str:
    """The format of a file: ``xlsx``, ``xls``, ``docx`` or ``text``; raises :class:`InputError`."""
    name = str(path)
    if not data.strip():
        raise InputError("E102", name)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        check_container(name, data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        raise InputError("E105", name, "压缩包中既不是 Excel 也不是 Word 文档")
    if data.startswith(_OLE):
        utf16 = lambda s: s.encode("utf-16-le")  # noqa: E731
        if utf16("EncryptionInfo") in data or utf16("EncryptedPackage") in data:
            raise InputError("E103", name)
        if utf16("WordDocument") in data:
            raise InputError("E105", name, "Word 97-2003（.doc）文档，请另存为 .docx")
        return "xls"
    if data.startswith(b"%PDF"):
        raise InputError("E105", name, "PDF 文件，请先导出为 Excel 或文本")
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    # Only a document that starts like markup is a web page; a CSV whose text mentions <table> is a CSV.
    if head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<table", b"<!doctype html")):
        raise InputError("E105", name, "HTML 网页（常见于另存为 .xls 的网页表格），请用 Excel 另存为 .xlsx")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("E105", name, "二进制文件，不是表格")
    return "text"
