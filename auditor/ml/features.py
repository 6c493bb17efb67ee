"""Features of an indicator text: character n-grams, jieba words, and NLP-layer facts.

The same functions serve training (as scikit-learn analyzers and transformers) and prediction
(in :mod:`auditor.ml.linear`), so the two can never drift apart.
"""

from __future__ import annotations

import math
import re

from auditor.text.normalize import normalize

_SPACE = re.compile(r"\s+")
DENSE_NAMES = (
    "has_figure", "has_percent", "has_comparator", "has_deadline", "name_only", "zero_target",
    "stock_phrase", "not_applicable", "graded_words", "log_length", "completion_side",
)  # fmt: skip
_GRADES = ("好", "较好", "一般", "较差", "优", "良", "达到", "部分达到", "未达到", "等次", "档")
#: Longest labelled text (corpus/labels allows 120 characters). The length feature is capped here so that a
#: linear model never extrapolates a length trend to the much longer cells real tables contain.
LENGTH_CAP = 120


def char_ngrams(text: str) -> list[str]:
    """Character 1–3-grams of the normalised text (the char analyzer)."""
    norm = normalize(text)
    grams = list(norm)
    grams += [norm[i : i + 2] for i in range(len(norm) - 1)]
    grams += [norm[i : i + 3] for i in range(len(norm) - 2)]
    return grams


def words(text: str) -> list[str]:
    """jieba words of the text, from the shared NLP pipeline (the word analyzer)."""
    from auditor.text.nlp import analyze

    return [token.strip() for token in analyze(text).tokens if token.strip()]


def dense(text: str, side: str) -> list[float]:
    """Facts the rules also use: figures, comparators, deadlines, name shape, stock phrases …

    ``side`` is ``target``/``completion`` for the category and quality models, and empty for the side
    model (which must not see the answer it predicts): ``completion_side`` is then constant.
    """
    from auditor.checks.options import is_not_applicable
    from auditor.text.nlp import analyze

    facts = analyze(text)
    return [
        float(facts.has_figure),
        float(any(q.unit == "%" for q in facts.quantities)),
        float(bool(facts.comparators)),
        float(bool(facts.deadlines)),
        float(facts.name_only),
        float(facts.zero_target),
        float(bool(facts.phrases)),
        float(is_not_applicable(text)),
        float(any(grade in facts.text for grade in _GRADES)),
        math.log1p(min(len(normalize(text)), LENGTH_CAP)),
        float(side == "completion"),
    ]
