"""Score findings against a reviewer's labels (``must``/``maybe`` places per project, by family).

The same measure as the project's gold evaluation: recall over ``must`` places; a reported
(project, place, family) that is neither ``must`` nor ``maybe`` is a false positive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditor.model import Finding


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    by_family: dict[str, list[int]] = field(default_factory=dict)  # family → [hit, total]
    missed: list[tuple] = field(default_factory=list)
    extra: list[tuple] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def family_recall(self, family: str) -> float:
        hit, total = self.by_family.get(family, [0, 0])
        return hit / total if total else 1.0


def labels(review: dict[Any, Any]) -> tuple[set[tuple], set[tuple]]:
    must, maybe = set(), set()
    for project, entry in (review or {}).items():
        for where, family in (entry or {}).get("must") or []:
            must.add((int(project), where, family))
        for where, family in (entry or {}).get("maybe") or []:
            maybe.add((int(project), where, family))
    return must, maybe


def places(findings: Iterable[Finding]) -> set[tuple]:
    out = set()
    for f in findings:
        if f.project_index is None:
            continue
        where = f"{f.indicator}.{f.field}" if f.indicator else f.field
        out.add((f.project_index, where, f.code[:2]))
    return out


def score(review: dict[Any, Any], findings: Iterable[Finding]) -> Score:
    must, maybe = labels(review)
    found = places(findings)
    result = Score()
    hit = must & found
    result.tp, result.fn = len(hit), len(must - found)
    result.extra = sorted(found - must - maybe)
    result.missed = sorted(must - found)
    result.fp = len(result.extra)
    for item in must:
        counts = result.by_family.setdefault(item[2], [0, 0])
        counts[0] += item in hit
        counts[1] += 1
    return result
