"""Run the selected rules over a submission and return sorted findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditor.checks.base import Context, Rule
from auditor.checks.registry import all_rules
from auditor.model import Finding, Submission


def token_matches(token: str, code: str, name: str) -> bool:
    """A selector names a rule by code, code prefix (``ST``, ``NM00``), name, or ``ALL``."""
    token = token.strip()
    return token.upper() == "ALL" or code.startswith(token.upper()) or token.lower() == name


def unknown_tokens(tokens: Iterable[str]) -> list[str]:
    rules = all_rules()
    return [t for t in tokens if not any(token_matches(t, code, rule.name) for code, rule in rules.items())]


@dataclass
class Selection:
    """Which rules run: ``select`` (default all), plus ``extend_select``, minus ``ignore``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def wants(self, code: str, name: str = "") -> bool:
        chosen = not self.select or any(token_matches(t, code, name) for t in self.select)
        chosen = chosen or any(token_matches(t, code, name) for t in self.extend_select)
        return chosen and not any(token_matches(t, code, name) for t in self.ignore)


def selected_rules(selection: Selection) -> list[Rule]:
    """Instances of the rules the selection wants, in code order.

    Which classes those are is worked out once per selection and registry (lint() asks once per
    file: 10^3 files matched every token against every rule again).
    """
    rules = all_rules()
    key = (tuple(selection.select), tuple(selection.ignore), tuple(selection.extend_select), tuple(rules.items()))
    chosen = _SELECTED.get(key)
    if chosen is None:
        if len(_SELECTED) >= 64:
            _SELECTED.clear()
        chosen = _SELECTED[key] = tuple(rule for code, rule in rules.items() if selection.wants(code, rule.name))
    return [rule() for rule in chosen]


_SELECTED: dict[tuple[object, ...], tuple[type[Rule], ...]] = {}


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
