"""The one data model every reader produces and every rule reads.

A :class:`Submission` (one table file, or one sheet of it) holds :class:`Project` records, each with
its budget figures (:class:`Budget` of :class:`FundLine`) and its :class:`Indicator` rows. Every
text or number is a :class:`Cell`: the original text exactly as the file has it plus the
:class:`Location` it came from, so a finding can always point back at a cell.

All records are frozen dataclasses: readers build them once, rules only read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum
from typing import Any, TypeVar

from auditor.text.numbers import parse_number, parse_percent

_BARE_NUMBER = re.compile(r"^[\d,.]+$")
#: How 指标性质 is written in published tables, as the comparator a target reads with.
_NATURES = {">=": "≥", "<=": "≤", "=>": "≥", "=<": "≤", "≧": "≥", "≦": "≤", "═": "=", "\uff1d": "="}


_T = TypeVar("_T")


def slot_init(cls: type[_T]) -> type[_T]:
    """Give a frozen slots dataclass an ``__init__`` that stores each field through its slot descriptor.

    The ``__init__`` that ``dataclass(frozen=True)`` writes calls ``object.__setattr__(self, "name",
    value)`` per field, which looks the slot up by name every time; calling the slot's own ``__set__``
    stores the same value a third cheaper. Readers and rules build hundreds of thousands of cells,
    locations, indicators and findings per run (issue 15), so construction is a hot path. The
    signature, defaults and default factories are the dataclass's own; apply it above ``@dataclass``.
    """
    namespace: dict[str, Any] = {"_FACTORY": object()}
    params, body = [], []
    for item in fields(cls):  # type: ignore[arg-type]
        name = item.name
        assert item.init and not item.kw_only, f"{cls.__name__}.{name}: slot_init takes plain fields only"
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        if item.default is not MISSING:
            namespace[f"_default_{name}"] = item.default
            params.append(f"{name}=_default_{name}")
            body.append(f" _set_{name}(self, {name})")
        elif item.default_factory is not MISSING:
            namespace[f"_make_{name}"] = item.default_factory
            params.append(f"{name}=_FACTORY")
            body.append(f" _set_{name}(self, _make_{name}() if {name} is _FACTORY else {name})")
        else:
            params.append(name)
            body.append(f" _set_{name}(self, {name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # generated from the class's own field names, as dataclasses does
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__  # type: ignore[misc]
    cls.__init__ = init  # type: ignore[misc]
    return cls


def column_letter(column: int) -> str:
    """Spreadsheet column name of a 1-based column index (1 → A, 27 → AA)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@slot_init
@dataclass(frozen=True, slots=True)
class Location:
    """Where a cell sits in its source file; row and column are 1-based.

    ``sheet`` is the worksheet name for workbooks, ``表N`` for the N-th table of a Word document,
    and ``None`` for delimited text.
    """

    row: int
    column: int
    sheet: str | None = None

    @property
    def cell(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    def to_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "cell": self.cell}


