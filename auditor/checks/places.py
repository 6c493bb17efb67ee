"""Iterate the text places of a submission that a rule's ``scope`` names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.model import Cell, Indicator, Project, Submission
from auditor.resources import pack_cache

SCOPES = ("target", "completion", "reason", "goal", "goal_completion", "problems")


@dataclass(frozen=True, slots=True)
class TextPlace:
    project: Project
    field: str
    cell: Cell
    indicator: Indicator | None = None


@pack_cache
def _last() -> list[object]:
    """The places of the submission last asked about (every rule asks about the same one in turn):
    the submission itself (kept so its id is not reused), all its places, and the lists by scope."""
    return [None, (), {}]


def _all_places(submission: Submission) -> tuple[TextPlace, ...]:
    from auditor.checks.options import is_empty

    out: list[TextPlace] = []
    for project in submission.projects:
        for field in ("goal", "goal_completion", "problems"):
            cell = getattr(project, field)
            if not is_empty(cell):
                out.append(TextPlace(project, field, cell))
        for indicator in project.indicators:
            for field in ("target", "completion", "reason"):
                cell = getattr(indicator, field)
                if not is_empty(cell):
                    out.append(TextPlace(project, field, cell, indicator))
    return tuple(out)


def places_of(submission: Submission, scope: tuple[str, ...] | list[str]) -> tuple[TextPlace, ...]:
    """:func:`text_places` as a tuple, worked out once per submission and scope."""
    last = _last()
    if last[0] is not submission:
        last[:] = [submission, _all_places(submission), {}]
    by_scope: dict[tuple[str, ...], tuple[TextPlace, ...]] = last[2]  # type: ignore[assignment]
    key = tuple(scope)
    found = by_scope.get(key)
    if found is None:
        wanted = frozenset(key)
        found = by_scope[key] = tuple(place for place in last[1] if place.field in wanted)  # type: ignore[attr-defined]
    return found


def text_places(submission: Submission, scope: tuple[str, ...] | list[str]) -> Iterator[TextPlace]:
    """Cells of the given fields with content, in table order (template prompt text is no content)."""
    return iter(places_of(submission, scope))
