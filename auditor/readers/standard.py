"""Layout B, "standard": the 财政部 template, one block per project.

A block starts at its ``项目名称`` row (the title lines above it belong to it) and runs to the next
block. Inside, sections are found by their labels, never by fixed row offsets: the fund section
(年初预算数/全年预算数/全年执行数/分值/执行率/得分 columns, one line per fund source), the overall goal
(预期目标/实际完成情况), the indicator table (一级/二级/三级指标, 年度指标值 or 目标值, 实际完成值, 分值,
得分, 偏差原因; provincial extras 指标性质 and 度量单位) and the 总分 row. Blocks may be stacked on
one sheet, spread one per sheet, or one per Word table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import EMPTY, Budget, Cell, FundLine, Indicator, Location, Project
from auditor.readers.grid import Grid
from auditor.readers.labels import category_of, matcher
from auditor.readers.meta import Meta
from auditor.resources import load_pack
from auditor.text.normalize import label_key

_LEVEL_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[）)]")


def _label(cell: Cell, section: str, sub: str | None = None, **kwargs: bool) -> str | None:
    if cell.is_blank or len(cell.text) > 40:
        return None
    return matcher(section, sub).match(cell.text, **kwargs)


def _is_name_row(grid: Grid, r: int) -> bool:
    cells = grid.distinct(r)
    return len(cells) >= 2 and _label(cells[0], "standard", "project_name", fuzzy=False, contains=False) is not None


def _is_indicator_header(grid: Grid, r: int) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for c, cell in enumerate(grid.rows[r]):
        key = _label(cell, "standard", "indicator_columns", fuzzy=False)
        if key and key not in columns:
            columns[key] = c
    if {"category", "target", "completion"} <= columns.keys() and ("name" in columns or "level" in columns):
        return columns
    return None


@dataclass(frozen=True)
class ModelSides:
    """Target/completion columns that the side model found under unrecognised header labels."""

    labels: dict[str, str]  # header label → "target" / "completion"
    probability: float
    texts: int


def _indicator_header(grid: Grid, r: int, end: int) -> tuple[dict[str, int], ModelSides | None] | None:
    """The indicator header at row ``r`` — by its labels, or else with the side model's help.

    A header whose 一级/二级/三级指标 columns are recognised but whose target or completion column is
    not (a province's own wording, a typo beyond fuzzy matching) used to lose the whole block. If
    ``model_sides`` is on and exactly as many unrecognised labels as missing sides remain, the side
    model reads the texts below them (rows ``r+1 … end-1``) and, when sure enough, names them.
    """
    columns = _is_indicator_header(grid, r)
    if columns is not None:
        return columns, None
    pack = load_pack("labels")
    if not pack.get("model_sides", False):
        return None
    columns, unknown = {}, []
    seen: set[Location | None] = set()
    for c, cell in enumerate(grid.rows[r]):
        if cell.is_blank or (cell.location is not None and cell.location in seen):
            continue
        seen.add(cell.location)
        key = _label(cell, "standard", "indicator_columns", fuzzy=False)
        if key is None and len(cell.text) <= 40:
            unknown.append((c, cell.text))
        elif key and key not in columns:
            columns[key] = c
    missing = [side for side in ("target", "completion") if side not in columns]
    if "category" not in columns or not ("name" in columns or "level" in columns) or not missing:
        return None
    # Values follow 一级/二级/三级指标 in every template; labels left of them (绩效指标 …) are not values.
    first_value = max(columns[key] for key in ("level", "category", "name") if key in columns) + 1
    unknown = [(c, label) for c, label in unknown if c >= first_value]
    if len(unknown) != len(missing):
        return None
    from auditor.ml.side import call_sides

    known = [side for side in ("target", "completion") if side in columns]
    ordered = [columns[side] for side in known] + [c for c, _ in unknown]
    texts = [[cell.text for row in range(r + 1, end) if (cell := _own(grid, row, c)) is not None] for c in ordered]
    call = call_sides(texts)
    if call is None or call.probability < float(pack["model_sides_threshold"]):
        return None
    if list(call.sides[: len(known)]) != known:  # the recognised column must come out as what its label says
        return None
    labels = {}
    for (c, label), side in zip(unknown, call.sides[len(known) :], strict=True):
        columns[side] = c
        labels[label] = side
    return columns, ModelSides(labels, call.probability, call.texts)


def _own(grid: Grid, r: int, c: int) -> Cell | None:
    """The cell at (r, c) unless it continues a merged cell from the left (总分 spread over the row)."""
    cell = _at(grid, r, c)
    if cell is None or (cell.location is not None and c > 0 and grid.rows[r][c - 1].location == cell.location):
        return None
    return cell


def model_notice(project: str, found: ModelSides) -> str:
    """The notice that the side model, not the labels, placed a table's target/completion columns."""
    names = {"target": "年度指标值（目标）", "completion": "实际完成值"}
    said = "、".join(f"“{label}”列为{names[side]}" for label, side in found.labels.items())
    unknown = "".join(f"“{label}”" for label in found.labels)
    return (
        f"项目“{project}”的指标表表头{unknown}无法识别，已由模型根据列中 {found.texts} 条文字判断：{said}"
        f"（模型判断，概率{found.probability:.2f}；可用 options.model-sides = false 关闭）"
    )


def _is_title_row(grid: Grid, r: int) -> bool:
    cells = grid.distinct(r)
    if not cells or len(cells) > 2:
        return False
    key = label_key(cells[0].text)
    return "自评表" in key or bool(re.fullmatch(r"\d{4}年度?", key)) or key.startswith("单位")


def find_standard_blocks(grid: Grid) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges (0-based, end exclusive) of the project blocks in a grid."""
    starts = [r for r in range(len(grid.rows)) if _is_name_row(grid, r)]
    blocks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(grid.rows)
        # The next block's title lines are not part of this block.
        while end - 1 > start and (grid.row_is_blank(end - 1) or _is_title_row(grid, end - 1)):
            end -= 1
        if any(_indicator_header(grid, r, end) for r in range(start, end)):
            blocks.append((start, end))
    return blocks


def _value_after(grid: Grid, r: int, label_cell: Cell) -> Cell:
    """The first distinct non-blank cell to the right of a label cell in the same row."""
    seen_label = False
    for cell in grid.distinct(r):
        if cell.location == label_cell.location:
            seen_label = True
            continue
        if seen_label:
            return cell
    return EMPTY


def _at(grid: Grid, r: int, c: int | None) -> Cell | None:
    if c is None or c >= len(grid.rows[r]):
        return None
    return grid.rows[r][c]


def parse_standard(grid: Grid, blocks: list[tuple[int, int]], meta: Meta, start_index: int = 1) -> list[Project]:
    projects = []
    previous_end = 0
    for offset, (start, end) in enumerate(blocks):
        for r in range(previous_end, start):  # the block's title lines
            for cell in grid.distinct(r):
                meta.update(cell.text)
        projects.append(_parse_block(grid, start, end, meta, start_index + offset))
        previous_end = end
    return projects


def _parse_block(grid: Grid, start: int, end: int, meta: Meta, index: int) -> Project:
    name_label = grid.distinct(start)[0]
    fields: dict[str, Cell] = {"name": _value_after(grid, start, name_label)}
    fund_columns: dict[str, int] | None = None
    fund_lines: list[FundLine] = []
    fund_extra: dict[str, Cell | None] = {}
    goal_columns: dict[str, int] | None = None
    indicator_columns: dict[str, int] | None = None
    indicators: list[Indicator] = []
    level_text, category_text, level_weight = "", "", None
    total_weight = total_score = None
    unknown: set[str] = set()
    r = start + 1
    while r < end:
        cells = grid.distinct(r)
        if not cells:
            r += 1
            continue
        # Department / implementing unit pairs.
        for cell in cells:
            key = _label(cell, "fields", fuzzy=False, contains=False)
            if key in ("department", "unit") and key not in fields:
                fields[key] = _value_after(grid, r, cell)
        if indicator_columns is None:
            header = _indicator_header(grid, r, end)
            if header:
                indicator_columns, by_model = header
                if by_model is not None:
                    grid.notices.append(model_notice(fields["name"].text, by_model))
                r += 1
                continue
            columns = {}
            for c, cell in enumerate(grid.rows[r]):
                key = _label(cell, "standard", "fund_columns", fuzzy=False)
                if key and key not in columns:
                    columns[key] = c
            if len(columns) >= 2 and ("executed" in columns or "annual" in columns):
                fund_columns = columns
                r += 1
                continue
            if fund_columns is not None and goal_columns is None:
                line = _fund_line(grid, r, fund_columns)
                if line is not None:
                    kind, fund_line, extra = line
                    if kind not in {existing.kind for existing in fund_lines}:
                        fund_lines.append(fund_line)
                        if kind == "total":
                            fund_extra = extra
                    r += 1
                    continue
            goal = {}
            for c, cell in enumerate(grid.rows[r]):
                key = _label(cell, "standard", "goal_columns", fuzzy=False)
                if key and key not in goal:
                    goal[key] = c
            if "goal" in goal:
                goal_columns = goal
                content = r + 1
                while content < end and grid.row_is_blank(content):
                    content += 1
                if content < end:
                    fields["goal"] = _at(grid, content, goal["goal"]) or EMPTY
                    if "goal_completion" in goal:
                        fields["goal_completion"] = _at(grid, content, goal["goal_completion"]) or EMPTY
                r = content + 1
                continue
        else:
            first = cells[0]
            if any(_label(cell, "standard", "total", fuzzy=False, contains=False) for cell in cells[:2]):
                total_weight = _at(grid, r, indicator_columns.get("weight"))
                total_score = _at(grid, r, indicator_columns.get("score"))
                r += 1
                continue
            if _label(first, "standard", "other_sections", fuzzy=False) is not None:
                fields.setdefault("problems", _value_after(grid, r, first))
                r += 1
                continue
            row = _indicator_row(grid, r, indicator_columns)
            if row is not None:
                level_cell, category_cell, indicator_cells = row
                if level_cell is not None and not level_cell.is_blank:
                    level_text = level_cell.text
                    match = _LEVEL_WEIGHT.search(level_text)
                    level_weight = float(match.group(1)) if match else None
                if category_cell is not None and not category_cell.is_blank:
                    category_text = category_cell.text
                category = category_of(category_text) if category_text else None
                if category is None and level_text and category_of(level_text) == "满意度指标":
                    category = "满意度指标"
                has_content = any(not c.is_blank for c in indicator_cells.values() if c is not None)
                if category is not None and has_content:
                    indicators.append(Indicator(category=category, level_weight=level_weight, **indicator_cells))
                elif has_content and category_text and category_text not in unknown:
                    unknown.add(category_text)
                    grid.notices.append(
                        f"项目“{fields['name'].text}”的二级指标“{category_text}”不属于九类标准指标，该类指标未检查"
                    )
        r += 1
    total = next((line for line in fund_lines if line.kind == "total"), None)
    budget = Budget(
        lines=tuple(fund_lines),
        rate=total.rate if total else None,
        rate_weight=fund_extra.get("weight"),
        rate_score=fund_extra.get("score"),
    )
    if meta.department is None and "department" in fields and not fields["department"].is_blank:
        meta.department = fields["department"].text
    location = name_label.location or Location(start + 1, 1, grid.name)
    return Project(
        index=index,
        name=fields["name"],
        unit=fields.get("unit"),
        department=fields.get("department"),
        budget=budget,
        goal=fields.get("goal", EMPTY),
        goal_completion=fields.get("goal_completion", EMPTY),
        problems=fields.get("problems"),
        total_score=total_score,
        total_weight=total_weight,
        indicators=tuple(indicators),
        location=location,
    )


def _fund_line(grid: Grid, r: int, columns: dict[str, int]) -> tuple[str, FundLine, dict[str, Cell | None]] | None:
    label_column = min(columns.values())
    for cell in grid.rows[r][:label_column]:
        kind = _label(cell, "standard", "fund_lines", fuzzy=False)
        if kind is None:
            continue
        line = FundLine(
            kind=kind,
            label=cell,
            initial=_at(grid, r, columns.get("initial")),
            annual=_at(grid, r, columns.get("annual")),
            executed=_at(grid, r, columns.get("executed")),
            rate=_at(grid, r, columns.get("rate")),
        )
        extra = {"weight": _at(grid, r, columns.get("weight")), "score": _at(grid, r, columns.get("score"))}
        return kind, line, extra
    return None


_INDICATOR_FIELDS = ("name", "target", "completion", "weight", "score", "reason", "nature", "unit")


def _indicator_row(
    grid: Grid, r: int, columns: dict[str, int]
) -> tuple[Cell | None, Cell | None, dict[str, Cell | None]] | None:
    level = _at(grid, r, columns.get("level"))
    category = _at(grid, r, columns.get("category"))
    values: dict[str, Cell | None] = {}
    for key in _INDICATOR_FIELDS:
        cell = _at(grid, r, columns.get(key))
        # A merged label repeated into a value column is not a value.
        if cell is not None and category is not None and cell.location == category.location:
            cell = None
        values[key] = cell
    for key in ("target", "completion"):
        if values[key] is None:
            values[key] = EMPTY
    return level, category, values