@slot_init
@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text as written in the file (trimmed), and where it came from.

    ``lost`` marks a cell the reader presumes was dropped from a short row (rule ST003); its text
    is empty and its location is the place it would have occupied.
    """

    text: str
    location: Location | None = None
    lost: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def number(self) -> float | None:
        """The cell as a plain number (amounts, weights, scores), or ``None``."""
        return parse_number(self.text)

    @property
    def percent(self) -> float | None:
        """The cell as a percentage (``99.86%`` → 99.86, ``0.9986`` → 99.86), or ``None``."""
        return parse_percent(self.text)


EMPTY = Cell("")


class Layout(str, Enum):
    """How a table holds its projects.

    ``wide``: one row per project with category columns; ``standard``: one block per project (the
    财政部 template and its provincial variants, including department-wide tables); ``summary``: a
    score summary, one row per project with its 评价得分 / 评价结果 and nothing to check below them.
    """

    WIDE = "wide"
    STANDARD = "standard"
    SUMMARY = "summary"


class Kind(str, Enum):
    """What a submission evaluates: projects (项目支出), a department as a whole (部门整体支出), or a
    summary of scores already given (绩效评价情况表)."""

    PROJECT = "project"
    DEPARTMENT = "department"
    SUMMARY = "summary"


class Level(str, Enum):
    """一级指标."""

    OUTPUT = "产出指标"
    EFFECT = "效益指标"
    SATISFACTION = "满意度指标"


#: The nine canonical 二级指标 categories, in template order, with their level.
CATEGORIES: dict[str, Level] = {
    "数量指标": Level.OUTPUT,
    "质量指标": Level.OUTPUT,
    "时效指标": Level.OUTPUT,
    "成本指标": Level.OUTPUT,
    "经济效益指标": Level.EFFECT,
    "社会效益指标": Level.EFFECT,
    "生态效益指标": Level.EFFECT,
    "可持续影响指标": Level.EFFECT,
    "满意度指标": Level.SATISFACTION,
}


@slot_init
@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: a category, an optional 三级指标 name, a target and a completion.

    In the wide layout each category has exactly one indicator whose target is the 年度指标内容 and
    completion the 完成情况; in the standard layout every 三级指标 row is one indicator.
    """

    category: str
    target: Cell = EMPTY
    completion: Cell = EMPTY
    name: Cell | None = None
    weight: Cell | None = None
    score: Cell | None = None
    reason: Cell | None = None
    nature: Cell | None = None  # 指标性质 (≥ ≤ = 定性) in provincial variants
    unit: Cell | None = None  # 度量单位 in provincial variants
    level_weight: float | None = None  # 一级指标 weight written in the cell, e.g. 产出指标（50分）
    item_score: Cell | None = None  # 单项指标得分 before a weight share is applied (Hebei variant)
    share: Cell | None = None  # 权重占比(%) that turns item_score into the score (Hebei variant)
    parent: bool = False  # a weighted parent row whose sub-rows (其中 …) carry the values
    sub: bool = False  # a sub-row of a weighted parent (其中 …), no weight or score of its own

    @property
    def level(self) -> Level:
        return CATEGORIES[self.category]

    def expression(self, side: str) -> str:
        """The target or completion as one measurable phrase.

        Provincial templates split a target into 指标性质 (≥ ≤ = 定性), 目标值 (90) and 度量单位 (%);
        joined, they read "≥90%" like any other target. Other layouts return the cell text.
        """
        cell = self.target if side == "target" else self.completion
        text = cell.text.strip()
        if not text or (self.unit is None and self.nature is None):
            return text  # (no unit or nature column: the cell says it all, as below; most rows)
        unit = self.unit.text.strip() if self.unit is not None else ""
        if unit and not text.endswith(unit) and _BARE_NUMBER.match(text):
            text += unit
        nature = self.nature.text.strip() if self.nature is not None else ""
        nature = _NATURES.get(nature.replace(" ", ""), nature)
        if (
            side == "target"
            and nature in ("≥", "≤", ">", "<", "=", "＞", "＜", "≧", "≦")
            and not text.startswith(nature)
        ):
            text = nature + text
        return text

    @property
    def label(self) -> str:
        """Human label: the category, plus the 三级指标 name where there is one."""
        if self.name is not None and not self.name.is_blank:
            return f"{self.category}·{self.name.text}"
        return self.category


@slot_init
@dataclass(frozen=True, slots=True)
class FundLine:
    """One line of the fund section: 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金, 债券资金 …

    ``kind`` is one of ``total``, ``fiscal``, ``carryover``, ``other``, ``bond``.
    """

    kind: str
    label: Cell = EMPTY
    initial: Cell | None = None  # 年初预算数
    annual: Cell | None = None  # 全年预算数 / 项目年度预算金额
    executed: Cell | None = None  # 全年执行数 / 实际支出金额
    rate: Cell | None = None  # 执行率 on this line, where stated
    arrived: Cell | None = None  # 到位数 / 实际到位资金, where the table states it


FUND_KINDS = ("total", "fiscal", "carryover", "other", "bond")


@slot_init
@dataclass(frozen=True, slots=True)
class Budget:
    """The project's money: fund lines, the stated 执行率 and (standard layout) its weight and score."""

    lines: tuple[FundLine, ...] = ()
    rate: Cell | None = None
    rate_weight: Cell | None = None
    rate_score: Cell | None = None

    def line(self, kind: str) -> FundLine | None:
        for fund_line in self.lines:
            if fund_line.kind == kind:
                return fund_line
        return None

    @property
    def total(self) -> FundLine | None:
        return self.line("total")

    @property
    def base(self) -> Cell | None:
        """The budget a rate is computed on: 全年预算数 (adjusted), else 年初预算数, of the total line."""
        total = self.total
        if total is None:
            return None
        for cell in (total.annual, total.initial):
            if cell is not None and cell.number:
                return cell
        return None

    @property
    def execution_rate(self) -> float | None:
        """The stated 执行率 in %, else 全年执行数 ÷ :attr:`base` of the total line, else ``None``."""
        if self.rate is not None and self.rate.percent is not None:
            return self.rate.percent
        base, total = self.base, self.total
        if base is not None and base.number and total is not None and total.executed is not None:
            executed = total.executed.number
            return None if executed is None else executed / base.number * 100
        return None


