"""Hostile inputs against the outputs (issue 13, parts 1 and 4).

* the annotated copy carries values only (checked on the XML of the written file);
* text, github, CSV, Markdown, score and clones output carry no terminal escapes or controls, and no
  CSV cell starts like a formula;
* third-party chatter (xlrd's WARNING lines) never reaches stdout, so JSON/SARIF stay valid;
* a file name that is not UTF-8 is shown escaped and crashes nothing; SARIF locations are URIs.

The files come from ``tests/data/hostile/make_hostile.py``, written into each test's folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.config import load_config
from auditor.reporters.annotated_xlsx import INERT_NOTE, write_annotated
from auditor.reporters.sanitize import csv_cell, display, json_text
from auditor.reporters.sarif import artifact_location
from auditor.run import run
from tests.conftest import ROOT
from tests.data.hostile import make_hostile

#: Nothing a terminal acts on: C0 except tab/LF/CR (CR ends CSV rows), DEL, C1, bidi overrides/isolates.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_REL = f"{R_NS}/hyperlink"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    assert "内部错误" not in result.stderr, result.stderr
    return result.exit_code, result.stdout_bytes, result.stderr


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------- part 1: inert annotated copies


def assert_inert(path: Path) -> dict[str, bytes]:
    """The written workbook, checked part by part on its XML; returns its parts."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    names = "\n".join(parts)
    for forbidden in ("externalLink", "connections", "queryTable", "vbaProject", "pivot", "activeX", "embeddings",
                      "charts/"):  # fmt: skip
        assert forbidden not in names, (forbidden, names)
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        tree = ElementTree.fromstring(data)
        for element in tree.iter():
            assert local(element.tag) != "f", (name, "formula element")
            assert local(element.tag) not in ("externalReference", "externalReferences", "ddeLink", "oleObject")
            assert element.get("fullCalcOnLoad") in (None, "0", "false"), name
            assert element.get("forceFullCalc") in (None, "0", "false"), name
            if local(element.tag) == "Relationship" and element.get("Type") == HYPERLINK_REL:
                target = element.get("Target", "")
                assert urlsplit(target).scheme in ("http", "https", "mailto"), target
                if urlsplit(target).scheme != "mailto":
                    assert target.startswith(("http://", "https://")), target
            if local(element.tag) == "Relationship":
                assert element.get("TargetMode") != "External" or element.get("Type") == HYPERLINK_REL, element.attrib
            if local(element.tag) == "hyperlink" and element.get(f"{{{R_NS}}}id") is None:
                assert element.get("location") and "[" not in element.get("location", ""), element.attrib
            if local(element.tag) in ("definedName", "formula", "formula1", "formula2"):
                assert not re.search(r"[(\[|]", element.text or ""), (name, element.text)
    assert b"fullCalcOnLoad" not in parts["xl/workbook.xml"]
    return parts


