"""Layout B, "standard": one block per project — the 财政部 template and every provincial variant.

A block starts at its ``项目名称`` row (or 专项资金名称, 转移支付（项目）名称, 评价项目：… — ``rules/labels.yaml``);
a table without one (a department-wide table, a scoring sheet, a template that names the project only
in its title) is one block named by its title. Inside, every row is read by what its labels say,
never by its offset:

- field pairs (主管部门 | …, 实施单位 | …), values never taken from the next label;
- the fund section (:mod:`.funds`), the goal (预期目标/年初设定目标 | 实际完成情况/…综述, over one or several
  rows, or 项目年度目标 | text in one row);
- indicator tables (:mod:`.columns`: headers over up to three rows, 分值 before or after the values)
  whose rows map to the nine categories — 产出数量 → 数量指标 in the 决策/管理/绩效 frameworks — and
  whose 决策/过程/管理 rows become management items; template placeholders (指标2：, ……) are dropped and
  counted, 指标1： prefixes stripped, 其中 sub-rows marked under their weighted parent;
- 资金管理情况 tables (情况说明 | 存在问题) as management items; totals; narrative sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import EMPTY, Budget, Cell, FundLine, Location, ManagementItem, Project
from auditor.readers.columns import (
    Columns,
    best_roles,
    is_indicator_header,
    is_management_header,
    map_columns,
    role_of,
)
from auditor.readers.funds import FundSection, fund_header, read_fund_table, read_pair_row
from auditor.readers.grid import Grid
from auditor.readers.labels import matcher
from auditor.readers.meta import Meta, strip_code
from auditor.readers.model_sides import ModelSides, complete_sides, model_notice
from auditor.readers.table_rows import TableRows, _indicators, _Row, _Table, _unlabelled_score
from auditor.text.normalize import label_key, to_simplified

_INLINE = re.compile(r"^\s*(?P<label>[^:：]{2,12})[:：]\s*(?P<value>\S.*)$", re.S)
_TITLE_NAME = re.compile(
    r"(?:(?:19|20)\d{2}年度?)?(?P<name>[^()（）]{2,60}?)(?:项目)?(?:支出)?绩效(?:目标)?(?:自评|评价)"
)


def _label(cell: Cell, section: str, sub: str | None = None, **kwargs: bool) -> str | None:
    if cell.is_blank or len(cell.text) > 40:
        return None
    return matcher(section, sub).match(cell.text, **kwargs)


def _inline(cell: Cell, section: str, sub: str | None = None) -> tuple[str, Cell] | None:
    """``label：value`` written in one cell (项目名称：…, 评价项目：…) as ``(key, value cell)``."""
    match = _INLINE.match(cell.text)
    if not match:
        return None
    key = matcher(section, sub).match(match.group("label"), contains=False, fuzzy=False)
    if key is None:
        return None
    return key, Cell(match.group("value").strip(), cell.location)


def _name_cell(grid: Grid, r: int) -> Cell | None:
    """The project name if row ``r`` names one (label then value, or ``项目名称：value``)."""
    cells = grid.distinct(r)
    if not cells:
        return None
    first = cells[0]
    if _label(first, "standard", "project_name", fuzzy=False, contains=False) is not None:
        if len(cells) >= 2 and role_of(cells[1], "summary" if False else "standard", "indicator_columns") is None:
            value = _value_after(grid, r, first)
            if not value.is_blank and len(cells) <= 6:
                return value
        return None
    for i, cell in enumerate(cells[:3]):
        found = _inline(cell, "standard", "project_name")
        if found is not None:
            return found[1]
        if i and _label(cell, "standard", "project_name", fuzzy=False, contains=False) is not None:
            value = _value_after(grid, r, cell)
            return value if not value.is_blank else None
    return None


def _is_title_row(grid: Grid, r: int) -> bool:
    cells = grid.distinct(r)
    if not cells or len(cells) > 2:
        return False
    key = label_key(cells[0].text)
    return "自评表" in key or bool(re.fullmatch(r"\d{4}年度?", key)) or key.startswith("单位")


def table_header(grid: Grid, r: int, end: int) -> tuple[Columns, ModelSides | None] | None:
    """The indicator or management table header at row ``r`` — by its labels, else with the side model."""
    columns = map_columns(grid, r)
    if "target" not in columns.roles and "completion" not in columns.roles:
        # Unknown labels where the values should be: ask the side model before reading the table as a
        # scored framework without values (一级 | 分值 | 二级 | 分值 | 三级 | 分值 | 得分).
        found = complete_sides(grid, r, end, columns)
        if found is not None and is_indicator_header(columns):
            return columns, found
        if _unknown_value_labels(grid, r, columns):
            return None  # values under labels nobody knows: not a framework of scores alone
    elif is_indicator_header(columns) or is_management_header(columns):
        return columns, None
    else:
        found = complete_sides(grid, r, end, columns)
        if found is not None and is_indicator_header(columns):
            return columns, found
    if is_indicator_header(columns) or is_management_header(columns):
        return columns, None
    return None


def _unknown_value_labels(grid: Grid, r: int, columns: Columns) -> bool:
    anchors = [columns.roles[key] for key in ("level", "category", "name") if key in columns.roles]
    if not anchors:
        return False
    first = min(anchors)
    return any(
        not cell.is_blank and role_of(cell) is None for cell in grid.rows[r][first:] if len(cell.text) <= 40
    )


def _has_table(grid: Grid, start: int, end: int) -> bool:
    return any(table_header(grid, r, end) is not None for r in range(start, end))


def find_standard_blocks(grid: Grid) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges (0-based, end exclusive) of the project blocks in a grid."""
    names = [r for r in range(len(grid.rows)) if _name_cell(grid, r) is not None]
    starts = sorted(names + _titled_starts(grid, names))
    blocks: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(grid.rows)
        # The next block's title lines are not part of this block.
        while end - 1 > start and (grid.row_is_blank(end - 1) or _is_title_row(grid, end - 1)):
            end -= 1
        if _has_table(grid, start, end):
            blocks.append((start, end))
        elif len(starts) > 1 and _cut_before_indicators(grid, max(blocks[-1][1] if blocks else 0, start - 3), end):
            # A table whose copy stops before its indicators, stacked with others: judged like such a
            # table alone in its file (its title may sit just above its name row).
            blocks.append((start, end))
    if not blocks and _has_table(grid, 0, len(grid.rows)):
        blocks.append((0, len(grid.rows)))  # named by its title: department-wide tables, scoring sheets
    elif not blocks and _cut_before_indicators(grid, starts[0] if starts else 0, len(grid.rows)):
        blocks.append((starts[0] if starts else 0, len(grid.rows)))
    return blocks


