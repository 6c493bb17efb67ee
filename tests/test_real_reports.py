"""Every output format, score and report handle every kind of real table (summaries, department-wide).

The real tables brought layouts and kinds the reporters had not seen (``summary``, ``department``); a
missing name in one lookup table crashed the text output for a whole folder. Each format is run over
all of ``corpus/real`` and must finish with exit 0 or 1 and say something about every file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from tests.conftest import CORPUS

REAL = CORPUS / "real"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "csv"])
def test_every_format_reports_every_real_table(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--jobs", "1", "--format", fmt, str(REAL)])
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:], result.exception)
    assert "Traceback" not in result.output
    if fmt == "json":
        report = json.loads(result.stdout)
        layouts = {entry["layout"] for entry in report["files"]}
        assert {"standard", "summary"} <= layouts and len(report["files"]) == 42
    if fmt == "text":
        assert "汇总表" in result.stdout and "部门整体支出" in result.stdout


def test_score_and_report_over_the_real_tables(tmp_path: Path) -> None:
    scored = CliRunner().invoke(cli, ["score", "--isolated", "--format", "json", str(REAL)])
    assert scored.exit_code == 0, scored.output[-2000:]
    departments = json.loads(scored.stdout)
    assert departments
    out = tmp_path / "report"
    made = CliRunner().invoke(cli, ["report", "--isolated", "-q", "--no-xlsx", str(REAL), "-o", str(out)])
    assert made.exit_code == 0, made.output[-2000:]
    assert (out / "index.html").is_file() and list(out.glob("dept-*.html"))
