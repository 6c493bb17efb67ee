"""What a rule is, and the context it reads a submission through.

A rule is a class with its identity and documentation as class attributes — ``code``, ``name``,
``severity``, ``summary`` (one line), ``message`` (a Chinese template), ``rationale`` (why a
reviewer cares) and ``examples`` (bad and good records the test suite runs) — and one method,
:meth:`Rule.check`, a pure generator of findings. Rules read cells only through :class:`Context`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from auditor.checks.copy.pairs import COPIED, near_copied, pair_verdict
from auditor.model import Cell, Finding, Indicator, Place, Project, Severity, Submission
from auditor.text.nlp import _RAW as _SEEN
from auditor.text.nlp import analyze as _analyze
from auditor.text.normalize import analysis_form
from auditor.text.similarity import same_text

if TYPE_CHECKING:
    from auditor.text.nlp import TextFacts


@dataclass(frozen=True)
class Example:
    """A documented example: a compact record (see :mod:`auditor.records`) and what it should yield.

    ``bad`` examples must produce at least one finding of the rule at ``field`` (and ``indicator``
    when given); ``good`` examples must produce none.
    """

    kind: str  # "bad" | "good"
    record: dict[str, Any]
    field: str | None = None
    indicator: str | None = None
    note: str = ""


@dataclass
class Context:
    """A submission plus the effective options, and helpers that make well-placed findings."""

    submission: Submission
    options: dict[str, Any] = field(default_factory=dict)
    #: Per-indicator memos (by id: the submission holds every indicator for the context's life).
    _indicator_facts: dict[int, tuple[TextFacts, TextFacts]] = field(default_factory=dict, init=False, repr=False)
    _copied: dict[int, bool] = field(default_factory=dict, init=False, repr=False)
    #: Each rule's effective severity (the options' override or its own), looked up once per context.
    _severities: dict[str, Severity] = field(default_factory=dict, init=False, repr=False)
    #: Results shared by rules for this submission, by (what, id of the record): e.g. an indicator's comparisons.
    memo: dict[tuple[str, int], Any] = field(default_factory=dict, init=False, repr=False)

    def finding(
        self,
        rule: Rule,
        project: Project,
        field: str,
        cell: Cell | None = None,
        *,
        indicator: Indicator | None = None,
        category: str | None = None,
        message: str | None = None,
        related: tuple[Place, ...] = (),
        suggestion: str | None = None,
        span: tuple[int, int] | None = None,
        **values: Any,
    ) -> Finding:
        name = None
        if indicator is not None:
            category = indicator.category
            named = indicator.name
            if named is not None and named.text.strip():  # (a 三级指标 name that is not blank)
                name = named.text
        if cell is not None:
            text = cell.text
            location = cell.location if cell.location is not None else project.location
        else:
            text, location = "", project.location
        if span is not None and len(analysis_form(text)) != len(text):
            span = None  # offsets were found in a normalised form of another length
        where = f"{category}·{name}" if name else (category or "")
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self._severities.get(rule.code) or self._severity(rule),
            message=message or rule.message.format(text=_quote(text), where=where, category=category or "", **values),
            file=self.submission.path,
            department=self.submission.department,
            project_index=project.index,
            project=project.name.text or None,
            indicator=category,
            field=field,
            text=text,
            location=location,
            indicator_name=name,
            span=span,
            related=related,
            suggestion=suggestion,
        )

    def _severity(self, rule: Rule) -> Severity:
        severity = Severity(self.options.get("severity", {}).get(rule.code, rule.severity.value))
        self._severities[rule.code] = severity
        return severity

    def facts(self, cell: Cell | str) -> TextFacts:
        """NLP facts about a cell's text (cached per distinct text)."""
        text = cell if isinstance(cell, str) else cell.text
        facts = _SEEN.get(text)
        return facts if facts is not None else _analyze(text)

    def target_facts(self, indicator: Indicator) -> TextFacts:
        """Facts about the target as one phrase (指标性质 + 目标值 + 度量单位 where split)."""
        sides = self._indicator_facts.get(id(indicator))  # (the look-up of _sides, inlined: a hot path)
        return (sides if sides is not None else self._sides(indicator))[0]

    def completion_facts(self, indicator: Indicator) -> TextFacts:
        sides = self._indicator_facts.get(id(indicator))
        return (sides if sides is not None else self._sides(indicator))[1]

    def _sides(self, indicator: Indicator) -> tuple[TextFacts, TextFacts]:
        """The target's and the completion's facts, worked out once per indicator of this submission."""
        sides = self._indicator_facts.get(id(indicator))
        if sides is None:
            sides = self._indicator_facts[id(indicator)] = (
                self.facts(indicator.expression("target")), self.facts(indicator.expression("completion"))
            )  # fmt: skip
        return sides

    def copied(self, indicator: Indicator) -> bool:
        """The completion is the target, copied or near-copied (reported once, by CP001/CP002)."""
        verdict = self._copied.get(id(indicator))
        if verdict is None:
            verdict = self._copied[id(indicator)] = pair_verdict(
                indicator.target.text, indicator.completion.text, COPIED, _is_copy
            )
        return verdict

    def place(self, project: Project, field: str, cell: Cell | None, indicator: Indicator | None = None) -> Place:
        name = indicator.name.text if indicator is not None and indicator.name and not indicator.name.is_blank else None
        return Place(
            project.index, indicator.category if indicator else None, field, cell.location if cell else None, name
        )


def _is_copy(target: str, completion: str) -> bool:
    """:func:`auditor.text.similarity.is_copy`, with the near-copy verdict shared with CP002 (one per pair)."""
    return same_text(target, completion) or near_copied(target, completion)


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line, Chinese
    message: ClassVar[str]  # Chinese template; may use {text}, {where} and rule-specific fields
    rationale: ClassVar[str]  # Chinese: why a reviewer cares, with the regulation where there is one
    examples: ClassVar[tuple[Example, ...]]
    layouts: ClassVar[tuple[str, ...]] = ("wide", "standard")

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def family(cls) -> str:
        return cls.code[:2]