def test_annotated_copy_carries_values_only(tmp_path: Path) -> None:
    source = make_hostile.formulas_and_links(tmp_path)
    before = digest(source)
    started = time.perf_counter()
    code, _, stderr = invoke("report", "--isolated", "-q", "--no-html", str(source), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    assert time.perf_counter() - started < 10
    assert digest(source) == before
    copy = tmp_path / "out" / "annotated" / "formulas-links.annotated.xlsx"
    assert_inert(copy)

    workbook = openpyxl.load_workbook(copy)
    sheet = workbook.worksheets[0]
    column = openpyxl.load_workbook(make_hostile.WIDE_XLSX).worksheets[0].max_column + 3
    values = [sheet.cell(row=row, column=column) for row in range(1, len(make_hostile.FORMULAS) + 1)]
    for cell, (formula, cached) in zip(values, make_hostile.FORMULAS.values(), strict=True):
        if cached is None:  # no cached value: the formula's text, as a string that stays text when edited
            assert cell.value == formula and cell.data_type == "s" and cell.quotePrefix
        else:
            assert str(cell.value) == cached and cell.data_type == "n"
    links = {
        sheet.cell(row=row, column=column + 1).hyperlink.target
        for row in range(1, len(make_hostile.LINKS) + 1)
        if sheet.cell(row=row, column=column + 1).hyperlink is not None
    }
    assert links == {target for target, safe in make_hostile.LINKS.items() if safe}
    inside = sheet.cell(row=len(make_hostile.LINKS) + 1, column=column + 1).hyperlink
    assert inside is not None and inside.location  # a link to a place in the copy itself stays
    assert list(workbook.defined_names) == ["表头"]
    assert not sheet.conditional_formatting and not sheet.data_validations.dataValidation
    note = [cell.value for row in workbook["问题清单"].iter_rows() for cell in row if cell.value]
    note = [value for value in note if str(value).startswith(INERT_NOTE)]
    assert len(note) == 1
    for what in ("外部工作簿链接", "数据连接", "宏（VBA）", "公式（以计算结果代替） 6 处", "mailto 超链接 5 处"):
        assert what in note[0], (what, note[0])


def test_annotated_copy_drops_a_dde_link_part(tmp_path: Path) -> None:
    """Excel's DDE externalLink part (which openpyxl cannot even load with links kept) is dropped too."""
    readable = make_hostile.formulas_and_links(tmp_path)
    report = run(load_config(None), [readable]).report
    assert not report.errors
    with_dde = make_hostile.formulas_and_links(tmp_path, "dde.xlsx", dde_link=True)
    with zipfile.ZipFile(with_dde) as archive:
        assert "xl/externalLinks/externalLink2.xml" in archive.namelist()
    before = digest(with_dde)
    copy = write_annotated(report.files[0], with_dde, tmp_path / "dde.annotated.xlsx")
    assert_inert(copy)
    assert digest(with_dde) == before


def test_rebuilt_copy_does_not_recalculate(tmp_path: Path) -> None:
    source = make_hostile.escape_sequences(tmp_path)[0]
    report = run(load_config(None), [source]).report
    copy = write_annotated(report.files[0], source, tmp_path / "rebuilt.xlsx")
    parts = assert_inert(copy)
    assert b"\x1b" not in b"".join(parts.values())  # XML cannot carry ESC: removed, never a broken file
    assert INERT_NOTE not in parts.get("xl/sharedStrings.xml", b"").decode() + str(parts)


# ---------------------------------------------------------------- part 1: clean text outputs


def assert_clean_text(data: bytes, what: str) -> str:
    text = data.decode("utf-8")  # valid UTF-8
    found = UNSAFE.search(text)
    assert found is None, (what, repr(text[max(found.start() - 40, 0) : found.end() + 40]))
    return text


def assert_clean_csv(data: bytes, what: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(assert_clean_text(data, what).lstrip("\ufeff"))))
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START), (what, value)
    return rows


def test_text_outputs_carry_no_escapes_or_formulas(tmp_path: Path) -> None:
    paths = [str(path) for path in make_hostile.escape_sequences(tmp_path)]
    for fmt in ("text", "github"):
        code, out, _ = invoke("lint", "--isolated", "--format", fmt, *paths)
        assert code == 1
        assert "HYPERLINK" in assert_clean_text(out, fmt)  # the text is there, only made harmless
    code, out, _ = invoke("lint", "--isolated", *paths)
    assert "农村公路养护工程" in out.decode("utf-8")  # the project name, its escapes gone
    code, out, _ = invoke("lint", "--isolated", "-q", *paths)
    assert_clean_text(out, "quiet text")
    code, out, _ = invoke("lint", "--isolated", "--format", "csv", *paths)
    rows = assert_clean_csv(out, "lint csv")
    assert any(value.startswith("'=HYPERLINK") for row in rows for value in row)
    assert any(value.startswith("'-2+3+cmd") for row in rows for value in row)
    assert any(value.startswith("'@SUM") for row in rows for value in row)
    for fmt in ("json", "sarif"):
        code, out, _ = invoke("lint", "--isolated", "--format", fmt, *paths)
        json.loads(out)
        assert not re.search("[\x7f-\x9f\u2028\u2029]", out.decode("utf-8"))  # C1 written as \u escapes
    code, out, _ = invoke("score", "--isolated", "-q", *paths)
    assert code == 0 and "农村公路养护工程" in assert_clean_text(out, "score text")
    code, out, _ = invoke("score", "--isolated", "-q", "--format", "csv", *paths)
    assert_clean_csv(out, "score csv")
    code, out, _ = invoke("clones", "--format", "csv", *paths)
    rows = assert_clean_csv(out, "clones csv")
    planted = [value for row in rows for value in row if "cmd|" in value or "HYPERLINK" in value]
    assert planted and all(value.startswith("'") for value in planted)
    code, out, _ = invoke("clones", *paths)
    assert code == 0 and "簇" in assert_clean_text(out, "clones text")
    code, out, _ = invoke("clones", "--format", "json", *paths)
    assert "cmd|" in json.dumps(json.loads(out), ensure_ascii=False)
    code, _, stderr = invoke("report", "--isolated", "-q", *paths, "-o", str(tmp_path / "report"))
    assert code == 0, stderr
    assert_clean_text((tmp_path / "report" / "summary.md").read_bytes(), "summary.md")
    assert_clean_csv((tmp_path / "report" / "summary.csv").read_bytes(), "summary.csv")


