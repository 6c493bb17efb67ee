"""The Chinese NLP layer: jieba's segmentation (by rjieba) and rule-based facts about a cell text.

Segmentation is rjieba (the Rust port of jieba) with the domain user dictionary
(``rules/domain_dict.txt``), so 网格员, 预算执行率 … stay whole words. It reproduces ``jieba.lcut``
token for token: the only difference, an ASCII run jieba's HMM step splits (``2018-2022`` →
``2018`` ``-`` ``2022``) and rjieba keeps whole, is re-split here the way jieba does
(``tests/test_segmenter.py`` compares the two on every text of the corpus). The token strings are
the ones spaCy's ``blank("zh")`` with the jieba segmenter made before (each token with the single
space that follows it).

Facts, with character offsets into the (NFKC, simplified) cell text:

- quantities — numbers with units and 量词, Arabic and Chinese numerals;
- comparators — ≥, 不低于, 以上, 比上年减少 …;
- deadlines — 12月底前, 2020年6月30日前, 10分钟内, 全年, 季度 …;
- name shape — the text is only an indicator's name (…率, …数量, …（%）);
- phrases — stock phrases from the ``rules/`` lexicons, found by substring (``match: text``, the
  default). A lexicon entry may instead say ``match: tokens``: it then matches on whole tokens
  only, with spaCy's ``PhraseMatcher`` — the one place spaCy is used, imported only when such an
  entry exists (none of the shipped packs has one; it is an extension point for user lexicons).

:func:`analyze` returns frozen :class:`TextFacts` and processes each distinct text once per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from sys import intern
from typing import Any

from auditor.model import slot_init
from auditor.resources import data_dir, extra_packs, load_pack, load_pack_file
from auditor.text.measures import (
    Mark,
    Quantity,
    find_comparators,
    find_deadlines,
    find_quantities,
    has_zero_target,
    masked_form,
)
from auditor.text.normalize import analysis_form

_NAME_SUFFIX = re.compile(
    r"(率|数量|次数|人数|个数|户数|家数|满意度|知晓度|覆盖面|占比|比例|比重|及时性|准确性|完整性|规范性|有效性|时效性"
    r"|[（(]\s*[%％]\s*[）)]|[（(]\s*[个家人次件项套台万元天]+\s*[）)])$"
)
_SEGMENTS = re.compile(r"[;；。\n]+")
_WHITE = re.compile(r"\s")

#: A token of characters jieba's HMM step treats as non-Chinese (its ``re_han_default`` minus 汉字) …
_ASCII_RUN = re.compile(r"[a-zA-Z0-9+#&._%\-]{2,}")
#: … which jieba splits with ``finalseg.re_skip`` (rjieba keeps ``2018-2022``, ``agri-001`` whole).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_USER_WORD = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")  # jieba's re_userdict


@slot_init
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

    def __hash__(self) -> int:
        # Facts are cache keys (figure comparisons by pair of texts): hash the text alone, not every
        # tuple of marks; equal facts have equal texts, and one text's facts are one shared object.
        return hash(self.text)

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


# --- segmentation -----------------------------------------------------------------------------


@cache
def _rjieba() -> Any:
    """rjieba's shared segmenter with the domain words added (once per process: adding is not idempotent)."""
    import rjieba

    with (data_dir("rules") / "domain_dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            match = _USER_WORD.match(line)
            assert match is not None
            word, freq, tag = match.groups()
            rjieba.add_word(word, int(freq) if freq is not None else None, tag.strip() if tag else None)
    return rjieba


def segment(text: str) -> list[str]:
    """The words of ``text`` exactly as ``jieba.lcut(text)`` (with the domain dictionary) gives them."""
    segmenter = _rjieba()
    words = segmenter.cut(text)
    if not _ASCII_RUN.search(text):
        return words
    out: list[str] = []
    for word in words:
        if len(word) > 1 and _ASCII_RUN.fullmatch(word) and not segmenter.has_word(word):
            out += [piece for piece in _JIEBA_SKIP.split(word) if piece]
        else:
            out.append(word)
    return out


def warm_up() -> None:
    """Load the segmenter now (before forking workers that would each load it)."""
    _rjieba()


def is_word(text: str) -> bool:
    """A word of the segmenter's dictionary (jieba's ``FREQ[text] > 0``), domain words included."""
    return bool(_rjieba().has_word(text))


def _words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces``: white space words dropped, a single following space kept
    as the word's trailing space, other gaps as tokens of their own."""
    out_words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for word in words:
        if not word or word.isspace():
            continue
        start = text.index(word, position)
        if start > position:
            out_words.append(text[position:start])
            spaces.append(False)
            position = start
        out_words.append(word)
        position += len(word)
        follows = position < len(text) and text[position] == " "
        spaces.append(follows)
        position += follows
    if position < len(text):
        out_words.append(text[position:])
        spaces.append(False)
    return out_words, spaces


def tokens_of(text: str) -> tuple[str, ...]:
    """The text's tokens, each with its trailing space (they add up to the text).

    Tokens are interned: the segmenter returns a new string for every word of every text, while a
    corpus has few distinct words (10^5 texts keep their tokens in the analysis cache; interned, a run
    keeps one 完成 instead of tens of thousands).
    """
    words = segment(text)
    if not _WHITE.search(text) and "".join(words) == text:
        return tuple(map(intern, filter(None, words)))  # no gaps and no spaces: the words themselves
    words, spaces = _words_and_spaces(words, text)
    return tuple(intern(word + " " if space else word) for word, space in zip(words, spaces, strict=True))


# --- phrases ----------------------------------------------------------------------------------


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


class PhraseFinder:
    """Marks lexicon phrases: text patterns by substring; token patterns (``match: tokens``) with
    spaCy's PhraseMatcher, loaded only when a lexicon has one."""

    def __init__(self) -> None:
        self.text_phrases: list[tuple[str, str]] = []
        token_phrases: dict[str, list[str]] = {}
        for label, entries in phrase_lexicons().items():
            for entry in entries:
                phrase = analysis_form(str(entry["text"]))
                if entry.get("match") == "tokens":
                    token_phrases.setdefault(label, []).append(phrase)
                else:
                    self.text_phrases.append((label, phrase))
        self.text_phrases.sort(key=lambda pair: -len(pair[1]))
        self.first_chars = frozenset(phrase[0] for _, phrase in self.text_phrases if phrase)
        self.token_matcher = TokenPhraseMatcher(token_phrases) if token_phrases else None

    def __call__(self, text: str, tokens: tuple[str, ...]) -> tuple[Mark, ...]:
        marks = self.token_matcher(text, tokens) if self.token_matcher is not None else []
        if not self.first_chars.isdisjoint(text):
            for label, phrase in self.text_phrases:
                start = text.find(phrase)
                while start >= 0:
                    end = start + len(phrase)
                    if not any(m.start <= start and end <= m.end and m.label == label for m in marks):
                        marks.append(Mark(start, end, label, phrase))
                    start = text.find(phrase, start + 1)
        return tuple(sorted(marks, key=lambda m: (m.start, -m.end)))


class TokenPhraseMatcher:
    """Whole-token phrases (``match: tokens`` lexicon entries) with spaCy's PhraseMatcher on Docs
    built from this module's tokens — the extension point that needs spaCy, imported here only."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.vocab import Vocab

        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab)
        for label, texts in phrases.items():
            self.matcher.add(label, [self._doc(text, tokens_of(text)) for text in texts])

    def _doc(self, text: str, tokens: tuple[str, ...]) -> Any:
        from spacy.tokens import Doc

        words = [token[:-1] if token.endswith(" ") and not token.isspace() else token for token in tokens]
        spaces = [token.endswith(" ") and not token.isspace() for token in tokens]
        return Doc(self.vocab, words=words, spaces=spaces)

    def __call__(self, text: str, tokens: tuple[str, ...]) -> list[Mark]:
        doc = self._doc(text, tokens)
        marks = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            marks.append(Mark(span.start_char, span.end_char, self.vocab.strings[match_id], span.text))
        return marks


@cache
def phrase_finder() -> PhraseFinder:
    return PhraseFinder()


# --- analysis ---------------------------------------------------------------------------------


def reset() -> None:
    """Forget the phrase lists and every analysis (the configuration changed)."""
    phrase_lexicons.cache_clear()
    phrase_finder.cache_clear()
    _CACHE.clear()
    _RAW.clear()


def _analyse(form: str) -> TextFacts:
    tokens = tokens_of(form)
    masked = masked_form(form)  # (quantities and deadlines both read it)
    return TextFacts(
        text=form,
        tokens=tokens,
        quantities=tuple(find_quantities(form, masked)),
        comparators=tuple(find_comparators(form)),
        deadlines=tuple(find_deadlines(form, masked)),
        phrases=phrase_finder()(form, tokens),
        name_only=is_name_only(form),
        zero_target=has_zero_target(form),
    )


#: One analysis per distinct text per run (boilerplate recurs hundreds of times in a corpus),
#: by analysis form, and the same facts by the raw cell text (most lookups are of a text seen before).
_CACHE: dict[str, TextFacts] = {}
_RAW: dict[str, TextFacts] = {}
_CACHE_LIMIT = 500_000


def analyze(text: str) -> TextFacts:
    """Facts about one cell text; each distinct (normalised) text is processed once per run."""
    facts = _RAW.get(text)
    if facts is not None:
        return facts
    form = analysis_form(text)
    facts = _CACHE.get(form)
    if facts is None:
        facts = _remember(form, _analyse(form))
    if len(_RAW) >= _CACHE_LIMIT:
        _RAW.clear()
    _RAW[text] = facts
    return facts


def analyze_many(texts: list[str]) -> None:
    """Analyse many texts, skipping those already seen (each distinct text once)."""
    for text in texts:
        analyze(text)


def _remember(form: str, facts: TextFacts) -> TextFacts:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[form] = facts
    return facts