def _titled_starts(grid: Grid, names: list[int]) -> list[int]:
    """Title rows that open a table with no 项目名称 row of its own (a department-wide table, a scoring
    sheet or a transfer-payment template stacked under another table): each starts its own block."""
    titles = [r for r in range(len(grid.rows)) if _is_table_title(grid, r)]
    starts = []
    for i, title in enumerate(titles):
        end = titles[i + 1] if i + 1 < len(titles) else len(grid.rows)
        if any(title < r < end for r in names):
            continue  # the title of a block that names its project
        if _has_table(grid, title, end) or _cut_before_indicators(grid, title, end):
            starts.append(title)
    return starts if len(starts) + len(names) > 1 else []


def _is_table_title(grid: Grid, r: int) -> bool:
    cells = grid.distinct(r)
    if not cells or len(cells) > 2:
        return False
    return bool(re.search(r"自评表|绩效评价表|绩效评价情况表|评分细则", to_simplified(cells[0].text)))


def _cut_before_indicators(grid: Grid, start: int, end: int) -> bool:
    """A self-evaluation table whose copy stops before its indicators: a titled fund section is there.

    Excerpts often end inside the goal or the fund block; what they show is still judged. Only a
    table that calls itself a self-evaluation (自评表, 绩效评价) and is no wide table qualifies.
    """
    from auditor.readers.header import find_wide_header

    top = range(start, min(end, start + 4))
    titled = any(re.search(r"自评表|绩效评价|自评", to_simplified(cell.text)) for r in top for cell in grid.distinct(r))
    if not titled:
        return False
    notices, sides = list(grid.notices), dict(grid.side_labels)
    wide = find_wide_header(grid) is not None
    grid.notices[:], grid.side_labels = notices, sides  # only asked; the wide reader asks again and says so
    if wide:
        return False
    return any(fund_header(grid, r) is not None for r in range(start, end))


