"""Write the expected-parse YAML of every real table in corpus/real/ from what auditor reads now.

For each ``corpus/real/NAME.tsv`` and ``NAME.xlsx`` it writes ``NAME.tsv.expected.yaml`` /
``NAME.xlsx.expected.yaml`` beside it: layout, department, year, money unit, and per project the
name, budget figures, goal texts, total score and every indicator's category, name, target,
completion, weight, score, reason and cell positions — what tests/test_corpus.py compares. No
findings: what the rules report on real tables is measured against the reviewers' gold instead
(tests/data/real-gold/, bench/real_accuracy.py), not frozen here.

It is a snapshot, not a proof: review the diff against the table (and its ``.source.txt``) before
committing. A table that does not read is reported and left without a YAML (its test then fails).

    .venv/bin/python corpus/_build/expected_real.py            # write all
    .venv/bin/python corpus/_build/expected_real.py --check    # exit 1 if any YAML is missing or stale
    .venv/bin/python corpus/_build/expected_real.py corpus/real/r01_qingshen_fagai_gongzi_2023.xlsx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from auditor.errors import InputError  # noqa: E402
from auditor.model import Cell, Project, Submission  # noqa: E402
from auditor.run import read_safely  # noqa: E402

CORPUS = ROOT / "corpus"
REAL = CORPUS / "real"
SUFFIXES = (".tsv", ".xlsx")
COMMAND = ".venv/bin/python corpus/_build/expected_real.py"


def real_tables() -> list[Path]:
    return sorted(p for p in REAL.iterdir() if p.suffix in SUFFIXES and not p.name.startswith((".", "_")))


def expected_path(table: Path) -> Path:
    return table.with_name(table.name + ".expected.yaml")


def _number(cell: Cell | None, attr: str = "number") -> float | None:
    return None if cell is None else getattr(cell, attr)


def _text(cell: Cell | None) -> str | None:
    return None if cell is None or cell.is_blank else cell.text


def _budget(project: Project) -> dict[str, float]:
    budget = project.budget
    total, fiscal, other = budget.total, budget.line("fiscal"), budget.line("other")
    values = {
        "initial": _number(total.initial) if total else None,
        "annual": _number(total.annual) if total else None,
        "executed": _number(total.executed) if total else None,
        "fiscal_executed": _number(fiscal.executed) if fiscal else None,
        "other_executed": _number(other.executed) if other else None,
        "rate": _number(budget.rate, "percent"),
        "rate_weight": _number(budget.rate_weight),
        "rate_score": _number(budget.rate_score),
    }
    return {key: value for key, value in values.items() if value is not None}


def _indicator(indicator: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "category": indicator.category,
        "name": _text(indicator.name),
        "target": indicator.target.text,
        "completion": indicator.completion.text,
    }
    for key in ("weight", "score"):
        value = _number(getattr(indicator, key))
        if value is not None:
            out[key] = value
    if indicator.reason is not None:
        out["reason"] = indicator.reason.text
    for key in ("nature", "unit", "item_score", "share"):
        cell = getattr(indicator, key)
        if _text(cell):
            out[key] = cell.text
    if indicator.parent:
        out["parent"] = True
    if indicator.sub:
        out["sub"] = True
    for side in ("target", "completion"):
        cell = getattr(indicator, side)
        out[f"{side}_cell"] = None if cell.lost or cell.location is None else cell.location.cell
    return out


def expected_document(table: Path, submission: Submission) -> dict[str, Any]:
    projects = []
    for project in submission.projects:
        entry: dict[str, Any] = {"index": project.index, "name": project.name.text}
        if project.location is not None and project.location.sheet is not None:
            entry["sheet"] = project.location.sheet
        for key, cell in (("unit", project.unit), ("problems", project.problems)):
            if _text(cell):
                entry[key] = cell.text  # type: ignore[union-attr]
        entry["budget"] = _budget(project)
        entry["goal"] = project.goal.text
        entry["goal_completion"] = project.goal_completion.text
        total = _number(project.total_score)
        if total is not None:
            entry["total_score"] = total
        if _text(project.department):
            entry["department"] = project.department.text  # type: ignore[union-attr]
        if project.grade is not None:
            entry["grade"] = project.grade.text
        entry["indicators"] = [_indicator(i) for i in project.indicators]
        if project.management:
            entry["management"] = [_management(item) for item in project.management]
        projects.append(entry)
    return {
        "file": table.relative_to(CORPUS).as_posix(),
        "layout": submission.layout.value,
        "kind": submission.kind.value,
        "department": submission.department,
        "year": submission.year,
        "money_unit": submission.money_unit,
        "notices": list(submission.notices),
        "projects": projects,
    }


def _management(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"section": item.section, "label": item.label.text}
    for key in ("content", "weight", "score", "remark"):
        cell = getattr(item, key)
        if _text(cell):
            out[key] = cell.text
    return out


def render(table: Path, submission: Submission) -> str:
    head = (f"# Expected parse of {table.name} (real published table; see corpus/real/README.md).\n"
            f"# Written by {COMMAND} from what auditor read: review it against the table before committing.\n")  # fmt: skip
    body = yaml.safe_dump(expected_document(table, submission), allow_unicode=True, sort_keys=False, width=1000)
    return head + body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tables", nargs="*", type=Path, help="tables to write (default: all of corpus/real)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a YAML is missing or stale")
    args = parser.parse_args()
    tables = [p.resolve() for p in args.tables] or real_tables()
    status = 0
    for table in tables:
        try:
            submission = read_safely(table)
        except InputError as error:
            print(f"UNREADABLE {error.one_line()}")
            status = 1
            continue
        text, out = render(table, submission), expected_path(table)
        if args.check:
            if not out.is_file():
                print(f"MISSING {out.relative_to(ROOT)}")
                status = 1
            elif out.read_text(encoding="utf-8") != text:
                print(f"STALE   {out.relative_to(ROOT)}")
                status = 1
            continue
        out.write_text(text, encoding="utf-8")
        print(f"wrote   {out.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
