"""Text similarity for the copy rules: normalised equality, filler-insensitive near copies."""

from __future__ import annotations

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
