"""Run the selected rules over a submission and return sorted findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditor.checks.base import Context, Rule
from auditor.checks.registry import all_rules
from auditor.model import Finding, Submission


@dataclass
class Selection:
    """Which rules run: ``select``/``ignore`` take codes or prefixes (``ST``, ``NM00``, ``CP001``)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(prefix.upper()) for prefix in self.select):
            return False
        return not any(code.startswith(prefix.upper()) for prefix in self.ignore)


def selected_rules(selection: Selection) -> list[Rule]:
    return [rule() for code, rule in all_rules().items() if selection.wants(code)]


def lint(
    submission: Submission, selection: Selection | None = None, rules: Iterable[Rule] | None = None
) -> list[Finding]:
    selection = selection or Selection()
    ctx = Context(submission, selection.options)
    findings: list[Finding] = []
    for rule in rules if rules is not None else selected_rules(selection):
        if submission.layout.value not in rule.layouts:
            continue
        findings.extend(rule.check(ctx))
    return sorted(findings, key=Finding.sort_key)
