"""Text similarity for the copy rules: normalised equality, filler-insensitive near copies."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize


@pack_cache
def copy_pack() -> dict:
    return load_pack("copy")


@pack_cache
def is_copy(target: str, completion: str) -> bool:
    """Identical after normalisation, or a near copy."""
    return same_text(target, completion) or near_copy(target, completion)


@pack_cache
def _filler() -> tuple[str, ...]:
    return tuple(sorted((normalize(w) for w in copy_pack()["filler"]), key=len, reverse=True))


@pack_cache
def without_filler(text: str) -> str:
    out = normalize(text)
    for word in _filler():
        out = out.replace(word, "")
    return out.strip(",，;；.。、")


def same_text(a: str, b: str) -> bool:
    return bool(normalize(a)) and normalize(a) == normalize(b)


def similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(normalize(a), normalize(b)))


def near_copy(target: str, completion: str, threshold: float | None = None) -> bool:
    """The completion differs from the target only trivially (or only by filler words)."""
    if not target.strip() or not completion.strip() or same_text(target, completion):
        return False
    limit = float(threshold if threshold is not None else copy_pack()["near_copy_ratio"])
    bare_t, bare_c = without_filler(target), without_filler(completion)
    if bare_t and bare_t == bare_c:
        return True
    return len(normalize(target)) >= 6 and similarity(target, completion) >= limit


@pack_cache
def _plain_figures() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in copy_pack().get("plain_figures", ()))


@pack_cache
def plain_figure(text: str) -> bool:
    """A number with at most a short unit (``12个``, ``100%``, ``75元``) or a date (``2021年12月完成``):
    equal to its target, it is a target met exactly (``copy.yaml``: ``plain_figures``)."""
    normal = normalize(text)
    return bool(normal) and any(pattern.match(normal) for pattern in _plain_figures())
