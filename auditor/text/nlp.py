"""The Chinese NLP pipeline: one cached spaCy ``blank("zh")`` with the jieba segmenter.

jieba gets the domain user dictionary (``rules/domain_dict.txt``) before spaCy builds its
tokenizer, so 网格员, 预算执行率 … stay whole words. Registered components mark, with character
offsets into the (NFKC, simplified) cell text:

- ``auditor_quantities`` — numbers with units and 量词, Arabic and Chinese numerals;
- ``auditor_comparators`` — ≥, 不低于, 以上, 比上年减少 …;
- ``auditor_deadlines`` — 12月底前, 2020年6月30日前, 10分钟内, 全年, 季度 …;
- ``auditor_name_shape`` — the text is only an indicator's name (…率, …数量, …（%）);
- ``auditor_phrases`` — stock phrases from the ``rules/`` lexicons (spaCy PhraseMatcher on tokens
  for ``match: tokens`` entries, substring search for ``match: text`` entries).

:func:`analyze` returns frozen :class:`TextFacts` and processes each distinct text once per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from auditor.resources import data_dir, extra_packs, load_pack, load_pack_file
from auditor.text.measures import (
    Mark,
    Quantity,
    find_comparators,
    find_deadlines,
    find_quantities,
    has_zero_target,
)
from auditor.text.normalize import analysis_form

_NAME_SUFFIX = re.compile(
    r"(率|数量|次数|人数|个数|户数|家数|满意度|知晓度|覆盖面|占比|比例|比重|及时性|准确性|完整性|规范性|有效性|时效性"
    r"|[（(]\s*[%％]\s*[）)]|[（(]\s*[个家人次件项套台万元天]+\s*[）)])$"
)
_SEGMENTS = re.compile(r"[;；。\n]+")


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the NLP layer found in one text (offsets into :attr:`text`)."""

    text: str
    tokens: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    comparators: tuple[Mark, ...]
    deadlines: tuple[Mark, ...]
    phrases: tuple[Mark, ...]
    name_only: bool
    zero_target: bool

    @property
    def has_figure(self) -> bool:
        return bool(self.quantities)

    @property
    def has_measure(self) -> bool:
        """A figure, a comparator with a figure, a time bound or a zero target."""
        return bool(self.quantities or self.deadlines or self.zero_target)

    def phrases_of(self, label: str) -> tuple[Mark, ...]:
        return tuple(mark for mark in self.phrases if mark.label == label)


def is_name_only(text: str) -> bool:
    """Every segment is an indicator name with no value after it (``设备验收合格率``)."""
    segments = [s.strip(" ，,、") for s in _SEGMENTS.split(text) if s.strip(" ，,、")]
    if not segments:
        return False
    # A name is a short noun phrase: no commas inside, ending in …率 / …数量 / …（%）.
    return all(
        len(segment) <= 24 and "," not in segment and "，" not in segment and _NAME_SUFFIX.search(segment)
        for segment in segments
    )


@cache
def phrase_lexicons() -> dict[str, list[dict[str, Any]]]:
    """Phrase lists by label from every pack that declares ``phrases`` (e.g. ``rules/vague.yaml``),
    plus the user's extra lexicon files (same format), minus the user's allowed phrases."""
    lexicons: dict[str, list[dict[str, Any]]] = {}
    packs = [load_pack(path.stem) for path in sorted(data_dir("rules").glob("*.yaml"))]
    packs += [load_pack_file(path) for path in extra_packs()]
    for pack in packs:
        allowed = {str(word) for word in pack.get("allow_phrases") or []}
        for label, spec in (pack.get("phrases") or {}).items():
            for item in spec:
                entry = {"text": item, "match": "text"} if isinstance(item, str) else dict(item)
                if str(entry["text"]) not in allowed:
                    lexicons.setdefault(label, []).append(entry)
    return lexicons


def reset() -> None:
    """Forget the pipeline and every analysis (the configuration changed)."""
    phrase_lexicons.cache_clear()
    get_nlp.cache_clear()
    _CACHE.clear()