def test_sanitiser() -> None:
    assert display("a\x1b]0;title\x07b\x1b]52;c;ZXZpbA==\x1b\\c") == "abc"
    assert display("\x1b]8;;http://e/\x1b\\链接\x1b]8;;\x1b\\") == "链接"
    assert display("\x1b[2J\x1b[1;31m红\x1b[0m\x9b31m\x9d0;t\x9c") == "红"
    assert display("a\u202eb\x00c\x7fd\x85e") == "abcde"
    assert display("行一\n\t行二\r") == "行一\n\t行二"
    assert display("a\tb\nc", newline=False, tab=False) == "ab c"
    # An unterminated string command loses its introducer only: the rest of the output survives.
    assert display("\x1b]0;no end\n第二行") == "0;no end\n第二行"
    assert display("x\udcbd\udcbb.csv\ud800") == "x\\xbd\\xbb.csv\ufffd"
    assert csv_cell("\x1b[0m=1+1") == "'=1+1" and csv_cell("-5") == "'-5" and csv_cell("正文") == "正文"
    serialised = json_text(json.dumps({"k": "a\x85\u2028\udcbd"}, ensure_ascii=False))
    assert json.loads(serialised) == {"k": "a\x85\u2028\\xbd"}
    from auditor.progress import _short

    assert _short("表\x1b]0;pwned\x07\udcbd.csv") == "表\\xbd.csv"  # the progress bar's file name
    started = time.perf_counter()
    for hostile in ("\x1b]" * 100_000, "\x9d" * 100_000, "\x1b[" + "1;" * 100_000, "\x1bP" * 100_000):
        assert UNSAFE.search(display(hostile)) is None
    assert time.perf_counter() - started < 2  # linear, not quadratic


# ---------------------------------------------------------------- part 4: clean machine output


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_xlrd_chatter_never_reaches_stdout(fmt: str, tmp_path: Path) -> None:
    """In a real process: xlrd's default logfile is the sys.stdout it saw at import, which CliRunner cannot catch."""
    path = make_hostile.chatty_xls(tmp_path)
    import xlrd

    noisy = io.StringIO()
    xlrd.open_workbook(file_contents=path.read_bytes(), logfile=noisy, on_demand=True)
    assert "WARNING" in noisy.getvalue()  # the file does make xlrd talk
    before = digest(path)
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "lint", "--isolated", "--format", fmt, str(path)],
        capture_output=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr.decode()
    assert b"WARNING" not in done.stdout
    document = json.loads(done.stdout)
    if fmt == "json":
        assert document["files"][0]["format"] == "xls"
    assert digest(path) == before


def test_undecodable_file_name_is_escaped_everywhere(tmp_path: Path) -> None:
    path = make_hostile.gbk_named(tmp_path)
    # Bytes that are not UTF-8 as \xXX (some GBK pairs happen to be UTF-8 and show as that character).
    shown = "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in make_hostile.GBK_NAME)
    assert shown.startswith("\\xbd\\xbb")  # 交 in GBK
    for fmt in ("text", "json", "sarif", "github", "junit", "csv"):
        code, out, stderr = invoke("lint", "--isolated", "--format", fmt, str(path))
        assert code == 1, (fmt, stderr)
        text = out.decode("utf-8")
        if fmt in ("json", "sarif"):
            document = json.loads(text)
            text = json.dumps(document, ensure_ascii=False)
            if fmt == "json":
                assert document["files"][0]["path"].endswith(shown)
        if fmt == "sarif":
            assert "%BD%BB" in text
        else:
            assert shown.replace("\\", "\\\\" if fmt == "json" else "\\") in text, fmt
    for fmt in ("text", "json", "csv"):
        code, out, stderr = invoke("score", "--isolated", "-q", "--format", fmt, str(path))
        assert code == 0, (fmt, stderr)
        if fmt != "text":  # the text ranking names departments and projects, not files
            assert shown in out.decode("utf-8").replace("\\\\", "\\")
    out_dir = tmp_path / "report"
    code, _, stderr = invoke("report", "--isolated", "-q", str(path), "-o", str(out_dir))
    assert code == 0, stderr
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    assert {"index.html", "summary.csv", "summary.md", "report.json"} <= set(written)
    assert any(name.startswith("dept-") for name in written)
    assert any(name.startswith("annotated/") and name.endswith(".annotated.xlsx") for name in written)
    for name in ("index.html", "summary.csv", "summary.md", "report.json"):
        (out_dir / name).read_bytes().decode("utf-8")
    assert shown in (out_dir / "summary.csv").read_text(encoding="utf-8")
    json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    # A second run into the same folder reads its own listing back (names kept byte for byte).
    code, _, stderr = invoke("report", "--isolated", "-q", str(path), "-o", str(out_dir))
    assert code == 0, stderr
    again = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    assert again == written


