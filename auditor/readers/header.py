"""Find a wide-layout header and work out which column means what.

Labels are classified by meaning (:mod:`auditor.readers.labels`). Text sources lose merged cells,
so a parent label (``产出目标``, ``数量指标``) is first spread to the right over the blank cells of
its span. If the result is consistent — every category has one target and one completion column,
no field appears twice — the header is *positional* and its columns can be trusted. Otherwise (the
seed's header came out of a PDF with its merged cells misplaced) only the *set* of fields is
trusted and the row aligner places the cells by content, in the template's canonical order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditor.model import CATEGORIES
from auditor.readers.align import Slot
from auditor.readers.grid import Grid
from auditor.readers.labels import matcher

#: Canonical order of the wide layout's project fields around the indicator block.
FIELDS_BEFORE = (
    "index", "unit", "name", "budget_initial", "budget_annual", "executed_total",
    "executed_fiscal", "executed_other", "rate", "goal", "goal_completion",
)  # fmt: skip
FIELDS_AFTER = ("problems", "rectification")


def classify(
    text: str, *, under_category: bool = False, sides: Mapping[str, str] | None = None
) -> tuple[str, str] | None:
    """``(kind, key)`` of a header label: kind is field, category, side or group.

    ``sides`` are labels the side model has named for this table (see :func:`model_side_row`).
    """
    if not text.strip():
        return None
    if sides and text in sides:
        return "side", sides[text]
    order = ("side", "category", "field", "group") if under_category else ("field", "category", "side", "group")
    vocab = {"field": "fields", "category": "categories", "side": "sides", "group": "groups"}
    for mode in ({"contains": False, "fuzzy": False}, {"contains": True, "fuzzy": False}, {}):
        for kind in order:
            key = matcher(vocab[kind]).match(text, **mode)
            if key is not None:
                return kind, key
    return None


def header_score(grid: Grid, row: int) -> int:
    """How many distinct cells of a row are known header labels."""
    return sum(1 for cell in grid.distinct(row) if len(cell.text) <= 30 and classify(cell.text) is not None)


def find_wide_header(grid: Grid) -> tuple[int, int] | None:
    """``(first, last)`` header row indices (0-based) of a wide table, or ``None``.

    A last row of unrecognised target/completion labels is included when the side model names them
    (:func:`model_side_row`, which records them in ``grid.side_labels`` and adds a notice to the grid).
    """
    for start in range(min(len(grid.rows), 60)):
        if header_score(grid, start) < 3:
            continue
        kinds = {classify(c.text) for c in grid.distinct(start)}
        end = start
        while end + 1 < len(grid.rows) and _continues_header(grid, end + 1):
            end += 1
        block_kinds = set()
        for r in range(start, end + 1):
            block_kinds |= {k for k in (classify(c.text) for c in grid.distinct(r)) if k}
        has_name = ("field", "name") in block_kinds or ("field", "index") in block_kinds
        categories = {key for kind, key in block_kinds if kind == "category"}
        if has_name and len(categories) >= 2 and kinds:
            return start, model_side_row(grid, start, end)
    return None


def model_side_row(grid: Grid, first: int, last: int) -> int:
    """``last``, or the next row when it holds the target/completion labels in words no list knows.

    Such a row — two short unrecognised labels, each repeated under the category columns — used to end
    the header early and be read as a project. With ``model_sides`` on, the side model reads the texts
    below each label's columns and, when sure enough, names the labels for :func:`map_header`
    (``grid.side_labels``); the grid gets a notice either way.
    """
    from auditor.resources import load_pack

    row = last + 1
    pack = load_pack("labels")
    if row >= len(grid.rows) or not pack.get("model_sides", False):
        return last
    cells = grid.rows[row]
    if not cells or cells[0].number is not None:
        return last
    header = _filled_rows(grid, first, row)[:-1]  # with the candidate row last, so categories spread over it
    columns: dict[str, list[int]] = {}
    above = {cell.location for r in range(first, row) for cell in grid.rows[r] if cell.location is not None}
    for c, cell in enumerate(cells):
        if cell.is_blank or cell.location in above:
            continue  # a merged label from the rows above (序号, 项目名称 …) repeated into this row
        if len(cell.text) > 12 or classify(cell.text) is not None:
            return last
        if not any(c < len(labels) and (classify(labels[c]) or ("", ""))[0] == "category" for labels in header):
            return last
        columns.setdefault(cell.text, []).append(c)
    if len(columns) != 2 or min(len(cols) for cols in columns.values()) < 2:
        return last
    from auditor.ml.side import call_sides

    data = [r for r in range(row + 1, len(grid.rows)) if sum(not cell.is_blank for cell in grid.rows[r]) >= 4]
    labels = list(columns)
    texts = [[grid.rows[r][c].text for r in data for c in columns[label] if c < len(grid.rows[r])] for label in labels]
    call = call_sides(texts)
    label_cell = cells[columns[labels[0]][0]]
    where = label_cell.location.row if label_cell.location is not None else row + 1
    quoted = "".join(f"“{label}”" for label in labels)
    threshold = float(pack["model_sides_threshold"])
    if call is None or call.probability < threshold:
        probability = f"概率{call.probability:.2f}，" if call is not None else ""
        grid.notices.append(
            f"表头第{where}行的{quoted}无法识别，模型也不能可靠判断哪一列是目标值（{probability}采用门槛{threshold:g}），"
            "该行未作为表头读取"
        )
        return last
    grid.side_labels = dict(zip(labels, call.sides, strict=True))
    names = {"target": "年度指标内容（目标）", "completion": "完成情况"}
    said = "、".join(f"“{label}”为{names[side]}" for label, side in grid.side_labels.items())
    grid.notices.append(
        f"表头第{where}行的{quoted}无法识别，已由模型根据列中 {call.texts} 条文字判断：{said}"
        f"（模型判断，概率{call.probability:.2f}；可用 options.model-sides = false 关闭）"
    )
    return row


def _continues_header(grid: Grid, row: int) -> bool:
    """A further header row: mostly short known labels, and no 序号-like number in front."""
    cells = grid.distinct(row)
    if not cells or cells[0].number is not None:
        return False
    return header_score(grid, row) >= 2 and header_score(grid, row) * 2 >= len(cells)


@dataclass
class HeaderMap:
    slots: list[Slot]
    positional: bool  # columns can be trusted
    first_row: int
    last_row: int


def _filled_rows(grid: Grid, first: int, last: int) -> list[list[str]]:
    """Header rows with parent labels spread right over blanks, within the parent's span."""
    width = max(len(grid.rows[r]) for r in range(first, last + 1))
    rows = [
        [(grid.rows[r][c].text if c < len(grid.rows[r]) else "") for c in range(width)] for r in range(first, last + 1)
    ]
    if not grid.ragged:
        return rows  # merged cells already repeat their text
    parent_span = [0] * width  # span id of each column in the row above
    for row in rows[:-1]:
        span_ids, current, span = [], "", -1
        for c in range(width):
            new_parent = c == 0 or parent_span[c] != parent_span[c - 1]
            if row[c].strip():
                current, span = row[c], span + 1
            elif new_parent:
                current, span = "", span + 1
            elif current:
                row[c] = current
            span_ids.append(span)
        parent_span = span_ids
    return rows


