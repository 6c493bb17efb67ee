"""Write the HTML report: ``index.html`` ranking departments, one self-contained page per department.

Every page inlines its CSS, JS and SVG and carries a Content-Security-Policy that forbids fetching
anything, so the folder opens offline from a USB stick. Templates and static files are read with
:mod:`importlib.resources` (they ship inside the wheel) and rendered by Jinja with autoescape on:
input text only ever reaches HTML text or escaped attribute values, never a script, style or URL.
Files are written atomically (a temporary file, then :func:`os.replace`).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from auditor.checks.registry import FAMILIES
from auditor.fileio import write_atomic
from auditor.model import Severity
from auditor.reporters import Report
from auditor.reporters.html import charts
from auditor.reporters.html.view import SEVERITY_ORDER, DepartmentView, department_view, rule_title
from auditor.reporters.text import LAYOUT_NAMES
from auditor.scoring import DepartmentScore, ProjectScore, rank_departments, weights

PACKAGE = "auditor.reporters.html"
FUND_COLUMNS = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数", "rate": "执行率"}
SLUG_LIMIT = 40  # characters of the department name kept in its file name


def write_html_report(
    report: Report,
    out_dir: Path,
    departments: list[DepartmentScore] | None = None,
    *,
    links: dict[str, str] | None = None,
    review: str | None = None,
) -> list[Path]:
    """Write index.html and one self-contained HTML file per department into out_dir (created if missing).

    ``links`` maps a submission's path to its annotated workbook (relative to ``out_dir``) and ``review``
    names the review workbook; both are linked from the pages. Each file is written atomically
    (temp file + os.replace). Returns the written paths, index.html first.
    """
    ranked = rank_departments(report) if departments is None else list(departments)
    names = file_names(ranked)
    links = links or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_write(out_dir / "index.html", render_index(report, ranked, names, links=links, review=review))]
    for department in ranked:
        page = render_department(report, department, ranked, names[department.department], links=links)
        written.append(_write(out_dir / names[department.department], page))
    return written


def _href(relative: str) -> str:
    """A relative link to a file in the report folder (each path segment percent-encoded)."""
    # An undecodable file name keeps its bytes (surrogateescape), percent-encoded like any other.
    return "/".join(quote(part.encode("utf-8", "surrogateescape")) for part in relative.split("/"))


def _charts(items: list[tuple[bool, Markup]]) -> list[Markup]:
    """The charts that show something (a chart of one project, or of no findings, is left out)."""
    return [chart for shown, chart in items if shown]


def department_filename(department: DepartmentScore) -> str:
    """A safe, stable file name: ``dept-<rank>-<name>.html`` with only letters, digits, ``_`` and ``-``.

    Chinese names stay readable; path separators, reserved characters (``<>:"/\\|?*``), spaces and
    controls become ``-``; the name part is cut to :data:`SLUG_LIMIT` characters.
    """
    slug = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFKC", department.department))
    slug = slug.strip("-_")[:SLUG_LIMIT].strip("-_") or "department"
    return f"dept-{department.rank:02d}-{slug}.html"


def file_names(departments: list[DepartmentScore]) -> dict[str, str]:
    """Department name → file name, made unique should two departments share a rank."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for department in departments:
        name = department_filename(department)
        stem, number = name.removesuffix(".html"), 2
        while name.casefold() in used:
            name, number = f"{stem}-{number}.html", number + 1
        used.add(name.casefold())
        out[department.department] = name
    return out


def render_index(report: Report, departments: list[DepartmentScore], names: dict[str, str], *,
                 links: dict[str, str] | None = None, review: str | None = None) -> str:  # fmt: skip
    projects = [project for department in departments for project in department.projects]
    active = report.active
    links = links or {}
    rated = [project for project in projects if project.execution_rate is not None]
    workbooks = [
        (department.department, path, _href(links[path]))
        for department in departments
        for path in (submission.path for submission in department.submissions)
        if path in links
    ]
    context = {
        "workbooks": workbooks,
        "review": _href(review) if review else None,
        "review_name": review,
        "review_stats": _review_stats(report),
        "rejected": sum(1 for f in report.findings if f.suppression is not None and f.suppression.kind == "review"),
        "departments": [(department, quote(names[department.department])) for department in departments],
        "report": report,
        "families": FAMILIES,
        "projects": len(projects),
        "submissions": sum(len(department.submissions) for department in departments),
        "findings": len(active),
        "accepted": len(report.suppressed),
        "charts": _charts([
            (bool(active), charts.bar_chart("c-fam", "各规则族问题数（全部部门）",
                                            _family_bars(Counter(f.code[:2] for f in active)))),
            (len(projects) > 1, charts.histogram("c-hist", "项目质量分分布", [project.score for project in projects])),
            (len(rated) > 1, _scatter(
                "c-rate",
                "预算执行率与质量分",
                [(department.department, project) for department in departments for project in department.projects],
            )),
        ]),
    }  # fmt: skip
    return _render("index.html.j2", context)


def _review_stats(report: Report) -> list[Any]:
    """Per-rule review statistics when decisions were read (``auditor stats --decisions`` as a table)."""
    if report.decisions is None:
        return []
    from auditor.review import rule_stats

    return [(item, rule_title(item.code)) for item in rule_stats(report.decisions)]


def render_department(
    report: Report,
    department: DepartmentScore,
    departments: list[DepartmentScore],
    filename: str,
    *,
    links: dict[str, str] | None = None,
) -> str:
    view = department_view(report, department)
    links = links or {}
    rated = [project for project in department.projects if project.execution_rate is not None]
    active = [item.finding for item in view.findings if item.finding.active]
    by_code = Counter(finding.code for finding in active)
    rule_names = {item.finding.code: item.rule for item in view.findings}
    rule_bars = [
        charts.Bar(f"{code} {rule_names[code]}", count, f"fam-{code[:2]}")
        for code, count in sorted(by_code.items(), key=lambda item: (-item[1], item[0]))
    ]
    project_rows = sorted(view.projects, key=lambda pair: (-pair[1].score.score, pair[0].anchor, pair[1].anchor))
    context = {
        "view": view,
        "department": department,
        "filename": filename,
        "total": len(departments),
        "project_rows": project_rows,
        "section_names": list(weights()["sections"]),
        "accepted": sum(1 for item in view.findings if not item.finding.active),
        "families": _filter_counts(view, "family", list(FAMILIES)),
        "severities": _filter_counts(view, "severity", list(SEVERITY_ORDER)),
        "rules": [
            (code, rule_names[code], count)
            for code, count in sorted(Counter(item.finding.code for item in view.findings).items())
        ],
        "workbooks": {path: _href(relative) for path, relative in links.items()},
        "unreadable": report.unreadable,
        "charts": _charts([
            (len({code[:2] for code in by_code}) > 1, charts.bar_chart("c-fam", "各规则族问题数",
                                                _family_bars(Counter(f.code[:2] for f in active)))),
            (len(by_code) > 1, charts.bar_chart("c-rule", "各规则问题数", rule_bars[:30], label_width=250)),
            (len(department.projects) > 1, charts.histogram("c-hist", "项目质量分分布",
                                                            [project.score for project in department.projects])),
            (len(rated) > 1, _scatter("c-rate", "预算执行率与质量分",
                                      [(None, project) for project in department.projects])),
        ]),
    }  # fmt: skip
    return _render("department.html.j2", context)


def _filter_counts(view: DepartmentView, attribute: str, keys: list[str]) -> list[tuple[str, str, int]]:
    counts = Counter(getattr(item, attribute) for item in view.findings)
    label = FAMILIES if attribute == "family" else {key: Severity(key).chinese for key in SEVERITY_ORDER}
    return [(key, label[key], counts[key]) for key in keys]


def _family_bars(counts: Counter[str]) -> list[charts.Bar]:
    return [charts.Bar(f"{code} {name}", counts[code], f"fam-{code}") for code, name in FAMILIES.items()]


def _scatter(key: str, title: str, projects: list[tuple[str | None, ProjectScore]]) -> Markup:
    points = [
        charts.Point(
            project.execution_rate,
            project.score,
            f"{department}·{project.name}" if department else project.name,
            charts.grade_css(project.grade),
        )
        for department, project in projects
        if project.execution_rate is not None
    ]
    return charts.scatter(key, title, points, missing=len(projects) - len(points))


@cache
def _static(name: str) -> str:
    return resources.files(PACKAGE).joinpath("static", name).read_text(encoding="utf-8")


def _load_template(name: str) -> str:
    return resources.files(PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_load_template),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = charts.number
    env.filters["grade_css"] = charts.grade_css
    env.filters["grade_css_of"] = charts.grade_class
    env.globals.update(
        sev_name=lambda value: Severity(value).chinese, layout_name=LAYOUT_NAMES.get, fund_columns=FUND_COLUMNS
    )
    return env


def content_security_policy(script: str) -> str:
    """Nothing may be fetched; the one inline script runs by its hash, inline styles and data: images only."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _render(template: str, context: dict[str, Any]) -> str:
    script = _static("report.js")
    page = {"css": Markup(_static("report.css")), "js": Markup(script), "csp": content_security_policy(script)}
    return environment().get_template(template).render(**page, **context)


def _write(path: Path, text: str) -> Path:
    from auditor.reporters.sanitize import unescape_surrogates

    write_atomic(path, unescape_surrogates(text))  # an undecodable file name shown as \\xXX, not a crash
    return path
