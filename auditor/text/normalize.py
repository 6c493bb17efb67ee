"""Normalise cell text for comparison while the original stays untouched for output.

- NFKC folds full-width letters, digits and punctuation to their half-width forms;
- traditional characters are mapped to simplified ones (some reposting sites convert tables);
- white space is removed and trailing sentence punctuation dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[。．.；;，,、!！]+$")
_CIRCLED = re.compile(r"[\u2460-\u2473\u24ea\u24f5-\u24fe\u2776-\u2793]")
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）])"
)


@lru_cache(maxsize=1)
def _traditional_table() -> dict[int, str]:
    """Character-level traditional → simplified table from zhconv's data file.

    The file is read directly (found without importing zhconv, whose import pulls in
    pkg_resources and costs a noticeable part of start-up). Character level is enough for
    matching labels and comparing texts; the original text is always kept for output.
    """
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("zhconv")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "zhcdict.json"
    with path.open(encoding="utf-8") as handle:
        mapping = json.load(handle)["zh2Hans"]
    return {ord(k): v for k, v in mapping.items() if len(k) == 1 and len(v) == 1}


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese, character by character (same length as the input)."""
    if not text or text.isascii():
        return text
    return text.translate(_traditional_table())


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The comparison form of a cell: NFKC, simplified, no white space, no trailing 。；;."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = _SPACE.sub("", text)
    return _TRAILING.sub("", text)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The matching form of a header or category label: normalised, brackets and notes removed.

    ``产出指标（50分）`` → ``产出指标``; ``项目资金（万元）`` → ``项目资金``; ``实际完成值`` stays.
    """
    text = _CIRCLED.sub("", text)  # ①②③ mark formula operands in labels (小计④=①+②+③)
    key = normalize(text)
    key = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", key)
    key = re.sub("[=\uff1d].*$", "", key)  # a formula written after the label
    key = _ENUMERATOR.sub("", key)  # 一、基本情况 · 2.项目实施内容 · (三)…
    key = re.sub(r"[:：*＊\-—_/\\|★☆、]", "", key)
    return key


@lru_cache(maxsize=65536)
def analysis_form(text: str) -> str:
    """The form the NLP layer reads: NFKC and simplified, white space kept.

    Unlike :func:`normalize` this keeps the text's length in almost every case, so offsets found
    in it point at the same characters of the original cell.
    """
    return to_simplified(unicodedata.normalize("NFKC", text))
