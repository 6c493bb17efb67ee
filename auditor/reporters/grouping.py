"""Findings a person reads once: one cause, shown once with the places it recurs.

JSON and SARIF keep every finding (the places are the data); text, HTML and workbooks group what
has one cause. A *cause* is one rule on one text: the same code on the same (normalised) text,
within one file. A finding without text (a missing value) is its own cause unless another finding of
the same rule says the same thing. Within a cell, findings are ordered by severity, strongest first.

Grouping never changes which findings exist, how many there are, or any score: it only decides how
often a reader is shown the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from auditor.model import Finding
from auditor.text.normalize import normalize


def reading_order(finding: Finding) -> tuple[object, ...]:
    """Place order (file, sheet, row, column), the strongest finding of a cell first."""
    loc = finding.location
    return (
        finding.file,
        loc.sheet or "" if loc else "",
        loc.row if loc else 0,
        loc.column if loc else 0,
        -finding.severity.rank,
        finding.span or (0, 0),
        finding.code,
        finding.project_index or 0,
        finding.field,
    )


def cause_key(finding: Finding) -> tuple[str, ...]:
    """What makes two findings one cause: the file, the rule and the text (the message when there is none)."""
    text = normalize(finding.text) if finding.text.strip() else ""
    return (finding.file, finding.code, text or f"\x00{finding.message}", "active" if finding.active else "accepted")


@dataclass
class Cause:
    """The first finding of a cause (in reading order) and the other findings of the same cause."""

    first: Finding
    others: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [self.first, *self.others]

    @property
    def count(self) -> int:
        return 1 + len(self.others)


def causes(findings: Iterable[Finding]) -> list[Cause]:
    """Findings grouped by cause, in reading order of each cause's first finding (project order first)."""
    ordered = sorted(findings, key=lambda f: (f.file, f.project_index or 0, reading_order(f)))
    out: dict[tuple[str, ...], Cause] = {}
    for finding in ordered:
        key = cause_key(finding)
        if key in out:
            out[key].others.append(finding)
        else:
            out[key] = Cause(finding)
    return list(out.values())


def cell_name(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return ""
    return f"{loc.sheet}!{loc.cell}" if loc.sheet else loc.cell


def place_label(finding: Finding) -> str:
    """``项目 3（I14）`` — where a repeat sits, for “同样出现在”."""
    cell = cell_name(finding)
    project = f"项目 {finding.project_index}" if finding.project_index is not None else "整个文件"
    return f"{project}（{cell}）" if cell else project


def recurs_in(others: Sequence[Finding], limit: int = 0) -> str:
    """``同样出现在项目 2（I13）、项目 3（I14）等 12 处`` for the other places of a cause ('' when none)."""
    if not others:
        return ""
    labels = [place_label(finding) for finding in others]
    shown = labels if not limit or len(labels) <= limit else labels[:limit]
    tail = f"等 {len(labels)} 处" if len(shown) < len(labels) else ""
    return f"同样出现在{'、'.join(shown)}{tail}"


def repeat_of(findings: Iterable[Finding]) -> dict[int, Finding]:
    """``id(finding)`` of every repeat → the first finding of its cause."""
    out: dict[int, Finding] = {}
    for cause in causes(findings):
        for other in cause.others:
            out[id(other)] = cause.first
    return out
