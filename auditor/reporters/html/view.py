"""What the HTML pages show, computed in plain Python before any template runs.

A department page redraws every project's table from the :class:`Submission` model and hangs each
finding on the drawn cell it points at: same project, same indicator (category and 三级指标 name),
same field, and the same text. A finding with a span marks exactly ``text[start:end]``; spans may
overlap, so a cell's text is cut at every span boundary into :class:`Segment` s, each listing all
findings that cover it. A finding without a span marks its whole cell. Suppressed findings and
findings with no drawn cell (the row, or a text that does not match the cell) appear only in the
project's findings list. Keeping this logic here leaves the templates with loops and escaping only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from auditor.checks.registry import get_rule
from auditor.model import CATEGORIES, Cell, Finding, Indicator, Location, ManagementItem, Project, Submission
from auditor.reporters import FileResult, Report
from auditor.reporters.grouping import causes, reading_order
from auditor.reporters.text import FIELD_NAMES
from auditor.scoring import INDICATOR_FIELDS, DepartmentScore, ProjectScore, SubmissionScore, department_name

SEVERITY_ORDER = ("error", "warning", "info")
FUND_NAMES = {"total": "年度资金总额", "fiscal": "当年财政拨款", "carryover": "上年结转资金", "other": "其他资金",
              "bond": "债券资金"}  # fmt: skip
PLACE_NAMES = {**FIELD_NAMES, "name": "三级指标", "rectification": "整改措施"}
SUPPRESSION_NAMES = {"in_source": "单元格批注中已接受", "baseline": "基线文件中已接受", "review": "复核不采纳"}
LONG_CELL = 400  # characters; longer cells scroll inside a box and get a 展开 toggle


@dataclass(frozen=True)
class Segment:
    """A run of a cell's text, covered by the findings ``ids`` (none: plain text)."""

    text: str
    ids: tuple[str, ...] = ()
    severity: str = ""
    title: str = ""


@dataclass
class CellView:
    """One drawn cell: its text cut into segments, plus the findings that mark it whole."""

    text: str
    location: Location | None = None
    absent: bool = False  # the table has no such cell (drawn empty)
    spans: list[tuple[int, int, FindingView]] = field(default_factory=list)
    whole: list[FindingView] = field(default_factory=list)

    @property
    def segments(self) -> list[Segment]:
        return segments(self.text, self.spans)

    @property
    def whole_ids(self) -> str:
        return " ".join(view.id for view in self.whole)

    @property
    def whole_severity(self) -> str:
        return highest(view.severity for view in self.whole)

    @property
    def whole_title(self) -> str:
        return tooltip(self.whole)

    @property
    def long(self) -> bool:
        return len(self.text) > LONG_CELL


@dataclass
class FindingView:
    """A finding with its page id and where (if anywhere) it is highlighted."""

    id: str
    finding: Finding
    drawn: bool = False  # highlighted in a drawn cell
    mismatch: bool = False  # a cell was found for its place, but with other text
    anchor: str = ""  # the project section it is listed in ("" for the file's own findings)
    repeat_of: FindingView | None = None  # the first finding of the same cause (same rule, same text)
    repeats: list[FindingView] = field(default_factory=list)  # the other places of its cause, when first

    @property
    def recurs(self) -> list[tuple[str, str]]:
        """``(label, #anchor)`` of the other places of this cause, for “同样出现在”."""
        from auditor.reporters.grouping import place_label

        return [(place_label(view.finding), f"#{view.anchor}" if view.anchor else "") for view in self.repeats]

    @property
    def family(self) -> str:
        return self.finding.code[:2]

    @property
    def severity(self) -> str:
        return self.finding.severity.value

    @property
    def rule(self) -> str:
        """The rule's one-line Chinese summary (its slug when the rule is unknown)."""
        return rule_title(self.finding.code, self.finding.name)

    @property
    def accepted(self) -> str:
        suppression = self.finding.suppression
        if suppression is None:
            return ""
        return SUPPRESSION_NAMES.get(suppression.kind, "已接受")

    @property
    def place(self) -> str:
        finding = self.finding
        field_name = PLACE_NAMES.get(finding.field, finding.field)
        where = finding.indicator or ""
        if finding.indicator_name:
            where += f"·{finding.indicator_name}"
        label = f"{where}·{field_name}" if where else field_name
        location = finding.location
        if location is not None:
            label += f"（{location.sheet}!{location.cell}）" if location.sheet else f"（{location.cell}）"
        return label

    @property
    def listed_text(self) -> str | None:
        """The flagged text to show in the list when it is not highlighted in the table."""
        if self.drawn or not self.finding.text:
            return None
        return self.finding.text


