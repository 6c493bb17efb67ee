"""CSV, TSV and plain text: encoding detection (UTF-8, UTF-8 BOM, GB18030/GBK) and delimiter sniffing."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from auditor.errors import InputError
from auditor.readers.grid import Grid, build_rows
from auditor.readers.limits import LIMITS

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, path: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("E106", path) from exc
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("E106", path)


def sniff_delimiter(text: str, suffix: str) -> str:
    sample = [line for line in split_lines(text)[:200] if line.strip()]
    tabs = sum(line.count("\t") for line in sample)
    commas = sum(line.count(",") for line in sample)
    if suffix in (".tsv", ".txt") and tabs:
        return "\t"
    if suffix == ".csv" and commas >= tabs:
        return ","
    return "\t" if tabs >= commas else ","


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines broken at CR/LF only: U+2028, NEL and form feeds inside a cell are text, not new rows."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _check_shape(path: str, lines: list[str], delimiter: str) -> None:
    """Refuse before parsing what no table has: a line of a million characters, thousands of fields."""
    for number, line in enumerate(lines, start=1):
        if len(line) > LIMITS.max_line_chars:
            detail = f"第{number}行有 {len(line)} 个字符，超过上限 {LIMITS.max_line_chars}"
            raise InputError("E109", path, detail)
        if line.count(delimiter) >= LIMITS.max_columns:
            detail = f"第{number}行有 {line.count(delimiter) + 1} 列，超过上限 {LIMITS.max_columns}"
            raise InputError("E109", path, detail)
    if len(lines) > LIMITS.max_rows:
        raise InputError("E109", path, f"共 {len(lines)} 行，超过上限 {LIMITS.max_rows}")


def read_delimited(path: Path, data: bytes) -> list[Grid]:
    text = decode(data, str(path))
    if "\x00" in text:
        raise InputError("E105", str(path), "文本中含有二进制内容")
    lines = split_lines(text)
    delimiter = sniff_delimiter(text, path.suffix.lower())
    _check_shape(str(path), lines, delimiter)
    notices: list[str] = []
    if delimiter == "\t":
        # Tab-separated text pulled from PDF/HTML has no quoting; split literally.
        values = [line.split("\t") for line in lines]
    else:
        csv.field_size_limit(10_000_000)
        try:
            values = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise InputError("E104", str(path), f"CSV 格式错误（{exc}）") from exc
    values = [[field.strip() for field in row] for row in values]
    notes: dict = {}
    rows = build_rows(values, None, notices, notes=notes)
    return [Grid(name=None, rows=rows, ragged=True, notices=notices, notes=notes)]
