"""Quality scores from findings — the only place findings become numbers.

Scores are weighted like the self-evaluation itself (``rules/scoring.yaml``, explained in
``docs/scoring.md``), so a defect in an output indicator weighs more than a vague ecological line:

* an **indicator** starts at 100 and loses ``severity_cost × family_factor`` per active finding on
  it (its target, completion, name, score or deviation reason), never below 0;
* a **section** (产出 / 效益 / 满意度) is the mean of its indicators, less ``cost ÷ (n + 1)`` for each
  finding about a category the project lacks (n indicators in the section); 预算执行 starts at 100
  and loses the cost of each finding on the budget;
* a **project** is the weighted mean of its four sections (50/30/10/10) minus ``overall_factor`` ×
  the cost of each finding on its overall texts (goal, achievement, problems, the row);
* a **submission** is the mean of its projects, a **department** the mean of all its projects.

Suppressed (accepted) findings cost nothing. Every step is monotone: more or worse findings never
raise a score.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.model import Finding, Project, Submission
from auditor.resources import data_dir, load_pack, load_pack_file, pack_cache

if TYPE_CHECKING:
    from auditor.reporters import Report

BUDGET = "预算执行"
INDICATOR_FIELDS = ("target", "completion", "score", "reason", "name")


@dataclass(frozen=True)
class IndicatorScore:
    category: str
    label: str  # category, or category·三级指标 name
    score: float
    findings: int


@dataclass(frozen=True)
class ProjectScore:
    index: int
    name: str
    score: float
    grade: str
    sections: dict[str, float]  # 产出 / 效益 / 满意度 / 预算执行 → 0–100
    indicators: tuple[IndicatorScore, ...]
    execution_rate: float | None  # 执行率 in %, stated or computed from the total fund line
    findings: int
    by_family: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SubmissionScore:
    path: str
    department: str
    year: int | None
    score: float
    grade: str
    projects: tuple[ProjectScore, ...]
    findings: int
    by_family: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DepartmentScore:
    department: str
    rank: int
    score: float
    grade: str
    submissions: tuple[SubmissionScore, ...]
    findings: int
    by_family: dict[str, int] = field(default_factory=dict)

    @property
    def projects(self) -> list[ProjectScore]:
        return [project for submission in self.submissions for project in submission.projects]


@pack_cache
def weights() -> dict[str, Any]:
    """The scoring pack, with the user's ``scoring-…`` options merged key by key into its tables."""
    shipped = load_pack_file(data_dir("rules") / "scoring.yaml")
    effective = load_pack("scoring")
    merged = {key: {**value, **effective[key]} if isinstance(value, dict) else effective[key]
              for key, value in shipped.items()}
    for key in ("sections", "severity_cost", "family_factor", "grades"):
        if any(isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in merged[key].values()):
            raise ValueError(f"评分配置 {key} 的值应为非负数")
    if sum(float(value) for value in merged["sections"].values()) <= 0:
        raise ValueError("评分配置 sections 的权重之和应大于 0")
    if set(merged["grades"]) != set(shipped["grades"]):
        raise ValueError(f"评分配置 grades 只能设置 {'、'.join(shipped['grades'])} 的分数线")
    unknown = set(merged["sections"]) - set(shipped["sections"])
    if unknown:
        allowed = "、".join(shipped["sections"])
        raise ValueError(f"评分配置 sections 只能包含 {allowed}，而不是 {'、'.join(sorted(unknown))}")
    return merged


def grade(score: float) -> str:
    """优 / 良 / 中 / 差 by the bands in ``rules/scoring.yaml``."""
    bands = sorted(weights()["grades"].items(), key=lambda item: -float(item[1]))
    for name, floor in bands:
        if score >= float(floor):
            return str(name)
    return str(bands[-1][0])


def cost(finding: Finding) -> float:
    """What one finding costs, out of 100, before any overall factor; 0 when accepted."""
    if not finding.active:
        return 0.0
    pack = weights()
    family = pack["family_factor"].get(finding.code[:2], 1.0)
    return float(pack["severity_cost"][finding.severity.value]) * float(family)