@dataclass
class IndicatorRow:
    indicator: Indicator
    level: str
    level_span: int  # rowspan of the 一级指标 cell; 0 when merged into the row above
    category_span: int
    cells: dict[str, CellView | None]  # name/target/completion/weight/score/reason/nature/unit
    quality: float


@dataclass
class BudgetRow:
    label: CellView
    initial: CellView | None
    annual: CellView | None
    executed: CellView | None
    rate: CellView | None


@dataclass
class ManagementRow:
    """A 决策/过程/管理 or 资金管理 row, drawn so that findings about it (at ``budget``) can be marked."""

    section: str
    label: CellView
    content: CellView | None
    weight: CellView | None
    score: CellView | None
    remark: CellView | None


@dataclass
class ProjectView:
    anchor: str
    project: Project
    score: ProjectScore
    name: CellView
    unit: CellView | None
    budget: list[BudgetRow]
    rate: CellView | None
    rate_weight: CellView | None
    rate_score: CellView | None
    goal: CellView
    goal_completion: CellView
    problems: CellView
    rectification: CellView | None
    total_score: CellView | None
    grade: CellView | None  # 评价结果 of a score summary
    indicators: list[IndicatorRow]
    management: list[ManagementRow]
    columns: list[str]  # optional indicator columns present in this project
    budget_columns: list[str]  # fund-line columns present: initial / annual / executed / rate
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class SubmissionView:
    anchor: str
    submission: Submission
    score: SubmissionScore
    projects: list[ProjectView]
    loose: list[FindingView]  # findings about the file, or a project that is not drawn


@dataclass
class DepartmentView:
    department: DepartmentScore
    submissions: list[SubmissionView]
    findings: list[FindingView]

    @property
    def years(self) -> list[int]:
        return sorted({view.submission.year for view in self.submissions if view.submission.year})

    @property
    def projects(self) -> list[tuple[SubmissionView, ProjectView]]:
        return [(sub, project) for sub in self.submissions for project in sub.projects]


def highest(severities: Iterable[str]) -> str:
    present = set(severities)
    return next((severity for severity in SEVERITY_ORDER if severity in present), "")


def rule_title(code: str, fallback: str = "") -> str:
    rule = get_rule(code)
    return rule.summary if rule is not None else fallback


def tooltip(views: Sequence[FindingView]) -> str:
    """A hover title made of rule codes and summaries only (never input text)."""
    return "；".join(f"{view.finding.code} {view.rule}" for view in views) + "（点击或按回车查看说明）"


