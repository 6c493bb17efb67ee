"""Choose a reader by what the file contains, not only by its extension."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from auditor.errors import InputError
from auditor.readers.container import check_container

SUPPORTED_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xls", ".docx", ".csv", ".tsv", ".txt", ".pdf", ".html", ".htm", ".doc", ".wps", ".et"}
)
#: Old office files converted by LibreOffice (``readers/office.py``): suffix → the format converted to.
OLD_OFFICE = {".doc": "docx", ".wps": "docx", ".et": "xlsx"}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes) -> str:
    """The format of a file: ``xlsx``, ``xls``, ``docx``, ``doc`` (Word 97-2003/WPS, converted), ``et``
    (WPS spreadsheet, converted), ``pdf``, ``html`` or ``text``; raises :class:`InputError`."""
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
            return "doc"
        if path.suffix.lower() == ".et":
            return "et"
        return "xls"
    if data[:1024].lstrip(b"\x00\t\n\r\x0c ").startswith(b"%PDF"):
        return "pdf"
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    # Only a document that starts like markup is a web page; a CSV whose text mentions <table> is a CSV.
    if head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<table", b"<!doctype html")):
        return "html"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        wide = data[2:8192].decode("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be", "ignore")
        if wide.lstrip().lower().startswith("<") and any(t in wide.lower() for t in ("<html", "<table")):
            return "html"  # a web page saved as UTF-16 (Excel's 另存为网页 can)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("E105", name, "二进制文件，不是表格")
    return "text"