def _value_after(grid: Grid, r: int, label_cell: Cell) -> Cell:
    """The cell right of a label (a merged label counts once); blank when that cell is another label."""
    row = grid.rows[r]
    columns = [c for c, cell in enumerate(row) if cell.location == label_cell.location]
    if not columns:
        return EMPTY
    c = columns[-1] + 1
    if c >= len(row):
        return EMPTY
    value = row[c]
    if value.is_blank:
        # A label merged over two columns in a text export leaves its value one further right.
        if c + 1 < len(row) and not row[c + 1].is_blank and not _is_field_label(row[c + 1]):
            return row[c + 1]
        return Cell("", value.location)
    if _is_field_label(value):
        return Cell("", value.location)
    return value


def _is_field_label(cell: Cell) -> bool:
    if cell.is_blank or len(cell.text) > 16:
        return False
    return (
        _label(cell, "fields", fuzzy=False, contains=False) is not None
        or _label(cell, "standard", "project_name", fuzzy=False, contains=False) is not None
        or label_key(cell.text) in {"项目负责人及电话", "负责人及电话", "项目负责人", "联系电话", "负责人"}
    )


def _text_right_of(grid: Grid, r: int, c: int) -> Cell | None:
    """The text a row-wise goal label (column ``c`` of row ``r``) is followed by: the first cell to its
    right that is neither the label itself (merged) nor another goal label; ``None`` when there is none."""
    row = grid.rows[r]
    if c >= len(row):
        return None
    label = row[c]
    for cell in row[c + 1 :]:
        if cell.is_blank or cell.location == label.location:
            continue
        if role_of(cell, "standard", "goal_columns") is not None or len(cell.text) < 2:
            return None
        return cell
    return None


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
        projects.append(BlockReader(grid, start, end, meta).read(start_index + offset))
        previous_end = end
    return projects


