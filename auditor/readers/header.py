"""Find a wide-layout header and work out which column means what.

Labels are classified by meaning (:mod:`auditor.readers.labels`). Text sources lose merged cells,
so a parent label (``产出目标``, ``数量指标``) is first spread to the right over the blank cells of
its span. If the result is consistent — every category has one target and one completion column,
no field appears twice — the header is *positional* and its columns can be trusted. Otherwise (the
seed's header came out of a PDF with its merged cells misplaced) only the *set* of fields is
trusted and the row aligner places the cells by content, in the template's canonical order.
"""

from __future__ import annotations

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


def classify(text: str, *, under_category: bool = False) -> tuple[str, str] | None:
    """``(kind, key)`` of a header label: kind is field, category, side or group."""
    if not text.strip():
        return None
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
    """``(first, last)`` header row indices (0-based) of a wide table, or ``None``."""
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
            return start, end
    return None


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
            found = classify(row[c], under_category=category is not None)
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
