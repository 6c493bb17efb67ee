"""Say why a table could not be mapped: the header labels found, and what a template needs besides."""

from __future__ import annotations

from auditor.readers.columns import role_of
from auditor.readers.grid import Grid
from auditor.readers.labels import category_of

_NAMES = {
    "level": "一级指标", "category": "二级指标", "name": "三级指标", "target": "年度指标值",
    "completion": "实际完成值", "weight": "分值", "score": "得分",
}  # fmt: skip


def missing_labels(grids: list[Grid], limit: int = 6) -> str:
    """``；已识别：…；缺少：…`` for the E107 message (empty when nothing at all was recognised)."""
    found: dict[str, str] = {}
    categories: list[str] = []
    for grid in grids:
        for r in range(min(len(grid.rows), 80)):
            for cell in grid.distinct(r):
                if len(cell.text) > 20:
                    continue
                role = role_of(cell)
                if role is not None and role[0] in _NAMES:
                    found.setdefault(role[0], cell.text.strip())
                elif (category := category_of(cell.text)) and category not in categories:
                    categories.append(category)
    if not found and not categories:
        return ""
    seen = [f"“{text}”" for text in list(found.values())[:limit]] + [f"“{c}”" for c in categories[:2]]
    required = ("category", "target", "completion")
    missing = [f"“{label}”" for role, label in _NAMES.items() if role in required and role not in found]
    detail = f"；已识别：{'、'.join(seen)}"
    return detail + (f"；缺少：{'、'.join(missing)}" if missing else "")
