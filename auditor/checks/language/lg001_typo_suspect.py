"""LG001 typo-suspect: a non-word one character away from a domain term."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.model import Cell, Finding, Indicator, Project, Severity
from auditor.resources import PackMemo, load_pack, pack_cache, pack_memo


@pack_cache
def _vocabulary() -> tuple[tuple[str, ...], frozenset[str]]:
    pack = load_pack("typos")
    terms = tuple(term for term in pack["terms"] if len(term) >= 3)  # two characters: too many look-alikes
    return terms, frozenset(pack["allowed"])


@pack_cache
def _affixes() -> tuple[frozenset[str], frozenset[str]]:
    pack = load_pack("typos")
    return frozenset(pack["suffix_chars"]), frozenset(pack["prefix_chars"])


@pack_cache
def _is_word(text: str) -> bool:
    """A word of the segmenter's dictionary (jieba's and the domain words)."""
    from auditor.text.nlp import is_word

    return is_word(text)


@pack_cache
def suspicious(window: str) -> bool:
    """Not a word, and not built of words (安全生活 = 安全 + 生活; 执行力 = 执行 + 力 are fine)."""
    if _is_word(window):
        return False
    if len(window) == 3:
        suffixes, prefixes = _affixes()
        # word + suffix (执行力), or word + the first character of the next word (覆盖|本企业) …
        if _is_word(window[:2]) and (window[2] in suffixes or window[2] in prefixes):
            return False
        # … and the mirror images (总|执行率, 制|覆盖率).
        if _is_word(window[1:]) and (window[0] in prefixes or window[0] in suffixes):
            return False
        return True
    return not any(_is_word(window[:cut]) and _is_word(window[cut:]) for cut in range(2, len(window) - 1))


@pack_cache
def _index() -> dict[str, list[str]]:
    """Each term with one character masked → the terms it could be a misspelling of."""
    index: dict[str, list[str]] = {}
    for term in _vocabulary()[0]:
        for i in range(len(term)):
            index.setdefault(term[:i] + "\0" + term[i + 1 :], []).append(term)
    return index


@pack_cache
def _joiners() -> frozenset[str]:
    return frozenset(load_pack("typos").get("joiner_chars", ""))


@pack_cache
def _omissions() -> dict[str, list[str]]:
    """Each long term with one inner character left out → the terms it could be a misspelling of."""
    minimum = int(load_pack("typos").get("omission_min_length", 4))
    index: dict[str, list[str]] = {}
    for term in _vocabulary()[0]:
        if len(term) >= minimum:
            for i in range(1, len(term) - 1):  # inside the word: 猪养殖 is 猪 + 养殖, not 生猪养殖 short of 生
                short = term[:i] + term[i + 1 :]
                if term not in index.setdefault(short, []):
                    index[short].append(term)
    return index


@pack_cache
def _lengths() -> tuple[int, ...]:
    """The window sizes worth looking at: the lengths of the terms and of their omission forms."""
    terms, _ = _vocabulary()
    return tuple(sorted({len(term) for term in terms} | {len(short) for short in _omissions()}))


@pack_cache
def _ends() -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """By length, the first and the last characters of the terms: a window one character away from a
    term of its length keeps the term's first or its last character (the terms have three or more)."""
    ends: dict[int, tuple[set[str], set[str]]] = {}
    for term in _vocabulary()[0]:
        firsts, lasts = ends.setdefault(len(term), (set(), set()))
        firsts.add(term[0])
        lasts.add(term[-1])
    return {size: (frozenset(firsts), frozenset(lasts)) for size, (firsts, lasts) in ends.items()}


@pack_cache
def _tables() -> tuple[
    frozenset[str], dict[str, list[str]], dict[str, list[str]], frozenset[int], int,
    dict[int, tuple[frozenset[str], frozenset[str]]], frozenset[str], frozenset[str], frozenset[str],
]:  # fmt: skip
    """What :func:`_typos` reads, gathered once per configuration (it runs once per distinct text),
    with the first and the last characters of all the terms (see there)."""
    lengths = frozenset(_lengths())
    ends = _ends()
    firsts = frozenset(ch for first, _ in ends.values() for ch in first)
    lasts = frozenset(ch for _, last in ends.values() for ch in last)
    return _vocabulary()[1], _index(), _omissions(), lengths, max(lengths, default=0), ends, _joiners(), firsts, lasts


