"""Iterate the text places of a submission that a rule's ``scope`` names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.model import Cell, Indicator, Project, Submission

SCOPES = ("target", "completion", "reason", "goal", "goal_completion", "problems")


@dataclass(frozen=True)
class TextPlace:
    project: Project
    field: str
    cell: Cell
    indicator: Indicator | None = None


def text_places(submission: Submission, scope: tuple[str, ...] | list[str]) -> Iterator[TextPlace]:
    """Cells of the given fields with content, in table order (template prompt text is no content)."""
    from auditor.checks.options import is_empty

    for project in submission.projects:
        for field in ("goal", "goal_completion", "problems"):
            if field in scope:
                cell = getattr(project, field)
                if not is_empty(cell):
                    yield TextPlace(project, field, cell)
        for indicator in project.indicators:
            for field in ("target", "completion", "reason"):
                if field in scope:
                    cell = getattr(indicator, field)
                    if not is_empty(cell):
                        yield TextPlace(project, field, cell, indicator)
