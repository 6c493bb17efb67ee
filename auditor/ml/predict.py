"""The shipped models, loaded once (from JSON, in well under a second) and asked per distinct text."""

from __future__ import annotations

from functools import cache, lru_cache

from auditor.ml.linear import LinearTextModel
from auditor.resources import data_dir


@cache
def model(name: str) -> LinearTextModel | None:
    """``category``, ``quality`` or ``side``; ``None`` when the model file is absent."""
    path = data_dir("models") / f"{name}.json"
    return LinearTextModel.load(path) if path.is_file() else None


@lru_cache(maxsize=100_000)
def probabilities(name: str, text: str, side: str) -> dict[str, float]:
    """Class → probability for one text (empty when the model is not shipped)."""
    loaded = model(name)
    if loaded is None or not text.strip():
        return {}
    row = loaded.predict_proba([text], [side])[0]
    return {label: float(p) for label, p in zip(loaded.classes_, row, strict=True)}
