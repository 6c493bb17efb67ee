"""Verdicts about a (target, completion) pair of texts, shared by the rules that ask (one memo entry a pair).

The same pair recurs across projects and submissions (boilerplate rows); each verdict is worked out once
per distinct pair and kept in one small int per pair (two bits a slot: known, true) rather than in
one cache per question.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.resources import pack_cache

#: Slots of a pair's verdicts.
COPIED, CP001_WIDE, CP001_COLUMNS, CP002_WIDE, CP002_COLUMNS = range(5)
_LIMIT = 200_000


@pack_cache
def _memo() -> dict[tuple[str, str], int]:
    return {}


def pair_verdict(target: str, completion: str, slot: int, compute: Callable[[str, str], bool]) -> bool:
    """``compute(target, completion)``, once per pair of texts and slot."""
    memo = _memo()
    key = (target, completion)
    bits = memo.get(key, 0)
    if bits >> (2 * slot) & 1:
        return bool(bits >> (2 * slot + 1) & 1)
    verdict = bool(compute(target, completion))
    if not bits and len(memo) >= _LIMIT:
        memo.clear()
    memo[key] = bits | (1 << (2 * slot)) | (verdict << (2 * slot + 1))
    return verdict
