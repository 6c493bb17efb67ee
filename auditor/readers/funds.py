"""The fund section of a project block: budget, arrivals, execution, the 执行率, its weight and score.

Three shapes occur in published tables, all read by their labels:

- a column table (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 …) with one line per fund
  source (年度资金总额, 其中：财政拨款, 其他资金 …), its header over one or two rows;
- label–value pairs under group headers (Hebei: 预算安排情况 | 预算数 6.84 | 资金到位情况 | 到位数 6.84 …)
  or in one row (Hainan: 计划投资额 570 | 实际到位资金 398.88 | 实际使用情况 395.86);
- one row of values under a header without line labels (中央 | 省、地 | 本级 | 合计 | 执行数 | 执行率).

A weight written in the section label or the score header (预算执行情况（20分）, 得分（20分*执行率）) is the
执行率's weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from auditor.model import Cell, FundLine, Location
from auditor.readers.columns import best_roles, role_of
from auditor.readers.grid import Grid
from auditor.readers.labels import matcher
from auditor.text.normalize import to_simplified

_WEIGHT_IN_LABEL = re.compile(r"(\d+(?:\.\d+)?)\s*分")
_MONEY_UNIT = re.compile(r"(万元|亿元|千元|元)")
_DASHES = {"—", "-", "－", "/", "——", "--"}
_VALUE_ROLES = ("initial", "annual", "executed", "arrived", "rate", "weight", "score", "reason")


@dataclass
class FundSection:
    """What the fund section says; ``lines`` in table order, the total line's extras kept apart."""

    lines: list[FundLine] = field(default_factory=list)
    weight: Cell | None = None
    score: Cell | None = None
    reason: Cell | None = None
    money_unit: str | None = None

    def add(self, line: FundLine) -> None:
        """Keep the first line of each kind — unless it was left blank and a later one is filled."""
        for i, existing in enumerate(self.lines):
            if existing.kind == line.kind:
                if _blank(existing) and not _blank(line):
                    self.lines[i] = line
                return
        self.lines.append(line)


def _blank(line: FundLine) -> bool:
    return all(cell is None or cell.is_blank for cell in (line.initial, line.annual, line.executed, line.rate))


def fund_header(grid: Grid, r: int) -> dict[str, int] | None:
    """Columns of a fund table header at row ``r`` (exact labels preferred), or ``None``."""
    if any(cell.number is not None for cell in grid.rows[r]):
        return None  # label–value pairs in one row (read_pair_row), not a header
    if any(not cell.is_blank and matcher("categories").match(cell.text, fuzzy=False) for cell in grid.rows[r]):
        return None  # an indicator row, not a fund header
    columns = best_roles(grid.rows[r], "standard", "fund_columns")
    roles = columns.keys()
    if len(columns) >= 2 and ({"executed", "annual"} & roles) and ({"executed", "rate", "arrived"} & roles):
        return columns
    return None


def _at(grid: Grid, r: int, c: int | None) -> Cell | None:
    if c is None or c >= len(grid.rows[r]):
        return None
    return grid.rows[r][c]


def _line_kind(cell: Cell) -> str | None:
    if cell.is_blank or len(cell.text) > 30 or cell.number is not None:
        return None
    return matcher("standard", "fund_lines").match(cell.text, fuzzy=False)


def section_extras(grid: Grid, r: int, columns: dict[str, int], section: FundSection) -> None:
    """Weight and money unit written in the section's labels (the header row and its first cell)."""
    for cell in grid.distinct(r):
        if section.money_unit is None:
            unit = _MONEY_UNIT.search(cell.text)
            if unit and ("(" in cell.text or "（" in cell.text):
                section.money_unit = unit.group(1)
        weight = _WEIGHT_IN_LABEL.search(cell.text)
        first = cell.location == grid.rows[r][0].location
        if weight and section.weight is None and ("执行" in to_simplified(cell.text) or first):
            section.weight = Cell(weight.group(1), cell.location)


