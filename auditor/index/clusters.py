"""Clusters of near-identical texts across a corpus: the analyst's view (``auditor clones``).

Exact duplicates are grouped by their normalised text first; distinct texts are then joined when
they share an LSH bucket and rapidfuzz confirms the similarity. A cluster is reported when it
spans at least two submissions. Which pairs are compared, and how, is :mod:`auditor.index.lsh`'s
(shared with the Spark job, :mod:`auditor.distributed.clones`, which must find the same clusters).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from auditor.index.lsh import CONFIRM_THRESHOLD, bucket_pairs, capped, confirmed, norm_band_keys
from auditor.index.minhash import BANDS


@dataclass(frozen=True)
class Use:
    """One place a text is used."""

    text: str
    department: str | None
    year: int | None
    path: str
    project: str
    category: str | None
    field: str


@dataclass
class Cluster:
    representative: str
    uses: list[Use] = field(default_factory=list)
    #: A member sat in an LSH bucket over :data:`~auditor.index.lsh.BUCKET_CAP` texts (全库通用).
    common: bool = False

    @property
    def departments(self) -> list[str]:
        return sorted({u.department or "未知部门" for u in self.uses})

    @property
    def years(self) -> list[int]:
        return sorted({u.year for u in self.uses if u.year is not None})

    @property
    def submissions(self) -> int:
        return len({u.path for u in self.uses})


def cluster(uses_by_norm: dict[str, list[Use]], threshold: float = CONFIRM_THRESHOLD) -> list[Cluster]:
    norms = sorted(uses_by_norm)
    parent = list(range(len(norms)))
    common: set[int] = set()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if norms:
        keys = norm_band_keys(norms)
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(len(norms)):
            for band in range(BANDS):
                buckets[(band, int(keys[i, band]))].append(i)
        for members in buckets.values():
            if capped(len(members)):
                common.update(members)
            for a, b in bucket_pairs(members):
                if root(a) != root(b) and confirmed(norms[a], norms[b], threshold):
                    parent[root(b)] = root(a)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(norms)):
        groups[root(i)].append(i)
    out = []
    for members in groups.values():
        uses = [use for i in members for use in uses_by_norm[norms[i]]]
        representative = max((norms[i] for i in members), key=lambda n: len(uses_by_norm[n]))
        found = Cluster(representative, sorted(uses, key=lambda u: (u.department or "", u.year or 0, u.path)),
                        common=any(i in common for i in members))  # fmt: skip
        if found.submissions >= 2:
            out.append(found)
    return sorted(out, key=lambda c: (-len(c.departments), -len(c.uses), c.representative))
