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


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (character and phrase level, via zhconv's tables)."""
    if not text or text.isascii():
        return text
    import zhconv

    return str(zhconv.convert(text, "zh-cn"))


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
    key = normalize(text)
    key = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", key)
    key = re.sub(r"[:：*＊\-—_/\\|]", "", key)
    return key


@lru_cache(maxsize=65536)
def analysis_form(text: str) -> str:
    """The form the NLP layer reads: NFKC and simplified, white space kept.

    Unlike :func:`normalize` this keeps the text's length in almost every case, so offsets found
    in it point at the same characters of the original cell.
    """
    return to_simplified(unicodedata.normalize("NFKC", text))
