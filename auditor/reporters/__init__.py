"""Reporters: one function per output format, all taking the same :class:`Report`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from auditor.model import Finding, Submission


@dataclass
class FileResult:
    submission: Submission
    findings: list[Finding]
    score: float


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one-line errors of unreadable inputs

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]


def get_reporter(name: str) -> Callable[[Report], str]:
    if name == "json":
        from auditor.reporters.json_reporter import render
    else:
        from auditor.reporters.text import render
    return render


FORMATS = ("text", "json")
