"""Build a :class:`~auditor.model.Submission` from a compact record — for rule examples and fixtures.

A record is a small mapping, written the way a reviewer would describe a project::

    goal: 完成200家企业安全检查
    budget: {annual: 100, executed: 95, fiscal: 95, rate: "95.00%"}
    indicators:
      数量指标: ["检查企业≥200家", "检查企业212家"]          # wide layout: category → [target, completion]
      质量指标: {target: "≥95%", completion: "97%", weight: 10, score: 10, name: 整改合格率}

``indicators`` may also be a list of such mappings with a ``category`` key (several 三级指标 per
category, standard layout; ``nature``, ``unit``, ``item_score``, ``share``, ``parent``, ``sub`` as on
:class:`Indicator`); ``budget`` may give ``arrived`` (到位数) as well;
``management`` a list of ``{section, label, content, weight, score, remark}`` rows; ``rectification``,
``explanations`` (a list of narrative texts) and ``kind`` as on the model. Every cell gets a
synthetic location so findings can point at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

from auditor.model import (
    EMPTY,
    Budget,
    Cell,
    FundLine,
    Indicator,
    Kind,
    Layout,
    Location,
    ManagementItem,
    Project,
    Submission,
)

_FUND_FIELDS = ("initial", "annual", "executed", "rate", "arrived")
#: The keys of an indicator spec that only has a target and a completion (see :func:`_project`).
_PLAIN_INDICATOR = frozenset({"category", "target", "completion"})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def build_submission(record: dict[str, Any], path: str = "<example>") -> Submission:
    """A submission of one or more projects from a record (``projects:`` list, or one project)."""
    projects_data = record.get("projects") or [record]
    projects = tuple(_project(data, i) for i, data in enumerate(projects_data, start=1))
    return Submission(
        path=path,
        layout=Layout(record.get("layout", "wide")),
        projects=projects,
        department=record.get("department", "示例局"),
        year=record.get("year", 2022),
        kind=Kind(record.get("kind", "summary" if record.get("layout") == "summary" else "project")),
    )


#: Locations by row, shared by every record: (row, column) pairs recur in every record, a location is
#: immutable, and 2·10^5 fewer objects a bench run is less for the garbage collector to walk (issue 15).
_LOCATIONS: dict[int, list[Location]] = {}


def _locations(row: Any) -> Iterator[Location]:
    """``Location(row, 1)``, ``Location(row, 2)`` … (equal to new ones; for an int row, made once)."""
    if type(row) is not int:  # (1.0 == 1 but shows otherwise; a list is no key)
        yield from (Location(row, column) for column in count(1))
        return
    known = _LOCATIONS.get(row)
    if known is None:
        if len(_LOCATIONS) >= 4096:
            _LOCATIONS.clear()
        known = _LOCATIONS[row] = []
    for column in count():
        if column == len(known):
            known.append(Location(row, column + 1))
        yield known[column]


def _project(data: dict[str, Any], order: int) -> Project:
    row = data.get("index", order)
    locations = _locations(row)

    def cell(value: Any) -> Cell:
        return Cell(value if type(value) is str else _text(value), next(locations))

    def optional(key: str, source: dict[str, Any] = data) -> Cell | None:
        return cell(source[key]) if key in source else None

    indicators = []
    raw = data.get("indicators", {})
    items = raw.items() if isinstance(raw, dict) else [(item["category"], item) for item in raw]
    for category, spec in items:
        if isinstance(spec, (list, tuple)):
            spec = {"target": spec[0], "completion": spec[1] if len(spec) > 1 else ""}
        if _PLAIN_INDICATOR.issuperset(spec):
            # Only a target and a completion (most rows): the same cells as below, without nine look-ups
            # of keys that are not there (generated corpora build 10^5 of these; issue 15).
            indicators.append(Indicator(category, cell(spec.get("target", "")), cell(spec.get("completion", ""))))
            continue
        indicators.append(
            Indicator(
                category=category,
                name=optional("name", spec),
                target=cell(spec.get("target", "")),
                completion=cell(spec.get("completion", "")),
                weight=optional("weight", spec),
                score=optional("score", spec),
                reason=optional("reason", spec),
                nature=optional("nature", spec),
                unit=optional("unit", spec),
                item_score=optional("item_score", spec),
                share=optional("share", spec),
                parent=bool(spec.get("parent", False)),
                sub=bool(spec.get("sub", False)),
            )
        )
    management = tuple(
        ManagementItem(
            section=item.get("section", "资金管理"),
            label=cell(item.get("label", "")),
            content=optional("content", item),
            weight=optional("weight", item),
            score=optional("score", item),
            remark=optional("remark", item),
        )
        for item in data.get("management", ())
    )
    budget_data = data.get("budget", {})
    lines = []
    if "lines" in budget_data:
        for kind, values in budget_data["lines"].items():
            lines.append(FundLine(kind, EMPTY, **{k: cell(values[k]) for k in _FUND_FIELDS if k in values}))
    elif budget_data:
        lines.append(
            FundLine(
                "total",
                initial=optional("initial", budget_data),
                annual=optional("annual", budget_data),
                executed=optional("executed", budget_data),
                arrived=optional("arrived", budget_data),
            )
        )
        for kind in ("fiscal", "other"):
            if kind in budget_data:
                lines.append(FundLine(kind, executed=cell(budget_data[kind])))
    budget = Budget(
        lines=tuple(lines),
        rate=optional("rate", budget_data),
        rate_weight=optional("weight", budget_data),
        rate_score=optional("score", budget_data),
    )
    return Project(
        index=row,
        name=cell(data.get("name", f"示例项目{order}")),
        budget=budget,
        goal=cell(data.get("goal", "")) if "goal" in data else EMPTY,
        goal_completion=cell(data.get("goal_completion", "")) if "goal_completion" in data else EMPTY,
        problems=optional("problems"),
        rectification=optional("rectification"),
        total_score=optional("total_score"),
        total_weight=optional("total_weight"),
        grade=optional("grade"),
        indicators=tuple(indicators),
        location=Location(row, 1),
        management=management,
        explanations=tuple(cell(text) for text in data.get("explanations", ())),
    )
