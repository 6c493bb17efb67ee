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


def model_says_measurable(text: str) -> bool:
    """The quality model is confident the target is measurable or graded (a veto on MS001/MS005)."""
    options = structure()
    if not options.get("model_measurability", False):
        return False
    from auditor.ml.predict import probabilities

    scores = probabilities("quality", text, "target")
    confident = float(options["model_measurability_threshold"])
    return scores.get("measurable", 0.0) + scores.get("graded_qualitative", 0.0) >= confident
