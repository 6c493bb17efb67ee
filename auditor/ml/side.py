"""Which of a table's unrecognised columns holds targets and which completions, from their texts.

The side model (``models/side.json``) judges one text at a time (年度指标值 or 实际完成值?). A column
is scored by the mean log-odds of its texts being targets — a mean, not a sum, because the texts of
one column are not independent evidence (one author, one template): summing would make a long column
arbitrarily certain. Of two columns, the one with the higher score holds the targets, with probability
logistic(score_A − score_B). Placeholders (不适用, 无, /) and blank cells say nothing about a side and are left
out. The trainer measures on held-out columns how often the decision is right (models/REPORT.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean


@dataclass(frozen=True)
class SideCall:
    """The model's call on the unrecognised columns: the side of each, and its probability."""

    sides: tuple[str, ...]  # "target" / "completion", one per column, in the order given
    probability: float
    texts: int  # how many informative texts it rests on


def informative(texts: Sequence[str]) -> list[str]:
    """The texts that can tell a side: not blank, not a not-applicable placeholder."""
    from auditor.checks.options import is_not_applicable

    return [text for text in texts if text.strip() and not is_not_applicable(text)]


def combine(target_probabilities: Sequence[Sequence[float]]) -> SideCall | None:
    """Sides of one or two columns from their texts' P(target), or ``None`` with nothing to go on.

    Two columns (exactly one holds the targets): P(A targets, B completions) = logistic(score_A − score_B).
    One column: it is on the side logistic(score_A) favours (weaker: there is nothing to compare it with, so
    a reader that knows the other column should pass both).
    """
    if not target_probabilities or len(target_probabilities) > 2 or any(not c for c in target_probabilities):
        return None
    scores = [fmean(_log_odds(p) for p in column) for column in target_probabilities]
    count = sum(len(column) for column in target_probabilities)
    margin = scores[0] - scores[1] if len(scores) == 2 else scores[0]
    probability = 1.0 / (1.0 + math.exp(-max(min(margin, 50.0), -50.0)))
    first = "target" if probability >= 0.5 else "completion"
    other = "completion" if first == "target" else "target"
    sides = (first, other) if len(scores) == 2 else (first,)
    return SideCall(sides, max(probability, 1.0 - probability), count)


def _log_odds(p: float) -> float:
    """log(p / (1 − p)), clipped so that one certain text cannot decide a column on its own."""
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def call_sides(columns: Sequence[Sequence[str]]) -> SideCall | None:
    """Ask the shipped side model about one or two columns of texts (``None``: no model, no texts)."""
    from auditor.ml.predict import probabilities

    probabilities_by_column = []
    for texts in columns:
        scores = [probabilities("side", text, "") for text in informative(texts)]
        if any(not score for score in scores):
            return None  # the model is not shipped
        probabilities_by_column.append([score["target"] for score in scores])
    return combine(probabilities_by_column)
