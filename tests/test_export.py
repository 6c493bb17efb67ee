"""``auditor export``: Parquet tables that read back as the JSON report's texts, findings and scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.export.parquet import MARKER, read_table
from auditor.export.tables import SCHEMAS, TABLES, finding_dict
from auditor.readers import iter_inputs, read_submission
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("export") / "parquet"
    result = CliRunner().invoke(cli, ["export", "--isolated", "-q", "-j", "1", str(CORPUS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = CliRunner().invoke(cli, ["lint", "--isolated", "-j", "1", "--format", "json", str(CORPUS)])
    return out, json.loads(report.stdout)


def _key(finding: dict) -> str:
    return json.dumps(finding, ensure_ascii=False, sort_keys=True)


def test_findings_and_files_read_back_as_the_json_report(exported: tuple[Path, dict]) -> None:
    out, report = exported
    findings = [finding_dict(row) for row in read_table(out, "findings").to_pylist()]
    assert findings and sorted(map(_key, findings)) == sorted(map(_key, report["findings"]))
    submissions = {row["path"]: row for row in read_table(out, "submissions").to_pylist()}
    assert set(submissions) == {item["path"] for item in report["files"]}
    for item in report["files"]:
        row = submissions[item["path"]]
        assert (row["department"], row["year"], row["score"], row["projects"], row["indicators"], row["layout"]) == (
            item["department"], item["year"], item["score"], item["projects"], item["indicators"], item["layout"])
        assert row["notices"] == item["notices"]


def test_texts_read_back_with_their_places(exported: tuple[Path, dict]) -> None:
    out, _ = exported
    rows = read_table(out, "indicators").to_pylist()
    by_path: dict[str, list[tuple]] = {}
    for row in sorted(rows, key=lambda r: (r["path"], r["position"])):
        by_path.setdefault(row["path"], []).append((row["project_index"], row["field"], row["text"], row["row"]))
    files, _ = iter_inputs(CORPUS)
    for path in files:
        submission = read_submission(path)
        expected = []
        for project in submission.projects:
            cells = [("goal", project.goal), ("goal_completion", project.goal_completion)]
            for item in project.indicators:
                cells += [("target", item.target), ("completion", item.completion)]
            expected += [(project.index, f, c.text, c.location.row if c.location else None)
                         for f, c in cells if not c.is_blank]  # fmt: skip
        assert by_path.get(str(path), []) == expected, path


def test_every_table_has_its_documented_columns_and_year_partitions(exported: tuple[Path, dict]) -> None:
    out, _ = exported
    assert (out / MARKER).is_file()
    docs = (Path(__file__).resolve().parent.parent / "docs" / "parquet.md").read_text(encoding="utf-8")
    for table in TABLES:
        data = read_table(out, table)
        assert data.column_names == [name for name, _ in SCHEMAS[table]]
        assert f"`{table}`" in docs
        for name, _ in SCHEMAS[table]:
            assert f"`{name}`" in docs, (table, name)
    years = sorted(p.name for p in (out / "indicators").iterdir())
    assert "year=2020" in years
    scores = read_table(out, "scores").to_pylist()
    assert scores and all(0 <= row["score"] <= 100 for row in scores)


def test_refuses_a_folder_that_is_not_an_export_and_replaces_its_own(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--isolated", "-q", str(CORPUS / "agri-2021-standard.xls"),
                                      "-o", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2 and "E143" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces the first whole
        result = CliRunner().invoke(cli, ["export", "--isolated", "-q", str(CORPUS / "agri-2021-standard.xls"),
                                          "-o", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
    assert len(read_table(out, "submissions")) == 1
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]
