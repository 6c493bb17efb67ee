"""PDF documents via pdfplumber (on pdfminer.six): every table becomes a :class:`Grid`.

Units publish their self-evaluation tables inside PDFs exported from Excel, WPS or Word. The reader:

* finds tables by their ruling lines; a page with text but no ruled table is read by text positions
  (pdfplumber's text strategy) into a *ragged* grid, whose rows the aligner may realign (ST003);
* resolves a cell spanning rows or columns as a merged cell: every slot it covers holds the same
  :class:`Cell` with the top-left slot's location;
* takes each cell's text from the characters inside it: lines that a cell's width wrapped are joined
  (a CJK line without a space), a line that ends well before the cell's right edge was broken by
  the author and keeps its line break;
* joins a table continued on the next page (same columns, no new title above it, the first part
  running to the page's foot or the new part repeating its header rows — which are dropped);
* gives each table the text lines above it (down from the previous table) as leading rows without a
  location, so department and year are found as in the other formats;
* names every location by page and table: ``Location(row, column, "第3页 表1")`` — the row and
  column within that page's part of the table, so every reporter shows ``第3页 表1!D5``.

A document without any text (a scan) is refused with E115 (OCR is not done); an encrypted document
that does not open with an empty password gets E103, like an encrypted workbook. Before pdfminer
parses anything, :func:`prescan` checks the raw file against the limits (objects, the page tree's
page count, nesting depth, the bytes every Flate stream inflates to, streamed a chunk at a time), and
each page is read under a time limit. Tables that yield no project (a 收入支出决算总表 in a
决算公开 document) are skipped with a notice by :func:`auditor.readers.read_submission`.
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import threading
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, take_directive
from auditor.readers.limits import LIMITS

_OBJECT = re.compile(rb"(?<![0-9])\d{1,10}\s+\d{1,5}\s+obj\b")
_STREAM = re.compile(rb"stream\r?\n|stream\r")
_TOKEN = re.compile(rb"<<|>>|\[|\]|stream\r?\n|stream\r|endobj")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")
_PAGES = re.compile(rb"/Type\s*/Pages\b")
_COUNT = re.compile(rb"/Count\s+(\d+)")
_N = re.compile(rb"/N\s+(\d+)")
_CHUNK = 1 << 20
#: Kangxi radicals and CJK radicals that some producers map CJK glyphs to (⽬ for 目).
_RADICALS = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5]")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*(?:/\s*\d+)?)[-—–\s]*$")


# ------------------------------------------------------------------ limits before parsing


def prescan(name: str, data: bytes) -> None:
    """Refuse, before any parser builds anything, a file that breaks the PDF limits.

    Counts indirect objects (in the file and, through ``/N``, inside object streams), the page tree's
    largest ``/Count``, the nesting depth of arrays and dictionaries outside streams, and the bytes all
    Flate streams inflate to — each stream inflated a chunk at a time, so memory stays one chunk.
    """
    objects = sum(1 for _ in _OBJECT.finditer(data))
    if objects > LIMITS.max_pdf_objects:
        raise InputError("E109", name, f"PDF 有 {objects} 个对象，超过上限 {LIMITS.max_pdf_objects}")
    budget = LIMITS.max_pdf_inflated_mb * 2**20
    inflated = 0
    depth = 0
    position = 0
    extra_text: list[bytes] = []  # decompressed object streams: scanned for objects and page counts too
    while True:
        match = _TOKEN.search(data, position)
        if match is None:
            break
        token = match.group()
        position = match.end()
        if token in (b"<<", b"["):
            depth += 1
            if depth > LIMITS.max_pdf_nesting:
                detail = f"PDF 结构嵌套超过 {LIMITS.max_pdf_nesting} 层（上限），疑似恶意构造"
                raise InputError("E109", name, detail)
        elif token in (b">>", b"]"):
            depth = max(depth - 1, 0)
        elif token == b"endobj":
            depth = 0
        else:  # a stream: its dictionary is just before it
            header = data[max(0, match.start() - 600) : match.start()]
            end = data.find(b"endstream", position)
            end = len(data) if end < 0 else end
            if b"/FlateDecode" in header or b"/Fl " in header or b"/Fl]" in header:
                is_objstm = bool(_OBJSTM.search(header))
                inflated, text = _inflate(name, data[position:end], inflated, budget, keep=is_objstm)
                if is_objstm and text:
                    extra_text.append(text)
            position = end + len(b"endstream")
            depth = 0
    # Objects packed in object streams: each stream's dictionary says how many (/N).
    objects += sum(int(m.group(1)) for header in _objstm_headers(data) for m in [_N.search(header)] if m)
    if objects > LIMITS.max_pdf_objects:
        raise InputError("E109", name, f"PDF 有 {objects} 个对象，超过上限 {LIMITS.max_pdf_objects}")
    pages = 0
    for source in (data, *extra_text):
        for match in _PAGES.finditer(source):
            window = source[max(0, match.start() - 300) : match.end() + 300]
            counts = [int(m.group(1)) for m in _COUNT.finditer(window)]
            pages = max([pages, *counts])
    if pages > LIMITS.max_pdf_pages:
        raise InputError("E109", name, f"PDF 声明 {pages} 页，超过上限 {LIMITS.max_pdf_pages} 页")


def _objstm_headers(data: bytes) -> Iterator[bytes]:
    for match in _OBJSTM.finditer(data):
        yield data[max(0, match.start() - 300) : match.end() + 300]


def _inflate(name: str, raw: bytes, inflated: int, budget: float, *, keep: bool) -> tuple[int, bytes]:
    """Inflate one stream a chunk at a time, adding to the running total; the text when ``keep``."""
    decompressor = zlib.decompressobj()
    kept: list[bytes] = []
    pending = raw
    try:
        while pending:
            chunk = decompressor.decompress(pending, _CHUNK)
            pending = decompressor.unconsumed_tail
            inflated += len(chunk)
            if inflated > budget:
                detail = f"PDF 数据流解压后超过 {LIMITS.max_pdf_inflated_mb:g} MB（上限，疑似压缩炸弹）"
                raise InputError("E109", name, detail)
            if keep:
                kept.append(chunk)
            if decompressor.eof or not chunk:
                break
    except zlib.error:
        pass  # a damaged stream: pdfminer reports what it cannot read
    return inflated, b"".join(kept)


@contextlib.contextmanager
def page_deadline(name: str, page: int) -> Iterator[None]:
    """Stop a page that takes longer than ``max-page-seconds`` (main thread only: signals)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise InputError("E109", name, f"第{page}页读取超过 {LIMITS.max_page_seconds:g} 秒（上限），疑似恶意构造")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, LIMITS.max_page_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------ reading


