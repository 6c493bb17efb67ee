"""Web pages made from the real tables of ``corpus/real/*.xlsx``, as government sites publish them.

Each workbook sheet becomes a ``<table>`` whose merged ranges are ``rowspan``/``colspan`` cells, line
breaks are ``<br>``, and whose leading title rows (one text across the row: 项目支出绩效自评表,
（2022年度）…) are taken out of the table and written as a heading and paragraphs above it — so the
reader has to find department and year in the page's title lines. The table sits in a page with a
navigation bar, a breadcrumb, an unrelated table (a 收入支出决算总表 extract) before it and a footer
after it. One page (``GBK_PAGE``) is encoded in GBK and declares ``charset=gb2312`` as many sites do;
its cells are wrapped in ``<p class=MsoNormal><span>`` as Word's 另存为网页 writes them.

The pages are made at test time (``tests/test_readers_published.py``); run as a script to write them
all into a folder: ``.venv/bin/python tests/data/html/make_pages.py OUT``.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "corpus" / "real"
GBK_PAGE = "r03_suixi_minzheng_linshijiuzhu_2019"

_NAV = """<nav class="top"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwgk/czyjs/">财政预决算</a></li><li><a href="/zwgk/czyjs/2023/">2023年度决算公开</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></nav>
<table class="layout" width="100%"><tr><td><a href="/">网站首页</a> | <a href="/sitemap">网站地图</a></td>
<td>2024年08月30日 星期五</td></tr></table>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 部门决算</div>
<script>document.write("<table><tr><td>项目名称</td></tr></table>"); window.location = "http://x.invalid";</script>
<style>td { border: 1px solid #000 }</style>
<h3>附表1 收入支出决算总表</h3>
<table border="1"><tr><th colspan="2">收入</th><th colspan="2">支出</th></tr>
<tr><td>项目</td><td>决算数</td><td>项目</td><td>决算数</td></tr>
<tr><td>一、一般公共预算财政拨款收入</td><td>1,234.56</td><td>一、一般公共服务支出</td><td>234.10</td></tr>
<tr><td>二、政府性基金预算财政拨款收入</td><td>0.00</td><td>二、社会保障和就业支出</td><td>1,000.46</td></tr></table>
"""
_FOOTER = """<div class="footer"><p>主办单位：某县人民政府办公室 地址：某县人民路1号</p>
<table><tr><td>网站标识码：1234000001</td><td><a href="#">联系我们</a></td></tr></table></div>"""


def _text(value: object, number_format: str | None) -> str:
    from auditor.readers.xlsx import format_value

    return format_value(value, number_format)


def sheet_tables(workbook_path: Path) -> list[tuple[list[str], list[list[tuple[str, int, int]]]]]:
    """Per sheet: its title lines, and its rows of (text, rowspan, colspan) cells (covered cells left out)."""
    import openpyxl

    workbook = openpyxl.load_workbook(workbook_path, data_only=True)
    out = []
    for sheet in workbook.worksheets:
        texts = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and str(cell.value).strip():
                    texts[(cell.row, cell.column)] = _text(cell.value, cell.number_format)
        if not texts:
            continue
        height = max(r for r, _ in texts)
        width = max(c for _, c in texts)
        spans, covered = {}, set()
        for merged in sheet.merged_cells.ranges:
            bottom, right = min(merged.max_row, height), min(merged.max_col, width)
            spans[(merged.min_row, merged.min_col)] = (bottom - merged.min_row + 1, right - merged.min_col + 1)
            for r in range(merged.min_row, bottom + 1):
                for c in range(merged.min_col, right + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.add((r, c))
        first = 1
        titles = []
        while first <= height:
            values = [texts[(first, c)] for c in range(1, width + 1) if (first, c) in texts]
            if len(values) != 1:
                break
            titles.append(values[0])
            first += 1
        rows = []
        for r in range(first, height + 1):
            cells = []
            for c in range(1, width + 1):
                if (r, c) in covered:
                    continue
                rowspan, colspan = spans.get((r, c), (1, 1))
                cells.append((texts.get((r, c), ""), rowspan, colspan))
            rows.append(cells)
        out.append((titles, rows))
    return out


def _cell(text: str, rowspan: int, colspan: int, word: bool) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    body = "<br>".join(html.escape(line) for line in text.split("\n"))
    if word:
        body = f'<p class=MsoNormal align=center><span style="font-family:宋体">{body}</span></p>' if body else "&nbsp;"
    return f"<td{attrs}>{body}</td>"


def page(workbook_path: Path, *, gbk: bool = False) -> bytes:
    """One workbook's tables as a saved web page (UTF-8, or GBK declaring gb2312)."""
    tables = sheet_tables(workbook_path)
    first_title = tables[0][0][0] if tables and tables[0][0] else workbook_path.stem
    charset = "gb2312" if gbk else "utf-8"
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(first_title)}_部门决算_某县人民政府</title></head><body>",
        _NAV,
    ]
    for titles, rows in tables:
        for index, line in enumerate(titles):
            tag = "h1" if index == 0 else "p"
            parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
        parts.append('<table border="1" cellspacing="0" class="MsoNormalTable"><tbody>')
        for row in rows:
            parts.append("<tr>" + "".join(_cell(text, rs, cs, gbk) for text, rs, cs in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append(_FOOTER)
    parts.append("</body></html>")
    text = "\n".join(parts)
    return text.encode("gbk", "xmlcharrefreplace") if gbk else text.encode("utf-8")


def write_pages(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for workbook in sorted(REAL.glob("*.xlsx")):
        target = folder / f"{workbook.stem}.html"
        target.write_bytes(page(workbook, gbk=workbook.stem == GBK_PAGE))
        written.append(target)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for path in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "html-pages")):
        print(path)
