"""Concrete suggestions from ``rules/suggestions.yaml``, so wording lives with the rule packs."""

from __future__ import annotations

from auditor.resources import load_pack


def completion_suggestion(category: str | None) -> str:
    """What to write as a completion of this category, with an example."""
    pack = load_pack("suggestions")
    return str(pack["completion_by_category"].get(category or "", pack["default"]))
