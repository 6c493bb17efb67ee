"""Findings on the seed, corpus/ and corpus/real/ stay exactly as frozen.

Speed work (issue 15) must not change what is found: every finding's file, code, project, indicator,
field, text, location, span, severity and suppression are compared with ``tests/data/findings-snapshot.jsonl``.
A deliberate change to a rule regenerates the snapshot::

    AUDITOR_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_findings_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from auditor.config import Config
from auditor.model import Finding
from auditor.run import run
from tests.conftest import CORPUS, ROOT

SNAPSHOT = ROOT / "tests" / "data" / "findings-snapshot.jsonl"


def finding_row(finding: Finding) -> list[object]:
    loc = finding.location
    return [
        Path(finding.file).relative_to(ROOT).as_posix() if Path(finding.file).is_absolute() else finding.file,
        finding.code,
        finding.project_index,
        finding.project,
        finding.indicator,
        finding.indicator_name,
        finding.field,
        finding.text,
        [loc.sheet, loc.row, loc.column] if loc else None,
        list(finding.span) if finding.span else None,
        finding.severity.value,
        finding.suppression.kind if finding.suppression else None,
    ]


def snapshot_files() -> list[Path]:
    """The seed, the corpus/ tables and corpus/real/ (the held-out tables are another suite's)."""
    from auditor.readers import iter_inputs

    files, _ = iter_inputs(CORPUS)
    return [path.relative_to(ROOT) for path in files if path.parent in (CORPUS, CORPUS / "real")]


def current_rows(jobs: int | None = None) -> list[str]:
    kwargs = {} if jobs is None else {"jobs": jobs}
    result = run(Config(), snapshot_files(), **kwargs)
    assert not result.report.errors, result.report.errors
    rows = [json.dumps(finding_row(f), ensure_ascii=False) for fr in result.report.files for f in fr.findings]
    files = [fr.submission.path for fr in result.report.files]
    assert any(name.endswith("000_9d9dc482990db41b.txt") for name in files)  # the seed
    assert sum("/real/" in name for name in files) == 42  # corpus/real: 21 tables, xlsx and tsv
    return rows


def test_findings_match_the_frozen_snapshot(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    rows = current_rows()
    if os.environ.get("AUDITOR_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(expected)
    assert rows == expected
