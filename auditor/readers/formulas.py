"""Formula cells saved without a cached value (typed as ``=100%`` in a tool that never calculated).

openpyxl's ``data_only`` view reads them as empty, so a filled-in target would draw "missing value".
Where the sheet has such cells, the formulas are read once more and the *constant* ones evaluated —
literals (``=100%``, ``="已完成"``) and arithmetic on numbers only (``=251.89/251.89``) — with a small
evaluator over Python's AST that knows numbers and the four operations, nothing else. A formula that
refers to cells or functions stays empty and is named in a notice. Nothing is ever executed.
"""

from __future__ import annotations

import ast
import io
import operator
import re
import zipfile
from typing import Any

_UNCACHED = re.compile(rb"</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>|<f[^>]*/>\s*</c>")
_LITERAL_TEXT = re.compile(r'^"((?:[^"]|"")*)"$')
_OPERATORS: dict[type, Any] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos,
}  # fmt: skip


_ANY_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula element at all (any namespace prefix; a cheap scan that
    spares a second parse of the workbook when there is none). Unreadable parts count as "maybe"."""
    return _any_sheet_matches(data, _ANY_FORMULA, unreadable=True)


def has_uncached_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula with no cached value (a cheap scan of the sheet XML)."""
    return _any_sheet_matches(data, _UNCACHED, unreadable=False)


def _any_sheet_matches(data: bytes, pattern: re.Pattern[bytes], unreadable: bool) -> bool:
    """Whether ``pattern`` occurs in any worksheet part; ``unreadable`` when the archive cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    if pattern.search(archive.read(name)):
                        return True
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return unreadable
    return False


def constant_value(formula: str) -> str | None:
    """The text a constant formula shows (``=100%`` → ``100%``), or ``None`` when it is not constant."""
    body = formula[1:].strip() if formula.startswith("=") else formula.strip()
    if not body or len(body) > 200:
        return None
    text = _LITERAL_TEXT.match(body)
    if text:
        return text.group(1).replace('""', '"')
    percent = body.endswith("%")
    expression = body[:-1] if percent else body
    try:
        value = _evaluate(ast.parse(expression, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None
    if value is None:
        return None
    number = f"{round(value, 10):g}" if abs(value) < 1e15 else None
    if number is None:
        return None
    return number + "%" if percent else number


def _evaluate(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        inner = _evaluate(node.operand)
        return None if inner is None else _OPERATORS[type(node.op)](inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if left is None or right is None:
            return None
        return _OPERATORS[type(node.op)](left, right)
    return None
