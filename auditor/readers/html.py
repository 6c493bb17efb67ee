"""Saved web pages: every ``<table>`` becomes a :class:`Grid` named ``表N``; rowspan/colspan resolved.

Government sites publish self-evaluation tables as HTML (and Excel's 另存为网页 writes HTML under an
``.xls`` name). The page is parsed by lxml's HTML parser with the network off; scripts, styles and
other non-content elements are dropped before any text is taken, nothing is fetched and nothing runs.

* A cell spanning rows or columns is repeated over its range with the top-left cell's location, as
  merged cells are in workbooks; spans reaching past the table are clipped as browsers clip them.
* ``<br>`` and block elements inside a cell are line breaks; other whitespace collapses as a browser
  shows it.
* The headings and paragraphs just above a table (and the page's ``<title>`` after them) become the
  grid's leading rows without a location, so department and year are found as in a Word document.
  Navigation (``<nav>``, lists, links, forms) is not taken as a title line.
* A table nested in a cell (a layout table holding the data table) is read as its own table; its
  text is not part of the outer cell. Tables that yield no project are skipped with a notice by
  :func:`auditor.readers.read_submission`.
* The encoding comes from a byte-order mark, else the document's ``<meta charset>`` /
  ``http-equiv`` declaration (GB2312 and GBK are read as GB18030, their superset), else UTF-8 when
  the bytes are valid UTF-8, else GB18030.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Cell, Location
from auditor.readers.grid import Grid, cap, take_directive
from auditor.readers.limits import LIMITS

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TABLE_TAG = re.compile(rb"<table[\s>/]", re.IGNORECASE)
_CELL_TAG = re.compile(rb"<t[dh][\s>/]", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")
#: Chinese encodings that pages declare; GB18030 reads them all (GB2312 pages often hold GBK characters).
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "gb_2312-80", "x-euc-cn"}
#: Elements whose text is never content.
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head")
#: Elements whose text is navigation or chrome, not a table's title.
_NOT_TITLES = {"nav", "ul", "ol", "menu", "select", "form", "button", "a", "header", "footer", "aside", "label"}
#: Block elements: their text is a line of its own (a title line outside tables, a line break inside a cell).
_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "section", "article", "center",
    "blockquote", "pre", "address", "caption", "tr", "br", "hr", "main",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}
#: Most rows and columns a span may cover (the HTML standard clamps colspan to 1000, rowspan to 65534).
_MAX_SPAN = 1000


def decode_html(data: bytes, path: str) -> str:
    """The page's text in the encoding its BOM or ``<meta>`` declares (see the module docstring)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    match = _META_CHARSET.search(data[:8192])
    declared = match.group(1).decode("ascii", "ignore").lower() if match else ""
    if declared in _GB:
        return data.decode("gb18030", "replace")
    if declared:
        import codecs

        try:
            codecs.lookup(declared)
        except LookupError:
            declared = ""
        else:
            if codecs.lookup(declared).name not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
                return data.decode(declared, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InputError("E106", path) from exc


def read_html(path: Path, data: bytes) -> list[Grid]:
    import lxml.etree
    import lxml.html

    name = str(path)
    _check_counts(name, data)
    text = _XML_DECLARATION.sub("", decode_html(data, name), count=1).replace("\x00", "")
    parser = lxml.html.HTMLParser(
        recover=True, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, compact=True
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise InputError("E104", name, f"网页无法解析（{type(exc).__name__}）") from exc
    title = _page_title(root)
    for element in list(root.iter(*_DROPPED)):
        if element.getparent() is not None:
            element.drop_tree()
    grids: list[Grid] = []
    lines: list[str] = []
    for kind, element in _walk(root.find("body") if root.find("body") is not None else root):
        if kind == "line":
            lines.append(element)
            continue
        if len(grids) >= LIMITS.max_sheets:
            raise InputError("E109", name, f"网页中的表格超过上限 {LIMITS.max_sheets} 个")
        caption = element.find("caption")
        preamble = lines[-6:]
        if caption is not None and (caption_text := _inline_text(caption)):
            preamble.append(caption_text)
        if title and title not in preamble:
            preamble.append(title)
        grid = _table_grid(element, len(grids) + 1, preamble, name)
        lines = []
        if grid.rows:
            grids.append(grid)
    if not grids:
        raise InputError("E107", name, "（网页中没有表格）")
    return grids


def _check_counts(name: str, data: bytes) -> None:
    """Refuse before parsing a page with more tables or cells than the limits allow."""
    tables = sum(1 for _ in _TABLE_TAG.finditer(data))
    if tables > LIMITS.max_sheets * 5:  # layout and navigation tables come on top of the data tables
        raise InputError("E109", name, f"网页中有 {tables} 个表格，超过上限")
    cells = sum(1 for _ in _CELL_TAG.finditer(data))
    if cells > LIMITS.max_cells:
        raise InputError("E109", name, f"网页中有 {cells} 个单元格，超过上限 {LIMITS.max_cells}")


def _page_title(root: Any) -> str:
    element = root.find(".//title")
    return _collapse(element.text_content()) if element is not None else ""


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _walk(element: Any) -> Any:
    """Title lines (``("line", text)``) and tables (``("table", element)``) in document order.

    A table's own cells are not walked here (their text belongs to the table), but tables nested in
    its cells are yielded after it. Text in navigation and chrome elements is not a title line.
    """
    for child in element.iterchildren():
        tag = _tag(child)
        if not tag:
            continue
        if tag == "table":
            yield "table", child
            for inner in child.iterdescendants("table"):
                yield "table", inner
            continue
        if tag in _NOT_TITLES:
            continue
        if child.find(".//table") is not None:
            yield from _walk(child)  # a container holding a table: its lines and the table, in order
            continue
        if tag in _BLOCKS or tag in _HEADINGS or tag in ("span", "font", "b", "strong", "td", "th"):
            text = _inline_text(child)
            if text:
                yield "line", text


def _inline_text(element: Any) -> str:
    """An element's text without navigation children, block children on lines of their own."""
    parts: list[str] = []
    _collect(element, parts, skip_tables=True, skip_navigation=True)
    return " ".join(_collapse(line) for line in "".join(parts).split("\n") if _collapse(line))


def _collect(element: Any, parts: list[str], *, skip_tables: bool, skip_navigation: bool = False) -> None:
    """Append the text under ``element`` to ``parts``; ``<br>`` and block boundaries become ``\\n``."""
    if element.text:
        parts.append(element.text)
    for child in element.iterchildren():
        tag = _tag(child)
        if tag and not (skip_tables and tag == "table") and not (skip_navigation and tag in _NOT_TITLES):
            block = tag in _BLOCKS
            if block and tag != "br":
                parts.append("\n")
            if tag == "br":
                parts.append("\n")
            else:
                _collect(child, parts, skip_tables=skip_tables, skip_navigation=skip_navigation)
            if block and tag != "br":
                parts.append("\n")
        if child.tail:
            parts.append(child.tail)


def cell_text(element: Any) -> str:
    """A cell's text as a browser shows it: spaces collapsed, ``<br>`` and blocks as line breaks."""
    parts: list[str] = []
    _collect(element, parts, skip_tables=True)
    lines = [_collapse(line) for line in "".join(parts).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _rows_of(table: Any) -> list[Any]:
    """The table's own rows (thead, tbody, tfoot or directly), not those of nested tables."""
    rows = []
    for child in table.iterchildren():
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child.iterchildren() if _tag(row) == "tr")
    return rows


def _span(element: Any, attribute: str) -> int:
    value = (element.get(attribute) or "1").strip()
    match = re.match(r"\d+", value)
    return max(1, min(int(match.group()) if match else 1, _MAX_SPAN))


def _table_grid(table: Any, number: int, preamble: list[str], path: str) -> Grid:
    """The table's cells placed as a browser places them: each cell at the first free slot of its row."""
    name = f"表{number}"
    notices: list[str] = []
    notes: dict[Location, str] = {}
    rows_html = _rows_of(table)
    if len(rows_html) > LIMITS.max_rows:
        raise InputError("E109", path, f"{name}有 {len(rows_html)} 行，超过上限 {LIMITS.max_rows}")
    placed: dict[tuple[int, int], Cell] = {}
    width = 0
    for r, row in enumerate(rows_html):
        c = 0
        for element in row.iterchildren():
            if _tag(element) not in ("td", "th"):
                continue
            while (r, c) in placed:
                c += 1
            rowspan = min(_span(element, "rowspan"), len(rows_html) - r)
            colspan = _span(element, "colspan")
            if c + colspan > LIMITS.max_columns:
                detail = f"{name}第{r + 1}行超过 {LIMITS.max_columns} 列（上限）"
                raise InputError("E109", path, detail)
            if len(placed) + rowspan * colspan > LIMITS.max_cells:
                raise InputError("E109", path, f"{name}展开后超过 {LIMITS.max_cells} 个单元格（上限）")
            location = Location(r + 1, c + 1, name)
            text = cap(take_directive(cell_text(element), notes, location), notices, r + 1, c + 1, name)
            cell = Cell(text, location)
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed.setdefault((r + dr, c + dc), cell)
            c += colspan
            width = max(width, c)
    height = len(rows_html)
    if height * width > LIMITS.max_cells:
        raise InputError("E109", path, f"{name}的范围 {height} 行 × {width} 列超过单元格上限 {LIMITS.max_cells}")
    rows: list[list[Cell]] = [[Cell(text, None)] for text in preamble]
    body: list[list[Cell]] = []
    for r in range(height):
        body.append([placed.get((r, c)) or Cell("", Location(r + 1, c + 1, name)) for c in range(width)])
    while body and all(cell.is_blank for cell in body[-1]):
        body.pop()
    if not body:
        return Grid(name=name, rows=[], notices=notices, notes=notes)
    return Grid(name=name, rows=rows + body, notices=notices, notes=notes)
