"""Match header and category labels by meaning, using the synonyms in ``rules/labels.yaml``.

A label is normalised (:func:`auditor.text.normalize.label_key`) and then looked up exactly, by
containment of a known synonym, and finally by fuzzy similarity, so ``項目名稱``, ``项目名称：`` and
``项目 名称`` all mean ``name``.
"""

from __future__ import annotations

from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import label_key


class LabelMatcher:
    """Maps free-form labels onto the keys of one vocabulary (a ``{key: [synonyms]}`` mapping)."""

    def __init__(self, vocabulary: dict[str, list[str]], threshold: float = 86.0) -> None:
        self.threshold = threshold
        self._exact: dict[str, str] = {}
        self._synonyms: list[tuple[str, str]] = []
        for key, synonyms in vocabulary.items():
            for synonym in [key, *synonyms]:
                normal = label_key(synonym)
                self._exact.setdefault(normal, key)
                self._synonyms.append((normal, key))
        # Longest synonyms first, so containment prefers the most specific one.
        self._synonyms.sort(key=lambda pair: -len(pair[0]))
        #: Answers by (label, contains, fuzzy): a folder of tables asks about the same header labels
        #: hundreds of thousands of times. Bounded; the matcher itself is rebuilt when packs change.
        self._memo: dict[tuple[str, bool, bool], str | None] = {}

    def match(self, label: str, *, contains: bool = True, fuzzy: bool = True) -> str | None:
        memo_key = (label, contains, fuzzy)
        if memo_key in self._memo:
            return self._memo[memo_key]
        if len(self._memo) >= 100_000:
            self._memo.clear()
        found = self._memo[memo_key] = self._match(label, contains, fuzzy)
        return found

    def _match(self, label: str, contains: bool, fuzzy: bool) -> str | None:
        key = label_key(label)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        if contains and len(key) <= 24:
            for synonym, target in self._synonyms:
                if len(synonym) >= 3 and synonym in key:
                    return target
        if fuzzy and 2 < len(key) <= 24:
            from rapidfuzz import fuzz

            best, best_score = None, 0.0
            for synonym, target in self._synonyms:
                if len(synonym) < 3:
                    continue
                score = fuzz.ratio(key, synonym)
                if score > best_score:
                    best, best_score = target, score
            if best_score >= self.threshold:
                return best
        return None


@pack_cache
def _pack() -> dict:
    return load_pack("labels")


@pack_cache
def matcher(section: str, sub: str | None = None) -> LabelMatcher:
    """The matcher of one vocabulary of ``labels.yaml``, e.g. ``matcher("categories")`` or
    ``matcher("standard", "fund_lines")``."""
    pack = _pack()
    vocabulary = pack[section] if sub is None else pack[section][sub]
    if isinstance(vocabulary, list):
        vocabulary = {section if sub is None else sub: vocabulary}
    return LabelMatcher(vocabulary, float(pack.get("fuzzy_threshold", 86)))


def category_of(label: str) -> str | None:
    """Canonical category (数量指标 … 满意度指标) of a label, or ``None``."""
    return matcher("categories").match(label)
