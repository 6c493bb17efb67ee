"""Vectorised MinHash over character bigrams, and LSH band keys — numpy, no Python loop per shingle.

Banding is set for a *low* Jaccard threshold (16 bands × 4 rows ≈ 0.5): texts with a rapidfuzz
ratio of 90 often share well under 80% of their n-grams, so candidates are over-generated on
purpose and confirmed with rapidfuzz afterwards. Bigrams rather than trigrams: one changed
character alters two shingles instead of three, which measured 0.993 against 0.937 pair recall
on the same 10⁴-text sample (bench/clone_scale.py).
"""

from __future__ import annotations

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_RNG = np.random.default_rng(20201231)
_A = _RNG.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.uint64)
_BAND_MIX = _RNG.integers(1, 2**63 - 1, size=ROWS, dtype=np.uint64) | np.uint64(1)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash of 64-bit integers."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the text's character bigrams (the whole text when shorter)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 2:
        codes = np.concatenate([codes, np.zeros(2 - len(codes), dtype=np.uint64)])
    grams = (codes[:-1] << np.uint64(21)) | codes[1:]
    return _mix(np.unique(grams))


def signatures(texts: list[str]) -> np.ndarray:
    """MinHash signatures, one row of ``NUM_PERM`` uint64 per text, computed in batches."""
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint64)
    batch = 4096
    for start in range(0, len(texts), batch):
        chunk = [shingle_hashes(t) for t in texts[start : start + batch]]
        lengths = np.array([len(c) for c in chunk])
        flat = np.concatenate(chunk)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        with np.errstate(over="ignore"):
            hashed = _mix(flat[:, None] * _A[None, :] + _B[None, :])
        out[start : start + len(chunk)] = np.minimum.reduceat(hashed, offsets, axis=0)
    return out


def band_keys(signature_rows: np.ndarray) -> np.ndarray:
    """One signed 63-bit key per band per text (shape: texts × BANDS), for SQLite's INTEGER."""
    rows = signature_rows.reshape(len(signature_rows), BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = _mix((rows * _BAND_MIX).sum(axis=2, dtype=np.uint64))
    return (mixed >> np.uint64(1)).astype(np.int64)


def text_hash(norm: str) -> int:
    """A signed 63-bit hash of a normalised text, for grouping exact duplicates."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little") >> 1
