"""Shared tests of measurability for the MS rules."""

from __future__ import annotations

from auditor.checks.options import structure
from auditor.model import Suppression
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


@pack_cache
def _measure_cues() -> tuple[str, ...]:
    return tuple(str(cue) for cue in structure()["model_measurability_cues"])


def measure_cue(text: str) -> bool:
    """Something figure-like that the rules did not read as a measure: a digit, or a cue from
    ``model_measurability_cues`` (a quoted grade, a tier scale with slashes, 为零, Ⅲ类, 不超过…).

    This is where the rules' lexicon falls short on the labelled data (graded scales, zeros, standard
    classes, comparisons with a named reference); a text with none of it — a long description of
    activities, 有效提高… — gives the model nothing the rules missed, so the model is not asked.
    """
    from auditor.text.nlp import analyze

    normal = analyze(text).text
    return any(ch.isdigit() for ch in normal) or any(cue in normal for cue in _measure_cues())


def model_vouches(scores: dict[str, float], text: str) -> bool:
    """The quality model's ``scores`` for ``text`` are enough to veto MS001/MS005 (see :func:`measure_cue`)."""
    confident = float(structure()["model_measurability_threshold"])
    measurable = scores.get("measurable", 0.0) + scores.get("graded_qualitative", 0.0)
    return measurable >= confident and measure_cue(text)


def model_veto(text: str) -> Suppression | None:
    """The quality model's veto on MS001/MS005 for this target, or ``None``.

    The rule still makes its finding and marks it suppressed by the model with the probability, so
    JSON, SARIF and the reports show that the model made the call (suppressed findings are not counted);
    the option ``model-measurability`` switches the veto off.
    """
    if not structure().get("model_measurability", False):
        return None
    from auditor.ml.predict import probabilities

    if not measure_cue(text):  # nothing the rules missed: the model is not asked (see model_vouches)
        return None
    scores = probabilities("quality", text, "target")
    if not model_vouches(scores, text):
        return None
    probability = scores.get("measurable", 0.0) + scores.get("graded_qualitative", 0.0)
    return Suppression("model", f"模型判断可衡量，概率{probability:.2f}")
