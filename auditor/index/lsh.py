"""Candidate pairs and their confirmation: the one definition both clone engines call.

The SQLite path (:func:`auditor.index.clusters.cluster`, ``auditor clones``) and the Spark job
(:mod:`auditor.distributed.clones`) must find the same pairs and so the same clusters; everything
that decides a pair lives here (the signatures and band keys in :mod:`auditor.index.minhash`):

* which texts are indexed at all (:func:`indexable_text`: ≥ 8 Chinese characters, not 无/不适用);
* the band keys of distinct normalised texts (:func:`norm_band_keys`, in cache-sized blocks);
* which members of an LSH bucket are compared: neighbours in the order of the normalised text
  (:func:`bucket_pairs`) — a bucket of m texts costs m − 1 comparisons, never m², and the
  connected components are the same whichever engine walks the buckets;
* the bucket cap (:data:`BUCKET_CAP`): a bucket of more distinct texts than this is boilerplate
  used all over the archive; only its first ``BUCKET_CAP`` texts are chained and every member is
  flagged 全库通用;
* the confirmation (:func:`confirmed`: ``rapidfuzz.fuzz.ratio ≥ CONFIRM_THRESHOLD``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from auditor.index.minhash import band_keys, signatures

#: rapidfuzz ratio at or above which two distinct normalised texts are one cluster (and CP005's default).
CONFIRM_THRESHOLD = 90.0
#: Distinct texts in one LSH bucket beyond which the bucket is 全库通用 boilerplate: only the first
#: this many (in text order) are chained, and every member's cluster is flagged.
BUCKET_CAP = 10_000
#: Texts per signature block (2048 texts' signatures, 1 MB, stay in cache).
KEY_BLOCK = 2048
#: Texts shorter than this many Chinese characters are not indexed (bare words are VG002's).
MIN_CJK = 8
#: Fields whose texts are indexed; goals are never 无/不适用 placeholders, targets and completions may be.
FIELDS = ("goal", "goal_completion", "target", "completion")


def cjk_length(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def indexable_text(field: str, text: str) -> bool:
    """Whether the text of ``field`` goes into the clone index (the SQLite index and Spark alike)."""
    if field not in FIELDS or cjk_length(text) < MIN_CJK:
        return False
    if field in ("target", "completion"):
        from auditor.checks.options import is_not_applicable

        return not is_not_applicable(text)
    return True


def norm_band_keys(norms: Sequence[str]) -> np.ndarray:
    """Band keys (texts × BANDS, int64) of normalised texts, :data:`KEY_BLOCK` texts at a time."""
    parts = [band_keys(signatures(list(norms[i : i + KEY_BLOCK]))) for i in range(0, len(norms), KEY_BLOCK)]
    return np.concatenate(parts) if parts else np.empty((0, 16), dtype=np.int64)


def bucket_pairs(members: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The pairs of one bucket to confirm: neighbours among ``members`` (given in text order), of
    the first :data:`BUCKET_CAP` only."""
    kept = members[:BUCKET_CAP]
    for position in range(1, len(kept)):
        yield kept[position - 1], kept[position]


def capped(size: int) -> bool:
    """A bucket of ``size`` distinct texts is 全库通用 boilerplate."""
    return size > BUCKET_CAP


def confirmed(a: str, b: str, threshold: float = CONFIRM_THRESHOLD) -> bool:
    """Two distinct normalised texts are near-duplicates."""
    from rapidfuzz import fuzz

    return bool(fuzz.ratio(a, b, score_cutoff=threshold))