def score_project(project: Project, findings: Sequence[Finding]) -> ProjectScore:
    """Score one project from its findings (all of which belong to it)."""
    pack = weights()
    section_of: dict[str, str] = pack["section_of"]
    per_indicator: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    orphan: dict[str, list[float]] = defaultdict(list)  # section → costs of findings on absent categories
    budget_cost = 0.0
    overall_cost = 0.0
    keys = {_key(indicator.category, indicator.name.text if indicator.name else None): number
            for number, indicator in enumerate(project.indicators)}
    by_category = {indicator.category: number for number, indicator in enumerate(project.indicators)}
    for finding in findings:
        amount = cost(finding)
        if finding.indicator in section_of and finding.field in INDICATOR_FIELDS:
            number = keys.get(_key(finding.indicator, finding.indicator_name))
            if number is None and not finding.indicator_name:
                number = by_category.get(finding.indicator)
            if number is None:
                orphan[section_of[finding.indicator]].append(amount)
            else:
                per_indicator[number] += amount
                counts[number] += finding.active
        elif finding.field == "budget":
            budget_cost += amount
        else:
            overall_cost += amount
    indicators = tuple(
        IndicatorScore(indicator.category, indicator.label, _clamp(100 - per_indicator[number]), counts[number])
        for number, indicator in enumerate(project.indicators)
    )
    sections: dict[str, float] = {}
    for section in pack["sections"]:
        if section == BUDGET:
            sections[section] = _clamp(100 - budget_cost)
            continue
        members = [ind.score for ind in indicators if section_of.get(ind.category) == section]
        mean = sum(members) / len(members) if members else 100.0
        # A finding about a category the project lacks costs the section its share as one more
        # indicator would, taken off the mean (never averaged in, which could raise a low section).
        sections[section] = _clamp(mean - sum(orphan[section]) / (len(members) + 1))
    total_weight = sum(float(w) for w in pack["sections"].values())
    weighted = sum(sections[name] * float(w) for name, w in pack["sections"].items()) / total_weight
    score = _clamp(weighted - overall_cost * float(pack["overall_factor"]))
    active = [finding for finding in findings if finding.active]
    return ProjectScore(
        index=project.index,
        name=project.name.text,
        score=score,
        grade=grade(score),
        sections=sections,
        indicators=indicators,
        execution_rate=_rate(project),
        findings=len(active),
        by_family=_families(active),
    )


def score_submission(submission: Submission, findings: Iterable[Finding]) -> SubmissionScore:
    grouped: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.project_index].append(finding)
    projects = tuple(score_project(project, grouped.get(project.index, [])) for project in submission.projects)
    score = _mean([project.score for project in projects])
    active = [finding for group in grouped.values() for finding in group if finding.active]
    return SubmissionScore(
        path=submission.path,
        department=department_name(submission),
        year=submission.year,
        score=score,
        grade=grade(score),
        projects=projects,
        findings=len(active),
        by_family=_families(active),
    )


def submission_score(submission: Submission, findings: Iterable[Finding]) -> float:
    """The submission's score alone (the JSON ``files[].score``)."""
    return score_submission(submission, findings).score


def department_name(submission: Submission) -> str:
    """The department as the table names it, else the file's name (so nothing is pooled by accident)."""
    if submission.department and submission.department.strip():
        return submission.department.strip()
    return f"（未注明单位）{Path(submission.path).stem}"


def rank_departments(report: Report) -> list[DepartmentScore]:
    """Departments best first (ties by name), each with its submissions in path order."""
    grouped: dict[str, list[SubmissionScore]] = defaultdict(list)
    for result in report.files:
        scored = score_submission(result.submission, result.findings)
        grouped[scored.department].append(scored)
    departments = []
    for name, submissions in grouped.items():
        submissions.sort(key=lambda item: item.path)
        projects = [project for submission in submissions for project in submission.projects]
        score = _mean([project.score for project in projects])
        families: Counter[str] = Counter()
        for submission in submissions:
            families.update(submission.by_family)
        departments.append(
            DepartmentScore(name, 0, score, grade(score), tuple(submissions),
                            sum(item.findings for item in submissions), dict(sorted(families.items())))
        )
    departments.sort(key=lambda item: (-item.score, item.department))
    return [
        DepartmentScore(item.department, rank, item.score, item.grade, item.submissions, item.findings, item.by_family)
        for rank, item in enumerate(departments, start=1)
    ]


def _rate(project: Project) -> float | None:
    rate = project.budget.execution_rate
    return None if rate is None else round(rate, 2)


def _key(category: str | None, name: str | None) -> tuple[str | None, str]:
    return category, (name or "").strip()


def _families(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(finding.code[:2] for finding in findings).items()))


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def _clamp(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)
