"""Header rows inside a project block: which column means what, over one, two or three rows.

Templates differ in order (分值 before or after 年度指标值), in wording (年初目标值, 全年实际值, 年终完成值 …)
and in depth: the Hebei template puts 符号/单位 under 预期指标值 and 单项指标得分/权重占比/折算得分 under
自评得分; the 计划生育 template writes 名称 under each of 一级/二级/三级指标. Labels are looked up by meaning
in ``rules/labels.yaml`` (exact matches win over containment), a parent label is spread over the
blank columns its second row leaves unnamed, and the second row names what it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.model import Cell
from auditor.readers.grid import Grid
from auditor.readers.labels import matcher
from auditor.resources import pack_cache
from auditor.text.normalize import label_key

#: Roles whose columns hold the row's own labels; everything else is a value read to their right.
LABEL_ROLES = ("level", "category", "name")
_FILLERS = {"名称", "内容", "指标"}


@dataclass
class Columns:
    """The roles of one header: ``roles`` maps role → column; ``rows`` header rows consumed."""

    roles: dict[str, int]
    rows: int = 1
    level_weight: int | None = None  # a 分值 column right after 一级指标 (决策/管理/绩效 frameworks)
    category_weight: int | None = None  # a 分值 column right after 二级指标
    labels: dict[str, str] = field(default_factory=dict)  # role → the label as written, for notices

    def get(self, role: str) -> int | None:
        return self.roles.get(role)


def role_of(cell: Cell, section: str = "standard", sub: str = "indicator_columns") -> tuple[str, int] | None:
    """``(role, quality)`` of a header cell: quality 2 for an exact synonym, 1 for containment."""
    if cell.is_blank or len(cell.text) > 40:
        return None
    return _role_of_text(cell.text, section, sub)


@pack_cache
def _role_of_text(text: str, section: str, sub: str) -> tuple[str, int] | None:
    vocabulary = matcher(section, sub)
    exact = vocabulary.match(text, contains=False, fuzzy=False)
    if exact is not None:
        return exact, 2
    contained = vocabulary.match(text, contains=True, fuzzy=False)
    return (contained, 1) if contained is not None else None


def best_roles(cells: list[Cell], section: str, sub: str, skip: set[object] | None = None) -> dict[str, int]:
    """Role → column for one row of labels: an exact synonym beats containment, then the leftmost.

    ``skip`` names cell locations that are not column labels (the section label in front of them).
    """
    best: dict[str, tuple[int, int]] = {}
    for c, cell in enumerate(cells):
        if skip and cell.location in skip:
            continue
        found = role_of(cell, section, sub)
        if found is None:
            continue
        role, quality = found
        if role not in best or quality > best[role][1]:
            best[role] = (c, quality)
    return {role: c for role, (c, _) in best.items()}


def _row_roles(grid: Grid, r: int, section: str, sub: str) -> list[tuple[str, int] | None]:
    return [role_of(cell, section, sub) for cell in grid.rows[r]]


def _is_continuation(grid: Grid, r: int, above: int, section: str, sub: str) -> bool:
    """Row ``r`` continues the header that starts at ``above``: only labels, no data."""
    if r >= len(grid.rows):
        return False
    own = [
        cell
        for c, cell in enumerate(grid.rows[r])
        if not cell.is_blank
        and not (c < len(grid.rows[above]) and grid.rows[above][c].location == cell.location)
    ]
    if not own:
        return False
    named = 0
    for cell in own:
        if cell.number is not None or cell.percent is not None or len(cell.text) > 16:
            return False
        if matcher("categories").match(cell.text, fuzzy=False) or matcher("levels").match(cell.text, fuzzy=False):
            return False
        if role_of(cell, section, sub) is not None:
            named += 1
        elif label_key(cell.text) not in _FILLERS:
            return False
    return named > 0 or all(label_key(cell.text) in _FILLERS for cell in own)


def map_columns(grid: Grid, r: int, section: str = "standard", sub: str = "indicator_columns") -> Columns:
    """Roles of the header starting at row ``r`` (with up to two continuation rows)."""
    first = _row_roles(grid, r, section, sub)
    rows = 1
    below: list[tuple[str, int] | None] = []
    named = sum(found is not None for found in first)
    while named >= 2 and rows < 3 and _is_continuation(grid, r + rows, r, section, sub):
        extra = _row_roles(grid, r + rows, section, sub)
        below = [b or (extra[c] if c < len(extra) else None) for c, b in enumerate(below)] + extra[len(below) :]
        rows += 1
    merged: list[tuple[str, int] | None] = list(first)
    if below:
        # A parent label spreads right over columns blank in its own row, then the rows below name theirs.
        spread: tuple[str, int] | None = None
        for c in range(max(len(first), len(below))):
            own = first[c] if c < len(first) else None
            blank = c >= len(grid.rows[r]) or grid.rows[r][c].is_blank
            if own is not None:
                spread = own
            elif not blank:
                spread = None
            value = own if own is not None else (spread if blank else None)
            under = below[c] if c < len(below) else None
            if c < len(merged):
                merged[c] = under or value
            else:
                merged.append(under or value)
    best: dict[str, tuple[int, int]] = {}
    weights: list[int] = []
    for c, found in enumerate(merged):
        if found is None:
            continue
        role, quality = found
        if role == "weight":
            weights.append(c)
            continue
        if role not in best or quality > best[role][1]:
            best[role] = (c, quality)
    roles = {role: c for role, (c, _) in best.items()}
    columns = Columns(roles, rows)
    anchors = [roles[key] for key in LABEL_ROLES if key in roles]
    if anchors:
        # Values follow the labels in every template; a section label left of them is not a value.
        leftmost = min(anchors)
        for role in [role for role, c in roles.items() if role not in LABEL_ROLES and c < leftmost]:
            del roles[role]
        weights = [c for c in weights if c > leftmost]
    _place_weights(columns, weights)
    for role, c in roles.items():
        cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
        columns.labels[role] = cell.text if cell is not None else role
    return columns


def _place_weights(columns: Columns, weights: list[int]) -> None:
    """Several 分值 columns: the one after 一级 or 二级指标 weighs that level, the last one the indicator."""
    roles = columns.roles
    for c in weights:
        if "level" in roles and c == roles["level"] + 1 and "category" in roles and roles["category"] > c:
            columns.level_weight = c
        elif "category" in roles and c == roles["category"] + 1 and "name" in roles and roles["name"] > c:
            columns.category_weight = c
        else:
            roles.setdefault("weight", c)


def is_indicator_header(columns: Columns) -> bool:
    """A table of indicators: labels and a target or completion, or a scored 决策/管理/绩效 framework."""
    roles = columns.roles
    labelled = "category" in roles or "name" in roles
    if labelled and ("level" in roles or "category" in roles) and ("target" in roles or "completion" in roles):
        return True
    return {"level", "category", "name", "score"} <= roles.keys()


def is_management_header(columns: Columns) -> bool:
    """A scoring sheet of 决策/过程 items: what is scored, its 分值 and (usually) the score."""
    roles = columns.roles
    return "content" in roles and "weight" in roles and not is_indicator_header(columns)
