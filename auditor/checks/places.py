"""Iterate the text places of a submission that a rule's ``scope`` names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.model import Cell, Indicator, Project, Submission, slot_init
from auditor.resources import pack_cache

SCOPES = ("target", "completion", "reason", "goal", "goal_completion", "problems")


@slot_init
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
    append = out.append
    for project in submission.projects:
        for field, cell in (("goal", project.goal), ("goal_completion", project.goal_completion),
                            ("problems", project.problems)):  # fmt: skip
            if not is_empty(cell):
                append(TextPlace(project, field, cell))  # type: ignore[arg-type]
        for indicator in project.indicators:
            # (the three fields unrolled: a bench run has 10^5 indicators)
            if not is_empty(indicator.target):
                append(TextPlace(project, "target", indicator.target, indicator))
            if not is_empty(indicator.completion):
                append(TextPlace(project, "completion", indicator.completion, indicator))
            if indicator.reason is not None and not is_empty(indicator.reason):
                append(TextPlace(project, "reason", indicator.reason, indicator))
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
        if wanted.issuperset(SCOPES):
            found = by_scope[key] = last[1]  # type: ignore[assignment]  # every place (LG001, LG002 ask so)
        else:
            found = by_scope[key] = tuple(place for place in last[1] if place.field in wanted)  # type: ignore[attr-defined]
    return found


def text_places(submission: Submission, scope: tuple[str, ...] | list[str]) -> Iterator[TextPlace]:
    """Cells of the given fields with content, in table order (template prompt text is no content)."""
    return iter(places_of(submission, scope))
