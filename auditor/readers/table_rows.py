"""Rows of a project block's indicator and management tables, read as what their labels say.

Each row carries its 一级/二级 labels down (merged cells repeat them, text exports leave them blank);
its category comes from the 二级指标, from its own name where a framework names outputs by their kind
(产出数量 → 数量指标, said in a notice), or from a 满意度 level. Rows under 决策/过程/管理 levels, and the
rows of 资金管理 and scoring tables, become management items. Template placeholders are dropped and
counted, ``指标N：`` prefixes stripped, and 其中/numbered sub-rows marked under their parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.model import EMPTY, Cell, Indicator, Location, ManagementItem
from auditor.readers.columns import Columns
from auditor.readers.grid import Grid
from auditor.readers.labels import category_of, matcher
from auditor.resources import load_pack
from auditor.text.normalize import label_key, to_simplified

if TYPE_CHECKING:
    from auditor.readers.meta import Meta

_LEVEL_WEIGHT = re.compile(r"[（(]?\s*(\d+(?:\.\d+)?)\s*分\s*[）)]?")
_PARENT_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_SUB_NUMBER = re.compile(r"^\s*(?:\d{1,2}[、.．)）](?!\d)|[(（]\d{1,2}[)）]|其中)")
_ROW_FIELDS = (
    "name", "target", "completion", "weight", "score", "reason", "nature", "unit", "item_score", "share", "content",
    "remark",
)  # fmt: skip


@dataclass
class _Row:
    category: str
    cells: dict[str, Cell | None]
    level_weight: float | None
    name_text: str
    row: int = -1
    ends_at: int = 0  # column of the row's last non-blank cell


@dataclass
class _Table:
    """The indicator or management table being read, and the labels carried down its rows."""

    columns: Columns
    management: bool = False
    level: str = ""
    level_cell: tuple[object, str] | None = None
    level_weight: float | None = None
    category: str = ""
    section: str | None = None  # 决策/过程/管理 while inside such rows
    header_cells: set[object] = field(default_factory=set)  # locations of the header's label cells


def _unlabelled_score(grid: Grid, r: int, columns: Columns) -> None:
    """A scoring sheet whose score column has no label (目标名称 | 评分标准 | 分值 | ·): the blank right of 分值."""
    weight = columns.get("weight")
    if "score" in columns.roles or weight is None:
        return
    right = _at(grid, r, weight + 1)
    if right is not None and right.is_blank:
        columns.roles["score"] = weight + 1
    content = columns.get("content")
    if content is not None and "explain" not in columns.roles and content + 1 < weight:
        columns.roles["explain"] = content + 1


def _management_level(text: str, *, exact: bool = False) -> str | None:
    return matcher("standard", "management_levels").match(text, fuzzy=False, contains=not exact)


def _is_placeholder(text: str) -> bool:
    stripped = to_simplified(text.strip())  # 指標2: on a reposting site that converted the table
    if not stripped:
        return True
    return any(re.search(pattern, stripped) for pattern in load_pack("labels")["standard"]["placeholders"])


def _strip_prefix(text: str) -> str:
    """The name without the template's numbering (指标1：, 指標1: alike), in its own characters."""
    simple = to_simplified(text)  # character for character, so a match's length holds in ``text``
    for pattern in load_pack("labels")["standard"]["name_prefixes"]:
        match = re.match(pattern, simple)
        if match:
            text, simple = text[match.end() :], simple[match.end() :]
    return text.strip()


def _indicators(rows: list[_Row]) -> tuple[Indicator, ...]:
    """Indicators with their parent/sub-row marks: 其中/1、 rows under a weighted or numbered parent."""
    weighted = any(row.cells["weight"] is not None and row.cells["weight"].number is not None for row in rows)
    marks: list[tuple[bool, bool]] = []
    parent_at: int | None = None
    for i, row in enumerate(rows):
        weight = row.cells["weight"]
        has_weight = weight is not None and weight.number is not None
        name = row.name_text
        sub = False
        if parent_at is not None and rows[parent_at].category == row.category:
            if _SUB_NUMBER.match(name) and not has_weight:
                sub = True
            elif weighted and not has_weight:
                sub = True
            elif not weighted and _SUB_NUMBER.match(name) and _PARENT_NUMBER.match(rows[parent_at].name_text):
                sub = True
        if not sub:
            parent_at = i if (has_weight or _PARENT_NUMBER.match(name)) else None
        marks.append((False, sub))
    out = []
    for i, row in enumerate(rows):
        parent = not marks[i][1] and i + 1 < len(rows) and marks[i + 1][1]
        cells = row.cells
        out.append(
            Indicator(
                category=row.category,
                name=cells["name"],
                target=cells["target"] or EMPTY,
                completion=cells["completion"] or EMPTY,
                weight=cells["weight"],
                score=cells["score"],
                reason=cells["reason"],
                nature=cells["nature"],
                unit=cells["unit"],
                level_weight=row.level_weight,
                item_score=cells["item_score"],
                share=cells["share"],
                parent=parent,
                sub=marks[i][1],
            )
        )
    return tuple(out)


