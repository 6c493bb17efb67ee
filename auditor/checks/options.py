"""Rule options read from the declarative packs in ``rules/`` (overridable by the user's config)."""

from __future__ import annotations

import re

from auditor.model import Cell
from auditor.resources import load_pack, pack_cache, pack_memo
from auditor.text.normalize import normalize


@pack_cache
def structure() -> dict:
    return load_pack("structure")


def required_categories() -> tuple[str, ...]:
    return tuple(structure()["required_categories"])


@pack_cache
def _not_applicable() -> frozenset[str]:
    return frozenset(normalize(word) for word in structure()["not_applicable"])


#: Memos by cell text of :func:`is_not_applicable` and of :func:`is_empty` (called for every cell by many rules).
_NOT_APPLICABLE = pack_memo()
_EMPTY = pack_memo()


def is_not_applicable(text: str) -> bool:
    """``不适用``, ``无``, ``/`` … — a placeholder rather than content."""
    verdict = _NOT_APPLICABLE.get(text)
    if verdict is None:
        verdict = _NOT_APPLICABLE.put(text, normalize(text) in _not_applicable())
    return verdict


@pack_cache
def _prompts() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in structure().get("template_prompts", ()))


def is_template_prompt(text: str) -> bool:
    """The template's own instruction left in a value cell: ``…(100字以内)``, ``对照年度目标,说明…``."""
    normal = normalize(text)
    return bool(normal) and any(pattern.search(normal) for pattern in _prompts())


def is_empty(cell: Cell | None) -> bool:
    """Blank, or holding only the template's prompt text — no content either way."""
    if cell is None:
        return True
    text = cell.text
    verdict = _EMPTY.get(text)
    if verdict is None:
        verdict = _EMPTY.put(text, not text.strip() or is_template_prompt(text))  # (memoised here)
    return verdict


@pack_cache
def _placeholder_names() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in structure().get("placeholder_names", ()))


def is_placeholder_name(text: str) -> bool:
    """A 三级指标 slot the template ships: ``……``, ``指标2:`` (or nothing)."""
    normal = normalize(text)
    return any(pattern.fullmatch(normal) for pattern in _placeholder_names())
