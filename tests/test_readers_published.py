"""Tables where they are published: PDF, web pages and old office files (issue 16).

* every PDF in ``tests/data/pdf/`` exported from a corpus workbook (see its README) yields the same
  (rule, project, indicator, field) findings, department, year and projects as the workbook;
* every ``corpus/real/*.xlsx`` rendered as a web page (``tests/data/html/make_pages.py``, at test
  time) yields the same as the workbook; one page is GBK, one is saved under ``.xls``;
* the scanned, encrypted and hostile PDFs exit 2 with one Chinese line, in under 2 s and 300 MB
  (in a child process, as ``tests/test_hostile_limits.py`` runs its cases);
* the 决算公开-like PDF reads its self-evaluation tables only and lists the others in a notice;
* ``.doc`` goes through LibreOffice when ``soffice`` is on the PATH (under ``CI=true`` it must be),
  and without it the error says how to convert.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.checks.engine import lint
from auditor.model import Submission
from auditor.readers import read_submission
from tests.child import run_measured
from tests.conftest import CORPUS
from tests.data.html import make_pages
from tests.data.pdf import hostile

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT / "tests" / "data" / "pdf"
EXPORTED = sorted(PDFS.glob("corpus-*.pdf")) + sorted(PDFS.glob("real-*.pdf"))
REAL_XLSX = sorted((CORPUS / "real").glob("*.xlsx"))
SECONDS, MEGABYTES = 2.0, 300.0


def _source(pdf: Path) -> Path:
    """The corpus file a PDF was exported from."""
    stem = pdf.stem
    if stem.startswith("real-"):
        return CORPUS / "real" / f"{stem.removeprefix('real-')}.xlsx"
    base = stem.removeprefix("corpus-")
    return next(
        CORPUS / f"{base}{suffix}" for suffix in (".xlsx", ".xls", ".docx") if (CORPUS / f"{base}{suffix}").exists()
    )


def _findings(submission: Submission) -> set[tuple]:
    return {(f.code, f.project_index, f.indicator, f.field) for f in lint(submission)}


def _facts(submission: Submission) -> tuple:
    return (
        submission.layout,
        submission.department,
        submission.year,
        submission.kind,
        [p.name.text for p in submission.projects],
        [[(i.category, i.target.text, i.completion.text) for i in p.indicators] for p in submission.projects],
    )


def test_every_corpus_table_has_its_pdf() -> None:
    assert len(EXPORTED) == len(REAL_XLSX) + len(list(CORPUS.glob("*.xlsx"))) + 2  # + the .xls and the .docx


@pytest.mark.parametrize("pdf", EXPORTED, ids=lambda p: p.stem)
def test_exported_pdf_reads_as_its_source(pdf: Path) -> None:
    source, exported = read_submission(_source(pdf)), read_submission(pdf)
    assert exported.file_format == "pdf"
    assert _findings(exported) == _findings(source)
    assert (exported.layout, exported.department, exported.year, exported.kind) == (
        source.layout, source.department, source.year, source.kind,
    )  # fmt: skip
    assert [p.name.text for p in exported.projects] == [p.name.text for p in source.projects]


def test_pdf_locations_name_page_and_table() -> None:
    submission = read_submission(PDFS / "corpus-clean-2022-standard.pdf")
    sheets = {f.location.sheet for f in lint(submission) if f.location is not None}
    sheets |= {p.location.sheet for p in submission.projects if p.location is not None}
    assert sheets and all(re.fullmatch(r"第\d+页 表\d+", sheet) for sheet in sheets), sheets
    assert {"第1页 表1", "第2页 表1"} <= sheets  # one project per page


def test_table_continued_over_pages_is_joined() -> None:
    submission = read_submission(PDFS / "real-r02_ezhou_shenpi_shiminzhongxin_2021.pdf")
    assert any("跨页" in notice for notice in submission.notices)
    sheets = {i.target.location.sheet for p in submission.projects for i in p.indicators if i.target.location}
    assert len({sheet.split()[0] for sheet in sheets}) > 1  # indicators on more than one page, one project
    assert len(submission.projects) == 1


def test_multi_table_pdf_reads_only_its_self_evaluation_tables() -> None:
    submission = read_submission(PDFS / "juesuan-multi.pdf")
    source = read_submission(CORPUS / "clean-2022-standard.xlsx")
    assert _findings(submission) == _findings(source)
    assert _facts(submission)[1:] == _facts(source)[1:]
    skipped = [notice for notice in submission.notices if "不是绩效自评表" in notice]
    assert skipped == ["2 个表格不是绩效自评表，已跳过：第1页 表1、第1页 表2"]


def test_pdf_without_ruling_lines_is_read_by_text_positions() -> None:
    """No lines: the table is read from where its text sits (a ragged grid, as text pulled from a PDF)."""
    submission = read_submission(PDFS / "noline-clean-2022-standard.pdf")
    source = read_submission(CORPUS / "clean-2022-standard.xlsx")
    assert submission.layout == source.layout and submission.year == source.year
    assert len(submission.projects) == len(source.projects)
    for got, want in zip(submission.projects, source.projects, strict=True):
        assert want.name.text.startswith(got.name.text)
        assert {i.category for i in got.indicators} <= {i.category for i in want.indicators}


# ------------------------------------------------------------------ web pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    make_pages.write_pages(folder)
    return folder


@pytest.mark.parametrize("workbook", REAL_XLSX, ids=lambda p: p.stem)
def test_real_table_as_web_page_reads_as_its_workbook(pages: Path, workbook: Path) -> None:
    page = pages / f"{workbook.stem}.html"
    source, read = read_submission(workbook), read_submission(page)
    assert read.file_format == "html"
    assert _findings(read) == _findings(source)
    assert _facts(read) == _facts(source)
    assert any(notice.startswith("3 个表格不是绩效自评表") for notice in read.notices)  # nav, 决算总表, footer


def test_gbk_page_is_decoded_from_its_meta(pages: Path) -> None:
    data = (pages / f"{make_pages.GBK_PAGE}.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"charset=gb2312" in data
    assert read_submission(pages / f"{make_pages.GBK_PAGE}.html").department == "濉溪县民政局"


def test_web_page_saved_as_xls_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "自评表.xls"
    path.write_bytes(make_pages.page(REAL_XLSX[0]))
    submission = read_submission(path)
    assert submission.file_format == "html" and len(submission.projects) == 1


def test_rowspan_colspan_and_line_breaks(tmp_path: Path) -> None:
    from auditor.readers import load_grids

    path = tmp_path / "t.html"
    path.write_text(
        "<html><head><title>t</title><script>alert(1)</script></head><body><table>"
        "<tr><td rowspan=2 colspan=2>合并<br>两行</td><td>c</td></tr><tr><td rowspan=9>d</td></tr>"
        "<tr><td>e</td><td colspan=0>f</td></tr></table></body></html>",
        encoding="utf-8",
    )
    _, grids = load_grids(path)
    rows = [[cell.text for cell in row] for row in grids[0].rows if row[0].location is not None]
    assert rows == [["合并\n两行", "合并\n两行", "c"], ["合并\n两行", "合并\n两行", "d"], ["e", "f", "d"]]
    top_left = {grids[0].rows[-3][0].location, grids[0].rows[-2][1].location}
    assert len(top_left) == 1  # one merged cell, one location


# ------------------------------------------------------------------ refused fast, in a child process


def _lint(path: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float, float]:
    return run_measured("lint", "-q", str(path), env=env)


def _one_chinese_line(result: subprocess.CompletedProcess[str], path: Path, code: str) -> None:
    assert result.returncode == 2, result.stderr[-800:]
    lines = [line for line in result.stderr.splitlines() if str(path) in line]
    assert len(lines) == 1 and f"[{code}]" in lines[0], result.stderr[-800:]
    assert re.search(r"[\u4e00-\u9fff]", lines[0]) and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [("scan.pdf", "E115", "扫描件"), ("encrypted.pdf", "E103", "加密")],
)
def test_scanned_and_encrypted_pdfs_exit_2_fast(tmp_path: Path, name: str, code: str, words: str) -> None:
    path = tmp_path / name
    shutil.copy(PDFS / name, path)
    result, elapsed, megabytes = _lint(path)
    _one_chinese_line(result, path, code)
    assert words in result.stderr and (code != "E115" or "OCR" in result.stderr)
    assert elapsed < SECONDS and megabytes < MEGABYTES, (elapsed, megabytes)


@pytest.mark.parametrize("case", sorted(hostile.CASES))
def test_hostile_pdf_is_refused_fast(tmp_path: Path, case: str) -> None:
    path = hostile.CASES[case](tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result, elapsed, megabytes = _lint(path)
    _one_chinese_line(result, path, "E109")
    assert elapsed < SECONDS and megabytes < MEGABYTES, (case, elapsed, megabytes)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# ------------------------------------------------------------------ old office files


def _soffice_or_skip() -> str:
    from auditor.readers.office import soffice

    command = soffice()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI installs LibreOffice (.ci/run): soffice must be on the PATH")
        pytest.skip("LibreOffice (soffice) is not installed here")
    return command


def test_doc_is_converted_by_libreoffice_and_reads_as_its_docx(tmp_path: Path) -> None:
    command = _soffice_or_skip()
    source = tmp_path / "water.docx"
    shutil.copy(CORPUS / "water-2023-standard.docx", source)
    subprocess.run(
        [command, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    doc = tmp_path / "water.doc"
    before = (hashlib.sha256(doc.read_bytes()).hexdigest(), doc.stat().st_mtime_ns)
    converted, original = read_submission(doc), read_submission(CORPUS / "water-2023-standard.docx")
    assert converted.file_format == "doc"
    assert _findings(converted) == _findings(original)
    assert _facts(converted) == _facts(original)
    assert (hashlib.sha256(doc.read_bytes()).hexdigest(), doc.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile", "water.doc", "water.docx"]  # nothing left
    wps = tmp_path / "water.wps"  # WPS 文字 saves Word 97-2003 documents under .wps
    shutil.copy(doc, wps)
    assert _findings(read_submission(wps)) == _findings(original)


def test_et_that_is_a_biff_workbook_is_read_without_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "自评表.et"
    shutil.copy(CORPUS / "agri-2021-standard.xls", path)
    read, source = read_submission(path), read_submission(CORPUS / "agri-2021-standard.xls")
    assert _findings(read) == _findings(source) and _facts(read) == _facts(source)


def test_doc_without_libreoffice_says_how_to_convert(tmp_path: Path) -> None:
    doc = tmp_path / "旧表.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    empty = tmp_path / "bin"
    empty.mkdir()
    result, _, _ = _lint(doc, env={"PATH": str(empty)})
    _one_chinese_line(result, doc, "E116")
    assert "另存为" in result.stderr and ".docx" in result.stderr and "LibreOffice" in result.stderr