@dataclass
class BlockReader(TableRows):
    """Reads one project block row by row; each row is claimed by the first section that knows it."""

    grid: Grid
    start: int
    end: int
    meta: Meta
    fields: dict[str, Cell] = field(default_factory=dict)
    funds: FundSection = field(default_factory=FundSection)
    rows: list[_Row] = field(default_factory=list)
    management: list[ManagementItem] = field(default_factory=list)
    explanations: list[Cell] = field(default_factory=list)
    total_weight: Cell | None = None
    total_score: Cell | None = None
    placeholders: int = 0
    unknown: set[str] = field(default_factory=set)
    completion_column: int | None = None
    mapped: set[tuple[str, str]] = field(default_factory=set)  # (label, category) mapped by name, noticed once

    def read(self, index: int) -> Project:
        grid = self.grid
        name = _name_cell(grid, self.start)
        if name is not None:
            self.fields["name"] = name
            self._field_pairs(self.start, grid.distinct(self.start))
            r = self.start + 1
        else:
            r = self.start
        table: _Table | None = None
        while r < self.end:
            cells = grid.distinct(r)
            if not cells:
                r += 1
                continue
            self._field_pairs(r, cells)
            if self._total(r, cells, table):
                r += 1
                continue
            if self._narrative(r, cells):
                table = None
                r += 1
                continue
            header = table_header(grid, r, self.end)
            if header is not None:
                columns, by_model = header
                table = _Table(columns, management=not is_indicator_header(columns))
                table.header_cells = {cell.location for row in grid.rows[r : r + columns.rows] for cell in row}
                if table.management:
                    _unlabelled_score(grid, r, columns)
                if by_model is not None:
                    grid.notices.append(model_notice(self._name().text, by_model))
                r += columns.rows
                continue
            mgmt = self._management_section_header(r, cells)
            if mgmt is not None:
                table = _Table(mgmt, management=True, section="资金管理")
                r += 1
                continue
            fund = fund_header(grid, r) if table is None or not self._is_data(r, table) else None
            if fund is not None:
                r = read_fund_table(grid, r, self.end, fund, self.funds)
                table = None
                continue
            if read_pair_row(grid, r, self.funds):
                r += 1
                continue
            goal_end = self._goal(r, cells, table)
            if goal_end is not None:
                table = None
                r = goal_end
                continue
            if table is not None:
                self._table_row(r, table)
            r += 1
        return self._project(index)

    # -- sections -------------------------------------------------------------------------------

    def _field_pairs(self, r: int, cells: list[Cell]) -> None:
        for cell in cells:
            found = _inline(cell, "fields")
            if found is not None and found[0] in ("department", "unit"):
                self.fields.setdefault(found[0], found[1])
                continue
            if cell.is_blank or len(cell.text) > 16:
                continue
            key = _label(cell, "fields", fuzzy=False, contains=False)
            if key in ("department", "unit") and key not in self.fields:
                self.fields[key] = _value_after(self.grid, r, cell)
            elif "dept_name" not in self.fields and _label(
                cell, "standard", "department_name", fuzzy=False, contains=False
            ):
                value = _value_after(self.grid, r, cell)
                if not value.is_blank:
                    self.fields["dept_name"] = value
            elif self.total_score is None and (
                label_key(cell.text) in {"自评总分", "总分"}
                # 自评得分 | 98 among the project's particulars (a column label further down the table)
                or (label_key(cell.text) in {"自评得分", "自评分"} and not self.rows and not self.management)
            ):
                value = _value_after(self.grid, r, cell)
                if value.number is not None:
                    self.total_score = value
            else:
                inline = re.match(r"^\s*自评总分\s*[:：]\s*(\d+(?:\.\d+)?)\s*$", to_simplified(cell.text))
                if inline and self.total_score is None:
                    self.total_score = Cell(inline.group(1), cell.location)

    def _total(self, r: int, cells: list[Cell], table: _Table | None) -> bool:
        if table is None or (table.management and table.section == "资金管理"):
            return False
        if not any(_label(cell, "standard", "total", fuzzy=False, contains=False) for cell in cells[:2]):
            return False
        columns = table.columns
        weight = _at(self.grid, r, columns.get("weight"))
        score = _at(self.grid, r, columns.get("score"))
        if score is not None and score.is_blank:
            # 总分 written at the row's end when the score column is elsewhere.
            numbers = [cell for cell in cells if cell.number is not None]
            if numbers and (weight is None or numbers[-1].location != weight.location):
                score = numbers[-1] if len(numbers) == 1 or weight is not None else score
        self.total_weight = weight if weight is not None and weight.location != cells[0].location else None
        self.total_score = score if score is not None and score.location != cells[0].location else self.total_score
        return True

    def _narrative(self, r: int, cells: list[Cell]) -> bool:
        first = cells[0]
        if len(first.text) > 24 or first.number is not None:
            return False
        key = _label(first, "standard", "narrative", fuzzy=False)
        if key is None:
            return False
        value = _value_after(self.grid, r, first)
        if key == "explanations":
            if not value.is_blank:
                self.explanations.append(value)
        else:
            self.fields.setdefault(key, value)
        return True

    def _management_section_header(self, r: int, cells: list[Cell]) -> Columns | None:
        if len(cells) < 2 or _label(cells[0], "standard", "management_sections", fuzzy=False, contains=False) is None:
            return None
        roles: dict[str, int] = {}
        for c, cell in enumerate(self.grid.rows[r]):
            found = role_of(cell, "standard", "management_columns")
            if found is not None and found[0] not in roles:
                roles[found[0]] = c
        if "content" not in roles:
            return None
        first = next(c for c, cell in enumerate(self.grid.rows[r]) if cell.location == cells[0].location)
        roles["name"] = first
        return Columns(roles)

    def _goal(self, r: int, cells: list[Cell], table: _Table | None) -> int | None:
        """Read a goal header and its content rows; returns the next row, or ``None``."""
        grid = self.grid
        first = cells[0]
        section = _label(first, "standard", "goal_section", fuzzy=False) is not None
        goal = best_roles(grid.rows[r], "standard", "goal_columns", {first.location} if section else None)
        if "goal" in goal and "goal_completion" not in goal and _text_right_of(grid, r, goal["goal"]) is not None:
            return self._goal_pairs(r, goal["goal"])
        if "goal" in goal and ("goal_completion" in goal or section) and len(cells) >= 2:
            return self._goal_rows(r, goal)
        if table is None and len(cells) == 2 and "goal" not in self.fields:
            if _label(first, "standard", "goal_inline", fuzzy=False, contains=False) and len(cells[1].text) >= 6:
                self.fields["goal"] = cells[1]
                return r + 1
        if table is None and section and not goal and 2 <= len(cells) <= 3:
            return self._goal_inline_texts(r, first, cells[1:])
        return None

    def _goal_inline_texts(self, r: int, label: Cell, texts: list[Cell]) -> int | None:
        """年度总体目标 | goal | completion with no sub-labels (Beijing's form), or a completion section
        label (年度总体目标完成情况) with its text beside it."""
        if any(len(cell.text) < 6 or role_of(cell, "standard", "goal_columns") is not None for cell in texts):
            return None
        role = role_of(label, "standard", "goal_columns")
        keys = ["goal_completion"] if role is not None and role[0] == "goal_completion" else ["goal", "goal_completion"]
        if len(texts) > len(keys) or any(key in self.fields for key in keys[: len(texts)]):
            return None
        for key, cell in zip(keys, texts, strict=False):
            self.fields[key] = cell
        return r + 1

    def _goal_pairs(self, r: int, c: int) -> int:
        """A goal written row by row: each row a sub-label in column ``c`` (年初设定目标, 年度总体目标完成情况)
        with its text to the right, instead of sub-labels heading columns of text below them."""
        row = r
        while row < self.end:
            label = _at(self.grid, row, c)
            role = role_of(label, "standard", "goal_columns") if label is not None else None
            text = _text_right_of(self.grid, row, c)
            if role is None or text is None:
                break
            self.fields.setdefault(role[0], text)
            row += 1
        return row

    def _goal_rows(self, r: int, goal: dict[str, int]) -> int:
        grid = self.grid
        leftmost = min(goal.values())
        texts: dict[str, list[Cell]] = {"goal": [], "goal_completion": []}
        row = r + 1
        while row < self.end:
            cells = grid.rows[row]
            if grid.row_is_blank(row):
                row += 1
                if any(texts.values()):
                    break
                continue
            # Text left of the goal columns starts the next section (unless it is the merged section label).
            above = {cell.location for cell in grid.rows[r]}
            if table_header(grid, row, self.end) is not None or fund_header(grid, row) is not None:
                break
            header_row = grid.rows[r]
            if any(
                not cell.is_blank
                and cell.location not in above
                and not (c < len(header_row) and header_row[c].text == cell.text)  # a merged label repeated
                for c, cell in enumerate(cells[:leftmost])
            ):
                break
            found = False
            for key, c in goal.items():
                cell = _at(grid, row, c)
                if cell is not None and not cell.is_blank and cell.location not in {x.location for x in texts[key]}:
                    texts[key].append(cell)
                    found = True
            if not found:
                break
            row += 1
        for key, cells in texts.items():
            if key in self.fields:
                continue
            if len(cells) == 1:
                self.fields[key] = cells[0]
            elif cells:
                self.fields[key] = Cell("\n".join(cell.text for cell in cells), cells[0].location)
            elif key in goal:
                placed = _at(grid, r + 1, goal[key]) if r + 1 < self.end else None
                self.fields[key] = Cell("", placed.location) if placed is not None else EMPTY
        return row

    def _is_data(self, r: int, table: _Table) -> bool:
        columns = table.columns
        for role in ("target", "completion", "score", "content"):
            cell = _at(self.grid, r, columns.get(role))
            if cell is not None and not cell.is_blank and role_of(cell, "standard", "fund_columns") is None:
                return True
        return False

    # -- table rows -----------------------------------------------------------------------------

    def _rate_row(self) -> tuple[Cell | None, Cell | None]:
        """The weight and score of a 预算执行率 row scored among the 决策/过程/管理 items (scoring forms put the
        rate there rather than in the fund block): what the fund block's 分值/得分 would otherwise hold."""
        for item in self.management:
            if item.weight is None or item.score is None or item.weight.number is None or item.score.number is None:
                continue
            if role_of(item.label, "standard", "fund_columns") == ("rate", 2):
                return item.weight, item.score
        return None, None

    def _project(self, index: int) -> Project:
        self._drop_cut_row()
        indicators = _indicators(self.rows)
        if self.placeholders:
            project = self._name().text
            self.grid.notices.append(
                f"项目“{project}”中 {self.placeholders} 行未填写的模板占位行（如“指标2：”“……”）未作为指标检查"
            )
        lines = tuple(self.funds.lines)
        total = next((line for line in lines if line.kind == "total"), lines[0] if len(lines) == 1 else None)
        if total is not None and total.kind != "total" and len(lines) == 1:
            total = None
        rate_weight, rate_score = self.funds.weight, self.funds.score
        if rate_weight is None and rate_score is None:
            rate_weight, rate_score = self._rate_row()
        budget = Budget(
            lines=lines,
            rate=total.rate if total is not None else None,
            rate_weight=rate_weight,
            rate_score=rate_score,
        )
        explanations = list(self.explanations)
        if self.funds.reason is not None:
            explanations.append(self.funds.reason)
        if self.funds.money_unit and self.meta.money_unit is None:
            self.meta.money_unit = self.funds.money_unit
        self._check_magnitude(lines)
        department = self.fields.get("department")
        if department is not None and not department.is_blank:
            department = Cell(strip_code(department.text), department.location)
        unit = self.fields.get("unit")
        if unit is not None and not unit.is_blank:
            unit = Cell(strip_code(unit.text), unit.location)
        name = self._name()
        for candidate in (department, unit, self.fields.get("dept_name")):
            if self.meta.department is None and candidate is not None and not candidate.is_blank:
                self.meta.department = strip_code(candidate.text)
        rows = self.grid.rows
        location = name.location or (rows[self.start][0].location if rows[self.start] else None)
        return Project(
            index=index,
            name=name,
            unit=unit,
            department=department,
            budget=budget,
            goal=self.fields.get("goal", EMPTY),
            goal_completion=self.fields.get("goal_completion", EMPTY),
            problems=self.fields.get("problems"),
            rectification=self.fields.get("rectification"),
            total_score=self.total_score,
            total_weight=self.total_weight,
            indicators=indicators,
            location=location or Location(self.start + 1, 1, self.grid.name),
            management=tuple(self.management),
            explanations=tuple(explanations),
        )

    def _name(self) -> Cell:
        """The project's name: its 项目名称 cell; a department-wide table's department; else the title's."""
        name = self.fields.get("name")
        if name is not None:
            return name
        department = self.fields.get("department")
        whole = self.fields.get("dept_name") or (department if self._department_wide() else None)
        if whole is not None and not whole.is_blank:
            return Cell(strip_code(whole.text), whole.location)
        return self._title_name()

    def _check_magnitude(self, lines: tuple[FundLine, ...]) -> None:
        """A table that says 万元 but writes amounts of a million and more most likely counts in 元."""
        unit = self.funds.money_unit or self.meta.money_unit or "万元"
        amounts = [
            cell.number
            for line in lines
            for cell in (line.initial, line.annual, line.executed)
            if cell is not None and cell.number is not None
        ]
        if unit == "万元" and amounts and max(amounts) >= 1_000_000:
            project = self._name().text or "（未命名）"
            self.grid.notices.append(
                f"项目“{project}”的资金单位写作万元，但金额达{max(amounts):,.0f}，疑为以元填报，请核对金额单位"
            )

    def _department_wide(self) -> bool:
        """The block's own title (or, for the first block, the file's) says 部门整体支出."""
        titles = [cell.text for r in range(self.start, min(self.end, self.start + 4)) for cell in self.grid.distinct(r)]
        if self.start == 0 or not any(_is_table_title(self.grid, r) for r in range(self.start, self.start + 1)):
            titles.append(self.meta.title or "")
        vocabulary = matcher("standard", "department_titles")
        return any(vocabulary.match(title, fuzzy=False) is not None for title in titles if len(title) <= 40)

    def _title_name(self) -> Cell:
        """A project named only by its title: 服务贸易项目绩效自评表 → 服务贸易项目."""
        for r in range(self.start, min(self.end, self.start + 4)):
            for cell in self.grid.distinct(r):
                name = title_project_name(cell.text)
                if name:
                    return Cell(name, cell.location)
        return EMPTY


def title_project_name(title: str) -> str | None:
    """The project a title names (``服务贸易项目绩效自评表`` → ``服务贸易``), in the title's own characters.

    The title is matched in simplified form (a reposted table may be traditional); the name is cut from
    the original, which has the same length character for character.
    """
    original = re.sub(r"\s+", "", title)
    text = to_simplified(original)
    match = _TITLE_NAME.search(text)
    if not match or ("自评" not in text and "评价" not in text):
        return None
    start, end = match.span("name")
    lead = re.match(r"^.*?(?:19|20)\d{2}年度?", text[start:end])
    if lead:
        start += lead.end()
    tail = re.search(r"(?:部门预算|财政预算支出|项目支出|部门整体支出)$", text[start:end])
    if tail:
        end = start + tail.start()
    return original[start:end] or None

