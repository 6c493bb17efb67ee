"""Reporters: one module per output format, each with ``render(report) -> str``, one registry.

Every reporter receives the same :class:`Report`. Suppressed findings (accepted in a cell note or
in a baseline) are part of the report; formats that can say so (JSON, SARIF) show them as
suppressed, the others leave them out. Only active findings count in summaries and exit codes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditor.model import Finding, Submission


@dataclass
class FileResult:
    submission: Submission
    findings: list[Finding]
    score: float


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one-line errors of unreadable inputs named by the user
    skipped: list[str] = field(default_factory=list)  # unreadable files found in a folder (skipped, not fatal)
    decisions: Any = None  # the reviewer's decisions (auditor.review.Decisions) read with --decisions

    @property
    def unreadable(self) -> list[str]:
        """Every file that could not be read, named or found in a folder (for reports to list)."""
        return [*self.errors, *self.skipped]

    @property
    def findings(self) -> list[Finding]:
        """All findings, suppressed ones included."""
        return [finding for result in self.files for finding in result.findings]

    @property
    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [finding for finding in self.findings if finding.active]

    @property
    def suppressed(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.active]


#: format name → module implementing ``render(report: Report) -> str``.
FORMATS: dict[str, str] = {
    "text": "auditor.reporters.text",
    "json": "auditor.reporters.json_reporter",
    "sarif": "auditor.reporters.sarif",
    "github": "auditor.reporters.github",
    "junit": "auditor.reporters.junit",
    "csv": "auditor.reporters.csv_reporter",
}


def available_formats() -> list[str]:
    """Formats whose module is present (reporters can be added one module at a time)."""
    out = []
    for name, module in FORMATS.items():
        if importlib.util.find_spec(module) is not None:
            out.append(name)
    return out


def get_reporter(name: str) -> Callable[[Report], str]:
    module = importlib.import_module(FORMATS[name])
    return module.render  # type: ignore[no-any-return]
