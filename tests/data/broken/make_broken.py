"""Regenerate the committed corpus of broken and hostile files (run from the repository root).

Each file is something a reader meets in the wild: a truncated download, a renamed file, binary
garbage, a password-protected workbook, a zip bomb, an entity-expansion ("billion laughs") xlsx.
Usage: python tests/data/broken/make_broken.py   (needs msoffcrypto-tool for the encrypted file)
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"
SOURCE = CORPUS / "culture-2022-wide.xlsx"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>
"""


def rewrite(source: Path, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def main() -> None:
    data = SOURCE.read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (HERE / "not-a-zip.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"garbage")
    (HERE / "garbage.csv").write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096)))
    (HERE / "word-renamed.xlsx").write_bytes((CORPUS / "water-2023-standard.docx").read_bytes())
    (HERE / "empty.xlsx").write_bytes(b"")
    (HERE / "billion-laughs.xlsx").write_bytes(rewrite(SOURCE, {"xl/sharedStrings.xml": BILLION_LAUGHS}))
    # 43 MB of blanks inside a worksheet: a ~42 KB file that inflates a thousandfold.
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    sheet += b" " * (43 * 2**20) + b"</sheetData></worksheet>"
    (HERE / "zip-bomb.xlsx").write_bytes(rewrite(SOURCE, {"xl/worksheets/sheet1.xml": sheet}))
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile

        encrypted = io.BytesIO()
        OOXMLFile(io.BytesIO(data)).encrypt("secret", encrypted)
        (HERE / "password-protected.xlsx").write_bytes(encrypted.getvalue())
        del msoffcrypto
    except ImportError:
        print("msoffcrypto-tool not installed: password-protected.xlsx not regenerated")
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py":
            print(f"{path.name:28} {path.stat().st_size:>9} bytes")


if __name__ == "__main__":
    main()
