"""Score summaries: one row per project with the score or grade it was given (绩效评价情况表).

Finance bureaus and departments publish these for special bonds and transfer payments (序号 | 主管部门 |
项目单位 | 项目名称 | 发行金额 | 评价得分 | 评价结果 | 备注). There are no indicators to check; what can be
checked is whether every announced score and grade is there and whether they agree. A grade column
the header announces but a row leaves blank becomes a blank :attr:`Project.grade` cell with its
location, so a rule can point at it.
"""

from __future__ import annotations

import re

from auditor.model import Cell, Location, Project
from auditor.readers.columns import role_of
from auditor.readers.grid import Grid
from auditor.readers.labels import matcher
from auditor.readers.meta import strip_code
from auditor.text.normalize import to_simplified

_TOTAL = re.compile(r"^(合计|总计|小计)$")
_MONEY_UNIT = re.compile(r"(万元|亿元|千元|元)")


def find_summary_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """``(row, columns)`` of a summary header: a project name and a score or grade column, no indicators."""
    for r in range(min(len(grid.rows), 30)):
        columns: dict[str, int] = {}
        for c, cell in enumerate(grid.rows[r]):
            found = role_of(cell, "standard", "summary")
            if found is None:
                found = _field_role(cell)
            if found is not None and found[0] not in columns:
                columns[found[0]] = c
            indicator = role_of(cell)
            if indicator is not None and indicator[0] in ("target", "completion", "category", "level"):
                columns.pop("name", None)
                break
        if "name" in columns and ({"score", "grade"} & columns.keys()):
            return r, columns
    return None


def _field_role(cell: Cell) -> tuple[str, int] | None:
    if cell.is_blank or len(cell.text) > 16:
        return None
    key = matcher("fields").match(cell.text, contains=False, fuzzy=False)
    return (key, 2) if key in ("index", "department", "unit") else None


def money_unit(grid: Grid, header: int) -> str | None:
    """The unit a summary states for its amounts (发行金额（亿元）, 单位：亿元)."""
    for r in range(0, header + 1):
        for cell in grid.distinct(r):
            found = _MONEY_UNIT.search(cell.text)
            if found and ("单位" in to_simplified(cell.text) or "(" in cell.text or "（" in cell.text):
                return found.group(1)
    return None


def parse_summary(grid: Grid, header: int, columns: dict[str, int], start_index: int = 1) -> list[Project]:
    projects: list[Project] = []
    last = max((r for r in range(len(grid.rows)) if not grid.row_is_blank(r)), default=-1)
    for r in range(header + 1, len(grid.rows)):
        row = grid.rows[r]
        name = _at(row, columns["name"])
        texts = [cell.text.strip() for cell in row if not cell.is_blank]
        if name is None or name.is_blank or (texts and _TOTAL.match(texts[0].replace(" ", ""))):
            continue
        department = _at(row, columns.get("department"))
        unit = _at(row, columns.get("unit"))
        grade = _at(row, columns.get("grade"))
        score = _at(row, columns.get("score"))
        if r == last:
            # The file's last row stopping early is a copy cut off there, not an empty grade or score —
            # whether the export drops the trailing cells (TSV) or keeps them blank (a workbook).
            filled = max((c for c, cell in enumerate(row) if not cell.is_blank), default=-1)
            grade = None if "grade" in columns and columns["grade"] > filled else grade
            score = None if "score" in columns and columns["score"] > filled else score
        elif grade is None and "grade" in columns:
            # The row stops before its grade column: the grade was left empty, at that place.
            grade = Cell("", Location(r + 1, columns["grade"] + 1, grid.name))
        projects.append(
            Project(
                index=start_index + len(projects),
                name=name,
                unit=_stripped(unit),
                department=_stripped(department),
                total_score=score,
                grade=grade,
                location=row[0].location if row else Location(r + 1, 1, grid.name),
            )
        )
    return projects


def _stripped(cell: Cell | None) -> Cell | None:
    if cell is None or cell.is_blank:
        return cell
    return Cell(strip_code(cell.text), cell.location)


def _at(row: list[Cell], c: int | None) -> Cell | None:
    if c is None or c >= len(row):
        return None
    return row[c]
