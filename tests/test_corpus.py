"""Every corpus file parses to the model its ``.expected.yaml`` describes, and yields its findings.

The real published tables of ``corpus/real/`` each have ``NAME.tsv.expected.yaml`` /
``NAME.xlsx.expected.yaml`` (written by ``corpus/_build/expected_real.py``, parse only: their findings are
measured against the reviewers' gold in test_real.py and bench/real_accuracy.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.checks.engine import lint
from auditor.model import Cell, Project, Submission
from auditor.readers import read_submission
from tests.conftest import CORPUS

EXPECTED = sorted(CORPUS.glob("*.expected.yaml"))
REAL = CORPUS / "real"
REAL_TABLES = sorted(p for p in REAL.iterdir() if p.suffix in (".tsv", ".xlsx"))
REAL_EXPECTED = sorted(REAL.glob("*.expected.yaml"))
GENERATOR = ".venv/bin/python corpus/_build/expected_real.py"
PARSED = EXPECTED + REAL_EXPECTED
#: Files whose expected findings are listed exhaustively (the others are scored against labels).
LISTED = [p for p in EXPECTED if "findings" in yaml.safe_load(p.read_text(encoding="utf-8"))]


def _load(path: Path) -> tuple[dict, Submission]:
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    return expected, read_submission(CORPUS / expected["file"])


def _number(cell: Cell | None, attr: str = "number") -> float | None:
    return None if cell is None else getattr(cell, attr)


def _budget(project: Project) -> dict[str, float | None]:
    budget = project.budget
    total = budget.total
    fiscal, other = budget.line("fiscal"), budget.line("other")
    return {
        "initial": _number(total.initial) if total else None,
        "annual": _number(total.annual) if total else None,
        "executed": _number(total.executed) if total else None,
        "fiscal_executed": _number(fiscal.executed) if fiscal else None,
        "other_executed": _number(other.executed) if other else None,
        "rate": _number(budget.rate, "percent"),
        "rate_weight": _number(budget.rate_weight),
        "rate_score": _number(budget.rate_score),
    }


def _id(path: Path) -> str:
    return path.name.removesuffix(".expected.yaml") if path.parent == REAL else path.name.split(".")[0]


def test_there_are_enough_samples() -> None:
    assert len(EXPECTED) >= 9
    layouts = {yaml.safe_load(p.read_text(encoding="utf-8"))["layout"] for p in EXPECTED}
    assert layouts == {"wide", "standard"}


@pytest.mark.parametrize("path", PARSED, ids=_id)
def test_submission_facts(path: Path) -> None:
    expected, submission = _load(path)
    assert submission.layout.value == expected["layout"]
    assert submission.department == expected["department"]
    assert submission.year == expected["year"]
    assert submission.money_unit == expected.get("money_unit", "万元")
    if "kind" in expected:
        assert submission.kind.value == expected["kind"]
    assert [p.index for p in submission.projects] == [p["index"] for p in expected["projects"]]


@pytest.mark.parametrize("path", PARSED, ids=_id)
def test_projects(path: Path) -> None:
    expected, submission = _load(path)
    for want, got in zip(expected["projects"], submission.projects, strict=True):
        where = f"{path.name} 项目{want['index']}"
        assert got.name.text == want["name"], where
        if "sheet" in want:
            assert got.location is not None and got.location.sheet == want["sheet"], where
        budget = _budget(got)
        for key, value in want.get("budget", {}).items():
            assert budget[key] == pytest.approx(value), f"{where} budget.{key}"
        for key in ("goal", "goal_completion"):
            if key in want:
                assert getattr(got, key).text == want[key], f"{where} {key}"
        if "total_score" in want:
            assert _number(got.total_score) == pytest.approx(want["total_score"]), where
        for key, attr in (("unit", "unit"), ("implementer", "unit"), ("problems", "problems")):
            if want.get(key):
                cell = getattr(got, attr)
                assert cell is not None and cell.text == want[key], f"{where} {key}"


@pytest.mark.parametrize("path", PARSED, ids=_id)
def test_indicators(path: Path) -> None:
    expected, submission = _load(path)
    for want_project, got_project in zip(expected["projects"], submission.projects, strict=True):
        wants, gots = want_project["indicators"], got_project.indicators
        where = f"{path.name} 项目{want_project['index']}"
        assert [w["category"] for w in wants] == [g.category for g in gots], where
        for want, got in zip(wants, gots, strict=True):
            here = f"{where} {want['category']} {want.get('name') or ''}"
            name = got.name.text if got.name is not None and not got.name.is_blank else None
            assert name == want.get("name"), here
            assert got.target.text == want["target"], here
            assert got.completion.text == want["completion"], here
            for key in ("weight", "score"):
                if key in want:
                    assert _number(getattr(got, key)) == pytest.approx(want[key]), f"{here} {key}"
            if "reason" in want:
                reason = got.reason.text if got.reason is not None else ""
                assert reason == (want["reason"] or ""), here
            for side in ("target", "completion"):
                cell = getattr(got, side)
                want_cell = want.get(f"{side}_cell")
                if want_cell is None:
                    assert cell.lost or cell.location is None, f"{here} {side} should be lost"
                else:
                    assert cell.location is not None and cell.location.cell == want_cell, f"{here} {side}"
                    assert not cell.lost, here


@pytest.mark.parametrize("table", REAL_TABLES, ids=lambda p: p.name)
def test_real_table_has_expected_parse(table: Path) -> None:
    """Every real table has its expected parse, once the generator has been run for any of them."""
    if not REAL_EXPECTED:
        pytest.skip(f"no corpus/real/*.expected.yaml yet: run {GENERATOR}")
    expected = table.with_name(table.name + ".expected.yaml")
    where = table.relative_to(CORPUS.parent)
    assert expected.is_file(), f"{where}.expected.yaml missing: run {GENERATOR} {where}"


@pytest.mark.parametrize("path", REAL_EXPECTED, ids=_id)
def test_real_table_parses_to_its_expected_yaml(path: Path) -> None:
    """The whole parse of a real table — kind, notices, grades, management rows, flags — as reviewed."""
    from corpus._build.expected_real import expected_document

    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = CORPUS / expected["file"]
    assert expected_document(table, read_submission(table)) == expected


@pytest.mark.parametrize("path", LISTED, ids=lambda p: p.name.split(".")[0])
def test_expected_findings(path: Path) -> None:
    """Every rule runs; the findings are exactly the planted ones (the clean file: none)."""
    expected, submission = _load(path)
    found = {(f.code, f.project_index, f.indicator, f.field) for f in lint(submission)}
    want = {(f["code"], f["project_index"], f.get("indicator"), f["field"]) for f in expected["findings"]}
    assert found == want
