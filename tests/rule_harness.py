"""Run one rule on a record or a small table — shared by the example and fixture tests."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from auditor.checks.base import Context, Rule
from auditor.model import Finding, Submission
from auditor.readers import read_submission
from auditor.records import build_submission


def submission_of(case: dict[str, Any]) -> Submission:
    table = case.get("table") or case.get("record", {}).get("table")
    if table is not None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "case.tsv"
            path.write_text(table, encoding="utf-8")
            return read_submission(path)
    return build_submission(case["record"])


def run_rule(rule: type[Rule], submission: Submission, case: dict[str, Any] | None = None) -> list[Finding]:
    """Run one rule and keep what it reports (not what the model vetoed); ``index`` records are indexed first."""
    return [finding for finding in _run_rule(rule, submission, case) if finding.active]


def _run_rule(rule: type[Rule], submission: Submission, case: dict[str, Any] | None = None) -> list[Finding]:
    if submission.layout.value not in rule.layouts:
        return []
    indexed = (case or {}).get("index") or (case or {}).get("record", {}).get("index")
    if not indexed:
        return list(rule().check(Context(submission)))
    from auditor.index.store import CorpusIndex

    with tempfile.TemporaryDirectory() as folder, CorpusIndex(Path(folder) / "index.sqlite") as index:
        index.add(build_submission(record, path=f"indexed-{i}.xlsx") for i, record in enumerate(indexed))
        return list(rule().check(Context(submission, {"index": index})))


def matches(finding: Finding, expect: dict[str, Any]) -> bool:
    return all(getattr(finding, key) == value for key, value in expect.items())
