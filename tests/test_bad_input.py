"""Bad input: one clear line naming the file (exit 2), or a notice in a folder run; never a traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from tests.conftest import CORPUS, SEED


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, path: Path, code: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and code in lines[0]
    assert "Traceback" not in result.output + result.stderr


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.xlsx"
    assert_one_line_error(run("lint", str(path)), path, "E100")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert_one_line_error(run("lint", str(path)), path, "E102")


def test_encrypted_workbook(tmp_path: Path) -> None:
    # An encrypted OOXML file is an OLE container holding EncryptionInfo/EncryptedPackage streams.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le"))
    assert_one_line_error(run("lint", str(path)), path, "E103")


def test_truncated_workbook(tmp_path: Path) -> None:
    data = (CORPUS / "culture-2022-wide.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_one_line_error(run("lint", str(path)), path, "E104")


def test_truncated_docx(tmp_path: Path) -> None:
    data = (CORPUS / "water-2023-standard.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 3])
    assert_one_line_error(run("lint", str(path)), path, "E104")


def test_no_recognisable_header(tmp_path: Path) -> None:
    path = tmp_path / "random.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n", encoding="utf-8")
    assert_one_line_error(run("lint", str(path)), path, "E107")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("garbage.csv", bytes(range(256)) * 8, "E105"),
        # A web page saved as .xls is read as a page: this one has no self-evaluation table.
        ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "E107"),
        ("report.pdf.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "E104"),  # a PDF, cut after its header
        # Word 97-2003 goes to LibreOffice, which cannot convert this stub; without LibreOffice: how to convert.
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"),
         "E104" if shutil.which("soffice") or shutil.which("libreoffice") else "E116"),
        ("zip.xlsx", b"PK\x05\x06" + b"\x00" * 18, "E105"),
    ],
)
def test_not_a_table(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line_error(run("lint", str(path)), path, code)


def test_directory_argument_without_tables(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert_one_line_error(run("lint", str(tmp_path)), tmp_path, "E110")


def test_folder_skips_unreadable_files_with_a_notice(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "transport-2021-wide.csv", tmp_path / "good.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")
    result = run("lint", "--format", "json", str(tmp_path))
    assert result.exit_code == 1  # the good file has errors; the broken one is only skipped
    report = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in report["files"]] == ["good.csv"]
    assert "broken.xlsx" in result.stderr and "已跳过" in result.stderr
    assert "picture.png" in result.stderr
    assert "Traceback" not in result.stderr


def test_million_character_cell_is_cut_not_fatal(tmp_path: Path) -> None:
    text = (CORPUS / "transport-2021-wide.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    last = lines[-1].split(",")
    lines[-1] = ",".join([*last[:-1], "长" * 1_000_000])
    path = tmp_path / "huge-cell.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("lint", "--format", "json", str(path))
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert any("过长" in notice for notice in report["files"][0]["notices"])


def test_sheet_with_100000_empty_rows(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(CORPUS / "culture-2022-wide.xlsx")
    sheet = workbook.worksheets[0]
    last = sheet.max_row
    for row in range(last + 1, last + 100_001):
        sheet.cell(row=row, column=1).number_format = "0.00"  # formatted but empty
    sheet.cell(row=last + 100_001, column=1, value="填表人：张三")
    path = tmp_path / "tall.xlsx"
    workbook.save(path)
    result = run("lint", "--format", "json", str(path))
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["files"][0]["projects"] == 3


def test_inputs_are_never_written(tmp_path: Path) -> None:
    paths = sorted(p for p in CORPUS.iterdir() if p.is_file() and not p.name.endswith(".yaml"))
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}
    run("lint", "--format", "json", str(CORPUS))
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}
    assert before == after


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("lint", "--format", "json", "-o", str(out), str(SEED))
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["projects"] == 14
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
