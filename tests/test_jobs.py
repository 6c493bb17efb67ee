"""``--jobs``: the same files give byte-identical output with one process or several (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from tests.conftest import CORPUS
from tests.test_findings_snapshot import SNAPSHOT, current_rows


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Corpus tables (xlsx, csv, tsv, docx, xls, the seed) and corpus/real/, twice over, plus an unreadable file."""
    root = tmp_path_factory.mktemp("jobs")
    for batch in ("a", "b"):
        target = root / batch
        target.mkdir()
        for source in [*CORPUS.iterdir(), *(CORPUS / "real").iterdir()]:
            if source.is_file() and not source.name.endswith((".yaml", ".source.txt", ".md")):
                shutil.copy2(source, target / source.name)
    (root / "a" / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return root


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_lint_output_is_identical_with_jobs(folder: Path, fmt: str) -> None:
    one = _invoke("lint", "--isolated", "--format", fmt, "--jobs", "1", str(folder))
    two = _invoke("lint", "--isolated", "--format", fmt, "--jobs", "2", str(folder))
    three = _invoke("lint", "--isolated", "--format", fmt, "--jobs", "3", str(folder))
    assert one[0] == 1 and len(one[1]) > 10_000
    assert one == two == three


def test_score_output_is_identical_with_jobs(folder: Path) -> None:
    one = _invoke("score", "--isolated", "-q", "--format", "json", "--jobs", "1", str(folder))
    two = _invoke("score", "--isolated", "-q", "--format", "json", "--jobs", "2", str(folder))
    assert one == two and one[1].startswith(("{", "["))


def test_findings_snapshot_with_two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    assert current_rows(jobs=2) == SNAPSHOT.read_text(encoding="utf-8").splitlines()


def _parts(workbook: Path) -> dict[str, bytes]:
    """A workbook's parts, less the one that holds the time it was written."""
    import zipfile

    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_report_files_are_identical_with_jobs(folder: Path, tmp_path: Path) -> None:
    """The annotated copies written by two workers are the ones one process writes."""
    one, two = tmp_path / "one", tmp_path / "two"
    assert _invoke("report", "--isolated", "-q", "--jobs", "1", str(folder), "-o", str(one))[0] in (0, 1)
    assert _invoke("report", "--isolated", "-q", "--jobs", "2", str(folder), "-o", str(two))[0] in (0, 1)
    names = sorted(path.relative_to(one).as_posix() for path in one.rglob("*") if path.is_file())
    assert names == sorted(path.relative_to(two).as_posix() for path in two.rglob("*") if path.is_file())
    workbooks = [name for name in names if name.startswith("annotated/") and name.endswith(".xlsx")]
    assert len(workbooks) > 40
    for name in workbooks:
        assert _parts(one / name) == _parts(two / name), name
    assert (one / "report.json").read_bytes() == (two / "report.json").read_bytes()
