"""Clusters of near-identical texts across a corpus: the analyst's view (``auditor clones``).

Exact duplicates are grouped by their normalised text first; distinct texts are then joined when
they share an LSH bucket and rapidfuzz confirms the similarity. A cluster is reported when it
spans at least two submissions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from auditor.index.minhash import BANDS, band_keys, signatures


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

    @property
    def departments(self) -> list[str]:
        return sorted({u.department or "未知部门" for u in self.uses})

    @property
    def years(self) -> list[int]:
        return sorted({u.year for u in self.uses if u.year is not None})

    @property
    def submissions(self) -> int:
        return len({u.path for u in self.uses})


def cluster(uses_by_norm: dict[str, list[Use]], threshold: float = 90.0) -> list[Cluster]:
    norms = sorted(uses_by_norm)
    parent = list(range(len(norms)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if norms:
        keys = band_keys(signatures(norms))
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(len(norms)):
            for band in range(BANDS):
                buckets[(band, int(keys[i, band]))].append(i)
        for members in buckets.values():
            for a, b in pairwise(members):
                if root(a) != root(b) and fuzz.ratio(norms[a], norms[b], score_cutoff=threshold):
                    parent[root(b)] = root(a)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(norms)):
        groups[root(i)].append(i)
    out = []
    for members in groups.values():
        uses = [use for i in members for use in uses_by_norm[norms[i]]]
        representative = max((norms[i] for i in members), key=lambda n: len(uses_by_norm[n]))
        found = Cluster(representative, sorted(uses, key=lambda u: (u.department or "", u.year or 0, u.path)))
        if found.submissions >= 2:
            out.append(found)
    return sorted(out, key=lambda c: (-len(c.departments), -len(c.uses), c.representative))
