"""Cell styles registered once per workbook and stamped onto many cells.

openpyxl stores a style as ids into the workbook's font, fill and alignment lists. Assigning
``cell.alignment = wrap`` looks the object up in that list by hash every time, and an openpyxl style
object's hash is computed field by field: writing a findings sheet of thousands of wrapped cells spent
most of its time hashing the same ``Alignment``. :class:`Stamp` looks each object up once per workbook
and then sets the ids directly — the saved file is the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray


@dataclass(frozen=True, slots=True)
class Stamp:
    """A font, fill and alignment already registered in one workbook (``None``: leave as is)."""

    font_id: int | None = None
    fill_id: int | None = None
    alignment_id: int | None = None

    @classmethod
    def register(
        cls,
        workbook: Workbook,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
    ) -> Stamp:
        return cls(
            workbook._fonts.add(font) if font is not None else None,
            workbook._fills.add(fill) if fill is not None else None,
            workbook._alignments.add(alignment) if alignment is not None else None,
        )

    def apply(self, cell: Any) -> None:
        """Give ``cell`` (of the workbook this stamp was registered in) the stamp's styles."""
        style = cell._style
        if not style:  # a new cell has no style array until something sets one
            style = cell._style = StyleArray()
        if self.font_id is not None:
            style.fontId = self.font_id
        if self.fill_id is not None:
            style.fillId = self.fill_id
        if self.alignment_id is not None:
            style.alignmentId = self.alignment_id
