"""Shared tests of measurability for the MS rules."""

from __future__ import annotations

from auditor.checks.options import structure
from auditor.resources import pack_cache
from auditor.text.nlp import TextFacts


@pack_cache
def quantitative() -> frozenset[str]:
    return frozenset(structure()["quantitative_categories"])


@pack_cache
def effects() -> frozenset[str]:
    return frozenset(structure()["effect_categories"])


def graded(facts: TextFacts) -> bool:
    """A qualitative target graded into tiers (好/较好/一般/较差 …)."""
    text = facts.text
    if any(scale in text for scale in structure()["graded_scale"]):
        return True
    words = [w for w in structure()["graded_words"] if len(w) >= 2 and w in text]
    return len(words) >= 2 and ("/" in text or "、" in text)