def map_header(grid: Grid, first: int, last: int) -> HeaderMap:
    rows = _filled_rows(grid, first, last)
    width = len(rows[0])
    columns: dict[tuple[str, str], list[int]] = {}
    present_fields: set[str] = set()
    present_categories: list[str] = []
    consistent = True
    for c in range(width):
        category = side = field = None
        for row in rows:
            found = classify(row[c], under_category=category is not None, sides=grid.side_labels)
            if found is None:
                continue
            kind, key = found
            if kind == "category":
                category = key
                if key not in present_categories:
                    present_categories.append(key)
            elif kind == "side" and category is not None:
                side = key
            elif kind == "field":
                if category is not None:
                    consistent = False
                field = key
                present_fields.add(key)
            elif kind == "side":
                consistent = False  # a side label with no category above it
        if category is not None and field is not None:
            consistent = False
        if category is not None:
            columns.setdefault((category, side or "?"), []).append(c + 1)
        elif field is not None:
            columns.setdefault((field, "value"), []).append(c + 1)
    for (_, side), cols in columns.items():
        # A label may span several adjacent columns (a merged cell); it then means its first one.
        if side == "?" or cols != list(range(cols[0], cols[0] + len(cols))):
            consistent = False
    for category in present_categories:
        if (category, "target") not in columns or (category, "completion") not in columns:
            consistent = False
    if consistent:
        ordered = sorted(columns.items(), key=lambda item: item[1][0])
        slots: list[Slot] = []
        for (key, side), cols in ordered:
            if side == "value":
                slots.append(Slot(key, columns=(cols[0],)))
            elif side == "target":
                slots.append(Slot(key, pair=True, columns=(cols[0], columns[(key, "completion")][0])))
        return HeaderMap(slots, True, first, last)
    slots = [Slot(key) for key in FIELDS_BEFORE if key in present_fields]
    slots += [Slot(cat, pair=True, columns=(None, None)) for cat in CATEGORIES if cat in present_categories]
    slots += [Slot(key) for key in FIELDS_AFTER if key in present_fields]
    return HeaderMap(slots, False, first, last)
