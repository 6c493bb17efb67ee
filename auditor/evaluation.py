"""Measure findings against gold files of what a careful reviewer flags (``must``/``maybe`` places).

The counting is the project's gold evaluation (``eval_gold.py``), re-implemented so that the
repository measures itself: a gold file lists, per project, ``[where, family]`` entries under ``must``
and ``maybe``; a finding's place is ``"<indicator>.<field>"`` (or ``"<field>"``) and its family the
first two letters of its code. Recall counts ``must`` places found; every distinct
(project, place, family) reported that is neither ``must`` nor ``maybe`` is a false positive.
Findings are the JSON finding objects of ``auditor lint --format json`` (suppressed ones included,
as that output includes them); findings without a project are not counted.
With several (gold, suffix) pairs the findings are split by the end of their ``file`` field and the
counts summed, like ``eval_gold.py --pairs``.

The conventions of the gold files are in ``tests/data/real-gold/CONVENTIONS.md``; how the figures are
used is in ``docs/accuracy.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: (project index, place, family), e.g. ``(1, "数量指标.target", "MS")``.
Place = tuple[int, str, str]


def gold_places(document: Mapping[str, Any] | None) -> tuple[set[Place], set[Place]]:
    """The ``must`` and ``maybe`` places of a parsed gold document (``{"projects": {1: {...}}}``)."""
    must: set[Place] = set()
    maybe: set[Place] = set()
    for project, entry in ((document or {}).get("projects") or {}).items():
        entry = entry or {}
        for where, family in entry.get("must") or []:
            must.add((int(project), where, family))
        for where, family in entry.get("maybe") or []:
            maybe.add((int(project), where, family))
    return must, maybe


def load_gold(path: Path) -> tuple[set[Place], set[Place]]:
    return gold_places(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def found_places(findings: Iterable[Mapping[str, Any]], suffix: str | None = None) -> set[Place]:
    """Distinct places of JSON findings (those whose ``file`` ends with ``suffix``, if given)."""
    found: set[Place] = set()
    for finding in findings:
        if suffix and not str(finding.get("file", "")).endswith(suffix):
            continue
        project = finding.get("project_index")
        if project is None:
            continue
        indicator, where = finding.get("indicator"), finding.get("field")
        place = f"{indicator}.{where}" if indicator else str(where)
        found.add((int(project), place, str(finding.get("code", ""))[:2]))
    return found


@dataclass
class Tally:
    """Counts of one or more (gold, findings) comparisons; ``+`` sums them."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    family_must: Counter[str] = field(default_factory=Counter)  # must places per family
    family_hit: Counter[str] = field(default_factory=Counter)  # of which found
    family_fp: Counter[str] = field(default_factory=Counter)  # false positives per family
    missed: list[tuple[str, Place]] = field(default_factory=list)  # (tag, place)
    extra: list[tuple[str, Place]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was reported, as ``eval_gold.py`` counts it."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def family_recall(self, family: str) -> float:
        total = self.family_must[family]
        return self.family_hit[family] / total if total else 1.0

    def family_precision(self, family: str) -> float | None:
        """tp / (tp + fp) within one family; ``None`` when that family reported nothing."""
        reported = self.family_hit[family] + self.family_fp[family]
        return self.family_hit[family] / reported if reported else None

    @property
    def families(self) -> list[str]:
        return sorted(set(self.family_must) | set(self.family_fp))

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.tp + other.tp,
            self.fn + other.fn,
            self.fp + other.fp,
            self.family_must + other.family_must,
            self.family_hit + other.family_hit,
            self.family_fp + other.family_fp,
            self.missed + other.missed,
            self.extra + other.extra,
        )

    def summary_line(self) -> str:
        """The last line ``eval_gold.py`` prints (without its threshold note)."""
        return f"recall={self.recall:.3f} precision={self.precision:.3f} tp={self.tp} fn={self.fn} fp={self.fp}"

    def family_line(self) -> str:
        """The ``by family`` line ``eval_gold.py`` prints."""
        counts = " ".join(f"{k}={self.family_hit[k]}/{v}" for k, v in sorted(self.family_must.items()) if v)
        return f"by family (found/must): {counts}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fn": self.fn,
            "fp": self.fp,
            "recall": self.recall,
            "precision": self.precision,
            "families": {
                family: {
                    "must": self.family_must[family],
                    "found": self.family_hit[family],
                    "fp": self.family_fp[family],
                    "recall": self.family_recall(family),
                    "precision": self.family_precision(family),
                }
                for family in self.families
            },
        }


def compare(must: set[Place], maybe: set[Place], found: set[Place], tag: str = "") -> Tally:
    hit, miss, extra = must & found, must - found, found - must - maybe
    tally = Tally(len(hit), len(miss), len(extra))
    for place in must:
        tally.family_must[place[2]] += 1
        tally.family_hit[place[2]] += place in hit
    for place in extra:
        tally.family_fp[place[2]] += 1
    tally.missed = [(tag, place) for place in sorted(miss)]
    tally.extra = [(tag, place) for place in sorted(extra)]
    return tally


def evaluate(pairs: Iterable[tuple[Path, str | None]], findings: Iterable[Mapping[str, Any]]) -> Tally:
    """``eval_gold.py --pairs GOLD:SUFFIX …``: each gold against the findings of its file, summed."""
    findings = list(findings)
    total = Tally()
    for gold, suffix in pairs:
        must, maybe = load_gold(gold)
        total = total + compare(must, maybe, found_places(findings, suffix), suffix or str(gold))
    return total


@dataclass
class Linted:
    """One file linted in-process: its JSON findings, or the one-line error that stopped the read."""

    path: Path
    findings: list[dict[str, Any]]
    error: str | None = None
    layout: str | None = None
    projects: int = 0

    @property
    def error_code(self) -> str | None:
        if self.error is None:
            return None
        return self.error.rsplit("[", 1)[-1].rstrip("]") if self.error.endswith("]") else "error"


def lint_file(path: Path) -> Linted:
    """``auditor lint --isolated --format json PATH`` in-process (default configuration)."""
    from auditor.config import Config
    from auditor.reporters.json_reporter import render
    from auditor.run import run

    report = run(Config(), [Path(path)]).report
    document = json.loads(render(report))
    errors = [*document["errors"], *document["skipped"]]
    files = document["files"]
    return Linted(
        Path(path),
        document["findings"],
        errors[0] if errors else None,
        files[0]["layout"] if files else None,
        files[0]["projects"] if files else 0,
    )
