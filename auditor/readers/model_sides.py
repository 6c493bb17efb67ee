"""Header help: target/completion columns named by the side model when no label list knows them.

A header whose 一级/二级/三级指标 columns are recognised but whose target or completion column is not (a
province's own wording, a typo beyond fuzzy matching) would lose the whole block. With
``model_sides`` on and exactly as many unrecognised labels as missing sides, the side model reads the
texts below them and, when sure enough, names them; the reader says so in a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.model import Cell, Location
from auditor.readers.columns import Columns, role_of
from auditor.readers.grid import Grid
from auditor.resources import load_pack


@dataclass(frozen=True)
class ModelSides:
    """Target/completion columns that the side model found under unrecognised header labels."""

    labels: dict[str, str]  # header label → "target" / "completion"
    probability: float
    texts: int


def _own(grid: Grid, r: int, c: int) -> Cell | None:
    """The cell at (r, c) unless it continues a merged cell from the left (总分 spread over the row)."""
    if c >= len(grid.rows[r]):
        return None
    cell = grid.rows[r][c]
    if cell.location is not None and c > 0 and grid.rows[r][c - 1].location == cell.location:
        return None
    return cell


def complete_sides(grid: Grid, r: int, end: int, columns: Columns) -> ModelSides | None:
    """Fill ``columns`` with the sides the model names under unknown labels of row ``r``, or ``None``."""
    roles = columns.roles
    pack = load_pack("labels")
    missing = [side for side in ("target", "completion") if side not in roles]
    if not pack.get("model_sides", False) or not missing:
        return None
    if "category" not in roles or not ("name" in roles or "level" in roles):
        return None
    first_value = max(roles[key] for key in ("level", "category", "name") if key in roles) + 1
    unknown: list[tuple[int, str]] = []
    seen: set[Location | None] = set()
    for c, cell in enumerate(grid.rows[r]):
        if cell.is_blank or (cell.location is not None and cell.location in seen):
            continue
        seen.add(cell.location)
        if c >= first_value and role_of(cell) is None and len(cell.text) <= 40:
            unknown.append((c, cell.text))
    if len(unknown) != len(missing):
        return None
    from auditor.ml.side import call_sides

    known = [side for side in ("target", "completion") if side in roles]
    ordered = [roles[side] for side in known] + [c for c, _ in unknown]
    texts = [[cell.text for row in range(r + 1, end) if (cell := _own(grid, row, c)) is not None] for c in ordered]
    call = call_sides(texts)
    if call is None or call.probability < float(pack["model_sides_threshold"]):
        return None
    if list(call.sides[: len(known)]) != known:  # the recognised column must come out as what its label says
        return None
    labels = {}
    for (c, label), side in zip(unknown, call.sides[len(known) :], strict=True):
        roles[side] = c
        labels[label] = side
    return ModelSides(labels, call.probability, call.texts)


def model_notice(project: str, found: ModelSides) -> str:
    """The notice that the side model, not the labels, placed a table's target/completion columns."""
    names = {"target": "年度指标值（目标）", "completion": "实际完成值"}
    said = "、".join(f"“{label}”列为{names[side]}" for label, side in found.labels.items())
    unknown = "".join(f"“{label}”" for label in found.labels)
    return (
        f"项目“{project}”的指标表表头{unknown}无法识别，已由模型根据列中 {found.texts} 条文字判断：{said}"
        f"（模型判断，概率{found.probability:.2f}；可用 options.model-sides = false 关闭）"
    )