@slot_init
@dataclass(frozen=True, slots=True)
class ManagementItem:
    """A scored or described row that is not an output/effect indicator.

    决策/过程/管理 rows of the 决策-过程-产出-效益 frameworks (``section`` 决策, 过程, 管理), the 资金管理情况
    rows of transfer-payment tables (``section`` 资金管理: ``content`` is the 情况说明, ``remark`` the
    存在问题) and the narrative rows of such tables (测算依据 …). Rules judge them at ``budget``/``row``.
    """

    section: str
    label: Cell
    content: Cell | None = None
    weight: Cell | None = None
    score: Cell | None = None
    remark: Cell | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class Project:
    """One project (a wide-layout row or a standard-layout block)."""

    index: int  # 序号 where the table has one, else the 1-based order in the file
    name: Cell
    unit: Cell | None = None  # 单位名称 / 实施单位
    department: Cell | None = None  # 主管部门 (standard layout)
    budget: Budget = field(default_factory=Budget)
    goal: Cell = EMPTY
    goal_completion: Cell = EMPTY
    problems: Cell | None = None  # 项目执行中存在的问题
    rectification: Cell | None = None  # 整改情况 / 改进措施
    total_score: Cell | None = None
    total_weight: Cell | None = None
    indicators: tuple[Indicator, ...] = ()
    location: Location | None = None  # the row (wide) or the block's first cell (standard)
    realignment: Realignment | None = None
    management: tuple[ManagementItem, ...] = ()
    grade: Cell | None = None  # 评价结果 / 自评等级 in summaries (blank cell when the column is empty)
    explanations: tuple[Cell, ...] = ()  # 评价结论, 原因 cells and other narrative a rule may read

    def by_category(self, category: str) -> tuple[Indicator, ...]:
        return tuple(ind for ind in self.indicators if ind.category == category)


@slot_init
@dataclass(frozen=True, slots=True)
class Realignment:
    """What the reader did to a row that had fewer (or more) cells than its header.

    ``lost`` names the presumed lost places as ``(indicator category or None, field)``;
    ``cells_found``/``cells_expected`` count the non-empty cells; ``shift`` describes the repair.
    """

    cells_found: int
    cells_expected: int
    lost: tuple[tuple[str | None, str], ...]
    description: str


@slot_init
@dataclass(frozen=True, slots=True)
class Submission:
    """One table: a file, or one sheet/table of a file that holds several submissions."""

    path: str
    layout: Layout
    projects: tuple[Project, ...]
    title: str | None = None
    department: str | None = None
    year: int | None = None
    money_unit: str = "万元"
    file_format: str = ""
    notices: tuple[str, ...] = ()  # non-fatal things the reader wants the user to know
    notes: tuple[tuple[Location, str], ...] = ()  # cell comments and in-cell directives
    kind: Kind = Kind.PROJECT

    @property
    def indicator_count(self) -> int:
        return sum(len(project.indicators) for project in self.projects)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    @property
    def chinese(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@slot_init
@dataclass(frozen=True, slots=True)
class Place:
    """Another place a finding involves (the target a completion copies, the other clones)."""

    project_index: int
    indicator: str | None
    field: str
    location: Location | None
    indicator_name: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "project_index": self.project_index,
            "indicator": self.indicator,
            "field": self.field,
            "location": self.location.to_dict() if self.location else None,
        }
        if self.indicator_name:
            out["indicator_name"] = self.indicator_name
        return out


@slot_init
@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not counted: accepted in its cell (``in_source``) or in a baseline file."""

    kind: str  # "in_source" | "baseline" | "model" (the quality model vetoed MS001/MS005)
    reason: str = ""


@slot_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One defect at one place, as every reporter receives it."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    department: str | None
    project_index: int | None
    project: str | None
    indicator: str | None
    field: str
    text: str = ""
    location: Location | None = None
    indicator_name: str | None = None
    span: tuple[int, int] | None = None
    related: tuple[Place, ...] = ()
    suggestion: str | None = None
    suppression: Suppression | None = None

    @property
    def active(self) -> bool:
        """Counted in summaries and exit codes (not suppressed)."""
        return self.suppression is None

    def sort_key(self) -> tuple[object, ...]:
        loc = self.location
        return (
            self.file,
            loc.sheet or "" if loc else "",
            loc.row if loc else 0,
            loc.column if loc else 0,
            self.span or (0, 0),
            self.code,
            self.project_index or 0,
            self.field,
        )