def _typos(text: str, tokens: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    allowed, index, omissions, lengths, longest, ends, joiners, firsts, lasts = _tables()
    # A window one character away from a term keeps the term's first or its last character, and an
    # omission form keeps both (only inner characters are left out): a text with no character that
    # starts or ends a term has no candidate, nor does a window that neither starts nor ends like one.
    if firsts.isdisjoint(text) and lasts.isdisjoint(text):
        return
    boundaries, offset = {0}, 0
    for token in tokens:
        if len(token) > 1 and token[0] in joiners:
            boundaries.add(offset + 1)  # the segmenter glued a conjunction to a misspelt word: 及|消通道
        offset += len(token)
        boundaries.add(offset)
    ordered = sorted(boundaries)
    limit = len(text)
    # Windows from each boundary to each later boundary a term's length away, shortest first.
    for k, start in enumerate(ordered):
        starts_like = text[start : start + 1] in firsts
        for end in ordered[k + 1 :]:
            size = end - start
            if size > longest or end > limit:
                break
            if size not in lengths or not (starts_like or text[end - 1] in lasts):
                continue
            window = text[start:end]
            if window in allowed:
                continue
            if window in omissions and all("\u4e00" <= ch <= "\u9fff" for ch in window) and suspicious(window):
                yield (start, window, omissions[window][0])
                continue
            edges = ends.get(size)
            if edges is None or (window[0] not in edges[0] and window[-1] not in edges[1]):
                continue  # no term of this length starts or ends like the window
            for i in range(size):
                if not "\u4e00" <= window[i] <= "\u9fff":
                    continue
                for term in index.get(window[:i] + "\0" + window[i + 1 :], ()):
                    if term[i] != window[i] and suspicious(window):
                        yield (start, window, term)


def find_typos(text: str, tokens: tuple[str, ...]) -> tuple[tuple[int, str, str], ...]:
    """``(offset, written, meant)`` for each suspected one-character misspelling of a domain term.

    Only windows that start and end on the segmenter's token boundaries are candidates, so a term
    is never "found" across two real words (响应|和|救援 is not 应急救援 misspelt).
    """
    return tuple(_typos(text, tokens))


#: Memo by cell text: the first suspected misspelling (LG001 reports one per cell), or nothing.
_FIRST_TYPOS: PackMemo[str, tuple[tuple[int, str, str], ...]] = pack_memo()


def first_typo(text: str) -> tuple[tuple[int, str, str], ...]:
    """The first of :func:`find_typos` in a cell text's analysis form, worked out once per text."""
    found = _FIRST_TYPOS.get(text)
    if found is None:
        from auditor.text.nlp import analyze

        facts = analyze(text)
        first = next(_typos(facts.text, facts.tokens), None)
        found = _FIRST_TYPOS.put(text, (first,) if first is not None else ())
    return found


@register
class TypoSuspect(Rule):
    """疑似错别字：与领域词只差一个字或漏了一个字、且本身不成词的写法（“安格员”应为“网格员”，“消通道”应为“消防通道”）。

    ## 问题
    领域词（网格员、安全生产、执行率……）被写错一个字，或（四字以上的领域词）漏写一个字，而错写的形式
    不是词典中的词，也拆不成词。

    ## 为什么
    错别字影响公开文件的严肃性，也会让检索和比对漏掉相关内容。
    """

    code = "LG001"
    name = "typo-suspect"
    severity = Severity.WARNING
    summary = "疑似错别字（与领域词只差一个字）"
    message = "“{written}”疑似“{meant}”的错别字"
    rationale = "错别字影响公开文件的严肃性，也使检索、比对漏掉相关内容。"
    examples = (
        Example("bad", {"indicators": {"满意度指标": ["通过安格员的巡查素质,达到培训目的", "满意"]}}, field="target",
                indicator="满意度指标"),
        Example("bad", {"layout": "standard", "indicators": [
            {"category": "数量指标", "name": "管理用房及消通道(≥**平方米)", "target": "22.8", "completion": "22.8"}]},
                field="target", indicator="数量指标", note="漏字"),
        Example("good", {"indicators": {"数量指标": ["培训网格员≥380人", "培训网格员386人"],
                                        "社会效益指标": ["安全生活常识知晓率≥90%", "知晓率92%"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        scope = ("goal", "goal_completion", "target", "completion", "reason", "problems")
        for place in text_places(ctx.submission, scope):
            if place.field == "completion" and place.indicator is not None and ctx.copied(place.indicator):
                continue
            typo = first_typo(place.cell.text)
            if typo:  # (most cells have none: nothing is built for them)
                yield from self._report(ctx, place.project, place.field, place.cell, place.indicator, typo)
        # A 三级指标's own name is judged with its target.
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                name = indicator.name
                if name is not None and not name.is_blank:
                    typo = first_typo(name.text)
                    if typo:
                        yield from self._report(ctx, project, "target", name, indicator, typo)

    def _report(
        self, ctx: Context, project: Project, field: str, cell: Cell, indicator: Indicator | None,
        typos: tuple[tuple[int, str, str], ...],
    ) -> Iterator[Finding]:  # fmt: skip
        for start, written, meant in typos:
            yield ctx.finding(
                self, project, field, cell, indicator=indicator,
                written=written, meant=meant, span=(start, start + len(written)),
                suggestion=f"改为“{meant}”",
            )  # fmt: skip
