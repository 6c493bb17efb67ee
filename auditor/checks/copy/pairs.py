"""Verdicts about a (target, completion) pair of texts, shared by the rules that ask (one memo entry a pair).

The same pair recurs across projects and submissions (boilerplate rows); each verdict is worked out once
per distinct pair and kept in one small int per pair (two bits a slot: known, true) rather than in
one cache per question.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.resources import pack_memo
from auditor.text.similarity import near_copy

#: Slots of a pair's verdicts; those a wide table asks for first, so that its pairs' bits stay below 256
#: (CPython's shared small ints: no int object per pair).
COPIED, NEAR_COPY, CP001_WIDE, CP002_WIDE, CP001_COLUMNS, CP002_COLUMNS = range(6)
_LIMIT = 200_000
_MEMO = pack_memo(_LIMIT)


def pair_verdict(target: str, completion: str, slot: int, compute: Callable[[str, str], bool]) -> bool:
    """``compute(target, completion)``, once per pair of texts and slot."""
    key = (target, completion)
    bits = _MEMO.get(key, 0)
    if bits >> (2 * slot) & 1:
        return bool(bits >> (2 * slot + 1) & 1)
    verdict = bool(compute(target, completion))
    bits = _MEMO.get(key, 0)  # again: computing may have stored another slot of this pair (see near_copied)
    if not bits and len(_MEMO) >= _LIMIT:
        _MEMO.clear()
    _MEMO[key] = bits | (1 << (2 * slot)) | (verdict << (2 * slot + 1))
    return verdict


def near_copied(target: str, completion: str) -> bool:
    """:func:`~auditor.text.similarity.near_copy`, once per pair: both the copy verdict and CP002 ask."""
    return pair_verdict(target, completion, NEAR_COPY, near_copy)
