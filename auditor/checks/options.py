"""Rule options read from the declarative packs in ``rules/`` (overridable by the user's config)."""

from __future__ import annotations

from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize


@pack_cache
def structure() -> dict:
    return load_pack("structure")


def required_categories() -> tuple[str, ...]:
    return tuple(structure()["required_categories"])


@pack_cache
def _not_applicable() -> frozenset[str]:
    return frozenset(normalize(word) for word in structure()["not_applicable"])


def is_not_applicable(text: str) -> bool:
    """``不适用``, ``无``, ``/`` … — a placeholder rather than content."""
    return normalize(text) in _not_applicable()
