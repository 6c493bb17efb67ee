"""``auditor report``: everything an auditor forwards, written into one folder.

* ``index.html`` ranking departments, and one self-contained HTML page per department;
* ``annotated/[folder/]<name>.annotated.xlsx``: each input (its folders mirrored) with flagged cells
  filled and commented;
* ``summary.csv`` (one row per project) and ``summary.md`` (ranking, common problems, weakest
  projects), and ``report.json`` (the lint JSON, for tools).

Every file is written atomically and inputs are never touched. The ``.auditor-report`` marker makes
later folder scans skip the folder (a report written inside the corpus is never read as input) and
lists the files the last run wrote, so a second run into the same folder removes the pages and
workbooks that no longer belong to the report — and never anything else. A folder that holds the
inputs, or a non-empty folder that is not a report folder, is refused (:func:`destination_problem`).
"""

from __future__ import annotations

import os
import re
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
    previous = _manifest(marker)
    if not marker.exists():
        write_atomic(marker, MARKER_HEADER)  # first, so that an interrupted run is still skipped by scans
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
    current = sorted(path.relative_to(out_dir).as_posix() for path in result.written)
    write_atomic(marker, MARKER_HEADER + "".join(f"{name}\n" for name in current))
    for stale in sorted(set(previous) - set(current)):
        (out_dir / stale).unlink(missing_ok=True)
        parent = (out_dir / stale).parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()  # a mirrored input folder left empty
            parent = parent.parent
    return result


MARKER_HEADER = "# auditor report 输出目录：检查目录时跳过此处。以下是上次写出的文件（再次写入时删除不再需要的）。\n"
_OURS = re.compile(r"(index\.html|dept-[^/]+\.html|summary\.(csv|md)|report\.json|annotated/.+\.annotated\.xlsx)")


def _manifest(marker: Path) -> list[str]:
    """Files a previous run listed in the marker — only names auditor itself writes, inside the folder."""
    if not marker.is_file():
        return []
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if _OURS.fullmatch(line) and ".." not in line]


def destination_problem(out_dir: Path, inputs: list[Path]) -> str | None:
    """Why ``out_dir`` must not receive a report, or ``None``.

    It must not hold any input (the marker would hide the inputs from later runs, and the report
    would sit among the tables), and an existing non-empty folder must be a report folder already,
    so that no one's ``index.html`` is overwritten by accident.
    """
    target = out_dir.resolve()
    for path in inputs:
        if path.resolve() == target or path.resolve().is_relative_to(target):
            return f"{out_dir}: 报告目录包含输入 {path}，请把报告写到输入之外的目录"
    if target.is_dir() and any(target.iterdir()) and not (target / REPORT_MARKER).is_file():
        return f"{out_dir}: 目录不为空，也不是 auditor 报告目录；为免覆盖其中的文件，请换一个目录或先清空"
    return None


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
    files = [source.resolve() for source, _ in sources if source.is_file()]
    common = Path(os.path.commonpath(files)) if files else Path()
    if len(files) == 1:
        common = files[0].parent
    for done, (source, result) in enumerate(sources):
        if progress is not None:
            progress(done, len(sources), str(source))
        if not source.is_file():  # stdin
            continue
        # The inputs' folders are mirrored (批次01/a.xlsx → annotated/批次01/a.annotated.xlsx).
        relative = source.resolve().parent.relative_to(common)
        name = _unique((relative / annotated_name(source)).as_posix(), taken)
        try:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            written.append(write_annotated(result, source, folder / name))
        except (OSError, ValueError) as error:
            problems.append(f"{source}: 无法生成批注工作簿（{error}）")
    if progress is not None:
        progress(len(sources), len(sources), "")
    return written


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``stem-2.ext``… when two inputs would share a name (``a.csv`` beside ``a.xlsx``)."""
    candidate, number = name, 1
    folder, slash, base = name.rpartition("/")
    stem, dot, suffix = base.partition(".")
    stem = folder + slash + stem
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    taken.add(candidate.casefold())
    return candidate