def read_fund_table(grid: Grid, r: int, end: int, columns: dict[str, int], section: FundSection) -> int:
    """Read the lines under a fund header at ``r``; returns the first row after the section."""
    section_extras(grid, r, columns, section)
    label_limit = min(columns.values())
    row = r + 1
    # A second header row (资金结构 | 年初部门预算安排金额 | … under 预算安排 | 拨付情况) refines the columns.
    if row < end:
        refined = fund_header(grid, row)
        numeric = any(cell.number is not None or cell.percent is not None for cell in grid.rows[row])
        if refined is not None and not numeric:
            columns = {**columns, **refined}
            label_limit = min(refined.values())
            row += 1
    while row < end:
        cells = grid.rows[row]
        if not any(not cell.is_blank for cell in cells):
            row += 1
            continue
        kind = next((k for cell in cells[:label_limit] if (k := _line_kind(cell))), None)
        pairs = False
        if kind is None:
            # Hebei: the line label sits in a value column, the value one to its right.
            first = _at(grid, row, label_limit)
            if first is not None and (k := _line_kind(first)) and _value_right(grid, row, label_limit) is not None:
                kind, pairs = k, True
        if kind is None:
            values = [_at(grid, row, columns.get(key)) for key in ("annual", "executed")]
            left_blank = all(cell.is_blank for cell in cells[:label_limit])
            if not section.lines and left_blank and any(v is not None and v.number is not None for v in values):
                kind = "total"  # one row of values, no line labels
            else:
                break
        picked = {}
        for key in _VALUE_ROLES:
            c = columns.get(key)
            cell = _value_right(grid, row, c) if pairs else _at(grid, row, c)
            picked[key] = cell
        label = next((cell for cell in cells if _line_kind(cell) == kind), cells[0])
        section.add(
            FundLine(
                kind=kind,
                label=label,
                initial=picked["initial"],
                annual=picked["annual"],
                executed=picked["executed"],
                rate=picked["rate"],
                arrived=picked["arrived"],
            )
        )
        score_column = columns.get("score")
        if kind == "total" and picked["score"] is None and score_column is not None and cells:
            # A row that stops before its score column: the score was left empty, at that place.
            where = cells[0].location
            if where is not None:
                picked["score"] = Cell("", Location(where.row, score_column + 1, where.sheet))
        seen_total = any(line.kind == "total" for line in section.lines[:-1])
        filled = picked["score"] is not None and not picked["score"].is_blank and picked["score"].text not in _DASHES
        if kind == "total" or (not seen_total and section.score is None and filled):
            if picked["weight"] is not None and (section.weight is None or not picked["weight"].is_blank):
                section.weight = picked["weight"]
            section.score = picked["score"] if picked["score"] is not None else section.score
            if picked["reason"] is not None and not picked["reason"].is_blank:
                section.reason = picked["reason"]
        row += 1
    return row


def _value_right(grid: Grid, r: int, c: int | None) -> Cell | None:
    """In a label–value layout the value is the first cell right of the label (or the cell itself)."""
    cell = _at(grid, r, c)
    if cell is None:
        return None
    if cell.number is not None or cell.percent is not None or cell.is_blank:
        return cell
    right = _at(grid, r, c + 1 if c is not None else None)
    if right is not None and right.location != cell.location:
        return right
    return None


def read_pair_row(grid: Grid, r: int, section: FundSection) -> bool:
    """A row of label–value pairs (计划投资额 570 | 实际到位资金 398.88 | 实际使用情况 395.86)."""
    cells = grid.distinct(r)
    found: dict[str, Cell] = {}
    for label, value in pairwise(cells):
        role = role_of(label, "standard", "fund_columns")
        if role is None or value.number is None:
            continue
        found.setdefault(role[0], value)
        if section.money_unit is None and (unit := _MONEY_UNIT.search(label.text)):
            section.money_unit = unit.group(1)
    if len(found) < 2 or not ({"annual", "executed"} & found.keys()):
        return False
    section.add(
        FundLine(
            kind="total",
            label=cells[0],
            annual=found.get("annual"),
            executed=found.get("executed"),
            arrived=found.get("arrived"),
            rate=found.get("rate"),
        )
    )
    return True
