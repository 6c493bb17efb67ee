"""``auditor report``: everything an auditor forwards, written into one folder.

* ``index.html`` ranking departments, and one self-contained HTML page per department;
* ``annotated/<name>.annotated.xlsx``: each input with its flagged cells filled and commented;
* ``summary.csv`` (one row per project) and ``summary.md`` (ranking, common problems, weakest
  projects), and ``report.json`` (the lint JSON, for tools).

Every file is written atomically, inputs are never touched, and a ``.auditor-report`` marker makes
later folder scans skip the folder, so a report written inside the corpus is never read as input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.fileio import write_atomic
from auditor.readers import REPORT_MARKER
from auditor.reporters import Report
from auditor.scoring import DepartmentScore, rank_departments

ANNOTATED = "annotated"


@dataclass
class BundleResult:
    written: list[Path] = field(default_factory=list)
    departments: list[DepartmentScore] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be annotated, one line each


def write_bundle(
    report: Report,
    out_dir: Path,
    *,
    html: bool = True,
    workbooks: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> BundleResult:
    """Write the report folder; ``progress`` follows the annotated workbooks, the slow part."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / REPORT_MARKER
    if not marker.exists():
        write_atomic(marker, "auditor report 输出目录；检查目录时跳过此处。\n")
    result = BundleResult(departments=rank_departments(report))
    pages: dict[str, str] = {}
    if html:
        from auditor.reporters.html import department_filename, write_html_report

        result.written += write_html_report(report, out_dir, result.departments)
        pages = {department.department: department_filename(department) for department in result.departments}
    if workbooks:
        result.written += _annotate_all(report, out_dir / ANNOTATED, result.problems, progress)
    from auditor.reporters import json_reporter
    from auditor.reporters.scores import render_csv, render_markdown

    for name, text in (
        ("summary.csv", render_csv(result.departments, report)),
        ("summary.md", render_markdown(result.departments, report, pages)),
        ("report.json", json_reporter.render(report)),
    ):
        write_atomic(out_dir / name, text)
        result.written.append(out_dir / name)
    return result


def _annotate_all(
    report: Report,
    folder: Path,
    problems: list[str],
    progress: Callable[[int, int, str], None] | None,
) -> list[Path]:
    from auditor.reporters.annotated_xlsx import annotated_name, write_annotated

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken: set[str] = set()
    sources = [(Path(result.submission.path), result) for result in report.files]
    for done, (source, result) in enumerate(sources):
        if progress is not None:
            progress(done, len(sources), str(source))
        if not source.is_file():  # stdin
            continue
        name = _unique(annotated_name(source), taken)
        try:
            written.append(write_annotated(result, source, folder / name))
        except (OSError, ValueError) as error:
            problems.append(f"{source}: 无法生成批注工作簿（{error}）")
    if progress is not None:
        progress(len(sources), len(sources), "")
    return written


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``stem-2.ext``… when two inputs in different folders share a file name."""
    candidate, number = name, 1
    stem, dot, suffix = name.partition(".")
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    taken.add(candidate.casefold())
    return candidate