@dataclass
class _Part:
    """One page's piece of a table: its cell boxes, the characters inside, and the lines above it."""

    page: int
    number: int
    boxes: list[tuple[float, float, float, float]]
    chars: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]
    page_height: float
    lines_above: list[str]
    ragged: bool = False
    head: list[list[str]] = field(default_factory=list)  # its first rows' texts, read on its own columns
    open_top: set[tuple[int, int]] = field(default_factory=set)  # cells cut by the page break above
    open_bottom: set[tuple[int, int]] = field(default_factory=set)  # … and below (their x spans)

    @property
    def sheet(self) -> str:
        return f"第{self.page}页 表{self.number}"


@dataclass
class _Table:
    parts: list[_Part] = field(default_factory=list)


def read_pdf(path: Path, data: bytes) -> list[Grid]:
    name = str(path)
    prescan(name, data)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError("E103", name) from exc
    except (PDFSyntaxError, PSException) as exc:
        raise InputError("E104", name, f"PDF 结构异常（{type(exc).__name__}）") from exc
    except Exception as exc:  # pdfminer raises assorted errors on damaged files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InputError("E103", name) from exc
        raise InputError("E104", name, f"PDF 结构异常（{type(exc).__name__}）") from exc
    tables: list[_Table] = []
    notices: list[str] = []
    scanned: list[int] = []
    with document:
        try:
            pages = _pages(document, name)
            text_pages = 0
            for number, page in pages:
                with page_deadline(name, number):
                    parts, has_text, has_images = _read_page(page, number)
                    page.close()
                if not has_text:
                    if has_images:
                        scanned.append(number)
                    continue
                text_pages += 1
                for part in parts:
                    if part is parts[0] and tables and _continues(tables[-1], part):
                        tables[-1].parts.append(part)
                    else:
                        tables.append(_Table([part]))
        except InputError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise InputError("E103", name) from exc
        except RecursionError as exc:
            raise InputError("E109", name, "PDF 结构嵌套过深，疑似恶意构造") from exc
        except Exception as exc:
            raise InputError("E104", name, f"PDF 结构异常（{type(exc).__name__}）") from exc
    if not text_pages:
        detail = "请找到原始的 Excel/Word 文件，或可选中文字的 PDF" if scanned else "PDF 中没有文字"
        raise InputError("E115", name, detail)
    if scanned:
        listed = "、".join(str(n) for n in scanned[:20])
        notices.append(f"第{listed}页只有图像、没有文字层（扫描页），未读取（不做文字识别）")
    grids = [_grid(table) for table in tables]
    grids = [grid for grid in grids if grid.rows]
    if not grids:
        raise InputError("E107", name, "（PDF 中没有找到表格）")
    grids[0].notices[:0] = notices
    return grids