_RAGGED_FIELDS = ("target", "completion", "score", "reason")


def _blank_at(grid: Grid, r: int, c: int | None) -> Cell | None:
    row = grid.rows[r]
    if c is None or c < len(row) or not row or row[0].location is None:
        return None
    first = row[0].location
    return Cell("", Location(first.row, c + 1, first.sheet))


class TableRows:
    """The row-reading half of :class:`auditor.readers.standard.BlockReader` (which provides the state)."""

    grid: Grid
    meta: Meta
    fields: dict[str, Cell]
    rows: list[_Row]
    management: list[ManagementItem]
    placeholders: int
    unknown: set[str]
    mapped: set[tuple[str, str]]
    completion_column: int | None
    total_weight: Cell | None
    total_score: Cell | None

    def _name(self) -> Cell:
        raise NotImplementedError

    def _table_row(self, r: int, table: _Table) -> None:
        grid = self.grid
        columns = table.columns
        level = _at(grid, r, columns.get("level"))
        if level is None and table.management and "name" not in columns.roles and (columns.get("content") or 0) > 0:
            level = _at(grid, r, 0)  # 项目决策 2 分 | 决策依据 | 2 | 2: the framework level in front
        category = _at(grid, r, columns.get("category"))
        if level is not None and level.location is not None and level.location in table.header_cells:
            level = None  # the header's 一级指标 label merged down over the column: the level names are lost
        if level is not None and not level.is_blank and (level.location, level.text) != table.level_cell:
            table.level_cell = (level.location, level.text)
            table.level = level.text
            weight = _at(grid, r, columns.level_weight)
            match = _LEVEL_WEIGHT.search(level.text)
            number = weight.number if weight is not None else None
            table.level_weight = number if number is not None else (float(match.group(1)) if match else None)
            table.section = _management_level(level.text) or (table.section if table.section == "资金管理" else None)
            table.category = ""
        if category is not None and not category.is_blank and (level is None or category.location != level.location):
            if category.text != table.category and table.section != "资金管理":
                by_category = _management_level(category.text, exact=True)
                if by_category is not None:
                    # The 一级指标 says it where the copy kept it; the 二级指标 only where it did not.
                    table.section = _management_level(table.level) if table.level else None
                    table.section = table.section or by_category
                elif category_of(category.text) is not None or matcher("levels").match(category.text, fuzzy=False):
                    table.section = None
            table.category = category.text
        cells: dict[str, Cell | None] = {}
        for key in _ROW_FIELDS:
            cell = _at(grid, r, columns.get(key))
            if cell is not None and category is not None and cell.location == category.location and key != "name":
                cell = None  # a merged label repeated into a value column
            if cell is not None and level is not None and cell.location == level.location:
                cell = None
            if cell is None and key in _RAGGED_FIELDS and columns.get(key) is not None:
                cell = _blank_at(grid, r, columns.get(key))  # a row that stops early: that cell is empty
            cells[key] = cell
        name = cells["name"]
        if name is not None and category is not None and name.location == category.location:
            name = cells["name"] = None
        values = [cells[k] for k in ("target", "completion", "weight", "score", "item_score", "content")]
        has_values = any(c is not None and not c.is_blank for c in values)
        name_text = name.text if name is not None else ""
        labels = [cell for cell in (level, category, name, cells["target"], cells["completion"]) if cell is not None]
        if all(cell.is_blank for cell in labels) and not table.management:
            numbers = [cells[k] for k in ("weight", "score") if cells[k] is not None and cells[k].number is not None]
            if numbers:  # a 合计 row whose label was lost (merged into the column above)
                self.total_weight = cells["weight"]
                self.total_score = cells["score"] if cells["score"] is not None else self.total_score
                return
        if _is_placeholder(name_text) and not any(
            c is not None and not c.is_blank and not _is_placeholder(c.text) for c in values if c is not cells["weight"]
        ):
            if not name_text.strip() and not has_values:
                return
            self.placeholders += 1
            return
        if name is not None:
            stripped = _strip_prefix(name.text)
            if stripped != name.text:
                cells["name"] = Cell(stripped, name.location)
        if cells["unit"] is not None:
            cells["unit"] = Cell(re.sub(r"[（(][^)）]*[)）]", "", cells["unit"].text).strip(), cells["unit"].location)
        resolved = self._category(table, name)
        if table.management or (resolved is None and table.section is not None):
            if has_values or (name is not None and not name.is_blank):
                self._management_item(table, cells, name, category, r)
            return
        if resolved is None:
            if has_values and table.category and table.category not in self.unknown:
                self.unknown.add(table.category)
                project = self._name().text
                self.grid.notices.append(f"项目“{project}”的二级指标“{table.category}”不属于九类标准指标，该类指标未检查")
            return
        if not has_values and (name is None or name.is_blank):
            return
        if resolved != category_of(table.category or "") and name is not None and category_of(name.text) == resolved:
            cells["name"] = name  # the row's own label is its category (产出数量 in a 决策/管理/绩效 table)
        last = max((c for c, cell in enumerate(grid.rows[r]) if not cell.is_blank), default=0)
        self.rows.append(_Row(resolved, cells, table.level_weight, name_text, r, last))
        self.completion_column = columns.get("completion")

    def _category(self, table: _Table, name: Cell | None) -> str | None:
        category = category_of(table.category) if table.category else None
        if category is not None:
            return category
        if name is not None and not name.is_blank and len(label_key(name.text)) <= 8:
            from_name = category_of(name.text)
            if from_name is not None:
                if (name.text, from_name) not in self.mapped:
                    self.mapped.add((name.text, from_name))
                    self.grid.notices.append(
                        f"项目“{self._name().text}”的“{name.text.strip()}”按名称归入{from_name}"
                        f"（二级指标“{table.category or table.level}”不是九类标准指标，此归类为推断）"
                    )
                return from_name
        if table.level and category_of(table.level) == "满意度指标":
            return "满意度指标"
        if not table.category and table.level and matcher("levels").match(table.level, fuzzy=False) == "满意度指标":
            return "满意度指标"
        return None

    def _management_item(
        self,
        table: _Table,
        cells: dict[str, Cell | None],
        name: Cell | None,
        category: Cell | None,
        row: int | None = None,
    ) -> None:
        section = table.section or "管理"
        label = name if name is not None and not name.is_blank else (category or EMPTY)
        content = cells.get("content")
        answer = cells.get("completion") or cells.get("target")
        if table.section == "资金管理":
            self.management.append(ManagementItem(section, label, content=content, remark=cells.get("remark")))
            return
        if table.columns.get("target") is None and table.columns.get("completion") is None and content is not None:
            # A scoring sheet (评价内容 | 分值 | 自评分 | 评价标准): the item, then what it is judged by.
            explain = _at(self.grid, row, table.columns.get("explain")) if row is not None else None
            self.management.append(
                ManagementItem(section, content, content=explain, weight=cells.get("weight"), score=cells.get("score"))
            )
            return
        asked = self._asked(table, row, content, answer) if row is not None else content
        if asked is not None and not asked.is_blank and answer is not None and not answer.is_blank:
            label, content = asked, answer  # 自评内容 | 完成情况: the item asked and what was answered
        elif content is None:
            content = answer
        self.management.append(
            ManagementItem(section, label, content=content, weight=cells.get("weight"), score=cells.get("score"))
        )

    def _asked(self, table: _Table, row: int, content: Cell | None, answer: Cell | None) -> Cell | None:
        """What a 自评内容 row asks: its own text and any sub-label between it and the answer.

        The 计划生育 template writes ``资金合计(万元) | 年度预算资金总额: | 1084.25`` and below it
        ``| 其中：中央补助 | 668.00``: the item is both texts, or only the sub-label on a continuation row.
        """
        start = table.columns.get("content")
        stop = table.columns.get("completion") or table.columns.get("target")
        if start is None or stop is None or answer is None:
            return content
        texts = [
            cell
            for cell in self.grid.rows[row][start:stop]
            if not cell.is_blank and cell.number is None and cell.location != answer.location
        ]
        unique = list({cell.location: cell for cell in texts}.values())
        if not unique:
            return content
        if len(unique) == 1:
            return unique[0]
        return Cell(" ".join(cell.text.strip() for cell in unique), unique[0].location)

    # -- the project ----------------------------------------------------------------------------

    def _drop_cut_row(self) -> None:
        """A copy that ends inside the indicator table ends mid-row: that row is not judged for what it lacks.

        Published excerpts are often cut (a page, a screenshot, a reposted fragment). When the grid's
        last non-blank row is an indicator row whose cells stop before its completion column, what is
        missing is missing because the copy stops, not because the unit left it empty.
        """
        if not self.rows or self.completion_column is None:
            return
        last_row = max((r for r in range(len(self.grid.rows)) if not self.grid.row_is_blank(r)), default=-1)
        row = self.rows[-1]
        if row.row == last_row and row.ends_at < self.completion_column:
            self.rows.pop()
            project = self._name().text
            self.grid.notices.append(
                f"项目“{project}”的表格在第{row.row + 1}行中断（疑似摘录不完整），该行未检查"
            )


def _at(grid: Grid, r: int, c: int | None) -> Cell | None:
    if c is None or c >= len(grid.rows[r]):
        return None
    return grid.rows[r][c]
