"""Hostile PDFs, written byte by byte on demand (nothing large is committed).

Each function writes one file into a folder and returns its path: an object bomb (hundreds of
thousands of tiny objects), a page bomb (a page tree declaring a million pages), a deeply nested
array, and a Flate stream inflating to hundreds of MB from a few hundred KB.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path


def _pdf(objects: list[bytes], extra: bytes = b"") -> bytes:
    """A PDF holding ``objects`` as objects 1…n (a cross-reference table that pdfminer can use)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += extra
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"


def _content(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def object_bomb(folder: Path) -> Path:
    path = folder / "object-bomb.pdf"
    filler = b"".join(b"%d 0 obj null endobj\n" % n for n in range(10, 300_010))
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    path.write_bytes(_pdf([_CATALOG, pages, _PAGE, _content(b"BT ET")], filler))
    return path


def page_bomb(folder: Path) -> Path:
    path = folder / "page-bomb.pdf"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>"
    path.write_bytes(_pdf([_CATALOG, pages, _PAGE, _content(b"BT ET")]))
    return path


def deep_nesting(folder: Path) -> Path:
    path = folder / "deep-nesting.pdf"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Deep " + b"[" * 200_000 + b"]" * 200_000 + b" >>"
    path.write_bytes(_pdf([_CATALOG, pages, _PAGE, _content(b"BT ET")]))
    return path


def inflate_bomb(folder: Path) -> Path:
    """A content stream of 400 MB of spaces, a few hundred KB compressed."""
    path = folder / "inflate-bomb.pdf"
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    packed = b"".join(compressor.compress(block) for _ in range(400)) + compressor.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    path.write_bytes(_pdf([_CATALOG, pages, _PAGE, stream]))
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "object-bomb": object_bomb,
    "page-bomb": page_bomb,
    "deep-nesting": deep_nesting,
    "inflate-bomb": inflate_bomb,
}
