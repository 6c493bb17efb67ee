"""PDFs drawn with reportlab (another producer than LibreOffice): see README.md in this folder.

Text is set in reportlab's built-in CID font ``STSong-Light`` (no font file needed; readers map it
to Unicode through its standard CMap). Tables are drawn from the grids the xlsx reader makes, so a
drawn table says exactly what its workbook says.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FONT = "STSong-Light"
SIZE = 7.5
LEADING = 9.5
PAD = 2.0


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _width(text: str) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, FONT, SIZE)


def wrap(text: str, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken anywhere (CJK) and at the text's own breaks."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and _width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def _grid_cells(grid: object) -> tuple[list[tuple[int, int, int, int, str]], int, int]:
    """(row, column, rowspan, colspan, text) for each distinct cell of a grid, top-left first."""
    seen: dict[object, list[int]] = {}
    texts: dict[object, str] = {}
    rows = grid.rows  # type: ignore[attr-defined]
    width = max(len(row) for row in rows)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            key = cell.location if cell.location is not None else (r, c)
            box = seen.setdefault(key, [r, c, r, c])
            box[2], box[3] = max(box[2], r), max(box[3], c)
            texts[key] = cell.text
    cells = [(b[0], b[1], b[2] - b[0] + 1, b[3] - b[1] + 1, texts[k]) for k, b in seen.items()]
    return cells, len(rows), width


def _column_widths(cells: list[tuple[int, int, int, int, str]], width: int, total: float) -> list[float]:
    want = [30.0] * width
    for _, c, _, colspan, text in cells:
        if colspan == 1:
            want[c] = max(want[c], min(_width(text) + 2 * PAD, 160.0))
    scale = total / sum(want)
    return [w * scale for w in want]


def draw_table(canvas: object, grid: object, top: float, left: float, total: float, *, lines: bool = True,
               skip_rows: int = 0) -> float:  # fmt: skip
    """Draw ``grid`` (from row ``skip_rows``) with its top edge at ``top``; the bottom edge is returned."""
    cells, height, width = _grid_cells(grid)
    cells = [(r - skip_rows, c, rs, cs, t) for r, c, rs, cs, t in cells if r >= skip_rows]
    height -= skip_rows
    widths = _column_widths(cells, width, total)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    need = [LEADING + 2 * PAD] * height
    wrapped = {}
    for r, c, rowspan, colspan, text in cells:
        inner = xs[c + colspan] - xs[c] - 2 * PAD
        wrapped[(r, c)] = wrap(text, inner) if text else []
        if rowspan == 1:
            need[r] = max(need[r], len(wrapped[(r, c)]) * LEADING + 2 * PAD)
    ys = [top]
    for h in need:
        ys.append(ys[-1] - h)
    canvas.setFont(FONT, SIZE)  # type: ignore[attr-defined]
    canvas.setLineWidth(0.6)  # type: ignore[attr-defined]
    for r, c, rowspan, colspan, _ in cells:
        x0, x1 = xs[c], xs[c + colspan]
        y0, y1 = ys[r], ys[r + rowspan]
        if lines:
            canvas.rect(x0, y1, x1 - x0, y0 - y1)  # type: ignore[attr-defined]
        block = wrapped[(r, c)]
        start = (y0 + y1) / 2 + len(block) * LEADING / 2 - SIZE
        for i, line in enumerate(block):
            canvas.drawString(x0 + PAD, start - i * LEADING, line)  # type: ignore[attr-defined]
    return ys[-1]


def _grids(name: str) -> list[object]:
    import sys

    sys.path.insert(0, str(ROOT))
    from auditor.readers import load_grids

    return load_grids(ROOT / "corpus" / name)[1]


def _title_rows(grid: object) -> int:
    """Leading rows holding one text only (the table's title lines)."""
    count = 0
    for row in grid.rows:  # type: ignore[attr-defined]
        if len({cell.location for cell in row if not cell.is_blank}) > 1:
            break
        count += 1
    return count


def _titles(canvas: object, grid: object, top: float, left: float) -> tuple[float, int]:
    skip = _title_rows(grid)
    canvas.setFont(FONT, 11)  # type: ignore[attr-defined]
    for r in range(skip):
        text = next((cell.text for cell in grid.rows[r] if not cell.is_blank), "")  # type: ignore[attr-defined]
        canvas.drawString(left, top, text)  # type: ignore[attr-defined]
        top -= 16
    return top - 4, skip


def self_evaluation_pages(canvas: object, source: str, *, lines: bool = True) -> None:
    from reportlab.lib.pagesizes import A4, landscape

    width, height = landscape(A4)
    for grid in _grids(source):
        top, skip = _titles(canvas, grid, height - 40, 40)
        draw_table(canvas, grid, top, 40, width - 80, lines=lines, skip_rows=skip)
        canvas.showPage()  # type: ignore[attr-defined]


def noline(target: Path, source: str = "clean-2022-standard.xlsx") -> Path:
    """The self-evaluation tables of ``source`` drawn without any ruling line."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    _font()
    canvas = Canvas(str(target), pagesize=landscape(A4), invariant=1)
    self_evaluation_pages(canvas, source, lines=False)
    canvas.save()
    return target


_BUDGET = [
    ["收入", "", "支出", ""],
    ["项目", "决算数", "项目", "决算数"],
    ["一、一般公共预算财政拨款收入", "1,234.56", "一、一般公共服务支出", "234.10"],
    ["二、政府性基金预算财政拨款收入", "0.00", "二、社会保障和就业支出", "1,000.46"],
    ["本年收入合计", "1,234.56", "本年支出合计", "1,234.56"],
]
_SPENDING = [
    ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
    ["201", "一般公共服务支出", "234.10", "200.00", "34.10"],
    ["20138", "市场监督管理事务", "234.10", "200.00", "34.10"],
    ["208", "社会保障和就业支出", "1,000.46", "1,000.46", "0.00"],
]


class _Plain:
    """A list of rows as the little grid ``draw_table`` reads."""

    def __init__(self, rows: list[list[str]]) -> None:
        from auditor.model import Cell, Location

        self.rows = [
            [Cell(text, Location(r + 1, c + 1, "x")) for c, text in enumerate(row)] for r, row in enumerate(rows)
        ]


def juesuan(target: Path) -> Path:
    """A 决算公开-like document: two budget tables, then the self-evaluation tables."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    _font()
    width, height = landscape(A4)
    canvas = Canvas(str(target), pagesize=landscape(A4), invariant=1)
    canvas.setFont(FONT, 14)
    canvas.drawString(40, height - 40, "某区市场监督管理局2022年度部门决算")
    canvas.setFont(FONT, 11)
    canvas.drawString(40, height - 64, "表1 收入支出决算总表")
    canvas.drawString(width - 140, height - 64, "单位：万元")
    bottom = draw_table(canvas, _Plain(_BUDGET), height - 72, 40, width - 80)
    canvas.setFont(FONT, 11)
    canvas.drawString(40, bottom - 30, "表2 支出决算表")
    draw_table(canvas, _Plain(_SPENDING), bottom - 38, 40, width - 80)
    canvas.showPage()
    canvas.setFont(FONT, 14)
    canvas.drawString(40, height - 40, "第三部分 项目支出绩效自评结果")
    canvas.showPage()
    self_evaluation_pages(canvas, "clean-2022-standard.xlsx")
    canvas.save()
    return target


def scan(target: Path, source: Path) -> Path:
    """The first page of ``source`` as a picture only: what a scanner gives."""
    import pypdfium2
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    document = pypdfium2.PdfDocument(str(source))
    image = document[0].render(scale=1.2).to_pil().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    width, height = landscape(A4)
    canvas = Canvas(str(target), pagesize=landscape(A4), invariant=1)
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, width, height)
    canvas.showPage()
    canvas.save()
    return target


def encrypted(target: Path) -> Path:
    """A self-evaluation table that opens only with a password (``auditor``)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    _font()
    canvas = Canvas(str(target), pagesize=landscape(A4), invariant=1,
                    encrypt=StandardEncryption("auditor", canPrint=0))  # fmt: skip
    self_evaluation_pages(canvas, "clean-2022-standard.xlsx")
    canvas.save()
    return target


def write_all(folder: Path) -> list[Path]:
    return [
        noline(folder / "noline-clean-2022-standard.pdf"),
        juesuan(folder / "juesuan-multi.pdf"),
        scan(folder / "scan.pdf", folder / "corpus-clean-2022-standard.pdf"),
        encrypted(folder / "encrypted.pdf"),
    ]