def segments(text: str, spans: Sequence[tuple[int, int, FindingView]]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the findings covering it, in id order."""
    cuts = sorted({0, len(text), *(start for start, _, _ in spans), *(end for _, end, _ in spans)})
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [view for first, last, view in spans if first <= start and end <= last]
        if not covering:
            out.append(Segment(text[start:end]))
            continue
        out.append(
            Segment(
                text[start:end],
                tuple(view.id for view in covering),
                highest(view.severity for view in covering),
                tooltip(covering),
            )
        )
    return out


def valid_span(finding: Finding) -> tuple[int, int] | None:
    """The finding's span when it selects at least one character of its text, else ``None``."""
    if finding.span is None:
        return None
    start, end = finding.span
    if 0 <= start < end <= len(finding.text):
        return start, end
    return None


def department_results(report: Report, department: DepartmentScore) -> list[FileResult]:
    """The department's file results, in the order of ``department.submissions`` (by path)."""
    results = [result for result in report.files if department_name(result.submission) == department.department]
    return sorted(results, key=lambda result: result.submission.path)


def numbered_findings(report: Report, department: DepartmentScore) -> list[tuple[str, Finding]]:
    """Every finding of the department (accepted ones too) with its page id ``f1``, ``f2`` … in page order.

    Files in path order; in a file, its file-level findings, then each project's in table order, each
    group in place order. The same input gives the same ids.
    """
    return [(view.id, view.finding) for view in department_view(report, department).findings]


def department_view(report: Report, department: DepartmentScore) -> DepartmentView:
    submissions = []
    results = department_results(report, department)
    for number, (result, scored) in enumerate(zip(results, department.submissions, strict=True), start=1):
        views = [FindingView("", finding) for finding in sorted(result.findings, key=reading_order)]
        _group(views)
        submissions.append(_submission_view(f"s{number}", result.submission, scored, views))
    ordered = [
        view
        for sub in submissions
        for group in [sub.loose, *(project.findings for project in sub.projects)]
        for view in _page_order(group)
    ]
    for number, view in enumerate(ordered, start=1):
        view.id = f"f{number}"
    return DepartmentView(department, submissions, ordered)


def _page_order(views: list[FindingView]) -> list[FindingView]:
    """As a finding list shows them: the first of each cause, then the folded repeats."""
    return [view for view in views if view.repeat_of is None] + [view for view in views if view.repeat_of is not None]


def _group(views: list[FindingView]) -> None:
    """Link the findings of one cause: the first lists the others, the others point at the first."""
    by_id = {id(view.finding): view for view in views}
    for cause in causes(view.finding for view in views):
        first = by_id[id(cause.first)]
        for other in cause.others:
            view = by_id[id(other)]
            view.repeat_of = first
            first.repeats.append(view)


def _submission_view(
    anchor: str, submission: Submission, scored: SubmissionScore, views: list[FindingView]
) -> SubmissionView:
    projects = [
        _project_view(f"{anchor}-p{number}", project, score)
        for number, (project, score) in enumerate(zip(submission.projects, scored.projects, strict=True), start=1)
    ]
    loose: list[FindingView] = []
    for view in views:
        target = _owner(projects, view.finding)
        if target is None:
            loose.append(view)
            continue
        view.anchor = target.anchor
        target.findings.append(view)
        _attach(target, view)
    return SubmissionView(anchor, submission, scored, projects, loose)


def _owner(projects: list[ProjectView], finding: Finding) -> ProjectView | None:
    candidates = [view for view in projects if view.project.index == finding.project_index]
    named = [view for view in candidates if (view.project.name.text or None) == finding.project]
    return (named or candidates or [None])[0]


def _draw(cell: Cell) -> CellView:
    return CellView(cell.text, cell.location)


def _cell(cell: Cell | None) -> CellView | None:
    return None if cell is None else _draw(cell)


def _project_view(anchor: str, project: Project, score: ProjectScore) -> ProjectView:
    budget = project.budget
    rows = [
        BudgetRow(
            CellView(line.label.text or FUND_NAMES.get(line.kind, line.kind), line.label.location),
            _cell(line.initial),
            _cell(line.annual),
            _cell(line.executed),
            _cell(line.rate),
        )
        for line in budget.lines
    ]
    indicators = _indicator_rows(project, score)
    columns = [
        name
        for name in ("name", "nature", "unit", "weight", "score", "reason")
        if any(row.cells.get(name) is not None for row in indicators)
    ]
    for row in indicators:
        for name in columns:
            if row.cells.get(name) is None:
                row.cells[name] = CellView("", absent=True)
    return ProjectView(
        anchor=anchor,
        project=project,
        score=score,
        name=_draw(project.name),
        unit=_cell(project.unit),
        budget=rows,
        rate=_cell(budget.rate),
        rate_weight=_cell(budget.rate_weight),
        rate_score=_cell(budget.rate_score),
        goal=_draw(project.goal),
        goal_completion=_draw(project.goal_completion),
        problems=_cell(project.problems) or CellView("", absent=True),
        rectification=_cell(project.rectification),
        total_score=_cell(project.total_score),
        grade=_cell(project.grade),
        indicators=indicators,
        management=[_management_row(item) for item in project.management],
        columns=columns,
        budget_columns=[
            name
            for name in ("initial", "annual", "executed", "rate")
            if any(getattr(row, name) is not None for row in rows)
        ],
    )


def _management_row(item: ManagementItem) -> ManagementRow:
    return ManagementRow(
        item.section, _draw(item.label), _cell(item.content), _cell(item.weight), _cell(item.score), _cell(item.remark)
    )


def _indicator_rows(project: Project, score: ProjectScore) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    for number, (indicator, quality) in enumerate(zip(project.indicators, score.indicators, strict=False)):
        level = CATEGORIES[indicator.category].value if indicator.category in CATEGORIES else ""
        previous = project.indicators[number - 1] if number else None
        same_level = previous is not None and rows[-1].level == level
        same_category = previous is not None and previous.category == indicator.category
        cells = {
            name: _cell(getattr(indicator, name)) for name in ("name", "nature", "unit", "weight", "score", "reason")
        }
        cells["target"] = _draw(indicator.target)
        cells["completion"] = _draw(indicator.completion)
        rows.append(
            IndicatorRow(indicator, level, 0 if same_level else 1, 0 if same_category else 1, cells, quality.score)
        )
        if same_level:
            _first(rows, lambda row: row.level_span > 0).level_span += 1
        if same_category:
            _first(rows, lambda row: row.category_span > 0).category_span += 1
    return rows


def _first(rows: list[IndicatorRow], test: Callable[[IndicatorRow], bool]) -> IndicatorRow:
    """The nearest row above (inclusive) that opens a merged cell."""
    return next(row for row in reversed(rows) if test(row))


def _candidates(view: ProjectView, finding: Finding) -> list[CellView]:
    """The drawn cells a finding may point at, by project field or indicator and field."""
    if finding.indicator and finding.field in INDICATOR_FIELDS:
        wanted = (finding.indicator_name or "").strip()
        rows = [row for row in view.indicators if row.indicator.category == finding.indicator]
        named = [row for row in rows if _name(row.indicator) == wanted]
        if not named and not wanted:
            named = rows
        fields = [finding.field, "name"] if finding.field == "target" else [finding.field]  # a name is judged as target
        return [cell for row in named for name in fields if (cell := row.cells.get(name)) is not None]
    if finding.field == "budget":
        cells = [view.rate, view.rate_weight, view.rate_score]
        for row in view.budget:
            cells += [row.label, row.initial, row.annual, row.executed, row.rate]
        for item in view.management:
            cells += [item.label, item.content, item.weight, item.score, item.remark]
        return [cell for cell in cells if cell is not None]
    fields = {
        "goal": view.goal,
        "goal_completion": view.goal_completion,
        "problems": view.problems,
        "score": view.total_score,
        "name": view.name,
        "rectification": view.rectification,
    }
    cell = fields.get(finding.field) if not finding.indicator else None
    cells = [cell] if cell is not None else []
    if finding.field == "problems" and not finding.indicator:
        # An unexplained low 执行率 is the problems' finding, shown on the rate it is about.
        cells += [c for c in (view.rate, *(row.rate for row in view.budget)) if c is not None]
    if finding.field == "score" and not finding.indicator and view.grade is not None:
        cells.append(view.grade)  # a summary's score findings may be about its grade
    return cells


def _name(indicator: Indicator) -> str:
    return indicator.name.text.strip() if indicator.name is not None else ""


def _attach(view: ProjectView, finding_view: FindingView) -> None:
    """Mark the finding in its drawn cell, if it has one whose text is the finding's text."""
    finding = finding_view.finding
    candidates = _candidates(view, finding)
    matching = [cell for cell in candidates if cell.text == finding.text]
    located = [cell for cell in matching if cell.location == finding.location]
    finding_view.mismatch = bool(candidates) and not matching
    # The cell it names; else the only cell with its text (two empty budget cells are not a guess to make).
    cell = located[0] if located else matching[0] if len(matching) == 1 else None
    if cell is None or not finding.active:
        return
    finding_view.drawn = True
    span = valid_span(finding)
    if span is None:
        cell.whole.append(finding_view)
    else:
        cell.spans.append((*span, finding_view))