def _pages(document: Any, name: str) -> Iterator[tuple[int, Any]]:
    """The document's pages one at a time (pdfplumber's ``pages`` would build them all first)."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    for index, page_object in enumerate(PDFPage.create_pages(document.doc)):
        if index >= LIMITS.max_pdf_pages:
            raise InputError("E109", name, f"PDF 超过 {LIMITS.max_pdf_pages} 页（上限）")
        yield index + 1, Page(document, page_object, page_number=index + 1, initial_doctop=0)


def _read_page(page: Any, number: int) -> tuple[list[_Part], bool, bool]:
    width, height = float(page.width), float(page.height)
    # Text drawn outside the page is clipped away (a merged cell's text centred on its whole range, which
    # runs onto other pages): only what a reader of the page sees counts.
    chars = [
        char for char in page.chars
        if char["text"].strip() and 0 <= (char["x0"] + char["x1"]) / 2 <= width
        and 0 <= (char["top"] + char["bottom"]) / 2 <= height
    ]  # fmt: skip
    if not chars:
        return [], False, bool(page.images)
    # A merged cell cut by the page break has no border on the cut side: close the ruled area there.
    verticals = [edge for edge in page.edges if edge["orientation"] == "v"]
    cuts = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)] if verticals else []
    found = page.find_tables({"explicit_horizontal_lines": cuts}) if cuts else page.find_tables()
    horizontals = [edge for edge in page.edges if edge["orientation"] == "h"]
    ragged = False
    if not found:
        found = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
        ragged = True
    found = sorted((t for t in found if len(t.cells) > 1), key=lambda t: (t.bbox[1], t.bbox[0]))
    parts: list[_Part] = []
    taken: set[int] = set()
    previous_bottom = 0.0
    for index, table in enumerate(found, start=1):
        top, bottom = table.bbox[1], table.bbox[3]
        boxes = [tuple(box) for box in table.cells]
        open_top: set[tuple[int, int]] = set()
        open_bottom: set[tuple[int, int]] = set()
        if cuts:
            open_top = {_span(b) for b in boxes if abs(b[1] - cuts[0]) < 1 and not _ruled(horizontals, b, b[1])}
            open_bottom = {_span(b) for b in boxes if abs(b[3] - cuts[1]) < 1 and not _ruled(horizontals, b, b[3])}
        inside = [
            i for i, ch in enumerate(chars)
            if i not in taken and (
                _within(ch, table.bbox)
                # the text of a cell cut by the page break, centred on its whole range, may sit in the margin
                or (ch["bottom"] <= top + 1 and _over(ch, open_top))
                or (ch["top"] >= bottom - 1 and _over(ch, open_bottom))
            )
        ]  # fmt: skip
        taken.update(inside)
        above = [
            ch for i, ch in enumerate(chars)
            if i not in taken and previous_bottom - 1 <= ch["top"] and ch["bottom"] <= top + 1
        ]  # fmt: skip
        part = _Part(
            number, index, boxes, [chars[i] for i in inside], tuple(table.bbox), float(page.height),
            [line for line in _lines(above) if line], ragged, open_top=open_top, open_bottom=open_bottom,
        )  # fmt: skip
        rows = _cells(part, _cluster([b[0] for b in boxes] + [b[2] for b in boxes]), [])
        part.head = [_distinct(row) for row in rows[:6]]
        parts.append(part)
        previous_bottom = bottom
    return parts, True, bool(page.images)


def _over(char: dict[str, Any], spans: set[tuple[int, int]]) -> bool:
    middle = (char["x0"] + char["x1"]) / 2
    return any(x0 < middle < x1 for x0, x1 in spans)


def _span(box: tuple[float, ...]) -> tuple[int, int]:
    return round(box[0]), round(box[2])


def _ruled(edges: list[dict[str, Any]], box: tuple[float, ...], y: float) -> bool:
    """Whether a real horizontal line at ``y`` runs along the box's side (else the side is a page cut)."""
    covered = 0.0
    for edge in edges:
        if abs(edge["top"] - y) < 1.5:
            covered += max(0.0, min(edge["x1"], box[2]) - max(edge["x0"], box[0]))
    return covered >= (box[2] - box[0]) * 0.6


