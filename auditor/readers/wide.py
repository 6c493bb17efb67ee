"""Layout A, "wide": one row per project under a (usually three-row) header."""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

from auditor.model import EMPTY, Budget, Cell, FundLine, Indicator, Location, Project, Realignment
from auditor.readers.align import Aligner, Placement
from auditor.readers.grid import Grid
from auditor.readers.header import HeaderMap, map_header

_NOTE_ROW = re.compile(r"^(注|说明|备注|填报人|填表人|审核人|联系人|联系电话|负责人|单位负责人|财务负责人)")
_TOTAL_ROW = re.compile(r"^(合计|总计|小计)$")

SIDE_NAMES = {"target": "年度指标内容", "completion": "完成情况", "value": ""}


def _is_data_row(cells: list[Cell]) -> bool:
    texts = [cell.text for cell in cells if not cell.is_blank]
    if len(texts) < 4:
        return False
    if _NOTE_ROW.match(texts[0]) or any(_TOTAL_ROW.match(t) for t in texts[:3]):
        return False
    return True


def parse_wide(grid: Grid, first: int, last: int) -> list[Project]:
    header = map_header(grid, first, last)
    data_rows = [r for r in range(last + 1, len(grid.rows)) if _is_data_row(grid.rows[r])]
    if not data_rows:
        return []
    aligner = Aligner(header.slots)
    placements: dict[int, Placement] = {}
    texts: dict[int, list[str]] = {}
    use_dp = grid.ragged or not header.positional
    if use_dp:
        width = max((col for slot in header.slots for col in slot.columns if col), default=0)
        for r in data_rows:
            row = grid.texts(r)
            while row and not row[-1].strip():
                row.pop()
            texts[r] = row
        # Trust header columns only for rows as long as the header; a short row has shifted.
        full = {r: header.positional and len(grid.rows[r]) >= width for r in data_rows}
        first_pass = {r: aligner.align(texts[r], positional=full[r]) for r in data_rows}
        aligner.learn([texts[r] for r in data_rows], [first_pass[r] for r in data_rows])
        placements = {r: aligner.align(texts[r], own=first_pass[r], positional=full[r]) for r in data_rows}
    else:
        for r in data_rows:
            placements[r] = _positional(header, len(grid.rows[r]))
    absent = _absent_places(placements) if use_dp else set()
    typical_column = _typical_columns(grid, placements)
    projects = []
    for order, r in enumerate(data_rows, start=1):
        projects.append(_build(grid, r, order, header, placements[r], absent, typical_column))
    return projects


def _positional(header: HeaderMap, width: int) -> Placement:
    assignment: dict[tuple[str, str], int | None] = {}
    for slot in header.slots:
        sides = ("target", "completion") if slot.pair else ("value",)
        for side, column in zip(sides, slot.columns, strict=True):
            assignment[(slot.key, side)] = column - 1 if column is not None and column <= width else None
    return Placement(assignment, [], [], 0.0)


def _absent_places(placements: dict[int, Placement]) -> set[tuple[str, str]]:
    """Places lost in most rows are columns the table simply does not fill (not a row defect)."""
    counts = Counter(place for placement in placements.values() for place in placement.lost)
    return {place for place, count in counts.items() if count * 2 > len(placements)}


def _typical_columns(grid: Grid, placements: dict[int, Placement]) -> dict[tuple[str, str], int]:
    columns: dict[tuple[str, str], list[int]] = {}
    for r, placement in placements.items():
        for place, index in placement.assignment.items():
            if index is not None and index < len(grid.rows[r]):
                location = grid.rows[r][index].location
                if location is not None:
                    columns.setdefault(place, []).append(location.column)
    return {place: int(median(cols)) for place, cols in columns.items()}


def _build(
    grid: Grid,
    r: int,
    order: int,
    header: HeaderMap,
    placement: Placement,
    absent: set[tuple[str, str]],
    typical_column: dict[tuple[str, str], int],
) -> Project:
    row = grid.rows[r]
    row_number = row[0].location.row if row and row[0].location else r + 1
    lost_here = [place for place in placement.lost if place not in absent]

    def cell(key: str, side: str = "value") -> Cell | None:
        place = (key, side)
        if place not in placement.assignment:
            return None
        index = placement.assignment[place]
        if index is not None and index < len(row):
            return row[index]
        column = typical_column.get(place)
        if place in lost_here:
            return Cell("", Location(row_number, column or (index or 0) + 1, grid.name), lost=True)
        if place in absent:
            return None  # a column the table never fills
        # The header has this column; the row simply leaves it empty (trailing cells dropped).
        return Cell("", Location(row_number, column, grid.name) if column else None)

    def text(key: str) -> Cell:
        return cell(key) or EMPTY

    index_cell = cell("index")
    number = index_cell.number if index_cell is not None else None
    index = int(number) if number is not None and number.is_integer() else order

    indicators = []
    for slot in header.slots:
        if slot.pair:
            indicators.append(
                Indicator(
                    category=slot.key,
                    target=cell(slot.key, "target") or EMPTY,
                    completion=cell(slot.key, "completion") or EMPTY,
                )
            )
    lines = [
        FundLine("total", annual=cell("budget_annual"), executed=cell("executed_total"), initial=cell("budget_initial"))
    ]
    if cell("executed_fiscal") is not None:
        lines.append(FundLine("fiscal", executed=cell("executed_fiscal")))
    if cell("executed_other") is not None:
        lines.append(FundLine("other", executed=cell("executed_other")))
    budget = Budget(lines=tuple(lines), rate=cell("rate"))

    realignment = None
    if lost_here or placement.dropped:
        realignment = _describe(row, placement, lost_here, header)
    return Project(
        index=index,
        name=text("name"),
        unit=cell("unit"),
        budget=budget,
        goal=text("goal"),
        goal_completion=text("goal_completion"),
        problems=cell("problems"),
        rectification=cell("rectification"),
        indicators=tuple(indicators),
        location=Location(row_number, 1, grid.name),
        realignment=realignment,
    )


FIELD_NAMES = {
    "index": "序号", "unit": "单位名称", "name": "项目名称", "budget_initial": "年初预算数",
    "budget_annual": "项目年度预算金额", "executed_total": "实际支出合计", "executed_fiscal": "财政拨款",
    "executed_other": "非财政资金", "rate": "预算支出执行率", "goal": "年初绩效目标",
    "goal_completion": "绩效目标整体完成情况", "problems": "项目执行中存在的问题", "rectification": "整改情况",
}  # fmt: skip


def place_name(key: str, side: str) -> str:
    """Chinese name of a place, e.g. ``质量指标·年度指标内容``."""
    if side == "value":
        return FIELD_NAMES.get(key, key)
    return f"{key}·{SIDE_NAMES[side]}"


def _describe(row: list[Cell], placement: Placement, lost: list[tuple[str, str]], header: HeaderMap) -> Realignment:
    found = sum(1 for cell in row if not cell.is_blank)
    expected = found + len(lost) - len(placement.dropped)
    parts = []
    if lost:
        names = "、".join(place_name(*place) for place in lost)
        parts.append(f"推定缺失的单元格：{names}，其后各单元格已右移一格归位")
    if placement.dropped:
        extra = "、".join(f"“{row[i].text[:20]}”" for i in placement.dropped if i < len(row))
        parts.append(f"多出的单元格 {extra} 无法对应表头，已忽略")
    lost_out = tuple((key if side != "value" else None, side if side != "value" else key) for key, side in lost)
    return Realignment(found, expected, lost_out, "；".join(parts))
