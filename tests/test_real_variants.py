"""Metamorphic checks on the real tables: the same table written differently parses the same.

Units publish one template in many hands: labels with spaces inside (``绩 效 指 标``), traditional
characters from reposting sites, a TSV re-saved as a workbook. Each transformation below is applied to
every ``corpus/real`` TSV and the parse — every project's indicators with category, target and
completion, compared in normalised form — must not change. None of this looks at a file's sentences.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import openpyxl
import pytest

from auditor.readers import read_submission
from auditor.text.normalize import normalize
from tests.conftest import CORPUS

TABLES = sorted([*(CORPUS / "real").glob("*.tsv"), *(CORPUS / "real-heldout").glob("*.tsv")])


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")]


def _write(rows: list[list[str]], path: Path) -> Path:
    path.write_text("\n".join("\t".join(row) for row in rows), encoding="utf-8")
    return path


def _parse(path: Path) -> list[tuple]:
    submission = read_submission(path)
    return [
        (
            submission.layout.value,
            project.index,
            normalize(project.name.text),
            tuple(
                (i.category, normalize(i.expression("target")), normalize(i.expression("completion")))
                for i in project.indicators
            ),
            len(project.management),
            normalize(project.grade.text) if project.grade is not None else None,
        )
        for project in submission.projects
    ]


def _spaced(text: str) -> str:
    """``绩效指标`` → ``绩 效 指 标`` for short all-Chinese cells (labels, mostly; values compare normalised)."""
    if 2 <= len(text) <= 8 and all("\u4e00" <= ch <= "\u9fff" for ch in text):
        return " ".join(text)
    return text


def _traditional(text: str) -> str:
    import zhconv

    return zhconv.convert(text, "zh-hant")


def _is_block_label(text: str) -> bool:
    """A category, level or section label: the cells a published workbook merges down over their block."""
    from auditor.readers.labels import category_of, matcher

    return bool(text) and len(text) <= 16 and (
        category_of(text) is not None
        or matcher("levels").match(text, fuzzy=False) is not None
        or matcher("standard", "indicator_section").match(text, fuzzy=False, contains=False) is not None
    )


def _workbook(rows: list[list[str]], path: Path, merged: bool = True) -> Path:
    """The table as a workbook (every cell text, "=8个" included, stored as text); ``merged``: its block
    labels merged down over the empty cells below them, the way the published workbooks are (a TSV export
    keeps the label in the first row only)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text:
                cell = sheet.cell(r, c, text)
                cell.data_type = "s"
    if not merged:
        book.save(path)
        return path
    last = max((r for r, row in enumerate(rows, start=1) if any(row)), default=0)
    for c in range(1, max((len(row) for row in rows), default=0) + 1):
        for r, row in enumerate(rows, start=1):
            if c > len(row) or not _is_block_label(row[c - 1]):
                continue
            end = r
            # Down over the empty cells below, within its parent's block (nothing new to its left).
            while (end < last and (c > len(rows[end]) or not rows[end][c - 1]) and any(rows[end])
                   and not any(rows[end][: c - 1])):  # fmt: skip
                end += 1
            if end > r:
                sheet.merge_cells(start_row=r, start_column=c, end_row=end, end_column=c)
    book.save(path)
    return path


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.name.split("_")[0])
@pytest.mark.parametrize(
    "change", ["spaced-labels", "traditional", "as-workbook", "merged-labels", "gbk-csv", "offset-workbook"]
)
def test_a_real_table_written_differently_parses_the_same(tmp_path: Path, table: Path, change: str) -> None:
    original = _parse(table)
    rows = _rows(table)
    if change == "spaced-labels":
        variant = _write([[_spaced(cell) for cell in row] for row in rows], tmp_path / table.name)
    elif change == "traditional":
        variant = _write([[_traditional(cell) for cell in row] for row in rows], tmp_path / table.name)
    elif change == "merged-labels":
        variant = _workbook(rows, tmp_path / (table.stem + ".xlsx"))
    elif change == "gbk-csv":  # Excel's "CSV" in China: comma-separated, quoted where needed, GBK
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        variant = tmp_path / (table.stem + ".csv")
        variant.write_bytes(buffer.getvalue().encode("gb18030"))
    elif change == "offset-workbook":  # the table placed from B3, as many workbooks are
        variant = _workbook([[], [], *[["", *row] for row in rows]], tmp_path / (table.stem + ".xlsx"))
    else:
        variant = _workbook(rows, tmp_path / (table.stem + ".xlsx"), merged=False)
    assert _parse(variant) == original


STANDARD = [table for table in TABLES if _parse(table)[0][0] == "standard"]


@pytest.mark.parametrize(("first", "second"), list(itertools.pairwise(STANDARD)),
                         ids=lambda p: p.name.split("_")[0])  # fmt: skip
def test_two_real_tables_stacked_in_one_file_read_as_both(tmp_path: Path, first: Path, second: Path) -> None:
    """Blocks end where the next table's 项目名称 row or title begins, whether or not it names a project.

    The first table may gain back the unfinished last row a cut copy ends with (in the stacked file it
    is no longer the file's last row); everything else is the same.
    """
    a, b = _parse(first), _parse(second)
    stacked = _parse(_write([*_rows(first), [""], *_rows(second)], tmp_path / "stacked.tsv"))
    assert len(stacked) == len(a) + len(b)
    for got, want in zip(stacked[: len(a)], a, strict=True):
        assert got[2] == want[2] and got[4:] == want[4:]
        assert got[3][: len(want[3])] == want[3] and len(got[3]) - len(want[3]) <= 1
    assert [x[2:] for x in stacked[len(a) :]] == [x[2:] for x in b]