def test_unreadable_undecodable_file_is_one_clean_line(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"\xb4\xed\xce\xf3.xlsx")  # 错误 in GBK
    path.write_bytes(b"PK\x03\x04 not a workbook")
    code, out, stderr = invoke("lint", "--isolated", "--format", "json", str(path))
    assert code == 2 and json.loads(out)["errors"]
    assert "\\xb4\\xed" in stderr and len(stderr.strip().splitlines()) == 1


URI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


@pytest.mark.parametrize(
    ("path", "uri", "base"),
    [
        ("a/b c.csv", "a/b%20c.csv", True),
        ("./././a.csv", "a.csv", True),
        ("目录\\表.xlsx", "%E7%9B%AE%E5%BD%95/%E8%A1%A8.xlsx", True),
        ("a:b#c?d%e.csv", "a%3Ab%23c%3Fd%25e.csv", True),  # never read as a scheme, fragment or query
        ("../上级/a.csv", "../%E4%B8%8A%E7%BA%A7/a.csv", True),
        (os.fsdecode(b"\xbd\xbb.csv"), "%BD%BB.csv", True),  # the name's own bytes
        ("/data/自评 表.xlsx", "file:///data/%E8%87%AA%E8%AF%84%20%E8%A1%A8.xlsx", False),
        ("C:\\自评\\a.xlsx", "file:///C:/%E8%87%AA%E8%AF%84/a.xlsx", False),
        ("\\\\server\\share\\a.xlsx", "file://server/share/a.xlsx", False),
    ],
)
def test_sarif_artifact_locations_are_uris(path: str, uri: str, base: bool) -> None:
    location = artifact_location(path)
    assert location["uri"] == uri
    assert URI.fullmatch(location["uri"])
    assert ("uriBaseId" in location) == base
    if base:
        assert urlsplit(location["uri"]).scheme == ""
        segments = os.fsencode(path.replace("\\", "/")).split(b"/")
        assert unquote_to_bytes(location["uri"]) == b"/".join(part for part in segments if part not in (b"", b"."))


def test_sarif_from_a_relative_undecodable_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_hostile.gbk_named(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("lint", "--isolated", "--format", "sarif", make_hostile.GBK_NAME)
    assert code == 1
    for result in json.loads(out)["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "SRCROOT" and URI.fullmatch(location["uri"])
        assert unquote_to_bytes(location["uri"]) == os.fsencode(make_hostile.GBK_NAME)


@pytest.mark.parametrize("case", ["merge_bomb", "far_cell"])
def test_annotated_copy_of_a_sheet_claiming_the_whole_grid(case: str, tmp_path: Path) -> None:
    """The copy is built from the cells the file holds (< 10 s, < 500 MB in a child process), like the reader."""
    from tests.data.hostile import reader_cases

    source = getattr(reader_cases, case)(tmp_path)
    before = digest(source)
    probe = (
        "import sys, time; start = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from auditor.config import load_config\n"
        "from auditor.run import run\n"
        "from auditor.reporters.annotated_xlsx import write_annotated\n"
        f"source = Path({str(source)!r})\n"
        "report = run(load_config(None), [source]).report\n"
        "assert not report.errors, report.errors\n"
        f"write_annotated(report.files[0], source, Path({str(tmp_path / 'copy.xlsx')!r}))\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(time.perf_counter() - start, int(hwm) / 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, mib = map(float, done.stdout.split())
    assert seconds < 10 and mib < 500, (seconds, mib)
    assert_inert(tmp_path / "copy.xlsx")
    assert digest(source) == before