@cache
def get_nlp() -> Any:
    """The shared pipeline, built once per process."""
    import jieba
    import spacy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    jieba.setLogLevel(60)
    jieba.load_userdict(str(data_dir("rules") / "domain_dict.txt"))
    for name in ("quantities", "comparators", "deadlines", "phrases", "name_only", "zero_target"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)

    if "auditor_quantities" not in Language.factories:

        @Language.component("auditor_quantities")
        def quantities(doc: Doc) -> Doc:
            text = doc_text(doc)
            doc._.quantities = tuple(find_quantities(text))
            doc._.zero_target = has_zero_target(text)
            return doc

        @Language.component("auditor_comparators")
        def comparators(doc: Doc) -> Doc:
            doc._.comparators = tuple(find_comparators(doc_text(doc)))
            return doc

        @Language.component("auditor_deadlines")
        def deadlines(doc: Doc) -> Doc:
            doc._.deadlines = tuple(find_deadlines(doc_text(doc)))
            return doc

        @Language.component("auditor_name_shape")
        def name_shape(doc: Doc) -> Doc:
            doc._.name_only = is_name_only(doc_text(doc))
            return doc

        @Language.factory("auditor_phrases", default_config={"labels": []})
        def make_phrases(nlp: Language, name: str, labels: list[str]) -> Any:
            return PhraseComponent(nlp, labels or list(phrase_lexicons()), PhraseMatcher)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for component in ("auditor_quantities", "auditor_comparators", "auditor_deadlines", "auditor_name_shape"):
        nlp.add_pipe(component)
    nlp.add_pipe("auditor_phrases")
    return nlp


def doc_text(doc: Any) -> str:
    """``doc.text`` rebuilds the string from its tokens on every call; build it once per Doc."""
    text = doc.user_data.get("auditor_text")
    if text is None:
        text = doc.user_data["auditor_text"] = doc.text
    return text


class PhraseComponent:
    """Marks lexicon phrases: token patterns with a PhraseMatcher, text patterns by substring."""

    def __init__(self, nlp: Any, labels: list[str], matcher_class: Any) -> None:
        self.matcher = matcher_class(nlp.vocab)
        self.text_phrases: list[tuple[str, str]] = []
        lexicons = phrase_lexicons()
        for label in labels:
            token_patterns = []
            for entry in lexicons.get(label, []):
                phrase = analysis_form(str(entry["text"]))
                if entry.get("match") == "tokens":
                    token_patterns.append(nlp.make_doc(phrase))
                else:
                    self.text_phrases.append((label, phrase))
            if token_patterns:
                self.matcher.add(label, token_patterns)
        self.text_phrases.sort(key=lambda pair: -len(pair[1]))

    def __call__(self, doc: Any) -> Any:
        marks: list[Mark] = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            marks.append(Mark(span.start_char, span.end_char, doc.vocab.strings[match_id], span.text))
        text = doc_text(doc)
        for label, phrase in self.text_phrases:
            start = text.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not any(m.start <= start and end <= m.end and m.label == label for m in marks):
                    marks.append(Mark(start, end, label, phrase))
                start = text.find(phrase, start + 1)
        doc._.phrases = tuple(sorted(marks, key=lambda m: (m.start, -m.end)))
        return doc


def _facts(doc: Any) -> TextFacts:
    text = doc_text(doc)
    # Token strings by offset (each with its trailing space), without building Token objects.
    starts = [int(i) for i in doc.to_array("IDX")] if len(doc) else []
    ends = [*starts[1:], len(text)] if starts else []
    tokens = tuple(text[a:b] for a, b in zip(starts, ends, strict=True))
    return TextFacts(
        text=text,
        tokens=tokens,
        quantities=doc._.quantities,
        comparators=doc._.comparators,
        deadlines=doc._.deadlines,
        phrases=doc._.phrases,
        name_only=doc._.name_only,
        zero_target=doc._.zero_target,
    )


#: One analysis per distinct text per run (boilerplate recurs hundreds of times in a corpus).
_CACHE: dict[str, TextFacts] = {}
_CACHE_LIMIT = 500_000


def _process(form: str) -> Any:
    """``nlp(form)``, but telling the components the text up front (``doc.text`` is rebuilt per call)."""
    nlp = get_nlp()
    doc = nlp.make_doc(form)
    doc.user_data["auditor_text"] = form
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def analyze(text: str) -> TextFacts:
    """Facts about one cell text; each distinct (normalised) text is processed once per run."""
    form = analysis_form(text)
    facts = _CACHE.get(form)
    if facts is None:
        facts = _remember(form, _facts(_process(form)))
    return facts


def analyze_many(texts: list[str]) -> None:
    """Analyse many texts, skipping those already seen (each distinct text once)."""
    for form in dict.fromkeys(map(analysis_form, texts)):
        if form not in _CACHE:
            _remember(form, _facts(_process(form)))


def _remember(form: str, facts: TextFacts) -> TextFacts:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[form] = facts
    return facts
