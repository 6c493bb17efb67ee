"""The corpus index: every submission's texts in one SQLite file, with near-duplicate signatures.

Used by rule CP005 (text cloned from another department or an earlier year) and by the analyst's
``auditor clones``. Exact duplicates are grouped by hash first — most clones are exact — and the
rest are found with MinHash signatures over character bigrams, banded for locality-sensitive
hashing and confirmed with rapidfuzz.
"""
