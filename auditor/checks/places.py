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
    """Non-blank cells of the given fields, in table order."""
    for project in submission.projects:
        for field in ("goal", "goal_completion", "problems"):
            if field in scope:
                cell = getattr(project, field)
                if cell is not None and not cell.is_blank:
                    yield TextPlace(project, field, cell)
        for indicator in project.indicators:
            for field in ("target", "completion", "reason"):
                if field in scope:
                    cell = getattr(indicator, field)
                    if cell is not None and not cell.is_blank:
                        yield TextPlace(project, field, cell, indicator)