def _distinct(row: list[Cell]) -> list[str]:
    seen: set[Location | None] = set()
    out = []
    for cell in row:
        if cell.location not in seen:
            seen.add(cell.location)
            out.append(cell.text)
    return out


def _within(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    cx = (char["x0"] + char["x1"]) / 2
    cy = (char["top"] + char["bottom"]) / 2
    return bbox[0] - 0.5 <= cx <= bbox[2] + 0.5 and bbox[1] - 0.5 <= cy <= bbox[3] + 0.5


def _cluster(values: list[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _index(bounds: list[float], value: float) -> int:
    """The boundary nearest ``value``."""
    i = bisect_right(bounds, value)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - value < value - bounds[i - 1] else i - 1


def _cells(part: _Part, xs: list[float], notices: list[str]) -> list[list[Cell]]:
    """The part's slots on the columns ``xs``, each cell repeated over the slots it spans, with the
    text of its characters."""
    boxes, sheet = part.boxes, part.sheet
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    height, width = len(ys) - 1, len(xs) - 1
    if width > LIMITS.max_columns:
        raise InputError("E109", sheet, f"{sheet}有 {width} 列，超过上限 {LIMITS.max_columns}")
    if height * width > LIMITS.max_cells:
        raise InputError("E109", sheet, f"{sheet}有 {height} 行 × {width} 列，超过单元格上限 {LIMITS.max_cells}")
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    rights: dict[tuple[int, int], float] = {}
    for box in boxes:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        if r1 <= r0 or c1 <= c0:
            continue
        rights[(r0, c0)] = box[2]
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), (r0, c0))
    held: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for char in part.chars:
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        c = min(max(bisect_right(xs, cx) - 1, 0), width - 1)
        r = min(max(bisect_right(ys, cy) - 1, 0), height - 1)
        held.setdefault(owner.get((r, c), (r, c)), []).append(char)
    made: dict[tuple[int, int], Cell] = {}
    rows: list[list[Cell]] = []
    for r in range(height):
        row = []
        for c in range(width):
            origin = owner.get((r, c), (r, c))
            cell = made.get(origin)
            if cell is None:
                right = rights.get(origin, xs[min(origin[1] + 1, width)])
                text = _text(held.get(origin, []), right)
                location = Location(origin[0] + 1, origin[1] + 1, sheet)
                cell = made[origin] = Cell(cap(text, notices, origin[0] + 1, origin[1] + 1, sheet), location)
            row.append(cell)
        rows.append(row)
    return rows


def _line_groups(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into text lines (by vertical position), each line left to right."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda ch: (ch["top"], ch["x0"])):
        size = max(char["bottom"] - char["top"], 0.5)
        if lines:
            last = lines[-1]
            middle = (last[0]["top"] + last[0]["bottom"]) / 2
            if char["top"] < middle < char["bottom"] or abs(char["top"] - last[0]["top"]) < size * 0.4:
                last.append(char)
                continue
        lines.append([char])
    return [sorted(line, key=lambda ch: ch["x0"]) for line in lines]


def _line_text(line: list[dict[str, Any]]) -> str:
    out: list[str] = []
    previous = None
    for char in line:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = max(previous["size"], 0.5)
            if gap > size * 0.2 and not out[-1].isspace() and not char["text"].isspace():
                out.append(" ")
        out.append(char["text"])
        previous = char
    return _plain("".join(out))


def _plain(text: str) -> str:
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _text(chars: list[dict[str, Any]], right: float) -> str:
    """A cell's text: wrapped lines joined, lines ended well before the cell's right edge kept apart."""
    if not chars:
        return ""
    lines = _line_groups(chars)
    texts = [_line_text(line).strip() for line in lines]
    out = texts[0]
    for i in range(1, len(lines)):
        line, following = lines[i - 1], lines[i]
        size = max(ch["size"] for ch in line)
        room = right - line[-1]["x1"]
        first_word = following[0]["x1"] - following[0]["x0"]
        for char in following[1:]:  # the run that cannot be broken: up to and with the first CJK character
            if _cjk(following[0]["text"]) or char["x0"] - following[0]["x0"] > size * 12:
                break
            first_word = char["x1"] - following[0]["x0"]
            if _cjk(char["text"]) or char["text"].isspace():
                break
        wrapped = room < first_word + size * 1.2
        if not wrapped:
            out += "\n" + texts[i]
        elif out and texts[i] and _latin(out[-1]) and _latin(texts[i][0]) and room > size * 0.6:
            out += " " + texts[i]  # a Latin word that did not fit: the space the wrap took
        else:
            out += texts[i]
    return out.strip()


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _lines(chars: list[dict[str, Any]]) -> list[str]:
    return [_line_text(line).strip() for line in _line_groups(chars)]


def _continues(table: _Table, part: _Part) -> bool:
    """Whether ``part`` (first on its page) continues ``table`` from the page before: the same outer
    edges, and either no title above it (page numbers aside) or the first part's title lines and
    header rows printed again."""
    first, last = table.parts[0], table.parts[-1]
    if part.page != last.page + 1 or part.ragged != last.ragged:
        return False
    if abs(part.bbox[0] - last.bbox[0]) > 2.0 or abs(part.bbox[2] - last.bbox[2]) > 2.0:
        return False
    titles = [line for line in part.lines_above if not _PAGE_NUMBER.match(line)]
    if not titles:
        return True
    repeated = set(first.lines_above)
    return all(line in repeated for line in titles) and _repeated_head(first, part) > 0


def _repeated_head(first: _Part, part: _Part) -> int:
    """How many leading rows of ``part`` repeat the first rows of the table (a header printed again)."""
    count = 0
    for a, b in zip(first.head, part.head, strict=False):
        if a != b or not any(a):
            break
        count += 1
    return count


def _rejoin(rows: list[list[Cell]], part_rows: list[list[Cell]], xs: list[float], cut: set[tuple[int, int]]) -> None:
    """Make a cell the page break cut in two one merged cell again: the upper piece's location, the
    text of both pieces (the text is usually drawn on one page only)."""
    for x0, _x1 in cut:
        c = _index(xs, x0)
        above, below = rows[-1][c], part_rows[0][c]
        if above.location is None or below.location is None:
            continue
        if below.text in above.text:  # drawn on both pages, or on the upper one only
            text = above.text
        elif above.text in below.text:
            text = below.text
        else:
            text = (above.text + below.text).strip()
        merged = Cell(text, above.location)
        for block in (rows, part_rows):
            for row in block:
                for i, cell in enumerate(row):
                    if cell.location in (above.location, below.location):
                        row[i] = merged


def _own_text(rows: list[list[Cell]]) -> bool:
    """Whether the last row holds text of its own (not only a merged cell that starts above it)."""
    earlier = {cell.location for row in rows[:-1] for cell in row}
    return any(not cell.is_blank and (cell.location is None or cell.location not in earlier) for cell in rows[-1])


def _grid(table: _Table) -> Grid:
    first = table.parts[0]
    name = first.sheet
    notices: list[str] = []
    notes: dict[Location, str] = {}
    xs = _cluster([x for part in table.parts for b in part.boxes for x in (b[0], b[2])])
    preamble = first.lines_above[-8:]
    rows: list[list[Cell]] = [[Cell(line, None)] for line in preamble]
    previous: _Part | None = None
    for index, part in enumerate(table.parts):
        part_rows = _cells(part, xs, notices)
        if index:
            drop = _repeated_head(first, part)
            part_rows = part_rows[drop:]
            if not drop and previous is not None and len(rows) > len(preamble) and part_rows:
                _rejoin(rows, part_rows, xs, previous.open_bottom & part.open_top)
        previous = part
        for row in part_rows:
            out = []
            for cell in row:
                if cell.location is not None and "auditor" in cell.text.lower():
                    cell = Cell(take_directive(cell.text, notes, cell.location), cell.location)
                out.append(cell)
            rows.append(out)
    if len(table.parts) > 1:
        pages = "、".join(str(part.page) for part in table.parts)
        notices.append(f"{name}跨页（第{pages}页）连续，已合并读取")
    while rows and not _own_text(rows):
        rows.pop()  # empty rows, or rows that only a merged cell from above reaches into
    if len(rows) <= len(preamble):
        rows = []
    return Grid(name=name, rows=rows, ragged=first.ragged, notices=notices, notes=notes)
